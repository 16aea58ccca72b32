/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assignment board's reads (crews, their open worksheets, work nobody has) and its
 * one write: giving many pieces of work to one crew at once. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-board.h"
#include "payam-store-private.h"
#include "payam-store-worksheets.h"

/* A worksheet still to be done: neither finished nor folded into another. */
#define OPEN_SHEET "w.status NOT IN ('merged', 'done', 'not_possible')"

void
payam_board_crew_free (PayamBoardCrew *crew)
{
  if (crew == NULL)
    return;
  g_free (crew->id);
  g_free (crew->name);
  g_free (crew->neighbourhoods);
  g_free (crew);
}

void
payam_board_sheet_free (PayamBoardSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->request_id);
  g_free (sheet->tracking_code);
  g_free (sheet->category_id);
  g_free (sheet->neighbourhood);
  g_clear_pointer (&sheet->due_at, g_date_time_unref);
  g_free (sheet);
}

GPtrArray *
payam_store_list_board_crews (PayamStore  *self,
                              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  /* An open worksheet's deadline is its own, else the earliest of its messages'. */
  stmt = _payam_store_prepare_cached (self,
    "WITH sheet AS (SELECT w.crew_id, coalesce (w.due_at, (SELECT min (m.due_at) FROM"
    "  request m WHERE m.group_id = w.group_id)) AS due FROM worksheet w"
    "  WHERE w.crew_id IS NOT NULL AND " OPEN_SHEET "),"
    " place_of AS (SELECT DISTINCT w.crew_id, coalesce (p.name, m.neighbourhood) AS name"
    "  FROM worksheet w JOIN request m ON m.group_id = w.group_id"
    "  LEFT JOIN place p ON p.code = m.neighbourhood"
    "  WHERE w.crew_id IS NOT NULL AND " OPEN_SHEET ")"
    " SELECT c.id, c.name,"
    "  (SELECT count (*) FROM crew_member cm WHERE cm.crew_id = c.id),"
    "  (SELECT count (*) FROM sheet s WHERE s.crew_id = c.id),"
    "  (SELECT count (*) FROM sheet s WHERE s.crew_id = c.id AND s.due < :now),"
    "  (SELECT group_concat (n, ', ') FROM (SELECT coalesce (hp.name, c.neighbourhood) AS n"
    "   FROM (SELECT 1) LEFT JOIN place hp ON hp.code = c.neighbourhood"
    "   WHERE c.neighbourhood IS NOT NULL UNION SELECT po.name FROM place_of po"
    "   WHERE po.crew_id = c.id))"
    " FROM crew c WHERE c.active ORDER BY c.name, c.id", error);
  if (stmt == NULL)
    return NULL;
  now = _payam_store_now (self);
  now_text = _payam_time_to_db (now);
  _payam_bind_text (stmt, ":now", now_text);
  crews = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_board_crew_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamBoardCrew *crew = g_new0 (PayamBoardCrew, 1);

      crew->id = _payam_column_dup_text (stmt, 0);
      crew->name = _payam_column_dup_text (stmt, 1);
      crew->n_members = (guint) sqlite3_column_int (stmt, 2);
      crew->n_open = (guint) sqlite3_column_int (stmt, 3);
      crew->n_overdue = (guint) sqlite3_column_int (stmt, 4);
      crew->neighbourhoods = _payam_column_dup_text (stmt, 5);
      if (crew->neighbourhoods == NULL)
        crew->neighbourhoods = g_strdup ("");
      g_ptr_array_add (crews, crew);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&crews);
}

/* ?1 the crew (NULL: nobody's work), ?2 now, ?3 the limit. Columns: request id, code,
 * category, neighbourhood's name, deadline, messages served. */
