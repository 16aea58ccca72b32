/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Features of a pair of messages for the duplicate pair model: text, numbers, negation, place, category, time, photos. */
#define G_LOG_DOMAIN "payam-pair"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "payam-pair-model.h"
#include "payam-similarity-private.h"

/* Numbers longer than this are phone or tracking numbers, not plates or poles. */
#define MAX_NUMBER_DIGITS 6
#define MAX_NUMBERS       16
/* Numbers this close (a neighbour's plate, the next pole) may name one place. */
#define NUMBERS_CLOSE     10
/* dHash distances (of 64 bits) for "the same scene" and "another scene". */
#define PHOTO_CLOSE_BITS  10
#define PHOTO_FAR_BITS    20

/* Words that negate a statement once normalised (affixes joined, so "نمی شود" is
 * "نمیشود"). Verbs negated with ن are matched by the prefixes below. */
static const char *const negation_words[] = {
  "نه", "نیست", "نیستند", "نبود", "نبوده", "نبودند", "هیچ", "بدون", "هرگز",
};
static const char *const negation_prefixes[] = {
  "نمی", "نشده", "نشد", "نکرده", "نکرد", "ندارد", "ندارند", "نمیکند", "نرفته", "نیامده",
  "نگرفته", "نزده", "نداده", "نکنید", "نمانده",
};

/* Opposite states: a pair in which one text says the first and the other the second
 * (and neither says both) describes two different things. */
