/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for photo import: limits, formats, truncation, EXIF orientation and stripping, scaling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "payam-photo.h"

/* ---------- helpers: images made in memory ---------- */

typedef enum {
  ALPHA_NONE,        /* RGB */
  ALPHA_OPAQUE,      /* RGBA, every pixel opaque */
  ALPHA_TRANSPARENT, /* RGBA, the top-start 8×8 corner fully transparent */
} AlphaMode;

/* A deterministic gradient with some texture, so that JPEG has real entropy data. */
static GdkPixbuf *
make_pixbuf (int       width,
             int       height,
             AlphaMode alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha != ALPHA_NONE, 8,
                                      width, height);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * n_channels;

        p[0] = (guint8) ((x * 255) / MAX (width - 1, 1));
        p[1] = (guint8) ((y * 255) / MAX (height - 1, 1));
        p[2] = (guint8) (((x * 7) ^ (y * 13)) & 0xFF);
        if (n_channels == 4)
          p[3] = (alpha == ALPHA_TRANSPARENT && x < 8 && y < 8) ? 0 : 0xFF;
      }

  return pixbuf;
}

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *type)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  gboolean ok;

  if (g_str_equal (type, "jpeg"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error,
                                    "quality", "90", NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  assert_true (ok);
  assert_null (error);
  return g_bytes_new_take (buffer, size);
}

static GBytes *
make_image (int         width,
            int         height,
            AlphaMode   alpha,
            const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (width, height, alpha);

  return encode (pixbuf, type);
}

static GdkPixbuf *
decode_bytes (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  assert_true (gdk_pixbuf_loader_write (loader, data, len, &error));
  assert_true (gdk_pixbuf_loader_close (loader, &error));
  assert_null (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static gboolean
bytes_contain (GBytes     *haystack,
               const void *needle,
               gsize       needle_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (haystack, &len);

  if (needle_len > len)
    return FALSE;
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Offset of the first segment with @marker before SOS in a JPEG, or -1. */
static gssize
jpeg_find_segment (const guint8 *data,
                   gsize         len,
                   guint8        marker)
{
  gsize pos = 2;

  while (pos + 4 <= len && data[pos] == 0xFF)
    {
      guint8 m = data[pos + 1];
      gsize seglen = ((gsize) data[pos + 2] << 8) | data[pos + 3];

      if (m == marker)
        return (gssize) pos;
      if (m == 0xDA)
        break;
      pos += 2 + seglen;
    }
  return -1;
}

static void
assert_is_hex_sha256 (const char *sha)
{
  assert_non_null (sha);
  assert_int_equal (strlen (sha), 64);
  for (const char *c = sha; *c; c++)
    assert_true (g_ascii_isdigit (*c) || (*c >= 'a' && *c <= 'f'));
}

static void
assert_photo_error (GError         *error,
                    PayamPhotoError code)
{
  assert_non_null (error);
  assert_int_equal (error->domain, PAYAM_PHOTO_ERROR);
  assert_int_equal (error->code, code);
  assert_true (error->message != NULL && error->message[0] != '\0');
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  assert_int_equal (getrusage (RUSAGE_SELF, &usage), 0);
  return usage.ru_maxrss;
}

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 crc = 0xFFFFFFFFu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  return crc ^ 0xFFFFFFFFu;
}

static void
put_be16 (guint8 *p, guint v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) v;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* A small JPEG whose SOF0 claims @width × @height. */
static GBytes *
jpeg_with_claimed_size (int width,
                        int height)
{
  g_autoptr(GBytes) jpeg = make_image (64, 48, ALPHA_NONE, "jpeg");
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (jpeg), &len);
  gssize sof = jpeg_find_segment (data, len, 0xC0);

  assert_true (sof > 0);
  /* FF C0, length (2), precision (1), height (2), width (2) */
  put_be16 (data + sof + 5, (guint) height);
  put_be16 (data + sof + 7, (guint) width);
  return g_bytes_new_take (data, len);
}

/* A small PNG whose IHDR claims @width × @height, with a correct CRC. */
static GBytes *
png_with_claimed_size (guint32 width,
                       guint32 height)
{
  g_autoptr(GBytes) png = make_image (64, 48, ALPHA_NONE, "png");
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (png), &len);

  /* signature (8), IHDR length (4), "IHDR" (4), width, height, … , CRC over type + data */
  assert_memory_equal (data + 12, "IHDR", 4);
  put_be32 (data + 16, width);
  put_be32 (data + 20, height);
  put_be32 (data + 29, crc32_of (data + 12, 17));
  return g_bytes_new_take (data, len);
}

/* ---------- limits ---------- */

/* Runs first, so that the high-water mark of the process is still low. */
static void
test_huge_jpeg_header_rejected_before_decoding (void **state)
{
  g_autoptr(GBytes) jpeg = jpeg_with_claimed_size (10000, 6000);
  g_autoptr(GBytes) png = png_with_claimed_size (10000, 6000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) png_error = NULL;
  glong before = max_rss_kib ();

  assert_null (payam_photo_import_bytes (jpeg, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_TOO_MANY_PIXELS);
  assert_null (payam_photo_import_bytes (png, &png_error));
  assert_photo_error (png_error, PAYAM_PHOTO_ERROR_TOO_MANY_PIXELS);

  /* 60 megapixels would be 180 MB of RGB: none of it may have been touched. */
  assert_true (max_rss_kib () - before < 32 * 1024);
}

static void
test_header_under_pixel_limit_with_short_data_is_corrupt (void **state)
{
  /* 7071 × 7071 = 49 999 041 is within the limit, so the header passes; the pixel data is
   * that of a 64 × 48 image, so no row is complete: corrupt, not too many pixels. */
  g_autoptr(GBytes) png = png_with_claimed_size (7071, 7071);
  g_autoptr(GError) error = NULL;

  assert_null (payam_photo_import_bytes (png, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_CORRUPT);
}

static void
test_buffer_over_20_mb_is_too_large (void **state)
{
  gsize len = (gsize) PAYAM_PHOTO_MAX_BYTES + 1;
  guint8 *data = g_malloc0 (len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  data[0] = 0xFF;
  data[1] = 0xD8;
  data[2] = 0xFF;
  bytes = g_bytes_new_take (data, len);

  assert_null (payam_photo_import_bytes (bytes, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_TOO_LARGE);
}

/* ---------- successful imports ---------- */

typedef struct {
  const char *name;
  int         width, height;
  AlphaMode   alpha;
  const char *type;
  int         want_width, want_height;
  int         want_thumb_width, want_thumb_height;
  const char *want_mime;
} ImportCase;

static const ImportCase import_cases[] = {
  { "landscape 4000x3000 jpeg", 4000, 3000, ALPHA_NONE, "jpeg", 2048, 1536, 256, 192,
    "image/jpeg" },
  { "portrait 3000x4000 jpeg", 3000, 4000, ALPHA_NONE, "jpeg", 1536, 2048, 192, 256,
    "image/jpeg" },
  { "small jpeg kept", 640, 480, ALPHA_NONE, "jpeg", 640, 480, 256, 192, "image/jpeg" },
  { "long side exactly 2048 kept", 2048, 100, ALPHA_NONE, "jpeg", 2048, 100, 256, 13,
    "image/jpeg" },
  { "tiny image, thumbnail not enlarged", 100, 60, ALPHA_NONE, "jpeg", 100, 60, 100, 60,
    "image/jpeg" },
  { "opaque png becomes jpeg", 300, 200, ALPHA_NONE, "png", 300, 200, 256, 171,
    "image/jpeg" },
  { "png with opaque alpha becomes jpeg", 300, 200, ALPHA_OPAQUE, "png", 300, 200, 256, 171,
    "image/jpeg" },
  { "png with transparency stays png", 2500, 500, ALPHA_TRANSPARENT, "png", 2048, 410, 256, 51,
    "image/png" },
};

static void
test_import_dimensions_mime_and_thumbnail (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (import_cases); i++)
    {
      const ImportCase *c = &import_cases[i];
      g_autoptr(GBytes) input = make_image (c->width, c->height, c->alpha, c->type);
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamPhoto) photo = NULL;
      g_autoptr(GdkPixbuf) image = NULL;
      g_autoptr(GdkPixbuf) thumb = NULL;
      g_autofree char *sha = NULL;
      const guint8 *thumb_data;

      print_message ("# case: %s\n", c->name);
      photo = payam_photo_import_bytes (input, &error);
      assert_null (error);
      assert_non_null (photo);

      assert_int_equal (photo->width, c->want_width);
      assert_int_equal (photo->height, c->want_height);
      assert_string_equal (photo->mime, c->want_mime);

      /* The stored bytes are what the record says they are. */
      image = decode_bytes (photo->bytes);
      assert_int_equal (gdk_pixbuf_get_width (image), c->want_width);
      assert_int_equal (gdk_pixbuf_get_height (image), c->want_height);
      if (g_str_equal (c->want_mime, "image/png"))
        {
          const guint8 *px = gdk_pixbuf_read_pixels (image);

          assert_true (bytes_contain (photo->bytes, "\x89PNG", 4));
          assert_true (gdk_pixbuf_get_has_alpha (image));
          assert_int_equal (px[3], 0);  /* the transparent corner survived */
        }
      else
        {
          assert_memory_equal (g_bytes_get_data (photo->bytes, NULL), "\xFF\xD8\xFF", 3);
          assert_false (gdk_pixbuf_get_has_alpha (image));
        }

      /* The content address is the SHA-256 of exactly those bytes. */
      assert_is_hex_sha256 (photo->sha256);
      sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
      assert_string_equal (photo->sha256, sha);

      /* The thumbnail is a decodable JPEG with the long side at most 256 px. */
      thumb_data = g_bytes_get_data (photo->thumbnail, NULL);
      assert_memory_equal (thumb_data, "\xFF\xD8\xFF", 3);
      thumb = decode_bytes (photo->thumbnail);
      assert_int_equal (gdk_pixbuf_get_width (thumb), c->want_thumb_width);
      assert_int_equal (gdk_pixbuf_get_height (thumb), c->want_thumb_height);
      assert_true (MAX (gdk_pixbuf_get_width (thumb), gdk_pixbuf_get_height (thumb))
                   <= PAYAM_PHOTO_THUMB_SIDE);
    }
}

static void
test_same_input_gives_same_sha256 (void **state)
{
  static const struct { AlphaMode alpha; const char *type; } inputs[] = {
    { ALPHA_NONE, "jpeg" },
    { ALPHA_TRANSPARENT, "png" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) input = make_image (900, 700, inputs[i].alpha, inputs[i].type);
      g_autoptr(GBytes) again = g_bytes_new (g_bytes_get_data (input, NULL),
                                             g_bytes_get_size (input));
      g_autoptr(PayamPhoto) first = payam_photo_import_bytes (input, NULL);
      g_autoptr(PayamPhoto) second = payam_photo_import_bytes (again, NULL);

      assert_non_null (first);
      assert_non_null (second);
      assert_string_equal (first->sha256, second->sha256);
      assert_true (g_bytes_equal (first->bytes, second->bytes));
      assert_true (g_bytes_equal (first->thumbnail, second->thumbnail));
    }
}

static void
test_transparent_png_thumbnail_is_flattened_on_white (void **state)
{
  g_autoptr(GBytes) input = make_image (200, 200, ALPHA_TRANSPARENT, "png");
  g_autoptr(PayamPhoto) photo = payam_photo_import_bytes (input, NULL);
  g_autoptr(GdkPixbuf) thumb = NULL;
  const guint8 *px;

  assert_non_null (photo);
  assert_string_equal (photo->mime, "image/png");
  thumb = decode_bytes (photo->thumbnail);
  assert_false (gdk_pixbuf_get_has_alpha (thumb));
  px = gdk_pixbuf_read_pixels (thumb);
  /* The transparent corner is white (allow for JPEG error), not black. */
  assert_true (px[0] > 240 && px[1] > 240 && px[2] > 240);
}

static void
test_jpeg_with_trailer_after_eoi_is_accepted (void **state)
{
  g_autoptr(GBytes) jpeg = make_image (320, 240, ALPHA_NONE, "jpeg");
  g_autoptr(GByteArray) with_trailer = g_byte_array_new ();
  g_autoptr(GBytes) input = NULL;
  g_autoptr(PayamPhoto) plain = NULL;
  g_autoptr(PayamPhoto) photo = NULL;
  g_autoptr(GError) error = NULL;
  static const char trailer[] = "SEFH trailer written by a phone after EOI";

  g_byte_array_append (with_trailer, g_bytes_get_data (jpeg, NULL),
                       (guint) g_bytes_get_size (jpeg));
  g_byte_array_append (with_trailer, (const guint8 *) trailer, sizeof trailer);
  input = g_byte_array_free_to_bytes (g_steal_pointer (&with_trailer));

  photo = payam_photo_import_bytes (input, &error);
  assert_null (error);
  assert_non_null (photo);
  plain = payam_photo_import_bytes (jpeg, NULL);
  assert_non_null (plain);
  assert_string_equal (photo->sha256, plain->sha256);
  assert_false (bytes_contain (photo->bytes, "SEFH", 4));
}

/* ---------- EXIF ---------- */

/* A TIFF block (little-endian) with IFD0 = { Orientation = @orientation, GPS IFD pointer }
 * and a GPS IFD = { GPSLatitudeRef "N", GPSLatitude 35/1 41/1 2345/100 }. */
static GBytes *
make_exif_tiff (guint16 orientation)
{
  static const guint8 header[] = { 'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00 };
  GByteArray *tiff = g_byte_array_new ();
  guint8 ifd0[2 + 2 * 12 + 4] = { 0 };
  guint8 gps[2 + 2 * 12 + 4] = { 0 };
  guint8 rationals[24];
  const guint32 gps_offset = 8 + sizeof ifd0;
  const guint32 rational_offset = gps_offset + sizeof gps;
  const guint32 values[6] = { 35, 1, 41, 1, 2345, 100 };

  /* IFD0: 2 entries */
  ifd0[0] = 2;
  ifd0[2] = 0x12; ifd0[3] = 0x01;            /* tag 0x0112 Orientation */
  ifd0[4] = 3;                               /* SHORT */
  ifd0[6] = 1;                               /* count 1 */
  ifd0[10] = (guint8) orientation;           /* value, left-justified */
  ifd0[14] = 0x25; ifd0[15] = 0x88;          /* tag 0x8825 GPS IFD pointer */
  ifd0[16] = 4;                              /* LONG */
  ifd0[18] = 1;
  memcpy (ifd0 + 22, &(guint32) { GUINT32_TO_LE (gps_offset) }, 4);

  /* GPS IFD: 2 entries */
  gps[0] = 2;
  gps[2] = 0x01;                             /* GPSLatitudeRef */
  gps[4] = 2;                                /* ASCII */
  gps[6] = 2;                                /* "N\0" */
  gps[10] = 'N';
  gps[14] = 0x02;                            /* GPSLatitude */
  gps[16] = 5;                               /* RATIONAL */
  gps[18] = 3;
  memcpy (gps + 22, &(guint32) { GUINT32_TO_LE (rational_offset) }, 4);

  for (int i = 0; i < 6; i++)
    memcpy (rationals + 4 * i, &(guint32) { GUINT32_TO_LE (values[i]) }, 4);

  g_byte_array_append (tiff, header, sizeof header);
  g_byte_array_append (tiff, ifd0, sizeof ifd0);
  g_byte_array_append (tiff, gps, sizeof gps);
  g_byte_array_append (tiff, rationals, sizeof rationals);
  return g_byte_array_free_to_bytes (tiff);
}

/* @jpeg with an APP1 "Exif\0\0" segment holding @tiff inserted right after SOI. */
static GBytes *
insert_exif (GBytes *jpeg,
             GBytes *tiff)
{
  GByteArray *out = g_byte_array_new ();
  gsize jpeg_len, tiff_len;
  const guint8 *jpeg_data = g_bytes_get_data (jpeg, &jpeg_len);
  const guint8 *tiff_data = g_bytes_get_data (tiff, &tiff_len);
  guint8 app1[4];

  app1[0] = 0xFF;
  app1[1] = 0xE1;
  put_be16 (app1 + 2, (guint) (2 + 6 + tiff_len));

  g_byte_array_append (out, jpeg_data, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, tiff_data, (guint) tiff_len);
  g_byte_array_append (out, jpeg_data + 2, (guint) (jpeg_len - 2));
  return g_byte_array_free_to_bytes (out);
}

/* Stored 64 wide × 32 high: the top half red, the bottom half blue. */
static GBytes *
make_red_over_blue_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 32);
  g_autoptr(GdkPixbuf) bottom = NULL;

  gdk_pixbuf_fill (pixbuf, 0xFF0000FF);
  bottom = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 16, 64, 16);
  gdk_pixbuf_fill (bottom, 0x0000FFFF);
  return encode (pixbuf, "jpeg");
}

static void
assert_pixel_near (GdkPixbuf *pixbuf,
                   int        x,
                   int        y,
                   guint8     r,
                   guint8     g,
                   guint8     b)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
                    + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  assert_true (ABS (p[0] - r) < 40);
  assert_true (ABS (p[1] - g) < 40);
  assert_true (ABS (p[2] - b) < 40);
}

