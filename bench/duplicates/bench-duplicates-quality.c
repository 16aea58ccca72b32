/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-duplicates-quality: text score, FixMyStreet rule and a combined score on the labelled municipal messages. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-similarity.h"

#define DEFAULT_SET PAYAM_SOURCE_ROOT "/tests/data/messages-labelled.jsonl"
#define CATEGORIES_PATH "/ir/payam/Payam/core/data/categories.json"

/* The FixMyStreet rule: same category, within this distance, earlier report open. */
#define FMS_RADIUS_M 250.0

/* Combined score (see README.md): place closeness decays over this distance, age over this time. */
#define PLACE_SCALE_M      150.0
#define AGE_SCALE_S        (7.0 * 86400.0)
#define PLACE_SAME_STREET  0.6
#define PLACE_SAME_MARK    0.6
#define PLACE_OTHER_STREET 0.05
#define PLACE_UNKNOWN      0.25
#define CATEGORY_RELATED   0.5
#define CATEGORY_OTHER     "other"

/* The geometric form adds these floors before weighing, so that one weak feature (a
 * duplicate filed under an unrelated category, a report a month later) lowers the
 * score without zeroing it. */
#define FLOOR_TEXT     0.01
#define FLOOR_PLACE    0.02
#define FLOOR_CATEGORY 0.2
#define FLOOR_AGE      0.05

/* Weight grid for fitting the combined score on the tuning half, and the sample of tuning
 * negatives the grid is scored on (every positive is kept). */
#define GRID_STEPS        20
#define GRID_MAX_NEGATIVE 60000

typedef struct {
  guint     number;         /* the numeric part of "m00042" */
  char     *id;
  char     *text;
  char     *category;
  char     *neighbourhood;
  char     *street;
  char     *landmark;
  char     *problem;
  gboolean  has_location;
  double    lat;
  double    lon;
  gint64    created;        /* Unix seconds */
} Message;

typedef enum {
  HALF_TUNING,   /* both ids even */
  HALF_HELD,     /* both ids odd */
  HALF_MIXED,
} Half;

/* What kind of pair it is, for the table of hard cases. */
typedef enum {
  KIND_SAME_STREET    = 1 << 0,  /* both name the same street */
  KIND_LATER          = 1 << 1,  /* same category, more than LATER_DAYS apart */
  KIND_CROSS_CATEGORY = 1 << 2,  /* filed under different categories */
  KIND_UNLOCATED      = 1 << 3,  /* at least one side without coordinates */
} Kind;

#define LATER_DAYS 14

typedef struct {
  float    text;
  float    place;
  float    category;
  float    age;
  guint8   same;
  guint8   fms;
  guint8   half;
  guint8   kinds;
} Pair;

typedef struct {
  double score;
  gboolean same;
} Scored;

typedef enum {
  FORM_LINEAR,     /* wt·text + wp·place + wc·category + wa·age */
  FORM_GEOMETRIC,  /* Π ((x + floor) / (1 + floor))^w over the same four features */
} Form;

/* A combined score: its form and the weights of text, place, category and age (sum 1). */
typedef struct {
  Form   form;
  double w[4];
} Weights;

typedef struct {
  double precision;
  double recall;
  double f1;
} Prf;

