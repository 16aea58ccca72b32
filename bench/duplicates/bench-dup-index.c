/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-dup-index: build time, memory and intake query time of the duplicate index, beside a full scan. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "payam-dup-index.h"
#include "payam-store.h"

/* Messages come from the committed labelled set: real wording, places of the two
 * neighbourhoods, categories. Each stored request is one of them with its point moved up
 * to about 300 m (or none, as in the set), created over the 90 days before the queries. */
typedef struct {
  char   *text;
  char   *category;
  char   *neighbourhood;
  char   *street;
  char   *landmark;
  gboolean located;
  double  lat;
  double  lon;
} Message;

static void
message_clear (gpointer data)
{
  Message *m = data;

  g_free (m->text);
  g_free (m->category);
  g_free (m->neighbourhood);
  g_free (m->street);
  g_free (m->landmark);
}

static char *
member_dup (JsonObject *o,
            const char *name)
{
  return json_object_has_member (o, name) ? g_strdup (json_object_get_string_member (o, name))
                                          : NULL;
}

static GArray *
read_messages (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (Message));

  g_array_set_clear_func (out, message_clear);
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      Message m = { 0 };

      if (lines[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, error))
        return NULL;
      o = json_node_get_object (json_parser_get_root (parser));
      m.text = member_dup (o, "text");
      m.category = member_dup (o, "category");
      m.neighbourhood = member_dup (o, "neighbourhood");
      m.street = member_dup (o, "street");
      m.landmark = member_dup (o, "landmark");
      m.located = json_object_has_member (o, "lat");
      if (m.located)
        {
          m.lat = json_object_get_double_member (o, "lat");
          m.lon = json_object_get_double_member (o, "lon");
        }
      g_array_append_val (out, m);
    }
  return g_steal_pointer (&out);
}

typedef struct {
  GDateTime *now;
} Clock;

static GDateTime *
clock_now (gpointer data)
{
  return g_date_time_ref (((Clock *) data)->now);
}

static void
clock_set (Clock  *clock,
           gint64  unix_s)
{
  g_clear_pointer (&clock->now, g_date_time_unref);
  clock->now = g_date_time_new_from_unix_utc (unix_s);
}

static void
draft_from (PayamRequestDraft *d,
            const Message     *m,
            GRand             *rand)
{
  memset (d, 0, sizeof *d);
  d->text = m->text;
  d->category = m->category;
  d->neighbourhood = m->neighbourhood;
  d->street = m->street;
  d->landmark = m->landmark;
  d->has_location = m->located;
  if (m->located)
    {
      /* Up to about 300 m in each direction. */
      d->lat = m->lat + g_rand_double_range (rand, -0.0027, 0.0027);
      d->lon = m->lon + g_rand_double_range (rand, -0.0033, 0.0033);
    }
  d->channel = PAYAM_CHANNEL_KIOSK;
}

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, "VmRSS:");
  return p != NULL ? g_ascii_strtoll (p + 6, NULL, 10) : -1;
}

