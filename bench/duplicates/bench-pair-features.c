/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-pair-features: the pair model's features of the candidate pairs the product's index finds in a labelled set; the kiosk's intake replay and its first stage's recall. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "bench-labelled.h"
#include "payam-dup-index-private.h"
#include "payam-pair-model.h"
#include "payam-similarity.h"
#include "payam-store.h"

/* Candidates asked of the index for each request: what `payamctl group --auto` asks. */
#define CANDIDATES 50

typedef struct {
  GDateTime *now;
} Clock;

static GDateTime *
clock_now (gpointer data)
{
  return g_date_time_ref (((Clock *) data)->now);
}

/* Register every message of @messages (sorted by time) in @store at its own time; the
 * request ids into @ids, in the same order. */
static gboolean
register_all (PayamStore  *store,
              Clock       *clock,
              GArray      *messages,
              GPtrArray   *ids,
              GError     **error)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *m = &g_array_index (messages, Message, i);
      g_autoptr(PayamRequest) r = NULL;
      PayamRequestDraft d = { 0 };

      g_clear_pointer (&clock->now, g_date_time_unref);
      clock->now = g_date_time_new_from_iso8601 (m->created_at, NULL);
      if (clock->now == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "message %s: bad created_at", m->id);
          return FALSE;
        }
      bench_message_draft (m, &d);
      r = payam_store_add_request (store, &d, error);
      if (r == NULL)
        return FALSE;
      g_ptr_array_add (ids, g_strdup (r->id));
    }
  return TRUE;
}

/* The intake question through the kiosk's own call: messages registered in time order
 * (at their own time) in a store the index follows; before each is registered,
 * payam_dup_index_suggest_for_draft() shows its three. One line a message: its id, its
 * problem, whether the problem was reported before, and the place (1 … 3) of the first
 * suggestion of the same problem, 0 when none. */
static gboolean
intake (PayamStore  *store,
        Clock       *clock,
        GArray      *messages,
        GError     **error)
{
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (store, error);
  g_autoptr(GHashTable) problem_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (index == NULL)
    return FALSE;
  printf ("id\tproblem\treported_before\tfirst_same\n");
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *m = &g_array_index (messages, Message, i);
      g_autoptr(PayamRequest) r = NULL;
      g_autoptr(GPtrArray) shown = NULL;
      PayamRequestDraft d = { 0 };
      guint first = 0;

      g_clear_pointer (&clock->now, g_date_time_unref);
      clock->now = g_date_time_new_from_iso8601 (m->created_at, NULL);
      bench_message_draft (m, &d);
      shown = payam_dup_index_suggest_for_draft (index, &d, 3, error);
      if (shown == NULL)
        return FALSE;
      for (guint k = 0; k < shown->len && first == 0; k++)
        if (g_strcmp0 (g_hash_table_lookup (problem_of,
                                            ((PayamDupCandidate *) shown->pdata[k])->id),
                       m->problem_id) == 0)
          first = k + 1;
      printf ("%s\t%s\t%d\t%u\n", m->id, m->problem_id,
              g_hash_table_contains (seen, m->problem_id), first);
      r = payam_store_add_request (store, &d, error);
      if (r == NULL)
        return FALSE;
      g_hash_table_insert (problem_of, g_strdup (r->id), m->problem_id);
      g_hash_table_add (seen, m->problem_id);
    }
  return TRUE;
}

/* Whether @found holds a request of @problem (@problem_of: request id → problem). */
static gboolean
holds_problem (GPtrArray   *found,
               GHashTable  *problem_of,
               const char  *problem)
{
  for (guint k = 0; k < found->len; k++)
    if (g_strcmp0 (g_hash_table_lookup (problem_of, ((PayamDupCandidate *) found->pdata[k])->id),
                   problem) == 0)
      return TRUE;
  return FALSE;
}

