/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-dup-index: the duplicate index's build time, memory and query time, beside full scans. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bench-labelled.h"
#include "payam-dup-index-private.h"
#include "payam-store.h"

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

/* The exhaustive reference: every stored request with its signature in memory, scored
 * exactly by the formula of payam-dup-index.h. What the index would have to beat without
 * blocks, sketches or a second stage. */
typedef struct {
  char               *id;
  PayamTextSignature *signature;
  const char         *category;      /* interned */
  const char         *neighbourhood; /* interned */
  const char         *street;        /* interned, may be NULL */
  const char         *landmark;      /* interned, may be NULL */
  gboolean            located;
  double              lat;
  double              lon;
  gint64              created;
  gint64              changed;
  PayamStatus         status;
} Row;

typedef struct {
  GArray                     *rows;
  GStringChunk               *names;
  const PayamSimilarityModel *model;
} Exhaustive;

static const char *
intern (GStringChunk *names,
        const char   *s)
{
  return s != NULL && s[0] != '\0' ? g_string_chunk_insert_const (names, s) : NULL;
}

static gboolean
load_row (const PayamRequest *r,
          gpointer            user_data)
{
  Exhaustive *ex = user_data;
  Row row = { 0 };

  row.id = g_strdup (r->id);
  row.signature = payam_text_signature_new (ex->model, r->text);
  row.category = intern (ex->names, r->category);
  row.neighbourhood = intern (ex->names, r->neighbourhood);
  row.street = intern (ex->names, r->street);
  row.landmark = intern (ex->names, r->landmark);
  row.located = r->has_location;
  row.lat = r->lat;
  row.lon = r->lon;
  row.created = g_date_time_to_unix (r->created_at);
  row.changed = g_date_time_to_unix (r->updated_at);
  row.status = r->status;
  g_array_append_val (ex->rows, row);
  return TRUE;
}

static double
haversine_m (double lat1,
             double lon1,
             double lat2,
             double lon2)
{
  double p1 = lat1 * G_PI / 180.0, p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180.0;
  double h = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 2.0 * 6371008.8 * asin (MIN (1.0, sqrt (h)));
}

/* The id of the best request for @q by exhaustive exact scoring, or NULL. */
static const char *
exhaustive_best (Exhaustive          *ex,
                 const PayamDupQuery *q,
                 GHashTable          *related,
                 gint64               now)
{
  g_autoptr(PayamTextSignature) sig = payam_text_signature_new (ex->model, q->text);
  const char *best = NULL;
  double best_score = 0.0;
  g_autofree char *pair = NULL;

  for (guint i = 0; i < ex->rows->len; i++)
    {
      const Row *row = &g_array_index (ex->rows, Row, i);
      double t, p, c, a, days, score;
      gboolean open = row->status <= PAYAM_STATUS_IN_PROGRESS;

      if (!open && row->changed < now - PAYAM_DUP_INDEX_RECENT_DAYS * 86400)
        continue;
      if (q->category != NULL && !g_str_equal (q->category, row->category))
        {
          g_free (pair);
          pair = g_strconcat (q->category, "/", row->category, NULL);
          /* "other" relates to every category, as in the index. */
          if (!g_hash_table_contains (related, pair) && !g_str_equal (q->category, "other") &&
              !g_str_equal (row->category, "other"))
            continue;
          c = 0.5;
        }
      else
        c = 1.0;
      t = payam_text_signature_score (sig, row->signature);
      if (t < PAYAM_DUP_INDEX_MIN_TEXT_SCORE)
        continue;
      /* The geometric form of payam-dup-index.h. */
      if (q->has_location && row->located)
        p = exp (-haversine_m (q->lat, q->lon, row->lat, row->lon) / 150.0);
      else if (q->street != NULL && g_strcmp0 (q->street, row->street) == 0)
        p = 0.6;
      else if (q->street != NULL && row->street != NULL)
        p = 0.05;
      else if (q->landmark != NULL && g_strcmp0 (q->landmark, row->landmark) == 0)
        p = 0.6;
      else if (q->neighbourhood != NULL && g_strcmp0 (q->neighbourhood, row->neighbourhood) == 0)
        p = 0.25;
      else
        p = 0.0;
      days = fabs ((double) (now - row->created)) / 86400.0;
      a = exp (-days / 7.0);
      score = pow ((t + 0.01) / 1.01, 0.15) * pow ((p + 0.02) / 1.02, 0.30) *
              pow ((c + 0.2) / 1.2, 0.25) * pow ((a + 0.05) / 1.05, 0.30);
      if (!open)
        score *= 0.8 - 0.3 * CLAMP ((double) (now - row->changed) / 86400.0 /
                                    PAYAM_DUP_INDEX_RECENT_DAYS, 0.0, 1.0);
      if (score > best_score)
        {
          best_score = score;
          best = row->id;
        }
    }
  return best;
}

