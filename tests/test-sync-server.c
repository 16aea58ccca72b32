/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office server in-process on 127.0.0.1 over TLS, driven by the real client: enrolment,
 * credentials, revocation, bad input, plain HTTP and the public track endpoint. */
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
#include "payam-store-sync.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-server.h"
#include "payam-store-public.h"
#include "payam-sync-round.h"
#include "payam-test-server.h"

typedef struct {
  PayamTestServer *ts;
  /* borrowed from ts */
  PayamStore      *server_store;
  PayamSyncServer *server;
  const char      *fingerprint;
  const char      *url;
  guint            port;

  GDateTime       *now;       /* the server store's clock */
  GPtrArray       *log;       /* lines the server logged */
} Fixture;

static GDateTime *
fixture_now (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_ref (f->now);
}

static gint64
fixture_now_ms (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_to_unix (f->now) * 1000;
}

static void
log_line (const char *line,
          gpointer    user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->log, g_strdup (line));
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->ts = payam_test_server_new ();
  f->server_store = f->ts->store;
  f->server = f->ts->server;
  f->fingerprint = f->ts->fingerprint;
  f->url = f->ts->url;
  f->port = f->ts->port;
  assert_true (f->port > 0);
  f->now = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  payam_store_set_now_func (f->server_store, fixture_now, f);
  f->log = g_ptr_array_new_with_free_func (g_free);
  payam_sync_server_set_max_body (f->server, 4096);
  payam_sync_server_set_log_func (f->server, log_line, f);
  payam_sync_server_set_clock (f->server, fixture_now_ms, f);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_test_server_free (f->ts);
  g_date_time_unref (f->now);
  g_ptr_array_unref (f->log);
  g_free (f);
  return 0;
}

/* ---------------------------------------------------------------- running the client */


/* Enrol @store with @code; the reply, or NULL with *error set. */
static PayamSyncEnrolReply *
enrol (Fixture     *f,
       PayamStore  *store,
       const char  *code,
       GError     **error)
{
  PayamTestEnrolJob job = { f->url, store, code, NULL };
  PayamSyncEnrolReply *reply = payam_test_run_client (payam_test_enrol_thread, &job);

  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return reply;
}

typedef struct {
  PayamSyncClient *client;
  const char      *method;
  const char      *path;
  const char      *body;
  guint            status;
  GError          *error;
} SendJob;

static gpointer
send_job (gpointer data)
{
  SendJob *job = data;

  return payam_sync_client_send (job->client, job->method, job->path, job->body, &job->status,
                                 NULL, &job->error);
}

/* One request through @client; the 2xx body, or NULL with *status and *error set. */
static GBytes *
send_request (PayamSyncClient  *client,
              const char       *method,
              const char       *path,
              const char       *body,
              guint            *status,
              GError          **error)
{
  SendJob job = { client, method, path, body, 0, NULL };
  GBytes *reply = payam_test_run_client (send_job, &job);

  *status = job.status;
  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return reply;
}

static PayamSyncClient *
pinned_client (Fixture    *f,
               const char *credential)
{
  guint8 pin[32];

  for (int i = 0; i < 32; i++)
    pin[i] = (guint8) (g_ascii_xdigit_value (f->fingerprint[2 * i]) * 16 +
                       g_ascii_xdigit_value (f->fingerprint[2 * i + 1]));
  return payam_sync_client_new (f->url, pin, sizeof pin, credential, NULL);
}

static char *
make_code (Fixture    *f,
           PayamRole   role,
           const char *crew_id,
           guint       ttl_hours)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char *code = payam_sync_code_make (f->fingerprint, &hash, &error);

  assert_non_null (code);
  if (!payam_store_add_enrol_code (f->server_store, hash, role, crew_id, ttl_hours, &error))
    fail_msg ("%s", error->message);
  return code;
}

