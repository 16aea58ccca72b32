/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end test of payamctl's group commands: duplicates grouped, work done once, every
 * reporter's timeline and notice. The built binary runs on a temporary database. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "payam-test-ctl.h"
#include "payam-text.h"
#include "payam-tracking.h"

static char *payamctl_path;

/* Three reporters describe one pothole on one street in different words; a fourth
 * message is about something else. */
static const char fixture_jsonl[] =
  "{\"text\": \"چاله بزرگ وسط خیابان توحید جلوی نانوایی، ماشین‌ها آسیب می‌بینند\", "
  "\"category\": \"asphalt\", \"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", "
  "\"created_at\": \"2026-11-20T08:00:00Z\", \"channel\": \"kiosk\", \"phone\": \"09121234567\"}\n"
  "{\"text\": \"چاله بزرگ وسط خیابان توحيد روبروی نانوايي ماشين ها آسيب ميبينند\", "
  "\"category\": \"asphalt\", \"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", "
  "\"created_at\": \"2026-11-20T09:00:00Z\", \"channel\": \"kiosk\"}\n"
  "{\"text\": \"یک چاله بزرگ در خیابان توحید جلوی نانوایی هست ماشین‌ها آسیب می‌بینند\", "
  "\"category\": \"asphalt\", \"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", "
  "\"created_at\": \"2026-11-20T10:00:00Z\", \"channel\": \"phone\", \"phone\": \"09351112233\"}\n"
  "{\"text\": \"لامپ تیر برق کوچه بهار سوخته و شب‌ها تاریک است\", "
  "\"category\": \"lighting\", \"neighbourhood\": \"tohid\", \"created_at\": "
  "\"2026-11-20T11:00:00Z\", \"channel\": \"kiosk\"}\n";

typedef CtlFixture Fixture;

/* payamctl --db DB of @f, run in its folder (payam-test-ctl.h). */
#define ctl_run(f, run, ...) \
  payam_test_ctl_run_db ((run), payamctl_path, (f)->dir, (f)->db, __VA_ARGS__)

/* ctl_run() that must succeed; returns its standard output parsed as one JSON object. */
#define ctl_json(f, ...) ctl_json_argv (f, (const char *[]) { __VA_ARGS__, NULL })

static JsonObject *
ctl_json_argv (Fixture     *f,
               const char **args)
{
  g_auto(CtlRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *a[8] = { NULL };

  for (guint i = 0; args[i] != NULL; i++)
    {
      assert_true (i < G_N_ELEMENTS (a) - 1);
      a[i] = args[i];
    }
  ctl_run (f, &run, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
  if (run.status != 0)
    fail_msg ("payamctl %s failed (%d): %s", args[0], run.status, run.err);
  if (!json_parser_load_from_data (parser, run.out, -1, &error))
    fail_msg ("payamctl %s wrote no JSON: %s\n%s", args[0], error->message, run.out);
  assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static int
setup (void **state)
{
  *state = payam_test_ctl_fixture_new (payamctl_path, "payamctl-groups", fixture_jsonl);
  return 0;
}

static int
teardown (void **state)
{
  payam_test_ctl_fixture_free (*state);
  return 0;
}

/* The groups of `groups --json`. */
static JsonArray *
groups_of (JsonObject *groups)
{
  return json_object_get_array_member (groups, "groups");
}

/* The tracking codes of group @index, in creation order. */
static GPtrArray *
member_codes (JsonObject *groups,
              guint       index)
{
  JsonObject *group = json_array_get_object_element (groups_of (groups), index);
  JsonArray *members = json_object_get_array_member (group, "members");
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (members); i++)
    g_ptr_array_add (codes, g_strdup (json_object_get_string_member (
      json_array_get_object_element (members, i), "tracking_code")));
  return codes;
}

static char *
write_png (Fixture *f)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 24);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, "evidence.png", NULL);

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  return path;
}

/* Count the entries of a `timeline --json` answer of @kind (and @detail in its "action"
 * or "status" member when not NULL) that were done for the group when @for_group. */
static guint
count_entries (JsonObject *timeline,
               const char *kind,
               const char *detail,
               gboolean    for_group)
{
  JsonArray *entries = json_object_get_array_member (timeline, "entries");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      const char *d = json_object_get_string_member_with_default (
        e, g_str_equal (kind, "status") ? "status" : "action", NULL);

      if (!g_str_equal (json_object_get_string_member (e, "kind"), kind))
        continue;
      if (detail != NULL && g_strcmp0 (d, detail) != 0)
        continue;
      if (json_object_get_boolean_member (e, "for_group") != for_group)
        continue;
      n++;
    }
  return n;
}