static void
message_clear (gpointer data)
{
  Message *m = data;

  g_free (m->id);
  g_free (m->text);
  g_free (m->category);
  g_free (m->neighbourhood);
  g_free (m->street);
  g_free (m->landmark);
  g_free (m->problem);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* Read the labelled set at @path into @messages (an array of Message). FALSE with a
 * message on standard error for an unreadable file or a line without the needed fields. */
static gboolean
load_set (const char *path,
          GArray     *messages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GDateTime) created = NULL;
      JsonObject *object;
      Message m = { 0 };

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, &error)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_printerr ("%s:%u: not a JSON object\n", path, i + 1);
          return FALSE;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      m.id = dup_member (object, "id");
      m.text = dup_member (object, "text");
      m.category = dup_member (object, "category");
      m.neighbourhood = dup_member (object, "neighbourhood");
      m.street = dup_member (object, "street");
      m.landmark = dup_member (object, "landmark");
      m.problem = dup_member (object, "problem_id");
      if (json_object_has_member (object, "lat") && json_object_has_member (object, "lon"))
        {
          m.has_location = TRUE;
          m.lat = json_object_get_double_member (object, "lat");
          m.lon = json_object_get_double_member (object, "lon");
        }
      if (json_object_has_member (object, "created_at"))
        created = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "created_at"),
                                                NULL);
      if (m.id == NULL || m.text == NULL || m.category == NULL || m.neighbourhood == NULL
          || m.problem == NULL || created == NULL || strlen (m.id) < 2)
        {
          g_printerr ("%s:%u: a labelled message needs id, text, category, neighbourhood, "
                      "created_at and problem_id\n", path, i + 1);
          message_clear (&m);
          return FALSE;
        }
      m.number = (guint) g_ascii_strtoull (m.id + strspn (m.id, "abcdefghijklmnopqrstuvwxyz-_"),
                                           NULL, 10);
      m.created = g_date_time_to_unix (created);
      g_array_append_val (messages, m);
    }
  return TRUE;
}

/* The related-category pairs of the built-in categories, both ways, as "a|b" keys. */
static GHashTable *
load_related (void)
{
  g_autoptr(GHashTable) related = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *categories;

  bytes = g_resource_lookup_data (payam_core_get_resource (), CATEGORIES_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                   NULL))
    g_error ("the built-in categories are not JSON");
  categories = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "categories");
  for (guint i = 0; i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      const char *code = json_object_get_string_member (c, "code");
      JsonArray *list = json_object_get_array_member (c, "related");

      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        {
          const char *other = json_array_get_string_element (list, j);

          g_hash_table_add (related, g_strconcat (code, "|", other, NULL));
          g_hash_table_add (related, g_strconcat (other, "|", code, NULL));
        }
    }
  return g_steal_pointer (&related);
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

  return 2.0 * 6371000.0 * asin (MIN (1.0, sqrt (h)));
}

/* How close two messages are, in [0, 1]: by distance when both have coordinates, else by
 * the street or landmark they name, else unknown. */
static double
place_closeness (const Message *a,
                 const Message *b)
{
  if (a->has_location && b->has_location)
    return exp (-haversine_m (a->lat, a->lon, b->lat, b->lon) / PLACE_SCALE_M);
  if (a->street != NULL && b->street != NULL)
    return g_str_equal (a->street, b->street) ? PLACE_SAME_STREET : PLACE_OTHER_STREET;
  if (a->landmark != NULL && b->landmark != NULL && g_str_equal (a->landmark, b->landmark))
    return PLACE_SAME_MARK;
  return PLACE_UNKNOWN;
}

/* The FixMyStreet rule on one pair: same category and at most FMS_RADIUS_M apart. */
static gboolean
fms_match (const Message *a,
           const Message *b)
{
  /* Every report of the set counts as open; a report without coordinates cannot match. */
  return g_str_equal (a->category, b->category) && a->has_location && b->has_location
         && haversine_m (a->lat, a->lon, b->lat, b->lon) <= FMS_RADIUS_M;
}

static double
geometric_term (double x,
                double floor_value,
                double weight)
{
  return weight * log ((x + floor_value) / (1.0 + floor_value));
}

/* The combined score of @p in [0, 1] under @weights. */
static double
combined (const Pair    *p,
          const Weights *weights)
{
  const double *w = weights->w;

  switch (weights->form)
    {
    case FORM_LINEAR:
      return w[0] * p->text + w[1] * p->place + w[2] * p->category + w[3] * p->age;
    case FORM_GEOMETRIC:
      return exp (geometric_term (p->text, FLOOR_TEXT, w[0]) + geometric_term (p->place, FLOOR_PLACE, w[1])
                  + geometric_term (p->category, FLOOR_CATEGORY, w[2])
                  + geometric_term (p->age, FLOOR_AGE, w[3]));
    default:
      g_assert_not_reached ();
    }
}

