/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: the built payam-server sending text messages through the fake Kavenegar
 * gateway (tests/fake-kavenegar.py) over HTTPS with a test CA made by openssl, as
 * test-sms-delivery and test-sms-registered run them. Include after <cmocka.h>. */
#pragma once

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#define PAYAM_TEST_SMS_API_KEY "test-key-8f3a"
#define PAYAM_TEST_SMS_WAIT_US (180 * G_USEC_PER_SEC)

typedef struct {
  char        *dir;         /* a temporary folder holding all of it */
  char        *db;          /* the server's database (dir/office.db) */
  char        *record;      /* the gateway's record: one JSON line per message sent */
  char        *server_log;  /* payam-server's output, every run appended */
  guint        port;        /* payam-server's port on 127.0.0.1 */
  GSubprocess *gateway;
  GSubprocess *server;
} PayamTestSms;

/* Run @argv (NULL-terminated) and fail the test unless it exits 0. */
static inline void
payam_test_run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    fail_msg ("%s: %s\n%s", argv[0], error->message, err != NULL ? err : "");
}

/* A CA (ca.pem), and a certificate for 127.0.0.1 signed by it (gw.pem, gw.key), in @dir. */
static inline void
payam_test_sms_make_ca (const char *dir)
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

  payam_test_run_ok (argv);
}

/* Whether the tools the fixture needs are there (else the test skips). */
static inline gboolean
payam_test_sms_can_run (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *curl = g_find_program_in_path ("curl");

  return g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) && openssl != NULL &&
         curl != NULL;
}

/* A port of 127.0.0.1 free a moment ago. */
static inline guint
payam_test_free_port (void)
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

/* A new fixture in a temporary folder named after @name: the server's database made by
 * @payamctl init, the gateway's key file (mode 0600) and the test CA; nothing running. */
static inline PayamTestSms *
payam_test_sms_new (const char *payamctl,
                    const char *name)
{
  PayamTestSms *ts = g_new0 (PayamTestSms, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *key = NULL;
  const char *init[] = { payamctl, "--db", NULL, "init", NULL };

  ts->dir = g_dir_make_tmp (template, &error);
  assert_non_null (ts->dir);
  ts->db = g_build_filename (ts->dir, "office.db", NULL);
  ts->record = g_build_filename (ts->dir, "sent.jsonl", NULL);
  ts->server_log = g_build_filename (ts->dir, "server.log", NULL);
  key = g_build_filename (ts->dir, "sms.key", NULL);
  assert_true (g_file_set_contents_full (key, PAYAM_TEST_SMS_API_KEY "\n", -1,
                                         G_FILE_SET_CONTENTS_NONE, 0600, &error));
  payam_test_sms_make_ca (ts->dir);
  init[2] = ts->db;
  payam_test_run_ok (init);
  ts->port = payam_test_free_port ();
  return ts;
}

/* Start @script (fake-kavenegar.py) with its certificate, key, record and port file, and
 * @extra (NULL-terminated, may be NULL) for its faults; returns once it listens. */
static inline void
payam_test_sms_start_gateway (PayamTestSms        *ts,
                              const char          *script,
                              const char * const  *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port_file = g_build_filename (ts->dir, "gw.port", NULL);
  g_autofree char *port_text = NULL;
  gint64 end = g_get_monotonic_time () + PAYAM_TEST_SMS_WAIT_US;

  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("--cert"));
  g_ptr_array_add (argv, g_build_filename (ts->dir, "gw.pem", NULL));
  g_ptr_array_add (argv, g_strdup ("--key"));
  g_ptr_array_add (argv, g_build_filename (ts->dir, "gw.key", NULL));
  g_ptr_array_add (argv, g_strdup ("--key-value"));
  g_ptr_array_add (argv, g_strdup (PAYAM_TEST_SMS_API_KEY));
  g_ptr_array_add (argv, g_strdup ("--port-file"));
  g_ptr_array_add (argv, g_strdup (port_file));
  g_ptr_array_add (argv, g_strdup ("--record"));
  g_ptr_array_add (argv, g_strdup (ts->record));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);
  ts->gateway = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                                   &error);
  if (ts->gateway == NULL)
    fail_msg ("gateway: %s", error->message);
  while (!g_file_get_contents (port_file, &port_text, NULL, NULL))
    {
      if (g_get_monotonic_time () > end)
        fail_msg ("the fake gateway did not start");
      g_usleep (20 * 1000);
    }
}

