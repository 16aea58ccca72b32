/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskRate: the kiosk page to rate a finished message. */
#pragma once

#include <gtk/gtk.h>

#include "payam-kiosk-code-entry.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_RATE (payam_kiosk_rate_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskRate, payam_kiosk_rate, PAYAM, KIOSK_RATE, GtkWidget)

/* Rate a finished message (payam_status_is_rateable) of @store, found by its tracking code
 * (the same code field as Follow, this kiosk's messages only): 1–5 stars as large toggle
 * buttons, an optional comment or suggestion, "Save my rating" (payam_store_add_rating).
 * An unfinished message shows its status and no stars; a refused rating (already rated)
 * shows the store's message. Signal "done" (): back home. Actions: rate.save, rate.done. */
PayamKioskRate      *payam_kiosk_rate_new            (PayamStore     *store);
/* For tests: the code field (borrowed), and the stars chosen (0: none) or to choose. */
PayamKioskCodeEntry *payam_kiosk_rate_get_code_entry (PayamKioskRate *self);
int                  payam_kiosk_rate_get_score      (PayamKioskRate *self);
void                 payam_kiosk_rate_set_score      (PayamKioskRate *self,
                                                      int             score);

G_END_DECLS
