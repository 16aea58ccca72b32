/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-dashboard: how long the dashboard's figures take on a store of bench-store's
 * generated requests, given an office's mix of work done, worksheets and ratings. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "payam-store-dashboard.h"
#include "payam-store-feedback.h"

/* Give the store at @path an office's mix (bench-store registers everything as new): of
 * every 100 requests 1 stays new, 1 is triaged, 2 are in progress, the rest closed. Each
 * one in progress or closed is a group of one with a worksheet; each closed one was done
 * 0-239 hours after filing, every tenth of them rated (every seventh rating with a
 * comment). Straight SQL on the bench's own copy, with the store closed. */
/* This process's CPU time in ms: on a machine shared with other work the wall time of a
 * figure grows with the load, its CPU time does not. */
static double
cpu_now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static gboolean
apply_mix (const char  *path,
           GError     **error)
{
  static const char mix[] =
    "BEGIN;"
    "UPDATE request SET status = CASE rowid % 100 WHEN 0 THEN 'registered'"
    " WHEN 1 THEN 'triaged' WHEN 2 THEN 'in_progress' WHEN 3 THEN 'in_progress'"
    " ELSE 'closed' END;"
    "INSERT INTO dup_group (id, lead_request_id, state, created_at)"
    " SELECT 'g' || rowid, id, 'confirmed', created_at FROM request"
    " WHERE status IN ('in_progress', 'closed');"
    "UPDATE request SET group_id = 'g' || rowid WHERE status IN ('in_progress', 'closed');"
    "INSERT INTO worksheet (id, group_id, status, due_at, created_at)"
    " SELECT 'w' || rowid, group_id, CASE status WHEN 'closed' THEN 'done'"
    " ELSE 'in_progress' END, due_at, created_at FROM request WHERE group_id IS NOT NULL;"
    "INSERT INTO worksheet_action (id, worksheet_id, kind, actor, at)"
    " SELECT 'a' || rowid, 'w' || rowid, 'done', 'bench',"
    " strftime ('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || (rowid % 240) || ' hours')"
    " FROM request WHERE status = 'closed';"
    "INSERT INTO rating (id, request_id, score, comment, created_at)"
    " SELECT 'r' || rowid, id, 1 + (rowid / 10) % 5,"
    " CASE WHEN rowid % 7 = 0 THEN 'کار خوبی بود' END, created_at"
    " FROM request WHERE status = 'closed' AND rowid % 10 = 0;"
    "COMMIT;"
    "ANALYZE;";
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, mix, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);
  return TRUE;
}

/* The newest request's filing time at @path, plus an hour: the bench's "now". */
static GDateTime *
store_now (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GDateTime *now = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT max (created_at) FROM request", -1, &stmt, NULL)
      == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    {
      g_autoptr(GDateTime) newest =
        g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 0), NULL);

      if (newest != NULL)
        now = g_date_time_add_hours (newest, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return now;
}

static GDateTime *
fixed_now (gpointer data)
{
  return g_date_time_ref (data);
}

/* Every figure of the dashboard once, for the 30 days to @now; FALSE on an error. The
 * figures' sizes go to @summary. */
static gboolean
all_figures (PayamStore  *store,
             GDateTime   *now,
             GString     *summary,
             GError     **error)
{
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -30);
  g_autoptr(GPtrArray) open = NULL, overdue = NULL, timing = NULL, comments = NULL;
  g_autoptr(GPtrArray) by_day = NULL, by_category = NULL, by_place = NULL, coverage = NULL;
  PayamDashRatings ratings;
  gint64 today = 0, n_open = 0;

  /* Each figure timed on its own into @summary's second line. */
#define TIMED(label, call) \
  G_STMT_START { \
    gint64 t = g_get_monotonic_time (); \
    if (!(call)) \
      return FALSE; \
    g_string_append_printf (timing_line, " %s %.0f", label, \
                            (g_get_monotonic_time () - t) / 1000.0); \
  } G_STMT_END
  g_autoptr(GString) timing_line = g_string_new ("ms:");

  TIMED ("open", (open = payam_store_dash_open (store, error)) != NULL);
  TIMED ("overdue", (overdue = payam_store_dash_overdue (store, 20, error)) != NULL);
  TIMED ("today", payam_store_dash_today_intake (store, &today, error));
  TIMED ("time-to-done",
         (timing = payam_store_dash_time_to_done (store, since, now, error)) != NULL);
  TIMED ("ratings", payam_store_dash_ratings (store, &ratings, error));
  TIMED ("comments", (comments = payam_store_dash_comments (store, 5, error)) != NULL);
  TIMED ("by-day", (by_day = payam_store_dash_intake (store, PAYAM_DASH_BY_DAY, since, now,
                                                      error)) != NULL);
  TIMED ("by-category", (by_category = payam_store_dash_intake (store, PAYAM_DASH_BY_CATEGORY,
                                                                since, now, error)) != NULL);
  TIMED ("by-neighbourhood",
         (by_place = payam_store_dash_intake (store, PAYAM_DASH_BY_NEIGHBOURHOOD, since, now,
                                              error)) != NULL);
  TIMED ("coverage",
         (coverage = payam_store_get_coverage (store, PAYAM_COVERAGE_OVERALL, error)) != NULL);
