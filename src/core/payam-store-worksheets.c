/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore worksheets: crews, a group's one worksheet, actions with evidence, outcomes. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-store-feedback.h"
#include "payam-store-groups-private.h"
#include "payam-store-staff.h"
#include "payam-tracking.h"
#include "payam-uuid.h"

static const char * const action_names[] = {
  [PAYAM_ACTION_NOTE] = "note",
  [PAYAM_ACTION_ASSIGN] = "assign",
  [PAYAM_ACTION_START] = "start",
  [PAYAM_ACTION_PHOTO] = "photo",
  [PAYAM_ACTION_DONE] = "done",
  [PAYAM_ACTION_NOT_POSSIBLE] = "not_possible",
  [PAYAM_ACTION_BEFORE] = "before",
  [PAYAM_ACTION_AFTER] = "after",
};

const char *
payam_action_kind_to_string (PayamActionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (action_names), NULL);
  return action_names[kind];
}

gboolean
payam_action_kind_from_string (const char      *text,
                               PayamActionKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (action_names); i++)
    if (g_str_equal (text, action_names[i]))
      {
        *out = (PayamActionKind) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- crews -------------------------------------------------------------------------- */

char *
payam_store_add_crew (PayamStore  *self,
                      const char  *name,
                      const char  *neighbourhood,
                      GError     **error)
{
  g_autofree char *clean = _payam_strip_or_null (name);
  g_autofree char *id = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean known = TRUE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  /* Crews and their members are a supervisor's, or payamctl's (no member signed in). */
  if (self->member != NULL &&
      !_payam_store_member_may (self, PAYAM_STAFF_MAY_MANAGE_CREWS, error))
    return NULL;

  if (clean == NULL || !g_utf8_validate (clean, -1, NULL))
    {
      _payam_store_invalid (error, _("Write the name of the crew."));
      return NULL;
    }
  if (g_utf8_strlen (clean, -1) > PAYAM_MAX_NAME_CHARS)
    {
      _payam_store_invalid (error, _("The name of the crew is too long."));
      return NULL;
    }
  if (neighbourhood != NULL &&
      (!_payam_store_is_neighbourhood (self, neighbourhood, &known, error) || !known))
    {
      if (!known)
        _payam_store_invalid (error, _("Choose a neighbourhood from the list."));
      return NULL;
    }

  id = payam_uuid7_new ();
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, clean);
  json_builder_set_member_name (b, "neighbourhood");
  json_builder_add_string_value (b, neighbourhood);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  if (!_payam_groups_exec (self, "INSERT INTO crew (id, name, neighbourhood) "
                                 "VALUES (?1, ?2, ?3)", error, 3, id, clean, neighbourhood) ||
      !_payam_store_append_op (self, "crew", id, NULL, value, error) ||
      !_payam_groups_audit (self, error, "add-crew", "crew", id, 1, "name", clean))
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
payam_store_find_crew (PayamStore  *self,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT id FROM crew WHERE name = ?1 OR id = ?1 "
                                      "ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _payam_column_dup_text (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("No crew with this name was found."));
  else
    _payam_store_set_sql_error (self, rc, error);
  return NULL;
}

/* ---- the worksheet of a group --------------------------------------------------------- */

/* The worksheet serving @request_id, made with a group of one when missing; *group_id
 * and *status (may be NULL) get its group and status. */
static char *
ensure_worksheet_in_tx (PayamStore  *self,
                        const char  *request_id,
                        char       **group_id_out,
                        char       **status_out,
                        GError     **error)
{
  g_autofree char *group_id = _payam_store_ensure_group_in_tx (self, request_id, error);
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;

  if (group_id == NULL)
    return NULL;
  if (!_payam_groups_worksheet_of (self, group_id, &id, &status, NULL, error))
    return NULL;
  if (id == NULL)
    {
      id = _payam_groups_create_worksheet (self, group_id, error);
      if (id == NULL)
        return NULL;
      status = g_strdup ("open");
    }
  if (group_id_out != NULL)
    *group_id_out = g_steal_pointer (&group_id);
  if (status_out != NULL)
    *status_out = g_steal_pointer (&status);
  return g_steal_pointer (&id);
}

char *
payam_store_ensure_worksheet (PayamStore  *self,
                              const char  *request_id,
                              GError     **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  id = ensure_worksheet_in_tx (self, request_id, NULL, NULL, error);
  if (id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
is_finished (const char *status)
{
  return g_strcmp0 (status, "done") == 0 || g_strcmp0 (status, "not_possible") == 0 ||
         g_strcmp0 (status, "merged") == 0;
}

static gboolean
refuse_finished (GError **error)
{
  return _payam_store_invalid (error, _("The work of this group is finished; only notes and "
                                        "photos can still be added. Reopen its requests to "
                                        "work on them again."));
}

/* Append one action row with its photos, its ops (grow-only by id) and audit row. */
static char *
insert_action (PayamStore             *self,
               const char             *worksheet_id,
               PayamActionKind         kind,
               const char             *note,
               const char * const     *photos,
               GError                **error)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *at = _payam_time_to_db (now);
  g_autofree char *id = payam_uuid7_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) value = NULL;

  if (!_payam_groups_exec (self, "INSERT INTO worksheet_action (id, worksheet_id, kind, note, "
                                 "actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error, 6,
                           id, worksheet_id, payam_action_kind_to_string (kind), note,
                           self->actor, at))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "worksheet_id");
  json_builder_add_string_value (b, worksheet_id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, payam_action_kind_to_string (kind));
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, note);
  json_builder_set_member_name (b, "actor");
  json_builder_add_string_value (b, self->actor);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);
  if (!_payam_store_append_op (self, "worksheet_action", id, NULL, value, error))
    return NULL;

  for (gsize i = 0; photos != NULL && photos[i] != NULL; i++)
    {
      g_autofree char *row_id = g_strconcat (id, "/", photos[i], NULL);
      g_autoptr(JsonBuilder) pb = json_builder_new ();
      g_autoptr(JsonNode) pvalue = NULL;
      gboolean known = FALSE;

      {
        g_autoptr(PayamStmt) stmt = NULL;
        int rc;

        stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM photo WHERE sha256 = ?1", error);
        if (stmt == NULL)
          return NULL;
        sqlite3_bind_text (stmt, 1, photos[i], -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
          {
            _payam_store_set_sql_error (self, rc, error);
            return NULL;
          }
        known = rc == SQLITE_ROW;
      }
      if (!known)
        {
          g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                               _("The photo was not found."));
          return NULL;
        }
      if (!_payam_groups_exec (self, "INSERT OR IGNORE INTO worksheet_action_photo "
                                     "(action_id, sha256) VALUES (?1, ?2)",
                               error, 2, id, photos[i]))
        return NULL;
      json_builder_begin_object (pb);
      json_builder_set_member_name (pb, "action_id");
      json_builder_add_string_value (pb, id);
      json_builder_set_member_name (pb, "sha256");
      json_builder_add_string_value (pb, photos[i]);
      json_builder_end_object (pb);
      pvalue = json_builder_get_root (pb);
      if (!_payam_store_append_op (self, "worksheet_action_photo", row_id, NULL, pvalue, error))
        return NULL;
    }

  if (!_payam_groups_audit (self, error, "add-action", "worksheet", worksheet_id, 2,
                            "action_id", id, "kind", payam_action_kind_to_string (kind)))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
