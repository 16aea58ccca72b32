/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-similarity-eval: the similarity scorer against a plain trigram TF-IDF cosine on human-labelled Persian pairs. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payam-similarity.h"
#include "payam-similarity-private.h"
#include "payam-text.h"

/* Where the pairs live when no path is given: $PAYAM_SHARED_DIR, else shared/ beside the
 * source tree (as in a developer's work tree and in CI). */
#define PAIRS_RELATIVE "data/text-pairs/exappc-2000.csv"

/* The tuning half's recall at which the review band starts. */
#define REVIEW_RECALL 0.90

typedef struct {
  guint     id;
  char     *a;
  char     *b;
  gboolean  same;
} Pair;

static void
pair_clear (gpointer data)
{
  Pair *p = data;

  g_free (p->a);
  g_free (p->b);
}

/* ---- CSV (RFC 4180: quoted fields with commas, newlines and doubled quotes) ---- */

/* Parses one record of @text starting at *@pos into @fields (a GPtrArray of strings) and
 * moves *@pos past its line end. Returns FALSE at the end of input. */
static gboolean
csv_next_record (const char *text,
                 gsize       len,
                 gsize      *pos,
                 GPtrArray  *fields)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gsize i = *pos;

  g_ptr_array_set_size (fields, 0);
  if (i >= len)
    return FALSE;

  for (;;)
    {
      g_string_truncate (field, 0);
      if (i < len && text[i] == '"')
        {
          i++;
          while (i < len)
            {
              if (text[i] == '"' && i + 1 < len && text[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i += 2;
                }
              else if (text[i] == '"')
                {
                  i++;
                  break;
                }
              else
                g_string_append_c (field, text[i++]);
            }
          /* Anything between the closing quote and the separator is kept, as most readers do. */
          while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            g_string_append_c (field, text[i++]);
        }
      else
        {
          while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            g_string_append_c (field, text[i++]);
        }
      g_ptr_array_add (fields, g_strdup (field->str));

      if (i < len && text[i] == ',')
        {
          i++;
          continue;
        }
      if (i < len && text[i] == '\r')
        i++;
      if (i < len && text[i] == '\n')
        i++;
      break;
    }

  *pos = i;
  return TRUE;
}

/* Reads the pairs file at @path (header id,sentence1,sentence2,label). Records with
 * another number of fields or an unknown label are counted in *@skipped. */
static GArray *
load_pairs (const char  *path,
            guint       *skipped,
            GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  gsize pos = 0;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
  gboolean header = TRUE;

  g_array_set_clear_func (pairs, pair_clear);
  *skipped = 0;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;

  while (csv_next_record (text, len, &pos, fields))
    {
      Pair p = { 0 };
      const char *label;

      if (header)
        {
          header = FALSE;
          continue;
        }
      if (fields->len == 1 && *(const char *) fields->pdata[0] == '\0')
        continue;
      if (fields->len != 4)
        {
          (*skipped)++;
          continue;
        }
      label = fields->pdata[3];
      if (g_str_equal (label, "paraphrase"))
        p.same = TRUE;
      else if (g_str_equal (label, "nonparaphrase"))
        p.same = FALSE;
      else
        {
          (*skipped)++;
          continue;
        }
      p.id = (guint) g_ascii_strtoull (fields->pdata[0], NULL, 10);
      p.a = g_strdup (fields->pdata[1]);
      p.b = g_strdup (fields->pdata[2]);
      g_array_append_val (pairs, p);
    }

  return g_steal_pointer (&pairs);
}

/* ---- Metrics ---- */

typedef struct {
  double score;
  gboolean same;
} Scored;