static PayamStore *
device_store (Fixture    *f,
              const char *name)
{
  g_autofree char *path = g_build_filename (f->ts->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (path, &error);

  assert_non_null (store);
  return store;
}

static void
add_crew (Fixture    *f,
          const char *id)
{
  g_autofree char *path = g_build_filename (f->ts->dir, "server.db", NULL);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO crew (id, name) VALUES ('%s', 'north')",
                                          id);
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open (path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
}

static guint
count_devices (Fixture *f)
{
  g_autoptr(GPtrArray) devices = payam_store_list_devices (f->server_store, NULL);

  assert_non_null (devices);
  return devices->len;
}

/* ---------------------------------------------------------------- tests */

static void
test_enrol_once (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = device_store (f, "kiosk.db");
  g_autoptr(PayamStore) other = device_store (f, "other.db");
  g_autofree char *code = make_code (f, PAYAM_ROLE_KIOSK, NULL, 1);
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(PayamSyncEnrolReply) again = NULL;
  g_autoptr(PayamEnrolment) saved = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *credential_hash = NULL;
  const PayamDevice *device;

  reply = enrol (f, kiosk, code, &error);
  if (reply == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (reply->device_id, payam_store_get_device_id (kiosk));
  assert_string_equal (reply->role, "kiosk");
  assert_null (reply->crew_id);
  assert_int_equal (payam_store_get_device_prefix (kiosk), reply->prefix);
  assert_int_not_equal (reply->prefix, payam_store_get_device_prefix (f->server_store));

  /* The device keeps the whole fingerprint, the credential and the office key. */
  saved = payam_store_get_enrolment (kiosk, &error);
  assert_non_null (saved);
  assert_string_equal (saved->fingerprint, f->fingerprint);
  assert_string_equal (saved->credential, reply->credential);
  assert_string_equal (saved->server_url, f->url);
  assert_int_equal (saved->role, PAYAM_ROLE_KIOSK);
  assert_string_equal (saved->office_public_key, reply->office_public_key);

  /* The server keeps only the credential's hash. */
  devices = payam_store_list_devices (f->server_store, &error);
  assert_int_equal (devices->len, 1);
  device = g_ptr_array_index (devices, 0);
  assert_string_equal (device->id, reply->device_id);
  assert_null (device->revoked_at);
  credential_hash = payam_sync_token_hash (reply->credential);
  {
    g_autoptr(PayamDevice) found = payam_store_authenticate_device (f->server_store,
                                                                    credential_hash, &error);
    assert_non_null (found);
    assert_string_equal (found->id, reply->device_id);
  }

  /* The same code again, from another device: refused, and nothing more is enrolled. */
  again = enrol (f, other, code, &error);
  assert_null (again);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_ENROLMENT));
  assert_non_null (strstr (error->message, "used already"));
  assert_int_equal (count_devices (f), 1);
  g_clear_error (&error);
  assert_null (payam_store_get_enrolment (other, &error));
}

static void
test_enrol_expired_and_unknown (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) crew = device_store (f, "crew.db");
  g_autofree char *code = make_code (f, PAYAM_ROLE_OFFICE, NULL, 1);
  g_autofree char *unknown = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* An hour and a second later the code is over. */
  {
    GDateTime *later = g_date_time_add_seconds (f->now, 3601);

    g_date_time_unref (f->now);
    f->now = later;
  }
  reply = enrol (f, crew, code, &error);
  assert_null (reply);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_ENROLMENT));
  assert_non_null (strstr (error->message, "expired"));
  g_clear_error (&error);

  /* A well-formed code the server never made. */
  unknown = payam_sync_code_make (f->fingerprint, &hash, NULL);
  reply = enrol (f, crew, unknown, &error);
  assert_null (reply);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_ENROLMENT));
  assert_int_equal (count_devices (f), 0);
}

static void
test_enrol_wrong_certificate (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = device_store (f, "kiosk.db");
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *code = NULL;
  g_autofree char *other = g_strdup (f->fingerprint);

  /* A code for a server whose certificate differs in one bit of the pinned part. */
  other[0] = other[0] == '0' ? '1' : '0';
  code = payam_sync_code_make (other, &hash, &error);
  assert_true (payam_store_add_enrol_code (f->server_store, hash, PAYAM_ROLE_KIOSK, NULL, 1,
                                           &error));
  reply = enrol (f, kiosk, code, &error);
  assert_null (reply);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS));
  assert_int_equal (count_devices (f), 0);

  /* An http:// address is refused before anything is sent. */
  g_clear_error (&error);
  g_clear_pointer (&code, g_free);
  g_clear_pointer (&hash, g_free);
  code = payam_sync_code_make (f->fingerprint, &hash, NULL);
  assert_null (payam_sync_enrol (kiosk, "http://127.0.0.1:1", code, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS));
}

typedef struct {
  PayamSyncClient *client;
  GError          *error;
} WhoamiJob;

static gpointer
whoami_job (gpointer data)
{
  WhoamiJob *job = data;

  return payam_sync_client_whoami (job->client, NULL, &job->error);
}

static PayamSyncWhoami *
whoami (PayamSyncClient  *client,
        GError          **error)
{
  WhoamiJob job = { client, NULL };
  PayamSyncWhoami *who = payam_test_run_client (whoami_job, &job);

  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return who;
}

