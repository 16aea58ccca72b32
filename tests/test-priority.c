/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the hazard lexicon and of priority from answers, flag, text and category. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-priority.h"
#include "payam-text.h"

typedef struct {
  const char *raw;  /* as a citizen types it; normalised by the test */
  const char *key;  /* expected hazard key, or NULL */
} HazardCase;

static const HazardCase hazard_cases[] = {
  /* gas */
  { "بوی گاز شدید در کوچه می‌آید", "gas-smell" },
  { "نشت گاز از لوله‌ی ساختمان", "gas-smell" },
  { "گاز نشت کرده، خطرناکه!", "gas-smell" },
  { "بوي گاز مياد", "gas-smell" },                       /* Arabic yeh */
  { "لوله‌ی گاز ترکیده", "gas-smell" },                   /* ezafe after ه */
  { "بوی گازوئیل از کارگاه می‌آید", NULL },               /* diesel, not gas */
  { "سگ ولگرد بچه را گاز گرفت", NULL },                 /* a bite */
  { "لوله‌کشی گاز ساختمان نیمه‌کاره است", NULL },
  /* manholes */
  { "دریچه‌ی فاضلاب باز مانده", "open-manhole" },
  { "دریچۀ فاضلاب باز است", "open-manhole" },
  { "دریچهٔ فاضلاب باز است", "open-manhole" },
  { "درپوش منهول وسط خیابان نیست", "open-manhole" },
  { "در‌پوش چاه را برده‌اند", "open-manhole" },           /* ZWNJ inside the compound */
  { "چاه بازسازی شود", NULL },
  { "دریچه بازدید کنتور خراب است", NULL },
  /* electricity */
  { "سیم برق افتاده روی پیاده‌رو", "fallen-cable" },
  { "کابل برق پاره شده و آویزان است", "fallen-cable" },
  { "سیم‌های برق آویزان شده", "fallen-cable" },
  { "سیم لخت کنار پارک", "exposed-wires" },
  { "جعبه‌ی برق باز است", "exposed-wires" },
  { "بچه‌ها دچار برق‌گرفتگی شدند", "electric-shock" },
  { "برقگرفتگی", "electric-shock" },
  { "تیر چراغ، برق می‌گیرد", "electric-shock" },
  { "برق محله قطع است", NULL },
  { "لامپ کوچه سوخته", NULL },
  /* fire */
  { "آتش‌سوزی در انبار", "fire" },
  { "آتشسوزی", "fire" },
  { "حریق", "fire" },
  { "دود غلیظ از زیرزمین", "fire" },
  { "ایستگاه آتش‌نشانی شلوغ است", NULL },
  /* collapse, sinkhole */
  { "دیوار مدرسه در حال ریزش است", "collapse" },
  { "فروریختگی دیوار", "collapse" },
  { "ریزش برگ درختان کوچه را پر کرده", NULL },
  { "نشست زمین در خیابان", "sinkhole" },
  { "زمین نشست کرده", "sinkhole" },
  /* trees */
  { "درخت افتاده وسط خیابان", "fallen-tree" },
  { "سقوط درخت روی ماشین", "fallen-tree" },
  { "درختکاری بلوار", NULL },
  /* water */
  { "آب‌گرفتگی زیرگذر", "flooding" },
  { "ابگرفتگی شدید", "flooding" },
  { "ترکیدن لوله‌ی آب", "flooding" },
  { "سیلاب", "flooding" },
  { "سیلندر خالی کنار جوی", NULL },
  { "آب قطع است", NULL },
  /* roads */
  { "چراغ راهنمایی خاموش است", "traffic-signal" },
  { "چراغ راهنمایی کار نمی‌کند", "traffic-signal" },
  { "گودال باز بدون علامت", "open-excavation" },
  /* precedence: lexicon order, not position in the text */
  { "آتش‌سوزی و بوی گاز", "gas-smell" },
  { "درخت افتاده و سیم برق پاره", "fallen-cable" },
  /* nothing */
  { "زباله‌ها جمع‌آوری نشده", NULL },
  { "", NULL },
  { "   ", NULL },
  { "!!!", NULL },
};

static void
test_find_hazard (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hazard_cases); i++)
    {
      const HazardCase *c = &hazard_cases[i];
      g_autofree char *norm = payam_text_normalize (c->raw);
      const char *key = payam_priority_find_hazard (norm);

      if (g_strcmp0 (key, c->key) != 0)
        fail_msg ("“%s” (normalised “%s”): got %s, expected %s", c->raw, norm,
                  key ? key : "NULL", c->key ? c->key : "NULL");
    }

  assert_null (payam_priority_find_hazard (NULL));
}

