/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for Persian number, Jalali date and time-left formatting (payam-format). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-format.h"

/* Tehran is UTC+03:30 in every date below (no daylight saving since 2022, none in 1990
 * either); the moments are built in UTC so that the system time zone data plays no part. */

typedef struct {
  gint64 value;
  const char *number;
  const char *integer;
} NumberCase;

static const NumberCase number_cases[] = {
  { 0, "۰", "۰" },
  { 7, "۷", "۷" },
  { 42, "۴۲", "۴۲" },
  { 999, "۹۹۹", "۹۹۹" },
  { 1000, "۱٬۰۰۰", "۱۰۰۰" },
  { 1234567, "۱٬۲۳۴٬۵۶۷", "۱۲۳۴۵۶۷" },
  { 1000000000, "۱٬۰۰۰٬۰۰۰٬۰۰۰", "۱۰۰۰۰۰۰۰۰۰" },
  /* ICU's fa minus sign is LRM + U+2212 MINUS SIGN */
  { -42, "\u200e\u2212۴۲", "\u200e\u2212۴۲" },
  { -1234, "\u200e\u2212۱٬۲۳۴", "\u200e\u2212۱۲۳۴" },
  { G_MAXINT64, "۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۷", "۹۲۲۳۳۷۲۰۳۶۸۵۴۷۷۵۸۰۷" },
  { G_MININT64, "\u200e\u2212۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۸", "\u200e\u2212۹۲۲۳۳۷۲۰۳۶۸۵۴۷۷۵۸۰۸" },
};

static void
test_numbers (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (number_cases); i++)
    {
      g_autofree char *number = payam_format_number (number_cases[i].value);
      g_autofree char *integer = payam_format_integer (number_cases[i].value);

      assert_string_equal (number, number_cases[i].number);
      assert_string_equal (integer, number_cases[i].integer);
    }
}

typedef struct {
  int year, month, day, hour, minute; /* UTC */
  const char *date;
  const char *date_time;
  const char *date_short;
} DateCase;

static const DateCase date_cases[] = {
  /* 12:00 in Tehran */
  { 2026, 11, 29, 8, 30, "۸ آذر ۱۴۰۵", "۸ آذر ۱۴۰۵، ۱۲:۰۰", "۱۴۰۵/۰۹/۰۸" },
  { 2024, 3, 20, 8, 30, "۱ فروردین ۱۴۰۳", "۱ فروردین ۱۴۰۳، ۱۲:۰۰", "۱۴۰۳/۰۱/۰۱" },
  /* 14:30 in Tehran */
  { 2026, 11, 29, 11, 0, "۸ آذر ۱۴۰۵", "۸ آذر ۱۴۰۵، ۱۴:۳۰", "۱۴۰۵/۰۹/۰۸" },
  /* 1403 is a leap year: 30 Esfand exists, and Nowruz 1404 falls on 21 March */
  { 2025, 3, 20, 8, 30, "۳۰ اسفند ۱۴۰۳", "۳۰ اسفند ۱۴۰۳، ۱۲:۰۰", "۱۴۰۳/۱۲/۳۰" },
  { 2025, 3, 21, 8, 30, "۱ فروردین ۱۴۰۴", "۱ فروردین ۱۴۰۴، ۱۲:۰۰", "۱۴۰۴/۰۱/۰۱" },
  { 2026, 3, 20, 8, 30, "۲۹ اسفند ۱۴۰۴", "۲۹ اسفند ۱۴۰۴، ۱۲:۰۰", "۱۴۰۴/۱۲/۲۹" },
  { 2026, 1, 1, 8, 30, "۱۱ دی ۱۴۰۴", "۱۱ دی ۱۴۰۴، ۱۲:۰۰", "۱۴۰۴/۱۰/۱۱" },
  { 1990, 6, 15, 8, 30, "۲۵ خرداد ۱۳۶۹", "۲۵ خرداد ۱۳۶۹، ۱۲:۰۰", "۱۳۶۹/۰۳/۲۵" },
  /* The day changes in Tehran before it does in UTC: 21:00 UTC is 00:30 next day. */
  { 2026, 11, 28, 21, 0, "۸ آذر ۱۴۰۵", "۸ آذر ۱۴۰۵، ۰۰:۳۰", "۱۴۰۵/۰۹/۰۸" },
  { 2026, 11, 28, 20, 29, "۷ آذر ۱۴۰۵", "۷ آذر ۱۴۰۵، ۲۳:۵۹", "۱۴۰۵/۰۹/۰۷" },
};

static void
test_dates (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      const DateCase *c = &date_cases[i];
      g_autoptr(GDateTime) when = g_date_time_new_utc (c->year, c->month, c->day,
                                                       c->hour, c->minute, 0);
      g_autofree char *date = payam_format_date (when);
      g_autofree char *date_time = payam_format_date_time (when);
      g_autofree char *date_short = payam_format_date_short (when);

      assert_string_equal (date, c->date);
      assert_string_equal (date_time, c->date_time);
      assert_string_equal (date_short, c->date_short);
    }
}

/* The same moment given in another time zone formats the same. */
static void
test_dates_time_zone (void **state)
{
  g_autoptr(GTimeZone) plus_330 = g_time_zone_new_offset (3 * 3600 + 30 * 60);
  g_autoptr(GTimeZone) minus_8 = g_time_zone_new_offset (-8 * 3600);
  g_autoptr(GDateTime) tehran = g_date_time_new (plus_330, 2026, 11, 29, 1, 0, 0);
  g_autoptr(GDateTime) west = g_date_time_to_timezone (tehran, minus_8);
  g_autofree char *a = payam_format_date_time (tehran);
  g_autofree char *b = payam_format_date_time (west);

  /* In UTC−8 it is still 28 November; in Tehran it is already 8 Azar (29 November). */
  assert_int_equal (g_date_time_get_day_of_month (west), 28);
  assert_string_equal (a, "۸ آذر ۱۴۰۵، ۰۱:۰۰");
  assert_string_equal (b, a);
}

