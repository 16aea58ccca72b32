/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore duplicate groups: merge, split, the lead and confirmation, reading groups. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-merge-groups.h"
#include "payam-store-groups-private.h"

/* ---- group rows --------------------------------------------------------------------- */

const char *
payam_group_state_to_string (PayamGroupState state)
{
  switch (state)
    {
    case PAYAM_GROUP_PROPOSED:
      return "proposed";
    case PAYAM_GROUP_CONFIRMED:
      return "confirmed";
    case PAYAM_GROUP_DISSOLVED:
      return "split";
    default:
      g_return_val_if_reached (NULL);
    }
}

static PayamGroupState
group_state_from_string (const char *text)
{
  if (g_strcmp0 (text, "confirmed") == 0)
    return PAYAM_GROUP_CONFIRMED;
  if (g_strcmp0 (text, "split") == 0)
    return PAYAM_GROUP_DISSOLVED;
  return PAYAM_GROUP_PROPOSED;
}

void
payam_group_free (PayamGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->id);
  g_free (group->lead_request_id);
  g_clear_pointer (&group->members, g_ptr_array_unref);
  g_free (group->worksheet_id);
  g_free (group->worksheet_status);
  g_free (group->crew_id);
  g_clear_pointer (&group->due_at, g_date_time_unref);
  g_free (group);
}

/* The lead and state of @group_id into *lead and *state (owned); NOT_FOUND if unknown. */
static gboolean
group_row (PayamStore  *self,
           const char  *group_id,
           char       **lead,
           char       **state,
           GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT lead_request_id, state FROM dup_group "
                                      "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No group with this identifier was found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *lead = _payam_column_dup_text (stmt, 0);
  *state = _payam_column_dup_text (stmt, 1);
  return TRUE;
}

/* Write dup_group.@field (lead_request_id or state) of @group_id with its op. */
static gboolean
set_group_field (PayamStore  *self,
                 const char  *group_id,
                 const char  *field,
                 const char  *value,
                 GError     **error)
{
  const char *sql = g_str_equal (field, "state")
                    ? "UPDATE dup_group SET state = ?2 WHERE id = ?1"
                    : "UPDATE dup_group SET lead_request_id = ?2 WHERE id = ?1";

  return _payam_groups_exec (self, sql, error, 2, group_id, value) &&
         _payam_groups_op_string (self, "dup_group", group_id, field, value, error);
}

/* Move @request_id to @group_id (NULL: out of any group), with its op and an audit row
 * on the request ("join-group" or "leave-group") that its timeline reads. */
static gboolean
set_request_group (PayamStore  *self,
                   const char  *request_id,
                   const char  *group_id,
                   const char  *from_group_id,
                   GError     **error)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *updated_at = _payam_time_to_db (now);

  if (!_payam_groups_exec (self, "UPDATE request SET group_id = ?2, updated_at = ?3 "
                                 "WHERE id = ?1", error, 3, request_id, group_id, updated_at) ||
      !_payam_groups_op_string (self, "request", request_id, "group_id", group_id, error))
    return FALSE;
  if (group_id != NULL)
    return _payam_groups_audit (self, error, "join-group", "request", request_id, 2,
                                "group_id", group_id, "from_group_id", from_group_id);
  return _payam_groups_audit (self, error, "leave-group", "request", request_id, 1,
                              "group_id", from_group_id);
}

/* ---- merge -------------------------------------------------------------------------- */

static gboolean
refuse_closed (const PayamRequest  *request,
               GError             **error)
{
  if (payam_status_is_open (request->status))
    return TRUE;
  g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
               /* Translators: %s is a request status, such as "Done". */
               _("A request that is already “%s” cannot be merged into a group; register "
                 "the problem again if it came back."),
               payam_status_label (request->status));
  return FALSE;
}

/* Move the worksheet of the dissolved group @from_group into @group_id: the whole
 * worksheet when @group_id has none, else its actions (their worksheet_id re-pointed, one
 * op each) into the surviving worksheet, the emptied one marked 'merged'. The survivor
 * takes the further stage of the two and a crew when it had none. */
