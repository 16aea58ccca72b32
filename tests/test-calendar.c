/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the Jalali calendar conversions in Asia/Tehran. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-calendar.h"

typedef struct {
  const char *iso;   /* an instant, with its offset */
  int year, month, day;
} ToJalaliCase;

static const ToJalaliCase to_jalali_cases[] = {
  { "2026-11-29T12:00:00+03:30", 1405, 9, 8 },
  { "2024-03-20T12:00:00+03:30", 1403, 1, 1 },
  { "2024-03-19T12:00:00+03:30", 1402, 12, 29 },
  { "2025-03-21T12:00:00+03:30", 1404, 1, 1 },
  { "2025-03-20T12:00:00+03:30", 1403, 12, 30 },  /* 1403 is leap */
  { "2026-03-20T12:00:00+03:30", 1404, 12, 29 },  /* 1404 is not */
  { "2026-03-21T12:00:00+03:30", 1405, 1, 1 },
  { "2023-03-21T00:00:00+03:30", 1402, 1, 1 },
  { "1979-04-01T12:00:00+03:30", 1358, 1, 12 },   /* Islamic Republic Day */
  /* The date is Tehran's, whatever the zone of the instant: */
  { "2026-11-29T21:00:00Z", 1405, 9, 9 },         /* 00:30 the next day in Tehran */
  { "2026-11-29T20:29:59Z", 1405, 9, 8 },         /* 23:59:59 in Tehran */
  { "2026-11-29T20:30:00Z", 1405, 9, 9 },
  { "2026-11-29T23:00:00-05:00", 1405, 9, 9 },
};

static void
test_to_jalali (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (to_jalali_cases); i++)
    {
      const ToJalaliCase *c = &to_jalali_cases[i];
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (c->iso, NULL);
      PayamJalaliDate j;

      assert_non_null (when);
      j = payam_calendar_to_jalali (when);
      if (j.year != c->year || j.month != c->month || j.day != c->day)
        fail_msg ("%s: got %d/%d/%d, expected %d/%d/%d", c->iso,
                  j.year, j.month, j.day, c->year, c->month, c->day);
    }
}

typedef struct {
  int year, month, day;
  const char *expected;  /* local midnight in Tehran as ISO 8601, or NULL: no such day */
} FromJalaliCase;

static const FromJalaliCase from_jalali_cases[] = {
  { 1405, 9, 8, "2026-11-29T00:00:00+03:30" },
  { 1403, 1, 1, "2024-03-20T00:00:00+03:30" },
  { 1404, 1, 1, "2025-03-21T00:00:00+03:30" },
  { 1403, 12, 30, "2025-03-20T00:00:00+03:30" },
  { 1404, 12, 30, NULL },
  { 1404, 12, 29, "2026-03-20T00:00:00+03:30" },
  { 1408, 12, 30, "2030-03-20T00:00:00+03:30" },  /* next leap year */
  { 1405, 6, 31, "2026-09-22T00:00:00+03:30" },
  { 1405, 7, 31, NULL },   /* months 7…11 have 30 days */
  { 1405, 11, 30, "2027-02-19T00:00:00+03:30" },
  { 1405, 0, 1, NULL },
  { 1405, 13, 1, NULL },
  { 1405, 1, 0, NULL },
  { 1405, 1, 32, NULL },
  { 0, 1, 1, NULL },
  { -5, 1, 1, NULL },
  { 10000, 1, 1, NULL },
};

static void
test_from_jalali (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (from_jalali_cases); i++)
    {
      const FromJalaliCase *c = &from_jalali_cases[i];
      PayamJalaliDate date = { c->year, c->month, c->day };
      g_autoptr(GDateTime) start = payam_calendar_from_jalali (date);
      g_autofree char *got = start ? g_date_time_format_iso8601 (start) : NULL;

      if (g_strcmp0 (got, c->expected) != 0)
        fail_msg ("%d/%d/%d: got %s, expected %s", c->year, c->month, c->day,
                  got ? got : "NULL", c->expected ? c->expected : "NULL");
    }
}

