/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore figures over a time range for the monthly report: intake by channel,
 * worksheets due and late, messages open at a time, ratings made. One SQL statement each. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include "payam-store-private.h"
#include "payam-store-report.h"

/* See payam-store-report.h. request_by_created finds the range. */
GPtrArray *
payam_store_range_intake_by_channel (PayamStore  *self,
                                     GDateTime   *since,
                                     GDateTime   *until,
                                     GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *since_db = NULL;
  g_autofree char *until_db = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (since != NULL && until != NULL, NULL);

  since_db = _payam_time_to_db (since);
  until_db = _payam_time_to_db (until);
  stmt = _payam_store_prepare_cached (self,
    "SELECT channel, NULL, count (*) FROM request INDEXED BY request_by_created "
    "WHERE created_at >= ?1 AND created_at < ?2 GROUP BY channel ORDER BY channel", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, since_db, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until_db, -1, SQLITE_STATIC);
  return _payam_store_collect_counts (self, stmt, error);
}

/* See payam-store-report.h. A worksheet's finish is its first done or not-possible action
 * (worksheet_action_by_worksheet). */
gboolean
payam_store_range_worksheets (PayamStore            *self,
                              GDateTime             *since,
                              GDateTime             *until,
                              PayamRangeWorksheets  *out,
                              GError               **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *since_db = NULL;
  g_autofree char *until_db = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (since != NULL && until != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  since_db = _payam_time_to_db (since);
  until_db = _payam_time_to_db (until);
  stmt = _payam_store_prepare_cached (self,
    "WITH due AS ("
    " SELECT w.due_at AS due_at,"
    "  (SELECT min (a.at) FROM worksheet_action a"
    "   WHERE a.worksheet_id = w.id AND a.kind IN ('done', 'not_possible')) AS finished"
    " FROM worksheet w WHERE w.due_at >= ?1 AND w.due_at < ?2) "
    "SELECT count (*),"
    " coalesce (sum (finished IS NULL OR finished > due_at), 0),"
    " coalesce (sum (finished IS NULL OR finished >= ?2), 0) FROM due", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, since_db, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until_db, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  out->due = sqlite3_column_int64 (stmt, 0);
  out->late = sqlite3_column_int64 (stmt, 1);
  out->unfinished = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* See payam-store-report.h. request_by_created gives the requests filed before @until,
 * notice_by_outcome each one's outcome notices. */
GPtrArray *
payam_store_range_open_at (PayamStore  *self,
                           GDateTime   *until,
                           GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *until_db = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (until != NULL, NULL);

  until_db = _payam_time_to_db (until);
  stmt = _payam_store_prepare_cached (self,
    "WITH filed AS MATERIALIZED ("
    " SELECT r.priority AS priority, r.status AS status,"
    "  (SELECT min (n.created_at) FROM notice n"
    "   WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected')) AS outcome_at"
    " FROM request r INDEXED BY request_by_created WHERE r.created_at < ?1) "
    "SELECT CAST (priority AS TEXT), NULL, count (*) FROM filed "
    "WHERE CASE WHEN outcome_at IS NULL"
    " THEN status IN ('registered', 'triaged', 'assigned', 'in_progress')"
    " ELSE outcome_at >= ?1 END "
    "GROUP BY priority ORDER BY priority", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, until_db, -1, SQLITE_STATIC);
  return _payam_store_collect_counts (self, stmt, error);
}

/* See payam-store-report.h. rating_by_created finds the range. */
gboolean
payam_store_range_ratings (PayamStore        *self,
                           GDateTime         *since,
                           GDateTime         *until,
                           PayamDashRatings  *out,
                           gint64            *n_comments,
                           GError           **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *since_db = NULL;
  g_autofree char *until_db = NULL;
  gint64 sum = 0;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (since != NULL && until != NULL, FALSE);
  g_return_val_if_fail (out != NULL && n_comments != NULL, FALSE);

  memset (out, 0, sizeof *out);
  *n_comments = 0;
  since_db = _payam_time_to_db (since);
  until_db = _payam_time_to_db (until);
  stmt = _payam_store_prepare_cached (self,
    "SELECT score, count (*),"
    " sum (comment IS NOT NULL AND trim (comment) <> '') "
    "FROM rating INDEXED BY rating_by_created WHERE created_at >= ?1 AND created_at < ?2 "
    "GROUP BY score ORDER BY score", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, since_db, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until_db, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 score = sqlite3_column_int64 (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);

      if (score < 1 || score > 5)
        continue;  /* the CHECK constraint allows none */
      out->by_score[score - 1] = n;
      out->n += n;
      sum += score * n;
      *n_comments += sqlite3_column_int64 (stmt, 2);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  out->average = out->n > 0 ? (double) sum / (double) out->n : 0.0;
  return TRUE;
}
