/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Charts drawn with cairo and Pango on any surface: the office dashboard's widget
 * (src/app/office/payam-bar-chart.c) and the monthly PDF report share them. No GTK here. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Draw one horizontal bar per (@labels[i], @values[i]), @n of them, in @width × @height of
 * @cr: labels on the start side, bars growing toward the end scaled to the largest value,
 * each count after its bar in Persian digits. @rtl puts the start on the right. Text in
 * @font (a Pango description, e.g. "Vazirmatn 11"). Rows are at most 32 units high. */
void        payam_chart_draw_bars     (cairo_t            *cr,
                                       double              width,
                                       double              height,
                                       const char * const *labels,
                                       const gint64       *values,
                                       guint               n,
                                       gboolean            rtl,
                                       const char         *font);

/* Draw @n columns (@values[i]) side by side in @width × @height of @cr, the first on the
 * start side (the right with @rtl), scaled to the largest value; under every @label_every-th
 * column its @labels[i] (may be NULL for none), and the largest value in Persian digits at
 * the top of the value axis. Text in @font. */
void        payam_chart_draw_columns  (cairo_t            *cr,
                                       double              width,
                                       double              height,
                                       const char * const *labels,
                                       const gint64       *values,
                                       guint               n,
                                       guint               label_every,
                                       gboolean            rtl,
                                       const char         *font);

G_END_DECLS
