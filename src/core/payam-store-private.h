/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the payam-store*.c files: object, statements, transactions, change log. */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "payam-hlc.h"
#include "payam-notice.h"
#include "payam-store.h"

G_BEGIN_DECLS

/* Every statement the store runs; its SQL text is in the sql[] table of payam-store-sql.c. */
typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SAVEPOINT,
  STMT_RELEASE,
  STMT_ROLLBACK_TO,
  STMT_META_GET,
  STMT_META_SET,
  STMT_OUTBOX_INSERT,
  STMT_OUTBOX_COUNT,
  STMT_AUDIT_INSERT,
  STMT_FIELD_VERSION_GET,
  STMT_FIELD_VERSION_SET,
  STMT_INTEGRITY_CHECK,
  STMT_DATA_VERSION,
  STMT_CATEGORY_UPSERT,
  STMT_CATEGORY_GET,
  STMT_CATEGORY_LIST,
  STMT_CATEGORY_EXISTS,
  STMT_PLACE_UPSERT,
  STMT_PLACE_LIST,
  STMT_PLACE_LIST_PARENT,
  STMT_PLACE_EXISTS,
  STMT_CONFIG_GET,
  STMT_GROUP_EXISTS,
  STMT_GROUP_INSERT,
  STMT_REQUEST_SET_GROUP,
  STMT_REQUEST_INSERT,
  STMT_REQUEST_GET,
  STMT_REQUEST_GET_BY_CODE,
  STMT_REQUEST_LIST,
  STMT_REQUEST_FOREACH,
  STMT_REQUEST_SET_STATUS,
  STMT_REQUEST_FEEDBACK_GROUP,
  STMT_REQUEST_FEEDBACK_ALONE,
  STMT_NOTICE_INSERT,
  STMT_NOTICE_GET,
  STMT_NOTICE_MARK_SENT,
  STMT_PHOTO_INSERT,
  STMT_PHOTO_BYTES,
  STMT_PHOTO_THUMBNAIL,
  STMT_PHOTO_EXISTS,
  STMT_REQUEST_PHOTO_INSERT,
  STMT_REQUEST_PHOTO_LIST,
  STMT_STATS_STATUS,
  STMT_STATS_PRIORITY,
  STMT_STATS_OVERDUE,
  STMT_STATS_PHOTOS,
  N_STMTS
} PayamStmtId;

/* The counters that every write advances. Kept in memory and written to `meta` when the
 * outermost transaction commits; a snapshot per transaction level restores them when that
 * level rolls back. */
typedef struct {
  gint64   next_device_seq;
  gint64   next_tracking_seq;
  PayamHlc hlc;
} PayamStoreCounters;

struct _PayamStore
{
  GObject             parent_instance;

  /* owned */
  sqlite3            *db;
  sqlite3_stmt       *stmts[N_STMTS];
  char               *path;
  char               *device_id;
  char               *actor;
  char               *member;      /* the signed-in member behind the actor (a staff id on an
                                    * office desk, a crew_member id on a crew laptop), which
                                    * every op appended carries (PayamOp.member); NULL for
                                    * none. Set by the sign-ins, cleared with the actor */
  PayamWorkCalendar  *calendar;
  GArray             *snapshots;   /* of PayamStoreCounters, one per open transaction level */
  GHashTable         *categories;  /* code → PayamCategory, a cache of the category table */
  GHashTable         *neighbourhoods; /* codes of places known to be neighbourhoods (a cache) */
  GPtrArray          *changed_ids; /* requests changed in the open transaction (only while
                                    * "request-changed" has handlers), owned strings */
  GArray             *changed_marks; /* of guint: changed_ids->len when each level began */
  GHashTable         *cached_stmts; /* SQL text → GPtrArray of the statements of
                                      * _payam_store_prepare_cached, finalized on close */
  char               *op_why;      /* the office's reason the field ops appended now carry
                                    * (_payam_store_set_op_why), or NULL */

  /* borrowed */
  GDateTime        *(*now_func) (gpointer);
  gpointer            now_data;

  PayamStoreCounters  counters;
  gint64              clock_offset_ms; /* ≤ 0: added to the clock for HLC stamps when the
                                        * server found it ahead (meta clock_offset_ms) */
  guint               device_prefix;
  PayamRole           device_role; /* what the device is for (payam_store_set_device_role,
                                    * meta device_role): picks the words of a full or
                                    * failing disk's message; a kiosk's until set */
  int                 schema_version;
  gint64              data_version; /* PRAGMA data_version when the cache was last valid */
  guint               depth;       /* open transaction levels; > 1 means savepoints */
  guint               broken_depth; /* > 0: that level holds a change written only in part
                                     * (see _payam_store_tx_mark_broken); 0: none */
};

