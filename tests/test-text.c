/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for Persian text normalisation, digit folding and bidi isolation (payam-text). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-text.h"

/* Invisible characters are written as escapes so that the table can be read. */
#define ZWNJ "\u200c"
#define ZWJ "\u200d"
#define LRM "\u200e"
#define RLM "\u200f"
#define ALM "\u061c"
#define ZWSP "\u200b"
#define NBSP "\u00a0"
#define FATHA "\u064e"
#define KASRA "\u0650"
#define DAMMA "\u064f"
#define SHADDA "\u0651"
#define SUKUN "\u0652"
#define TANWIN_FATH "\u064b"
#define TANWIN_DAMM "\u064c"
#define SUPERSCRIPT_ALEF "\u0670"
#define TATWEEL "\u0640"

typedef struct {
  const char *input;
  const char *normalized;
  const char *compact;
} Case;

static const Case cases[] = {
  /* Arabic yeh and kaf, alef maksura → Persian */
  { "كيك", "کیک", "کیک" },
  { "علي", "علی", "علی" },
  { "مصطفى", "مصطفی", "مصطفی" },
  { "كوچه", "کوچه", "کوچه" },
  /* ZWNJ and friends are word joiners: a space, or nothing when compact */
  { "می" ZWNJ "شود", "می شود", "میشود" },
  { "میشود", "میشود", "میشود" },
  { "می شود", "می شود", "میشود" },
  { "خیابان" ZWJ "ها", "خیابان ها", "خیابانها" },
  { RLM "چراغ" LRM " برق" ALM, "چراغ برق", "چراغبرق" },
  { "لامپ" ZWSP "سوخته", "لامپ سوخته", "لامپسوخته" },
  { "کوچه" NBSP "۱۲", "کوچه 12", "کوچه12" },
  { "نیم\u00acفاصله", "نیم فاصله", "نیمفاصله" },
  /* diacritics, tatweel and superscript alef removed */
  { "سَلام", "سلام", "سلام" },
  { "بِسم", "بسم", "بسم" },
  { "مُحَمَّد", "محمد", "محمد" },
  { "فوراً", "فورا", "فورا" },
  { "کتابٌ", "کتاب", "کتاب" },
  { "جُرْم", "جرم", "جرم" },
  { "رحمٰن", "رحمن", "رحمن" },
  { "خـــیابان", "خیابان", "خیابان" },
  /* heh, alef and waw variants */
  { "مدرسة", "مدرسه", "مدرسه" },
  { "خانۀ ما", "خانه ما", "خانهما" },
  { "أحمد إمام ٱلله", "احمد امام الله", "احمدامامالله" },
  { "آب", "اب", "اب" },
  { "مسئول", "مسیول", "مسیول" },
  { "مؤسسه", "موسسه", "موسسه" },
  { "ھمه ہم ە", "همه هم ه", "همههمه" },
  /* every digit form to ASCII */
  { "پلاک ۱۲", "پلاک 12", "پلاک12" },
  { "پلاک ١٢", "پلاک 12", "پلاک12" },
  { "پلاک 12", "پلاک 12", "پلاک12" },
  { "۰۹۱۲٣٤٥6789", "09123456789", "09123456789" },
  { "१२३", "123", "123" },
  /* presentation forms and ligatures through NFKC */
  { "ﻫﻼﻝ", "هلال", "هلال" },
  { "ﷲ", "الله", "الله" },
  { "ﻻ", "لا", "لا" },
  { "ﯽ", "ی", "ی" },
  { "ﮐﻮﭼﻪ", "کوچه", "کوچه" },
  { "ﬁle", "file", "file" },
  { "①②", "12", "12" },
  /* punctuation and symbols, Persian and Latin, become spaces */
  { "سلام، خوبید؟ بله؛ «آری»", "سلام خوبید بله اری", "سلامخوبیدبلهاری" },
  { "چاله!!! (خیلی بزرگ) ...", "چاله خیلی بزرگ", "چالهخیلیبزرگ" },
  { "۵۰٪ $ + = € ✓", "50", "50" },
  { "a-b_c/d\\e", "a b c d e", "abcde" },
  /* Latin lower-cased; other scripts kept */
  { "Street LAMP", "street lamp", "streetlamp" },
  { "ÉCOLE", "école", "école" },
  { "ΑΒΓ Привет", "αβγ привет", "αβγпривет" },
  { "漢字 かな", "漢字 かな", "漢字かな" },
  /* spaces collapsed and trimmed; control characters dropped; line breaks are spaces */
  { "  چاله   در \t خیابان\n\n", "چاله در خیابان", "چالهدرخیابان" },
  { "چا\x01له\x7f", "چاله", "چاله" },
  { "خط\r\nدوم\u2028سوم", "خط دوم سوم", "خطدومسوم" },
  { "a\u3000b\u2003c", "a b c", "abc" },
  /* a mark left after tatweel removal composes: still idempotent */
  { "e" TATWEEL "\u0301", "é", "é" },
  /* empty and blank */
  { "", "", "" },
  { "   ", "", "" },
  { ZWNJ ZWNJ NBSP "\t", "", "" },
  { "،؛؟«»", "", "" },
};

