/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeDashboard: tiles of the main figures on top (each a button to its list), then
 * two columns of sections: open messages by status and priority, overdue worksheets oldest
 * first, time to done by category, ratings with the latest comments; feedback coverage, and
 * the charts (PayamBarChart). The coverage figures open a second page: coverage per
 * outcome, category, neighbourhood and crew and the citizens not told yet, with why. Only
 * the page shown is read. Every figure is one core query
 * (payam-store-dashboard.h, payam-store-feedback.h); the page is built again when they
 * change. Dates are Jalali, numbers in Persian digits. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "payam-bar-chart.h"
#include "payam-calendar.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-office-dashboard.h"
#include "payam-office-widgets.h"
#include "payam-office-widgets.h"
#include "payam-priority.h"
#include "payam-store-crews.h"
#include "payam-store-dashboard.h"
#include "payam-store-feedback.h"
#include "payam-store-queues.h"
#include "payam-tracking.h"

#define UNTOLD_SHOWN 500      /* rows of the not-yet-told list on screen (the CSV has all) */
#define OVERDUE_SHOWN 10
#define COMMENTS_SHOWN 5
#define DAYS 30
#define POLL_SECONDS 2

struct _PayamOfficeDashboard
{
  GtkBox parent_instance;

  /* owned */
  PayamStore  *store;
  GHashTable  *place_names;     /* neighbourhood code → name */
  guint        reload_id;
  guint        poll_id;
  gint64       data_version;
  gboolean     dirty;

  /* borrowed */
  GHashTable  *category_names;

  /* template children */
  GtkStack    *stack;
  GtkLabel    *updated_label;
  GtkFlowBox  *tiles;
  GtkBox      *start_column;
  GtkBox      *end_column;
  GtkLabel    *untold_title;
  GtkBox      *untold_parts;
  GtkListBox  *untold_list;
};

G_DEFINE_FINAL_TYPE (PayamOfficeDashboard, payam_office_dashboard, GTK_TYPE_BOX)


static void
remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (parent))
        gtk_flow_box_remove (GTK_FLOW_BOX (parent), child);
      else if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else
        gtk_box_remove (GTK_BOX (parent), child);
    }
}

const char *
payam_office_dashboard_why_label (const char *why)
{
  if (g_strcmp0 (why, "queued") == 0)
    return _("text message on its way");
  if (g_strcmp0 (why, "failed") == 0)
    return _("text message failed");
  if (g_strcmp0 (why, "no-phone") == 0)
    return _("no phone, code not looked up yet");
  return _("no notice made yet");
}

/* "۷۵٪": told of owed, rounded down so that 100% means every one. */
static char *
percent_text (gint64 told,
              gint64 owed)
{
  g_autofree char *number = payam_format_number (owed > 0 ? told * 100 / owed : 100);

  /* Translators: a percentage; %s is the number. */
  return g_strdup_printf (_("%s%%"), number);
}

/* A time span for people: hours under two days, else days. */
static char *
span_text (double seconds)
{
  g_autofree char *number = NULL;

  if (seconds < 48 * 3600.0)
    {
      number = payam_format_number ((gint64) llround (seconds / 3600.0));
      /* Translators: a time span in hours; %s is the number. */
      return g_strdup_printf (_("%s h"), number);
    }
  number = payam_format_number ((gint64) llround (seconds / 86400.0));
  /* Translators: a time span in days; %s is the number. */
  return g_strdup_printf (_("%s days"), number);
}