set_worksheet_field (PayamStore  *self,
                     const char  *worksheet_id,
                     const char  *field,
                     const char  *value,
                     GError     **error)
{
  const char *sql = g_str_equal (field, "status")
                    ? "UPDATE worksheet SET status = ?2 WHERE id = ?1"
                    : "UPDATE worksheet SET crew_id = ?2 WHERE id = ?1";

  return _payam_groups_exec (self, sql, error, 2, worksheet_id, value) &&
         _payam_groups_op_string (self, "worksheet", worksheet_id, field, value, error);
}

/* Move every member of @group_id whose status is open and before @to to @to (for
 * outcomes: every open member), as @role, recorded as done once for @worksheet_id. */
static gboolean
move_members (PayamStore   *self,
              const char   *group_id,
              const char   *worksheet_id,
              PayamStatus   to,
              PayamRole     role,
              const char   *reason,
              GError      **error)
{
  g_autoptr(GPtrArray) ids = _payam_groups_member_ids (self, group_id, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PayamRequest) member = payam_store_get_request (self, ids->pdata[i], error);

      if (member == NULL)
        return FALSE;
      if (!payam_status_is_open (member->status) || member->status >= to)
        continue;
      if (!_payam_store_set_status_in_tx (self, member->id, to, role, reason, worksheet_id,
                                          error))
        return FALSE;
    }
  return TRUE;
}

/* A pending notice about @outcome for every member of @group_id, each from its category's
 * template naming its own code, with the public @words (never the crew's note). */
static gboolean
notify_members (PayamStore          *self,
                const char          *group_id,
                PayamNoticeOutcome   outcome,
                const char          *words,
                GError             **error)
{
  g_autoptr(GPtrArray) ids = _payam_groups_member_ids (self, group_id, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!_payam_store_notify_in_tx (self, ids->pdata[i], outcome, words, error))
      return FALSE;
  return TRUE;
}

