/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncStatus showing a real PayamSyncService (server on 127.0.0.1 over TLS): the
 * last-sync sentence with a Jalali date in Persian digits, what waits, progress, failure. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "payam-format.h"
#include "payam-request-item.h"
#include "payam-request-list.h"
#include "payam-request-row.h"
#include "payam-resources.h"
#include "payam-store-sync.h"
#include "payam-sync-status.h"
#include "payam-test-server.h"

#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

static const PayamSyncTiming test_timing = {
  .first_ms = 5,
  .debounce_ms = 20,
  .period_ms = 60 * 60 * 1000,
  .retry_min_ms = 10,
  .retry_max_ms = 80,
};

typedef struct {
  PayamTestServer  *ts;
  PayamStore       *device;
  PayamSyncService *service;
  GtkWidget        *status;
  GDateTime        *now;
  guint             rounds;
  guint             bar_checks;   /* progress notifications checked against the bar */
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
  f->rounds++;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->ts = payam_test_server_new ();
  f->device = payam_test_server_enrol (f->ts, "device.db", PAYAM_ROLE_OFFICE, NULL);
  /* 13:30 in Tehran on 8 Azar 1405. */
  f->now = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  f->service = payam_sync_service_new (f->device);
  payam_sync_service_set_timing (f->service, &test_timing);
  payam_sync_service_set_now_func (f->service, fixture_now, f);
  g_signal_connect (f->service, "round-finished", G_CALLBACK (round_finished), f);
  f->status = g_object_ref_sink (payam_sync_status_new ());
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->status);
  payam_sync_service_stop (f->service);
  g_clear_object (&f->service);
  g_clear_object (&f->device);
  payam_test_server_free (f->ts);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

static void
wait_count (guint *count,
            guint  rounds)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (*count < rounds)
    {
      if (g_get_monotonic_time () > limit)
        fail_msg ("only %u of %u sync rounds finished", *count, rounds);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_rounds (Fixture *f,
             guint    rounds)
{
  wait_count (&f->rounds, rounds);
}

static void
count_round (PayamSyncService *service,
             gboolean          moved,
             guint            *count)
{
  (*count)++;
}

/* The texts of the visible labels under @widget, in widget order. */
static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_label (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static gboolean
shows (GtkWidget  *widget,
       const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  collect_labels (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (strcmp (texts->pdata[i], text) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_shows (Fixture    *f,
              const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *all = NULL;

  collect_labels (f->status, texts);
  g_ptr_array_add (texts, NULL);
  all = g_strjoinv (" | ", (char **) texts->pdata);
  for (guint i = 0; texts->pdata[i] != NULL; i++)
    if (strcmp (texts->pdata[i], text) == 0)
      return;
  fail_msg ("“%s” is not shown; the labels are: %s", text, all);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---------------------------------------------------------------- tests */

/* Without a service the bar hides itself. */
static void
test_no_service (void **state)
{
  Fixture *f = *state;

  assert_false (gtk_widget_get_visible (f->status));
  payam_sync_status_set_service (PAYAM_SYNC_STATUS (f->status), f->service);
  assert_true (gtk_widget_get_visible (f->status));
  assert_ptr_equal (payam_sync_status_get_service (PAYAM_SYNC_STATUS (f->status)), f->service);
  payam_sync_status_set_service (PAYAM_SYNC_STATUS (f->status), NULL);
  assert_false (gtk_widget_get_visible (f->status));
}

/* Before any round: "not synced yet" and the changes and the photo waiting, counted in
 * Persian digits. After the round: the last-sync sentence with the Jalali date and time in
 * Persian digits, online, nothing waiting. */
static void
test_last_sync_and_waiting (void **state)
{
  Fixture *f = *state;
  g_autofree char *request_id = payam_test_request_with_photos (f->device, 1, 30);
  gint64 ops = payam_store_count_outbox (f->device, NULL);
  g_autofree char *ops_number = payam_format_number (ops);
  g_autofree char *ops_text = NULL;
  g_autofree char *photos_text = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *last = NULL;
  g_autoptr(PayamSyncService) fresh = payam_sync_service_new (f->device);

  /* The service made in setup counted before the request; this one counts it. */
  g_set_object (&f->service, fresh);
  payam_sync_service_set_timing (f->service, &test_timing);
  payam_sync_service_set_now_func (f->service, fixture_now, f);
  g_signal_connect (f->service, "round-finished", G_CALLBACK (round_finished), f);
  payam_sync_status_set_service (PAYAM_SYNC_STATUS (f->status), f->service);

  assert_true (ops >= 3);
  ops_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change", "%s changes",
                                           (gulong) ops),
                              ops_number);
  photos_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s photo", "%s photos", 1),
                                 "۱");
  waiting = g_strdup_printf (_("Waiting to send: %s and %s"), ops_text, photos_text);
  assert_non_null (strstr (waiting, ops_number));
  assert_shows (f, _("Not synced yet"));
  assert_shows (f, waiting);
  assert_shows (f, _("Offline"));

  payam_sync_service_start (f->service);
  wait_rounds (f, 1);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);

  last = g_strdup_printf (_("Last sync: %s"), "۸ آذر ۱۴۰۵، ۱۳:۳۰");
  assert_shows (f, last);
  assert_shows (f, _("Nothing waiting"));
  assert_shows (f, _("Online"));
  /* LANGUAGE=fa: the whole sentence is Persian once po/fa.po has it. */
  if (strcmp (_("Last sync: %s"), "Last sync: %s") == 0)
    printf ("# the Persian catalogue does not have the last-sync sentence yet\n");
  else
    assert_string_equal (last, "آخرین ارسال و دریافت: ۸ آذر ۱۴۰۵، ۱۳:۳۰");
}

static void
fraction_changed (PayamSyncService *service,
                  GParamSpec       *pspec,
                  Fixture          *f)
{
  GtkWidget *bar = find_type (f->status, GTK_TYPE_PROGRESS_BAR);
  double fraction = payam_sync_service_get_upload_fraction (service);

  assert_non_null (bar);
  assert_int_equal (gtk_widget_get_visible (bar), fraction > 0.0);
  assert_true (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)) == fraction);
  f->bar_checks++;
}

