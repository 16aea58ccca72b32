/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Jalali (Persian) calendar conversions through ICU, in Asia/Tehran. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int year;   /* e.g. 1405 */
  int month;  /* 1 = Farvardin … 12 = Esfand */
  int day;    /* 1 … 31 */
} PayamJalaliDate;

/* The Jalali date of @when in Asia/Tehran. */
PayamJalaliDate  payam_calendar_to_jalali   (GDateTime       *when);

/* Midnight at the start of the Jalali date @date in Asia/Tehran, or NULL if @date does
 * not exist. Caller owns the result. */
GDateTime       *payam_calendar_from_jalali (PayamJalaliDate  date);

/* The Asia/Tehran time zone (cached; do not unref). */
GTimeZone       *payam_calendar_tehran      (void);

G_END_DECLS