static gboolean
move_worksheet (PayamStore  *self,
                const char  *group_id,
                const char  *from_group,
                GError     **error)
{
  g_autofree char *into_ws = NULL;
  g_autofree char *into_status = NULL;
  g_autofree char *into_crew = NULL;
  g_autofree char *from_ws = NULL;
  g_autofree char *from_status = NULL;
  g_autofree char *from_crew = NULL;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *status;

  if (!_payam_groups_worksheet_of (self, group_id, &into_ws, &into_status, &into_crew, error) ||
      !_payam_groups_worksheet_of (self, from_group, &from_ws, &from_status, &from_crew, error))
    return FALSE;
  if (from_ws == NULL)
    return TRUE;
  if (into_ws == NULL)
    return _payam_groups_exec (self, "UPDATE worksheet SET group_id = ?2 WHERE id = ?1",
                               error, 2, from_ws, group_id) &&
           _payam_groups_op_string (self, "worksheet", from_ws, "group_id", group_id, error);

  {
    g_autoptr(PayamStmt) stmt = NULL;
    int rc;

    stmt = _payam_store_prepare_cached (self, "SELECT id FROM worksheet_action "
                                        "WHERE worksheet_id = ?1 ORDER BY at, id", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, from_ws, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (actions, _payam_column_dup_text (stmt, 0));
    if (rc != SQLITE_DONE)
      return _payam_store_set_sql_error (self, rc, error);
  }
  for (guint i = 0; i < actions->len; i++)
    {
      const char *action = g_ptr_array_index (actions, i);

      if (!_payam_groups_exec (self, "UPDATE worksheet_action SET worksheet_id = ?2 "
                                     "WHERE id = ?1", error, 2, action, into_ws) ||
          !_payam_groups_op_string (self, "worksheet_action", action, "worksheet_id",
                                    into_ws, error))
        return FALSE;
    }

  status = payam_merge_worksheet_status (into_status, from_status);
  if (g_strcmp0 (status, into_status) != 0 &&
      (!_payam_groups_exec (self, "UPDATE worksheet SET status = ?2 WHERE id = ?1",
                            error, 2, into_ws, status) ||
       !_payam_groups_op_string (self, "worksheet", into_ws, "status", status, error)))
    return FALSE;
  if (into_crew == NULL && from_crew != NULL &&
      (!_payam_groups_exec (self, "UPDATE worksheet SET crew_id = ?2 WHERE id = ?1",
                            error, 2, into_ws, from_crew) ||
       !_payam_groups_op_string (self, "worksheet", into_ws, "crew_id", from_crew, error)))
    return FALSE;
  return _payam_groups_exec (self, "UPDATE worksheet SET status = 'merged' WHERE id = ?1",
                             error, 1, from_ws) &&
         _payam_groups_op_string (self, "worksheet", from_ws, "status", "merged", error);
}

/* Members behind the stage of the group's worksheet catch up with it (as the office):
 * assigned work assigns every member, work in progress puts every member in progress. */
static gboolean
catch_up_with_worksheet (PayamStore  *self,
                         const char  *group_id,
                         GError     **error)
{
  g_autofree char *ws = NULL;
  g_autofree char *ws_status = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  PayamStatus stage;

  if (!_payam_groups_worksheet_of (self, group_id, &ws, &ws_status, NULL, error))
    return FALSE;
  if (g_strcmp0 (ws_status, "assigned") == 0)
    stage = PAYAM_STATUS_ASSIGNED;
  else if (g_strcmp0 (ws_status, "in_progress") == 0)
    stage = PAYAM_STATUS_IN_PROGRESS;
  else
    return TRUE;

  ids = _payam_groups_member_ids (self, group_id, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PayamRequest) member = payam_store_get_request (self, ids->pdata[i], error);

      if (member == NULL)
        return FALSE;
      if (member->status < stage &&
          !_payam_store_set_status_in_tx (self, member->id, stage, PAYAM_ROLE_OFFICE, NULL,
                                          ws, error))
        return FALSE;
    }
  return TRUE;
}

