/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync on the store: statement helpers, results, and a device's outbox, acks and cursor. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-store-contact-private.h"
#include "payam-store-sync-private.h"

G_DEFINE_QUARK (payam-store-sync-error-quark, payam_store_sync_error)

const char *
payam_sync_result_to_string (PayamSyncResult result)
{
  switch (result)
    {
    case PAYAM_SYNC_RESULT_APPLIED:
      return "applied";
    case PAYAM_SYNC_RESULT_SUPERSEDED:
      return "superseded";
    case PAYAM_SYNC_RESULT_CONFLICT:
      return "conflict";
    case PAYAM_SYNC_RESULT_REJECTED:
      return "rejected";
    case PAYAM_SYNC_RESULT_DUPLICATE:
      return "duplicate";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
payam_sync_push_reply_free (PayamSyncPushReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->results, g_array_unref);
  g_free (reply);
}

/* ---- cursors ------------------------------------------------------------------------ */

#define CURSOR_PART_BITS 31
#define CURSOR_PART_MASK ((G_GINT64_CONSTANT (1) << CURSOR_PART_BITS) - 1)

void
_payam_sync_cursor_split (gint64  cursor,
                          gint64 *op_seq,
                          gint64 *backfilled)
{
  if (cursor < PAYAM_SYNC_BACKFILL_CURSOR)
    {
      *op_seq = cursor + 1;
      *backfilled = -1;
      return;
    }
  *op_seq = (cursor >> CURSOR_PART_BITS) & CURSOR_PART_MASK;
  *backfilled = cursor & CURSOR_PART_MASK;
}

gint64
_payam_sync_cursor_join (gint64 op_seq,
                         gint64 backfilled)
{
  g_assert (backfilled >= 0 && backfilled < op_seq && op_seq <= CURSOR_PART_MASK);
  return PAYAM_SYNC_BACKFILL_CURSOR | (op_seq << CURSOR_PART_BITS) | backfilled;
}

int
payam_sync_cursor_compare (gint64 a,
                           gint64 b)
{
  gint64 ta, ba, tb, bb;

  _payam_sync_cursor_split (a, &ta, &ba);
  _payam_sync_cursor_split (b, &tb, &bb);
  if (ta != tb)
    return ta < tb ? -1 : 1;
  return ba < bb ? -1 : ba > bb ? 1 : 0;
}

/* ---- statements ------------------------------------------------------------------- */

/* The SQLite result of the last statement of this thread that failed in the helpers
 * below: whether an op failed on a constraint, after its statements are reset. */
static _Thread_local int last_failure = SQLITE_OK;

int
_payam_sync_take_failure (void)
{
  int rc = last_failure;

  last_failure = SQLITE_OK;
  return rc & 0xff;
}

gboolean
_payam_sync_step_row (PayamStore     *self,
                      PayamStmt      *stmt,
                      gboolean       *found,
                      GError        **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      last_failure = rc;
      return _payam_store_set_sql_error (self, rc, error);
    }
  return TRUE;
}

gboolean
_payam_sync_step_done (PayamStore     *self,
                       PayamStmt      *stmt,
                       GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      last_failure = rc;
      return _payam_store_set_sql_error (self, rc, error);
    }
  return TRUE;
}

gboolean
_payam_sync_meta_get_int (PayamStore  *self,
                          const char  *key,
                          gint64      *out,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT value FROM meta "
                                                           "WHERE key = ?1", error);
  gboolean found;

  *out = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (found)
    *out = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);
  return TRUE;
}

gboolean
_payam_sync_meta_set_int (PayamStore  *self,
                          const char  *key,
                          gint64       value,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  char text[32];

  if (stmt == NULL)
    return FALSE;
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  return _payam_sync_step_done (self, stmt, error);
}

/* ---- device side ------------------------------------------------------------------------ */

GPtrArray *
payam_store_sync_list_outbox (PayamStore  *self,
                              gint64       after_seq,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT device_seq, op_id, device_id, entity, row_id, "
                                      "field, value, hlc, base_hlc, why, member FROM outbox "
                                      "WHERE device_seq > ?1 ORDER BY device_seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamOp *op = g_new0 (PayamOp, 1);

      op->device_seq = sqlite3_column_int64 (stmt, 0);
      op->op_id = _payam_column_dup_text (stmt, 1);
      op->device_id = _payam_column_dup_text (stmt, 2);
      op->entity = _payam_column_dup_text (stmt, 3);
      op->row_id = _payam_column_dup_text (stmt, 4);
      op->field = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                  ? g_strdup ("*") : _payam_column_dup_text (stmt, 5);
      op->value = sqlite3_column_type (stmt, 6) == SQLITE_NULL
                  ? g_strdup ("null") : _payam_column_dup_text (stmt, 6);
      if (!payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 7), &op->hlc))
        op->hlc = 0;
      if (sqlite3_column_type (stmt, 8) == SQLITE_NULL ||
          !payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 8), &op->base_hlc))
        op->base_hlc = 0;
      op->why = _payam_column_dup_text (stmt, 9);
      op->member = _payam_column_dup_text (stmt, 10);
      g_ptr_array_add (ops, op);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ops);
}

