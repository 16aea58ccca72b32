/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-kiosk-startup: time from exec to the first frame of `payam --mode kiosk`, and its
 * memory once idle. Needs a display: run it under xvfb-run. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

static int opt_runs = 10;        /* measured start-ups (after one warm-up) */
static int opt_idle = 5;         /* seconds idle before the memory is read */
static char *opt_db = NULL;      /* an existing database; default a fresh one in a temp dir */

static GOptionEntry entries[] = {
  { "runs", 'n', 0, G_OPTION_ARG_INT, &opt_runs, "Measured start-ups", "N" },
  { "idle", 0, 0, G_OPTION_ARG_INT, &opt_idle, "Seconds idle before reading memory", "S" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "Database to start on", "FILE" },
  { NULL }
};

typedef struct {
  gint64 startup_us;   /* exec to first frame */
  gint64 rss_kb;       /* after opt_idle seconds, or -1 when not read */
  gint64 pss_kb;
} Run;

/* The value in kB of the line "@key: N kB" of /proc/@pid/smaps_rollup, or -1. */
static gint64
read_rollup (GPid        pid,
             const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
      return g_ascii_strtoll (lines[i] + key_len + 1, NULL, 10);
  return -1;
}

/* Start @payam on @db, wait for its first frame and, when @idle_s > 0, that many seconds
 * more before reading its memory; then end it. FALSE with @error when it never painted. */
static gboolean
run_once (const char  *payam,
          const char  *db,
          int          idle_s,
          Run         *run,
          GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *argv[] = { payam, "--mode", "kiosk", "--db", db, NULL };
  gint64 start;
  gint64 frame = -1;

  g_subprocess_launcher_setenv (launcher, "PAYAM_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        break;
      if (g_str_has_prefix (line, "payam-first-frame "))
        {
          frame = g_ascii_strtoll (line + strlen ("payam-first-frame "), NULL, 10);
          break;
        }
    }

  if (frame < 0)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "payam ended before its first frame (is there a display?)");
      return FALSE;
    }

  run->startup_us = frame - start;
  run->rss_kb = run->pss_kb = -1;
  if (idle_s > 0)
    {
      GPid pid = g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);

      g_usleep ((gulong) idle_s * G_USEC_PER_SEC);
      run->rss_kb = read_rollup (pid, "Rss");
      run->pss_kb = read_rollup (pid, "Pss");
    }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  return TRUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("PAYAM-BINARY");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree gint64 *times = NULL;
  Run run = { 0, };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
                                "Start-up to first frame of `payam --mode kiosk` (median of N "
                                "runs; target ≤ 300 ms) and its memory after S seconds idle "
                                "(target ≤ 60 MB). Run under xvfb-run.");
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || opt_runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: bench-kiosk-startup [OPTION…] PAYAM-BINARY");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-kiosk-startup: no display; run it under xvfb-run\n");
      return 2;
    }

  if (opt_db != NULL)
    db = g_strdup (opt_db);
  else
    {
      dir = g_dir_make_tmp ("payam-bench-kiosk-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      db = g_build_filename (dir, "payam.db", NULL);
    }

  /* The warm-up makes the database (categories, places) and fills the page cache. */
  if (!run_once (argv[1], db, 0, &run, &error))
    {
      g_printerr ("warm-up: %s\n", error->message);
      return 1;
    }

  times = g_new (gint64, opt_runs);
  for (int i = 0; i < opt_runs; i++)
    {
      if (!run_once (argv[1], db, 0, &run, &error))
        {
          g_printerr ("run %d: %s\n", i + 1, error->message);
          return 1;
        }
      times[i] = run.startup_us;
    }
  qsort (times, opt_runs, sizeof *times, compare_gint64);

  printf ("renderer: GSK_RENDERER=%s\n", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(GTK's default)");
  printf ("kiosk start-up to first frame over %d runs: median %.1f ms, min %.1f ms, max %.1f ms "
          "(target ≤ 300 ms)\n",
          opt_runs, times[opt_runs / 2] / 1000.0, times[0] / 1000.0, times[opt_runs - 1] / 1000.0);

  if (!run_once (argv[1], db, opt_idle, &run, &error))
    {
      g_printerr ("memory run: %s\n", error->message);
      return 1;
    }
  printf ("kiosk memory after %d s idle: RSS %.1f MB, PSS %.1f MB (target ≤ 60 MB)\n",
          opt_idle, run.rss_kb / 1024.0, run.pss_kb / 1024.0);

  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
      g_remove (db);
      g_rmdir (dir);
    }
  return 0;
}