/* First-stage candidate recall, in the intake replay: before each message is registered,
 * the index is asked as the kiosk asks (the draft's text, category, place and time) with
 * stage 1 keeping 10, 20, 40 and 64 candidates (a query keeps twice its limit, at least
 * 10), and once by the scan of every slot keeping 64 (the same ranking without the
 * blocks). One line a message: its id, its problem, whether the problem was reported
 * before, then 1 or 0 for each: a request of the same problem among the candidates. */
static gboolean
stage1 (PayamStore  *store,
        Clock       *clock,
        GArray      *messages,
        GError     **error)
{
  static const guint keeps[] = { 10, 20, 40, 64 };
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (store, error);
  g_autoptr(GHashTable) problem_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (index == NULL)
    return FALSE;
  printf ("id\tproblem\treported_before\tkeep10\tkeep20\tkeep40\tkeep64\tscan64\n");
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *m = &g_array_index (messages, Message, i);
      g_autoptr(PayamRequest) r = NULL;
      g_autoptr(GPtrArray) scan = NULL;
      PayamRequestDraft d = { 0 };
      PayamDupQuery q = { 0 };

      g_clear_pointer (&clock->now, g_date_time_unref);
      clock->now = g_date_time_new_from_iso8601 (m->created_at, NULL);
      bench_message_draft (m, &d);
      q.text = d.text;
      q.category = d.category;
      q.neighbourhood = d.neighbourhood;
      q.street = d.street;
      q.landmark = d.landmark;
      q.has_location = d.has_location;
      q.lat = d.lat;
      q.lon = d.lon;
      q.at = d.created_at;
      printf ("%s\t%s\t%d", m->id, m->problem_id, g_hash_table_contains (seen, m->problem_id));
      for (guint k = 0; k < G_N_ELEMENTS (keeps); k++)
        {
          g_autoptr(GPtrArray) found = NULL;

          q.limit = keeps[k] / 2;
          found = payam_dup_index_query (index, &q, error);
          if (found == NULL)
            return FALSE;
          printf ("\t%d", holds_problem (found, problem_of, m->problem_id));
        }
      q.limit = 32;
      scan = payam_dup_index_query_full_scan (index, &q, error);
      if (scan == NULL)
        return FALSE;
      printf ("\t%d\n", holds_problem (scan, problem_of, m->problem_id));
      r = payam_store_add_request (store, &d, error);
      if (r == NULL)
        return FALSE;
      g_hash_table_insert (problem_of, g_strdup (r->id), m->problem_id);
      g_hash_table_add (seen, m->problem_id);
    }
  return TRUE;
}

/* Text pairs (text_a TAB text_b TAB label per line, no header) from @path: the features
 * of each as two messages that differ only in their words (same street and category, an
 * hour apart, no coordinates, no photos), under a corpus model of every text read. One
 * line a pair: its label, the built-in pair model's probability, then the features. */
