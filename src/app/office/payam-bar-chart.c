/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamBarChart: horizontal bars drawn with cairo and Pango, mirrored right to left. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-bar-chart.h"
#include "payam-format.h"

#define ROW_MAX 32.0
#define LABEL_SHARE 0.3   /* of the width, for the labels */
#define COUNT_ROOM 64.0   /* pixels after the longest bar for its count */

struct _PayamBarChart
{
  GtkWidget  parent_instance;
  GPtrArray *labels;   /* of char * */
  GArray    *values;   /* of gint64 */
};

G_DEFINE_FINAL_TYPE (PayamBarChart, payam_bar_chart, GTK_TYPE_WIDGET)

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

/* See payam-bar-chart.h. */
void
payam_bar_chart_draw (cairo_t            *cr,
                      int                 width,
                      int                 height,
                      const char * const *labels,
                      const gint64       *values,
                      guint               n,
                      gboolean            rtl,
                      const char         *font)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoLayout *layout;
  gint64 max = 1;
  double row, label_width, bar_room;

  if (n == 0 || width <= 0 || height <= 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  row = MIN (ROW_MAX, (double) height / n);
  label_width = width * LABEL_SHARE;
  bar_room = MAX (0.0, width - label_width - COUNT_ROOM);
  layout = pango_cairo_create_layout (cr);
  pango_layout_set_font_description (layout, desc);

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
  g_object_unref (layout);
}

static void
payam_bar_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  PayamBarChart *self = PAYAM_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->labels->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  payam_bar_chart_draw (cr, width, height, (const char * const *) self->labels->pdata,
                        (const gint64 *) (gpointer) self->values->data, self->labels->len,
                        gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL, "Sans 10");
  cairo_destroy (cr);
}

static void
payam_bar_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  PayamBarChart *self = PAYAM_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 240;
  else
    *minimum = *natural = (int) (ROW_MAX * self->labels->len);
}

static void
payam_bar_chart_finalize (GObject *object)
{
  PayamBarChart *self = PAYAM_BAR_CHART (object);

  g_ptr_array_unref (self->labels);
  g_array_unref (self->values);
  G_OBJECT_CLASS (payam_bar_chart_parent_class)->finalize (object);
}

static void
payam_bar_chart_class_init (PayamBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = payam_bar_chart_finalize;
  widget_class->snapshot = payam_bar_chart_snapshot;
  widget_class->measure = payam_bar_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
payam_bar_chart_init (PayamBarChart *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->values = g_array_new (FALSE, FALSE, sizeof (gint64));
}

GtkWidget *
payam_bar_chart_new (void)
{
  return g_object_new (PAYAM_TYPE_BAR_CHART, NULL);
}

/* See payam-bar-chart.h. */
void
payam_bar_chart_set_bars (PayamBarChart      *self,
                          const char * const *labels,
                          const gint64       *values,
                          guint               n)
{
  g_return_if_fail (PAYAM_IS_BAR_CHART (self));

  g_ptr_array_set_size (self->labels, 0);
  g_array_set_size (self->values, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->labels, g_strdup (labels[i]));
  g_array_append_vals (self->values, values, n);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
