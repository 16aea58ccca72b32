/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the group and worksheet store files: statements, ops, audit, the deadline rule. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include "payam-merge-groups.h"
#include "payam-store-groups-private.h"
#include "payam-uuid.h"

gboolean
_payam_groups_exec (PayamStore  *self,
                    const char  *sql,
                    GError     **error,
                    guint        n_args,
                    ...)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);
  va_list ap;

  if (stmt == NULL)
    return FALSE;
  va_start (ap, n_args);
  for (guint i = 1; i <= n_args; i++)
    {
      const char *value = va_arg (ap, const char *);

      sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
    }
  va_end (ap);
  return _payam_store_step_done (self, stmt, error);
}

GPtrArray *
_payam_groups_member_ids (PayamStore  *self,
                          const char  *group_id,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT id FROM request WHERE group_id = ?1 "
                                      "ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _payam_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gboolean
_payam_groups_worksheet_of (PayamStore  *self,
                            const char  *group_id,
                            char       **id,
                            char       **status,
                            char       **crew_id,
                            GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT id, status, crew_id FROM worksheet "
                                      "WHERE group_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *id = rc == SQLITE_ROW ? _payam_column_dup_text (stmt, 0) : NULL;
  if (status != NULL)
    *status = rc == SQLITE_ROW ? _payam_column_dup_text (stmt, 1) : NULL;
  if (crew_id != NULL)
    *crew_id = rc == SQLITE_ROW ? _payam_column_dup_text (stmt, 2) : NULL;
  return TRUE;
}

gboolean
_payam_groups_op_string (PayamStore  *self,
                         const char  *entity,
                         const char  *row_id,
                         const char  *field,
                         const char  *value,
                         GError     **error)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  if (value != NULL)
    json_node_init_string (node, value);
  else
    json_node_init_null (node);
  return _payam_store_append_op (self, entity, row_id, field, node, error);
}

gboolean
_payam_groups_audit (PayamStore  *self,
                     GError     **error,
                     const char  *action,
                     const char  *entity,
                     const char  *row_id,
                     guint        n_pairs,
                     ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  va_list ap;

  json_builder_begin_object (b);
  va_start (ap, n_pairs);
  for (guint i = 0; i < n_pairs; i++)
    {
      const char *name = va_arg (ap, const char *);
      const char *value = va_arg (ap, const char *);

      json_builder_set_member_name (b, name);
      json_builder_add_string_value (b, value);
    }
  va_end (ap);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  return _payam_store_append_audit (self, action, entity, row_id, detail, error);
}

char *
_payam_groups_create_worksheet (PayamStore  *self,
                                const char  *group_id,
                                GError     **error)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = _payam_time_to_db (now);
  g_autofree char *id = payam_uuid7_new ();
  g_autofree char *due_at = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) value = NULL;

  {
    g_autoptr(PayamStmt) stmt = NULL;
    int rc;

    stmt = _payam_store_prepare_cached (self, "SELECT min (due_at) FROM request "
                                        "WHERE group_id = ?1", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _payam_store_set_sql_error (self, rc, error);
        return NULL;
      }
    due_at = _payam_column_dup_text (stmt, 0);
  }

  if (!_payam_groups_exec (self, "INSERT INTO worksheet (id, group_id, status, due_at, "
                                 "created_at) VALUES (?1, ?2, 'open', ?3, ?4)",
                           error, 4, id, group_id, due_at, created_at))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "group_id");
  json_builder_add_string_value (b, group_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "open");
  json_builder_set_member_name (b, "due_at");
  json_builder_add_string_value (b, due_at);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  if (!_payam_store_append_op (self, "worksheet", id, NULL, value, error) ||
      !_payam_groups_audit (self, error, "create-worksheet", "worksheet", id, 1,
                            "group_id", group_id))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * _payam_groups_align:
 *
 * The merge rule for priority and deadline: every member gets the minimum priority number
 * and the earliest due_at of all members (payam_merge_group_priority() and
 * payam_merge_group_due_at() folded over them), and the group's worksheet that due_at.
 * Only changed fields are written, each with its op.
 */
gboolean
_payam_groups_align (PayamStore  *self,
                     const char  *group_id,
                     GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) priorities = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) dues = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *updated_at = _payam_time_to_db (now);
  g_autofree char *due_at = NULL;
  g_autofree char *worksheet_id = NULL;
  PayamPriority priority = PAYAM_PRIORITY_NORMAL;

  {
    g_autoptr(PayamStmt) stmt = NULL;
    int rc;

    stmt = _payam_store_prepare_cached (self, "SELECT id, priority, due_at FROM request "
                                        "WHERE group_id = ?1 ORDER BY created_at, id", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        int p = sqlite3_column_int (stmt, 1);
        char *due = _payam_column_dup_text (stmt, 2);

        g_ptr_array_add (ids, _payam_column_dup_text (stmt, 0));
        g_array_append_val (priorities, p);
        g_ptr_array_add (dues, due);
        priority = payam_merge_group_priority (priority, p);
        if (g_strcmp0 (payam_merge_group_due_at (due_at, due), due_at) != 0)
          {
            g_free (due_at);
            due_at = g_strdup (due);
          }
      }
    if (rc != SQLITE_DONE)
      return _payam_store_set_sql_error (self, rc, error);
  }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const char *due = g_ptr_array_index (dues, i);
      int p = g_array_index (priorities, int, i);

      if (p == (int) priority && g_strcmp0 (due, due_at) == 0)
        continue;
      {
        g_autoptr(PayamStmt) stmt = NULL;

        stmt = _payam_store_prepare_cached (self, "UPDATE request SET priority = ?2, due_at = ?3, "
                                            "updated_at = ?4 WHERE id = ?1", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int (stmt, 2, priority);
        sqlite3_bind_text (stmt, 3, due_at, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, updated_at, -1, SQLITE_STATIC);
        if (!_payam_store_step_done (self, stmt, error))
          return FALSE;
      }
      if (p != (int) priority)
        {
          g_autoptr(JsonNode) value = json_node_init_int (json_node_alloc (), priority);

          if (!_payam_store_append_op (self, "request", id, "priority", value, error))
            return FALSE;
        }
      if (g_strcmp0 (due, due_at) != 0 &&
          !_payam_groups_op_string (self, "request", id, "due_at", due_at, error))
        return FALSE;
    }

  if (!_payam_groups_worksheet_of (self, group_id, &worksheet_id, NULL, NULL, error))
    return FALSE;
  if (worksheet_id != NULL)
    {
      g_autoptr(PayamStmt) stmt = NULL;

      stmt = _payam_store_prepare_cached (self, "UPDATE worksheet SET due_at = ?2 WHERE id = ?1 "
                                          "AND due_at IS NOT ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, worksheet_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, due_at, -1, SQLITE_STATIC);
      if (!_payam_store_step_done (self, stmt, error))
        return FALSE;
      if (sqlite3_changes (self->db) > 0 &&
          !_payam_groups_op_string (self, "worksheet", worksheet_id, "due_at", due_at, error))
        return FALSE;
    }
  return TRUE;
}
