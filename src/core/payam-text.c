/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Persian text normalisation for matching (ICU NFKC, letter folds), digit folding, bidi isolation. */
#define G_LOG_DOMAIN "payam-text"
#include "config.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "payam-text.h"

/* ICU lengths are int32_t; beyond this many bytes we skip NFKC (the per-character folds
 * still run) instead of overflowing a length. Real requests are a few hundred bytes. */
#define MAX_ICU_BYTES (G_MAXINT32 / 4)

/* A pass whose output is already NFKC maps to itself, so the result is idempotent once
 * NFKC holds. A pass can break NFKC by removing a character between a base and a mark
 * it composes with (e, tatweel, U+0301), or by lower-casing; one more pass fixes that. */
#define MAX_PASSES 4

/* The letter folds of research text-duplicates.md §1 (the union of hazm, Parsivar,
 * DadmaTools and PersianStemmer), plus ئ → ی and آ → ا for recall on short complaints.
 * Returns @c itself when it is not folded. */
static UChar32
fold_letter (UChar32 c)
{
  switch (c)
    {
    case 0x064A: /* ي ARABIC LETTER YEH */
    case 0x0649: /* ى ALEF MAKSURA */
    case 0x0626: /* ئ YEH WITH HAMZA ABOVE */
      return 0x06CC; /* ی */
    case 0x0643: /* ك ARABIC LETTER KAF */
      return 0x06A9; /* ک */
    case 0x0629: /* ة TEH MARBUTA */
    case 0x06C0: /* ۀ HEH WITH YEH ABOVE */
    case 0x06D5: /* ە AE */
    case 0x06C1: /* ہ HEH GOAL */
    case 0x06BE: /* ھ HEH DOACHASHMEE */
      return 0x0647; /* ه */
    case 0x0622: /* آ ALEF WITH MADDA ABOVE */
    case 0x0623: /* أ ALEF WITH HAMZA ABOVE */
    case 0x0625: /* إ ALEF WITH HAMZA BELOW */
    case 0x0671: /* ٱ ALEF WASLA */
    case 0x0672: /* ٲ ALEF WITH WAVY HAMZA ABOVE */
      return 0x0627; /* ا */
    case 0x0624: /* ؤ WAW WITH HAMZA ABOVE */
      return 0x0648; /* و */
    default:
      return c;
    }
}

/* TRUE for the Arabic-script marks that carry no meaning for matching: harakat, shadda,
 * sukun and hamza/madda marks (U+064B–U+065F), superscript alef (U+0670), tatweel
 * (U+0640), and the Quranic annotation marks hazm also strips. */
static gboolean
is_dropped_mark (UChar32 c)
{
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640)
    return TRUE;
  if (c >= 0x0610 && c <= 0x061A)
    return TRUE;
  if (c >= 0x06D6 && c <= 0x06ED)
    return u_charType (c) == U_NON_SPACING_MARK;
  return FALSE;
}

/* Invisible joiners and direction marks between words: ZWNJ, ZWJ, LRM, RLM, ALM, ZWSP,
 * word joiner, bidi embeddings and isolates, BOM. For matching they separate words. */
