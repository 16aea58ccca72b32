/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Photo blobs on the real server over TLS: chunked and resumed uploads, wrong offsets,
 * wrong hashes, oversized chunks, downloads by role, and a full sync round. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "payam-store-blobs.h"
#include "payam-store-devices.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-round.h"
#include "payam-sync-server.h"
#include "payam-test-server.h"

#define CHUNK 4096

typedef struct {
  PayamTestServer *ts;
  /* borrowed from ts */
  const char      *dir;
  PayamStore      *server_store;
  PayamSyncServer *server;
  const char      *url;

  GDateTime       *now;
  GPtrArray       *log;
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
  f->dir = f->ts->dir;
  f->server_store = f->ts->store;
  f->server = f->ts->server;
  f->url = f->ts->url;
  f->now = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  payam_store_set_now_func (f->server_store, fixture_now, f);
  f->log = g_ptr_array_new_with_free_func (g_free);
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

/* ---------------------------------------------------------------- devices and clients */

/* An enrolled device store of @role (@crew_id for a crew) on the fixture's clock. */
static PayamStore *
enrolled (Fixture    *f,
          const char *name,
          PayamRole   role,
          const char *crew_id)
{
  PayamStore *store = payam_test_server_enrol (f->ts, name, role, crew_id);

  payam_store_set_now_func (store, fixture_now, f);
  return store;
}

typedef struct {
  PayamSyncClient *client;
  const char      *sha256;
  GBytes          *bytes;
  gsize            chunk;
  gsize            sent;
  guint            status;
  PayamStore      *store;
  PayamSyncRoundCounts counts;
  GError          *error;
} BlobJob;

static gpointer
upload_job (gpointer data)
{
  BlobJob *job = data;

  return GINT_TO_POINTER (payam_sync_client_upload_blob (job->client, job->sha256, job->bytes,
                                                         job->chunk, &job->sent, NULL,
                                                         &job->error));
}

static gpointer
download_job (gpointer data)
{
  BlobJob *job = data;

  return payam_sync_client_download_blob (job->client, job->sha256, &job->status, NULL,
                                          &job->error);
}

static gpointer
round_job (gpointer data)
{
  BlobJob *job = data;

  return GINT_TO_POINTER (payam_sync_round (job->client, job->store, &job->counts, NULL,
                                            &job->error));
}

/* Upload through a new client of @store's device; the bytes sent in chunks. */
static gsize
upload (PayamStore  *store,
        const char  *sha256,
        GBytes      *bytes,
        GError     **error)
{
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (store, NULL);
  BlobJob job = { .client = client, .sha256 = sha256, .bytes = bytes, .chunk = CHUNK };

  assert_non_null (client);
  if (!GPOINTER_TO_INT (payam_test_run_client (upload_job, &job)))
    g_propagate_error (error, job.error);
  return job.sent;
}

static GBytes *
download (PayamStore  *store,
          const char  *sha256,
          guint       *status)
{
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (store, NULL);
  BlobJob job = { .client = client, .sha256 = sha256 };
  GBytes *bytes;

  assert_non_null (client);
  bytes = payam_test_run_client (download_job, &job);
  *status = job.status;
  g_clear_error (&job.error);
  return bytes;
}

static gboolean
sync_round (PayamStore            *store,
            PayamSyncRoundCounts  *counts,
            GError               **error)
{
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (store, NULL);
  BlobJob job = { .client = client, .store = store };
  gboolean ok;

  assert_non_null (client);
  ok = GPOINTER_TO_INT (payam_test_run_client (round_job, &job));
  *counts = job.counts;
  if (!ok)
    g_propagate_error (error, job.error);
  return ok;
}

/* ---------------------------------------------------------------- raw requests */

/* One request with a plain SoupSession, to see statuses and headers the client hides. */
typedef struct {
  const char *url;
  const char *credential;
  const char *method;
  const char *sha256;
  const char *content_type;
  gint64      offset;     /* -1: no Upload-Offset */
  gint64      length;     /* -1: no Upload-Length */
  GBytes     *body;
  gboolean    chunked;    /* send @body with no length (chunked transfer encoding) */
  guint       status;
  gint64      answer_offset;  /* -1: none */
  char       *answer;         /* the answer's body as text */
} RawJob;

static gboolean
accept_any (SoupMessage          *msg,
            GTlsCertificate      *certificate,
            GTlsCertificateFlags  errors,
            gpointer              user_data)
{
  return TRUE;
}

static gpointer
raw_job (gpointer data)
{
  RawJob *job = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (job->url, "/v1/blobs/", job->sha256, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (job->method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) reply = NULL;
  const char *offset;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  if (job->credential != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", job->credential, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (job->offset >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, job->offset);

      soup_message_headers_replace (headers, "Upload-Offset", text);
    }
  if (job->length >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, job->length);

      soup_message_headers_replace (headers, "Upload-Length", text);
    }
  if (job->body != NULL && job->chunked)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (job->body);

      soup_message_set_request_body (msg, job->content_type, stream, -1);
    }
  else if (job->body != NULL)
    soup_message_set_request_body_from_bytes (msg, job->content_type, job->body);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  job->status = soup_message_get_status (msg);
  offset = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                         "Upload-Offset");
  job->answer_offset = offset != NULL ? g_ascii_strtoll (offset, NULL, 10) : -1;
  job->answer = reply != NULL ? g_strndup (g_bytes_get_data (reply, NULL),
                                           g_bytes_get_size (reply)) : g_strdup ("");
  return NULL;
}

