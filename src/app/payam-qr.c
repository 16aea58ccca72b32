/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQr: libqrencode's symbol kept as a matrix of modules, painted with cairo or as pixels. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <qrencode.h>

#include "payam-qr.h"

struct _PayamQr
{
  int     width;
  guint8 *dark;   /* width × width, row by row: 1 dark, 0 light */
};

/* libqrencode's data has the module's colour in bit 0; other bits say what it is for. */
PayamQr *
payam_qr_encode (const char  *text,
                 GError     **error)
{
  QRcode *code;
  PayamQr *qr;
  int saved_errno;

  g_return_val_if_fail (text != NULL, NULL);

  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The QR code could not be made: %s"), g_strerror (saved_errno));
      return NULL;
    }
  qr = g_new0 (PayamQr, 1);
  qr->width = code->width;
  qr->dark = g_malloc ((gsize) code->width * code->width);
  for (int i = 0; i < code->width * code->width; i++)
    qr->dark[i] = code->data[i] & 1;
  QRcode_free (code);
  return qr;
}

void
payam_qr_free (PayamQr *qr)
{
  if (qr == NULL)
    return;
  g_free (qr->dark);
  g_free (qr);
}

int
payam_qr_get_width (const PayamQr *qr)
{
  g_return_val_if_fail (qr != NULL, 0);
  return qr->width;
}

gboolean
payam_qr_is_dark (const PayamQr *qr,
                  int            x,
                  int            y)
{
  g_return_val_if_fail (qr != NULL, FALSE);

  if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
    return FALSE;
  return qr->dark[y * qr->width + x] != 0;
}

void
payam_qr_draw (const PayamQr *qr,
               cairo_t       *cr,
               double         x,
               double         y,
               double         side)
{
  int total;
  double module;

  g_return_if_fail (qr != NULL);
  g_return_if_fail (cr != NULL);

  total = qr->width + 2 * PAYAM_QR_QUIET_ZONE;
  module = side / total;
  /* Whole units per module when there is room, so that no module is blurred. */
  if (module >= 1)
    module = (int) module;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, side, side);
  cairo_fill (cr);
  /* Centred in the square, whatever the rounding left over. */
  x += (side - module * total) / 2 + module * PAYAM_QR_QUIET_ZONE;
  y += (side - module * total) / 2 + module * PAYAM_QR_QUIET_ZONE;
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      if (qr->dark[row * qr->width + col])
        cairo_rectangle (cr, x + col * module, y + row * module, module, module);
  cairo_fill (cr);
  cairo_restore (cr);
}

GdkTexture *
payam_qr_to_texture (const PayamQr *qr,
                     int            module_px)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  int total;
  int side;

  g_return_val_if_fail (qr != NULL, NULL);

  module_px = MAX (module_px, 1);
  total = qr->width + 2 * PAYAM_QR_QUIET_ZONE;
  side = total * module_px;
  /* One byte per channel, three channels: grey levels would need GTK 4.12. */
  pixels = g_malloc ((gsize) side * side * 3);
  for (int py = 0; py < side; py++)
    for (int px = 0; px < side; px++)
      {
        gboolean dark = payam_qr_is_dark (qr, px / module_px - PAYAM_QR_QUIET_ZONE,
                                          py / module_px - PAYAM_QR_QUIET_ZONE);
        guint8 *p = pixels + ((gsize) py * side + px) * 3;

        p[0] = p[1] = p[2] = dark ? 0 : 255;
      }
  bytes = g_bytes_new_take (pixels, (gsize) side * side * 3);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, (gsize) side * 3);
}