/* Start @server_path (payam-server) on ts->port with the gateway, sending in batches of
 * @batch every @interval_ms, retries from @retry seconds; returns once it accepts
 * connections. Its output is appended to ts->server_log. */
static inline void
payam_test_sms_start_server (PayamTestSms *ts,
                             const char   *server_path,
                             guint         batch,
                             guint         interval_ms,
                             guint         retry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", ts->port);
  g_autofree char *state = g_build_filename (ts->dir, "state", NULL);
  g_autofree char *key = g_build_filename (ts->dir, "sms.key", NULL);
  g_autofree char *ca = g_build_filename (ts->dir, "ca.pem", NULL);
  g_autofree char *port_file = g_build_filename (ts->dir, "gw.port", NULL);
  g_autofree char *gw_port = NULL;
  g_autofree char *url = NULL;
  g_autofree char *batch_text = g_strdup_printf ("%u", batch);
  g_autofree char *interval_text = g_strdup_printf ("%u", interval_ms);
  g_autofree char *retry_text = g_strdup_printf ("%u", retry);
  gint64 end = g_get_monotonic_time () + PAYAM_TEST_SMS_WAIT_US;
  int fd;

  assert_true (g_file_get_contents (port_file, &gw_port, NULL, NULL));
  url = g_strdup_printf ("https://127.0.0.1:%s/", gw_port);
  fd = g_open (ts->server_log, O_WRONLY | O_CREAT | O_APPEND, 0600);
  assert_true (fd >= 0);
  g_subprocess_launcher_take_stdout_fd (launcher, fd);
  ts->server = g_subprocess_launcher_spawn (launcher, &error, server_path, "--db", ts->db,
                                            "--listen", listen, "--state-dir", state,
                                            "--sms-gateway", url, "--sms-key-file", key,
                                            "--sms-sender", "10004346", "--sms-ca-file", ca,
                                            "--sms-batch", batch_text,
                                            "--sms-interval", interval_text,
                                            "--sms-retry", retry_text, "--track-rate", "0",
                                            NULL);
  if (ts->server == NULL)
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
        fail_msg ("payam-server did not start; see %s", ts->server_log);
      g_usleep (20 * 1000);
    }
}

/* Kill *@process (SIGKILL) and wait for it; nothing when NULL. */
static inline void
payam_test_sms_stop (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* Stop both programs, remove the folder and free @ts. */
static inline void
payam_test_sms_free (PayamTestSms *ts)
{
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", ts->dir);
  const char *argv[] = { "sh", "-c", rm, NULL };

  payam_test_sms_stop (&ts->server);
  payam_test_sms_stop (&ts->gateway);
  payam_test_run_ok (argv);
  g_free (ts->dir);
  g_free (ts->db);
  g_free (ts->record);
  g_free (ts->server_log);
  g_free (ts);
}

/* The first column of the first row of @format (printf-style SQL) on the server's
 * database, read through a connection of its own; -1 for no row. */
static inline gint64 payam_test_sms_query_int (PayamTestSms *ts,
                                               const char   *format,
                                               ...) G_GNUC_PRINTF (2, 3);

static inline gint64
payam_test_sms_query_int (PayamTestSms *ts,
                          const char   *format,
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
  assert_int_equal (sqlite3_open_v2 (ts->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
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
static inline guint
payam_test_sms_record_lines (PayamTestSms *ts)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (ts->record, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Wait, up to a generous limit, until @cond (@data) holds; fails the test otherwise. */
static inline void
payam_test_sms_wait_for (gboolean   (*cond) (gpointer data),
                         gpointer     data,
                         const char  *what)
{
  gint64 end = g_get_monotonic_time () + PAYAM_TEST_SMS_WAIT_US;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        fail_msg ("gave up waiting until %s", what);
      g_usleep (20 * 1000);
    }
}
