/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who may write what: the role table of payam-sync-roles.h and its per-row rules on the server. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <string.h>

#include "payam-deadline.h"
#include "payam-store-ratings.h"
#include "payam-store-sync-private.h"
#include "payam-sync-roles.h"
#include "payam-tracking.h"

typedef struct {
  const char *entity;
  const char *field;
  PayamGrant  kiosk;
  PayamGrant  crew;
  PayamGrant  office;
} RoleEntry;

#define OFFICE_ONLY PAYAM_GRANT_NONE, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY

/* The one table (issue #10): every field sync carries (payam-merge.c), and who may write
 * it. Kiosks create their own requests, their photos and ratings, and the proposed group of
 * "mine is the same"; crews write their own worksheets' work: status, actions, photos and
 * the outcome notices; the office writes everything. Group membership, assignment and every
 * other field are the office's. */
static const RoleEntry table[] = {
  { "request", "*", PAYAM_GRANT_OWN_CODE, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY },
  { "request", "status", PAYAM_GRANT_NONE, PAYAM_GRANT_OWN_WORKSHEET, PAYAM_GRANT_ANY },
  { "request", "deleted", OFFICE_ONLY },
  { "request", "text", OFFICE_ONLY },
  { "request", "category", OFFICE_ONLY },
  { "request", "neighbourhood", OFFICE_ONLY },
  { "request", "street", OFFICE_ONLY },
  { "request", "landmark", OFFICE_ONLY },
  { "request", "lat", OFFICE_ONLY },
  { "request", "lon", OFFICE_ONLY },
  { "request", "phone", OFFICE_ONLY },
  { "request", "name", OFFICE_ONLY },
  { "request", "priority", OFFICE_ONLY },
  { "request", "due_at", OFFICE_ONLY },
  { "request", "group_id", PAYAM_GRANT_NEW_GROUP, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY },
  { "request", "public_text", OFFICE_ONLY },
  { "dup_group", "*", PAYAM_GRANT_NEW_GROUP, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY },
  { "dup_group", "lead_request_id", OFFICE_ONLY },
  { "dup_group", "state", OFFICE_ONLY },
  { "dup_group", "deleted", OFFICE_ONLY },
  { "worksheet", "*", OFFICE_ONLY },
  { "worksheet", "crew_id", OFFICE_ONLY },
  { "worksheet", "status", PAYAM_GRANT_NONE, PAYAM_GRANT_OWN_WORKSHEET, PAYAM_GRANT_ANY },
  { "worksheet", "group_id", OFFICE_ONLY },
  { "worksheet", "due_at", OFFICE_ONLY },
  { "worksheet", "deleted", OFFICE_ONLY },
  { "worksheet_action", "*", PAYAM_GRANT_NONE, PAYAM_GRANT_OWN_WORKSHEET, PAYAM_GRANT_ANY },
  { "worksheet_action", "worksheet_id", OFFICE_ONLY },
  { "worksheet_action_photo", "*", PAYAM_GRANT_NONE, PAYAM_GRANT_OWN_WORKSHEET,
    PAYAM_GRANT_ANY },
  /* Content-addressed bytes: who may attach them is the link's rule. */
  { "photo", "*", PAYAM_GRANT_ANY, PAYAM_GRANT_ANY, PAYAM_GRANT_ANY },
  { "request_photo", "*", PAYAM_GRANT_OWN_REQUEST, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY },
  { "notice", "*", PAYAM_GRANT_NONE, PAYAM_GRANT_OWN_WORKSHEET, PAYAM_GRANT_ANY },
  { "notice", "state", OFFICE_ONLY },
  { "rating", "*", PAYAM_GRANT_FINISHED_REQUEST, PAYAM_GRANT_NONE, PAYAM_GRANT_ANY },
  { "crew", "*", OFFICE_ONLY },
  /* A member and the hash of its PIN: set up at the office, sent to its crew only. */
  { "crew_member", "*", OFFICE_ONLY },
  { "crew_member", "active", OFFICE_ONLY },
  { "crew_member", "pin_hash", OFFICE_ONLY },
  /* Office accounts and their password hashes: made and changed at the office (by a
   * supervisor, or payamctl), sent to the server and office desks only (issue #13). */
  { "staff", "*", OFFICE_ONLY },
  { "staff", "name", OFFICE_ONLY },
  { "staff", "supervisor", OFFICE_ONLY },
  { "staff", "active", OFFICE_ONLY },
  { "staff", "password_hash", OFFICE_ONLY },
  /* Conflict rows come from the server only; the office decides them. */
  { "conflict", "*", PAYAM_GRANT_NONE, PAYAM_GRANT_NONE, PAYAM_GRANT_NONE },
  { "conflict", "resolved_at", OFFICE_ONLY },
  { "conflict", "resolved_by", OFFICE_ONLY },
};