static void
test_exif_orientation_applied_and_metadata_stripped (void **state)
{
  g_autoptr(GBytes) plain = make_red_over_blue_jpeg ();
  g_autoptr(GBytes) tiff = make_exif_tiff (6);
  g_autoptr(GBytes) input = insert_exif (plain, tiff);
  g_autoptr(GdkPixbuf) check = decode_bytes (input);
  g_autoptr(PayamPhoto) photo = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 latitude_seconds[] = { 0x29, 0x09, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00 };
  gsize len;
  const guint8 *data;

  /* The input really carries the tag and the GPS data. */
  assert_string_equal (gdk_pixbuf_get_option (check, "orientation"), "6");
  assert_true (bytes_contain (input, "Exif", 4));
  assert_true (bytes_contain (input, latitude_seconds, sizeof latitude_seconds));

  photo = payam_photo_import_bytes (input, &error);
  assert_null (error);
  assert_non_null (photo);

  /* Orientation 6 is a 90° clockwise turn: 64×32 becomes 32×64 and the top (red) half of
   * the stored image becomes the right half. */
  assert_int_equal (photo->width, 32);
  assert_int_equal (photo->height, 64);
  image = decode_bytes (photo->bytes);
  assert_int_equal (gdk_pixbuf_get_width (image), 32);
  assert_int_equal (gdk_pixbuf_get_height (image), 64);
  assert_pixel_near (image, 28, 32, 0xFF, 0, 0);
  assert_pixel_near (image, 3, 32, 0, 0, 0xFF);
  assert_null (gdk_pixbuf_get_option (image, "orientation"));

  /* No EXIF, no TIFF block, no GPS value, no APP1 segment in the photo or the thumbnail. */
  data = g_bytes_get_data (photo->bytes, &len);
  assert_int_equal (jpeg_find_segment (data, len, 0xE1), -1);
  assert_false (bytes_contain (photo->bytes, "Exif", 4));
  assert_false (bytes_contain (photo->bytes, "II*\0", 4));
  assert_false (bytes_contain (photo->bytes, latitude_seconds, sizeof latitude_seconds));
  data = g_bytes_get_data (photo->thumbnail, &len);
  assert_int_equal (jpeg_find_segment (data, len, 0xE1), -1);
  assert_false (bytes_contain (photo->thumbnail, "Exif", 4));
}

