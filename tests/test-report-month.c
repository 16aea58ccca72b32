/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monthly report's month (src/report/payam-report-monthly.c): "YYYY-MM" in any digits
 * read or refused, and a Jalali month as its UTC range [from, to), Esfand of a leap year
 * and of a common year included. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>

#include "payam-report-monthly.h"

/* The range of @year-@month as two ISO 8601 UTC strings, compared with the expected. */
static void
assert_range (int         year,
              int         month,
              const char *from_iso,
              const char *to_iso,
              int         days)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GDateTime) want_from = g_date_time_new_from_iso8601 (from_iso, NULL);
  g_autoptr(GDateTime) want_to = g_date_time_new_from_iso8601 (to_iso, NULL);

  assert_true (payam_report_month_range (year, month, &from, &to));
  if (!g_date_time_equal (from, want_from) || !g_date_time_equal (to, want_to))
    {
      g_autofree char *a = g_date_time_format_iso8601 (from);
      g_autofree char *b = g_date_time_format_iso8601 (to);
      fail_msg ("%d-%02d: [%s, %s), want [%s, %s)", year, month, a, b, from_iso, to_iso);
    }
  assert_int_equal (g_date_time_difference (to, from) / G_TIME_SPAN_DAY, days);
}

static void
test_ranges (void **state)
{
  /* Azar 1405: 1 Azar is 22 November 2026, midnight in Tehran (+03:30). */
  assert_range (1405, 9, "2026-11-21T20:30:00Z", "2026-12-21T20:30:00Z", 30);
  /* The first six months have 31 days. */
  assert_range (1405, 1, "2026-03-20T20:30:00Z", "2026-04-20T20:30:00Z", 31);
  assert_range (1405, 6, "2026-08-22T20:30:00Z", "2026-09-22T20:30:00Z", 31);
  assert_range (1405, 7, "2026-09-22T20:30:00Z", "2026-10-22T20:30:00Z", 30);
  /* Esfand runs into the next year's Farvardin: 30 days in the leap year 1403, 29 in 1404. */
  assert_range (1403, 12, "2025-02-18T20:30:00Z", "2025-03-20T20:30:00Z", 30);
  assert_range (1404, 12, "2026-02-19T20:30:00Z", "2026-03-20T20:30:00Z", 29);
}

static void
test_range_refused (void **state)
{
  GDateTime *from = NULL, *to = NULL;

  assert_false (payam_report_month_range (1405, 0, &from, &to));
  assert_false (payam_report_month_range (1405, 13, &from, &to));
  assert_null (from);
  assert_null (to);
}

static void
test_parse (void **state)
{
  static const struct {
    const char *text;
    int         year;
    int         month;
  } good[] = {
    { "1405-09", 1405, 9 },
    { "1405-9", 1405, 9 },
    { "۱۴۰۵-۰۹", 1405, 9 },
    { "١٤٠٣-١٢", 1403, 12 },
    { "1404/12", 1404, 12 },
    { "1405-01", 1405, 1 },
  };
  static const char * const bad[] = {
    "", "1405", "1405-", "1405-13", "1405-00", "1405-123", "140509", "1405-09x", " 1405-09",
    "99-09", "۹۹-۰۹", "14055-01", "abcd-ef", "1299-05", "1500-01", "1405--09",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      int year = 0, month = 0;

      if (!payam_report_parse_month (good[i].text, &year, &month, &error))
        fail_msg ("“%s”: %s", good[i].text, error->message);
      assert_int_equal (year, good[i].year);
      assert_int_equal (month, good[i].month);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int year = 0, month = 0;

      if (payam_report_parse_month (bad[i], &year, &month, &error))
        fail_msg ("“%s” read as %d-%d", bad[i], year, month);
      assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      assert_int_equal (year, 0);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_ranges),
    cmocka_unit_test (test_range_refused),
    cmocka_unit_test (test_parse),
  };

  return cmocka_run_group_tests_name ("report-month", tests, NULL, NULL);
}
