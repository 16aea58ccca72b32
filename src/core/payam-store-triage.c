/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Triage on the store: the office's corrections of category and priority, confirm, reject. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-deadline.h"
#include "payam-lifecycle.h"
#include "payam-priority.h"
#include "payam-store-private.h"
#include "payam-store-staff.h"
#include "payam-store-triage.h"

/* The triage reason stripped, or an INVALID error saying it is needed. */
static char *
required_reason (const char  *reason,
                 GError     **error)
{
  g_autofree char *clean = NULL;

  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    {
      _payam_store_invalid (error, _("The reason contains invalid characters."));
      return NULL;
    }
  clean = _payam_strip_or_null (reason);
  if (clean == NULL)
    {
      _payam_store_invalid (error, _("Write why you are making this change."));
      return NULL;
    }
  if (g_utf8_strlen (clean, -1) > PAYAM_MAX_TEXT_CHARS)
    {
      _payam_store_invalid (error, _("The reason is too long."));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

/* An open request (registered … in_progress) by id; INVALID for a finished one. */
static PayamRequest *
get_open_request (PayamStore  *self,
                  const char  *request_id,
                  GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);

  if (request == NULL)
    return NULL;
  if (!payam_status_is_open (request->status))
    {
      _payam_store_invalid (error, _("This message is already finished; "
                                     "a supervisor has to reopen it first."));
      return NULL;
    }
  return g_steal_pointer (&request);
}

static gboolean write_triage_ops (PayamStore          *self,
                                  const PayamRequest  *request,
                                  const PayamCategory *category,
                                  PayamPriority        priority,
                                  const char          *action,
                                  const char          *reason,
                                  GError             **error);

/* Write @category, @priority and the deadline they give @request, with their ops (carrying
 * @reason to every replica, PayamOp.why) and an audit row @action carrying @reason and
 * what changed. Inside a transaction. */
static gboolean
write_triage (PayamStore          *self,
              const PayamRequest  *request,
              const PayamCategory *category,
              PayamPriority        priority,
              const char          *action,
              const char          *reason,
              GError             **error)
{
  gboolean ok;

  _payam_store_set_op_why (self, reason);
  ok = write_triage_ops (self, request, category, priority, action, reason, error);
  _payam_store_set_op_why (self, NULL);
  return ok;
}

static gboolean
write_triage_ops (PayamStore          *self,
              const PayamRequest  *request,
              const PayamCategory *category,
              PayamPriority        priority,
              const char          *action,
              const char          *reason,
              GError             **error)
{
  g_autoptr(GDateTime) due = payam_deadline_compute (payam_store_get_work_calendar (self),
                                                     &category->rule, priority,
                                                     request->created_at);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *due_text = _payam_time_to_db (due);
  g_autofree char *old_due_text = _payam_time_to_db (request->due_at);
  g_autofree char *now_text = _payam_time_to_db (now);
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);

  stmt = _payam_store_prepare_cached (self, "UPDATE request SET category_id = :category,"
                                      " priority = :priority, due_at = :due_at,"
                                      " updated_at = :updated_at WHERE id = :id", error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":category", category->code);
  _payam_bind_int (stmt, ":priority", priority);
  _payam_bind_text (stmt, ":due_at", due_text);
  _payam_bind_text (stmt, ":updated_at", now_text);
  _payam_bind_text (stmt, ":id", request->id);
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;

  /* Only what changed goes out: an unchanged field keeps its version. */
  if (g_strcmp0 (category->code, request->category) != 0)
    {
      json_node_set_string (value, category->code);
      if (!_payam_store_append_op (self, "request", request->id, "category", value, error))
        return FALSE;
    }
  if (priority != request->priority)
    {
      json_node_set_int (value, priority);
      if (!_payam_store_append_op (self, "request", request->id, "priority", value, error))
        return FALSE;
    }
  if (g_strcmp0 (due_text, old_due_text) != 0)
    {
      json_node_set_string (value, due_text);
      if (!_payam_store_append_op (self, "request", request->id, "due_at", value, error))
        return FALSE;
    }
  if (g_strcmp0 (category->code, request->category) == 0 && priority == request->priority)
    _payam_store_note_changed (self, request->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "category_from");
  json_builder_add_string_value (b, request->category);
  json_builder_set_member_name (b, "category_to");
  json_builder_add_string_value (b, category->code);
  json_builder_set_member_name (b, "priority_from");
  json_builder_add_int_value (b, request->priority);
  json_builder_set_member_name (b, "priority_to");
  json_builder_add_int_value (b, priority);
  json_builder_set_member_name (b, "due_from");
  json_builder_add_string_value (b, old_due_text);
  json_builder_set_member_name (b, "due_to");
  json_builder_add_string_value (b, due_text);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  return _payam_store_append_audit (self, action, "request", request->id, detail, error);
}

gboolean
payam_store_triage_confirm (PayamStore  *self,
                            const char  *request_id,
                            GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return payam_store_set_status (self, request_id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                 NULL, error);
}

