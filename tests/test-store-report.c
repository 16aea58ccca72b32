/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monthly report's range figures (payam-store-report.c, payam_store_get_coverage_range)
 * on a store built by hand with a fixed clock: intake by channel at the range's edges,
 * worksheets due in the range finished on time, late or not at all, messages open at a
 * time, ratings made in the range, and coverage of the messages filed in it. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "payam-store-crews.h"
#include "payam-store-ratings.h"
#include "payam-store-report.h"
#include "payam-store-worksheets.h"

typedef struct {
  char       *dir;
  char       *path;
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
set_now (Fixture   *f,
         GDateTime *when)
{
  g_clear_pointer (&f->now, g_date_time_unref);
  f->now = g_date_time_ref (when);
}

static GDateTime *
at (const char *iso)
{
  GDateTime *when = g_date_time_new_from_iso8601 (iso, NULL);

  assert_non_null (when);
  return when;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = at ("2026-11-01T08:00:00Z");

  f->dir = g_dir_make_tmp ("payam-store-report-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  set_now (f, start);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  if (!payam_store_load_defaults (f->store, &error))
    fail_msg ("defaults: %s", error->message);
  f->crew = payam_store_add_crew (f->store, "اکیپ ۱", "tohid", &error);
  assert_non_null (f->crew);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->crew);
  g_clear_pointer (&f->now, g_date_time_unref);
  g_free (f);
  return 0;
}

static PayamRequest *
add_request (Fixture      *f,
             const char   *iso,
             PayamChannel  channel,
             const char   *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = at (iso);
  PayamRequestDraft draft = {
    .text = "چاله در خیابان",
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = channel,
    .phone = phone,
  };
  PayamRequest *request;

  set_now (f, when);
  request = payam_store_add_request (f->store, &draft, &error);
  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

static void
assign (Fixture            *f,
        const PayamRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!payam_store_assign_crew (f->store, request->id, f->crew, &error))
    fail_msg ("assign: %s", error->message);
}

/* Mark @request's work done at @when. */
static void
done_at (Fixture            *f,
         const PayamRequest *request,
         GDateTime          *when)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { .kind = PAYAM_ACTION_DONE, .public_words = "انجام شد" };
  g_autofree char *action = NULL;

  set_now (f, when);
  action = payam_store_add_action (f->store, request->id, &draft, PAYAM_ROLE_OFFICE, &error);
  if (action == NULL)
    fail_msg ("done: %s", error->message);
}

static gint64
count_of (GPtrArray  *rows,
          const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PayamDashCount *c = rows->pdata[i];

      if (g_strcmp0 (c->key, key) == 0)
        return c->count;
    }
  return 0;
}

static gint64
total_of (GPtrArray *rows)
{
  gint64 n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += ((PayamDashCount *) rows->pdata[i])->count;
  return n;
}