static const char *const polarity_pairs[][2] = {
  { "خاموش", "روشن" },
  { "باز", "بسته" },
  { "پر", "خالی" },
  { "خراب", "سالم" },
  { "قطع", "وصل" },
  { "خشک", "خیس" },
  { "تمیز", "کثیف" },
  { "کم", "زیاد" },
  { "کمتر", "بیشتر" },
  { "اول", "آخر" },
  { "اولین", "آخرین" },
  { "قبل", "بعد" },
  { "بالای", "پایین" },
  { "شمال", "جنوب" },
  { "شرق", "غرب" },
  { "افزایش", "کاهش" },
  { "جدید", "قدیمی" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (polarity_pairs) <= 32);  /* two bits each in a guint64 */

/* Words that begin with ن but negate nothing, though what follows the ن is a word too
 * (نشان / شان، نبرد / برد، نبش / بش …). */
static const char *const not_negations[] = {
  "نشان", "نگاه", "نبرد", "نشست", "نیاز", "نیرو", "نوشت", "نوشته", "نگار", "نهار", "نبش",
  "نمود", "نهاد", "نزدیک", "نامه", "نتیجه", "نسبت", "نقطه", "نمایش", "نمونه", "نظام",
  "نشانه", "نگهبان", "نهایت", "نیمه", "نواحی", "نوار", "نوبت", "نزد",
};

struct _PayamPairText
{
  PayamTextSignature *signature;
  char              **numbers;   /* sorted, NULL-terminated */
  gboolean            negates;
  GArray             *pair_keys; /* pair_key() of each two neighbouring words, sorted */
  char              **negated;   /* pairs with a negated verb, stated ("قطع میشود" for
                                  * "قطع نمیشود"), sorted */
  GArray             *negated_keys; /* their pair_key(), sorted */
  guint               n_words;   /* words of the text, repeats counted */
  guint64             polarity;  /* bit 2k: says polarity_pairs[k][0]; bit 2k+1: [k][1] */
  GArray             *word_keys; /* g_str_hash() of each word, sorted */
};

/* Words that say what kind of street a name is, left out when a street's name is looked
 * for in a text ("خیابان نصرت" is named by "نصرت"). */
static const char *const street_kinds[] = {
  "خیابان", "خ", "کوچه", "کوچهٔ", "کوچه‌ی", "بلوار", "بزرگراه", "بن‌بست", "بنبست", "کوی",
  "میدان", "خیابون",
};

static gboolean
word_in (const char        *word,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (word, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
word_has_prefix (const char        *word,
                 const char *const *list,
                 gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_has_prefix (word, list[i]))
      return TRUE;
  return FALSE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The strings of the set @set copied into a sorted, NULL-terminated vector. */
static char **
sorted_strv (GHashTable *set)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (set, &n);
  char **out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (keys[i]);
  qsort (out, n, sizeof (char *), compare_strings);
  return out;
}

/* Two neighbouring words as one 64-bit key: a key per pair of words, no string built (the
 * second stage prepares ten texts a query). Two pairs share a key only when both their
 * words' 32-bit hashes collide. */
static guint64
pair_key (const char *first,
          const char *second)
{
  return (guint64) g_str_hash (first) << 32 | g_str_hash (second);
}

static int
compare_keys (const void *a,
              const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Whether @key is in @sorted (a sorted GArray of guint64). */
static gboolean
has_key (GArray  *sorted,
         guint64  key)
{
  /* An empty GArray has no data: bsearch must not be given NULL even for no elements. */
  return sorted->len > 0
         && bsearch (&key, sorted->data, sorted->len, sizeof (guint64), compare_keys) != NULL;
}

/* What a number counts, from the word before it: 'p' a plate (پلاک and its common
 * misspellings), 'a' an alley (کوچه), 't' a pole (تیر، پایه), 'n' anything else. */
static char
number_kind (const char *before)
{
  if (before == NULL)
    return 'n';
  if (g_str_has_prefix (before, "کوچه"))
    return 'a';
  if (g_str_has_prefix (before, "تیر") || g_str_has_prefix (before, "پایه"))
    return 't';
  if (g_str_has_prefix (before, "پ") && strstr (before, "ل") != NULL &&
      g_utf8_strlen (before, -1) <= 5)
    return 'p';
  return 'n';
}

/* The numbers of @words (a normalised text split at spaces: ASCII digits): each word of
 * digits up to MAX_NUMBER_DIGITS long, leading zeros dropped, prefixed with its kind and
 * a colon ("p:12"), distinct and sorted. */
static char **
collect_numbers (char **words)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  const char *before = NULL;

  for (guint i = 0; words[i] != NULL && out->len < MAX_NUMBERS; i++)
    {
      const char *w = words[i];
      gsize len = strlen (w);
      gboolean digits = len > 0;

      for (gsize k = 0; k < len && digits; k++)
        digits = g_ascii_isdigit (w[k]);
      if (!digits)
        {
          /* "کوچه ی 12": the ezafe written apart is not the word that says what 12 is. */
          if (!g_str_equal (w, "ی"))
            before = w;
          continue;
        }
      while (len > 1 && *w == '0')
        {
          w++;
          len--;
        }
      if (len <= MAX_NUMBER_DIGITS)
        {
          g_autofree char *n = g_strdup_printf ("%c:%s", number_kind (before), w);
          gboolean seen = FALSE;

          for (guint j = 0; j < out->len && !seen; j++)
            seen = g_str_equal (out->pdata[j], n);
          if (!seen)
            g_ptr_array_add (out, g_steal_pointer (&n));
        }
      before = NULL;
    }
  if (out->len > 1)
    qsort (out->pdata, out->len, sizeof (gpointer), compare_strings);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * payam_pair_text_new:
 * @model: (nullable): the corpus model the signature is weighed under
 * @text: a message as written
 *
 * Returns: (transfer full): the text prepared for payam_pair_features()
 */
PayamPairText *
payam_pair_text_new (const PayamSimilarityModel *model,
                     const char                 *text)
{
  PayamPairText *self = g_new0 (PayamPairText, 1);
  g_autofree char *norm = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GHashTable) negated = NULL;  /* made at the first negated verb: most texts have none */
  const char *previous = NULL;

  g_return_val_if_fail (text != NULL, self);

  self->pair_keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->negated_keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->word_keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  /* The scorer's prepared text: normalised once, with "نمی شود" already "نمیشود". */
  self->signature = _payam_text_signature_new_prepared (model, text, &norm);
  words = g_strsplit (norm, " ", -1);
  self->numbers = collect_numbers (words);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      const char *affirmed = NULL;

      if (w[0] == '\0')
        continue;
      self->n_words++;
      {
        guint64 word_key = g_str_hash (w);

        g_array_append_val (self->word_keys, word_key);
      }
      if (previous != NULL)
        {
          guint64 key = pair_key (previous, w);

          g_array_append_val (self->pair_keys, key);
        }
      /* "نمی" and "نه" alone (a space where ZWNJ belonged) negate the next word. */
      if (word_in (w, negation_words, G_N_ELEMENTS (negation_words)) ||
          (g_utf8_strlen (w, -1) >= 3 &&
           word_has_prefix (w, negation_prefixes, G_N_ELEMENTS (negation_prefixes))))
        self->negates = TRUE;
      /* What a negated verb states without its negation, with the word before it (a verb
       * alone, است above all, says too little): "کج نیست" → "کج است"، "قطع نمیشود" →
       * "قطع میشود"، "درست نشده" → "درست شده" (at least three letters left after the ن,
       * and not a word of its own like نشان). */
      if (g_str_equal (w, "نیست"))
        affirmed = "است";
      else if (g_str_equal (w, "نیستند"))
        affirmed = "هستند";
      else if (g_str_has_prefix (w, "ن") && g_utf8_strlen (w, -1) >= 4 &&
               !word_in (w, not_negations, G_N_ELEMENTS (not_negations)))
        affirmed = w + strlen ("ن");
      if (affirmed != NULL && previous != NULL && negated == NULL)
        negated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (affirmed != NULL && previous != NULL &&
          g_hash_table_add (negated, g_strconcat (previous, " ", affirmed, NULL)))
        {
          guint64 key = pair_key (previous, affirmed);

          g_array_append_val (self->negated_keys, key);
        }
      previous = w;
      for (guint k = 0; k < G_N_ELEMENTS (polarity_pairs); k++)
        for (guint side = 0; side < 2; side++)
          if (g_str_equal (w, polarity_pairs[k][side]))
            self->polarity |= G_GUINT64_CONSTANT (1) << (2 * k + side);
    }
  g_array_sort (self->pair_keys, compare_keys);
  g_array_sort (self->negated_keys, compare_keys);
  g_array_sort (self->word_keys, compare_keys);
  self->negated = negated != NULL ? sorted_strv (negated) : g_new0 (char *, 1);
  return self;
}

void
payam_pair_text_free (PayamPairText *text)
{
  if (text == NULL)
    return;
  g_clear_pointer (&text->signature, payam_text_signature_free);
  g_strfreev (text->numbers);
  g_clear_pointer (&text->pair_keys, g_array_unref);
  g_clear_pointer (&text->negated_keys, g_array_unref);
  g_clear_pointer (&text->word_keys, g_array_unref);
  g_strfreev (text->negated);
  g_free (text);
}

const PayamTextSignature *
payam_pair_text_get_signature (const PayamPairText *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return text->signature;
}

const char * const *
payam_pair_text_get_numbers (const PayamPairText *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return (const char * const *) text->numbers;
}

gboolean
payam_pair_text_negates (const PayamPairText *text)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return text->negates;
}