static gboolean
text_pairs (const char  *path,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(PayamSimilarityModel) model = payam_similarity_model_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (f) == 3)
        {
          payam_similarity_model_add_document (model, f[0]);
          payam_similarity_model_add_document (model, f[1]);
        }
    }
  printf ("label\tprobability");
  for (guint k = 0; k < PAYAM_PAIR_N_FEATURES; k++)
    printf ("\t%s", payam_pair_feature_name (k));
  printf ("\n");
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      g_autoptr(PayamPairText) a = NULL;
      g_autoptr(PayamPairText) b = NULL;
      PayamPairSide sa = { .category = "asphalt", .street = "s", .created = 0 };
      PayamPairSide sb = { .category = "asphalt", .street = "s", .created = 3600 };
      double out[PAYAM_PAIR_N_FEATURES];

      if (g_strv_length (f) != 3)
        continue;
      a = payam_pair_text_new (model, f[0]);
      b = payam_pair_text_new (model, f[1]);
      sa.text = a;
      sb.text = b;
      payam_pair_features (&sa, &sb, out);
      printf ("%s\t%.6g", f[2], payam_pair_model_probability (payam_pair_model_get_default (), out));
      for (guint k = 0; k < PAYAM_PAIR_N_FEATURES; k++)
        printf ("\t%.6g", out[k]);
      printf ("\n");
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) messages = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) message_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Clock clock = { 0 };
  guint rows = 0;
  gboolean replay = argc == 3 && g_str_equal (argv[1], "--intake");
  gboolean first_stage = argc == 3 && g_str_equal (argv[1], "--stage1");
  const char *path = argv[argc - 1];

  setlocale (LC_ALL, "C.UTF-8");
  if (argc == 3 && g_str_equal (argv[1], "--text-pairs"))
    {
      if (text_pairs (path, &error))
        return 0;
      g_printerr ("%s: %s\n", path, error->message);
      return 1;
    }
  if (argc != 2 && !replay && !first_stage)
    {
      g_printerr ("usage: %s [--intake | --stage1 | --text-pairs PAIRS.tsv] SET.jsonl > out.tsv\n",
                  argv[0]);
      return 2;
    }
  messages = bench_read_messages (path, &error);
  if (messages == NULL || messages->len == 0)
    {
      g_printerr ("%s: %s\n", path, error != NULL ? error->message : "no messages");
      return 1;
    }
  g_array_sort (messages, bench_message_compare_created);
  store = payam_store_open (":memory:", &error);
  if (store == NULL || !payam_store_load_defaults (store, &error))
    goto fail;
  clock.now = g_date_time_new_from_iso8601 (g_array_index (messages, Message, 0).created_at, NULL);
  payam_store_set_now_func (store, clock_now, &clock);
  if (replay || first_stage)
    {
      if (!(replay ? intake (store, &clock, messages, &error)
                   : stage1 (store, &clock, messages, &error)))
        goto fail;
      g_clear_pointer (&clock.now, g_date_time_unref);
      return 0;
    }
  if (!register_all (store, &clock, messages, ids, &error))
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (message_of, ids->pdata[i], GUINT_TO_POINTER (i));
  index = payam_dup_index_new (store, &error);
  if (index == NULL)
    goto fail;

  printf ("a\tb\tproblem_a\tproblem_b\tsame");
  for (guint f = 0; f < PAYAM_PAIR_N_FEATURES; f++)
    printf ("\t%s", payam_pair_feature_name (f));
  printf ("\n");

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PayamRequest) r = payam_store_get_request (store, ids->pdata[i], &error);
      g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
      g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GPtrArray) out = NULL;
      PayamDupQuery query = { 0 };
      const Message *a = &g_array_index (messages, Message, i);

      if (r == NULL || !_payam_dup_index_request_query (index, r, &query, hashes, &error))
        goto fail;
      query.limit = CANDIDATES;
      out = _payam_dup_index_query_features (index, &query, features, &error);
      if (out == NULL)
        goto fail;
      for (guint k = 0; k < out->len; k++)
        {
          const PayamDupCandidate *c = out->pdata[k];
          guint j = GPOINTER_TO_UINT (g_hash_table_lookup (message_of, c->id));
          const Message *b = &g_array_index (messages, Message, j);
          char *key = i < j ? g_strdup_printf ("%u-%u", i, j) : g_strdup_printf ("%u-%u", j, i);

          if (!g_hash_table_add (seen, key))
            continue;
          printf ("%s\t%s\t%s\t%s\t%d", a->id, b->id, a->problem_id, b->problem_id,
                  g_strcmp0 (a->problem_id, b->problem_id) == 0);
          for (guint f = 0; f < PAYAM_PAIR_N_FEATURES; f++)
            printf ("\t%.6g", g_array_index (features, double, k * PAYAM_PAIR_N_FEATURES + f));
          printf ("\n");
          rows++;
        }
    }
  g_printerr ("%u messages, %u candidate pairs\n", messages->len, rows);
  g_clear_pointer (&clock.now, g_date_time_unref);
  return 0;

fail:
  g_printerr ("%s\n", error->message);
  g_clear_pointer (&clock.now, g_date_time_unref);
  return 1;
}