static void
test_intake_by_channel (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since = at ("2026-11-10T00:00:00Z");
  g_autoptr(GDateTime) until = at ("2026-11-20T00:00:00Z");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PayamRequest) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;

  a = add_request (f, "2026-11-10T00:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);    /* in: the start */
  b = add_request (f, "2026-11-15T00:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  c = add_request (f, "2026-11-19T23:59:59Z", PAYAM_CHANNEL_PHONE, NULL);
  d = add_request (f, "2026-11-20T00:00:00Z", PAYAM_CHANNEL_OFFICE, NULL);   /* out: the end */
  e = add_request (f, "2026-11-09T23:59:59Z", PAYAM_CHANNEL_OFFICE, NULL);

  rows = payam_store_range_intake_by_channel (f->store, since, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 2);
  assert_int_equal (count_of (rows, "kiosk"), 2);
  assert_int_equal (count_of (rows, "phone"), 1);
  assert_int_equal (count_of (rows, "office"), 0);
}

static void
test_worksheets_and_open (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) on_time = NULL, late = NULL, never = NULL, unassigned = NULL;
  g_autoptr(GDateTime) since = at ("2026-11-01T08:00:00Z");
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) early_done = NULL;
  g_autoptr(GDateTime) late_done = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GPtrArray) open_before = NULL;
  g_autoptr(GPtrArray) open_after = NULL;
  PayamRangeWorksheets ws;

  on_time = add_request (f, "2026-11-01T08:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  late = add_request (f, "2026-11-01T08:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  never = add_request (f, "2026-11-01T08:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  unassigned = add_request (f, "2026-11-01T08:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  assign (f, on_time);
  assign (f, late);
  assign (f, never);

  /* One minute before its deadline, and one after. */
  early_done = g_date_time_add_minutes (on_time->due_at, -1);
  late_done = g_date_time_add_minutes (late->due_at, 1);
  done_at (f, on_time, early_done);
  done_at (f, late, late_done);

  /* Every deadline in the range, which ends a day after the last finish. */
  until = g_date_time_add_days (late_done, 1);
  assert_true (payam_store_range_worksheets (f->store, since, until, &ws, &error));
  assert_int_equal (ws.due, 3);
  assert_int_equal (ws.late, 2);
  assert_int_equal (ws.unfinished, 1);

  /* A range that ends before the late one is finished: it is still unfinished then. */
  {
    g_autoptr(GDateTime) cut = g_date_time_add_seconds (late_done, -1);
    PayamRangeWorksheets at_cut;

    assert_true (payam_store_range_worksheets (f->store, since, cut, &at_cut, &error));
    assert_int_equal (at_cut.due, 3);
    assert_int_equal (at_cut.unfinished, 2);
  }
  /* A range after every deadline has none. */
  {
    g_autoptr(GDateTime) later = g_date_time_add_days (until, 1);

    assert_true (payam_store_range_worksheets (f->store, until, later, &ws, &error));
    assert_int_equal (ws.due, 0);
  }

  /* Open just before the first is done: all four; just after the second: two. */
  before = g_date_time_add_seconds (early_done, -1);
  after = g_date_time_add_seconds (late_done, 1);
  open_before = payam_store_range_open_at (f->store, before, &error);
  assert_non_null (open_before);
  assert_int_equal (total_of (open_before), 4);
  open_after = payam_store_range_open_at (f->store, after, &error);
  assert_non_null (open_after);
  assert_int_equal (total_of (open_after), 2);
  {
    g_autofree char *key = g_strdup_printf ("%d", (int) never->priority);
    assert_true (count_of (open_after, key) >= 1);
  }
}

static void
test_ratings_and_coverage (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) in1 = NULL, in2 = NULL, in3 = NULL, out = NULL;
  g_autoptr(GDateTime) since = at ("2026-11-10T00:00:00Z");
  g_autoptr(GDateTime) until = at ("2026-11-20T00:00:00Z");
  g_autoptr(GDateTime) t1 = at ("2026-11-12T00:00:00Z");
  g_autoptr(GDateTime) t2 = at ("2026-11-21T00:00:00Z");
  g_autoptr(GPtrArray) overall = NULL;
  g_autoptr(GPtrArray) by_outcome = NULL;
  const PayamCoverageRow *row;
  PayamDashRatings ratings;
  gint64 comments = -1;

  in1 = add_request (f, "2026-11-11T00:00:00Z", PAYAM_CHANNEL_KIOSK, "09121234567");
  in2 = add_request (f, "2026-11-11T01:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);
  in3 = add_request (f, "2026-11-11T02:00:00Z", PAYAM_CHANNEL_KIOSK, NULL);  /* still open */
  out = add_request (f, "2026-11-05T00:00:00Z", PAYAM_CHANNEL_KIOSK, "09121234568");
  assign (f, in1);
  assign (f, in2);
  assign (f, in3);
  assign (f, out);
  done_at (f, in1, t1);
  done_at (f, in2, t1);
  done_at (f, out, t1);

  /* Ratings made in the range: in1 (5, a comment) and out (3); in2's is made after it. */
  set_now (f, t1);
  g_free (payam_store_add_rating (f->store, in1->id, 5, "ممنون", &error));
  g_assert_no_error (error);
  g_free (payam_store_add_rating (f->store, out->id, 3, "  ", &error));
  g_assert_no_error (error);
  set_now (f, t2);
  g_free (payam_store_add_rating (f->store, in2->id, 1, "دیر", &error));
  g_assert_no_error (error);
  assert_true (payam_store_range_ratings (f->store, since, until, &ratings, &comments, &error));
  assert_int_equal (ratings.n, 2);
  assert_int_equal (ratings.by_score[4], 1);
  assert_int_equal (ratings.by_score[2], 1);
  assert_int_equal (ratings.by_score[0], 0);
  assert_true (ratings.average > 3.99 && ratings.average < 4.01);
  assert_int_equal (comments, 1);

  /* Coverage of the messages filed in the range: in1 (text message queued) and in2 (no
   * phone, code not looked up); not out, filed before it, nor in3, open. */
  overall = payam_store_get_coverage_range (f->store, PAYAM_COVERAGE_OVERALL, since, until,
                                            &error);
  assert_non_null (overall);
  assert_int_equal (overall->len, 1);
  row = overall->pdata[0];
  assert_int_equal (row->owed, 2);
  assert_int_equal (row->told, 0);
  assert_int_equal (row->queued, 1);
  assert_int_equal (row->no_phone, 1);
  assert_int_equal (row->failed, 0);

  /* The citizen without a phone looks the code up: told. */
  assert_true (payam_store_record_lookup (f->store, in2->id, NULL, &error));
  by_outcome = payam_store_get_coverage_range (f->store, PAYAM_COVERAGE_BY_OUTCOME, since,
                                               until, &error);
  assert_non_null (by_outcome);
  assert_int_equal (by_outcome->len, 1);
  row = by_outcome->pdata[0];
  assert_string_equal (row->key, "done");
  assert_int_equal (row->owed, 2);
  assert_int_equal (row->told, 1);
  assert_int_equal (row->no_phone, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_intake_by_channel, setup, teardown),
    cmocka_unit_test_setup_teardown (test_worksheets_and_open, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ratings_and_coverage, setup, teardown),
  };

  return cmocka_run_group_tests_name ("store-report", tests, NULL, NULL);
}
