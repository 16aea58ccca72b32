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

#define N_CITIZENS 1000
#define N_GROUPS   300
#define BAD_PHONE     "09121000000"  /* the gateway answers 411 */
#define BLOCKED_PHONE "09121000001"  /* accepted, then reported 14, blocked */
#define API_KEY "test-key-8f3a"
#define WAIT_LIMIT_US (180 * G_USEC_PER_SEC)

static const char *server_path, *payamctl_path, *gateway_script;

typedef struct {
  char        *dir;
  char        *db;
  char        *record;
  char        *hold;
  char        *server_log;
  guint        port;
  GSubprocess *gateway;
  GSubprocess *server;
} Fixture;

/* Run @argv (NULL-terminated) and fail the test unless it exits 0. */
static void
run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    fail_msg ("%s: %s\n%s", argv[0], error->message, err != NULL ? err : "");
}

/* A CA, and a certificate for 127.0.0.1 signed by it, in @dir (openssl). */
static void
make_test_ca (const char *dir)
{
  g_autofree char *script = g_strdup_printf (
    "set -e; cd '%s';"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    " -keyout ca.key -out ca.pem -days 2 -subj '/CN=Payam test SMS CA'"
    " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null;"
    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout gw.key"
    " -out gw.csr -subj '/CN=127.0.0.1' 2>/dev/null;"
    "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > gw.ext;"
    "openssl x509 -req -in gw.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out gw.pem"
    " -days 2 -extfile gw.ext 2>/dev/null", dir);
  const char *argv[] = { "sh", "-c", script, NULL };

  run_ok (argv);
}

/* The first column of the first row of @sql, read through a connection of its own. */
static gint64 query_int (Fixture *f, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *f,
           const char *format,
           ...)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = NULL;
  gint64 value = -1;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  assert_int_equal (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Lines in the gateway's record: the messages it really sent. */
static guint
record_lines (Fixture *f)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (f->record, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Wait, up to a generous limit, until @cond (f) holds; fails the test otherwise. */
static void
wait_for (Fixture     *f,
          gboolean   (*cond) (Fixture *f),
          const char  *what)
{
  gint64 end = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!cond (f))
    {
      if (g_get_monotonic_time () > end)
        fail_msg ("gave up waiting until %s", what);
      g_usleep (20 * 1000);
    }
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
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (f->dir, "gw.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "gw.key", NULL);
  g_autofree char *port_file = g_build_filename (f->dir, "gw.port", NULL);
  g_autofree char *port_text = NULL;
  gint64 end = g_get_monotonic_time () + WAIT_LIMIT_US;

  f->gateway = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/bin/python3",
                                 gateway_script, "--cert", cert, "--key", key,
                                 "--key-value", API_KEY, "--port-file", port_file,
                                 "--record", f->record, "--busy", "5", "--no-credit", "2",
                                 "--drop", "3", "--bad", BAD_PHONE, "--blocked", BLOCKED_PHONE,
                                 "--hold-reports", f->hold, "--send-delay", "0.01", NULL);
  if (f->gateway == NULL)
    fail_msg ("gateway: %s", error->message);
  while (!g_file_get_contents (port_file, &port_text, NULL, NULL))
    {
      if (g_get_monotonic_time () > end)
        fail_msg ("the fake gateway did not start");
      g_usleep (20 * 1000);
    }
}

/* A port of 127.0.0.1 free a moment ago. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
start_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autofree char *key = g_build_filename (f->dir, "sms.key", NULL);
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *gw_port = NULL;
  g_autofree char *port_file = g_build_filename (f->dir, "gw.port", NULL);
  g_autofree char *url = NULL;
  gint64 end = g_get_monotonic_time () + WAIT_LIMIT_US;

  assert_true (g_file_get_contents (port_file, &gw_port, NULL, NULL));
  url = g_strdup_printf ("https://127.0.0.1:%s/", gw_port);
  /* Both runs append to one log. */
  {
    int fd = g_open (f->server_log, O_WRONLY | O_CREAT | O_APPEND, 0600);

    assert_true (fd >= 0);
    g_subprocess_launcher_take_stdout_fd (launcher, fd);
  }
  f->server = g_subprocess_launcher_spawn (launcher, &error, server_path, "--db", f->db,
                                           "--listen", listen, "--state-dir", state,
                                           "--sms-gateway", url, "--sms-key-file", key,
                                           "--sms-sender", "10004346", "--sms-ca-file", ca,
                                           "--sms-batch", "10", "--sms-interval", "100",
                                           "--sms-retry", "1", "--track-rate", "0", NULL);
  if (f->server == NULL)
    fail_msg ("server: %s", error->message);
  /* Up once it accepts connections. */
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, listen, 0,
                                                                        NULL, NULL);

      if (c != NULL)
        break;
      if (g_get_monotonic_time () > end)
        fail_msg ("payam-server did not start; see %s", f->server_log);
      g_usleep (20 * 1000);
    }
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *init[] = { payamctl_path, "--db", NULL, "init", NULL };

  f->dir = g_dir_make_tmp ("payam-sms-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db = g_build_filename (f->dir, "office.db", NULL);
  f->record = g_build_filename (f->dir, "sent.jsonl", NULL);
  f->hold = g_build_filename (f->dir, "hold-reports", NULL);
  f->server_log = g_build_filename (f->dir, "server.log", NULL);
  key = g_build_filename (f->dir, "sms.key", NULL);
  assert_true (g_file_set_contents_full (key, API_KEY "\n", -1, G_FILE_SET_CONTENTS_NONE,
                                         0600, &error));
  assert_true (g_file_set_contents (f->hold, "", 0, &error));
  make_test_ca (f->dir);
  init[2] = f->db;
  run_ok (init);
  build_store (f);
  f->port = free_port ();
  *state = f;
  return 0;
}

static void
stop (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", f->dir);
  const char *argv[] = { "sh", "-c", rm, NULL };

  stop (&f->server);
  stop (&f->gateway);
  run_ok (argv);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->record);
  g_free (f->hold);
  g_free (f->server_log);
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
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/v1/track/%s", f->port, code);
  const char *argv[] = { "curl", "-sSfk", "-o", "/dev/null", url, NULL };

  run_ok (argv);
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
  stop (&f->server);
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
  assert_true (g_file_get_contents (f->record, &record, NULL, &error));
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
  stop (&f->server);

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
  assert_true (g_file_get_contents (f->server_log, &log, NULL, &error));
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
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ||
      g_find_program_in_path ("openssl") == NULL || g_find_program_in_path ("curl") == NULL)
    {
      g_print ("1..0 # SKIP needs /usr/bin/python3, openssl and curl\n");
      return 0;
    }
  return cmocka_run_group_tests_name ("sms-delivery", tests, NULL, NULL);
}