/* The features of the pair (@a, @b) with their prepared signatures. */
static Pair
make_pair (const Message            *a,
           const Message            *b,
           const PayamTextSignature *sa,
           const PayamTextSignature *sb,
           GHashTable               *related)
{
  g_autofree char *key = g_strconcat (a->category, "|", b->category, NULL);
  Pair p = { 0 };

  p.text = (float) payam_text_signature_score (sa, sb);
  p.place = (float) place_closeness (a, b);
  /* "other" is where citizens put what they cannot place, so it is related to every category. */
  p.category = g_str_equal (a->category, b->category) ? 1.0f
               : g_hash_table_contains (related, key) || g_str_equal (a->category, CATEGORY_OTHER)
                 || g_str_equal (b->category, CATEGORY_OTHER) ? (float) CATEGORY_RELATED : 0.0f;
  p.age = (float) exp (-fabs ((double) (a->created - b->created)) / AGE_SCALE_S);
  p.same = g_str_equal (a->problem, b->problem);
  p.fms = fms_match (a, b);
  if (a->street != NULL && b->street != NULL && g_str_equal (a->street, b->street))
    p.kinds |= KIND_SAME_STREET;
  if (g_str_equal (a->category, b->category) && ABS (a->created - b->created) > LATER_DAYS * 86400)
    p.kinds |= KIND_LATER;
  if (!g_str_equal (a->category, b->category))
    p.kinds |= KIND_CROSS_CATEGORY;
  if (!a->has_location || !b->has_location)
    p.kinds |= KIND_UNLOCATED;
  p.half = a->number % 2 == 0 && b->number % 2 == 0 ? HALF_TUNING
           : a->number % 2 == 1 && b->number % 2 == 1 ? HALF_HELD : HALF_MIXED;
  return p;
}

static int
compare_scored (const void *a,
                const void *b)
{
  double x = ((const Scored *) a)->score;
  double y = ((const Scored *) b)->score;

  return (x > y) - (x < y);
}

/* Area under the ROC curve (Mann-Whitney U, tied scores share their mean rank). Sorts @s. */
static double
roc_auc (Scored *s,
         gsize   n)
{
  double rank_sum = 0.0, n_pos = 0.0, n_neg = 0.0;

  qsort (s, n, sizeof (Scored), compare_scored);
  for (gsize i = 0; i < n;)
    {
      gsize j = i;
      double mean_rank;

      while (j < n && s[j].score == s[i].score)
        j++;
      mean_rank = (double) (i + 1 + j) / 2.0;
      for (gsize k = i; k < j; k++)
        {
          if (s[k].same)
            {
              rank_sum += mean_rank;
              n_pos++;
            }
          else
            n_neg++;
        }
      i = j;
    }
  if (n_pos == 0 || n_neg == 0)
    return NAN;
  return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

static Prf
prf_from_counts (double tp,
                 double fp,
                 double fn)
{
  Prf r = { 0 };

  r.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
  r.recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
  return r;
}

static Prf
prf_at (const Scored *s,
        gsize         n,
        double        threshold)
{
  double tp = 0, fp = 0, fn = 0;

  for (gsize i = 0; i < n; i++)
    {
      gboolean said = s[i].score >= threshold;

      tp += said && s[i].same;
      fp += said && !s[i].same;
      fn += !said && s[i].same;
    }
  return prf_from_counts (tp, fp, fn);
}

/* The threshold with the best F1 on @s (sorted ascending by roc_auc() first). */
static double
best_f1_threshold (const Scored *s,
                   gsize         n)
{
  double n_pos = 0, tp = 0, fp = 0, best_f1 = -1.0, best = 1.0;

  for (gsize i = 0; i < n; i++)
    n_pos += s[i].same;
  /* Walk from the top score down; a threshold at s[i] accepts everything from i up. */
  for (gsize i = n; i > 0;)
    {
      gsize j = i;
      Prf r;

      while (j > 0 && s[j - 1].score == s[i - 1].score)
        {
          j--;
          tp += s[j].same;
          fp += !s[j].same;
        }
      r = prf_from_counts (tp, fp, n_pos - tp);
      if (r.f1 > best_f1)
        {
          best_f1 = r.f1;
          best = s[j].score;
        }
      i = j;
    }
  return best;
}

/* Scored pairs of @half (or every pair when @half is -1) under @w (NULL: text only). */
static Scored *
collect (const GArray  *pairs,
         int            half,
         const Weights *w,
         gsize         *n_out)
{
  Scored *s = g_new (Scored, pairs->len);
  gsize n = 0;

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = &g_array_index (pairs, Pair, i);

      if (half >= 0 && p->half != half)
        continue;
      s[n].score = w != NULL ? combined (p, w) : p->text;
      s[n].same = p->same;
      n++;
    }
  *n_out = n;
  return s;
}

