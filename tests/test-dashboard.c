/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dashboard's figures (payam-store-dashboard.c) on a store built by hand: open
 * messages, overdue worksheets, today's intake in Asia/Tehran, time to done with its 90th
 * percentile, ratings, and intake by day, category and neighbourhood. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "payam-store-dashboard.h"
#include "payam-store-feedback.h"
#include "payam-store-ratings.h"
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

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-dashboard-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
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
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

/* Set the fixture's clock to @iso. */
static void
set_now (Fixture    *f,
         const char *iso)
{
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 (iso, NULL);
  assert_non_null (f->now);
}

static PayamRequest *
add_request (Fixture    *f,
             const char *category,
             const char *neighbourhood)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "چراغ کوچه خاموش است",
    .category = category,
    .neighbourhood = neighbourhood,
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  PayamRequest *request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

/* Assign the crew to @request's work, and when @done mark it done at the clock's now. */
static void
work (Fixture            *f,
      const PayamRequest *request,
      gboolean            done)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { .kind = PAYAM_ACTION_DONE, .public_words = "انجام شد" };
  g_autofree char *action = NULL;

  if (!payam_store_assign_crew (f->store, request->id, f->crew, &error))
    fail_msg ("assign: %s", error->message);
  if (!done)
    return;
  action = payam_store_add_action (f->store, request->id, &draft, PAYAM_ROLE_OFFICE, &error);
  if (action == NULL)
    fail_msg ("done: %s", error->message);
}

static const PayamDashCount *
find_count (GPtrArray  *rows,
            const char *key,
            const char *key2)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PayamDashCount *c = rows->pdata[i];

      if (g_strcmp0 (c->key, key) == 0 && g_strcmp0 (c->key2, key2) == 0)
        return c;
    }
  return NULL;
}

