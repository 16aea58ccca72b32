/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the text similarity of short Persian messages (payam-similarity). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-similarity.h"
#include "payam-similarity-private.h"

#define ZWNJ "\u200c"

/* A small store: the messages a district's model would have seen. Several name the same
 * streets, so street names alone are not evidence of one problem. */
static const char *const corpus[] = {
  "چاله بزرگ وسط خیابان توحید جلوی مدرسه، ماشین‌ها آسیب می‌بینند",
  "لامپ تیر برق خیابان توحید روبه‌روی نانوایی سوخته و شب‌ها تاریک است",
  "زباله‌ها در کوچه دوازدهم خیابان توحید از دیروز جمع نشده",
  "آب‌گرفتگی خیابان دریان‌نو بعد از باران، جوی گرفته است",
  "سلام، درخت خشک شده در پارک دریان‌نو ممکن است بیفتد، لطفاً رسیدگی کنید",
  "پیاده‌روی خیابان دریان‌نو کنده شده و سنگ‌فرش‌ها لق هستند",
  "سگ‌های ولگرد در کوچه پشت مسجد خیابان توحید",
  "نخاله ساختمانی وسط کوچه هشتم ریخته‌اند و راه بسته است",
  "تابلوی ایست سر چهارراه توحید افتاده",
  "با سلام، دیوار قدیمی کنار بانک ترک برداشته و خطرناک است",
  "چراغ‌های پارک دریان‌نو روشن نمی‌شوند",
  "آسفالت کوچه بعد از حفاری ترمیم نشده و دست‌انداز درست شده",
  "سلام وقت بخیر، جوی آب جلوی درمانگاه پر از برگ شده",
  "مخزن زباله سر کوچه پر شده و سرریز کرده، بوی بد می‌دهد",
  "تیر چراغ برق کوچه دوازدهم کج شده و ممکن است بیفتد",
  "ایستگاه اتوبوس خیابان توحید سقف ندارد",
  "در پارک محله نیمکت‌ها شکسته‌اند و بچه‌ها زخمی می‌شوند",
  "شاخه‌های درخت در کوچهٔ یاس روی سیم برق افتاده",
  "در خیابان پرچم جوی آب بوی بد می‌دهد",
  "خط‌کشی عابر پیاده در میدان توحید پاک شده است",
  "کامیون‌ها در کوچهٔ بهار نخاله خالی کرده‌اند",
  "روغن روی آسفالت خیابان نصرت ریخته و لیز است",
  "دست‌فروشان در پیاده‌رو خیابان ستارخان راه را بسته‌اند",
  "گربه‌ای در چاه فاضلاب کوچهٔ لاله گیر افتاده",
  "سر و صدای کارگاه در شب نمی‌گذارد بخوابیم",
  "دریچهٔ فاضلاب در کوچهٔ نرگس باز مانده و خطرناک است",
};

typedef struct {
  PayamSimilarityModel *model;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->model = payam_similarity_model_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++)
    payam_similarity_model_add_document (f->model, corpus[i]);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  payam_similarity_model_free (f->model);
  g_free (f);
  return 0;
}

/* Both models the product uses: the built-in one (no store) and a store's. */
static const PayamSimilarityModel *
models (Fixture *f,
        guint    i)
{
  return i == 0 ? payam_similarity_model_get_default () : f->model;
}

static void
assert_score_range (double s)
{
  assert_false (isnan (s));
  assert_true (s >= 0.0);
  assert_true (s <= 1.0);
}

/* ---- identical and empty ---- */

static void
identical_is_one (void **state)
{
  Fixture *f = *state;
  static const char *const texts[] = {
    "چاله بزرگ وسط خیابان توحید",
    "x",
    "a b c d e f g",
    "لامپ",
    corpus[4],
  };

  for (guint m = 0; m < 2; m++)
    for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
      assert_true (payam_similarity_score (models (f, m), texts[i], texts[i]) == 1.0);
}

