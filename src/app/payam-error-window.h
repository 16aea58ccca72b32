/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamErrorWindow: why Payam cannot use its database and what to do about it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PAYAM_TYPE_ERROR_WINDOW (payam_error_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamErrorWindow, payam_error_window, PAYAM, ERROR_WINDOW, AdwApplicationWindow)

PayamErrorWindow *payam_error_window_new        (GtkApplication   *application,
                                                 const char       *db_path,
                                                 const GError     *error);
const char       *payam_error_window_get_reason (PayamErrorWindow *self);
const char       *payam_error_window_get_advice (PayamErrorWindow *self);

G_END_DECLS
