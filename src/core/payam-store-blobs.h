/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Photo bytes as content-addressed blobs (DESIGN §6): resumable uploads on the server, what a
 * device has sent and still lacks. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_STORE_BLOB_ERROR (payam_store_blob_error_quark ())

typedef enum {
  PAYAM_STORE_BLOB_ERROR_UNKNOWN,  /* no photo with this hash is known (HTTP 404) */
  PAYAM_STORE_BLOB_ERROR_OFFSET,   /* a chunk not at the current offset (HTTP 409) */
  PAYAM_STORE_BLOB_ERROR_LENGTH,   /* a missing, changed or overrun whole length (HTTP 400) */
  PAYAM_STORE_BLOB_ERROR_CHECKSUM, /* the finished bytes do not hash to the name (HTTP 422) */
  PAYAM_STORE_BLOB_ERROR_OWNER,    /* another device started this upload (HTTP 403) */
} PayamStoreBlobError;

GQuark payam_store_blob_error_quark (void);

/* The largest chunk of one upload request. */
#define PAYAM_BLOB_CHUNK_SIZE (1024 * 1024)

typedef enum {
  PAYAM_BLOB_UNKNOWN,   /* no photo row with this hash */
  PAYAM_BLOB_MISSING,   /* the photo is known, its bytes are not here (offset 0 or partial) */
  PAYAM_BLOB_COMPLETE,  /* the bytes are stored */
} PayamBlobState;

/* Whether @sha256 is lowercase hex of 64 digits. */
gboolean       payam_blob_name_is_valid     (const char   *sha256);

/* The state of blob @sha256; *@offset the bytes held (partial upload or complete), *@length
 * the announced whole length (0 when none yet). */
gboolean       payam_store_blob_get_state   (PayamStore   *self,
                                             const char   *sha256,
                                             PayamBlobState *state,
                                             gint64       *offset,
                                             gint64       *length,
                                             GError      **error);

/* The device that started the upload of @sha256 (caller owns it), NULL in *@device_id when
 * none has. */
gboolean       payam_store_blob_dup_owner   (PayamStore   *self,
                                             const char   *sha256,
                                             char        **device_id,
                                             GError      **error);

/* Append @chunk at @offset, from device @device_id, to the upload of @sha256 (a known photo
 * without bytes); the first chunk makes @device_id its owner, and a chunk from any other
 * device fails with OWNER, changing nothing. @length
 * is the whole length (-1 when not given; required for the first chunk, must match later).
 * When the last byte arrives the SHA-256 is checked: a match moves the bytes into the photo
 * in the same transaction (*@complete TRUE), a mismatch drops the partial upload and fails
 * with CHECKSUM. OFFSET when @offset is not the current one; *@new_offset is the current
 * offset after the call, on success and on every error. A blob already complete takes no
 * chunk (OFFSET with its size). */
gboolean       payam_store_blob_append      (PayamStore   *self,
                                             const char   *device_id,
                                             const char   *sha256,
                                             gint64        offset,
                                             gint64        length,
                                             GBytes       *chunk,
                                             gint64       *new_offset,
                                             gboolean     *complete,
                                             GError      **error);

/* Whether a device of @role (@crew_id for a crew) may read blob @sha256: office always, a
 * crew for photos of its worksheets' requests and actions, a kiosk never. */
gboolean       payam_store_blob_may_read    (PayamStore   *self,
                                             const char   *sha256,
                                             PayamRole     role,
                                             const char   *crew_id,
                                             gboolean     *allowed,
                                             GError      **error);

/* ---- device side ------------------------------------------------------------------ */

/* The hashes of photos whose bytes are here but not yet confirmed by the server, oldest
 * first. */
GStrv          payam_store_blob_list_unsent (PayamStore   *self,
                                             GError      **error);
/* The server holds @sha256: never send it again. */
gboolean       payam_store_blob_mark_sent   (PayamStore   *self,
                                             const char   *sha256,
                                             GError      **error);
/* The hashes of known photos whose bytes are not here (pulled records). */
GStrv          payam_store_blob_list_missing (PayamStore  *self,
                                              GError     **error);
/* Store downloaded @bytes of a known photo; CHECKSUM when they do not hash to @sha256,
 * UNKNOWN for a photo not known here. The photo then counts as sent. */
gboolean       payam_store_blob_set_bytes   (PayamStore   *self,
                                             const char   *sha256,
                                             GBytes       *bytes,
                                             GError      **error);

G_END_DECLS