static void
test_png_text_and_jpeg_comment_are_dropped (void **state)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (120, 90, ALPHA_TRANSPARENT);
  g_autoptr(GBytes) jpeg = make_image (120, 90, ALPHA_NONE, "jpeg");
  g_autoptr(GByteArray) commented = g_byte_array_new ();
  g_autoptr(GBytes) jpeg_in = NULL;
  g_autoptr(PayamPhoto) from_png = NULL;
  g_autoptr(PayamPhoto) from_jpeg = NULL;
  static const char comment[] = "Location 35.7 51.4";
  guint8 com[4] = { 0xFF, 0xFE, 0, 0 };
  gchar *buffer = NULL;
  gsize size = 0;
  g_autoptr(GBytes) png_in = NULL;

  /* A PNG with a tEXt chunk (kept in the transparent case, so the output is PNG too). */
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL,
                                          "tEXt::Location", "35.7 51.4", NULL));
  png_in = g_bytes_new_take (buffer, size);
  assert_true (bytes_contain (png_in, "35.7 51.4", 9));
  from_png = payam_photo_import_bytes (png_in, NULL);
  assert_non_null (from_png);
  assert_string_equal (from_png->mime, "image/png");
  assert_false (bytes_contain (from_png->bytes, "tEXt", 4));
  assert_false (bytes_contain (from_png->bytes, "35.7 51.4", 9));

  /* A JPEG with a COM segment after SOI. */
  put_be16 (com + 2, 2 + sizeof comment);
  g_byte_array_append (commented, g_bytes_get_data (jpeg, NULL), 2);
  g_byte_array_append (commented, com, sizeof com);
  g_byte_array_append (commented, (const guint8 *) comment, sizeof comment);
  g_byte_array_append (commented, (const guint8 *) g_bytes_get_data (jpeg, NULL) + 2,
                       (guint) g_bytes_get_size (jpeg) - 2);
  jpeg_in = g_byte_array_free_to_bytes (g_steal_pointer (&commented));
  from_jpeg = payam_photo_import_bytes (jpeg_in, NULL);
  assert_non_null (from_jpeg);
  assert_false (bytes_contain (from_jpeg->bytes, comment, sizeof comment - 1));
  assert_int_equal (jpeg_find_segment (g_bytes_get_data (from_jpeg->bytes, NULL),
                                       g_bytes_get_size (from_jpeg->bytes), 0xFE), -1);
}

