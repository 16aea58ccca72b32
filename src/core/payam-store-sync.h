/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync on the store (DESIGN §6): a device's outbox and pull cursor, the server's log of ops. */
#pragma once

#include "payam-op.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_STORE_SYNC_ERROR (payam_store_sync_error_quark ())

typedef enum {
  PAYAM_STORE_SYNC_ERROR_GAP,     /* a push skipped a device seq (HTTP 409: expected_seq) */
  PAYAM_STORE_SYNC_ERROR_GONE,    /* the pull cursor is older than the log keeps (HTTP 410) */
  PAYAM_STORE_SYNC_ERROR_INVALID, /* a malformed op, or an op of another device (HTTP 400) */
  PAYAM_STORE_SYNC_ERROR_APPLY,   /* a pulled op could not be applied; nothing moved */
  PAYAM_STORE_SYNC_ERROR_REUSED,  /* a push reused a logged seq for other content (HTTP 409
                                   * "seq-reused", expected_seq; acked_through: the seq before
                                   * it, the same as logged): the device lets those go and
                                   * renumbers the rest */
} PayamStoreSyncError;

GQuark payam_store_sync_error_quark (void);

/* What the server did with one pushed op. */
typedef enum {
  PAYAM_SYNC_RESULT_APPLIED,    /* merged and won */
  PAYAM_SYNC_RESULT_SUPERSEDED, /* merged and lost to a later version; logged */
  PAYAM_SYNC_RESULT_CONFLICT,   /* merged, but the writer had not seen the other edit: a
                                 * conflict row keeps the losing value */
  PAYAM_SYNC_RESULT_REJECTED,   /* refused (reason); logged, never sent to other devices */
  PAYAM_SYNC_RESULT_DUPLICATE,  /* this (device, seq) is already in the log: nothing done */
} PayamSyncResult;

/* "applied", "superseded", "conflict", "rejected", "duplicate". */
const char *payam_sync_result_to_string (PayamSyncResult result);

typedef struct {
  gint64           device_seq;
  PayamSyncResult  result;
  const char      *reason;   /* static: a rejection reason code ("role", "clock",
                              * "unknown-row", "unknown-field", "invalid-value",
                              * "device", "contact-not-sealed", "contact-unreadable"),
                              * else NULL */
} PayamSyncOpResult;

/* The server's answer to a push. */
typedef struct {
  gint64    acked_through;   /* every op of the device up to this seq is in the log: at most
                              * the last seq of the batch (a later seq it holds may be
                              * another op, from a device restored from a backup) */
  GArray   *results;         /* of PayamSyncOpResult, one per pushed op, in push order */
  PayamHlc  server_hlc;      /* the server's clock after the push */
  gint64    expected_seq;    /* the next seq the server expects (also set on a GAP) */
  gboolean  clock_flagged;   /* an op was stamped more than 10 minutes ahead: it is the last
                              * result ("clock"), past acked_through, and the batch stopped
                              * there */
  gint64    server_time;     /* the server's clock (ms) for this push */
} PayamSyncPushReply;

void payam_sync_push_reply_free (PayamSyncPushReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncPushReply, payam_sync_push_reply_free)

/* Ops stamped further than this ahead of the server's clock are rejected ("clock"). */
#define PAYAM_SYNC_MAX_DRIFT_MS (10 * 60 * 1000)

/* A pull cursor is a server_seq: every op up to it has been delivered. A page that stops in
 * the middle of a crew's backfill (the earlier ops of rows an op makes visible, sent before
 * it) ends on a backfill cursor instead, at or above PAYAM_SYNC_BACKFILL_CURSOR: the op T
 * whose backfill is under way and the last backfilled server_seq B, each below 2^31, as
 * FLAG | T << 31 | B. Devices store and send cursors as they come; they compare them with
 * payam_sync_cursor_compare (<0, 0, >0 like strcmp, in delivery order). */
#define PAYAM_SYNC_BACKFILL_CURSOR (G_GINT64_CONSTANT (1) << 62)
int          payam_sync_cursor_compare     (gint64                a,
                                            gint64                b);

/* ---- device side ----------------------------------------------------------------- */

/* Up to @limit (0: all) outbox ops with device_seq > @after_seq, oldest first, as PayamOp
 * (a new row's field is "*"). Owns its elements. */
GPtrArray   *payam_store_sync_list_outbox  (PayamStore           *self,
                                            gint64                after_seq,
                                            guint                 limit,
                                            GError              **error);
