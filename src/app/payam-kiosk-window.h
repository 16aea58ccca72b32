/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskWindow: the citizen's full-screen welcome screen. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_WINDOW (payam_kiosk_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskWindow, payam_kiosk_window, PAYAM, KIOSK_WINDOW, AdwApplicationWindow)

PayamKioskWindow *payam_kiosk_window_new    (GtkApplication   *application,
                                             PayamStore       *store);
gboolean          payam_kiosk_window_reload (PayamKioskWindow *self,
                                             GError          **error);

G_END_DECLS
