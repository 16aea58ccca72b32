/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monthly report: figures of one Jalali month computed in SQL by the store
 * (payam-store-dashboard.h, payam-store-report.h, payam-store-feedback.h), laid out with
 * Pango on A4 pages of a cairo PDF surface, right to left, with Jalali dates and Persian
 * digits. Citizens' comments and crews' notes are counted, never printed. */
#define G_LOG_DOMAIN "payam-report"
#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "payam-calendar.h"
#include "payam-category.h"
#include "payam-chart-draw.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-priority.h"
#include "payam-report-monthly.h"
#include "payam-store-report.h"

/* A4 in points, and the margins. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONTS "Vazirmatn, Noto Sans Arabic, Noto Sans, sans"
#define ROW 18.0          /* a table row's height; the Arabic fonts' line boxes are taller */
#define BAR_ROW 18.0      /* a bar's row in the charts */
#define DAY_CHART_H 140.0

/* ---- the month ------------------------------------------------------------------------ */

/* The value of the decimal digit starting at @p (ASCII, Persian ۰–۹ or Arabic-Indic ٠–٩),
 * or -1; *@len gets its length in bytes. */
static int
digit_value (const char *p,
             gsize      *len)
{
  gunichar c = g_utf8_get_char (p);

  *len = g_utf8_next_char (p) - p;
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 0x06F0 && c <= 0x06F9)
    return c - 0x06F0;
  if (c >= 0x0660 && c <= 0x0669)
    return c - 0x0660;
  return -1;
}

/* Read @min_digits to @max_digits digits at *@p into *@out, moving *@p past them. */
static gboolean
read_number (const char **p,
             int          min_digits,
             int          max_digits,
             int         *out)
{
  int n = 0, value = 0;
  gsize len;
  int d;

  while (**p != '\0' && (d = digit_value (*p, &len)) >= 0)
    {
      if (++n > max_digits)
        return FALSE;
      value = value * 10 + d;
      *p += len;
    }
  *out = value;
  return n >= min_digits;
}