/* A statement borrowed from the store's cache; g_autoptr(PayamStmt) resets it and clears
 * its bindings on scope exit, so every use ends in the one cleanup helper. */
typedef sqlite3_stmt PayamStmt;
void          _payam_stmt_done                (PayamStmt      *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamStmt, _payam_stmt_done)

PayamStmt    *_payam_store_stmt               (PayamStore     *self,
                                               PayamStmtId     id,
                                               GError        **error);
/* The statement of @text, prepared once per store and reused (for SQL not in the
 * PayamStmtId table). Borrowed: use it through g_autoptr(PayamStmt), and bind and step it
 * before preparing another: only a statement stepping rows counts as in use. NULL with a
 * SQL error on failure, nothing cached. */
PayamStmt    *_payam_store_prepare_cached     (PayamStore     *self,
                                               const char     *text,
                                               GError        **error);
gboolean      _payam_store_exec_sql           (PayamStore     *self,
                                               const char     *sql,
                                               GError        **error);
/* Step @stmt (key, key2 or NULL, count) to its end into a new array of PayamDashCount
 * (payam-store-dashboard.h; a NULL key becomes ""). NULL with the SQL error. */
GPtrArray    *_payam_store_collect_counts     (PayamStore     *self,
                                               sqlite3_stmt   *stmt,
                                               GError        **error);
gboolean      _payam_store_set_sql_error      (PayamStore     *self,
                                               int             rc,
                                               GError        **error);
/* Step @stmt expecting SQLITE_DONE. */
gboolean      _payam_store_step_done          (PayamStore     *self,
                                               PayamStmt      *stmt,
                                               GError        **error);

/* Bind helpers by parameter name; NULL or "" strings bind NULL for the _or_null variant. */
void          _payam_bind_text                (PayamStmt      *stmt,
                                               const char     *name,
                                               const char     *value);
void          _payam_bind_int                 (PayamStmt      *stmt,
                                               const char     *name,
                                               gint64          value);
void          _payam_bind_double              (PayamStmt      *stmt,
                                               const char     *name,
                                               double          value);
void          _payam_bind_blob                (PayamStmt      *stmt,
                                               const char     *name,
                                               GBytes         *bytes);
/* The statements on the intake path (a million rows in the bench) bind by position:
 * sqlite3_bind_parameter_index() scans every name. The SQL still names each parameter, and
 * _payam_store_stmt() checks on preparation that the names stand at these positions. */
typedef enum {
  OUTBOX_P_DEVICE_SEQ = 1,
  OUTBOX_P_OP_ID,
  OUTBOX_P_ENTITY,
  OUTBOX_P_ROW_ID,
  OUTBOX_P_FIELD,
  OUTBOX_P_VALUE,
  OUTBOX_P_HLC,
  OUTBOX_P_DEVICE_ID,
  OUTBOX_P_BASE_HLC,
  OUTBOX_P_WHY,
  OUTBOX_P_MEMBER,
} PayamOutboxParam;

typedef enum {
  AUDIT_P_AT = 1,
  AUDIT_P_ACTOR,
  AUDIT_P_ACTION,
  AUDIT_P_ENTITY,
  AUDIT_P_ROW_ID,
  AUDIT_P_DETAIL,
} PayamAuditParam;

typedef enum {
  REQUEST_P_ID = 1,
  REQUEST_P_TRACKING_CODE,
  REQUEST_P_CHANNEL,
  REQUEST_P_CATEGORY_ID,
  REQUEST_P_TEXT,
  REQUEST_P_TEXT_NORM,
  REQUEST_P_NEIGHBOURHOOD,
  REQUEST_P_STREET,
  REQUEST_P_LANDMARK,
  REQUEST_P_LAT,
  REQUEST_P_LON,
  REQUEST_P_HAZARD,
  REQUEST_P_DANGER_TO_PEOPLE,
  REQUEST_P_BLOCKS_ROAD,
  REQUEST_P_UTILITIES,
  REQUEST_P_PRIORITY,
  REQUEST_P_GROUP_ID,
  REQUEST_P_CREATED_AT,
  REQUEST_P_DUE_AT,
  REQUEST_P_UPDATED_AT,
  REQUEST_P_PHONE,
  REQUEST_P_NAME,
  REQUEST_P_HLC,
} PayamRequestInsertParam;

/* Bind by position. The text is not copied: @value (NULL binds NULL) must stay valid until
 * the statement has been stepped. */
void          _payam_bind_text_at             (PayamStmt      *stmt,
                                               int             position,
                                               const char     *value);
void          _payam_bind_int_at              (PayamStmt      *stmt,
                                               int             position,
                                               gint64          value);
void          _payam_bind_double_at           (PayamStmt      *stmt,
                                               int             position,
                                               double          value);
