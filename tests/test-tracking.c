/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of tracking codes: Damm check digit (exhaustive error detection), parsing, format, suggest. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-format.h"
#include "payam-tracking.h"

/* Check digits worked out by hand with the Damm table (and cross-checked with an
 * independent implementation): the interim digit over the first 11 digits. */
static void
test_make (void **state)
{
  static const struct {
    guint       prefix;
    guint32     seq;
    const char *code;
  } cases[] = {
    { 12, 45, "001200000454" },
    { 1, 0, "000100000006" },
    { 1, 1, "000100000011" },
    { 42, 7, "004200000075" },
    { 137, 1234567, "013712345672" },
    { PAYAM_TRACKING_PREFIX_MAX, PAYAM_TRACKING_SEQ_MAX, "999999999999" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = payam_tracking_code_make (cases[i].prefix, cases[i].seq);
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = NULL;

      assert_string_equal (code, cases[i].code);
      parsed = payam_tracking_code_parse (code, &error);
      assert_non_null (parsed);
      assert_null (error);
      assert_string_equal (parsed, code);
    }
}

/* The Wikipedia example of the Damm algorithm: 572 gets the check digit 4. Checked
 * through the parser, since 12 digits with leading zeros keep the same interim
 * (0 * 0 = 0 in the table). */
static void
test_damm_reference (void **state)
{
  g_autofree char *good = payam_tracking_code_parse ("000000005724", NULL);
  g_autofree char *bad = payam_tracking_code_parse ("000000005723", NULL);

  assert_string_equal (good, "000000005724");
  assert_null (bad);
}

/* Codes for the exhaustive tests: the edges and random ones from a fixed seed. */
static GPtrArray *
sample_codes (guint n)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (137);

  g_ptr_array_add (codes, payam_tracking_code_make (1, 0));
  g_ptr_array_add (codes, payam_tracking_code_make (9999, 9999999));
  g_ptr_array_add (codes, payam_tracking_code_make (1111, 1111111));
  while (codes->len < n)
    g_ptr_array_add (codes, payam_tracking_code_make (g_rand_int_range (rand, 1, 10000),
                                                      g_rand_int_range (rand, 0, 10000000)));

  return codes;
}

/* TRUE when @text parses as a code; otherwise asserts that the error is CHECK. */
static gboolean
passes_check (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = payam_tracking_code_parse (text, &error);

  if (code != NULL)
    return TRUE;

  assert_true (g_error_matches (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHECK));
  return FALSE;
}

static void
test_every_substitution_detected (void **state)
{
  g_autoptr(GPtrArray) codes = sample_codes (2000);
  guint tried = 0;

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      char typo[13];

      assert_true (passes_check (code));

      for (guint pos = 0; pos < 12; pos++)
        for (char d = '0'; d <= '9'; d++)
          {
            if (d == code[pos])
              continue;
            memcpy (typo, code, sizeof typo);
            typo[pos] = d;
            if (passes_check (typo))
              fail_msg ("%s → %s not detected", code, typo);
            tried++;
          }
    }

  assert_int_equal (tried, 2000 * 12 * 9);
}

static void
test_every_transposition_detected (void **state)
{
  g_autoptr(GPtrArray) codes = sample_codes (2000);
  guint tried = 0;

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      char typo[13];

      for (guint pos = 0; pos + 1 < 12; pos++)
        {
          if (code[pos] == code[pos + 1])
            continue;
          memcpy (typo, code, sizeof typo);
          typo[pos] = code[pos + 1];
          typo[pos + 1] = code[pos];
          if (passes_check (typo))
            fail_msg ("%s → %s not detected", code, typo);
          tried++;
        }
    }

  /* Random codes have few equal neighbours: most of the 11 swaps per code were tried. */
  assert_true (tried > 2000 * 9);
}

/* @base (11 digits) completed with the one check digit that passes; asserts that exactly
 * one of the ten does (Damm: a single error in the check digit is detected too). */
static char *
complete (const char *base)
{
  char *code = NULL;

  for (char c = '0'; c <= '9'; c++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s%c", base, c);

      if (passes_check (candidate))
        {
          assert_null (code);
          code = g_steal_pointer (&candidate);
        }
    }

  assert_non_null (code);
  return code;
}

/* Every pair of different digits, at every adjacent position, swapped: not only in
 * random codes. The swap of the last data digit with the check digit is covered for
 * every (digit, check digit) pair. */
