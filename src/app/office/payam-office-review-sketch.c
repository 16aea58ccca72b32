/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The review page's numbers for people (percentages, shares, gaps, metres in Persian digits)
 * and its map sketch drawn with cairo. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "payam-format.h"
#include "payam-office-review-private.h"

#define SKETCH_MARGIN 28

/* ---- numbers for people ----------------------------------------------------------------- */

/* @ascii with Persian digits, the Persian decimal separator and a true minus sign. */
char *
_payam_review_persian (const char *ascii)
{
  GString *s = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (*p >= '0' && *p <= '9')
        g_string_append_unichar (s, 0x06F0 + (gunichar) (*p - '0'));
      else if (*p == '.')
        g_string_append_unichar (s, 0x066B);
      else if (*p == '-')
        g_string_append_unichar (s, 0x2212);
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

/* 0.873 → "۸۷٪" */
char *
_payam_review_format_percent (double fraction)
{
  g_autofree char *n = payam_format_integer ((gint64) round (100.0 * CLAMP (fraction, 0.0, 1.0)));

  return g_strconcat (n, "٪", NULL);
}

/* A share of the log-odds with its sign: "+۱٫۲", "−۰٫۴". */
char *
_payam_review_format_share (double share)
{
  g_autofree char *ascii = g_strdup_printf ("%+.1f", fabs (share) < 0.05 ? 0.0 : share);

  return _payam_review_persian (ascii);
}

/* A time gap for people: minutes, hours or days. */
char *
_payam_review_format_gap (double days)
{
  if (days < 1.0 / 24.0)
    {
      g_autofree char *n = payam_format_integer ((gint64) round (days * 1440.0));

      /* Translators: %s is a number of minutes, in Persian digits. */
      return g_strdup_printf (_("%s minutes"), n);
    }
  if (days < 2.0)
    {
      g_autofree char *n = payam_format_integer ((gint64) round (days * 24.0));

      /* Translators: %s is a number of hours, in Persian digits. */
      return g_strdup_printf (_("%s hours"), n);
    }
  {
    g_autofree char *n = payam_format_number ((gint64) round (days));

    /* Translators: %s is a number of days, in Persian digits. */
    return g_strdup_printf (_("%s days"), n);
  }
}

/* A distance in metres for people, or NULL. */
char *
_payam_review_format_metres (double metres)
{
  g_autofree char *n = payam_format_number ((gint64) round (metres));

  /* Translators: %s is a distance in metres, in Persian digits. */
  return g_strdup_printf (_("%s metres"), n);
}

/* ---- the map sketch --------------------------------------------------------------------- */

/* The longest of 1, 2, 5 × 10ⁿ metres not over @limit. */
static double
nice_length (double limit)
{
  double unit = pow (10.0, floor (log10 (MAX (limit, 1.0))));

  if (5.0 * unit <= limit)
    return 5.0 * unit;
  if (2.0 * unit <= limit)
    return 2.0 * unit;
  return unit;
}

/* The located members as dots numbered as their cards, north up and east right as on any
 * map (a map is not mirrored for right-to-left), and a scale bar in metres. */
void
_payam_review_draw_sketch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  GArray *points = data;
  GdkRGBA fg;
  double min_x = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double span, scale, bar;
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *bar_text = NULL;
  int tw, th;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  if (points == NULL || points->len == 0)
    return;
  for (guint i = 0; i < points->len; i++)
    {
      const Point *p = &g_array_index (points, Point, i);

      min_x = MIN (min_x, p->x);
      max_x = MAX (max_x, p->x);
      min_y = MIN (min_y, p->y);
      max_y = MAX (max_y, p->y);
    }
  /* At least 40 m across, so that one point or two close ones do not fill the sketch. */
  span = MAX (MAX (max_x - min_x, max_y - min_y), 40.0);
  scale = MIN (width - 2.0 * SKETCH_MARGIN, height - 2.0 * SKETCH_MARGIN - 20.0) / span;

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.08);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  for (guint i = 0; i < points->len; i++)
    {
      const Point *p = &g_array_index (points, Point, i);
      double x = width / 2.0 + (p->x - (min_x + max_x) / 2.0) * scale;
      double y = (height - 20.0) / 2.0 - (p->y - (min_y + max_y) / 2.0) * scale;
      g_autofree char *n = payam_format_integer (p->n);

      cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 0.9);
      cairo_arc (cr, x, y, 7.0, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
      pango_layout_set_text (layout, n, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_move_to (cr, x + 9.0, y - th - 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  /* The scale bar, bottom right (where a right-to-left reader starts). */
  bar = nice_length ((width - 2.0 * SKETCH_MARGIN) / 3.0 / scale);
  bar_text = _payam_review_format_metres (bar);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, width - SKETCH_MARGIN - bar * scale, height - 12.0);
  cairo_line_to (cr, width - SKETCH_MARGIN, height - 12.0);
  cairo_move_to (cr, width - SKETCH_MARGIN - bar * scale, height - 17.0);
  cairo_line_to (cr, width - SKETCH_MARGIN - bar * scale, height - 7.0);
  cairo_move_to (cr, width - SKETCH_MARGIN, height - 17.0);
  cairo_line_to (cr, width - SKETCH_MARGIN, height - 7.0);
  cairo_stroke (cr);
  pango_layout_set_text (layout, bar_text, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, width - SKETCH_MARGIN - bar * scale - tw - 6.0, height - 12.0 - th / 2.0);
  pango_cairo_show_layout (cr, layout);
}

