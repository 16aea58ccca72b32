/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamBarChart: horizontal bars drawn with cairo and Pango (payam-chart-draw.c), mirrored
 * right to left. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-bar-chart.h"
#include "payam-chart-draw.h"

#define ROW_MAX 32.0

struct _PayamBarChart
{
  GtkWidget  parent_instance;
  GPtrArray *labels;   /* of char * */
  GArray    *values;   /* of gint64 */
};

G_DEFINE_FINAL_TYPE (PayamBarChart, payam_bar_chart, GTK_TYPE_WIDGET)

/* See payam-bar-chart.h: the drawing lives in src/report, shared with the monthly PDF. */
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
  payam_chart_draw_bars (cr, width, height, labels, values, n, rtl, font);
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
