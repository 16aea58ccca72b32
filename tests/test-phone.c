/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for Iranian phone number normalisation, validation and display (payam-phone). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-phone.h"

#define NO_ERROR (-1)

typedef struct {
  const char *input;
  const char *normalized;  /* NULL when an error is expected */
  int error;               /* a PayamPhoneError, or NO_ERROR */
  const char *in_message;  /* a fragment the message must contain, or NULL */
} Case;

static const Case cases[] = {
  /* mobile numbers in every usual spelling */
  { "09123456789", "09123456789", NO_ERROR, NULL },
  { "۰۹۱۲۳۴۵۶۷۸۹", "09123456789", NO_ERROR, NULL },
  { "٠٩١٢٣٤٥٦٧٨٩", "09123456789", NO_ERROR, NULL },
  { "۰۹۱2٣۴5۶7۸9", "09123456789", NO_ERROR, NULL },
  { "0912 345 6789", "09123456789", NO_ERROR, NULL },
  { "0912-345-6789", "09123456789", NO_ERROR, NULL },
  { "0912.345.6789", "09123456789", NO_ERROR, NULL },
  { "(0912) 345/6789", "09123456789", NO_ERROR, NULL },
  { "۰۹۱۲\u200c۳۴۵\u200c۶۷۸۹", "09123456789", NO_ERROR, NULL },
  { "\u200e0912\u00a0345\u20136789\u200f", "09123456789", NO_ERROR, NULL },
  { "  09123456789  ", "09123456789", NO_ERROR, NULL },
  { "9123456789", "09123456789", NO_ERROR, NULL },
  { "۹۱۲۳۴۵۶۷۸۹", "09123456789", NO_ERROR, NULL },
  { "+989123456789", "09123456789", NO_ERROR, NULL },
  { "+98 912 345 6789", "09123456789", NO_ERROR, NULL },
  { "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "09123456789", NO_ERROR, NULL },
  { "+98 (0) 912 345 6789", "09123456789", NO_ERROR, NULL },
  { "00989123456789", "09123456789", NO_ERROR, NULL },
  { "0098 912 345 6789", "09123456789", NO_ERROR, NULL },
  { "989123456789", "09123456789", NO_ERROR, NULL },
  { "09901234567", "09901234567", NO_ERROR, NULL },
  /* landlines with the area code; leading zeros survive */
  { "02188776655", "02188776655", NO_ERROR, NULL },
  { "021-8877 6655", "02188776655", NO_ERROR, NULL },
  { "(۰۲۱) ۸۸۷۷-۶۶۵۵", "02188776655", NO_ERROR, NULL },
  { "03132001234", "03132001234", NO_ERROR, NULL },
  { "+98 21 0000 0001", "02100000001", NO_ERROR, NULL },
  { "00982100000001", "02100000001", NO_ERROR, NULL },
  { "08134567890", "08134567890", NO_ERROR, NULL },
  /* nothing to read */
  { "", NULL, PAYAM_PHONE_ERROR_EMPTY, NULL },
  { "   ", NULL, PAYAM_PHONE_ERROR_EMPTY, NULL },
  { " - ( ) . / \u200c", NULL, PAYAM_PHONE_ERROR_EMPTY, NULL },
  { "+", NULL, PAYAM_PHONE_ERROR_EMPTY, NULL },
  /* characters that are not digits or separators */
  { "0912abc4567", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068a\u2069" },
  { "0912 345 678۹ تماس", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068ت\u2069" },
  { "0912*345*6789", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068*\u2069" },
  { "0912+3456789", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068+\u2069" },
  { "++989123456789", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068+\u2069" },
  { "09123456789#", NULL, PAYAM_PHONE_ERROR_CHARACTERS, "\u2068#\u2069" },
  { "0912\xff" "3456789", NULL, PAYAM_PHONE_ERROR_CHARACTERS, NULL },
  /* too few or too many digits; the message counts them in Persian digits */
  { "0912345678", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one is ۱ digit(s) short" },
  { "091234567890", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one has ۱ digit(s) too many" },
  { "912345", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one is ۴ digit(s) short" },
  { "+98912345678", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one is ۱ digit(s) short" },
  { "0", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one is ۱۰ digit(s) short" },
  { "+98", NULL, PAYAM_PHONE_ERROR_LENGTH, "09; this one is ۱۰ digit(s) short" },
  { "021887766", NULL, PAYAM_PHONE_ERROR_LENGTH, "area code (for example 021…); this one is ۲ digit(s) short" },
  { "0218877665544", NULL, PAYAM_PHONE_ERROR_LENGTH, "area code (for example 021…); this one has ۲ digit(s) too many" },
  { "0912345678901234567890123", NULL, PAYAM_PHONE_ERROR_LENGTH, "this one has ۱۴ digit(s) too many" },
  /* not a mobile or a landline, or not Iranian */
  { "88776655", NULL, PAYAM_PHONE_ERROR_PREFIX, "starting with 09" },
  { "2188776655", NULL, PAYAM_PHONE_ERROR_PREFIX, "starting with 09" },
  { "00123", NULL, PAYAM_PHONE_ERROR_PREFIX, "+98" },
  { "+1 202 555 0100", NULL, PAYAM_PHONE_ERROR_PREFIX, "+98" },
  { "+44 20 7946 0958", NULL, PAYAM_PHONE_ERROR_PREFIX, "+98" },
  { "001234567890", NULL, PAYAM_PHONE_ERROR_PREFIX, "+98" },
  { "00000000000", NULL, PAYAM_PHONE_ERROR_PREFIX, "+98" },
  { "0098 00 1234 5678", NULL, PAYAM_PHONE_ERROR_PREFIX, "starting with 09" },
};

static void
test_normalize_table (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = payam_phone_normalize (cases[i].input, &error);

      if (cases[i].error == NO_ERROR)
        {
          if (result == NULL)
            print_error ("case %" G_GSIZE_FORMAT " \"%s\": %s\n", i, cases[i].input,
                         error->message);
          assert_non_null (result);
          assert_null (error);
          assert_string_equal (result, cases[i].normalized);
        }
      else
        {
          if (result != NULL || error->code != cases[i].error)
            print_error ("case %" G_GSIZE_FORMAT " \"%s\": got %s / %d %s\n", i,
                         cases[i].input, result ? result : "(null)",
                         error ? error->code : -1, error ? error->message : "");
          assert_null (result);
          assert_non_null (error);
          assert_true (error->domain == PAYAM_PHONE_ERROR);
          assert_int_equal (error->code, cases[i].error);
          assert_true (g_utf8_validate (error->message, -1, NULL));
          if (cases[i].in_message != NULL)
            {
              if (strstr (error->message, cases[i].in_message) == NULL)
                print_error ("case %" G_GSIZE_FORMAT ": \"%s\" lacks \"%s\"\n", i,
                             error->message, cases[i].in_message);
              assert_non_null (strstr (error->message, cases[i].in_message));
            }
        }
    }
}

static void
test_normalize_null (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = payam_phone_normalize (NULL, &error);
  g_autofree char *ignored = payam_phone_normalize ("abc", NULL);

  assert_null (result);
  assert_true (g_error_matches (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_EMPTY));
  assert_null (ignored);
}

/* Whatever normalize accepts, normalize accepts again unchanged. */
static void
test_normalize_stable (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *once = NULL;
      g_autofree char *twice = NULL;

      if (cases[i].error != NO_ERROR)
        continue;
      once = payam_phone_normalize (cases[i].input, NULL);
      twice = payam_phone_normalize (once, NULL);
      assert_string_equal (once, twice);
    }
}

typedef struct {
  const char *normalized;
  gboolean mobile;
  const char *shown;
  const char *masked;
} FormatCase;

static const FormatCase format_cases[] = {
  { "09123456789", TRUE, "۰۹۱۲ ۳۴۵ ۶۷۸۹", "۰۹۱۲ ••• ۶۷۸۹" },
  { "09901234567", TRUE, "۰۹۹۰ ۱۲۳ ۴۵۶۷", "۰۹۹۰ ••• ۴۵۶۷" },
  { "02188776655", FALSE, "۰۲۱ ۸۸۷۷ ۶۶۵۵", "۰۲۱ •••• ۶۶۵۵" },
  { "03132001234", FALSE, "۰۳۱ ۳۲۰۰ ۱۲۳۴", "۰۳۱ •••• ۱۲۳۴" },
  /* not normalised: shown as they are, never revealed when masked */
  { "12345", FALSE, "۱۲۳۴۵", "•••" },
  { "0912345678", FALSE, "۰۹۱۲۳۴۵۶۷۸", "•••" },
  { "0912345678a", FALSE, "۰۹۱۲۳۴۵۶۷۸a", "•••" },
  { "", FALSE, "", "•••" },
  { NULL, FALSE, "", "•••" },
};

static void
test_format (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *shown = payam_phone_format (format_cases[i].normalized, FALSE);
      g_autofree char *masked = payam_phone_format (format_cases[i].normalized, TRUE);

      assert_int_equal (payam_phone_is_mobile (format_cases[i].normalized),
                        format_cases[i].mobile);
      assert_string_equal (shown, format_cases[i].shown);
      assert_string_equal (masked, format_cases[i].masked);
    }

  /* A mobile whose middle digits are not the masked ones. */
  assert_false (payam_phone_is_mobile ("0912345678x"));
  assert_false (payam_phone_is_mobile ("091234567890"));
  assert_false (payam_phone_is_mobile ("19123456789"));
}

/* The whole way from what a citizen types to what the office sees. */
static void
test_round_trip (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = payam_phone_normalize ("+۹۸ ۹۱۲-۳۴۵-۶۷۸۹", &error);
  g_autofree char *shown = NULL;
  g_autofree char *masked = NULL;

  assert_non_null (normalized);
  shown = payam_phone_format (normalized, FALSE);
  masked = payam_phone_format (normalized, TRUE);
  assert_string_equal (shown, "۰۹۱۲ ۳۴۵ ۶۷۸۹");
  assert_string_equal (masked, "۰۹۱۲ ••• ۶۷۸۹");
  assert_null (strstr (masked, "۳۴۵"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_normalize_table),
    cmocka_unit_test (test_normalize_null),
    cmocka_unit_test (test_normalize_stable),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_round_trip),
  };

  return cmocka_run_group_tests_name ("phone", tests, NULL, NULL);
}
