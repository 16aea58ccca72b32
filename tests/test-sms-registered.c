/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue #17's receipt (#14's "registered" outcome) end to end: a kiosk enrolled with the
 * built payam-server files a request with a phone (sealed on the kiosk) and one without,
 * and syncs; the fake Kavenegar gateway then receives exactly one text message, to that
 * phone, with the tracking code in Persian digits and nothing of the name or the
 * description. Syncing again and a restart of the server (SIGKILL) send nothing more: the
 * next request's message is the only other one.
 * Arguments: PAYAM-SERVER PAYAMCTL FAKE-GATEWAY-SCRIPT. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <json-glib/json-glib.h>

#include "payam-store.h"
#include "payam-test-ctl.h"
#include "payam-test-sms.h"
#include "payam-tracking.h"

#define PHONE_1 "09127770011"
#define PHONE_2 "09127770022"
#define NAME    "رضا احمدی"
#define TEXT    "دریچهٔ فاضلاب کوچه باز مانده است"

static const char *server_path, *payamctl_path, *gateway_script;

typedef struct {
  PayamTestSms *ts;
  char         *kiosk_db;
  guint         want_sent;   /* for all_delivered */
} Fixture;

/* payamctl @args… on @db; fails the test unless it exits 0. Its standard output. */
#define ctl_ok(f, db, ...) ctl_ok_run ((f), (db), __VA_ARGS__, NULL)

G_GNUC_NULL_TERMINATED
static char *
ctl_ok_run (Fixture    *f,
            const char *db,
            const char *first,
            ...)
{
  g_auto(CtlRun) run = { 0 };
  const char *args[8] = { NULL, };
  guint n = 0;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL && n < G_N_ELEMENTS (args) - 1;
       a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  payam_test_ctl_run_db (&run, payamctl_path, f->ts->dir, db, args[0], args[1], args[2],
                         args[3], args[4], args[5], args[6], NULL);
  if (run.status != 0)
    fail_msg ("payamctl %s: %s", first, run.err);
  return g_steal_pointer (&run.out);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *init = NULL;
  g_autofree char *enrolled = NULL;
  g_auto(GStrv) lines = NULL;

  f->ts = payam_test_sms_new (payamctl_path, "payam-sms-registered");
  f->kiosk_db = g_build_filename (f->ts->dir, "kiosk.db", NULL);
  payam_test_sms_start_gateway (f->ts, gateway_script, NULL);
  payam_test_sms_start_server (f->ts, server_path, 10, 100, 1);

  /* A kiosk enrolled with a one-time code: it seals the contacts it takes. */
  init = ctl_ok (f, f->kiosk_db, "init");
  out = ctl_ok (f, f->ts->db, "enrol-code", "--role", "kiosk", "--ttl", "1");
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  url = g_strdup_printf ("https://127.0.0.1:%u", f->ts->port);
  enrolled = ctl_ok (f, f->kiosk_db, "enrol", url, lines[g_strv_length (lines) - 1]);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_test_sms_free (f->ts);
  g_free (f->kiosk_db);
  g_free (f);
  return 0;
}

/* A request filed on the kiosk, as its flow does; its tracking code (canonical). */
static char *
file_request (Fixture    *f,
              const char *phone,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) kiosk = payam_store_open (f->kiosk_db, &error);
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft = {
    .text = TEXT, .category = "manhole-sewer", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK, .phone = phone, .name = name,
  };

  if (kiosk == NULL)
    fail_msg ("kiosk: %s", error->message);
  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL)
    fail_msg ("add: %s", error->message);
  /* Sealed: the kiosk keeps no phone in clear. */
  assert_null (request->phone);
  return g_strdup (request->tracking_code);
}

/* The gateway has sent f->want_sent messages and every one is reported delivered. */
static gboolean
all_delivered (gpointer data)
{
  Fixture *f = data;

  return payam_test_sms_record_lines (f->ts) >= f->want_sent &&
         payam_test_sms_query_int (f->ts, "SELECT count (*) FROM notice WHERE kind = "
                                          "'registered' AND state = 'sent'") ==
         (gint64) f->want_sent;
}

