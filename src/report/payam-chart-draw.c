/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bars and columns drawn with cairo and Pango, mirrored right to left. */
#define G_LOG_DOMAIN "payam-report"
#include "config.h"

#include <pango/pangocairo.h>

#include "payam-chart-draw.h"
#include "payam-format.h"

#define ROW_MAX 32.0
#define LABEL_SHARE 0.3   /* of the width, for the labels */
#define COUNT_ROOM 64.0   /* units after the longest bar for its count */

/* Show @text in @layout with its start at @x (the edge on the start side), centred on @y. */
static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           gboolean     rtl)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, rtl ? x - w : x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* Show @text centred on @x with its top at @y. */
static void
draw_text_centred (cairo_t     *cr,
                   PangoLayout *layout,
                   const char  *text,
                   double       x,
                   double       y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w / 2.0, y);
  pango_cairo_show_layout (cr, layout);
}

static PangoLayout *
new_layout (cairo_t    *cr,
            const char *font)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoLayout *layout = pango_cairo_create_layout (cr);

  pango_layout_set_font_description (layout, desc);
  return layout;
}

/* See payam-chart-draw.h. */
void
payam_chart_draw_bars (cairo_t            *cr,
                       double              width,
                       double              height,
                       const char * const *labels,
                       const gint64       *values,
                       guint               n,
                       gboolean            rtl,
                       const char         *font)
{
  g_autoptr(PangoLayout) layout = NULL;
  gint64 max = 1;
  double row, label_width, bar_room;

  if (n == 0 || width <= 0 || height <= 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  row = MIN (ROW_MAX, height / n);
  label_width = width * LABEL_SHARE;
  bar_room = MAX (0.0, width - label_width - COUNT_ROOM);
  layout = new_layout (cr, font);

  for (guint i = 0; i < n; i++)
    {
      double y = i * row;
      double length = bar_room * (double) MAX (values[i], 0) / (double) max;
      double start = label_width;  /* measured from the start side */
      g_autofree char *count = payam_format_number (values[i]);

      /* The bar, 70% of its row. */
      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, rtl ? width - start - length : start, y + row * 0.15, length,
                       row * 0.7);
      cairo_fill (cr);

      cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
      draw_text (cr, layout, labels[i] != NULL ? labels[i] : "",
                 rtl ? width - 4.0 : 4.0, y + row / 2.0, rtl);
      draw_text (cr, layout, count, rtl ? width - start - length - 6.0 : start + length + 6.0,
                 y + row / 2.0, rtl);
    }
}

/* See payam-chart-draw.h. */
void
payam_chart_draw_columns (cairo_t            *cr,
                          double              width,
                          double              height,
                          const char * const *labels,
                          const gint64       *values,
                          guint               n,
                          guint               label_every,
                          gboolean            rtl,
                          const char         *font)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *top = NULL;
  gint64 max = 1;
  int tw, th;
  double axis_room, label_room, plot_w, plot_h, column;

  if (n == 0 || width <= 0 || height <= 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  layout = new_layout (cr, font);
  top = payam_format_number (max);
  pango_layout_set_text (layout, top, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  axis_room = tw + 8.0;           /* the largest value beside the axis, on the end side */
  label_room = th + 4.0;          /* the labels under the columns */
  plot_w = MAX (1.0, width - axis_room);
  plot_h = MAX (1.0, height - label_room - th / 2.0);
  column = plot_w / n;

  /* The axis and its top value, on the end side. */
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.5);
  {
    double axis_x = rtl ? axis_room : width - axis_room;
    double base = th / 2.0 + plot_h;

    cairo_move_to (cr, 0, base);
    cairo_line_to (cr, width, base);
    cairo_move_to (cr, axis_x, th / 2.0);
    cairo_line_to (cr, axis_x, base);
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
    draw_text (cr, layout, top, rtl ? axis_x - 4.0 : axis_x + 4.0, th / 2.0, rtl);
  }

  for (guint i = 0; i < n; i++)
    {
      double h = plot_h * (double) MAX (values[i], 0) / (double) max;
      double x = rtl ? width - (i + 1) * column : i * column;

      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, x + column * 0.15, th / 2.0 + plot_h - h, column * 0.7, h);
      cairo_fill (cr);
      if (labels != NULL && labels[i] != NULL && label_every > 0 && i % label_every == 0)
        {
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
          draw_text_centred (cr, layout, labels[i], x + column / 2.0, th / 2.0 + plot_h + 2.0);
        }
    }
}
