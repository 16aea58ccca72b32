/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Formatting of numbers, dates and durations for people (ICU, Persian, Jalali). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* All results are owned by the caller and are never NULL. Dates are shown in the Jalali
 * calendar (ICU "fa_IR@calendar=persian") in Asia/Tehran, with Persian digits. */

/* 1234567 → "۱٬۲۳۴٬۵۶۷" */
char *payam_format_number     (gint64       value);
/* Small counts and codes without grouping: 42 → "۴۲" */
char *payam_format_integer    (gint64       value);
/* 2026-11-29 → "۸ آذر ۱۴۰۵" */
char *payam_format_date       (GDateTime   *when);
/* "۸ آذر ۱۴۰۵، ۱۴:۳۰" */
char *payam_format_date_time  (GDateTime   *when);
/* "۱۴۰۵/۰۹/۰۸" for tables and exports read by people */
char *payam_format_date_short (GDateTime   *when);
/* Time left until @due seen from @now, rounded for people: "۳ ساعت و ۱۰ دقیقه مانده",
 * "۲ روز مانده", or when past due "۵ ساعت گذشته از مهلت". */
char *payam_format_time_left  (GDateTime   *now,
                               GDateTime   *due);

G_END_DECLS