static void
test_whoami_and_revoke (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) crew = device_store (f, "crew.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(PayamSyncClient) anonymous = pinned_client (f, NULL);
  g_autoptr(PayamSyncClient) forger = pinned_client (f, "not-a-credential");
  g_autoptr(PayamSyncWhoami) who = NULL;
  g_autofree char *code = NULL;

  /* A crew device needs an existing crew (the store has no API for crews yet). */
  add_crew (f, "crew-north");
  code = make_code (f, PAYAM_ROLE_CREW, "crew-north", 2);
  reply = enrol (f, crew, code, &error);
  if (reply == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (reply->crew_id, "crew-north");

  client = payam_sync_client_new_for_store (crew, &error);
  assert_non_null (client);
  who = whoami (client, &error);
  if (who == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (who->device_id, payam_store_get_device_id (crew));
  assert_string_equal (who->role, "crew");
  assert_string_equal (who->crew_id, "crew-north");
  assert_int_equal (who->prefix, reply->prefix);
  g_clear_pointer (&who, payam_sync_whoami_free);

  /* No credential, a made-up one: 401. */
  who = whoami (anonymous, &error);
  assert_null (who);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNAUTHORIZED));
  g_clear_error (&error);
  who = whoami (forger, &error);
  assert_null (who);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNAUTHORIZED));
  g_clear_error (&error);

  /* Revoked: refused from the next request on. */
  assert_true (payam_store_revoke_device (f->server_store, reply->device_id, &error));
  who = whoami (client, &error);
  assert_null (who);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNAUTHORIZED));
  assert_non_null (strstr (error->message, "revoked"));
  g_clear_error (&error);
  assert_false (payam_store_revoke_device (f->server_store, "no-such-device", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));

  /* The log names the device on its requests and "-" for the anonymous ones. */
  {
    gboolean named = FALSE;
    gboolean anonymous_401 = FALSE;

    for (guint i = 0; i < f->log->len; i++)
      {
        const char *line = g_ptr_array_index (f->log, i);
        g_autofree char *expected = g_strdup_printf ("%s GET /v1/whoami 200 ", reply->device_id);

        named |= g_str_has_prefix (line, expected);
        anonymous_401 |= g_str_has_prefix (line, "- GET /v1/whoami 401 ");
      }
    assert_true (named);
    assert_true (anonymous_401);
  }
}

/* Bad requests: each a 4xx with a JSON error body, and the server keeps serving. */
static void
test_bad_requests (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamSyncClient) client = pinned_client (f, NULL);
  g_autoptr(GString) big = g_string_new ("{\"version\":1,\"code\":\"");
  struct {
    const char *method;
    const char *path;
    const char *body;
    guint       status;
    const char *needle;
  } cases[] = {
    { "POST", "/v1/enrol", "{\"version\":1,", 400, "JSON" },
    { "POST", "/v1/enrol", "[1,2]", 400, "object" },
    { "POST", "/v1/enrol", "{\"version\":1,\"code\":\"AAAAAAAAAAAAAAAA\",\"device_id\":"
      "\"018c3f2a-1b2c-7d3e-8f40-123456789abc\",\"role\":\"office\"}", 400, "role" },
    { "POST", "/v1/enrol", "{\"version\":9,\"code\":\"AAAAAAAAAAAAAAAA\",\"device_id\":"
      "\"018c3f2a-1b2c-7d3e-8f40-123456789abc\"}", 400, "version" },
    { "POST", "/v1/enrol", NULL, 413, "large" },
    { "GET", "/v1/enrol", NULL, 405, "" },
    { "GET", "/v1/nothing", NULL, 404, "" },
    { "GET", "/v1/track/", NULL, 404, "" },
    { "GET", "/v1/track/1234", NULL, 404, "" },
  };

  for (int i = 0; i < 5000; i++)
    g_string_append_c (big, 'A');
  g_string_append (big, "\"}");
  cases[4].body = big->str;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) reply = NULL;
      guint status = 0;

      reply = send_request (client, cases[i].method, cases[i].path, cases[i].body, &status,
                            &error);
      if (reply != NULL || status != cases[i].status)
        fail_msg ("case %u: status %u, expected %u", i, status, cases[i].status);
      /* The error body was parsed: the message is the server's, not a bare status. */
      assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
      if (strstr (error->message, cases[i].needle) == NULL)
        fail_msg ("case %u: “%s” lacks “%s”", i, error->message, cases[i].needle);
      assert_null (strstr (error->message, "status"));
    }

  /* Still serving: a good enrolment works after all that. */
  {
    g_autoptr(PayamStore) kiosk = device_store (f, "kiosk.db");
    g_autofree char *code = make_code (f, PAYAM_ROLE_KIOSK, NULL, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(PayamSyncEnrolReply) reply = enrol (f, kiosk, code, &error);

    assert_non_null (reply);
  }
}

