/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Iranian phone numbers: digit-by-digit normalisation and validation. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAYAM_PHONE_ERROR (payam_phone_error_quark ())

typedef enum {
  PAYAM_PHONE_ERROR_EMPTY,      /* nothing but spaces and separators */
  PAYAM_PHONE_ERROR_CHARACTERS, /* a character that is not a digit or separator */
  PAYAM_PHONE_ERROR_LENGTH,     /* too few or too many digits */
  PAYAM_PHONE_ERROR_PREFIX,     /* not a mobile (09…) or a landline (0 + area code) */
} PayamPhoneError;

GQuark payam_phone_error_quark (void);

/* Normalise @input (09…, 9…, +98…, 0098…, Persian, Arabic-Indic or ASCII digits, with
 * spaces, dashes, dots or parentheses) to the national form "09121234567" (11 ASCII
 * digits, starting with 0). Never parses as a number, so leading zeros survive. On error
 * returns NULL and sets a PAYAM_PHONE_ERROR with a translated message saying what to fix. */
char     *payam_phone_normalize  (const char  *input,
                                  GError     **error);

/* TRUE when @normalized (as returned above) is a mobile number (09…). */
gboolean  payam_phone_is_mobile  (const char  *normalized);

/* For people: Persian digits grouped as "۰۹۱۲ ۳۴۵ ۶۷۸۹". @masked hides the middle
 * digits ("۰۹۱۲ ••• ۶۷۸۹") for roles that must not see the number. */
char     *payam_phone_format     (const char  *normalized,
                                  gboolean     masked);

G_END_DECLS
