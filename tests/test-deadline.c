/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of work calendars and deadlines on the Iranian working week. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "payam-deadline.h"

/* Two working days for high, five for normal, on a 7-hour day. */
static const PayamDeadlineRule standard = { 4, 14, 35 };
static const PayamDeadlineRule short_rule = { 24, 4, 8 };

static PayamWorkCalendar *
calendar_from_string (const char  *json,
                      GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, error);

  if (node == NULL)
    return NULL;
  return payam_work_calendar_new_from_json (node, error);
}

static void
test_default_calendar (void **state)
{
  g_autoptr(PayamWorkCalendar) calendar = payam_work_calendar_new_default ();
  guint8 expected_days = 0;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    if (d != G_DATE_FRIDAY)
      expected_days |= 1u << (d - 1);

  assert_int_equal (calendar->work_days, expected_days);
  assert_int_equal (calendar->day_start_min, 7 * 60 + 30);
  assert_int_equal (calendar->day_end_min, 14 * 60 + 30);
  assert_int_equal (calendar->holidays->len, 10);
  for (guint i = 0; i < calendar->holidays->len; i++)
    assert_int_equal (g_array_index (calendar->holidays, PayamJalaliDate, i).year, 0);
}

typedef struct {
  int year, month, day;
  gboolean holiday;
} HolidayCase;

static const HolidayCase holiday_cases[] = {
  { 1405, 1, 1, TRUE }, { 1405, 1, 2, TRUE }, { 1405, 1, 3, TRUE }, { 1405, 1, 4, TRUE },
  { 1405, 1, 5, FALSE }, { 1405, 1, 11, FALSE },
  { 1405, 1, 12, TRUE }, { 1405, 1, 13, TRUE }, { 1405, 1, 14, FALSE },
  { 1405, 3, 13, FALSE }, { 1405, 3, 14, TRUE }, { 1405, 3, 15, TRUE }, { 1405, 3, 16, FALSE },
  { 1405, 11, 22, TRUE }, { 1405, 11, 21, FALSE },
  { 1405, 12, 29, TRUE }, { 1403, 12, 29, TRUE }, { 1403, 12, 30, FALSE },
  { 1405, 9, 8, FALSE },
  { 1410, 1, 1, TRUE },
};

static void
test_is_holiday (void **state)
{
  g_autoptr(PayamWorkCalendar) calendar = payam_work_calendar_new_default ();

  for (gsize i = 0; i < G_N_ELEMENTS (holiday_cases); i++)
    {
      const HolidayCase *c = &holiday_cases[i];
      PayamJalaliDate date = { c->year, c->month, c->day };
      g_autoptr(GDateTime) start = payam_calendar_from_jalali (date);
      g_autoptr(GDateTime) last = NULL;
      g_autoptr(GDateTime) utc = NULL;

      assert_non_null (start);
      last = g_date_time_add_seconds (start, 86399);
      utc = g_date_time_to_utc (start);
      if (payam_work_calendar_is_holiday (calendar, start) != c->holiday
          || payam_work_calendar_is_holiday (calendar, last) != c->holiday
          || payam_work_calendar_is_holiday (calendar, utc) != c->holiday)
        fail_msg ("%d/%d/%d: expected holiday=%d", c->year, c->month, c->day, c->holiday);
    }
}

typedef struct {
  const char              *note;
  const char              *from;      /* ISO 8601 */
  PayamPriority            priority;
  const PayamDeadlineRule *rule;
  const char              *due;       /* ISO 8601, compared as instants */
} DeadlineCase;