/* ---------------------------------------------------------------- raw connections */

typedef struct {
  guint       port;
  gboolean    tls;
  const char *request;
  char       *response;
} RawJob;

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

/* Write @request as it is and read the answer until the server closes or 5 s pass. */
static gpointer
raw_job (gpointer data)
{
  RawJob *job = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  GInputStream *in;
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 5);
  g_socket_client_set_tls (client, job->tls);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event), NULL);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", job->port, NULL, NULL);
  if (connection == NULL)
    return NULL;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  job->request, strlen (job->request), NULL, NULL, NULL))
    return NULL;
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_string_append_len (answer, buffer, n);
      /* One answer is enough; a keep-alive connection would wait for the timeout. */
      if (strstr (answer->str, "\r\n\r\n") != NULL && strstr (answer->str, "}") != NULL)
        break;
    }
  job->response = g_string_free (g_steal_pointer (&answer), FALSE);
  return NULL;
}

static char *
raw_exchange (Fixture    *f,
              gboolean    tls,
              const char *request)
{
  RawJob job = { f->port, tls, request, NULL };

  payam_test_run_client (raw_job, &job);
  return job.response;
}

static void
test_raw_requests (void **state)
{
  Fixture *f = *state;
  g_autofree char *plain = NULL;
  g_autofree char *two_hosts = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *declared = NULL;
  g_autofree char *wrong_type = NULL;
  g_autoptr(GString) request = g_string_new (NULL);

  /* Plain HTTP on the HTTPS port gets no HTTP answer at all. */
  plain = raw_exchange (f, FALSE, "GET /v1/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  assert_true (plain == NULL || strstr (plain, "HTTP/1.1 ") == NULL);

  two_hosts = raw_exchange (f, TRUE, "GET /v1/whoami HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
                                     "Connection: close\r\n\r\n");
  assert_non_null (two_hosts);
  assert_true (g_str_has_prefix (two_hosts, "HTTP/1.1 400"));
  assert_non_null (strstr (two_hosts, "\"error\":\"bad-request\""));

  /* A declared length over the limit: 413 instead of "100 Continue", so the client never
   * sends the body. */
  declared = raw_exchange (f, TRUE, "POST /v1/enrol HTTP/1.1\r\nHost: a\r\n"
                                    "Content-Type: application/json\r\n"
                                    "Expect: 100-continue\r\n"
                                    "Content-Length: 100000\r\nConnection: close\r\n\r\n");
  assert_non_null (declared);
  assert_true (g_str_has_prefix (declared, "HTTP/1.1 413"));
  assert_non_null (strstr (declared, "\"error\":\"too-large\""));

  /* A chunked body has no declared length: counted while it arrives. */
  g_string_append (request, "POST /v1/enrol HTTP/1.1\r\nHost: a\r\n"
                            "Content-Type: application/json\r\n"
                            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  for (int i = 0; i < 4; i++)
    {
      g_string_append (request, "800\r\n");
      for (int j = 0; j < 0x800; j++)
        g_string_append_c (request, ' ');
      g_string_append (request, "\r\n");
    }
  g_string_append (request, "0\r\n\r\n");
  chunked = raw_exchange (f, TRUE, request->str);
  assert_non_null (chunked);
  assert_true (g_str_has_prefix (chunked, "HTTP/1.1 413"));
  assert_non_null (strstr (chunked, "\"error\":\"too-large\""));

  wrong_type = raw_exchange (f, TRUE, "POST /v1/enrol HTTP/1.1\r\nHost: a\r\n"
                                      "Content-Type: text/plain\r\nContent-Length: 2\r\n"
                                      "Connection: close\r\n\r\n{}");
  assert_non_null (wrong_type);
  assert_true (g_str_has_prefix (wrong_type, "HTTP/1.1 415"));
  assert_non_null (strstr (wrong_type, "application/json"));
}

static void
test_track (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamSyncClient) client = pinned_client (f, NULL);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamSyncTrackReply) track = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *notice = NULL;
  guint status = 0;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
    .phone = "09121234567", .name = "مریم احمدی",
  };

  request = payam_store_add_request (f->server_store, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  /* A status move with an internal reason, and a notice not yet sent. */
  assert_true (payam_store_set_status (f->server_store, request->id, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, "internal note xyz", &error));
  notice = payam_store_add_notice (f->server_store, request->id, "outcome", "unsent words qqq",
                                   &error);
  assert_non_null (notice);
  path = g_strdup_printf ("/v1/track/%s", request->tracking_code);
  reply = send_request (client, "GET", path, NULL, &status, &error);
  if (reply == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (status, 200);
  body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  track = payam_sync_decode_track_reply (body, strlen (body), &error);
  assert_non_null (track);
  assert_string_equal (track->tracking_code, request->tracking_code);
  assert_string_equal (track->status, "triaged");
  assert_string_equal (track->category, "asphalt");
  assert_string_equal (track->created_at, "2026-11-29T10:00:00Z");
  assert_non_null (track->due_at);
  /* The public timeline: registered, then triaged; no reason, no unsent notice. */
  assert_int_equal (track->timeline->len, 2);
  assert_string_equal (((PayamSyncTrackEvent *) g_ptr_array_index (track->timeline, 0))->kind,
                       "registered");
  assert_string_equal (((PayamSyncTrackEvent *) g_ptr_array_index (track->timeline, 1))->status,
                       "triaged");
  assert_null (strstr (body, "xyz"));
  assert_null (strstr (body, "qqq"));
  /* Nothing personal, nothing the citizen wrote. */
  assert_null (strstr (body, "1234567"));
  assert_null (strstr (body, "مریم"));
  assert_null (strstr (body, "چاله"));
  /* The neighbourhood is public; nothing finer (issue #10). */
  assert_string_equal (track->neighbourhood, "tohid");

  /* A Range header is dropped on arrival: the whole answer, never 206 (CVE-2026-2443). */
  {
    g_autofree char *raw_request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: a\r\n"
                                                    "Range: bytes=0-3\r\n"
                                                    "Connection: close\r\n\r\n", path);
    g_autofree char *answer = raw_exchange (f, TRUE, raw_request);

    assert_non_null (answer);
    assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
    assert_null (strstr (answer, "Content-Range"));
  }

  /* Once sent, the notice shows on the track page, told in the fixed sentence of the
   * outcome: its own words may be what a crew typed (issue #10 case 2). */
  assert_true (payam_store_mark_notice_sent (f->server_store, notice, &error));
  g_clear_pointer (&reply, g_bytes_unref);
  reply = send_request (client, "GET", path, NULL, &status, &error);
  assert_non_null (reply);
  g_free (body);
  body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  g_clear_pointer (&track, payam_sync_track_reply_free);
  track = payam_sync_decode_track_reply (body, strlen (body), &error);
  assert_non_null (track);
  assert_int_equal (track->timeline->len, 3);
  assert_string_equal (((PayamSyncTrackEvent *) g_ptr_array_index (track->timeline, 2))->text,
                       payam_public_outcome_text (PAYAM_STATUS_TRIAGED));
  assert_string_equal (track->outcome, payam_public_outcome_text (PAYAM_STATUS_TRIAGED));
  assert_null (strstr (body, "xyz"));
  assert_null (strstr (body, "qqq"));
}


