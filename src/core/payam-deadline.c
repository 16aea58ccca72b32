/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Work calendars (Iranian working week, Jalali holidays) and deadlines computed on them. */
#define G_LOG_DOMAIN "payam-deadline"
#include "config.h"

#include <stdarg.h>
#include <glib/gi18n-lib.h>

#include "payam-core-resources.h"
#include "payam-deadline.h"

#define DEFAULT_CALENDAR_PATH "/ir/payam/Payam/core/data/calendar.json"

/* A walk that meets this many days in a row without a minute of working time (a calendar
 * whose every working day is a holiday) gives up and counts around the clock. */
#define MAX_IDLE_DAYS (10 * 366)

G_DEFINE_QUARK (payam-deadline-error-quark, payam_deadline_error)

static const struct {
  const char   *name;
  GDateWeekday  weekday;
} weekday_names[] = {
  { "mon", G_DATE_MONDAY },
  { "tue", G_DATE_TUESDAY },
  { "wed", G_DATE_WEDNESDAY },
  { "thu", G_DATE_THURSDAY },
  { "fri", G_DATE_FRIDAY },
  { "sat", G_DATE_SATURDAY },
  { "sun", G_DATE_SUNDAY },
};

static void set_invalid (GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, PAYAM_DEADLINE_ERROR, PAYAM_DEADLINE_ERROR_INVALID, message);
}

static PayamWorkCalendar *
work_calendar_new_empty (void)
{
  PayamWorkCalendar *calendar = g_new0 (PayamWorkCalendar, 1);

  calendar->holidays = g_array_new (FALSE, FALSE, sizeof (PayamJalaliDate));
  return calendar;
}

/**
 * payam_work_calendar_free:
 * @calendar: (nullable): a calendar
 *
 * Frees @calendar and its holidays.
 */
void
payam_work_calendar_free (PayamWorkCalendar *calendar)
{
  if (calendar == NULL)
    return;

  g_clear_pointer (&calendar->holidays, g_array_unref);
  g_free (calendar);
}

/* TRUE when @node holds a JSON integer; stores it in @out. */
static gboolean
get_int (JsonNode *node,
         gint64   *out)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return TRUE;
}

/* Minutes after midnight of "HH:MM" (hours 0…24, 24:00 only as an end) in @node, or -1
 * when it is not such a string. */
static int
parse_time (JsonNode *node)
{
  const char *text;
  int hours, minutes;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;

  text = json_node_get_string (node);
  /* Exactly "H:MM" or "HH:MM"; sscanf would also accept signs and spaces. */
  if (g_ascii_isdigit (text[0]) && text[1] == ':')
    {
      hours = text[0] - '0';
      text += 2;
    }
  else if (g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) && text[2] == ':')
    {
      hours = (text[0] - '0') * 10 + (text[1] - '0');
      text += 3;
    }
  else
    return -1;

  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || text[2] != '\0')
    return -1;
  minutes = (text[0] - '0') * 10 + (text[1] - '0');

  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return -1;

  return hours * 60 + minutes;
}

static gboolean
parse_work_days (JsonNode  *node,
                 guint8    *out,
                 GError   **error)
{
  JsonArray *array;
  guint8 days = 0;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_invalid (error, _("“work_days” must be a list of weekday names"));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name;
      gboolean found = FALSE;

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          set_invalid (error, _("“work_days” must be a list of weekday names"));
          return FALSE;
        }

      name = json_node_get_string (element);
      for (gsize w = 0; w < G_N_ELEMENTS (weekday_names); w++)
        if (g_str_equal (name, weekday_names[w].name))
          {
            days |= 1u << (weekday_names[w].weekday - 1);
            found = TRUE;
          }

      if (!found)
        {
          /* Translators: %s is what the administrator wrote; the names after it are
           * the JSON keywords and stay in English. */
          set_invalid (error, _("“%s” is not a weekday; use sat, sun, mon, tue, wed, thu or fri"),
                       name);
          return FALSE;
        }
    }

  *out = days;
  return TRUE;
}

/* Days in Jalali @month of a leap year (the most it can have). */
static int
max_month_days (int month)
{
  return month <= 6 ? 31 : 30;
}