/* See payam-report-monthly.h. */
gboolean
payam_report_parse_month (const char  *text,
                          int         *year,
                          int         *month,
                          GError     **error)
{
  const char *p = text;
  gboolean ok;
  int y = 0, m = 0;

  g_return_val_if_fail (year != NULL && month != NULL, FALSE);

  /* Four digits of the year, '-' or '/', one or two of the month, nothing else. */
  ok = text != NULL && g_utf8_validate (text, -1, NULL) && read_number (&p, 4, 4, &y) &&
       (*p == '-' || *p == '/');
  if (ok)
    {
      p++;
      ok = read_number (&p, 1, 2, &m) && *p == '\0';
    }
  if (!ok)
    {
      /* Translators: %s is what was written; keep 1405-09 as it is. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a month. Write the Jalali year and month, like 1405-09."),
                   text != NULL && g_utf8_validate (text, -1, NULL) ? text : "");
      return FALSE;
    }
  if (m < 1 || m > 12)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The month must be from 01 (Farvardin) to 12 (Esfand)."));
      return FALSE;
    }
  if (y < 1300 || y > 1499)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The year must be a Jalali year from 1300 to 1499, like 1405."));
      return FALSE;
    }
  *year = y;
  *month = m;
  return TRUE;
}

/* See payam-report-monthly.h. */
gboolean
payam_report_month_range (int          year,
                          int          month,
                          GDateTime  **from,
                          GDateTime  **to)
{
  PayamJalaliDate first = { year, month, 1 };
  PayamJalaliDate next = { month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1 };
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  g_return_val_if_fail (from != NULL && to != NULL, FALSE);

  if (month < 1 || month > 12)
    return FALSE;
  start = payam_calendar_from_jalali (first);
  end = payam_calendar_from_jalali (next);
  if (start == NULL || end == NULL)
    return FALSE;
  *from = g_steal_pointer (&start);
  *to = g_steal_pointer (&end);
  return TRUE;
}

/* ---- the figures ---------------------------------------------------------------------- */

typedef struct {
  int           year;
  int           month;
  GDateTime    *from;
  GDateTime    *to;
  gint64        intake;
  GPtrArray    *by_category;       /* PayamDashCount */
  GPtrArray    *by_neighbourhood;  /* PayamDashCount */
  GPtrArray    *by_channel;        /* PayamDashCount */
  GPtrArray    *by_day;            /* PayamDashCount */
  GPtrArray    *timing;            /* PayamDashTiming */
  PayamRangeWorksheets worksheets;
  GPtrArray    *open_at_end;       /* PayamDashCount */
  GPtrArray    *coverage;          /* PayamCoverageRow, one */
  GPtrArray    *coverage_by;       /* PayamCoverageRow by outcome */
  PayamDashRatings ratings;
  gint64        n_comments;
  GHashTable   *category_names;    /* code → Persian name */
  GHashTable   *place_names;       /* code → Persian name */
} Figures;

static void
figures_clear (Figures *f)
{
  g_clear_pointer (&f->from, g_date_time_unref);
  g_clear_pointer (&f->to, g_date_time_unref);
  g_clear_pointer (&f->by_category, g_ptr_array_unref);
  g_clear_pointer (&f->by_neighbourhood, g_ptr_array_unref);
  g_clear_pointer (&f->by_channel, g_ptr_array_unref);
  g_clear_pointer (&f->by_day, g_ptr_array_unref);
  g_clear_pointer (&f->timing, g_ptr_array_unref);
  g_clear_pointer (&f->open_at_end, g_ptr_array_unref);
  g_clear_pointer (&f->coverage, g_ptr_array_unref);
  g_clear_pointer (&f->coverage_by, g_ptr_array_unref);
  g_clear_pointer (&f->category_names, g_hash_table_unref);
  g_clear_pointer (&f->place_names, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Figures, figures_clear)

/* Read every figure of the month from @store into @f (its year and month set). */
static gboolean
figures_load (Figures     *f,
              PayamStore  *store,
              GError     **error)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) places = NULL;

  if (!payam_report_month_range (f->year, f->month, &f->from, &f->to))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The month must be from 01 (Farvardin) to 12 (Esfand)."));
      return FALSE;
    }
  if ((f->by_category = payam_store_dash_intake (store, PAYAM_DASH_BY_CATEGORY, f->from,
                                                 f->to, error)) == NULL ||
      (f->by_neighbourhood = payam_store_dash_intake (store, PAYAM_DASH_BY_NEIGHBOURHOOD,
                                                      f->from, f->to, error)) == NULL ||
      (f->by_day = payam_store_dash_intake (store, PAYAM_DASH_BY_DAY, f->from, f->to,
                                            error)) == NULL ||
      (f->by_channel = payam_store_range_intake_by_channel (store, f->from, f->to,
                                                            error)) == NULL ||
      (f->timing = payam_store_dash_time_to_done (store, f->from, f->to, error)) == NULL ||
      !payam_store_range_worksheets (store, f->from, f->to, &f->worksheets, error) ||
      (f->open_at_end = payam_store_range_open_at (store, f->to, error)) == NULL ||
      (f->coverage = payam_store_get_coverage_range (store, PAYAM_COVERAGE_OVERALL, f->from,
                                                     f->to, error)) == NULL ||
      (f->coverage_by = payam_store_get_coverage_range (store, PAYAM_COVERAGE_BY_OUTCOME,
                                                        f->from, f->to, error)) == NULL ||
      !payam_store_range_ratings (store, f->from, f->to, &f->ratings, &f->n_comments, error))
    return FALSE;
  for (guint i = 0; i < f->by_channel->len; i++)
    f->intake += ((PayamDashCount *) f->by_channel->pdata[i])->count;

  f->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->place_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  categories = payam_store_list_categories (store, error);
  if (categories == NULL)
    return FALSE;
  for (guint i = 0; i < categories->len; i++)
    {
      PayamCategory *c = categories->pdata[i];
      g_hash_table_insert (f->category_names, g_strdup (c->code), g_strdup (c->name));
    }
  places = payam_store_list_places (store, "neighbourhood", NULL, error);
  if (places == NULL)
    return FALSE;
  for (guint i = 0; i < places->len; i++)
    {
      PayamPlace *p = places->pdata[i];
      g_hash_table_insert (f->place_names, g_strdup (p->code), g_strdup (p->name));
    }
  return TRUE;
}

