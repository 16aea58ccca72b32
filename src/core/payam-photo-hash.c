/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The perceptual hash of a photo (dHash): 64 bits that stay close for resized and recompressed copies; of a pixbuf or of stored bytes. */
#define G_LOG_DOMAIN "payam-photo"
#include "config.h"

#include "payam-photo.h"

/**
 * payam_photo_dhash:
 * @image: a decoded photo
 *
 * The difference hash (Krawetz, "Kind of like that", 2013): the image averaged down to
 * 9 × 8 grey cells (box filter, so no detail aliases in), then one bit per pair of
 * horizontal neighbours, set when the left cell is brighter. Resizing, recompression and
 * small colour changes flip few of the 64 bits; another scene flips about half. Compare
 * two hashes with payam_pair_hash_distance(). Alpha is ignored.
 *
 * Returns: the hash
 */
guint64
payam_photo_dhash (GdkPixbuf *image)
{
  g_autoptr(GdkPixbuf) small = NULL;
  const guint8 *pixels;
  int rowstride, channels;
  guint64 hash = 0;

  g_return_val_if_fail (GDK_IS_PIXBUF (image), 0);

  small = gdk_pixbuf_scale_simple (image, 9, 8, GDK_INTERP_TILES);
  if (small == NULL)
    return 0;
  pixels = gdk_pixbuf_read_pixels (small);
  rowstride = gdk_pixbuf_get_rowstride (small);
  channels = gdk_pixbuf_get_n_channels (small);
  for (int y = 0; y < 8; y++)
    {
      double grey[9];

      for (int x = 0; x < 9; x++)
        {
          const guint8 *p = pixels + y * rowstride + x * channels;

          /* ITU-R BT.601 luma. */
          grey[x] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        }
      for (int x = 0; x < 8; x++)
        hash = hash << 1 | (grey[x] > grey[x + 1]);
    }
  return hash;
}

/* Longest side a photo is decoded at for its hash: dHash averages it down to 9 × 8 cells,
 * so a smaller decode (JPEG scales while decoding) changes few bits and bounds the memory
 * and time a synced photo costs, on the server above all. */
#define HASH_DECODE_SIDE 512

/* "size-prepared": refuse images over the import's pixel limit before their pixels are
 * allocated (a synced blob comes from another device, whatever it claims), and decode
 * large ones at HASH_DECODE_SIDE. */
static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  gboolean *too_large = user_data;
  int side = MAX (width, height);

  if ((gint64) width * (gint64) height > PAYAM_PHOTO_MAX_PIXELS)
    {
      *too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
  else if (side > HASH_DECODE_SIDE)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (int) ((gint64) width * HASH_DECODE_SIDE / side)),
                                MAX (1, (int) ((gint64) height * HASH_DECODE_SIDE / side)));
}

/**
 * payam_photo_dhash_bytes:
 * @bytes: a stored photo's bytes (what payam_photo_import_bytes() wrote: JPEG or PNG)
 * @hash: (out): its payam_photo_dhash()
 *
 * The hash of a photo known only by its bytes: one that arrived by sync, whose record
 * carried no hash. The bytes were re-encoded at import, so this is the hash the importing
 * device computed, up to a few bits of recompression.
 *
 * Returns: %FALSE when the bytes are not a decodable image within
 * PAYAM_PHOTO_MAX_PIXELS (nothing to compare then); @hash is left unchanged
 */
gboolean
payam_photo_dhash_bytes (GBytes  *bytes,
                         guint64 *hash)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  gboolean too_large = FALSE;
  gboolean ok;
  GdkPixbuf *image;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &too_large);
  /* A loader is always closed, also after a failed write. */
  ok = gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  ok = gdk_pixbuf_loader_close (loader, ok ? &error : NULL) && ok && !too_large;
  if (!ok)
    {
      g_debug ("No hash for a photo: %s", error != NULL ? error->message : "too large");
      return FALSE;
    }
  image = gdk_pixbuf_loader_get_pixbuf (loader);
  if (image == NULL)
    return FALSE;
  *hash = payam_photo_dhash (image);
  return TRUE;
}
