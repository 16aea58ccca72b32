/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Priority of a request: danger answers, a hazard lexicon of Persian phrases, category default. */
#define G_LOG_DOMAIN "payam-priority"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-priority.h"

/* The hazard lexicon, in the form payam_text_normalize() produces: Persian ی and ک, no
 * diacritics, آ written ا, ئ written ی, ة and ۀ written ه, ASCII digits, lower case.
 *
 * Matching rules (see match_at()):
 * - a phrase matches only on word boundaries of the normalised text: it starts at the
 *   start of the text or after a space and ends at the end or before a space, so "بوی گاز"
 *   is not found in "بوی گازوئیل" and "چاه باز" not in "چاه بازسازی";
 * - each space inside a phrase is optional in the text, so write every word seam and
 *   every ZWNJ seam of a compound as a space: "اب گرفتگی" matches "اب گرفتگی" (from
 *   "آب‌گرفتگی", whose ZWNJ became a space) and "ابگرفتگی" alike; after a word ending
 *   in ه the seam may also hold the ezafe ی ("دریچه‌ی فاضلاب باز" for "دریچه فاضلاب باز");
 * - the whole text is NOT compacted before matching: that would find short words inside
 *   unrelated ones and across word boundaries;
 * - no bare ambiguous words: "ریزش" alone is also "ریزش برگ" (falling leaves) and
 *   "گاز" alone is also a bite ("گاز گرفت") or diesel ("گازوئیل"), so the lexicon holds
 *   phrases;
 * - negation is not understood ("بوی گاز نمی‌آید" still matches): a false alarm costs
 *   less than a missed gas leak.
 * Keys are in precedence order: the first key with a matching phrase wins. */
typedef struct {
  const char        *key;
  const char *const *phrases;  /* NULL-terminated */
} HazardEntry;

static const char *const gas_smell[] = {
  "بوی گاز", "بو گاز", "بوی شدید گاز", "نشت گاز", "نشتی گاز", "گاز نشت", "گاز نشتی",
  "فرار گاز", "نشت لوله گاز", "لوله گاز شکسته", "لوله گاز ترکیده", "شکستگی لوله گاز",
  "انفجار گاز", "گاز پیک نیک نشت",
  NULL
};

static const char *const electric_shock[] = {
  "برق گرفتگی", "برق گرفت", "برق گرفته", "برق گرفته شد", "برق می گیرد", "برق می گیره",
  "برق دار شده", "برق دار است", "جریان برق دارد",
  NULL
};

static const char *const fallen_cable[] = {
  "سیم برق افتاده", "سیم برق پاره", "سیم برق پاره شده", "سیم برق قطع شده",
  "سیم برق روی زمین", "سیم برق اویزان", "سیم های برق افتاده", "سیم های برق پاره",
  "سیم های برق اویزان", "کابل برق پاره", "کابل برق افتاده", "کابل برق روی زمین",
  "کابل برق اویزان", "سیم افتاده", "کابل افتاده", "تیر برق افتاده", "تیر برق شکسته",
  "تیر برق کج شده", "سقوط تیر برق",
  NULL
};

static const char *const exposed_wires[] = {
  "سیم لخت", "سیم های لخت", "سیم برق لخت", "کابل لخت", "سیم بدون روکش", "کابل بدون روکش",
  "سیم بیرون زده", "سیم های بیرون زده", "جعبه برق باز", "تابلو برق باز", "جعبه تقسیم باز",
  "اتصالی برق", "اتصالی کرده", "جرقه می زند", "جرقه می زنه", "جرقه زدن",
  NULL
};

static const char *const fire[] = {
  "اتش سوزی", "اتش گرفته", "اتش گرفت", "اتش گرفتن", "اتش زده", "حریق", "دود غلیظ",
  "شعله ور", "شعله های اتش", "اتش سوزی جنگل",
  NULL
};

static const char *const collapse[] = {
  "ریزش دیوار", "ریزش سقف", "ریزش ساختمان", "ریزش پل", "ریزش اوار", "ریزش کرده",
  "ریزش کرد", "در حال ریزش", "خطر ریزش", "فرو ریختن", "فرو ریخته", "فرو ریخت",
  "فرو ریختگی", "فرو ریزش", "سقوط دیوار", "خطر سقوط دیوار", "دیوار ترک خورده",
  "ترک دیوار خطرناک", "ترک خطرناک", "دیوار کج شده", "ساختمان مخروبه",
  NULL
};

