/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamDupIndex queries: nearby blocks, a sketch estimate, exact rescoring; the hooks. */
#define G_LOG_DOMAIN "payam-dup-index"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "payam-dup-index-private.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-pair-model.h"
#include "payam-store-private.h"

typedef struct {
  /* the message */
  const PayamDupQuery *in;
  PayamPairText      *pair_text;     /* owns the signature */
  const PayamTextSignature *signature;
  guint64             categories;    /* mask of wanted category ids; all ones: every one */
  guint               category;      /* its own category id, or G_MAXUINT */
  guint32             nb;
  guint16             words[QUERY_WORDS]; /* its rarest words, folded as in sketches */
  guint               n_words;
  guint32             street;
  guint32             landmark;
  gboolean            has_location;
  double              lat;
  double              lon;
  float               cos_lat;
  guint32             now;
  gint64              exclude_slot;
  GArray             *touched;       /* of guint16: query_weights entries set */
  /* stage 1: the best slots so far, a min-heap on score */
  guint               keep;
  GArray             *heap;          /* of Hit */
} Query;

typedef struct {
  float   score;
  guint32 slot;
} Hit;

static void
query_clear (Query *q)
{
  g_clear_pointer (&q->pair_text, payam_pair_text_free);
  q->signature = NULL;
  g_clear_pointer (&q->touched, g_array_unref);
  g_clear_pointer (&q->heap, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

static void
heap_push (Query *q,
           float  score,
           guint32 slot)
{
  Hit *h;
  guint i;

  if (q->heap->len == q->keep)
    {
      h = &g_array_index (q->heap, Hit, 0);
      if (score <= h[0].score)
        return;
      /* Replace the root and sift down. */
      i = 0;
      for (;;)
        {
          guint c = 2 * i + 1;

          if (c >= q->heap->len)
            break;
          if (c + 1 < q->heap->len && h[c + 1].score < h[c].score)
            c++;
          if (h[c].score >= score)
            break;
          h[i] = h[c];
          i = c;
        }
      h[i].score = score;
      h[i].slot = slot;
      return;
    }
  g_array_set_size (q->heap, q->heap->len + 1);
  h = &g_array_index (q->heap, Hit, 0);
  for (i = q->heap->len - 1; i > 0 && h[(i - 1) / 2].score > score; i = (i - 1) / 2)
    h[i] = h[(i - 1) / 2];
  h[i].score = score;
  h[i].slot = slot;
}

static inline float
place_factor_for (const PayamDupIndex *self,
                  const Query         *q,
                  guint32              slot,
                  PayamDupPlaceMatch  *match,
                  float               *d2_m)
{
  *d2_m = -1.0f;
  if (q->has_location && self->lat[slot] < NO_LOCATION)
    {
      float dy = (float) ((self->lat[slot] - q->lat) * LAT_M_PER_DEG);
      float dx = (float) ((self->lon[slot] - q->lon) * LAT_M_PER_DEG) * q->cos_lat;
      float r2 = (dx * dx + dy * dy) / (100.0f * 100.0f);

      *match = PAYAM_DUP_PLACE_DISTANCE;
      *d2_m = dx * dx + dy * dy;
      return 1.0f / (1.0f + r2);
    }
  if ((q->street != 0 && self->street[slot] == q->street) ||
      (q->landmark != 0 && self->landmark[slot] == q->landmark))
    {
      *match = PAYAM_DUP_PLACE_STREET;
      return 0.6f;
    }
  if (q->nb != 0 && self->nb[slot] == q->nb)
    {
      *match = PAYAM_DUP_PLACE_NEIGHBOURHOOD;
      return 0.25f;
    }
  *match = PAYAM_DUP_PLACE_NONE;
  return 0.0f;
}

static inline float
category_factor_for (const Query *q,
                     guint        category)
{
  if (q->category == G_MAXUINT)
    return 1.0f;
  return category == q->category ? 1.0f : 0.7f;
}

/* 1 for an open request; a closed one counts 0.8, fading to 0.5 as it ages out. */
static inline float
closed_factor (const PayamDupIndex *self,
               const Query         *q,
               guint32              slot)
{
  float since;

  if (self->status[slot] <= PAYAM_STATUS_IN_PROGRESS)
    return 1.0f;
  since = ((float) q->now - (float) self->changed[slot]) / 86400.0f;
  return 0.8f - 0.3f * CLAMP (since / PAYAM_DUP_INDEX_RECENT_DAYS, 0.0f, 1.0f);
}

static inline float
age_factor_for (const PayamDupIndex *self,
                const Query         *q,
                guint32              slot)
{
  float days = ((float) q->now - (float) self->created[slot]) / 86400.0f;
  float a = days <= 7.0f ? 1.0f : MAX (0.6f, 1.0f - 0.4f * (days - 7.0f) / 83.0f);

  return a * closed_factor (self, q, slot);
}

/* Place in the geometric form: exp(−d / 150 m) with coordinates, else 0.6 for the same
 * street (0.05 for two different streets), else 0.6 for the same landmark, else 0.25 in
 * the same neighbourhood (unknown), 0 elsewhere. */
static inline float
geometric_place (const PayamDupIndex *self,
                 const Query         *q,
                 guint32              slot,
                 PayamDupPlaceMatch   match,
                 float                d2)
{
  if (match == PAYAM_DUP_PLACE_DISTANCE)
    return expf (-sqrtf (d2) / 150.0f);
  if (q->street != 0 && self->street[slot] == q->street)
    return 0.6f;
  if (q->street != 0 && self->street[slot] != 0)
    return 0.05f;
  if (q->landmark != 0 && self->landmark[slot] == q->landmark)
    return 0.6f;
  if (match == PAYAM_DUP_PLACE_NONE)
    return 0.0f;
  return 0.25f;
}

/* The geometric form proposed by bench-duplicates-quality (bench/duplicates/README.md):
 * a weighted geometric mean of text, place, category and age with floors. */
static inline float
geometric_score (const PayamDupIndex *self,
                 const Query         *q,
                 guint32              slot,
                 float                t,
                 PayamDupPlaceMatch   match,
                 float                d2)
{
  float p = geometric_place (self, q, slot, match, d2), c, a, dt;

  c = q->category == G_MAXUINT || self->category[slot] == q->category ? 1.0f : 0.5f;
  dt = fabsf ((float) q->now - (float) self->created[slot]) / (7.0f * 86400.0f);
  a = expf (-dt);
  return expf (0.15f * logf ((t + 0.01f) / 1.01f) + 0.30f * logf ((p + 0.02f) / 1.02f) +
               0.25f * logf ((c + 0.2f) / 1.2f) + 0.30f * logf ((a + 0.05f) / 1.05f)) *
         closed_factor (self, q, slot);
}

/* The combined score of slot @slot for a text score @t (estimated or exact). */
static inline float
combine (const PayamDupIndex *self,
         const Query         *q,
         guint32              slot,
         float                t,
         PayamDupPlaceMatch  *match,
         float               *d2)
{
  float p = place_factor_for (self, q, slot, match, d2);

  if (self->formula == PAYAM_DUP_FORMULA_GEOMETRIC)
    return geometric_score (self, q, slot, t, *match, *d2);
  if (self->formula == PAYAM_DUP_FORMULA_TEXT)
    return t;
  return t * (0.4f + 0.6f * p) * category_factor_for (q, self->category[slot]) *
         age_factor_for (self, q, slot);
}

/* Stage 1 ranks by a key that orders like the score: the score itself, or for the
 * geometric form its logarithm from tables (no exp or log per slot). */
#define LOG_TEXT_STEPS  1000   /* text score in steps of 0.001 */
#define LOG_DIST_STEP_M 5.0f   /* distance in steps of 5 m … */
#define LOG_DIST_STEPS  1000   /* … up to 5 km */
#define LOG_AGE_STEPS   2160   /* age in hours up to 90 days */

static float log_text[LOG_TEXT_STEPS + 1];
static float log_dist[LOG_DIST_STEPS + 1];
static float log_age[LOG_AGE_STEPS + 1];

void
_payam_dup_index_init_log_tables (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (guint i = 0; i <= LOG_TEXT_STEPS; i++)
    log_text[i] = 0.15f * logf (((float) i / LOG_TEXT_STEPS + 0.01f) / 1.01f);
  for (guint i = 0; i <= LOG_DIST_STEPS; i++)
    log_dist[i] = 0.30f * logf ((expf (-(float) i * LOG_DIST_STEP_M / 150.0f) + 0.02f) / 1.02f);
  for (guint i = 0; i <= LOG_AGE_STEPS; i++)
    log_age[i] = 0.30f * logf ((expf (-(float) i / (7.0f * 24.0f)) + 0.05f) / 1.05f);
  g_once_init_leave (&done, 1);
}

static inline float
log_text_of (float t)
{
  return log_text[(guint) (CLAMP (t, 0.0f, 1.0f) * LOG_TEXT_STEPS + 0.5f)];
}

/* The geometric form's logarithm without text and place: category, age, closed. Cheap,
 * so that a slot too old to enter the heap is dropped before its sketch is read. */
static inline float
log_category_age (const PayamDupIndex *self,
                  const Query         *q,
                  guint32              slot)
{
  float key = 0.0f, hours;

  if (q->category != G_MAXUINT && self->category[slot] != q->category)
    key += 0.25f * logf ((0.5f + 0.2f) / 1.2f);
  hours = fabsf ((float) q->now - (float) self->created[slot]) / 3600.0f;
  key += log_age[MIN ((guint) (hours + 0.5f), LOG_AGE_STEPS)];
  if (self->status[slot] > PAYAM_STATUS_IN_PROGRESS)
    key += logf (closed_factor (self, q, slot));
  return key;
}

/* The stage-1 key of slot @slot for an estimated text score @t; @rest is
 * log_category_age() for the geometric form. */
static inline float
stage1_key (const PayamDupIndex *self,
            const Query         *q,
            guint32              slot,
            float                t,
            float                rest)
{
  PayamDupPlaceMatch match;
  float d2, key;

  if (self->formula != PAYAM_DUP_FORMULA_GEOMETRIC)
    return combine (self, q, slot, t, &match, &d2);

  place_factor_for (self, q, slot, &match, &d2);
  key = log_text_of (t) + rest;
  if (match == PAYAM_DUP_PLACE_DISTANCE)
    key += log_dist[MIN ((guint) (sqrtf (d2) / LOG_DIST_STEP_M + 0.5f), LOG_DIST_STEPS)];
  else
    key += 0.30f * logf ((geometric_place (self, q, slot, match, d2) + 0.02f) / 1.02f);
  return key;
}

/* The highest stage-1 key a slot with estimated text score @t can have. */
static inline float
upper_bound (const PayamDupIndex *self,
             float                t)
{
  if (self->formula == PAYAM_DUP_FORMULA_GEOMETRIC)
    return log_text_of (t);
  return t;
}

void
_payam_dup_index_set_formula (PayamDupIndex   *self,
                              PayamDupFormula  formula)
{
  g_return_if_fail (PAYAM_IS_DUP_INDEX (self));
  self->formula = formula;
}

/* Stage 1 for one slot: skip what cannot be a candidate, estimate the rest. */
static inline void
visit_slot (PayamDupIndex *self,
            Query         *q,
            guint32        slot)
{
  const guint16 *sk;
  float t = 0.0f, rest = 0.0f;
  gboolean full;
  guint cat;

  if (self->stamp[slot] == self->epoch)
    return;
  self->stamp[slot] = self->epoch;
  if (self->status[slot] == DEAD || (gint64) slot == q->exclude_slot)
    return;
  cat = self->category[slot];
  if (cat >= 64 ? q->categories != G_MAXUINT64 : !(q->categories >> cat & 1))
    return;
  /* The open statuses are the first four (payam-types.h); others count while recent. */
  if (self->status[slot] > PAYAM_STATUS_IN_PROGRESS &&
      (gint64) self->changed[slot] < (gint64) q->now - PAYAM_DUP_INDEX_RECENT_DAYS * 86400)
    return;
  full = q->heap->len == q->keep;
  if (self->formula == PAYAM_DUP_FORMULA_GEOMETRIC)
    {
      rest = log_category_age (self, q, slot);
      /* Even a perfect text (log 0) and place would not enter the heap. */
      if (full && rest <= g_array_index (q->heap, Hit, 0).score)
        return;
    }
  sk = self->sketch + (gsize) slot * SKETCH_LEN;
  for (guint j = 0; j < SKETCH_LEN && sk[j] != 0; j++)
    t += self->query_weights[sk[j]];
  /* A slot that cannot enter the heap whatever its place stops here. */
  if (t <= 0.0f || (full && upper_bound (self, t) + rest <= g_array_index (q->heap, Hit, 0).score))
    return;
  heap_push (q, stage1_key (self, q, slot, t, rest), slot);
}

static void
plan_block (PayamDupIndex *self,
            GPtrArray     *plan,
            guint64        key)
{
  Block *block = _payam_dup_index_block_get (self, key);

  if (block != NULL)
    g_ptr_array_add (plan, block);
}

/* Blocks in the order stage 1 reads them: those of category @data ("other" for a message
 * of another category, or G_MAXUINT) after all the rest, then the smallest first. */
static int
compare_block_len (gconstpointer a,
                   gconstpointer b,
                   gpointer      data)
{
  const Block *x = *(Block * const *) a, *y = *(Block * const *) b;
  guint last = GPOINTER_TO_UINT (data);
  gboolean x_last = ((x->key >> 48) & 0xfff) == last, y_last = ((y->key >> 48) & 0xfff) == last;

  if (x_last != y_last)
    return x_last ? 1 : -1;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* Visit the blocks near the message in each wanted category (see payam-dup-index.h): the
 * smallest, most specific first, until VISIT_BUDGET slots have been read. The budget only
 * binds in very dense stores (a million open requests in two neighbourhoods); then the
 * largest blocks, the least specific, are left out. */
static void
visit_blocks (PayamDupIndex *self,
              Query         *q)
{
  g_autoptr(GPtrArray) plan = g_ptr_array_new ();
  guint visited = 0;

  for (guint cat = 0; cat < self->categories->len; cat++)
    {
      Block *nb_block;
      gboolean placed = q->has_location || q->street != 0 || q->landmark != 0;

      if (cat < 64 && !(q->categories >> cat & 1))
        continue;
      nb_block = q->nb != 0 ? _payam_dup_index_block_get (self, block_key (BLOCK_NB, cat, q->nb))
                            : NULL;
      if (nb_block != NULL && nb_block->len <= NB_SCAN_MAX)
        g_ptr_array_add (plan, nb_block);
      else if (nb_block != NULL && !placed)
        {
          /* A big neighbourhood and no other place: the requests there that share one of
           * the message's rarest words. A word in a quarter of them says little; when
           * every word is that common, the shortest list is read all the same. */
          Block *shortest = NULL;
          gboolean listed = FALSE;

          for (guint w = 0; w < q->n_words; w++)
            {
              Block *b = _payam_dup_index_block_get (self, block_key (BLOCK_WORD, cat,
                                                     word_payload (q->nb, q->words[w])));

              if (b == NULL)
                continue;
              if (b->len <= nb_block->len / 4)
                {
                  g_ptr_array_add (plan, b);
                  listed = TRUE;
                }
              else if (shortest == NULL || b->len < shortest->len)
                shortest = b;
            }
          if (!listed && shortest != NULL)
            g_ptr_array_add (plan, shortest);
        }
      if (q->has_location)
        {
          /* The message's cell and the three that meet at its nearest corner: every
           * point within half a cell (100 m), most within 200 m. */
          double fy = (q->lat + 90.0) / CELL_DEG_LAT, fx = (q->lon + 180.0) / CELL_DEG_LON;
          int oy = fy - floor (fy) < 0.5 ? -1 : 1, ox = fx - floor (fx) < 0.5 ? -1 : 1;

          for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++)
              plan_block (self, plan, block_key (BLOCK_GEO, cat,
                                               cell_payload (q->lat, q->lon, dy * oy, dx * ox)));
        }
      if (q->street != 0)
        {
          /* Requests with coordinates on the street are in the cells already. */
          if (!q->has_location)
            plan_block (self, plan, block_key (BLOCK_STREET, cat, q->street));
          plan_block (self, plan, block_key (BLOCK_STREET_NO_LOCATION, cat, q->street));
        }
      if (q->landmark != 0)
        {
          if (!q->has_location)
            plan_block (self, plan, block_key (BLOCK_LANDMARK, cat, q->landmark));
          plan_block (self, plan, block_key (BLOCK_LANDMARK_NO_LOCATION, cat, q->landmark));
        }
      /* Nothing but the text: every neighbourhood. */
      if (q->nb == 0 && !placed)
        for (guint n = 1; n < self->names->len; n++)
          plan_block (self, plan, block_key (BLOCK_NB, cat, n));
    }

  /* "other" requests are candidates for every message, but a message of another category
   * reads its own and the related categories' blocks first: in a store dense enough for
   * the budget to bind they stay what it reads. */
  {
    guint other = _payam_dup_index_category_id (self, PAYAM_DUP_INDEX_OTHER_CATEGORY, FALSE);

    if (other == q->category)
      other = G_MAXUINT;
    g_ptr_array_sort_with_data (plan, compare_block_len, GUINT_TO_POINTER (other));
  }
  for (guint i = 0; i < plan->len && (i == 0 || visited < VISIT_BUDGET); i++)
    {
      Block *block = plan->pdata[i];

      for (guint32 k = 0; k < block->len; k++)
        visit_slot (self, q, block->slots[k]);
      visited += block->len;
    }
}
static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
only_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x200c && c != 0x200d && c != 0x200e &&
          c != 0x200f && c != 0xfeff && !g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

/* Check @in and prepare @q: the signature, the weight table, what place and category mean. */
static gboolean
query_prepare (PayamDupIndex       *self,
               const PayamDupQuery *in,
               Query               *q,
               GError             **error)
{
  const PayamSignatureGram *grams;
  guint n;

  if (in->text == NULL || !g_utf8_validate (in->text, -1, NULL) || only_space (in->text))
    return invalid (error, _("Write the message first: there is no text to compare."));
  if (g_utf8_strlen (in->text, -1) > MAX_TEXT_CHARS)
    {
      g_autofree char *max = payam_format_integer (MAX_TEXT_CHARS);
      g_autofree char *message = NULL;

      /* Translators: %s is the largest number of characters allowed, in Persian digits. */
      message = g_strdup_printf (_("The text of the message is too long; shorten it to at "
                                   "most %s characters."), max);
      return invalid (error, message);
    }
  if (in->has_location &&
      (!isfinite (in->lat) || !isfinite (in->lon) ||
       in->lat < DISTRICT_LAT_MIN || in->lat > DISTRICT_LAT_MAX ||
       in->lon < DISTRICT_LON_MIN || in->lon > DISTRICT_LON_MAX))
    return invalid (error, _("The location is outside the district; check the coordinates "
                             "or leave them out."));

  q->in = in;
  q->pair_text = payam_pair_text_new (self->model, in->text);
  q->signature = payam_pair_text_get_signature (q->pair_text);
  q->touched = g_array_new (FALSE, FALSE, sizeof (guint16));
  q->heap = g_array_new (FALSE, FALSE, sizeof (Hit));
  q->keep = CLAMP (2 * (in->limit == 0 ? DEFAULT_LIMIT : in->limit), STAGE2_MIN, STAGE2_MAX);

  /* Query grams as the sketches fold them (the mixed id, see make_sketch). */
  grams = payam_text_signature_get_char_grams (q->signature, &n);
  for (guint i = 0; i < n; i++)
    {
      guint16 f = fold_char (mix32 (grams[i].id));

      self->query_weights[f] += CHAR_SHARE * grams[i].weight;
      g_array_append_val (q->touched, f);
    }
  grams = payam_text_signature_get_word_grams (q->signature, &n);
  {
    g_autofree WeightedId *words = g_new (WeightedId, MAX (n, 1));

    for (guint i = 0; i < n; i++)
      {
        guint16 f = fold_word (mix32 (grams[i].id));

        self->query_weights[f] += (1.0f - CHAR_SHARE) * grams[i].weight;
        g_array_append_val (q->touched, f);
        words[i].id = f;
        words[i].weight = grams[i].weight;
      }
    qsort (words, n, sizeof words[0], _payam_dup_index_compare_weight_desc);
    for (guint i = 0; i < n && q->n_words < QUERY_WORDS; i++)
      q->words[q->n_words++] = (guint16) words[i].id;
  }

  q->category = _payam_dup_index_category_id (self, in->category, FALSE);
  if (g_strcmp0 (in->category, PAYAM_DUP_INDEX_OTHER_CATEGORY) == 0)
    {
      /* "other" relates to every category (as in the pair model's related_category): a
       * citizen unsure of the category still finds the report filed under the right one. */
      q->categories = G_MAXUINT64;
    }
  else if (has_text (in->category) && q->category == G_MAXUINT)
    {
      /* A category the index has not seen: nothing can match it. */
      q->categories = 0;
    }
  else if (q->category == G_MAXUINT)
    q->categories = G_MAXUINT64;
  else
    {
      guint other = _payam_dup_index_category_id (self, PAYAM_DUP_INDEX_OTHER_CATEGORY, FALSE);

      q->categories = (q->category < 64 ? G_GUINT64_CONSTANT (1) << q->category : 0) |
                      (q->category < 64 ? self->related[q->category] : 0) |
                      (other < 64 ? G_GUINT64_CONSTANT (1) << other : 0);
    }

  q->nb = _payam_dup_index_name_id (self, in->neighbourhood, FALSE);
  q->street = _payam_dup_index_name_id (self, in->street, FALSE);
  q->landmark = _payam_dup_index_name_id (self, in->landmark, FALSE);
  /* A name the index has never seen matches nothing, but still says the message is placed. */
  if (has_text (in->street) && q->street == 0)
    q->street = G_MAXUINT32;
  if (has_text (in->landmark) && q->landmark == 0)
    q->landmark = G_MAXUINT32;
  if (has_text (in->neighbourhood) && q->nb == 0)
    q->nb = G_MAXUINT16 + 1u;
  q->has_location = in->has_location;
  q->lat = in->lat;
  q->lon = in->lon;
  q->cos_lat = (float) cos (in->lat * G_PI / 180.0);
  q->now = in->at != NULL ? seconds_of (in->at) : _payam_dup_index_store_now (self->store);
  q->exclude_slot = -1;
  if (has_text (in->exclude_id))
    {
      guint8 uuid[16];

      if (_payam_dup_index_uuid_parse (in->exclude_id, uuid))
        q->exclude_slot = _payam_dup_index_table_lookup (self, uuid);
      else if (g_hash_table_contains (self->odd_ids, in->exclude_id))
        q->exclude_slot = GPOINTER_TO_UINT (g_hash_table_lookup (self->odd_ids,
                                                                 in->exclude_id)) - 1;
    }

  if (++self->epoch == 0)
    {
      memset (self->stamp, 0, (gsize) self->n_slots * sizeof (guint32));
      self->epoch = 1;
    }
  return TRUE;
}

static void
query_reset_weights (PayamDupIndex *self,
                     Query         *q)
{
  for (guint i = 0; q->touched != NULL && i < q->touched->len; i++)
    self->query_weights[g_array_index (q->touched, guint16, i)] = 0.0f;
}

static char *
slot_id (PayamDupIndex *self,
         guint32        slot)
{
  char text[37];
  const char *odd = g_hash_table_lookup (self->odd_slots, GUINT_TO_POINTER (slot));

  if (odd != NULL)
    return g_strdup (odd);
  _payam_dup_index_uuid_format (uuid_at (self, slot), text);
  return g_strdup (text);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const PayamDupCandidate *x = *(PayamDupCandidate * const *) a;
  const PayamDupCandidate *y = *(PayamDupCandidate * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* Read what a candidate shows of request c->id (no phone, no name) with the index's own
 * statement: a handful of columns instead of payam_store_get_request()'s every column and
 * three parsed times. *found is FALSE when the request is gone. */
static gboolean
fetch_candidate (PayamDupIndex     *self,
                 PayamDupCandidate *c,
                 gboolean          *found,
                 gboolean          *located,
                 double            *lat,
                 double            *lon,
                 GError           **error)
{
  int rc;

  *found = FALSE;
  if (self->fetch == NULL)
    {
      rc = sqlite3_prepare_v3 (self->store->db,
                               "SELECT tracking_code, text, category_id, status, group_id, "
                               "lat, lon FROM request WHERE id = ?1",
                               -1, SQLITE_PREPARE_PERSISTENT, &self->fetch, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                       "%s", sqlite3_errmsg (self->store->db));
          return FALSE;
        }
    }
  sqlite3_bind_text (self->fetch, 1, c->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->fetch);
  if (rc == SQLITE_ROW)
    {
      PayamStatus status = PAYAM_STATUS_REGISTERED;

      *found = TRUE;
      c->tracking_code = g_strdup ((const char *) sqlite3_column_text (self->fetch, 0));
      c->text = g_strdup ((const char *) sqlite3_column_text (self->fetch, 1));
      c->category = g_strdup ((const char *) sqlite3_column_text (self->fetch, 2));
      payam_status_from_string ((const char *) sqlite3_column_text (self->fetch, 3), &status);
      c->status = status;
      c->group_id = g_strdup ((const char *) sqlite3_column_text (self->fetch, 4));
      *located = sqlite3_column_type (self->fetch, 5) != SQLITE_NULL;
      *lat = sqlite3_column_double (self->fetch, 5);
      *lon = sqlite3_column_double (self->fetch, 6);
    }
  sqlite3_reset (self->fetch);
  sqlite3_clear_bindings (self->fetch);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* The dHash of each photo of request @id with one (photos imported before the hash
 * existed, or synced from a device, have none), appended to @hashes. */
gboolean
_payam_dup_index_fetch_photo_hashes (PayamDupIndex  *self,
                                     const char     *id,
                                     GArray         *hashes,
                                     GError        **error)
{
  int rc;

  if (self->fetch_photos == NULL)
    {
      rc = sqlite3_prepare_v3 (self->store->db,
                               "SELECT p.dhash FROM request_photo rp JOIN photo p "
                               "ON p.sha256 = rp.sha256 WHERE rp.request_id = ?1 "
                               "AND p.dhash IS NOT NULL",
                               -1, SQLITE_PREPARE_PERSISTENT, &self->fetch_photos, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                       "%s", sqlite3_errmsg (self->store->db));
          return FALSE;
        }
    }
  sqlite3_bind_text (self->fetch_photos, 1, id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (self->fetch_photos)) == SQLITE_ROW)
    {
      guint64 h = (guint64) sqlite3_column_int64 (self->fetch_photos, 0);

      g_array_append_val (hashes, h);
    }
  sqlite3_reset (self->fetch_photos);
  sqlite3_clear_bindings (self->fetch_photos);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* A place name id of the index as the name both sides compare (normalised). */
static const char *
name_of (PayamDupIndex *self,
         guint32        id)
{
  return id != 0 && id < self->names->len ? self->names->pdata[id] : NULL;
}

/* The pair-model side of the message (@q) and of slot @slot (its text @text, photos
 * @hashes), and the features of the pair into @features. */
static void
pair_features (PayamDupIndex       *self,
               const Query         *q,
               guint32              slot,
               const PayamPairText *text,
               gboolean             located,
               double               lat,
               double               lon,
               GArray              *hashes,
               double              *features)
{
  PayamPairSide a = { 0 }, b = { 0 };
  guint cat = self->category[slot];

  a.text = q->pair_text;
  a.category = q->in->category;
  a.street = q->street != G_MAXUINT32 ? name_of (self, q->street) : q->in->street;
  a.landmark = q->landmark != G_MAXUINT32 ? name_of (self, q->landmark) : q->in->landmark;
  a.has_location = q->has_location;
  a.lat = q->lat;
  a.lon = q->lon;
  a.created = q->now;
  a.photo_hashes = q->in->photo_hashes;
  a.n_photo_hashes = q->in->n_photo_hashes;
  a.categories_related = q->category != G_MAXUINT && q->category < 64 && cat < 64 &&
                         (self->related[q->category] & (G_GUINT64_CONSTANT (1) << cat)) != 0;

  b.text = text;
  b.category = cat < self->categories->len ? self->categories->pdata[cat] : NULL;
  b.street = name_of (self, self->street[slot]);
  b.landmark = name_of (self, self->landmark[slot]);
  b.has_location = located;
  b.lat = lat;
  b.lon = lon;
  b.created = self->created[slot];
  b.photo_hashes = (const guint64 *) (gpointer) hashes->data;
  b.n_photo_hashes = hashes->len;
  payam_pair_features (&a, &b, features);
}

/* Stage 2: read each kept slot's request, score its text exactly, compute the pair
 * model's features and probability, sort by it. With @features_out, each candidate's
 * feature vector is appended to it (PAYAM_PAIR_N_FEATURES doubles, in the output order). */
static GPtrArray *
query_finish (PayamDupIndex *self,
              Query         *q,
              guint          limit,
              GArray        *features_out,
              GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               payam_dup_candidate_free);
  g_autoptr(GArray) feature_rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) row_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  const PayamPairModel *model = payam_pair_model_get_default ();

  for (guint i = 0; i < q->heap->len; i++)
    {
      guint32 slot = g_array_index (q->heap, Hit, i).slot;
      g_autoptr(PayamDupCandidate) c = g_new0 (PayamDupCandidate, 1);
      g_autoptr(PayamPairText) text = NULL;
      double features[PAYAM_PAIR_N_FEATURES];
      PayamDupPlaceMatch match;
      gboolean found, located;
      double lat, lon;
      float d2;
      double t, linear;

      c->id = slot_id (self, slot);
      if (!fetch_candidate (self, c, &found, &located, &lat, &lon, error))
        return NULL;
      if (!found)
        continue;
      text = payam_pair_text_new (self->model, c->text);
      t = payam_text_signature_score (q->signature, payam_pair_text_get_signature (text));
      if (t < PAYAM_DUP_INDEX_MIN_TEXT_SCORE)
        continue;
      g_array_set_size (hashes, 0);
      /* Photos count only when both sides have some: no read for a message without. */
      if (q->in->n_photo_hashes > 0 &&
          !_payam_dup_index_fetch_photo_hashes (self, c->id, hashes, error))
        return NULL;
      pair_features (self, q, slot, text, located, lat, lon, hashes, features);
      combine (self, q, slot, (float) t, &match, &d2);
      linear = payam_pair_model_linear (model, features);
      c->probability = payam_pair_model_calibrate (model, linear);
      /* Ranked by the model's own logistic score: strictly monotone in the linear score,
       * where the calibrated probability has flat stretches. */
      c->score = 1.0 / (1.0 + exp (-linear));
      c->place_match = match;
      c->distance_m = match == PAYAM_DUP_PLACE_DISTANCE && located
                      ? payam_pair_distance_m (q->lat, q->lon, lat, lon) : -1.0;
      c->text_score = t;
      g_hash_table_insert (row_of, c, GUINT_TO_POINTER (feature_rows->len /
                                                       PAYAM_PAIR_N_FEATURES));
      g_array_append_vals (feature_rows, features, PAYAM_PAIR_N_FEATURES);
      g_ptr_array_add (out, g_steal_pointer (&c));
    }
  g_ptr_array_sort (out, compare_candidates);
  if (out->len > limit)
    g_ptr_array_set_size (out, limit);
  if (features_out != NULL)
    for (guint i = 0; i < out->len; i++)
      {
        guint row = GPOINTER_TO_UINT (g_hash_table_lookup (row_of, out->pdata[i]));

        g_array_append_vals (features_out, &g_array_index (feature_rows, double,
                                                           (gsize) row * PAYAM_PAIR_N_FEATURES),
                             PAYAM_PAIR_N_FEATURES);
      }
  return g_steal_pointer (&out);
}

static GPtrArray *
run_query (PayamDupIndex       *self,
           const PayamDupQuery *query,
           gboolean             full_scan,
           GArray              *features_out,
           GError             **error)
{
  g_auto(Query) q = { 0 };
  GPtrArray *out;

  if (!query_prepare (self, query, &q, error))
    {
      query_reset_weights (self, &q);
      return NULL;
    }
  if (full_scan)
    for (guint32 slot = 0; slot < self->n_slots; slot++)
      visit_slot (self, &q, slot);
  else
    visit_blocks (self, &q);
  query_reset_weights (self, &q);
  out = query_finish (self, &q, query->limit == 0 ? DEFAULT_LIMIT : query->limit,
                      features_out, error);
  return out;
}

/**
 * payam_dup_index_query:
 *
 * See payam-dup-index.h. Stage 1 walks only the blocks near the message; stage 2 reads the
 * best few requests from the store (payam_store_get_request()) and keeps only what a
 * candidate may show: no phone, no name.
 */
GPtrArray *
payam_dup_index_query (PayamDupIndex        *self,
                       const PayamDupQuery  *query,
                       GError              **error)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return run_query (self, query, FALSE, NULL, error);
}

