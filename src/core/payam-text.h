/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Persian text normalisation for matching, digit folding and bidi isolation. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Normalise @text for storing in text_norm and for matching (DESIGN §5, research
 * text-duplicates.md §1): NFKC, Arabic letter folds, diacritics and tatweel removed,
 * every decimal digit to ASCII, ZWNJ/ZWJ/bidi marks/NBSP as word joiners turned into a
 * space, punctuation dropped, spaces collapsed and trimmed. Invalid UTF-8 is repaired
 * first. Never returns NULL; the result is owned by the caller. */
char *payam_text_normalize           (const char *text);

/* Like payam_text_normalize() but with every space removed too, for character shingles:
 * "می‌شود", "میشود" and "می شود" give the same string. */
char *payam_text_normalize_compact   (const char *text);

/* Every Unicode decimal digit (Persian, Arabic-Indic, ASCII, …) in @text turned into
 * ASCII; other characters kept. Caller owns the result. */
char *payam_text_digits_to_ascii     (const char *text);

/* ASCII digits in @text turned into Persian digits (U+06F0…); other characters kept. */
char *payam_text_digits_to_persian   (const char *text);

/* @text wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, for inserting a user or
 * Latin fragment into a translated sentence. */
char *payam_text_isolate             (const char *text);

/* @text wrapped in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE: for a tracking code or a
 * phone number inside right-to-left text, whose digit groups must keep their order. */
char *payam_text_isolate_ltr         (const char *text);

G_END_DECLS