char         *_payam_column_dup_text          (PayamStmt      *stmt,
                                               int             column);

/* The schema version from which request_fts is brought up to date at each commit (from
 * request_fts_pending) rather than by its triggers. */
#define PAYAM_STORE_FTS_PENDING_SINCE 27
/* Bring request_fts up to date with the requests written since the last time, inside the
 * open transaction (the outermost commit does it; a search before it reads the index). */
gboolean      _payam_store_fts_flush          (PayamStore     *self,
                                               GError        **error);

/* Transactions: BEGIN IMMEDIATE at depth 0, SAVEPOINT inside. */
gboolean      _payam_store_tx_begin           (PayamStore     *self,
                                               GError        **error);
gboolean      _payam_store_tx_commit          (PayamStore     *self,
                                               GError        **error);
void          _payam_store_tx_rollback        (PayamStore     *self);
/* One change to the row @id as its own transaction (a savepoint inside a batch): @func runs
 * between begin and commit, and its failure rolls back everything it wrote. */
typedef gboolean (*PayamStoreTxFunc)                (PayamStore     *self,
                                                     const char     *id,
                                                     GError        **error);
gboolean      _payam_store_run_in_tx          (PayamStore     *self,
                                               PayamStoreTxFunc func,
                                               const char     *id,
                                               GError        **error);
/* A change made at the current level without a savepoint of its own failed after its first
 * write: that level (and the levels around it, if it is released into them) can now only
 * be rolled back; committing it rolls it back and fails. */
void          _payam_store_tx_mark_broken     (PayamStore     *self);
/* Remember that request @request_id changed in the open transaction: "request-changed" is
 * emitted for it once the outermost level commits, and forgotten if its level rolls back.
 * The change log calls it for every op on a request; code that changes request rows
 * without an op (applying ops received by sync) calls it itself. */
void          _payam_store_note_changed       (PayamStore     *self,
                                               const char     *request_id);

/* The clock, and times as stored: UTC ISO 8601 with milliseconds. */
GDateTime    *_payam_store_now                (PayamStore     *self);
char         *_payam_time_to_db               (GDateTime      *when);
GDateTime    *_payam_time_from_db             (const char     *text);

/* Change log: one outbox op (@value may be NULL) with its field version, the op of a row
 * that records its own version (request.hlc), the next HLC, and audit rows. Must run
 * inside a transaction. */
gboolean      _payam_store_append_op          (PayamStore     *self,
                                               const char     *entity,
                                               const char     *row_id,
                                               const char     *field,
                                               JsonNode       *value,
                                               GError        **error);
PayamHlc      _payam_store_next_hlc           (PayamStore     *self,
                                               GDateTime      *now);
gboolean      _payam_store_append_created_op  (PayamStore     *self,
                                               const char     *entity,
                                               const char     *row_id,
                                               const char     *value_text,
                                               PayamHlc        hlc,
                                               GError        **error);
gboolean      _payam_store_append_audit       (PayamStore     *self,
                                               const char     *action,
                                               const char     *entity,
                                               const char     *row_id,
                                               JsonNode       *detail,
                                               GError        **error);
gboolean      _payam_store_append_audit_at    (PayamStore     *self,
                                               const char     *at,
                                               const char     *action,
                                               const char     *entity,
                                               const char     *row_id,
                                               JsonNode       *detail,
                                               GError        **error);
char         *_payam_json_to_string           (JsonNode       *node);

/* Whether the signed-in member (PayamStore.member) is an office account that may do
 * @permission (payam_staff_check); no member, or one that is no office account, may not. */
gboolean      _payam_store_member_may         (PayamStore            *self,
                                               int                    permission,
                                               GError               **error);
/* Make @member_id (NULL: none) the signed-in member behind the actor: the sign-ins set it
 * (payam_store_get_member). */
void          _payam_store_set_member         (PayamStore     *self,
                                               const char     *member_id);
/* The office's reason (@why, may be NULL: none) that the field ops appended from now on
 * carry to every replica (PayamOp.why), until set again. Set it around one change only. */
void          _payam_store_set_op_why         (PayamStore     *self,
                                               const char     *why);
/* The audit row 'office-why' of a change @why explains: @field of @entity @row_id changed
 * by @device at @hlc; filed under the worksheet it changed (@worksheet_id) when there is
 * one, else under the row; its actor the store's on the device that made it, else @device.
 * Inside a transaction. */
gboolean      _payam_store_record_why         (PayamStore     *self,
                                               const char     *entity,
                                               const char     *row_id,
                                               const char     *field,
                                               const char     *why,
                                               const char     *worksheet_id,
                                               const char     *device,
                                               PayamHlc        hlc,
                                               GError        **error);
/* The worksheet (not merged) a change of @entity @row_id changes now (*@worksheet_id, owned;
 * NULL for none): a worksheet itself, a request's group's, a group's. */