static void
test_transpositions_all_pairs (void **state)
{
  gboolean check_pairs[10][10] = { { FALSE } };

  for (guint pos = 0; pos + 1 < 11; pos++)
    for (char a = '0'; a <= '9'; a++)
      for (char b = '0'; b <= '9'; b++)
        {
          char base[12] = "00000000000";
          g_autofree char *code = NULL;
          char typo[13];

          if (a == b)
            continue;
          base[pos] = a;
          base[pos + 1] = b;
          code = complete (base);
          memcpy (typo, code, sizeof typo);
          typo[pos] = b;
          typo[pos + 1] = a;
          assert_false (passes_check (typo));
        }

  for (char d9 = '0'; d9 <= '9'; d9++)
    for (char x = '0'; x <= '9'; x++)
      {
        char base[12] = "00000000000";
        g_autofree char *code = NULL;
        char typo[13];

        base[9] = d9;
        base[10] = x;
        code = complete (base);
        check_pairs[code[10] - '0'][code[11] - '0'] = TRUE;
        if (code[10] == code[11])
          continue;
        memcpy (typo, code, sizeof typo);
        typo[10] = code[11];
        typo[11] = code[10];
        assert_false (passes_check (typo));
      }

  for (guint x = 0; x < 10; x++)
    for (guint y = 0; y < 10; y++)
      assert_true (check_pairs[x][y]);
}