/* ---------- hand-built PNGs (interlacing, short data) ---------- */

static guint8
test_pixel (int x,
            int y,
            int channel)
{
  switch (channel)
    {
    case 0: return (guint8) (x * 5);
    case 1: return (guint8) (y * 7);
    default: return (guint8) (x * y);
    }
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  guint8 be[4];
  gsize start;

  put_be32 (be, (guint32) len);
  g_byte_array_append (png, be, 4);
  start = png->len;
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (png, data, (guint) len);
  put_be32 (be, crc32_of (png->data + start, len + 4));
  g_byte_array_append (png, be, 4);
}

static GBytes *
zlib_compress (const guint8 *data,
               gsize         len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
                                                                 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory,
                                                                G_CONVERTER (compressor));

  assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
  assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* An 8-bit RGB PNG of test_pixel(), Adam7-interlaced or not, whose zlib stream is complete
 * but holds only @raw_percent % of the filtered scanlines (100 for a valid file). */
static GBytes *
build_png (int      width,
           int      height,
           gboolean interlaced,
           int      raw_percent)
{
  static const int x0[7] = { 0, 4, 0, 2, 0, 1, 0 };
  static const int y0[7] = { 0, 0, 4, 0, 2, 0, 1 };
  static const int dx[7] = { 8, 8, 4, 4, 2, 2, 1 };
  static const int dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GBytes) idat = NULL;
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13] = { 0 };
  int passes = interlaced ? 7 : 1;

  for (int pass = 0; pass < passes; pass++)
    {
      int px0 = interlaced ? x0[pass] : 0, py0 = interlaced ? y0[pass] : 0;
      int pdx = interlaced ? dx[pass] : 1, pdy = interlaced ? dy[pass] : 1;

      if (px0 >= width || py0 >= height)
        continue;
      for (int y = py0; y < height; y += pdy)
        {
          guint8 filter = 0;

          g_byte_array_append (raw, &filter, 1);
          for (int x = px0; x < width; x += pdx)
            for (int c = 0; c < 3; c++)
              {
                guint8 v = test_pixel (x, y, c);

                g_byte_array_append (raw, &v, 1);
              }
        }
    }
  idat = zlib_compress (raw->data, (gsize) raw->len * raw_percent / 100);

  put_be32 (ihdr, (guint32) width);
  put_be32 (ihdr + 4, (guint32) height);
  ihdr[8] = 8;                  /* bit depth */
  ihdr[9] = 2;                  /* RGB */
  ihdr[12] = interlaced ? 1 : 0;
  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1A\n", 8);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", g_bytes_get_data (idat, NULL), g_bytes_get_size (idat));
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static void
test_interlaced_png_gives_same_photo_as_plain_png (void **state)
{
  g_autoptr(GBytes) plain = build_png (37, 29, FALSE, 100);
  g_autoptr(GBytes) interlaced = build_png (37, 29, TRUE, 100);
  g_autoptr(PayamPhoto) from_plain = NULL;
  g_autoptr(PayamPhoto) from_interlaced = NULL;
  g_autoptr(GdkPixbuf) check = decode_bytes (interlaced);
  g_autoptr(GError) error = NULL;
  const guint8 *px = gdk_pixbuf_read_pixels (check);
  int rowstride = gdk_pixbuf_get_rowstride (check);

  /* The hand-built file is what it claims: pixel (36, 28) decodes to test_pixel(). */
  px += 28 * rowstride + 36 * 3;
  assert_int_equal (px[0], test_pixel (36, 28, 0));
  assert_int_equal (px[1], test_pixel (36, 28, 1));
  assert_int_equal (px[2], test_pixel (36, 28, 2));

  from_plain = payam_photo_import_bytes (plain, &error);
  assert_null (error);
  from_interlaced = payam_photo_import_bytes (interlaced, &error);
  assert_null (error);
  assert_non_null (from_plain);
  assert_non_null (from_interlaced);
  assert_int_equal (from_interlaced->width, 37);
  assert_int_equal (from_interlaced->height, 29);
  assert_string_equal (from_interlaced->sha256, from_plain->sha256);
}

