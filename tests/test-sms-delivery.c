/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #14 end to end: the built payam-server tells 1,000 citizens in 300 groups the
 * outcome through a fake Kavenegar gateway over HTTPS with a test CA (fake-kavenegar.py):
 * busy and no-credit answers and dropped connections are retried, a bad number and a
 * blocked one end failed with their reasons, the server is killed with SIGKILL in the
 * middle of sending and restarted, every message goes out exactly once (localid), nobody
 * counts as told before the delivery reports come, and citizens without a phone are told
 * by looking their code up on the server's track route.
 * Arguments: PAYAM-SERVER PAYAMCTL FAKE-GATEWAY-SCRIPT. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "payam-store-feedback.h"
#include "payam-store-groups.h"
#include "payam-store-worksheets.h"
#include "payam-test-sms.h"

#define N_CITIZENS 1000
#define N_GROUPS   300
#define BAD_PHONE     "09121000000"  /* the gateway answers 411 */
#define BLOCKED_PHONE "09121000001"  /* accepted, then reported 14, blocked */
#define API_KEY PAYAM_TEST_SMS_API_KEY

static const char *server_path, *payamctl_path, *gateway_script;

typedef struct {
  PayamTestSms *ts;
  char         *db;    /* borrowed from ts */
  char         *hold;
} Fixture;

/* The first column of the first row of @sql, read through a connection of its own. */
#define query_int(f, ...) payam_test_sms_query_int ((f)->ts, __VA_ARGS__)

/* Lines in the gateway's record: the messages it really sent. */
static guint
record_lines (Fixture *f)
{
  return payam_test_sms_record_lines (f->ts);
}

/* Wait, up to a generous limit, until @cond (f) holds; fails the test otherwise. */
static void
wait_for (Fixture     *f,
          gboolean   (*cond) (Fixture *f),
          const char  *what)
{
  payam_test_sms_wait_for ((gboolean (*) (gpointer)) cond, f, what);
}

/* Mark every news notice (joined, assigned) told, so that what the gateway gets is the
 * one outcome notice per citizen this test counts. */
static void
tell_news (Fixture    *f,
           PayamStore *store)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "SELECT id FROM notice WHERE state = 'pending' "
                                        "AND kind <> 'outcome'", -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  for (guint i = 0; i < ids->len; i++)
    if (!payam_store_mark_notice_sent (store, ids->pdata[i], &error))
      fail_msg ("mark sent: %s", error->message);
}

/* The store: 1,000 citizens in 300 groups (100 of four, 200 of three), every tenth without a
 * phone, each group assigned and done by the office, which makes one notice per citizen. */
static void
build_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
  g_autofree char *crew = NULL;
  guint citizen = 0;

  if (store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_actor (store, "test");
  crew = payam_store_add_crew (store, "اکیپ ۱", "tohid", &error);
  assert_non_null (crew);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      guint size = g < 100 ? 4 : 3;
      g_autofree char *lead = NULL;
      g_autofree char *action = NULL;
      PayamActionDraft done = { .kind = PAYAM_ACTION_DONE, .public_words = "چاله پر شد" };

      for (guint m = 0; m < size; m++, citizen++)
        {
          g_autofree char *phone = g_strdup_printf ("0912%07u", 1000000 + citizen);
          PayamRequestDraft draft = {
            .text = "چاله بزرگ وسط خیابان", .category = "asphalt", .neighbourhood = "tohid",
            .channel = PAYAM_CHANNEL_KIOSK, .phone = citizen % 10 == 9 ? NULL : phone,
          };
          g_autoptr(PayamRequest) r = payam_store_add_request (store, &draft, &error);

          if (r == NULL)
            fail_msg ("add: %s", error->message);
          if (lead == NULL)
            lead = g_strdup (r->id);
          else
            {
              g_autofree char *group = payam_store_merge (store, lead, r->id, FALSE, &error);

              if (group == NULL)
                fail_msg ("merge: %s", error->message);
            }
        }
      assert_true (payam_store_assign_crew (store, lead, crew, &error));
      action = payam_store_add_action (store, lead, &done, PAYAM_ROLE_OFFICE, &error);
      if (action == NULL)
        fail_msg ("done: %s", error->message);
    }
  assert_int_equal (citizen, N_CITIZENS);
  tell_news (f, store);
}