const char * const *
payam_pair_text_get_negated (const PayamPairText *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return (const char * const *) text->negated;
}

static const char *const feature_names[PAYAM_PAIR_N_FEATURES] = {
  [PAYAM_PAIR_F_TEXT] = "text",
  [PAYAM_PAIR_F_CHAR_COSINE] = "char_cosine",
  [PAYAM_PAIR_F_WORD_COSINE] = "word_cosine",
  [PAYAM_PAIR_F_NUMBERS_SHARED] = "numbers_shared",
  [PAYAM_PAIR_F_NUMBERS_CLOSE] = "numbers_close",
  [PAYAM_PAIR_F_NUMBERS_CONFLICT] = "numbers_conflict",
  [PAYAM_PAIR_F_NEGATION_DIFFERS] = "negation_differs",
  [PAYAM_PAIR_F_POLARITY_CONFLICT] = "polarity_conflict",
  [PAYAM_PAIR_F_BOTH_LOCATED] = "both_located",
  [PAYAM_PAIR_F_NEAR] = "near",
  [PAYAM_PAIR_F_SAME_STREET] = "same_street",
  [PAYAM_PAIR_F_OTHER_STREET] = "other_street",
  [PAYAM_PAIR_F_SAME_LANDMARK] = "same_landmark",
  [PAYAM_PAIR_F_PLACE_UNKNOWN] = "place_unknown",
  [PAYAM_PAIR_F_SAME_CATEGORY] = "same_category",
  [PAYAM_PAIR_F_RELATED_CATEGORY] = "related_category",
  [PAYAM_PAIR_F_LOG_DAYS] = "log_days",
  [PAYAM_PAIR_F_OVER_14_DAYS] = "over_14_days",
  [PAYAM_PAIR_F_TEXT_NEAR] = "text_near",
  [PAYAM_PAIR_F_PHOTOS_CLOSE] = "photos_close",
  [PAYAM_PAIR_F_PHOTOS_FAR] = "photos_far",
  [PAYAM_PAIR_F_LENGTH_RATIO] = "length_ratio",
  [PAYAM_PAIR_F_NEGATION_CONFLICT] = "negation_conflict",
  [PAYAM_PAIR_F_PLACE_IN_TEXT] = "place_in_text",
};