static char *
merge_in_tx (PayamStore  *self,
             const char  *into_id,
             const char  *request_id,
             gboolean     proposed,
             gboolean     notify,
             GError     **error)
{
  g_autoptr(PayamRequest) into = payam_store_get_request (self, into_id, error);
  g_autoptr(PayamRequest) other = NULL;
  g_autoptr(GPtrArray) movers = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *state = NULL;

  if (into == NULL)
    return NULL;
  other = payam_store_get_request (self, request_id, error);
  if (other == NULL)
    return NULL;
  if (g_strcmp0 (into->id, other->id) == 0 ||
      (into->group_id != NULL && g_strcmp0 (into->group_id, other->group_id) == 0))
    {
      _payam_store_invalid (error, _("These requests are already in one group."));
      return NULL;
    }

  if (other->group_id != NULL)
    movers = _payam_groups_member_ids (self, other->group_id, error);
  else
    {
      movers = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (movers, g_strdup (other->id));
    }
  if (movers == NULL || !refuse_closed (into, error))
    return NULL;
  for (guint i = 0; i < movers->len; i++)
    {
      g_autoptr(PayamRequest) mover = payam_store_get_request (self, movers->pdata[i], error);

      if (mover == NULL || !refuse_closed (mover, error))
        return NULL;
    }

  group_id = _payam_store_ensure_group_in_tx (self, into->id, error);
  if (group_id == NULL)
    return NULL;
  /* Each citizen whose report joins the group is told so (@notify). */
  for (guint i = 0; i < movers->len; i++)
    if (!set_request_group (self, movers->pdata[i], group_id, other->group_id, error) ||
        (notify &&
         !_payam_store_notify_in_tx (self, movers->pdata[i], PAYAM_NOTICE_JOINED, NULL, error)))
      return NULL;

  if (other->group_id != NULL)
    {
      if (!set_group_field (self, other->group_id, "state", "split", error) ||
          !set_group_field (self, other->group_id, "lead_request_id", NULL, error) ||
          !move_worksheet (self, group_id, other->group_id, error))
        return NULL;
    }

  if (!group_row (self, group_id, &lead, &state, error))
    return NULL;
  if (!proposed && g_strcmp0 (state, "confirmed") != 0 &&
      !set_group_field (self, group_id, "state", "confirmed", error))
    return NULL;

  if (!_payam_groups_align (self, group_id, error) ||
      !catch_up_with_worksheet (self, group_id, error) ||
      !_payam_groups_audit (self, error, "merge-group", "dup_group", group_id, 3,
                            "request_id", other->id, "into_request_id", into->id,
                            "from_group_id", other->group_id))
    return NULL;
  return g_steal_pointer (&group_id);
}

/**
 * payam_store_merge:
 *
 * See the header. Checks first (both open, not one group), then writes: the group of
 * @into_id (made if missing), each mover's group_id, the dissolved group's state and
 * worksheet, the group's state, priority and deadline on every member and the worksheet,
 * members catching up with the worksheet's stage, and a "merge-group" audit row. Any
 * error rolls all of it back.
 */