/* Precision, recall and F1 of the FixMyStreet rule on @half (-1: every pair). */
static Prf
fms_prf (const GArray *pairs,
         int           half)
{
  double tp = 0, fp = 0, fn = 0;

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = &g_array_index (pairs, Pair, i);

      if (half >= 0 && p->half != half)
        continue;
      tp += p->fms && p->same;
      fp += p->fms && !p->same;
      fn += !p->fms && p->same;
    }
  return prf_from_counts (tp, fp, fn);
}

static void
print_row (const char *name,
           const char *pairs,
           double      auc,
           double      threshold,
           Prf         r)
{
  g_autofree char *auc_s = isnan (auc) ? g_strdup ("-") : g_strdup_printf ("%.3f", auc);
  g_autofree char *thr_s = isnan (threshold) ? g_strdup ("-") : g_strdup_printf ("%.3f", threshold);

  printf ("%-40s %-9s %7s %7s %7.3f %7.3f %7.3f\n", name, pairs, auc_s, thr_s,
          r.precision, r.recall, r.f1);
}

/* Report the combined score with weights @w: threshold F1-best on the tuning half, AUC and
 * P/R/F1 on the held-out half. */
static double
report_combined (const char    *name,
                 const GArray  *pairs,
                 const Weights *w)
{
  gsize n_tune, n_held;
  g_autofree Scored *tune = collect (pairs, HALF_TUNING, w, &n_tune);
  g_autofree Scored *held = collect (pairs, HALF_HELD, w, &n_held);
  double threshold;
  double auc;

  roc_auc (tune, n_tune);
  threshold = best_f1_threshold (tune, n_tune);
  auc = roc_auc (held, n_held);
  print_row (name, "held-out", auc, threshold, prf_at (held, n_held, threshold));
  return threshold;
}

/* For the hard cases of the held-out half, the share of pairs each rule calls duplicates:
 * for different problems that is the false-positive rate, for the same problem the recall.
 * @thresholds are those of @linear and @geometric fitted on the tuning half. */
