/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text similarity of short Persian messages: trigram and word TF-IDF cosines mixed into one score. */
#define G_LOG_DOMAIN "payam-similarity"
#include "config.h"

#include <math.h>
#include <string.h>

#include "payam-similarity.h"
#include "payam-similarity-private.h"

/* The prior's common grams (greetings, location words, place names) keep this fraction
 * of the IDF that the corpus gives them while the corpus is small; the prior stands in
 * for evidence and fades as documents come, halfway at PRIOR_FADE_DOCUMENTS. */
#define PRIOR_IDF_FACTOR 0.3
#define PRIOR_FADE_DOCUMENTS 1000.0

struct _PayamSimilarityModel
{
  /* owned */
  GHashTable           *df;     /* gram id → number of documents holding it */
  GHashTable           *prior;  /* gram ids counted as common (a set): see build_prior() */
  /* plain */
  PayamSimilarityParams params;
  guint                 n_docs;
  double                prior_factor;  /* of the IDF of common grams, for n_docs */
};

struct _PayamTextSignature
{
  PayamSignatureGram *grams;      /* n_char trigrams then n_word words, each run sorted by id */
  guint               n_char;
  guint               n_word;
  guint64             norm_hash;  /* of the normalised text: equal texts score exactly 1 */
  float               char_weight;
};

/* The design chosen in bench/duplicates (its README has the figures): trigrams of each
 * word with squared IDF carry most of the signal, stemmed words with IDF^1.5 add to it. */
static const PayamSimilarityParams default_params = {
  .char_weight = 0.6,
  .char_idf_power = 2.0,
  .word_idf_power = 1.5,
  .gram_mode = PAYAM_GRAMS_PER_WORD,
  .stem = TRUE,
  .join_affixes = TRUE,
  .filler_prior = TRUE,
  .grammar_prior = FALSE,
};

/* The IDF of @id under @model, raised to @power: ln((N + 1) / (df + 1)) + 1, never below
 * 1 (also if documents were removed that were never added), and only the model's prior
 * factor of that for the prior's common grams. */
static double
idf_pow (const PayamSimilarityModel *model,
         guint32                     id,
         double                      power)
{
  double df = GPOINTER_TO_UINT (g_hash_table_lookup (model->df, GUINT_TO_POINTER (id)));
  double ratio = (model->n_docs + 1.0) / (df + 1.0);
  double idf = log (MAX (ratio, 1.0)) + 1.0;

  if (model->params.filler_prior && g_hash_table_contains (model->prior, GUINT_TO_POINTER (id)))
    idf *= model->prior_factor;

  return power == 2.0 ? idf * idf : pow (idf, power);
}

/* Sets the fraction of IDF that the prior's grams keep, for the current corpus size. */
static void
update_prior_factor (PayamSimilarityModel *model)
{
  double grown = model->n_docs / (model->n_docs + PRIOR_FADE_DOCUMENTS);

  model->prior_factor = PRIOR_IDF_FACTOR + (1.0 - PRIOR_IDF_FACTOR) * grown;
}

/* Turns the sorted occurrence ids in @ids into (id, weight) pairs at @out, with weight
 * (1 + ln tf) · idf^power, scaled to unit length. Returns the number of pairs. */
static guint
weigh (const PayamSimilarityModel *model,
       GArray                     *ids,
       double                      power,
       PayamSignatureGram         *out)
{
  guint n = 0;
  double norm2 = 0.0;

  for (guint r = 0; r < ids->len;)
    {
      guint32 id = g_array_index (ids, guint32, r);
      guint tf = 0;
      double w;

      while (r < ids->len && g_array_index (ids, guint32, r) == id)
        {
          tf++;
          r++;
        }
      w = (1.0 + log ((double) tf)) * idf_pow (model, id, power);
      out[n].id = id;
      out[n].weight = (float) w;
      norm2 += w * w;
      n++;
    }

  if (norm2 > 0.0)
    {
      double inv = 1.0 / sqrt (norm2);

      for (guint i = 0; i < n; i++)
        out[i].weight = (float) (out[i].weight * inv);
    }
  return n;
}