static const char *const open_manhole[] = {
  "دریچه باز", "دریچه فاضلاب باز", "دریچه چاه باز", "منهول باز", "چاه باز",
  "چاه فاضلاب باز", "درب چاه باز", "در چاه باز", "در پوش چاه", "در پوش منهول",
  "در پوش فاضلاب", "در پوش دریچه", "بدون در پوش", "در پوش ندارد", "در پوش نداره",
  "در پوش شکسته", "در پوش ان را برده اند", "دریچه را برده اند",
  NULL
};

static const char *const sinkhole[] = {
  "نشست زمین", "فرو نشست", "فرو چاله", "نشست اسفالت", "نشست خیابان", "نشست کرده",
  "زمین نشست کرده", "حفره عمیق", "گودال عمیق", "دهان باز کرده",
  NULL
};

static const char *const fallen_tree[] = {
  "درخت افتاده", "درخت شکسته", "سقوط درخت", "درخت سقوط کرده", "افتادن درخت",
  "شکستن درخت", "درخت در حال سقوط", "درخت کج شده", "خطر سقوط درخت", "شاخه شکسته",
  "شاخه افتاده", "شاخه اویزان", "شاخه های شکسته",
  NULL
};

static const char *const flooding[] = {
  "اب گرفتگی", "سیلاب", "سیل", "اب گرفته", "ترکیدن لوله", "ترکیدگی لوله", "لوله ترکیده",
  "شکستگی لوله اب", "لوله اب شکسته", "لوله اصلی ترکیده", "اب زیر زمین را گرفته",
  "پس زدن فاضلاب", "فاضلاب پس زده",
  NULL
};

static const char *const open_excavation[] = {
  "گودال باز", "ترانشه باز", "کانال باز", "گود برداری بدون حفاظ", "چاله بدون حفاظ",
  "حفاری بدون حفاظ", "بدون علامت هشدار",
  NULL
};

static const char *const traffic_signal[] = {
  "چراغ راهنمایی خاموش", "چراغ راهنمایی خراب", "چراغ راهنمایی کار نمی کند",
  "چراغ راهنمایی کار نمی کنه", "چراغ راهنما خاموش", "چراغ قرمز خاموش",
  NULL
};

static const HazardEntry lexicon[] = {
  { "gas-smell", gas_smell },
  { "electric-shock", electric_shock },
  { "fallen-cable", fallen_cable },
  { "exposed-wires", exposed_wires },
  { "fire", fire },
  { "collapse", collapse },
  { "open-manhole", open_manhole },
  { "sinkhole", sinkhole },
  { "fallen-tree", fallen_tree },
  { "flooding", flooding },
  { "open-excavation", open_excavation },
  { "traffic-signal", traffic_signal },
};

static const char *const lexicon_keys[] = {
  "gas-smell", "electric-shock", "fallen-cable", "exposed-wires", "fire", "collapse",
  "open-manhole", "sinkhole", "fallen-tree", "flooding", "open-excavation",
  "traffic-signal",
  NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (lexicon_keys) == G_N_ELEMENTS (lexicon) + 1);

#define HEH "\xd9\x87"         /* ه */
#define EZAFE_SPACED " \xdb\x8c " /* " ی ": ezafe after ه written with ZWNJ (ه‌ی) */
#define EZAFE_JOINED "\xdb\x8c "  /* "ی ": the same written joined (هی) */

/* Whether @phrase (which starts at @phrase_start) matches @text at its start and ends on
 * a word boundary. Every space in @phrase may be a space in @text or nothing (a joined
 * compound); after a word ending in ه it may also carry the ezafe ی ("دریچه‌ی فاضلاب"
 * for "دریچه فاضلاب"). Both strings are normalised, so bytes compare as characters and
 * spaces are single ASCII spaces. */
static gboolean
match_at (const char *text,
          const char *phrase,
          const char *phrase_start)
{
  for (;;)
    {
      if (*phrase == '\0')
        return *text == '\0' || *text == ' ';

      if (*phrase == ' ')
        {
          if (*text == ' ' && match_at (text + 1, phrase + 1, phrase_start))
            return TRUE;

          if (phrase - phrase_start >= 2 && strncmp (phrase - 2, HEH, 2) == 0)
            {
              if (g_str_has_prefix (text, EZAFE_SPACED)
                  && match_at (text + strlen (EZAFE_SPACED), phrase + 1, phrase_start))
                return TRUE;
              if (g_str_has_prefix (text, EZAFE_JOINED)
                  && match_at (text + strlen (EZAFE_JOINED), phrase + 1, phrase_start))
                return TRUE;
            }

          phrase++;
          continue;
        }

      if (*text != *phrase)
        return FALSE;
      text++;
      phrase++;
    }
}

