/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of category suggestions from realistic Persian descriptions, over the default categories. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-category-suggest.h"
#include "payam-store.h"
#include "payam-text.h"

typedef struct {
  const char *raw;     /* as a citizen types it; normalised by the test */
  const char *first;   /* the expected best suggestion, or NULL for none */
} SuggestCase;

/* Descriptions written the way people at a kiosk write them: short, colloquial, with and
 * without ZWNJ, sometimes with Arabic letters; none is copied from the categories' own
 * examples. */
static const SuggestCase cases[] = {
  /* asphalt */
  { "یه چاله‌ی گنده وسط خیابون هست ماشینا میفتن توش", "asphalt" },
  { "آسفالت کوچه بعد از کندن لوله درست نشده و ناهموار است", "asphalt" },
  { "زمین جلوی نانوایی نشست کرده", "asphalt" },
  /* lighting */
  { "لامپ‌های کوچه سوخته و شب‌ها همه جا تاریکه", "lighting" },
  { "چراغ برق سر کوچه خاموشه", "lighting" },
  { "سیم برق از تیر آویزان شده", "lighting" },
  /* waste */
  { "سطل آشغال سر کوچه پر شده و بوی بد میده", "waste" },
  { "زباله‌ها رو سه روزه کسی جمع نکرده", "waste" },
  /* green space */
  { "درختای پارک خشک شدن کسی آب نمیده", "green-space" },
  { "شاخه درخت شکسته و آویزونه", "green-space" },
  { "درخته افتاده وسط کوچه", "green-space" },
  { "چمن‌های بوستان لگدمال و خراب شده", "green-space" },
  /* surface water */
  { "جوب گرفته و آب تو کوچه راه افتاده", "surface-water" },
  { "بعد از بارون همه جا آب‌گرفتگی داره", "surface-water" },
  /* manhole and sewer */
  { "دریچه فاضلاب باز مانده", "manhole-sewer" },
  { "در چاه کوچه مون بازه", "manhole-sewer" },
  { "منهول سر کوچه درپوش نداره", "manhole-sewer" },
  { "بوی فاضلاب کل کوچه رو برداشته", "manhole-sewer" },
  /* sidewalk */
  { "موزاییک‌های پیاده‌رو کنده شده و پای آدم گیر میکنه", "sidewalk" },
  { "مغازه جنس گذاشته تو پیاده رو و عابر رد نمیشه", "sidewalk" },
  /* debris */
  { "یکی نخاله ساختمونی ریخته کنار زمین خالی", "debris" },
  { "آجر و خاک و مصالح وسط کوچه ولو شده", "debris" },
  /* animals */
  { "سگ‌های ولگرد بچه‌ها رو می‌ترسونن", "animals" },
  { "یه گربه زخمی زیر ماشین مونده", "animals" },
  { "موش توی جوی زیاد شده", "animals" },
  { "سگای ولگرد تو کوچه", "animals" },
  /* traffic signs */
  { "تابلوی ورود ممنوع افتاده زمین", "traffic-signs" },
  { "خط‌کشی عابر پیاده دیگه معلوم نیست", "traffic-signs" },
  { "چراغ راهنمایی چهارراه خاموش است", "traffic-signs" },
  /* unsafe structure */
  { "دیوار خونه قدیمی ترک خورده داره میریزه", "unsafe-structure" },
  { "نمای ساختمان سنگاش داره میفته", "unsafe-structure" },
  /* street cleaning */
  { "کوچه خیلی کثیفه کسی جارو نمیکنه", "street-cleaning" },
  { "رفتگر چند روزه نیومده و برگ همه جا رو گرفته", "street-cleaning" },
  /* benches, playgrounds, railings */
  { "نیمکت پارک شکسته", "street-furniture" },
  { "تاب بچه ها خرابه", "street-furniture" },
  /* other */
  { "سر و صدای کارگاه جوشکاری تا نصف شب", "other" },
  /* Arabic letters as a phone keyboard types them */
  { "چراغ كوچه خاموش است و تاريكي", "lighting" },
  /* nothing to go on */
  { "سلام لطفا رسیدگی کنید", NULL },
  { "", NULL },
};

typedef struct {
  PayamStore *store;
  GPtrArray  *categories;
} Fixture;

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->store = payam_store_open (":memory:", &error);
  assert_non_null (f->store);
  assert_true (payam_store_load_defaults (f->store, &error));
  f->categories = payam_store_list_categories (f->store, &error);
  assert_non_null (f->categories);
  assert_int_equal (f->categories->len, 14);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_ptr_array_unref (f->categories);
  g_object_unref (f->store);
  g_free (f);
  return 0;
}