static guint
raw_full (Fixture     *f,
          PayamStore  *store,
          const char  *method,
          const char  *sha256,
          gint64       offset,
          gint64       length,
          GBytes      *body,
          gboolean     chunked,
          gint64      *answer_offset,
          char       **answer)
{
  g_autoptr(PayamEnrolment) enrolment = store != NULL ? payam_store_get_enrolment (store, NULL)
                                                      : NULL;
  RawJob job = {
    f->url, enrolment != NULL ? enrolment->credential : NULL, method, sha256,
    "application/offset+octet-stream", offset, length, body, chunked, 0, -1, NULL,
  };

  payam_test_run_client (raw_job, &job);
  if (answer_offset != NULL)
    *answer_offset = job.answer_offset;
  if (answer != NULL)
    *answer = g_steal_pointer (&job.answer);
  g_free (job.answer);
  return job.status;
}

/* @method on /v1/blobs/@sha256 as @store's device; the status, *@offset the answer's
 * Upload-Offset (-1 when none), *@answer (may be NULL) its body. */
static guint
raw (Fixture     *f,
     PayamStore  *store,
     const char  *method,
     const char  *sha256,
     gint64       offset,
     gint64       length,
     GBytes      *body,
     gint64      *answer_offset,
     char       **answer)
{
  return raw_full (f, store, method, sha256, offset, length, body, FALSE, answer_offset,
                   answer);
}

/* ---------------------------------------------------------------- photos */

/* A noisy photo, so its JPEG is several chunks long; the same @seed gives the same bytes. */
static PayamPhoto *
make_photo (guint32 seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 160, 120);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize size = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * 120;
  gchar *buffer = NULL;
  gsize length = 0;
  PayamPhoto *photo;

  for (gsize i = 0; i < size; i++)
    pixels[i] = (guint8) g_rand_int_range (rand, 0, 256);
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                          "quality", "95", NULL));
  jpeg = g_bytes_new_take (buffer, length);
  photo = payam_photo_import_bytes (jpeg, &error);
  if (photo == NULL)
    fail_msg ("%s", error->message);
  assert_true (g_bytes_get_size (photo->bytes) > 3 * CHUNK);
  return photo;
}

/* A kiosk request with @photo attached, its records (not the bytes) pushed to the server
 * in-process; returns the request id. */
static char *
kiosk_request_with_photo (Fixture     *f,
                          PayamStore  *kiosk,
                          PayamPhoto  *photo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ در خیابان", .category = "asphalt", .neighbourhood = "tohid",
  };

  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  assert_true (payam_store_add_photo (kiosk, photo, &error));
  assert_true (payam_store_attach_photo (kiosk, request->id, photo->sha256, &error));
  ops = payam_store_sync_list_outbox (kiosk, 0, 0, &error);
  assert_non_null (ops);
  if (!payam_store_sync_push (f->server_store, payam_store_get_device_id (kiosk),
                              PAYAM_ROLE_KIOSK, NULL, ops, fixture_now_ms (f), &reply, &error))
    fail_msg ("%s", error->message);
  for (guint i = 0; i < reply->results->len; i++)
    assert_int_equal (g_array_index (reply->results, PayamSyncOpResult, i).result,
                      PAYAM_SYNC_RESULT_APPLIED);
  return g_strdup (request->id);
}

