/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskRate: the kiosk page to rate a finished message. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_RATE (payam_kiosk_rate_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskRate, payam_kiosk_rate, PAYAM, KIOSK_RATE, GtkWidget)

/* Rate a done message found by its tracking code in @store. Signal "done" (): back home. */
PayamKioskRate *payam_kiosk_rate_new (PayamStore *store);

G_END_DECLS
