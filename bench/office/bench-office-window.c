/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-office-window: how long the office window keeps its main loop from running (issue
 * #13: ≤ 20 ms) while it opens, while each queue opens, while a queue scrolls page by page
 * and when it jumps deep into one, on a large store (bench-store --keep, migrated). */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <time.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "payam-application.h"
#include "payam-office-window.h"
#include "payam-row-slots.h"
#include "payam-queue-item.h"
#include "payam-store-triage.h"
#include "payam-store-queues.h"
#include "payam-store.h"

/* The probe: a high-priority timeout every millisecond; the longest gap between two of its
 * runs, less the millisecond, is the longest time the main loop could not run. On a busy
 * machine much of a gap is waiting for a core, so the probe also keeps the main thread's
 * own CPU time in its busiest gap: what the window's work costs, whatever the load. */
typedef struct {
  gint64 last;
  gint64 longest;
  gint64 last_cpu;
  gint64 longest_cpu;
} Probe;

static Probe probe;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
probe_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (probe.last != 0 && now - probe.last - 1000 > probe.longest)
    probe.longest = now - probe.last - 1000;
  if (probe.last_cpu != 0 && cpu - probe.last_cpu > probe.longest_cpu)
    probe.longest_cpu = cpu - probe.last_cpu;
  probe.last = now;
  probe.last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* Start a phase: the longest stall from now on. */
static void
probe_reset (void)
{
  probe.last = g_get_monotonic_time ();
  probe.longest = 0;
  probe.last_cpu = thread_cpu_us ();
  probe.longest_cpu = 0;
}

static gboolean
limit_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Run the main loop for @ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, limit_reached, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean painted;

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  painted = TRUE;
}