static void
assert_server_offset (Fixture        *f,
                      const char     *sha256,
                      PayamBlobState  expected_state,
                      gint64          expected_offset)
{
  PayamBlobState state;
  gint64 offset = -1;
  gint64 length = -1;

  assert_true (payam_store_blob_get_state (f->server_store, sha256, &state, &offset, &length,
                                           NULL));
  assert_int_equal (state, expected_state);
  assert_int_equal (offset, expected_offset);
}

static void
assert_same_bytes (GBytes *a,
                   GBytes *b)
{
  assert_non_null (a);
  assert_non_null (b);
  assert_true (g_bytes_equal (a, b));
}

/* ---------------------------------------------------------------- tests */

/* One chunk, then a cut: a new client asks for the offset and sends only the rest. */
static void
test_upload_resume (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamPhoto) photo = make_photo (1);
  g_autofree char *request_id = kiosk_request_with_photo (f, kiosk, photo);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (photo->bytes, 0, CHUNK);
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = g_bytes_get_size (photo->bytes);
  gint64 offset = -1;
  guint patches = 0;

  /* Known, nothing held yet. */
  assert_int_equal (raw (f, kiosk, "HEAD", photo->sha256, -1, -1, NULL, &offset, NULL), 204);
  assert_int_equal (offset, 0);
  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, 0, size, first, &offset, NULL), 204);
  assert_int_equal (offset, CHUNK);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, CHUNK);
  assert_null (payam_store_dup_photo_bytes (f->server_store, photo->sha256, FALSE, NULL));

  /* Cut here: a new client resumes, resending nothing. */
  assert_int_equal (raw (f, kiosk, "HEAD", photo->sha256, -1, -1, NULL, &offset, NULL), 204);
  assert_int_equal (offset, CHUNK);
  g_ptr_array_set_size (f->log, 0);
  assert_int_equal (upload (kiosk, photo->sha256, photo->bytes, &error), size - CHUNK);
  assert_null (error);
  for (guint i = 0; i < f->log->len; i++)
    if (strstr (g_ptr_array_index (f->log, i), "PATCH /v1/blobs 204") != NULL)
      patches++;
  assert_int_equal (patches, (size - CHUNK + CHUNK - 1) / CHUNK);

  stored = payam_store_dup_photo_bytes (f->server_store, photo->sha256, FALSE, &error);
  assert_same_bytes (stored, photo->bytes);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_COMPLETE, size);
  assert_int_equal (raw (f, kiosk, "HEAD", photo->sha256, -1, -1, NULL, &offset, NULL), 200);
  assert_int_equal (offset, size);

  /* Complete: a second upload sends nothing, a late chunk is a 409 with the size. */
  assert_int_equal (upload (kiosk, photo->sha256, photo->bytes, &error), 0);
  assert_null (error);
  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, 0, size, first, &offset, NULL), 409);
  assert_int_equal (offset, size);
}

/* A chunk at the wrong offset: 409 with the right one in Upload-Offset and a JSON error. */
static void
test_wrong_offset (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamPhoto) photo = make_photo (2);
  g_autofree char *request_id = kiosk_request_with_photo (f, kiosk, photo);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (photo->bytes, 0, CHUNK);
  g_autoptr(GBytes) second = g_bytes_new_from_bytes (photo->bytes, CHUNK, CHUNK);
  gint64 size = (gint64) g_bytes_get_size (photo->bytes);
  static const struct {
    gint64 offset;
    gint64 length;
    guint  status;
    gint64 answer;
    const char *error;
  } steps[] = {
    { CHUNK, -1, 409, 0, "\"offset\"" },          /* ahead of an empty upload */
    { 0, -1, 400, 0, "\"length\"" },              /* the first chunk without a length */
    { 0, 0, 204, CHUNK, NULL },                   /* 0 stands for the real size below */
    { 0, -1, 409, CHUNK, "\"offset\"" },          /* the same chunk again */
    { 3 * CHUNK, -1, 409, CHUNK, "\"offset\"" },  /* skipping one */
    { CHUNK, 7, 400, CHUNK, "\"length\"" },       /* a changed length */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *answer = NULL;
      gint64 offset = -1;
      gint64 length = steps[i].length == 0 ? size : steps[i].length;
      guint status = raw (f, kiosk, "PATCH", photo->sha256, steps[i].offset, length,
                          steps[i].offset == 0 ? first : second, &offset, &answer);

      if (status != steps[i].status)
        fail_msg ("step %zu: %u %s", i, status, answer);
      assert_int_equal (offset, steps[i].answer);
      if (steps[i].error != NULL)
        {
          assert_non_null (strstr (answer, "\"error\""));
          assert_non_null (strstr (answer, steps[i].error));
          assert_non_null (strstr (answer, "\"message\""));
        }
    }
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, CHUNK);
}