/* Every day of 1400…1410: the start of the day maps back to the same date, consecutive
 * days are 24 hours apart (no DST since 2022; 1400 and 1401 still had it, so there the
 * gap is 23 or 25 hours twice a year), and month lengths follow the calendar. */
static void
test_round_trip (void **state)
{
  g_autoptr(GDateTime) previous = NULL;
  int days = 0;

  for (int year = 1400; year <= 1410; year++)
    {
      int year_days = 0;

      for (int month = 1; month <= 12; month++)
        for (int day = 1; day <= 31; day++)
          {
            PayamJalaliDate date = { year, month, day };
            g_autoptr(GDateTime) start = payam_calendar_from_jalali (date);
            g_autoptr(GDateTime) late = NULL;
            PayamJalaliDate back;
            int month_days = month <= 6 ? 31 : 30;

            if (day > month_days)
              {
                /* Esfand 30 exists in leap years only; checked below by year length. */
                assert_null (start);
                continue;
              }
            if (month == 12 && day == 30 && start == NULL)
              continue;
            if (start == NULL)
              fail_msg ("%d/%d/%d should exist", year, month, day);

            back = payam_calendar_to_jalali (start);
            assert_int_equal (back.year, year);
            assert_int_equal (back.month, month);
            assert_int_equal (back.day, day);

            /* The last second of the day is still the same date; before 1402 days
             * around the DST changes had 23 or 25 hours and midnight could be skipped. */
            if (year >= 1402)
              {
                late = g_date_time_add_seconds (start, 86399);
                back = payam_calendar_to_jalali (late);
                assert_int_equal (back.day, day);
                assert_int_equal (g_date_time_get_hour (start), 0);
              }
            if (previous != NULL)
              {
                GTimeSpan gap = g_date_time_difference (start, previous);

                if (year >= 1402)
                  assert_int_equal (gap, G_TIME_SPAN_DAY);
                else
                  assert_true (gap >= G_TIME_SPAN_DAY - G_TIME_SPAN_HOUR
                               && gap <= G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
              }
            g_clear_pointer (&previous, g_date_time_unref);
            previous = g_date_time_ref (start);
            year_days++;
            days++;
          }

      /* 33-year cycle: 1403 and 1408 are the leap years of this range. */
      if (year == 1403 || year == 1408)
        assert_int_equal (year_days, 366);
      else
        assert_int_equal (year_days, 365);
    }

  assert_int_equal (days, 11 * 365 + 2);
}

static void
test_tehran_zone (void **state)
{
  GTimeZone *zone = payam_calendar_tehran ();
  g_autoptr(GDateTime) summer = NULL;
  g_autoptr(GDateTime) winter = NULL;

  assert_non_null (zone);
  /* Cached: the same object every time. */
  assert_ptr_equal (zone, payam_calendar_tehran ());

  summer = g_date_time_new (zone, 2026, 7, 1, 12, 0, 0);
  winter = g_date_time_new (zone, 2026, 1, 1, 12, 0, 0);
  assert_int_equal (g_date_time_get_utc_offset (summer), 3 * G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE);
  assert_int_equal (g_date_time_get_utc_offset (winter), 3 * G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE);
}

static gpointer
convert_in_thread (gpointer data)
{
  int year = GPOINTER_TO_INT (data);

  for (int month = 1; month <= 12; month++)
    for (int day = 1; day <= 29; day++)
      {
        PayamJalaliDate date = { year, month, day };
        g_autoptr(GDateTime) start = payam_calendar_from_jalali (date);
        PayamJalaliDate back = payam_calendar_to_jalali (start);

        if (back.year != year || back.month != month || back.day != day)
          return GINT_TO_POINTER (FALSE);
      }

  return GINT_TO_POINTER (TRUE);
}

/* The shared ICU calendar is locked: threads converting different years at once never
 * see each other's fields. */
static void
test_threads (void **state)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("convert", convert_in_thread, GINT_TO_POINTER (1400 + i * 3));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_to_jalali),
    cmocka_unit_test (test_from_jalali),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_tehran_zone),
    cmocka_unit_test (test_threads),
  };

  return cmocka_run_group_tests_name ("calendar", tests, NULL, NULL);
}
