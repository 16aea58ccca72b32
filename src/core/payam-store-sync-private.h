/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the payam-store-sync*.c files: statements, meta, applying one op. */
#pragma once

#include "payam-merge.h"
#include "payam-store-private.h"
#include "payam-store-sync.h"

G_BEGIN_DECLS

/* What applying one op did. */
typedef enum {
  APPLY_APPLIED,
  APPLY_SUPERSEDED,
  APPLY_CONFLICT,
  APPLY_UNKNOWN_ROW,   /* a field op for a row this store does not have */
  APPLY_UNKNOWN_FIELD, /* no merge rule for this entity and field */
  APPLY_INVALID,       /* the value does not fit the field */
  APPLY_UNKNOWN_PARENT, /* the op names a row this store does not have and must (the
                         * server: a group's lead); a device applies it without the link */
} PayamApplyOutcome;

/* The primary SQLite result code of the last failed step of this thread in these
 * helpers (SQLITE_OK: none), cleared: tells a constraint failure from others. */
int            _payam_sync_take_failure  (void);
/* Step expecting SQLITE_DONE (or a row, ignored). */
gboolean       _payam_sync_step_done     (PayamStore         *self,
                                          PayamStmt          *stmt,
                                          GError            **error);
/* Step expecting one row (TRUE, *@found set) or none (*@found FALSE). */
gboolean       _payam_sync_step_row      (PayamStore         *self,
                                          PayamStmt          *stmt,
                                          gboolean           *found,
                                          GError            **error);
gboolean       _payam_sync_meta_get_int  (PayamStore         *self,
                                          const char         *key,
                                          gint64             *out,
                                          GError            **error);
gboolean       _payam_sync_meta_set_int  (PayamStore         *self,
                                          const char         *key,
                                          gint64              value,
                                          GError            **error);

/* Split pull cursor @cursor into the op T that comes next (for a plain cursor S: S + 1) and
 * the last server_seq of T's backfill already delivered (-1: none). */
void           _payam_sync_cursor_split  (gint64              cursor,
                                          gint64             *op_seq,
                                          gint64             *backfilled);
/* The largest op seq a backfill cursor can name (2^31 - 1). */
#define PAYAM_SYNC_CURSOR_SPLIT_MAX ((G_GINT64_CONSTANT (1) << 31) - 1)
/* The backfill cursor for op @op_seq after backfilled seq @backfilled (< @op_seq). */
gint64         _payam_sync_cursor_join   (gint64              op_seq,
                                          gint64              backfilled);

/* Merge @op into the domain tables by the rules of payam-merge.h, inside a transaction.
 * Never writes the outbox. @record_conflicts (the server) keeps the losing value of a
 * concurrent edit in the conflict table. @value is @op's value parsed. A database error
 * (constraints included) returns FALSE; the caller rolls back. */
gboolean       _payam_sync_apply_op      (PayamStore         *self,
                                          const PayamOp      *op,
                                          JsonNode           *value,
                                          gboolean            record_conflicts,
                                          PayamApplyOutcome  *outcome,
                                          GError            **error);
/* Refuse @op and keep it (README, "Sync protocol": no silent loss): a conflict row of kind
 * "rejected" with @reason (a short code: "role", "invalid-value", …), the op's value as the
 * lost value and the value the server holds for its field (or the id of the row it would
 * create, when that row exists) as the kept one. The caller then logs the op as rejected
 * with the same reason, which the push reply carries to the device. Inside the push's
 * transaction; FALSE only on a database error. Every refusal of a pushed op goes through
 * here (payam-store-sync-server.c, refuse()); a role check only has to name its reason. */
gboolean       _payam_sync_refuse_op     (PayamStore         *self,
                                          const PayamOp      *op,
                                          const char         *reason,
                                          GError            **error);

/* Rows a crew sees and writes (?1 the row, ?2 the crew): the requests, groups, worksheets,
 * actions, notices and photos of its worksheets. */
#define SQL_REQUEST_OF_CREW \
  "SELECT 1 FROM request r JOIN worksheet w ON w.group_id = r.group_id " \
  "WHERE r.id = ?1 AND w.crew_id = ?2"
#define SQL_GROUP_OF_CREW "SELECT 1 FROM worksheet WHERE group_id = ?1 AND crew_id = ?2"
#define SQL_WORKSHEET_OF_CREW "SELECT 1 FROM worksheet WHERE id = ?1 AND crew_id = ?2"
#define SQL_ACTION_OF_CREW \
  "SELECT 1 FROM worksheet_action a JOIN worksheet w ON w.id = a.worksheet_id " \
  "WHERE a.id = ?1 AND w.crew_id = ?2"
