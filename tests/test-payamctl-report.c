/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end test of payamctl report (issue #14): a store built through the core with a
 * fixed clock (messages in Azar 1405, the last minute of Aban before it and the first
 * minute of Dey after it, work done, ratings), then the built binary's PDF read back with
 * pdftotext -layout (Persian digits turned back to ASCII) against the store's figures, a
 * page rendered with pdftoppm, and a bad month refused. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "payam-store-crews.h"
#include "payam-store-ratings.h"
#include "payam-store-report.h"
#include "payam-store-worksheets.h"

static char *payamctl_path;

typedef struct {
  char       *dir;
  char       *db;
  GDateTime  *now;
  PayamStore *store;
  char       *crew;
} Fixture;

static GDateTime *
fixed_now (gpointer data)
{
  Fixture *f = data;

  return g_date_time_ref (f->now);
}

static void
set_now (Fixture    *f,
         const char *iso)
{
  g_clear_pointer (&f->now, g_date_time_unref);
  f->now = g_date_time_new_from_iso8601 (iso, NULL);
  assert_non_null (f->now);
}

static PayamRequest *
add_request (Fixture      *f,
             const char   *iso,
             const char   *category,
             const char   *neighbourhood,
             PayamChannel  channel,
             const char   *phone)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "چراغ کوچه خاموش است",
    .category = category,
    .neighbourhood = neighbourhood,
    .channel = channel,
    .phone = phone,
  };
  PayamRequest *request;

  set_now (f, iso);
  request = payam_store_add_request (f->store, &draft, &error);
  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

/* Give @request's work to the crew at @assigned and mark it done at @done. */
static void
work_done (Fixture            *f,
           const PayamRequest *request,
           const char         *assigned,
           const char         *done)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { .kind = PAYAM_ACTION_DONE, .public_words = "انجام شد" };
  g_autofree char *action = NULL;

  set_now (f, assigned);
  if (!payam_store_assign_crew (f->store, request->id, f->crew, &error))
    fail_msg ("assign: %s", error->message);
  set_now (f, done);
  action = payam_store_add_action (f->store, request->id, &draft, PAYAM_ROLE_OFFICE, &error);
  if (action == NULL)
    fail_msg ("done: %s", error->message);
}

static void
rate (Fixture            *f,
      const PayamRequest *request,
      const char         *iso,
      int                 score,
      const char         *comment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  set_now (f, iso);
  id = payam_store_add_rating (f->store, request->id, score, comment, &error);
  if (id == NULL)
    fail_msg ("rate: %s", error->message);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL, a5 = NULL;
  g_autoptr(PayamRequest) o1 = NULL, o2 = NULL, o3 = NULL;

  f->dir = g_dir_make_tmp ("payam-report-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db = g_build_filename (f->dir, "payam.db", NULL);
  set_now (f, "2026-10-01T08:00:00Z");
  f->store = payam_store_open (f->db, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  if (!payam_store_load_defaults (f->store, &error))
    fail_msg ("defaults: %s", error->message);
  f->crew = payam_store_add_crew (f->store, "اکیپ ۱", "tohid", &error);
  assert_non_null (f->crew);

  /* Azar 1405 is [2026-11-21T20:30Z, 2026-12-21T20:30Z). Five messages in it: the last one
   * at 23:59 of 30 Azar in Tehran. */
  a1 = add_request (f, "2026-11-22T06:00:00Z", "asphalt", "tohid", PAYAM_CHANNEL_KIOSK,
                    "09121234567");
  a2 = add_request (f, "2026-11-23T06:00:00Z", "asphalt", "tohid", PAYAM_CHANNEL_OFFICE, NULL);
  a3 = add_request (f, "2026-11-23T07:00:00Z", "lighting", "daryan-e-no", PAYAM_CHANNEL_KIOSK,
                    NULL);
  a4 = add_request (f, "2026-12-01T06:00:00Z", "waste", "daryan-e-no", PAYAM_CHANNEL_PHONE,
                    NULL);
  a5 = add_request (f, "2026-12-21T20:29:00Z", "lighting", "tohid", PAYAM_CHANNEL_KIOSK, NULL);
  /* Outside it: 23:59 of 30 Aban, 00:00 of 1 Dey, and October. */
  o1 = add_request (f, "2026-11-21T20:29:00Z", "asphalt", "tohid", PAYAM_CHANNEL_KIOSK, NULL);
  o2 = add_request (f, "2026-12-21T20:30:00Z", "waste", "tohid", PAYAM_CHANNEL_KIOSK, NULL);
  o3 = add_request (f, "2026-10-30T06:00:00Z", "lighting", "tohid", PAYAM_CHANNEL_OFFICE, NULL);

  /* Done in Azar: a1 after 24 hours, o1 (filed in Aban) after 81 h 31 min. */
  work_done (f, a1, "2026-11-22T07:00:00Z", "2026-11-23T06:00:00Z");
  work_done (f, o1, "2026-11-22T07:00:00Z", "2026-11-25T06:00:00Z");
  /* Done in Dey: not this month's work, and o3 was open at Azar's end. */
  work_done (f, o3, "2026-12-22T07:00:00Z", "2026-12-23T06:00:00Z");
  rate (f, a1, "2026-11-24T06:00:00Z", 4, "خیلی خوب بود");
  rate (f, o1, "2026-11-26T06:00:00Z", 2, NULL);
  rate (f, o3, "2026-12-24T06:00:00Z", 5, NULL);  /* in Dey */

  g_clear_object (&f->store);
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
  g_free (f->crew);
  g_clear_pointer (&f->now, g_date_time_unref);
  g_free (f);
  return 0;
}

/* Run @argv (NULL-terminated) in C.UTF-8, LANGUAGE unset (the report's English words);
 * stdout into *@out and stderr into *@err (both may be NULL). Returns the exit status. */
static int
run_in (const char         *language,
        const char * const *argv,
        char              **out,
        char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (language != NULL)
    g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    fail_msg ("%s: %s", argv[0], error->message);
  assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &o, &e, &error));
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  return run_in (NULL, argv, out, err);
}

