/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Photo import: sniff, limits, truncation checks, decode, orient, scale, re-encode, SHA-256. */
#define G_LOG_DOMAIN "payam-photo"
#include "config.h"

#include "payam-photo.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-format.h"
#include "payam-text.h"

G_DEFINE_QUARK (payam-photo-error-quark, payam_photo_error)

/* JPEG quality of the re-encoded photo and of its thumbnail. */
#define PHOTO_JPEG_QUALITY "85"

/* Bytes read from a file per step; the last step is cut to the size cap. */
#define PHOTO_READ_STEP (1024 * 1024)

typedef enum {
  PHOTO_KIND_JPEG,
  PHOTO_KIND_PNG,
} PhotoKind;

static const guint8 jpeg_magic[] = { 0xFF, 0xD8, 0xFF };
static const guint8 png_magic[] = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

static void
set_corrupt_error (GError **error)
{
  g_set_error_literal (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_CORRUPT,
                       _("The photo file is damaged or incomplete. "
                         "Copy it again or take a new photo."));
}

static void
set_too_many_pixels_error (GError **error)
{
  g_autofree char *limit = payam_format_integer (PAYAM_PHOTO_MAX_PIXELS / 1000000);

  g_set_error (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_TOO_MANY_PIXELS,
               /* Translators: %s is the limit in megapixels, already formatted (50). */
               _("The photo has more than %s megapixels. "
                 "Take it again at a lower resolution."),
               limit);
}

static void
set_too_large_error (GError **error)
{
  g_autofree char *limit = payam_format_integer (PAYAM_PHOTO_MAX_BYTES / (1024 * 1024));

  g_set_error (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_TOO_LARGE,
               /* Translators: %s is the limit in megabytes, already formatted (20). */
               _("The photo is larger than %s MB. Take it again at a lower "
                 "resolution or choose a smaller photo."),
               limit);
}

/* Walk the JPEG segments of @data (which starts with SOI) up to EOI: segment payloads are
 * skipped by their length, entropy-coded data byte by byte (FF 00 is a stuffed byte, FF D0–D7
 * a restart marker). Returns the offset just past EOI, so that bytes after it (a phone's
 * trailer) are not fed to the decoder, or 0 when the data ends first: a truncated file, which
 * libjpeg would otherwise decode "successfully" with a grey bottom. */
static gsize
jpeg_stream_length (const guint8 *data,
                    gsize         len)
{
  gsize pos = 2;

  while (pos < len)
    {
      guint8 marker;
      gsize seglen;

      /* Stray bytes between segments: skip them as libjpeg does. */
      if (data[pos] != 0xFF)
        {
          pos++;
          continue;
        }
      while (pos < len && data[pos] == 0xFF)
        pos++;
      if (pos >= len)
        return 0;
      marker = data[pos++];

      if (marker == 0xD9)
        return pos;
      if (marker == 0x00 || marker == 0x01 || marker == 0xD8
          || (marker >= 0xD0 && marker <= 0xD7))
        continue;

      if (len - pos < 2)
        return 0;
      seglen = ((gsize) data[pos] << 8) | data[pos + 1];
      if (seglen < 2 || seglen > len - pos)
        return 0;
      pos += seglen;

      if (marker != 0xDA)
        continue;

      /* Entropy-coded data after SOS runs to the next marker that is not RSTn. */
      while (pos < len)
        {
          gsize next;

          if (data[pos] != 0xFF)
            {
              pos++;
              continue;
            }
          next = pos + 1;
          while (next < len && data[next] == 0xFF)
            next++;
          if (next >= len)
            return 0;
          if (data[next] == 0x00 || (data[next] >= 0xD0 && data[next] <= 0xD7))
            {
              pos = next + 1;
              continue;
            }
          pos = next - 1;
          break;
        }
    }

  return 0;
}

/* Walk the PNG chunks of @data (which starts with the signature) up to IEND. Returns the
 * offset just past IEND's CRC, or 0 when the data ends first (a truncated file) or a chunk
 * length is impossible. CRCs are left to libpng. */
static gsize
png_stream_length (const guint8 *data,
                   gsize         len)
{
  gsize pos = sizeof png_magic;

  while (len - pos >= 12)
    {
      guint32 chunk_len;
      gboolean is_end;

      memcpy (&chunk_len, data + pos, sizeof chunk_len);
      chunk_len = GUINT32_FROM_BE (chunk_len);
      if (chunk_len > G_MAXINT32 || chunk_len > len - pos - 12)
        return 0;
      is_end = memcmp (data + pos + 4, "IEND", 4) == 0;
      pos += 12 + (gsize) chunk_len;
      if (is_end)
        return pos;
    }

  return 0;
}