/* A Gregorian day key "YYYY-MM-DD" as a short Jalali date in Persian digits. */
static char *
day_text (const char *key)
{
  int y, m, d;
  g_autoptr(GDateTime) noon = NULL;

  if (key == NULL || sscanf (key, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (key != NULL ? key : "");
  noon = g_date_time_new (payam_calendar_tehran (), y, m, d, 12, 0, 0);
  return noon != NULL ? payam_format_date_short (noon) : g_strdup (key);
}

static const char *
category_name (PayamOfficeDashboard *self,
               const char           *code)
{
  const char *name = self->category_names != NULL && code != NULL
                     ? g_hash_table_lookup (self->category_names, code) : NULL;

  return name != NULL ? name : code != NULL ? code : _("No category");
}

static const char *
place_name (PayamOfficeDashboard *self,
            const char           *code)
{
  const char *name = code != NULL ? g_hash_table_lookup (self->place_names, code) : NULL;

  return name != NULL ? name : code != NULL ? code : _("No neighbourhood");
}

static GtkWidget *
label_new (const char *text,
           const char *css,
           float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* A heading and a box for its section, appended to @column. */
static GtkBox *
section (GtkBox     *column,
         const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (GTK_BOX (box), label_new (title, "heading", 0));
  gtk_box_append (column, box);
  return GTK_BOX (box);
}

/* A button that activates @action with the string @target (a list to open). */
static GtkWidget *
link_button (GtkWidget  *child,
             const char *action,
             const char *target,
             const char *accessible)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_child (GTK_BUTTON (button), child);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return button;
}

/* A tile: a big figure over its caption, a button to the list behind it. */
static void
tile (PayamOfficeDashboard *self,
      const char           *caption,
      const char           *figure,
      const char           *detail,
      const char           *action,
      const char           *target)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *accessible = g_strconcat (caption, ": ", figure,
                                             detail != NULL ? " " : "", detail, NULL);
  GtkWidget *button;

  gtk_box_append (GTK_BOX (box), label_new (caption, "dim-label", 0.5));
  gtk_box_append (GTK_BOX (box), label_new (figure, "title-1", 0.5));
  if (detail != NULL)
    gtk_box_append (GTK_BOX (box), label_new (detail, "caption", 0.5));
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  if (action != NULL)
    button = link_button (box, action, target, accessible);
  else
    {
      button = gtk_frame_new (NULL);
      gtk_frame_set_child (GTK_FRAME (button), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
    }
  gtk_widget_add_css_class (button, "card");
  gtk_flow_box_append (self->tiles, button);
}

/* A grid of rows of labels under @box; row 0 is a dim header. */
static GtkGrid *
table (GtkBox *box)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_box_append (box, grid);
  return GTK_GRID (grid);
}

static void
cell (GtkGrid    *grid,
      int         column,
      int         row,
      const char *text,
      gboolean    header)
{
  gtk_grid_attach (grid, label_new (text, header ? "dim-label" : NULL, column == 0 ? 0 : 1),
                   column, row, 1, 1);
}

static void
chart (GtkBox             *column,
       const char         *title,
       const char * const *labels,
       const gint64       *values,
       guint               n,
       const char         *empty)
{
  GtkBox *box = section (column, title);
  GtkWidget *bars;

  if (n == 0)
    {
      gtk_box_append (box, label_new (empty, "dim-label", 0));
      return;
    }
  bars = payam_bar_chart_new ();
  payam_bar_chart_set_bars (PAYAM_BAR_CHART (bars), labels, values, n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bars), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (box, bars);
}

/* The queue that lists the open messages of @status. */
static const char *
queue_of_status (const char *status)
{
  if (g_strcmp0 (status, "registered") == 0)
    return payam_queue_to_string (PAYAM_QUEUE_NEW);
  if (g_strcmp0 (status, "triaged") == 0)
    return payam_queue_to_string (PAYAM_QUEUE_TO_ASSIGN);
  return payam_queue_to_string (PAYAM_QUEUE_ALL);
}

/* Open messages: a row per status, a column per priority and their total. */
static gboolean
add_open (PayamOfficeDashboard  *self,
          GtkBox                *column,
          gint64                *total,
          GError               **error)
{
  g_autoptr(GPtrArray) counts = payam_store_dash_open (self->store, error);
  GtkGrid *grid;
  int row = 1;

  if (counts == NULL)
    return FALSE;
  grid = table (section (column, _("Open messages by status and priority")));
  cell (grid, 0, 0, _("Status"), TRUE);
  for (PayamPriority p = PAYAM_PRIORITY_URGENT; p <= PAYAM_PRIORITY_NORMAL; p++)
    cell (grid, p, 0, payam_priority_label (p), TRUE);
  cell (grid, 4, 0, _("Total"), TRUE);
  *total = 0;
  for (guint i = 0; i < counts->len;)
    {
      const PayamDashCount *first = counts->pdata[i];
      PayamStatus status;
      gint64 sum = 0;

      if (!payam_status_from_string (first->key, &status))
        {
          i++;
          continue;
        }
      cell (grid, 0, row, payam_status_label (status), FALSE);
      for (; i < counts->len && g_strcmp0 (((PayamDashCount *) counts->pdata[i])->key,
                                           first->key) == 0; i++)
        {
          const PayamDashCount *c = counts->pdata[i];
          int p = c->key2 != NULL ? atoi (c->key2) : 0;
          g_autofree char *n = payam_format_number (c->count);
          g_autofree char *what = g_strdup_printf ("%s, %s: %s", payam_status_label (status),
                                                   p >= 1 && p <= 3 ? payam_priority_label (p) : "",
                                                   n);
          GtkWidget *button;

          sum += c->count;
          if (p < 1 || p > 3)
            continue;
          button = link_button (label_new (n, NULL, 1), "win.open-queue",
                                queue_of_status (first->key), what);
          gtk_widget_add_css_class (button, "flat");
          gtk_grid_attach (grid, button, p, row, 1, 1);
        }
      {
        g_autofree char *n = payam_format_number (sum);

        cell (grid, 4, row, n, FALSE);
      }
      *total += sum;
      row++;
    }
  if (row == 1)
    gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (grid))),
                    label_new (_("No open messages."), "dim-label", 0));
  return TRUE;
}

