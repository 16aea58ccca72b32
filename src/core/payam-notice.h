/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Notices to citizens: the outcomes they are told, the templates, and SMS length. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a citizen is told about. */
typedef enum {
  PAYAM_NOTICE_REGISTERED,    /*< nick=registered >*/
  PAYAM_NOTICE_ASSIGNED,      /*< nick=assigned >*/
  PAYAM_NOTICE_DONE,          /*< nick=done >*/
  PAYAM_NOTICE_NOT_POSSIBLE,  /*< nick=not_possible >*/
  PAYAM_NOTICE_REJECTED,      /*< nick=rejected >*/
  PAYAM_NOTICE_JOINED,        /*< nick=joined >*/   /* joined to a group of the same problem */
} PayamNoticeOutcome;

#define PAYAM_N_NOTICE_OUTCOMES (PAYAM_NOTICE_JOINED + 1)

const char *payam_notice_outcome_to_string   (PayamNoticeOutcome  outcome);
gboolean    payam_notice_outcome_from_string (const char         *text,
                                              PayamNoticeOutcome *out);

/* The built-in template of @outcome (translated; static). A template is text with the
 * placeholders {code} (the tracking code), {words} (the outcome's public words) and
 * {address} (where to follow up); a part in square brackets is kept only when every
 * placeholder in it has a value, so "[: {words}]" disappears without words. */
const char *payam_notice_default_template    (PayamNoticeOutcome  outcome);

/* Whether @template is usable: UTF-8, not blank, brackets balanced and not nested, only the
 * three placeholders, {code} present outside any bracket. FALSE with a translated
 * G_IO_ERROR_INVALID_DATA saying what to fix. */
gboolean    payam_notice_template_check      (const char         *template_text,
                                              GError            **error);

/* The notice text: @template with {code} as the tracking code @canonical_code in Persian
 * digits isolated left to right (payam_tracking_code_format_inline), {words} as @words and
 * {address} as @address (either may be NULL or blank: their bracketed parts go). NULL with
 * the error of payam_notice_template_check() for a bad template. Caller owns it. */
char       *payam_notice_render              (const char         *template_text,
                                              const char         *canonical_code,
                                              const char         *words,
                                              const char         *address,
                                              GError            **error);

/* SMS length of @text: how many messages it takes (0 for ""), and into *@units (may be
 * NULL) how many code units it counts. Text outside the GSM 7-bit alphabet (any Persian)
 * goes as UCS-2: 70 UTF-16 units in one message, 67 per part when split (the other three
 * carry the concatenation header). GSM 7-bit text: 160 septets, 153 per part, the extension
 * characters counting two. */
guint       payam_sms_parts                  (const char         *text,
                                              guint              *units);

G_END_DECLS
