/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeWindow: counts from the store above the open requests. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_WINDOW (payam_office_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamOfficeWindow, payam_office_window, PAYAM, OFFICE_WINDOW, AdwApplicationWindow)

PayamOfficeWindow *payam_office_window_new    (GtkApplication     *application,
                                               PayamStore         *store);
gboolean           payam_office_window_reload (PayamOfficeWindow  *self,
                                               GError            **error);

G_END_DECLS
