/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync wire codec: every message of the /v1 protocol to and from JSON, strictly checked. */
#pragma once

#include <glib.h>

#include "payam-op.h"

G_BEGIN_DECLS

#define PAYAM_SYNC_ERROR (payam_sync_error_quark ())

/* Codes of PAYAM_SYNC_ERROR. The codec only makes MALFORMED, UNSUPPORTED and TOO_LARGE;
 * the client and server use the rest. */
typedef enum {
  PAYAM_SYNC_ERROR_MALFORMED,    /* not JSON, a missing or unknown member, a wrong type */
  PAYAM_SYNC_ERROR_UNSUPPORTED,  /* a protocol version this code does not speak */
  PAYAM_SYNC_ERROR_TOO_LARGE,    /* a member, array or body over its bound */
  PAYAM_SYNC_ERROR_TLS,          /* TLS unavailable, or the server's certificate not the pinned one */
  PAYAM_SYNC_ERROR_NETWORK,      /* the server could not be reached */
  PAYAM_SYNC_ERROR_REFUSED,      /* the server answered with another error */
  PAYAM_SYNC_ERROR_UNAUTHORIZED, /* the server refused the credential (unknown, revoked) */
  PAYAM_SYNC_ERROR_ENROLMENT,    /* the server refused the enrolment code or device */
  PAYAM_SYNC_ERROR_CODE,         /* an enrolment code that does not parse */
} PayamSyncError;

GQuark payam_sync_error_quark (void);

/* The protocol version every message carries as "version" (and a pull as ?version=).
 * Version 2: ops travel as compact arrays with a string table, without per-op device and
 * op ids, stamps as differences, push results as runs (payam-sync-codec.c). A message of
 * another version is refused (UNSUPPORTED, HTTP 400 "unsupported-version"). */
#define PAYAM_SYNC_PROTOCOL_VERSION 2

/* Bounds enforced on decoding (and asserted on encoding). */
#define PAYAM_SYNC_MAX_BODY      (8 * 1024 * 1024)  /* bytes of one JSON body */
#define PAYAM_SYNC_MAX_OPS       1000               /* ops in a push, changes in a pull page */
#define PAYAM_SYNC_MAX_VALUE     (64 * 1024)        /* bytes of one op's value as JSON text */
#define PAYAM_SYNC_MAX_NAME      64                 /* entity, field, role, outcome, codes */
#define PAYAM_SYNC_MAX_ID        128                /* row ids, batch ids, tracking codes */
#define PAYAM_SYNC_MAX_TEXT      1024               /* messages, reasons, credentials, keys */
#define PAYAM_SYNC_MAX_WHY       (16 * 1024)        /* bytes of an op's office reason (4,000
                                                     * characters of Persian and more) */

/* POST /v1/enrol body. */
typedef struct {
  char *code;       /* the secret part of the one-time code (payam-sync-code.h) */
  char *device_id;  /* the device's own UUIDv7 id */
} PayamSyncEnrolRequest;

/* POST /v1/enrol reply. */
typedef struct {
  char *device_id;
  char *role;              /* "kiosk", "crew" or "office" */
  char *crew_id;           /* NULL unless role is crew */
  guint prefix;            /* tracking-code prefix, 1 … 9999 */
  char *credential;        /* bearer token, shown only once */
  char *office_public_key; /* base64 of the office's 32-byte crypto_box public key */
} PayamSyncEnrolReply;

/* POST /v1/push body: a batch of this device's ops (owned PayamOp elements). Every op's
 * device_id must be @device_id; op ids are not sent: the decoder derives them
 * (payam_op_derive_id), as the outbox does. */
typedef struct {
  char      *device_id;
  char      *batch_id;
  GPtrArray *ops;
} PayamSyncPushRequest;

/* What the server did with one pushed op. */
typedef enum {
  PAYAM_SYNC_OUTCOME_APPLIED,    /* merged into the server's state */
  PAYAM_SYNC_OUTCOME_DUPLICATE,  /* seen before: a no-op */
  PAYAM_SYNC_OUTCOME_SUPERSEDED, /* merged and lost to a later version */
  PAYAM_SYNC_OUTCOME_CONFLICT,   /* merged, the losing value kept for office review */
  PAYAM_SYNC_OUTCOME_REJECTED,   /* refused (role, validation); @reason says why */
} PayamSyncOutcome;

typedef struct {
  gint64            device_seq;
  PayamSyncOutcome  outcome;
  char             *reason;      /* NULL for applied and duplicate */
} PayamSyncOpOutcome;

/* POST /v1/push reply. @results holds PayamSyncOpOutcome elements (owned), one per pushed
 * op in push order; on the wire consecutive seqs with the same outcome are one run. */
typedef struct {
  gint64     acked_through;
  GPtrArray *results;
  PayamHlc   server_hlc;
  gint64     server_time; /* the server's wall clock, ms since the epoch ("server_time";
                           * 0 when a server leaves it out): a device whose clock runs
                           * ahead re-bases on it (payam_store_sync_observe_server_time) */
} PayamSyncPushResponse;

/* GET /v1/pull reply: @changes are ops with server_seq set (owned); their op ids are
 * derived on decoding (payam_op_derive_id). */
typedef struct {
  GPtrArray *changes;
  gint64     next;
  gboolean   more;
  PayamHlc   server_hlc;
  gint64     server_time; /* as in PayamSyncPushResponse */
} PayamSyncPullReply;