/* @code's name in @names, else the code itself. Borrowed. */
static const char *
name_of (GHashTable *names,
         const char *code)
{
  const char *name = code != NULL ? g_hash_table_lookup (names, code) : NULL;

  return name != NULL ? name : (code != NULL ? code : "");
}

/* ---- words and numbers ---------------------------------------------------------------- */

static const char *const month_names[] = {
  N_("Farvardin"), N_("Ordibehesht"), N_("Khordad"), N_("Tir"), N_("Mordad"),
  N_("Shahrivar"), N_("Mehr"), N_("Aban"), N_("Azar"), N_("Dey"), N_("Bahman"),
  N_("Esfand"),
};

/* "۴٫۲" for 4.2: @value with one decimal in Persian digits. */
static char *
format_decimal (double value)
{
  gint64 tenths = (gint64) (value * 10.0 + (value >= 0 ? 0.5 : -0.5));
  g_autofree char *whole = payam_format_number (tenths / 10);
  g_autofree char *part = payam_format_integer (ABS (tenths % 10));

  return g_strdup_printf ("%s\u066B%s", whole, part);
}

/* A duration for people: hours under two days, else days with one decimal. */
static char *
format_duration (double seconds)
{
  double hours = seconds / 3600.0;

  if (hours < 48.0)
    {
      g_autofree char *n = payam_format_number ((gint64) (hours + 0.5));
      /* Translators: %s is a number of hours in Persian digits. */
      return g_strdup_printf (_("%s hours"), n);
    }
  else
    {
      g_autofree char *n = format_decimal (hours / 24.0);
      /* Translators: %s is a number of days in Persian digits, maybe with a decimal. */
      return g_strdup_printf (_("%s days"), n);
    }
}

/* Whole percent of @part in @whole, rounded down; 100 when @whole is 0. */
static char *
format_percent (gint64 part,
                gint64 whole)
{
  g_autofree char *n = payam_format_integer (whole == 0 ? 100 : part * 100 / whole);

  /* Translators: a percentage; %s is the number in Persian digits. */
  return g_strdup_printf (_("%s%%"), n);
}

static const char *
channel_label (const char *nick)
{
  if (g_strcmp0 (nick, "kiosk") == 0)
    return _("Kiosk");
  if (g_strcmp0 (nick, "crew") == 0)
    return _("Crew");
  if (g_strcmp0 (nick, "office") == 0)
    return _("Office");
  if (g_strcmp0 (nick, "phone") == 0)
    return _("Phone (137)");
  if (g_strcmp0 (nick, "open311") == 0)
    return _("Other systems (Open311)");
  return nick;
}

static const char *
outcome_label (const char *nick)
{
  PayamStatus status;

  if (nick != NULL && payam_status_from_string (nick, &status))
    return payam_status_label (status);
  return nick != NULL ? nick : "";
}

/* ---- the pages ------------------------------------------------------------------------ */

typedef struct {
  cairo_t         *cr;
  PangoLayout     *layout;
  gboolean         rtl;
  double           y;      /* where the next block starts */
  guint            page;
  const Figures   *figures;
  double           size;   /* the font's size in points */
} Page;

/* Set @layout's font to FONTS at @size points, bold or not. */
static void
set_font (Page     *p,
          double    size,
          gboolean  bold)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (FONTS);

  p->size = size;
  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (p->layout, desc);
}