gboolean      _payam_store_worksheet_of_row   (PayamStore     *self,
                                               const char     *entity,
                                               const char     *row_id,
                                               char          **worksheet_id,
                                               GError        **error);

/* Limits of what people type, checked by the app's writes and on every op from the wire
 * (payam-store-sync-validate.c) alike. */
#define PAYAM_MAX_TEXT_CHARS  4000
#define PAYAM_MAX_NAME_CHARS  100
#define PAYAM_MAX_PLACE_CHARS 200
/* A generous box around District 2 of Tehran (Tohid, Daryan-e-No and every neighbour), so a
 * coordinate from a wrong GPS fix or swapped lat/lon is refused while any point in the
 * district and its edges passes: latitude 35.5 … 35.9, longitude 51.1 … 51.7. */
#define PAYAM_DISTRICT_LAT_MIN 35.5
#define PAYAM_DISTRICT_LAT_MAX 35.9
#define PAYAM_DISTRICT_LON_MIN 51.1
#define PAYAM_DISTRICT_LON_MAX 51.7

/* Validation helpers (payam-store-requests.c): an INVALID error with @message (returns
 * FALSE), and @text stripped of surrounding white space or NULL when nothing is left. */
gboolean      _payam_store_invalid            (GError        **error,
                                               const char     *message);
char         *_payam_strip_or_null            (const char     *text);

/* Lifecycle steps (payam-store-status.c) for changes that span several rows, such as a
 * group's worksheet (payam-store-groups.c, payam-store-worksheets.c). Each must run inside
 * a transaction; on error the caller rolls back. The status move records @worksheet_id
 * (may be NULL) in its audit detail: the move was made once for the worksheet's group. */
char         *_payam_store_ensure_group_in_tx (PayamStore     *self,
                                               const char     *request_id,
                                               GError        **error);
gboolean      _payam_store_set_status_in_tx   (PayamStore     *self,
                                               const char     *request_id,
                                               PayamStatus     to,
                                               PayamRole       role,
                                               const char     *reason,
                                               const char     *worksheet_id,
                                               GError        **error);
/* Mark notice @notice_id sent (told; synced), idempotent; NOT_FOUND for an unknown one. */
gboolean      _payam_store_mark_notice_sent_in_tx (PayamStore *self,
                                                   const char *notice_id,
                                                   GError    **error);
/* The notice about @outcome (with the public @words, may be NULL) for the citizen of
 * @request_id, rendered from its category's template: kind 'outcome' for an outcome the
 * citizen is owed (done, not possible, rejected; the close rule and coverage count these),
 * else the outcome's nick (registered, assigned, joined: news on the way). Inside a
 * transaction; FALSE with the error of payam_store_render_notice or the insert. */
gboolean      _payam_store_notify_in_tx       (PayamStore         *self,
                                               const char         *request_id,
                                               PayamNoticeOutcome  outcome,
                                               const char         *words,
                                               GError            **error);
/* The "registered" notice for the citizen of @request_id, which the server has just taken
 * in: made once (none when the request already has one), only when the citizen gave a
 * phone and the request is still open; kind 'registered', so neither the close rule nor
 * coverage waits for it; *@made is set TRUE when it was made (else left alone). Inside a
 * transaction. */
gboolean      _payam_store_notify_registered_in_tx (PayamStore *self,
                                                    const char *request_id,
                                                    gboolean   *made,
                                                    GError    **error);
char         *_payam_store_add_notice_in_tx   (PayamStore     *self,
                                               const char     *request_id,
                                               const char     *kind,
                                               const char     *text,
                                               GError        **error);

/* Migrations (payam-store-migrations.c). */
int           _payam_store_n_migrations       (void);
gboolean      _payam_store_migrate            (PayamStore     *self,
                                               int             from_version,
                                               GError        **error);

/* Configuration (payam-store-config.c). The category is borrowed from the store's cache,
 * valid until the next transaction begins or a level rolls back; NULL with NOT_FOUND. */
const PayamCategory *_payam_store_lookup_category (PayamStore  *self,
                                                   const char  *code,
                                                   GError     **error);
/* Whether @code is a neighbourhood in the place table (@out), remembered once found. */
gboolean      _payam_store_is_neighbourhood   (PayamStore     *self,
                                               const char     *code,
                                               gboolean       *out,
                                               GError        **error);
/* Forget the cached configuration: after loading defaults, when another connection has
 * committed, and on every rollback (the rolled-back level may have changed it). */
void          _payam_store_drop_caches        (PayamStore     *self);
/* Configuration (payam-store-config.c). */
gboolean      _payam_store_load_calendar      (PayamStore     *self,
                                               GError        **error);

G_END_DECLS
