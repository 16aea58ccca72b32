/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #13 conflicts on office devices, through the real server on 127.0.0.1: two office
 * desks change one request's priority while apart; the server's conflict row reaches both
 * desks with their next sync; one decides it (takes the value that lost), the decision and
 * the value reach the server and the other desk, where deciding it again says who did. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "payam-store-conflicts.h"
#include "payam-store-triage.h"
#include "payam-sync-round.h"
#include "payam-test-server.h"

typedef struct {
  PayamStore           *store;
  PayamSyncRoundCounts  counts;
  GError               *error;
} RoundJob;

static gpointer
round_job (gpointer data)
{
  RoundJob *job = data;
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (job->store, &job->error);

  if (client != NULL)
    payam_sync_round (client, job->store, &job->counts, NULL, &job->error);
  return NULL;
}

/* One sync round of @store; fails the test on an error or a refused op. */
static void
sync_round (PayamStore *store,
            const char *who)
{
  RoundJob job = { store, };

  payam_test_run_client (round_job, &job);
  if (job.error != NULL)
    fail_msg ("%s: %s", who, job.error->message);
  if (job.counts.ops_rejected != 0)
    fail_msg ("%s: %u ops refused", who, job.counts.ops_rejected);
}

/* The first column of the first row of @sql (one text argument) in the database @path, as
 * text; NULL for none. */
static char *
query_text (const char *path,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  char *text = NULL;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
test_conflict_reaches_office (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) a = payam_test_server_enrol (ts, "a.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) b = payam_test_server_enrol (ts, "b.db", PAYAM_ROLE_OFFICE, NULL);
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  g_autofree char *a_db = g_build_filename (ts->dir, "a.db", NULL);
  g_autofree char *b_db = g_build_filename (ts->dir, "b.db", NULL);
  g_autofree char *conflict_id = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *by = NULL;
  g_autofree char *b_by = NULL;
  g_autofree char *b_kind = NULL;
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ وسط خیابان", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE,
  };

  request = payam_store_add_request (a, &draft, &error);
  assert_non_null (request);
  sync_round (a, "a registers");
  sync_round (b, "b pulls");

  /* Apart: each desk gives the request another priority. */
  payam_store_set_actor (a, "زهرا کریمی");
  payam_store_set_actor (b, "رضا احمدی");
  assert_true (payam_store_triage_set_priority (a, request->id, PAYAM_PRIORITY_URGENT,
                                                "ماشین‌ها آسیب می‌بینند", &error));
  assert_true (payam_store_triage_set_priority (b, request->id, PAYAM_PRIORITY_HIGH,
                                                "چاله کوچک است", &error));
  sync_round (a, "a pushes");
  sync_round (b, "b pushes");
  conflict_id = query_text (server_db, "SELECT id FROM conflict WHERE row_id = ?1 AND field ="
                            " 'priority' AND resolved_at IS NULL", request->id);
  assert_non_null (conflict_id);

  /* The conflict reaches both desks. */
  sync_round (a, "a pulls the conflict");
  sync_round (b, "b pulls the conflict");
  lost = query_text (a_db, "SELECT lost_value FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (lost);
  b_kind = query_text (b_db, "SELECT kind FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (b_kind);

  /* Desk a takes the value that lost; it reaches the server and desk b. */
  assert_true (payam_store_decide_conflict (a, conflict_id, PAYAM_DECISION_OTHER, NULL, &error));
  sync_round (a, "a decides");
  by = query_text (server_db, "SELECT resolved_by FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (by);
  assert_string_equal (by, "زهرا کریمی");
  priority = query_text (server_db, "SELECT priority FROM request WHERE id = ?1", request->id);
  assert_string_equal (priority, lost);
  sync_round (b, "b pulls the decision");
  b_by = query_text (b_db, "SELECT resolved_by FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (b_by);
  assert_string_equal (b_by, "زهرا کریمی");

  /* Desk b deciding it again is told who decided; nothing changes. */
  assert_false (payam_store_decide_conflict (b, conflict_id, PAYAM_DECISION_KEEP, NULL, &error));
  assert_non_null (error);
  assert_non_null (strstr (error->message, "زهرا کریمی"));

  g_clear_object (&a);
  g_clear_object (&b);
  payam_test_server_free (ts);
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_conflict_reaches_office),
  };

  return cmocka_run_group_tests_name ("office-conflict-sync", tests, NULL, NULL);
}