/* Duplicates grouped automatically (a dry run first changes nothing), one more merged by
 * hand with a code in Persian digits, work recorded once, and every reporter's timeline
 * and notice show it; then split and lead. */
static void
test_group_end_to_end (void **state)
{
  Fixture *f = *state;
  g_autoptr(JsonObject) dry = ctl_json (f, "group", "--auto", "--dry-run", "--json");
  g_autoptr(JsonObject) none = ctl_json (f, "groups", "--json");
  g_autoptr(JsonObject) grouped = NULL;
  g_autoptr(JsonObject) groups = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *png = write_png (f);
  g_autofree char *persian = NULL;
  g_autofree char *sha = NULL;

  assert_true (json_object_get_boolean_member (dry, "dry_run"));
  assert_int_equal (json_array_get_length (json_object_get_array_member (dry, "grouped")), 2);
  assert_int_equal (json_array_get_length (groups_of (none)), 0);

  grouped = ctl_json (f, "group", "--auto", "--json");
  assert_int_equal (json_array_get_length (json_object_get_array_member (grouped, "grouped")),
                    2);
  groups = ctl_json (f, "groups", "--json");
  assert_int_equal (json_array_get_length (groups_of (groups)), 1);
  codes = member_codes (groups, 0);
  assert_int_equal (codes->len, 3);
  assert_string_equal (json_object_get_string_member (
    json_array_get_object_element (groups_of (groups), 0), "state"), "proposed");

  /* The office confirms the machine's proposal. */
  {
    g_auto(CtlRun) confirm = { 0 };
    g_autoptr(JsonObject) after = NULL;

    ctl_run (f, &confirm, "confirm", codes->pdata[1], NULL);
    assert_int_equal (confirm.status, 0);
    after = ctl_json (f, "groups", "--json");
    assert_string_equal (json_object_get_string_member (
      json_array_get_object_element (groups_of (after), 0), "state"), "confirmed");
  }

  /* Running again finds nothing new to group. */
  {
    g_autoptr(JsonObject) again = ctl_json (f, "group", "--auto", "--json");

    assert_int_equal (json_array_get_length (json_object_get_array_member (again, "grouped")),
                      0);
  }

  /* The lighting request is not a duplicate, but the office merges it by hand, typing the
   * group's code in Persian digits; then takes it out again. */
  {
    g_auto(CtlRun) run = { 0 };
    g_auto(CtlRun) split = { 0 };
    g_auto(CtlRun) export = { 0 };
    g_autoptr(JsonObject) after = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_auto(GStrv) lines = NULL;
    const char *light_code;

    /* Its code, from the fourth line of the export (creation order). */
    ctl_run (f, &export, "export", "--format", "jsonl", NULL);
    assert_int_equal (export.status, 0);
    lines = g_strsplit (export.out, "\n", -1);
    assert_true (json_parser_load_from_data (parser, lines[3], -1, NULL));
    light_code = json_object_get_string_member (json_node_get_object (
      json_parser_get_root (parser)), "tracking_code");

    persian = payam_text_digits_to_persian (codes->pdata[0]);
    ctl_run (f, &run, "merge", persian, light_code, NULL);
    if (run.status != 0)
      fail_msg ("merge: %s", run.err);
    after = ctl_json (f, "groups", "--json");
    assert_int_equal (json_array_get_length (json_object_get_array_member (
      json_array_get_object_element (groups_of (after), 0), "members")), 4);
    ctl_run (f, &split, "split", light_code, NULL);
    assert_int_equal (split.status, 0);
  }

  /* Work recorded once: assigned, started by the crew, a photo, done by the crew. */
  {
    g_auto(CtlRun) assign = { 0 };
    g_auto(CtlRun) start = { 0 };
    g_auto(CtlRun) photo = { 0 };
    g_auto(CtlRun) done = { 0 };

    ctl_run (f, &assign, "worksheet", codes->pdata[1], "--kind", "assign", "--crew",
             "اکیپ آسفالت", NULL);
    if (assign.status != 0)
      fail_msg ("assign: %s", assign.err);
    ctl_run (f, &start, "worksheet", codes->pdata[2], "--kind", "start", "--role", "crew",
             NULL);
    if (start.status != 0)
      fail_msg ("start: %s", start.err);
    ctl_run (f, &photo, "worksheet", codes->pdata[0], "--kind", "photo", "--photo", png,
             "--role", "crew", NULL);
    if (photo.status != 0)
      fail_msg ("photo: %s", photo.err);
    ctl_run (f, &done, "worksheet", codes->pdata[1], "--kind", "done", "--note", "آسفالت شد",
             "--role", "crew", NULL);
    if (done.status != 0)
      fail_msg ("done: %s", done.err);
  }

  /* Every reporter's timeline: the group's work, its own move to done, its own notice. */
  for (guint i = 0; i < codes->len; i++)
    {
      g_autoptr(JsonObject) timeline = ctl_json (f, "timeline", codes->pdata[i], "--json");
      JsonArray *entries = json_object_get_array_member (timeline, "entries");
      JsonObject *last = json_array_get_object_element (entries,
                                                        json_array_get_length (entries) - 1);
      guint n_notices;

      assert_string_equal (json_object_get_string_member (timeline, "tracking_code"),
                           codes->pdata[i]);
      assert_int_equal (count_entries (timeline, "registered", NULL, FALSE), 1);
      assert_int_equal (count_entries (timeline, "assigned", "assign", TRUE), 1);
      assert_int_equal (count_entries (timeline, "action", "start", TRUE), 1);
      assert_int_equal (count_entries (timeline, "action", "photo", TRUE), 1);
      assert_int_equal (count_entries (timeline, "action", "done", TRUE), 1);
      assert_int_equal (count_entries (timeline, "status", "done", TRUE), 1);
      /* Its assigned notice (and joined, for a report merged into the group), then the
       * outcome's. */
      n_notices = count_entries (timeline, "notice", NULL, FALSE);
      assert_true (n_notices == 2 || n_notices == 3);
      assert_string_equal (json_object_get_string_member (last, "kind"), "notice");
      assert_string_equal (json_object_get_string_member (last, "state"), "pending");
      /* The second reporter left no phone: the outcome is published for the code. */
      assert_string_equal (json_object_get_string_member (last, "channel"),
                           i == 1 ? "tracking-code" : "sms");
      /* The notice names the reporter's own code, grouped, as citizens read it. */
      {
        g_autofree char *shown = payam_tracking_code_format (codes->pdata[i]);

        assert_non_null (strstr (json_object_get_string_member (last, "text"), shown));
      }

      /* The same photo on every timeline. */
      for (guint j = 0; j < json_array_get_length (entries); j++)
        {
          JsonObject *e = json_array_get_object_element (entries, j);

          if (g_strcmp0 (json_object_get_string_member_with_default (e, "action", NULL),
                         "photo") == 0)
            {
              JsonArray *photos = json_object_get_array_member (e, "photos");
              const char *hash = json_array_get_string_element (photos, 0);

              assert_int_equal (json_array_get_length (photos), 1);
              assert_int_equal (strlen (hash), 64);
              if (sha == NULL)
                sha = g_strdup (hash);
              assert_string_equal (hash, sha);
            }
        }
    }

  /* The lighting request, split off before the work, has none of it. */
  {
    g_autoptr(JsonObject) after = ctl_json (f, "groups", "--json");
    JsonArray *members = json_object_get_array_member (
      json_array_get_object_element (groups_of (after), 0), "members");

    assert_int_equal (json_array_get_length (members), 3);
    for (guint i = 0; i < 3; i++)
      assert_string_equal (json_object_get_string_member (
        json_array_get_object_element (members, i), "status"), "done");
  }

  /* The lead changes on request; a split of a single is refused with status 1. */
  {
    g_auto(CtlRun) lead = { 0 };
    g_auto(CtlRun) split = { 0 };
    g_auto(CtlRun) again = { 0 };
    g_autoptr(JsonObject) after = NULL;

    ctl_run (f, &lead, "lead", codes->pdata[2], NULL);
    assert_int_equal (lead.status, 0);
    after = ctl_json (f, "groups", "--json");
    assert_true (json_object_get_boolean_member (json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (groups_of (after), 0),
                                    "members"), 2), "lead"));
    ctl_run (f, &split, "split", codes->pdata[0], NULL);
    assert_int_equal (split.status, 0);
    ctl_run (f, &again, "split", codes->pdata[0], NULL);
    assert_int_equal (again.status, 1);
    assert_non_null (strstr (again.err, "not in a group"));
  }
}

