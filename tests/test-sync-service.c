/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncService against the real office server on 127.0.0.1 over TLS: background rounds,
 * the main loop during a round, offline backoff, revocation, upload progress, tracking. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gi18n.h>

#include "payam-app-enums.h"
#include "payam-store-blobs.h"
#include "payam-store-sync.h"
#include "payam-sync-service.h"
#include "payam-test-server.h"

/* Short delays: a test waits milliseconds, never minutes. */
static const PayamSyncTiming test_timing = {
  .first_ms = 5,
  .debounce_ms = 20,
  .period_ms = 60 * 60 * 1000,
  .retry_min_ms = 10,
  .retry_max_ms = 80,
};

/* Longest wait for a round, a failsafe only: every wait ends on an event. */
#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

typedef struct {
  PayamTestServer  *ts;
  PayamStore       *device;
  PayamSyncService *service;
  GDateTime        *now;
  guint             rounds;      /* round-finished emissions */
  gboolean          last_moved;  /* whether the last round moved something */
  GArray           *delays;      /* retry delay after each round (guint) */
  GArray           *fractions;   /* every upload-fraction notified (double) */
  guint             ticks;       /* main-loop ticks seen while a round ran */
} Fixture;

static GDateTime *
fixture_now (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_ref (f->now);
}

static void
round_finished (PayamSyncService *service,
                gboolean          moved,
                Fixture          *f)
{
  guint delay = payam_sync_service_get_retry_delay (service);

  f->rounds++;
  f->last_moved = moved;
  g_array_append_val (f->delays, delay);
}

static void
fraction_notified (PayamSyncService *service,
                   GParamSpec       *pspec,
                   Fixture          *f)
{
  double fraction = payam_sync_service_get_upload_fraction (service);

  g_array_append_val (f->fractions, fraction);
}

static PayamSyncService *
make_service (Fixture    *f,
              PayamStore *store)
{
  PayamSyncService *service = payam_sync_service_new (store);

  payam_sync_service_set_timing (service, &test_timing);
  payam_sync_service_set_now_func (service, fixture_now, f);
  g_signal_connect (service, "round-finished", G_CALLBACK (round_finished), f);
  g_signal_connect (service, "notify::upload-fraction", G_CALLBACK (fraction_notified), f);
  return service;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->ts = payam_test_server_new ();
  f->device = payam_test_server_enrol (f->ts, "device.db", PAYAM_ROLE_OFFICE, NULL);
  f->now = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  f->delays = g_array_new (FALSE, FALSE, sizeof (guint));
  f->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  f->service = make_service (f, f->device);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_sync_service_stop (f->service);
  g_clear_object (&f->service);
  g_clear_object (&f->device);
  payam_test_server_free (f->ts);
  g_date_time_unref (f->now);
  g_array_unref (f->delays);
  g_array_unref (f->fractions);
  g_free (f);
  return 0;
}

/* Iterate the main context until @rounds rounds have finished. */
static void
wait_rounds (Fixture *f,
             guint    rounds)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (f->rounds < rounds)
    {
      if (g_get_monotonic_time () > limit)
        fail_msg ("only %u of %u sync rounds finished", f->rounds, rounds);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Iterate until the service reports @state after a finished round. */
static void
wait_idle_after_start (Fixture *f)
{
  payam_sync_service_start (f->service);
  wait_rounds (f, 1);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);
}

/* ---------------------------------------------------------------- tests */

/* A request made on the device reaches the server in the background, the debounce after
 * the store's "request-changed" starting the round; the service then shows idle, online,
 * the time of the round and nothing waiting. */
