/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text similarity of short Persian messages: trigram and word TF-IDF cosines mixed into one score. */
#define G_LOG_DOMAIN "payam-similarity"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-similarity.h"
#include "payam-similarity-private.h"
#include "payam-text.h"

#define PLACES_PATH "/ir/payam/Payam/core/data/places.json"

/* The prior's common grams (greetings, location words, place names) keep this fraction
 * of the IDF that the corpus gives them while the corpus is small; the prior stands in
 * for evidence and fades as documents come, halfway at PRIOR_FADE_DOCUMENTS. */
#define PRIOR_IDF_FACTOR 0.3
#define PRIOR_FADE_DOCUMENTS 1000.0

/* A word needs this many letters left after suffix stripping; at most this many suffixes
 * come off one word ("خیابانهایشان" → "خیابان"). */
#define STEM_MIN_CHARS 3
#define STEM_MAX_STRIPS 3

/* Seeds that keep trigram ids and word ids apart in the one frequency table. */
#define SEED_CHAR 0x811C9DC5u
#define SEED_WORD 0x2F6B3A1Du

struct _PayamSimilarityModel
{
  /* owned */
  GHashTable           *df;     /* gram id → number of documents holding it */
  GHashTable           *prior;  /* gram ids of the filler formulas (a set) */
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

/* Designs measured in bench/duplicates (see the report in its README): word-bounded
 * trigrams with squared IDF carry most of the signal, stemmed words with IDF^1.5 add to it. */
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

/* Greeting, politeness and request formulas of messages to the municipality. They say
 * nothing about the problem, so two different complaints that both open with "سلام،
 * لطفاً رسیدگی کنید" must not look alike. Grammatical words (و، به، از …) are not here:
 * on real pairs, weighting them down made the score worse (bench/duplicates). Written
 * naturally; normalised when the prior is built. */
static const char *const fillers[] = {
  "سلام", "درود", "احتراماً", "احترام", "ادب", "عرض",
  "تشکر", "باتشکر", "ممنون", "ممنونم", "سپاس", "سپاسگزارم", "متشکرم", "مرسی",
  "لطفاً", "لطفا", "خواهشمند", "خواهشمندم", "خواهشمندیم", "خواهش",
  "محترم", "شهرداری", "عزیز", "جناب", "اینجانب", "بنده",
  "وقت", "بخیر", "خسته", "نباشید",
  "رسیدگی", "پیگیری", "بفرمایید", "فرمایید", "نمایید", "کنید",
  "مسئولین", "مسئولان", "مسئول",
  /* the common formulas whole, so that the trigrams across their words count as common */
  "سلام وقت بخیر", "با سلام و احترام", "سلام و عرض ادب", "با سلام", "با تشکر", "با احترام",
  "لطفاً رسیدگی کنید", "لطفاً رسیدگی شود", "لطفاً پیگیری کنید", "رسیدگی فرمایید",
  "خسته نباشید", "شهرداری محترم", "مسئولین محترم", "لطفاً اقدام کنید",
};

/* The commonest grammatical words of Persian. Only the design with grammar_prior uses
 * them: on real pairs, weighting them down as well lowered the score's quality (see
 * bench/duplicates), so the product leaves them to the corpus frequencies. */
static const char *const grammar_words[] = {
  "و", "در", "به", "از", "که", "این", "آن", "را", "با", "است", "برای", "یک", "تا", "بر",
  "هم", "نیز", "یا", "اما", "اگر", "هر", "ها", "های", "می", "نمی", "شد", "شده", "بود",
  "باشد", "کرد", "کرده", "کند", "کنند", "شود", "دارد", "هست", "نیست", "خود", "ما", "من",
  "او", "رو", "هم", "چون", "ولی", "همه", "دیگر", "بعد", "قبل",
};

/* Words that say where, not what. Place is weighed by the candidate index on its own
 * (distance, street, neighbourhood), so a shared street name must not make two different
 * problems look alike. The gazetteer's names (data/places.json) join them. */
static const char *const location_words[] = {
  "خیابان", "کوچه", "کوچهٔ", "بن‌بست", "میدان", "چهارراه", "بلوار", "اتوبان", "محله",
  "محلهٔ", "پلاک", "نبش", "جلوی", "جلو", "کنار", "روبه‌روی", "روبروی", "پشت", "نزدیک",
  "انتهای", "ابتدای", "سر", "وسط", "داخل", "شمالی", "جنوبی", "شرقی", "غربی", "شهید",
  /* ordinals name alleys and streets ("کوچه دوازدهم") */
  "اول", "یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم",
  "یازدهم", "دوازدهم", "سیزدهم", "چهاردهم", "پانزدهم", "شانزدهم", "هفدهم", "هجدهم",
  "نوزدهم", "بیستم",
};

/* Suffixes stripped by the light stemmer, longest first: plural (ها، ان، ات),
 * comparative and superlative (تر، ترین), ezafe/indefinite ی, possessive clitics and
 * the commonest verb endings. */
static const char *const suffixes[] = {
  "ترین",
  "های", "مان", "تان", "شان",
  "ها", "تر", "ان", "ات", "ند", "ید", "یم",
  "ی", "م", "ت", "ش", "د",
};

/* Affixes that ZWNJ (a space after normalisation) or a real space often separates from
 * their word: they are joined back, so "زباله‌ها", "زبالهها" and "زباله ها" are one word. */
static const char *const suffix_words[] = {
  "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
  "تر", "ترین", "ای", "اند", "ام", "ایم", "اید", "اش",
};
static const char *const prefix_words[] = { "می", "نمی" };

/* FNV-1a over @len bytes of @data from @seed, then a final avalanche so that ids spread
 * evenly (the candidate index may bucket them by their low bits). */
static guint32
hash_bytes (guint32     seed,
            const char *data,
            gsize       len)
{
  guint32 h = seed;

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) data[i];
      h *= 16777619u;
    }
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