/* pdftotext's text with the bidi controls, half-spaces and hamzas above (which it moves
 * after the next letter) taken out, Persian digits and
 * separators turned to ASCII, and each line's runs of spaces made one. */
static char *
plain_text (const char *text)
{
  GString *s = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x202A && c <= 0x202E) || c == 0x200E || c == 0x200F || c == 0x200C ||
          c == 0x0654)
        continue;
      if (c >= 0x06F0 && c <= 0x06F9)
        c = '0' + (c - 0x06F0);
      else if (c == 0x066B)
        c = '.';
      else if (c == 0x066C)
        c = ',';
      if (c == ' ')
        {
          space = TRUE;
          continue;
        }
      if (space && c != '\n' && s->len > 0 && s->str[s->len - 1] != '\n')
        g_string_append_c (s, ' ');
      space = FALSE;
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Fail unless a line of @text is exactly @line. */
static void
assert_line (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (lines[i], line))
      return;
  fail_msg ("no line “%s” in:\n%s", line, text);
}

/* Fail unless a line of @text is @want once the spaces are taken out of both: pdftotext
 * splits Persian words where their letters join. */
static void
assert_joined (const char *text,
               const char *want)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto(GStrv) parts = g_strsplit (want, " ", -1);
  g_autofree char *want_joined = g_strjoinv ("", parts);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);
      g_autofree char *joined = g_strjoinv ("", words);

      if (g_str_equal (joined, want_joined))
        return;
    }
  fail_msg ("no line “%s” in:\n%s", want, text);
}

/* A line with the Persian @name and @count. */
static void
assert_named_count (const char *text,
                    const char *name,
                    gint64      count)
{
  g_autofree char *want = g_strdup_printf ("%s %" G_GINT64_FORMAT, name, count);

  assert_joined (text, want);
}

