/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #10 cases 2, 3, 4, 5 and 10 as a hostile client plays them, against the real server
 * on 127.0.0.1: forged ops from enrolled devices are refused and change nothing; what the
 * public (/v1/track) and a kiosk (its pull, its file and WAL) receive holds none of the
 * phones, names and crews' words this test used; a NUL inside a string is refused. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "payam-store-worksheets.h"
#include "payam-sync-round.h"
#include "payam-test-server.h"
#include "payam-tracking.h"
#include "payam-uuid.h"

/* Every phone is this and four digits, every name starts so, and the crew's reason holds
 * both and this word: none may reach the public or a kiosk. */
#define PHONE_PREFIX "0938127"
#define NAME_PREFIX  "شهروندآزمون"
#define CREW_WORDS   "nobodyhome"
#define N_REQUESTS   12

typedef struct {
  PayamTestServer *ts;
  PayamStore      *office;
  PayamStore      *kiosk;
  PayamStore      *crew;
  char            *crew_id;
  GPtrArray       *codes;     /* the kiosk's requests' tracking codes */
  GPtrArray       *ids;       /* and ids */
  char            *group_id;  /* the crew's group */
} Fixture;

/* ---- clients on a worker thread while this one serves ----------------------------------- */

typedef struct {
  PayamStore            *store;
  PayamSyncClient       *client;
  const char            *method;
  const char            *path;
  const char            *body;
  PayamSyncPushRequest  *push;
  PayamSyncRoundCounts   counts;
  guint                  status;
  char                  *answer;
  PayamSyncPushResponse *response;
  GError                *error;
} Job;

static gpointer
round_job (gpointer data)
{
  Job *job = data;
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (job->store, &job->error);

  if (client != NULL)
    payam_sync_round (client, job->store, &job->counts, NULL, &job->error);
  return NULL;
}

static gpointer
send_job (gpointer data)
{
  Job *job = data;
  g_autoptr(GBytes) body = NULL;

  if (job->push != NULL)
    {
      job->response = payam_sync_client_push (job->client, job->push, &job->status, NULL,
                                              &job->error);
      return NULL;
    }
  body = payam_sync_client_send (job->client, job->method, job->path, job->body, &job->status,
                                 NULL, &job->error);
  if (body != NULL)
    job->answer = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return NULL;
}

static PayamSyncRoundCounts
sync_round (PayamStore *store)
{
  Job job = { .store = store };

  payam_test_run_client (round_job, &job);
  if (job.error != NULL)
    fail_msg ("sync: %s", job.error->message);
  return job.counts;
}

static void
sync_clean (PayamStore *store)
{
  PayamSyncRoundCounts counts = sync_round (store);

  assert_int_equal (counts.ops_rejected, 0);
}

/* A client pinned to the server, without a credential: what anyone on the network has. */
static PayamSyncClient *
anonymous_client (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  guint8 pin[32];
  PayamSyncClient *client;

  for (int i = 0; i < 32; i++)
    pin[i] = (guint8) (g_ascii_xdigit_value (f->ts->fingerprint[2 * i]) * 16 +
                       g_ascii_xdigit_value (f->ts->fingerprint[2 * i + 1]));
  client = payam_sync_client_new (f->ts->url, pin, sizeof pin, NULL, &error);
  assert_non_null (client);
  return client;
}

/* GET or POST @path with @body (may be NULL) as @client; the answer (owned), *@status. */
static char *
exchange (PayamSyncClient *client,
          const char      *method,
          const char      *path,
          const char      *body,
          guint           *status)
{
  Job job = { .client = client, .method = method, .path = path, .body = body };

  payam_test_run_client (send_job, &job);
  *status = job.status;
  g_clear_error (&job.error);
  return job.answer;
}

