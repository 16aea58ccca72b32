/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tracking codes citizens follow their message with: unique offline, with a check digit. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAYAM_TRACKING_ERROR (payam_tracking_error_quark ())

typedef enum {
  PAYAM_TRACKING_ERROR_EMPTY,
  PAYAM_TRACKING_ERROR_CHARACTERS, /* a character that is neither a digit nor a separator */
  PAYAM_TRACKING_ERROR_LENGTH,
  PAYAM_TRACKING_ERROR_CHECK,      /* check digit does not match: a typing error */
} PayamTrackingError;

GQuark payam_tracking_error_quark (void);

/* Limits of the parts of a code. A device prefix identifies the device that made the code
 * (given at enrolment; 1 … 9999); the sequence counts codes made on that device. */
#define PAYAM_TRACKING_PREFIX_MAX 9999
#define PAYAM_TRACKING_SEQ_MAX    9999999

/* Canonical ASCII code: 4-digit zero-padded prefix, 7-digit zero-padded sequence, then one
 * Damm check digit (12 digits in all). Damm catches every single-digit error and every
 * adjacent transposition. */
char     *payam_tracking_code_make    (guint        prefix,
                                       guint32      seq);

/* Parse what a person typed or scanned: Persian, Arabic-Indic or ASCII digits, with or
 * without spaces, dashes or other separators. Returns the canonical ASCII code or NULL
 * with a translated PAYAM_TRACKING_ERROR saying what to fix. */
char     *payam_tracking_code_parse   (const char  *input,
                                       GError     **error);

/* For people: Persian digits grouped "۰۰۱۲-۰۰۰۰۰۴۵-۷". */
char     *payam_tracking_code_format  (const char  *canonical);

/* The same, isolated left to right (payam_text_isolate_ltr) for a sentence or a list row in
 * right-to-left text, where the groups would otherwise be shown reversed. */
char     *payam_tracking_code_format_inline (const char *canonical);

/* Likely intended codes for a code whose check digit failed (every single-digit change and
 * adjacent swap that passes), at most @max, canonical ASCII. For "did you mean …". */
GStrv     payam_tracking_code_suggest (const char  *digits,
                                       guint        max);

G_END_DECLS
