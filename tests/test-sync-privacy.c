/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #3 "done when", on the office server in-process on 127.0.0.1 over TLS: a kiosk and
 * an office desk enrolled with one-time codes exchange 1,000 requests made offline; the office
 * sees every contact, the kiosk keeps none (not in a row, not in the file's bytes), a
 * repeated sync moves nothing, plain HTTP is refused and the public track has nothing
 * personal. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "payam-store-devices.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-round.h"
#include "payam-sync-server.h"
#include "payam-test-server.h"

#define N_REQUESTS 1000
/* Every phone is this and four digits (09358710000 + i), every name starts so: neither may
 * reach a kiosk's file. The prefix must not occur by chance: with "0912000" a request id
 * ending in hex "0912" followed in the row by its tracking code "0001000…" read as a phone
 * in about one run of twenty. */
#define PHONE_PREFIX "0935871"
#define NAME_PREFIX  "شهروند"

typedef struct {
  PayamTestServer *ts;
  /* borrowed from ts */
  const char      *dir;
  PayamStore      *server_store;
  PayamSyncServer *server;
  const char      *fingerprint;
  const char      *url;
  guint            port;
} Fixture;

/* The server as payam-server runs it: the store opens the contacts kiosks seal. */
static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->ts = payam_test_server_new ();
  f->dir = f->ts->dir;
  f->server_store = f->ts->store;
  f->server = f->ts->server;
  f->fingerprint = f->ts->fingerprint;
  f->url = f->ts->url;
  f->port = f->ts->port;
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_test_server_free (f->ts);
  g_free (f);
  return 0;
}

/* ---- clients on a worker thread while this one serves (payam_test_run_client) ---------- */

typedef struct {
  Fixture              *f;
  PayamStore           *store;
  PayamSyncRoundCounts  counts;
  const char           *path;
  gboolean              tls;
  char                 *answer;
  guint                 status;
  GError               *error;
} ClientJob;

static gpointer
round_job (gpointer data)
{
  ClientJob *job = data;
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (job->store, &job->error);

  if (client != NULL)
    payam_sync_round (client, job->store, &job->counts, NULL, &job->error);
  return NULL;
}

static gpointer
track_job (gpointer data)
{
  ClientJob *job = data;
  guint8 pin[32];
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(GBytes) body = NULL;

  for (int i = 0; i < 32; i++)
    pin[i] = (guint8) (g_ascii_xdigit_value (job->f->fingerprint[2 * i]) * 16 +
                       g_ascii_xdigit_value (job->f->fingerprint[2 * i + 1]));
  client = payam_sync_client_new (job->f->url, pin, sizeof pin, NULL, &job->error);
  body = payam_sync_client_send (client, "GET", job->path, NULL, &job->status, NULL,
                                 &job->error);
  if (body != NULL)
    job->answer = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return NULL;
}

static gboolean
accept_any (GTlsConnection       *connection,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;
}

static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_any), NULL);
}

/* A request written as it is, over TLS or not; whatever comes back before the server closes
 * or 5 s pass (NULL: the connection failed). */
static gpointer
raw_job (gpointer data)
{
  ClientJob *job = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Connection: close\r\n\r\n", job->path);
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 5);
  g_socket_client_set_tls (client, job->tls);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event), NULL);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", job->f->port, NULL, NULL);
  if (connection == NULL ||
      !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, strlen (request), NULL, NULL, NULL))
    return NULL;
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (answer, buffer, n);
  job->answer = g_string_free (g_steal_pointer (&answer), FALSE);
  return NULL;
}

/* ---- helpers ------------------------------------------------------------------------------ */