static void
start_gateway (Fixture *f)
{
  const char *faults[] = { "--busy", "5", "--no-credit", "2", "--drop", "3",
                           "--bad", BAD_PHONE, "--blocked", BLOCKED_PHONE,
                           "--hold-reports", f->hold, "--send-delay", "0.01", NULL };

  payam_test_sms_start_gateway (f->ts, gateway_script, faults);
}

static void
start_server (Fixture *f)
{
  payam_test_sms_start_server (f->ts, server_path, 10, 100, 1);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->ts = payam_test_sms_new (payamctl_path, "payam-sms");
  f->db = f->ts->db;
  f->hold = g_build_filename (f->ts->dir, "hold-reports", NULL);
  assert_true (g_file_set_contents (f->hold, "", 0, &error));
  build_store (f);
  *state = f;
  return 0;
}

static void
stop (GSubprocess **process)
{
  payam_test_sms_stop (process);
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_test_sms_free (f->ts);
  g_free (f->hold);
  g_free (f);
  return 0;
}

static gboolean
some_sent (Fixture *f)
{
  return record_lines (f) >= 200;
}

/* Every SMS notice handled while reports are held: 899 accepted (sent), the bad number
 * failed. */
static gboolean
all_accepted (Fixture *f)
{
  return query_int (f, "SELECT count (*) FROM notice_delivery WHERE state = 'sent'") == 899 &&
         query_int (f, "SELECT count (*) FROM notice_delivery WHERE state = 'failed'") == 1;
}

static gboolean
all_reported (Fixture *f)
{
  return query_int (f, "SELECT count (*) FROM notice WHERE kind = 'outcome' AND channel = 'sms' AND "
                       "state = 'sent'") == 898 &&
         query_int (f, "SELECT count (*) FROM notice WHERE state = 'failed'") == 2;
}

/* GET /v1/track/CODE on the server (curl, the server's certificate not pinned here). */
static void
look_up (Fixture    *f,
         const char *code)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/v1/track/%s", f->ts->port, code);
  const char *argv[] = { "curl", "-sSfk", "-o", "/dev/null", url, NULL };

  payam_test_run_ok (argv);
}