/* Every 4xx/5xx body: {"error": code, "message": text}. */
typedef struct {
  char *error;
  char *message;
} PayamSyncErrorBody;

/* One public event of a request: "registered", a "status" move (@status) or a "notice"
 * sent to the citizen (@text, the outcome in Payam's fixed sentence). */
typedef struct {
  char *at;
  char *kind;
  char *status;   /* "status" only, else NULL */
  char *text;     /* "notice" only, else NULL */
} PayamSyncTrackEvent;

/* GET /v1/track/CODE reply: the public face of a request (payam-store-public.h), nothing
 * personal and no words anyone typed (no phone, name, text, street, reason or note) but
 * the office's @public_text. Times are UTC ISO 8601 text; @due_at, @neighbourhood,
 * @outcome and @public_text may be NULL. @timeline holds PayamSyncTrackEvent elements
 * (owned), oldest first; @photos the SHA-256s of the work's photos (may be NULL). */
typedef struct {
  char      *tracking_code;
  char      *status;
  char      *category;
  char      *neighbourhood;
  char      *created_at;
  char      *due_at;
  char      *updated_at;
  char      *outcome;
  char      *public_text;
  GStrv      photos;
  GPtrArray *timeline;
} PayamSyncTrackReply;

/* GET /v1/whoami reply. */
typedef struct {
  char  *device_id;
  char  *role;
  char  *crew_id;
  guint  prefix;
} PayamSyncWhoami;

void payam_sync_enrol_request_free (PayamSyncEnrolRequest *msg);
void payam_sync_enrol_reply_free   (PayamSyncEnrolReply   *msg);
void payam_sync_push_request_free  (PayamSyncPushRequest  *msg);
void payam_sync_op_outcome_free    (PayamSyncOpOutcome    *result);
void payam_sync_push_response_free (PayamSyncPushResponse *msg);
void payam_sync_pull_reply_free    (PayamSyncPullReply    *msg);
void payam_sync_error_body_free    (PayamSyncErrorBody    *msg);
void payam_sync_track_event_free   (PayamSyncTrackEvent   *event);
void payam_sync_track_reply_free   (PayamSyncTrackReply   *msg);
void payam_sync_whoami_free        (PayamSyncWhoami       *msg);

const char *payam_sync_outcome_to_string   (PayamSyncOutcome  outcome);
gboolean    payam_sync_outcome_from_string (const char       *text,
                                            PayamSyncOutcome *out);

/* Encoders: compact JSON text (caller owns it). The message must be well formed (members
 * within bounds, valid ops); a programming error otherwise. */
char *payam_sync_encode_enrol_request (const PayamSyncEnrolRequest *msg);
char *payam_sync_encode_enrol_reply   (const PayamSyncEnrolReply   *msg);
char *payam_sync_encode_push_request  (const PayamSyncPushRequest  *msg);
char *payam_sync_encode_push_response (const PayamSyncPushResponse *msg);
char *payam_sync_encode_pull_reply    (const PayamSyncPullReply    *msg);
char *payam_sync_encode_error         (const char                  *code,
                                       const char                  *message);
char *payam_sync_encode_track_reply   (const PayamSyncTrackReply   *msg);
char *payam_sync_encode_whoami        (const PayamSyncWhoami       *msg);

/* The path of GET /v1/pull after server_seq @after (≥ 0), at most @limit (1 …
 * PAYAM_SYNC_MAX_OPS) changes, with this protocol version. Caller owns it. */
char     *payam_sync_pull_path     (gint64       after,
                                    guint        limit);
/* Whether @text, the ?version= of a pull (NULL: absent), is this protocol's version:
 * UNSUPPORTED when absent or another number, MALFORMED when not a number. */
gboolean  payam_sync_check_version (const char  *text,
                                    GError     **error);

/* Decoders of @data (@length bytes, not necessarily NUL-terminated). Each returns a new
 * message (caller owns it) or NULL with a PAYAM_SYNC_ERROR: MALFORMED for anything but
 * exactly the documented members with the documented types and forms, UNSUPPORTED for
 * another "version", TOO_LARGE past a bound. */
PayamSyncEnrolRequest *payam_sync_decode_enrol_request (const char *data, gsize length,
                                                        GError **error);
PayamSyncEnrolReply   *payam_sync_decode_enrol_reply   (const char *data, gsize length,
                                                        GError **error);
PayamSyncPushRequest  *payam_sync_decode_push_request  (const char *data, gsize length,
                                                        GError **error);
PayamSyncPushResponse *payam_sync_decode_push_response (const char *data, gsize length,
                                                        GError **error);
PayamSyncPullReply    *payam_sync_decode_pull_reply    (const char *data, gsize length,
                                                        GError **error);
PayamSyncErrorBody    *payam_sync_decode_error         (const char *data, gsize length,
                                                        GError **error);
PayamSyncTrackReply   *payam_sync_decode_track_reply   (const char *data, gsize length,
                                                        GError **error);
PayamSyncWhoami       *payam_sync_decode_whoami        (const char *data, gsize length,
                                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncEnrolRequest, payam_sync_enrol_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncEnrolReply, payam_sync_enrol_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncPushRequest, payam_sync_push_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncOpOutcome, payam_sync_op_outcome_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncPushResponse, payam_sync_push_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncPullReply, payam_sync_pull_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncErrorBody, payam_sync_error_body_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncTrackEvent, payam_sync_track_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncTrackReply, payam_sync_track_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncWhoami, payam_sync_whoami_free)

G_END_DECLS