/* The progress bar follows the upload of two photos and hides when the round is over. */
static void
test_progress_bar (void **state)
{
  Fixture *f = *state;
  g_autofree char *request_id = NULL;

  payam_sync_status_set_service (PAYAM_SYNC_STATUS (f->status), f->service);
  /* Connected after the widget's own handler, so the bar is already updated here. */
  g_signal_connect (f->service, "notify::upload-fraction", G_CALLBACK (fraction_changed), f);
  payam_sync_service_start (f->service);
  wait_rounds (f, 1);

  request_id = payam_test_request_with_photos (f->device, 2, 40);
  payam_sync_service_sync_now (f->service);
  assert_shows (f, _("Syncing…"));
  wait_rounds (f, 2);
  /* Half-way, whole, then none. */
  assert_int_equal (f->bar_checks, 3);
  assert_false (gtk_widget_get_visible (find_type (f->status, GTK_TYPE_PROGRESS_BAR)));
}

/* A revoked device: "sync failed" and the sentence saying what to do. */
static void
test_failure_message (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;

  payam_sync_status_set_service (PAYAM_SYNC_STATUS (f->status), f->service);
  payam_sync_service_start (f->service);
  wait_rounds (f, 1);
  assert_true (payam_store_revoke_device (f->ts->store, payam_store_get_device_id (f->device),
                                          &error));
  payam_sync_service_sync_now (f->service);
  wait_rounds (f, 2);

  assert_shows (f, _("Sync failed"));
  assert_shows (f, payam_sync_service_get_message (f->service));
  /* The last good round is still shown. */
  assert_non_null (payam_sync_service_get_last_sync (f->service));
}

/* The item of @request_id in @list (transfer none). */
static PayamRequestItem *
find_item (PayamRequestList *list,
           const char       *request_id)
{
  GListModel *model = payam_request_list_get_model (list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PayamRequestItem) item = g_list_model_get_item (model, i);

      if (strcmp (payam_request_item_get_request (item)->id, request_id) == 0)
        return item;
    }
  fail_msg ("request %s is not listed", request_id);
  return NULL;
}

/* A kiosk's request reaches the office before its photo's bytes do: its row says the
 * photo is on its way (and the request without photos says nothing) until the kiosk has
 * uploaded the bytes and the office's next round has fetched them. */