char *
payam_store_merge (PayamStore  *self,
                   const char  *into_id,
                   const char  *request_id,
                   gboolean     proposed,
                   GError     **error)
{
  g_autofree char *group_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (into_id != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  group_id = merge_in_tx (self, into_id, request_id, proposed, TRUE, error);
  if (group_id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&group_id);
}

/* ---- with the office's reason ---------------------------------------------------- */

/* @reason stripped into *@clean (NULL when blank): INVALID when not UTF-8 or too long. */
static gboolean
clean_reason (const char  *reason,
              char       **clean,
              GError     **error)
{
  *clean = NULL;
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    return _payam_store_invalid (error, _("The reason contains invalid characters."));
  *clean = _payam_strip_or_null (reason);
  if (*clean != NULL && g_utf8_strlen (*clean, -1) > PAYAM_MAX_TEXT_CHARS)
    {
      g_clear_pointer (clean, g_free);
      return _payam_store_invalid (error, _("The reason is too long."));
    }
  return TRUE;
}

/* INVALID when the worksheet of @request_id's group is held by a crew (assigned or in
 * progress) and no reason rides on the ops (the store's op_why): that crew is owed one. */
static gboolean
refuse_unexplained (PayamStore  *self,
                    const char  *request_id,
                    GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autofree char *ws = NULL;
  g_autofree char *status = NULL;

  if (request == NULL)
    return FALSE;
  if (self->op_why != NULL || request->group_id == NULL)
    return TRUE;
  if (!_payam_groups_worksheet_of (self, request->group_id, &ws, &status, NULL, error))
    return FALSE;
  if (ws != NULL && (g_strcmp0 (status, "assigned") == 0 ||
                     g_strcmp0 (status, "in_progress") == 0))
    return _payam_store_invalid (error, _("A crew holds this group's worksheet: write why "
                                          "you are changing it, the crew will see it."));
  return TRUE;
}

char *
payam_store_merge_why (PayamStore  *self,
                       const char  *into_id,
                       const char  *request_id,
                       gboolean     proposed,
                       const char  *reason,
                       GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *group_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (into_id != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!clean_reason (reason, &clean, error) || !_payam_store_tx_begin (self, error))
    return NULL;
  /* The reason rides on every field op of the merge to every replica (PayamOp.why). */
  _payam_store_set_op_why (self, clean);
  if (refuse_unexplained (self, into_id, error) && refuse_unexplained (self, request_id, error))
    group_id = merge_in_tx (self, into_id, request_id, proposed, TRUE, error);
  _payam_store_set_op_why (self, NULL);
  if (group_id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&group_id);
}

PayamRequest *
payam_store_add_request_to_group (PayamStore              *self,
                                  const PayamRequestDraft *draft,
                                  const char              *into_id,
                                  GError                 **error)
{
  g_autoptr(PayamRequest) added = NULL;
  g_autofree char *group_id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);
  g_return_val_if_fail (draft->group_id == NULL, NULL);
  g_return_val_if_fail (into_id != NULL, NULL);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  added = payam_store_add_request (self, draft, error);
  if (added != NULL)
    /* A kiosk writes no notice (the office and server do); its citizen sees the join on
     * the screen. */
    group_id = merge_in_tx (self, into_id, added->id, TRUE, FALSE, error);
  if (group_id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  /* Read back: the merge changed its group, priority, deadline and perhaps status. */
  return payam_store_get_request (self, added->id, error);
}

/* ---- split and lead ----------------------------------------------------------------- */

static gboolean
not_in_group (GError **error)
{
  return _payam_store_invalid (error, _("This request is not in a group with other "
                                        "requests."));
}

static gboolean
split_in_tx (PayamStore  *self,
             const char  *request_id,
             GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  g_autofree char *lead = NULL;
  g_autofree char *state = NULL;

  if (request == NULL)
    return FALSE;
  if (request->group_id == NULL)
    return not_in_group (error);
  members = _payam_groups_member_ids (self, request->group_id, error);
  if (members == NULL)
    return FALSE;
  if (members->len < 2)
    return not_in_group (error);
  if (!group_row (self, request->group_id, &lead, &state, error))
    return FALSE;

  if (!set_request_group (self, request->id, NULL, request->group_id, error))
    return FALSE;
  for (guint i = 0; i < members->len; i++)
    if (!g_str_equal (members->pdata[i], request->id))
      g_ptr_array_add (rest, members->pdata[i]);
  if (g_strcmp0 (lead, request->id) == 0)
    {
      const char *next = payam_merge_group_effective_lead (NULL, (const char * const *) rest->pdata,
                                                           rest->len);

      if (!set_group_field (self, request->group_id, "lead_request_id", next, error))
        return FALSE;
    }
  return _payam_groups_audit (self, error, "split-group", "dup_group", request->group_id, 1,
                              "request_id", request->id);
}

gboolean
payam_store_split (PayamStore  *self,
                   const char  *request_id,
                   GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return _payam_store_run_in_tx (self, split_in_tx, request_id, error);
}

static gboolean
split_why_in_tx (PayamStore  *self,
                 const char  *request_id,
                 GError     **error)
{
  return refuse_unexplained (self, request_id, error) && split_in_tx (self, request_id, error);
}

/* Run @func on @request_id in a transaction with @reason riding on its ops. */
static gboolean
run_with_reason (PayamStore       *self,
                 PayamStoreTxFunc  func,
                 const char       *request_id,
                 const char       *reason,
                 GError          **error)
{
  g_autofree char *clean = NULL;
  gboolean ok;

  if (!clean_reason (reason, &clean, error))
    return FALSE;
  _payam_store_set_op_why (self, clean);
  ok = _payam_store_run_in_tx (self, func, request_id, error);
  _payam_store_set_op_why (self, NULL);
  return ok;
}

gboolean
payam_store_split_why (PayamStore  *self,
                       const char  *request_id,
                       const char  *reason,
                       GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return run_with_reason (self, split_why_in_tx, request_id, reason, error);
}

static gboolean
set_lead_in_tx (PayamStore  *self,
                const char  *request_id,
                GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autofree char *lead = NULL;
  g_autofree char *state = NULL;

  if (request == NULL)
    return FALSE;
  if (request->group_id == NULL)
    return not_in_group (error);
  if (!group_row (self, request->group_id, &lead, &state, error))
    return FALSE;
  if (g_strcmp0 (lead, request->id) == 0)
    return TRUE;
  return set_group_field (self, request->group_id, "lead_request_id", request->id, error) &&
         _payam_groups_audit (self, error, "set-group-lead", "dup_group", request->group_id,
                              2, "lead_request_id", request->id, "previous", lead);
}

gboolean
payam_store_set_group_lead (PayamStore  *self,
                            const char  *request_id,
                            GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return _payam_store_run_in_tx (self, set_lead_in_tx, request_id, error);
}

static gboolean
set_lead_why_in_tx (PayamStore  *self,
                    const char  *request_id,
                    GError     **error)
{
  return refuse_unexplained (self, request_id, error) &&
         set_lead_in_tx (self, request_id, error);
}

gboolean
payam_store_set_group_lead_why (PayamStore  *self,
                                const char  *request_id,
                                const char  *reason,
                                GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return run_with_reason (self, set_lead_why_in_tx, request_id, reason, error);
}

static gboolean
confirm_in_tx (PayamStore  *self,
               const char  *request_id,
               GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autofree char *lead = NULL;
  g_autofree char *state = NULL;

  if (request == NULL)
    return FALSE;
  if (request->group_id == NULL)
    return not_in_group (error);
  if (!group_row (self, request->group_id, &lead, &state, error))
    return FALSE;
  if (g_strcmp0 (state, "confirmed") == 0)
    return TRUE;
  return set_group_field (self, request->group_id, "state", "confirmed", error) &&
         _payam_groups_audit (self, error, "confirm-group", "dup_group", request->group_id,
                              1, "request_id", request->id);
}

gboolean
payam_store_confirm_group (PayamStore  *self,
                           const char  *request_id,
                           GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  return _payam_store_run_in_tx (self, confirm_in_tx, request_id, error);
}

/* ---- reading ------------------------------------------------------------------------ */

PayamGroup *
payam_store_get_group (PayamStore  *self,
                       const char  *group_id,
                       GError     **error)
{
  g_autoptr(PayamGroup) group = g_new0 (PayamGroup, 1);
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *state = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  group->id = g_strdup (group_id);
  group->priority = PAYAM_PRIORITY_NORMAL;
  if (!group_row (self, group_id, &group->lead_request_id, &state, error))
    return NULL;
  group->state = group_state_from_string (state);
  if (!_payam_groups_worksheet_of (self, group_id, &group->worksheet_id,
                                   &group->worksheet_status, &group->crew_id, error))
    return NULL;
  ids = _payam_groups_member_ids (self, group_id, error);
  if (ids == NULL)
    return NULL;
  group->members = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  for (guint i = 0; i < ids->len; i++)
    {
      PayamRequest *member = payam_store_get_request (self, ids->pdata[i], error);

      if (member == NULL)
        return NULL;
      g_ptr_array_add (group->members, member);
      group->priority = MIN (group->priority, member->priority);
      if (group->due_at == NULL || g_date_time_compare (member->due_at, group->due_at) < 0)
        {
          g_clear_pointer (&group->due_at, g_date_time_unref);
          group->due_at = g_date_time_ref (member->due_at);
        }
    }
  return g_steal_pointer (&group);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const PayamGroup *ga = *(PayamGroup * const *) a;
  const PayamGroup *gb = *(PayamGroup * const *) b;

  if (ga->priority != gb->priority)
    return ga->priority < gb->priority ? -1 : 1;
  if (ga->due_at != NULL && gb->due_at != NULL && !g_date_time_equal (ga->due_at, gb->due_at))
    return g_date_time_compare (ga->due_at, gb->due_at);
  return g_strcmp0 (ga->id, gb->id);
}

GPtrArray *
payam_store_list_groups (PayamStore  *self,
                         guint        min_members,
                         GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT group_id FROM request "
                                      "WHERE group_id IS NOT NULL "
                                      "GROUP BY group_id HAVING count (*) >= ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, MAX (min_members, 1));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _payam_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_group_free);
  for (guint i = 0; i < ids->len; i++)
    {
      PayamGroup *group = payam_store_get_group (self, ids->pdata[i], error);

      if (group == NULL)
        return NULL;
      g_ptr_array_add (groups, group);
    }
  g_ptr_array_sort (groups, compare_groups);
  return g_steal_pointer (&groups);
}