/* Overdue worksheets, oldest deadline first: each opens the Overdue queue. */
static gboolean
add_overdue (PayamOfficeDashboard  *self,
             GtkBox                *column,
             GError               **error)
{
  g_autoptr(GPtrArray) sheets = payam_store_dash_overdue (self->store, OVERDUE_SHOWN, error);
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GHashTable) crew_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkBox *box;

  if (sheets == NULL)
    return FALSE;
  crews = payam_store_list_crews (self->store, error);
  if (crews == NULL)
    return FALSE;
  for (guint i = 0; i < crews->len; i++)
    {
      const PayamCrewPerson *c = crews->pdata[i];

      g_hash_table_insert (crew_names, c->id, c->name);
    }
  box = section (column, _("Overdue work, oldest first"));
  if (sheets->len == 0)
    gtk_box_append (box, label_new (_("No work is overdue."), "dim-label", 0));
  for (guint i = 0; i < sheets->len; i++)
    {
      const PayamDashOverdue *o = sheets->pdata[i];
      g_autoptr(GDateTime) due = g_date_time_new_from_iso8601 (o->due_at, NULL);
      g_autofree char *due_text = due != NULL ? payam_format_date_time (due) : g_strdup ("");
      g_autofree char *late = due != NULL ? payam_format_time_left (now, due) : g_strdup ("");
      g_autofree char *members = payam_format_number (o->members);
      const char *crew = o->crew_id != NULL ? g_hash_table_lookup (crew_names, o->crew_id) : NULL;
      /* Translators: an overdue worksheet: its deadline, how late, its crew and how many
       * messages its group has. */
      g_autofree char *text = g_strdup_printf (_("%s (%s) · %s · %s messages"), due_text, late,
                                               crew != NULL ? crew : _("no crew"), members);
      GtkWidget *button = link_button (label_new (text, NULL, 0), "win.open-queue",
                                       payam_queue_to_string (PAYAM_QUEUE_OVERDUE), text);

      gtk_widget_add_css_class (button, "flat");
      gtk_box_append (box, button);
    }
  return TRUE;
}