/* Bytes that do not hash to the name: 422 on the last byte, the partial upload dropped and
 * nothing stored; the right bytes then go through. */
static void
test_wrong_hash (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamPhoto) photo = make_photo (3);
  g_autofree char *request_id = kiosk_request_with_photo (f, kiosk, photo);
  gsize size = g_bytes_get_size (photo->bytes);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (photo->bytes, NULL), size);
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  gint64 offset = -1;

  copy[size - 3] ^= 0x55;
  forged = g_bytes_new_take (g_steal_pointer (&copy), size);
  head = g_bytes_new_from_bytes (forged, 0, CHUNK);
  tail = g_bytes_new_from_bytes (forged, CHUNK, size - CHUNK);
  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, 0, size, head, &offset, NULL), 204);
  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, CHUNK, size, tail, &offset, &answer),
                    422);
  assert_non_null (strstr (answer, "\"checksum\""));
  assert_int_equal (offset, 0);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, 0);
  assert_null (payam_store_dup_photo_bytes (f->server_store, photo->sha256, FALSE, NULL));

  /* The client sees a refusal too. */
  assert_int_equal (upload (kiosk, photo->sha256, forged, &error), size);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, 0);
  g_clear_error (&error);

  assert_int_equal (upload (kiosk, photo->sha256, photo->bytes, &error), size);
  assert_null (error);
  stored = payam_store_dup_photo_bytes (f->server_store, photo->sha256, FALSE, &error);
  assert_same_bytes (stored, photo->bytes);
}