/* The lexicon is written in normalised form, each phrase finds its own key (or one before
 * it in precedence), joined spellings of compounds match too, and keys are distinct. */
static void
test_lexicon (void **state)
{
  const char *const *keys = payam_priority_hazard_keys ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_keys = 0;

  for (; keys[n_keys] != NULL; n_keys++)
    {
      const char *const *phrases = payam_priority_hazard_phrases (keys[n_keys]);
      guint n_phrases = 0;

      assert_non_null (phrases);
      assert_true (g_hash_table_add (seen, (gpointer) keys[n_keys]));

      for (; phrases[n_phrases] != NULL; n_phrases++)
        {
          const char *phrase = phrases[n_phrases];
          g_autofree char *norm = payam_text_normalize (phrase);
          g_auto(GStrv) words = g_strsplit (phrase, " ", -1);
          g_autofree char *compact = g_strjoinv ("", words);
          g_autofree char *embedded = g_strconcat ("امروز ", phrase, " دیدم", NULL);
          const char *found = payam_priority_find_hazard (phrase);
          guint found_index = 0;

          if (g_strcmp0 (norm, phrase) != 0)
            fail_msg ("%s: phrase “%s” is not normalised (“%s”)", keys[n_keys], phrase, norm);
          assert_non_null (found);
          while (keys[found_index] != NULL && !g_str_equal (keys[found_index], found))
            found_index++;
          if (found_index > n_keys)
            fail_msg ("phrase “%s” of %s found %s", phrase, keys[n_keys], found);
          assert_non_null (payam_priority_find_hazard (compact));
          assert_non_null (payam_priority_find_hazard (embedded));
        }
      /* Several variants per key. */
      assert_true (n_phrases >= 3);
    }

  assert_true (n_keys >= 10);
  assert_null (payam_priority_hazard_phrases ("no-such-key"));
}

typedef struct {
  gboolean       asked;             /* FALSE: answers is NULL */
  gboolean       danger, road, utilities;
  gboolean       flag;
  const char    *raw;
  PayamPriority  category_default;
  PayamPriority  expected;
} PriorityCase;

#define U PAYAM_PRIORITY_URGENT
#define H PAYAM_PRIORITY_HIGH
#define N PAYAM_PRIORITY_NORMAL

static const PriorityCase priority_cases[] = {
  /* Nothing asked: the category decides. */
  { FALSE, 0, 0, 0, FALSE, NULL, N, N },
  { FALSE, 0, 0, 0, FALSE, NULL, H, H },
  { FALSE, 0, 0, 0, FALSE, NULL, U, U },
  { FALSE, 0, 0, 0, FALSE, "زباله جمع نشده", N, N },
  { FALSE, 0, 0, 0, FALSE, "", H, H },
  /* All answered no. */
  { TRUE, 0, 0, 0, FALSE, "زباله جمع نشده", N, N },
  { TRUE, 0, 0, 0, FALSE, "زباله جمع نشده", H, H },
  /* Each answer alone. */
  { TRUE, 1, 0, 0, FALSE, NULL, N, U },
  { TRUE, 0, 0, 1, FALSE, NULL, N, U },
  { TRUE, 0, 1, 0, FALSE, NULL, N, H },
  { TRUE, 0, 1, 0, FALSE, NULL, H, H },
  { TRUE, 0, 1, 0, FALSE, NULL, U, U },   /* never below the category */
  { TRUE, 1, 1, 1, FALSE, NULL, N, U },
  { TRUE, 0, 1, 1, FALSE, NULL, H, U },
  /* The hazard flag. */
  { FALSE, 0, 0, 0, TRUE, NULL, N, U },
  { TRUE, 0, 1, 0, TRUE, NULL, N, U },
  /* Hazard words in the text. */
  { FALSE, 0, 0, 0, FALSE, "بوی گاز در کوچه", N, U },
  { TRUE, 0, 0, 0, FALSE, "آب‌گرفتگی زیرگذر", N, U },
  { TRUE, 0, 1, 0, FALSE, "درخت افتاده وسط خیابان", H, U },
  { TRUE, 0, 0, 0, FALSE, "بوی گازوئیل", N, N },
  { TRUE, 0, 1, 0, FALSE, "بوی گازوئیل", N, H },
  { TRUE, 0, 0, 0, FALSE, "ریزش برگ درختان", H, H },
};

static void
test_compute (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (priority_cases); i++)
    {
      const PriorityCase *c = &priority_cases[i];
      PayamHazardAnswers answers = { c->danger, c->road, c->utilities };
      g_autofree char *norm = c->raw ? payam_text_normalize (c->raw) : NULL;
      PayamPriority got = payam_priority_compute (c->asked ? &answers : NULL, c->flag,
                                                  norm, c->category_default);

      if (got != c->expected)
        fail_msg ("case %zu: got %d, expected %d", i, got, c->expected);
    }
}

