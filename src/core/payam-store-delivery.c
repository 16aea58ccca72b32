/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore delivery: the server's SMS queue for notices (claim, sent, retry, failed,
 * delivered) and citizens without a phone told by looking their code up. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-feedback.h"
#include "payam-store-private.h"

/* Pending SMS notices due now: never claimed, queued for a retry whose time has come, or
 * left sending by a crash. The partial index notice_pending serves it. */
#define SQL_DUE \
  "SELECT n.id, r.phone, n.text, d.localid FROM notice n" \
  " JOIN request r ON r.id = n.request_id" \
  " LEFT JOIN notice_delivery d ON d.notice_id = n.id" \
  " WHERE n.state = 'pending' AND n.channel = 'sms' AND r.phone IS NOT NULL" \
  "  AND (d.localid IS NULL OR d.state = 'sending'" \
  "       OR (d.state = 'queued' AND d.next_try_at <= ?1))" \
  " ORDER BY n.created_at, n.id LIMIT ?2"

void
payam_sms_item_free (PayamSmsItem *item)
{
  if (item == NULL)
    return;
  g_free (item->notice_id);
  g_free (item->phone);
  g_free (item->text);
  g_free (item->message_id);
  g_free (item);
}

/* Move @item to sending, making its notice_delivery row (and so its localid) when new. */
static gboolean
claim_one (PayamStore   *self,
           PayamSmsItem *item,
           const char   *now,
           GError      **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  if (item->localid != 0)
    {
      stmt = _payam_store_prepare_cached (self, "UPDATE notice_delivery SET state = 'sending',"
                                          " updated_at = ?2 WHERE localid = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item->localid);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      return _payam_store_step_done (self, stmt, error);
    }
  stmt = _payam_store_prepare_cached (self, "INSERT INTO notice_delivery (notice_id, state,"
                                      " updated_at) VALUES (?1, 'sending', ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item->notice_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;
  item->localid = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_claim_sms (PayamStore  *self,
                       guint        max,
                       GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sms_item_free);
  g_autoptr(GDateTime) now_dt = _payam_store_now (self);
  g_autofree char *now = _payam_time_to_db (now_dt);
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  {
    g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, SQL_DUE, error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, max);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        PayamSmsItem *item = g_new0 (PayamSmsItem, 1);

        item->notice_id = _payam_column_dup_text (stmt, 0);
        item->phone = _payam_column_dup_text (stmt, 1);
        item->text = _payam_column_dup_text (stmt, 2);
        item->localid = sqlite3_column_int64 (stmt, 3);
        g_ptr_array_add (items, item);
      }
    if (rc != SQLITE_DONE)
      {
        _payam_store_set_sql_error (self, rc, error);
        goto fail;
      }
  }
  for (guint i = 0; i < items->len; i++)
    if (!claim_one (self, items->pdata[i], now, error))
      goto fail;
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&items);

fail:
  _payam_store_tx_rollback (self);
  return NULL;
}

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_list_sms_awaiting (PayamStore  *self,
                               guint        max,
                               GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sms_item_free);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self,
    "SELECT d.localid, d.notice_id, d.message_id FROM notice_delivery d"
    " WHERE d.state = 'sent' ORDER BY d.updated_at, d.localid LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamSmsItem *item = g_new0 (PayamSmsItem, 1);

      item->localid = sqlite3_column_int64 (stmt, 0);
      item->notice_id = _payam_column_dup_text (stmt, 1);
      item->message_id = _payam_column_dup_text (stmt, 2);
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* Set the delivery row @localid to @state with @message_id and @reason (NULL keeps them),
 * counting an attempt when @attempt, next try in @delay_seconds (0: none). Its notice id
 * into *@notice_id (may be NULL). NOT_FOUND for an unknown localid. */
