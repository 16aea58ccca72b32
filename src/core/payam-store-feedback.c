/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore feedback: notice templates per category and outcome, and feedback coverage
 * (who is owed an answer and who was told), computed in SQL. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-store-feedback.h"
#include "payam-store-private.h"
#include "payam-store-public.h"

/* The template row for every category. */
#define ALL_CATEGORIES "*"
#define FOLLOWUP_KEY "feedback-address"

/* ---- templates ---------------------------------------------------------------------- */

/* The office's template for (@category, @outcome) into *@out (NULL when none). */
static gboolean
lookup_template (PayamStore          *self,
                 const char          *category,
                 PayamNoticeOutcome   outcome,
                 char               **out,
                 GError             **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT text FROM notice_template WHERE category = ?1 AND outcome = ?2", error);
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, payam_notice_outcome_to_string (outcome), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = _payam_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* See payam-store-feedback.h. */
char *
payam_store_dup_notice_template (PayamStore          *self,
                                 const char          *category,
                                 PayamNoticeOutcome   outcome,
                                 GError             **error)
{
  char *text = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) outcome < PAYAM_N_NOTICE_OUTCOMES, NULL);

  if (category != NULL && !lookup_template (self, category, outcome, &text, error))
    return NULL;
  if (text == NULL && !lookup_template (self, ALL_CATEGORIES, outcome, &text, error))
    return NULL;
  if (text == NULL)
    text = g_strdup (payam_notice_default_template (outcome));
  return text;
}

/* See payam-store-feedback.h. */
gboolean
payam_store_set_notice_template (PayamStore          *self,
                                 const char          *category,
                                 PayamNoticeOutcome   outcome,
                                 const char          *template_text,
                                 GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) outcome < PAYAM_N_NOTICE_OUTCOMES, FALSE);

  if (category != NULL && _payam_store_lookup_category (self, category, error) == NULL)
    return FALSE;
  if (template_text != NULL && !payam_notice_template_check (template_text, &local))
    return _payam_store_invalid (error, local->message);

  now = _payam_store_now (self);
  at = _payam_time_to_db (now);
  stmt = _payam_store_prepare_cached (self, template_text != NULL
    ? "INSERT INTO notice_template (category, outcome, text, updated_at) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (category, outcome) DO UPDATE "
      "SET text = excluded.text, updated_at = excluded.updated_at"
    : "DELETE FROM notice_template WHERE category = ?1 AND outcome = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, category != NULL ? category : ALL_CATEGORIES, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, payam_notice_outcome_to_string (outcome), -1, SQLITE_STATIC);
  if (template_text != NULL)
    {
      sqlite3_bind_text (stmt, 3, template_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, at, -1, SQLITE_STATIC);
    }
  return _payam_store_step_done (self, stmt, error);
}

/* See payam-store-feedback.h. The address is kept in the config table as a JSON string. */
char *
payam_store_dup_followup_address (PayamStore  *self,
                                  GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT json_extract (value, '$') FROM config WHERE key = '" FOLLOWUP_KEY "'", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    return _payam_column_dup_text (stmt, 0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_strdup ("");
}

