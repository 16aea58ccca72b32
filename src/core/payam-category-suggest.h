/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Intake text checks: category suggestions from a short description (the kiosk's "not
 * sure?" path) and whether a description says enough (length, place, time). */
#pragma once

#include <glib.h>

#include "payam-category.h"

G_BEGIN_DECLS

/* The kiosk offers at most this many suggestions. */
#define PAYAM_CATEGORY_SUGGEST_MAX 3

/* The categories of @categories (a GPtrArray of PayamCategory *) that best fit @text_norm
 * (normalised with payam_text_normalize), best first, at most @max_results of them; only
 * categories that share a meaningful word with the text, or that the hazard lexicon points
 * to, are returned. The array does not own its elements: they are borrowed from
 * @categories and valid as long as it is. Never NULL (empty when nothing fits). */
GPtrArray *payam_category_suggest (GPtrArray  *categories,
                                   const char *text_norm,
                                   guint       max_results);

/* A description is long enough from this many words and characters (spaces excluded). */
#define PAYAM_DESCRIPTION_MIN_WORDS 4
#define PAYAM_DESCRIPTION_MIN_CHARS 15

/* What a description says, for the kiosk's live hints. */
typedef struct {
  guint    n_words;      /* words of the normalised text */
  guint    n_chars;      /* characters, spaces excluded */
  gboolean long_enough;  /* at least PAYAM_DESCRIPTION_MIN_WORDS and _MIN_CHARS */
  gboolean names_place;  /* a place word ("کوچه", "جلوی", "میدان", …) */
  gboolean names_time;   /* a time word ("دیروز", "هفته", "از صبح", …) */
} PayamDescriptionHints;

/* Fill @out from @text_norm (normalised with payam_text_normalize; NULL is empty). */
void       payam_description_hints (const char            *text_norm,
                                    PayamDescriptionHints *out);

G_END_DECLS