/* After the server's reply to a push: move every op of @results (PayamSyncOpResult, may be
 * NULL) the server refused (REJECTED, with its reason) and acknowledged to sync_refused,
 * delete the outbox ops through @through_seq and take @server_hlc into this device's
 * clock. One transaction. An op leaves the outbox only because the server holds it:
 * applied, or refused and kept with its reason (README, "Sync protocol"). */
gboolean     payam_store_sync_ack          (PayamStore           *self,
                                            gint64                through_seq,
                                            GArray               *results,
                                            PayamHlc              server_hlc,
                                            GError              **error);

/* Renumber the outbox from @first_seq on (keeping its order; op ids derived again) and
 * number new ops after it: the device's answer when the server and it disagree about its
 * seqs, a gap (the server lost commits it had acknowledged) or a reused seq (this device
 * lost commits or was restored from a backup), with the server's expected seq and clock
 * (@server_hlc: the ops are stamped again after it, so none ties with an op the device
 * lost). Nothing in the outbox was accepted, so nothing is lost. One transaction. */
gboolean     payam_store_sync_renumber     (PayamStore           *self,
                                            gint64                first_seq,
                                            PayamHlc              server_hlc,
                                            GError              **error);

/* One op of this device that the server refused and kept (payam_store_sync_list_refused). */
typedef struct {
  gint64  device_seq;
  char   *entity;
  char   *row_id;
  char   *field;       /* "*" for a new row */
  char   *value;       /* JSON text */
  char   *reason;      /* the server's reason code ("role", "invalid-value", …) */
  char   *refused_at;  /* UTC, as stored */
} PayamSyncRefusal;

void         payam_sync_refusal_free       (PayamSyncRefusal     *refusal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncRefusal, payam_sync_refusal_free)

/* Every op of this device the server refused, oldest first (PayamSyncRefusal, owned), so
 * the app can show what did not reach the office and why. */
GPtrArray   *payam_store_sync_list_refused (PayamStore           *self,
                                            GError              **error);
/* A device's clock is re-based when it runs this far ahead of the server's. */
#define PAYAM_SYNC_REBASE_MS (PAYAM_SYNC_MAX_DRIFT_MS - 60 * 1000)

/* Take @server_time_ms, the server's wall clock from a push or pull reply (0: unknown,
 * nothing done). A device whose clock reads more than PAYAM_SYNC_REBASE_MS ahead stamps
 * from then on with the server's time (an offset kept in meta, dropped once the clock is
 * right); a device whose hybrid clock is that far ahead (even after its clock was set
 * right) re-bases it to the server's time. After a push reply (@acked_through its
 * acked_through; -1 after a pull), every outbox op past it stamped beyond that bound, which
 * the server refuses as "clock" and never acknowledges, is stamped again from the re-based
 * clock (ops up to it may be held by the server already: never touched). *@rebased (may be
 * NULL) says whether ops were stamped again. One transaction. */
gboolean     payam_store_sync_observe_server_time (PayamStore  *self,
                                                   gint64       server_time_ms,
                                                   gint64       acked_through,
                                                   gboolean    *rebased,
                                                   GError     **error);

/* The server_seq this device has pulled through (0: nothing yet). */
gint64       payam_store_sync_get_cursor   (PayamStore           *self,
                                            GError              **error);
/* Merge a pulled page of @ops (PayamOp, in server order) and move the cursor up to @next, in
 * one transaction; nothing is written to the outbox. The device's own ops merge again
 * (no-ops, unless it lost them: restored from a backup).
 * Each op's stamp (and @server_hlc, 0 for none) advance this device's clock. On error
 * nothing changes, the cursor included. */
gboolean     payam_store_sync_apply_page   (PayamStore           *self,
                                            GPtrArray            *ops,
                                            gint64                next,
                                            PayamHlc              server_hlc,
                                            GError              **error);

/* Local edits through the merge rules, for fields that have no function of their own
 * (text, category, place, contact, …: payam_merge_rule_for() says LWW). @value is JSON
 * text. Writes the row, its field version, the outbox op and an audit row in one
 * transaction. INVALID for a field that sync does not carry or a bad value, NOT_FOUND for
 * an unknown row. */
gboolean     payam_store_sync_set_field    (PayamStore           *self,
                                            const char           *entity,
                                            const char           *row_id,
                                            const char           *field,
                                            const char           *value,
                                            GError              **error);

/* ---- server side ----------------------------------------------------------------- */