static void
empty_is_zero (void **state)
{
  Fixture *f = *state;
  static const char *const empties[] = { "", " ", "\t\n  \r", ZWNJ ZWNJ, "،؛.!؟ - ()", "\x01\x02" };

  for (guint m = 0; m < 2; m++)
    {
      assert_true (payam_similarity_score (models (f, m), NULL, NULL) == 0.0);
      assert_true (payam_similarity_score (models (f, m), NULL, "چاله") == 0.0);
      for (gsize i = 0; i < G_N_ELEMENTS (empties); i++)
        {
          g_autoptr(PayamTextSignature) sig = payam_text_signature_new (models (f, m), empties[i]);

          assert_true (payam_text_signature_is_empty (sig));
          assert_true (payam_similarity_score (models (f, m), empties[i], empties[i]) == 0.0);
          assert_true (payam_similarity_score (models (f, m), empties[i], "چاله وسط خیابان") == 0.0);
          assert_true (payam_similarity_score (models (f, m), "چاله وسط خیابان", empties[i]) == 0.0);
        }
    }
}

/* ---- one message written differently: at least the product threshold ---- */

typedef struct {
  const char *what;
  const char *a;
  const char *b;
} Variant;

static const Variant variants[] = {
  { "Arabic yeh and kaf",
    "چاله بزرگ وسط خیابان توحید جلوی مدرسه، ماشین‌ها آسیب می‌بینند",
    "چاله بزرگ وسط خيابان توحيد جلوي مدرسه، ماشين‌ها آسيب مي‌بينند" },
  { "Arabic kaf",
    "لامپ تیر برق کوچه دوازدهم سوخته",
    "لامپ تیر برق كوچه دوازدهم سوخته" },
  { "ZWNJ removed",
    "زباله‌ها در کوچه جمع نمی‌شوند و بوی بد می‌دهند",
    "زبالهها در کوچه جمع نمیشوند و بوی بد میدهند" },
  { "ZWNJ as a space",
    "زباله‌ها در کوچه جمع نمی‌شوند و بوی بد می‌دهند",
    "زباله ها در کوچه جمع نمی شوند و بوی بد می دهند" },
  { "Persian and ASCII digits",
    "لامپ تیر برق کوچه ۱۲ پلاک ۴۵ سوخته است",
    "لامپ تیر برق کوچه 12 پلاک 45 سوخته است" },
  { "Arabic-Indic digits",
    "دیوار پلاک ۱۸ ترک برداشته",
    "دیوار پلاک ١٨ ترک برداشته" },
  { "diacritics, tatweel and punctuation",
    "درخت خشک شده ممکن است بیفتد!",
    "درختِ خشـــک شده، مُمکن است بیفتد" },
  { "word order",
    "تیر برق کوچه دوازدهم خاموش است",
    "در کوچه دوازدهم تیر برق خاموش است" },
  { "word order, longer",
    "جوی آب جلوی درمانگاه پر از برگ شده و آب در خیابان راه افتاده",
    "آب در خیابان راه افتاده چون جوی آب جلوی درمانگاه پر از برگ شده" },
  { "plural and possessive",
    "چراغ‌های پارک روشن نمی‌شوند",
    "چراغ پارکمان روشن نمی‌شود" },
  { "greeting added",
    "سگ‌های ولگرد در کوچه پشت مسجد",
    "سلام وقت بخیر، سگ‌های ولگرد در کوچه پشت مسجد، لطفاً رسیدگی کنید" },
};

static void
variants_reach_threshold (void **state)
{
  Fixture *f = *state;

  for (guint m = 0; m < 2; m++)
    for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
      {
        double s = payam_similarity_score (models (f, m), variants[i].a, variants[i].b);

        if (s < PAYAM_SIMILARITY_THRESHOLD)
          fail_msg ("%s (model %u): %.3f < threshold", variants[i].what, m, s);
        assert_true (payam_similarity_is_duplicate (s));
      }
}

/* Spelling-only variants normalise to the same text, so they score exactly 1. */
static void
spelling_variants_are_one (void **state)
{
  Fixture *f = *state;

  for (guint m = 0; m < 2; m++)
    for (gsize i = 0; i < 2; i++)
      assert_true (payam_similarity_score (models (f, m), variants[i].a, variants[i].b) == 1.0);
  /* ZWNJ as a space, digits, diacritics */
  for (guint m = 0; m < 2; m++)
    for (gsize i = 3; i < 7; i++)
      assert_true (payam_similarity_score (models (f, m), variants[i].a, variants[i].b) == 1.0);
}

