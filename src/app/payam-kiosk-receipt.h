/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskReceipt: the kiosk page to the receipt shown after sending: tracking code, QR, expected response time, print. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_RECEIPT (payam_kiosk_receipt_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskReceipt, payam_kiosk_receipt, PAYAM, KIOSK_RECEIPT, GtkWidget)

/* The receipt of the request @request_id just saved in @store. Signal "done" (): the citizen
 * is finished (button or timeout); the window goes back home. */
PayamKioskReceipt *payam_kiosk_receipt_new (PayamStore *store,
                                            const char *request_id);

G_END_DECLS
