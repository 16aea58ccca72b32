/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Category suggestions: words of a short description scored against each category's words. */
#define G_LOG_DOMAIN "payam-category"
#include "config.h"

#include <math.h>
#include <string.h>

#include "payam-category-suggest.h"
#include "payam-priority.h"
#include "payam-text.h"

/* How much a word counts by where the category has it: its name says most; the everyday
 * words below and the guidance and examples count alike. */
#define WEIGHT_NAME      1.5
#define WEIGHT_KEYWORD   1.2
#define WEIGHT_TEXT      1.0
/* A word that only shares its start with a category word ("شکستگی", "شکسته"). */
#define PARTIAL_FACTOR   0.6
/* What a phrase of the everyday words ("چراغ راهنمایی") adds when the text holds it whole:
 * together its words mean more than each alone ("چراغ" is also a street lamp). */
#define PHRASE_BONUS     3.0
/* What a hazard of the lexicon adds to the categories it points to. */
#define HAZARD_BONUS     4.0
/* Below this a category is not suggested: one distinctive shared word is enough, a word
 * that half the categories share is not. */
#define MIN_SCORE        0.9

/* Words that say nothing about the kind of problem, as payam_text_normalize writes them
 * (ا for آ, ZWNJ seams as spaces): function words, time and place words every category's
 * text uses, and the guidance's own instructions. */
static const char *const stop_words[] = {
  "و", "از", "در", "به", "که", "را", "رو", "با", "این", "ان", "است", "هست", "نیست",
  "شده", "شد", "اند", "ایم", "یا", "تا", "هم", "برای", "کنار", "جلوی", "جلو", "سر",
  "نزدیک", "بعد", "قبل", "روی", "زیر", "پیش", "وسط", "کجا", "کجاست", "کی", "چه", "چی",
  "چند", "یک", "دو", "سه", "بنویسید", "بگویید", "دقیقا", "حتما", "اگر", "مثل", "می",
  "نمی", "ها", "های", "ای", "اینجا", "انجا", "خیلی", "لطفا", "هر", "همه", "هیچ", "دارد",
  "ندارد", "کرده", "کرد", "کند", "کنید", "شود", "شوند", "بود", "بوده", "دیروز", "امروز",
  "هفته", "روز", "شب", "شبها", "ماه", "کوچه", "خیابان", "محله", "پلاک", "نشانی",
  "کدام", "چیزی", "چقدر", "تقریبا", "حالا", "همین", "کسی", "اول", "اینکه", "هنوز",
  "خود", "ما", "من", "اون", "رفته", "مانده", "افتاده", "ام", "بسیار",
  "خطرناک", "خطرناکه", "مشکل", "لطف", "کنند", "میشه", "نشده", "بیرون", "سلام",
  "رسیدگی", "زودتر", "دقیق", "دقیق تر", "هرچه",
  NULL
};

/* Everyday words citizens use for the default categories that their guidance and
 * examples do not hold, by category code (normalised). A district's own categories are
 * matched on their name, guidance and examples only. */
typedef struct {
  const char        *code;
  const char *const *words;
} CategoryKeywords;