static const DeadlineCase default_cases[] = {
  /* 2026-11-28 is Saturday 1405/9/7. */
  { "Saturday morning, high: 6.5 h Sat + 7 h Sun + 0.5 h Mon",
    "2026-11-28T08:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-11-30T08:00:00+03:30" },
  { "Saturday morning, normal: through Thursday",
    "2026-11-28T08:00:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-12-03T08:00:00+03:30" },
  { "Saturday at opening, normal: 35 h end exactly on Wednesday's close",
    "2026-11-28T07:30:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-12-02T14:30:00+03:30" },
  { "Thursday afternoon → Saturday (Friday off)",
    "2026-12-03T13:30:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2026-12-05T10:30:00+03:30" },
  { "Thursday afternoon, high: Thursday 1 h, Saturday 7 h, Sunday 6 h",
    "2026-12-03T13:30:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-12-06T13:30:00+03:30" },
  { "Friday registration starts on Saturday at 7:30",
    "2026-12-04T10:00:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-12-09T14:30:00+03:30" },
  { "Friday registration, short",
    "2026-12-04T10:00:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2026-12-05T11:30:00+03:30" },
  { "Night registration starts at the next opening",
    "2026-11-29T23:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-12-01T14:30:00+03:30" },
  { "Early morning registration",
    "2026-11-30T05:00:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2026-11-30T11:30:00+03:30" },
  { "Registered exactly at closing time counts from the next day",
    "2026-11-28T14:30:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2026-11-29T11:30:00+03:30" },
  { "Registered a minute before closing",
    "2026-11-28T14:29:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2026-11-29T11:29:00+03:30" },
  { "Registration given in UTC is the same instant",
    "2026-11-28T04:30:00Z", PAYAM_PRIORITY_HIGH, &standard, "2026-11-30T08:00:00+03:30" },
  /* 1404/12/28 is Thursday 2026-03-19; 12/29 and 1/1…1/4 are holidays, 1405/1/5 Wednesday. */
  { "Nowruz: evening of 1404/12/28, high → 1405/1/6",
    "2026-03-19T20:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-03-26T14:30:00+03:30" },
  { "Nowruz: evening of 1404/12/28, normal → 1405/1/10 (Friday 1/7 off)",
    "2026-03-19T20:00:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-03-30T14:30:00+03:30" },
  { "Islamic Republic Day and Sizdah Bedar (1405/1/12, 1/13) skipped",
    "2026-03-31T07:30:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-04-07T14:30:00+03:30" },
  { "1405/3/14 and 3/15 (Thursday, Friday) skipped",
    "2026-06-03T10:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-06-07T10:00:00+03:30" },
  { "Oil nationalisation 1405/12/29 then Nowruz 1406",
    "2027-03-18T14:00:00+03:30", PAYAM_PRIORITY_HIGH, &short_rule, "2027-03-25T11:00:00+03:30" },
  /* Urgent work counts around the clock, whatever the day. */
  { "Urgent across a Friday night",
    "2026-12-03T22:00:00+03:30", PAYAM_PRIORITY_URGENT, &standard, "2026-12-04T02:00:00+03:30" },
  { "Urgent over Nowruz, 24 hours",
    "2026-03-19T20:00:00+03:30", PAYAM_PRIORITY_URGENT, &short_rule, "2026-03-20T20:00:00+03:30" },
  { "Urgent during working hours",
    "2026-11-29T09:15:00+03:30", PAYAM_PRIORITY_URGENT, &standard, "2026-11-29T13:15:00+03:30" },
};

static void
check_cases (const PayamWorkCalendar *calendar,
             const DeadlineCase      *cases,
             gsize                    n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const DeadlineCase *c = &cases[i];
      g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 (c->from, NULL);
      g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (c->due, NULL);
      g_autoptr(GDateTime) due = NULL;
      g_autofree char *got = NULL;

      assert_non_null (from);
      assert_non_null (expected);
      due = payam_deadline_compute (calendar, c->rule, c->priority, from);
      assert_non_null (due);
      got = g_date_time_format_iso8601 (due);
      if (!g_date_time_equal (due, expected))
        fail_msg ("%s: got %s, expected %s", c->note, got, c->due);
      /* Always returned in UTC. */
      assert_int_equal (g_date_time_get_utc_offset (due), 0);
    }
}

static void
test_compute_default (void **state)
{
  g_autoptr(PayamWorkCalendar) calendar = payam_work_calendar_new_default ();

  check_cases (calendar, default_cases, G_N_ELEMENTS (default_cases));
}

/* Sunday to Thursday, 8:00–16:00, with a one-off holiday on Monday 1405/9/9. */
static const char custom_json[] =
  "{\"work_days\": [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"],"
  " \"day_start\": \"8:00\", \"day_end\": \"16:00\","
  " \"holidays\": [{\"year\": 1405, \"month\": 9, \"day\": 9, \"name\": \"تعطیلی ویژه\"},"
  "              {\"month\": 1, \"day\": 1}]}";