static void
word_order_is_high (void **state)
{
  Fixture *f = *state;

  for (guint m = 0; m < 2; m++)
    {
      double s = payam_similarity_score (models (f, m),
                                         "چاله بزرگ خیابان توحید جلوی مدرسه",
                                         "جلوی مدرسه خیابان توحید چاله بزرگ");

      if (s < 0.6)
        fail_msg ("reordered words (model %u): %.3f", m, s);
    }
}

/* ---- different problems: below the threshold ---- */

typedef struct {
  const char *what;
  const char *a;
  const char *b;
  gboolean    without_corpus; /* also with the built-in model alone */
} Unrelated;

/* Without a corpus the model cannot know that an alley's name or "در" is common; the
 * gazetteer's names, location words and greetings it knows. */
static const Unrelated unrelated[] = {
  { "pothole vs streetlight on one street",
    "چاله بزرگ وسط خیابان توحید جلوی مدرسه",
    "لامپ تیر برق خیابان توحید خاموش است", TRUE },
  { "garbage vs stray dogs in one alley",
    "زباله‌ها در کوچه دوازدهم جمع نشده",
    "سگ‌های ولگرد در کوچه دوازدهم", FALSE },
  { "same greeting, different problems",
    "سلام وقت بخیر، لطفاً رسیدگی کنید، نخاله ساختمانی وسط کوچه",
    "سلام وقت بخیر، لطفاً رسیدگی کنید، تابلوی ایست افتاده", TRUE },
  { "flooding vs broken bench",
    "آب‌گرفتگی شدید بعد از باران در خیابان دریان‌نو",
    "نیمکت‌های پارک دریان‌نو شکسته‌اند", TRUE },
  { "fallen sign vs cracked wall",
    "تابلوی ایست سر چهارراه توحید افتاده",
    "دیوار قدیمی کنار بانک ترک برداشته و خطرناک است", TRUE },
  { "another script",
    "The streetlight is broken",
    "چاله بزرگ وسط خیابان", TRUE },
};

static void
unrelated_below_threshold (void **state)
{
  Fixture *f = *state;

  for (guint m = 0; m < 2; m++)
    for (gsize i = 0; i < G_N_ELEMENTS (unrelated); i++)
      {
        double s;

        if (m == 0 && !unrelated[i].without_corpus)
          continue;
        s = payam_similarity_score (models (f, m), unrelated[i].a, unrelated[i].b);
        if (s >= PAYAM_SIMILARITY_THRESHOLD)
          fail_msg ("%s (model %u): %.3f >= threshold", unrelated[i].what, m, s);
      }
}

/* A duplicate outranks a different problem on the same street. */
static void
duplicate_outranks_neighbour (void **state)
{
  Fixture *f = *state;
  const char *query = "جلوی مدرسه در خيابان توحيد يك چاله عميق درست شده";

  for (guint m = 0; m < 2; m++)
    {
      double dup = payam_similarity_score (models (f, m), query, corpus[0]);
      double other = payam_similarity_score (models (f, m), query, corpus[1]);

      assert_true (dup > other);
    }
}

/* ---- hostile input ---- */