static void
test_background_change (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamRequest) on_server = NULL;
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "لامپ خیابان خاموش است", .category = "lighting", .neighbourhood = "tohid",
  };

  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);
  assert_null (payam_sync_service_get_last_sync (f->service));
  assert_false (payam_sync_service_get_online (f->service));
  wait_idle_after_start (f);
  assert_true (payam_sync_service_get_online (f->service));

  request = payam_store_add_request (f->device, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  /* Counted on the next idle of the main loop, before the debounced round. */
  while (payam_sync_service_get_waiting_ops (f->service) == 0 && f->rounds == 1)
    g_main_context_iteration (NULL, TRUE);
  assert_int_equal (f->rounds, 1);
  assert_true (payam_sync_service_get_waiting_ops (f->service) > 0);

  wait_rounds (f, 2);
  assert_true (f->last_moved);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);
  assert_true (payam_sync_service_get_online (f->service));
  assert_int_equal (payam_sync_service_get_waiting_ops (f->service), 0);
  assert_int_equal (payam_sync_service_get_waiting_photos (f->service), 0);
  assert_int_equal (payam_store_count_outbox (f->device, NULL), 0);
  assert_null (payam_sync_service_get_message (f->service));
  assert_non_null (payam_sync_service_get_last_sync (f->service));
  assert_true (g_date_time_equal (payam_sync_service_get_last_sync (f->service), f->now));
  assert_int_equal (payam_sync_service_get_retry_delay (f->service), 0);

  on_server = payam_store_get_request (f->ts->store, request->id, &error);
  if (on_server == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (on_server->tracking_code, request->tracking_code);
}

static gboolean
tick (gpointer user_data)
{
  Fixture *f = user_data;

  if (payam_sync_service_get_state (f->service) == PAYAM_SYNC_STATE_SYNCING)
    f->ticks++;
  return G_SOURCE_CONTINUE;
}

/* While a round with photos runs, the main loop goes on: a 1 ms timeout keeps firing (the
 * server answering on this same loop is further proof: a round on the main thread could
 * never get its answers). The photos then wait no more. */
static void
test_main_loop_runs (void **state)
{
  Fixture *f = *state;
  g_autofree char *request_id = NULL;
  guint tick_id;

  wait_idle_after_start (f);
  request_id = payam_test_request_with_photos (f->device, 3, 10);
  while (payam_sync_service_get_waiting_photos (f->service) == 0)
    g_main_context_iteration (NULL, TRUE);
  assert_int_equal (payam_sync_service_get_waiting_photos (f->service), 3);

  tick_id = g_timeout_add (1, tick, f);
  payam_sync_service_sync_now (f->service);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_SYNCING);
  wait_rounds (f, 2);
  g_source_remove (tick_id);

  assert_true (f->ticks > 0);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);
  assert_int_equal (payam_sync_service_get_waiting_photos (f->service), 0);
  assert_int_equal (payam_sync_service_get_waiting_ops (f->service), 0);
}

/* The bar moves from 0 through a share of the bytes to 1 while three photos upload, and
 * is 0 again when the round is over. */
static void
test_upload_fraction (void **state)
{
  Fixture *f = *state;
  g_autofree char *request_id = NULL;
  gboolean partial = FALSE;
  double last = 0.0;

  wait_idle_after_start (f);
  request_id = payam_test_request_with_photos (f->device, 3, 20);
  assert_int_equal (f->fractions->len, 0);
  payam_sync_service_sync_now (f->service);
  wait_rounds (f, 2);

  /* 0 < a < b < 1 = c, then 0. */
  assert_int_equal (f->fractions->len, 4);
  for (guint i = 0; i < 3; i++)
    {
      double fraction = g_array_index (f->fractions, double, i);

      assert_true (fraction > last);
      if (fraction < 1.0)
        partial = TRUE;
      last = fraction;
    }
  assert_true (partial);
  assert_true (g_array_index (f->fractions, double, 2) == 1.0);
  assert_true (g_array_index (f->fractions, double, 3) == 0.0);
  assert_true (payam_sync_service_get_upload_fraction (f->service) == 0.0);
}

/* With the server gone the service is offline and retries after 10, 20, 40, then 80 ms
 * (the cap) again and again; once the server is back the next retry succeeds and the
 * delays start over. */
static void
test_offline_backoff (void **state)
{
  Fixture *f = *state;
  static const guint expected[] = { 10, 20, 40, 80, 80, 80 };

  wait_idle_after_start (f);
  payam_test_server_stop (f->ts);
  g_array_set_size (f->delays, 0);

  payam_sync_service_sync_now (f->service);
  wait_rounds (f, 1 + G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_int_equal (g_array_index (f->delays, guint, i), expected[i]);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_OFFLINE);
  assert_false (payam_sync_service_get_online (f->service));
  assert_string_equal (payam_sync_service_get_message (f->service),
                       _("The office server cannot be reached. Changes stay on this "
                         "device and are sent when the connection is back."));
  /* The last successful round is still shown. */
  assert_non_null (payam_sync_service_get_last_sync (f->service));

  payam_test_server_restart (f->ts);
  while (payam_sync_service_get_state (f->service) != PAYAM_SYNC_STATE_IDLE)
    wait_rounds (f, f->rounds + 1);
  assert_true (payam_sync_service_get_online (f->service));
  assert_null (payam_sync_service_get_message (f->service));
  assert_int_equal (payam_sync_service_get_retry_delay (f->service), 0);
}