GPtrArray *
_payam_dup_index_query_features (PayamDupIndex        *self,
                                 const PayamDupQuery  *query,
                                 GArray               *features_out,
                                 GError              **error)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (features_out != NULL, NULL);

  return run_query (self, query, FALSE, features_out, error);
}

GPtrArray *
payam_dup_index_query_full_scan (PayamDupIndex        *self,
                                 const PayamDupQuery  *query,
                                 GError              **error)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return run_query (self, query, TRUE, NULL, error);
}

/**
 * payam_dup_index_suggest_for_draft:
 *
 * See payam-dup-index.h. The first @limit candidates, with the first photo's hash of
 * each; the draft's photos are not imported yet, so they do not count.
 */
GPtrArray *
payam_dup_index_suggest_for_draft (PayamDupIndex            *self,
                                   const PayamRequestDraft  *draft,
                                   guint                     limit,
                                   GError                  **error)
{
  PayamDupQuery query = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               payam_dup_candidate_free);

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (limit == 0)
    limit = 3;
  query.text = draft->text;
  query.category = draft->category;
  query.neighbourhood = draft->neighbourhood;
  query.street = draft->street;
  query.landmark = draft->landmark;
  query.has_location = draft->has_location;
  query.lat = draft->lat;
  query.lon = draft->lon;
  query.at = draft->created_at;
  query.limit = limit;
  all = payam_dup_index_query (self, &query, error);
  if (all == NULL)
    return NULL;

  for (guint i = 0; i < all->len && out->len < limit; i++)
    {
      PayamDupCandidate *c = all->pdata[i];
      g_auto(GStrv) photos = NULL;

      photos = payam_store_list_request_photos (self->store, c->id, NULL);
      if (photos != NULL && photos[0] != NULL)
        c->thumbnail_sha256 = g_strdup (photos[0]);
      g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
    }
  return g_steal_pointer (&out);
}