static guint64
hash_string64 (const char *s)
{
  guint64 h = 14695981039346656037ull;

  for (; *s != '\0'; s++)
    {
      h ^= (guchar) *s;
      h *= 1099511628211ull;
    }
  return h;
}

/* Length in bytes of the suffix of @word (@len bytes) to strip, or 0. */
static gsize
strippable_suffix (const char *word,
                   gsize       len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize slen = strlen (suffixes[i]);

      if (slen < len && memcmp (word + len - slen, suffixes[i], slen) == 0
          && g_utf8_strlen (word, (gssize) (len - slen)) >= STEM_MIN_CHARS)
        return slen;
    }
  return 0;
}

/* The byte length of the stem of @word (@len bytes of valid UTF-8). */
static gsize
stem_length (const char *word,
             gsize       len)
{
  for (int i = 0; i < STEM_MAX_STRIPS; i++)
    {
      gsize cut = strippable_suffix (word, len);

      if (cut == 0)
        break;
      len -= cut;
    }
  return len;
}

/**
 * _payam_similarity_stem:
 * @word: one normalised word
 *
 * Returns: (transfer full): the stem the scorer uses for @word
 */
char *
_payam_similarity_stem (const char *word)
{
  g_return_val_if_fail (word != NULL, NULL);
  return g_strndup (word, stem_length (word, strlen (word)));
}

static gboolean
in_list (const char        *word,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (word, list[i]))
      return TRUE;
  return FALSE;
}

/* @text normalised for matching, with separated affixes joined to their word when the
 * design asks for it. The caller owns the result. */
static char *
prepare_text (const PayamSimilarityParams *params,
              const char                  *text)
{
  g_autofree char *norm = payam_text_normalize (text);
  g_auto(GStrv) words = NULL;
  GString *out;
  gboolean glue_next = FALSE;

  if (!params->join_affixes || *norm == '\0')
    return g_steal_pointer (&norm);

  words = g_strsplit (norm, " ", -1);
  out = g_string_sized_new (strlen (norm) + 1);
  for (gsize i = 0; words[i] != NULL; i++)
    {
      gboolean suffix = out->len > 0 && !glue_next
                        && in_list (words[i], suffix_words, G_N_ELEMENTS (suffix_words));

      if (out->len > 0 && !glue_next && !suffix)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      glue_next = words[i + 1] != NULL
                  && in_list (words[i], prefix_words, G_N_ELEMENTS (prefix_words));
    }
  return g_string_free (out, FALSE);
}