/* A revoked device fails with a sentence that says what to do, translated. */
static void
test_revoked (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *msgid = "The office server no longer accepts this device: its access was "
                      "revoked. Enrol it again with a new code from the office.";
  const char *message;

  wait_idle_after_start (f);
  if (!payam_store_revoke_device (f->ts->store, payam_store_get_device_id (f->device), &error))
    fail_msg ("%s", error->message);

  payam_sync_service_sync_now (f->service);
  wait_rounds (f, 2);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_FAILED);
  assert_true (payam_sync_service_get_online (f->service));
  assert_int_equal (payam_sync_service_get_retry_delay (f->service), 10);
  message = payam_sync_service_get_message (f->service);
  assert_non_null (message);
  assert_string_equal (message, _(msgid));
  /* LANGUAGE=fa (set in main): Persian once po/fa.po has the sentence. */
  if (strcmp (message, msgid) == 0)
    printf ("# the Persian catalogue does not have the revocation sentence yet\n");
  else
    assert_non_null (strstr (message, "دستگاه"));
}

/* A device that is not enrolled runs no round, even when asked. */
static void
test_not_enrolled (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->ts->dir, "lonely.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (path, &error);
  g_autoptr(PayamSyncService) service = NULL;

  assert_non_null (store);
  service = make_service (f, store);
  assert_int_equal (payam_sync_service_get_state (service), PAYAM_SYNC_STATE_NOT_ENROLLED);
  payam_sync_service_start (service);
  payam_sync_service_sync_now (service);
  assert_int_equal (payam_sync_service_get_state (service), PAYAM_SYNC_STATE_NOT_ENROLLED);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_int_equal (f->rounds, 0);
  payam_sync_service_stop (service);
}

static void
track_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gpointer *out = user_data;
  GError *error = NULL;

  out[0] = payam_sync_service_track_finish (PAYAM_SYNC_SERVICE (source), result, &error);
  out[1] = error;
}

/* The public status of a request from the server, and a code it does not know. */
static void
test_track (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "آب‌گرفتگی در کوچه", .category = "surface-water", .neighbourhood = "tohid",
  };
  gpointer out[2] = { NULL, NULL };
  g_autoptr(PayamSyncTrackReply) reply = NULL;

  request = payam_store_add_request (f->device, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  wait_idle_after_start (f);

  payam_sync_service_track_async (f->service, request->tracking_code, NULL, track_done, out);
  while (out[0] == NULL && out[1] == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = out[0];
  if (reply == NULL)
    fail_msg ("%s", ((GError *) out[1])->message);
  assert_string_equal (reply->tracking_code, request->tracking_code);
  assert_string_equal (reply->status, "registered");

  out[0] = out[1] = NULL;
  payam_sync_service_track_async (f->service, "9999-0000-0000", NULL, track_done, out);
  while (out[0] == NULL && out[1] == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_null (out[0]);
  error = out[1];
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_background_change, setup, teardown),
    cmocka_unit_test_setup_teardown (test_main_loop_runs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_upload_fraction, setup, teardown),
    cmocka_unit_test_setup_teardown (test_offline_backoff, setup, teardown),
    cmocka_unit_test_setup_teardown (test_revoked, setup, teardown),
    cmocka_unit_test_setup_teardown (test_not_enrolled, setup, teardown),
    cmocka_unit_test_setup_teardown (test_track, setup, teardown),
  };

  /* Messages people read, in Persian when the build's catalogue has them. */
  g_setenv ("LANGUAGE", "fa", TRUE);
  setlocale (LC_ALL, "");
  if (g_getenv ("PAYAM_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return cmocka_run_group_tests_name ("sync-service", tests, NULL, NULL);
}