/* Requests the route refuses before taking anything. */
static void
test_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamPhoto) photo = make_photo (4);
  g_autofree char *request_id = kiosk_request_with_photo (f, kiosk, photo);
  g_autofree guint8 *zeros = g_malloc0 (PAYAM_BLOB_CHUNK_SIZE + 1);
  g_autoptr(GBytes) big = g_bytes_new_take (g_steal_pointer (&zeros),
                                            PAYAM_BLOB_CHUNK_SIZE + 1);
  g_autoptr(GBytes) small = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (photo->bytes, 0, CHUNK);
  gint64 offset = -1;
  const char *unknown = "0000000000000000000000000000000000000000000000000000000000000000";
  gint64 size = (gint64) g_bytes_get_size (photo->bytes);
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (kiosk, NULL);
  g_autofree guint8 *more_zeros = g_malloc0 (2 * PAYAM_BLOB_CHUNK_SIZE);
  g_autoptr(GBytes) bigger = g_bytes_new_take (g_steal_pointer (&more_zeros),
                                               2 * PAYAM_BLOB_CHUNK_SIZE);
  BlobJob job = { .client = client, .sha256 = photo->sha256, .bytes = bigger,
                  .chunk = PAYAM_BLOB_CHUNK_SIZE + 1 };

  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, 0, size, big, NULL, NULL), 413);
  assert_int_equal (raw (f, NULL, "HEAD", photo->sha256, -1, -1, NULL, NULL, NULL), 401);
  assert_int_equal (raw (f, NULL, "PATCH", photo->sha256, 0, size, small, NULL, NULL), 401);
  assert_int_equal (raw (f, kiosk, "HEAD", unknown, -1, -1, NULL, NULL, NULL), 404);
  assert_int_equal (raw (f, kiosk, "PATCH", unknown, 0, 3, small, NULL, NULL), 404);
  assert_int_equal (raw (f, kiosk, "HEAD", "not-a-hash", -1, -1, NULL, NULL, NULL), 404);
  assert_int_equal (raw (f, kiosk, "DELETE", photo->sha256, -1, -1, NULL, NULL, NULL), 405);
  assert_int_equal (raw (f, kiosk, "PATCH", photo->sha256, -2, size, small, NULL, NULL), 400);
  /* With no declared length the chunk is counted as it arrives. */
  assert_int_equal (raw_full (f, kiosk, "PATCH", photo->sha256, 0, size, big, TRUE, NULL, NULL),
                    413);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, 0);
  assert_int_equal (raw_full (f, kiosk, "PATCH", photo->sha256, 0, size, first, TRUE, &offset,
                              NULL), 204);
  assert_int_equal (offset, CHUNK);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, CHUNK);

  /* The client's own chunk over the limit: refused, nothing more held. */
  g_ptr_array_set_size (f->log, 0);
  assert_false (GPOINTER_TO_INT (payam_test_run_client (upload_job, &job)));
  assert_int_equal (f->log->len, 2);  /* HEAD, then one PATCH refused */
  assert_non_null (strstr (g_ptr_array_index (f->log, 1), " PATCH "));
  assert_non_null (strstr (g_ptr_array_index (f->log, 1), " 413 "));
  assert_true (g_error_matches (job.error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
  g_clear_error (&job.error);
  assert_server_offset (f, photo->sha256, PAYAM_BLOB_MISSING, CHUNK);
}

/* GET: the office reads every photo, a crew the photos of its worksheets, a kiosk none. */
static void
test_download_roles (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *north = payam_store_add_crew (f->server_store, "شمال", NULL, &error);
  g_autofree char *south = payam_store_add_crew (f->server_store, "جنوب", NULL, &error);
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamStore) office = enrolled (f, "office.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) crew = enrolled (f, "crew.db", PAYAM_ROLE_CREW, north);
  g_autoptr(PayamStore) other = enrolled (f, "other.db", PAYAM_ROLE_CREW, south);
  g_autoptr(PayamPhoto) photo = make_photo (5);
  g_autofree char *request_id = kiosk_request_with_photo (f, kiosk, photo);
  struct {
    PayamStore *store;
    guint       status;
  } readers[] = {
    { office, 200 }, { crew, 200 }, { other, 403 }, { kiosk, 403 },
  };

  assert_non_null (north);
  assert_int_equal (upload (kiosk, photo->sha256, photo->bytes, &error),
                    g_bytes_get_size (photo->bytes));
  assert_true (payam_store_assign_crew (f->server_store, request_id, north, &error));

  for (gsize i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      guint status = 0;
      g_autoptr(GBytes) bytes = download (readers[i].store, photo->sha256, &status);

      assert_int_equal (status, readers[i].status);
      if (readers[i].status == 200)
        assert_same_bytes (bytes, photo->bytes);
      else
        assert_null (bytes);
    }
}

/* payam_sync_round: a kiosk's offline request and photo reach the office with its bytes;
 * a second round moves nothing on either. */
static void
test_round (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = enrolled (f, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  g_autoptr(PayamStore) office = enrolled (f, "office.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamPhoto) photo = make_photo (6);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) photos = NULL;
  PayamRequestDraft draft = {
    .text = "درخت افتاده روی پیاده‌رو", .category = "green-space", .neighbourhood = "tohid",
  };
  PayamSyncRoundCounts counts;
  gint64 outbox;

  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  assert_true (payam_store_add_photo (kiosk, photo, &error));
  assert_true (payam_store_attach_photo (kiosk, request->id, photo->sha256, &error));
  outbox = payam_store_count_outbox (kiosk, NULL);
  assert_true (outbox >= 3);

  if (!sync_round (kiosk, &counts, &error))
    fail_msg ("%s", error->message);
  assert_int_equal (counts.ops_pushed, outbox);
  assert_int_equal (counts.ops_rejected, 0);
  assert_int_equal (counts.blobs_sent, 1);
  assert_int_equal (counts.blobs_received, 0);
  assert_int_equal (payam_store_count_outbox (kiosk, NULL), 0);

  if (!sync_round (office, &counts, &error))
    fail_msg ("%s", error->message);
  assert_int_equal (counts.ops_pushed, 0);
  assert_true (counts.ops_pulled >= (guint) outbox);
  assert_int_equal (counts.blobs_sent, 0);
  assert_int_equal (counts.blobs_received, 1);
  photos = payam_store_list_request_photos (office, request->id, &error);
  assert_non_null (photos);
  assert_int_equal (g_strv_length (photos), 1);
  assert_string_equal (photos[0], photo->sha256);
  stored = payam_store_dup_photo_bytes (office, photo->sha256, FALSE, &error);
  assert_same_bytes (stored, photo->bytes);

  for (int i = 0; i < 2; i++)
    {
      PayamStore *store = i == 0 ? kiosk : office;

      if (!sync_round (store, &counts, &error))
        fail_msg ("%s", error->message);
      assert_int_equal (counts.ops_pushed + counts.ops_pulled + counts.blobs_sent +
                        counts.blobs_received + counts.blobs_skipped, 0);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_upload_resume, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_offset, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_hash, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_download_roles, setup, teardown),
    cmocka_unit_test_setup_teardown (test_round, setup, teardown),
  };

  return cmocka_run_group_tests_name ("sync-blobs", tests, NULL, NULL);
}