/* One holiday object into @out; the error names the entry by its JSON text. */
static gboolean
parse_holiday (JsonNode         *node,
               PayamJalaliDate  *out,
               GError          **error)
{
  g_autofree char *text = json_to_string (node, FALSE);
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gint64 year = 0, month = 0, day = 0;
  gboolean has_month = FALSE, has_day = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      /* Translators: %s is the entry as written in the JSON file. */
      set_invalid (error, _("The holiday %s must be an object with “month” and “day”"), text);
      return FALSE;
    }

  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (g_str_equal (member, "year"))
        {
          if (!get_int (value, &year) || year < 1 || year > 9999)
            {
              /* Translators: %s is the entry as written in the JSON file. */
              set_invalid (error, _("In the holiday %s, “year” must be a Jalali year"), text);
              return FALSE;
            }
        }
      else if (g_str_equal (member, "month"))
        {
          if (!get_int (value, &month) || month < 1 || month > 12)
            {
              /* Translators: %s is the entry as written in the JSON file. */
              set_invalid (error, _("In the holiday %s, “month” must be a Jalali month number"),
                           text);
              return FALSE;
            }
          has_month = TRUE;
        }
      else if (g_str_equal (member, "day"))
        {
          if (!get_int (value, &day) || day < 1 || day > 31)
            {
              /* Translators: %s is the entry as written in the JSON file. */
              set_invalid (error, _("In the holiday %s, “day” must be a day of the month"),
                           text);
              return FALSE;
            }
          has_day = TRUE;
        }
      else if (g_str_equal (member, "name"))
        {
          /* Names are Persian data for people, not used by the computation. */
          if (!JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              /* Translators: %s is the entry as written in the JSON file. */
              set_invalid (error, _("In the holiday %s, “name” must be text"), text);
              return FALSE;
            }
        }
      else
        {
          /* Translators: the first %s is a JSON member name, the second the entry. */
          set_invalid (error, _("Unknown member “%s” in the holiday %s"), member, text);
          return FALSE;
        }
    }

  if (!has_month || !has_day)
    {
      /* Translators: %s is the entry as written in the JSON file. */
      set_invalid (error, _("The holiday %s must be an object with “month” and “day”"), text);
      return FALSE;
    }

  out->year = (int) year;
  out->month = (int) month;
  out->day = (int) day;

  /* A dated holiday must exist that year; an every-year one in some year (Esfand 30). */
  if (year != 0)
    {
      g_autoptr(GDateTime) start = payam_calendar_from_jalali (*out);

      if (start == NULL)
        {
          /* Translators: %s is the entry as written in the JSON file. */
          set_invalid (error, _("The holiday %s is not a date of the Jalali calendar"), text);
          return FALSE;
        }
    }
  else if (day > max_month_days ((int) month))
    {
      /* Translators: %s is the entry as written in the JSON file. */
      set_invalid (error, _("The holiday %s is not a date of the Jalali calendar"), text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_holidays (JsonNode  *node,
                GArray    *holidays,
                GError   **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_invalid (error, _("“holidays” must be a list of objects"));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      PayamJalaliDate date;

      if (!parse_holiday (json_array_get_element (array, i), &date, error))
        return FALSE;
      g_array_append_val (holidays, date);
    }

  return TRUE;
}

/**
 * payam_work_calendar_new_from_json:
 * @node: a JSON object (see src/core/data/calendar.json)
 * @error: return location for a #GError
 *
 * Reads a work calendar. "work_days", "day_start" and "day_end" are required, "holidays"
 * and "comment" are optional, and any other member is refused so that a misspelt key is
 * caught instead of silently ignored. A holiday without "year" recurs every year; lunar
 * religious holidays move through the solar year and are listed each year with "year".
 * An empty "work_days" means work is counted around the clock.
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL with
 * %PAYAM_DEADLINE_ERROR_INVALID.
 */
PayamWorkCalendar *
payam_work_calendar_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(PayamWorkCalendar) calendar = NULL;
  static const char *const required[] = { "work_days", "day_start", "day_end" };
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("The work calendar must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    if (!json_object_has_member (object, required[i]))
      {
        /* Translators: %s is a JSON member name such as day_start. */
        set_invalid (error, _("The work calendar has no “%s”"), required[i]);
        return NULL;
      }

  calendar = work_calendar_new_empty ();
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (g_str_equal (member, "work_days"))
        {
          if (!parse_work_days (value, &calendar->work_days, error))
            return NULL;
        }
      else if (g_str_equal (member, "day_start") || g_str_equal (member, "day_end"))
        {
          int minutes = parse_time (value);

          if (minutes < 0)
            {
              /* Translators: the first %s is day_start or day_end, the second an
               * example time as written in the file. */
              set_invalid (error, _("“%s” must be a time written like %s"), member, "07:30");
              return NULL;
            }
          if (member[4] == 's')
            calendar->day_start_min = minutes;
          else
            calendar->day_end_min = minutes;
        }
      else if (g_str_equal (member, "holidays"))
        {
          if (!parse_holidays (value, calendar->holidays, error))
            return NULL;
        }
      else if (g_str_equal (member, "comment"))
        {
          /* Free text for administrators. */
        }
      else
        {
          /* Translators: %s is a JSON member name. */
          set_invalid (error, _("Unknown member “%s” in the work calendar"), member);
          return NULL;
        }
    }

  if (calendar->day_start_min >= calendar->day_end_min)
    {
      set_invalid (error, _("The working day must end after it starts (“day_end” after “day_start”)"));
      return NULL;
    }

  return g_steal_pointer (&calendar);
}