static int
compare_ids (const void *a,
             const void *b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/* The trigram ids of @s (@len bytes of valid UTF-8) appended to @ids, one per
 * occurrence; a string shorter than three characters gives one gram of its own. */
static void
collect_trigrams (const char *s,
                  gsize       len,
                  GArray     *ids)
{
  const char *p0 = s;
  const char *p1;
  const char *p2;
  const char *end = s + len;

  if (len == 0)
    return;
  p1 = g_utf8_next_char (p0);
  p2 = p1 < end ? g_utf8_next_char (p1) : end;
  if (p2 >= end)
    {
      guint32 id = hash_bytes (SEED_CHAR, s, len);

      g_array_append_val (ids, id);
      return;
    }

  while (p2 < end)
    {
      const char *p3 = g_utf8_next_char (p2);
      guint32 id = hash_bytes (SEED_CHAR, p0, (gsize) (p3 - p0));

      g_array_append_val (ids, id);
      p0 = p1;
      p1 = p2;
      p2 = p3;
    }
}

/* The character-trigram ids of @norm (normalised text) appended to @ids, one per
 * occurrence, by the design's gram mode: each word padded with spaces on its own (word
 * starts and ends are features, nothing crosses words), the whole text padded (trigrams
 * also span two words), or the text with its spaces removed. */
static void
collect_char_ids (const PayamSimilarityParams *params,
                  const char                  *norm,
                  GArray                      *ids)
{
  g_autoptr(GString) s = g_string_sized_new (strlen (norm) + 2);

  if (*norm == '\0')
    return;

  switch (params->gram_mode)
    {
    case PAYAM_GRAMS_PER_WORD:
      for (const char *p = norm; *p != '\0';)
        {
          const char *space = strchr (p, ' ');
          gsize len = space != NULL ? (gsize) (space - p) : strlen (p);

          g_string_truncate (s, 0);
          g_string_append_c (s, ' ');
          g_string_append_len (s, p, (gssize) len);
          g_string_append_c (s, ' ');
          collect_trigrams (s->str, s->len, ids);
          p += len;
          while (*p == ' ')
            p++;
        }
      return;
    case PAYAM_GRAMS_ACROSS_WORDS:
      g_string_append_printf (s, " %s ", norm);
      break;
    case PAYAM_GRAMS_COMPACT:
    default:
      for (const char *p = norm; *p != '\0'; p++)
        if (*p != ' ')
          g_string_append_c (s, *p);
      break;
    }
  collect_trigrams (s->str, s->len, ids);
}

/* The word ids of @norm appended to @ids, one per occurrence, stemmed when asked. */
static void
collect_word_ids (const PayamSimilarityParams *params,
                  const char                  *norm,
                  GArray                      *ids)
{
  const char *p = norm;

  while (*p != '\0')
    {
      const char *end = strchr (p, ' ');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

      if (len > 0)
        {
          gsize keep = params->stem ? stem_length (p, len) : len;
          guint32 id = hash_bytes (SEED_WORD, p, keep);

          g_array_append_val (ids, id);
        }
      p += len;
      while (*p == ' ')
        p++;
    }
}

/* Sorts @ids and removes repeats. */
static void
sort_unique (GArray *ids)
{
  guint w = 0;

  if (ids->len == 0)
    return;
  qsort (ids->data, ids->len, sizeof (guint32), compare_ids);
  for (guint r = 1; r < ids->len; r++)
    if (g_array_index (ids, guint32, r) != g_array_index (ids, guint32, w))
      g_array_index (ids, guint32, ++w) = g_array_index (ids, guint32, r);
  g_array_set_size (ids, w + 1);
}

/* The IDF of @id under @model, raised to @power: ln((N + 1) / (df + 1)) + 1, never below
 * 1 (also if documents were removed that were never added), and a fixed fraction of that
 * for the prior's common grams, whatever the size of the corpus. */
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

/* Adds the distinct grams of @text (already normalised) to @model's frequencies, or
 * takes them away when @delta is -1 (never below zero). */
static void
count_document (PayamSimilarityModel *model,
                const char           *norm,
                int                   delta)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *lists[] = { chars, words };

  collect_char_ids (&model->params, norm, chars);
  collect_word_ids (&model->params, norm, words);

  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      sort_unique (lists[l]);
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
  g_autofree char *norm = prepare_text (&model->params, text);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  collect_char_ids (&model->params, norm, ids);
  collect_word_ids (&model->params, norm, ids);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (model->prior, GUINT_TO_POINTER (g_array_index (ids, guint32, i)));
}