static void
test_parse_forms (void **state)
{
  static const struct {
    const char *what;
    const char *input;
  } cases[] = {
    { "ASCII", "001200000454" },
    { "ASCII grouped", "0012-0000045-4" },
    { "Persian", "۰۰۱۲۰۰۰۰۰۴۵۴" },
    { "Persian grouped", "۰۰۱۲-۰۰۰۰۰۴۵-۴" },
    { "Arabic-Indic", "٠٠١٢٠٠٠٠٠٤٥٤" },
    { "Arabic-Indic spaced", "٠٠١٢ ٠٠٠٠٠٤٥ ٤" },
    { "mixed scripts", "۰0١2-۰۰00٠۴5-۴" },
    { "spaces and tabs", "  0012\t0000045 \t4  " },
    { "underscores, dots, slashes", "0012_000.0045/4" },
    { "ZWNJ and marks", "۰۰۱۲\u200c۰۰۰۰۰۴۵\u200f-\u200e۴" },
    { "Arabic separators", "۰۰۱۲٬۰۰۰۰۰۴۵،۴" },
    { "isolated in a sentence", "\u2068۰۰۱۲-۰۰۰۰۰۴۵-۴\u2069" },
    { "dashes", "0012\u20130000045\u20144" },
    { "new line from a scanner", "001200000454\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = payam_tracking_code_parse (cases[i].input, &error);

      if (code == NULL)
        fail_msg ("%s: %s", cases[i].what, error->message);
      assert_string_equal (code, "001200000454");
    }
}

static void
test_parse_errors (void **state)
{
  static const struct {
    const char *what;
    const char *input;
    int         code;
  } cases[] = {
    { "NULL", NULL, PAYAM_TRACKING_ERROR_EMPTY },
    { "empty", "", PAYAM_TRACKING_ERROR_EMPTY },
    { "separators only", " - \u200c / ", PAYAM_TRACKING_ERROR_EMPTY },
    { "a letter", "0012a0000454", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "a Persian letter", "۰۰۱۲ک۰۰۰۰۰۴۵۴", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "a plus", "+001200000454", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "a colon", "0012:00000454", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "letters only", "abc", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "invalid UTF-8", "0012\xff" "00000454", PAYAM_TRACKING_ERROR_CHARACTERS },
    { "too short", "۱۲۳", PAYAM_TRACKING_ERROR_LENGTH },
    { "one short", "00120000045", PAYAM_TRACKING_ERROR_LENGTH },
    { "one long", "0012000004540", PAYAM_TRACKING_ERROR_LENGTH },
    { "far too long", "00120000045400120000045400120000045", PAYAM_TRACKING_ERROR_LENGTH },
    { "typo", "001200000464", PAYAM_TRACKING_ERROR_CHECK },
    { "swap", "001200000544", PAYAM_TRACKING_ERROR_CHECK },
    { "Persian typo", "۰۰۱۲-۰۰۰۰۰۴۵-۷", PAYAM_TRACKING_ERROR_CHECK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = payam_tracking_code_parse (cases[i].input, &error);

      if (code != NULL)
        fail_msg ("%s: accepted as %s", cases[i].what, code);
      if (!g_error_matches (error, PAYAM_TRACKING_ERROR, cases[i].code))
        fail_msg ("%s: error %d, expected %d", cases[i].what, error->code, cases[i].code);
      assert_true (g_utf8_validate (error->message, -1, NULL));
      assert_true (strlen (error->message) > 10);
    }
}

static void
test_error_messages (void **state)
{
  g_autoptr(GError) check = NULL;
  g_autoptr(GError) length = NULL;
  g_autofree char *a = payam_tracking_code_parse ("001200000464", &check);
  g_autofree char *b = payam_tracking_code_parse ("0012", &length);

  /* LC_ALL=C: the English msgids. The check error says it is a typing error and to
   * check the digits. */
  assert_non_null (strstr (check->message, "typing error"));
  assert_non_null (strstr (check->message, "digits"));
  {
    g_autofree char *twelve = payam_format_integer (12);
    g_autofree char *four = payam_format_integer (4);

    assert_non_null (strstr (length->message, twelve));
    assert_non_null (strstr (length->message, four));
    assert_non_null (strstr (length->message, "missing"));
  }
}

static void
test_format (void **state)
{
  static const struct {
    const char *code;
    const char *formatted;
  } cases[] = {
    { "001200000454", "۰۰۱۲-۰۰۰۰۰۴۵-۴" },
    { "013712345672", "۰۱۳۷-۱۲۳۴۵۶۷-۲" },
    { "999999999999", "۹۹۹۹-۹۹۹۹۹۹۹-۹" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = payam_tracking_code_format (cases[i].code);
      g_autofree char *back = payam_tracking_code_parse (formatted, NULL);

      assert_string_equal (formatted, cases[i].formatted);
      assert_string_equal (back, cases[i].code);
    }
}

/* Inside right-to-left text the code is isolated left to right, so its groups keep their
 * order; what is inside is the code as formatted, and it still parses. */
static void
test_format_inline (void **state)
{
  g_autofree char *inline_code = payam_tracking_code_format_inline ("013712345672");
  g_autofree char *back = payam_tracking_code_parse (inline_code, NULL);

  (void) state;
  assert_string_equal (inline_code, "\u2066۰۱۳۷-۱۲۳۴۵۶۷-۲\u2069");
  assert_string_equal (back, "013712345672");
}

static gboolean
strv_contains (GStrv strv, const char *s)
{
  return g_strv_contains ((const char * const *) strv, s);
}

static void
assert_suggestions_sane (GStrv suggestions, const char *typed, guint max)
{
  guint n = g_strv_length (suggestions);

  assert_true (n <= max);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *parsed = payam_tracking_code_parse (suggestions[i], NULL);

      assert_string_equal (parsed, suggestions[i]);
      assert_string_not_equal (suggestions[i], typed);
      for (guint j = 0; j < i; j++)
        assert_string_not_equal (suggestions[i], suggestions[j]);
    }
}

static void
test_suggest (void **state)
{
  g_autoptr(GPtrArray) codes = sample_codes (300);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      char typo[13];
      guint pos = g_rand_int_range (rand, 0, 12);
      g_auto(GStrv) from_substitution = NULL;
      g_auto(GStrv) none = payam_tracking_code_suggest (code, 100);

      /* A valid code is no typing error away from another valid one. */
      assert_int_equal (g_strv_length (none), 0);

      memcpy (typo, code, sizeof typo);
      typo[pos] = (char) ('0' + (code[pos] - '0' + 1 + g_rand_int_range (rand, 0, 9)) % 10);
      from_substitution = payam_tracking_code_suggest (typo, 100);
      assert_true (strv_contains (from_substitution, code));
      /* Exactly one passing digit per position, plus the passing swaps. */
      assert_true (g_strv_length (from_substitution) >= 12);
      assert_true (g_strv_length (from_substitution) <= 12 + 11);
      assert_suggestions_sane (from_substitution, typo, 100);

      for (guint p = 0; p + 1 < 12; p++)
        {
          g_auto(GStrv) from_swap = NULL;

          if (code[p] == code[p + 1])
            continue;
          memcpy (typo, code, sizeof typo);
          typo[p] = code[p + 1];
          typo[p + 1] = code[p];
          from_swap = payam_tracking_code_suggest (typo, 100);
          assert_true (strv_contains (from_swap, code));
          assert_suggestions_sane (from_swap, typo, 100);
          /* Swaps come first, so a swapped code is found even with a short list. */
          {
            g_auto(GStrv) short_list = payam_tracking_code_suggest (typo, 11);

            assert_true (strv_contains (short_list, code));
          }
          break;
        }
    }
}

static void
test_suggest_limits (void **state)
{
  g_auto(GStrv) three = payam_tracking_code_suggest ("001200000464", 3);
  g_auto(GStrv) zero = payam_tracking_code_suggest ("001200000464", 0);
  g_auto(GStrv) all = payam_tracking_code_suggest ("001200000464", 1000);
  g_auto(GStrv) short_input = payam_tracking_code_suggest ("00120000046", 10);
  g_auto(GStrv) persian = payam_tracking_code_suggest ("۰۰۱۲۰۰۰۰۰۴۶۴", 10);
  g_auto(GStrv) null_input = payam_tracking_code_suggest (NULL, 10);

  assert_int_equal (g_strv_length (three), 3);
  assert_suggestions_sane (three, "001200000464", 3);
  assert_int_equal (g_strv_length (zero), 0);
  assert_true (strv_contains (all, "001200000454"));
  /* The first three are the first three of the full list. */
  for (guint i = 0; i < 3; i++)
    assert_string_equal (three[i], all[i]);
  assert_int_equal (g_strv_length (short_input), 0);
  assert_int_equal (g_strv_length (persian), 0);
  assert_int_equal (g_strv_length (null_input), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_make),
    cmocka_unit_test (test_damm_reference),
    cmocka_unit_test (test_every_substitution_detected),
    cmocka_unit_test (test_every_transposition_detected),
    cmocka_unit_test (test_transpositions_all_pairs),
    cmocka_unit_test (test_parse_forms),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_format_inline),
    cmocka_unit_test (test_error_messages),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_suggest),
    cmocka_unit_test (test_suggest_limits),
  };

  return cmocka_run_group_tests_name ("tracking", tests, NULL, NULL);
}
