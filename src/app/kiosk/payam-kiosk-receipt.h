/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskReceipt: the kiosk page shown after sending: tracking code, QR, expected response time, print. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_RECEIPT (payam_kiosk_receipt_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskReceipt, payam_kiosk_receipt, PAYAM, KIOSK_RECEIPT, GtkWidget)

/* The receipt of @request, just saved in @store (copied: the register hands over what
 * it saved, so the code shows even if the store could not be read again): the code in large
 * Persian digits grouped "۰۷۰۵ ۰۰۰۰۰۰۱ ۳" in a face whose every digit takes its own width,
 * the same in Latin digits beside it, its QR code, the expected response, and a note while
 * the kiosk is offline (the application's sync service "online"), and, when the citizen
 * gave a phone (@phone_given: the kiosk seals it, so @request no longer holds it), that the
 * code also comes by text message once the kiosk is connected. Once shown, the receipt
 * prints by itself and says how that went. Signal "done" (): the citizen is finished (the
 * button; the window ends the page after a long quiet spell too). Actions: receipt.print
 * (print again), receipt.done. */
PayamKioskReceipt  *payam_kiosk_receipt_new         (PayamStore         *store,
                                                     const PayamRequest *request,
                                                     gboolean            phone_given);
/* Print the receipt without a dialog to the kiosk's default printer (else its first
 * real one), or, when the environment variable PAYAM_RECEIPT_PDF names a file, export it
 * there as PDF. Finishes FALSE with a translated G_IO_ERROR that tells the citizen what to
 * do (no printer, a failed or silent printer); the code stays on screen either way. */
void                payam_kiosk_receipt_print_async  (PayamKioskReceipt   *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            payam_kiosk_receipt_print_finish (PayamKioskReceipt   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Say under the code that the page closes in @seconds (Persian digits), or nothing when
 * @seconds is negative: the window's idle countdown, shown without covering the code. */
void                payam_kiosk_receipt_set_countdown (PayamKioskReceipt *self,
                                                       int                seconds);
/* @code (canonical ASCII) for people: Persian (or with @latin, ASCII) digits in three
 * groups parted by spaces, "۰۷۰۵ ۰۰۰۰۰۰۱ ۳". Caller owns it. */
char               *payam_kiosk_receipt_group_code  (const char         *code,
                                                     gboolean            latin);
/* The request shown (borrowed), or NULL when it could not be read. */
const PayamRequest *payam_kiosk_receipt_get_request (PayamKioskReceipt  *self);

G_END_DECLS