static const DeadlineCase custom_cases[] = {
  { "Saturday is off: Sunday 8 h, Monday holiday, Tuesday 6 h",
    "2026-11-28T10:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-12-01T14:00:00+03:30" },
  { "A year later the one-off date (1406/9/9, Tuesday) is a working day",
    "2027-11-29T10:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2027-11-30T16:00:00+03:30" },
  { "Urgent still around the clock",
    "2026-11-28T10:00:00+03:30", PAYAM_PRIORITY_URGENT, &standard, "2026-11-28T14:00:00+03:30" },
};

static void
test_custom_calendar (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamWorkCalendar) calendar = calendar_from_string (custom_json, &error);
  PayamJalaliDate one_off = { 1405, 9, 9 };
  PayamJalaliDate next_year = { 1406, 9, 9 };
  g_autoptr(GDateTime) one_off_start = payam_calendar_from_jalali (one_off);
  g_autoptr(GDateTime) next_year_start = payam_calendar_from_jalali (next_year);

  assert_null (error);
  assert_non_null (calendar);
  assert_int_equal (calendar->day_start_min, 8 * 60);
  assert_int_equal (calendar->day_end_min, 16 * 60);
  assert_int_equal (calendar->holidays->len, 2);
  assert_true (payam_work_calendar_is_holiday (calendar, one_off_start));
  assert_false (payam_work_calendar_is_holiday (calendar, next_year_start));

  check_cases (calendar, custom_cases, G_N_ELEMENTS (custom_cases));
}

static const DeadlineCase around_the_clock_cases[] = {
  { "No work days: 35 hours around the clock",
    "2026-11-28T10:00:00+03:30", PAYAM_PRIORITY_NORMAL, &standard, "2026-11-29T21:00:00+03:30" },
  { "No work days: across a Friday",
    "2026-12-03T10:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-12-04T00:00:00+03:30" },
};

static const DeadlineCase whole_day_cases[] = {
  { "Every day 00:00–24:00 with Nowruz: 14 h from 1404/12/29 evening skips 1/1…1/4",
    "2026-03-20T20:00:00+03:30", PAYAM_PRIORITY_HIGH, &standard, "2026-03-25T10:00:00+03:30" },
};

static void
test_around_the_clock (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamWorkCalendar) none = NULL;
  g_autoptr(PayamWorkCalendar) whole = NULL;

  none = calendar_from_string ("{\"work_days\": [], \"day_start\": \"07:30\","
                               " \"day_end\": \"14:30\"}", &error);
  assert_non_null (none);
  check_cases (none, around_the_clock_cases, G_N_ELEMENTS (around_the_clock_cases));

  whole = calendar_from_string ("{\"work_days\": [\"sat\", \"sun\", \"mon\", \"tue\", \"wed\","
                                " \"thu\", \"fri\"], \"day_start\": \"00:00\","
                                " \"day_end\": \"24:00\", \"holidays\": ["
                                " {\"month\": 1, \"day\": 1}, {\"month\": 1, \"day\": 2},"
                                " {\"month\": 1, \"day\": 3}, {\"month\": 1, \"day\": 4}]}",
                                &error);
  assert_non_null (whole);
  assert_int_equal (whole->work_days, 0x7f);
  check_cases (whole, whole_day_cases, G_N_ELEMENTS (whole_day_cases));
}

/* Every date of the year a holiday: the walk gives up after ten idle years and counts
 * around the clock instead of looping. */
