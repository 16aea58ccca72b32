/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore lifecycle: duplicate groups, status moves with the feedback rule, and notices. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-store-private.h"
#include "payam-uuid.h"

/* ---- duplicate groups ---------------------------------------------------------------- */

char *
_payam_store_ensure_group_in_tx (PayamStore  *self,
                                 const char  *request_id,
                                 GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = _payam_time_to_db (now);
  g_autofree char *group_id = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) field = NULL;

  if (request == NULL)
    return NULL;
  if (request->group_id != NULL)
    return g_steal_pointer (&request->group_id);

  group_id = payam_uuid7_new ();
  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_GROUP_INSERT, error);

    if (stmt == NULL)
      return NULL;
    _payam_bind_text (stmt, ":id", group_id);
    _payam_bind_text (stmt, ":lead_request_id", request->id);
    _payam_bind_text (stmt, ":created_at", created_at);
    if (!_payam_store_step_done (self, stmt, error))
      return NULL;
  }
  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_REQUEST_SET_GROUP, error);

    if (stmt == NULL)
      return NULL;
    _payam_bind_text (stmt, ":group_id", group_id);
    _payam_bind_text (stmt, ":updated_at", created_at);
    _payam_bind_text (stmt, ":id", request->id);
    if (!_payam_store_step_done (self, stmt, error))
      return NULL;
  }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lead_request_id");
  json_builder_add_string_value (b, request->id);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, "proposed");
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);
  field = json_node_init_string (json_node_alloc (), group_id);

  if (!_payam_store_append_op (self, "dup_group", group_id, NULL, value, error) ||
      !_payam_store_append_op (self, "request", request->id, "group_id", field, error) ||
      !_payam_store_append_audit (self, "create-group", "dup_group", group_id, NULL, error))
    return NULL;
  return g_steal_pointer (&group_id);
}

char *
payam_store_ensure_group (PayamStore  *self,
                          const char  *request_id,
                          GError     **error)
{
  g_autofree char *group_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  group_id = _payam_store_ensure_group_in_tx (self, request_id, error);
  if (group_id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&group_id);
}

/* ---- status ----------------------------------------------------------------------------- */

static gboolean
count_without_notice (PayamStore         *self,
                      const PayamRequest *request,
                      guint              *out,
                      GError            **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  if (request->group_id != NULL)
    {
      stmt = _payam_store_stmt (self, STMT_REQUEST_FEEDBACK_GROUP, error);
      if (stmt == NULL)
        return FALSE;
      _payam_bind_text (stmt, ":group_id", request->group_id);
    }
  else
    {
      stmt = _payam_store_stmt (self, STMT_REQUEST_FEEDBACK_ALONE, error);
      if (stmt == NULL)
        return FALSE;
      _payam_bind_text (stmt, ":id", request->id);
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = sqlite3_column_int (stmt, 0);
  return TRUE;
}

gboolean
_payam_store_set_status_in_tx (PayamStore  *self,
                               const char  *request_id,
                               PayamStatus  to,
                               PayamRole    role,
                               const char  *reason,
                               const char  *worksheet_id,
                               GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *updated_at = _payam_time_to_db (now);
  g_autofree char *clean_reason = _payam_strip_or_null (reason);
  PayamLifecycleContext ctx = { 0 };
  int epoch;

  if (request == NULL)
    return FALSE;
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    return _payam_store_invalid (error, _("The reason contains invalid characters."));

  ctx.from = request->status;
  if (!count_without_notice (self, request, &ctx.members_without_sent_notice, error))
    return FALSE;
  if (!payam_lifecycle_check (&ctx, to, role, clean_reason, error))
    return FALSE;
  epoch = request->status_epoch + (payam_lifecycle_is_reopen (request->status, to) ? 1 : 0);

  stmt = _payam_store_stmt (self, STMT_REQUEST_SET_STATUS, error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":status", payam_status_to_string (to));
  _payam_bind_int (stmt, ":status_epoch", epoch);
  _payam_bind_text (stmt, ":status_reason", clean_reason);
  _payam_bind_text (stmt, ":updated_at", updated_at);
  _payam_bind_text (stmt, ":id", request->id);
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;

  /* Status merges as the lattice (epoch, rank): one op carries both, and the reason. */
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, payam_status_to_string (to));
  json_builder_set_member_name (b, "epoch");
  json_builder_add_int_value (b, epoch);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, clean_reason);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  g_clear_object (&b);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, payam_status_to_string (request->status));
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, payam_status_to_string (to));
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, payam_role_to_string (role));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, clean_reason);
  if (worksheet_id != NULL)
    {
      json_builder_set_member_name (b, "worksheet_id");
      json_builder_add_string_value (b, worksheet_id);
    }
  json_builder_end_object (b);
  detail = json_builder_get_root (b);

  return _payam_store_append_op (self, "request", request->id, "status", value, error) &&
         _payam_store_append_audit (self, "set-status", "request", request->id, detail, error);
}

