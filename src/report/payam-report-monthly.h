/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monthly report for the district's management: one Jalali month's figures and charts
 * from the store, laid out on A4 pages of a PDF (cairo), in Persian right to left. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Read a Jalali month "YYYY-MM" (Persian, Arabic-Indic or Latin digits; "1405-9" too)
 * into *@year and *@month. FALSE with G_IO_ERROR_INVALID_ARGUMENT (translated, saying
 * what to write) for anything else, a month out of 1…12 or a year out of 1300…1499. */
gboolean    payam_report_parse_month   (const char   *text,
                                        int          *year,
                                        int          *month,
                                        GError      **error);

/* The Jalali month @year-@month as the time range [*@from, *@to): midnight in Asia/Tehran
 * of its first day and of the next month's first day. FALSE when the month does not
 * exist. The caller owns both. */
gboolean    payam_report_month_range   (int           year,
                                        int           month,
                                        GDateTime   **from,
                                        GDateTime   **to);

/* Write the report of @year-@month from @store as a PDF to @path. */
gboolean    payam_report_monthly_pdf   (PayamStore   *store,
                                        int           year,
                                        int           month,
                                        const char   *path,
                                        GError      **error);

G_END_DECLS
