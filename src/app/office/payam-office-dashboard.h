/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeDashboard: the office's figures at a glance (open messages, overdue work,
 * today's intake, time to done, feedback coverage against 100%, ratings) with charts; each
 * figure opens its list (a queue through win.open-queue, or the citizens not told yet). */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_DASHBOARD (payam_office_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (PayamOfficeDashboard, payam_office_dashboard, PAYAM, OFFICE_DASHBOARD, GtkBox)

/* Show the figures of @store (followed from now on: its own changes and, while the page is
 * shown, other connections' commits); @category_names (code → name) is borrowed for the
 * dashboard's life. */
void        payam_office_dashboard_set_store     (PayamOfficeDashboard *self,
                                                  PayamStore           *store,
                                                  GHashTable           *category_names);
/* Read every figure again now. */
void        payam_office_dashboard_reload        (PayamOfficeDashboard *self);
/* Show the figures, or the list of citizens not told yet. */
void        payam_office_dashboard_show_figures  (PayamOfficeDashboard *self);
void        payam_office_dashboard_show_untold   (PayamOfficeDashboard *self);
gboolean    payam_office_dashboard_shows_untold  (PayamOfficeDashboard *self);

/* The label of a reason a citizen is not told yet ("queued", "failed", "no-phone",
 * "no-notice"), translated, static. */
const char *payam_office_dashboard_why_label     (const char           *why);

G_END_DECLS
