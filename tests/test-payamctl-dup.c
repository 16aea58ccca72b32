/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end tests of `payamctl similarity` and `payamctl similar` on a temporary database. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static char *payamctl_path;

typedef struct {
  char *dir;
  char *db;
} Fixture;

static Fixture fixture;

typedef struct {
  int    status;   /* exit status, or -1 when killed by a signal */
  char  *out;
  char  *err;
} CtlRun;

static void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

/* Run payamctl with @args (NULL-terminated) in the temporary folder, @input (may be NULL)
 * on standard input, in the C.UTF-8 locale, untranslated. */
static void
ctl_run_argv (CtlRun      *run,
              const char  *input,
              const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) in = input != NULL ? g_bytes_new (input, strlen (input)) : NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  gconstpointer data;
  gsize length;

  g_ptr_array_add (argv, payamctl_path);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (in != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_cwd (launcher, fixture.dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture.dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  assert_non_null (process);
  assert_true (g_subprocess_communicate (process, in, NULL, &out, &err, &error));
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  data = g_bytes_get_data (out, &length);
  run->out = data != NULL ? g_strndup (data, length) : g_strdup ("");
  data = g_bytes_get_data (err, &length);
  run->err = data != NULL ? g_strndup (data, length) : g_strdup ("");
}

G_GNUC_NULL_TERMINATED
static void
ctl_run (CtlRun     *run,
         const char *input,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  ctl_run_argv (run, input, (const char **) args->pdata);
}

/* The stored requests: [0] is the fallen tree the tests look for. Phones and names are
 * there so that the output can be checked to hold none. */
static const char *requests[] = {
  "{\"text\": \"درخت بزرگ کنار خیابان افتاده و راه را بسته است\", \"category\": \"green-space\", "
  "\"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", \"lat\": 35.7044, \"lon\": 51.3735, "
  "\"phone\": \"09121234567\", \"name\": \"مریم احمدی\", \"channel\": \"kiosk\"}",
  "{\"text\": \"چاله بزرگ وسط خیابان توحید ماشین‌ها را خراب می‌کند\", \"category\": \"asphalt\", "
  "\"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", \"lat\": 35.7041, \"lon\": 51.3735, "
  "\"phone\": \"09357654321\", \"name\": \"علی رضایی\", \"channel\": \"kiosk\"}",
  "{\"text\": \"چمن‌های پارک خشک شده و کسی آبیاری نمی‌کند\", \"category\": \"green-space\", "
  "\"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", \"channel\": \"phone\"}",
  "{\"text\": \"شاخه‌های درختان پارک را هرس نکرده‌اند\", \"category\": \"green-space\", "
  "\"neighbourhood\": \"tohid\", \"lat\": 35.7043, \"lon\": 51.3738, \"channel\": \"office\"}",
  "{\"text\": \"سطل زباله سر کوچه پر شده و بو می‌دهد\", \"category\": \"waste\", "
  "\"neighbourhood\": \"daryan-e-no\", \"channel\": \"kiosk\"}",
  "{\"text\": \"چراغ برق خیابان توحید شب‌ها خاموش است\", \"category\": \"lighting\", "
  "\"neighbourhood\": \"tohid\", \"street\": \"خیابان توحید\", \"channel\": \"kiosk\"}",
};

static int
group_setup (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autofree char *input = NULL;
  g_auto(CtlRun) run = { 0 };

  fixture.dir = g_dir_make_tmp ("payamctl-dup-XXXXXX", &error);
  assert_non_null (fixture.dir);
  fixture.db = g_build_filename (fixture.dir, "dup.db", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    g_string_append_printf (jsonl, "%s\n", requests[i]);
  input = g_build_filename (fixture.dir, "requests.jsonl", NULL);
  assert_true (g_file_set_contents (input, jsonl->str, -1, &error));

  ctl_run (&run, NULL, "--db", fixture.db, "init", NULL);
  if (run.status != 0)
    fail_msg ("init: %s", run.err);
  ctl_run_clear (&run);
  ctl_run (&run, NULL, "--db", fixture.db, "import", input, NULL);
  if (run.status != 0)
    fail_msg ("import: %s", run.err);
  return 0;
}

static int
group_teardown (void **state)
{
  g_autoptr(GDir) dir = g_dir_open (fixture.dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture.dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture.dir);
  g_clear_pointer (&fixture.dir, g_free);
  g_clear_pointer (&fixture.db, g_free);
  return 0;
}

/* One output line per input line, in order, "score<TAB>decision". */
static void
test_similarity_lines (void **state)
{
  g_autofree char *long_text = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_auto(CtlRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  const struct {
    const char *a;
    const char *b;
    const char *expect; /* the whole output line, or NULL: any score, decision checked */
    int         decision;
  } cases[] = {
    { "چاله بزرگ وسط کوچه", "چاله بزرگ وسط کوچه", "1.0000\t1", 1 },
    { "چاله بزرگ وسط کوچه", "چاله‌ی بزرگی وسط کوچه هست", NULL, 1 },
    { "درخت افتاده", "يك درخت افتاده است", NULL, 1 },
    { "چاله بزرگ وسط کوچه", "سگ‌های ولگرد شب‌ها پارس می‌کنند", NULL, 0 },
    { "", "چاله", "0.0000\t0", 0 },
    { "   ", "\u200c", "0.0000\t0", 0 },
    { "the road is broken", "the road is broken", "1.0000\t1", 1 },
    { "چاله\x01\x02 وسط کوچه", "چاله وسط کوچه", NULL, 1 },
    { NULL, "چاله", NULL, 0 },   /* 10,000 characters */
  };

  long_text = g_strnfill (10000, 'x');
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (input, "%s\t%s%s", cases[i].a != NULL ? cases[i].a : long_text,
                            cases[i].b, i == 3 ? "\r\n" : "\n");
  /* Invalid UTF-8 is read as replacement characters, not refused. */
  g_string_append (input, "\xff\xfe\tچاله\n");

  ctl_run (&run, input->str, "similarity", NULL);
  assert_int_equal (run.status, 0);
  lines = g_strsplit (run.out, "\n", -1);
  assert_int_equal (g_strv_length (lines), G_N_ELEMENTS (cases) + 2);
  assert_string_equal (lines[G_N_ELEMENTS (cases) + 1], "");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      double score;

      assert_int_equal (g_strv_length (fields), 2);
      score = g_ascii_strtod (fields[0], NULL);
      assert_true (score >= 0.0 && score <= 1.0);
      if (cases[i].expect != NULL)
        assert_string_equal (lines[i], cases[i].expect);
      if (atoi (fields[1]) != cases[i].decision)
        fail_msg ("pair %zu: %s", i + 1, lines[i]);
    }
}

/* Ten thousand pairs come back as ten thousand lines, in order. */
static void
test_similarity_many (void **state)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_auto(CtlRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  for (int i = 0; i < 10000; i++)
    {
      if (i % 2 == 0)
        g_string_append_printf (input, "چاله شماره %d وسط کوچه\tچاله شماره %d وسط کوچه\n", i, i);
      else
        g_string_append_printf (input, "چاله شماره %d\tزباله‌ها جمع نشده\n", i);
    }
  ctl_run (&run, input->str, "similarity", NULL);
  assert_int_equal (run.status, 0);
  lines = g_strsplit (run.out, "\n", -1);
  assert_int_equal (g_strv_length (lines), 10001);
  for (int i = 0; i < 10000; i++)
    assert_string_equal (lines[i] + strlen (lines[i]) - 1, i % 2 == 0 ? "1" : "0");
}

static void
test_similarity_bad_input (void **state)
{
  g_auto(CtlRun) run = { 0 };

  ctl_run (&run, "چاله\tچاله\nno tab on this line\n", "similarity", NULL);
  assert_int_equal (run.status, 1);
  assert_non_null (strstr (run.err, "Line 2"));
  assert_string_equal (run.out, "");
  ctl_run_clear (&run);

  ctl_run (&run, "", "similarity", NULL);
  assert_int_equal (run.status, 0);
  assert_string_equal (run.out, "");
  ctl_run_clear (&run);

  ctl_run (&run, "a\tb\n", "similarity", "extra", NULL);
  assert_int_equal (run.status, 2);
}

static JsonArray *
parse_candidates (const char *out,
                  JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (!json_parser_load_from_data (parser, out, -1, &error))
    fail_msg ("not JSON: %s\n%s", error->message, out);
  root = json_node_get_object (json_parser_get_root (parser));
  assert_non_null (root);
  assert_true (json_object_has_member (root, "candidates"));
  return json_object_get_array_member (root, "candidates");
}

/* The "Done when": Arabic letters and other words, the fallen tree first. */
static void
test_similar_json (void **state)
{
  g_auto(CtlRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *candidates;
  JsonObject *first;
  const char *members[] = { "id", "tracking_code", "text", "category", "status", "distance_m",
                            "score" };
  double previous = 2.0;

  ctl_run (&run, NULL, "--db", fixture.db, "similar",
           "--text", "درخت كهنسالي افتاده وسط خيابان، عبور ممكن نيست",
           "--category", "green-space", "--neighbourhood", "tohid", "--street", "خیابان توحید",
           "--lat", "35.7040", "--lon", "51.3735", "--limit", "3", "--json", NULL);
  if (run.status != 0)
    fail_msg ("similar: %s", run.err);
  candidates = parse_candidates (run.out, parser);
  assert_true (json_array_get_length (candidates) >= 1);
  assert_true (json_array_get_length (candidates) <= 3);
  first = json_array_get_object_element (candidates, 0);
  assert_string_equal (json_object_get_string_member (first, "text"),
                       "درخت بزرگ کنار خیابان افتاده و راه را بسته است");
  assert_string_equal (json_object_get_string_member (first, "category"), "green-space");
  assert_string_equal (json_object_get_string_member (first, "status"), "registered");
  /* 0.0004° of latitude: 44 m, in whole metres. */
  assert_int_equal (json_object_get_int_member (first, "distance_m"), 44);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);
      double score = json_object_get_double_member (c, "score");

      assert_int_equal (json_object_get_size (c), G_N_ELEMENTS (members));
      for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
        assert_true (json_object_has_member (c, members[m]));
      assert_true (score >= 0.0 && score <= previous);
      previous = score;
    }
  /* No personal data anywhere in the output. */
  assert_null (strstr (run.out, "0912"));
  assert_null (strstr (run.out, "0935"));
  assert_null (strstr (run.out, "مریم"));
  assert_null (strstr (run.out, "phone"));
  assert_null (strstr (run.out, "name"));
}

/* Without coordinates every distance is -1; a category with no match gives an empty list. */
static void
test_similar_no_location (void **state)
{
  g_auto(CtlRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *candidates;

  ctl_run (&run, NULL, "--db", fixture.db, "similar", "--text", "درخت افتاده",
           "--neighbourhood", "tohid", "--json", NULL);
  assert_int_equal (run.status, 0);
  candidates = parse_candidates (run.out, parser);
  assert_true (json_array_get_length (candidates) >= 1);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    assert_int_equal (json_object_get_int_member (json_array_get_object_element (candidates, i),
                                                  "distance_m"), -1);
  ctl_run_clear (&run);

  ctl_run (&run, NULL, "--db", fixture.db, "similar", "--text", "درخت افتاده",
           "--category", "lighting", "--json", NULL);
  assert_int_equal (run.status, 0);
  assert_string_equal (run.out, "{\"candidates\":[]}\n");
}

/* The table for people: tracking code grouped, the text, no personal data. */
static void
test_similar_table (void **state)
{
  g_auto(CtlRun) run = { 0 };

  ctl_run (&run, NULL, "--db", fixture.db, "similar", "--text", "درخت بزرگ افتاده",
           "--category", "green-space", "--neighbourhood", "tohid", NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "1. "));
  assert_non_null (strstr (run.out, "درخت بزرگ کنار خیابان افتاده"));
  assert_null (strstr (run.out, "0912"));
  ctl_run_clear (&run);

  ctl_run (&run, NULL, "--db", fixture.db, "similar", "--text", "the elevator is broken",
           "--category", "lighting", NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "No similar"));
}