PayamGrant
payam_sync_role_grant (PayamRole   role,
                       const char *entity,
                       const char *field)
{
  if (entity == NULL || field == NULL)
    return PAYAM_GRANT_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (strcmp (table[i].entity, entity) != 0 || strcmp (table[i].field, field) != 0)
        continue;
      switch (role)
        {
        case PAYAM_ROLE_KIOSK:
          return table[i].kiosk;
        case PAYAM_ROLE_CREW:
          return table[i].crew;
        case PAYAM_ROLE_OFFICE:
          return table[i].office;
        default:
          return PAYAM_GRANT_NONE;
        }
    }
  return PAYAM_GRANT_NONE;
}

gboolean
payam_sync_role_may_explain (PayamRole role)
{
  return role == PAYAM_ROLE_OFFICE;
}

const char *
payam_sync_role_field_at (guint        index,
                          const char **field)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (index >= G_N_ELEMENTS (table))
    {
      *field = NULL;
      return NULL;
    }
  *field = table[index].field;
  return table[index].entity;
}

const char *
payam_grant_to_string (PayamGrant grant)
{
  static const char *const names[] = {
    "none", "any", "own-code", "own-request", "finished-request", "new-group", "own-worksheet",
  };

  g_return_val_if_fail ((guint) grant < G_N_ELEMENTS (names), NULL);
  return names[grant];
}

/* ---- the per-row rules ------------------------------------------------------------------- */

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_query_finds (PayamStore  *self,
                         const char  *sql,
                         const char  *a,
                         const char  *b,
                         gboolean    *found,
                         GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  return _payam_sync_step_row (self, stmt, found, error);
}

const char *
_payam_sync_member_string (JsonNode   *value,
                           const char *member)
{
  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (value), member,
                                                     NULL);
}

static gint64
member_int (JsonNode   *value,
            const char *member)
{
  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return -1;
  return json_object_get_int_member_with_default (json_node_get_object (value), member, 0);
}

/* The tracking-code prefix given to @device_id at enrolment, as 4 ASCII digits (NULL: an
 * unknown device; owned). */
static gboolean
device_prefix (PayamStore  *self,
               const char  *device_id,
               char       **prefix,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT prefix FROM device "
                                                           "WHERE id = ?1", error);
  gboolean found;

  *prefix = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (found)
    *prefix = g_strdup_printf ("%04d", sqlite3_column_int (stmt, 0));
  return TRUE;
}

/* Whether @code (as pushed) is a valid tracking code of the prefix of @device_id. A device
 * the server never enrolled (a store pushing in-process: payamctl, the simulator) may use
 * only a prefix that no enrolled device holds; over HTTP every device is enrolled. */
static gboolean
code_is_own (PayamStore  *self,
             const char  *device_id,
             const char  *code,
             gboolean    *own,
             GError     **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *canonical = NULL;

  *own = FALSE;
  if (code == NULL)
    return TRUE;
  canonical = payam_tracking_code_parse (code, NULL);
  if (canonical == NULL || strcmp (canonical, code) != 0)
    return TRUE;
  if (!device_prefix (self, device_id, &prefix, error))
    return FALSE;
  if (prefix != NULL)
    {
      *own = strncmp (canonical, prefix, 4) == 0;
      return TRUE;
    }
  prefix = g_strndup (canonical, 4);
  if (!_payam_sync_query_finds (self, "SELECT 1 FROM device WHERE prefix = CAST (?1 AS INTEGER)",
                                prefix, NULL, own, error))
    return FALSE;
  *own = !*own;
  return TRUE;
}