/**
 * payam_store_set_status:
 *
 * Check the move with payam_lifecycle_check(); its PAYAM_LIFECYCLE_ERROR (not allowed, role,
 * reason required, feedback pending) is passed on unchanged. The feedback rule counts every
 * member of the request's duplicate group (or the request alone) that has no notice in
 * state 'sent'. A citizen who gave no phone is no exception: the notice is then of channel
 * 'tracking-code', and the office marks it sent once the outcome is published on the
 * track page. A reopen raises status_epoch. NOT_FOUND for an unknown request.
 */
gboolean
payam_store_set_status (PayamStore  *self,
                        const char  *request_id,
                        PayamStatus  to,
                        PayamRole    role,
                        const char  *reason,
                        GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_store_set_status_in_tx (self, request_id, to, role, reason, NULL, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* ---- notices ---------------------------------------------------------------------------- */

char *
_payam_store_add_notice_in_tx (PayamStore  *self,
                               const char  *request_id,
                               const char  *kind,
                               const char  *text,
                               GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = _payam_time_to_db (now);
  g_autofree char *id = NULL;
  const char *channel;

  if (request == NULL)
    return NULL;
  if (kind == NULL || *kind == '\0' || !g_utf8_validate (kind, -1, NULL))
    {
      _payam_store_invalid (error, _("The kind of the notice is missing."));
      return NULL;
    }
  if (text == NULL || !g_utf8_validate (text, -1, NULL) || *text == '\0')
    {
      _payam_store_invalid (error, _("Write the text of the notice for the citizen."));
      return NULL;
    }

  channel = request->phone != NULL ? "sms" : "tracking-code";
  id = payam_uuid7_new ();
  stmt = _payam_store_stmt (self, STMT_NOTICE_INSERT, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":id", id);
  _payam_bind_text (stmt, ":request_id", request->id);
  _payam_bind_text (stmt, ":kind", kind);
  _payam_bind_text (stmt, ":text", text);
  _payam_bind_text (stmt, ":channel", channel);
  _payam_bind_text (stmt, ":created_at", created_at);
  if (!_payam_store_step_done (self, stmt, error))
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, request->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, channel);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, "pending");
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  if (!_payam_store_append_op (self, "notice", id, NULL, value, error) ||
      !_payam_store_append_audit (self, "add-notice", "notice", id, NULL, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * payam_store_add_notice:
 *
 * A pending notice for the citizen of @request_id: channel 'sms' when the request has a
 * phone, else 'tracking-code' (published on the track page). Returns the new id (caller
 * owns it) or NULL: NOT_FOUND for an unknown request, INVALID for an empty kind or text.
 */
char *
payam_store_add_notice (PayamStore  *self,
                        const char  *request_id,
                        const char  *kind,
                        const char  *text,
                        GError     **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  id = _payam_store_add_notice_in_tx (self, request_id, kind, text, error);
  if (id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
_payam_store_mark_notice_sent_in_tx (PayamStore  *self,
                                     const char  *notice_id,
                                     GError     **error)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *sent_at = _payam_time_to_db (now);
  g_autofree char *state = NULL;
  g_autoptr(JsonNode) value = NULL;

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_NOTICE_GET, error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    _payam_bind_text (stmt, ":id", notice_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                             _("No notice with this identifier was found."));
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      return _payam_store_set_sql_error (self, rc, error);
    state = _payam_column_dup_text (stmt, 0);
  }

  /* Marking twice is harmless and writes nothing. */
  if (g_strcmp0 (state, "sent") == 0)
    return TRUE;

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_NOTICE_MARK_SENT, error);

    if (stmt == NULL)
      return FALSE;
    _payam_bind_text (stmt, ":sent_at", sent_at);
    _payam_bind_text (stmt, ":id", notice_id);
    if (!_payam_store_step_done (self, stmt, error))
      return FALSE;
  }

  value = json_node_init_string (json_node_alloc (), "sent");
  return _payam_store_append_op (self, "notice", notice_id, "state", value, error) &&
         _payam_store_append_audit (self, "mark-notice-sent", "notice", notice_id, NULL, error);
}

/* Mark the notice sent (idempotent). NOT_FOUND for an unknown notice. */
gboolean
payam_store_mark_notice_sent (PayamStore  *self,
                              const char  *notice_id,
                              GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (notice_id != NULL, FALSE);

  return _payam_store_run_in_tx (self, _payam_store_mark_notice_sent_in_tx, notice_id, error);
}