/**
 * _payam_dup_index_request_query:
 *
 * Fill @query with stored request @r as the message (its text, category, place, creation
 * time and photo hashes, appended to @hashes which must outlive @query), excluding @r
 * itself. FALSE with a STORE error when its photos cannot be read.
 */
gboolean
_payam_dup_index_request_query (PayamDupIndex      *self,
                                const PayamRequest *r,
                                PayamDupQuery      *query,
                                GArray             *hashes,
                                GError            **error)
{
  if (!_payam_dup_index_fetch_photo_hashes (self, r->id, hashes, error))
    return FALSE;
  query->text = r->text;
  query->category = r->category;
  query->neighbourhood = r->neighbourhood;
  query->street = r->street;
  query->landmark = r->landmark;
  query->has_location = r->has_location;
  query->lat = r->lat;
  query->lon = r->lon;
  query->exclude_id = r->id;
  query->at = r->created_at;
  query->photo_hashes = (const guint64 *) (gpointer) hashes->data;
  query->n_photo_hashes = hashes->len;
  return TRUE;
}

/**
 * payam_dup_index_review_for_request:
 *
 * See payam-dup-index.h. The request's own text, category and place make the query; its
 * creation time is the query's time, so an old request is compared with its own era.
 */
GPtrArray *
payam_dup_index_review_for_request (PayamDupIndex  *self,
                                    const char     *request_id,
                                    guint           limit,
                                    GPtrArray     **sure,
                                    GError        **error)
{
  g_autoptr(PayamRequest) r = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure_list = NULL;
  g_autoptr(GArray) hashes = NULL;
  const PayamPairModel *model = payam_pair_model_get_default ();
  PayamDupQuery query = { 0 };

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  r = payam_store_get_request (self->store, request_id, &local_error);
  if (r == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR,
                   g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND)
                   ? PAYAM_DUP_INDEX_ERROR_NOT_FOUND : PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return NULL;
    }
  if (limit == 0)
    limit = 10;
  hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (!_payam_dup_index_request_query (self, r, &query, hashes, error))
    return NULL;
  query.limit = MIN (3 * limit, STAGE2_MAX);
  /* A stored text is within the store's limits; coordinates too. */
  all = payam_dup_index_query (self, &query, error);
  if (all == NULL)
    return NULL;

  band = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_dup_candidate_free);
  sure_list = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_dup_candidate_free);
  for (guint i = 0; i < all->len; i++)
    {
      PayamDupCandidate *c = all->pdata[i];

      if (r->group_id != NULL && g_strcmp0 (c->group_id, r->group_id) == 0)
        continue;
      if (c->probability >= payam_pair_model_get_auto_threshold (model))
        {
          if (sure_list->len < limit)
            g_ptr_array_add (sure_list, g_steal_pointer (&all->pdata[i]));
        }
      else if (c->probability >= payam_pair_model_get_review_threshold (model) &&
               band->len < limit)
        g_ptr_array_add (band, g_steal_pointer (&all->pdata[i]));
    }
  if (sure != NULL)
    *sure = g_steal_pointer (&sure_list);
  return g_steal_pointer (&band);
}
