/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewWindow: a field crew's open work, ordered by priority and deadline. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CREW_WINDOW (payam_crew_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewWindow, payam_crew_window, PAYAM, CREW_WINDOW, AdwApplicationWindow)

PayamCrewWindow *payam_crew_window_new    (GtkApplication  *application,
                                           PayamStore      *store);
gboolean         payam_crew_window_reload (PayamCrewWindow *self,
                                           GError         **error);

G_END_DECLS
