/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end test of payamctl search and staff on a temporary database. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "payam-queue-item.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-store-triage.h"
#include "payam-store.h"
#include "payam-test-ctl.h"

static char *payamctl_path;

/* An open manhole with the reporter's phone, a street light without. */
static const char fixture_jsonl[] =
  "{\"text\": \"درب فاضلاب جلوی مسجد باز مانده و خطرناک است\", \"category\": \"surface-water\", "
  "\"neighbourhood\": \"tohid\", \"created_at\": \"2026-11-20T08:00:00Z\", "
  "\"channel\": \"kiosk\", \"phone\": \"09121234567\"}\n"
  "{\"text\": \"لامپ تیر برق کوچه بهار سوخته و شب‌ها تاریک است\", "
  "\"category\": \"lighting\", \"neighbourhood\": \"tohid\", \"created_at\": "
  "\"2026-11-20T11:00:00Z\", \"channel\": \"kiosk\"}\n";

typedef CtlFixture Fixture;

/* payamctl --db DB of @f, run in its folder (payam-test-ctl.h). */
#define ctl_run(f, run, ...) \
  payam_test_ctl_run_db ((run), payamctl_path, (f)->dir, (f)->db, __VA_ARGS__)

/* search --json QUERY: the tracking codes found, in order, joined with spaces. */
static char *
search_codes (Fixture    *f,
              const char *query)
{
  g_auto(CtlRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);
  JsonArray *array;

  ctl_run (f, &run, "search", "--json", query, NULL);
  if (run.status != 0)
    fail_msg ("search %s failed (%d): %s", query, run.status, run.err);
  if (!json_parser_load_from_data (parser, run.out, -1, &error))
    fail_msg ("search wrote no JSON: %s\n%s", error->message, run.out);
  assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (i > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, json_object_get_string_member (o, "tracking_code"));
      assert_non_null (json_object_get_string_member (o, "status"));
      assert_non_null (json_object_get_string_member (o, "text"));
    }
  return g_string_free (g_steal_pointer (&codes), FALSE);
}

static int
setup (void **state)
{
  *state = payam_test_ctl_fixture_new (payamctl_path, "payamctl-office", fixture_jsonl);
  return 0;
}

static int
teardown (void **state)
{
  payam_test_ctl_fixture_free (*state);
  return 0;
}

/* A code in any digit form, a phone with separators, words: the same search as the office. */
static void
test_search (void **state)
{
  Fixture *f = *state;
  g_autofree char *all = search_codes (f, "است");
  g_auto(GStrv) codes = g_strsplit (all, " ", -1);
  g_autofree char *light = NULL;
  g_autofree char *manhole = NULL;
  g_autoptr(GString) persian = g_string_new (NULL);
  g_auto(CtlRun) text = { 0 };
  g_auto(CtlRun) none = { 0 };
  g_auto(CtlRun) usage = { 0 };

  /* Newest first: the light, then the manhole. */
  assert_int_equal (g_strv_length (codes), 2);
  light = search_codes (f, "لامپ");
  manhole = search_codes (f, "فاضلاب");
  assert_string_equal (light, codes[0]);
  assert_string_equal (manhole, codes[1]);

  for (const char *p = light; *p != '\0'; p++)
    {
      g_string_append_unichar (persian, 0x06F0 + (*p - '0'));
      if (p - light == 3 || p - light == 10)
        g_string_append_c (persian, '-');
    }
  {
    g_autofree char *got = search_codes (f, persian->str);

    assert_string_equal (got, light);
  }
  {
    g_autofree char *got = search_codes (f, "0912 123 45 67");

    assert_string_equal (got, manhole);
  }
  {
    g_autofree char *got = search_codes (f, "+98-912-123-4567");

    assert_string_equal (got, manhole);
  }
  {
    g_autofree char *got = search_codes (f, "درخت");

    assert_string_equal (got, "");
  }

  /* Text output: one line per message with its code. */
  ctl_run (f, &text, "search", "كوچه", NULL);
  assert_int_equal (text.status, 0);
  assert_non_null (strstr (text.out, light));
  assert_null (strstr (text.out, manhole));
  ctl_run (f, &none, "search", "درخت", NULL);
  assert_int_equal (none.status, 0);
  assert_non_null (strstr (none.out, "No message matches"));
  ctl_run (f, &usage, "search", NULL);
  assert_int_equal (usage.status, 2);
}