static const char sql_crew_sheets[] =
  "SELECT r.id, r.tracking_code, r.category_id, coalesce (p.name, r.neighbourhood), due, n"
  " FROM (SELECT w.group_id AS gid, coalesce (w.due_at, (SELECT min (m.due_at) FROM request m"
  "   WHERE m.group_id = w.group_id)) AS due, (SELECT count (*) FROM request m"
  "   WHERE m.group_id = w.group_id) AS n FROM worksheet w"
  "   WHERE w.crew_id = ?1 AND " OPEN_SHEET ") s"
  " JOIN dup_group g ON g.id = s.gid"
  " JOIN request r ON r.id = coalesce ((SELECT l.id FROM request l WHERE l.id ="
  "   g.lead_request_id AND l.group_id = g.id), (SELECT f.id FROM request f WHERE"
  "   f.group_id = g.id ORDER BY f.created_at, f.id LIMIT 1))"
  " LEFT JOIN place p ON p.code = r.neighbourhood"
  " ORDER BY due IS NULL, due, r.tracking_code LIMIT ?3";

/* Triaged messages whose group (if any) no crew holds: one per group, the lead else the
 * earliest triaged member. */
static const char sql_nobodys[] =
  "SELECT r.id, r.tracking_code, r.category_id, coalesce (p.name, r.neighbourhood),"
  "  r.due_at, max (1, (SELECT count (*) FROM request m WHERE m.group_id = r.group_id))"
  " FROM request r LEFT JOIN place p ON p.code = r.neighbourhood"
  " WHERE r.status = 'triaged' AND ?1 IS NULL"
  "  AND NOT EXISTS (SELECT 1 FROM worksheet w WHERE w.group_id = r.group_id"
  "   AND w.crew_id IS NOT NULL AND " OPEN_SHEET ")"
  "  AND (r.group_id IS NULL OR r.id = (SELECT f.id FROM request f"
  "   LEFT JOIN dup_group g ON g.id = f.group_id WHERE f.group_id = r.group_id"
  "   AND f.status = 'triaged' ORDER BY f.id IS NOT g.lead_request_id, f.created_at, f.id"
  "   LIMIT 1))"
  " ORDER BY r.due_at, r.tracking_code LIMIT ?3";

GPtrArray *
payam_store_list_board_sheets (PayamStore  *self,
                               const char  *crew_id,
                               guint        limit,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GDateTime) now = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, crew_id != NULL ? sql_crew_sheets : sql_nobodys,
                                      error);
  if (stmt == NULL)
    return NULL;
  now = _payam_store_now (self);
  if (crew_id != NULL)
    sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 3, limit);
  sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_board_sheet_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamBoardSheet *sheet = g_new0 (PayamBoardSheet, 1);
      const char *due = (const char *) sqlite3_column_text (stmt, 4);

      sheet->request_id = _payam_column_dup_text (stmt, 0);
      sheet->tracking_code = _payam_column_dup_text (stmt, 1);
      sheet->category_id = _payam_column_dup_text (stmt, 2);
      sheet->neighbourhood = _payam_column_dup_text (stmt, 3);
      sheet->due_at = due != NULL ? _payam_time_from_db (due) : NULL;
      sheet->n_requests = (guint) sqlite3_column_int (stmt, 5);
      sheet->overdue = sheet->due_at != NULL && g_date_time_compare (sheet->due_at, now) < 0;
      g_ptr_array_add (sheets, sheet);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&sheets);
}

/* How many members @crew_id has (*@n); NOT_FOUND for no such active crew. */
static gboolean
count_members (PayamStore  *self,
               const char  *crew_id,
               guint       *n,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT (SELECT count (*) FROM crew_member m WHERE m.crew_id = c.id) FROM crew c"
    " WHERE c.id = ?1 AND c.active", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("There is no such crew."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *n = (guint) sqlite3_column_int (stmt, 0);
  return TRUE;
}

gboolean
payam_store_assign_board (PayamStore          *self,
                          const char * const  *request_ids,
                          const char          *crew_id,
                          GError             **error)
{
  guint n_members = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_ids != NULL && crew_id != NULL, FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!count_members (self, crew_id, &n_members, error))
    goto fail;
  if (n_members == 0)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                           _("This crew has no members yet, so nobody could do the work. Add "
                             "a member to the crew or choose another crew; nothing was "
                             "changed."));
      goto fail;
    }
  for (guint i = 0; request_ids[i] != NULL; i++)
    if (!payam_store_assign_crew (self, request_ids[i], crew_id, error))
      goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}
