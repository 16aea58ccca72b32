/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Features of the similarity scorer: text preparation, stemming, gram ids and the prior's word lists. */
#define G_LOG_DOMAIN "payam-similarity"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-similarity-private.h"
#include "payam-text.h"

#define PRIOR_PATH "/ir/payam/Payam/core/data/similarity-prior.json"
#define PLACES_PATH "/ir/payam/Payam/core/data/places.json"

/* A word needs this many letters left after suffix stripping; at most this many suffixes
 * come off one word ("چراغهایشان" → "چراغهای" → "چراغ"). */
#define STEM_MIN_CHARS 3
#define STEM_MAX_STRIPS 3

/* Seeds that keep trigram ids and word ids apart in the one frequency table. */
#define SEED_CHAR 0x811C9DC5u
#define SEED_WORD 0x2F6B3A1Du

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

/* FNV-1a (64 bits) of the string @s. */
guint64
_payam_similarity_hash_text (const char *s)
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
char *
_payam_similarity_prepare_text (const PayamSimilarityParams *params,
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
void
_payam_similarity_collect_char_ids (const PayamSimilarityParams *params,
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
void
_payam_similarity_collect_word_ids (const PayamSimilarityParams *params,
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

/* Sorts the guint32 ids in @ids, and removes repeats when @unique. */
void
_payam_similarity_sort_ids (GArray   *ids,
                            gboolean  unique)
{
  guint w = 0;

  if (ids->len == 0)
    return;
  qsort (ids->data, ids->len, sizeof (guint32), compare_ids);
  if (!unique)
    return;
  for (guint r = 1; r < ids->len; r++)
    if (g_array_index (ids, guint32, r) != g_array_index (ids, guint32, w))
      g_array_index (ids, guint32, ++w) = g_array_index (ids, guint32, r);
  g_array_set_size (ids, w + 1);
}

/* Member @name of @object when it is an array, else NULL (also when @object is NULL). */
static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Element @i of @array when it is an object, else NULL. */
static JsonObject *
get_object_element (JsonArray *array,
                    guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Member "name" of @object when it is a string, else "". */
static const char *
get_name (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "name");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/* Appends the strings of the array member @name of @object to @out. */
static void
append_strings (JsonObject *object,
                const char *name,
                GPtrArray  *out)
{
  JsonArray *array = get_array (object, name);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (node)));
    }
}

/* The root object of the JSON resource at @path, or NULL. The resources are part of the
 * library, so failing to read one is a broken build: warn and go on without it. */
static JsonNode *
load_resource_object (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  bytes = g_resource_lookup_data (payam_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_warning ("%s unreadable for the similarity prior: %s", path,
                 error != NULL ? error->message : "not an object");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* The texts of the prior as written: [0] the common ones (fillers, formulas, location
 * words and every name in the gazetteer), [1] the grammatical words. Read once; never
 * freed. */
static GPtrArray **
load_prior_texts (void)
{
  GPtrArray **texts = g_new0 (GPtrArray *, 2);
  g_autoptr(JsonNode) prior = load_resource_object (PRIOR_PATH);
  g_autoptr(JsonNode) places = load_resource_object (PLACES_PATH);
  static const char *const lists[] = { "streets", "landmarks" };
  JsonArray *hoods;

  texts[0] = g_ptr_array_new_with_free_func (g_free);
  texts[1] = g_ptr_array_new_with_free_func (g_free);
  if (prior != NULL)
    {
      append_strings (json_node_get_object (prior), "fillers", texts[0]);
      append_strings (json_node_get_object (prior), "formulas", texts[0]);
      append_strings (json_node_get_object (prior), "locations", texts[0]);
      append_strings (json_node_get_object (prior), "grammar", texts[1]);
    }
  if (places == NULL)
    return texts;

  hoods = get_array (json_node_get_object (places), "neighbourhoods");
  for (guint h = 0; hoods != NULL && h < json_array_get_length (hoods); h++)
    {
      JsonObject *hood = get_object_element (hoods, h);

      if (hood == NULL)
        continue;
      g_ptr_array_add (texts[0], g_strdup (get_name (hood)));
      for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          JsonArray *array = get_array (hood, lists[l]);

          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            {
              JsonObject *place = get_object_element (array, i);

              if (place != NULL)
                g_ptr_array_add (texts[0], g_strdup (get_name (place)));
            }
        }
    }
  return texts;
}

/* The prior's texts as written: the common ones (@grammar FALSE) or the grammatical
 * words (@grammar TRUE). Read once from the resources, thread-safe, never freed. */
const GPtrArray *
_payam_similarity_prior_texts (gboolean grammar)
{
  static GPtrArray **texts = NULL;

  if (g_once_init_enter (&texts))
    g_once_init_leave (&texts, load_prior_texts ());
  return texts[grammar ? 1 : 0];
}
