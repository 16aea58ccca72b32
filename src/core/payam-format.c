/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbers, Jalali dates and time left, formatted for people with ICU in Persian. */
#define G_LOG_DOMAIN "payam-format"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <unicode/udat.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "payam-format.h"
#include "payam-text.h"

#define NUMBER_LOCALE "fa_IR"
#define DATE_LOCALE "fa_IR@calendar=persian"
#define TIME_ZONE "Asia/Tehran"

/* The cached ICU formatters. They are opened once and shared; ICU formatters must not be
 * used from two threads at once, so every use holds the formatters lock. */
typedef enum {
  FMT_NUMBER,     /* grouped: ۱٬۲۳۴٬۵۶۷ */
  FMT_INTEGER,    /* ungrouped: ۴۲ */
  N_NUMBER_FORMATS
} NumberFormat;

typedef enum {
  FMT_DATE,       /* ۸ آذر ۱۴۰۵ */
  FMT_DATE_TIME,  /* ۸ آذر ۱۴۰۵، ۱۴:۳۰ */
  FMT_DATE_SHORT, /* ۱۴۰۵/۰۹/۰۸ */
  N_DATE_FORMATS
} DateFormat;

/* ICU date patterns; characters outside A–Z/a–z (like the Persian comma) are literal. */
static const char *date_patterns[N_DATE_FORMATS] = {
  [FMT_DATE] = "d MMMM y",
  [FMT_DATE_TIME] = "d MMMM y، HH:mm",
  [FMT_DATE_SHORT] = "y/MM/dd",
};

G_LOCK_DEFINE_STATIC (formatters);
static UNumberFormat *number_formats[N_NUMBER_FORMATS];
static UDateFormat *date_formats[N_DATE_FORMATS];

/* UTF-16 → newly allocated UTF-8; NULL on failure. */
static char *
utf16_to_utf8 (const UChar *buf,
               int32_t      len)
{
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = 0;
  g_autofree char *out = NULL;

  u_strToUTF8 (NULL, 0, &needed, buf, len, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
    return NULL;

  status = U_ZERO_ERROR;
  out = g_malloc ((gsize) needed + 1);
  u_strToUTF8 (out, needed + 1, NULL, buf, len, &status);
  if (U_FAILURE (status))
    return NULL;
  return g_steal_pointer (&out);
}

/* Returns the cached number formatter @which, opening it on first use. Call with the
 * formatters lock held. NULL when ICU cannot open it (missing locale data). */
static UNumberFormat *
get_number_format (NumberFormat which)
{
  UErrorCode status = U_ZERO_ERROR;
  UNumberFormat *fmt;

  if (number_formats[which] != NULL)
    return number_formats[which];

  fmt = unum_open (UNUM_DECIMAL, NULL, 0, NUMBER_LOCALE, NULL, &status);
  if (U_FAILURE (status))
    {
      g_warning ("Cannot open the ICU number format for %s: %s", NUMBER_LOCALE,
                 u_errorName (status));
      return NULL;
    }
  if (which == FMT_INTEGER)
    unum_setAttribute (fmt, UNUM_GROUPING_USED, 0);

  number_formats[which] = fmt;
  return fmt;
}

/* Like get_number_format() for the date formatters, all in Asia/Tehran. */
static UDateFormat *
get_date_format (DateFormat which)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar tz[32];
  UChar pattern[64];
  UDateFormat *fmt;

  if (date_formats[which] != NULL)
    return date_formats[which];

  u_strFromUTF8 (tz, G_N_ELEMENTS (tz), NULL, TIME_ZONE, -1, &status);
  u_strFromUTF8 (pattern, G_N_ELEMENTS (pattern), NULL, date_patterns[which], -1, &status);
  if (U_FAILURE (status))
    {
      g_warning ("Cannot convert a date pattern: %s", u_errorName (status));
      return NULL;
    }

  fmt = udat_open (UDAT_PATTERN, UDAT_PATTERN, DATE_LOCALE, tz, -1, pattern, -1, &status);
  if (U_FAILURE (status))
    {
      g_warning ("Cannot open the ICU date format for %s: %s", DATE_LOCALE,
                 u_errorName (status));
      return NULL;
    }

  date_formats[which] = fmt;
  return fmt;
}

/* Formats @value with number formatter @which. Never NULL: without ICU data it falls
 * back to Persian digits without grouping. */
static char *
format_int64 (NumberFormat which,
              gint64       value)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar buf[64];
  int32_t len = -1;
  char *result = NULL;
  UNumberFormat *fmt;

  G_LOCK (formatters);
  fmt = get_number_format (which);
  if (fmt != NULL)
    len = unum_formatInt64 (fmt, value, buf, G_N_ELEMENTS (buf), NULL, &status);
  G_UNLOCK (formatters);

  if (fmt != NULL && U_SUCCESS (status))
    result = utf16_to_utf8 (buf, len);
  if (result == NULL)
    {
      g_autofree char *ascii = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      result = payam_text_digits_to_persian (ascii);
    }
  return result;
}

/**
 * payam_format_number:
 * @value: any integer
 *
 * Returns: (transfer full): @value in Persian digits with the Arabic thousands separator
 *   U+066C, as ICU formats numbers for fa_IR
 */
char *
payam_format_number (gint64 value)
{
  return format_int64 (FMT_NUMBER, value);
}

