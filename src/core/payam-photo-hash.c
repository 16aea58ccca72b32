/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The perceptual hash of a photo (dHash): 64 bits that stay close for resized and recompressed copies. */
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