typedef struct {
  PayamSyncClient            *client;
  const PayamSyncPushRequest *request;
  gint64                      after;
  guint                       status;
  GError                     *error;
} SyncJob;

static gpointer
push_job (gpointer data)
{
  SyncJob *job = data;

  return payam_sync_client_push (job->client, job->request, &job->status, NULL, &job->error);
}

static gpointer
pull_job (gpointer data)
{
  SyncJob *job = data;

  return payam_sync_client_pull (job->client, job->after, 100, NULL, &job->error);
}

static PayamSyncPushResponse *
push (PayamSyncClient             *client,
      const PayamSyncPushRequest  *request,
      guint                       *status,
      GError                     **error)
{
  SyncJob job = { client, request, 0, 0, NULL };
  PayamSyncPushResponse *response = payam_test_run_client (push_job, &job);

  *status = job.status;
  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return response;
}

static PayamSyncPullReply *
pull (PayamSyncClient  *client,
      gint64            after,
      GError          **error)
{
  SyncJob job = { client, NULL, after, 0, NULL };
  PayamSyncPullReply *reply = payam_test_run_client (pull_job, &job);

  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return reply;
}

/* An enrolled device store of @role with defaults loaded and the fixture's clock. */
static PayamStore *
enrolled (Fixture    *f,
          const char *name,
          PayamRole   role)
{
  PayamStore *store = device_store (f, name);
  g_autofree char *code = make_code (f, role, NULL, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncEnrolReply) reply = NULL;

  assert_true (payam_store_load_defaults (store, &error));
  payam_store_set_now_func (store, fixture_now, f);
  reply = enrol (f, store, code, &error);
  if (reply == NULL)
    fail_msg ("%s", error->message);
  return store;
}

static char *
page_text (const PayamSyncPullReply *page)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < page->changes->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (page->changes, i);

      g_string_append_printf (text, "%s %s %s\n", op->entity, op->field, op->value);
    }
  return g_string_free (text, FALSE);
}