#undef TIMED
  for (guint i = 0; i < open->len; i++)
    n_open += ((PayamDashCount *) open->pdata[i])->count;
  g_string_printf (summary, "open %" G_GINT64_FORMAT ", overdue shown %u, today %"
                   G_GINT64_FORMAT ", categories timed %u, ratings %" G_GINT64_FORMAT
                   " (average %.2f), days %u, owed an answer %" G_GINT64_FORMAT,
                   n_open, overdue->len, today, timing->len, ratings.n, ratings.average,
                   by_day->len, ((PayamCoverageRow *) coverage->pdata[0])->owed);
  g_string_append_printf (summary, "\n  %s", timing_line->str);
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *db = NULL;
  g_autofree char *bench_store = NULL;
  g_autofree char *made_dir = NULL;
  gint64 count = 1000000;
  gint64 rounds = 10;
  gboolean mixed = FALSE;
  gint64 t0;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "An existing store made by bench-store --keep (CHANGED: given the mix)", "PATH" },
    { "bench-store", 0, 0, G_OPTION_ARG_FILENAME, &bench_store,
      "Make the store first with this bench-store binary", "PATH" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count,
      "Requests bench-store makes (default 1000000)", "N" },
    { "mixed", 0, 0, G_OPTION_ARG_NONE, &mixed,
      "The --db store has the mix already (a second run on it)", NULL },
    { "rounds", 0, 0, G_OPTION_ARG_INT64, &rounds,
      "Times every figure is computed (default 10)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Time the dashboard's figures on a store of "
                                         "bench-store's generated requests.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-dashboard: %s\n", error->message);
      return 2;
    }
  if ((db == NULL) == (bench_store == NULL) || rounds <= 0 || count <= 0)
    {
      g_printerr ("bench-dashboard: give --db PATH or --bench-store PATH; counts positive\n");
      return 2;
    }

  if (bench_store != NULL)
    {
      g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
      g_autofree char *out = NULL;
      int wait_status = 0;
      const char *spawn_argv[] = { bench_store, "--count", count_text, "--keep", "--dir",
                                   NULL, NULL };

      made_dir = g_dir_make_tmp ("payam-bench-dashboard-XXXXXX", &error);
      if (made_dir == NULL)
        {
          g_printerr ("bench-dashboard: %s\n", error->message);
          return 1;
        }
      spawn_argv[5] = made_dir;
      t0 = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) spawn_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                         NULL, &wait_status, &error) ||
          !g_spawn_check_wait_status (wait_status, &error))
        {
          g_printerr ("bench-dashboard: bench-store: %s\n", error->message);
          return 1;
        }
      g_print ("%s", out);
      g_print ("store made in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
      {
        /* bench-store --keep prints the database's path on its last line. */
        g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
        const char *last = lines[g_strv_length (lines) - 1];
        const char *at = strstr (last, "/");

        db = g_strdup (at != NULL ? at : last);
      }
    }

  t0 = g_get_monotonic_time ();
  if ((!mixed && !apply_mix (db, &error)) || (now = store_now (db)) == NULL ||
      (store = payam_store_open (db, &error)) == NULL)
    {
      g_printerr ("bench-dashboard: %s\n", error != NULL ? error->message : "no requests");
      return 1;
    }
  g_print ("office's mix given in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
  payam_store_set_now_func (store, fixed_now, now);

  for (gint64 i = 0; i < rounds; i++)
    {
      double ms, cpu_ms;
      double cpu0 = cpu_now_ms ();

      t0 = g_get_monotonic_time ();
      if (!all_figures (store, now, summary, &error))
        {
          g_printerr ("bench-dashboard: %s\n", error->message);
          return 1;
        }
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      cpu_ms = cpu_now_ms () - cpu0;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
      if (i == 0 || i == rounds - 1)
        g_print ("%s round: %.0f ms (CPU %.0f ms); %s\n", i == 0 ? "first (cold)" : "last",
                 ms, cpu_ms, summary->str);
    }
  g_array_sort (times, compare_doubles);
  g_array_sort (cpu_times, compare_doubles);
  g_print ("every dashboard figure, %" G_GINT64_FORMAT " rounds: p50 %.0f ms, max %.0f ms "
           "(target: 1000 ms); CPU p50 %.0f ms, max %.0f ms\n", rounds,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, times->len - 1),
           g_array_index (cpu_times, double, cpu_times->len / 2),
           g_array_index (cpu_times, double, cpu_times->len - 1));
  return 0;
}