/* Whether @request_id is a request made by @device_id (its code has the device's prefix). */
static gboolean
request_is_own (PayamStore  *self,
                const char  *device_id,
                const char  *request_id,
                gboolean    *own,
                GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT tracking_code FROM "
                                                           "request WHERE id = ?1", error);
  gboolean found;

  *own = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  return code_is_own (self, device_id, (const char *) sqlite3_column_text (stmt, 0), own,
                      error);
}

static gboolean
kiosk_may (PayamStore     *self,
           PayamGrant      grant,
           const PayamOp  *op,
           JsonNode       *value,
           gboolean       *ok,
           GError        **error)
{
  *ok = FALSE;
  switch (grant)
    {
    case PAYAM_GRANT_OWN_CODE:
      {
        const char *status = _payam_sync_member_string (value, "status");

        if ((status != NULL && strcmp (status, "registered") != 0) ||
            member_int (value, "status_epoch") != 0)
          return TRUE;
        return code_is_own (self, op->device_id,
                            _payam_sync_member_string (value, "tracking_code"), ok, error);
      }

    case PAYAM_GRANT_OWN_REQUEST:
      return request_is_own (self, op->device_id,
                             _payam_sync_member_string (value, "request_id"), ok, error);

    case PAYAM_GRANT_FINISHED_REQUEST:
      {
        g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT status FROM "
                                                                 "request WHERE id = ?1",
                                                                 error);
        PayamStatus status;
        gboolean found;

        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, _payam_sync_member_string (value, "request_id"), -1,
                           SQLITE_STATIC);
        if (!_payam_sync_step_row (self, stmt, &found, error))
          return FALSE;
        *ok = found &&
              payam_status_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                        &status) &&
              payam_status_is_rateable (status);
        return TRUE;
      }

    case PAYAM_GRANT_NEW_GROUP:
      if (strcmp (op->entity, "dup_group") == 0)
        {
          const char *state = _payam_sync_member_string (value, "state");

          if (state != NULL && strcmp (state, "proposed") != 0)
            return TRUE;
          return _payam_sync_query_finds (self, "SELECT 1 FROM request WHERE id = ?1 "
                                          "AND group_id IS NULL",
                                          _payam_sync_member_string (value, "lead_request_id"),
                                          NULL, ok, error);
        }
      /* request.group_id: a request in no group into a group that is its own and empty. */
      if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
          json_node_get_value_type (value) != G_TYPE_STRING)
        return TRUE;
      return _payam_sync_query_finds (self,
                                      "SELECT 1 FROM request r "
                                      "JOIN dup_group g ON g.lead_request_id = r.id "
                                      "WHERE r.id = ?1 AND r.group_id IS NULL AND g.id = ?2 "
                                      "AND g.state = 'proposed' AND NOT EXISTS ("
                                      "SELECT 1 FROM request m WHERE m.group_id = g.id)",
                                      op->row_id, json_node_get_string (value), ok, error);

    case PAYAM_GRANT_NONE:
    case PAYAM_GRANT_ANY:
    case PAYAM_GRANT_OWN_WORKSHEET:
    default:
      *ok = grant == PAYAM_GRANT_ANY;
      return TRUE;
    }
}

static gboolean
crew_status_ok (JsonNode *value,
                gboolean  is_request)
{
  const char *status;
  PayamStatus to;

  if (!is_request)
    {
      status = value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
               json_node_get_value_type (value) == G_TYPE_STRING
               ? json_node_get_string (value) : NULL;
      return g_strcmp0 (status, "in_progress") == 0 || g_strcmp0 (status, "done") == 0 ||
             g_strcmp0 (status, "not_possible") == 0;
    }
  return payam_status_from_string (_payam_sync_member_string (value, "status"), &to) &&
         (to == PAYAM_STATUS_IN_PROGRESS || to == PAYAM_STATUS_DONE ||
          to == PAYAM_STATUS_NOT_POSSIBLE);
}