static void
test_report (void **state)
{
  Fixture *f = *state;
  g_autofree char *pdf = g_build_filename (f->dir, "azar.pdf", NULL);
  g_autofree char *png_prefix = g_build_filename (f->dir, "page", NULL);
  g_autofree char *png = g_build_filename (f->dir, "page-1.png", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-11-21T20:30:00Z", NULL);
  g_autoptr(GDateTime) to = g_date_time_new_from_iso8601 ("2026-12-21T20:30:00Z", NULL);
  g_autoptr(GPtrArray) open_at = NULL;
  PayamRangeWorksheets ws;
  gint64 open_total = 0;
  const char *report[] = {
    payamctl_path, "--db", f->db, "report", "--month", "۱۴۰۵-۰۹", "--pdf", pdf, NULL
  };
  const char *to_text[] = { "pdftotext", "-layout", pdf, "-", NULL };
  const char *to_png[] = { "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf,
                           png_prefix, NULL };

  if (run (report, NULL, &err) != 0)
    fail_msg ("payamctl report: %s", err);
  if (run (to_text, &raw, NULL) != 0)
    fail_msg ("pdftotext failed on the report");
  text = plain_text (raw);

  /* Intake in Azar only: five of eight, by channel, category and neighbourhood. */
  assert_line (text, "Messages registered in the month 5");
  assert_line (text, "Kiosk 3");
  assert_line (text, "Office 1");
  assert_line (text, "Phone (137) 1");
  assert_named_count (text, "آسفالت و چاله", 2);
  assert_named_count (text, "روشنایی معابر", 2);
  assert_named_count (text, "پسماند و زباله", 1);
  assert_named_count (text, "توحید", 3);
  assert_named_count (text, "دریاننو", 2);

  /* Done in Azar: a1 (24 h) and o1 (81.5 h): average 2.2 days, 90% within 3.4 days. */
  assert_line (text, "Messages done in the month 2");
  assert_joined (text, "آسفالت و چاله 2 2.2 days 3.4 days");

  /* The store's own figures for what depends on its deadline rules. */
  store = payam_store_open (f->db, &error);
  assert_non_null (store);
  assert_true (payam_store_range_worksheets (store, from, to, &ws, &error));
  open_at = payam_store_range_open_at (store, to, &error);
  assert_non_null (open_at);
  for (guint i = 0; i < open_at->len; i++)
    open_total += ((PayamDashCount *) open_at->pdata[i])->count;
  /* Open at Azar's end: a2…a5 and o3 (done in Dey); not a1 and o1 (done), nor o2 (Dey). */
  assert_int_equal (open_total, 5);
  line = g_strdup_printf ("All open messages %" G_GINT64_FORMAT, open_total);
  assert_line (text, line);
  g_free (line);
  line = g_strdup_printf ("Worksheets due in the month %" G_GINT64_FORMAT, ws.due);
  assert_line (text, line);
  g_free (line);
  line = g_strdup_printf ("Not finished by their deadline %" G_GINT64_FORMAT, ws.late);
  assert_line (text, line);

  /* Of those filed in Azar only a1 has an outcome: owed 1, told 0, its SMS queued. */
  assert_line (text, "All outcomes 1 0 0% 1 0 0");
  /* Ratings made in Azar: 4 and 2, one with a comment; the comment itself is not shown. */
  assert_line (text, "Ratings 2");
  assert_line (text, "Average score (of 5) 3.0");
  assert_line (text, "Ratings with a comment or suggestion 1");
  assert_null (strstr (text, "خیلی"));
  /* Jalali dates and the district. */
  assert_non_null (strstr (text, "Municipality of District 6, Region 2"));
  assert_non_null (strstr (text, "Azar 1405"));

  /* The first page renders to an image (look at it: PAYAM_TEST_PNG keeps a copy). */
  if (run (to_png, NULL, NULL) != 0)
    fail_msg ("pdftoppm failed on the report");
  assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  if (g_getenv ("PAYAM_TEST_PNG") != NULL)
    {
      g_autofree char *data = NULL;
      gsize length;

      assert_true (g_file_get_contents (png, &data, &length, NULL));
      assert_true (g_file_set_contents (g_getenv ("PAYAM_TEST_PNG"), data, length, NULL));
    }
}

/* In Persian (LANGUAGE=fa, po/fa.po): the district's name in the header, right to left,
 * and the same figures in Persian digits. */
static void
test_persian (void **state)
{
  Fixture *f = *state;
  g_autofree char *pdf = g_build_filename (f->dir, "azar-fa.pdf", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  const char *report[] = {
    payamctl_path, "--db", f->db, "report", "--month", "1405-09", "--pdf", pdf, NULL
  };
  const char *to_text[] = { "pdftotext", "-layout", pdf, "-", NULL };

  if (run_in ("fa", report, NULL, &err) != 0)
    fail_msg ("payamctl report: %s", err);
  assert_int_equal (run (to_text, &raw, NULL), 0);
  /* PAYAM_TEST_PDF=FILE keeps the Persian report to look at. */
  if (g_getenv ("PAYAM_TEST_PDF") != NULL)
    {
      g_autofree char *data = NULL;
      gsize length;

      assert_true (g_file_get_contents (pdf, &data, &length, NULL));
      assert_true (g_file_set_contents (g_getenv ("PAYAM_TEST_PDF"), data, length, NULL));
    }
  text = plain_text (raw);
  assert_null (strstr (text, "Municipality"));
  assert_joined (text, "شهرداری ناحیه 6 منطقه 2");
  assert_joined (text, "5 پیامهای ثبتشده در این ماه");
  assert_joined (text, "2 امتیازها");
}

static void
test_bad_month (void **state)
{
  Fixture *f = *state;
  g_autofree char *pdf = g_build_filename (f->dir, "bad.pdf", NULL);
  g_autofree char *err = NULL;
  const char *bad[] = { payamctl_path, "--db", f->db, "report", "--month", "1405-13", "--pdf",
                        pdf, NULL };
  const char *words[] = { payamctl_path, "--db", f->db, "report", "--month", "azar", "--pdf",
                          pdf, NULL };
  const char *missing[] = { payamctl_path, "--db", f->db, "report", "--month", "1405-09",
                            NULL };

  assert_int_equal (run (bad, NULL, &err), 2);
  assert_non_null (strstr (err, "01 (Farvardin) to 12 (Esfand)"));
  g_clear_pointer (&err, g_free);
  assert_int_equal (run (words, NULL, &err), 2);
  assert_non_null (strstr (err, "like 1405-09"));
  g_clear_pointer (&err, g_free);
  assert_int_equal (run (missing, NULL, &err), 2);
  assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_report, setup, teardown),
    cmocka_unit_test_setup_teardown (test_persian, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_month, setup, teardown),
  };

  if (argc < 2)
    {
      g_printerr ("usage: %s PAYAMCTL\n", argv[0]);
      return 2;
    }
  payamctl_path = argv[1];
  return cmocka_run_group_tests_name ("payamctl-report", tests, NULL, NULL);
}