static const char *const asphalt_words[] = {
  "چاله", "دست انداز", "اسفالت", "ترک", "خراب", "گود", "ناهموار", "قیر", "جاده", NULL
};
static const char *const lighting_words[] = {
  "چراغ", "لامپ", "تاریک", "تاریکی", "خاموش", "روشنایی", "روشن", "نور", "تیر برق",
  "پروژکتور", NULL
};
static const char *const waste_words[] = {
  "زباله", "اشغال", "سطل", "مخزن", "کیسه", "بوی بد", "بو", "تعفن", "پسماند", "شیرابه",
  NULL
};
static const char *const green_space_words[] = {
  "درخت", "درختا", "درخته", "شاخه", "چمن", "گل", "باغچه", "هرس", "خشک", "فضای سبز", "بوته",
  "نهال", "درخت افتاده", NULL
};
static const char *const surface_water_words[] = {
  "اب", "جوی", "جوب", "اب گرفتگی", "باران", "ابرو", "گرفته", "اب بند", "سیل", "اب جمع",
  "بارون", NULL
};
/* An open manhole is said many ways, misspelt too: "در چاه کوچه مون بازه", "منهول". */
static const char *const manhole_sewer_words[] = {
  "چاه", "دریچه", "درپوش", "منهول", "منحول", "مونهول", "در چاه", "سر چاه", "فاضلاب",
  "بوی فاضلاب", "گنداب", "باز", "بازه", "بی درپوش", "چاهک", "لوله فاضلاب", "پس زده", NULL
};
static const char *const street_furniture_words[] = {
  "نیمکت", "صندلی", "تاب", "سرسره", "الاکلنگ", "وسیله بازی", "نرده", "حفاظ", "ابخوری",
  "الاچیق", NULL
};
static const char *const sidewalk_words[] = {
  "پیاده", "پیاده رو", "موزاییک", "سنگفرش", "عابر", "ویلچر", "سد معبر", "جدول", "رمپ",
  "پله", NULL
};
static const char *const debris_words[] = {
  "نخاله", "مصالح", "خاک", "اجر", "اهن", "ساختمانی", "کامیون", "گچ", "سیمان", "ماسه",
  "خاکبرداری", NULL
};
static const char *const animals_words[] = {
  "سگ", "سگا", "سگای", "گربه", "موش", "حیوان", "لاشه", "کبوتر", "مار", "ولگرد",
  "گاز گرفت", "پارس", "سگ ولگرد", NULL
};
static const char *const traffic_signs_words[] = {
  "تابلو", "علامت", "علائم", "خط کشی", "ایست", "سرعت گیر", "راهنمایی", "گذرگاه",
  "تابلوی", "چراغ راهنمایی", "چراغ قرمز", NULL
};
static const char *const unsafe_structure_words[] = {
  "دیوار", "ریزش", "ساختمان", "مخروبه", "نما", "کج", "ترک", "سقف", "خرابه", "فرو",
  "ناایمن", NULL
};
static const char *const street_cleaning_words[] = {
  "کثیف", "جارو", "نظافت", "برگ", "رفتگر", "گرد", "خاک", "اشغال", "روغن", "تمیز",
  "کثیفی", NULL
};

static const CategoryKeywords category_keywords[] = {
  { "asphalt", asphalt_words },
  { "lighting", lighting_words },
  { "waste", waste_words },
  { "green-space", green_space_words },
  { "surface-water", surface_water_words },
  { "manhole-sewer", manhole_sewer_words },
  { "sidewalk", sidewalk_words },
  { "debris", debris_words },
  { "animals", animals_words },
  { "traffic-signs", traffic_signs_words },
  { "unsafe-structure", unsafe_structure_words },
  { "street-cleaning", street_cleaning_words },
  { "street-furniture", street_furniture_words },
};

/* Which default categories each hazard of the lexicon (payam_priority_find_hazard) points
 * to; a hazard with no municipal category (gas, fire) points nowhere: the danger check
 * shows the emergency numbers for those. */
typedef struct {
  const char *hazard;
  const char *codes[3];
} HazardCategories;

static const HazardCategories hazard_categories[] = {
  { "electric-shock", { "lighting", NULL, NULL } },
  { "fallen-cable", { "lighting", "unsafe-structure", NULL } },
  { "exposed-wires", { "lighting", NULL, NULL } },
  { "collapse", { "unsafe-structure", NULL, NULL } },
  { "open-manhole", { "manhole-sewer", NULL, NULL } },
  { "sinkhole", { "asphalt", NULL, NULL } },
  { "fallen-tree", { "green-space", NULL, NULL } },
  { "flooding", { "surface-water", NULL, NULL } },
  { "open-excavation", { "asphalt", "debris", NULL } },
  { "traffic-signal", { "traffic-signs", NULL, NULL } },
};

static gboolean
is_stop_word (const char *word)
{
  for (guint i = 0; stop_words[i] != NULL; i++)
    if (strcmp (stop_words[i], word) == 0)
      return TRUE;
  return FALSE;
}

/* @word without one Persian plural or suffix ending ("درختان" → "درخت", "سگها" → "سگ",
 * "خرابی" → "خراب"), when enough of the word stays. Caller owns the result. */
static char *
stem (const char *word)
{
  static const struct { const char *suffix; glong min_rest; } suffixes[] = {
    { "های", 2 }, { "ها", 2 }, { "ان", 3 }, { "ات", 3 }, { "ی", 3 },
  };
  glong len = g_utf8_strlen (word, -1);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      glong suffix_len = g_utf8_strlen (suffixes[i].suffix, -1);

      if (g_str_has_suffix (word, suffixes[i].suffix) && len - suffix_len >= suffixes[i].min_rest)
        return g_strndup (word, strlen (word) - strlen (suffixes[i].suffix));
    }
  return g_strdup (word);
}

/* Add the meaningful words of @text (raw, normalised here) to @bag (stem → weight, the
 * highest weight a word gets in this category). */