static void
long_and_control_input (void **state)
{
  Fixture *f = *state;
  g_autoptr(GString) long_a = g_string_new (NULL);
  g_autoptr(GString) long_b = g_string_new (NULL);
  g_autofree char *controls = g_strdup ("چاله\x01\x02 وسط\x1b خیابان\x7f\t\r\n");

  while (g_utf8_strlen (long_a->str, -1) < 10000)
    g_string_append (long_a, "چاله بزرگ وسط خیابان ");
  while (g_utf8_strlen (long_b->str, -1) < 10000)
    g_string_append (long_b, "لامپ\x01 تیر برق ۱۲۳ ");

  for (guint m = 0; m < 2; m++)
    {
      double s;

      assert_true (payam_similarity_score (models (f, m), long_a->str, long_a->str) == 1.0);
      s = payam_similarity_score (models (f, m), long_a->str, long_b->str);
      assert_score_range (s);
      assert_true (s < PAYAM_SIMILARITY_THRESHOLD);
      s = payam_similarity_score (models (f, m), long_a->str, "چاله بزرگ وسط خیابان");
      assert_score_range (s);
      assert_true (s >= PAYAM_SIMILARITY_THRESHOLD);
      s = payam_similarity_score (models (f, m), controls, "چاله وسط خیابان");
      assert_true (s == 1.0);
      /* invalid UTF-8 is repaired, not trusted */
      s = payam_similarity_score (models (f, m), "\xff\xfe چاله \xc3", "چاله");
      assert_score_range (s);
    }

  payam_similarity_model_add_document (f->model, long_a->str);
  payam_similarity_model_add_document (f->model, controls);
  assert_score_range (payam_similarity_score (f->model, long_b->str, controls));
}

/* ---- properties ---- */

static void
symmetric (void **state)
{
  Fixture *f = *state;

  for (guint m = 0; m < 2; m++)
    for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++)
      for (gsize j = 0; j < G_N_ELEMENTS (corpus); j++)
        {
          double ij = payam_similarity_score (models (f, m), corpus[i], corpus[j]);
          double ji = payam_similarity_score (models (f, m), corpus[j], corpus[i]);

          assert_true (ij == ji);
          assert_score_range (ij);
          if (i == j)
            assert_true (ij == 1.0);
          else
            assert_true (ij < 1.0);
        }
}