static gboolean
is_joiner (UChar32 c)
{
  switch (c)
    {
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x061C: case 0x2060: case 0xFEFF: case 0x00A0: case 0x00AC:
      return TRUE;
    default:
      return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}

/* Results of map_char() besides a code point: a word break, or nothing at all. */
#define AS_SPACE ((UChar32) -1)
#define AS_NOTHING ((UChar32) -2)

/* What one code point of NFKC text becomes for matching: AS_SPACE for spaces, joiners,
 * punctuation and symbols; AS_NOTHING for marks and controls; else the digit's ASCII
 * form or the folded, lower-cased letter. */
static UChar32
map_char (UChar32 c)
{
  int8_t type;

  if (U_IS_SURROGATE (c))
    return AS_NOTHING;
  if (is_joiner (c) || u_isUWhiteSpace (c))
    return AS_SPACE;
  if (is_dropped_mark (c))
    return AS_NOTHING;

  type = u_charType (c);
  switch ((UCharCategory) type)
    {
    case U_DECIMAL_DIGIT_NUMBER:
      return '0' + u_charDigitValue (c);
    case U_CONTROL_CHAR:
      return AS_NOTHING;
    case U_FORMAT_CHAR:
      /* Soft hyphen sits inside a word; other format characters split words. */
      return c == 0x00AD ? AS_NOTHING : AS_SPACE;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return AS_SPACE;
    case U_UNASSIGNED:
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
    case U_CHAR_CATEGORY_COUNT:
    default:
      break;
    }

  return u_tolower (fold_letter (c));
}

/* UTF-8 → UTF-16. @text is valid UTF-8 without NUL; returns NULL only when ICU refuses
 * it, in which case the caller falls back to working on the UTF-8 directly. */
static UChar *
utf8_to_utf16 (const char *text,
               int32_t    *out_len)
{
  UErrorCode status = U_ZERO_ERROR;
  int32_t len = (int32_t) strlen (text);
  g_autofree UChar *buf = g_new (UChar, (gsize) len + 1);

  u_strFromUTF8 (buf, len + 1, out_len, text, len, &status);
  if (U_FAILURE (status))
    return NULL;
  return g_steal_pointer (&buf);
}

/* NFKC of @src (length @len) into a newly allocated buffer; NULL when ICU fails. */
static UChar *
nfkc (const UChar *src,
      int32_t      len,
      int32_t     *out_len)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = unorm2_getNFKCInstance (&status);
  int32_t capacity;
  int32_t needed;
  g_autofree UChar *buf = NULL;

  if (U_FAILURE (status))
    return NULL;

  capacity = len < (G_MAXINT32 - 16) / 2 ? len * 2 + 16 : len;
  buf = g_new (UChar, capacity);
  needed = unorm2_normalize (norm, src, len, buf, capacity, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR)
    {
      /* Rare: compatibility decompositions such as U+FDFA expand up to 18 times. */
      status = U_ZERO_ERROR;
      capacity = needed;
      g_free (buf);
      buf = g_new (UChar, capacity);
      needed = unorm2_normalize (norm, src, len, buf, capacity, &status);
    }
  if (U_FAILURE (status))
    return NULL;

  *out_len = needed;
  return g_steal_pointer (&buf);
}

/* Appends @c to @out, turning AS_SPACE into one space (never leading, never doubled) and
 * skipping AS_NOTHING. */
static void
append_mapped (GString *out,
               UChar32  c)
{
  if (c == AS_NOTHING)
    return;
  if (c == AS_SPACE)
    {
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
      return;
    }
  g_string_append_unichar (out, (gunichar) c);
}

/* One pass: NFKC, then map every character, collapse spaces and trim. @text is valid
 * UTF-8; returns a new valid UTF-8 string. */
static char *
normalize_pass (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 1);
  g_autofree UChar *u16 = NULL;
  g_autofree UChar *norm = NULL;
  int32_t u16_len = 0;
  int32_t norm_len = 0;

  if (strlen (text) < MAX_ICU_BYTES)
    u16 = utf8_to_utf16 (text, &u16_len);
  if (u16 != NULL)
    norm = nfkc (u16, u16_len, &norm_len);

  if (norm != NULL)
    {
      int32_t i = 0;

      while (i < norm_len)
        {
          UChar32 c;

          U16_NEXT (norm, i, norm_len, c);
          append_mapped (out, map_char (c));
        }
    }
  else
    {
      /* No ICU buffer (huge input or ICU data missing): same folds without NFKC. */
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        append_mapped (out, map_char ((UChar32) g_utf8_get_char (p)));
    }

  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

/* TRUE when @text (valid UTF-8) is already in NFKC, and also when ICU cannot say (no
 * further pass could use NFKC then). */