static GtkWidget *
find (GtkWidget  *widget,
      GType       type,
      const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static double
ms (gint64 us)
{
  return us / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *shots = NULL;
  int pages = 40;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (made by bench-store --keep)", "PATH" },
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, "Pages to scroll (default 40)", "N" },
    { "shots", 0, 0, G_OPTION_ARG_FILENAME, &shots,
      "Only take a screenshot of each queue (and New sorted) into DIR, full screen", "DIR" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the office window's stalls");
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamApplication) app = NULL;
  g_autoptr(PayamStore) store = NULL;
  PayamOfficeWindow *window;
  GtkColumnView *view;
  GtkAdjustment *adj;
  GtkListBox *queues;
  gint64 start, opened;
  guint rows_per_page;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR") != NULL
                                   ? g_getenv ("PAYAM_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL)
    {
      g_printerr ("bench-office-window: give --db PATH (%s)\n",
                  error != NULL ? error->message : "no store");
      return 2;
    }
  gtk_init ();
  adw_init ();
  app = payam_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-office-window: %s\n", error->message);
      return 1;
    }
  g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_tick, NULL, NULL);
  run_for (50);

  start = g_get_monotonic_time ();
  probe_reset ();
  store = payam_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("bench-office-window: %s\n", error->message);
      return 1;
    }
  g_print ("store open: %.1f ms\n", ms (g_get_monotonic_time () - start));

  /* The window: built, shown, its first frame painted. */
  window = payam_office_window_new (GTK_APPLICATION (app), store);
  if (shots != NULL)
    {
      /* No window manager under Xvfb: the window takes the screen's size itself. */
      GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle area;

      gdk_monitor_get_geometry (monitor, &area);
      gtk_window_set_default_size (GTK_WINDOW (window), area.width, area.height);
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint), NULL);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  opened = g_get_monotonic_time ();
  run_for (1000);
  g_print ("window: first frame %.1f ms after the store opened; longest stall while it "
           "opened (until 1 s after) %.1f ms (busy %.1f)\n", ms (opened - start), ms (probe.longest), ms (probe.longest_cpu));

  /* Each queue opened from the sidebar, as a click does. */
  queues = GTK_LIST_BOX (find (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, "navigation-sidebar"));
  if (shots != NULL)
    {
      GListModel *columns;

      view = GTK_COLUMN_VIEW (find (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW, NULL));
      columns = gtk_column_view_get_columns (view);
      for (int q = 0; q <= PAYAM_N_QUEUES; q++)
        {
          g_autofree char *file = NULL;
          const char *name = q < PAYAM_N_QUEUES ? payam_queue_to_string (q) : "new-by-category";
          const char *argv_import[] = { "import", "-window", "root", NULL, NULL };

          gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues,
                                                                          q < PAYAM_N_QUEUES ? q
                                                                          : PAYAM_QUEUE_NEW));
          if (q == PAYAM_N_QUEUES)
            {
              g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 1);

              gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
            }
          run_for (700);
          file = g_strdup_printf ("%s/office-%s.png", shots, name);
          argv_import[3] = file;
          if (!g_spawn_sync (NULL, (char **) argv_import, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                             NULL, NULL, NULL, &error))
            {
              g_printerr ("bench-office-window: import: %s\n", error->message);
              return 1;
            }
        }
      gtk_window_destroy (GTK_WINDOW (window));
      run_for (50);
      return 0;
    }
  for (int q = PAYAM_N_QUEUES - 1; q >= 0; q--)
    {
      probe_reset ();
      start = g_get_monotonic_time ();
      gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, q));
      g_print ("open %-10s: %.1f ms to switch", payam_queue_to_string (q),
               ms (g_get_monotonic_time () - start));
      run_for (500);
      g_print ("; longest stall %.1f ms (busy %.1f)\n", ms (probe.longest), ms (probe.longest_cpu));
    }

  /* New (selected last) scrolled a screen at a time, 60 times a second. */
  view = GTK_COLUMN_VIEW (find (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW, NULL));
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  rows_per_page = 0;
  probe_reset ();
  start = g_get_monotonic_time ();
  for (int p = 0; p < pages; p++)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) +
                                     gtk_adjustment_get_page_size (adj));
      run_for (16);
    }
  rows_per_page = (guint) (gtk_adjustment_get_upper (adj) > 0
                           ? gtk_adjustment_get_page_size (adj) /
                             gtk_adjustment_get_upper (adj) *
                             g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)))
                           : 0);
  g_print ("scroll new: %d screens (about %u rows each) in %.0f ms; longest stall %.1f ms (busy %.1f)\n",
           pages, rows_per_page, ms (g_get_monotonic_time () - start), ms (probe.longest), ms (probe.longest_cpu));

  /* A jump to the middle (the scroll bar dragged): a page read by OFFSET. */
  probe_reset ();
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) / 2);
  run_for (300);
  g_print ("jump to the middle of new: longest stall %.1f ms (busy %.1f)\n", ms (probe.longest), ms (probe.longest_cpu));

  /* And sorted by a column: the first screen, then scrolling on. */
  {
    GListModel *columns = gtk_column_view_get_columns (view);

    for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);

        if (gtk_column_view_column_get_sorter (column) == NULL)
          continue;
        gtk_adjustment_set_value (adj, 0);
        run_for (100);
        probe_reset ();
        gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
        run_for (200);
        for (int p = 0; p < 10; p++)
          {
            gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) +
                                           gtk_adjustment_get_page_size (adj));
            run_for (16);
          }
        g_print ("new sorted by %s (descending) and scrolled 10 screens: longest stall %.1f ms (busy %.1f)\n",
                 gtk_column_view_column_get_title (column), ms (probe.longest), ms (probe.longest_cpu));
      }
  }

  /* Another connection (payamctl, a sync round) changes the first row of New: the window
   * sees SQLite's data_version move at its next poll (every 2 s) and reads its held pages
   * again in the main loop. */
  {
    g_autoptr(PayamStore) other = payam_store_open (db, &error);
    g_autoptr(PayamRowSlot) first = NULL;
    PayamQueueItem *item;

    gtk_adjustment_set_value (adj, 0);
    run_for (100);
    first = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), 0);
    item = first != NULL ? payam_row_slot_get_item (first) : NULL;
    if (other == NULL || item == NULL ||
        !payam_store_triage_set_priority (other, payam_queue_item_get_id (item),
                                          payam_queue_item_get_priority (item) ==
                                          PAYAM_PRIORITY_URGENT ? PAYAM_PRIORITY_HIGH
                                                                : PAYAM_PRIORITY_URGENT,
                                          "bench", &error))
      g_printerr ("bench-office-window: no change from another connection: %s\n",
                  error != NULL ? error->message : "no row");
    else
      {
        probe_reset ();
        run_for (2500);
        g_print ("a row of New changed by another connection, followed at the next poll: "
                 "longest stall %.1f ms (busy %.1f)\n", ms (probe.longest),
                 ms (probe.longest_cpu));
      }
  }

  gtk_window_destroy (GTK_WINDOW (window));
  run_for (50);
  return 0;
}