/* Apply a batch pushed by @device_id acting as @role (@crew_id: the crew of a crew
 * device, else NULL) in one transaction, at server clock @now_ms. Ops must be in seq
 * order. An op stamped more than PAYAM_SYNC_MAX_DRIFT_MS ahead of @now_ms stops the batch
 * unacknowledged (its result "clock" is the last; the device re-bases and sends it again).
 * Each new op is checked (allowed for the role, a field sync knows, a value the schema
 * takes), merged by
 * the rules of payam-merge.h and logged; a refused op is logged as rejected with its
 * reason (a value the schema refuses also leaves a conflict row of kind "rejected") and
 * the rest of the batch goes on. A seq already logged is a duplicate. Whole-batch errors,
 * with nothing applied and @reply still set (expected_seq): GAP for a seq past the next
 * expected one (HTTP 409), INVALID for an op that is malformed or another device's (400).
 *
 * The server's own writes (payamctl on the server's database) reach the devices the same
 * way: push its own outbox under its own device id as office (creates and edits it already
 * holds are logged as superseded), then acknowledge them.
 *
 * A new request taken in (a device's create applied, or one of the server's own creates
 * pushed so) whose citizen gave a phone gets its "registered" text message queued, once
 * (see _payam_store_notify_registered_in_tx); after the batch the server publishes its
 * own outbox so (a failure there leaves it for the next time, the batch stays taken). */
gboolean     payam_store_sync_push         (PayamStore           *self,
                                            const char           *device_id,
                                            PayamRole             role,
                                            const char           *crew_id,
                                            GPtrArray            *ops,
                                            gint64                now_ms,
                                            PayamSyncPushReply  **reply,
                                            GError              **error);
/* One push of a group commit: what payam_store_sync_push() takes, and what it gave. */
typedef struct {
  const char          *device_id;
  PayamRole            role;
  const char          *crew_id;    /* or NULL */
  GPtrArray           *ops;
  gint64               now_ms;
  PayamSyncPushReply  *reply;      /* out, owned: set as payam_store_sync_push() sets it */
  GError              *error;      /* out, owned: this push failed (nothing of it kept) */
} PayamSyncPushJob;

/* Apply the pushes of @jobs (@n_jobs of them, from devices that pushed at about the same
 * time) in one transaction with one commit, so one fsync makes them all durable. Each push
 * runs in a savepoint of its own as payam_store_sync_push() does it alone: one push that
 * fails (a gap, a reused seq, a damaged op, a write error) is rolled back by itself, sets
 * its job's error and leaves the others be. Nothing is durable, so nothing may be
 * answered as taken, before this returns. FALSE when the group's transaction could not be
 * begun or committed: then every job has an error and nothing of the group was kept. */
gboolean     payam_store_sync_push_group   (PayamStore           *self,
                                            PayamSyncPushJob     *jobs,
                                            guint                 n_jobs,
                                            GError              **error);
/* A page of logged ops after cursor @after, at most @limit (≥ 1) scanned, filtered
 * for @role: office gets everything; a crew the requests of its crew's worksheets with
 * the phone masked, and their groups, worksheets, actions, photos and notices; a kiosk the
 * public face of requests (no text, no personal data) and their status. Rejected ops are
 * never sent, nor a last-writer-wins field op that is not (or no longer) the server's
 * version of its field: it would change nothing once the device has the winner, which the
 * log holds too. Visibility is the server's at the time of the pull; when an op makes rows
 * visible to a crew (its worksheet, a request joining one of its groups), their earlier
 * ops are sent again first; each of those counts against @limit too, so a page never holds
 * more than @limit ops, and a page full in the middle of a backfill ends on a backfill
 * cursor (PAYAM_SYNC_BACKFILL_CURSOR) from which the next page goes on.
 * *@next is the cursor after this page, *@more whether more is logged.
 * GONE when @after is older than the retained log. Owns its elements (server_seq set). */
GPtrArray   *payam_store_sync_pull         (PayamStore           *self,
                                            PayamRole             role,
                                            const char           *crew_id,
                                            gint64                after,
                                            guint                 limit,
                                            gint64               *next,
                                            gboolean             *more,
                                            GError              **error);
/* Forget logged ops with server_seq < @before (retention); pulls from before it are GONE.
 * Duplicates are still recognised (each device's last seq is kept apart). */
gboolean     payam_store_sync_trim_log     (PayamStore           *self,
                                            gint64                before,
                                            GError              **error);
/* The number of logged ops (rejected included) and whether the clock of @device_id has been
 * flagged; for tests and payamctl. */
gint64       payam_store_sync_count_log    (PayamStore           *self,
                                            GError              **error);
gboolean     payam_store_sync_is_flagged   (PayamStore           *self,
                                            const char           *device_id);

G_END_DECLS