/* The clock after a message from the server stamped @remote. */
static void
receive_hlc (PayamStore *self,
             PayamHlc    remote)
{
  g_autoptr(GDateTime) now = NULL;

  if (remote == 0)
    return;
  now = _payam_store_now (self);
  self->counters.hlc = payam_hlc_receive (self->counters.hlc, remote,
                                          g_date_time_to_unix (now) * 1000 +
                                          g_date_time_get_microsecond (now) / 1000 +
                                          self->clock_offset_ms);
}

/* Copy the outbox op @device_seq to sync_refused with @reason (nothing if it is gone). */
static gboolean
keep_refused (PayamStore  *self,
              gint64       device_seq,
              const char  *reason,
              const char  *refused_at,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "INSERT OR REPLACE INTO sync_refused (device_seq, op_id, entity, row_id, field, value, "
    "hlc, reason, refused_at) SELECT device_seq, op_id, entity, row_id, field, value, hlc, "
    "?2, ?3 FROM outbox WHERE device_seq = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_seq);
  sqlite3_bind_text (stmt, 2, reason != NULL ? reason : "unknown", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, refused_at, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, stmt, error);
}

gboolean
payam_store_sync_ack (PayamStore  *self,
                      gint64       through_seq,
                      GArray      *results,
                      PayamHlc     server_hlc,
                      GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *refused_at = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  now = _payam_store_now (self);
  refused_at = _payam_time_to_db (now);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      const PayamSyncOpResult *r = &g_array_index (results, PayamSyncOpResult, i);

      if (r->result == PAYAM_SYNC_RESULT_REJECTED && r->device_seq <= through_seq &&
          !keep_refused (self, r->device_seq, r->reason, refused_at, error))
        {
          _payam_store_tx_rollback (self);
          return FALSE;
        }
    }
  /* A kiosk's sealed contacts leave with the ops the server now holds. */
  if (!_payam_store_contact_purge_acked (self, through_seq, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  stmt = _payam_store_prepare_cached (self, "DELETE FROM outbox WHERE device_seq <= ?1", error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, through_seq);
  if (stmt == NULL || !_payam_sync_step_done (self, stmt, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  /* The server holds seqs this device no longer knows it used (it lost commits, or was
   * restored from a backup): new ops must not take them again. */
  if (through_seq >= self->counters.next_device_seq)
    self->counters.next_device_seq = through_seq + 1;
  receive_hlc (self, server_hlc);
  return _payam_store_tx_commit (self, error);
}

static gboolean restamp_outbox (PayamStore  *self,
                                gint64       after_seq,
                                PayamHlc     limit,
                                GError     **error);

gboolean
payam_store_sync_renumber (PayamStore  *self,
                           gint64       first_seq,
                           PayamHlc     server_hlc,
                           GError     **error)
{
  g_autoptr(PayamStmt) list = NULL;
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) stamps = g_ptr_array_new_with_free_func (g_free);
  gint64 offset;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (first_seq >= 1, FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  list = _payam_store_prepare_cached (self, "SELECT device_seq, hlc FROM outbox "
                                      "ORDER BY device_seq", error);
  if (list == NULL)
    goto fail;
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (list, 0);

      g_array_append_val (seqs, seq);
      g_ptr_array_add (stamps, _payam_column_dup_text (list, 1));
    }
  g_clear_pointer (&list, _payam_stmt_done);
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      goto fail;
    }
  /* Moved as a block, in the direction that never lands on a seq not yet moved. */
  offset = seqs->len > 0 ? first_seq - g_array_index (seqs, gint64, 0) : 0;
  for (guint k = 0; k < seqs->len && offset != 0; k++)
    {
      guint i = offset > 0 ? seqs->len - 1 - k : k;
      gint64 seq = g_array_index (seqs, gint64, i);
      PayamHlc hlc = 0;
      g_autofree char *op_id = NULL;
      g_autoptr(PayamStmt) move = _payam_store_prepare_cached (self,
        "UPDATE outbox SET device_seq = ?2, op_id = ?3 WHERE device_seq = ?1", error);

      if (move == NULL)
        goto fail;
      payam_hlc_parse (g_ptr_array_index (stamps, i), &hlc);
      op_id = payam_op_derive_id (self->device_id, seq + offset, hlc);
      sqlite3_bind_int64 (move, 1, seq);
      sqlite3_bind_int64 (move, 2, seq + offset);
      sqlite3_bind_text (move, 3, op_id, -1, SQLITE_STATIC);
      if (!_payam_sync_step_done (self, move, error))
        goto fail;
    }
  self->counters.next_device_seq = first_seq + seqs->len;
  /* The ops this device lost had stamps it no longer knows; the server's clock is past
   * them all: what is sent again is stamped after it, so it never ties with a lost op. */
  receive_hlc (self, server_hlc);
  if (!restamp_outbox (self, 0, 0, error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

void
payam_sync_refusal_free (PayamSyncRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->entity);
  g_free (refusal->row_id);
  g_free (refusal->field);
  g_free (refusal->value);
  g_free (refusal->reason);
  g_free (refusal->refused_at);
  g_free (refusal);
}

GPtrArray *
payam_store_sync_list_refused (PayamStore  *self,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT device_seq, entity, row_id, "
                                      "coalesce (field, '*'), coalesce (value, 'null'), "
                                      "reason, refused_at FROM sync_refused "
                                      "ORDER BY device_seq", error);
  if (stmt == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_refusal_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamSyncRefusal *r = g_new0 (PayamSyncRefusal, 1);

      r->device_seq = sqlite3_column_int64 (stmt, 0);
      r->entity = _payam_column_dup_text (stmt, 1);
      r->row_id = _payam_column_dup_text (stmt, 2);
      r->field = _payam_column_dup_text (stmt, 3);
      r->value = _payam_column_dup_text (stmt, 4);
      r->reason = _payam_column_dup_text (stmt, 5);
      r->refused_at = _payam_column_dup_text (stmt, 6);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Set the op id of outbox op @seq, stamped @hlc, as payam_op_derive_id makes it. */
static gboolean
set_op_id (PayamStore  *self,
           gint64       seq,
           PayamHlc     hlc,
           GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "UPDATE outbox SET op_id = ?2 "
                                                           "WHERE device_seq = ?1", error);
  g_autofree char *op_id = payam_op_derive_id (self->device_id, seq, hlc);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, op_id, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, stmt, error);
}

/* Give every op of the outbox stamped after @limit a new stamp from the re-based clock, in
 * seq order, and move the versions that name the old stamp (field versions, tombstones,
 * rows that keep their own, later ops' bases) with it. Inside a transaction. */
/* The highest version this store holds or its outbox ops were written over (their bases)
 * that stays as it is when the outbox past @after_seq stamped after @bound_ms is stamped
 * again: every other
 * device's, and this device's that the server may hold. A re-based clock never goes below it, so what this device writes next still
 * comes after everything it has seen (the server took those stamps, so they are within its
 * bound). */
static gboolean
accepted_floor (PayamStore  *self,
                gint64       after_seq,
                gint64       bound_ms,
                PayamHlc    *floor,
                GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT max (hlc) FROM (SELECT hlc FROM field_version UNION ALL SELECT hlc FROM tombstone "
    "UNION ALL SELECT printf ('%012x-%04x', hlc >> 16, hlc & 65535) FROM request "
    "WHERE hlc IS NOT NULL UNION ALL SELECT base_hlc FROM outbox WHERE base_hlc IS NOT NULL) "
    "WHERE hlc NOT IN (SELECT hlc FROM outbox WHERE device_seq > ?1 AND hlc > ?2)", error);
  g_autofree char *limit = payam_hlc_to_string (payam_hlc_pack (bound_ms, PAYAM_HLC_COUNTER_MAX));
  gboolean found;
  gint64 received = 0;

  *floor = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_text (stmt, 2, limit, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (found && sqlite3_column_type (stmt, 0) != SQLITE_NULL &&
      !payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 0), floor))
    *floor = 0;
  g_clear_pointer (&stmt, _payam_stmt_done);
  /* Versions it merged away are gone from the tables, not from this mark. */
  if (!_payam_sync_meta_get_int (self, "max_received_hlc", &received, error))
    return FALSE;
  *floor = MAX (*floor, (PayamHlc) received);
  return TRUE;
}

/* Whether the outbox holds an op past @after_seq (-1: none is looked at) stamped after
 * @bound_ms. */
static gboolean
outbox_ahead (PayamStore  *self,
              gint64       after_seq,
              gint64       bound_ms,
              gboolean    *ahead,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *limit = payam_hlc_to_string (payam_hlc_pack (bound_ms, PAYAM_HLC_COUNTER_MAX));

  *ahead = FALSE;
  if (after_seq < 0)
    return TRUE;
  stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM outbox WHERE device_seq > ?1 "
                                      "AND hlc > ?2 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_text (stmt, 2, limit, -1, SQLITE_STATIC);
  return _payam_sync_step_row (self, stmt, ahead, error);
}

static gboolean
restamp_outbox (PayamStore  *self,
                gint64       after_seq,
                PayamHlc     limit,
                GError     **error)
{
  static const char *const moves[] = {
    "UPDATE field_version SET hlc = ?2 WHERE hlc = ?1 AND device = ?3",
    "UPDATE tombstone SET hlc = ?2 WHERE hlc = ?1 AND device = ?3",
    "UPDATE request SET hlc = ?5 WHERE hlc = ?4",
    "UPDATE outbox SET base_hlc = ?2 WHERE base_hlc = ?1",
    "UPDATE outbox SET hlc = ?2 WHERE device_seq = ?6",
  };
  g_autoptr(PayamStmt) list = _payam_store_prepare_cached (self, "SELECT device_seq, hlc FROM "
                                                           "outbox WHERE hlc > ?1 AND "
                                                           "device_seq > ?2 "
                                                           "ORDER BY device_seq", error);
  g_autofree char *limit_text = payam_hlc_to_string (limit);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) stamps = g_array_new (FALSE, FALSE, sizeof (PayamHlc));
  int rc;

  if (list == NULL)
    return FALSE;
  sqlite3_bind_text (list, 1, limit_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (list, 2, after_seq);
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (list, 0);
      PayamHlc old = 0;

      if (!payam_hlc_parse ((const char *) sqlite3_column_text (list, 1), &old))
        continue;
      g_array_append_val (seqs, seq);
      g_array_append_val (stamps, old);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  g_clear_pointer (&list, _payam_stmt_done);

  for (guint i = 0; i < seqs->len; i++)
    {
      PayamHlc old = g_array_index (stamps, PayamHlc, i);
      PayamHlc stamp = _payam_store_next_hlc (self, NULL);
      g_autofree char *old_text = payam_hlc_to_string (old);
      g_autofree char *new_text = payam_hlc_to_string (stamp);

      for (gsize m = 0; m < G_N_ELEMENTS (moves); m++)
        {
          g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, moves[m], error);

          if (stmt == NULL)
            return FALSE;
          /* Unused parameters stay NULL. */
          if (sqlite3_bind_parameter_count (stmt) >= 1)
            sqlite3_bind_text (stmt, 1, old_text, -1, SQLITE_STATIC);
          if (sqlite3_bind_parameter_count (stmt) >= 2)
            sqlite3_bind_text (stmt, 2, new_text, -1, SQLITE_STATIC);
          if (sqlite3_bind_parameter_count (stmt) >= 3)
            sqlite3_bind_text (stmt, 3, self->device_id, -1, SQLITE_STATIC);
          if (sqlite3_bind_parameter_count (stmt) >= 4)
            sqlite3_bind_int64 (stmt, 4, (gint64) old);
          if (sqlite3_bind_parameter_count (stmt) >= 5)
            sqlite3_bind_int64 (stmt, 5, (gint64) stamp);
          if (sqlite3_bind_parameter_count (stmt) >= 6)
            sqlite3_bind_int64 (stmt, 6, g_array_index (seqs, gint64, i));
          if (!_payam_sync_step_done (self, stmt, error))
            return FALSE;
        }
      /* The op id is derived from the stamp too. */
      if (!set_op_id (self, g_array_index (seqs, gint64, i), stamp, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
payam_store_sync_observe_server_time (PayamStore  *self,
                                      gint64       server_time_ms,
                                      gint64       acked_through,
                                      gboolean    *rebased,
                                      GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  gint64 local_ms;
  gint64 offset;
  gint64 bound;
  gboolean ahead;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (rebased != NULL)
    *rebased = FALSE;
  if (server_time_ms <= 0)
    return TRUE;
  now = _payam_store_now (self);
  local_ms = g_date_time_to_unix (now) * 1000 + g_date_time_get_microsecond (now) / 1000;
  bound = server_time_ms + PAYAM_SYNC_REBASE_MS;
  /* Only a clock ahead is corrected: one behind is the server's own rule (HLC). */
  offset = local_ms > bound ? server_time_ms - local_ms : 0;
  if (!outbox_ahead (self, acked_through, bound, &ahead, error))
    return FALSE;
  if (offset == self->clock_offset_ms && payam_hlc_wall_ms (self->counters.hlc) <= bound &&
      !ahead)
    return TRUE;

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_sync_meta_set_int (self, "clock_offset_ms", offset, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  self->clock_offset_ms = offset;
  /* Re-base: the clock goes back to the server's time, and what the server has certainly
   * not accepted (past @acked_through of a push reply) is stamped again from there. */
  if (payam_hlc_wall_ms (self->counters.hlc) > bound || ahead)
    {
      PayamHlc floor = 0;

      /* After a pull nothing is known to be unaccepted: no op of the outbox is left out. */
      if (!accepted_floor (self, acked_through >= 0 ? acked_through : G_MAXINT64, bound, &floor,
                           error))
        {
          _payam_store_tx_rollback (self);
          return FALSE;
        }
      self->counters.hlc = MAX (payam_hlc_pack (local_ms + offset, 0), floor);
    }
  if (ahead)
    {
      if (!restamp_outbox (self, acked_through, payam_hlc_pack (bound, PAYAM_HLC_COUNTER_MAX),
                           error))
        {
          _payam_store_tx_rollback (self);
          return FALSE;
        }
      if (rebased != NULL)
        *rebased = TRUE;
    }
  return _payam_store_tx_commit (self, error);
}

gint64
payam_store_sync_get_cursor (PayamStore  *self,
                             GError     **error)
{
  gint64 cursor = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), -1);

  if (!_payam_sync_meta_get_int (self, "pull_cursor", &cursor, error))
    return -1;
  return cursor;
}

/* Apply one pulled op inside its own savepoint: an op this store cannot take (a row it was
 * never sent, a value its constraints refuse) is skipped, so one bad op cannot stop the
 * device's sync for good. @parser is the page's, loaded anew for each op. */
static gboolean
apply_pulled (PayamStore     *self,
              JsonParser     *parser,
              const PayamOp  *op,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PayamApplyOutcome outcome;

  if (!json_parser_load_from_data (parser, op->value, -1, &local_error))
    {
      /* Translators: %s is the id of a change received from the office server. */
      g_set_error (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_APPLY,
                   _("A change received from the office (%s) is damaged."), op->op_id);
      return FALSE;
    }
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  _payam_sync_take_failure ();
  if (!_payam_sync_apply_op (self, op, json_parser_get_root (parser), FALSE, &outcome,
                             &local_error))
    {
      int rc = _payam_sync_take_failure ();

      _payam_store_tx_rollback (self);
      if (rc != SQLITE_CONSTRAINT)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("skipped op %s: %s", op->op_id, local_error->message);
      return TRUE;
    }
  if (outcome == APPLY_UNKNOWN_ROW || outcome == APPLY_UNKNOWN_FIELD ||
      outcome == APPLY_INVALID)
    g_debug ("skipped op %s (%d)", op->op_id, outcome);
  if (op->entity != NULL && strcmp (op->entity, "request") == 0 &&
      (outcome == APPLY_APPLIED || outcome == APPLY_CONFLICT))
    _payam_store_note_changed (self, op->row_id);
  return _payam_store_tx_commit (self, error);
}

gboolean
payam_store_sync_apply_page (PayamStore  *self,
                             GPtrArray   *ops,
                             gint64       next,
                             PayamHlc     server_hlc,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 cursor;
  gint64 received = 0;
  gint64 received_before;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (ops != NULL, FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_sync_meta_get_int (self, "max_received_hlc", &received, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  received_before = received;
  for (guint i = 0; i < ops->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (ops, i);

      if (op->hlc != 0)
        receive_hlc (self, op->hlc);
      if (g_strcmp0 (op->device_id, self->device_id) != 0 && (gint64) op->hlc > received)
        received = (gint64) op->hlc;
      /* Our own ops come back too: merged again, they change nothing, unless this device
       * lost them (restored from a backup) and gets them back. */
      if (!apply_pulled (self, parser, op, error))
        {
          _payam_store_tx_rollback (self);
          return FALSE;
        }
    }
  receive_hlc (self, server_hlc);
  /* The newest stamp seen from others: a re-based clock stays above it
   * (payam_store_sync_observe_server_time). */
  if (received > received_before &&
      !_payam_sync_meta_set_int (self, "max_received_hlc", received, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  /* A late duplicate of an older page merges again harmlessly but never moves the cursor
   * back. */
  if (!_payam_sync_meta_get_int (self, "pull_cursor", &cursor, error) ||
      (payam_sync_cursor_compare (next, cursor) > 0 &&
       !_payam_sync_meta_set_int (self, "pull_cursor", next, error)))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}