/* A kiosk pushes a request with a phone; a repeat is all duplicates; the office pulls it
 * with the phone, the kiosk's own pull carries none; a gap, another device's ops and bad
 * cursors are refused as JSON errors. */
static void
test_push_and_pull (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK);
  g_autoptr(PayamStore) office = enrolled (f, "office.db", PAYAM_ROLE_OFFICE);
  g_autoptr(PayamSyncClient) kiosk_client = payam_sync_client_new_for_store (kiosk, NULL);
  g_autoptr(PayamSyncClient) office_client = payam_sync_client_new_for_store (office, NULL);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(PayamSyncPushResponse) response = NULL;
  g_autoptr(PayamSyncPushResponse) again = NULL;
  g_autoptr(PayamSyncPullReply) office_page = NULL;
  g_autoptr(PayamSyncPullReply) kiosk_page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *office_text = NULL;
  g_autofree char *kiosk_text = NULL;
  PayamSyncPushRequest batch = { NULL, (char *) "batch-1", NULL };
  PayamRequestDraft draft = {
    .text = "چراغ کوچه خاموش است", .category = "lighting", .neighbourhood = "tohid",
    .phone = "09121234567", .name = "مریم احمدی",
  };
  guint status = 0;
  gint64 last_seq;

  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  ops = payam_store_sync_list_outbox (kiosk, 0, 0, &error);
  assert_non_null (ops);
  assert_true (ops->len > 0);
  last_seq = ((PayamOp *) g_ptr_array_index (ops, ops->len - 1))->device_seq;
  batch.device_id = (char *) payam_store_get_device_id (kiosk);
  batch.ops = ops;

  response = push (kiosk_client, &batch, &status, &error);
  if (response == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (status, 200);
  assert_int_equal (response->acked_through, last_seq);
  assert_int_equal (response->results->len, ops->len);
  for (guint i = 0; i < response->results->len; i++)
    {
      PayamSyncOpOutcome *outcome = g_ptr_array_index (response->results, i);

      if (outcome->outcome != PAYAM_SYNC_OUTCOME_APPLIED)
        fail_msg ("op %u: %s (%s)", i, payam_sync_outcome_to_string (outcome->outcome),
                  outcome->reason);
    }

  /* The same batch again (the reply was lost): every op a duplicate, nothing new logged. */
  again = push (kiosk_client, &batch, &status, &error);
  assert_non_null (again);
  assert_int_equal (again->acked_through, last_seq);
  for (guint i = 0; i < again->results->len; i++)
    assert_int_equal (((PayamSyncOpOutcome *) g_ptr_array_index (again->results, i))->outcome,
                      PAYAM_SYNC_OUTCOME_DUPLICATE);
  /* The kiosk's ops, and the server's own: the registered text message for the phone. */
  assert_int_equal (payam_store_sync_count_log (f->server_store, NULL), ops->len + 1);
  assert_true (payam_sync_ack_response (kiosk, response,
                                     &error));
  assert_int_equal (payam_store_count_outbox (kiosk, NULL), 0);

  /* The kiosk's ops pushed by the office device: refused before the core sees them. */
  assert_null (push (office_client, &batch, &status, &error));
  assert_int_equal (status, 403);
  g_clear_error (&error);

  /* A gap: the next op claims seq last + 5. */
  {
    PayamOp *first = g_ptr_array_index (ops, 0);
    gint64 saved = first->device_seq;
    g_autoptr(GPtrArray) one = g_ptr_array_new ();

    first->device_seq = last_seq + 5;
    g_ptr_array_add (one, first);
    batch.ops = one;
    assert_null (push (kiosk_client, &batch, &status, &error));
    assert_int_equal (status, 409);
    assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
    g_clear_error (&error);
    first->device_seq = saved;
    batch.ops = ops;
  }

  office_page = pull (office_client, 0, &error);
  if (office_page == NULL)
    fail_msg ("%s", error->message);
  assert_false (office_page->more);
  assert_true (office_page->next >= (gint64) ops->len);
  office_text = page_text (office_page);
  assert_non_null (strstr (office_text, "09121234567"));

  kiosk_page = pull (kiosk_client, 0, &error);
  if (kiosk_page == NULL)
    fail_msg ("%s", error->message);
  kiosk_text = page_text (kiosk_page);
  assert_null (strstr (kiosk_text, "1234567"));
  assert_null (strstr (kiosk_text, "مریم"));

  /* Once the log is trimmed past a cursor, pulling from it is 410: the device resyncs. */
  assert_true (payam_store_sync_trim_log (f->server_store, office_page->next + 1, &error));
  {
    g_autofree char *path = payam_sync_pull_path (0, 100);
    g_autoptr(GBytes) gone = send_request (office_client, "GET", path, NULL, &status, &error);

    assert_null (gone);
    assert_int_equal (status, 410);
    g_clear_error (&error);
  }

  /* A cursor that is not a number, a limit out of range, no or another protocol version. */
  {
#define V "/v1/pull?version=" G_STRINGIFY (PAYAM_SYNC_PROTOCOL_VERSION)
    const char *paths[] = { V "&after=x", V "&limit=0", V "&limit=1001", V "&after=-1",
                            "/v1/pull?after=1", "/v1/pull?version=1&after=1",
                            "/v1/pull?version=x&after=1" };
#undef V

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(GBytes) reply = send_request (office_client, "GET", paths[i], NULL, &status,
                                                &error);

        assert_null (reply);
        assert_int_equal (status, 400);
        g_clear_error (&error);
      }
  }
}

