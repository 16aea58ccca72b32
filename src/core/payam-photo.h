/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Photo import: validate, orient, scale, re-encode (drops EXIF/GPS), thumbnail, SHA-256. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>

G_BEGIN_DECLS

#define PAYAM_PHOTO_ERROR (payam_photo_error_quark ())

typedef enum {
  PAYAM_PHOTO_ERROR_FORMAT,     /* not a JPEG or PNG */
  PAYAM_PHOTO_ERROR_CORRUPT,    /* truncated or undecodable */
  PAYAM_PHOTO_ERROR_TOO_LARGE,  /* more than PAYAM_PHOTO_MAX_BYTES */
  PAYAM_PHOTO_ERROR_TOO_MANY_PIXELS, /* more than PAYAM_PHOTO_MAX_PIXELS */
  PAYAM_PHOTO_ERROR_IO,         /* the file could not be read */
} PayamPhotoError;

GQuark payam_photo_error_quark (void);

#define PAYAM_PHOTO_MAX_BYTES   (20 * 1024 * 1024)
#define PAYAM_PHOTO_MAX_PIXELS  (50 * 1000 * 1000)
#define PAYAM_PHOTO_MAX_SIDE    2048
#define PAYAM_PHOTO_THUMB_SIDE  256

/* An imported photo, ready to be stored once by content address. */
struct _PayamPhoto {
  char   *sha256;     /* hex SHA-256 of @bytes: the content address */
  char   *mime;       /* "image/jpeg" (photos) or "image/png" (images with alpha) */
  int     width;
  int     height;
  GBytes *bytes;      /* the re-encoded image */
  GBytes *thumbnail;  /* JPEG, longest side PAYAM_PHOTO_THUMB_SIDE */
  guint64 dhash;      /* perceptual hash of the image (payam_photo_dhash()) */
};

typedef struct _PayamPhoto PayamPhoto;

/* Import an image from memory. Returns a new PayamPhoto or NULL with a translated
 * PAYAM_PHOTO_ERROR that says what to fix. Never touches the store. */
PayamPhoto *payam_photo_import_bytes (GBytes      *data,
                                      GError     **error);
/* Same from a file (read at most PAYAM_PHOTO_MAX_BYTES + 1 bytes). */
PayamPhoto *payam_photo_import_file  (const char  *path,
                                      GError     **error);
PayamPhoto *payam_photo_copy         (const PayamPhoto *photo);
void        payam_photo_free         (PayamPhoto  *photo);
/* payam-photo-hash.c */
guint64     payam_photo_dhash        (GdkPixbuf   *image);
/* The same from a stored photo's bytes (a photo that arrived by sync); FALSE when they do
 * not decode. */
gboolean    payam_photo_dhash_bytes  (GBytes      *bytes,
                                      guint64     *hash);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamPhoto, payam_photo_free)

G_END_DECLS