/* Whether any photo of the actions of @worksheet_id (or of @photos) lacks its bytes. */
static gboolean
evidence_pending (PayamStore          *self,
                  const char          *worksheet_id,
                  gboolean            *out,
                  GError             **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT count (*) FROM worksheet_action a "
                                      "JOIN worksheet_action_photo ap ON ap.action_id = a.id "
                                      "JOIN photo p ON p.sha256 = ap.sha256 "
                                      "WHERE a.worksheet_id = ?1 AND p.bytes IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, worksheet_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = sqlite3_column_int (stmt, 0) > 0;
  return TRUE;
}

static gboolean
assign_in_tx (PayamStore  *self,
              const char  *request_id,
              const char  *crew_id,
              GError     **error)
{
  g_autofree char *group_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *action = NULL;
  g_autofree char *known = NULL;

  known = payam_store_find_crew (self, crew_id, error);
  if (known == NULL)
    return FALSE;
  ws = ensure_worksheet_in_tx (self, request_id, &group_id, &status, error);
  if (ws == NULL)
    return FALSE;
  if (is_finished (status))
    return refuse_finished (error);
  action = insert_action (self, ws, PAYAM_ACTION_ASSIGN, known, NULL, error);
  return action != NULL &&
         set_worksheet_field (self, ws, "crew_id", known, error) &&
         (g_strcmp0 (status, "open") != 0 ||
          (set_worksheet_field (self, ws, "status", "assigned", error) &&
           notify_members (self, group_id, PAYAM_NOTICE_ASSIGNED, NULL, error))) &&
         move_members (self, group_id, ws, PAYAM_STATUS_ASSIGNED, PAYAM_ROLE_OFFICE, NULL,
                       error);
}

gboolean
payam_store_assign_crew (PayamStore  *self,
                         const char  *request_id,
                         const char  *crew_id,
                         GError     **error)
{
  return payam_store_assign_crew_why (self, request_id, crew_id, NULL, error);
}

gboolean
payam_store_assign_crew_why (PayamStore  *self,
                             const char  *request_id,
                             const char  *crew_id,
                             const char  *reason,
                             GError     **error)
{
  g_autofree char *clean = NULL;
  gboolean ok;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);
  g_return_val_if_fail (crew_id != NULL, FALSE);

  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    return _payam_store_invalid (error, _("The reason contains invalid characters."));
  clean = _payam_strip_or_null (reason);
  if (clean != NULL && g_utf8_strlen (clean, -1) > PAYAM_MAX_TEXT_CHARS)
    return _payam_store_invalid (error, _("The reason is too long."));
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  /* The reason rides on the field ops of the assignment to every replica (PayamOp.why). */
  _payam_store_set_op_why (self, clean);
  ok = assign_in_tx (self, request_id, crew_id, error);
  _payam_store_set_op_why (self, NULL);
  if (!ok)
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

gboolean
payam_store_get_worksheet_crew (PayamStore  *self,
                                const char  *request_id,
                                char       **crew_id,
                                GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL && crew_id != NULL, FALSE);

  *crew_id = NULL;
  stmt = _payam_store_prepare_cached (self,
    "SELECT (SELECT w.crew_id FROM worksheet w WHERE w.group_id = r.group_id "
    " AND w.status != 'merged' LIMIT 1) FROM request r WHERE r.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No message with this code or identifier was found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *crew_id = _payam_column_dup_text (stmt, 0);
  return TRUE;
}

/* ---- withdrawn work --------------------------------------------------------------------- */

const char *
payam_withdrawal_reason (PayamWithdrawal withdrawal)
{
  switch (withdrawal)
    {
    case PAYAM_WITHDRAWAL_NONE:
      return NULL;
    case PAYAM_WITHDRAWAL_REASSIGNED:
      return _("The office has given this work to another crew. It can no longer be changed "
               "here; what was recorded before goes to the office to decide.");
    case PAYAM_WITHDRAWAL_SPLIT:
      return _("The office has taken this message out of your worksheet. It can no longer be "
               "changed here; what was recorded before goes to the office to decide.");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
payam_store_get_withdrawal (PayamStore       *self,
                            const char       *request_id,
                            PayamWithdrawal  *out,
                            GError          **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL && out != NULL, FALSE);

  *out = PAYAM_WITHDRAWAL_NONE;
  /* One row: the device's crew (a crew's device only), the request's group and the crew of
   * that group's worksheet. */
  stmt = _payam_store_prepare_cached (self,
    "SELECT (SELECT value FROM meta WHERE key = 'sync_crew_id' AND EXISTS ("
    "  SELECT 1 FROM meta WHERE key = 'sync_role' AND value = 'crew')), r.group_id, "
    "(SELECT crew_id FROM worksheet WHERE group_id = r.group_id AND status != 'merged' "
    " LIMIT 1) FROM request r WHERE r.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No message with this code or identifier was found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL || sqlite3_column_bytes (stmt, 0) == 0)
    return TRUE;
  if (sqlite3_column_type (stmt, 1) == SQLITE_NULL || sqlite3_column_type (stmt, 2) == SQLITE_NULL)
    *out = PAYAM_WITHDRAWAL_SPLIT;
  else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
                      (const char *) sqlite3_column_text (stmt, 2)) != 0)
    *out = PAYAM_WITHDRAWAL_REASSIGNED;
  return TRUE;
}

