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

/* Citizens owed an answer are the requests with an outcome status. Where each stands is
 * request.feedback_standing, kept by triggers on notice; feedback_tally counts them per
 * status, category and neighbourhood, kept by triggers on request (migration 21), so
 * every grouping but the crew's sums a few rows instead of reading a million. */
#define SQL_OWED_STATUS \
  "status IN ('done', 'not_possible', 'rejected', 'notified', 'closed')"

#define SQL_TALLY_SUMS \
  "sum (n), sum (n * (standing = 'told')), sum (n * (standing = 'queued'))," \
  " sum (n * (standing = 'failed')), sum (n * (standing = 'no-phone'))," \
  " sum (n * (standing = 'no-notice')) FROM feedback_tally"

#define SQL_TALLY_BY(key) \
  "SELECT nullif (" key ", ''), " SQL_TALLY_SUMS " GROUP BY " key \
  " HAVING sum (n) > 0 ORDER BY " key

/* A request's crew is its group's worksheet's, which moves without the request changing,
 * so the crew's figures still read every owed request (request_by_work serves the status
 * test), but only its standing column, not a look-up of its notices. */
#define SQL_STANDING_SUMS \
  "count (*), sum (s = 'told'), sum (s = 'queued'), sum (s = 'failed')," \
  " sum (s = 'no-phone'), sum (s = 'no-notice')"

#define SQL_BY_CREW \
  "SELECT w.crew_id, " SQL_STANDING_SUMS " FROM (" \
  "  SELECT r.group_id, coalesce (r.feedback_standing, 'no-notice') AS s FROM request r" \
  "  WHERE r." SQL_OWED_STATUS ") o" \
  " LEFT JOIN worksheet w ON w.group_id = o.group_id GROUP BY w.crew_id ORDER BY w.crew_id"

void
payam_coverage_row_free (PayamCoverageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row);
}

/* Step @stmt (key, owed, told, queued, failed, no phone, no notice) to its end into a new
 * array of PayamCoverageRow; NULL with the SQL error. */
static GPtrArray *
collect_coverage (PayamStore    *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_coverage_row_free);
  int rc;

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

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_get_coverage (PayamStore       *self,
                          PayamCoverageBy   by,
                          GError          **error)
{
  static const char * const sql[] = {
    [PAYAM_COVERAGE_OVERALL] = "SELECT NULL, " SQL_TALLY_SUMS,
    [PAYAM_COVERAGE_BY_OUTCOME] = SQL_TALLY_BY ("status"),
    [PAYAM_COVERAGE_BY_CATEGORY] = SQL_TALLY_BY ("category_id"),
    [PAYAM_COVERAGE_BY_NEIGHBOURHOOD] = SQL_TALLY_BY ("neighbourhood"),
    [PAYAM_COVERAGE_BY_CREW] = SQL_BY_CREW,
  };
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) by < G_N_ELEMENTS (sql), NULL);

  stmt = _payam_store_prepare_cached (self, sql[by], error);
  if (stmt == NULL)
    return NULL;
  return collect_coverage (self, stmt, error);
}

/* See payam-store-feedback.h. The same owed rows for the requests filed in the range
 * (request_by_created), grouped by nothing or by outcome. */
GPtrArray *
payam_store_get_coverage_range (PayamStore       *self,
                                PayamCoverageBy   by,
                                GDateTime        *since,
                                GDateTime        *until,
                                GError          **error)
{
#define SQL_OWED_RANGE \
  " FROM (SELECT r.status, coalesce (r.feedback_standing, 'no-notice') AS s" \
  "  FROM request r INDEXED BY request_by_created" \
  "  WHERE r.created_at >= ?1 AND r.created_at < ?2 AND r." SQL_OWED_STATUS ")"
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *since_db = NULL;
  g_autofree char *until_db = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (by == PAYAM_COVERAGE_OVERALL || by == PAYAM_COVERAGE_BY_OUTCOME, NULL);
  g_return_val_if_fail (since != NULL && until != NULL, NULL);

  since_db = _payam_time_to_db (since);
  until_db = _payam_time_to_db (until);
  stmt = _payam_store_prepare_cached (self, by == PAYAM_COVERAGE_OVERALL
                                      ? "SELECT NULL, " SQL_STANDING_SUMS SQL_OWED_RANGE
                                      : "SELECT status, " SQL_STANDING_SUMS SQL_OWED_RANGE
                                        " GROUP BY status ORDER BY status", error);
#undef SQL_OWED_RANGE
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, since_db, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until_db, -1, SQLITE_STATIC);
  return collect_coverage (self, stmt, error);
}

/* See payam-store-feedback.h. Each grouping but the crew's sums the kept counts, so one
 * reading is a loop over payam_store_get_coverage(). */
gboolean
payam_store_get_coverage_all (PayamStore  *self,
                              GPtrArray   *out[PAYAM_COVERAGE_BY_CREW + 1],
                              GError     **error)
{
  GPtrArray *rows[PAYAM_COVERAGE_BY_CREW + 1] = { NULL };

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint by = 0; by < G_N_ELEMENTS (rows); by++)
    if ((rows[by] = payam_store_get_coverage (self, by, error)) == NULL)
      {
        for (guint i = 0; i < by; i++)
          g_ptr_array_unref (rows[i]);
        return FALSE;
      }
  for (guint by = 0; by < G_N_ELEMENTS (rows); by++)
    out[by] = rows[by];
  return TRUE;
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
  return payam_store_list_untold_page (self, 0, max, error);
}

/* See payam-store-feedback.h. */
GPtrArray *
payam_store_list_untold_page (PayamStore  *self,
                              guint        offset,
                              guint        max,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_untold_free);
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self,
    "SELECT r.id, r.tracking_code, coalesce (r.feedback_standing, 'no-notice'),"
    " (SELECT d.reason FROM notice n JOIN notice_delivery d ON d.notice_id = n.id"
    "  WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected') AND d.state = 'failed'"
    "  ORDER BY d.updated_at DESC LIMIT 1) "
    "FROM request r INDEXED BY request_untold"
    " WHERE r." SQL_OWED_STATUS " AND r.feedback_standing IS NOT 'told'"
    " ORDER BY r.created_at, r.id LIMIT ?1 OFFSET ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max);
  sqlite3_bind_int64 (stmt, 2, offset);
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