/* The entries of a `timeline --json` answer of the office's changes with @why. */
static guint
count_office_changes (JsonObject *timeline,
                      const char *why)
{
  JsonArray *entries = json_object_get_array_member (timeline, "entries");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (e, "kind"), "office-change") &&
          g_strcmp0 (json_object_get_string_member_with_default (e, "text", NULL), why) == 0)
        n++;
    }
  return n;
}

/* Once a crew holds the group's worksheet, split, lead and merge need --reason (status 1
 * and nothing changed without one); with it the change is made and the timeline shows
 * the reason. */
static void
test_reason (void **state)
{
  Fixture *f = *state;
  g_autoptr(JsonObject) grouped = ctl_json (f, "group", "--auto", "--json");
  g_autoptr(JsonObject) groups = ctl_json (f, "groups", "--json");
  g_autoptr(GPtrArray) codes = member_codes (groups, 0);
  g_auto(CtlRun) assign = { 0 };
  g_auto(CtlRun) split = { 0 };
  g_auto(CtlRun) lead = { 0 };
  g_auto(CtlRun) merge = { 0 };
  g_auto(CtlRun) split_why = { 0 };
  g_auto(CtlRun) lead_why = { 0 };
  g_auto(CtlRun) merge_why = { 0 };
  g_auto(CtlRun) export = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  const char *light_code;
  const char *why = "این گزارش دربارهٔ کوچهٔ پشتی است";

  assert_int_equal (codes->len, 3);
  ctl_run (f, &export, "export", "--format", "jsonl", NULL);
  assert_int_equal (export.status, 0);
  lines = g_strsplit (export.out, "\n", -1);
  assert_true (json_parser_load_from_data (parser, lines[3], -1, NULL));
  light_code = json_object_get_string_member (json_node_get_object (
    json_parser_get_root (parser)), "tracking_code");
  ctl_run (f, &assign, "worksheet", codes->pdata[0], "--kind", "assign", "--crew",
           "اکیپ آسفالت", NULL);
  if (assign.status != 0)
    fail_msg ("assign: %s", assign.err);

  ctl_run (f, &split, "split", codes->pdata[2], "--reason", " ", NULL);
  assert_int_equal (split.status, 1);
  assert_non_null (strstr (split.err, "write why"));
  ctl_run (f, &lead, "lead", codes->pdata[2], NULL);
  assert_int_equal (lead.status, 1);
  ctl_run (f, &merge, "merge", codes->pdata[0], light_code, NULL);
  assert_int_equal (merge.status, 1);
  {
    g_autoptr(JsonObject) after = ctl_json (f, "groups", "--json");
    g_autoptr(GPtrArray) still = member_codes (after, 0);

    assert_int_equal (still->len, 3);
    assert_false (json_object_get_boolean_member (json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (groups_of (after), 0),
                                    "members"), 2), "lead"));
  }

  ctl_run (f, &lead_why, "lead", codes->pdata[2], "--reason", "نشانی دقیق‌تری دارد", NULL);
  if (lead_why.status != 0)
    fail_msg ("lead --reason: %s", lead_why.err);
  ctl_run (f, &merge_why, "merge", codes->pdata[0], light_code, "--reason", "همان محل", NULL);
  if (merge_why.status != 0)
    fail_msg ("merge --reason: %s", merge_why.err);
  ctl_run (f, &split_why, "split", codes->pdata[2], "--reason", why, NULL);
  if (split_why.status != 0)
    fail_msg ("split --reason: %s", split_why.err);
  {
    g_autoptr(JsonObject) after = ctl_json (f, "groups", "--json");
    g_autoptr(GPtrArray) left = member_codes (after, 0);
    g_autoptr(JsonObject) out = ctl_json (f, "timeline", codes->pdata[2], "--json");
    g_autoptr(JsonObject) stays = ctl_json (f, "timeline", codes->pdata[0], "--json");

    assert_int_equal (left->len, 3);
    assert_false (g_ptr_array_find_with_equal_func (left, codes->pdata[2], g_str_equal, NULL));
    assert_int_equal (count_office_changes (out, why), 1);
    assert_int_equal (count_office_changes (stays, "همان محل"), 1);
  }
  (void) grouped;
}

/* Usage errors exit with 2 and say how to use the command. */
static void
test_usage (void **state)
{
  Fixture *f = *state;
  g_auto(CtlRun) group = { 0 };
  g_auto(CtlRun) merge = { 0 };
  g_auto(CtlRun) worksheet = { 0 };
  g_auto(CtlRun) unknown = { 0 };

  ctl_run (f, &group, "group", NULL);
  assert_int_equal (group.status, 2);
  ctl_run (f, &merge, "merge", "1", NULL);
  assert_int_equal (merge.status, 2);
  ctl_run (f, &worksheet, "worksheet", "1", "--kind", "dance", NULL);
  assert_int_equal (worksheet.status, 2);
  ctl_run (f, &unknown, "split", "123456789012", NULL);
  assert_int_equal (unknown.status, 1);
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_group_end_to_end, setup, teardown),
    cmocka_unit_test_setup_teardown (test_usage, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reason, setup, teardown),
  };

  if (argc != 2)
    {
      g_printerr ("usage: %s PATH-TO-PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-groups", tests, NULL, NULL);
}
