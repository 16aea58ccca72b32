/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end test of payamctl's crew commands (issue #12): crew add, crew member add,
 * crew list, assign and enrol-code --role crew --crew. The built binary runs on a
 * temporary database, which the test then reads through the core. */
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
#include <sqlite3.h>

#include "payam-test-ctl.h"
#include "payam-crew-sheets.h"
#include "payam-secret.h"
#include "payam-store-crews.h"
#include "payam-store-devices.h"

static char *payamctl_path;

static const char fixture_jsonl[] =
  "{\"text\": \"چاله بزرگ وسط خیابان توحید جلوی نانوایی\", \"category\": \"asphalt\", "
  "\"neighbourhood\": \"tohid\", \"created_at\": \"2026-11-20T08:00:00Z\", "
  "\"channel\": \"kiosk\", \"phone\": \"09121234567\"}\n";

typedef CtlFixture Fixture;

/* payamctl --db DB of @f, run in its folder (payam-test-ctl.h). */
#define ctl_run(f, run, ...) \
  payam_test_ctl_run_db ((run), payamctl_path, (f)->dir, (f)->db, __VA_ARGS__)

/* The last line of @out, without its newline (caller owns it). */
static char *
last_line (const char *out)
{
  g_autofree char *text = g_strchomp (g_strdup (out));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  return n > 0 ? g_strdup (lines[n - 1]) : NULL;
}

static int
setup (void **state)
{
  *state = payam_test_ctl_fixture_new (payamctl_path, "payamctl-crew", fixture_jsonl);
  return 0;
}

static int
teardown (void **state)
{
  payam_test_ctl_fixture_free (*state);
  return 0;
}

/* The office sets up a crew and a member, lists them, gives a request's worksheet to the
 * crew by name and makes an enrolment code bound to it; bad input says what to fix. */
