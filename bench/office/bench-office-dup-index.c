/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-office-dup-index: the office's duplicate index built in the background on a large
 * store (issue #13): the time until it is ready and the longest main-loop stall meanwhile. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "payam-dup-index.h"
#include "payam-store.h"

/* How often the loop is asked to run a tick while the index builds: a stall is the longest
 * time between two ticks, less this. */
#define TICK_MS 1

typedef struct {
  GMainLoop     *loop;
  PayamDupIndex *index;
  GError        *error;
  gint64         started;
  gint64         ready;
  gint64         last_tick;
  gint64         longest_gap;
  gint64         longest_at;  /* when it ended */
  gint64         finish_us;   /* payam_dup_index_new_finish(): the hand-over, in the loop */
  guint          ticks;
} Run;

static gboolean
tick (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (now - run->last_tick > run->longest_gap)
    {
      run->longest_gap = now - run->last_tick;
      run->longest_at = now;
    }
  run->last_tick = now;
  run->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* The same ticks with nothing else to do for @seconds: what the machine alone stalls. */
static void
baseline (double seconds)
{
  Run run = { 0 };
  guint tick_id;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.started = run.last_tick = g_get_monotonic_time ();
  tick_id = g_timeout_add (TICK_MS, tick, &run);
  g_timeout_add ((guint) (seconds * 1000), quit, run.loop);
  g_main_loop_run (run.loop);
  g_source_remove (tick_id);
  g_print ("main loop with nothing to do    %u ticks of %d ms in %.1f s; longest stall %.1f ms "
           "(the machine's own)\n", run.ticks, TICK_MS, seconds,
           (run.longest_gap - TICK_MS * 1000) / 1000.0);
  g_main_loop_unref (run.loop);
}

static void
built (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Run *run = user_data;
  gint64 t0 = g_get_monotonic_time ();

  run->index = payam_dup_index_new_finish (result, &run->error);
  run->ready = g_get_monotonic_time ();
  run->finish_us = run->ready - t0;
  tick (run);
  g_main_loop_quit (run->loop);
}

/* Make a store with bench-store (--count N --keep) and return its path. */
static char *
make_store (const char  *bench_store,
            gint64       count,
            GError     **error)
{
  g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  g_autofree char *dir = g_dir_make_tmp ("payam-bench-dup-index-XXXXXX", error);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int wait_status = 0;
  const char *argv[] = { bench_store, "--count", count_text, "--keep", "--dir", NULL, NULL };
  const char *last, *at;
  gint64 t0 = g_get_monotonic_time ();

  if (dir == NULL)
    return NULL;
  argv[5] = dir;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &wait_status, error) ||
      !g_spawn_check_wait_status (wait_status, error))
    return NULL;
  g_print ("store of %" G_GINT64_FORMAT " requests made in %.1f s\n", count,
           (g_get_monotonic_time () - t0) / 1e6);
  /* bench-store --keep prints the database's path on its last line. */
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  last = lines[g_strv_length (lines) - 1];
  at = strstr (last, "/");
  return g_strdup (at != NULL ? at : last);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *bench_store = NULL;
  gint64 count = 100000;
  gboolean sync = FALSE;
  double idle_seconds = 5.0;
  Run run = { 0 };
  guint tick_id;
  PayamDupIndexStats stats;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "An existing store (e.g. made by bench-store --keep)", "PATH" },
    { "bench-store", 0, 0, G_OPTION_ARG_FILENAME, &bench_store,
      "Make the store first with this bench-store binary", "PATH" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count,
      "Requests bench-store makes (default 100000)", "N" },
    { "sync", 0, 0, G_OPTION_ARG_NONE, &sync,
      "Also build it in the loop's thread once (payam_dup_index_new), for comparison", NULL },
    { "baseline", 0, 0, G_OPTION_ARG_DOUBLE, &idle_seconds,
      "First run the loop this many seconds with nothing to build (default 5; 0: not)", "S" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Time the duplicate index built in a worker thread "
                                         "and the longest main-loop stall meanwhile.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-office-dup-index: %s\n", error->message);
      return 2;
    }
  if ((db == NULL) == (bench_store == NULL) || count <= 0)
    {
      g_printerr ("bench-office-dup-index: give --db PATH or --bench-store PATH\n");
      return 2;
    }
  if (bench_store != NULL && (db = make_store (bench_store, count, &error)) == NULL)
    {
      g_printerr ("bench-office-dup-index: bench-store: %s\n", error->message);
      return 1;
    }
  store = payam_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("bench-office-dup-index: %s\n", error->message);
      return 1;
    }

  if (idle_seconds > 0)
    baseline (idle_seconds);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.started = g_get_monotonic_time ();
  run.last_tick = run.started;
  tick_id = g_timeout_add (TICK_MS, tick, &run);
  payam_dup_index_new_async (store, NULL, built, &run);
  /* The call itself runs in the loop's thread: it counts as a stall. */
  tick (&run);
  g_main_loop_run (run.loop);
  g_source_remove (tick_id);
  if (run.index == NULL)
    {
      g_printerr ("bench-office-dup-index: %s\n", run.error->message);
      return 1;
    }
  payam_dup_index_get_stats (run.index, &stats);
  g_print ("store %s\n", db);
  g_print ("index ready in the background  %.2f s (%u requests indexed, %.1f MiB)\n",
           (run.ready - run.started) / 1e6, stats.n_requests, stats.memory_bytes / 1048576.0);
  g_print ("main loop meanwhile            %u ticks of %d ms; longest stall %.1f ms, "
           "%.2f s after the start (target <= 20 ms); hand-over %.1f ms\n",
           run.ticks, TICK_MS, (run.longest_gap - TICK_MS * 1000) / 1000.0,
           (run.longest_at - run.started) / 1e6, run.finish_us / 1000.0);
  g_clear_object (&run.index);
  g_main_loop_unref (run.loop);

  if (sync)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(PayamDupIndex) index = payam_dup_index_new (store, &error);

      if (index == NULL)
        {
          g_printerr ("bench-office-dup-index: %s\n", error->message);
          return 1;
        }
      g_print ("the same in the loop's thread  %.2f s (the loop stalls all that time)\n",
               (g_get_monotonic_time () - t0) / 1e6);
    }
  return 0;
}
