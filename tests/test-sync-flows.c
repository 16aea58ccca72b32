/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #9 "roles match the workflows": every write of the kiosk's and the crew's flows,
 * made by the core functions the app calls, goes through the real server on 127.0.0.1 and
 * not one op is refused. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "payam-store-ratings.h"
#include "payam-store-worksheets.h"
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

/* One sync round of @store; fails the test on an error or on any refused op. */
static void
sync_clean (PayamStore *store,
            const char *who)
{
  RoundJob job = { store, };

  payam_test_run_client (round_job, &job);
  if (job.error != NULL)
    fail_msg ("%s: %s", who, job.error->message);
  if (job.counts.ops_rejected != 0 || job.counts.blobs_skipped != 0)
    fail_msg ("%s: %u ops and %u photos refused", who, job.counts.ops_rejected,
              job.counts.blobs_skipped);
}

static gint64
server_int (PayamTestServer *ts,
            const char      *sql,
            const char      *arg)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *path = g_build_filename (ts->dir, "server.db", NULL);
  sqlite3 *db = NULL;
  gint64 n;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* The kiosk's register as PayamKioskDraft saves it: the request and its photos at once. */
static char *
kiosk_register (PayamStore *kiosk,
                const char *group_id,
                guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamPhoto) photo = payam_test_photo (seed);
  PayamRequestDraft draft = {
    .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
    .phone = "09121234567", .name = "مریم", .channel = PAYAM_CHANNEL_KIOSK,
    .group_id = group_id,
  };

  assert_true (payam_store_begin (kiosk, &error));
  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL)
    fail_msg ("register: %s", error->message);
  assert_true (payam_store_add_photo (kiosk, photo, &error));
  assert_true (payam_store_attach_photo (kiosk, request->id, photo->sha256, &error));
  assert_true (payam_store_commit (kiosk, &error));
  return g_strdup (request->id);
}

static void
crew_action (PayamStore      *crew,
             const char      *request_id,
             PayamActionKind  kind,
             const char      *note,
             const char      *photo)
{
  g_autoptr(GError) error = NULL;
  const char *photos[] = { photo, NULL };
  PayamActionDraft draft = { kind, note, photo != NULL ? photos : NULL };
  g_autofree char *id = payam_store_add_action (crew, request_id, &draft, PAYAM_ROLE_CREW,
                                                &error);

  if (id == NULL)
    fail_msg ("%s: %s", payam_action_kind_to_string (kind), error->message);
}

static void
test_flows (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) office = payam_test_server_enrol (ts, "office.db", PAYAM_ROLE_OFFICE,
                                                          NULL);
  g_autoptr(PayamStore) kiosk = NULL;
  g_autoptr(PayamStore) crew = NULL;
  g_autofree char *crew_id = payam_store_add_crew (office, "اکیپ آسفالت", NULL, &error);
  g_autofree char *first = NULL;
  g_autofree char *same = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *rating = NULL;
  g_autoptr(PayamRequest) by_phone = NULL;
  PayamRequestDraft phoned = {
    .text = "درخت افتاده روی پیاده‌رو", .category = "green-space", .neighbourhood = "tohid",
    .phone = "09351112233", .channel = PAYAM_CHANNEL_PHONE,
  };

  assert_non_null (crew_id);
  by_phone = payam_store_add_request (office, &phoned, &error);
  assert_non_null (by_phone);
  sync_clean (office, "office");
  kiosk = payam_test_server_enrol (ts, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  crew = payam_test_server_enrol (ts, "crew.db", PAYAM_ROLE_CREW, crew_id);

  /* Kiosk: a message with contact and photo, then another "the same as" it. */
  first = kiosk_register (kiosk, NULL, 1);
  group_id = payam_store_ensure_group (kiosk, first, &error);
  assert_non_null (group_id);
  same = kiosk_register (kiosk, group_id, 2);
  sync_clean (kiosk, "kiosk register");

  /* Office: assigns both pieces of work to the crew. */
  sync_clean (office, "office pull");
  assert_true (payam_store_assign_crew (office, first, crew_id, &error));
  assert_true (payam_store_assign_crew (office, by_phone->id, crew_id, &error));
  sync_clean (office, "office assign");

  /* Crew: start, note, photo, done on the group; start and not possible on the other. */
  sync_clean (crew, "crew pull");
  {
    g_autoptr(PayamPhoto) after = payam_test_photo (3);

    assert_true (payam_store_add_photo (crew, after, &error));
    crew_action (crew, first, PAYAM_ACTION_START, NULL, NULL);
    crew_action (crew, first, PAYAM_ACTION_NOTE, "لوله آب زیر آسفالت شکسته بود", NULL);
    crew_action (crew, first, PAYAM_ACTION_PHOTO, NULL, after->sha256);
    crew_action (crew, first, PAYAM_ACTION_DONE, NULL, NULL);
  }
  crew_action (crew, by_phone->id, PAYAM_ACTION_START, NULL, NULL);
  crew_action (crew, by_phone->id, PAYAM_ACTION_NOT_POSSIBLE, "درخت روی سیم برق است", NULL);
  sync_clean (crew, "crew work");

  /* Everything reached the office: outcomes, one notice per citizen, the photo's bytes. */
  assert_int_equal (server_int (ts, "SELECT count(*) FROM request WHERE status = 'done' AND "
                                "group_id = ?1", group_id), 2);
  assert_int_equal (server_int (ts, "SELECT count(*) FROM request WHERE status = "
                                "'not_possible' AND id = ?1", by_phone->id), 1);
  assert_int_equal (server_int (ts, "SELECT count(*) FROM notice WHERE kind = 'outcome'",
                                NULL), 3);
  assert_int_equal (server_int (ts, "SELECT count(*) FROM photo WHERE bytes IS NULL", NULL), 0);
  assert_int_equal (server_int (ts, "SELECT count(*) FROM sync_log WHERE result = 'rejected'",
                                NULL), 0);

  /* Kiosk: the citizen rates the finished work. */
  sync_clean (kiosk, "kiosk pull");
  rating = payam_store_add_rating (kiosk, first, 5, "ممنون از رسیدگی", &error);
  if (rating == NULL)
    fail_msg ("rating: %s", error->message);
  sync_clean (kiosk, "kiosk rating");
  assert_int_equal (server_int (ts, "SELECT count(*) FROM rating WHERE request_id = ?1", first),
                    1);
  sync_clean (office, "office pull");

  g_clear_object (&office);
  g_clear_object (&kiosk);
  g_clear_object (&crew);
  payam_test_server_free (ts);
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_flows),
  };

  return cmocka_run_group_tests_name ("sync-flows", tests, NULL, NULL);
}