/* The lexicon compiled for matching: every phrase, bucketed by the characters it must
 * start with. A phrase's first word is always compared byte for byte (only the spaces
 * between words are optional), so a phrase whose first word has two or more characters
 * can only match at a word start of the text that begins with those two characters, and a
 * phrase whose first word is one character only where the text begins with it. Buckets
 * 0 … 255 hold the latter by their first character, buckets 256 … N_BUCKETS - 1 the former
 * by their first two. Within a bucket, phrases keep the lexicon's precedence order. Built
 * once, on first use, and never freed. */
#define N_CHAR_BUCKETS 256
#define N_BUCKETS      1024

typedef struct {
  const char *phrase;
  guint8      key;       /* index into lexicon[] */
} Candidate;

typedef struct {
  guint16   start[N_BUCKETS + 1];  /* bucket b holds candidates[start[b] .. start[b + 1]) */
  Candidate candidates[];
} CompiledLexicon;

/* The bucket of the character at @s: for ASCII its byte, for a multi-byte UTF-8 sequence a
 * mix of its first two bytes (the low bits of the code point for Persian letters, so every
 * letter of the Persian alphabet has a bucket of its own). Reads @s[1] only when @s[0] is a
 * lead byte, and so never past the terminating NUL of @s. */
static inline guint
char_bucket (const char *s)
{
  guint b0 = (guint8) s[0];

  if (b0 < 0x80)
    return b0;
  return ((b0 << 6) ^ (guint8) s[1]) % N_CHAR_BUCKETS;
}

/* The bytes of the UTF-8 character at @s (not NUL): as many as its lead byte announces,
 * fewer when a continuation byte is missing (so never past the terminating NUL). Equal
 * bytes give equal lengths, whatever follows them. */
static inline gsize
char_length (const char *s)
{
  guint8 lead = (guint8) s[0];
  gsize expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  gsize n = 1;

  while (n < expected && ((guint8) s[n] & 0xC0) == 0x80)
    n++;
  return n;
}

/* The bucket of a pair of characters, from their char_bucket()s. */
static inline guint
pair_bucket (guint first,
             guint second)
{
  return N_CHAR_BUCKETS + ((first << 5) ^ (first >> 3) ^ second) % (N_BUCKETS - N_CHAR_BUCKETS);
}

/* The bucket of @phrase (not empty, not opening with a space). */
static guint
phrase_bucket (const char *phrase)
{
  const char *second = phrase + char_length (phrase);

  if (*second == '\0' || *second == ' ')
    return char_bucket (phrase);
  return pair_bucket (char_bucket (phrase), char_bucket (second));
}

static const CompiledLexicon *
compiled_lexicon (void)
{
  static CompiledLexicon *compiled = NULL;

  if (g_once_init_enter (&compiled))
    {
      CompiledLexicon *c;
      guint counts[N_BUCKETS] = { 0 };
      guint fill[N_BUCKETS];
      guint n = 0;

      for (gsize i = 0; i < G_N_ELEMENTS (lexicon); i++)
        for (const char *const *p = lexicon[i].phrases; *p != NULL; p++)
          {
            /* The lexicon is static: an empty phrase or one opening with a space would
             * have no first character to bucket by. */
            g_assert ((*p)[0] != '\0' && (*p)[0] != ' ');
            counts[phrase_bucket (*p)]++;
            n++;
          }
      g_assert (n <= G_MAXUINT16 && G_N_ELEMENTS (lexicon) <= G_MAXUINT8);

      c = g_malloc (sizeof *c + n * sizeof (Candidate));
      c->start[0] = 0;
      for (guint b = 0; b < N_BUCKETS; b++)
        {
          c->start[b + 1] = (guint16) (c->start[b] + counts[b]);
          fill[b] = c->start[b];
        }
      /* Walking the lexicon in order keeps each bucket in precedence order. */
      for (gsize i = 0; i < G_N_ELEMENTS (lexicon); i++)
        for (const char *const *p = lexicon[i].phrases; *p != NULL; p++)
          {
            Candidate *slot = &c->candidates[fill[phrase_bucket (*p)]++];

            slot->phrase = *p;
            slot->key = (guint8) i;
          }

      g_once_init_leave (&compiled, c);
    }

  return compiled;
}