static void
report_kinds (const GArray  *pairs,
              const Weights *linear,
              const Weights *geometric,
              const double   thresholds[2])
{
  static const struct {
    const char *name;
    guint       kind;
    gboolean    same;
  } rows[] = {
    { "different problem, same street", KIND_SAME_STREET, FALSE },
    { "different problem, same cat., 250 m", 0, FALSE },
    { "different problem, same cat., > 14 d", KIND_LATER, FALSE },
    { "same problem, different categories", KIND_CROSS_CATEGORY, TRUE },
    { "same problem, coordinates missing", KIND_UNLOCATED, TRUE },
    { "same problem, same street", KIND_SAME_STREET, TRUE },
  };

  printf ("\nheld-out pairs by kind: share called duplicates (false-positive rate for different\n"
          "problems, recall for the same problem); combined scores at their fitted thresholds\n");
  printf ("%-40s %9s %9s %9s %9s %9s\n", "kind", "pairs", "text", "FMS", "linear", "geometric");
  for (gsize r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      guint n = 0, said[4] = { 0 };

      for (guint i = 0; i < pairs->len; i++)
        {
          const Pair *p = &g_array_index (pairs, Pair, i);
          gboolean member = rows[r].kind != 0 ? (p->kinds & rows[r].kind) != 0 : p->fms;

          if (p->half != HALF_HELD || !member || p->same != rows[r].same)
            continue;
          n++;
          said[0] += payam_similarity_is_duplicate (p->text);
          said[1] += p->fms;
          said[2] += combined (p, linear) >= thresholds[0];
          said[3] += combined (p, geometric) >= thresholds[1];
        }
      printf ("%-40s %9u %9.3f %9.3f %9.3f %9.3f\n", rows[r].name, n, (double) said[0] / MAX (n, 1),
              (double) said[1] / MAX (n, 1), (double) said[2] / MAX (n, 1), (double) said[3] / MAX (n, 1));
    }
}

/* Weights (summing to 1, steps of 1/GRID_STEPS) with the best AUC on a sample of the
 * tuning half: every true pair and an evenly spread subset of the others. */
static void
fit_weights (const GArray *pairs,
             Form          form,
             Weights      *best)
{
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_autofree Scored *s = NULL;
  g_autofree double *terms = NULL;
  guint n_neg = 0, stride, k = 0;
  double best_auc = -1.0;

  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = &g_array_index (pairs, Pair, i);

      n_neg += p->half == HALF_TUNING && !p->same;
    }
  stride = MAX (1, n_neg / GRID_MAX_NEGATIVE);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *p = &g_array_index (pairs, Pair, i);

      if (p->half != HALF_TUNING)
        continue;
      if (p->same || k++ % stride == 0)
        g_array_append_val (sample, *p);
    }

  /* Both forms are monotone in a weighted sum of per-feature terms (the geometric one
   * through exp), and AUC depends only on the order, so the grid sums precomputed terms. */
  s = g_new (Scored, sample->len);
  terms = g_new (double, 4 * (gsize) sample->len);
  for (guint i = 0; i < sample->len; i++)
    {
      const Pair *p = &g_array_index (sample, Pair, i);
      double *t = &terms[4 * (gsize) i];

      if (form == FORM_GEOMETRIC)
        {
          t[0] = geometric_term (p->text, FLOOR_TEXT, 1.0);
          t[1] = geometric_term (p->place, FLOOR_PLACE, 1.0);
          t[2] = geometric_term (p->category, FLOOR_CATEGORY, 1.0);
          t[3] = geometric_term (p->age, FLOOR_AGE, 1.0);
        }
      else
        {
          t[0] = p->text;
          t[1] = p->place;
          t[2] = p->category;
          t[3] = p->age;
        }
    }

  for (int a = 0; a <= GRID_STEPS; a++)
    for (int b = 0; a + b <= GRID_STEPS; b++)
      for (int c = 0; a + b + c <= GRID_STEPS; c++)
        {
          Weights w = { form, { (double) a / GRID_STEPS, (double) b / GRID_STEPS, (double) c / GRID_STEPS,
                                (double) (GRID_STEPS - a - b - c) / GRID_STEPS } };
          double auc;

          /* roc_auc() sorts, so the labels are set again each round. */
          for (guint i = 0; i < sample->len; i++)
            {
              const double *t = &terms[4 * (gsize) i];

              s[i].score = w.w[0] * t[0] + w.w[1] * t[1] + w.w[2] * t[2] + w.w[3] * t[3];
              s[i].same = g_array_index (sample, Pair, i).same;
            }
          auc = roc_auc (s, sample->len);
          if (auc > best_auc)
            {
              best_auc = auc;
              *best = w;
            }
        }
}