static void
add_words (GHashTable *bag,
           const char *text,
           double      weight)
{
  g_autofree char *norm = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return;
  norm = payam_text_normalize (text);
  words = g_strsplit (norm, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *key;
      gpointer old;

      if (g_utf8_strlen (words[i], -1) < 2 || is_stop_word (words[i])
          || g_ascii_isdigit (words[i][0]))
        continue;
      key = stem (words[i]);
      old = g_hash_table_lookup (bag, key);
      if (old != NULL && *(double *) old >= weight)
        {
          g_free (key);
          continue;
        }
      g_hash_table_insert (bag, key, g_memdup2 (&weight, sizeof weight));
    }
}

/* Whether @text_norm holds @phrase (normalised, with spaces) between word boundaries. */
static gboolean
has_phrase (const char *text_norm,
            const char *phrase)
{
  size_t len = strlen (phrase);

  for (const char *p = strstr (text_norm, phrase); p != NULL; p = strstr (p + 1, phrase))
    if ((p == text_norm || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
      return TRUE;
  return FALSE;
}

/* What the everyday phrases of @keywords found whole in @text_norm add. */
static double
phrase_score (const char *const *keywords,
              const char        *text_norm)
{
  double score = 0;

  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    if (strchr (keywords[i], ' ') != NULL && has_phrase (text_norm, keywords[i]))
      score += PHRASE_BONUS;
  return score;
}

static const char *const *
keywords_for (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (category_keywords); i++)
    if (strcmp (category_keywords[i].code, code) == 0)
      return category_keywords[i].words;
  return NULL;
}

static GHashTable *
category_bag (const PayamCategory *category)
{
  GHashTable *bag = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *const *keywords = keywords_for (category->code);

  for (guint i = 0; category->examples != NULL && category->examples[i] != NULL; i++)
    add_words (bag, category->examples[i], WEIGHT_TEXT);
  add_words (bag, category->guidance, WEIGHT_TEXT);
  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    add_words (bag, keywords[i], WEIGHT_KEYWORD);
  add_words (bag, category->name, WEIGHT_NAME);
  return bag;
}

/* Whether the stems @a and @b share their start: the shorter has at least three letters
 * and the longer at most three more ("شکست", "شکستگ"). */
static gboolean
partial_match (const char *a,
               const char *b)
{
  glong la = g_utf8_strlen (a, -1);
  glong lb = g_utf8_strlen (b, -1);
  const char *shorter = la <= lb ? a : b;
  const char *longer = la <= lb ? b : a;
  glong ls = MIN (la, lb);

  if (ls < 3 || ABS (la - lb) > 3 || la == lb)
    return FALSE;
  return g_str_has_prefix (longer, shorter);
}

typedef struct {
  const PayamCategory *category;
  double               score;
  guint                order;
} Scored;

static int
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const Scored *x = a;
  const Scored *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

/* The score of a text word against one category: the best of an exact stem match and
 * a partial one, each weighted by where the category has the word and by how few
 * categories have it (inverse document frequency over @dfs). */
static double
word_score (GHashTable *bag,
            GHashTable *dfs,
            guint       n_categories,
            const char *word)
{
  GHashTableIter iter;
  gpointer key, value;
  double best = 0;

  g_hash_table_iter_init (&iter, bag);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double factor;
      double df, idf;

      if (strcmp (key, word) == 0)
        factor = 1.0;
      else if (partial_match (key, word))
        factor = PARTIAL_FACTOR;
      else
        continue;
      df = GPOINTER_TO_UINT (g_hash_table_lookup (dfs, key));
      idf = log ((n_categories + 1.0) / (df + 0.5));
      best = MAX (best, factor * *(double *) value * MAX (idf, 0.0));
    }
  return best;
}

