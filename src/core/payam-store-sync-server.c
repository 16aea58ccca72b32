/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync on the office server's store: pushes checked and merged into the log, pulls by role. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-format.h"
#include "payam-store-contact-private.h"
#include "payam-store-public-private.h"
#include "payam-store-sync-private.h"
#include "payam-uuid.h"

/* ---- the log ----------------------------------------------------------------------- */

static gboolean
device_state (PayamStore  *self,
              const char  *device_id,
              gint64      *last_seq,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT last_seq FROM sync_device "
                                                           "WHERE device_id = ?1", error);
  gboolean found;

  *last_seq = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (found)
    *last_seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
set_device_state (PayamStore  *self,
                  const char  *device_id,
                  gint64       last_seq,
                  gboolean     flag_clock,
                  GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "INSERT INTO sync_device (device_id, last_seq, clock_flagged_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (device_id) DO UPDATE SET last_seq = excluded.last_seq, "
    "clock_flagged_at = coalesce (excluded.clock_flagged_at, clock_flagged_at)", error);
  g_autofree char *flagged_at = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (flag_clock)
    {
      g_autoptr(GDateTime) now = _payam_store_now (self);

      flagged_at = _payam_time_to_db (now);
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, last_seq);
  sqlite3_bind_text (stmt, 3, flagged_at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* Whether a logged @op (merged, not rejected) is still worth sending to devices. Every op
 * is, but a last-writer-wins field op only while the server's version of its field is the
 * op's own (hlc, device): an op that lost, or that a later one beat, changes nothing on a
 * device that also gets the winner, which is logged too. When @op is the winner, the op
 * it beat is marked no longer live. */
static gboolean
op_stays_live (PayamStore     *self,
               const PayamOp  *op,
               const char     *hlc,
               gboolean       *live,
               GError        **error)
{
  g_autoptr(PayamStmt) get = NULL;
  g_autoptr(PayamStmt) bury = NULL;

  *live = TRUE;
  if (payam_merge_rule_for (op->entity, op->field) != PAYAM_MERGE_RULE_LWW)
    return TRUE;
  get = _payam_store_prepare_cached (self, "SELECT 1 FROM field_version WHERE entity = ?1 "
                                     "AND row_id = ?2 AND field = ?3 AND hlc = ?4 "
                                     "AND device = ?5", error);
  if (get == NULL)
    return FALSE;
  sqlite3_bind_text (get, 1, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (get, 2, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (get, 3, op->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (get, 4, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (get, 5, op->device_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, get, live, error))
    return FALSE;
  if (!*live)
    return TRUE;
  bury = _payam_store_prepare_cached (self, "UPDATE sync_log SET live = 0 WHERE entity = ?1 "
                                      "AND row_id = ?2 AND field = ?3 AND live = 1", error);
  if (bury == NULL)
    return FALSE;
  sqlite3_bind_text (bury, 1, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (bury, 2, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (bury, 3, op->field, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, bury, error);
}

static gboolean
log_op (PayamStore      *self,
        const PayamOp   *op,
        const char      *hash,
        PayamSyncResult  result,
        const char      *reason,
        GError         **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *hlc = payam_hlc_to_string (op->hlc);
  g_autofree char *base = op->base_hlc != 0 ? payam_hlc_to_string (op->base_hlc) : NULL;
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *received_at = _payam_time_to_db (now);
  gboolean live = FALSE;
  int rc;

  if (result != PAYAM_SYNC_RESULT_REJECTED && !op_stays_live (self, op, hlc, &live, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self,
    "INSERT INTO sync_log (device_id, device_seq, op_id, entity, row_id, field, value, hlc, "
    "base_hlc, result, reason, received_at, live, op_hash, why, member) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->device_seq);
  sqlite3_bind_text (stmt, 3, op->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, op->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, op->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, base, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, payam_sync_result_to_string (result), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, received_at, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, live);
  sqlite3_bind_text (stmt, 14, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, op->why, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, op->member, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* The id under which the server logs its own ops (*@id, owned): a UUIDv7 made once and kept
 * in meta, apart from the store's device id (a store may push its own outbox to itself). */
static gboolean
server_op_device (PayamStore  *self,
                  char       **id,
                  GError     **error)
{
  g_autoptr(PayamStmt) get = _payam_store_prepare_cached (self,
    "SELECT value FROM meta WHERE key = 'sync_server_op_device'", error);
  g_autoptr(PayamStmt) put = NULL;
  gboolean found = FALSE;

  if (get == NULL || !_payam_sync_step_row (self, get, &found, error))
    return FALSE;
  if (found)
    {
      *id = _payam_column_dup_text (get, 0);
      return TRUE;
    }
  put = _payam_store_prepare_cached (self, "INSERT INTO meta (key, value) VALUES "
                                     "('sync_server_op_device', ?1)", error);
  if (put == NULL)
    return FALSE;
  *id = payam_uuid7_new ();
  sqlite3_bind_text (put, 1, *id, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, put, error);
}

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_log_conflict (PayamStore  *self,
                          const char  *conflict_id,
                          GError     **error)
{
  g_autoptr(PayamStmt) next = _payam_store_prepare_cached (self,
    "SELECT coalesce (max (device_seq), 0) + 1 FROM sync_log WHERE device_id = ?1", error);
  g_autoptr(PayamStmt) stmt = NULL;
  PayamHlc hlc = _payam_store_next_hlc (self, NULL);
  g_autofree char *hlc_text = payam_hlc_to_string (hlc);
  g_autofree char *op_id = NULL;
  g_autofree char *device = NULL;
  gboolean found = FALSE;
  gint64 seq;

  if (next == NULL || !server_op_device (self, &device, error))
    return FALSE;
  sqlite3_bind_text (next, 1, device, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, next, &found, error))
    return FALSE;
  seq = sqlite3_column_int64 (next, 0);
  op_id = payam_op_derive_id (device, seq, hlc);
  stmt = _payam_store_prepare_cached (self,
    "INSERT INTO sync_log (device_id, device_seq, op_id, entity, row_id, field, value, hlc, "
    "result, received_at, live) SELECT ?4, ?5, ?2, 'conflict', c.id, '*', json_object ("
    "'kind', c.kind, 'entity', c.entity, 'row_id', c.row_id, 'field', c.field, 'kept_value', "
    "c.kept_value, 'lost_value', c.lost_value, 'kept_hlc', c.kept_hlc, 'lost_hlc', c.lost_hlc, "
    "'lost_device', c.lost_device, 'lost_member', c.lost_member, 'created_at', c.created_at, "
    "'reason', c.reason), ?3, "
    "'applied', c.created_at, 1 FROM conflict c WHERE c.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hlc_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, device, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, seq);
  return _payam_sync_step_done (self, stmt, error);
}

/* Refuse @op for @reason and keep it: a conflict row for the office with both values
 * (_payam_sync_refuse_op) and the op logged as rejected, never sent on. */
static gboolean
refuse (PayamStore     *self,
        const PayamOp  *op,
        const char     *hash,
        const char     *reason,
        GError        **error)
{
  return _payam_sync_refuse_op (self, op, reason, error) &&
         log_op (self, op, hash, PAYAM_SYNC_RESULT_REJECTED, reason, error);
}

/* ---- who may see and write what ----------------------------------------------------------- */


/* ---- push ------------------------------------------------------------------------------ */

/* The content hash of a pushed op as the device sent it (hex SHA-256 of its entity, row,
 * field, value, stamps and the office's reason), kept in the log to tell a duplicate from a reused seq. */
static char *
op_hash (const PayamOp *op)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char stamps[64];

  g_checksum_update (sum, (const guchar *) op->entity, strlen (op->entity) + 1);
  g_checksum_update (sum, (const guchar *) op->row_id, strlen (op->row_id) + 1);
  g_checksum_update (sum, (const guchar *) op->field, strlen (op->field) + 1);
  g_checksum_update (sum, (const guchar *) op->value, strlen (op->value) + 1);
  g_snprintf (stamps, sizeof stamps, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
              (guint64) op->hlc, (guint64) op->base_hlc);
  g_checksum_update (sum, (const guchar *) stamps, -1);
  /* An op without the office's reason hashes as before (logs kept from older versions). */
  if (op->why != NULL)
    {
      g_checksum_update (sum, (const guchar *) "\0why\0", 5);
      g_checksum_update (sum, (const guchar *) op->why, -1);
    }
  /* Nor does an op without a member. */
  if (op->member != NULL)
    {
      g_checksum_update (sum, (const guchar *) "\0member\0", 8);
      g_checksum_update (sum, (const guchar *) op->member, -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* Whether @op, whose seq the log already holds for its device, is that op (*@same). A seq
 * trimmed from the log, or logged before hashes were kept, cannot be told: a duplicate. */
static gboolean
same_as_logged (PayamStore     *self,
                const PayamOp  *op,
                gboolean       *same,
                GError        **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT op_hash FROM sync_log "
                                                           "WHERE device_id = ?1 AND "
                                                           "device_seq = ?2", error);
  g_autofree char *hash = NULL;
  gboolean found;

  *same = TRUE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->device_seq);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (!found || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return TRUE;
  hash = op_hash (op);
  *same = strcmp (hash, (const char *) sqlite3_column_text (stmt, 0)) == 0;
  return TRUE;
}

/* Refuse @op as "invalid-value" (*@reason) when it fails the app's own checks, kept like
 * every refusal, its conflict row under the field that failed (a new row's member). */
static gboolean
refuse_invalid (PayamStore     *self,
                const PayamOp  *op,
                const char     *hash,
                JsonNode       *value,
                const char    **reason,
                GError        **error)
{
  g_autoptr(PayamOp) named = NULL;
  const char *bad = NULL;

  *reason = NULL;
  if (!_payam_sync_validate_op (self, op, value, &bad, error))
    return FALSE;
  if (bad == NULL)
    return TRUE;
  *reason = "invalid-value";
  named = payam_op_copy (op);
  g_free (named->field);
  named->field = g_strdup (bad);
  return _payam_sync_refuse_op (self, named, *reason, error) &&
         log_op (self, op, hash, PAYAM_SYNC_RESULT_REJECTED, *reason, error);
}

/* Merge @op (@value parsed), checked already, and log it; sets @result and @reason, and
 * *@wrote when the server wrote a change of its own for it (a notice). */
static gboolean
apply_and_log (PayamStore       *self,
               const PayamOp    *op,
               const char       *hash,
               JsonNode         *value,
               PayamSyncResult  *result,
               const char      **reason,
               gboolean         *wrote,
               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  PayamApplyOutcome outcome = APPLY_APPLIED;

  /* A value the schema refuses (a foreign key, a CHECK) rejects this op alone. */
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  _payam_sync_take_failure ();
  if (!_payam_sync_apply_op (self, op, value, TRUE, &outcome, &local_error))
    {
      int rc = _payam_sync_take_failure ();

      _payam_store_tx_rollback (self);
      if (rc != SQLITE_CONSTRAINT)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      outcome = APPLY_INVALID;
    }
  else if (!_payam_store_tx_commit (self, error))
    return FALSE;

  switch (outcome)
    {
    case APPLY_APPLIED:
      *result = PAYAM_SYNC_RESULT_APPLIED;
      break;
    case APPLY_SUPERSEDED:
      *result = PAYAM_SYNC_RESULT_SUPERSEDED;
      break;
    case APPLY_CONFLICT:
      *result = PAYAM_SYNC_RESULT_CONFLICT;
      break;
    case APPLY_UNKNOWN_ROW:
      *reason = "unknown-row";
      break;
    case APPLY_UNKNOWN_FIELD:
      *reason = "unknown-field";
      break;
    case APPLY_INVALID:
      *reason = "invalid-value";
      break;
    case APPLY_UNKNOWN_PARENT:
      *reason = "unknown-parent";
      break;
    default:
      g_assert_not_reached ();
    }
  if (*reason != NULL)
    return refuse (self, op, hash, *reason, error);
  if (strcmp (op->entity, "request") == 0 &&
      (*result == PAYAM_SYNC_RESULT_APPLIED || *result == PAYAM_SYNC_RESULT_CONFLICT))
    _payam_store_note_changed (self, op->row_id);
  /* A new request taken in: its citizen is told the code by text message. From a device
   * that is the create applied here; from the server itself (a request filed on its own
   * store, as Open311 does, published by pushing its outbox to itself) the row was there
   * already. A create sent again (a lost reply, a device restored) finds the notice made. */
  if (strcmp (op->entity, "request") == 0 && strcmp (op->field, "*") == 0 &&
      (*result == PAYAM_SYNC_RESULT_APPLIED ||
       (*result == PAYAM_SYNC_RESULT_SUPERSEDED &&
        g_strcmp0 (op->device_id, payam_store_get_device_id (self)) == 0)) &&
      !_payam_store_notify_registered_in_tx (self, op->row_id, wrote, error))
    return FALSE;
  return log_op (self, op, hash, *result, *reason, error);
}

/* Check, merge and log one op whose seq is the next expected, its value parsed already
 * (@value); sets @result and @reason, and *@wrote as apply_and_log() does. */
static gboolean
push_one (PayamStore       *self,
          PayamRole         role,
          const char       *crew_id,
          const PayamOp    *op,
          const char       *hash,
          JsonNode         *value,
          gint64            now_ms,
          PayamSyncResult  *result,
          const char      **reason,
          gboolean         *wrote,
          GError          **error)
{
  g_autoptr(PayamOp) opened = NULL;
  g_autoptr(JsonNode) opened_value = NULL;

  *result = PAYAM_SYNC_RESULT_REJECTED;
  *reason = NULL;
  if (payam_merge_rule_for (op->entity, op->field) == PAYAM_MERGE_RULE_NONE)
    {
      *reason = "unknown-field";
      return refuse (self, op, hash, *reason, error);
    }
  /* A contact sealed on a kiosk is opened: applied and logged in clear from here on. A
   * refused one is kept like every refusal, so the office sees the request that did not
   * come. */
  if (!_payam_store_contact_open_op (self, role, op, value, &opened, &opened_value, reason))
    return refuse (self, op, hash, *reason, error);
  if (opened != NULL)
    op = opened, value = opened_value;
  if (!_payam_sync_check_role (self, role, crew_id, op, value, reason, error))
    return FALSE;
  if (*reason != NULL)
    return refuse (self, op, hash, *reason, error);
  /* A reopen or a deadline set by hand: a supervisor's, by this server's staff table. */
  if (role == PAYAM_ROLE_OFFICE &&
      !_payam_sync_check_supervisor (self, op, value, reason, error))
    return FALSE;
  if (*reason != NULL)
    return refuse (self, op, hash, *reason, error);
  return refuse_invalid (self, op, hash, value, reason, error) &&
         (*reason != NULL || apply_and_log (self, op, hash, value, result, reason, wrote,
                                            error));
}


/* What the server wrote on its own while taking a push (the registered notices) reaches the
 * devices through its log as every own write does: its outbox pushed to itself as office,
 * then acknowledged. A failure leaves them in the outbox for the next time. */
static void
publish_own_writes (PayamStore *self,
                    gint64      now_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (self, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;

  if (ops != NULL && ops->len == 0)
    return;
  if (ops == NULL ||
      !payam_store_sync_push (self, payam_store_get_device_id (self), PAYAM_ROLE_OFFICE, NULL,
                              ops, now_ms, &reply, &error) ||
      !payam_store_sync_ack (self, reply->acked_through, reply->results, reply->server_hlc,
                             &error))
    g_message ("the server's own writes wait in its outbox: %s", error->message);
}

gboolean
payam_store_sync_push (PayamStore           *self,
                       const char           *device_id,
                       PayamRole             role,
                       const char           *crew_id,
                       GPtrArray            *ops,
                       gint64                now_ms,
                       PayamSyncPushReply  **reply,
                       GError              **error)
{
  g_autoptr(PayamSyncPushReply) out = g_new0 (PayamSyncPushReply, 1);
  /* Each op's value, parsed once: checked as JSON here, then merged. */
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 last_seq;
  gint64 held = -1;
  gint64 sent_top = 0;
  gboolean clock_bad = FALSE;
  gboolean wrote = FALSE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && ops != NULL && reply != NULL, FALSE);

  *reply = NULL;
  out->results = g_array_sized_new (FALSE, TRUE, sizeof (PayamSyncOpResult), ops->len);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!device_state (self, device_id, &last_seq, error))
    goto fail;

  for (guint i = 0; i < ops->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (ops, i);
      PayamSyncOpResult r = { op->device_seq, PAYAM_SYNC_RESULT_DUPLICATE, NULL };
      gboolean same = TRUE;

      if (!payam_op_is_valid_with (op, parser) || strcmp (op->device_id, device_id) != 0)
        {
          g_set_error_literal (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_INVALID,
                               _("The device sent a change that is damaged or not its own."));
          goto fail;
        }
      if (op->device_seq > last_seq + 1)
        {
          g_autofree char *expected = payam_format_integer (last_seq + 1);

          out->expected_seq = last_seq + 1;
          /* Translators: %s is the number of the change the server expected next, already
           * in Persian digits. */
          g_set_error (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GAP,
                       _("Changes are missing; the server expected change %s next."),
                       expected);
          goto fail;
        }
      /* A seq already logged with other content: the device reused it (it lost commits,
       * or was restored from a backup). Never a duplicate: it must renumber. */
      if (op->device_seq <= last_seq && !same_as_logged (self, op, &same, error))
        goto fail;
      if (op->device_seq <= last_seq && !same)
        {
          g_autofree char *expected = payam_format_integer (last_seq + 1);

          out->expected_seq = last_seq + 1;
          /* The ops before it are the server's already: the device may let them go. */
          held = op->device_seq - 1;
          /* Translators: %s is the number of the change the server expected next, already
           * in Persian digits. */
          g_set_error (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_REUSED,
                       _("This device sent other changes under numbers already used; it must "
                         "number them again from %s."), expected);
          goto fail;
        }
      if (op->device_seq == last_seq + 1)
        {
          g_autofree char *hash = NULL;

          /* An op from the future is not taken and not acknowledged: the device re-bases
           * its clock on the reply's server time and sends it again, stamped anew. The
           * rest of the batch waits behind it, so seqs stay contiguous. */
          if (payam_hlc_wall_ms (op->hlc) > now_ms + PAYAM_SYNC_MAX_DRIFT_MS)
            {
              r.result = PAYAM_SYNC_RESULT_REJECTED;
              r.reason = "clock";
              clock_bad = TRUE;
              g_array_append_val (out->results, r);
              break;
            }
          hash = op_hash (op);
          if (!push_one (self, role, crew_id, op, hash, json_parser_get_root (parser), now_ms,
                         &r.result, &r.reason, &wrote, error))
            goto fail;
          last_seq = op->device_seq;
          self->counters.hlc = payam_hlc_receive (self->counters.hlc, op->hlc, now_ms);
        }
      g_array_append_val (out->results, r);
      sent_top = MAX (sent_top, op->device_seq);
    }

  if (!set_device_state (self, device_id, last_seq, clock_bad, error))
    goto fail;
  if (!_payam_store_tx_commit (self, error))
    return FALSE;

  /* Only what this batch carried: an op past it under a seq the server holds may be another
   * one (a device restored from a backup numbers new ops from where its copy stopped), and
   * is judged by its content when it comes. */
  out->acked_through = ops->len > 0 ? MIN (last_seq, sent_top) : last_seq;
  out->expected_seq = last_seq + 1;
  out->clock_flagged = clock_bad;
  out->server_hlc = self->counters.hlc;
  out->server_time = now_ms;
  *reply = g_steal_pointer (&out);
  if (wrote)
    publish_own_writes (self, now_ms);
  return TRUE;

fail:
  _payam_store_tx_rollback (self);
  g_array_set_size (out->results, 0);
  out->acked_through = held >= 0 ? held : out->expected_seq > 0 ? out->expected_seq - 1 : 0;
  out->server_hlc = self->counters.hlc;
  out->server_time = now_ms;
  *reply = g_steal_pointer (&out);
  return FALSE;
}

gboolean
payam_store_sync_push_group (PayamStore       *self,
                             PayamSyncPushJob *jobs,
                             guint             n_jobs,
                             GError          **error)
{
  g_autoptr(GError) lost = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);
  g_return_val_if_fail (jobs != NULL || n_jobs == 0, FALSE);

  for (guint i = 0; i < n_jobs; i++)
    {
      g_clear_pointer (&jobs[i].reply, payam_sync_push_reply_free);
      g_clear_error (&jobs[i].error);
    }
  if (!_payam_store_tx_begin (self, &lost))
    goto fail;
  for (guint i = 0; i < n_jobs; i++)
    {
      PayamSyncPushJob *job = &jobs[i];

      /* At depth 1 the push's own transaction is a savepoint: on failure it rolls back
       * that push alone. */
      if (payam_store_sync_push (self, job->device_id, job->role, job->crew_id, job->ops,
                                 job->now_ms, &job->reply, &job->error))
        continue;
      /* SQLite itself rolled the whole transaction back (a full disk, an I/O error): the
       * pushes before this one are gone too. */
      if (sqlite3_get_autocommit (self->db))
        {
          lost = g_error_copy (job->error);
          _payam_store_tx_rollback (self);
          goto fail;
        }
    }
  if (!_payam_store_tx_commit (self, &lost))
    goto fail;
  return TRUE;

fail:
  for (guint i = 0; i < n_jobs; i++)
    {
      g_clear_pointer (&jobs[i].reply, payam_sync_push_reply_free);
      g_clear_error (&jobs[i].error);
      jobs[i].error = g_error_copy (lost);
    }
  g_propagate_error (error, g_steal_pointer (&lost));
  return FALSE;
}

gboolean
payam_store_sync_is_flagged (PayamStore *self,
                             const char *device_id)
{
  g_autoptr(PayamStmt) stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM sync_device WHERE device_id = ?1 "
                                      "AND clock_flagged_at IS NOT NULL", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, NULL))
    return FALSE;
  return found;
}

gint64
payam_store_sync_count_log (PayamStore  *self,
                            GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (PAYAM_IS_STORE (self), -1);

  stmt = _payam_store_prepare_cached (self, "SELECT count(*) FROM sync_log", error);
  if (stmt == NULL || !_payam_sync_step_row (self, stmt, &found, error))
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
payam_store_sync_trim_log (PayamStore  *self,
                           gint64       before,
                           GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self, "DELETE FROM sync_log WHERE server_seq < ?1", error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, before);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (stmt != NULL)
        _payam_store_set_sql_error (self, sqlite3_errcode (self->db), error);
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  if (!_payam_sync_meta_set_int (self, "sync_min_seq", before, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* ---- pull ------------------------------------------------------------------------------- */

/* The phone for a crew: every digit but the last four hidden. */
static char *
mask_phone (const char *phone)
{
  gsize len;
  char *masked;

  if (phone == NULL)
    return NULL;
  masked = g_strdup (phone);
  len = strlen (masked);
  for (gsize i = 0; i + 4 < len; i++)
    if (g_ascii_isdigit (masked[i]))
      masked[i] = '*';
  return masked;
}

static char *
node_to_text (JsonNode *node)
{
  return _payam_json_to_string (node);
}

static char *
crew_request (JsonNode *value)
{
  JsonObject *object = json_node_get_object (value);
  const char *phone = json_object_get_string_member_with_default (object, "phone", NULL);

  if (phone != NULL)
    {
      g_autofree char *masked = mask_phone (phone);

      json_object_set_string_member (object, "phone", masked);
    }
  return node_to_text (value);
}

/* Visibility changes are ops too (issue #9 case 4): the op that takes a worksheet from a
 * crew (given to another) or a request out of its groups (split) still goes to the crew
 * that had it, so its copy turns read-only. A request it no longer sees comes without its
 * new group (null): the crew keeps no group it cannot see. *@send FALSE for other ops. */
static gboolean
project_withdrawal (PayamStore     *self,
                    const char     *crew_id,
                    const PayamOp  *op,
                    gboolean       *send,
                    char          **value,
                    GError        **error)
{
  gboolean sees = FALSE;

  *send = FALSE;
  if (strcmp (op->entity, "worksheet") == 0 && strcmp (op->field, "crew_id") == 0)
    {
      if (!_payam_sync_query_finds (self, SQL_WORKSHEET_OF_CREW, op->row_id, crew_id, &sees, error))
        return FALSE;
      return sees || _payam_sync_crew_had_worksheet (self, op->row_id, crew_id, send, error);
    }
  if (strcmp (op->entity, "request") == 0 && strcmp (op->field, "group_id") == 0)
    {
      if (!_payam_sync_query_finds (self, SQL_REQUEST_OF_CREW, op->row_id, crew_id, &sees, error))
        return FALSE;
      if (sees)
        return TRUE;
      if (!_payam_sync_crew_had_request (self, op->row_id, crew_id, send, error))
        return FALSE;
      if (*send)
        *value = g_strdup ("null");
    }
  return TRUE;
}

/* What @role sees of @op: the op (*@send), with its value replaced by *@value (owned;
 * NULL: unchanged). */
static gboolean
project (PayamStore     *self,
         PayamRole       role,
         const char     *crew_id,
         const PayamOp  *op,
         gboolean       *send,
         char          **value,
         GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean is_request = strcmp (op->entity, "request") == 0;
  gboolean is_new = strcmp (op->field, "*") == 0;
  JsonNode *root = NULL;

  *send = FALSE;
  *value = NULL;
  if (role == PAYAM_ROLE_OFFICE)
    {
      *send = TRUE;
      return TRUE;
    }
  if (json_parser_load_from_data (parser, op->value, -1, NULL))
    root = json_parser_get_root (parser);

  if (role == PAYAM_ROLE_KIOSK)
    {
      *send = _payam_public_kiosk_op (op, root, value);
      return TRUE;
    }

  g_assert (role == PAYAM_ROLE_CREW);
  if (!project_withdrawal (self, crew_id, op, send, value, error))
    return FALSE;
  if (*send)
    return TRUE;
  if (is_request)
    {
      if (!_payam_sync_query_finds (self, SQL_REQUEST_OF_CREW, op->row_id, crew_id, send, error))
        return FALSE;
      if (*send && is_new && root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        *value = crew_request (root);
      else if (*send && strcmp (op->field, "phone") == 0 && root != NULL &&
               JSON_NODE_HOLDS_VALUE (root) &&
               json_node_get_value_type (root) == G_TYPE_STRING)
        {
          g_autofree char *masked = mask_phone (json_node_get_string (root));
          g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), masked);

          *value = node_to_text (node);
        }
      return TRUE;
    }
  /* Crews are no secret among crews (worksheets refer to them). */
  if (strcmp (op->entity, "crew") == 0)
    {
      *send = TRUE;
      return TRUE;
    }
  /* A member's PIN hash goes to the devices of that member's crew only (issue #12), and so
   * do its changes (a new PIN, disabled or enabled again: the crew's row says whose). */
  if (strcmp (op->entity, "crew_member") == 0)
    {
      if (is_new)
        {
          *send = g_strcmp0 (_payam_sync_member_string (root, "crew_id"), crew_id) == 0;
          return TRUE;
        }
      return _payam_sync_query_finds (self, "SELECT 1 FROM crew_member WHERE id = ?1 AND "
                                      "crew_id = ?2", op->row_id, crew_id, send, error);
    }
  if (strcmp (op->entity, "dup_group") == 0)
    return _payam_sync_query_finds (self, SQL_GROUP_OF_CREW, op->row_id, crew_id, send, error);
  if (strcmp (op->entity, "worksheet") == 0)
    return _payam_sync_query_finds (self, SQL_WORKSHEET_OF_CREW, op->row_id, crew_id, send, error);
  if (strcmp (op->entity, "worksheet_action") == 0)
    return _payam_sync_query_finds (self, SQL_ACTION_OF_CREW, op->row_id, crew_id, send, error);
  if (strcmp (op->entity, "worksheet_action_photo") == 0)
    return _payam_sync_query_finds (self, SQL_ACTION_OF_CREW,
                                    _payam_sync_member_string (root, "action_id"), crew_id, send,
                                    error);
  if (strcmp (op->entity, "photo") == 0)
    return _payam_sync_query_finds (self, SQL_PHOTO_OF_CREW, op->row_id, crew_id, send, error);
  if (strcmp (op->entity, "request_photo") == 0)
    return _payam_sync_query_finds (self, SQL_REQUEST_OF_CREW,
                                    _payam_sync_member_string (root, "request_id"), crew_id, send,
                                    error);
  if (strcmp (op->entity, "notice") == 0)
    return _payam_sync_query_finds (self, SQL_NOTICE_OF_CREW, op->row_id, crew_id, send, error);
  return TRUE;
}

#define LOG_COLUMNS \
  "server_seq, device_id, device_seq, op_id, entity, row_id, field, value, hlc, base_hlc, why, member"

static PayamOp *
log_row_to_op (sqlite3_stmt *stmt)
{
  PayamOp *op = g_new0 (PayamOp, 1);

  op->server_seq = sqlite3_column_int64 (stmt, 0);
  op->device_id = _payam_column_dup_text (stmt, 1);
  op->device_seq = sqlite3_column_int64 (stmt, 2);
  op->op_id = _payam_column_dup_text (stmt, 3);
  op->entity = _payam_column_dup_text (stmt, 4);
  op->row_id = _payam_column_dup_text (stmt, 5);
  op->field = _payam_column_dup_text (stmt, 6);
  op->value = _payam_column_dup_text (stmt, 7);
  if (!payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 8), &op->hlc))
    op->hlc = 0;
  if (sqlite3_column_type (stmt, 9) == SQLITE_NULL ||
      !payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 9), &op->base_hlc))
    op->base_hlc = 0;
  op->why = _payam_column_dup_text (stmt, 10);
  op->member = _payam_column_dup_text (stmt, 11);
  return op;
}

/* Add what @role sees of @op (owned) to @ops. The office's reason (why) is staff text: it
 * goes to the office and to the crews that see the op, never to a kiosk. */
static gboolean
emit (PayamStore  *self,
      PayamRole    role,
      const char  *crew_id,
      PayamOp     *op,
      GPtrArray   *ops,
      GError     **error)
{
  g_autoptr(PayamOp) owned = op;
  g_autofree char *value = NULL;
  gboolean send;

  if (!project (self, role, crew_id, owned, &send, &value, error))
    return FALSE;
  if (!send)
    return TRUE;
  /* Nor who made it: a kiosk is a public face. */
  if (role == PAYAM_ROLE_KIOSK)
    {
      g_clear_pointer (&owned->why, g_free);
      g_clear_pointer (&owned->member, g_free);
    }
  if (value != NULL)
    {
      g_free (owned->value);
      owned->value = g_steal_pointer (&value);
    }
  g_ptr_array_add (ops, g_steal_pointer (&owned));
  return TRUE;
}

/* A crew pulls what it may see now, so rows that become visible later (a worksheet given to
 * the crew, a request joining one of its groups, a worksheet moved to another group) would
 * miss their earlier ops. Before such an op (or the op that makes a group the crew sees),
 * send again every earlier op of the rows it makes visible: the group's requests (or the
 * one request that joined), their notices and photos, the group, its worksheets and their
 * actions. Merging is idempotent, so ops the crew already has are harmless. */
static gboolean
backfill_for_crew (PayamStore     *self,
                   const char     *crew_id,
                   const PayamOp  *op,
                   gint64          after,
                   GPtrArray      *ops,
                   guint          *budget,
                   gint64         *last,
                   gboolean       *done,
                   GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *group_id = NULL;
  const char *request_id = NULL;
  JsonNode *value = NULL;
  gboolean visible = FALSE;
  int rc;

  *done = TRUE;
  *last = after;
  if (json_parser_load_from_data (parser, op->value, -1, NULL))
    value = json_parser_get_root (parser);
  if (value == NULL)
    return TRUE;

  if (strcmp (op->entity, "worksheet") == 0 &&
      ((strcmp (op->field, "*") == 0 &&
        g_strcmp0 (_payam_sync_member_string (value, "crew_id"), crew_id) == 0) ||
       strcmp (op->field, "crew_id") == 0 || strcmp (op->field, "group_id") == 0))
    {
      g_autoptr(PayamStmt) ws = _payam_store_prepare_cached (self, "SELECT group_id FROM worksheet "
                                                             "WHERE id = ?1 AND crew_id = ?2",
                                                             error);
      if (ws == NULL)
        return FALSE;
      sqlite3_bind_text (ws, 1, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (ws, 2, crew_id, -1, SQLITE_STATIC);
      if (!_payam_sync_step_row (self, ws, &visible, error))
        return FALSE;
      if (visible)
        group_id = _payam_column_dup_text (ws, 0);
    }
  else if (strcmp (op->entity, "dup_group") == 0 && strcmp (op->field, "*") == 0)
    {
      /* A group the crew sees, made after the crew last pulled its lead: the lead's row
       * must come first (dup_group.lead_request_id is checked at commit). */
      if (!_payam_sync_query_finds (self, SQL_GROUP_OF_CREW, op->row_id, crew_id, &visible, error))
        return FALSE;
      if (visible)
        group_id = g_strdup (op->row_id);
    }
  else if (strcmp (op->entity, "request") == 0 && strcmp (op->field, "group_id") == 0)
    {
      if (!_payam_sync_query_finds (self, SQL_REQUEST_OF_CREW, op->row_id, crew_id, &visible,
                                    error))
        return FALSE;
      if (visible)
        {
          g_autoptr(PayamStmt) r = _payam_store_prepare_cached (self,
                                                                "SELECT group_id FROM request "
                                                                "WHERE id = ?1", error);
          gboolean found;

          if (r == NULL)
            return FALSE;
          sqlite3_bind_text (r, 1, op->row_id, -1, SQLITE_STATIC);
          if (!_payam_sync_step_row (self, r, &found, error))
            return FALSE;
          group_id = found ? _payam_column_dup_text (r, 0) : NULL;
          request_id = op->row_id;
        }
    }
  if (group_id == NULL)
    return TRUE;

  stmt = _payam_store_prepare_cached (self,
    "WITH members AS (SELECT id FROM request WHERE group_id = ?2 AND (?3 IS NULL OR id = ?3)) "
    "SELECT " LOG_COLUMNS " FROM sync_log WHERE server_seq < ?1 AND result != 'rejected' AND ("
    "  (entity = 'request' AND row_id IN (SELECT id FROM members))"
    "  OR (entity = 'notice' AND row_id IN (SELECT id FROM notice "
    "      WHERE request_id IN (SELECT id FROM members)))"
    "  OR (entity = 'request_photo' AND row_id IN (SELECT request_id || '/' || sha256 "
    "      FROM request_photo WHERE request_id IN (SELECT id FROM members)))"
    "  OR (entity = 'photo' AND row_id IN (SELECT sha256 FROM request_photo "
    "      WHERE request_id IN (SELECT id FROM members)))"
    "  OR (?3 IS NULL AND entity = 'dup_group' AND row_id = ?2)"
    "  OR (?3 IS NULL AND entity = 'worksheet' AND row_id IN (SELECT id FROM worksheet "
    "      WHERE group_id = ?2))"
    "  OR (?3 IS NULL AND entity = 'worksheet_action' AND row_id IN (SELECT a.id "
    "      FROM worksheet_action a JOIN worksheet w ON w.id = a.worksheet_id "
    "      WHERE w.group_id = ?2))"
    "  OR (?3 IS NULL AND entity = 'worksheet_action_photo' AND row_id IN ("
    "      SELECT ap.action_id || '/' || ap.sha256 FROM worksheet_action_photo ap "
    "      JOIN worksheet_action a ON a.id = ap.action_id "
    "      JOIN worksheet w ON w.id = a.worksheet_id WHERE w.group_id = ?2))"
    ") AND live = 1 AND server_seq > ?4 ORDER BY server_seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->server_seq);
  sqlite3_bind_text (stmt, 2, group_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, request_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, after);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The page is full: the next one goes on from *@last (a backfill cursor). */
      if (*budget == 0)
        {
          *done = FALSE;
          return TRUE;
        }
      *last = sqlite3_column_int64 (stmt, 0);
      (*budget)--;
      if (!emit (self, PAYAM_ROLE_CREW, crew_id, log_row_to_op (stmt), ops, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* Where a page that stops before op @op_seq ends: in its backfill after @backfilled (-1:
 * none sent yet), or just before it. */
static gint64
stop_before (gint64 op_seq,
             gint64 backfilled)
{
  return backfilled >= 0 ? _payam_sync_cursor_join (op_seq, backfilled) : op_seq - 1;
}

GPtrArray *
payam_store_sync_pull (PayamStore  *self,
                       PayamRole    role,
                       const char  *crew_id,
                       gint64       after,
                       guint        limit,
                       gint64      *next,
                       gboolean    *more,
                       GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  gint64 min_seq;
  gint64 resume_seq;
  gint64 resume_backfilled;
  gint64 cursor = after;
  guint budget = limit;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0 && next != NULL && more != NULL, NULL);
  g_return_val_if_fail (role != PAYAM_ROLE_CREW || crew_id != NULL, NULL);

  *next = after;
  *more = FALSE;
  if (!_payam_sync_meta_get_int (self, "sync_min_seq", &min_seq, error))
    return NULL;
  _payam_sync_cursor_split (after, &resume_seq, &resume_backfilled);
  if (after < 0 || resume_seq < min_seq)
    {
      g_set_error_literal (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GONE,
                           _("This device is too far behind the office; it must be synced "
                             "again from the start."));
      return NULL;
    }

  /* Only live ops (see op_stays_live), through the index of those. Each op scanned, and
   * each op of a crew's backfill, costs one of @limit: a page never holds more. */
  stmt = _payam_store_prepare_cached (self, "SELECT " LOG_COLUMNS " FROM sync_log "
                                      "INDEXED BY sync_log_live "
                                      "WHERE server_seq > ?1 AND live = 1 "
                                      "AND result != 'rejected' "
                                      "ORDER BY server_seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, resume_seq - 1);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PayamOp) op = NULL;
      gint64 backfilled = -1;

      if (budget == 0)
        {
          *more = TRUE;
          break;
        }
      op = log_row_to_op (stmt);
      /* A page that stopped in this op's backfill goes on after what it sent. */
      if (op->server_seq == resume_seq)
        backfilled = resume_backfilled;
      if (role == PAYAM_ROLE_CREW)
        {
          gboolean done;
          gint64 last;
          guint unbounded = G_MAXUINT;

          /* Past what a backfill cursor can name the backfill goes whole. */
          if (!backfill_for_crew (self, crew_id, op, MAX (backfilled, 0), ops,
                                  op->server_seq <= PAYAM_SYNC_CURSOR_SPLIT_MAX ? &budget
                                                                                : &unbounded,
                                  &last, &done, error))
            return NULL;
          if (last > MAX (backfilled, 0))
            backfilled = last;
          if (!done || budget == 0)
            {
              cursor = stop_before (op->server_seq, backfilled);
              *more = TRUE;
              break;
            }
        }
      budget--;
      cursor = op->server_seq;
      if (!emit (self, role, crew_id, g_steal_pointer (&op), ops, error))
        return NULL;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  *next = cursor;
  return g_steal_pointer (&ops);
}