/* Show @text in the box from @start (measured from the start side) @width wide, its first
 * baseline at the same distance below @y whatever font Pango falls back to (Persian digits
 * in an English report), aligned to the box's start, or its end with @to_end; wrapped
 * when it is wider than the box. Returns how far below @y the text reaches. */
static double
show (Page       *p,
      const char *text,
      double      start,
      double      width,
      double      y,
      gboolean    to_end)
{
  double ascent = p->size * 1.3;
  double x, baseline, below = 0.6;  /* of the line box under the baseline, for a line */
  int w, h;

  pango_layout_set_text (p->layout, text, -1);
  pango_layout_set_width (p->layout, -1);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  if (w > width)
    {
      gboolean right = p->rtl != to_end;

      pango_layout_set_width (p->layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (p->layout, PANGO_WRAP_WORD);
      pango_layout_set_line_spacing (p->layout, 1.1);
      pango_layout_set_alignment (p->layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      pango_layout_get_pixel_size (p->layout, NULL, &h);
      w = (int) width;
      below = 1.0;
    }
  else
    {
      pango_layout_set_alignment (p->layout, PANGO_ALIGN_LEFT);
      pango_layout_set_line_spacing (p->layout, 0.0);
    }
  baseline = pango_layout_get_baseline (p->layout) / (double) PANGO_SCALE;
  /* The text's left edge, in page coordinates. */
  if (p->rtl)
    x = to_end ? MARGIN + CONTENT_W - start - width : MARGIN + CONTENT_W - start - w;
  else
    x = to_end ? MARGIN + start + width - w : MARGIN + start;
  cairo_move_to (p->cr, x, y + ascent - baseline);
  pango_cairo_show_layout (p->cr, p->layout);
  return ascent + (h - baseline) * below;
}

static void
header (Page *p)
{
  const Figures *f = p->figures;
  g_autofree char *title = NULL;
  g_autofree char *page = payam_format_integer (p->page);
  g_autofree char *year = payam_format_integer (f->year);
  double y = MARGIN;

  cairo_set_source_rgb (p->cr, 0.1, 0.1, 0.1);
  set_font (p, 14, TRUE);
  y += show (p, _("Municipality of District 6, Region 2"), 0, CONTENT_W, y, FALSE);
  set_font (p, 11, FALSE);
  /* Translators: the report's title; the first %s is the month's name, the second the
   * Jalali year in Persian digits. */
  title = g_strdup_printf (_("Monthly report of the 137 system, %s %s"),
                           _(month_names[f->month - 1]), year);
  show (p, title, 0, CONTENT_W, y + 2, FALSE);
  {
    /* Translators: %s is the page number. */
    g_autofree char *label = g_strdup_printf (_("Page %s"), page);
    y += show (p, label, 0, CONTENT_W, y + 2, TRUE);
  }
  y += 8;
  cairo_set_source_rgb (p->cr, 0.21, 0.52, 0.89);
  cairo_set_line_width (p->cr, 1.0);
  cairo_move_to (p->cr, MARGIN, y);
  cairo_line_to (p->cr, PAGE_W - MARGIN, y);
  cairo_stroke (p->cr);
  cairo_set_source_rgb (p->cr, 0.1, 0.1, 0.1);
  p->y = y + 10;
}

/* Start a new page when @needed points do not fit on this one. */
static void
need (Page   *p,
      double  needed)
{
  if (p->y + needed <= PAGE_H - MARGIN)
    return;
  cairo_show_page (p->cr);
  p->page++;
  header (p);
}

/* A section's title, kept on one page with the first @following points of its content. */
static void
section (Page       *p,
         const char *title,
         double      following)
{
  need (p, 30 + following);
  p->y += 6;
  set_font (p, 12, TRUE);
  p->y += show (p, title, 0, CONTENT_W, p->y, FALSE) + 4;
  set_font (p, 9.5, FALSE);
}

/* One table row: @cells[0] in the first (start) column of @share of the width, the rest
 * in equal columns after it, each aligned to its column's end. */
static void
table_row (Page               *p,
           const char * const *cells,
           guint               n,
           double              share,
           gboolean            bold)
{
  double first = CONTENT_W * share;
  double rest = n > 1 ? (CONTENT_W - first) / (n - 1) : 0;
  double h = 0;

  need (p, ROW);
  set_font (p, 9.5, bold);
  h = show (p, cells[0], 0, first, p->y, FALSE);
  for (guint i = 1; i < n; i++)
    h = MAX (h, show (p, cells[i], first + (i - 1) * rest, rest - 8, p->y, TRUE));
  p->y += MAX (ROW, h);
  set_font (p, 9.5, FALSE);
}

/* "LABEL: VALUE" on a line of its own. */
static void
figure_line (Page       *p,
             const char *label,
             const char *value)
{
  const char *cells[] = { label, value };

  table_row (p, cells, 2, 0.6, FALSE);
}

static void
bar_chart (Page            *p,
           const GPtrArray *counts,
           GHashTable      *names)
{
  g_autofree const char **labels = NULL;
  g_autofree gint64 *values = NULL;
  double height;

  if (counts->len == 0)
    return;
  labels = g_new0 (const char *, counts->len);
  values = g_new0 (gint64, counts->len);
  for (guint i = 0; i < counts->len; i++)
    {
      const PayamDashCount *c = counts->pdata[i];

      labels[i] = names != NULL ? name_of (names, c->key) : c->key;
      values[i] = c->count;
    }
  height = MIN (BAR_ROW * counts->len, 260.0);
  need (p, height + 8);
  cairo_save (p->cr);
  cairo_translate (p->cr, MARGIN, p->y);
  payam_chart_draw_bars (p->cr, CONTENT_W, height, labels, values, counts->len, p->rtl,
                         "Vazirmatn, Noto Sans Arabic, Noto Sans, sans 8");
  cairo_restore (p->cr);
  p->y += height + 8;
}

/* The intake of every day of the month as columns, the first day on the start side. */
static void
day_chart (Page *p)
{
  const Figures *f = p->figures;
  int days = (int) (g_date_time_difference (f->to, f->from) / G_TIME_SPAN_DAY);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *values = NULL;
  double height = DAY_CHART_H;

  if (days <= 0 || days > 31)
    return;
  values = g_new0 (gint64, days);
  for (int d = 0; d < days; d++)
    g_ptr_array_add (labels, payam_format_integer (d + 1));
  for (guint i = 0; i < f->by_day->len; i++)
    {
      const PayamDashCount *c = f->by_day->pdata[i];
      g_autofree char *iso = g_strdup_printf ("%sT00:00:00", c->key);
      g_autoptr(GDateTime) day = g_date_time_new_from_iso8601 (iso, payam_calendar_tehran ());
      gint64 index;

      if (day == NULL)
        continue;
      index = (g_date_time_difference (day, f->from) + G_TIME_SPAN_HOUR) / G_TIME_SPAN_DAY;
      if (index >= 0 && index < days)
        values[index] += c->count;
    }
  need (p, height + 8);
  cairo_save (p->cr);
  cairo_translate (p->cr, MARGIN, p->y);
  payam_chart_draw_columns (p->cr, CONTENT_W, height, (const char * const *) labels->pdata,
                            values, days, 1, p->rtl,
                            "Vazirmatn, Noto Sans Arabic, Noto Sans, sans 6.5");
  cairo_restore (p->cr);
  p->y += height + 8;
}

static void
counts_table (Page            *p,
              const char      *key_title,
              const GPtrArray *counts,
              const char      *(*label) (const char *),
              GHashTable      *names)
{
  const char *head[] = { key_title, _("Messages") };

  table_row (p, head, 2, 0.6, TRUE);
  for (guint i = 0; i < counts->len; i++)
    {
      const PayamDashCount *c = counts->pdata[i];
      g_autofree char *n = payam_format_number (c->count);
      const char *cells[] = {
        label != NULL ? label (c->key) : name_of (names, c->key), n
      };

      table_row (p, cells, 2, 0.6, FALSE);
    }
}

static void
page_intake (Page *p)
{
  const Figures *f = p->figures;
  g_autofree char *total = payam_format_number (f->intake);
  g_autofree char *first = payam_format_date (f->from);
  g_autoptr(GDateTime) last_day = g_date_time_add_days (f->to, -1);
  g_autofree char *last = payam_format_date (last_day);
  g_autofree char *period = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *made = payam_format_date_time (now);
  g_autofree char *made_line = NULL;

  /* Translators: the month's first and last day, as Jalali dates. */
  period = g_strdup_printf (_("From %s to %s"), first, last);
  set_font (p, 9.5, FALSE);
  p->y += show (p, period, 0, CONTENT_W, p->y, FALSE) + 2;
  /* Translators: %s is the date and time the report was made. */
  made_line = g_strdup_printf (_("Made on %s"), made);
  p->y += show (p, made_line, 0, CONTENT_W, p->y, FALSE) + 4;

  section (p, _("Messages received"), 40);
  figure_line (p, _("Messages registered in the month"), total);
  counts_table (p, _("Way of registering"), f->by_channel, channel_label, NULL);

  section (p, _("Messages by category"), MIN (ROW * f->by_category->len, 120));
  bar_chart (p, f->by_category, f->category_names);

  section (p, _("Messages by neighbourhood"), MIN (ROW * f->by_neighbourhood->len, 120));
  bar_chart (p, f->by_neighbourhood, f->place_names);

  section (p, _("Messages per day"), DAY_CHART_H + 8);
  day_chart (p);
}

static void
page_work (Page *p)
{
  const Figures *f = p->figures;
  const char *head[] = {
    _("Category"), _("Done"), _("Average time to done"), _("90th percentile"),
  };
  g_autofree char *due = payam_format_number (f->worksheets.due);
  g_autofree char *late = payam_format_number (f->worksheets.late);
  g_autofree char *unfinished = payam_format_number (f->worksheets.unfinished);
  gint64 open_total = 0;
  gint64 done_total = 0;

  section (p, _("Work done in the month"), 3 * ROW);
  table_row (p, head, 4, 0.34, TRUE);
  for (guint i = 0; i < f->timing->len; i++)
    {
      const PayamDashTiming *t = f->timing->pdata[i];
      g_autofree char *n = payam_format_number (t->n);
      g_autofree char *mean = format_duration (t->mean_seconds);
      g_autofree char *p90 = format_duration (t->p90_seconds);
      const char *cells[] = { name_of (f->category_names, t->category), n, mean, p90 };

      done_total += t->n;
      table_row (p, cells, 4, 0.34, FALSE);
    }
  {
    g_autofree char *n = payam_format_number (done_total);
    figure_line (p, _("Messages done in the month"), n);
  }

  section (p, _("Worksheets past their deadline"), 3 * ROW);
  figure_line (p, _("Worksheets due in the month"), due);
  figure_line (p, _("Not finished by their deadline"), late);
  figure_line (p, _("Still not finished at the month’s end"), unfinished);

  section (p, _("Messages open at the month’s end"), 4 * ROW);
  for (int priority = 1; priority <= 3; priority++)
    {
      gint64 count = 0;
      g_autofree char *n = NULL;

      for (guint i = 0; i < f->open_at_end->len; i++)
        {
          const PayamDashCount *c = f->open_at_end->pdata[i];

          if (g_ascii_strtoll (c->key, NULL, 10) == priority)
            count += c->count;
        }
      open_total += count;
      n = payam_format_number (count);
      figure_line (p, payam_priority_label ((PayamPriority) priority), n);
    }
  {
    g_autofree char *n = payam_format_number (open_total);
    figure_line (p, _("All open messages"), n);
  }
}

static void
coverage_row (Page                   *p,
              const char             *label,
              const PayamCoverageRow *row,
              gboolean                bold)
{
  g_autofree char *owed = payam_format_number (row->owed);
  g_autofree char *told = payam_format_number (row->told);
  g_autofree char *pct = format_percent (row->told, row->owed);
  g_autofree char *queued = payam_format_number (row->queued);
  g_autofree char *failed = payam_format_number (row->failed);
  g_autofree char *no_phone = payam_format_number (row->no_phone + row->no_notice);
  const char *cells[] = { label, owed, told, pct, queued, failed, no_phone };

  table_row (p, cells, 7, 0.22, bold);
}

static void
page_feedback (Page *p)
{
  const Figures *f = p->figures;
  const char *head[] = {
    _("Outcome"), _("Owed"), _("Told"), _("Share told"), _("Queued"), _("Failed"), _("No phone"),
  };
  const PayamDashRatings *r = &f->ratings;
  g_autofree char *n = payam_format_number (r->n);
  g_autofree char *average = r->n > 0 ? format_decimal (r->average) : g_strdup ("—");
  g_autofree char *comments = payam_format_number (f->n_comments);
  const char *score_labels[5];
  char *score_text[5] = { NULL };

  section (p, _("Citizens told the outcome (messages registered in the month)"), 3 * ROW);
  table_row (p, head, 7, 0.22, TRUE);
  for (guint i = 0; i < f->coverage_by->len; i++)
    {
      const PayamCoverageRow *row = f->coverage_by->pdata[i];
      coverage_row (p, outcome_label (row->key), row, FALSE);
    }
  coverage_row (p, _("All outcomes"), f->coverage->pdata[0], TRUE);

  section (p, _("Citizens’ ratings in the month"), 3 * ROW + 110);
  figure_line (p, _("Ratings"), n);
  figure_line (p, _("Average score (of 5)"), average);
  figure_line (p, _("Ratings with a comment or suggestion"), comments);
  for (int s = 0; s < 5; s++)
    {
      g_autofree char *digit = payam_format_integer (s + 1);
      /* Translators: %s is a score from 1 to 5 in Persian digits. */
      score_text[s] = g_strdup_printf (_("Score %s"), digit);
      score_labels[s] = score_text[s];
    }
  need (p, 110);
  cairo_save (p->cr);
  cairo_translate (p->cr, MARGIN, p->y);
  payam_chart_draw_bars (p->cr, CONTENT_W, 100, score_labels, r->by_score, 5, p->rtl,
                         "Vazirmatn, Noto Sans Arabic, Noto Sans, sans 8");
  cairo_restore (p->cr);
  p->y += 108;
  for (int s = 0; s < 5; s++)
    g_free (score_text[s]);
}

/* Whether the translation in use is written right to left. */
static gboolean
report_rtl (void)
{
  /* Translators: write "rtl" (these ASCII letters) when your language is written right to
   * left; the monthly report is then laid out from the right. */
  return g_str_equal (C_("report direction", "ltr"), "rtl");
}

/* See payam-report-monthly.h. */
gboolean
payam_report_monthly_pdf (PayamStore  *store,
                          int          year,
                          int          month,
                          const char  *path,
                          GError     **error)
{
  g_auto(Figures) figures = { .year = year, .month = month };
  cairo_surface_t *surface;
  cairo_status_t status;
  Page page = { 0 };
  PangoContext *context;

  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!figures_load (&figures, store, error))
    return FALSE;

  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      /* Translators: %s is the reason. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the PDF file: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  _("Monthly report of the 137 system"));
  page.cr = cairo_create (surface);
  page.layout = pango_cairo_create_layout (page.cr);
  page.rtl = report_rtl ();
  page.page = 1;
  page.figures = &figures;
  context = pango_layout_get_context (page.layout);
  pango_context_set_base_dir (context, page.rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  pango_layout_set_auto_dir (page.layout, FALSE);
  pango_layout_context_changed (page.layout);

  header (&page);
  page_intake (&page);
  page_work (&page);
  page_feedback (&page);
  cairo_show_page (page.cr);

  g_object_unref (page.layout);
  cairo_destroy (page.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the PDF file: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
