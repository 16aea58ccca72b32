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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_find_hazard),
    cmocka_unit_test (test_lexicon),
    cmocka_unit_test (test_compute),
  };

  return cmocka_run_group_tests_name ("priority", tests, NULL, NULL);
}
