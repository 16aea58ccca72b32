/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end test of payamctl coverage (issue #14): a store built through the core (a group
 * of three citizens, one without a phone, and a single), then the built binary's figures
 * as JSON and for people while the server's queue delivers, fails and a code is looked up. */
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

#include "payam-store-feedback.h"
#include "payam-store-groups.h"
#include "payam-store-worksheets.h"

static char *payamctl_path;

typedef struct {
  char *dir;
  char *db;
} Fixture;

/* Run payamctl --db DB with the NULL-terminated arguments in C.UTF-8; its stdout into
 * *@out (caller owns it); returns the exit status. */
G_GNUC_NULL_TERMINATED
static int
ctl_run (Fixture    *f,
         char      **out,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
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
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  assert_non_null (process);
  assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error));
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* payamctl coverage --json, parsed. */
static JsonObject *
coverage_json (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  assert_int_equal (ctl_run (f, &out, "coverage", "--json", NULL), 0);
  if (!json_parser_load_from_data (parser, out, -1, &error))
    fail_msg ("coverage --json: %s\n%s", error->message, out);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static PayamStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (f->db, &error);

  if (store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_actor (store, "test");
  return store;
}

static char *
add (PayamStore *store,
     const char *category,
     const char *phone)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ وسط خیابان توحید", .category = category, .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK, .phone = phone,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (store, &draft, &error);

  if (r == NULL)
    fail_msg ("add: %s", error->message);
  return g_strdup (r->id);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  f->dir = g_dir_make_tmp ("payamctl-coverage-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db = g_build_filename (f->dir, "payam.db", NULL);
  assert_int_equal (ctl_run (f, &out, "init", NULL), 0);
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

/* The figures follow the store: all owed and queued, then one delivered, one failed with
 * its reason listed, the one without a phone looked up: 3 of 4 told, 75 %. */
static void
test_coverage (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *out = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  JsonArray *not_told;

  {
    g_autoptr(PayamStore) store = open_store (f);
    g_autofree char *crew = payam_store_add_crew (store, "اکیپ ۱", "tohid", &error);
    g_autofree char *g1 = NULL, *g2 = NULL, *act1 = NULL, *act2 = NULL;
    PayamActionDraft done = { .kind = PAYAM_ACTION_DONE, .public_words = "چاله پر شد" };

    a = add (store, "asphalt", "09121234567");
    b = add (store, "asphalt", "09351112233");
    c = add (store, "asphalt", NULL);
    d = add (store, "lighting", "09131112233");
    g1 = payam_store_merge (store, a, b, FALSE, &error);
    g2 = payam_store_merge (store, a, c, FALSE, &error);
    assert_non_null (g2);
    assert_true (payam_store_assign_crew (store, a, crew, &error));
    assert_true (payam_store_assign_crew (store, d, crew, &error));
    act1 = payam_store_add_action (store, a, &done, PAYAM_ROLE_OFFICE, &error);
    act2 = payam_store_add_action (store, d, &done, PAYAM_ROLE_OFFICE, &error);
    assert_non_null (act2);
  }

  o = coverage_json (f);
  assert_int_equal (json_object_get_int_member (o, "owed"), 4);
  assert_int_equal (json_object_get_int_member (o, "told"), 0);
  assert_int_equal (json_object_get_int_member (o, "queued"), 3);
  assert_int_equal (json_object_get_int_member (o, "no_phone"), 1);
  assert_int_equal (json_object_get_int_member (o, "percent"), 0);
  assert_int_equal (json_array_get_length (json_object_get_array_member (o, "by_category")), 2);
  g_clear_pointer (&o, json_object_unref);

  {
    g_autoptr(PayamStore) store = open_store (f);
    g_autoptr(GPtrArray) batch = payam_store_claim_sms (store, 10, &error);

    /* Three outcomes by SMS and the news before them: b joined, a, b and d assigned. */
    assert_int_equal (batch->len, 7);
    for (guint i = 0; i < batch->len; i++)
      {
        PayamSmsItem *item = batch->pdata[i];

        if (g_strcmp0 (item->phone, "09131112233") == 0)
          assert_true (payam_store_sms_failed (store, item->localid, "411 bad receptor", &error));
        else
          assert_true (payam_store_sms_delivered (store, item->localid, &error));
      }
    assert_true (payam_store_record_lookup (store, c, NULL, &error));
  }

  o = coverage_json (f);
  assert_int_equal (json_object_get_int_member (o, "owed"), 4);
  assert_int_equal (json_object_get_int_member (o, "told"), 3);
  assert_int_equal (json_object_get_int_member (o, "failed"), 1);
  assert_int_equal (json_object_get_int_member (o, "percent"), 75);
  not_told = json_object_get_array_member (o, "not_told");
  assert_int_equal (json_array_get_length (not_told), 1);
  assert_string_equal (json_object_get_string_member (json_array_get_object_element (not_told, 0),
                                                      "why"), "failed");
  assert_string_equal (json_object_get_string_member (json_array_get_object_element (not_told, 0),
                                                      "reason"), "411 bad receptor");

  assert_int_equal (ctl_run (f, &out, "coverage", NULL), 0);
  assert_non_null (strstr (out, "3 told of 4 owed (75%)"));
  assert_non_null (strstr (out, "411 bad receptor"));
  assert_non_null (strstr (out, "lighting: 0 told of 1 owed (0%)"));
  g_clear_pointer (&out, g_free);
  assert_int_equal (ctl_run (f, &out, "coverage", "extra", NULL), 2);
  g_clear_pointer (&out, g_free);
  assert_int_equal (ctl_run (f, &out, "coverage", "--limit", "-1", NULL), 2);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_coverage, setup, teardown),
  };

  if (argc < 2)
    {
      g_printerr ("usage: %s PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-coverage", tests, NULL, NULL);
}
