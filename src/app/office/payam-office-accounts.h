/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeAccounts: crews with their members, and the office staff accounts; a
 * supervisor adds crews, members (with a PIN) and staff, and disables staff. */
#pragma once

#include <adwaita.h>

#include "payam-store-staff.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_ACCOUNTS (payam_office_accounts_get_type ())
G_DECLARE_FINAL_TYPE (PayamOfficeAccounts, payam_office_accounts, PAYAM, OFFICE_ACCOUNTS, GtkBox)

/* Read the crews, their members and the staff again from @store; @staff (borrowed, may be
 * NULL) is who signed in: only a supervisor's buttons take a click. A failure to read
 * shows as a toast of the window's overlay. */
void        payam_office_accounts_reload  (PayamOfficeAccounts *self,
                                           PayamStore          *store,
                                           const PayamStaff    *staff);

G_END_DECLS