const char *
payam_pair_feature_name (PayamPairFeature feature)
{
  g_return_val_if_fail (feature < PAYAM_PAIR_N_FEATURES, NULL);
  return feature_names[feature];
}

guint
payam_pair_hash_distance (guint64 a,
                          guint64 b)
{
  return (guint) __builtin_popcountll (a ^ b);
}

static gboolean
given (const char *s)
{
  return s != NULL && s[0] != '\0';
}

double
payam_pair_distance_m (double lat1,
                       double lon1,
                       double lat2,
                       double lon2)
{
  double p1 = lat1 * G_PI / 180.0, p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180.0;
  double h = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 2.0 * 6371008.8 * asin (MIN (1.0, sqrt (h)));
}

/* The smallest difference between a number of @a and one of the same kind in @b (0:
 * they share one), or -1 when no kind of number is in both. */
static gint64
numbers_gap (char * const *a,
             char * const *b)
{
  gint64 best = -1;

  for (; *a != NULL; a++)
    for (char * const *q = b; *q != NULL; q++)
      {
        gint64 d;

        if ((*a)[0] != (*q)[0])
          continue;
        d = g_ascii_strtoll (*a + 2, NULL, 10) - g_ascii_strtoll (*q + 2, NULL, 10);
        d = d < 0 ? -d : d;
        best = best < 0 ? d : MIN (best, d);
      }
  return best;
}

/* Whether @a negates a verb that @b states after the same word and does not negate there
 * itself ("قطع نمیشود" / "قطع میشود"). */
static gboolean
negates_what_other_states (const PayamPairText *a,
                           const PayamPairText *b)
{
  for (guint i = 0; i < a->negated_keys->len; i++)
    {
      guint64 key = g_array_index (a->negated_keys, guint64, i);

      if (has_key (b->pair_keys, key) && !has_key (a->pair_keys, key) &&
          !has_key (b->negated_keys, key))
        return TRUE;
    }
  return FALSE;
}

static gboolean
polarity_conflict (guint64 a,
                   guint64 b)
{
  for (guint k = 0; k < G_N_ELEMENTS (polarity_pairs); k++)
    {
      guint64 sa = (a >> (2 * k)) & 3, sb = (b >> (2 * k)) & 3;

      if ((sa == 1 && sb == 2) || (sa == 2 && sb == 1))
        return TRUE;
    }
  return FALSE;
}

/* Whether @text names the place @name: every word of @name, normalised as texts are and
 * without the words of @skip (the kind of street), is a word of @text. */
static gboolean
named_in (const char          *name,
          const char *const   *skip,
          gsize                n_skip,
          const PayamPairText *text)
{
  g_autofree char *norm = _payam_similarity_prepare_text (_payam_similarity_default_params (), name);
  g_auto(GStrv) words = g_strsplit (norm, " ", -1);
  guint found = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0' || word_in (words[i], skip, n_skip))
        continue;
      if (!has_key (text->word_keys, g_str_hash (words[i])))
        return FALSE;
      found++;
    }
  return found > 0;
}

static gboolean
place_named_in (const PayamPairSide *a,
                const PayamPairText *other)
{
  return (given (a->street) && named_in (a->street, street_kinds, G_N_ELEMENTS (street_kinds), other)) ||
         (given (a->landmark) && named_in (a->landmark, NULL, 0, other));
}

/**
 * payam_pair_features:
 *
 * See payam-pair-model.h. The category relation needs the categories' related lists:
 * a side names them in related_categories; "other" relates to everything. Photo features
 * are 0 unless both sides have at least one photo hash.
 */