/* staff add, list, disable: the password comes from a file and is never stored as typed. */
static void
test_staff (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_build_filename (f->dir, "password", NULL);
  g_autofree char *weak = g_build_filename (f->dir, "weak", NULL);
  g_auto(CtlRun) add = { 0 };
  g_auto(CtlRun) again = { 0 };
  g_auto(CtlRun) boss = { 0 };
  g_auto(CtlRun) short_one = { 0 };
  g_auto(CtlRun) bad_role = { 0 };
  g_auto(CtlRun) list = { 0 };
  g_auto(CtlRun) disable = { 0 };
  g_auto(CtlRun) list_after = { 0 };
  g_auto(CtlRun) unknown = { 0 };
  g_auto(CtlRun) no_file = { 0 };
  g_autofree char *db_text = NULL;
  gsize db_len = 0;

  assert_true (g_file_set_contents (password, "گذرواژهٔ دفتر ۱۳۷\n", -1, &error));
  assert_true (g_file_set_contents (weak, "1234\n", -1, &error));

  ctl_run (f, &add, "staff", "add", "--name", "مریم احمدی", "--role", "office",
           "--password-file", password, NULL);
  if (add.status != 0)
    fail_msg ("staff add: %s", add.err);
  ctl_run (f, &boss, "staff", "add", "--name", "زهرا کریمی", "--role", "supervisor",
           "--password-file", password, NULL);
  assert_int_equal (boss.status, 0);
  ctl_run (f, &again, "staff", "add", "--name", "مریم احمدی", "--role", "office",
           "--password-file", password, NULL);
  assert_int_equal (again.status, 1);
  assert_non_null (strstr (again.err, "already exists"));
  ctl_run (f, &short_one, "staff", "add", "--name", "کسی", "--role", "office",
           "--password-file", weak, NULL);
  assert_int_equal (short_one.status, 1);
  ctl_run (f, &bad_role, "staff", "add", "--name", "کسی", "--role", "crew",
           "--password-file", password, NULL);
  assert_int_equal (bad_role.status, 2);
  ctl_run (f, &no_file, "staff", "add", "--name", "کسی", "--role", "office",
           "--password-file", "/nonexistent/password", NULL);
  assert_int_equal (no_file.status, 1);

  ctl_run (f, &list, "staff", "list", NULL);
  assert_int_equal (list.status, 0);
  assert_non_null (strstr (list.out, "مریم احمدی\toffice\tactive"));
  assert_non_null (strstr (list.out, "زهرا کریمی\tsupervisor\tactive"));
  assert_null (strstr (list.out, "کسی"));

  ctl_run (f, &disable, "staff", "disable", "مریم احمدی", NULL);
  assert_int_equal (disable.status, 0);
  ctl_run (f, &list_after, "staff", "list", NULL);
  assert_non_null (strstr (list_after.out, "مریم احمدی\toffice\tdisabled"));
  ctl_run (f, &unknown, "staff", "disable", "کسی", NULL);
  assert_int_equal (unknown.status, 1);

  /* The password is nowhere in the database file as typed. */
  assert_true (g_file_get_contents (f->db, &db_text, &db_len, &error));
  assert_null (g_strstr_len (db_text, db_len, "گذرواژهٔ دفتر"));
}

/* staff enable NAME and staff password NAME --password-file FILE: a disabled account signs
 * in again; a new password replaces the old (read from the file, stored only as a hash); an
 * unknown name, a short password, a missing file or no file option change nothing. */
static void
test_staff_changes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_build_filename (f->dir, "password", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh", NULL);
  g_autofree char *weak = g_build_filename (f->dir, "weak", NULL);
  g_auto(CtlRun) add = { 0 };
  g_auto(CtlRun) disable = { 0 };
  g_auto(CtlRun) enable = { 0 };
  g_auto(CtlRun) list = { 0 };
  g_auto(CtlRun) unknown = { 0 };
  g_auto(CtlRun) change = { 0 };
  g_auto(CtlRun) short_one = { 0 };
  g_auto(CtlRun) no_file = { 0 };
  g_auto(CtlRun) usage = { 0 };
  g_auto(CtlRun) help = { 0 };
  g_autofree char *db_text = NULL;
  gsize db_len = 0;

  assert_true (g_file_set_contents (password, "گذرواژهٔ دفتر ۱۳۷\n", -1, &error));
  assert_true (g_file_set_contents (fresh, "گذرواژهٔ تازهٔ ۱۴۰۵\n", -1, &error));
  assert_true (g_file_set_contents (weak, "1234\n", -1, &error));
  ctl_run (f, &add, "staff", "add", "--name", "مریم احمدی", "--role", "office",
           "--password-file", password, NULL);
  assert_int_equal (add.status, 0);

  ctl_run (f, &disable, "staff", "disable", "مریم احمدی", NULL);
  assert_int_equal (disable.status, 0);
  ctl_run (f, &enable, "staff", "enable", "مریم احمدی", NULL);
  if (enable.status != 0)
    fail_msg ("staff enable: %s", enable.err);
  ctl_run (f, &list, "staff", "list", NULL);
  assert_non_null (strstr (list.out, "مریم احمدی\toffice\tactive"));
  ctl_run (f, &unknown, "staff", "enable", "کسی", NULL);
  assert_int_equal (unknown.status, 1);

  ctl_run (f, &short_one, "staff", "password", "مریم احمدی", "--password-file", weak, NULL);
  assert_int_equal (short_one.status, 1);
  ctl_run (f, &no_file, "staff", "password", "مریم احمدی", "--password-file",
           "/nonexistent/password", NULL);
  assert_int_equal (no_file.status, 1);
  ctl_run (f, &usage, "staff", "password", "مریم احمدی", NULL);
  assert_int_equal (usage.status, 2);
  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(PayamStaff) in = payam_store_sign_in (store, "مریم احمدی", "گذرواژهٔ دفتر ۱۳۷",
                                                    &error);

    if (in == NULL)
      fail_msg ("the old password after refused changes: %s", error->message);
  }
  ctl_run (f, &change, "staff", "password", "مریم احمدی", "--password-file", fresh, NULL);
  if (change.status != 0)
    fail_msg ("staff password: %s", change.err);
  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(PayamStaff) old = payam_store_sign_in (store, "مریم احمدی", "گذرواژهٔ دفتر ۱۳۷",
                                                     NULL);
    g_autoptr(PayamStaff) in = payam_store_sign_in (store, "مریم احمدی", "گذرواژهٔ تازهٔ ۱۴۰۵",
                                                    &error);

    assert_null (old);
    if (in == NULL)
      fail_msg ("the new password: %s", error->message);
  }
  ctl_run (f, &help, "staff", "--help", NULL);
  assert_non_null (strstr (help.out, "staff enable NAME"));
  assert_non_null (strstr (help.out, "staff password NAME --password-file FILE"));

  assert_true (g_file_get_contents (f->db, &db_text, &db_len, &error));
  assert_null (g_strstr_len (db_text, db_len, "گذرواژهٔ تازهٔ"));
}