static int
compare_scored (const void *a,
                const void *b)
{
  double x = ((const Scored *) a)->score;
  double y = ((const Scored *) b)->score;

  return (x > y) - (x < y);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Area under the ROC curve (Mann-Whitney U with tied scores sharing their mean rank). */
static double
roc_auc (const Scored *in,
         guint         n)
{
  g_autofree Scored *s = g_memdup2 (in, n * sizeof (Scored));
  double rank_sum = 0.0;
  double n_pos = 0;
  double n_neg = 0;

  qsort (s, n, sizeof (Scored), compare_scored);
  for (guint i = 0; i < n;)
    {
      guint j = i;
      double mean_rank;

      while (j < n && s[j].score == s[i].score)
        j++;
      mean_rank = (i + 1 + j) / 2.0;
      for (guint k = i; k < j; k++)
        if (s[k].same)
          rank_sum += mean_rank;
      i = j;
    }
  for (guint i = 0; i < n; i++)
    {
      if (s[i].same)
        n_pos++;
      else
        n_neg++;
    }
  if (n_pos == 0 || n_neg == 0)
    return NAN;
  return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

typedef struct {
  double precision;
  double recall;
  double f1;
} Prf;

static Prf
prf_at (const Scored *s,
        guint         n,
        double        threshold)
{
  double tp = 0, fp = 0, fn = 0;
  Prf r = { 0 };

  for (guint i = 0; i < n; i++)
    {
      gboolean said = s[i].score >= threshold;

      if (said && s[i].same)
        tp++;
      else if (said)
        fp++;
      else if (s[i].same)
        fn++;
    }
  r.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
  r.recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
  r.f1 = tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0.0;
  return r;
}

/* The threshold with the best F1 on @s (the lowest such score, rounded down to 0.005 so
 * that it reads as a constant). */
static double
fit_threshold (const Scored *s,
               guint         n)
{
  double best_f1 = -1.0;
  double best = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double t = floor (s[i].score * 200.0) / 200.0;
      Prf r = prf_at (s, n, t);

      if (r.f1 > best_f1 || (r.f1 == best_f1 && t < best))
        {
          best_f1 = r.f1;
          best = t;
        }
    }
  return best;
}

/* The highest threshold (in steps of 0.005) whose recall on @s is at least @recall. */
static double
threshold_for_recall (const Scored *s,
                      guint         n,
                      double        recall)
{
  for (int k = 200; k > 0; k--)
    if (prf_at (s, n, k / 200.0).recall >= recall)
      return k / 200.0;
  return 0.0;
}

/* Prints the held-out difference product − baseline in AUC and F1 (each at its own
 * threshold) with a 95 % paired bootstrap interval (fixed seed, resampling pairs). */
static void
print_difference (const Scored *product,
                  double        product_threshold,
                  const Scored *baseline,
                  double        baseline_threshold,
                  guint         n)
{
  enum { ROUNDS = 1000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autofree Scored *rp = g_new (Scored, n);
  g_autofree Scored *rb = g_new (Scored, n);
  g_autofree double *d_auc = g_new (double, ROUNDS);
  g_autofree double *d_f1 = g_new (double, ROUNDS);

  for (guint r = 0; r < ROUNDS; r++)
    {
      for (guint i = 0; i < n; i++)
        {
          guint k = (guint) g_rand_int_range (rand, 0, (gint32) n);

          rp[i] = product[k];
          rb[i] = baseline[k];
        }
      d_auc[r] = roc_auc (rp, n) - roc_auc (rb, n);
      d_f1[r] = prf_at (rp, n, product_threshold).f1 - prf_at (rb, n, baseline_threshold).f1;
    }
  qsort (d_auc, ROUNDS, sizeof (double), compare_doubles);
  qsort (d_f1, ROUNDS, sizeof (double), compare_doubles);

  printf ("held-out gain over the baseline: AUC %+.3f (95%% bootstrap %+.3f … %+.3f), "
          "F1 %+.3f (%+.3f … %+.3f)\n",
          roc_auc (product, n) - roc_auc (baseline, n), d_auc[ROUNDS / 40], d_auc[ROUNDS - ROUNDS / 40 - 1],
          prf_at (product, n, product_threshold).f1 - prf_at (baseline, n, baseline_threshold).f1,
          d_f1[ROUNDS / 40], d_f1[ROUNDS - ROUNDS / 40 - 1]);
}

/* ---- The baseline: plain character-trigram TF-IDF cosine ---- */

/* Trigrams of the normalised text as it is (spaces included, no padding), raw counts. */
static GHashTable *
baseline_counts (const char *text)
{
  g_autofree char *norm = payam_text_normalize (text);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  glong n = g_utf8_strlen (norm, -1);
  const char *p = norm;

  for (glong i = 0; i + 3 <= n; i++, p = g_utf8_next_char (p))
    {
      const char *end = g_utf8_offset_to_pointer (p, 3);
      char *gram = g_strndup (p, (gsize) (end - p));
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (counts, gram));

      g_hash_table_replace (counts, gram, GUINT_TO_POINTER (c + 1));
    }
  return counts;
}

typedef struct {
  GHashTable *df; /* trigram → documents */
  double      n_docs;
} Baseline;

static void
baseline_add (Baseline   *b,
              const char *text)
{
  g_autoptr(GHashTable) counts = baseline_counts (text);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint df = GPOINTER_TO_UINT (g_hash_table_lookup (b->df, key));

      g_hash_table_replace (b->df, g_strdup (key), GUINT_TO_POINTER (df + 1));
    }
  b->n_docs++;
}