/* Random text from a fixed seed: mostly Persian letters, some anything-goes code points. */
static char *
random_text (GRand *rand)
{
  static const gunichar persian[] = {
    0x0627, 0x0628, 0x067E, 0x062A, 0x062C, 0x0686, 0x062D, 0x062E, 0x062F, 0x0631, 0x0632,
    0x0633, 0x0634, 0x0639, 0x0641, 0x0642, 0x06A9, 0x06AF, 0x0644, 0x0645, 0x0646, 0x0648,
    0x0647, 0x06CC, 0x064A, 0x0643, 0x200C, 0x06F1, 0x0661, ' ', ' ', ' ',
  };
  GString *s = g_string_new (NULL);
  gint32 len = g_rand_int_range (rand, 0, 80);

  for (gint32 i = 0; i < len; i++)
    {
      gunichar c;

      if (g_rand_int_range (rand, 0, 4) > 0)
        c = persian[g_rand_int_range (rand, 0, G_N_ELEMENTS (persian))];
      else
        c = (gunichar) g_rand_int_range (rand, 1, 0x110000);
      if (!g_unichar_validate (c))
        c = 0xFFFD;
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

static void
fuzz (void **state)
{
  Fixture *f = *state;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr(PayamSimilarityModel) grown = payam_similarity_model_new ();

  for (int round = 0; round < 2000; round++)
    {
      g_autofree char *a = random_text (rand);
      g_autofree char *b = random_text (rand);
      g_autoptr(PayamTextSignature) sa = payam_text_signature_new (f->model, a);
      g_autoptr(PayamTextSignature) sb = payam_text_signature_new (f->model, b);
      double s = payam_similarity_score (f->model, a, b);

      assert_score_range (s);
      assert_true (s == payam_similarity_score (f->model, b, a));
      assert_true (s == payam_text_signature_score (sa, sb));
      assert_score_range (payam_similarity_score (NULL, a, b));
      assert_score_range (payam_similarity_score (grown, a, b));
      if (!payam_text_signature_is_empty (sa))
        assert_true (payam_text_signature_score (sa, sa) == 1.0);
      payam_similarity_model_add_document (grown, a);
    }
  assert_int_equal (payam_similarity_model_get_n_documents (grown), 2000);
}

/* Growing the model changes weights, never the range, and identical texts stay at 1. */
static void
growing_model_keeps_range (void **state)
{
  g_autoptr(PayamSimilarityModel) model = payam_similarity_model_new ();
  (void) state;

  for (gsize n = 0; n <= G_N_ELEMENTS (corpus); n++)
    {
      if (n > 0)
        payam_similarity_model_add_document (model, corpus[n - 1]);
      assert_int_equal (payam_similarity_model_get_n_documents (model), n);
      for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++)
        {
          assert_true (payam_similarity_score (model, corpus[i], corpus[i]) == 1.0);
          for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
            assert_score_range (payam_similarity_score (model, corpus[i], variants[v].b));
        }
    }
  /* The same document many times: its grams become common, scores stay in range. */
  for (int i = 0; i < 500; i++)
    payam_similarity_model_add_document (model, corpus[0]);
  assert_score_range (payam_similarity_score (model, corpus[0], variants[0].b));
  assert_true (payam_similarity_score (model, corpus[0], corpus[0]) == 1.0);
}

/* Shared words that many stored messages use count for less than rare ones. */
static void
document_frequency_weighs (void **state)
{
  g_autoptr(PayamSimilarityModel) model = payam_similarity_model_new ();
  const char *a = "نیمکت شکسته کنار استخر";
  const char *b = "نیمکت شکسته کنار کتابخانه";
  const char *c = "چراغ خاموش کنار استخر";
  double before_ab, before_ac, after_ab, after_ac;
  (void) state;

  before_ab = payam_similarity_score (model, a, b);
  before_ac = payam_similarity_score (model, a, c);
  /* Many messages mention the pool; broken benches are rare. */
  for (int i = 0; i < 50; i++)
    {
      g_autofree char *doc = g_strdup_printf ("مشکل شماره %d کنار استخر", i);

      payam_similarity_model_add_document (model, doc);
    }
  after_ab = payam_similarity_score (model, a, b);
  after_ac = payam_similarity_score (model, a, c);
  assert_true (after_ac < before_ac);
  assert_true (after_ab > before_ab);
  assert_true (after_ab > after_ac);
}

static void
remove_undoes_add (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamSimilarityModel) model = payam_similarity_model_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++)
    payam_similarity_model_add_document (model, corpus[i]);
  payam_similarity_model_add_document (model, "نیمکت پارک شکسته");
  payam_similarity_model_add_document (model, "");
  payam_similarity_model_remove_document (model, "نیمکت پارک شکسته");
  payam_similarity_model_remove_document (model, "");
  assert_int_equal (payam_similarity_model_get_n_documents (model),
                    payam_similarity_model_get_n_documents (f->model));
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    assert_true (payam_similarity_score (model, variants[i].a, variants[i].b)
                 == payam_similarity_score (f->model, variants[i].a, variants[i].b));

  /* Removing what was never added keeps counts at zero and the score in range. */
  {
    g_autoptr(PayamSimilarityModel) empty = payam_similarity_model_new ();

    payam_similarity_model_remove_document (empty, "هرگز اضافه نشده");
    payam_similarity_model_remove_document (empty, "هرگز اضافه نشده");
    assert_int_equal (payam_similarity_model_get_n_documents (empty), 0);
    assert_score_range (payam_similarity_score (empty, "هرگز اضافه نشده", "اضافه نشده"));
  }
}

/* A place name the store adds as common counts for less once it is marked. */
static void
common_text_counts_less (void **state)
{
  Fixture *f = *state;
  PayamSimilarityModel *model = f->model;
  const char *a = "نیمکت شکسته در بوستان شقایق";
  const char *b = "چراغ خاموش در بوستان شقایق";
  double before, after;

  before = payam_similarity_score (model, a, b);
  payam_similarity_model_add_common_text (model, "بوستان شقایق");
  after = payam_similarity_score (model, a, b);
  assert_true (after < before);
  assert_true (after < PAYAM_SIMILARITY_THRESHOLD);
  assert_true (payam_similarity_score (model, a, a) == 1.0);
}

/* ---- signatures ---- */

static void
check_unit_sorted (const PayamSignatureGram *g,
                   guint                     n)
{
  double norm2 = 0.0;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        assert_true (g[i - 1].id < g[i].id);
      assert_true (g[i].weight > 0.0f);
      norm2 += (double) g[i].weight * g[i].weight;
    }
  if (n > 0)
    assert_true (fabs (norm2 - 1.0) < 1e-5);
}