/* Dot product of two id-sorted unit vectors. The sum runs in id order, so the result is
 * the same bit for bit whichever vector comes first. */
static double
dot (const PayamSignatureGram *a,
     guint                     na,
     const PayamSignatureGram *b,
     guint                     nb)
{
  double sum = 0.0;
  guint i = 0;
  guint j = 0;

  while (i < na && j < nb)
    {
      if (a[i].id < b[j].id)
        i++;
      else if (a[i].id > b[j].id)
        j++;
      else
        {
          sum += (double) a[i].weight * (double) b[j].weight;
          i++;
          j++;
        }
    }
  return sum;
}

/* Adds the distinct grams of @norm (a prepared text) to @model's frequencies, or
 * takes them away when @delta is -1 (never below zero). */
static void
count_document (PayamSimilarityModel *model,
                const char           *norm,
                int                   delta)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *lists[] = { chars, words };

  _payam_similarity_collect_char_ids (&model->params, norm, chars);
  _payam_similarity_collect_word_ids (&model->params, norm, words);

  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      _payam_similarity_sort_ids (lists[l], TRUE);
      for (guint i = 0; i < lists[l]->len; i++)
        {
          gpointer key = GUINT_TO_POINTER (g_array_index (lists[l], guint32, i));
          guint df = GPOINTER_TO_UINT (g_hash_table_lookup (model->df, key));

          if (delta > 0)
            g_hash_table_insert (model->df, key, GUINT_TO_POINTER (df + 1));
          else if (df > 1)
            g_hash_table_insert (model->df, key, GUINT_TO_POINTER (df - 1));
          else
            g_hash_table_remove (model->df, key);
        }
    }
}

/* Marks the trigrams and words of @text as common in @model's prior. */
static void
add_common (PayamSimilarityModel *model,
            const char           *text)
{
  g_autofree char *norm = _payam_similarity_prepare_text (&model->params, text);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  _payam_similarity_collect_char_ids (&model->params, norm, ids);
  _payam_similarity_collect_word_ids (&model->params, norm, ids);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (model->prior, GUINT_TO_POINTER (g_array_index (ids, guint32, i)));
}

/* Fills @model->prior from data/similarity-prior.json and data/places.json. */
static void
build_prior (PayamSimilarityModel *model)
{
  const GPtrArray *common = _payam_similarity_prior_texts (FALSE);
  const GPtrArray *grammar = _payam_similarity_prior_texts (TRUE);

  for (guint i = 0; i < common->len; i++)
    add_common (model, common->pdata[i]);
  if (model->params.grammar_prior)
    for (guint i = 0; i < grammar->len; i++)
      add_common (model, grammar->pdata[i]);
}

/**
 * _payam_similarity_default_params:
 *
 * Returns: (transfer none): the design the product uses
 */
const PayamSimilarityParams *
_payam_similarity_default_params (void)
{
  return &default_params;
}

/**
 * _payam_similarity_model_new_with_params:
 * @params: a design, copied
 *
 * An empty model (with the prior if @params asks for it) for another design.
 *
 * Returns: (transfer full): a new model; free with payam_similarity_model_free()
 */
PayamSimilarityModel *
_payam_similarity_model_new_with_params (const PayamSimilarityParams *params)
{
  PayamSimilarityModel *model;

  g_return_val_if_fail (params != NULL, NULL);

  model = g_new0 (PayamSimilarityModel, 1);
  model->df = g_hash_table_new (g_direct_hash, g_direct_equal);
  model->prior = g_hash_table_new (g_direct_hash, g_direct_equal);
  model->params = *params;
  model->params.char_weight = CLAMP (model->params.char_weight, 0.0, 1.0);
  if (model->params.filler_prior)
    build_prior (model);
  update_prior_factor (model);
  return model;
}