/* Bytes of filtered scanlines (one filter byte per row) that the zlib stream of a complete
 * PNG with this header inflates to, Adam7 passes included; 0 for an invalid header. */
static guint64
png_raw_size (guint32 width,
              guint32 height,
              guint8  bit_depth,
              guint8  color_type,
              guint8  interlace)
{
  static const guint8 x0[7] = { 0, 4, 0, 2, 0, 1, 0 };
  static const guint8 y0[7] = { 0, 0, 4, 0, 2, 0, 1 };
  static const guint8 dx[7] = { 8, 8, 4, 4, 2, 2, 1 };
  static const guint8 dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
  guint64 bits, total = 0;

  switch (color_type)
    {
    case 0: bits = bit_depth; break;      /* grey */
    case 2: bits = bit_depth * 3; break;  /* RGB */
    case 3: bits = bit_depth; break;      /* palette */
    case 4: bits = bit_depth * 2; break;  /* grey + alpha */
    case 6: bits = bit_depth * 4; break;  /* RGBA */
    default: return 0;
    }

  if (interlace == 0)
    return (guint64) height * (1 + ((guint64) width * bits + 7) / 8);

  for (int pass = 0; pass < 7; pass++)
    {
      guint64 pass_width = width > x0[pass] ? (width - x0[pass] + dx[pass] - 1) / dx[pass] : 0;
      guint64 pass_height = height > y0[pass] ? (height - y0[pass] + dy[pass] - 1) / dy[pass] : 0;

      if (pass_width > 0 && pass_height > 0)
        total += pass_height * (1 + (pass_width * bits + 7) / 8);
    }
  return total;
}

/* Whether the IDAT data of a structurally valid PNG (png_stream_length() > 0) inflates to
 * every scanline its IHDR promises. libpng and gdk-pixbuf accept a short stream that ends
 * cleanly and leave the missing rows unwritten; call it after the pixel limit is checked,
 * since the work is bounded by the image size. */
static gboolean
png_data_complete (const guint8 *data,
                   gsize         len)
{
  g_autoptr(GZlibDecompressor) inflater = NULL;
  g_autofree guint8 *sink = NULL;
  const gsize sink_size = 64 * 1024;
  gsize pos = sizeof png_magic;
  guint64 expected, produced = 0;
  guint32 width, height;

  if (len - pos < 8 + 13 || memcmp (data + pos + 4, "IHDR", 4) != 0)
    return FALSE;
  memcpy (&width, data + pos + 8, 4);
  memcpy (&height, data + pos + 12, 4);
  expected = png_raw_size (GUINT32_FROM_BE (width), GUINT32_FROM_BE (height),
                           data[pos + 16], data[pos + 17], data[pos + 20]);
  if (expected == 0)
    return FALSE;

  inflater = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  sink = g_malloc (sink_size);

  while (len - pos >= 12 && produced < expected)
    {
      const guint8 *type = data + pos + 4;
      const guint8 *in = data + pos + 8;
      guint32 chunk_len;
      gsize in_left;

      memcpy (&chunk_len, data + pos, 4);
      chunk_len = GUINT32_FROM_BE (chunk_len);
      if (memcmp (type, "IEND", 4) == 0)
        break;
      in_left = chunk_len;
      pos += 12 + (gsize) chunk_len;
      if (memcmp (type, "IDAT", 4) != 0)
        continue;

      while (produced < expected)
        {
          g_autoptr(GError) local_error = NULL;
          gsize read = 0, written = 0;
          GConverterResult result;

          result = g_converter_convert (G_CONVERTER (inflater), in, in_left, sink, sink_size,
                                        G_CONVERTER_NO_FLAGS, &read, &written, &local_error);
          if (result == G_CONVERTER_ERROR)
            {
              /* Needs the next IDAT chunk; anything else is broken data. */
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
                break;
              g_debug ("PNG data: %s", local_error->message);
              return FALSE;
            }
          in += read;
          in_left -= read;
          produced += written;
          if (result == G_CONVERTER_FINISHED)
            return produced >= expected;
        }
    }

  return produced >= expected;
}