gboolean
payam_store_triage_set_category (PayamStore  *self,
                                 const char  *request_id,
                                 const char  *category,
                                 const char  *reason,
                                 GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(PayamRequest) request = NULL;
  const PayamCategory *cat;
  PayamPriority priority;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if ((clean = required_reason (reason, error)) == NULL)
    return FALSE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if ((request = get_open_request (self, request_id, error)) == NULL)
    goto fail;
  if (category == NULL || (cat = _payam_store_lookup_category (self, category, NULL)) == NULL)
    {
      _payam_store_invalid (error, _("Choose one of the categories."));
      goto fail;
    }
  priority = payam_priority_compute (&request->answers, request->hazard, request->text_norm,
                                     cat->default_priority);
  if (!write_triage (self, request, cat, priority, "triage-category", clean, error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

gboolean
payam_store_triage_set_priority (PayamStore     *self,
                                 const char     *request_id,
                                 PayamPriority   priority,
                                 const char     *reason,
                                 GError        **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(PayamRequest) request = NULL;
  const PayamCategory *cat;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if (priority < PAYAM_PRIORITY_URGENT || priority > PAYAM_PRIORITY_NORMAL)
    return _payam_store_invalid (error, _("Choose urgent, high or normal."));
  if ((clean = required_reason (reason, error)) == NULL)
    return FALSE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if ((request = get_open_request (self, request_id, error)) == NULL ||
      (cat = _payam_store_lookup_category (self, request->category, error)) == NULL ||
      !write_triage (self, request, cat, priority, "triage-priority", clean, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

gboolean
payam_store_triage_reject (PayamStore  *self,
                           const char  *request_id,
                           const char  *reason,
                           GError     **error)
{
  g_autofree char *clean = NULL;
  gboolean ok;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if ((clean = required_reason (reason, error)) == NULL)
    return FALSE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  /* The citizen is told from the rejected template, the office's reason as its words. */
  /* The status op carries the reason to the crews as the office's why; the notice's op
   * does not. */
  _payam_store_set_op_why (self, clean);
  ok = _payam_store_set_status_in_tx (self, request_id, PAYAM_STATUS_REJECTED,
                                      PAYAM_ROLE_OFFICE, clean, NULL, error);
  _payam_store_set_op_why (self, NULL);
  if (!ok ||
      !_payam_store_notify_in_tx (self, request_id, PAYAM_NOTICE_REJECTED, clean, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* ---- a supervisor's ------------------------------------------------------------------- */

/* Whether the signed-in member is an office account that may do @permission. */
static gboolean
actor_may (PayamStore            *self,
           PayamStaffPermission   permission,
           GError               **error)
{
  return _payam_store_member_may (self, permission, error);
}

/* The audit row of a supervisor's @action on @request_id: @reason and what changed. */
static gboolean
audit_supervisor (PayamStore *self,
                  const char *action,
                  const char *request_id,
                  const char *reason,
                  const char *from,
                  const char *to,
                  GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  return _payam_store_append_audit (self, action, "request", request_id, detail, error);
}

gboolean
payam_store_supervisor_reopen (PayamStore  *self,
                               const char  *request_id,
                               const char  *reason,
                               GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(PayamRequest) request = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if (!actor_may (self, PAYAM_STAFF_MAY_REOPEN, error))
    return FALSE;
  if ((clean = required_reason (reason, error)) == NULL)
    return FALSE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if ((request = payam_store_get_request (self, request_id, error)) == NULL)
    goto fail;
  if (payam_status_is_open (request->status))
    {
      _payam_store_invalid (error, _("This message is still open; there is nothing to reopen."));
      goto fail;
    }
  if (!_payam_store_set_status_in_tx (self, request_id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                      clean, NULL, error) ||
      !audit_supervisor (self, "supervisor-reopen", request_id, clean,
                         payam_status_to_string (request->status),
                         payam_status_to_string (PAYAM_STATUS_TRIAGED), error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

gboolean
payam_store_supervisor_set_deadline (PayamStore  *self,
                                     const char  *request_id,
                                     GDateTime   *due,
                                     const char  *reason,
                                     GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *old_due_text = NULL;
  g_autofree char *now_text = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if (!actor_may (self, PAYAM_STAFF_MAY_SET_DEADLINE, error))
    return FALSE;
  if (due == NULL)
    return _payam_store_invalid (error, _("Choose the new deadline."));
  if ((clean = required_reason (reason, error)) == NULL)
    return FALSE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if ((request = get_open_request (self, request_id, error)) == NULL)
    goto fail;
  if (g_date_time_compare (due, request->created_at) <= 0)
    {
      _payam_store_invalid (error, _("The deadline must come after the message was registered."));
      goto fail;
    }
  due_text = _payam_time_to_db (due);
  old_due_text = _payam_time_to_db (request->due_at);
  now = _payam_store_now (self);
  now_text = _payam_time_to_db (now);
  stmt = _payam_store_prepare_cached (self, "UPDATE request SET due_at = :due_at,"
                                      " updated_at = :updated_at WHERE id = :id", error);
  if (stmt == NULL)
    goto fail;
  _payam_bind_text (stmt, ":due_at", due_text);
  _payam_bind_text (stmt, ":updated_at", now_text);
  _payam_bind_text (stmt, ":id", request->id);
  if (!_payam_store_step_done (self, stmt, error))
    goto fail;
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, due_text);
  if (!_payam_store_append_op (self, "request", request->id, "due_at", value, error) ||
      !audit_supervisor (self, "supervisor-deadline", request->id, clean, old_due_text,
                         due_text, error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}