/* Lower *@best to the key of the first phrase of bucket @b that outranks it and matches
 * at @word. */
static inline void
try_bucket (const CompiledLexicon *c,
            guint                  b,
            const char            *word,
            guint                 *best)
{
  for (guint j = c->start[b]; j < c->start[b + 1]; j++)
    {
      const Candidate *candidate = &c->candidates[j];

      if (candidate->key >= *best)
        return;
      if (match_at (word, candidate->phrase, candidate->phrase))
        {
          *best = candidate->key;
          return;
        }
    }
}

/**
 * payam_priority_find_hazard:
 * @text_norm: (nullable): text normalised with payam_text_normalize()
 *
 * The first key of the lexicon (in precedence order) that has a phrase in @text_norm.
 * One pass over the word starts of the text, trying at each only the phrases that begin
 * with its first characters and that would outrank the best key found so far.
 *
 * Returns: (transfer none) (nullable): a static key such as "gas-smell", or %NULL.
 */
const char *
payam_priority_find_hazard (const char *text_norm)
{
  const CompiledLexicon *c;
  guint best = G_N_ELEMENTS (lexicon);

  if (text_norm == NULL || *text_norm == '\0')
    return NULL;

  c = compiled_lexicon ();
  for (const char *word = text_norm; word != NULL; )
    {
      if (*word != '\0')
        {
          guint first = char_bucket (word);
          const char *second = word + char_length (word);

          if (*second != '\0' && *second != ' ')
            try_bucket (c, pair_bucket (first, char_bucket (second)), word, &best);
          try_bucket (c, first, word, &best);
          if (best == 0)
            break;
        }

      word = strchr (word, ' ');
      if (word != NULL)
        word++;
    }

  return best < G_N_ELEMENTS (lexicon) ? lexicon[best].key : NULL;
}

/**
 * payam_priority_hazard_keys:
 *
 * Returns: (transfer none): the lexicon's keys in precedence order, NULL-terminated.
 */
const char *const *
payam_priority_hazard_keys (void)
{
  return lexicon_keys;
}

/**
 * payam_priority_hazard_phrases:
 * @key: a key from payam_priority_hazard_keys()
 *
 * Returns: (transfer none) (nullable): the normalised phrases of @key, NULL-terminated,
 * or %NULL for an unknown key.
 */
const char *const *
payam_priority_hazard_phrases (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (lexicon); i++)
    if (g_str_equal (lexicon[i].key, key))
      return lexicon[i].phrases;

  return NULL;
}

/**
 * payam_priority_compute:
 * @answers: (nullable): the danger check, or %NULL when it was not asked
 * @hazard_flag: the citizen or the office flagged a hazard
 * @text_norm: (nullable): the request's normalised text
 * @category_default: the category's priority
 *
 * Urgent when danger to people or utilities was answered yes, a hazard was flagged or the
 * text names a hazard; high when the road is blocked; never lower than
 * @category_default (smaller numbers are more urgent).
 */
PayamPriority
payam_priority_compute (const PayamHazardAnswers *answers,
                        gboolean                  hazard_flag,
                        const char               *text_norm,
                        PayamPriority             category_default)
{
  PayamPriority priority = PAYAM_PRIORITY_NORMAL;

  g_return_val_if_fail (category_default >= PAYAM_PRIORITY_URGENT
                        && category_default <= PAYAM_PRIORITY_NORMAL,
                        PAYAM_PRIORITY_URGENT);

  if (hazard_flag
      || (answers != NULL && (answers->danger_to_people || answers->utilities))
      || payam_priority_find_hazard (text_norm) != NULL)
    priority = PAYAM_PRIORITY_URGENT;
  else if (answers != NULL && answers->blocks_road)
    priority = PAYAM_PRIORITY_HIGH;

  return MIN (priority, category_default);
}

/* One label per priority for every surface (app badge, payamctl): static strings, never
 * NULL; a value outside the enum reads as normal. */
const char *
payam_priority_label (PayamPriority priority)
{
  switch (priority)
    {
    case PAYAM_PRIORITY_URGENT:
      return _("Urgent");
    case PAYAM_PRIORITY_HIGH:
      return _("High");
    case PAYAM_PRIORITY_NORMAL:
    default:
      return _("Normal");
    }
}