GPtrArray *
payam_category_suggest (GPtrArray  *categories,
                        const char *text_norm,
                        guint       max_results)
{
  GPtrArray *result = g_ptr_array_new ();
  g_autoptr(GPtrArray) bags = NULL;
  g_autoptr(GHashTable) dfs = NULL;
  g_autoptr(GHashTable) text_words = NULL;
  g_autoptr(GArray) scored = NULL;
  g_auto(GStrv) words = NULL;
  const char *hazard;

  g_return_val_if_fail (categories != NULL, result);

  if (text_norm == NULL || *text_norm == '\0' || categories->len == 0 || max_results == 0)
    return result;

  /* Each category's words, and in how many categories each word is. */
  bags = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  dfs = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < categories->len; i++)
    {
      GHashTable *bag = category_bag (g_ptr_array_index (categories, i));
      GHashTableIter iter;
      gpointer key;

      g_ptr_array_add (bags, bag);
      g_hash_table_iter_init (&iter, bag);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_insert (dfs, key,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (dfs, key)) + 1));
    }

  /* The text's distinct meaningful stems. */
  text_words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  words = g_strsplit (text_norm, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_utf8_strlen (words[i], -1) >= 2 && !is_stop_word (words[i])
        && !g_ascii_isdigit (words[i][0]))
      g_hash_table_add (text_words, stem (words[i]));

  hazard = payam_priority_find_hazard (text_norm);

  scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);
      Scored s = { category, 0, i };
      GHashTableIter iter;
      gpointer word;

      g_hash_table_iter_init (&iter, text_words);
      while (g_hash_table_iter_next (&iter, &word, NULL))
        s.score += word_score (g_ptr_array_index (bags, i), dfs, categories->len, word);
      s.score += phrase_score (keywords_for (category->code), text_norm);

      for (guint h = 0; hazard != NULL && h < G_N_ELEMENTS (hazard_categories); h++)
        {
          if (strcmp (hazard_categories[h].hazard, hazard) != 0)
            continue;
          for (guint c = 0; c < G_N_ELEMENTS (hazard_categories[h].codes); c++)
            if (g_strcmp0 (hazard_categories[h].codes[c], category->code) == 0)
              s.score += HAZARD_BONUS;
        }

      if (s.score >= MIN_SCORE)
        g_array_append_val (scored, s);
    }

  g_array_sort (scored, compare_scored);
  for (guint i = 0; i < scored->len && i < max_results; i++)
    g_ptr_array_add (result, (gpointer) g_array_index (scored, Scored, i).category);

  return result;
}

/* Words that say where (normalised): kinds of place and the prepositions of position
 * people use for "exactly where". */
static const char *const place_words[] = {
  "کوچه", "خیابان", "خیابون", "میدان", "میدون", "پلاک", "جلوی", "جلو", "روبروی",
  "روبرو", "نزدیک", "کنار", "سر", "تقاطع", "چهارراه", "پارک", "بوستان", "مسجد", "مدرسه",
  "دبستان", "ایستگاه", "بن", "بلوار", "کوی", "پل", "مغازه", "بازار", "بازارچه", "نبش",
  "انتهای", "ابتدای", "پشت", "نانوایی", "درمانگاه", "مترو", "اتوبوس", "ساختمان", "خانه",
  "خونه", "پیاده", "جوی", "محله", "کتابخانه", "سرای", "بیمارستان", "تعمیرگاه", NULL
};

/* Words that say since when (normalised). */
static const char *const time_words[] = {
  "دیروز", "امروز", "دیشب", "پریروز", "هفته", "هفتست", "روز", "روزه", "روزهاست", "ماه",
  "ماهه", "سال", "ساله", "شب", "شبه", "ساعت", "ساعته", "صبح", "عصر", "ظهر", "مدت",
  "مدتی", "الان", "هنوز", "همیشه", "وقت", "پیش", "گذشته", "اخیرا", "تازگی", NULL
};

/* Affixes that a ZWNJ seam leaves as words of their own ("کوچه‌ها" → "کوچه ها"): not
 * counted as words. */
static const char *const affixes[] = {
  "ها", "های", "هایی", "اند", "ای", "ام", "ایم", "اید", "مان", "تان", "شان", "می", "نمی",
  "ی", NULL
};

static gboolean
in_list (const char *const *list,
         const char        *word)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strcmp (list[i], word) == 0)
      return TRUE;
  return FALSE;
}

void
payam_description_hints (const char            *text_norm,
                         PayamDescriptionHints *out)
{
  g_auto(GStrv) words = NULL;

  g_return_if_fail (out != NULL);

  *out = (PayamDescriptionHints) { 0, };
  if (text_norm == NULL)
    return;

  words = g_strsplit (text_norm, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *stemmed = NULL;

      if (words[i][0] == '\0' || in_list (affixes, words[i]))
        continue;
      out->n_words++;
      out->n_chars += g_utf8_strlen (words[i], -1);
      stemmed = stem (words[i]);
      if (in_list (place_words, words[i]) || in_list (place_words, stemmed))
        out->names_place = TRUE;
      if (in_list (time_words, words[i]) || in_list (time_words, stemmed))
        out->names_time = TRUE;
    }
  out->long_enough = out->n_words >= PAYAM_DESCRIPTION_MIN_WORDS
                     && out->n_chars >= PAYAM_DESCRIPTION_MIN_CHARS;
}