typedef struct {
  gboolean too_many_pixels;
  int      rows_written;  /* bottom of the lowest area the loader reported as decoded */
} DecodeState;

/* "size-prepared": the header has been parsed and nothing is allocated yet. Asking for a 0×0
 * image makes the JPEG and PNG loaders stop with an error instead of allocating the pixels
 * of a hostile header. */
static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  DecodeState *state = user_data;

  if ((gint64) width * (gint64) height > PAYAM_PHOTO_MAX_PIXELS)
    {
      state->too_many_pixels = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* "area-prepared": the loaders allocate the pixels without clearing them. Clear them, so
 * that rows a damaged file never fills cannot carry old heap contents into a stored photo. */
static void
on_area_prepared (GdkPixbufLoader *loader,
                  gpointer         user_data)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);

  if (pixbuf != NULL)
    gdk_pixbuf_fill (pixbuf, 0);
}

static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  DecodeState *state = user_data;

  state->rows_written = MAX (state->rows_written, y + height);
}

/* Decode @len bytes of @data as @kind. Returns a new pixbuf, or NULL with
 * PAYAM_PHOTO_ERROR_TOO_MANY_PIXELS (checked before the pixels are allocated) or
 * PAYAM_PHOTO_ERROR_CORRUPT (a loader error, or an image whose rows were not all decoded). */
static GdkPixbuf *
decode (const guint8  *data,
        gsize          len,
        PhotoKind      kind,
        GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  DecodeState state = { FALSE, 0 };
  GdkPixbuf *pixbuf;
  gboolean ok;

  loader = gdk_pixbuf_loader_new_with_type (kind == PHOTO_KIND_JPEG ? "jpeg" : "png",
                                            &local_error);
  if (loader == NULL)
    {
      g_debug ("No loader: %s", local_error->message);
      set_corrupt_error (error);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &state);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), &state);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &state);

  /* A failed write closes the loader itself; closing it again would be a critical. */
  ok = gdk_pixbuf_loader_write (loader, data, len, &local_error);
  if (ok)
    ok = gdk_pixbuf_loader_close (loader, &local_error);

  if (state.too_many_pixels)
    {
      set_too_many_pixels_error (error);
      return NULL;
    }
  if (!ok || (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_debug ("Decoding failed: %s", local_error ? local_error->message : "no image");
      set_corrupt_error (error);
      return NULL;
    }
  if (state.rows_written < gdk_pixbuf_get_height (pixbuf))
    {
      g_debug ("Partial image: %d of %d rows decoded", state.rows_written,
               gdk_pixbuf_get_height (pixbuf));
      set_corrupt_error (error);
      return NULL;
    }
  /* An interlaced PNG reports every row after its first passes: count the data instead. */
  if (kind == PHOTO_KIND_PNG && !png_data_complete (data, len))
    {
      g_debug ("Partial image: the PNG data ends before the last scanline");
      set_corrupt_error (error);
      return NULL;
    }

  return g_object_ref (pixbuf);
}

/* Whether any pixel of @pixbuf is not fully opaque. */
static gboolean
has_transparency (GdkPixbuf *pixbuf)
{
  const guint8 *pixels;
  int width, height, rowstride;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return FALSE;

  g_assert (gdk_pixbuf_get_n_channels (pixbuf) == 4);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = pixels + (gsize) y * (gsize) rowstride;

      for (int x = 0; x < width; x++)
        if (row[x * 4 + 3] != 0xFF)
          return TRUE;
    }

  return FALSE;
}

/* The size that fits @width × @height into a @side × @side square with the same aspect,
 * rounded, never larger than the original and never below 1 px. */
static void
fit_long_side (int  width,
               int  height,
               int  side,
               int *out_width,
               int *out_height)
{
  gint64 long_side = MAX (width, height);

  if (long_side <= side)
    {
      *out_width = width;
      *out_height = height;
      return;
    }

  *out_width = (int) MAX (1, ((gint64) width * side + long_side / 2) / long_side);
  *out_height = (int) MAX (1, ((gint64) height * side + long_side / 2) / long_side);
}

/* A JPEG thumbnail of @image, long side at most PAYAM_PHOTO_THUMB_SIDE, with any
 * transparency flattened on white. Returns NULL with CORRUPT on failure (out of memory). */