/* ---------- rejected inputs ---------- */

static GBytes *
make_gif (void)
{
  /* A complete 1×1 GIF89a. */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
  };

  return g_bytes_new (gif, sizeof gif);
}

static GBytes *
make_bmp (void)
{
  return make_image (16, 16, ALPHA_NONE, "bmp");
}

static GBytes *
make_text (void)
{
  return g_bytes_new_static ("this is not a photo\n", 20);
}

static GBytes *
make_empty (void)
{
  return g_bytes_new (NULL, 0);
}

static GBytes *
make_webp_header (void)
{
  return g_bytes_new_static ("RIFF\x24\0\0\0WEBPVP8 ", 16);
}

static GBytes *
cut (GBytes *whole,
     gsize   keep)
{
  g_autoptr(GBytes) owned = whole;

  assert_true (keep < g_bytes_get_size (owned));
  return g_bytes_new_from_bytes (owned, 0, keep);
}

static GBytes *
make_truncated_jpeg (void)
{
  GBytes *jpeg = make_image (400, 300, ALPHA_NONE, "jpeg");

  return cut (jpeg, g_bytes_get_size (jpeg) / 2);
}

static GBytes *
make_jpeg_without_eoi (void)
{
  GBytes *jpeg = make_image (400, 300, ALPHA_NONE, "jpeg");

  return cut (jpeg, g_bytes_get_size (jpeg) - 2);
}

