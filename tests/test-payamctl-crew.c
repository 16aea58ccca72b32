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

#include "payam-crew-sheets.h"
#include "payam-secret.h"
#include "payam-store-crews.h"
#include "payam-store-devices.h"

static char *payamctl_path;

static const char fixture_jsonl[] =
  "{\"text\": \"چاله بزرگ وسط خیابان توحید جلوی نانوایی\", \"category\": \"asphalt\", "
  "\"neighbourhood\": \"tohid\", \"created_at\": \"2026-11-20T08:00:00Z\", "
  "\"channel\": \"kiosk\", \"phone\": \"09121234567\"}\n";

typedef struct {
  char *dir;
  char *db;
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} CtlRun;

static void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

/* Run payamctl --db DB with the NULL-terminated arguments, untranslated, in C.UTF-8. */
G_GNUC_NULL_TERMINATED
static void
ctl_run (Fixture    *f,
         CtlRun     *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, payamctl_path);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  assert_non_null (process);
  assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err,
                                              &error));
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                     : -1;
}

/* The last line of @out, without its newline (caller owns it). */
static char *
last_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (g_strchomp (g_strdup (out)), "\n", -1);
  guint n = g_strv_length (lines);

  return n > 0 ? g_strdup (lines[n - 1]) : NULL;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = NULL;
  g_auto(CtlRun) init = { 0 };
  g_auto(CtlRun) import = { 0 };

  f->dir = g_dir_make_tmp ("payamctl-crew-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db = g_build_filename (f->dir, "payam.db", NULL);
  jsonl = g_build_filename (f->dir, "requests.jsonl", NULL);
  assert_true (g_file_set_contents (jsonl, fixture_jsonl, -1, &error));
  ctl_run (f, &init, "init", NULL);
  assert_int_equal (init.status, 0);
  ctl_run (f, &import, "import", jsonl, NULL);
  if (import.status != 0)
    fail_msg ("import: %s", import.err);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f);
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

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_crew_commands, setup, teardown),
  };

  if (argc < 2)
    {
      g_printerr ("usage: %s PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-crew", tests, NULL, NULL);
}