/* tf · (ln((N + 1) / (df + 1)) + 1), as scikit-learn's smoothed IDF. */
static double
baseline_weight (const Baseline *b,
                 const char     *gram,
                 guint           tf)
{
  double df = GPOINTER_TO_UINT (g_hash_table_lookup (b->df, gram));

  return tf * (log ((b->n_docs + 1) / (df + 1)) + 1);
}

static double
baseline_score (const Baseline *b,
                const char     *x,
                const char     *y)
{
  g_autoptr(GHashTable) cx = baseline_counts (x);
  g_autoptr(GHashTable) cy = baseline_counts (y);
  GHashTableIter iter;
  gpointer key, value;
  double dot_xy = 0, nx = 0, ny = 0;

  g_hash_table_iter_init (&iter, cx);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double w = baseline_weight (b, key, GPOINTER_TO_UINT (value));
      gpointer other = g_hash_table_lookup (cy, key);

      nx += w * w;
      if (other != NULL)
        dot_xy += w * baseline_weight (b, key, GPOINTER_TO_UINT (other));
    }
  g_hash_table_iter_init (&iter, cy);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double w = baseline_weight (b, key, GPOINTER_TO_UINT (value));

      ny += w * w;
    }
  if (nx == 0 || ny == 0)
    return 0.0;
  return dot_xy / sqrt (nx * ny);
}

/* ---- Runs ---- */

typedef struct {
  const char           *name;
  PayamSimilarityParams params;
} Design;

static void
print_row (const char   *name,
           const char   *idf_from,
           const Scored *tune,
           guint         n_tune,
           const Scored *held,
           guint         n_held,
           double        threshold)
{
  Prf r = prf_at (held, n_held, threshold);
  g_autofree char *tune_auc = tune != NULL ? g_strdup_printf ("%.3f", roc_auc (tune, n_tune))
                                           : g_strdup ("-");

  printf ("%-34s %-9s %8s %8.3f %7.3f %7.3f %7.3f %7.3f\n", name, idf_from, tune_auc,
          roc_auc (held, n_held), threshold, r.precision, r.recall, r.f1);
}

static void
score_pairs (const PayamSimilarityModel *model,
             GPtrArray                  *pairs,
             Scored                     *out)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = pairs->pdata[i];

      out[i].score = payam_similarity_score (model, p->a, p->b);
      out[i].same = p->same;
    }
}

static PayamSimilarityModel *
model_from (const PayamSimilarityParams *params,
            GPtrArray                   *pairs)
{
  PayamSimilarityModel *model = _payam_similarity_model_new_with_params (params);

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = pairs->pdata[i];

      payam_similarity_model_add_document (model, p->a);
      payam_similarity_model_add_document (model, p->b);
    }
  return model;
}

/* Scores every pair of @pairs from prepared signatures (as the candidate index will),
 * repeated for about a second; returns pairs per second. */
static double
measure_signature_speed (const PayamSimilarityModel *model,
                         GPtrArray                  *pairs)
{
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_text_signature_free);
  g_autoptr(GTimer) timer = NULL;
  guint64 done = 0;
  volatile double sink = 0;

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = pairs->pdata[i];

      g_ptr_array_add (sigs, payam_text_signature_new (model, p->a));
      g_ptr_array_add (sigs, payam_text_signature_new (model, p->b));
    }

  timer = g_timer_new ();
  do
    {
      for (guint i = 0; i < pairs->len; i++)
        sink += payam_text_signature_score (sigs->pdata[2 * i], sigs->pdata[2 * i + 1]);
      done += pairs->len;
    }
  while (g_timer_elapsed (timer, NULL) < 1.0);
  (void) sink;

  return done / g_timer_elapsed (timer, NULL);
}

/* Scores every pair of @pairs with the product design and @model, repeated for about a
 * second; returns pairs per second. */
