/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskCodeEntry: where a citizen types a tracking code on the follow and rate pages. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"
#include "payam-sync-codec.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_CODE_ENTRY (payam_kiosk_code_entry_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskCodeEntry, payam_kiosk_code_entry, PAYAM, KIOSK_CODE_ENTRY, GtkWidget)

/* A tracking-code field for @store (a reference is kept): the code in any digit form,
 * separators optional, looked up with the button or Enter. A code with a wrong check digit
 * shows "did you mean" suggestions (payam_tracking_code_suggest, those this kiosk holds
 * first) as buttons that look the code up; other bad input, an unknown code and failures
 * show a translated message that says what to do. With @allow_remote, a code unknown
 * here is asked of the office through the application's sync service when it is online.
 * "Scan the QR code on your receipt" shows the kiosk camera as a QR scanner
 * (payam_camera_new_scanner); a code read fills the entry and is looked up as if
 * typed. The camera runs only while the scanner is shown: it stops at the first code, on
 * "Stop scanning" and when the widget goes; a failing camera says so, typing still works.
 * Signals:
 *   "found"        (const char *request_id)          the code is a request in @store
 *   "found-remote" (gpointer PayamSyncTrackReply *)  the office knows it (borrowed)
 *   "cleared"      ()                                a new look-up began: hide old results */
PayamKioskCodeEntry *payam_kiosk_code_entry_new         (PayamStore          *store,
                                                         gboolean             allow_remote);
/* Look the entry's text up now, as the button does. */
void                 payam_kiosk_code_entry_lookup      (PayamKioskCodeEntry *self);
/* The message shown under the entry, or NULL when none is. */
const char          *payam_kiosk_code_entry_get_message (PayamKioskCodeEntry *self);
/* The suggested codes shown (canonical ASCII), NULL-terminated, possibly empty. Caller
 * owns it. */
GStrv                payam_kiosk_code_entry_dup_suggestions (PayamKioskCodeEntry *self);
GtkEditable         *payam_kiosk_code_entry_get_editable (PayamKioskCodeEntry *self);

G_END_DECLS