static gboolean
is_nfkc (const char *text)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = unorm2_getNFKCInstance (&status);
  g_autofree UChar *u16 = NULL;
  int32_t u16_len = 0;
  UBool result;

  if (U_FAILURE (status) || strlen (text) >= MAX_ICU_BYTES)
    return TRUE;
  u16 = utf8_to_utf16 (text, &u16_len);
  if (u16 == NULL)
    return TRUE;
  result = unorm2_isNormalized (norm, u16, u16_len, &status);
  return U_FAILURE (status) || result;
}

/**
 * payam_text_normalize:
 * @text: (nullable): UTF-8 text, possibly invalid
 *
 * Normalises @text for storing and matching; see payam-text.h. NULL counts as "".
 * The result is idempotent: normalising it again returns the same string.
 *
 * Returns: (transfer full): the normalised text, never NULL
 */
char *
payam_text_normalize (const char *text)
{
  g_autofree char *valid = NULL;
  char *result;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  result = normalize_pass (valid);

  /* Removing a character can leave a base next to a mark it composes with under NFKC;
   * run the pass again until the result is stable. */
  for (int i = 1; i < MAX_PASSES && !is_nfkc (result); i++)
    {
      char *again = normalize_pass (result);

      g_free (result);
      result = again;
    }

  return result;
}

/**
 * payam_text_normalize_compact:
 * @text: (nullable): UTF-8 text, possibly invalid
 *
 * payam_text_normalize() with every space removed, for character shingles.
 *
 * Returns: (transfer full): the compact normalised text, never NULL
 */
char *
payam_text_normalize_compact (const char *text)
{
  char *norm = payam_text_normalize (text);
  char *w = norm;

  for (const char *r = norm; *r != '\0'; r++)
    if (*r != ' ')
      *w++ = *r;
  *w = '\0';

  return norm;
}

/**
 * payam_text_digits_to_ascii:
 * @text: (nullable): UTF-8 text, possibly invalid (repaired first)
 *
 * Returns: (transfer full): @text with every Unicode decimal digit as ASCII
 */
char *
payam_text_digits_to_ascii (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid) + 1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (u_charType ((UChar32) c) == U_DECIMAL_DIGIT_NUMBER)
        g_string_append_c (out, (char) ('0' + u_charDigitValue ((UChar32) c)));
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * payam_text_digits_to_persian:
 * @text: (nullable): UTF-8 text, possibly invalid (repaired first)
 *
 * Returns: (transfer full): @text with ASCII digits as Persian digits U+06F0…U+06F9
 */
char *
payam_text_digits_to_persian (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid) * 2 + 1);
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p >= '0' && *p <= '9')
        g_string_append_unichar (out, 0x06F0 + (gunichar) (*p - '0'));
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/**
 * payam_text_isolate:
 * @text: (nullable): UTF-8 text; NULL counts as ""
 *
 * Returns: (transfer full): U+2068 FIRST STRONG ISOLATE, @text, U+2069 POP DIRECTIONAL
 *   ISOLATE
 */
char *
payam_text_isolate (const char *text)
{
  return g_strconcat ("\u2068", text != NULL ? text : "", "\u2069", NULL);
}

/**
 * payam_text_isolate_ltr:
 * @text: (nullable): UTF-8 text; NULL counts as ""
 *
 * Returns: (transfer full): U+2066 LEFT-TO-RIGHT ISOLATE, @text, U+2069 POP DIRECTIONAL
 *   ISOLATE. Digits and dashes alone have no strong direction, so in a right-to-left line
 *   "۰۰۰۱-۰۰۰۰۰۰۱-۱" would be shown with its groups reversed; isolated left to right it reads
 *   as printed on the receipt.
 */
char *
payam_text_isolate_ltr (const char *text)
{
  return g_strconcat ("\u2066", text != NULL ? text : "", "\u2069", NULL);
}
