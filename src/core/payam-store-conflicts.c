/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conflict rows decided by the office: closed once, by whom and when. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-store-conflicts.h"
#include "payam-store-private.h"
#include "payam-store-triage.h"

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

/* Write @value (JSON text) into @field of request @request_id the way the office's own
 * change of that field does, with @reason. */
static gboolean
write_field (PayamStore  *self,
             const char  *request_id,
             const char  *field,
             const char  *value,
             const char  *reason,
             GError     **error)
{
  g_autoptr(JsonNode) node = value != NULL ? json_from_string (value, NULL) : NULL;
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                           : G_TYPE_INVALID;
  PayamStatus status;

  if (g_strcmp0 (field, "priority") == 0 && type == G_TYPE_INT64 &&
      json_node_get_int (node) >= PAYAM_PRIORITY_URGENT &&
      json_node_get_int (node) <= PAYAM_PRIORITY_NORMAL)
    return payam_store_triage_set_priority (self, request_id,
                                            (PayamPriority) json_node_get_int (node), reason,
                                            error);
  if (g_strcmp0 (field, "category") == 0 && type == G_TYPE_STRING)
    return payam_store_triage_set_category (self, request_id, json_node_get_string (node),
                                            reason, error);
  if (g_strcmp0 (field, "status") == 0 && type == G_TYPE_STRING &&
      payam_status_from_string (json_node_get_string (node), &status))
    return payam_store_set_status (self, request_id, status, PAYAM_ROLE_OFFICE, reason, error);
  if (g_strcmp0 (field, "priority") == 0 || g_strcmp0 (field, "category") == 0 ||
      g_strcmp0 (field, "status") == 0)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                           _("That value does not fit this field; choose one of the values "
                             "offered."));
      return FALSE;
    }
  g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                       _("This field cannot be written from the office window; keep the "
                         "value held or dismiss the conflict."));
  return FALSE;
}

static const char *
decision_to_string (PayamConflictDecision decision)
{
  switch (decision)
    {
    case PAYAM_DECISION_KEEP:
      return "keep";
    case PAYAM_DECISION_OTHER:
      return "other";
    case PAYAM_DECISION_WRITE:
      return "write";
    case PAYAM_DECISION_DISMISS:
      return "dismiss";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
payam_store_decide_conflict (PayamStore             *self,
                             const char             *conflict_id,
                             PayamConflictDecision   decision,
                             const char             *value,
                             GError                **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *row_id = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *field = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *by_name = NULL;
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonNode) detail_node = NULL;
  const char *written = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (decision != PAYAM_DECISION_WRITE || value != NULL, FALSE);

  now = _payam_store_now (self);
  now_text = _payam_time_to_db (now);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  {
    g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
                                                             "UPDATE conflict SET resolved_at ="
                                                             " :now, resolved_by = coalesce"
                                                             " ((SELECT name FROM staff WHERE"
                                                             " id = :actor), :actor)"
                                                             " WHERE id = :id AND resolved_at"
                                                             " IS NULL RETURNING entity, row_id,"
                                                             " field, lost_value, resolved_by",
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
        field = _payam_column_dup_text (stmt, 2);
        lost = _payam_column_dup_text (stmt, 3);
        by_name = _payam_column_dup_text (stmt, 4);
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
  /* The decision goes to the server and the other office devices like any edit, under the
   * member's name: staff accounts stay on their desk, so an id would tell the others
   * nothing. */
  {
    g_autoptr(JsonNode) at = json_node_init_string (json_node_alloc (), now_text);
    g_autoptr(JsonNode) by = json_node_init_string (json_node_alloc (), by_name);

    if (!_payam_store_append_op (self, "conflict", conflict_id, "resolved_at", at, error) ||
        !_payam_store_append_op (self, "conflict", conflict_id, "resolved_by", by, error))
      goto fail;
  }
  if (decision == PAYAM_DECISION_OTHER || decision == PAYAM_DECISION_WRITE)
    {
      written = decision == PAYAM_DECISION_OTHER ? lost : value;
      if (g_strcmp0 (entity, "request") != 0)
        {
          g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                               _("This field cannot be written from the office window; keep "
                                 "the value held or dismiss the conflict."));
          goto fail;
        }
      if (!write_field (self, row_id, field, written, _("Decided on a conflict"), error))
        goto fail;
    }
  json_builder_begin_object (detail);
  json_builder_set_member_name (detail, "decision");
  json_builder_add_string_value (detail, decision_to_string (decision));
  if (written != NULL)
    {
      json_builder_set_member_name (detail, "value");
      json_builder_add_string_value (detail, written);
    }
  json_builder_end_object (detail);
  detail_node = json_builder_get_root (detail);
  if (!_payam_store_append_audit (self, "conflict-decide", "conflict", conflict_id,
                                  detail_node, error))
    goto fail;
  /* The office's lists of the request follow (its conflict left the queue). */
  if (g_strcmp0 (entity, "request") == 0)
    _payam_store_note_changed (self, row_id);
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

gboolean
payam_store_resolve_conflict (PayamStore  *self,
                              const char  *conflict_id,
                              GError     **error)
{
  return payam_store_decide_conflict (self, conflict_id, PAYAM_DECISION_KEEP, NULL, error);
}
