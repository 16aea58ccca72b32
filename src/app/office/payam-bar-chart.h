/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamBarChart: horizontal bars with a label and a count in Persian digits, drawn with
 * cairo; the same drawing serves the dashboard and the monthly PDF report. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Draw one bar per (@labels[i], @values[i]), @n of them, in @width × @height of @cr:
 * labels on the start side, bars growing toward the end scaled to the largest value, each
 * count after its bar in Persian digits. @rtl puts the start on the right. Text in
 * @font (a Pango description, e.g. "Vazirmatn 11"). Rows are at most 32 pixels high. */
void        payam_bar_chart_draw          (cairo_t            *cr,
                                           int                 width,
                                           int                 height,
                                           const char * const *labels,
                                           const gint64       *values,
                                           guint               n,
                                           gboolean            rtl,
                                           const char         *font);

#define PAYAM_TYPE_BAR_CHART (payam_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (PayamBarChart, payam_bar_chart, PAYAM, BAR_CHART, GtkWidget)

GtkWidget  *payam_bar_chart_new           (void);
/* Show @n bars (copies @labels and @values) and draw again. */
void        payam_bar_chart_set_bars      (PayamBarChart      *self,
                                           const char * const *labels,
                                           const gint64       *values,
                                           guint               n);

G_END_DECLS