/* Average and 90th percentile from filing to done per category, the past DAYS days. */
static gboolean
add_timing (PayamOfficeDashboard  *self,
            GtkBox                *column,
            GDateTime             *since,
            GDateTime             *until,
            GError               **error)
{
  g_autoptr(GPtrArray) rows = payam_store_dash_time_to_done (self->store, since, until, error);
  GtkGrid *grid;

  if (rows == NULL)
    return FALSE;
  grid = table (section (column, _("Time to done by category, past 30 days")));
  cell (grid, 0, 0, _("Category"), TRUE);
  cell (grid, 1, 0, _("Done"), TRUE);
  cell (grid, 2, 0, _("Average"), TRUE);
  cell (grid, 3, 0, _("90th percentile"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      const PayamDashTiming *t = rows->pdata[i];
      g_autofree char *n = payam_format_number (t->n);
      g_autofree char *mean = span_text (t->mean_seconds);
      g_autofree char *p90 = span_text (t->p90_seconds);

      cell (grid, 0, i + 1, category_name (self, t->category), FALSE);
      cell (grid, 1, i + 1, n, FALSE);
      cell (grid, 2, i + 1, mean, FALSE);
      cell (grid, 3, i + 1, p90, FALSE);
    }
  if (rows->len == 0)
    cell (grid, 0, 1, _("Nothing was done in these days."), FALSE);
  return TRUE;
}

/* Coverage per outcome, category, neighbourhood and crew: told of owed and the percent. */
static gboolean
add_coverage_parts (PayamOfficeDashboard  *self,
                    GtkBox                *box,
                    GPtrArray            **all,
                    GError               **error)
{
  static const struct { PayamCoverageBy by; const char *title; } parts[] = {
    { PAYAM_COVERAGE_BY_OUTCOME, N_("Outcome") },
    { PAYAM_COVERAGE_BY_CATEGORY, N_("Category") },
    { PAYAM_COVERAGE_BY_NEIGHBOURHOOD, N_("Neighbourhood") },
    { PAYAM_COVERAGE_BY_CREW, N_("Crew") },
  };
  g_autoptr(GPtrArray) crews = payam_store_list_crews (self->store, error);
  g_autoptr(GHashTable) crew_names = g_hash_table_new (g_str_hash, g_str_equal);
  GtkGrid *grid;
  int row = 0;

  if (crews == NULL)
    return FALSE;
  for (guint i = 0; i < crews->len; i++)
    {
      const PayamCrewPerson *c = crews->pdata[i];

      g_hash_table_insert (crew_names, c->id, c->name);
    }
  grid = table (box);
  for (gsize d = 0; d < G_N_ELEMENTS (parts); d++)
    {
      GPtrArray *rows = all[parts[d].by];

      cell (grid, 0, row, _(parts[d].title), TRUE);
      cell (grid, 1, row, _("Told of owed"), TRUE);
      cell (grid, 2, row, _("Coverage"), TRUE);
      row++;
      for (guint i = 0; i < rows->len; i++)
        {
          const PayamCoverageRow *r = rows->pdata[i];
          const char *name = NULL;
          PayamStatus status;
          g_autofree char *told = payam_format_number (r->told);
          g_autofree char *owed = payam_format_number (r->owed);
          g_autofree char *of = g_strdup_printf (_("%s of %s"), told, owed);
          g_autofree char *pct = percent_text (r->told, r->owed);

          switch (parts[d].by)
            {
            case PAYAM_COVERAGE_BY_OUTCOME:
              name = payam_status_from_string (r->key, &status) ? payam_status_label (status)
                                                                 : r->key;
              break;
            case PAYAM_COVERAGE_BY_CATEGORY:
              name = category_name (self, r->key);
              break;
            case PAYAM_COVERAGE_BY_NEIGHBOURHOOD:
              name = place_name (self, r->key);
              break;
            case PAYAM_COVERAGE_BY_CREW:
              name = r->key != NULL ? g_hash_table_lookup (crew_names, r->key) : NULL;
              if (name == NULL)
                name = _("no crew");
              break;
            case PAYAM_COVERAGE_OVERALL:
            default:
              g_assert_not_reached ();
            }
          cell (grid, 0, row, name, FALSE);
          cell (grid, 1, row, of, FALSE);
          cell (grid, 2, row, pct, FALSE);
          row++;
        }
    }
  return TRUE;
}

/* The list of citizens not told yet, with why. */
static gboolean
fill_untold (PayamOfficeDashboard  *self,
             gint64                 n_untold,
             GError               **error)
{
  g_autoptr(GPtrArray) list = payam_store_list_untold (self->store, UNTOLD_SHOWN, error);
  g_autofree char *n = payam_format_number (n_untold);
  g_autofree char *title = NULL;

  if (list == NULL)
    return FALSE;
  /* Translators: %s is how many citizens are owed an answer and not told yet. */
  title = g_strdup_printf (_("Not told yet: %s"), n);
  gtk_label_set_label (self->untold_title, title);
  remove_children (GTK_WIDGET (self->untold_list));
  for (guint i = 0; i < list->len; i++)
    {
      const PayamUntold *u = list->pdata[i];
      g_autofree char *code = payam_tracking_code_format_inline (u->tracking_code);
      g_autofree char *text = u->reason != NULL
        ? g_strdup_printf ("%s — %s: %s", code, payam_office_dashboard_why_label (u->why),
                           u->reason)
        : g_strdup_printf ("%s — %s", code, payam_office_dashboard_why_label (u->why));
      GtkWidget *label = label_new (text, NULL, 0);

      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->untold_list, label);
    }
  if (list->len == 0)
    gtk_list_box_append (self->untold_list,
                         label_new (_("Every citizen owed an answer has been told."),
                                    "dim-label", 0.5));
  return TRUE;
}