static gboolean
set_delivery (PayamStore  *self,
              gint64       localid,
              const char  *state,
              const char  *message_id,
              const char  *reason,
              gboolean     attempt,
              guint        delay_seconds,
              char       **notice_id,
              GError     **error)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autoptr(GDateTime) next = g_date_time_add_seconds (now, delay_seconds);
  g_autofree char *at = _payam_time_to_db (now);
  g_autofree char *next_at = _payam_time_to_db (next);
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "UPDATE notice_delivery SET state = ?2, message_id = coalesce (?3, message_id),"
    " reason = coalesce (?4, reason), attempts = attempts + ?5, next_try_at = ?6,"
    " updated_at = ?7 WHERE localid = ?1 RETURNING notice_id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, localid);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, message_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, attempt ? 1 : 0);
  if (delay_seconds > 0)
    sqlite3_bind_text (stmt, 6, next_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No text message with this local identifier was found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  if (notice_id != NULL)
    *notice_id = _payam_column_dup_text (stmt, 0);
  /* RETURNING: the change is made once the statement has run to its end. */
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* The notice @notice_id moves to 'failed' (synced, with its op). */
static gboolean
mark_notice_failed (PayamStore  *self,
                    const char  *notice_id,
                    GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "UPDATE notice SET state = 'failed', attempts = attempts + 1 WHERE id = ?1"
    " AND state = 'pending'", error);
  g_autoptr(JsonNode) value = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, notice_id, -1, SQLITE_STATIC);
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return TRUE;
  value = json_node_init_string (json_node_alloc (), "failed");
  return _payam_store_append_op (self, "notice", notice_id, "state", value, error) &&
         _payam_store_append_audit (self, "mark-notice-failed", "notice", notice_id, NULL,
                                    error);
}

/* See payam-store-feedback.h. */
gboolean
payam_store_sms_sent (PayamStore  *self,
                      gint64       localid,
                      const char  *message_id,
                      GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  return set_delivery (self, localid, "sent", message_id, NULL, TRUE, 0, NULL, error);
}

/* See payam-store-feedback.h. */
gboolean
payam_store_sms_retry (PayamStore  *self,
                       gint64       localid,
                       const char  *reason,
                       guint        delay_seconds,
                       GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  return set_delivery (self, localid, "queued", NULL, reason, TRUE, MAX (delay_seconds, 1),
                       NULL, error);
}

/* See payam-store-feedback.h. */
gboolean
payam_store_sms_failed (PayamStore  *self,
                        gint64       localid,
                        const char  *reason,
                        GError     **error)
{
  g_autofree char *notice_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!set_delivery (self, localid, "failed", NULL, reason, FALSE, 0, &notice_id, error) ||
      !mark_notice_failed (self, notice_id, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* See payam-store-feedback.h. */
gboolean
payam_store_sms_delivered (PayamStore  *self,
                           gint64       localid,
                           GError     **error)
{
  g_autofree char *notice_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!set_delivery (self, localid, "delivered", NULL, NULL, FALSE, 0, &notice_id, error) ||
      !_payam_store_mark_notice_sent_in_tx (self, notice_id, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* See payam-store-feedback.h. */
gboolean
payam_store_sms_attempts (PayamStore  *self,
                          gint64       localid,
                          guint       *out,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT attempts FROM notice_delivery WHERE localid = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, localid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No text message with this local identifier was found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* See payam-store-feedback.h. */
gboolean
payam_store_record_lookup (PayamStore  *self,
                           const char  *request_id,
                           guint       *n_told,
                           GError     **error)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now_dt = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  request = payam_store_get_request (self, request_id, error);
  if (request == NULL)
    return FALSE;
  now_dt = _payam_store_now (self);
  now = _payam_time_to_db (now_dt);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  {
    g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "SELECT id FROM notice WHERE request_id = ?1 AND state = 'pending'"
      " AND channel = 'tracking-code' AND created_at <= ?2", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, request->id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, _payam_column_dup_text (stmt, 0));
    if (rc != SQLITE_DONE)
      {
        _payam_store_set_sql_error (self, rc, error);
        goto fail;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
        "INSERT INTO notice_delivery (notice_id, state, updated_at)"
        " VALUES (?1, 'looked-up', ?2) ON CONFLICT (notice_id) DO UPDATE"
        " SET state = 'looked-up', updated_at = excluded.updated_at", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!_payam_store_step_done (self, stmt, error))
        goto fail;
      g_clear_pointer (&stmt, _payam_stmt_done);
      if (!_payam_store_mark_notice_sent_in_tx (self, ids->pdata[i], error))
        goto fail;
    }
  if (!_payam_store_tx_commit (self, error))
    return FALSE;
  if (n_told != NULL)
    *n_told = ids->len;
  return TRUE;

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

/* See payam-store-feedback.h. */
gboolean
payam_store_record_lookup_by_code (PayamStore  *self,
                                   const char  *code,
                                   guint       *n_told,
                                   GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *request_id = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  stmt = _payam_store_prepare_cached (self, "SELECT id FROM request WHERE tracking_code = ?1",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    request_id = _payam_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  g_clear_pointer (&stmt, _payam_stmt_done);
  if (request_id == NULL)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No request with this tracking code was found."));
      return FALSE;
    }
  return payam_store_record_lookup (self, request_id, n_told, error);
}