static char *
add_action_in_tx (PayamStore             *self,
                  const char             *request_id,
                  const PayamActionDraft *draft,
                  PayamRole               role,
                  GError                **error)
{
  g_autofree char *group_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *action = NULL;
  g_autofree char *note = _payam_strip_or_null (draft->note);
  gboolean pending = FALSE;

  if (draft->note != NULL && !g_utf8_validate (draft->note, -1, NULL))
    {
      _payam_store_invalid (error, _("The note contains invalid characters."));
      return NULL;
    }
  if (note != NULL && g_utf8_strlen (note, -1) > PAYAM_MAX_TEXT_CHARS)
    {
      _payam_store_invalid (error, _("The note is too long."));
      return NULL;
    }
  if ((draft->kind == PAYAM_ACTION_PHOTO || draft->kind == PAYAM_ACTION_BEFORE ||
       draft->kind == PAYAM_ACTION_AFTER) && (draft->photos == NULL || draft->photos[0] == NULL))
    {
      _payam_store_invalid (error, _("Add at least one photo to a photo action."));
      return NULL;
    }
  if (draft->kind == PAYAM_ACTION_ASSIGN)
    {
      _payam_store_invalid (error, _("Assign a crew with the assign command."));
      return NULL;
    }

  /* A copy the crew no longer works is read-only on its device (issue #9 case 4). */
  {
    PayamWithdrawal withdrawal;

    if (!payam_store_get_withdrawal (self, request_id, &withdrawal, error))
      return NULL;
    if (withdrawal != PAYAM_WITHDRAWAL_NONE)
      {
        _payam_store_invalid (error, payam_withdrawal_reason (withdrawal));
        return NULL;
      }
  }
  ws = ensure_worksheet_in_tx (self, request_id, &group_id, &status, error);
  if (ws == NULL)
    return NULL;
  if (is_finished (status) && draft->kind != PAYAM_ACTION_NOTE &&
      draft->kind != PAYAM_ACTION_PHOTO && draft->kind != PAYAM_ACTION_BEFORE &&
      draft->kind != PAYAM_ACTION_AFTER)
    {
      refuse_finished (error);
      return NULL;
    }

  action = insert_action (self, ws, draft->kind, note, draft->photos, error);
  if (action == NULL)
    return NULL;

  switch (draft->kind)
    {
    case PAYAM_ACTION_START:
      if (!move_members (self, group_id, ws, PAYAM_STATUS_IN_PROGRESS, role, NULL, error) ||
          !set_worksheet_field (self, ws, "status", "in_progress", error))
        return NULL;
      break;
    case PAYAM_ACTION_DONE:
      /* No citizen is told the work is done on evidence that has not arrived. */
      if (!evidence_pending (self, ws, &pending, error))
        return NULL;
      if (pending)
        {
          _payam_store_invalid (error, _("A photo of this work has not arrived yet; wait for "
                                         "it before marking the work done."));
          return NULL;
        }
      if (!move_members (self, group_id, ws, PAYAM_STATUS_DONE, role, NULL, error) ||
          !set_worksheet_field (self, ws, "status", "done", error) ||
          !notify_members (self, group_id, PAYAM_NOTICE_DONE, draft->public_words, error))
        return NULL;
      break;
    case PAYAM_ACTION_NOT_POSSIBLE:
      /* The lifecycle refuses a missing reason for every member alike. */
      if (!move_members (self, group_id, ws, PAYAM_STATUS_NOT_POSSIBLE, role, note, error) ||
          !set_worksheet_field (self, ws, "status", "not_possible", error) ||
          !notify_members (self, group_id, PAYAM_NOTICE_NOT_POSSIBLE, draft->public_words,
                           error))
        return NULL;
      break;
    case PAYAM_ACTION_NOTE:
    case PAYAM_ACTION_PHOTO:
    case PAYAM_ACTION_BEFORE:
    case PAYAM_ACTION_AFTER:
    case PAYAM_ACTION_ASSIGN:
    default:
      break;
    }
  return g_steal_pointer (&action);
}

char *
payam_store_add_action (PayamStore             *self,
                        const char             *request_id,
                        const PayamActionDraft *draft,
                        PayamRole               role,
                        GError                **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (draft != NULL, NULL);
  g_return_val_if_fail ((guint) draft->kind < G_N_ELEMENTS (action_names), NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  id = add_action_in_tx (self, request_id, draft, role, error);
  if (id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}
