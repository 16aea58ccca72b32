/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQr: a QR code (libqrencode) of a short text, drawn on screen or on paper. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Modules of white around the symbol, as the QR standard asks for readers to find it. */
#define PAYAM_QR_QUIET_ZONE 4

typedef struct _PayamQr PayamQr;

/* Encode @text (UTF-8, e.g. a canonical tracking code) at error-correction level M.
 * Returns a new PayamQr or NULL with a translated G_IO_ERROR (too long, out of memory). */
PayamQr    *payam_qr_encode         (const char     *text,
                                     GError        **error);
void        payam_qr_free           (PayamQr        *qr);
/* Modules per side of the symbol, without the quiet zone. */
int         payam_qr_get_width      (const PayamQr  *qr);
/* Whether module (@x, @y) is dark; FALSE outside the symbol (the quiet zone). */
gboolean    payam_qr_is_dark        (const PayamQr  *qr,
                                     int             x,
                                     int             y);
/* Paint the symbol with its quiet zone as a square of @side units at (@x, @y) on @cr:
 * white background, black modules, edges snapped to whole units when @side allows. */
void        payam_qr_draw           (const PayamQr  *qr,
                                     cairo_t        *cr,
                                     double          x,
                                     double          y,
                                     double          side);
/* A texture of the symbol and its quiet zone, @module_px pixels per module (at least 1),
 * so that it is sharp when shown at its own size. Caller owns it. */
GdkTexture *payam_qr_to_texture     (const PayamQr  *qr,
                                     int             module_px);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamQr, payam_qr_free)

G_END_DECLS