static gboolean
crew_may (PayamStore     *self,
          const char     *crew_id,
          const PayamOp  *op,
          JsonNode       *value,
          gboolean       *ok,
          GError        **error)
{
  *ok = FALSE;
  if (strcmp (op->entity, "request") == 0)
    {
      g_autoptr(PayamStmt) stmt = NULL;
      gboolean found;

      if (!crew_status_ok (value, TRUE))
        return TRUE;
      if (!_payam_sync_query_finds (self, SQL_REQUEST_OF_CREW, op->row_id, crew_id, ok, error))
        return FALSE;
      if (!*ok)
        return TRUE;
      /* Only the office's reopen raises the epoch. */
      stmt = _payam_store_prepare_cached (self, "SELECT status_epoch FROM request "
                                          "WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->row_id, -1, SQLITE_STATIC);
      if (!_payam_sync_step_row (self, stmt, &found, error))
        return FALSE;
      *ok = found && member_int (value, "epoch") <= sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (strcmp (op->entity, "worksheet") == 0)
    {
      if (!crew_status_ok (value, FALSE))
        return TRUE;
      return _payam_sync_query_finds (self, SQL_WORKSHEET_OF_CREW, op->row_id, crew_id, ok, error);
    }
  if (strcmp (op->entity, "worksheet_action") == 0)
    return _payam_sync_query_finds (self, SQL_WORKSHEET_OF_CREW,
                                    _payam_sync_member_string (value, "worksheet_id"), crew_id,
                                    ok, error);
  if (strcmp (op->entity, "worksheet_action_photo") == 0)
    return _payam_sync_query_finds (self, SQL_ACTION_OF_CREW,
                                    _payam_sync_member_string (value, "action_id"), crew_id, ok,
                                    error);
  if (strcmp (op->entity, "notice") == 0)
    {
      /* The outcome notice of a done or not possible, waiting for the office to send it. */
      if (g_strcmp0 (_payam_sync_member_string (value, "kind"), "outcome") != 0 ||
          g_strcmp0 (_payam_sync_member_string (value, "state"), "pending") != 0)
        return TRUE;
      return _payam_sync_query_finds (self, SQL_REQUEST_OF_CREW,
                                      _payam_sync_member_string (value, "request_id"), crew_id,
                                      ok, error);
    }
  return TRUE;
}

/* ---- rows that left a crew's view -------------------------------------------------------- */

/* The worksheets (?1 a set of their ids) the crew ?2 was ever given: now, or by its
 * creation or a crew op in the log. */
#define SQL_SHEETS_EVER_OF_CREW(sheets) \
  "SELECT 1 FROM worksheet WHERE id IN " sheets " AND crew_id = ?2 " \
  "UNION ALL SELECT 1 FROM sync_log WHERE entity = 'worksheet' AND row_id IN " sheets " " \
  "AND result != 'rejected' AND ((field = 'crew_id' AND value = json_quote (?2)) " \
  "OR (field = '*' AND json_valid (value) AND json_extract (value, '$.crew_id') = ?2)) " \
  "LIMIT 1"

gboolean
_payam_sync_crew_had_worksheet (PayamStore  *self,
                                const char  *worksheet_id,
                                const char  *crew_id,
                                gboolean    *had,
                                GError     **error)
{
  return _payam_sync_query_finds (self, SQL_SHEETS_EVER_OF_CREW ("(?1)"), worksheet_id, crew_id,
                                  had, error);
}

gboolean
_payam_sync_crew_had_request (PayamStore  *self,
                              const char  *request_id,
                              const char  *crew_id,
                              gboolean    *had,
                              GError     **error)
{
  /* The groups the request was ever in (its row's history, through the log's row index)
   * and their worksheets: a worksheet stays with its group when it is given to another crew
   * or a member is split off, and moves with it when groups merge. */
  return _payam_sync_query_finds (self,
    "WITH ever_group (id) AS ("
    "  SELECT group_id FROM request WHERE id = ?1 "
    "  UNION SELECT json_extract (value, '$') FROM sync_log WHERE entity = 'request' "
    "  AND row_id = ?1 AND field = 'group_id' AND result != 'rejected' AND json_valid (value) "
    "  UNION SELECT json_extract (value, '$.group_id') FROM sync_log WHERE entity = 'request' "
    "  AND row_id = ?1 AND field = '*' AND result != 'rejected' AND json_valid (value)), "
    "ever_sheet (id) AS ("
    "  SELECT id FROM worksheet WHERE group_id IN (SELECT id FROM ever_group)) "
    SQL_SHEETS_EVER_OF_CREW ("(SELECT id FROM ever_sheet)"),
    request_id, crew_id, had, error);
}

/* The row a crew's @op is about, as a request or a worksheet (one of them NULL). */
static void
crew_row_of (PayamStore     *self,
             const PayamOp  *op,
             JsonNode       *value,
             const char    **request_id,
             char          **worksheet_id)
{
  *request_id = NULL;
  *worksheet_id = NULL;
  if (strcmp (op->entity, "request") == 0)
    *request_id = op->row_id;
  else if (strcmp (op->entity, "notice") == 0)
    *request_id = _payam_sync_member_string (value, "request_id");
  else if (strcmp (op->entity, "worksheet") == 0)
    *worksheet_id = g_strdup (op->row_id);
  else if (strcmp (op->entity, "worksheet_action") == 0)
    *worksheet_id = g_strdup (_payam_sync_member_string (value, "worksheet_id"));
  else if (strcmp (op->entity, "worksheet_action_photo") == 0)
    {
      g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT worksheet_id FROM "
                                                               "worksheet_action WHERE id = ?1",
                                                               NULL);
      gboolean found = FALSE;

      if (stmt == NULL)
        return;
      sqlite3_bind_text (stmt, 1, _payam_sync_member_string (value, "action_id"), -1,
                         SQLITE_STATIC);
      if (_payam_sync_step_row (self, stmt, &found, NULL) && found)
        *worksheet_id = _payam_column_dup_text (stmt, 0);
    }
}

/* ---- the member behind an op ------------------------------------------------------------- */

/* Whether @op's member (PayamOp.member) fits @role (*@fits): none always does; a kiosk has
 * no members; a crew laptop's is never an office account nor a member of another crew; an
 * office desk's is never a crew member. An id this server does not know is no mismatch (an
 * account made on a device before accounts synced): refusing it would hold back real work,
 * and what only a supervisor may do is checked against the server's staff table anyway. */
static gboolean
member_fits (PayamStore     *self,
             PayamRole       role,
             const char     *crew_id,
             const PayamOp  *op,
             gboolean       *fits,
             GError        **error)
{
  gboolean found = FALSE;

  *fits = TRUE;
  if (op->member == NULL)
    return TRUE;
  switch (role)
    {
    case PAYAM_ROLE_CREW:
      if (crew_id == NULL)
        {
          *fits = FALSE;
          return TRUE;
        }
      /* (staff: any row of that id, an office account or an older crew or kiosk row) */
      if (!_payam_sync_query_finds (self, "SELECT 1 FROM staff WHERE id = ?1 UNION ALL "
                                    "SELECT 1 FROM crew_member WHERE id = ?1 AND crew_id != ?2",
                                    op->member, crew_id, &found, error))
        return FALSE;
      *fits = !found;
      return TRUE;
    case PAYAM_ROLE_OFFICE:
      if (!_payam_sync_query_finds (self, "SELECT 1 FROM crew_member WHERE id = ?1 AND "
                                    "?2 IS NULL", op->member, NULL, &found, error))
        return FALSE;
      *fits = !found;
      return TRUE;
    case PAYAM_ROLE_KIOSK:
    default:
      *fits = FALSE;
      return TRUE;
    }
}

/* ---- a supervisor's moves ------------------------------------------------------------------ */

/* Whether @due is the deadline @category_code's rule gives priority @priority from
 * @created_at. */
static gboolean
rule_gives (PayamStore  *self,
            const char  *category_code,
            int          priority,
            GDateTime   *created_at,
            const char  *due)
{
  const PayamCategory *category = _payam_store_lookup_category (self, category_code, NULL);
  g_autoptr(GDateTime) computed = NULL;
  g_autofree char *computed_text = NULL;

  if (category == NULL || created_at == NULL || priority < PAYAM_PRIORITY_URGENT ||
      priority > PAYAM_PRIORITY_NORMAL)
    return FALSE;
  computed = payam_deadline_compute (payam_store_get_work_calendar (self), &category->rule,
                                     (PayamPriority) priority, created_at);
  computed_text = _payam_time_to_db (computed);
  return strcmp (computed_text, due) == 0;
}

/* Whether @due (a due_at value as stored) is a deadline the rules give the request
 * @request_id on this server (*@derived): the one a category and a priority it has had give
 * (triage recomputes it from what its desk saw, which a concurrent edit may since have
 * replaced: every category and priority of its ops in the log counts), its own current one,
 * or one a request of its group has (a group shares the most urgent deadline of its
 * members). */
static gboolean
request_deadline_derived (PayamStore  *self,
                          const char  *request_id,
                          const char  *due,
                          gboolean    *derived,
                          GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, NULL);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GArray) priorities = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  int current_priority, rc;

  *derived = TRUE;
  if (request == NULL)
    return TRUE;  /* no such row: applying it refuses it as unknown-row */
  current_priority = (int) request->priority;
  if (rule_gives (self, request->category, request->priority, request->created_at, due))
    return TRUE;
  categories = g_ptr_array_new_with_free_func (g_free);
  priorities = g_array_new (FALSE, FALSE, sizeof (int));
  g_ptr_array_add (categories, g_strdup (request->category));
  g_array_append_val (priorities, current_priority);
  stmt = _payam_store_prepare_cached (self,
    "SELECT DISTINCT field, json_extract (value, '$') FROM sync_log INDEXED BY sync_log_row "
    "WHERE entity = 'request' AND row_id = ?1 AND field IN ('category', 'priority')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (strcmp ((const char *) sqlite3_column_text (stmt, 0), "category") == 0)
        {
          if (sqlite3_column_type (stmt, 1) == SQLITE_TEXT)
            g_ptr_array_add (categories, _payam_column_dup_text (stmt, 1));
        }
      else if (sqlite3_column_type (stmt, 1) == SQLITE_INTEGER)
        {
          int priority = sqlite3_column_int (stmt, 1);

          g_array_append_val (priorities, priority);
        }
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  for (guint c = 0; c < categories->len; c++)
    for (guint p = 0; p < priorities->len; p++)
      if (rule_gives (self, g_ptr_array_index (categories, c),
                      g_array_index (priorities, int, p), request->created_at, due))
        return TRUE;
  return _payam_sync_query_finds (self, "SELECT 1 FROM request WHERE (id = ?1 OR group_id = "
                                  "(SELECT group_id FROM request WHERE id = ?1)) AND due_at = ?2",
                                  request_id, due, derived, error);
}

