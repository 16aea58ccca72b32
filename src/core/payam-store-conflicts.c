/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conflict rows decided by the office: closed once, by whom and when. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-store-conflicts.h"
#include "payam-store-private.h"

/* Who closed conflict @conflict_id and when, as an INVALID error; NOT_FOUND when there is
 * no such conflict. Always FALSE. */
static gboolean
already_decided (PayamStore  *self,
                 const char  *conflict_id,
                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
                                                           "SELECT coalesce ((SELECT name FROM"
                                                           " staff WHERE id = c.resolved_by),"
                                                           " c.resolved_by), c.resolved_at"
                                                           " FROM conflict c WHERE c.id = :id",
                                                           error);
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":id", conflict_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("There is no such conflict."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  at = _payam_time_from_db ((const char *) sqlite3_column_text (stmt, 1));
  when = at != NULL ? payam_format_date_time (at) : g_strdup ("");
  /* Translators: who decided a conflict first (a name or an id), then when. */
  g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
               _("This conflict was already decided by %s on %s; nothing was changed."),
               sqlite3_column_text (stmt, 0) != NULL
               ? (const char *) sqlite3_column_text (stmt, 0) : "?", when);
  return FALSE;
}

gboolean
payam_store_resolve_conflict (PayamStore  *self,
                              const char  *conflict_id,
                              GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *row_id = NULL;
  g_autofree char *entity = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);

  now = _payam_store_now (self);
  now_text = _payam_time_to_db (now);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  {
    g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
                                                             "UPDATE conflict SET resolved_at ="
                                                             " :now, resolved_by = :actor"
                                                             " WHERE id = :id AND resolved_at"
                                                             " IS NULL RETURNING entity, row_id",
                                                             error);

    if (stmt == NULL)
      goto fail;
    _payam_bind_text (stmt, ":now", now_text);
    _payam_bind_text (stmt, ":actor", self->actor);
    _payam_bind_text (stmt, ":id", conflict_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        entity = _payam_column_dup_text (stmt, 0);
        row_id = _payam_column_dup_text (stmt, 1);
        rc = sqlite3_step (stmt);
      }
    if (rc != SQLITE_DONE)
      {
        _payam_store_set_sql_error (self, rc, error);
        goto fail;
      }
  }
  if (row_id == NULL)
    {
      already_decided (self, conflict_id, error);
      goto fail;
    }
  if (!_payam_store_append_audit (self, "conflict-resolve", "conflict", conflict_id, NULL,
                                  error))
    goto fail;
  /* The office's lists of the request follow (its conflict left the queue). */
  if (g_strcmp0 (entity, "request") == 0)
    _payam_store_note_changed (self, row_id);
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}