/* reopen: an office account is refused (exit 1, nothing changes), a wrong password too;
 * the supervisor reopens a rejected message with a reason and it is triaged again. */
static void
test_reopen (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_build_filename (f->dir, "password", NULL);
  g_autofree char *wrong = g_build_filename (f->dir, "wrong", NULL);
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  g_auto(CtlRun) clerk = { 0 };
  g_auto(CtlRun) boss = { 0 };
  g_auto(CtlRun) refused = { 0 };
  g_auto(CtlRun) bad_password = { 0 };
  g_auto(CtlRun) done = { 0 };
  g_auto(CtlRun) usage = { 0 };

  assert_true (g_file_set_contents (password, "گذرواژهٔ دفتر ۱۳۷\n", -1, &error));
  assert_true (g_file_set_contents (wrong, "گذرواژهٔ نادرست\n", -1, &error));
  ctl_run (f, &clerk, "staff", "add", "--name", "مریم احمدی", "--role", "office",
           "--password-file", password, NULL);
  assert_int_equal (clerk.status, 0);
  ctl_run (f, &boss, "staff", "add", "--name", "زهرا کریمی", "--role", "supervisor",
           "--password-file", password, NULL);
  assert_int_equal (boss.status, 0);
  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(GPtrArray) first = NULL;

    assert_non_null (store);
    first = payam_store_queue_fetch (store, PAYAM_QUEUE_ALL, 0, 1, &error);
    assert_int_equal (first->len, 1);
    id = g_strdup (payam_queue_item_get_id (g_ptr_array_index (first, 0)));
    code = g_strdup (payam_queue_item_get_tracking_code (g_ptr_array_index (first, 0)));
    assert_true (payam_store_triage_reject (store, id, "کار شهرداری نیست", &error));
  }

  ctl_run (f, &refused, "reopen", code, "--as", "مریم احمدی", "--password-file", password,
           "--reason", "اشتباه رد شد", NULL);
  assert_int_equal (refused.status, 1);
  assert_non_null (strstr (refused.err, "supervisor"));
  ctl_run (f, &bad_password, "reopen", code, "--as", "زهرا کریمی", "--password-file", wrong,
           "--reason", "اشتباه رد شد", NULL);
  assert_int_equal (bad_password.status, 1);
  ctl_run (f, &usage, "reopen", code, NULL);
  assert_int_equal (usage.status, 2);
  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(PayamRequest) r = payam_store_get_request (store, id, &error);

    assert_int_equal (r->status, PAYAM_STATUS_REJECTED);
  }
  ctl_run (f, &done, "reopen", code, "--as", "زهرا کریمی", "--password-file", password,
           "--reason", "اشتباه رد شد", NULL);
  if (done.status != 0)
    fail_msg ("reopen: %s", done.err);
  {
    g_autoptr(PayamStore) store = payam_store_open (f->db, &error);
    g_autoptr(PayamRequest) r = payam_store_get_request (store, id, &error);

    assert_int_equal (r->status, PAYAM_STATUS_TRIAGED);
  }
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_search, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff_changes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reopen, setup, teardown),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s PATH-TO-PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-office", tests, NULL, NULL);
}