#define SQL_NOTICE_OF_CREW \
  "SELECT 1 FROM notice n JOIN request r ON r.id = n.request_id " \
  "JOIN worksheet w ON w.group_id = r.group_id WHERE n.id = ?1 AND w.crew_id = ?2"
#define SQL_PHOTO_OF_CREW \
  "SELECT 1 FROM request_photo rp JOIN request r ON r.id = rp.request_id " \
  "JOIN worksheet w ON w.group_id = r.group_id WHERE rp.sha256 = ?1 AND w.crew_id = ?2 " \
  "UNION ALL SELECT 1 FROM worksheet_action_photo ap " \
  "JOIN worksheet_action a ON a.id = ap.action_id JOIN worksheet w ON w.id = a.worksheet_id " \
  "WHERE ap.sha256 = ?1 AND w.crew_id = ?2"

/* Whether @sql (?1 and ?2 bound to @a and @b; NULL binds NULL) finds a row. */
gboolean       _payam_sync_query_finds   (PayamStore         *self,
                                          const char         *sql,
                                          const char         *a,
                                          const char         *b,
                                          gboolean           *found,
                                          GError            **error);
/* The string member @member of the object @value, or NULL (not an object, no such string). */
const char    *_payam_sync_member_string (JsonNode           *value,
                                          const char         *member);

/* Whether @crew_id was ever given the worksheet @worksheet_id, or (for a request) a
 * worksheet of a group @request_id was ever in: a row that has left the crew's view since
 * (reassigned, split) is one it had. FALSE only on a database error. */
gboolean       _payam_sync_crew_had_worksheet (PayamStore    *self,
                                               const char    *worksheet_id,
                                               const char    *crew_id,
                                               gboolean      *had,
                                               GError       **error);
gboolean       _payam_sync_crew_had_request   (PayamStore    *self,
                                               const char    *request_id,
                                               const char    *crew_id,
                                               gboolean      *had,
                                               GError       **error);

/* Whether @role (@crew_id for a crew) may write @op (@value parsed) by the role table of
 * payam-sync-roles.h and its per-row rules: *@reason NULL, or "role" when it may not, or
 * "withdrawn" for a crew's work on a row it had but that has left its view since.
 * FALSE only on a database error. */
gboolean       _payam_sync_check_role    (PayamStore         *self,
                                          PayamRole           role,
                                          const char         *crew_id,
                                          const PayamOp      *op,
                                          JsonNode           *value,
                                          const char        **reason,
                                          GError            **error);

/* Whether @op is a supervisor's move that the member behind it (PayamOp.member) may not
 * make by the server's own staff table: *@reason NULL, or "role" (issue #13 item 7). The
 * moves: a request status op that raises the status epoch (a reopen), and a request or
 * worksheet due_at op whose value is no deadline the rules give (a deadline set by hand).
 * They need an active supervisor in the server's staff; the server's own ops (its store's
 * device: payamctl on the server machine, its own writes) are trusted. FALSE only on a
 * database error. */
gboolean       _payam_sync_check_supervisor (PayamStore      *self,
                                             const PayamOp   *op,
                                             JsonNode        *value,
                                             const char     **reason,
                                             GError         **error);

/* Whether @why, an op's office reason, is a text of at most PAYAM_MAX_TEXT_CHARS that is
 * not only spaces, in UTF-8 without control characters (but newline and tab). */
gboolean       _payam_sync_why_is_valid  (const char         *why);

/* Whether @op (@value parsed) passes the checks the app's own writes pass (lengths, a phone
 * in normal form, a known category and neighbourhood, coordinates in the district,
 * priority, score and photo sides in range, the office's reason): *@bad_member NULL, or the
 * field (or member of a new row, or "why") that fails. FALSE only on a database error. */
gboolean       _payam_sync_validate_op   (PayamStore         *self,
                                          const PayamOp      *op,
                                          JsonNode           *value,
                                          const char        **bad_member,
                                          GError            **error);

/* Log conflict row @conflict_id (just recorded by the server) as an op of the server's own
 * (under an id of its own kept in meta), so office devices pull it like any row. Inside a transaction. */
gboolean     _payam_sync_log_conflict      (PayamStore      *self,
                                            const char      *conflict_id,
                                            GError         **error);

G_END_DECLS