static GBytes *
make_truncated_png (void)
{
  GBytes *png = make_image (400, 300, ALPHA_NONE, "png");

  return cut (png, g_bytes_get_size (png) / 2);
}

static GBytes *
make_png_without_iend (void)
{
  GBytes *png = make_image (400, 300, ALPHA_NONE, "png");

  return cut (png, g_bytes_get_size (png) - 12);
}

/* A complete PNG whose first IDAT byte is flipped: the CRC no longer matches. */
static GBytes *
make_png_with_bad_crc (void)
{
  g_autoptr(GBytes) png = make_image (64, 64, ALPHA_NONE, "png");
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (png), &len);
  gsize pos = 8;

  while (pos + 8 <= len && memcmp (data + pos, "IDAT", 4) != 0)
    pos++;
  assert_true (pos + 8 <= len);
  data[pos + 4] ^= 0x5A;
  return g_bytes_new_take (data, len);
}

static GBytes *
make_png_with_short_data (void)
{
  return build_png (120, 80, FALSE, 99);
}

static GBytes *
make_interlaced_png_with_short_data (void)
{
  /* Every row has been seen in the early passes; only the last pass is short. */
  return build_png (120, 80, TRUE, 99);
}

static GBytes *
make_jpeg_claiming_zero_size (void)
{
  return jpeg_with_claimed_size (0, 0);
}

static GBytes *
make_jpeg_magic_only (void)
{
  return g_bytes_new_static ("\xFF\xD8\xFF", 3);
}

static GBytes *
make_png_signature_only (void)
{
  return g_bytes_new_static ("\x89PNG\r\n\x1A\n", 8);
}

typedef struct {
  const char      *name;
  GBytes        *(*make) (void);
  PayamPhotoError  code;
} RejectCase;