/* Whether @op is a move only a supervisor makes (*@needs): see _payam_sync_check_supervisor. */
static gboolean
supervisor_move (PayamStore     *self,
                 const PayamOp  *op,
                 JsonNode       *value,
                 gboolean       *needs,
                 GError        **error)
{
  gboolean is_request = strcmp (op->entity, "request") == 0;
  gboolean derived = TRUE;
  const char *due;

  *needs = FALSE;
  /* An office account, a crew or a crew member (its PIN) made or changed: a supervisor's,
   * or payamctl's (no member: the administrator's tool on an office machine). */
  if (strcmp (op->entity, "staff") == 0 || strcmp (op->entity, "crew") == 0 ||
      strcmp (op->entity, "crew_member") == 0)
    {
      /* Except a member's own new password (the desk asked for the old one). */
      *needs = op->member != NULL &&
               !(strcmp (op->entity, "staff") == 0 &&
                 strcmp (op->field, "password_hash") == 0 &&
                 strcmp (op->member, op->row_id) == 0);
      return TRUE;
    }
  if (is_request && strcmp (op->field, "status") == 0)
    {
      g_autoptr(PayamStmt) stmt = NULL;
      gboolean found = FALSE;

      /* Only a reopen raises the epoch (payam_lifecycle_is_reopen). */
      stmt = _payam_store_prepare_cached (self, "SELECT status_epoch FROM request WHERE id = ?1",
                                          error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->row_id, -1, SQLITE_STATIC);
      if (!_payam_sync_step_row (self, stmt, &found, error))
        return FALSE;
      *needs = found && member_int (value, "epoch") > sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (strcmp (op->field, "due_at") != 0 ||
      (!is_request && strcmp (op->entity, "worksheet") != 0))
    return TRUE;
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_STRING)
    {
      *needs = TRUE;
      return TRUE;
    }
  due = json_node_get_string (value);
  if (is_request)
    {
      if (!request_deadline_derived (self, op->row_id, due, &derived, error))
        return FALSE;
    }
  else if (!_payam_sync_query_finds (self, "SELECT 1 FROM worksheet WHERE id = ?1 AND due_at = ?2 "
                                     "UNION ALL SELECT 1 FROM request WHERE group_id = (SELECT "
                                     "group_id FROM worksheet WHERE id = ?1) AND due_at = ?2",
                                     op->row_id, due, &derived, error))
    return FALSE;
  *needs = !derived;
  return TRUE;
}

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_check_supervisor (PayamStore     *self,
                              const PayamOp  *op,
                              JsonNode       *value,
                              const char    **reason,
                              GError        **error)
{
  gboolean needs = FALSE;
  gboolean may = FALSE;

  *reason = NULL;
  if (g_strcmp0 (op->device_id, payam_store_get_device_id (self)) == 0)
    return TRUE;
  if (!supervisor_move (self, op, value, &needs, error))
    return FALSE;
  if (!needs)
    return TRUE;
  if (op->member != NULL &&
      !_payam_sync_query_finds (self, "SELECT 1 FROM staff WHERE id = ?1 AND role = 'office' AND "
                                "supervisor = 1 AND active = 1 AND ?2 IS NULL", op->member, NULL,
                                &may, error))
    return FALSE;
  if (!may)
    *reason = "role";
  return TRUE;
}

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_check_role (PayamStore     *self,
                        PayamRole       role,
                        const char     *crew_id,
                        const PayamOp  *op,
                        JsonNode       *value,
                        const char    **reason,
                        GError        **error)
{
  PayamGrant grant = payam_sync_role_grant (role, op->entity, op->field);
  gboolean ok = FALSE;
  gboolean fits = TRUE;

  *reason = NULL;
  /* An op names a member of the device's own kind, or none. */
  if (!member_fits (self, role, crew_id, op, &fits, error))
    return FALSE;
  if (!fits)
    {
      *reason = "role";
      return TRUE;
    }
  /* A crew or a kiosk never writes the office's reason for a change. */
  if (op->why != NULL && !payam_sync_role_may_explain (role))
    {
      *reason = "role";
      return TRUE;
    }
  switch (grant)
    {
    case PAYAM_GRANT_NONE:
      break;
    case PAYAM_GRANT_ANY:
      ok = TRUE;
      break;
    case PAYAM_GRANT_OWN_WORKSHEET:
      if (crew_id != NULL && !crew_may (self, crew_id, op, value, &ok, error))
        return FALSE;
      if (!ok && crew_id != NULL)
        {
          /* Work recorded on a copy that has left the crew's view since (issue #9 case 4):
           * the office decides on it. */
          g_autofree char *worksheet_id = NULL;
          const char *request_id;
          gboolean had = FALSE;

          crew_row_of (self, op, value, &request_id, &worksheet_id);
          if ((request_id != NULL &&
               !_payam_sync_crew_had_request (self, request_id, crew_id, &had, error)) ||
              (worksheet_id != NULL &&
               !_payam_sync_crew_had_worksheet (self, worksheet_id, crew_id, &had, error)))
            return FALSE;
          if (had)
            {
              *reason = "withdrawn";
              return TRUE;
            }
        }
      break;
    case PAYAM_GRANT_OWN_CODE:
    case PAYAM_GRANT_OWN_REQUEST:
    case PAYAM_GRANT_FINISHED_REQUEST:
    case PAYAM_GRANT_NEW_GROUP:
    default:
      if (!kiosk_may (self, grant, op, value, &ok, error))
        return FALSE;
      break;
    }
  if (!ok)
    *reason = "role";
  return TRUE;
}