/* Twelve months of 1405, from 1 Farvardin (21 March 2026). */
static void
test_month_names (void **state)
{
  static const char *const months[] = {
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
  };
  g_autoptr(GDateTime) nowruz = g_date_time_new_utc (2026, 3, 21, 8, 30, 0);
  int offset = 0;

  for (int m = 0; m < 12; m++)
    {
      g_autoptr(GDateTime) first = g_date_time_add_days (nowruz, offset);
      g_autofree char *date = payam_format_date (first);
      g_autofree char *expected = g_strdup_printf ("۱ %s ۱۴۰۵", months[m]);

      assert_string_equal (date, expected);
      /* The first six months have 31 days, the next five 30. */
      offset += m < 6 ? 31 : 30;
    }
}

#define MINUTE (G_TIME_SPAN_MINUTE / G_TIME_SPAN_SECOND)
#define HOUR (G_TIME_SPAN_HOUR / G_TIME_SPAN_SECOND)
#define DAY (G_TIME_SPAN_DAY / G_TIME_SPAN_SECOND)

typedef struct {
  gint64 seconds; /* due − now */
  const char *text;
} LeftCase;

/* Untranslated (LC_ALL=C.UTF-8), so the English msgids with Persian digits. */
static const LeftCase left_cases[] = {
  { 0, "Less than a minute left" },
  { 59, "Less than a minute left" },
  { MINUTE, "۱ minutes left" },
  { 10 * MINUTE + 59, "۱۰ minutes left" },
  { 59 * MINUTE + 59, "۵۹ minutes left" },
  { HOUR, "۱ hours left" },
  { 3 * HOUR, "۳ hours left" },
  { 3 * HOUR + 10 * MINUTE, "۳ hours and ۱۰ minutes left" },
  { 3 * HOUR + 10 * MINUTE + 59, "۳ hours and ۱۰ minutes left" },
  { 23 * HOUR + 59 * MINUTE + 59, "۲۳ hours and ۵۹ minutes left" },
  { DAY, "۱ days left" },
  { 2 * DAY + 23 * HOUR, "۲ days left" },
  { 1234 * DAY, "۱۲۳۴ days left" },
  { -1, "Less than a minute past the deadline" },
  { -59, "Less than a minute past the deadline" },
  { -MINUTE, "۱ minutes past the deadline" },
  { -5 * HOUR, "۵ hours past the deadline" },
  { -5 * HOUR - 40 * MINUTE - 30, "۵ hours and ۴۰ minutes past the deadline" },
  { -DAY + 1, "۲۳ hours and ۵۹ minutes past the deadline" },
  { -3 * DAY - 5 * HOUR, "۳ days past the deadline" },
};

static void
test_time_left (void **state)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 29, 8, 30, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (left_cases); i++)
    {
      g_autoptr(GDateTime) due = g_date_time_add_seconds (now, (gdouble) left_cases[i].seconds);
      g_autofree char *text = payam_format_time_left (now, due);

      if (g_strcmp0 (text, left_cases[i].text) != 0)
        print_error ("case %" G_GSIZE_FORMAT ": \"%s\"\n", i, text);
      assert_string_equal (text, left_cases[i].text);
      /* Never an ASCII digit in what a person reads. */
      assert_null (strpbrk (text, "0123456789"));
    }
}

/* Sub-second parts and time zones do not change the answer. */
static void
test_time_left_zones (void **state)
{
  g_autoptr(GTimeZone) tehran = g_time_zone_new_offset (3 * 3600 + 30 * 60);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 29, 8, 30, 0.25);
  g_autoptr(GDateTime) due = g_date_time_new (tehran, 2026, 11, 29, 15, 10, 0.75);
  g_autofree char *left = payam_format_time_left (now, due);
  g_autofree char *past = payam_format_time_left (due, now);

  assert_string_equal (left, "۳ hours and ۱۰ minutes left");
  assert_string_equal (past, "۳ hours and ۱۰ minutes past the deadline");
}

#define N_THREADS 8

static gpointer
format_many (gpointer data)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 29, 11, 0, 0);

  for (int i = 0; i < 500; i++)
    {
      g_autofree char *number = payam_format_number (1234567);
      g_autofree char *date = payam_format_date_time (when);

      if (strcmp (number, "۱٬۲۳۴٬۵۶۷") != 0 || strcmp (date, "۸ آذر ۱۴۰۵، ۱۴:۳۰") != 0)
        return GINT_TO_POINTER (1);
    }
  return GINT_TO_POINTER (0);
}

/* The shared ICU formatters are used from several threads at once without harm. */
static void
test_threads (void **state)
{
  GThread *threads[N_THREADS];
  int failures = 0;

  for (int i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("format", format_many, NULL);
  for (int i = 0; i < N_THREADS; i++)
    failures += GPOINTER_TO_INT (g_thread_join (threads[i]));
  assert_int_equal (failures, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_numbers),
    cmocka_unit_test (test_dates),
    cmocka_unit_test (test_dates_time_zone),
    cmocka_unit_test (test_month_names),
    cmocka_unit_test (test_time_left),
    cmocka_unit_test (test_time_left_zones),
    cmocka_unit_test (test_threads),
  };

  return cmocka_run_group_tests_name ("format", tests, NULL, NULL);
}
