/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the store's migrations: fresh files, old fixtures, and files that must be refused. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "payam-store-queues.h"
#include "payam-store.h"
#include "payam-tracking.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->dir = g_dir_make_tmp ("payam-migrations-XXXXXX", NULL);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f);
  return 0;
}

/* Run @sql on the file at @path through a plain connection (the test's own tiny helper). */
static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  assert_int_equal (sqlite3_open (path, &db), SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    fail_msg ("exec: %s", message);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static GBytes *
read_file (const char *path)
{
  char *data = NULL;
  gsize size = 0;

  assert_true (g_file_get_contents (path, &data, &size, NULL));
  return g_bytes_new_take (data, size);
}

static void
assert_refused_untouched (Fixture *f,
                          int      code)
{
  g_autoptr(GBytes) before = read_file (f->path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (f->path, &error);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  assert_null (store);
  if (!g_error_matches (error, PAYAM_STORE_ERROR, code))
    fail_msg ("expected store error %d, got %s", code, error != NULL ? error->message : "none");
  after = read_file (f->path);
  assert_true (g_bytes_equal (before, after));
  assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_fresh (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (f->path, &error);

  assert_non_null (store);
  assert_int_equal (payam_store_get_schema_version (store), PAYAM_STORE_SCHEMA_VERSION);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), PAYAM_STORE_SCHEMA_VERSION);
  assert_int_equal (query_int (f->path, "PRAGMA application_id"), 0x50415941);
  /* Version 2's additions are there. */
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                        "'conflict'"), 1);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM pragma_table_info ('request') "
                                        "WHERE name = 'status_epoch'"), 1);
  /* And version 3's: the request's own version, and no index on outbox op ids. */
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM pragma_table_info ('request') "
                                        "WHERE name = 'hlc'"), 1);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM pragma_index_list ('outbox')"), 0);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                        "'index' AND tbl_name = 'request' AND name LIKE "
                                        "'request_by_%'"), 3);
  /* Every table of DESIGN §3 and the outbox. */
  {
    static const char *const tables[] = {
      "request", "category", "place", "dup_group", "worksheet", "worksheet_action", "photo",
      "request_photo", "notice", "rating", "crew", "staff", "device", "audit", "outbox", "meta",
      "field_version", "config",
    };
    sqlite3 *db = NULL;

    assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        sqlite3_stmt *stmt = NULL;

        assert_int_equal (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = "
                                              "'table' AND name = ?", -1, &stmt, NULL),
                          SQLITE_OK);
        sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          fail_msg ("table %s is missing", tables[i]);
        sqlite3_finalize (stmt);
      }
    sqlite3_close (db);
  }
  assert_true (payam_store_check_integrity (store, &error));
  assert_int_equal (payam_store_count_outbox (store, &error), 0);
}