/* The matching rules written the slow, obvious way: for each key in precedence order, for
 * each of its phrases, try every word start of the text. The store's fast matcher must
 * agree with it on every text. */
static gboolean
reference_match_at (const char *text,
                    const char *phrase,
                    const char *phrase_start)
{
  for (;;)
    {
      if (*phrase == '\0')
        return *text == '\0' || *text == ' ';
      if (*phrase == ' ')
        {
          gboolean after_heh = phrase - phrase_start >= 2 && strncmp (phrase - 2, "ه", 2) == 0;

          if (*text == ' ' && reference_match_at (text + 1, phrase + 1, phrase_start))
            return TRUE;
          if (after_heh && g_str_has_prefix (text, " ی ")
              && reference_match_at (text + strlen (" ی "), phrase + 1, phrase_start))
            return TRUE;
          if (after_heh && g_str_has_prefix (text, "ی ")
              && reference_match_at (text + strlen ("ی "), phrase + 1, phrase_start))
            return TRUE;
          phrase++;
          continue;
        }
      if (*text != *phrase)
        return FALSE;
      text++;
      phrase++;
    }
}

static const char *
reference_find_hazard (const char *text)
{
  const char *const *keys = payam_priority_hazard_keys ();

  for (guint k = 0; keys[k] != NULL; k++)
    for (const char *const *p = payam_priority_hazard_phrases (keys[k]); *p != NULL; p++)
      for (const char *word = text; word != NULL; word = strchr (word, ' '))
        {
          if (*word == ' ')
            word++;
          if (reference_match_at (word, *p, *p))
            return keys[k];
        }
  return NULL;
}

/* Random texts made of lexicon words and phrases (spaced, joined, with the ezafe after ه),
 * filler words, stray letters and bytes, and doubled spaces: the matcher and the reference
 * agree. */
static void
test_matches_reference (void **state)
{
  static const char *const fillers[] = {
    "کوچه", "خیابان", "است", "شده", "و", "ی", "ه", "در", "باز", "گاز", "برق", "سیم",
    "لوله", "دریچه", "زوئیل", "سازی", "a", "1", "",
    "\xd8", "\xa7", "\xd8\xa7\xa7", "\xe2\x80", "\xf0\x9f\x98\x80",  /* cut and stray bytes */
  };
  const char *const *keys = payam_priority_hazard_keys ();
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (137);
  guint found = 0;

  for (guint k = 0; keys[k] != NULL; k++)
    for (const char *const *p = payam_priority_hazard_phrases (keys[k]); *p != NULL; p++)
      {
        g_auto(GStrv) words = g_strsplit (*p, " ", -1);
        g_autoptr(GString) ezafe = g_string_new (*p);

        g_ptr_array_add (pieces, g_strdup (*p));
        g_ptr_array_add (pieces, g_strjoinv ("", words));
        for (guint w = 0; words[w] != NULL; w++)
          g_ptr_array_add (pieces, g_strdup (words[w]));
        g_string_replace (ezafe, "ه ", g_rand_boolean (rand) ? "ه ی " : "هی ", 0);
        g_ptr_array_add (pieces, g_string_free (g_steal_pointer (&ezafe), FALSE));
      }
  for (gsize i = 0; i < G_N_ELEMENTS (fillers); i++)
    g_ptr_array_add (pieces, g_strdup (fillers[i]));

  for (guint n = 0; n < 20000; n++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint length = g_rand_int_range (rand, 0, 7);
      const char *expected;
      const char *got;

      for (guint i = 0; i < length; i++)
        {
          /* Mostly one space between pieces; sometimes none (joined) or two. */
          if (i > 0)
            g_string_append (text, g_rand_int_range (rand, 0, 8) == 0 ? ""
                                   : g_rand_int_range (rand, 0, 8) == 0 ? "  " : " ");
          g_string_append (text, g_ptr_array_index (pieces,
                                                    g_rand_int_range (rand, 0, pieces->len)));
        }
      expected = reference_find_hazard (text->str);
      got = payam_priority_find_hazard (text->str);
      if (g_strcmp0 (expected, got) != 0)
        fail_msg ("“%s”: got %s, expected %s", text->str, got ? got : "NULL",
                  expected ? expected : "NULL");
      found += expected != NULL;
    }

  /* The texts exercise both answers. */
  assert_true (found > 5000 && found < 19000);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_find_hazard),
    cmocka_unit_test (test_lexicon),
    cmocka_unit_test (test_compute),
    cmocka_unit_test (test_matches_reference),
  };

  return cmocka_run_group_tests_name ("priority", tests, NULL, NULL);
}