/* The intake question on the labelled set, through the product's path: the messages are
 * registered in time order in a store the index follows; before each is registered, the
 * index is asked for it (at its own time). A hit is a candidate of the same problem first
 * (top 1) or among the first five, for messages whose problem was reported before. */
static int
run_intake (GArray *messages)
{
  static const struct {
    PayamDupFormula formula;
    const char     *name;
  } formulas[] = {
    { PAYAM_DUP_FORMULA_TEXT, "text score alone (same blocks)" },
    { PAYAM_DUP_FORMULA_MULTIPLICATIVE, "first design: text x place x cat. x age" },
    { PAYAM_DUP_FORMULA_GEOMETRIC, "product: geometric (duplicates-quality)" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GHashTable) problem_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint top1[G_N_ELEMENTS (formulas)] = { 0 }, top5[G_N_ELEMENTS (formulas)] = { 0 };
  guint asked = 0, any[G_N_ELEMENTS (formulas)] = { 0 };
  Clock clock = { 0 };

  if (store == NULL || !payam_store_load_defaults (store, &error))
    {
      g_printerr ("intake: %s\n", error->message);
      return 1;
    }
  payam_store_set_now_func (store, clock_now, &clock);
  g_array_sort (messages, bench_message_compare_created);
  clock.now = g_date_time_new_from_iso8601 (g_array_index (messages, Message, 0).created_at, NULL);
  index = payam_dup_index_new (store, &error);
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *m = &g_array_index (messages, Message, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (m->created_at, NULL);
      g_autoptr(PayamRequest) r = NULL;
      PayamRequestDraft d = { 0 };

      g_clear_pointer (&clock.now, g_date_time_unref);
      clock.now = g_date_time_ref (at);
      bench_message_draft (m, &d);

      if (g_hash_table_contains (seen, m->problem_id))
        {
          asked++;
          for (gsize f = 0; f < G_N_ELEMENTS (formulas); f++)
            {
              PayamDupQuery q = { .text = d.text, .category = d.category,
                                  .neighbourhood = d.neighbourhood, .street = d.street,
                                  .landmark = d.landmark, .has_location = d.has_location,
                                  .lat = d.lat, .lon = d.lon, .at = at, .limit = 5 };
              g_autoptr(GPtrArray) out = NULL;

              _payam_dup_index_set_formula (index, formulas[f].formula);
              out = payam_dup_index_query (index, &q, &error);
              if (out == NULL)
                {
                  g_printerr ("intake: %s\n", error->message);
                  return 1;
                }
              for (guint k = 0; k < out->len; k++)
                {
                  const char *p = g_hash_table_lookup (problem_of,
                                                       ((PayamDupCandidate *) out->pdata[k])->id);

                  if (g_strcmp0 (p, m->problem_id) == 0)
                    {
                      top1[f] += k == 0;
                      top5[f]++;
                      break;
                    }
                }
              any[f] += out->len > 0;
            }
        }
      r = payam_store_add_request (store, &d, &error);
      if (r == NULL)
        {
          g_printerr ("intake: message %u: %s\n", i, error->message);
          return 1;
        }
      g_hash_table_insert (problem_of, g_strdup (r->id), m->problem_id);
      g_hash_table_add (seen, m->problem_id);
    }
  g_print ("intake replay: %u messages in time order, %u whose problem was reported before\n",
           messages->len, asked);
  g_print ("%-42s %8s %8s %12s\n", "ranking", "top-1", "top-5", "any answer");
  for (gsize f = 0; f < G_N_ELEMENTS (formulas); f++)
    g_print ("%-42s %8.3f %8.3f %12.3f\n", formulas[f].name, (double) top1[f] / MAX (1, asked),
             (double) top5[f] / MAX (1, asked), (double) any[f] / MAX (1, asked));
  g_clear_object (&index);
  g_clear_pointer (&clock.now, g_date_time_unref);
  return 0;
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
  int exhaustive_queries = 20;
  gboolean realistic = FALSE;
  gboolean intake = FALSE;
  gint64 t0, t_fill = 0, t_build, rss_before, rss_after;
  gint64 end_s = 1796205600; /* 2026-12-01T10:00:00Z: the queries' now */
  gint64 span_s;
  PayamDupIndexStats stats;
  Clock clock = { 0 };
  guint top1_same = 0, top1_total = 0, top5_overlap = 0, top5_total = 0;
  double sum_index = 0, sum_scan = 0, sum_ex = 0;
  g_autoptr(GArray) t_ex = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 t_ex_load = 0;
  guint ex_same = 0, ex_in_top5 = 0, ex_total = 0;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Stored requests (default 1,000,000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &queries, "Intake queries (default 1,000)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Requests per transaction (default 10,000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 4)", "N" },
    { "exhaustive", 0, 0, G_OPTION_ARG_INT, &exhaustive_queries,
      "Queries also answered by the exhaustive exact scan (default 20; 0: none)", "N" },
    { "intake", 0, 0, G_OPTION_ARG_NONE, &intake,
      "Only replay the labelled set through the index and rank with each formula", NULL },
    { "realistic", 0, 0, G_OPTION_ARG_NONE, &realistic,
      "Spread requests over three years and mark done a week after creation every one "
      "older than 60 days (default: all open over 90 days, the worst case)", NULL },
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
  messages = bench_read_messages (set_path, &error);
  if (messages == NULL)
    {
      g_printerr ("%s: %s\n", set_path, error->message);
      return 1;
    }
  if (intake)
    return run_intake (messages);
  rand = g_rand_new_with_seed ((guint32) seed);
  span_s = (realistic ? 3 * 365 : 90) * (gint64) 86400;

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
                guint pick = (guint) g_rand_int_range (rand, 0, (gint32) messages->len);
                const Message *m = &g_array_index (messages, Message, pick);
                PayamRequestDraft d;
                g_autoptr(PayamRequest) r = NULL;
                gint64 created = end_s - span_s + (gint64) j * span_s / count;

                clock_set (&clock, created);
                draft_from (&d, m, rand);
                r = payam_store_add_request (store, &d, &error);
                if (r == NULL)
                  break;
                if (realistic && created < end_s - 60 * 86400)
                  {
                    clock_set (&clock, created + 7 * 86400);
                    if (!payam_store_set_status (store, r->id, PAYAM_STATUS_DONE,
                                                 PAYAM_ROLE_OFFICE, NULL, &error))
                      break;
                  }
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

  /* Freed memory handed back first, so that RSS shows what is held (glibc). */
  malloc_trim (0);
  rss_before = rss_kib ();
  t0 = g_get_monotonic_time ();
  index = payam_dup_index_new (store, &error);
  t_build = g_get_monotonic_time () - t0;
  malloc_trim (0);
  rss_after = rss_kib ();
  if (index == NULL)
    {
      g_printerr ("index: %s\n", error->message);
      return 1;
    }
  payam_dup_index_get_stats (index, &stats);

  /* Intake queries: a message of the set, its point moved again, as a new citizen. Their
   * own random sequence, so that the exhaustive scan repeats the first ones. */
  g_rand_set_seed (rand, (guint32) seed + 1);
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
      g_array_append_val (t_kind[q.has_location ? 0
                                 : q.street != NULL || q.landmark != NULL ? 1 : 2], us);
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
  /* The exhaustive exact scan on the first queries again (same random sequence). */
  if (exhaustive_queries > 0)
    {
      g_autoptr(GRand) again = g_rand_new_with_seed ((guint32) seed + 1);
      g_autoptr(GHashTable) related = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) categories = payam_store_list_categories (store, NULL);
      Exhaustive ex = { g_array_new (FALSE, FALSE, sizeof (Row)), g_string_chunk_new (4096),
                        payam_dup_index_get_model (index) };

      for (guint i = 0; categories != NULL && i < categories->len; i++)
        {
          const PayamCategory *cat = categories->pdata[i];

          for (guint k = 0; cat->related != NULL && cat->related[k] != NULL; k++)
            {
              g_hash_table_add (related, g_strconcat (cat->code, "/", cat->related[k], NULL));
              g_hash_table_add (related, g_strconcat (cat->related[k], "/", cat->code, NULL));
            }
        }
      t0 = g_get_monotonic_time ();
      if (!payam_store_foreach_request (store, load_row, &ex, &error))
        {
          g_printerr ("exhaustive: %s\n", error->message);
          return 1;
        }
      t_ex_load = g_get_monotonic_time () - t0;
      for (int i = 0; i < exhaustive_queries; i++)
        {
          const Message *m = &g_array_index (messages, Message,
                                             g_rand_int_range (again, 0, (gint32) messages->len));
          PayamRequestDraft d;
          PayamDupQuery q = { 0 };
          g_autoptr(GPtrArray) a = NULL;
          const char *best;
          gint64 s;
          double us;

          draft_from (&d, m, again);
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
          best = exhaustive_best (&ex, &q, related, end_s);
          us = (double) (cpu_us () - s);
          g_array_append_val (t_ex, us);
          sum_ex += us;
          a = payam_dup_index_query (index, &q, &error);
          if (best != NULL)
            {
              ex_total++;
              if (a != NULL && a->len > 0 &&
                  g_str_equal (((PayamDupCandidate *) a->pdata[0])->id, best))
                ex_same++;
              for (guint k = 0; a != NULL && k < a->len; k++)
                if (g_str_equal (((PayamDupCandidate *) a->pdata[k])->id, best))
                  ex_in_top5++;
            }
        }
      for (guint i = 0; i < ex.rows->len; i++)
        {
          Row *row = &g_array_index (ex.rows, Row, i);

          g_free (row->id);
          payam_text_signature_free (row->signature);
        }
      g_array_unref (ex.rows);
      g_string_chunk_free (ex.names);
      g_array_sort (t_ex, compare_double);
    }

  g_array_sort (t_index, compare_double);
  for (int k = 0; k < 3; k++)
    g_array_sort (t_kind[k], compare_double);
  g_array_sort (t_scan, compare_double);

  g_print ("bench-dup-index: %d stored requests (%u indexed: %s), %d queries, seed %d\n",
           count, stats.n_requests,
           realistic ? "three years, done after a week when older than 60 days"
                     : "all open over 90 days, the worst case", queries, seed);
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
  g_print ("scan:    (every slot, thread CPU time) p50 %.3f ms, p99 %.3f ms, mean %.3f ms\n",
           percentile (t_scan, 0.50) / 1e3, percentile (t_scan, 0.99) / 1e3,
           sum_scan / queries / 1e3);
  g_print ("in-memory scan of every slot (no blocks; same sketch and second stage):\n");
  g_print ("speed-up: %.1fx at p50, %.1fx at p99, %.1fx on the mean\n",
           percentile (t_scan, 0.50) / percentile (t_index, 0.50),
           percentile (t_scan, 0.99) / percentile (t_index, 0.99), sum_scan / sum_index);
  g_print ("agreement with the scan: top 1 %u/%u, top 5 %u/%u\n",
           top1_same, top1_total, top5_overlap, top5_total);
  if (t_ex->len > 0)
    {
      g_print ("exhaustive exact scan (every stored request's signature in memory, loaded in "
               "%.1f s; %u queries):\n", t_ex_load / 1e6, t_ex->len);
      g_print ("  p50 %.1f ms, p99 %.1f ms, mean %.1f ms; speed-up of the index on the mean "
               "%.0fx, at p50 %.0fx\n",
               percentile (t_ex, 0.50) / 1e3, percentile (t_ex, 0.99) / 1e3,
               sum_ex / t_ex->len / 1e3, (sum_ex / t_ex->len) / (sum_index / queries),
               percentile (t_ex, 0.50) / percentile (t_index, 0.50));
      g_print ("  its best request is the index's first in %u/%u queries, among the index's "
               "five in %u/%u\n", ex_same, ex_total, ex_in_top5, ex_total);
    }

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