static void
test_v1_fixture (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *fixture = g_build_filename (srcdir != NULL ? srcdir : ".", "data",
                                               "store-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) r1 = NULL;
  g_autoptr(PayamRequest) r2 = NULL;
  g_autoptr(PayamRequest) r3 = NULL;
  g_autoptr(PayamRequest) added = NULL;
  g_autofree char *expected = payam_tracking_code_make (17, 4);
  PayamRequestDraft draft = {
    .text = "چراغ کوچه خاموش است", .category = "lighting", .neighbourhood = "tohid",
  };

  assert_true (g_file_get_contents (fixture, &sql, NULL, NULL));
  exec_on_file (f->path, sql);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), 1);

  store = payam_store_open (f->path, &error);
  if (store == NULL)
    fail_msg ("open: %s", error->message);
  assert_int_equal (payam_store_get_schema_version (store), PAYAM_STORE_SCHEMA_VERSION);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), PAYAM_STORE_SCHEMA_VERSION);
  assert_string_equal (payam_store_get_device_id (store), "018f2a6b-1c00-7a11-8b22-3c4d5e6f7081");
  assert_int_equal (payam_store_get_device_prefix (store), 17);

  r1 = payam_store_get_request (store, "018f2a6b-2000-7000-8000-000000000001", &error);
  assert_non_null (r1);
  assert_string_equal (r1->tracking_code, "001700000014");
  assert_string_equal (r1->text, "چالهٔ بزرگ جلوی پلاک ۱۲");
  assert_string_equal (r1->street, "کوچهٔ یاس");
  assert_true (r1->has_location);
  assert_true (r1->answers.blocks_road);
  assert_int_equal (r1->priority, PAYAM_PRIORITY_HIGH);
  assert_int_equal (r1->status, PAYAM_STATUS_REGISTERED);
  assert_int_equal (r1->status_epoch, 0);
  assert_string_equal (r1->phone, "09123456789");
  assert_string_equal (r1->name, "مریم احمدی");
  {
    g_autofree char *created = g_date_time_format_iso8601 (r1->created_at);
    assert_string_equal (created, "2024-05-01T08:00:00Z");
  }

  r2 = payam_store_find_by_tracking_code (store, "۰۰۱۷-۰۰۰۰۰۰۲-۳", &error);
  assert_non_null (r2);
  assert_int_equal (r2->status, PAYAM_STATUS_TRIAGED);
  assert_int_equal (r2->channel, PAYAM_CHANNEL_PHONE);
  assert_string_equal (r2->landmark, "پارک دریان‌نو");
  assert_false (r2->has_location);

  r3 = payam_store_get_request (store, "018f2a6b-2000-7000-8000-000000000003", &error);
  assert_non_null (r3);
  assert_int_equal (r3->status, PAYAM_STATUS_REJECTED);
  assert_string_equal (r3->status_reason, "تکراری");
  assert_true (r3->hazard);

  /* The migrated store keeps working where version 1 left off: code 4, device_seq 4. */
  assert_true (payam_store_load_defaults (store, &error));
  added = payam_store_add_request (store, &draft, &error);
  assert_non_null (added);
  assert_string_equal (added->tracking_code, expected);
  assert_int_equal (payam_store_count_outbox (store, &error), 4);
  assert_int_equal (query_int (f->path, "SELECT max(device_seq) FROM outbox"), 4);
  assert_true (payam_store_set_status (store, r3->id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  {
    g_autoptr(PayamRequest) reopened = payam_store_get_request (store, r3->id, &error);
    assert_int_equal (reopened->status_epoch, 1);
  }
  /* Version 18 rebuilt request keeping rowids: search still finds old and new rows by
   * words and by phone, the tally counts them, and the channel open311 is taken. */
  {
    g_autoptr(GPtrArray) by_words = payam_store_search (store, "چاله", 10, &error);
    g_autoptr(GPtrArray) by_phone = payam_store_search (store, "09123456789", 10, &error);
    g_autoptr(GPtrArray) by_new = payam_store_search (store, "چراغ", 10, &error);
    g_autoptr(PayamRequest) outside = NULL;
    PayamRequestDraft filed = draft;

    assert_non_null (by_words);
    assert_int_equal (by_words->len, 1);
    assert_int_equal (by_phone->len, 1);
    assert_true (by_new->len >= 1);
    filed.channel = PAYAM_CHANNEL_OPEN311;
    outside = payam_store_add_request (store, &filed, &error);
    assert_non_null (outside);
    assert_int_equal (outside->channel, PAYAM_CHANNEL_OPEN311);
    assert_int_equal (query_int (f->path, "SELECT n FROM request_tally"),
                      query_int (f->path, "SELECT count(*) FROM request"));
  }
  assert_true (payam_store_check_integrity (store, &error));
}

/* A version-2 file (the v1 fixture migrated, plus a status change) becomes version 3: the
 * request table is rebuilt with every row, column and index, the outbox keeps its ops, and
 * edits find their base in field_version for old rows and in request.hlc for new ones. */
static void
test_v2_fixture (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *fixture = g_build_filename (srcdir != NULL ? srcdir : ".", "data",
                                               "store-v2.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) r1 = NULL;
  g_autoptr(PayamRequest) r2 = NULL;
  g_autoptr(PayamRequest) added = NULL;
  g_autofree char *expected = payam_tracking_code_make (17, 4);
  PayamRequestDraft draft = {
    .text = "چراغ کوچه خاموش است", .category = "lighting", .neighbourhood = "tohid",
  };

  assert_true (g_file_get_contents (fixture, &sql, NULL, NULL));
  exec_on_file (f->path, sql);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), 2);

  store = payam_store_open (f->path, &error);
  if (store == NULL)
    fail_msg ("open: %s", error->message);
  /* Migrated through version 3 to the current one. */
  assert_int_equal (payam_store_get_schema_version (store), PAYAM_STORE_SCHEMA_VERSION);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), PAYAM_STORE_SCHEMA_VERSION);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM request"), 3);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM request WHERE hlc IS NULL"), 3);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM outbox"), 4);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                        "('request_v3', 'outbox_v3')"), 0);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                        "'index' AND tbl_name = 'request' AND name LIKE "
                                        "'request_by_%'"), 3);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

  r1 = payam_store_get_request (store, "018f2a6b-2000-7000-8000-000000000001", &error);
  assert_non_null (r1);
  assert_string_equal (r1->tracking_code, "001700000014");
  assert_string_equal (r1->text, "چالهٔ بزرگ جلوی پلاک ۱۲");
  assert_string_equal (r1->street, "کوچهٔ یاس");
  assert_true (r1->has_location);
  assert_true (r1->answers.blocks_road);
  assert_string_equal (r1->phone, "09123456789");
  r2 = payam_store_find_by_tracking_code (store, "۰۰۱۷-۰۰۰۰۰۰۲-۳", &error);
  assert_non_null (r2);
  assert_int_equal (r2->status, PAYAM_STATUS_TRIAGED);
  assert_int_equal (r2->channel, PAYAM_CHANNEL_PHONE);

  /* Bases: r2's status has its own version; r1 only its '*' row. */
  assert_true (payam_store_set_status (store, r2->id, PAYAM_STATUS_ASSIGNED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  assert_true (payam_store_set_status (store, r1->id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  {
    g_autofree char *base2 = query_text (f->path, "SELECT base_hlc FROM outbox "
                                                  "WHERE device_seq = 5");
    g_autofree char *base1 = query_text (f->path, "SELECT base_hlc FROM outbox "
                                                  "WHERE device_seq = 6");
    assert_string_equal (base2, "018f2a6b2000-0003");
    assert_string_equal (base1, "018f2a6b2000-0000");
  }

  /* A new request keeps its version in its row, not in field_version; an edit of it
   * takes that as base. */
  assert_true (payam_store_load_defaults (store, &error));
  added = payam_store_add_request (store, &draft, &error);
  assert_non_null (added);
  assert_string_equal (added->tracking_code, expected);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM field_version "
                                        "WHERE row_id = (SELECT id FROM request "
                                        "WHERE hlc IS NOT NULL)"), 0);
  assert_true (payam_store_set_status (store, added->id, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  {
    g_autofree char *created = query_text (f->path, "SELECT hlc FROM outbox "
                                                    "WHERE device_seq = 7");
    g_autofree char *base = query_text (f->path, "SELECT base_hlc FROM outbox "
                                                 "WHERE device_seq = 8");
    assert_non_null (created);
    assert_string_equal (base, created);
  }
  assert_true (payam_store_check_integrity (store, &error));
}

static void
test_too_new (void **state)
{
  Fixture *f = *state;

  exec_on_file (f->path, "PRAGMA application_id = 1346459969;"
                         "CREATE TABLE future (x);"
                         "INSERT INTO future VALUES ('from Payam 9');"
                         "PRAGMA user_version = 99;");
  assert_refused_untouched (f, PAYAM_STORE_ERROR_TOO_NEW);
  assert_int_equal (query_int (f->path, "PRAGMA user_version"), 99);
}

static void
test_foreign (void **state)
{
  Fixture *f = *state;

  exec_on_file (f->path, "PRAGMA application_id = 305419896;"
                         "CREATE TABLE notes (x); PRAGMA user_version = 1;");
  assert_refused_untouched (f, PAYAM_STORE_ERROR_FOREIGN);
}

static void
test_foreign_without_id (void **state)
{
  Fixture *f = *state;

  /* Another program's database that never set an application id. */
  exec_on_file (f->path, "CREATE TABLE bookmarks (url TEXT);");
  assert_refused_untouched (f, PAYAM_STORE_ERROR_FOREIGN);
}

static void
test_not_a_database (void **state)
{
  Fixture *f = *state;
  GString *text = g_string_new (NULL);

  for (int i = 0; i < 100; i++)
    g_string_append (text, "This is a text file, not a database. ");
  assert_true (g_file_set_contents (f->path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  assert_refused_untouched (f, PAYAM_STORE_ERROR_OPEN);
}

static void
test_open_twice (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) first = payam_store_open (f->path, &error);
  g_autoptr(PayamStore) second = NULL;
  g_autofree char *device_id = NULL;

  assert_non_null (first);
  device_id = g_strdup (payam_store_get_device_id (first));
  /* A second connection at the same time (WAL), then again after closing both. */
  second = payam_store_open (f->path, &error);
  assert_non_null (second);
  assert_string_equal (payam_store_get_device_id (second), device_id);
  g_clear_object (&first);
  g_clear_object (&second);

  first = payam_store_open (f->path, &error);
  assert_non_null (first);
  assert_int_equal (payam_store_get_schema_version (first), PAYAM_STORE_SCHEMA_VERSION);
  assert_string_equal (payam_store_get_device_id (first), device_id);
  assert_int_equal (query_int (f->path, "SELECT count(*) FROM meta WHERE key = 'device_id'"), 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_fresh, setup, teardown),
    cmocka_unit_test_setup_teardown (test_v1_fixture, setup, teardown),
    cmocka_unit_test_setup_teardown (test_v2_fixture, setup, teardown),
    cmocka_unit_test_setup_teardown (test_too_new, setup, teardown),
    cmocka_unit_test_setup_teardown (test_foreign, setup, teardown),
    cmocka_unit_test_setup_teardown (test_foreign_without_id, setup, teardown),
    cmocka_unit_test_setup_teardown (test_not_a_database, setup, teardown),
    cmocka_unit_test_setup_teardown (test_open_twice, setup, teardown),
  };

  return cmocka_run_group_tests_name ("migrations", tests, NULL, NULL);
}
