/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeWindow: the office's queues, search, detail and triage. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_WINDOW (payam_office_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamOfficeWindow, payam_office_window, PAYAM, OFFICE_WINDOW, AdwApplicationWindow)

/* An office window for @application on @store (a reference is kept). When the store has
 * office staff accounts it opens on the sign-in page; otherwise on the queues. */
PayamOfficeWindow *payam_office_window_new    (GtkApplication     *application,
                                               PayamStore         *store);
/* Count every queue again and read the shown list anew. FALSE with @error when the store
 * cannot be read; what was shown stays. */
gboolean           payam_office_window_reload (PayamOfficeWindow  *self,
                                               GError            **error);

G_END_DECLS