static void
test_crew_commands (void **state)
{
  Fixture *f = *state;
  g_auto(CtlRun) add = { 0 };
  g_auto(CtlRun) member = { 0 };
  g_auto(CtlRun) bad_pin = { 0 };
  g_auto(CtlRun) no_crew = { 0 };
  g_auto(CtlRun) list = { 0 };
  g_auto(CtlRun) assign = { 0 };
  g_auto(CtlRun) enrol = { 0 };
  g_auto(CtlRun) usage = { 0 };
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GListModel) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *member_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;

  ctl_run (f, &add, "crew", "add", "--name", "اکیپ آسفالت ۱", NULL);
  if (add.status != 0)
    fail_msg ("crew add: %s", add.err);
  crew_id = last_line (add.out);
  assert_int_equal (strlen (crew_id), 36);

  ctl_run (f, &member, "crew", "member", "add", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           "--pin", "۲۴۶۸", NULL);
  if (member.status != 0)
    fail_msg ("member add: %s", member.err);
  member_id = last_line (member.out);

  ctl_run (f, &bad_pin, "crew", "member", "add", crew_id, "--name", "علی", "--pin", "12",
           NULL);
  assert_int_equal (bad_pin.status, 1);
  assert_non_null (strstr (bad_pin.err, "PIN"));
  ctl_run (f, &no_crew, "crew", "member", "add", "اکیپ نیست", "--name", "علی", "--pin",
           "1234", NULL);
  assert_int_equal (no_crew.status, 1);
  ctl_run (f, &usage, "crew", "remove", NULL);
  assert_int_equal (usage.status, 2);

  ctl_run (f, &list, "crew", "list", NULL);
  assert_int_equal (list.status, 0);
  assert_non_null (strstr (list.out, "اکیپ آسفالت ۱"));
  assert_non_null (strstr (list.out, crew_id));
  assert_non_null (strstr (list.out, "مریم احمدی"));
  assert_null (strstr (list.out, "علی"));

  {
    g_autoptr(PayamStore) s = payam_store_open (f->db, &error);

    assert_non_null (s);
    /* The server's certificate, as payam-server writes it at its first start. */
    assert_true (payam_store_set_server_fingerprint (s, "0123456789abcdef0123456789abcdef"
                                                     "0123456789abcdef0123456789abcdef", &error));
  }
  {
    g_auto(CtlRun) export = { 0 };
    g_auto(GStrv) fields = NULL;
    const char *at;

    ctl_run (f, &export, "export", NULL);
    assert_int_equal (export.status, 0);
    at = strstr (export.out, "\"tracking_code\":");
    assert_non_null (at);
    fields = g_strsplit (at + strlen ("\"tracking_code\":"), "\"", 3);
    code = g_strdup (fields[1]);
  }

  ctl_run (f, &assign, "assign", code, "--crew", "اکیپ آسفالت ۱", NULL);
  if (assign.status != 0)
    fail_msg ("assign: %s", assign.err);
  ctl_run (f, &enrol, "enrol-code", "--role", "crew", "--crew", "اکیپ آسفالت ۱", NULL);
  if (enrol.status != 0)
    fail_msg ("enrol-code: %s", enrol.err);

  store = payam_store_open (f->db, &error);
  assert_non_null (store);
  members = payam_store_list_crew_members (store, crew_id, &error);
  assert_int_equal (members->len, 1);
  assert_string_equal (((PayamCrewPerson *) members->pdata[0])->id, member_id);
  name = payam_store_crew_sign_in (store, member_id, "2468", &error);
  assert_string_equal (name, "مریم احمدی");
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    /* The code is bound to the crew named. */
    assert_int_equal (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal (sqlite3_prepare_v2 (db, "SELECT crew_id FROM enrol_code WHERE role = "
                                          "'crew'", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
    assert_string_equal ((const char *) sqlite3_column_text (stmt, 0), crew_id);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  sheets = payam_store_list_crew_sheets (store, crew_id, &error);
  assert_int_equal (g_list_model_get_n_items (sheets), 1);
  {
    g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (sheets, 0);

    assert_string_equal (payam_crew_sheet_get_info (sheet)->tracking_code, code);
    assert_string_equal (payam_crew_sheet_get_info (sheet)->status, "assigned");
  }
}

/* crew member disable|enable|pin CREW --name NAME: a disabled member cannot sign in, is
 * listed as disabled, and signs in again when enabled; a new PIN (any digit form) replaces
 * the old. An unknown member or crew, a bad PIN, a missing option change nothing. */
static void
test_member_changes (void **state)
{
  Fixture *f = *state;
  g_auto(CtlRun) add = { 0 };
  g_auto(CtlRun) member = { 0 };
  g_auto(CtlRun) disable = { 0 };
  g_auto(CtlRun) list = { 0 };
  g_auto(CtlRun) enable = { 0 };
  g_auto(CtlRun) pin = { 0 };
  g_auto(CtlRun) bad_pin = { 0 };
  g_auto(CtlRun) unknown = { 0 };
  g_auto(CtlRun) no_crew = { 0 };
  g_auto(CtlRun) no_pin = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *member_id = NULL;

  ctl_run (f, &add, "crew", "add", "--name", "اکیپ آسفالت ۱", NULL);
  assert_int_equal (add.status, 0);
  ctl_run (f, &member, "crew", "member", "add", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           "--pin", "۲۴۶۸", NULL);
  assert_int_equal (member.status, 0);
  member_id = last_line (member.out);

  ctl_run (f, &disable, "crew", "member", "disable", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           NULL);
  if (disable.status != 0)
    fail_msg ("member disable: %s", disable.err);
  ctl_run (f, &list, "crew", "list", NULL);
  assert_non_null (strstr (list.out, "disabled"));
  {
    g_autoptr(PayamStore) s = payam_store_open (f->db, &error);

    assert_null (payam_store_crew_sign_in (s, member_id, "2468", &error));
    assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_DISABLED));
    g_clear_error (&error);
  }
  ctl_run (f, &enable, "crew", "member", "enable", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           NULL);
  assert_int_equal (enable.status, 0);

  ctl_run (f, &bad_pin, "crew", "member", "pin", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           "--pin", "12", NULL);
  assert_int_equal (bad_pin.status, 1);
  ctl_run (f, &unknown, "crew", "member", "pin", "اکیپ آسفالت ۱", "--name", "کسی",
           "--pin", "1357", NULL);
  assert_int_equal (unknown.status, 1);
  ctl_run (f, &no_crew, "crew", "member", "disable", "اکیپ نیست", "--name", "مریم احمدی",
           NULL);
  assert_int_equal (no_crew.status, 1);
  ctl_run (f, &no_pin, "crew", "member", "pin", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           NULL);
  assert_int_equal (no_pin.status, 2);
  {
    g_autoptr(PayamStore) s = payam_store_open (f->db, &error);
    g_autofree char *name = payam_store_crew_sign_in (s, member_id, "2468", &error);

    if (name == NULL)
      fail_msg ("enabled, the old PIN: %s", error->message);
  }
  ctl_run (f, &pin, "crew", "member", "pin", "اکیپ آسفالت ۱", "--name", "مریم احمدی",
           "--pin", "۱۳۵۷", NULL);
  if (pin.status != 0)
    fail_msg ("member pin: %s", pin.err);
  {
    g_autoptr(PayamStore) s = payam_store_open (f->db, &error);
    g_autofree char *name = NULL;

    assert_null (payam_store_crew_sign_in (s, member_id, "2468", &error));
    g_clear_error (&error);
    name = payam_store_crew_sign_in (s, member_id, "1357", &error);
    if (name == NULL)
      fail_msg ("the new PIN: %s", error->message);
  }
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_crew_commands, setup, teardown),
    cmocka_unit_test_setup_teardown (test_member_changes, setup, teardown),
  };

  if (argc < 2)
    {
      g_printerr ("usage: %s PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-crew", tests, NULL, NULL);
}