/* Spellings of one message that must normalise identically. */
static const char *const same_groups[][8] = {
  { "کوچه ۱۲", "كوچه ١٢", "کوچه 12", "کوچـــه\u00a012", "ﮐﻮﭼﻪ ۱۲", "کُوچه ۱۲", NULL },
  { "چراغ برق خیابان خاموش است",
    "چراغ برق خيابان خاموش است",
    "چراغِ برقِ خیابان خاموش است.",
    "  چراغ\u00a0برق  خیابان خاموش\u200cاست ",
    "چراغ برق خيابان خاموش است!!",
    NULL },
  { "آسفالت خراب شده", "اسفالت خراب شده", "آسفالت خراب\u200cشده", "آسـفالت خراب شدِه", NULL },
  { "درب مدرسه", "درب مدرسة", "درب مدرسۀ", "دَرب مَدرِسه", NULL },
  { "لطفاً رسیدگی کنید", "لطفا رسیدگی کنید", "لطفاً رسيدگي كنيد", "لطفا، رسیدگی کنید!", NULL },
};

static void
test_normalize_table (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *norm = payam_text_normalize (cases[i].input);
      g_autofree char *compact = payam_text_normalize_compact (cases[i].input);

      if (g_strcmp0 (norm, cases[i].normalized) != 0
          || g_strcmp0 (compact, cases[i].compact) != 0)
        print_error ("case %" G_GSIZE_FORMAT ": \"%s\" gave \"%s\" / \"%s\"\n",
                     i, cases[i].input, norm, compact);
      assert_string_equal (norm, cases[i].normalized);
      assert_string_equal (compact, cases[i].compact);
    }
}

static void
test_normalize_idempotent (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *once = payam_text_normalize (cases[i].input);
      g_autofree char *twice = payam_text_normalize (once);
      g_autofree char *compact_once = payam_text_normalize_compact (cases[i].input);
      g_autofree char *compact_twice = payam_text_normalize_compact (compact_once);

      assert_string_equal (once, twice);
      assert_string_equal (compact_once, compact_twice);
    }
}

static void
test_normalize_same (void **state)
{
  for (gsize g = 0; g < G_N_ELEMENTS (same_groups); g++)
    {
      g_autofree char *first = payam_text_normalize (same_groups[g][0]);

      for (gsize i = 1; same_groups[g][i] != NULL; i++)
        {
          g_autofree char *other = payam_text_normalize (same_groups[g][i]);

          if (g_strcmp0 (first, other) != 0)
            print_error ("group %" G_GSIZE_FORMAT ": \"%s\" ≠ \"%s\"\n", g, first, other);
          assert_string_equal (first, other);
        }
    }

  /* The compact form also joins the spelling with a space and the one without. */
  {
    g_autofree char *a = payam_text_normalize_compact ("می\u200cشود");
    g_autofree char *b = payam_text_normalize_compact ("میشود");
    g_autofree char *c = payam_text_normalize_compact ("می شود");

    assert_string_equal (a, b);
    assert_string_equal (b, c);
  }
}