typedef enum {
  RANK_TEXT,
  RANK_FMS,
  RANK_LINEAR,
  RANK_GEOMETRIC,
  N_RANKS,
} RankBy;

/* The intake question: for each held-out message (odd id) whose problem was reported
 * before, rank every earlier message of its neighbourhood (by text, by the FixMyStreet
 * rule nearest first, by the two combined scores) and count how often an earlier report of the
 * same problem comes first, or among the first five. Ties count against the true report.
 * Prints one line per ranking. */
static void
report_intake (const GArray  *messages,
               GPtrArray     *signatures,
               GHashTable    *related,
               const Weights *linear,
               const Weights *geometric)
{
  static const char *const names[N_RANKS] = {
    "text", "FixMyStreet (nearest match first)", "combined, linear (fitted)", "combined, geometric (fitted)",
  };
  guint hit1[N_RANKS] = { 0 }, hit5[N_RANKS] = { 0 }, n_queries = 0;
  Scored *ranked[N_RANKS];

  for (int r = 0; r < N_RANKS; r++)
    ranked[r] = g_new (Scored, messages->len);

  for (guint j = 0; j < messages->len; j++)
    {
      const Message *b = &g_array_index (messages, Message, j);
      guint len[N_RANKS] = { 0 };
      gboolean has_earlier = FALSE;

      if (b->number % 2 == 0)
        continue;
      for (guint i = 0; i < messages->len; i++)
        {
          const Message *a = &g_array_index (messages, Message, i);
          Pair p;
          double score[N_RANKS];

          if (i == j || a->created > b->created || (a->created == b->created && i > j)
              || !g_str_equal (a->neighbourhood, b->neighbourhood))
            continue;
          p = make_pair (a, b, signatures->pdata[i], signatures->pdata[j], related);
          has_earlier |= p.same;
          score[RANK_TEXT] = p.text;
          score[RANK_FMS] = p.fms ? -haversine_m (a->lat, a->lon, b->lat, b->lon) : 0.0;
          score[RANK_LINEAR] = combined (&p, linear);
          score[RANK_GEOMETRIC] = combined (&p, geometric);
          for (int r = 0; r < N_RANKS; r++)
            {
              /* The FixMyStreet rule offers only its matches. */
              if (r == RANK_FMS && !p.fms)
                continue;
              ranked[r][len[r]].score = score[r];
              ranked[r][len[r]].same = p.same;
              len[r]++;
            }
        }
      if (!has_earlier)
        continue;
      n_queries++;
      for (int r = 0; r < N_RANKS; r++)
        {
          const Scored *s = ranked[r];
          double best_true = -G_MAXDOUBLE;
          guint rank = 1;
          gboolean found = FALSE;

          for (guint k = 0; k < len[r]; k++)
            if (s[k].same && s[k].score > best_true)
              {
                best_true = s[k].score;
                found = TRUE;
              }
          for (guint k = 0; found && k < len[r]; k++)
            rank += !s[k].same && s[k].score >= best_true;
          hit1[r] += found && rank == 1;
          hit5[r] += found && rank <= 5;
        }
    }

  printf ("\nintake ranking: %u held-out messages (odd id) with an earlier report of their problem;\n"
          "candidates are all earlier messages of the neighbourhood\n", n_queries);
  printf ("%-40s %9s %9s\n", "ranking", "top-1", "top-5");
  for (int r = 0; r < N_RANKS; r++)
    printf ("%-40s %9.3f %9.3f\n", names[r], (double) hit1[r] / MAX (n_queries, 1),
            (double) hit5[r] / MAX (n_queries, 1));
  for (int r = 0; r < N_RANKS; r++)
    g_free (ranked[r]);
}