static void
test_photo_pending (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) kiosk = payam_test_server_enrol (f->ts, "kiosk.db", PAYAM_ROLE_KIOSK,
                                                         NULL);
  g_autoptr(PayamSyncService) kiosk_service = NULL;
  g_autofree char *with_photo = payam_test_request_with_photos (kiosk, 1, 50);
  g_autofree char *without = payam_test_request_with_photos (kiosk, 0, 0);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (kiosk, 0, 0, NULL);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *list = g_object_ref_sink (payam_request_list_new ());
  GtkWidget *row = g_object_ref_sink (payam_request_row_new ());
  GtkWidget *plain_row = g_object_ref_sink (payam_request_row_new ());
  PayamRequestItem *item;
  guint kiosk_rounds = 0;

  /* The kiosk's records (not the bytes) reach the server. */
  assert_non_null (ops);
  if (!payam_store_sync_push (f->ts->store, payam_store_get_device_id (kiosk),
                              PAYAM_ROLE_KIOSK, NULL, ops, g_get_real_time () / 1000, &reply,
                              &error))
    fail_msg ("%s", error->message);
  assert_true (payam_store_sync_ack (kiosk, reply->acked_through, reply->results, reply->server_hlc, &error));

  payam_sync_service_start (f->service);
  wait_rounds (f, 1);
  assert_int_equal (payam_sync_service_get_state (f->service), PAYAM_SYNC_STATE_IDLE);

  assert_true (payam_request_list_reload (PAYAM_REQUEST_LIST (list), f->device, now, &error));
  assert_true (payam_request_items_mark_photo_pending (
                 payam_request_list_get_model (PAYAM_REQUEST_LIST (list)), f->device, &error));
  item = find_item (PAYAM_REQUEST_LIST (list), with_photo);
  assert_true (payam_request_item_get_photo_pending (item));
  payam_request_row_set_item (PAYAM_REQUEST_ROW (row), item, now);
  assert_true (shows (row, _("Photo on its way")));
  item = find_item (PAYAM_REQUEST_LIST (list), without);
  assert_false (payam_request_item_get_photo_pending (item));
  payam_request_row_set_item (PAYAM_REQUEST_ROW (plain_row), item, now);
  assert_false (shows (plain_row, _("Photo on its way")));

  /* The kiosk uploads the bytes; the office fetches them in its next round. */
  kiosk_service = payam_sync_service_new (kiosk);
  payam_sync_service_set_timing (kiosk_service, &test_timing);
  g_signal_connect (kiosk_service, "round-finished", G_CALLBACK (count_round), &kiosk_rounds);
  payam_sync_service_start (kiosk_service);
  wait_count (&kiosk_rounds, 1);
  assert_int_equal (payam_sync_service_get_waiting_photos (kiosk_service), 0);
  payam_sync_service_stop (kiosk_service);
  payam_sync_service_sync_now (f->service);
  wait_rounds (f, 2);

  /* The same item, marked again: the row follows it. */
  assert_true (payam_request_items_mark_photo_pending (
                 payam_request_list_get_model (PAYAM_REQUEST_LIST (list)), f->device, &error));
  assert_false (payam_request_item_get_photo_pending (find_item (PAYAM_REQUEST_LIST (list),
                                                                 with_photo)));
  assert_false (shows (row, _("Photo on its way")));

  g_object_unref (plain_row);
  g_object_unref (row);
  g_object_unref (list);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_no_service, setup, teardown),
    cmocka_unit_test_setup_teardown (test_last_sync_and_waiting, setup, teardown),
    cmocka_unit_test_setup_teardown (test_progress_bar, setup, teardown),
    cmocka_unit_test_setup_teardown (test_failure_message, setup, teardown),
    cmocka_unit_test_setup_teardown (test_photo_pending, setup, teardown),
  };

  setlocale (LC_ALL, "");

  /* cmocka 1.1.5 reports skip() as a failure, so the plan says it instead. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("1..0 # SKIP no display: run the ui suite under xvfb-run\n");
      return 0;
    }

  if (g_getenv ("PAYAM_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  /* The widget's template (PayamApplication registers it in the app). */
  payam_register_resource ();

  return cmocka_run_group_tests_name ("sync-status", tests, NULL, NULL);
}