static PayamSyncRoundCounts
sync_round (Fixture    *f,
            PayamStore *store)
{
  ClientJob job = { f, store, };

  payam_test_run_client (round_job, &job);
  if (job.error != NULL)
    fail_msg ("sync: %s", job.error->message);
  return job.counts;
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg ("%s: %s", sql, sqlite3_errmsg (db));
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The first column of every row of @sql on the file at @path. */
static GPtrArray *
query_texts (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (texts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return texts;
}

/* Whether the file at @path (absent: empty) holds the bytes of @needle anywhere, followed
 * by @digits ASCII digits. */
static gboolean
file_holds (const char *path,
            const char *needle,
            gsize       digits)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;
  gsize n = strlen (needle) + digits;

  if (!g_file_get_contents (path, &bytes, &length, NULL) || length < n)
    return FALSE;
  for (const char *p = bytes; (gsize) (p - bytes) <= length - n; p++)
    {
      gsize d = 0;

      p = memchr (p, needle[0], length - n + 1 - (gsize) (p - bytes));
      if (p == NULL)
        return FALSE;
      if (memcmp (p, needle, n - digits) != 0)
        continue;
      while (d < digits && g_ascii_isdigit (p[n - digits + d]))
        d++;
      if (d == digits)
        return TRUE;
    }
  return FALSE;
}

static void
assert_file_clean (const char *path)
{
  if (file_holds (path, PHONE_PREFIX, 4))
    fail_msg ("%s holds a phone number", path);
  if (file_holds (path, NAME_PREFIX, 0))
    fail_msg ("%s holds a name", path);
}

/* ---- the test ----------------------------------------------------------------------------- */

static void
test_kiosk_to_office (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = payam_test_server_enrol (f->ts, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamStore) office = payam_test_server_enrol (f->ts, "office.db", PAYAM_ROLE_OFFICE, NULL);
  g_autofree char *kiosk_path = g_strdup (payam_store_get_path (kiosk));
  g_autofree char *kiosk_wal = g_strconcat (kiosk_path, "-wal", NULL);
  g_autofree char *office_path = g_strdup (payam_store_get_path (office));
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sealed = NULL;
  PayamSyncRoundCounts counts;

  /* Offline: 1,000 requests, each with its own phone and name. */
  assert_true (payam_store_begin (kiosk, &error));
  for (int i = 0; i < N_REQUESTS; i++)
    {
      g_autofree char *phone = g_strdup_printf (PHONE_PREFIX "%04d", i);
      g_autofree char *name = g_strdup_printf (NAME_PREFIX " %d", i);
      PayamRequestDraft draft = {
        .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
        .phone = phone, .name = name, .channel = PAYAM_CHANNEL_KIOSK,
      };
      g_autoptr(PayamRequest) request = payam_store_add_request (kiosk, &draft, &error);

      if (request == NULL)
        fail_msg ("request %d: %s", i, error->message);
      if (i == 0)
        code = g_strdup (request->tracking_code);
    }
  assert_true (payam_store_commit (kiosk, &error));
  /* Sealed from the start: not one contact in clear, even before the sync. */
  assert_int_equal (query_int (kiosk_path, "SELECT count(*) FROM request WHERE phone IS NOT "
                               "NULL OR name IS NOT NULL"), 0);
  assert_int_equal (query_int (kiosk_path, "SELECT count(*) FROM request WHERE contact_sealed "
                               "IS NOT NULL"), N_REQUESTS);
  assert_file_clean (kiosk_path);
  assert_file_clean (kiosk_wal);
  sealed = query_texts (kiosk_path, "SELECT substr (contact_sealed, 1, 32) FROM request "
                        "WHERE rowid % 20 = 0");
  assert_int_equal (sealed->len, N_REQUESTS / 20);

  counts = sync_round (f, kiosk);
  assert_int_equal (counts.ops_pushed, N_REQUESTS);
  assert_int_equal (counts.ops_rejected, 0);

  counts = sync_round (f, office);
  assert_true (counts.ops_pulled >= N_REQUESTS);
  /* The office has every request with its own phone and name. */
  assert_int_equal (query_int (office_path, "SELECT count(DISTINCT phone) FROM request WHERE "
                               "phone LIKE '" PHONE_PREFIX "%' AND name = '" NAME_PREFIX " ' || "
                               "CAST (substr (phone, 8) AS INTEGER)"), N_REQUESTS);

  /* The kiosk keeps its requests and nothing personal: no phone, no name, nothing sealed,
   * nothing waiting; not in a row, not in the bytes of its file or its WAL. */
  assert_int_equal (query_int (kiosk_path, "SELECT count(*) FROM request"), N_REQUESTS);
  assert_int_equal (query_int (kiosk_path, "SELECT count(*) FROM request WHERE phone IS NOT "
                               "NULL OR name IS NOT NULL OR contact_sealed IS NOT NULL"), 0);
  assert_int_equal (query_int (kiosk_path, "SELECT count(*) FROM outbox"), 0);
  assert_file_clean (kiosk_path);
  assert_file_clean (kiosk_wal);
  {
    sqlite3 *db = NULL;

    assert_int_equal (sqlite3_open (kiosk_path, &db), SQLITE_OK);
    assert_int_equal (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                      SQLITE_OK);
    sqlite3_close (db);
  }
  assert_file_clean (kiosk_path);
  assert_file_clean (kiosk_wal);
  /* Purged for good: the sealed values are overwritten, not left in free space. */
  for (guint i = 0; i < sealed->len; i++)
    if (file_holds (kiosk_path, sealed->pdata[i], 0))
      fail_msg ("%s still holds a sealed contact", kiosk_path);

  /* A repeated sync moves nothing, either way. */
  counts = sync_round (f, kiosk);
  assert_int_equal (counts.ops_pushed + counts.ops_pulled + counts.blobs_sent +
                    counts.blobs_received, 0);
  counts = sync_round (f, office);
  assert_int_equal (counts.ops_pushed + counts.ops_pulled + counts.blobs_sent +
                    counts.blobs_received, 0);

  /* Plain HTTP: no HTTP answer from the server, and the client will not even try. */
  {
    ClientJob job = { f, .path = "/v1/whoami", .tls = FALSE };
    ClientJob tls = { f, .path = "/v1/whoami", .tls = TRUE };
    g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u", f->port);
    guint8 pin[32] = { 0 };
    g_autoptr(PayamSyncClient) client = NULL;

    payam_test_run_client (raw_job, &job);
    assert_true (job.answer == NULL || strstr (job.answer, "HTTP/") == NULL);
    g_free (job.answer);
    /* The same bytes over TLS do get an answer: the refusal is the missing TLS. */
    payam_test_run_client (raw_job, &tls);
    assert_non_null (tls.answer);
    assert_true (g_str_has_prefix (tls.answer, "HTTP/1.1 401"));
    g_free (tls.answer);
    client = payam_sync_client_new (plain_url, pin, sizeof pin, NULL, &error);
    assert_null (client);
    assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS));
    g_clear_error (&error);
  }

  /* The public track of the kiosk's first request: JSON, nothing personal. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/track/%s", code);
    ClientJob job = { f, .path = path };
    g_autoptr(PayamSyncTrackReply) track = NULL;

    payam_test_run_client (track_job, &job);
    if (job.error != NULL)
      fail_msg ("track: %s", job.error->message);
    assert_int_equal (job.status, 200);
    track = payam_sync_decode_track_reply (job.answer, strlen (job.answer), &error);
    assert_non_null (track);
    assert_string_equal (track->tracking_code, code);
    assert_null (strstr (job.answer, PHONE_PREFIX));
    assert_null (strstr (job.answer, NAME_PREFIX));
    assert_null (strstr (job.answer, "phone"));
    assert_null (strstr (job.answer, "contact"));
    assert_null (strstr (job.answer, "چاله"));
    g_free (job.answer);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_kiosk_to_office, setup, teardown),
  };

  return cmocka_run_group_tests_name ("sync-privacy", tests, NULL, NULL);
}