static void
print_weights (const char    *name,
               const Weights *w)
{
  printf ("  %-18s wt %.2f  wp %.2f  wc %.2f  wa %.2f\n", name, w->w[0], w->w[1], w->w[2], w->w[3]);
}

int
main (int   argc,
      char *argv[])
{
  const char *path = argc > 1 ? argv[1] : DEFAULT_SET;
  g_autoptr(GArray) messages = g_array_new (FALSE, TRUE, sizeof (Message));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_autoptr(GHashTable) related = NULL;
  g_autoptr(GHashTable) reporters = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_text_signature_free);
  g_autoptr(PayamSimilarityModel) model = payam_similarity_model_new ();
  g_autoptr(GTimer) timer = g_timer_new ();
  /* Chosen before any measurement: text first, then place, category and age. */
  static const Weights linear_prior = { FORM_LINEAR, { 0.55, 0.2, 0.15, 0.1 } };
  static const Weights geometric_prior = { FORM_GEOMETRIC, { 0.55, 0.2, 0.15, 0.1 } };
  Weights linear, geometric;
  double thresholds[2];
  guint n_multi = 0, n_true = 0, n_true_located = 0, n_half[3] = { 0 }, n_true_half[3] = { 0 };
  gsize n;
  GHashTableIter iter;
  gpointer value;

  setlocale (LC_ALL, "");
  g_array_set_clear_func (messages, message_clear);
  if (!load_set (path, messages))
    return 1;
  related = load_related ();

  for (guint i = 0; i < messages->len; i++)
    {
      Message *m = &g_array_index (messages, Message, i);

      g_hash_table_insert (reporters, m->problem,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (reporters, m->problem)) + 1));
      payam_similarity_model_add_document (model, m->text);
    }
  g_hash_table_iter_init (&iter, reporters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n_multi += GPOINTER_TO_UINT (value) >= 2;

  /* Prepared signatures give exactly payam_similarity_score() (it prepares both texts and
   * calls payam_text_signature_score()), a thousand times faster for two million pairs. */
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (signatures, payam_text_signature_new (model, g_array_index (messages, Message, i).text));

  /* Blocking: every pair of messages in the same neighbourhood (no true pair crosses one). */
  for (guint i = 0; i < messages->len; i++)
    for (guint j = i + 1; j < messages->len; j++)
      {
        const Message *a = &g_array_index (messages, Message, i);
        const Message *b = &g_array_index (messages, Message, j);
        Pair p;

        if (!g_str_equal (a->neighbourhood, b->neighbourhood))
          continue;
        p = make_pair (a, b, signatures->pdata[i], signatures->pdata[j], related);
        n_true += p.same;
        n_true_located += p.same && a->has_location && b->has_location;
        n_half[p.half]++;
        n_true_half[p.half] += p.same;
        g_array_append_val (pairs, p);
      }

  /* A spot check that the signatures score as payam_similarity_score() does. */
  for (guint i = 0; i + 1 < MIN (messages->len, 200); i++)
    {
      double direct = payam_similarity_score (model, g_array_index (messages, Message, i).text,
                                              g_array_index (messages, Message, i + 1).text);
      double prepared = payam_text_signature_score (signatures->pdata[i], signatures->pdata[i + 1]);

      g_assert_cmpfloat_with_epsilon (direct, prepared, 1e-9);
    }

  printf ("labelled set: %s\n", path);
  printf ("  %u messages, %u problems, %u (%.0f%%) reported at least twice\n", messages->len,
          g_hash_table_size (reporters), n_multi, 100.0 * n_multi / g_hash_table_size (reporters));
  printf ("  pairs within a neighbourhood: %u, of which %u true (the same problem)\n", pairs->len, n_true);
  printf ("  tuning half (both ids even): %u pairs, %u true; held-out half (both odd): %u pairs, %u true\n",
          n_half[HALF_TUNING], n_true_half[HALF_TUNING], n_half[HALF_HELD], n_true_half[HALF_HELD]);
  printf ("  true pairs with coordinates on both sides: %u (%.1f%%, the most FixMyStreet can find)\n",
          n_true_located, 100.0 * n_true_located / MAX (n_true, 1));
  printf ("  scored in %.1f s\n\n", g_timer_elapsed (timer, NULL));

  printf ("%-40s %-9s %7s %7s %7s %7s %7s\n", "rule", "pairs", "AUC", "thresh", "P", "R", "F1");
  {
    g_autofree Scored *all = collect (pairs, -1, NULL, &n);
    double auc = roc_auc (all, n);

    print_row ("(a) text, PAYAM_SIMILARITY_THRESHOLD", "all", auc, PAYAM_SIMILARITY_THRESHOLD,
               prf_at (all, n, PAYAM_SIMILARITY_THRESHOLD));
    print_row ("(a) text, review threshold", "all", auc, PAYAM_SIMILARITY_REVIEW_THRESHOLD,
               prf_at (all, n, PAYAM_SIMILARITY_REVIEW_THRESHOLD));
    print_row ("(b) FixMyStreet: same category, 250 m", "all", NAN, NAN, fms_prf (pairs, -1));
  }
  {
    gsize n_tune;
    g_autofree Scored *tune = collect (pairs, HALF_TUNING, NULL, &n_tune);
    g_autofree Scored *held = collect (pairs, HALF_HELD, NULL, &n);
    double auc = roc_auc (held, n);
    double fitted;

    roc_auc (tune, n_tune);
    fitted = best_f1_threshold (tune, n_tune);
    print_row ("(a) text, PAYAM_SIMILARITY_THRESHOLD", "held-out", auc, PAYAM_SIMILARITY_THRESHOLD,
               prf_at (held, n, PAYAM_SIMILARITY_THRESHOLD));
    print_row ("(a) text, threshold F1-best on tuning", "held-out", auc, fitted, prf_at (held, n, fitted));
    print_row ("(b) FixMyStreet: same category, 250 m", "held-out", NAN, NAN, fms_prf (pairs, HALF_HELD));
  }
  fit_weights (pairs, FORM_LINEAR, &linear);
  fit_weights (pairs, FORM_GEOMETRIC, &geometric);
  report_combined ("(c) combined, linear, prior weights", pairs, &linear_prior);
  thresholds[0] = report_combined ("(c) combined, linear, fitted weights", pairs, &linear);
  report_combined ("(c) combined, geometric, prior weights", pairs, &geometric_prior);
  thresholds[1] = report_combined ("(c) combined, geometric, fitted weights", pairs, &geometric);
  report_kinds (pairs, &linear, &geometric, thresholds);
  report_intake (messages, signatures, related, &linear, &geometric);

  printf ("\nlinear    = wt*text + wp*place + wc*category + wa*age\n");
  printf ("geometric = ((text+%.2f)/(1+%.2f))^wt * ((place+%.2f)/(1+%.2f))^wp * ((category+%.2f)/(1+%.2f))^wc"
          " * ((age+%.2f)/(1+%.2f))^wa\n", FLOOR_TEXT, FLOOR_TEXT, FLOOR_PLACE, FLOOR_PLACE,
          FLOOR_CATEGORY, FLOOR_CATEGORY, FLOOR_AGE, FLOOR_AGE);
  print_weights ("linear, prior", &linear_prior);
  print_weights ("linear, fitted", &linear);
  print_weights ("geometric, prior", &geometric_prior);
  print_weights ("geometric, fitted", &geometric);
  printf ("  (fitted: the best AUC on the tuning half over a grid of step 1/%d)\n", GRID_STEPS);
  printf ("total %.1f s\n", g_timer_elapsed (timer, NULL));
  return 0;
}