static const RejectCase reject_cases[] = {
  { "gif", make_gif, PAYAM_PHOTO_ERROR_FORMAT },
  { "bmp", make_bmp, PAYAM_PHOTO_ERROR_FORMAT },
  { "text file", make_text, PAYAM_PHOTO_ERROR_FORMAT },
  { "empty file", make_empty, PAYAM_PHOTO_ERROR_FORMAT },
  { "webp header", make_webp_header, PAYAM_PHOTO_ERROR_FORMAT },
  { "jpeg cut in half", make_truncated_jpeg, PAYAM_PHOTO_ERROR_CORRUPT },
  { "jpeg without EOI", make_jpeg_without_eoi, PAYAM_PHOTO_ERROR_CORRUPT },
  { "jpeg magic only", make_jpeg_magic_only, PAYAM_PHOTO_ERROR_CORRUPT },
  { "jpeg claiming 0x0", make_jpeg_claiming_zero_size, PAYAM_PHOTO_ERROR_CORRUPT },
  { "png cut in half", make_truncated_png, PAYAM_PHOTO_ERROR_CORRUPT },
  { "png without IEND", make_png_without_iend, PAYAM_PHOTO_ERROR_CORRUPT },
  { "png signature only", make_png_signature_only, PAYAM_PHOTO_ERROR_CORRUPT },
  { "png with a bad IDAT crc", make_png_with_bad_crc, PAYAM_PHOTO_ERROR_CORRUPT },
  { "png whose data ends early", make_png_with_short_data, PAYAM_PHOTO_ERROR_CORRUPT },
  { "interlaced png whose data ends early", make_interlaced_png_with_short_data,
    PAYAM_PHOTO_ERROR_CORRUPT },
};

static void
test_rejects_wrong_format_and_damaged_files (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_autoptr(GBytes) input = reject_cases[i].make ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamPhoto) photo = NULL;

      print_message ("# case: %s\n", reject_cases[i].name);
      photo = payam_photo_import_bytes (input, &error);
      assert_null (photo);
      assert_photo_error (error, reject_cases[i].code);
    }
}

/* Deterministic mutations of small valid files: every result is a photo or a photo error,
 * never a crash, a sanitizer report or a GLib warning (fatal in this suite). */
static void
test_mutated_inputs_fail_cleanly (void **state)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (137);
  GBytes *seeds[3] = {
    make_image (40, 30, ALPHA_NONE, "jpeg"),
    make_image (40, 30, ALPHA_TRANSPARENT, "png"),
    build_png (23, 17, TRUE, 100),
  };
  guint accepted = 0, rejected = 0;

  for (int i = 0; i < 600; i++)
    {
      GBytes *seed = seeds[i % G_N_ELEMENTS (seeds)];
      gsize len = g_bytes_get_size (seed);
      guint8 *data = g_memdup2 (g_bytes_get_data (seed, NULL), len);
      g_autoptr(GBytes) input = NULL;
      g_autoptr(PayamPhoto) photo = NULL;
      g_autoptr(GError) error = NULL;
      int mutations = g_rand_int_range (rand, 1, 6);

      for (int m = 0; m < mutations; m++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len);

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: data[at] = (guint8) g_rand_int (rand); break;
            case 1: data[at] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8)); break;
            case 2: data[at] = 0xFF; break;
            default: len = MAX (at, 4); break;
            }
        }
      input = g_bytes_new_take (data, len);
      photo = payam_photo_import_bytes (input, &error);
      if (photo != NULL)
        {
          assert_null (error);
          assert_true (photo->width > 0 && photo->height > 0);
          accepted++;
        }
      else
        {
          assert_non_null (error);
          assert_int_equal (error->domain, PAYAM_PHOTO_ERROR);
          rejected++;
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_bytes_unref (seeds[i]);

  /* Both outcomes happen: the mutations reach the decoders, not only the sniffing. */
  print_message ("# %u accepted, %u rejected\n", accepted, rejected);
  assert_true (accepted > 0);
  assert_true (rejected > 0);
}

/* ---------- files ---------- */

static int
setup_tmpdir (void **state)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("payam-photo-XXXXXX", &error);

  assert_non_null (dir);
  *state = dir;
  return 0;
}

static int
teardown_tmpdir (void **state)
{
  g_autofree char *dir = *state;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
  return 0;
}

static char *
write_file (const char *dir,
            const char *name,
            GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  assert_true (g_file_set_contents (path, g_bytes_get_data (contents, NULL),
                                    (gssize) g_bytes_get_size (contents), &error));
  return path;
}

static void
test_file_import_matches_bytes_import_whatever_the_name (void **state)
{
  const char *dir = *state;
  g_autoptr(GBytes) jpeg = make_image (500, 400, ALPHA_NONE, "jpeg");
  /* A JPEG named .png: the bytes decide, not the name. */
  g_autofree char *path = write_file (dir, "photo.png", jpeg);
  g_autoptr(PayamPhoto) from_file = NULL;
  g_autoptr(PayamPhoto) from_bytes = payam_photo_import_bytes (jpeg, NULL);
  g_autoptr(GError) error = NULL;

  from_file = payam_photo_import_file (path, &error);
  assert_null (error);
  assert_non_null (from_file);
  assert_non_null (from_bytes);
  assert_string_equal (from_file->mime, "image/jpeg");
  assert_string_equal (from_file->sha256, from_bytes->sha256);
  assert_int_equal (from_file->width, 500);
  assert_int_equal (from_file->height, 400);
}