/* Feedback coverage: the overall figure against 100% (it opens the not-yet-told list),
 * its parts, and the not-yet-told list itself. */
static gboolean
add_coverage (PayamOfficeDashboard  *self,
              GtkBox                *column,
              GError               **error)
{
  g_autoptr(GPtrArray) overall = payam_store_get_coverage (self->store, PAYAM_COVERAGE_OVERALL,
                                                           error);
  const PayamCoverageRow *r;
  g_autofree char *pct = NULL;
  g_autofree char *told = NULL;
  g_autofree char *owed = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *why = NULL;
  g_autofree char *queued = NULL, *failed = NULL, *no_phone = NULL, *no_notice = NULL;
  GtkBox *box;
  GtkWidget *level;

  if (overall == NULL || overall->len != 1)
    return overall != NULL || FALSE;
  r = overall->pdata[0];
  pct = percent_text (r->told, r->owed);
  told = payam_format_number (r->told);
  owed = payam_format_number (r->owed);
  /* Translators: feedback coverage: citizens told of those owed an answer, and the target. */
  detail = g_strdup_printf (_("%s told of %s owed · target 100%%"), told, owed);
  tile (self, _("Feedback coverage"), pct, detail, "dashboard.untold", NULL);

  box = section (column, _("Feedback coverage"));
  level = gtk_level_bar_new_for_interval (0, 100);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (level),
                           r->owed > 0 ? (double) r->told * 100.0 / (double) r->owed : 100.0);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (level), GTK_LEVEL_BAR_OFFSET_LOW, 99.99);
  gtk_accessible_update_property (GTK_ACCESSIBLE (level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  detail, -1);
  gtk_box_append (box, level);
  queued = payam_format_number (r->queued);
  failed = payam_format_number (r->failed);
  no_phone = payam_format_number (r->no_phone);
  no_notice = payam_format_number (r->no_notice);
  /* Translators: why citizens are not told yet, with how many of each. */
  why = g_strdup_printf (_("Not told yet: text message on its way %s, failed %s, no phone %s, "
                           "no notice %s"), queued, failed, no_phone, no_notice);
  {
    GtkWidget *button = link_button (label_new (why, NULL, 0), "dashboard.untold", NULL, why);

    gtk_widget_add_css_class (button, "flat");
    gtk_box_append (box, button);
  }
  return TRUE;
}

/* The page of those not told yet: coverage per outcome, category, neighbourhood and crew,
 * then the list. Read only while it is shown: each part reads every citizen owed an answer
 * (seconds on a store of a million), which the figures page need not wait for. */
static gboolean
build_untold (PayamOfficeDashboard  *self,
              GError               **error)
{
  GPtrArray *all[PAYAM_COVERAGE_BY_CREW + 1] = { NULL, };
  const PayamCoverageRow *r;
  gboolean ok;

  if (!payam_store_get_coverage_all (self->store, all, error))
    return FALSE;
  remove_children (GTK_WIDGET (self->untold_parts));
  r = all[PAYAM_COVERAGE_OVERALL]->len == 1 ? all[PAYAM_COVERAGE_OVERALL]->pdata[0] : NULL;
  ok = r != NULL && add_coverage_parts (self, self->untold_parts, all, error) &&
       fill_untold (self, r->owed - r->told, error);
  for (guint by = 0; by < G_N_ELEMENTS (all); by++)
    g_ptr_array_unref (all[by]);
  return ok || r == NULL;
}

