/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Iranian phone numbers: read digit by digit, validated, and shown grouped or masked. */
#define G_LOG_DOMAIN "payam-phone"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <unicode/uchar.h>

#include "payam-format.h"
#include "payam-phone.h"
#include "payam-text.h"

/* Digits after the trunk 0: 9 + 9 for mobiles, area code + subscriber for landlines. */
#define NATIONAL_DIGITS 10
/* More digits than this is never a phone number; stop reading. */
#define MAX_DIGITS 20

G_DEFINE_QUARK (payam-phone-error-quark, payam_phone_error)

/* Characters people put between digits: spaces, dashes, dots, parentheses, slashes,
 * and the invisible joiners and direction marks that Persian keyboards and copy-paste
 * bring along. */
static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case '-': case '.': case '(': case ')': case '/': case '_':
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x061C: case 0x2060: case 0xFEFF: case 0x2212: case 0x066B: case 0x066C:
      return TRUE;
    default:
      return g_unichar_isspace (c)
             || (c >= 0x2010 && c <= 0x2015)          /* hyphens and dashes */
             || (c >= 0x202A && c <= 0x202E)          /* bidi embeddings */
             || (c >= 0x2066 && c <= 0x2069);         /* bidi isolates */
    }
}

/* Sets a PAYAM_PHONE_ERROR_LENGTH error for a national part of @n_digits digits (after
 * the trunk 0), saying how many digits are missing or extra. */
static void
set_length_error (GError **error,
                  gboolean mobile,
                  gsize    n_digits)
{
  gsize diff = n_digits > NATIONAL_DIGITS ? n_digits - NATIONAL_DIGITS
                                          : NATIONAL_DIGITS - n_digits;
  g_autofree char *count = payam_format_integer ((gint64) diff);

  if (mobile && n_digits < NATIONAL_DIGITS)
    g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_LENGTH,
                 /* Translators: %s is a count of digits, already in Persian digits. */
                 _("A mobile number has 11 digits and starts with 09; this one is %s digit(s) short."),
                 count);
  else if (mobile)
    g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_LENGTH,
                 /* Translators: %s is a count of digits, already in Persian digits. */
                 _("A mobile number has 11 digits and starts with 09; this one has %s digit(s) too many."),
                 count);
  else if (n_digits < NATIONAL_DIGITS)
    g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_LENGTH,
                 /* Translators: %s is a count of digits, already in Persian digits. */
                 _("A landline number has 11 digits with the area code (for example 021…); this one is %s digit(s) short."),
                 count);
  else
    g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_LENGTH,
                 /* Translators: %s is a count of digits, already in Persian digits. */
                 _("A landline number has 11 digits with the area code (for example 021…); this one has %s digit(s) too many."),
                 count);
}

static void
set_prefix_error (GError **error)
{
  g_set_error_literal (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_PREFIX,
                       _("Enter a mobile number starting with 09, or a landline number starting with 0 and the area code."));
}

/**
 * payam_phone_normalize:
 * @input: (nullable): what the person typed
 * @error: return location for a #PAYAM_PHONE_ERROR
 *
 * Reads @input one character at a time: decimal digits of any script are kept as ASCII,
 * separators are skipped, a leading "+" marks an international prefix. Then strips +98,
 * 0098 or 98 (with 12 digits), adds the trunk 0 to a bare 9…, and checks the 10 digits
 * after the 0: 9… is a mobile, 1…–8… is a landline with its area code.
 *
 * Returns: (transfer full) (nullable): "0" + 10 ASCII digits, or NULL with @error set
 */