/* See payam-store-feedback.h. Blank clears it. */
gboolean
payam_store_set_followup_address (PayamStore  *self,
                                  const char  *address,
                                  GError     **error)
{
  g_autofree char *value = _payam_strip_or_null (address);
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (value != NULL && (!g_utf8_validate (value, -1, NULL) ||
                        g_utf8_strlen (value, -1) > PAYAM_MAX_PLACE_CHARS))
    return _payam_store_invalid (error, _("Write the follow-up address as one short line."));
  stmt = _payam_store_prepare_cached (self, value != NULL
    ? "INSERT INTO config (key, value) VALUES ('" FOLLOWUP_KEY "', json_quote (?1)) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    : "DELETE FROM config WHERE key = '" FOLLOWUP_KEY "'", error);
  if (stmt == NULL)
    return FALSE;
  if (value != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  return _payam_store_step_done (self, stmt, error);
}

/* See payam-store-feedback.h. */
char *
payam_store_render_notice (PayamStore          *self,
                           const char          *request_id,
                           PayamNoticeOutcome   outcome,
                           const char          *words,
                           GError             **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autofree char *template_text = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) local = NULL;
  char *text;

  if (request == NULL)
    return NULL;
  template_text = payam_store_dup_notice_template (self, request->category, outcome, error);
  if (template_text == NULL)
    return NULL;
  address = payam_store_dup_followup_address (self, error);
  if (address == NULL)
    return NULL;
  text = payam_notice_render (template_text, request->tracking_code, words, address, &local);
  if (text == NULL)
    _payam_store_invalid (error, local->message);
  return text;
}

/* See payam-store-private.h. */
gboolean
_payam_store_notify_in_tx (PayamStore          *self,
                           const char          *request_id,
                           PayamNoticeOutcome   outcome,
                           const char          *words,
                           GError             **error)
{
  g_autofree char *text = payam_store_render_notice (self, request_id, outcome, words, error);
  g_autofree char *id = NULL;
  gboolean owed = outcome == PAYAM_NOTICE_DONE || outcome == PAYAM_NOTICE_NOT_POSSIBLE ||
                  outcome == PAYAM_NOTICE_REJECTED;

  if (text == NULL)
    return FALSE;
  id = _payam_store_add_notice_in_tx (self, request_id,
                                      owed ? "outcome" : payam_notice_outcome_to_string (outcome),
                                      text, error);
  return id != NULL;
}

/* See payam-store-private.h. */
gboolean
_payam_store_notify_registered_in_tx (PayamStore  *self,
                                      const char  *request_id,
                                      gboolean    *made,
                                      GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, &local);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  /* Gone (withdrawn since): nobody to tell. */
  if (request == NULL && g_error_matches (local, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
    return TRUE;
  if (request == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* No phone: the receipt gave the code, and nothing is owed for news on the way. A request
   * that comes already settled has no news of registration to tell. */
  if (request->phone == NULL || !payam_status_is_open (request->status))
    return TRUE;
  stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM notice WHERE request_id = ?1 AND "
                                      "kind = 'registered' LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  g_clear_pointer (&stmt, _payam_stmt_done);
  if (!_payam_store_notify_in_tx (self, request->id, PAYAM_NOTICE_REGISTERED,
                                  payam_public_outcome_text (request->status), error))
    return FALSE;
  *made = TRUE;
  return TRUE;
}

/* ---- coverage ----------------------------------------------------------------------- */

/* One row per citizen owed an answer, with where they stand. Kind 'rejected' is how a
 * triage reject's notice was made before templates: an outcome as well. The
 * notice_by_outcome index (request_id, kind, state) serves the inner look-ups;
 * request_by_work (status, …) the outer. */
#define SQL_WHY \
  "  (SELECT CASE" \
  "     WHEN max (n.state = 'sent') = 1 THEN 'told'" \
  "     WHEN count (*) = 0 THEN 'no-notice'" \
  "     WHEN max (n.state = 'failed') = 1 THEN 'failed'" \
  "     WHEN max (n.channel = 'sms') = 1 THEN 'queued'" \
  "     ELSE 'no-phone' END" \
  "   FROM notice n WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected')) AS why"
#define SQL_OWED_STATUS \
  " WHERE r.status IN ('done', 'not_possible', 'rejected', 'notified', 'closed')) "

/* MATERIALIZED: else SQLite flattens the CTE and evaluates the why subquery once for each
 * sum that names it. */
#define SQL_OWED \
  "WITH owed AS MATERIALIZED (" \
  " SELECT r.id, r.tracking_code, r.status, r.category_id, r.neighbourhood, r.created_at," \
  "  w.crew_id," SQL_WHY \
  " FROM request r LEFT JOIN worksheet w ON w.group_id = r.group_id" SQL_OWED_STATUS

/* The overall figure needs nothing of the request but where it stands: half the time of
 * SQL_OWED on a million requests. */
#define SQL_OWED_OVERALL \
  "WITH owed AS MATERIALIZED (SELECT" SQL_WHY " FROM request r" SQL_OWED_STATUS

#define SQL_SUMS \
  "count (*), sum (why = 'told'), sum (why = 'queued'), sum (why = 'failed')," \
  " sum (why = 'no-phone'), sum (why = 'no-notice') FROM owed"

void
payam_coverage_row_free (PayamCoverageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row);
}

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_get_coverage (PayamStore       *self,
                          PayamCoverageBy   by,
                          GError          **error)
{
  static const char * const sql[] = {
    [PAYAM_COVERAGE_OVERALL] = SQL_OWED_OVERALL "SELECT NULL, " SQL_SUMS,
    [PAYAM_COVERAGE_BY_OUTCOME] = SQL_OWED "SELECT status, " SQL_SUMS
      " GROUP BY status ORDER BY status",
    [PAYAM_COVERAGE_BY_CATEGORY] = SQL_OWED "SELECT category_id, " SQL_SUMS
      " GROUP BY category_id ORDER BY category_id",
    [PAYAM_COVERAGE_BY_NEIGHBOURHOOD] = SQL_OWED "SELECT neighbourhood, " SQL_SUMS
      " GROUP BY neighbourhood ORDER BY neighbourhood",
    [PAYAM_COVERAGE_BY_CREW] = SQL_OWED "SELECT crew_id, " SQL_SUMS
      " GROUP BY crew_id ORDER BY crew_id",
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_coverage_row_free);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) by < G_N_ELEMENTS (sql), NULL);

  stmt = _payam_store_prepare_cached (self, sql[by], error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamCoverageRow *row = g_new0 (PayamCoverageRow, 1);

      row->key = _payam_column_dup_text (stmt, 0);
      row->owed = sqlite3_column_int64 (stmt, 1);
      row->told = sqlite3_column_int64 (stmt, 2);
      row->queued = sqlite3_column_int64 (stmt, 3);
      row->failed = sqlite3_column_int64 (stmt, 4);
      row->no_phone = sqlite3_column_int64 (stmt, 5);
      row->no_notice = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
payam_untold_free (PayamUntold *untold)
{
  if (untold == NULL)
    return;
  g_free (untold->request_id);
  g_free (untold->tracking_code);
  g_free (untold->why);
  g_free (untold->reason);
  g_free (untold);
}

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_list_untold (PayamStore  *self,
                         guint        max,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_untold_free);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, SQL_OWED
    "SELECT o.id, o.tracking_code, o.why,"
    " (SELECT d.reason FROM notice n JOIN notice_delivery d ON d.notice_id = n.id"
    "  WHERE n.request_id = o.id AND n.kind IN ('outcome', 'rejected') AND d.state = 'failed'"
    "  ORDER BY d.updated_at DESC LIMIT 1) "
    "FROM owed o WHERE o.why <> 'told' ORDER BY o.created_at, o.id LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamUntold *u = g_new0 (PayamUntold, 1);

      u->request_id = _payam_column_dup_text (stmt, 0);
      u->tracking_code = _payam_column_dup_text (stmt, 1);
      u->why = _payam_column_dup_text (stmt, 2);
      u->reason = _payam_column_dup_text (stmt, 3);
      g_ptr_array_add (list, u);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
