/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Category suggestions from a citizen's short description (the kiosk's "not sure?" path). */
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

G_END_DECLS
