/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewWindow: a field crew's day: sign-in, my worksheets, the work on each. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"
#include "payam-sync-service.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CREW_WINDOW (payam_crew_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewWindow, payam_crew_window, PAYAM, CREW_WINDOW, AdwApplicationWindow)

/* A crew window for @application over @store, its device's crew (from the enrolment) and
 * @sync (may be NULL: no background sync), each a reference kept. It opens on the sign-in;
 * a device not enrolled as a crew's says so and how to fix it. */
PayamCrewWindow *payam_crew_window_new    (GtkApplication   *application,
                                           PayamStore       *store,
                                           PayamSyncService *sync);
/* Read the crew's worksheets again (the selection stays on the same worksheet). On error
 * the list keeps what it showed and FALSE is returned with @error set. */
gboolean         payam_crew_window_reload (PayamCrewWindow  *self,
                                           GError          **error);
/* End the member's session: back to the sign-in (also after 10 idle minutes). */
void             payam_crew_window_lock   (PayamCrewWindow  *self);

G_END_DECLS