char *
payam_phone_normalize (const char  *input,
                       GError     **error)
{
  char digits[MAX_DIGITS + 1];
  gsize n = 0;
  gboolean plus = FALSE;
  gsize n_total = 0;
  const char *national;
  gsize national_len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    input = "";
  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_CHARACTERS,
                           _("The phone number contains unreadable characters; type it again using digits only."));
      return NULL;
    }

  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (u_charType ((UChar32) c) == U_DECIMAL_DIGIT_NUMBER)
        {
          /* Keep the first MAX_DIGITS; count them all for the error message. */
          if (n < MAX_DIGITS)
            digits[n++] = (char) ('0' + u_charDigitValue ((UChar32) c));
          n_total++;
        }
      else if (c == '+' && n == 0 && !plus)
        plus = TRUE;
      else if (!is_separator (c))
        {
          g_autofree char *shown = g_strndup (p, (gsize) (g_utf8_next_char (p) - p));
          g_autofree char *isolated = payam_text_isolate (shown);

          g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_CHARACTERS,
                       /* Translators: %s is the character the person typed, e.g. a
                        * letter; it comes wrapped in bidi isolation marks. */
                       _("A phone number may contain only digits; remove “%s”."),
                       isolated);
          return NULL;
        }
    }
  digits[n] = '\0';

  if (n == 0)
    {
      g_set_error_literal (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_EMPTY,
                           _("Enter a phone number."));
      return NULL;
    }

  /* Find the national part: the digits after the trunk 0. */
  if (plus || g_str_has_prefix (digits, "00"))
    {
      const char *cc = plus ? digits : digits + 2;

      if (!g_str_has_prefix (cc, "98"))
        {
          g_set_error_literal (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_PREFIX,
                               _("Only Iranian numbers are accepted; the country code must be +98."));
          return NULL;
        }
      national = cc + 2;
      /* "+98 (0)21 …": people often keep the trunk 0 after the country code. */
      if (national[0] == '0')
        national++;
    }
  else if (digits[0] == '0')
    national = digits + 1;
  else if (g_str_has_prefix (digits, "98") && n >= NATIONAL_DIGITS + 2)
    national = digits + 2;
  else if (digits[0] == '9')
    national = digits;
  else
    {
      set_prefix_error (error);
      return NULL;
    }

  national_len = n_total - (gsize) (national - digits);
  if (national[0] == '0')
    {
      set_prefix_error (error);
      return NULL;
    }
  if (national_len != NATIONAL_DIGITS)
    {
      /* An empty national part (just "0" or "+98") reads best as a short mobile. */
      set_length_error (error, national[0] == '9' || national[0] == '\0', national_len);
      return NULL;
    }

  return g_strconcat ("0", national, NULL);
}

/**
 * payam_phone_is_mobile:
 * @normalized: (nullable): a number returned by payam_phone_normalize()
 *
 * Returns: TRUE for "09" followed by 9 ASCII digits
 */
gboolean
payam_phone_is_mobile (const char *normalized)
{
  if (normalized == NULL || strlen (normalized) != NATIONAL_DIGITS + 1)
    return FALSE;
  if (!g_str_has_prefix (normalized, "09"))
    return FALSE;
  for (const char *p = normalized; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* TRUE for "0" + 10 ASCII digits, the form payam_phone_normalize() returns. */
static gboolean
is_normalized (const char *s)
{
  if (s == NULL || strlen (s) != NATIONAL_DIGITS + 1 || s[0] != '0')
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/**
 * payam_phone_format:
 * @normalized: (nullable): a number returned by payam_phone_normalize()
 * @masked: hide the middle digits
 *
 * Groups a mobile as "۰۹۱۲ ۳۴۵ ۶۷۸۹" and a landline as area code and two groups of four
 * ("۰۲۱ ۸۸۷۷ ۶۶۵۵"), in Persian digits, with no bidi marks: the widget showing it is LTR.
 * When @masked, the middle group becomes bullets. Anything that is not a normalised
 * number is shown as it is (digits made Persian), or as bullets only when @masked.
 *
 * Returns: (transfer full): the text to show, never NULL
 */
char *
payam_phone_format (const char *normalized,
                    gboolean    masked)
{
  g_autoptr(GString) grouped = NULL;
  int head;

  if (!is_normalized (normalized))
    {
      if (masked)
        return g_strdup ("•••");
      return payam_text_digits_to_persian (normalized != NULL ? normalized : "");
    }

  /* Mobile 4-3-4 (0912 345 6789); landline area code, then 4-4 (021 8877 6655). */
  head = payam_phone_is_mobile (normalized) ? 4 : 3;
  grouped = g_string_new (NULL);
  g_string_append_len (grouped, normalized, head);
  g_string_append_c (grouped, ' ');
  for (int i = head; i < 7; i++)
    {
      if (masked)
        g_string_append (grouped, "•");
      else
        g_string_append_c (grouped, normalized[i]);
    }
  g_string_append_c (grouped, ' ');
  g_string_append (grouped, normalized + 7);

  return payam_text_digits_to_persian (grouped->str);
}