/* Ratings: the average as a tile, how many of each score, the latest comments. */
static gboolean
add_ratings (PayamOfficeDashboard  *self,
             GtkBox                *column,
             GError               **error)
{
  PayamDashRatings ratings;
  g_autoptr(GPtrArray) comments = NULL;
  g_autofree char *n = NULL;
  g_autofree char *average = NULL;
  g_autofree char *detail = NULL;
  char *labels[5];
  GtkBox *box;

  if (!payam_store_dash_ratings (self->store, &ratings, error))
    return FALSE;
  comments = payam_store_dash_comments (self->store, COMMENTS_SHOWN, error);
  if (comments == NULL)
    return FALSE;
  n = payam_format_number (ratings.n);
  {
    gint64 tenths = (gint64) llround (ratings.average * 10);  /* 3.96 is 4.0, not 3.0 */
    g_autofree char *whole = payam_format_number (tenths / 10);
    g_autofree char *tenth = payam_format_number (tenths % 10);

    /* Translators: an average score out of five: its whole part and its tenths. */
    average = g_strdup_printf (_("%s.%s of 5"), whole, tenth);
  }
  /* Translators: %s is how many ratings citizens gave. */
  detail = g_strdup_printf (_("%s ratings"), n);
  tile (self, _("Citizens' rating"), ratings.n > 0 ? average : "—", detail, NULL, NULL);

  for (int s = 0; s < 5; s++)
    {
      g_autofree char *score = payam_format_number (5 - s);

      /* Translators: a score of the ratings chart; %s is 1 to 5. */
      labels[s] = g_strdup_printf (_("%s stars"), score);
    }
  {
    gint64 values[5];

    for (int s = 0; s < 5; s++)
      values[s] = ratings.by_score[4 - s];
    chart (column, _("Ratings"), (const char * const *) labels, values,
           ratings.n > 0 ? 5 : 0, _("No ratings yet."));
  }
  for (int s = 0; s < 5; s++)
    g_free (labels[s]);

  box = section (column, _("Latest comments and suggestions"));
  if (comments->len == 0)
    gtk_box_append (box, label_new (_("No comments yet."), "dim-label", 0));
  for (guint i = 0; i < comments->len; i++)
    {
      const PayamDashCount *c = comments->pdata[i];
      g_autofree char *score = payam_format_number (c->count);
      g_autofree char *code = payam_tracking_code_format_inline (c->key2);
      g_autofree char *text = g_strdup_printf ("%s (%s ★, %s)", c->key, score, code);

      gtk_box_append (box, label_new (text, NULL, 0));
    }
  return TRUE;
}

/* A chart of counts keyed by code, named through @name. */
static void
chart_counts (PayamOfficeDashboard *self,
              GtkBox               *column,
              const char           *title,
              GPtrArray            *counts,
              const char *        (*name) (PayamOfficeDashboard *, const char *))
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < counts->len; i++)
    {
      const PayamDashCount *c = counts->pdata[i];

      g_ptr_array_add (labels, (gpointer) name (self, c->key));
      g_array_append_val (values, c->count);
    }
  chart (column, title, (const char * const *) labels->pdata, (gint64 *) (gpointer) values->data,
         labels->len, _("No messages in these days."));
}

/* The charts: intake by category and neighbourhood and per day over DAYS days (every day,
 * none left out), and coverage per day of the outcome. */