/* ---------------------------------------------------------------- group commit */

/* A request filed on @store (no contact) and its outbox as one push batch. */
static PayamSyncPushRequest *
request_batch (PayamStore  *store,
               const char  *text,
               char       **request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  PayamSyncPushRequest *batch = g_new0 (PayamSyncPushRequest, 1);
  PayamRequestDraft draft = {
    .text = text, .category = "lighting", .neighbourhood = "tohid",
  };

  request = payam_store_add_request (store, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  *request_id = g_strdup (request->id);
  batch->device_id = g_strdup (payam_store_get_device_id (store));
  batch->batch_id = g_strdup_printf ("batch-%u", g_str_hash (text) % 1000);
  batch->ops = payam_store_sync_list_outbox (store, 0, 0, &error);
  assert_non_null (batch->ops);
  assert_true (batch->ops->len > 0);
  return batch;
}

static gint64
last_seq_of (const PayamSyncPushRequest *batch)
{
  return ((PayamOp *) g_ptr_array_index (batch->ops, batch->ops->len - 1))->device_seq;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Two pushes sent at once through their own clients while the server holds pushes; once
 * both wait, the hold is lifted and one group takes them. Both jobs are done on return. */
static void
push_together (Fixture *f,
               SyncJob *a,
               SyncJob *b,
               PayamSyncPushResponse **response_a,
               PayamSyncPushResponse **response_b)
{
  PayamTestJob job_a = { push_job, a, NULL, 0 };
  PayamTestJob job_b = { push_job, b, NULL, 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  /* Wakes the loop now and then, so the deadline is seen even if nothing comes. */
  guint tick = g_timeout_add (50, keep_ticking, NULL);
  GThread *thread_a;
  GThread *thread_b;

  payam_sync_server_hold_pushes (f->server, TRUE);
  thread_a = g_thread_new ("client-a", payam_test_job_thread, &job_a);
  thread_b = g_thread_new ("client-b", payam_test_job_thread, &job_b);
  while (payam_sync_server_count_waiting (f->server) < 2 && g_get_monotonic_time () < deadline &&
         !(g_atomic_int_get (&job_a.done) && g_atomic_int_get (&job_b.done)))
    g_main_context_iteration (NULL, TRUE);
  if (payam_sync_server_count_waiting (f->server) != 2)
    fail_msg ("%u pushes wait; a: %s, b: %s", payam_sync_server_count_waiting (f->server),
              a->error != NULL ? a->error->message : "-",
              b->error != NULL ? b->error->message : "-");
  /* Held: nothing of either is in the log, nor answered. */
  assert_int_equal (g_atomic_int_get (&job_a.done) + g_atomic_int_get (&job_b.done), 0);
  payam_sync_server_hold_pushes (f->server, FALSE);
  while (!(g_atomic_int_get (&job_a.done) && g_atomic_int_get (&job_b.done)))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_thread_join (thread_a);
  g_thread_join (thread_b);
  *response_a = job_a.result;
  *response_b = job_b.result;
}

static void
assert_all_outcomes (const PayamSyncPushResponse *response,
                     PayamSyncOutcome             expected)
{
  for (guint i = 0; i < response->results->len; i++)
    {
      PayamSyncOpOutcome *outcome = g_ptr_array_index (response->results, i);

      if (outcome->outcome != expected)
        fail_msg ("op %u: %s (%s)", i, payam_sync_outcome_to_string (outcome->outcome),
                  outcome->reason);
    }
}

static gboolean
server_has_request (Fixture    *f,
                    const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = payam_store_get_request (f->server_store, id, &error);

  return request != NULL;
}

/* Two devices push at once: one transaction takes both (one commit), each push in its own
 * savepoint. A push that fails in the group (a gap; a reused seq) is refused alone and
 * rolled back; the other one is committed, applied and acknowledged all the same. */
static void
test_group_commit (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) one = enrolled (f, "one.db", PAYAM_ROLE_OFFICE);
  g_autoptr(PayamStore) two = enrolled (f, "two.db", PAYAM_ROLE_OFFICE);
  g_autoptr(PayamSyncClient) one_client = payam_sync_client_new_for_store (one, NULL);
  g_autoptr(PayamSyncClient) two_client = payam_sync_client_new_for_store (two, NULL);
  g_autofree char *one_id = NULL;
  g_autofree char *two_id = NULL;
  g_autofree char *three_id = NULL;
  g_autoptr(PayamSyncPushRequest) one_batch = request_batch (one, "چراغ کوچه خاموش است",
                                                             &one_id);
  g_autoptr(PayamSyncPushRequest) two_batch = request_batch (two, "جوی آب گرفته است",
                                                             &two_id);
  g_autoptr(PayamSyncPushResponse) one_response = NULL;
  g_autoptr(PayamSyncPushResponse) two_response = NULL;
  g_autoptr(GError) error = NULL;
  PayamOp *first = g_ptr_array_index (two_batch->ops, 0);
  gint64 saved_seq = first->device_seq;
  guint logged;

  /* 1. Both at once, the second with a gap (its first op claims a seq past the next). */
  {
    SyncJob a = { one_client, one_batch, 0, 0, NULL };
    SyncJob b = { two_client, two_batch, 0, 0, NULL };

    first->device_seq = last_seq_of (two_batch) + 5;
    push_together (f, &a, &b, &one_response, &two_response);
    first->device_seq = saved_seq;
    if (one_response == NULL)
      fail_msg ("%s", a.error->message);
    assert_int_equal (a.status, 200);
    assert_int_equal (one_response->acked_through, last_seq_of (one_batch));
    assert_int_equal (one_response->results->len, one_batch->ops->len);
    assert_all_outcomes (one_response, PAYAM_SYNC_OUTCOME_APPLIED);
    assert_null (two_response);
    assert_int_equal (b.status, 409);
    g_clear_error (&b.error);
  }
  assert_true (server_has_request (f, one_id));
  assert_false (server_has_request (f, two_id));
  logged = (guint) payam_store_sync_count_log (f->server_store, NULL);
  assert_int_equal (logged, one_batch->ops->len);
  assert_true (payam_sync_ack_response (one, one_response, &error));
  assert_int_equal (payam_store_count_outbox (one, NULL), 0);
  g_clear_pointer (&one_response, payam_sync_push_response_free);

  /* 2. Both at once again: the first device sends a new op under a seq the server holds
   * with other content (a device restored from a backup; the whole push refused, 409), the
   * second its real batch, which is taken. */
  {
    g_autoptr(PayamSyncPushRequest) bad = request_batch (one, "درخت افتاده است", &three_id);
    SyncJob a = { one_client, bad, 0, 0, NULL };
    SyncJob b = { two_client, two_batch, 0, 0, NULL };

    ((PayamOp *) g_ptr_array_index (bad->ops, 0))->device_seq = 1;
    push_together (f, &a, &b, &one_response, &two_response);
    assert_null (one_response);
    assert_int_equal (a.status, 409);
    g_clear_error (&a.error);
    if (two_response == NULL)
      fail_msg ("%s", b.error->message);
    assert_int_equal (b.status, 200);
    assert_int_equal (two_response->acked_through, last_seq_of (two_batch));
    assert_all_outcomes (two_response, PAYAM_SYNC_OUTCOME_APPLIED);
  }
  assert_true (server_has_request (f, two_id));
  assert_false (server_has_request (f, three_id));
  assert_int_equal (payam_store_sync_count_log (f->server_store, NULL),
                    logged + two_batch->ops->len);
  assert_true (payam_sync_ack_response (two, two_response, &error));
  assert_int_equal (payam_store_count_outbox (two, NULL), 0);
  /* The refused push stays in its device's outbox, to be sent again. */
  assert_true (payam_store_count_outbox (one, NULL) > 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_enrol_once, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enrol_expired_and_unknown, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enrol_wrong_certificate, setup, teardown),
    cmocka_unit_test_setup_teardown (test_whoami_and_revoke, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_requests, setup, teardown),
    cmocka_unit_test_setup_teardown (test_raw_requests, setup, teardown),
    cmocka_unit_test_setup_teardown (test_track, setup, teardown),
    cmocka_unit_test_setup_teardown (test_push_and_pull, setup, teardown),
    cmocka_unit_test_setup_teardown (test_group_commit, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