/* CPU time of this thread in microseconds: what one core spends, whatever else runs. */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) ceil (p * sorted->len) - 1;

  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) messages = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GArray) t_index = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_scan = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *t_kind[3];
  const char *kind_names[3] = { "with a point", "street or landmark", "neighbourhood only" };
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *set_path = NULL;
  char *keep_db = NULL;
  char *set_arg = NULL;
  int count = 1000000;
  int queries = 1000;
  int batch = 10000;
  int seed = 4;
  gint64 t0, t_fill = 0, t_build, rss_before, rss_after;
  gint64 end_s = 1796205600; /* 2026-12-01T10:00:00Z: the queries' now */
  gint64 span_s = 90 * 86400;
  PayamDupIndexStats stats;
  Clock clock = { 0 };
  guint top1_same = 0, top1_total = 0, top5_overlap = 0, top5_total = 0;
  double sum_index = 0, sum_scan = 0;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Stored requests (default 1,000,000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &queries, "Intake queries (default 1,000)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Requests per transaction (default 10,000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 4)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &keep_db,
      "Keep the database in FILE; an existing FILE is used as it is", "FILE" },
    { "messages", 0, 0, G_OPTION_ARG_FILENAME, &set_arg,
      "The labelled set (default tests/data/messages-labelled.jsonl)", "FILE" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  for (int k = 0; k < 3; k++)
    t_kind[k] = g_array_new (FALSE, FALSE, sizeof (double));
  context = g_option_context_new ("— the duplicate index against a full scan");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < 1 || queries < 1 || batch < 1)
    {
      g_printerr ("--count, --queries and --batch must be positive\n");
      return 2;
    }
  set_path = set_arg != NULL ? g_strdup (set_arg)
                             : g_build_filename (PAYAM_SOURCE_ROOT, "tests", "data",
                                                 "messages-labelled.jsonl", NULL);
  messages = read_messages (set_path, &error);
  if (messages == NULL)
    {
      g_printerr ("%s: %s\n", set_path, error->message);
      return 1;
    }
  rand = g_rand_new_with_seed ((guint32) seed);

  if (keep_db != NULL)
    db_path = g_strdup (keep_db);
  else
    {
      dir = g_dir_make_tmp ("bench-dup-index-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      db_path = g_build_filename (dir, "payam.db", NULL);
    }

  {
    gboolean fill = !g_file_test (db_path, G_FILE_TEST_EXISTS);

    store = payam_store_open (db_path, &error);
    if (store == NULL || !payam_store_load_defaults (store, &error))
      {
        g_printerr ("%s: %s\n", db_path, error->message);
        return 1;
      }
    payam_store_set_now_func (store, clock_now, &clock);
    if (fill)
      {
        t0 = g_get_monotonic_time ();
        for (int i = 0; i < count; i += batch)
          {
            if (!payam_store_begin (store, &error))
              break;
            for (int j = i; j < MIN (count, i + batch); j++)
              {
                const Message *m = &g_array_index (messages, Message,
                                                   g_rand_int_range (rand, 0, (gint32) messages->len));
                PayamRequestDraft d;
                g_autoptr(PayamRequest) r = NULL;

                clock_set (&clock, end_s - span_s + (gint64) j * span_s / count);
                draft_from (&d, m, rand);
                r = payam_store_add_request (store, &d, &error);
                if (r == NULL)
                  break;
              }
            if (error != NULL || !payam_store_commit (store, &error))
              break;
          }
        if (error != NULL)
          {
            g_printerr ("filling: %s\n", error->message);
            return 1;
          }
        t_fill = g_get_monotonic_time () - t0;
      }
  }
  clock_set (&clock, end_s);

  rss_before = rss_kib ();
  t0 = g_get_monotonic_time ();
  index = payam_dup_index_new (store, &error);
  t_build = g_get_monotonic_time () - t0;
  rss_after = rss_kib ();
  if (index == NULL)
    {
      g_printerr ("index: %s\n", error->message);
      return 1;
    }
  payam_dup_index_get_stats (index, &stats);

  /* Intake queries: a message of the set, its point moved again, as a new citizen. */
  for (int i = 0; i < queries; i++)
    {
      const Message *m = &g_array_index (messages, Message,
                                         g_rand_int_range (rand, 0, (gint32) messages->len));
      PayamRequestDraft d;
      PayamDupQuery q = { 0 };
      g_autoptr(GPtrArray) a = NULL;
      g_autoptr(GPtrArray) b = NULL;
      gint64 s;
      double us;

      draft_from (&d, m, rand);
      q.text = d.text;
      q.category = d.category;
      q.neighbourhood = d.neighbourhood;
      q.street = d.street;
      q.landmark = d.landmark;
      q.has_location = d.has_location;
      q.lat = d.lat;
      q.lon = d.lon;
      q.limit = 5;

      s = cpu_us ();
      a = payam_dup_index_query (index, &q, &error);
      us = (double) (cpu_us () - s);
      g_array_append_val (t_index, us);
      g_array_append_val (t_kind[q.has_location ? 0 : q.street != NULL || q.landmark != NULL ? 1 : 2], us);
      sum_index += us;

      s = cpu_us ();
      b = payam_dup_index_query_full_scan (index, &q, &error);
      us = (double) (cpu_us () - s);
      g_array_append_val (t_scan, us);
      sum_scan += us;
      if (a == NULL || b == NULL)
        {
          g_printerr ("query: %s\n", error->message);
          return 1;
        }

      if (b->len > 0)
        {
          top1_total++;
          if (a->len > 0 && g_str_equal (((PayamDupCandidate *) a->pdata[0])->id,
                                         ((PayamDupCandidate *) b->pdata[0])->id))
            top1_same++;
        }
      for (guint x = 0; x < b->len; x++)
        {
          top5_total++;
          for (guint y = 0; y < a->len; y++)
            if (g_str_equal (((PayamDupCandidate *) a->pdata[y])->id,
                             ((PayamDupCandidate *) b->pdata[x])->id))
              {
                top5_overlap++;
                break;
              }
        }
    }
  g_array_sort (t_index, compare_double);
  for (int k = 0; k < 3; k++)
    g_array_sort (t_kind[k], compare_double);
  g_array_sort (t_scan, compare_double);

  g_print ("bench-dup-index: %d stored requests (%u indexed, all open: the worst case), "
           "%d queries, seed %d\n", count, stats.n_requests, queries, seed);
  if (t_fill > 0)
    g_print ("fill:    %.1f s through payam_store_add_request in batches of %d\n",
             t_fill / 1e6, batch);
  g_print ("build:   %.2f s (one pass with payam_store_foreach_request)\n", t_build / 1e6);
  g_print ("memory:  %.1f bytes per request counted (%zu bytes, %u blocks); "
           "RSS grew %.1f bytes per request (with the corpus model)\n",
           (double) stats.memory_bytes / MAX (1, stats.n_requests), stats.memory_bytes,
           stats.n_blocks, (rss_after - rss_before) * 1024.0 / MAX (1, stats.n_requests));
  g_print ("index:   (thread CPU time of each query) p50 %.3f ms, p99 %.3f ms, mean %.3f ms\n",
           percentile (t_index, 0.50) / 1e3, percentile (t_index, 0.99) / 1e3,
           sum_index / queries / 1e3);
  for (int k = 0; k < 3; k++)
    if (t_kind[k]->len > 0)
      g_print ("  %-19s %4u queries: p50 %.3f ms, p99 %.3f ms\n", kind_names[k], t_kind[k]->len,
               percentile (t_kind[k], 0.50) / 1e3, percentile (t_kind[k], 0.99) / 1e3);
  g_print ("scan:    p50 %.3f ms, p99 %.3f ms, mean %.3f ms\n",
           percentile (t_scan, 0.50) / 1e3, percentile (t_scan, 0.99) / 1e3,
           sum_scan / queries / 1e3);
  g_print ("speed-up: %.1fx at p50, %.1fx at p99, %.1fx on the mean\n",
           percentile (t_scan, 0.50) / percentile (t_index, 0.50),
           percentile (t_scan, 0.99) / percentile (t_index, 0.99), sum_scan / sum_index);
  g_print ("agreement with the scan: top 1 %u/%u, top 5 %u/%u\n",
           top1_same, top1_total, top5_overlap, top5_total);

  g_clear_object (&index);
  g_clear_object (&store);
  g_clear_pointer (&clock.now, g_date_time_unref);
  if (dir != NULL)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir, name, NULL);

          g_unlink (file);
        }
      g_rmdir (dir);
    }
  for (int k = 0; k < 3; k++)
    g_array_unref (t_kind[k]);
  g_free (keep_db);
  g_free (set_arg);
  return 0;
}