static void
test_tell_everyone (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *record = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) localids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint at_kill;
  gint64 started, accepted_us;

  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE kind = 'outcome'"),
                    N_CITIZENS);
  start_gateway (f);
  started = g_get_monotonic_time ();
  start_server (f);

  /* SIGKILL in the middle of sending, then a restart. */
  wait_for (f, some_sent, "the gateway has sent 200 messages");
  stop (&f->ts->server);
  at_kill = record_lines (f);
  print_message ("# killed payam-server after %u of 899 messages\n", at_kill);
  assert_true (at_kill < 899);
  start_server (f);

  wait_for (f, all_accepted, "every message is accepted or refused");
  accepted_us = g_get_monotonic_time () - started;
  print_message ("# 899 messages accepted in %.2f s (%.0f a second, with a kill and a "
                 "restart, the gateway taking 10 ms a message, 10 at once)\n",
                 accepted_us / 1e6, 899 / (accepted_us / 1e6));
  /* Reports held: nobody is told yet. */
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE kind = 'outcome' AND "
                                  "state = 'sent'"), 0);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice_delivery d JOIN notice n ON "
                                  "n.id = d.notice_id JOIN request r ON r.id = n.request_id "
                                  "WHERE d.state = 'failed' AND r.phone = '" BAD_PHONE "' AND "
                                  "d.reason LIKE '411 %%'"), 1);

  /* Reports now arrive: delivered ones are told, the blocked one fails. */
  g_unlink (f->hold);
  wait_for (f, all_reported, "every delivery report is in");

  /* Exactly once: one gateway message per localid and per phone. */
  assert_true (g_file_get_contents (f->ts->record, &record, NULL, &error));
  lines = g_strsplit (g_strchomp (record), "\n", -1);
  assert_int_equal (g_strv_length (lines), 899);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;

      assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      o = json_node_get_object (json_parser_get_root (parser));
      assert_true (g_hash_table_add (localids, g_strdup (json_object_get_string_member (o, "localid"))));
      assert_true (g_hash_table_add (phones, g_strdup (json_object_get_string_member (o, "receptor"))));
      assert_non_null (strstr (json_object_get_string_member (o, "message"), "چاله پر شد"));
    }
  assert_false (g_hash_table_contains (phones, BAD_PHONE));
  {
    /* The steady rate after the restart, from the gateway's own clock. */
    g_autoptr(JsonParser) p1 = json_parser_new ();
    g_autoptr(JsonParser) p2 = json_parser_new ();
    double t1, t2;

    assert_true (json_parser_load_from_data (p1, lines[400], -1, NULL));
    assert_true (json_parser_load_from_data (p2, lines[800], -1, NULL));
    t1 = json_object_get_double_member (json_node_get_object (json_parser_get_root (p1)), "t");
    t2 = json_object_get_double_member (json_node_get_object (json_parser_get_root (p2)), "t");
    print_message ("# messages 400 to 800 sent in %.2f s: %.0f a second\n", t2 - t1,
                   400 / (t2 - t1));
  }

  /* Citizens without a phone look their code up on the track route. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

    assert_int_equal (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal (sqlite3_prepare_v2 (db, "SELECT tracking_code FROM request WHERE phone "
                                          "IS NULL", -1, &stmt, NULL), SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (codes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    assert_int_equal (codes->len, 100);
    for (guint i = 0; i < codes->len; i++)
      look_up (f, codes->pdata[i]);
  }
  stop (&f->ts->server);

  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GPtrArray) untold = NULL;
    const PayamCoverageRow *row;

    assert_non_null (store);
    rows = payam_store_get_coverage (store, PAYAM_COVERAGE_OVERALL, &error);
    row = rows->pdata[0];
    assert_int_equal (row->owed, N_CITIZENS);
    assert_int_equal (row->told, N_CITIZENS - 2);
    assert_int_equal (row->failed, 2);
    assert_int_equal (row->queued + row->no_phone + row->no_notice, 0);
    untold = payam_store_list_untold (store, 10, &error);
    assert_int_equal (untold->len, 2);
    assert_true (g_str_has_prefix (((PayamUntold *) untold->pdata[0])->reason, "411 ") ||
                 g_str_has_prefix (((PayamUntold *) untold->pdata[1])->reason, "411 "));
    assert_true (g_str_has_prefix (((PayamUntold *) untold->pdata[0])->reason, "status 14") ||
                 g_str_has_prefix (((PayamUntold *) untold->pdata[1])->reason, "status 14"));
  }

  /* Busy, no credit and dropped connections were retried, and the log says so. */
  assert_true (g_file_get_contents (f->ts->server_log, &log, NULL, &error));
  assert_non_null (strstr (log, ": 409 "));
  assert_non_null (strstr (log, ": 418 "));
  assert_non_null (strstr (log, ": network: "));
  assert_null (strstr (log, API_KEY));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_tell_everyone, setup, teardown),
  };

  if (argc < 4)
    {
      g_printerr ("usage: %s PAYAM-SERVER PAYAMCTL FAKE-GATEWAY\n", argv[0]);
      return 2;
    }
  server_path = argv[1];
  payamctl_path = argv[2];
  gateway_script = argv[3];
  if (!payam_test_sms_can_run ())
    {
      g_print ("1..0 # SKIP needs /usr/bin/python3, openssl and curl\n");
      return 0;
    }
  return cmocka_run_group_tests_name ("sms-delivery", tests, NULL, NULL);
}