/* Adds the name of every neighbourhood, street and landmark in the compiled-in gazetteer
 * to @model's prior. The resource is part of the library, so failing to read it is a
 * broken build: warn and go on without it. */
static void
add_gazetteer (PayamSimilarityModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char *const lists[] = { "streets", "landmarks" };
  JsonObject *root;
  JsonArray *hoods;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (payam_core_get_resource (), PLACES_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_warning ("Gazetteer unreadable for the similarity prior: %s",
                 error != NULL ? error->message : "not an object");
      return;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  hoods = json_object_get_array_member (root, "neighbourhoods");
  for (guint h = 0; hoods != NULL && h < json_array_get_length (hoods); h++)
    {
      JsonObject *hood = json_array_get_object_element (hoods, h);

      if (hood == NULL)
        continue;
      add_common (model, json_object_get_string_member_with_default (hood, "name", ""));
      for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          JsonArray *places = json_object_get_array_member (hood, lists[l]);

          for (guint i = 0; places != NULL && i < json_array_get_length (places); i++)
            {
              JsonObject *place = json_array_get_object_element (places, i);

              if (place != NULL)
                add_common (model, json_object_get_string_member_with_default (place, "name", ""));
            }
        }
    }
}

/* Fills @model->prior: filler formulas, location words and the gazetteer's names. */
static void
build_prior (PayamSimilarityModel *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fillers); i++)
    add_common (model, fillers[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (location_words); i++)
    add_common (model, location_words[i]);
  if (model->params.grammar_prior)
    for (gsize i = 0; i < G_N_ELEMENTS (grammar_words); i++)
      add_common (model, grammar_words[i]);
  add_gazetteer (model);
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
 * An empty model (only the filler prior, if @params asks for it) for another design.
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
 * A model with no documents yet: every gram counts as rare except the built-in filler
 * formulas. Feed it the corpus with payam_similarity_model_add_document().
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
 * The built-in model: no corpus, only the filler prior; what the score uses without a
 * store. Created once, thread-safe, never freed.
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

  norm = prepare_text (&model->params, text);
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

  norm = prepare_text (&model->params, text);
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
  g_autofree char *norm = NULL;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint32));
  PayamTextSignature *sig = g_new0 (PayamTextSignature, 1);

  if (model == NULL)
    model = payam_similarity_model_get_default ();

  norm = prepare_text (&model->params, text);
  collect_char_ids (&model->params, norm, chars);
  collect_word_ids (&model->params, norm, words);
  if (chars->len > 0)
    qsort (chars->data, chars->len, sizeof (guint32), compare_ids);
  if (words->len > 0)
    qsort (words->data, words->len, sizeof (guint32), compare_ids);

  /* Distinct grams are at most the occurrences; shrink after weighing. */
  sig->grams = g_new (PayamSignatureGram, (gsize) chars->len + words->len + 1);
  sig->n_char = weigh (model, chars, model->params.char_idf_power, sig->grams);
  sig->n_word = weigh (model, words, model->params.word_idf_power, sig->grams + sig->n_char);
  sig->grams = g_renew (PayamSignatureGram, sig->grams, (gsize) sig->n_char + sig->n_word + 1);
  sig->norm_hash = hash_string64 (norm);
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