static double
measure_speed (const PayamSimilarityModel *model,
               GPtrArray                  *pairs)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  guint64 done = 0;
  volatile double sink = 0;

  do
    {
      for (guint i = 0; i < pairs->len; i++)
        {
          const Pair *p = pairs->pdata[i];

          sink += payam_similarity_score (model, p->a, p->b);
        }
      done += pairs->len;
    }
  while (g_timer_elapsed (timer, NULL) < 1.0);
  (void) sink;

  return done / g_timer_elapsed (timer, NULL);
}

static char *
default_path (void)
{
  const char *shared = g_getenv ("PAYAM_SHARED_DIR");

  if (shared != NULL && *shared != '\0')
    return g_build_filename (shared, PAIRS_RELATIVE, NULL);
  return g_build_filename (PAYAM_SOURCE_ROOT, "..", "shared", PAIRS_RELATIVE, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = argc > 1 ? g_strdup (argv[1]) : default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GPtrArray) tune = g_ptr_array_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new ();
  g_autofree Scored *st = NULL;
  g_autofree Scored *sh = NULL;
  g_autofree Scored *base_held = NULL;
  double base_threshold = 0.0;
  const PayamSimilarityParams *prod = _payam_similarity_default_params ();
  guint skipped = 0;
  Design designs[] = {
    { "trigrams per word, idf^1", *prod },
    { "trigrams per word, idf^2", *prod },
    { "trigrams compact, idf^2", *prod },
    { "trigrams across words, idf^2", *prod },
    { "words stemmed, idf^1.5", *prod },
    { "words unstemmed, idf^1.5", *prod },
    { "mix 0.6/0.4, words unstemmed", *prod },
    { "mix 0.6/0.4, idf^1 both", *prod },
    { "mix 0.5/0.5", *prod },
    { "mix 0.7/0.3", *prod },
    { "mix 0.6/0.4, no filler prior", *prod },
    { "mix 0.6/0.4, affixes not joined", *prod },
    { "mix 0.6/0.4, trigrams across words", *prod },
    { "product: mix 0.6/0.4", *prod },
  };
  double product_fit = 0.0;

  setlocale (LC_ALL, "");

  designs[0].params.char_weight = 1.0;
  designs[0].params.char_idf_power = 1.0;
  designs[1].params.char_weight = 1.0;
  designs[2].params.char_weight = 1.0;
  designs[2].params.gram_mode = PAYAM_GRAMS_COMPACT;
  designs[3].params.char_weight = 1.0;
  designs[3].params.gram_mode = PAYAM_GRAMS_ACROSS_WORDS;
  designs[4].params.char_weight = 0.0;
  designs[5].params.char_weight = 0.0;
  designs[5].params.stem = FALSE;
  designs[6].params.stem = FALSE;
  designs[7].params.char_idf_power = 1.0;
  designs[7].params.word_idf_power = 1.0;
  designs[8].params.char_weight = 0.5;
  designs[9].params.char_weight = 0.7;
  designs[10].params.filler_prior = FALSE;
  designs[11].params.join_affixes = FALSE;
  designs[12].params.gram_mode = PAYAM_GRAMS_ACROSS_WORDS;

  all = load_pairs (path, &skipped, &error);
  if (all == NULL)
    {
      g_printerr ("bench-similarity-eval: %s\n"
                  "Give the pairs file as the argument or set PAYAM_SHARED_DIR.\n",
                  error->message);
      return 77;
    }

  /* Even ids tune (document frequencies and thresholds), odd ids are held out. */
  for (guint i = 0; i < all->len; i++)
    {
      Pair *p = &g_array_index (all, Pair, i);

      g_ptr_array_add (p->id % 2 == 0 ? tune : held, p);
    }
  st = g_new (Scored, tune->len);
  sh = g_new (Scored, held->len);

  printf ("pairs: %s\n", path);
  printf ("%u pairs read (%u malformed records skipped): %u tuning (even id), %u held out (odd id)\n\n",
          all->len, skipped, tune->len, held->len);
  printf ("%-34s %-9s %8s %8s %7s %7s %7s %7s\n", "design", "idf from", "tuneAUC", "AUC",
          "thresh", "P", "R", "F1");

  /* (b) the baseline, IDF from the tuning texts */
  {
    Baseline b = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0 };
    double t;

    for (guint i = 0; i < tune->len; i++)
      {
        const Pair *p = tune->pdata[i];

        baseline_add (&b, p->a);
        baseline_add (&b, p->b);
      }
    for (guint i = 0; i < tune->len; i++)
      {
        const Pair *p = tune->pdata[i];

        st[i] = (Scored) { baseline_score (&b, p->a, p->b), p->same };
      }
    for (guint i = 0; i < held->len; i++)
      {
        const Pair *p = held->pdata[i];

        sh[i] = (Scored) { baseline_score (&b, p->a, p->b), p->same };
      }
    t = fit_threshold (st, tune->len);
    print_row ("baseline: trigram TF-IDF cosine", "tuning", st, tune->len, sh, held->len, t);
    base_held = g_memdup2 (sh, held->len * sizeof (Scored));
    base_threshold = t;
    g_hash_table_unref (b.df);
  }

  /* (a) the designs tried, each with its own threshold fitted on the tuning half */
  for (gsize d = 0; d < G_N_ELEMENTS (designs); d++)
    {
      g_autoptr(PayamSimilarityModel) model = model_from (&designs[d].params, tune);
      double t;

      score_pairs (model, tune, st);
      score_pairs (model, held, sh);
      t = fit_threshold (st, tune->len);
      print_row (designs[d].name, "tuning", st, tune->len, sh, held->len, t);
      if (d == G_N_ELEMENTS (designs) - 1)
        product_fit = t;
    }

  /* The product design at the compiled thresholds, with three sources of frequencies. */
  printf ("\nproduct design at PAYAM_SIMILARITY_THRESHOLD = %.3f (fitted on tuning now: %.3f)\n",
          PAYAM_SIMILARITY_THRESHOLD, product_fit);
  {
    g_autoptr(PayamSimilarityModel) model = model_from (prod, tune);
    g_autoptr(PayamSimilarityModel) own = model_from (prod, held);
    double review;
    double speed;

    score_pairs (model, tune, st);
    score_pairs (model, held, sh);
    review = threshold_for_recall (st, tune->len, REVIEW_RECALL);
    print_row ("product", "tuning", st, tune->len, sh, held->len, PAYAM_SIMILARITY_THRESHOLD);
    print_difference (sh, PAYAM_SIMILARITY_THRESHOLD, base_held, base_threshold, held->len);
    print_row ("product, review band start", "tuning", st, tune->len, sh, held->len,
               PAYAM_SIMILARITY_REVIEW_THRESHOLD);

    score_pairs (NULL, held, sh);
    print_row ("product, built-in model only", "none", NULL, 0, sh, held->len,
               PAYAM_SIMILARITY_THRESHOLD);
    {
      PayamSimilarityParams grammar = *prod;
      g_autoptr(PayamSimilarityModel) with_grammar = NULL;
      g_autoptr(PayamSimilarityModel) tuned_grammar = NULL;

      grammar.grammar_prior = TRUE;
      with_grammar = _payam_similarity_model_new_with_params (&grammar);
      tuned_grammar = model_from (&grammar, tune);
      score_pairs (with_grammar, held, sh);
      print_row ("  + grammar words common", "none", NULL, 0, sh, held->len,
                 PAYAM_SIMILARITY_THRESHOLD);
      score_pairs (tuned_grammar, held, sh);
      print_row ("  + grammar words common", "tuning", NULL, 0, sh, held->len,
                 PAYAM_SIMILARITY_THRESHOLD);
    }
    score_pairs (own, held, sh);
    print_row ("product, df of the held-out texts", "held-out", NULL, 0, sh, held->len,
               PAYAM_SIMILARITY_THRESHOLD);

    printf ("\nreview threshold for recall %.2f on tuning: %.3f (compiled: %.3f);",
            REVIEW_RECALL, review, PAYAM_SIMILARITY_REVIEW_THRESHOLD);
    printf (" for recall 0.85: %.3f, 0.95: %.3f\n", threshold_for_recall (st, tune->len, 0.85),
            threshold_for_recall (st, tune->len, 0.95));

    speed = measure_speed (model, held);
    printf ("speed: %.0f pairs/s from raw texts (payam_similarity_score, %u-document model, one core)\n",
            speed, payam_similarity_model_get_n_documents (model));
    speed = measure_signature_speed (model, held);
    printf ("speed: %.0f pairs/s from prepared signatures (payam_text_signature_score)\n", speed);
  }

  return 0;
}