static void
signatures (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) sigs = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_text_signature_free);

  for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      PayamTextSignature *sig = payam_text_signature_new (f->model, corpus[i]);
      const PayamSignatureGram *g;
      guint n_char = 0, n_word = 0;

      g = payam_text_signature_get_char_grams (sig, &n_char);
      check_unit_sorted (g, n_char);
      assert_true (n_char > 10);
      g = payam_text_signature_get_word_grams (sig, &n_word);
      check_unit_sorted (g, n_word);
      assert_true (n_word >= 3);
      assert_false (payam_text_signature_is_empty (sig));
      g_ptr_array_add (sigs, sig);
    }

  for (guint i = 0; i < sigs->len; i++)
    {
      g_autoptr(PayamTextSignature) copy = payam_text_signature_copy (sigs->pdata[i]);

      for (guint j = 0; j < sigs->len; j++)
        {
          double direct = payam_similarity_score (f->model, corpus[i], corpus[j]);

          assert_true (payam_text_signature_score (sigs->pdata[i], sigs->pdata[j]) == direct);
          assert_true (payam_text_signature_score (copy, sigs->pdata[j]) == direct);
        }
    }
}

/* ---- stemming ---- */

static void
stems (void **state)
{
  static const struct {
    const char *word;
    const char *stem;
  } table[] = {
    { "خیابانها", "خیاب" },
    { "خیابان", "خیاب" },
    { "چراغهای", "چراغ" },
    { "چراغها", "چراغ" },
    { "پارکمان", "پارک" },
    { "بزرگترین", "بزرگ" },
    { "بزرگتر", "بزرگ" },
    { "لامپ", "لامپ" },
    { "اب", "اب" },
    { "شد", "شد" },
    { "", "" },
    { "abc", "abc" },
  };
  (void) state;

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *stem = _payam_similarity_stem (table[i].word);

      assert_string_equal (stem, table[i].stem);
    }
}

static void
thresholds_ordered (void **state)
{
  (void) state;
  assert_true (PAYAM_SIMILARITY_REVIEW_THRESHOLD > 0.0);
  assert_true (PAYAM_SIMILARITY_REVIEW_THRESHOLD < PAYAM_SIMILARITY_THRESHOLD);
  assert_true (PAYAM_SIMILARITY_THRESHOLD < 1.0);
  assert_true (payam_similarity_is_duplicate (PAYAM_SIMILARITY_THRESHOLD));
  assert_false (payam_similarity_is_duplicate (PAYAM_SIMILARITY_REVIEW_THRESHOLD));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (identical_is_one, setup, teardown),
    cmocka_unit_test_setup_teardown (empty_is_zero, setup, teardown),
    cmocka_unit_test_setup_teardown (variants_reach_threshold, setup, teardown),
    cmocka_unit_test_setup_teardown (spelling_variants_are_one, setup, teardown),
    cmocka_unit_test_setup_teardown (word_order_is_high, setup, teardown),
    cmocka_unit_test_setup_teardown (unrelated_below_threshold, setup, teardown),
    cmocka_unit_test_setup_teardown (duplicate_outranks_neighbour, setup, teardown),
    cmocka_unit_test_setup_teardown (long_and_control_input, setup, teardown),
    cmocka_unit_test_setup_teardown (symmetric, setup, teardown),
    cmocka_unit_test_setup_teardown (fuzz, setup, teardown),
    cmocka_unit_test (growing_model_keeps_range),
    cmocka_unit_test (document_frequency_weighs),
    cmocka_unit_test_setup_teardown (remove_undoes_add, setup, teardown),
    cmocka_unit_test_setup_teardown (common_text_counts_less, setup, teardown),
    cmocka_unit_test_setup_teardown (signatures, setup, teardown),
    cmocka_unit_test (stems),
    cmocka_unit_test (thresholds_ordered),
  };

  return cmocka_run_group_tests_name ("similarity", tests, NULL, NULL);
}