static GBytes *
make_thumbnail (GdkPixbuf  *image,
                GError    **error)
{
  g_autoptr(GdkPixbuf) thumb = NULL;
  g_autoptr(GError) local_error = NULL;
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  int thumb_width, thumb_height;
  gchar *buffer = NULL;
  gsize size = 0;

  fit_long_side (width, height, PAYAM_PHOTO_THUMB_SIDE, &thumb_width, &thumb_height);
  thumb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, thumb_width, thumb_height);
  if (thumb == NULL)
    {
      set_corrupt_error (error);
      return NULL;
    }
  gdk_pixbuf_fill (thumb, 0xFFFFFFFF);
  gdk_pixbuf_composite (image, thumb, 0, 0, thumb_width, thumb_height, 0.0, 0.0,
                        (double) thumb_width / width, (double) thumb_height / height,
                        GDK_INTERP_BILINEAR, 255);

  if (!gdk_pixbuf_save_to_buffer (thumb, &buffer, &size, "jpeg", &local_error,
                                  "quality", PHOTO_JPEG_QUALITY, NULL))
    {
      g_debug ("Thumbnail encoding failed: %s", local_error->message);
      set_corrupt_error (error);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}

/**
 * payam_photo_import_bytes:
 * @data: the file's bytes, as received
 * @error: return location for a #PAYAM_PHOTO_ERROR
 *
 * Checks the size, the format by magic bytes and the structure (JPEG up to EOI, PNG up to
 * IEND), decodes with a pixel limit checked before allocation, applies the EXIF orientation,
 * scales the long side to at most %PAYAM_PHOTO_MAX_SIDE and re-encodes: JPEG quality 85, or
 * PNG when some pixel is transparent. The re-encoding carries no metadata (no EXIF, no GPS)
 * and is deterministic, so the same input always gives the same sha256.
 *
 * Returns: (transfer full) (nullable): a new #PayamPhoto, or %NULL with a translated error
 *   that says what to fix.
 */
PayamPhoto *
payam_photo_import_bytes (GBytes  *data,
                          GError **error)
{
  g_autoptr(PayamPhoto) photo = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *bytes;
  gsize len, stream_len;
  PhotoKind kind;
  gboolean transparent;
  int width, height, out_width, out_height;
  gchar *buffer = NULL;
  gsize size = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &len);

  /* Cheapest checks first: nothing is decoded for an oversized or unknown file. */
  if (len > PAYAM_PHOTO_MAX_BYTES)
    {
      set_too_large_error (error);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error_literal (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_FORMAT,
                           _("The photo file is empty. "
                             "Choose the photo again or take a new one."));
      return NULL;
    }

  if (len >= sizeof png_magic && memcmp (bytes, png_magic, sizeof png_magic) == 0)
    kind = PHOTO_KIND_PNG;
  else if (len >= sizeof jpeg_magic && memcmp (bytes, jpeg_magic, sizeof jpeg_magic) == 0)
    kind = PHOTO_KIND_JPEG;
  else
    {
      g_set_error_literal (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_FORMAT,
                           _("Only JPEG or PNG photos can be added. "
                             "Choose a photo in one of these formats."));
      return NULL;
    }

  stream_len = kind == PHOTO_KIND_JPEG ? jpeg_stream_length (bytes, len)
                                       : png_stream_length (bytes, len);
  if (stream_len == 0)
    {
      set_corrupt_error (error);
      return NULL;
    }

  decoded = decode (bytes, stream_len, kind, error);
  if (decoded == NULL)
    return NULL;

  /* Defensive: every loader reports the size first, but never trust that. */
  if ((gint64) gdk_pixbuf_get_width (decoded) * gdk_pixbuf_get_height (decoded)
      > PAYAM_PHOTO_MAX_PIXELS)
    {
      set_too_many_pixels_error (error);
      return NULL;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (decoded);
  if (oriented == NULL)
    {
      set_corrupt_error (error);
      return NULL;
    }

  width = gdk_pixbuf_get_width (oriented);
  height = gdk_pixbuf_get_height (oriented);
  fit_long_side (width, height, PAYAM_PHOTO_MAX_SIDE, &out_width, &out_height);
  if (out_width != width || out_height != height)
    image = gdk_pixbuf_scale_simple (oriented, out_width, out_height, GDK_INTERP_BILINEAR);
  else
    image = g_object_ref (oriented);
  if (image == NULL)
    {
      set_corrupt_error (error);
      return NULL;
    }

  /* An alpha channel that is opaque everywhere is still a photo: JPEG drops the channel. */
  transparent = has_transparency (image);
  if (transparent
      ? !gdk_pixbuf_save_to_buffer (image, &buffer, &size, "png", &local_error, NULL)
      : !gdk_pixbuf_save_to_buffer (image, &buffer, &size, "jpeg", &local_error,
                                    "quality", PHOTO_JPEG_QUALITY, NULL))
    {
      g_debug ("Encoding failed: %s", local_error->message);
      set_corrupt_error (error);
      return NULL;
    }

  photo = g_new0 (PayamPhoto, 1);
  photo->bytes = g_bytes_new_take (buffer, size);
  photo->mime = g_strdup (transparent ? "image/png" : "image/jpeg");
  photo->width = out_width;
  photo->height = out_height;
  photo->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
  photo->dhash = payam_photo_dhash (image);
  photo->thumbnail = make_thumbnail (image, error);
  if (photo->thumbnail == NULL)
    return NULL;

  return g_steal_pointer (&photo);
}