/* ---- the scene: a kiosk's citizens, a crew that writes too much -------------------------- */

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  PayamActionDraft start = { PAYAM_ACTION_START, NULL, NULL };
  PayamActionDraft cannot = { PAYAM_ACTION_NOT_POSSIBLE,
                              "Called citizen " NAME_PREFIX " at " PHONE_PREFIX "0003, "
                              CREW_WORDS, NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  f->ts = payam_test_server_new ();
  f->office = payam_test_server_enrol (f->ts, "office.db", PAYAM_ROLE_OFFICE, NULL);
  f->crew_id = payam_store_add_crew (f->office, "اکیپ یک", NULL, &error);
  sync_clean (f->office);
  f->kiosk = payam_test_server_enrol (f->ts, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  f->crew = payam_test_server_enrol (f->ts, "crew.db", PAYAM_ROLE_CREW, f->crew_id);
  f->codes = g_ptr_array_new_with_free_func (g_free);
  f->ids = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < N_REQUESTS; i++)
    {
      g_autofree char *phone = g_strdup_printf (PHONE_PREFIX "%04d", i);
      g_autofree char *name = g_strdup_printf (NAME_PREFIX " %d", i);
      PayamRequestDraft draft = {
        .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
        .phone = phone, .name = name, .channel = PAYAM_CHANNEL_KIOSK,
      };
      g_autoptr(PayamRequest) request = payam_store_add_request (f->kiosk, &draft, &error);

      if (request == NULL)
        fail_msg ("%s", error->message);
      g_ptr_array_add (f->codes, g_strdup (request->tracking_code));
      g_ptr_array_add (f->ids, g_strdup (request->id));
    }
  sync_clean (f->kiosk);

  /* The office gives request 3 to the crew, which gives up on it in words it should not
   * have used; the office sends the citizen the outcome. */
  sync_clean (f->office);
  assert_true (payam_store_assign_crew (f->office, f->ids->pdata[3], f->crew_id, &error));
  sync_clean (f->office);
  sync_clean (f->crew);
  a = payam_store_add_action (f->crew, f->ids->pdata[3], &start, PAYAM_ROLE_CREW, &error);
  b = payam_store_add_action (f->crew, f->ids->pdata[3], &cannot, PAYAM_ROLE_CREW, &error);
  assert_non_null (b);
  sync_clean (f->crew);
  sync_clean (f->office);
  {
    g_autoptr(PayamRequest) r = payam_store_get_request (f->office, f->ids->pdata[3], &error);
    g_autoptr(GPtrArray) timeline = payam_store_list_timeline (f->office, f->ids->pdata[3],
                                                               &error);
    guint sent = 0;

    f->group_id = g_strdup (r->group_id);
    assert_non_null (timeline);
    for (guint i = 0; i < timeline->len; i++)
      {
        PayamTimelineEntry *entry = timeline->pdata[i];

        if (entry->kind == PAYAM_TIMELINE_NOTICE)
          {
            assert_true (payam_store_mark_notice_sent (f->office, entry->ref, &error));
            sent++;
          }
      }
    /* Its registered notice (the citizen gave a phone), its assigned one and its
     * outcome's. */
    assert_int_equal (sent, 3);
    sync_clean (f->office);
  }
  assert_non_null (f->group_id);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->office);
  g_clear_object (&f->kiosk);
  g_clear_object (&f->crew);
  payam_test_server_free (f->ts);
  g_ptr_array_unref (f->codes);
  g_ptr_array_unref (f->ids);
  g_free (f->crew_id);
  g_free (f->group_id);
  g_free (f);
  return 0;
}

/* Whether @bytes (of @length) hold @needle followed by @digits ASCII digits. */
static gboolean
holds (const char *bytes,
       gsize       length,
       const char *needle,
       gsize       digits)
{
  gsize n = strlen (needle) + digits;

  for (gsize i = 0; i + n <= length; i++)
    {
      gsize d = 0;

      if (memcmp (bytes + i, needle, n - digits) != 0)
        continue;
      while (d < digits && g_ascii_isdigit (bytes[i + n - digits + d]))
        d++;
      if (d == digits)
        return TRUE;
    }
  return FALSE;
}

static void
assert_clean (const char *what,
              const char *bytes,
              gsize       length)
{
  if (holds (bytes, length, PHONE_PREFIX, 4))
    fail_msg ("%s holds a phone number", what);
  if (holds (bytes, length, NAME_PREFIX, 0))
    fail_msg ("%s holds a name", what);
  if (holds (bytes, length, CREW_WORDS, 0))
    fail_msg ("%s holds what a crew wrote", what);
}