static void
test_figures (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r7 = NULL;
  g_autoptr(PayamRequest) r5 = NULL, r6 = NULL, r8 = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2026-11-08T20:30:00Z", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2026-12-08T20:30:00Z", NULL);
  PayamDashRatings ratings;
  gint64 today = -1;
  const PayamDashTiming *t;

  /* Filed on 20 November (13:30 in Tehran), done one and three days later. */
  set_now (f, "2026-11-20T10:00:00Z");
  r1 = add_request (f, "asphalt", "tohid");
  r2 = add_request (f, "asphalt", "daryan-e-no");
  r3 = add_request (f, "lighting", "tohid");
  set_now (f, "2026-11-21T10:00:00Z");
  work (f, r1, TRUE);
  r4 = add_request (f, "waste", "tohid");
  work (f, r4, FALSE);
  set_now (f, "2026-11-22T10:00:00Z");
  r7 = add_request (f, "waste", "daryan-e-no");
  work (f, r7, FALSE);
  set_now (f, "2026-11-23T10:00:00Z");
  work (f, r2, TRUE);
  work (f, r3, TRUE);

  /* 7 December 23:30 in Tehran, then 8 December 00:30: a new day there, not in UTC. */
  set_now (f, "2026-12-07T20:00:00Z");
  r5 = add_request (f, "lighting", "tohid");
  set_now (f, "2026-12-07T21:00:00Z");
  r6 = add_request (f, "asphalt", "tohid");
  r8 = add_request (f, "asphalt", "tohid");

  assert_true (payam_store_dash_today_intake (f->store, &today, &error));
  assert_int_equal (today, 2);

  /* Open: r4 and r7 assigned, r5, r6 and r8 registered, each under its own priority. */
  open = payam_store_dash_open (f->store, &error);
  assert_non_null (open);
  {
    PayamRequest *expect[] = { r4, r7, r5, r6, r8 };
    gint64 total = 0;

    for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
      {
        g_autoptr(PayamRequest) now = payam_store_get_request (f->store, expect[i]->id, &error);
        g_autofree char *priority = g_strdup_printf ("%d", (int) now->priority);
        const PayamDashCount *c = find_count (open, payam_status_to_string (now->status),
                                              priority);
        gint64 same = 0;

        assert_non_null (c);
        for (gsize j = 0; j < G_N_ELEMENTS (expect); j++)
          {
            g_autoptr(PayamRequest) other = payam_store_get_request (f->store, expect[j]->id,
                                                                     &error);

            same += other->status == now->status && other->priority == now->priority;
          }
        assert_int_equal (c->count, same);
      }
    for (guint i = 0; i < open->len; i++)
      total += ((PayamDashCount *) open->pdata[i])->count;
    assert_int_equal (total, 5);
    /* Registered before assigned. */
    assert_string_equal (((PayamDashCount *) open->pdata[0])->key, "registered");
    assert_string_equal (((PayamDashCount *) open->pdata[open->len - 1])->key, "assigned");
  }

  /* Overdue: the two unfinished worksheets, r4's deadline first; done ones never. */
  {
    g_autoptr(PayamRequest) a = payam_store_get_request (f->store, r4->id, &error);
    g_autoptr(PayamRequest) b = payam_store_get_request (f->store, r7->id, &error);

    assert_true (g_date_time_compare (a->due_at, f->now) < 0);
    assert_true (g_date_time_compare (a->due_at, b->due_at) < 0);
    rows = payam_store_dash_overdue (f->store, 10, &error);
    assert_non_null (rows);
    assert_int_equal (rows->len, 2);
    assert_string_equal (((PayamDashOverdue *) rows->pdata[0])->group_id, a->group_id);
    assert_string_equal (((PayamDashOverdue *) rows->pdata[1])->group_id, b->group_id);
    assert_string_equal (((PayamDashOverdue *) rows->pdata[0])->crew_id, f->crew);
    assert_string_equal (((PayamDashOverdue *) rows->pdata[0])->status, "assigned");
    assert_int_equal (((PayamDashOverdue *) rows->pdata[0])->members, 1);
    g_clear_pointer (&rows, g_ptr_array_unref);
    rows = payam_store_dash_overdue (f->store, 1, &error);
    assert_int_equal (rows->len, 1);
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  /* Time to done: asphalt 1 and 3 days (mean 2, 90th percentile 3), lighting 3 days. */
  rows = payam_store_dash_time_to_done (f->store, since, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 2);
  t = rows->pdata[0];
  assert_string_equal (t->category, "asphalt");
  assert_int_equal (t->n, 2);
  assert_float_equal (t->mean_seconds, 2 * 86400.0, 1.0);
  assert_float_equal (t->p90_seconds, 3 * 86400.0, 1.0);
  t = rows->pdata[1];
  assert_string_equal (t->category, "lighting");
  assert_int_equal (t->n, 1);
  assert_float_equal (t->p90_seconds, 3 * 86400.0, 1.0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  {
    /* Outside the range: nothing. */
    g_autoptr(GDateTime) late = g_date_time_new_from_iso8601 ("2026-11-24T00:00:00Z", NULL);

    rows = payam_store_dash_time_to_done (f->store, late, until, &error);
    assert_int_equal (rows->len, 0);
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  /* Ratings: 5 with a comment, 2 with a later comment, 4 without. */
  {
    g_autofree char *a = payam_store_add_rating (f->store, r1->id, 5, "عالی بود", &error);
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;

    assert_non_null (a);
    set_now (f, "2026-12-07T21:05:00Z");
    b = payam_store_add_rating (f->store, r2->id, 2, "دیر انجام شد", &error);
    assert_non_null (b);
    c = payam_store_add_rating (f->store, r3->id, 4, NULL, &error);
    assert_non_null (c);
  }
  assert_true (payam_store_dash_ratings (f->store, &ratings, &error));
  assert_int_equal (ratings.n, 3);
  assert_float_equal (ratings.average, 11.0 / 3.0, 1e-9);
  assert_int_equal (ratings.by_score[0], 0);
  assert_int_equal (ratings.by_score[1], 1);
  assert_int_equal (ratings.by_score[3], 1);
  assert_int_equal (ratings.by_score[4], 1);
  rows = payam_store_dash_comments (f->store, 10, &error);
  assert_int_equal (rows->len, 2);
  assert_string_equal (((PayamDashCount *) rows->pdata[0])->key, "دیر انجام شد");
  assert_string_equal (((PayamDashCount *) rows->pdata[0])->key2, r2->tracking_code);
  assert_int_equal (((PayamDashCount *) rows->pdata[0])->count, 2);
  assert_string_equal (((PayamDashCount *) rows->pdata[1])->key, "عالی بود");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Intake over the 30 days to the end of 8 December in Tehran. */
  rows = payam_store_dash_intake (f->store, PAYAM_DASH_BY_DAY, since, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 5);
  assert_string_equal (((PayamDashCount *) rows->pdata[0])->key, "2026-11-20");
  assert_int_equal (((PayamDashCount *) rows->pdata[0])->count, 3);
  assert_string_equal (((PayamDashCount *) rows->pdata[3])->key, "2026-12-07");
  assert_int_equal (((PayamDashCount *) rows->pdata[3])->count, 1);
  assert_string_equal (((PayamDashCount *) rows->pdata[4])->key, "2026-12-08");
  assert_int_equal (((PayamDashCount *) rows->pdata[4])->count, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = payam_store_dash_intake (f->store, PAYAM_DASH_BY_CATEGORY, since, until, &error);
  assert_int_equal (rows->len, 3);
  assert_int_equal (find_count (rows, "asphalt", NULL)->count, 4);
  assert_int_equal (find_count (rows, "lighting", NULL)->count, 2);
  assert_int_equal (find_count (rows, "waste", NULL)->count, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = payam_store_dash_intake (f->store, PAYAM_DASH_BY_NEIGHBOURHOOD, since, until, &error);
  assert_int_equal (rows->len, 2);
  assert_int_equal (find_count (rows, "tohid", NULL)->count, 6);
  assert_int_equal (find_count (rows, "daryan-e-no", NULL)->count, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
}

/* A 90th percentile over ten: the ninth smallest time. */
static void
test_percentile (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2026-01-01T00:00:00Z", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2027-01-01T00:00:00Z", NULL);
  const PayamDashTiming *t;

  for (int i = 1; i <= 10; i++)
    {
      g_autoptr(PayamRequest) r = NULL;
      g_autofree char *iso = g_strdup_printf ("2026-10-%02dT08:00:00Z", i);
      g_autoptr(GDateTime) done_at = NULL;

      set_now (f, iso);
      r = add_request (f, "asphalt", "tohid");
      /* Done i hours later. */
      done_at = g_date_time_add_hours (f->now, i);
      g_date_time_unref (f->now);
      f->now = g_steal_pointer (&done_at);
      work (f, r, TRUE);
    }
  rows = payam_store_dash_time_to_done (f->store, since, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 1);
  t = rows->pdata[0];
  assert_int_equal (t->n, 10);
  assert_float_equal (t->mean_seconds, 5.5 * 3600.0, 1.0);
  assert_float_equal (t->p90_seconds, 9 * 3600.0, 1.0);
}

/* Coverage over time: citizens counted on the Tehran day of their outcome notice (21:00 UTC
 * is the next day in Tehran), told once looked up. */
static void
test_coverage_by_day (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2026-10-01T00:00:00Z", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2026-11-01T00:00:00Z", NULL);
  g_autoptr(PayamRequest) a = NULL;
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamRequest) c = NULL;
  const PayamCoverageRow *row;

  set_now (f, "2026-10-05T08:00:00Z");
  a = add_request (f, "asphalt", "tohid");
  b = add_request (f, "lighting", "tohid");
  c = add_request (f, "lighting", "tohid");
  work (f, a, TRUE);
  work (f, b, TRUE);
  set_now (f, "2026-10-05T21:00:00Z");
  work (f, c, TRUE);
  set_now (f, "2026-10-06T22:00:00Z");
  assert_true (payam_store_record_lookup (f->store, a->id, NULL, &error));

  rows = payam_store_dash_coverage_by_day (f->store, since, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 2);
  row = rows->pdata[0];
  assert_string_equal (row->key, "2026-10-05");
  assert_int_equal (row->owed, 2);
  assert_int_equal (row->told, 1);
  row = rows->pdata[1];
  assert_string_equal (row->key, "2026-10-06");
  assert_int_equal (row->owed, 1);
  assert_int_equal (row->told, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Outside the range: nothing. */
  rows = payam_store_dash_coverage_by_day (f->store, until, until, &error);
  assert_non_null (rows);
  assert_int_equal (rows->len, 0);
}

/* data_version moves when another connection commits, not for this one's own commits. */
static void
test_data_version (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) mine = NULL;
  gint64 before, after;

  assert_true (payam_store_dash_data_version (f->store, &before, &error));
  mine = add_request (f, "asphalt", "tohid");
  assert_true (payam_store_dash_data_version (f->store, &after, &error));
  assert_int_equal (before, after);
  {
    g_autoptr(PayamStore) other = payam_store_open (f->path, &error);
    PayamRequestDraft draft = {
      .text = "چاله", .category = "asphalt", .neighbourhood = "tohid",
      .channel = PAYAM_CHANNEL_KIOSK,
    };
    g_autoptr(PayamRequest) theirs = NULL;

    assert_non_null (other);
    payam_store_set_actor (other, "test");
    theirs = payam_store_add_request (other, &draft, &error);
    assert_non_null (theirs);
  }
  assert_true (payam_store_dash_data_version (f->store, &after, &error));
  assert_true (after != before);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_figures, setup, teardown),
    cmocka_unit_test_setup_teardown (test_percentile, setup, teardown),
    cmocka_unit_test_setup_teardown (test_coverage_by_day, setup, teardown),
    cmocka_unit_test_setup_teardown (test_data_version, setup, teardown),
  };

  setlocale (LC_ALL, "");
  return cmocka_run_group_tests_name ("dashboard", tests, NULL, NULL);
}
