/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Priority of a request from the danger questions, hazard words and the category default. */
#pragma once

#include "payam-types.h"

G_BEGIN_DECLS

/* Answers to the kiosk's danger check (all FALSE when not asked). */
typedef struct {
  gboolean danger_to_people; /* danger to people right now */
  gboolean blocks_road;      /* blocking a road or passage */
  gboolean utilities;        /* water, gas or electricity involved */
} PayamHazardAnswers;

/* The hazard word found in @text_norm (already normalised with payam_text_normalize), as
 * the lexicon's canonical key (e.g. "gas-smell", "open-manhole"), or NULL. The lexicon is
 * matched on normalised Persian phrases. */
const char    *payam_priority_find_hazard (const char               *text_norm);

/* The lexicon's keys in precedence order, NULL-terminated (static; for tests and for the
 * office's list of hazard kinds). */
const char *const *payam_priority_hazard_keys    (void);
/* The normalised phrases of @key, NULL-terminated (static), or NULL for an unknown key. */
const char *const *payam_priority_hazard_phrases (const char *key);

/* The priority: urgent when the citizen answered yes to danger-to-people or utilities, or
 * flagged a hazard, or the text names a hazard; high when the road is blocked; otherwise
 * @category_default. Never lower than the category default. @answers may be NULL. */
PayamPriority  payam_priority_compute     (const PayamHazardAnswers *answers,
                                           gboolean                  hazard_flag,
                                           const char               *text_norm,
                                           PayamPriority             category_default);

/* The translated word for @priority, as people read it ("Urgent" → «فوری»). Static. */
const char    *payam_priority_label       (PayamPriority             priority);

G_END_DECLS