static gboolean
add_charts (PayamOfficeDashboard  *self,
            GtkBox                *column,
            GDateTime             *since,
            GDateTime             *until,
            GError               **error)
{
  g_autoptr(GPtrArray) by_category = payam_store_dash_intake (self->store,
                                                              PAYAM_DASH_BY_CATEGORY,
                                                              since, until, error);
  g_autoptr(GPtrArray) by_place = NULL;
  g_autoptr(GPtrArray) by_day = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) day = NULL;
  guint next = 0;

  if (by_category == NULL)
    return FALSE;
  by_place = payam_store_dash_intake (self->store, PAYAM_DASH_BY_NEIGHBOURHOOD, since, until,
                                      error);
  if (by_place == NULL)
    return FALSE;
  by_day = payam_store_dash_intake (self->store, PAYAM_DASH_BY_DAY, since, until, error);
  if (by_day == NULL)
    return FALSE;
  coverage = payam_store_dash_coverage_by_day (self->store, since, until, error);
  if (coverage == NULL)
    return FALSE;

  chart_counts (self, column, _("Messages by category, past 30 days"), by_category,
                category_name);
  chart_counts (self, column, _("Messages by neighbourhood, past 30 days"), by_place,
                place_name);

  day = g_date_time_to_timezone (since, payam_calendar_tehran ());
  for (guint d = 0; d < DAYS; d++)
    {
      g_autofree char *key = g_date_time_format (day, "%Y-%m-%d");
      GDateTime *after = g_date_time_add_days (day, 1);
      gint64 count = 0;

      if (next < by_day->len &&
          g_strcmp0 (((PayamDashCount *) by_day->pdata[next])->key, key) == 0)
        count = ((PayamDashCount *) by_day->pdata[next++])->count;
      g_ptr_array_add (labels, payam_format_date_short (day));
      g_array_append_val (values, count);
      g_date_time_unref (day);
      day = after;
    }
  chart (column, _("Messages per day, past 30 days"), (const char * const *) labels->pdata,
         (gint64 *) (gpointer) values->data, labels->len, "");

  g_ptr_array_set_size (labels, 0);
  g_array_set_size (values, 0);
  for (guint i = 0; i < coverage->len; i++)
    {
      const PayamCoverageRow *r = coverage->pdata[i];
      gint64 pct = r->owed > 0 ? r->told * 100 / r->owed : 100;

      g_ptr_array_add (labels, day_text (r->key));
      g_array_append_val (values, pct);
    }
  chart (column, _("Feedback coverage (%) by day of the outcome, past 30 days"),
         (const char * const *) labels->pdata, (gint64 *) (gpointer) values->data, labels->len,
         _("No outcomes in these days."));
  return TRUE;
}

static gboolean
build (PayamOfficeDashboard  *self,
       GError               **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (payam_calendar_tehran ());
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) until = g_date_time_new (payam_calendar_tehran (),
                                                g_date_time_get_year (tomorrow),
                                                g_date_time_get_month (tomorrow),
                                                g_date_time_get_day_of_month (tomorrow),
                                                0, 0, 0);
  g_autoptr(GDateTime) since = g_date_time_add_days (until, -DAYS);
  g_autofree char *stamp = payam_format_date_time (now);
  g_autofree char *updated = NULL;
  gint64 intake = 0, open = 0;
  guint overdue = 0;

  remove_children (GTK_WIDGET (self->tiles));
  remove_children (GTK_WIDGET (self->start_column));
  remove_children (GTK_WIDGET (self->end_column));

  if (!payam_store_dash_today_intake (self->store, &intake, error) ||
      !payam_store_queue_count (self->store, PAYAM_QUEUE_OVERDUE, &overdue, error) ||
      !add_open (self, self->start_column, &open, error))
    return FALSE;
  {
    g_autofree char *n_intake = payam_format_number (intake);
    g_autofree char *n_open = payam_format_number (open);
    g_autofree char *n_overdue = payam_format_number (overdue);

    tile (self, _("Today's messages"), n_intake, NULL, "win.open-queue",
          payam_queue_to_string (PAYAM_QUEUE_ALL));
    tile (self, _("Open messages"), n_open, NULL, "win.open-queue",
          payam_queue_to_string (PAYAM_QUEUE_ALL));
    tile (self, _("Overdue messages"), n_overdue, NULL, "win.open-queue",
          payam_queue_to_string (PAYAM_QUEUE_OVERDUE));
  }
  if (!add_overdue (self, self->start_column, error) ||
      !add_timing (self, self->start_column, since, until, error) ||
      !add_coverage (self, self->end_column, error) ||
      !add_ratings (self, self->start_column, error) ||
      !add_charts (self, self->end_column, since, until, error))
    return FALSE;
  /* Translators: when the dashboard's figures were read; %s is a Jalali date and time. */
  updated = g_strdup_printf (_("Figures as of %s"), stamp);
  gtk_label_set_label (self->updated_label, updated);
  return TRUE;
}

void
payam_office_dashboard_reload (PayamOfficeDashboard *self)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_if_fail (PAYAM_IS_OFFICE_DASHBOARD (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store == NULL)
    return;
  self->dirty = FALSE;
  /* What other connections committed up to now is in what is read next. */
  if (!payam_store_dash_data_version (self->store, &self->data_version, &error) ||
      !(payam_office_dashboard_shows_untold (self) ? build_untold (self, &error)
                                                   : build (self, &error)))
    payam_office_toast (GTK_WIDGET (self), error->message);
  /* For measuring (G_MESSAGES_DEBUG=payam-app): the time to read every figure. */
  g_debug ("dashboard read in %" G_GINT64_FORMAT " ms",
           (g_get_monotonic_time () - start) / 1000);
}