typedef struct {
  const char *name;
  const char *args[8];
  int         status;
  const char *err;      /* a part of the message, or NULL */
} BadRun;

static void
test_similar_bad_input (void **state)
{
  g_autofree char *long_text = NULL;
  g_autofree char *controls = g_strdup ("درخت\x01\x1b افتاده\x7f");
  g_autoptr(GString) s = g_string_new (NULL);
  const BadRun cases[] = {
    { "empty", { "--text", "", NULL }, 1, "no text" },
    { "white space", { "--text", " \t\u200c ", NULL }, 1, "no text" },
    { "no text", { "--json", NULL }, 2, "--text" },
    { "10,000 characters", { "--text", NULL }, 1, "too long" },
    { "control characters", { "--text", NULL }, 0, NULL },
    { "another script", { "--text", "Привет мир", "--json", NULL }, 0, NULL },
    { "outside the district", { "--text", "درخت", "--lat", "48.85", "--lon", "2.35", NULL }, 1,
      "outside the district" },
    { "lat alone", { "--text", "درخت", "--lat", "35.7", NULL }, 2, "--lon" },
    { "not a number", { "--text", "درخت", "--lat", "north", "--lon", "51.3", NULL }, 2, "numbers" },
    { "Persian digits", { "--text", "درخت", "--lat", "۳۵٫۷۰۴", "--lon", "۵۱٫۳۷۳۵", NULL }, 0, NULL },
    { "limit zero", { "--text", "درخت", "--limit", "0", NULL }, 2, "limit" },
    { "stray argument", { "--text", "درخت", "extra", NULL }, 2, NULL },
  };

  for (int i = 0; i < 2000; i++)
    g_string_append (s, "درخت ");
  long_text = g_string_free (g_steal_pointer (&s), FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CtlRun) run = { 0 };
      const char *argv[16] = { "--db", fixture.db, "similar" };
      guint n = 3;

      for (gsize a = 0; cases[i].args[a] != NULL; a++)
        {
          argv[n++] = cases[i].args[a];
          if (g_str_equal (cases[i].args[a], "--text") && cases[i].args[a + 1] == NULL)
            argv[n++] = g_str_equal (cases[i].name, "control characters") ? controls : long_text;
        }
      argv[n] = NULL;
      ctl_run_argv (&run, NULL, argv);
      if (run.status != cases[i].status)
        fail_msg ("%s: exit %d, expected %d: %s", cases[i].name, run.status, cases[i].status,
                  run.err);
      if (cases[i].err != NULL && strstr (run.err, cases[i].err) == NULL)
        fail_msg ("%s: “%s” not in: %s", cases[i].name, cases[i].err, run.err);
    }

  /* A database that is not there is an error that says how to make it. */
  {
    g_auto(CtlRun) run = { 0 };

    ctl_run (&run, NULL, "--db", "missing.db", "similar", "--text", "درخت", NULL);
    assert_int_equal (run.status, 1);
    assert_non_null (strstr (run.err, "init"));
  }
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_similarity_lines),
    cmocka_unit_test (test_similarity_many),
    cmocka_unit_test (test_similarity_bad_input),
    cmocka_unit_test (test_similar_json),
    cmocka_unit_test (test_similar_no_location),
    cmocka_unit_test (test_similar_table),
    cmocka_unit_test (test_similar_bad_input),
  };

  if (argc < 2)
    {
      g_printerr ("usage: %s PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