static void
assert_file_clean (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  if (g_file_get_contents (path, &bytes, &length, NULL))
    assert_clean (path, bytes, length);
}

/* ---- case 2: the public track ------------------------------------------------------------ */

static void
test_track_public_words (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamSyncClient) anyone = anonymous_client (f);
  gboolean saw_outcome = FALSE;

  for (guint i = 0; i < f->codes->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/track/%s", (char *) f->codes->pdata[i]);
      guint status = 0;
      g_autofree char *answer = exchange (anyone, "GET", path, NULL, &status);

      assert_int_equal (status, 200);
      assert_non_null (answer);
      assert_clean (path, answer, strlen (answer));
      assert_null (strstr (answer, "چاله"));
      if (strstr (answer, "not_possible") != NULL && strstr (answer, "\"outcome\"") != NULL)
        saw_outcome = TRUE;
    }
  assert_true (saw_outcome);
}

/* ---- case 3: what a kiosk receives and keeps --------------------------------------------- */

static void
test_kiosk_keeps_no_words (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_strdup (payam_store_get_path (f->kiosk));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) seen = NULL;

  sync_clean (f->kiosk);
  seen = payam_store_get_request (f->kiosk, f->ids->pdata[3], &error);
  assert_non_null (seen);
  assert_int_equal (seen->status, PAYAM_STATUS_NOT_POSSIBLE);
  assert_null (seen->status_reason);
  assert_file_clean (path);
  assert_file_clean (wal);
  g_clear_object (&f->kiosk);
  {
    sqlite3 *db = NULL;

    assert_int_equal (sqlite3_open (path, &db), SQLITE_OK);
    assert_int_equal (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                      SQLITE_OK);
    sqlite3_close (db);
  }
  assert_file_clean (path);
  assert_file_clean (wal);
}

/* ---- cases 4 and 5: forged ops of an enrolled kiosk ------------------------------------- */

typedef struct {
  PayamStore      *store;    /* its identity and credential */
  PayamSyncClient *client;
  gint64           seq;
} Hostile;

static void
hostile_init (Fixture    *f,
              Hostile    *h,
              const char *name,
              PayamRole   role)
{
  g_autoptr(GError) error = NULL;

  h->store = payam_test_server_enrol (f->ts, name, role, NULL);
  h->client = payam_sync_client_new_for_store (h->store, &error);
  assert_non_null (h->client);
  h->seq = 0;
}

static void
hostile_clear (Hostile *h)
{
  g_clear_object (&h->client);
  g_clear_object (&h->store);
}

/* Push one forged op; the reason it was refused for, or NULL when it was taken (owned). */
static char *
forge (Hostile    *h,
       const char *entity,
       const char *row_id,
       const char *field,
       const char *value)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_autofree char *batch = payam_uuid7_new ();
  PayamSyncPushRequest push = { (char *) payam_store_get_device_id (h->store), batch, ops };
  PayamOp *op = g_new0 (PayamOp, 1);
  Job job = { .client = h->client, .push = &push };
  PayamSyncOpOutcome *outcome;
  char *reason;

  op->device_seq = ++h->seq;
  op->hlc = payam_hlc_pack (g_get_real_time () / 1000, 0);
  op->device_id = g_strdup (payam_store_get_device_id (h->store));
  op->op_id = payam_op_derive_id (op->device_id, op->device_seq, op->hlc);
  op->entity = g_strdup (entity);
  op->row_id = g_strdup (row_id);
  op->field = g_strdup (field);
  op->value = g_strdup (value);
  g_ptr_array_add (ops, op);
  payam_test_run_client (send_job, &job);
  if (job.response == NULL)
    fail_msg ("push: %s", job.error != NULL ? job.error->message : "no answer");
  assert_int_equal (job.response->results->len, 1);
  outcome = job.response->results->pdata[0];
  reason = outcome->outcome == PAYAM_SYNC_OUTCOME_REJECTED ? g_strdup (outcome->reason) : NULL;
  payam_sync_push_response_free (job.response);
  return reason;
}