/* Line @i of the gateway's record, parsed. */
static JsonObject *
record_line (Fixture *f,
             guint    i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  assert_true (g_file_get_contents (f->ts->record, &text, NULL, &error));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  assert_true (i < g_strv_length (lines));
  assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The message to @phone carries @code as the template gives it (Persian digits isolated
 * left to right) and nothing of the citizen's name, number or words. */
static void
assert_message (JsonObject *o,
                const char *phone,
                const char *code)
{
  const char *message = json_object_get_string_member (o, "message");
  g_autofree char *shown = payam_tracking_code_format_inline (code);

  print_message ("# message: %s\n", message);
  assert_string_equal (json_object_get_string_member (o, "receptor"), phone);
  if (strstr (message, shown) == NULL)
    fail_msg ("no code %s in «%s»", shown, message);
  assert_null (strstr (message, NAME));
  assert_null (strstr (message, "احمدی"));
  assert_null (strstr (message, phone));
  assert_null (strstr (message, "فاضلاب"));
  assert_null (strstr (message, code));  /* not in Latin digits either */
  /* The server speaks Persian (main() asks for it), from the registered template. */
  assert_non_null (strstr (message, "ثبت شد"));
}

static void
test_registered_by_text (void **state)
{
  Fixture *f = *state;
  g_autofree char *code = file_request (f, PHONE_1, NAME);
  g_autofree char *no_phone = file_request (f, NULL, NULL);
  g_autofree char *sync1 = NULL;
  g_autofree char *sync2 = NULL;
  g_autofree char *sync3 = NULL;
  g_autofree char *code2 = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;

  sync1 = ctl_ok (f, f->kiosk_db, "sync");
  f->want_sent = 1;
  payam_test_sms_wait_for (all_delivered, f, "the registered message is delivered");
  assert_int_equal (payam_test_sms_record_lines (f->ts), 1);
  first = record_line (f, 0);
  assert_message (first, PHONE_1, code);
  /* The citizen without a phone has the receipt: no notice at all. */
  assert_int_equal (payam_test_sms_query_int (f->ts, "SELECT count (*) FROM notice n JOIN "
                                                     "request r ON r.id = n.request_id WHERE "
                                                     "r.tracking_code = '%s'", no_phone), 0);
  assert_int_equal (payam_test_sms_query_int (f->ts, "SELECT count (*) FROM notice"), 1);

  /* Sync again, kill the server and start it again, then a second citizen with a phone:
   * their message is the only other one that goes. */
  sync2 = ctl_ok (f, f->kiosk_db, "sync");
  payam_test_sms_stop (&f->ts->server);
  payam_test_sms_start_server (f->ts, server_path, 10, 100, 1);
  code2 = file_request (f, PHONE_2, NULL);
  sync3 = ctl_ok (f, f->kiosk_db, "sync");
  f->want_sent = 2;
  payam_test_sms_wait_for (all_delivered, f, "the second registered message is delivered");
  assert_int_equal (payam_test_sms_record_lines (f->ts), 2);
  second = record_line (f, 1);
  assert_message (second, PHONE_2, code2);
  assert_string_not_equal (json_object_get_string_member (first, "localid"),
                           json_object_get_string_member (second, "localid"));
  assert_int_equal (payam_test_sms_query_int (f->ts, "SELECT count (*) FROM notice"), 2);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_registered_by_text, setup, teardown),
  };

  if (argc < 4)
    {
      g_printerr ("usage: %s PAYAM-SERVER PAYAMCTL FAKE-GATEWAY\n", argv[0]);
      return 2;
    }
  /* payam-server in Persian, as it runs for the district (payamctl runs untranslated). */
  g_setenv ("LANGUAGE", "fa", TRUE);
  server_path = argv[1];
  payamctl_path = argv[2];
  gateway_script = argv[3];
  if (!payam_test_sms_can_run ())
    {
      g_print ("1..0 # SKIP needs /usr/bin/python3, openssl and curl\n");
      return 0;
    }
  return cmocka_run_group_tests_name ("sms-registered", tests, NULL, NULL);
}