static void
test_normalize_bad_input (void **state)
{
  g_autofree char *null_norm = payam_text_normalize (NULL);
  g_autofree char *null_compact = payam_text_normalize_compact (NULL);
  g_autofree char *bad = payam_text_normalize ("چاله\xff\xfe در\xc3 کوچه\xed\xa0\x80");
  g_autofree char *overlong = payam_text_normalize ("\xc0\xaf" "abc");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *big_norm = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);

  assert_string_equal (null_norm, "");
  assert_string_equal (null_compact, "");

  /* g_utf8_make_valid turns each bad sequence into U+FFFD, a symbol, hence a space. */
  assert_true (g_utf8_validate (bad, -1, NULL));
  assert_string_equal (bad, "چاله در کوچه");
  assert_true (g_utf8_validate (overlong, -1, NULL));
  assert_string_equal (overlong, "abc");

  /* 10,000 characters in Arabic spelling, with joiners and digits. */
  for (int i = 0; i < 1000; i++)
    {
      g_string_append (big, "كوچهٔ\u200c١٢، ");
      g_string_append (expected, i == 0 ? "کوچه 12" : " کوچه 12");
    }
  assert_int_equal (g_utf8_strlen (big->str, -1), 10000);
  big_norm = payam_text_normalize (big->str);
  assert_string_equal (big_norm, expected->str);

  /* One character that NFKC expands 18 times, many times over. */
  {
    g_autoptr(GString) wide = g_string_new (NULL);
    g_autofree char *wide_norm = NULL;

    for (int i = 0; i < 500; i++)
      g_string_append (wide, "\ufdfa");
    wide_norm = payam_text_normalize (wide->str);
    assert_true (g_utf8_validate (wide_norm, -1, NULL));
    assert_true (g_str_has_prefix (wide_norm, "صلی الله علیه وسلمصلی"));
  }
}

/* The result of normalising anything: valid UTF-8, no leading, trailing or doubled space,
 * no control characters, stable when normalised again; compact has no space at all. */
static void
check_normalized (const char *input)
{
  g_autofree char *norm = payam_text_normalize (input);
  g_autofree char *again = NULL;
  g_autofree char *compact = payam_text_normalize_compact (input);
  gsize len = strlen (norm);

  assert_true (g_utf8_validate (norm, -1, NULL));
  assert_true (g_utf8_validate (compact, -1, NULL));
  assert_null (strstr (norm, "  "));
  assert_null (strchr (compact, ' '));
  if (len > 0)
    {
      assert_true (norm[0] != ' ');
      assert_true (norm[len - 1] != ' ');
    }
  for (const char *p = norm; *p != '\0'; p++)
    assert_true ((guchar) *p >= 0x20 && *p != 0x7f);

  again = payam_text_normalize (norm);
  if (strcmp (norm, again) != 0)
    {
      g_autofree char *escaped = g_strescape (input, NULL);

      print_error ("not idempotent for \"%s\"\n", escaped);
    }
  assert_string_equal (norm, again);
}

