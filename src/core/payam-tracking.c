/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tracking codes: device prefix, sequence and a Damm check digit; parsing what people type. */
#define G_LOG_DOMAIN "payam-tracking"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-text.h"
#include "payam-tracking.h"

#define PREFIX_DIGITS 4
#define SEQ_DIGITS    7
#define CODE_DIGITS   (PREFIX_DIGITS + SEQ_DIGITS + 1)

G_DEFINE_QUARK (payam-tracking-error-quark, payam_tracking_error)

/* The standard totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004), with
 * zeros on the diagonal. Row: interim digit; column: next digit. */
static const guint8 damm_table[10][10] = {
  { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
  { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
  { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
  { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
  { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
  { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
  { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
  { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
  { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
  { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

/* The Damm interim digit after the first @len ASCII digits of @digits. Appending it as
 * a check digit makes the interim of the whole string 0. */
static guint
damm_interim (const char *digits,
              gsize       len)
{
  guint interim = 0;

  for (gsize i = 0; i < len; i++)
    {
      g_assert (g_ascii_isdigit (digits[i]));
      interim = damm_table[interim][digits[i] - '0'];
    }

  return interim;
}

/* TRUE when @text is exactly CODE_DIGITS ASCII digits. */
static gboolean
is_code_shaped (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < CODE_DIGITS; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  return text[CODE_DIGITS] == '\0';
}

/* TRUE when a code-shaped @code passes its check digit. */
static gboolean
check_passes (const char *code)
{
  return damm_interim (code, CODE_DIGITS) == 0;
}

/**
 * payam_tracking_code_make:
 * @prefix: the device prefix, 1 … %PAYAM_TRACKING_PREFIX_MAX
 * @seq: the device's sequence number, 0 … %PAYAM_TRACKING_SEQ_MAX
 *
 * Returns: (transfer full): the 12-digit canonical code "PPPPSSSSSSSC", or NULL (with a
 * critical warning) when a part is out of range.
 */
char *
payam_tracking_code_make (guint   prefix,
                          guint32 seq)
{
  char *code;

  g_return_val_if_fail (prefix >= 1 && prefix <= PAYAM_TRACKING_PREFIX_MAX, NULL);
  g_return_val_if_fail (seq <= PAYAM_TRACKING_SEQ_MAX, NULL);

  code = g_strdup_printf ("%04u%07u0", prefix, (guint) seq);
  code[CODE_DIGITS - 1] = (char) ('0' + damm_interim (code, CODE_DIGITS - 1));

  return code;
}

/* Characters people put between digits, or that sneak in from copying bidi text, which
 * the parser skips: any Unicode white space (spaces, tabs, NBSP, new lines), '-', '_',
 * '.', '/', ZWNJ, the LRM/RLM marks, the bidi embedding and isolate controls (our own
 * formatted codes are wrapped in FSI … PDI inside sentences), Unicode hyphens and dashes,
 * the minus sign, the Arabic thousands separator and the Arabic comma. */
static gboolean
is_separator (gunichar c)
{
  if (g_unichar_isspace (c))
    return TRUE;

  switch (c)
    {
    case '-':
    case '_':
    case '.':
    case '/':
    case 0x060C: /* ARABIC COMMA */
    case 0x066C: /* ARABIC THOUSANDS SEPARATOR */
    case 0x200C: /* ZERO WIDTH NON-JOINER */
    case 0x200E: /* LEFT-TO-RIGHT MARK */
    case 0x200F: /* RIGHT-TO-LEFT MARK */
    case 0x2010: /* HYPHEN */
    case 0x2011: /* NON-BREAKING HYPHEN */
    case 0x2012: /* FIGURE DASH */
    case 0x2013: /* EN DASH */
    case 0x2014: /* EM DASH */
    case 0x2212: /* MINUS SIGN */
    case 0x202A: /* LRE */
    case 0x202B: /* RLE */
    case 0x202C: /* PDF */
    case 0x202D: /* LRO */
    case 0x202E: /* RLO */
    case 0x2066: /* LRI */
    case 0x2067: /* RLI */
    case 0x2068: /* FSI */
    case 0x2069: /* PDI */
    case 0xFEFF: /* ZERO WIDTH NO-BREAK SPACE (BOM) */
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * payam_tracking_code_parse:
 * @input: (nullable): what a person typed or a scanner read
 * @error: return location for a #PAYAM_TRACKING_ERROR
 *
 * Reads every decimal digit of any script (g_unichar_digit_value(): Persian, Arabic-Indic,
 * ASCII, …) and skips the separators of is_separator(). Returns (transfer full) the
 * canonical 12-digit ASCII code, or NULL with EMPTY (no digits at all), CHARACTERS
 * (anything else, invalid UTF-8 included), LENGTH (not 12 digits) or CHECK (the check
 * digit fails: a typing error). Each message is translated and says what to fix.
 */
char *
payam_tracking_code_parse (const char  *input,
                           GError     **error)
{
  char digits[CODE_DIGITS + 1];
  guint n_digits = 0;
  gboolean has_other = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input != NULL && !g_utf8_validate (input, -1, NULL))
    has_other = TRUE;

  for (const char *p = input; !has_other && p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (value >= 0)
        {
          /* Count past the buffer so that the length error can say how many. */
          if (n_digits < CODE_DIGITS)
            digits[n_digits] = (char) ('0' + value);
          n_digits++;
        }
      else if (!is_separator (c))
        {
          has_other = TRUE;
        }
    }

  if (has_other)
    {
      g_set_error_literal (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHARACTERS,
                           _("A tracking code is made of digits only. "
                             "Remove the letters and signs and try again."));
      return NULL;
    }

  if (n_digits == 0)
    {
      g_set_error_literal (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_EMPTY,
                           _("Enter the tracking code printed on your receipt."));
      return NULL;
    }

  if (n_digits != CODE_DIGITS)
    {
      g_autofree char *typed = payam_format_integer (n_digits);
      g_autofree char *wanted = payam_format_integer (CODE_DIGITS);

      if (n_digits < CODE_DIGITS)
        g_set_error (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_LENGTH,
                     /* Translators: digits typed, then digits in a code (12); formatted. */
                     _("This tracking code has only %s digits, but a code has %s. "
                       "Check that no digit is missing."),
                     typed, wanted);
      else
        g_set_error (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_LENGTH,
                     /* Translators: digits typed, then digits in a code (12); formatted. */
                     _("This tracking code has %s digits, but a code has only %s. "
                       "Check that no digit was typed twice."),
                     typed, wanted);
      return NULL;
    }

  digits[CODE_DIGITS] = '\0';

  if (!check_passes (digits))
    {
      g_set_error_literal (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHECK,
                           _("This tracking code has a typing error. "
                             "Check its digits against your receipt and try again."));
      return NULL;
    }

  return g_strdup (digits);
}

/**
 * payam_tracking_code_format:
 * @canonical: a canonical 12-digit ASCII code
 *
 * Returns: (transfer full): the code for people, grouped prefix-sequence-check with
 * Persian digits ("۰۰۱۲-۰۰۰۰۰۴۵-۷"), or NULL (with a critical warning) when @canonical
 * is not 12 ASCII digits. The check digit is not verified here.
 */
char *
payam_tracking_code_format (const char *canonical)
{
  g_autofree char *grouped = NULL;

  g_return_val_if_fail (is_code_shaped (canonical), NULL);

  grouped = g_strdup_printf ("%.*s-%.*s-%c",
                             PREFIX_DIGITS, canonical,
                             SEQ_DIGITS, canonical + PREFIX_DIGITS,
                             canonical[CODE_DIGITS - 1]);

  return payam_text_digits_to_persian (grouped);
}

/**
 * payam_tracking_code_format_inline:
 * @canonical: a canonical 12-digit ASCII code
 *
 * Returns: (transfer full): payam_tracking_code_format() of @canonical wrapped in LEFT-TO-RIGHT
 * ISOLATE … POP DIRECTIONAL ISOLATE, or NULL as payam_tracking_code_format() does.
 */
char *
payam_tracking_code_format_inline (const char *canonical)
{
  g_autofree char *code = payam_tracking_code_format (canonical);

  return code != NULL ? payam_text_isolate_ltr (code) : NULL;
}

/* Adds @candidate to @out unless it fails the check, is @original, is already there, or
 * @out already holds @max entries. */
static void
add_candidate (GPtrArray  *out,
               const char *candidate,
               const char *original,
               guint       max)
{
  if (out->len >= max || !check_passes (candidate) || strcmp (candidate, original) == 0)
    return;

  for (guint i = 0; i < out->len; i++)
    if (strcmp (g_ptr_array_index (out, i), candidate) == 0)
      return;

  g_ptr_array_add (out, g_strdup (candidate));
}

/**
 * payam_tracking_code_suggest:
 * @digits: (nullable): 12 ASCII digits (a code as typed, after parsing digits)
 * @max: the largest number of suggestions wanted
 *
 * Lists the codes one typing error away from @digits that pass the check digit: first
 * every swap of two adjacent different digits, left to right, then every single-digit
 * change, position by position, digit by digit. Deduplicated, never @digits itself, at
 * most @max. For a code that fails its check there is exactly one passing change per
 * position, so the list has at most 12 + 11 entries. Returns (transfer full) a
 * NULL-terminated array, empty when @digits is not 12 ASCII digits or @max is 0.
 */
GStrv
payam_tracking_code_suggest (const char *digits,
                             guint       max)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  char candidate[CODE_DIGITS + 1];

  if (is_code_shaped (digits))
    {
      for (guint i = 0; i + 1 < CODE_DIGITS; i++)
        {
          if (digits[i] == digits[i + 1])
            continue;
          memcpy (candidate, digits, sizeof candidate);
          candidate[i] = digits[i + 1];
          candidate[i + 1] = digits[i];
          add_candidate (out, candidate, digits, max);
        }

      for (guint i = 0; i < CODE_DIGITS; i++)
        {
          memcpy (candidate, digits, sizeof candidate);
          for (char d = '0'; d <= '9'; d++)
            {
              if (d == digits[i])
                continue;
              candidate[i] = d;
              add_candidate (out, candidate, digits, max);
            }
        }
    }

  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}