static gboolean
reload_timeout (gpointer data)
{
  PayamOfficeDashboard *self = data;

  self->reload_id = 0;
  payam_office_dashboard_reload (self);
  return G_SOURCE_REMOVE;
}

/* A change of the store: read again soon while shown (one read for a burst of changes),
 * else when shown next. */
static void
store_changed (PayamOfficeDashboard *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (300, reload_timeout, self);
}

/* While shown: another connection (payamctl, the server, a sync thread) committed? */
static gboolean
poll_tick (gpointer data)
{
  PayamOfficeDashboard *self = data;
  gint64 version;

  if (self->store != NULL && payam_store_dash_data_version (self->store, &version, NULL) &&
      version != self->data_version)
    store_changed (self);
  return G_SOURCE_CONTINUE;
}

static void
dashboard_map (GtkWidget *widget)
{
  PayamOfficeDashboard *self = PAYAM_OFFICE_DASHBOARD (widget);

  GTK_WIDGET_CLASS (payam_office_dashboard_parent_class)->map (widget);
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_tick, self);
  if (self->dirty)
    payam_office_dashboard_reload (self);
}

static void
dashboard_unmap (GtkWidget *widget)
{
  PayamOfficeDashboard *self = PAYAM_OFFICE_DASHBOARD (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  GTK_WIDGET_CLASS (payam_office_dashboard_parent_class)->unmap (widget);
}

void
payam_office_dashboard_set_store (PayamOfficeDashboard *self,
                                  PayamStore           *store,
                                  GHashTable           *category_names)
{
  g_autoptr(GPtrArray) places = NULL;

  g_return_if_fail (PAYAM_IS_OFFICE_DASHBOARD (self));
  g_return_if_fail (PAYAM_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  self->category_names = category_names;
  g_hash_table_remove_all (self->place_names);
  places = payam_store_list_places (store, "neighbourhood", NULL, NULL);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *p = places->pdata[i];

      g_hash_table_insert (self->place_names, g_strdup (p->code), g_strdup (p->name));
    }
  g_signal_connect_object (store, "request-changed", G_CALLBACK (store_changed), self,
                           G_CONNECT_SWAPPED);
  self->dirty = TRUE;
}

void
payam_office_dashboard_show_figures (PayamOfficeDashboard *self)
{
  g_return_if_fail (PAYAM_IS_OFFICE_DASHBOARD (self));

  gtk_stack_set_visible_child_name (self->stack, "figures");
  payam_office_dashboard_reload (self);
}

void
payam_office_dashboard_show_untold (PayamOfficeDashboard *self)
{
  g_return_if_fail (PAYAM_IS_OFFICE_DASHBOARD (self));

  gtk_stack_set_visible_child_name (self->stack, "untold");
  payam_office_dashboard_reload (self);
}

gboolean
payam_office_dashboard_shows_untold (PayamOfficeDashboard *self)
{
  g_return_val_if_fail (PAYAM_IS_OFFICE_DASHBOARD (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "untold") == 0;
}

static void
back_clicked (PayamOfficeDashboard *self)
{
  payam_office_dashboard_show_figures (self);
}

static void
untold_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  payam_office_dashboard_show_untold (PAYAM_OFFICE_DASHBOARD (widget));
}

static void
payam_office_dashboard_dispose (GObject *object)
{
  PayamOfficeDashboard *self = PAYAM_OFFICE_DASHBOARD (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->place_names, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_OFFICE_DASHBOARD);

  G_OBJECT_CLASS (payam_office_dashboard_parent_class)->dispose (object);
}

static void
payam_office_dashboard_class_init (PayamOfficeDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_office_dashboard_dispose;
  widget_class->map = dashboard_map;
  widget_class->unmap = dashboard_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-office-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, updated_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, tiles);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, start_column);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, end_column);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, untold_title);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, untold_parts);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDashboard, untold_list);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  /* The coverage figures open the list of those not told yet. */
  gtk_widget_class_install_action (widget_class, "dashboard.untold", NULL,
                                   untold_activated);
}

static void
payam_office_dashboard_init (PayamOfficeDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->place_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