static void
test_file_over_20_mb_is_too_large (void **state)
{
  const char *dir = *state;
  gsize len = (gsize) PAYAM_PHOTO_MAX_BYTES + 1;
  guint8 *data = g_malloc0 (len);
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (data, "\xFF\xD8\xFF", 3);
  contents = g_bytes_new_take (data, len);
  path = write_file (dir, "big.jpg", contents);

  assert_null (payam_photo_import_file (path, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_TOO_LARGE);
}

static void
test_file_without_size_is_read_up_to_the_cap (void **state)
{
  g_autoptr(GError) error = NULL;

  /* A character device reports no size and never ends: only the read cap stops it. */
  if (!g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    skip ();
  assert_null (payam_photo_import_file ("/dev/zero", &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_TOO_LARGE);
}

static void
test_file_missing_or_directory_is_io_error (void **state)
{
  const char *dir = *state;
  g_autofree char *missing = g_build_filename (dir, "no-such-photo.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) dir_error = NULL;

  assert_null (payam_photo_import_file (missing, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_IO);
  assert_non_null (strstr (error->message, "no-such-photo.jpg"));

  assert_null (payam_photo_import_file (dir, &dir_error));
  assert_photo_error (dir_error, PAYAM_PHOTO_ERROR_IO);
}

static void
test_file_empty_is_rejected (void **state)
{
  const char *dir = *state;
  g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);
  g_autofree char *path = write_file (dir, "empty.jpg", nothing);
  g_autoptr(GError) error = NULL;

  assert_null (payam_photo_import_file (path, &error));
  assert_photo_error (error, PAYAM_PHOTO_ERROR_FORMAT);
}

/* ---------- copy and free ---------- */

static void
test_copy_is_equal_and_independent (void **state)
{
  g_autoptr(GBytes) input = make_image (320, 200, ALPHA_NONE, "jpeg");
  PayamPhoto *photo = payam_photo_import_bytes (input, NULL);
  g_autoptr(PayamPhoto) copy = NULL;
  g_autofree char *sha = NULL;

  assert_non_null (photo);
  copy = payam_photo_copy (photo);
  assert_non_null (copy);
  assert_ptr_not_equal (copy->sha256, photo->sha256);
  assert_string_equal (copy->sha256, photo->sha256);
  assert_string_equal (copy->mime, photo->mime);
  assert_int_equal (copy->width, photo->width);
  assert_int_equal (copy->height, photo->height);
  assert_true (g_bytes_equal (copy->bytes, photo->bytes));
  assert_true (g_bytes_equal (copy->thumbnail, photo->thumbnail));

  /* The copy outlives the original (AddressSanitizer checks the reads). */
  payam_photo_free (photo);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, copy->bytes);
  assert_string_equal (copy->sha256, sha);
  assert_true (g_bytes_get_size (copy->thumbnail) > 0);

  assert_null (payam_photo_copy (NULL));
  payam_photo_free (NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    /* First: it measures the process's memory high-water mark. */
    cmocka_unit_test (test_huge_jpeg_header_rejected_before_decoding),
    cmocka_unit_test (test_header_under_pixel_limit_with_short_data_is_corrupt),
    cmocka_unit_test (test_buffer_over_20_mb_is_too_large),
    cmocka_unit_test (test_import_dimensions_mime_and_thumbnail),
    cmocka_unit_test (test_same_input_gives_same_sha256),
    cmocka_unit_test (test_transparent_png_thumbnail_is_flattened_on_white),
    cmocka_unit_test (test_jpeg_with_trailer_after_eoi_is_accepted),
    cmocka_unit_test (test_exif_orientation_applied_and_metadata_stripped),
    cmocka_unit_test (test_png_text_and_jpeg_comment_are_dropped),
    cmocka_unit_test (test_interlaced_png_gives_same_photo_as_plain_png),
    cmocka_unit_test (test_rejects_wrong_format_and_damaged_files),
    cmocka_unit_test (test_mutated_inputs_fail_cleanly),
    cmocka_unit_test_setup_teardown (test_file_import_matches_bytes_import_whatever_the_name,
                                     setup_tmpdir, teardown_tmpdir),
    cmocka_unit_test_setup_teardown (test_file_over_20_mb_is_too_large,
                                     setup_tmpdir, teardown_tmpdir),
    cmocka_unit_test (test_file_without_size_is_read_up_to_the_cap),
    cmocka_unit_test_setup_teardown (test_file_missing_or_directory_is_io_error,
                                     setup_tmpdir, teardown_tmpdir),
    cmocka_unit_test_setup_teardown (test_file_empty_is_rejected,
                                     setup_tmpdir, teardown_tmpdir),
    cmocka_unit_test (test_copy_is_equal_and_independent),
  };

  return cmocka_run_group_tests_name ("photo", tests, NULL, NULL);
}
