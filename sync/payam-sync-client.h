/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncClient: a device's HTTPS client of the office server, pinned to its certificate. */
#pragma once

#include <gio/gio.h>

#include "payam-store.h"
#include "payam-sync-codec.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_SYNC_CLIENT (payam_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (PayamSyncClient, payam_sync_client, PAYAM, SYNC_CLIENT, GObject)

/* A client of @server_url (https:// only) that accepts only a certificate whose SHA-256
 * starts with the @pin_length (16 … 32) bytes of @pin, and sends @credential (may be
 * NULL) as a bearer token. NULL with PAYAM_SYNC_ERROR_TLS for an address that is not
 * https://. */
PayamSyncClient     *payam_sync_client_new          (const char       *server_url,
                                                     const guint8     *pin,
                                                     gsize             pin_length,
                                                     const char       *credential,
                                                     GError          **error);
/* A client for the server @store's device is enrolled with (NOT_FOUND when it is not). */
PayamSyncClient     *payam_sync_client_new_for_store (PayamStore      *store,
                                                     GError          **error);
/* SHA-256 (hex) of the certificate of the last answer, NULL before any. */
const char          *payam_sync_client_get_peer_fingerprint (PayamSyncClient *self);

/* Send one request of @method to @path with an optional JSON @body and return the 2xx
 * answer's body (caller owns it). Errors: PAYAM_SYNC_ERROR_TLS for a certificate that is
 * not the pinned one, NETWORK when the server cannot be reached, and for an error answer
 * UNAUTHORIZED (credential), ENROLMENT (code) or REFUSED, with the server's message. */
GBytes              *payam_sync_client_send         (PayamSyncClient  *self,
                                                     const char       *method,
                                                     const char       *path,
                                                     const char       *body,
                                                     guint            *status,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

PayamSyncWhoami     *payam_sync_client_whoami       (PayamSyncClient  *self,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

/* POST /v1/push of @request; the server's per-op answer (caller owns it) or NULL. A gap
 * is PAYAM_SYNC_ERROR_REFUSED with status 409 (@status may be NULL). */
PayamSyncPushResponse *payam_sync_client_push      (PayamSyncClient            *self,
                                                    const PayamSyncPushRequest *request,
                                                    guint                      *status,
                                                    GCancellable               *cancellable,
                                                    GError                    **error);
/* The seq the server expected next in its last 409 answer (Payam-Expected-Seq: a push's
 * gap or reused seq), 0 when the last answer was not one; *@server_hlc (may be NULL) its
 * clock then (Payam-Server-Hlc, 0 when absent) and *@acked_through (may be NULL) the seq
 * through which it holds this device's ops as sent (Payam-Acked-Through, 0 when absent). */
gint64               payam_sync_client_get_expected_seq (PayamSyncClient *self,
                                                         PayamHlc        *server_hlc,
                                                         gint64          *acked_through);

/* GET /v1/pull?after=@after&limit=@limit; the page (caller owns it) or NULL. */
PayamSyncPullReply  *payam_sync_client_pull         (PayamSyncClient  *self,
                                                     gint64            after,
                                                     guint             limit,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

/* Upload the bytes of blob @sha256 (a photo whose record was pushed): HEAD for the offset
 * the server holds, then PATCH in chunks of @chunk_size (at most PAYAM_BLOB_CHUNK_SIZE)
 * from there, so a cut upload resumes with at most one chunk resent; a 409 (another
 * upload moved on) continues from the server's offset. *@sent (may be NULL): the bytes sent
 * in chunks (0 when the server already held them). A checksum mismatch is REFUSED (422). */
gboolean             payam_sync_client_upload_blob  (PayamSyncClient  *self,
                                                     const char       *sha256,
                                                     GBytes           *bytes,
                                                     gsize             chunk_size,
                                                     gsize            *sent,
                                                     GCancellable     *cancellable,
                                                     GError          **error);
/* GET /v1/blobs/@sha256: the bytes, checked against the hash (MALFORMED when they do not
 * match); REFUSED with @status 403 for a photo this device may not read. */
GBytes              *payam_sync_client_download_blob (PayamSyncClient *self,
                                                     const char       *sha256,
                                                     guint            *status,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

/* Enrol @store's device with the office server at @server_url using the one-time @code:
 * the server's certificate must match the code's pin; the received credential, role,
 * prefix, pinned fingerprint and office key are saved in @store. Returns the server's
 * reply (caller owns it) or NULL; nothing is saved on error. */
PayamSyncEnrolReply *payam_sync_enrol               (PayamStore       *store,
                                                     const char       *server_url,
                                                     const char       *code,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

G_END_DECLS