/**
 * payam_similarity_model_new:
 *
 * A model with no documents yet: every gram counts as rare except the prior's (greeting
 * formulas, location words and the gazetteer's names). Feed it the corpus with
 * payam_similarity_model_add_document().
 *
 * Returns: (transfer full): a new model; free with payam_similarity_model_free()
 */
PayamSimilarityModel *
payam_similarity_model_new (void)
{
  return _payam_similarity_model_new_with_params (&default_params);
}

/**
 * payam_similarity_model_free:
 * @model: (nullable): a model
 */
void
payam_similarity_model_free (PayamSimilarityModel *model)
{
  if (model == NULL)
    return;
  g_clear_pointer (&model->df, g_hash_table_unref);
  g_clear_pointer (&model->prior, g_hash_table_unref);
  g_free (model);
}

/**
 * payam_similarity_model_get_default:
 *
 * The built-in model: no corpus, only the prior; what the score uses without a store.
 * Its scores run higher than a corpus model's, so PAYAM_SIMILARITY_THRESHOLD decides
 * worse with it: give the model the texts being compared when there is no store.
 * Created once, thread-safe, never freed.
 *
 * Returns: (transfer none): the default model
 */
const PayamSimilarityModel *
payam_similarity_model_get_default (void)
{
  static PayamSimilarityModel *model = NULL;

  if (g_once_init_enter (&model))
    g_once_init_leave (&model, payam_similarity_model_new ());
  return model;
}

/**
 * payam_similarity_model_add_document:
 * @model: a model
 * @text: (nullable): a message as written (normalised here); NULL or empty adds an empty
 *   document
 *
 * Counts @text as one more document of the corpus: each distinct trigram and word of it
 * becomes a little more common. Signatures made before keep their old weights.
 */
void
payam_similarity_model_add_document (PayamSimilarityModel *model,
                                     const char           *text)
{
  g_autofree char *norm = NULL;

  g_return_if_fail (model != NULL);

  norm = _payam_similarity_prepare_text (&model->params, text);
  count_document (model, norm, 1);
  if (model->n_docs < G_MAXUINT)
    model->n_docs++;
  update_prior_factor (model);
}

/**
 * payam_similarity_model_remove_document:
 * @model: a model
 * @text: (nullable): the same text that was added
 *
 * Undoes payam_similarity_model_add_document() for @text (a request deleted or purged).
 * Counts never go below zero, also for a text that was never added.
 */
void
payam_similarity_model_remove_document (PayamSimilarityModel *model,
                                        const char           *text)
{
  g_autofree char *norm = NULL;

  g_return_if_fail (model != NULL);

  norm = _payam_similarity_prepare_text (&model->params, text);
  count_document (model, norm, -1);
  if (model->n_docs > 0)
    model->n_docs--;
  update_prior_factor (model);
}

/**
 * payam_similarity_model_add_common_text:
 * @model: a model
 * @text: (nullable): words that say nothing about the problem (a place name, a formula)
 *
 * Marks the words and trigrams of @text as common, like the built-in greetings and the
 * gazetteer's names: shared by two messages, they count for little. For the store's own
 * place names. Works only for models whose design has the prior (the product's does).
 */
void
payam_similarity_model_add_common_text (PayamSimilarityModel *model,
                                        const char           *text)
{
  g_return_if_fail (model != NULL);
  add_common (model, text);
}

/**
 * payam_similarity_model_get_n_documents:
 * @model: a model
 *
 * Returns: the number of documents added (and not removed)
 */
guint
payam_similarity_model_get_n_documents (const PayamSimilarityModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_docs;
}

/**
 * payam_text_signature_new:
 * @model: (nullable): corpus statistics; NULL for payam_similarity_model_get_default()
 * @text: (nullable): a message as written; NULL counts as ""
 *
 * Normalises @text once and prepares its weighted trigram and word vectors, so that it
 * can be scored against many others with payam_text_signature_score().
 *
 * Returns: (transfer full): the signature; free with payam_text_signature_free()
 */