/**
 * payam_work_calendar_new_default:
 *
 * The default calendar, read from the library's resource
 * /ir/payam/Payam/core/data/calendar.json (the one source of truth): Saturday to
 * Thursday, 7:30–14:30 Tehran time, and the official holidays on fixed Jalali dates.
 * The resource is compiled in and checked by the tests, so failing to read it is a
 * broken build and aborts.
 *
 * Returns: (transfer full): the calendar; free with payam_work_calendar_free().
 */
PayamWorkCalendar *
payam_work_calendar_new_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  PayamWorkCalendar *calendar;
  gsize size;
  const char *data;

  /* Looked up in our own GResource: referencing it also keeps its object file (and its
   * registration) in programs that link the static core library. */
  bytes = g_resource_lookup_data (payam_core_get_resource (), DEFAULT_CALENDAR_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Default work calendar missing: %s", error->message);

  data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, &error))
    g_error ("Default work calendar unreadable: %s", error->message);

  calendar = payam_work_calendar_new_from_json (json_parser_get_root (parser), &error);
  if (calendar == NULL)
    g_error ("Default work calendar invalid: %s", error->message);

  return calendar;
}

/**
 * payam_work_calendar_is_holiday:
 * @calendar: a calendar
 * @when: any instant
 *
 * Whether the Jalali date of @when in Tehran is one of @calendar's holidays (every-year
 * ones, or those of that Jalali year). Weekly days off are not holidays.
 */
gboolean
payam_work_calendar_is_holiday (const PayamWorkCalendar *calendar,
                                GDateTime               *when)
{
  PayamJalaliDate date;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  if (calendar->holidays == NULL || calendar->holidays->len == 0)
    return FALSE;

  date = payam_calendar_to_jalali (when);
  for (guint i = 0; i < calendar->holidays->len; i++)
    {
      const PayamJalaliDate *h = &g_array_index (calendar->holidays, PayamJalaliDate, i);

      if ((h->year == 0 || h->year == date.year) && h->month == date.month && h->day == date.day)
        return TRUE;
    }

  return FALSE;
}

/* Whether @calendar has any working time at all; without it work counts around the clock. */
static gboolean
has_working_time (const PayamWorkCalendar *calendar)
{
  return (calendar->work_days & 0x7f) != 0
         && calendar->day_start_min >= 0
         && calendar->day_end_min <= 24 * 60
         && calendar->day_start_min < calendar->day_end_min;
}