static char *
server_text (Fixture    *f,
             const char *sql,
             const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  g_autofree char *path = g_build_filename (f->ts->dir, "server.db", NULL);
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
test_forged_kiosk_ops (void **state)
{
  Fixture *f = *state;
  Hostile h;
  g_autofree char *group_value = g_strdup_printf ("\"%s\"", f->group_id);
  g_autofree char *reason = NULL;
  g_autofree char *group = NULL;
  g_autofree char *taken_id = payam_uuid7_new ();
  g_autofree char *next_code = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *taken = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) real = NULL;
  PayamRequestDraft draft = {
    .text = "تیر چراغ خاموش", .category = "lighting", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  guint prefix = (guint) g_ascii_strtoull (f->codes->pdata[0], NULL, 10) / 100000000;

  hostile_init (f, &h, "hostile-kiosk.db", PAYAM_ROLE_KIOSK);

  /* Case 4: request 5 into the crew's group, where its citizen's name would be seen. */
  reason = forge (&h, "request", f->ids->pdata[5], "group_id", group_value);
  assert_string_equal (reason, "role");
  group = server_text (f, "SELECT group_id FROM request WHERE id = ?1", f->ids->pdata[5]);
  assert_null (group);

  /* Case 5: the next code of the real kiosk's prefix. */
  next_code = payam_tracking_code_make (prefix, N_REQUESTS + 1);
  forged = g_strdup_printf ("{\"tracking_code\":\"%s\",\"channel\":\"kiosk\",\"category\":"
                            "\"asphalt\",\"text\":\"جعلی\",\"neighbourhood\":\"tohid\","
                            "\"priority\":3,\"status\":\"registered\","
                            "\"created_at\":\"2026-11-18T10:00:00.000Z\"}", next_code);
  g_free (reason);
  reason = forge (&h, "request", taken_id, "*", forged);
  assert_string_equal (reason, "role");
  taken = server_text (f, "SELECT id FROM request WHERE tracking_code = ?1", next_code);
  assert_null (taken);
  /* The real kiosk's next request, with that code, goes through. */
  real = payam_store_add_request (f->kiosk, &draft, &error);
  assert_non_null (real);
  assert_string_equal (real->tracking_code, next_code);
  sync_clean (f->kiosk);
  g_free (taken);
  taken = server_text (f, "SELECT id FROM request WHERE tracking_code = ?1", next_code);
  assert_string_equal (taken, real->id);
  hostile_clear (&h);
}

/* ---- case 10: unchecked values, NUL inside strings --------------------------------------- */

static void
test_forged_values (void **state)
{
  Fixture *f = *state;
  Hostile h;
  g_autofree char *crew = payam_uuid7_new ();
  g_autofree char *crew_value = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *stored = NULL;
  GString *name = g_string_new ("{\"name\":\"");
  static const char sha[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  hostile_init (f, &h, "hostile-office.db", PAYAM_ROLE_OFFICE);
  phone = forge (&h, "request", f->ids->pdata[1], "phone", "\"not a phone; DROP TABLE\"");
  assert_string_equal (phone, "invalid-value");
  for (int i = 0; i < 60000; i++)
    g_string_append_c (name, 'x');
  g_string_append (name, "\"}");
  crew_value = g_string_free (name, FALSE);
  {
    g_autofree char *r1 = forge (&h, "crew", crew, "*", crew_value);
    g_autofree char *r2 = forge (&h, "photo", sha, "*",
                                 "{\"mime\":\"image/jpeg\",\"width\":9223372036854775807,"
                                 "\"height\":-5,\"created_at\":\"2026-11-18T10:00:00.000Z\"}");

    assert_string_equal (r1, "invalid-value");
    assert_string_equal (r2, "invalid-value");
  }
  stored = server_text (f, "SELECT phone FROM request WHERE id = ?1", f->ids->pdata[1]);
  assert_true (g_str_has_prefix (stored, PHONE_PREFIX));
  g_free (stored);
  stored = server_text (f, "SELECT count(*) FROM crew WHERE id = ?1", crew);
  assert_string_equal (stored, "0");
  g_free (stored);
  stored = server_text (f, "SELECT count(*) FROM photo WHERE sha256 = ?1", sha);
  assert_string_equal (stored, "0");
  /* Each is in the office's conflict list, under the field that failed. */
  g_free (stored);
  stored = server_text (f, "SELECT group_concat (field, ',') FROM (SELECT field FROM conflict "
                        "WHERE kind = 'rejected' AND reason = 'invalid-value' ORDER BY field)",
                        NULL);
  assert_string_equal (stored, "name,phone,width");

  /* A NUL inside a string: the whole push is refused, nothing is cut and stored. */
  {
    g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
    g_autofree char *batch = payam_uuid7_new ();
    PayamSyncPushRequest push = { (char *) payam_store_get_device_id (h.store), batch, ops };
    PayamOp *op = g_new0 (PayamOp, 1);
    g_autofree char *body = NULL;
    g_auto(GStrv) parts = NULL;
    g_autofree char *nul_body = NULL;
    g_autofree char *answer = NULL;
    guint status = 0;

    op->device_seq = ++h.seq;
    op->hlc = payam_hlc_pack (g_get_real_time () / 1000, 0);
    op->device_id = g_strdup (payam_store_get_device_id (h.store));
    op->op_id = payam_op_derive_id (op->device_id, op->device_seq, op->hlc);
    op->entity = g_strdup ("request");
    op->row_id = g_strdup (f->ids->pdata[2]);
    op->field = g_strdup ("phone");
    op->value = g_strdup ("\"09121234567NULHERE; DROP TABLE\"");
    g_ptr_array_add (ops, op);
    body = payam_sync_encode_push_request (&push);
    parts = g_strsplit (body, "NULHERE", 2);
    assert_int_equal (g_strv_length (parts), 2);
    nul_body = g_strjoin ("\\u0000", parts[0], parts[1], NULL);
    answer = exchange (h.client, "POST", "/v1/push", nul_body, &status);
    assert_int_equal (status, 400);
    g_free (stored);
    stored = server_text (f, "SELECT phone FROM request WHERE id = ?1", f->ids->pdata[2]);
    assert_true (g_str_has_prefix (stored, PHONE_PREFIX));
  }
  hostile_clear (&h);
}

/* Case 10 at enrolment: a NUL inside code or device_id does not cut it to a valid one. */
static void
test_enrol_nul (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamSyncClient) anyone = anonymous_client (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *code = payam_sync_code_make (f->ts->fingerprint, &hash, &error);
  g_autofree char *secret = NULL;
  g_autofree char *device = payam_uuid7_new ();
  guint8 pin[32];

  assert_true (payam_store_add_enrol_code (f->ts->store, hash, PAYAM_ROLE_OFFICE, NULL, 1,
                                           &error));
  assert_true (payam_sync_code_parse (code, &secret, pin, &error));
  for (int which = 0; which < 2; which++)
    {
      g_autofree char *body = NULL;
      g_autofree char *answer = NULL;
      guint status = 0;

      /* The real secret and device id, with a NUL and more after one of them. */
      body = which == 0
        ? g_strdup_printf ("{\"version\":2,\"code\":\"%s\\u0000XYZ\",\"device_id\":\"%s\"}",
                           secret, device)
        : g_strdup_printf ("{\"version\":2,\"code\":\"%s\",\"device_id\":\"%s\\u0000XYZ\"}",
                           secret, device);
      answer = exchange (anyone, "POST", "/v1/enrol", body, &status);
      assert_int_equal (status, 400);
    }
  /* The code was not spent: the device enrols with it as it should. */
  {
    g_autofree char *body = g_strdup_printf ("{\"version\":2,\"code\":\"%s\",\"device_id\":"
                                             "\"%s\"}", secret, device);
    guint status = 0;
    g_autofree char *answer = exchange (anyone, "POST", "/v1/enrol", body, &status);

    assert_int_equal (status, 200);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_track_public_words, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_keeps_no_words, setup, teardown),
    cmocka_unit_test_setup_teardown (test_forged_kiosk_ops, setup, teardown),
    cmocka_unit_test_setup_teardown (test_forged_values, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enrol_nul, setup, teardown),
  };

  return cmocka_run_group_tests_name ("hostile-data", tests, NULL, NULL);
}