void
payam_pair_features (const PayamPairSide *a,
                     const PayamPairSide *b,
                     double              *out)
{
  double text, near = 0.0, place;
  gboolean same_street, same_landmark;

  g_return_if_fail (a != NULL && a->text != NULL);
  g_return_if_fail (b != NULL && b->text != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof (double) * PAYAM_PAIR_N_FEATURES);
  text = payam_text_signature_score (a->text->signature, b->text->signature);
  out[PAYAM_PAIR_F_TEXT] = text;
  payam_text_signature_score_parts (a->text->signature, b->text->signature,
                                    &out[PAYAM_PAIR_F_CHAR_COSINE],
                                    &out[PAYAM_PAIR_F_WORD_COSINE]);

  {
    gint64 gap = numbers_gap (a->text->numbers, b->text->numbers);

    if (gap >= 0)
      {
      out[PAYAM_PAIR_F_NUMBERS_SHARED] = gap == 0;
      out[PAYAM_PAIR_F_NUMBERS_CLOSE] = gap > 0 && gap <= NUMBERS_CLOSE;
      out[PAYAM_PAIR_F_NUMBERS_CONFLICT] = gap > NUMBERS_CLOSE;
      }
  }
  out[PAYAM_PAIR_F_NEGATION_DIFFERS] = a->text->negates != b->text->negates;
  out[PAYAM_PAIR_F_POLARITY_CONFLICT] = polarity_conflict (a->text->polarity,
                                                           b->text->polarity);
  out[PAYAM_PAIR_F_NEGATION_CONFLICT] = negates_what_other_states (a->text, b->text) ||
                                        negates_what_other_states (b->text, a->text);
  if (a->text->n_words > 0 && b->text->n_words > 0)
    out[PAYAM_PAIR_F_LENGTH_RATIO] = (double) MIN (a->text->n_words, b->text->n_words) /
                                     (double) MAX (a->text->n_words, b->text->n_words);

  same_street = given (a->street) && given (b->street) && g_str_equal (a->street, b->street);
  same_landmark = given (a->landmark) && given (b->landmark) &&
                  g_str_equal (a->landmark, b->landmark);
  if (a->has_location && b->has_location)
    {
      out[PAYAM_PAIR_F_BOTH_LOCATED] = 1.0;
      near = exp (-payam_pair_distance_m (a->lat, a->lon, b->lat, b->lon) / 150.0);
      out[PAYAM_PAIR_F_NEAR] = near;
    }
  out[PAYAM_PAIR_F_SAME_STREET] = same_street;
  out[PAYAM_PAIR_F_OTHER_STREET] = given (a->street) && given (b->street) && !same_street;
  out[PAYAM_PAIR_F_SAME_LANDMARK] = same_landmark;
  out[PAYAM_PAIR_F_PLACE_IN_TEXT] = place_named_in (a, b->text) || place_named_in (b, a->text);
  out[PAYAM_PAIR_F_PLACE_UNKNOWN] = !(a->has_location && b->has_location) &&
                                    !(given (a->street) && given (b->street)) &&
                                    !(given (a->landmark) && given (b->landmark));
  place = a->has_location && b->has_location ? near
          : (same_street || same_landmark) ? 0.6 : 0.0;

  if (given (a->category) && given (b->category))
    {
      gboolean same = g_str_equal (a->category, b->category);
      gboolean related = !same && (g_str_equal (a->category, "other") ||
                                   g_str_equal (b->category, "other") ||
                                   (a->categories_related || b->categories_related));

      out[PAYAM_PAIR_F_SAME_CATEGORY] = same;
      out[PAYAM_PAIR_F_RELATED_CATEGORY] = related;
    }
  {
    double days = fabs ((double) (a->created - b->created)) / 86400.0;

    out[PAYAM_PAIR_F_LOG_DAYS] = log1p (days);
    out[PAYAM_PAIR_F_OVER_14_DAYS] = days > 14.0;
  }
  out[PAYAM_PAIR_F_TEXT_NEAR] = text * place;

  if (a->n_photo_hashes > 0 && b->n_photo_hashes > 0)
    {
      guint best = 64;

      for (guint i = 0; i < a->n_photo_hashes; i++)
        for (guint j = 0; j < b->n_photo_hashes; j++)
          best = MIN (best, payam_pair_hash_distance (a->photo_hashes[i], b->photo_hashes[j]));
      out[PAYAM_PAIR_F_PHOTOS_CLOSE] = best <= PHOTO_CLOSE_BITS;
      out[PAYAM_PAIR_F_PHOTOS_FAR] = best > PHOTO_FAR_BITS;
    }
}