/* @midnight (local, Tehran) is a working day of @calendar. */
static gboolean
is_work_day (const PayamWorkCalendar *calendar,
             GDateTime               *midnight)
{
  int weekday = g_date_time_get_day_of_week (midnight);
  g_autoptr(GDateTime) midday = NULL;

  if ((calendar->work_days & (1u << (weekday - 1))) == 0)
    return FALSE;

  /* Midday, so that the Jalali date is the day's even on a historic DST change. */
  midday = g_date_time_add_hours (midnight, 12);
  return !payam_work_calendar_is_holiday (calendar, midday);
}

/* @from + @span counted only inside the work periods of @calendar, in Tehran; NULL when
 * the walk leaves GDateTime's range or finds no working time for MAX_IDLE_DAYS days. */
static GDateTime *
add_working_time (const PayamWorkCalendar *calendar,
                  GDateTime               *from,
                  GTimeSpan                span)
{
  GTimeZone *tehran = payam_calendar_tehran ();
  g_autoptr(GDateTime) cursor = g_date_time_to_timezone (from, tehran);
  int idle_days = 0;

  g_assert (span > 0);

  while (idle_days < MAX_IDLE_DAYS)
    {
      int y, m, d;
      g_autoptr(GDateTime) midnight = NULL;
      g_autoptr(GDateTime) next = NULL;

      g_date_time_get_ymd (cursor, &y, &m, &d);
      midnight = g_date_time_new (tehran, y, m, d, 0, 0, 0);
      if (midnight == NULL)
        return NULL;

      idle_days++;
      if (is_work_day (calendar, midnight))
        {
          g_autoptr(GDateTime) open = g_date_time_add_minutes (midnight, calendar->day_start_min);
          g_autoptr(GDateTime) close = g_date_time_add_minutes (midnight, calendar->day_end_min);

          if (g_date_time_compare (cursor, open) < 0)
            {
              g_date_time_unref (cursor);
              cursor = g_date_time_ref (open);
            }

          if (g_date_time_compare (cursor, close) < 0)
            {
              GTimeSpan available = g_date_time_difference (close, cursor);

              if (span <= available)
                return g_date_time_add (cursor, span);
              span -= available;
              idle_days = 0;
            }
        }

      next = g_date_time_add_days (midnight, 1);
      if (next == NULL)
        return NULL;
      g_date_time_unref (cursor);
      cursor = g_steal_pointer (&next);
    }

  return NULL;
}

/**
 * payam_deadline_compute:
 * @calendar: when work happens
 * @rule: the category's hours per priority
 * @priority: the request's priority
 * @from: when the request was registered
 *
 * Urgent work is due @rule->urgent_hours later around the clock. High and normal work is
 * due after that many working hours, counted only on working days that are not holidays,
 * between the day's start and end in Tehran; work registered outside those hours starts
 * counting at the next period's start. A calendar without working time (no work days, or
 * every working day a holiday for ten years) counts around the clock. Negative hours
 * count as zero.
 *
 * Returns: (transfer full): the deadline in UTC.
 */
GDateTime *
payam_deadline_compute (const PayamWorkCalendar *calendar,
                        const PayamDeadlineRule *rule,
                        PayamPriority            priority,
                        GDateTime               *from)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) due = NULL;
  gboolean around_the_clock = FALSE;
  int hours = 0;

  g_return_val_if_fail (calendar != NULL, NULL);
  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (from != NULL, NULL);

  switch (priority)
    {
    case PAYAM_PRIORITY_URGENT:
      hours = rule->urgent_hours;
      around_the_clock = TRUE;
      break;
    case PAYAM_PRIORITY_HIGH:
      hours = rule->high_hours;
      break;
    case PAYAM_PRIORITY_NORMAL:
      hours = rule->normal_hours;
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  hours = MAX (hours, 0);
  local = g_date_time_to_timezone (from, payam_calendar_tehran ());

  if (hours == 0)
    return g_date_time_to_utc (local);

  if (!around_the_clock && has_working_time (calendar))
    {
      due = add_working_time (calendar, local, (GTimeSpan) hours * G_TIME_SPAN_HOUR);
      if (due == NULL)
        g_message ("No working time in the calendar; counting %d hours around the clock",
                   hours);
    }

  if (due == NULL)
    due = g_date_time_add_hours (local, hours);
  if (due == NULL)
    return g_date_time_to_utc (local);

  return g_date_time_to_utc (due);
}