static void
test_fuzz (void **state)
{
  /* Code points drawn from the ranges where the rules live, plus anything at all. */
  static const gunichar ranges[][2] = {
    { 0x0000, 0x007F }, { 0x0080, 0x024F }, { 0x0300, 0x036F }, { 0x0600, 0x06FF },
    { 0x0750, 0x077F }, { 0x08A0, 0x08FF }, { 0x2000, 0x206F }, { 0xFB50, 0xFDFF },
    { 0xFE70, 0xFEFF }, { 0x0900, 0x0DFF }, { 0x1D400, 0x1D7FF }, { 0x0000, 0x10FFFF },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);

  for (int i = 0; i < 20000; i++)
    {
      char bytes[65];
      gint32 len = g_rand_int_range (rand, 0, 65);

      for (gint32 j = 0; j < len; j++)
        bytes[j] = (char) g_rand_int_range (rand, 1, 256);
      bytes[len] = '\0';
      check_normalized (bytes);
    }

  for (int i = 0; i < 20000; i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      gint32 len = g_rand_int_range (rand, 0, 40);

      for (gint32 j = 0; j < len; j++)
        {
          const gunichar *r = ranges[g_rand_int_range (rand, 0, G_N_ELEMENTS (ranges))];
          gunichar c = (gunichar) g_rand_int_range (rand, (gint32) r[0], (gint32) r[1] + 1);

          /* Surrogates and NUL cannot be encoded in a C string of valid UTF-8. */
          if (c == 0 || (c >= 0xD800 && c <= 0xDFFF))
            c = 0x0645;
          g_string_append_unichar (s, c);
        }
      check_normalized (s->str);
    }
}

/* @ascii is digits_to_ascii (@input); @persian is digits_to_persian (@ascii). */
typedef struct {
  const char *input;
  const char *ascii;
  const char *persian;
} DigitCase;

static const DigitCase digit_cases[] = {
  { "", "", "" },
  { "0123456789", "0123456789", "۰۱۲۳۴۵۶۷۸۹" },
  { "۰۱۲۳۴۵۶۷۸۹", "0123456789", "۰۱۲۳۴۵۶۷۸۹" },
  { "٠١٢٣٤٥٦٧٨٩", "0123456789", "۰۱۲۳۴۵۶۷۸۹" },
  { "پلاک ۱2٣، واحد 4", "پلاک 123، واحد 4", "پلاک ۱۲۳، واحد ۴" },
  { "کد: AB-12 ٬ ۳", "کد: AB-12 ٬ 3", "کد: AB-۱۲ ٬ ۳" },
  { "१२ ๓", "12 3", "۱۲ ۳" },
  { "①²", "①²", "①²" },
};

static void
test_digits (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (digit_cases); i++)
    {
      g_autofree char *ascii = payam_text_digits_to_ascii (digit_cases[i].input);
      g_autofree char *persian = payam_text_digits_to_persian (digit_cases[i].ascii);

      assert_string_equal (ascii, digit_cases[i].ascii);
      assert_string_equal (persian, digit_cases[i].persian);
    }

  {
    g_autofree char *p = payam_text_digits_to_persian ("12 ١٢");
    g_autofree char *a = payam_text_digits_to_ascii ("۱\xff۲");
    g_autofree char *n1 = payam_text_digits_to_ascii (NULL);
    g_autofree char *n2 = payam_text_digits_to_persian (NULL);

    /* Only ASCII digits change; other scripts are left to digits_to_ascii. */
    assert_string_equal (p, "۱۲ ١٢");
    assert_string_equal (a, "1\ufffd2");
    assert_string_equal (n1, "");
    assert_string_equal (n2, "");
  }
}

static void
test_isolate (void **state)
{
  g_autofree char *latin = payam_text_isolate ("Tohid St.");
  g_autofree char *empty = payam_text_isolate ("");
  g_autofree char *null = payam_text_isolate (NULL);

  assert_string_equal (latin, "\u2068Tohid St.\u2069");
  assert_string_equal (empty, "\u2068\u2069");
  assert_string_equal (null, "\u2068\u2069");
  assert_memory_equal (latin, "\xe2\x81\xa8", 3);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_normalize_table),
    cmocka_unit_test (test_normalize_idempotent),
    cmocka_unit_test (test_normalize_same),
    cmocka_unit_test (test_normalize_bad_input),
    cmocka_unit_test (test_fuzz),
    cmocka_unit_test (test_digits),
    cmocka_unit_test (test_isolate),
  };

  return cmocka_run_group_tests_name ("text", tests, NULL, NULL);
}
