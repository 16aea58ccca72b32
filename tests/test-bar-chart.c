/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payam_chart_draw_bars (src/report, which the dashboard's PayamBarChart draws with) on an
 * image surface: bars scaled to the largest value, on the start
 * side's opposite of the labels, mirrored right to left. No display needed. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "payam-chart-draw.h"

#define W 400
#define H 64

/* Whether the pixel at (@x, @y) of @surface is the bars' blue. */
static gboolean
is_bar (cairo_surface_t *surface,
        int              x,
        int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  const guint32 *px =
    (const guint32 *) (gconstpointer) (data + y * cairo_image_surface_get_stride (surface));
  guint32 p = px[x];
  guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

  return b > 200 && r < 80 && g > 110 && g < 150;
}

static cairo_surface_t *
draw (gboolean rtl)
{
  const char *labels[] = { "آسفالت", "روشنایی" };
  const gint64 values[] = { 10, 5 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  payam_chart_draw_bars (cr, W, H, labels, values, 2, rtl, "Sans 9");
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
test_left_to_right (void **state)
{
  /* Labels take 120 px, counts 64: bars run from 120 over 216 px for the largest. */
  cairo_surface_t *s = draw (FALSE);

  assert_false (is_bar (s, 60, 16));
  assert_true (is_bar (s, 125, 16));
  assert_true (is_bar (s, 330, 16));
  assert_true (is_bar (s, 125, 48));
  assert_true (is_bar (s, 220, 48));
  assert_false (is_bar (s, 240, 48));  /* half as long */
  cairo_surface_destroy (s);
}

static void
test_right_to_left (void **state)
{
  cairo_surface_t *s = draw (TRUE);

  /* PAYAM_TEST_PNG=FILE keeps the drawing to look at. */
  if (g_getenv ("PAYAM_TEST_PNG") != NULL)
    cairo_surface_write_to_png (s, g_getenv ("PAYAM_TEST_PNG"));

  assert_false (is_bar (s, W - 60, 16));
  assert_true (is_bar (s, W - 125, 16));
  assert_true (is_bar (s, W - 330, 16));
  assert_true (is_bar (s, W - 220, 48));
  assert_false (is_bar (s, W - 240, 48));
  cairo_surface_destroy (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_left_to_right),
    cmocka_unit_test (test_right_to_left),
  };

  return cmocka_run_group_tests_name ("bar-chart", tests, NULL, NULL);
}