PayamTextSignature *
payam_text_signature_new (const PayamSimilarityModel *model,
                          const char                 *text)
{
  return _payam_text_signature_new_prepared (model, text, NULL);
}

/**
 * _payam_text_signature_new_prepared:
 *
 * payam_text_signature_new() that also hands back the text as the scorer prepared it
 * (normalised, affixes joined) in *@prepared when not NULL (caller owns it), so that a
 * caller reading more from the text does not normalise it again.
 */
PayamTextSignature *
_payam_text_signature_new_prepared (const PayamSimilarityModel  *model,
                                    const char                  *text,
                                    char                       **prepared)
{
  g_autofree char *norm = NULL;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint32));
  PayamTextSignature *sig = g_new0 (PayamTextSignature, 1);

  if (model == NULL)
    model = payam_similarity_model_get_default ();

  norm = _payam_similarity_prepare_text (&model->params, text);
  if (prepared != NULL)
    *prepared = g_strdup (norm);
  _payam_similarity_collect_char_ids (&model->params, norm, chars);
  _payam_similarity_collect_word_ids (&model->params, norm, words);
  _payam_similarity_sort_ids (chars, FALSE);
  _payam_similarity_sort_ids (words, FALSE);

  /* Distinct grams are at most the occurrences; shrink after weighing. */
  sig->grams = g_new (PayamSignatureGram, (gsize) chars->len + words->len + 1);
  sig->n_char = weigh (model, chars, model->params.char_idf_power, sig->grams);
  sig->n_word = weigh (model, words, model->params.word_idf_power, sig->grams + sig->n_char);
  sig->grams = g_renew (PayamSignatureGram, sig->grams, (gsize) sig->n_char + sig->n_word + 1);
  sig->norm_hash = _payam_similarity_hash_text (norm);
  sig->char_weight = (float) model->params.char_weight;
  return sig;
}

/**
 * payam_text_signature_copy:
 * @signature: a signature
 *
 * Returns: (transfer full): a deep copy
 */
PayamTextSignature *
payam_text_signature_copy (const PayamTextSignature *signature)
{
  PayamTextSignature *copy;

  g_return_val_if_fail (signature != NULL, NULL);

  copy = g_memdup2 (signature, sizeof *signature);
  copy->grams = g_memdup2 (signature->grams,
                           ((gsize) signature->n_char + signature->n_word + 1)
                           * sizeof (PayamSignatureGram));
  return copy;
}

/**
 * payam_text_signature_free:
 * @signature: (nullable): a signature
 */
void
payam_text_signature_free (PayamTextSignature *signature)
{
  if (signature == NULL)
    return;
  g_free (signature->grams);
  g_free (signature);
}

/**
 * payam_text_signature_get_char_grams:
 * @signature: a signature
 * @n_grams: (out): the number of trigram features
 *
 * The trigram features, sorted by id, weights of unit length together (for an inverted
 * index: the ids are the posting keys).
 *
 * Returns: (transfer none) (array length=n_grams): the features
 */
const PayamSignatureGram *
payam_text_signature_get_char_grams (const PayamTextSignature *signature,
                                     guint                    *n_grams)
{
  g_return_val_if_fail (signature != NULL, NULL);
  g_return_val_if_fail (n_grams != NULL, NULL);

  *n_grams = signature->n_char;
  return signature->grams;
}

/**
 * payam_text_signature_get_word_grams:
 * @signature: a signature
 * @n_grams: (out): the number of word features
 *
 * Returns: (transfer none) (array length=n_grams): the word features, sorted by id
 */
const PayamSignatureGram *
payam_text_signature_get_word_grams (const PayamTextSignature *signature,
                                     guint                    *n_grams)
{
  g_return_val_if_fail (signature != NULL, NULL);
  g_return_val_if_fail (n_grams != NULL, NULL);

  *n_grams = signature->n_word;
  return signature->grams + signature->n_char;
}