/**
 * payam_photo_import_file:
 * @path: a file name in the GLib file name encoding
 * @error: return location for a #PAYAM_PHOTO_ERROR
 *
 * Reads at most %PAYAM_PHOTO_MAX_BYTES + 1 bytes of @path (a file reported larger is
 * refused before reading) and imports them as payam_photo_import_bytes() does.
 *
 * Returns: (transfer full) (nullable): a new #PayamPhoto, or %NULL with
 *   %PAYAM_PHOTO_ERROR_IO when the file cannot be read, or another photo error.
 */
PayamPhoto *
payam_photo_import_file (const char  *path,
                         GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  const gsize cap = (gsize) PAYAM_PHOTO_MAX_BYTES + 1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    goto io_error;

  /* The reported size is only a hint (a file may grow while it is read, a pipe has none):
   * it refuses a large file early and sizes the buffer; the capped loop below decides. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      goffset reported = g_file_info_get_size (info);

      if (reported > PAYAM_PHOTO_MAX_BYTES)
        {
          set_too_large_error (error);
          return NULL;
        }
      buffer = g_byte_array_sized_new ((guint) MAX (reported, 0) + 1);
    }
  else
    buffer = g_byte_array_new ();

  while (buffer->len < cap)
    {
      gsize old_len = buffer->len;
      gsize want = MIN (cap - old_len, PHOTO_READ_STEP);
      gsize got = 0;
      gboolean ok;

      g_byte_array_set_size (buffer, (guint) (old_len + want));
      ok = g_input_stream_read_all (G_INPUT_STREAM (stream), buffer->data + old_len, want,
                                    &got, NULL, &local_error);
      g_byte_array_set_size (buffer, (guint) (old_len + got));
      if (!ok)
        goto io_error;
      if (got < want)
        break;
    }

  if (buffer->len > PAYAM_PHOTO_MAX_BYTES)
    {
      set_too_large_error (error);
      return NULL;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  return payam_photo_import_bytes (bytes, error);

io_error:
  {
    g_autofree char *reason = payam_text_isolate (local_error->message);

    g_set_error (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_IO,
                 /* Translators: %s is the system's reason, e.g. "No such file or directory". */
                 _("The photo file could not be read (%s). "
                   "Check that it still exists and choose it again."),
                 reason);
    return NULL;
  }
}

/* A deep copy of @photo (the GBytes are shared, they are immutable); NULL gives NULL. */
PayamPhoto *
payam_photo_copy (const PayamPhoto *photo)
{
  PayamPhoto *copy;

  if (photo == NULL)
    return NULL;

  copy = g_new0 (PayamPhoto, 1);
  copy->sha256 = g_strdup (photo->sha256);
  copy->mime = g_strdup (photo->mime);
  copy->width = photo->width;
  copy->height = photo->height;
  copy->bytes = photo->bytes ? g_bytes_ref (photo->bytes) : NULL;
  copy->thumbnail = photo->thumbnail ? g_bytes_ref (photo->thumbnail) : NULL;
  copy->dhash = photo->dhash;
  return copy;
}

/* Frees @photo and everything it owns; NULL is allowed. */
void
payam_photo_free (PayamPhoto *photo)
{
  if (photo == NULL)
    return;

  g_free (photo->sha256);
  g_free (photo->mime);
  g_clear_pointer (&photo->bytes, g_bytes_unref);
  g_clear_pointer (&photo->thumbnail, g_bytes_unref);
  g_free (photo);
}