static void
test_cases (void **state)
{
  Fixture *f = *state;
  guint failures = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *norm = payam_text_normalize (cases[i].raw);
      g_autoptr(GPtrArray) got = payam_category_suggest (f->categories, norm,
                                                         PAYAM_CATEGORY_SUGGEST_MAX);
      const char *first = got->len > 0 ? ((PayamCategory *) got->pdata[0])->code : NULL;

      assert_true (got->len <= PAYAM_CATEGORY_SUGGEST_MAX);
      if (g_strcmp0 (first, cases[i].first) != 0)
        {
          print_error ("«%s»: expected %s first, got", cases[i].raw,
                       cases[i].first != NULL ? cases[i].first : "nothing");
          for (guint j = 0; j < got->len; j++)
            print_error (" %s", ((PayamCategory *) got->pdata[j])->code);
          print_error ("\n");
          failures++;
        }
    }
  assert_int_equal (failures, 0);
}

/* Every default category is the first suggestion for one of its own examples, so the
 * table above does not hide a category the scoring can never reach. */
static void
test_own_examples (void **state)
{
  Fixture *f = *state;

  for (guint i = 0; i < f->categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (f->categories, i);
      g_autofree char *norm = payam_text_normalize (category->examples[0]);
      g_autoptr(GPtrArray) got = payam_category_suggest (f->categories, norm,
                                                         PAYAM_CATEGORY_SUGGEST_MAX);

      assert_true (got->len > 0);
      assert_string_equal (((PayamCategory *) got->pdata[0])->code, category->code);
    }
}

/* At most @max_results, distinct, and borrowed from the list given. */
static void
test_limits (void **state)
{
  Fixture *f = *state;
  g_autofree char *norm = payam_text_normalize ("درخت شکسته روی سیم برق و چراغ افتاده و "
                                                "زباله و نخاله و آب جوی همه جا ریخته");
  g_autoptr(GPtrArray) three = payam_category_suggest (f->categories, norm, 3);
  g_autoptr(GPtrArray) one = payam_category_suggest (f->categories, norm, 1);
  g_autoptr(GPtrArray) none = payam_category_suggest (f->categories, norm, 0);

  assert_int_equal (three->len, 3);
  assert_int_equal (one->len, 1);
  assert_int_equal (none->len, 0);
  assert_ptr_equal (one->pdata[0], three->pdata[0]);
  assert_ptr_not_equal (three->pdata[0], three->pdata[1]);
  assert_ptr_not_equal (three->pdata[1], three->pdata[2]);
  for (guint i = 0; i < three->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < f->categories->len; j++)
        found |= three->pdata[i] == f->categories->pdata[j];
      assert_true (found);
    }
}

typedef struct {
  const char *raw;
  guint       n_words;
  gboolean    long_enough;
  gboolean    names_place;
  gboolean    names_time;
} HintsCase;

static const HintsCase hints_cases[] = {
  { "", 0, FALSE, FALSE, FALSE },
  { "چاله", 1, FALSE, FALSE, FALSE },
  { "چاله بزرگ است", 3, FALSE, FALSE, FALSE },
  { "چاله بزرگ و عمیق است", 5, TRUE, FALSE, FALSE },
  { "چالهٔ بزرگ جلوی نانوایی", 4, TRUE, TRUE, FALSE },
  { "چراغ کوچه‌مان سه روزه خاموشه", 5, TRUE, TRUE, TRUE },   /* "مان" is no word */
  { "از دیروز آب جمع شده", 5, TRUE, FALSE, TRUE },
  { "یک دو سه چهار", 4, FALSE, FALSE, FALSE },               /* 4 words, 11 letters */
  { "درختان خیابان‌ها خشک شده‌اند از هفته‌ها پیش", 7, TRUE, TRUE, TRUE },
  { "لامپ‌ها نمی‌سوزند", 2, FALSE, FALSE, FALSE },
};

static void
test_hints (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (hints_cases); i++)
    {
      g_autofree char *norm = payam_text_normalize (hints_cases[i].raw);
      PayamDescriptionHints hints;

      payam_description_hints (norm, &hints);
      if (hints.n_words != hints_cases[i].n_words
          || hints.long_enough != hints_cases[i].long_enough
          || hints.names_place != hints_cases[i].names_place
          || hints.names_time != hints_cases[i].names_time)
        print_error ("«%s»: %u words, long %d, place %d, time %d\n", hints_cases[i].raw,
                     hints.n_words, hints.long_enough, hints.names_place, hints.names_time);
      assert_int_equal (hints.n_words, hints_cases[i].n_words);
      assert_int_equal (hints.long_enough, hints_cases[i].long_enough);
      assert_int_equal (hints.names_place, hints_cases[i].names_place);
      assert_int_equal (hints.names_time, hints_cases[i].names_time);
    }
  {
    PayamDescriptionHints hints;

    payam_description_hints (NULL, &hints);
    assert_int_equal (hints.n_words, 0);
    assert_false (hints.long_enough);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_cases, setup, teardown),
    cmocka_unit_test_setup_teardown (test_own_examples, setup, teardown),
    cmocka_unit_test_setup_teardown (test_limits, setup, teardown),
    cmocka_unit_test (test_hints),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