/**
 * payam_text_signature_is_empty:
 * @signature: a signature
 *
 * Returns: TRUE when the text had nothing to match (empty, spaces, punctuation only)
 */
gboolean
payam_text_signature_is_empty (const PayamTextSignature *signature)
{
  g_return_val_if_fail (signature != NULL, TRUE);
  return signature->n_char == 0;
}

/**
 * payam_text_signature_score:
 * @a: a signature
 * @b: a signature made with the same model
 *
 * The similarity of two prepared texts: the trigram cosine and the word cosine mixed by
 * the model's design. Symmetric; 1 for equal normalised texts, 0 when either is empty.
 *
 * Returns: a score in [0, 1]
 */
double
payam_text_signature_score (const PayamTextSignature *a,
                            const PayamTextSignature *b)
{
  double cw;
  double score;

  g_return_val_if_fail (a != NULL, 0.0);
  g_return_val_if_fail (b != NULL, 0.0);

  if (a->n_char == 0 || b->n_char == 0)
    return 0.0;
  if (a->norm_hash == b->norm_hash)
    return 1.0;

  /* Both come from one model in practice; the mean keeps the score symmetric anyway. */
  cw = ((double) a->char_weight + (double) b->char_weight) / 2.0;
  score = cw * dot (a->grams, a->n_char, b->grams, b->n_char)
          + (1.0 - cw) * dot (a->grams + a->n_char, a->n_word, b->grams + b->n_char, b->n_word);

  return CLAMP (score, 0.0, 1.0);
}

/**
 * payam_text_signature_score_parts:
 *
 * The two cosines that payam_text_signature_score() mixes: character trigrams into
 * *char_cosine and stemmed words into *word_cosine, each in [0, 1] (0 when a side is
 * empty). Equal normalised texts give 1 for both. Either pointer may be NULL.
 */
void
payam_text_signature_score_parts (const PayamTextSignature *a,
                                  const PayamTextSignature *b,
                                  double                   *char_cosine,
                                  double                   *word_cosine)
{
  double c = 0.0, w = 0.0;

  g_return_if_fail (a != NULL);
  g_return_if_fail (b != NULL);

  if (a->n_char > 0 && b->n_char > 0)
    {
      if (a->norm_hash == b->norm_hash)
        c = w = 1.0;
      else
        {
          c = dot (a->grams, a->n_char, b->grams, b->n_char);
          w = dot (a->grams + a->n_char, a->n_word, b->grams + b->n_char, b->n_word);
        }
    }
  if (char_cosine != NULL)
    *char_cosine = CLAMP (c, 0.0, 1.0);
  if (word_cosine != NULL)
    *word_cosine = CLAMP (w, 0.0, 1.0);
}

/**
 * payam_similarity_score:
 * @model: (nullable): corpus statistics; NULL for payam_similarity_model_get_default()
 * @a: (nullable): a message as written
 * @b: (nullable): another message
 *
 * How alike two messages are, robust to Arabic or Persian letters, ZWNJ, digit forms,
 * word order and greeting formulas. Compare with PAYAM_SIMILARITY_THRESHOLD.
 *
 * Returns: a score in [0, 1]: 1 for the same normalised text, 0 when either is empty
 */
double
payam_similarity_score (const PayamSimilarityModel *model,
                        const char                 *a,
                        const char                 *b)
{
  g_autoptr(PayamTextSignature) sa = payam_text_signature_new (model, a);
  g_autoptr(PayamTextSignature) sb = payam_text_signature_new (model, b);

  return payam_text_signature_score (sa, sb);
}

/**
 * payam_similarity_is_duplicate:
 * @score: a score from payam_similarity_score()
 *
 * Returns: TRUE when @score reaches the product's threshold
 */
gboolean
payam_similarity_is_duplicate (double score)
{
  return score >= PAYAM_SIMILARITY_THRESHOLD;
}