static void
test_no_working_time (void **state)
{
  g_autoptr(PayamWorkCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-11-28T10:00:00+03:30", NULL);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) expected = g_date_time_add_hours (from, 14);

  calendar = calendar_from_string ("{\"work_days\": [\"sat\"], \"day_start\": \"07:30\","
                                   " \"day_end\": \"14:30\"}", &error);
  assert_non_null (calendar);
  for (int month = 1; month <= 12; month++)
    for (int day = 1; day <= (month <= 6 ? 31 : 30); day++)
      {
        PayamJalaliDate date = { 0, month, day };
        g_array_append_val (calendar->holidays, date);
      }

  due = payam_deadline_compute (calendar, &standard, PAYAM_PRIORITY_HIGH, from);
  assert_non_null (due);
  assert_true (g_date_time_equal (due, expected));
}

static void
test_zero_and_negative_hours (void **state)
{
  g_autoptr(PayamWorkCalendar) calendar = payam_work_calendar_new_default ();
  static const PayamDeadlineRule zero = { 0, -3, 0 };
  g_autoptr(GDateTime) friday = g_date_time_new_from_iso8601 ("2026-12-04T10:00:00+03:30", NULL);

  for (PayamPriority p = PAYAM_PRIORITY_URGENT; p <= PAYAM_PRIORITY_NORMAL; p++)
    {
      g_autoptr(GDateTime) due = payam_deadline_compute (calendar, &zero, p, friday);

      assert_true (g_date_time_equal (due, friday));
    }
}

typedef struct {
  const char *json;
  const char *needle;  /* must appear in the error message (member names stay as is) */
} BadCase;

static const BadCase bad_cases[] = {
  { "[]", NULL },
  { "\"calendar\"", NULL },
  { "{}", "work_days" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\"}", "day_end" },
  { "{\"work_days\": \"sat\", \"day_start\": \"07:30\", \"day_end\": \"14:30\"}", "work_days" },
  { "{\"work_days\": [\"sat\", 5], \"day_start\": \"07:30\", \"day_end\": \"14:30\"}", "work_days" },
  { "{\"work_days\": [\"saturday\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\"}", "saturday" },
  { "{\"work_days\": [\"Sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\"}", "Sat" },
  { "{\"work_day\": [\"sat\"], \"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\"}",
    "work_day" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"7:30am\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"25:00\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:60\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"24:30\"}", "day_end" },
  { "{\"work_days\": [\"sat\"], \"day_start\": 730, \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \" 7:30\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"-7:30\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:3\", \"day_end\": \"14:30\"}", "day_start" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"14:30\", \"day_end\": \"07:30\"}", "day_end" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"07:30\"}", "day_end" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\", \"holidays\": {}}",
    "holidays" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\", \"holidays\": [1]}",
    "month" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 13, \"day\": 1}]}", "month" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 1}]}", "day" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 7, \"day\": 31}]}", "\"day\":31" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"year\": 1404, \"month\": 12, \"day\": 30}]}", "1404" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"year\": 0, \"month\": 1, \"day\": 1}]}", "year" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 1, \"day\": 1.5}]}", "day" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": \"1\", \"day\": 1}]}", "month" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 1, \"day\": 1, \"name\": 5}]}", "name" },
  { "{\"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
    " \"holidays\": [{\"month\": 1, \"day\": 1, \"date\": \"1/1\"}]}", "date" },
};

static void
test_bad_json (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (c->json, &error);
      g_autoptr(PayamWorkCalendar) calendar = NULL;

      if (node == NULL)
        fail_msg ("test JSON %zu does not parse: %s", i, error->message);
      calendar = payam_work_calendar_new_from_json (node, &error);
      if (calendar != NULL)
        fail_msg ("accepted: %s", c->json);
      assert_non_null (error);
      assert_true (g_error_matches (error, PAYAM_DEADLINE_ERROR, PAYAM_DEADLINE_ERROR_INVALID));
      if (c->needle != NULL && strstr (error->message, c->needle) == NULL)
        fail_msg ("%s: message “%s” does not name %s", c->json, error->message, c->needle);
    }
}

/* Valid edge cases that must be accepted. */
static const char *const good_cases[] = {
  "{\"work_days\": [], \"day_start\": \"0:00\", \"day_end\": \"24:00\"}",
  "{\"work_days\": [\"fri\", \"fri\"], \"day_start\": \"09:05\", \"day_end\": \"9:06\", \"holidays\": []}",
  "{\"comment\": \"note\", \"work_days\": [\"sat\"], \"day_start\": \"07:30\", \"day_end\": \"14:30\","
  " \"holidays\": [{\"year\": 1403, \"month\": 12, \"day\": 30}, {\"month\": 12, \"day\": 30}]}",
};

static void
test_good_json (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamWorkCalendar) calendar = calendar_from_string (good_cases[i], &error);

      if (calendar == NULL)
        fail_msg ("%s refused: %s", good_cases[i], error->message);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_default_calendar),
    cmocka_unit_test (test_is_holiday),
    cmocka_unit_test (test_compute_default),
    cmocka_unit_test (test_custom_calendar),
    cmocka_unit_test (test_around_the_clock),
    cmocka_unit_test (test_no_working_time),
    cmocka_unit_test (test_zero_and_negative_hours),
    cmocka_unit_test (test_bad_json),
    cmocka_unit_test (test_good_json),
  };

  return cmocka_run_group_tests_name ("deadline", tests, NULL, NULL);
}