/**
 * payam_format_integer:
 * @value: any integer
 *
 * Returns: (transfer full): @value in Persian digits without grouping, for counts and
 *   codes
 */
char *
payam_format_integer (gint64 value)
{
  return format_int64 (FMT_INTEGER, value);
}

/* Formats @when with date formatter @which in the Jalali calendar, Asia/Tehran. Never
 * NULL: without ICU data it falls back to the Gregorian ISO date in Persian digits. */
static char *
format_date (DateFormat which,
             GDateTime *when)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar buf[128];
  int32_t len = -1;
  char *result = NULL;
  UDateFormat *fmt;
  UDate ms;

  g_return_val_if_fail (when != NULL, g_strdup (""));

  ms = (UDate) g_date_time_to_unix (when) * 1000.0
       + (UDate) (g_date_time_get_microsecond (when) / 1000);

  G_LOCK (formatters);
  fmt = get_date_format (which);
  if (fmt != NULL)
    len = udat_format (fmt, ms, buf, G_N_ELEMENTS (buf), NULL, &status);
  G_UNLOCK (formatters);

  if (fmt != NULL && U_SUCCESS (status))
    result = utf16_to_utf8 (buf, len);
  if (result == NULL)
    {
      g_autofree char *ascii = g_date_time_format (when, "%Y-%m-%d");

      result = payam_text_digits_to_persian (ascii);
    }
  return result;
}

/**
 * payam_format_date:
 * @when: a moment in any time zone
 *
 * Returns: (transfer full): the Jalali date in Tehran, like "۸ آذر ۱۴۰۵"
 */
char *
payam_format_date (GDateTime *when)
{
  return format_date (FMT_DATE, when);
}

/**
 * payam_format_date_time:
 * @when: a moment in any time zone
 *
 * Returns: (transfer full): the Jalali date and 24-hour time in Tehran, like
 *   "۸ آذر ۱۴۰۵، ۱۴:۳۰"
 */
char *
payam_format_date_time (GDateTime *when)
{
  return format_date (FMT_DATE_TIME, when);
}

/**
 * payam_format_date_short:
 * @when: a moment in any time zone
 *
 * Returns: (transfer full): the Jalali date in Tehran as "۱۴۰۵/۰۹/۰۸"
 */
char *
payam_format_date_short (GDateTime *when)
{
  return format_date (FMT_DATE_SHORT, when);
}

/**
 * payam_format_time_left:
 * @now: the current moment
 * @due: the deadline
 *
 * Rounds the time between @now and @due down for people: whole days from one day up,
 * else hours and minutes, else "less than a minute". Rounding down never promises more
 * time than there is, and never claims more delay than there was. A deadline at or after
 * @now is "… left"; one before @now is "… past the deadline".
 *
 * Returns: (transfer full): the translated text, with Persian digits
 */
char *
payam_format_time_left (GDateTime *now,
                        GDateTime *due)
{
  GTimeSpan span;
  gboolean past;
  gint64 minutes;
  gint64 hours;
  gint64 days;
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;

  g_return_val_if_fail (now != NULL, g_strdup (""));
  g_return_val_if_fail (due != NULL, g_strdup (""));

  span = g_date_time_difference (due, now);
  past = span < 0;
  /* G_MININT64 has no positive counterpart; a deadline that far away is no real case. */
  span = past ? (span == G_MININT64 ? G_MAXINT64 : -span) : span;

  days = span / G_TIME_SPAN_DAY;
  hours = (span % G_TIME_SPAN_DAY) / G_TIME_SPAN_HOUR;
  minutes = (span % G_TIME_SPAN_HOUR) / G_TIME_SPAN_MINUTE;

  if (days >= 1)
    {
      n1 = payam_format_integer (days);
      if (past)
        /* Translators: %s is a number of days in Persian digits. */
        return g_strdup_printf (_("%s days past the deadline"), n1);
      /* Translators: %s is a number of days in Persian digits. */
      return g_strdup_printf (_("%s days left"), n1);
    }

  if (hours >= 1 && minutes >= 1)
    {
      n1 = payam_format_integer (hours);
      n2 = payam_format_integer (minutes);
      if (past)
        /* Translators: the first %s is a number of hours, the second a number of
         * minutes, both in Persian digits. */
        return g_strdup_printf (_("%s hours and %s minutes past the deadline"), n1, n2);
      /* Translators: the first %s is a number of hours, the second a number of minutes,
       * both in Persian digits. */
      return g_strdup_printf (_("%s hours and %s minutes left"), n1, n2);
    }

  if (hours >= 1)
    {
      n1 = payam_format_integer (hours);
      if (past)
        /* Translators: %s is a number of hours in Persian digits. */
        return g_strdup_printf (_("%s hours past the deadline"), n1);
      /* Translators: %s is a number of hours in Persian digits. */
      return g_strdup_printf (_("%s hours left"), n1);
    }

  if (minutes >= 1)
    {
      n1 = payam_format_integer (minutes);
      if (past)
        /* Translators: %s is a number of minutes in Persian digits. */
        return g_strdup_printf (_("%s minutes past the deadline"), n1);
      /* Translators: %s is a number of minutes in Persian digits. */
      return g_strdup_printf (_("%s minutes left"), n1);
    }

  if (past)
    return g_strdup (_("Less than a minute past the deadline"));
  return g_strdup (_("Less than a minute left"));
}
