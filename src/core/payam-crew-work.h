/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crew's work on its worksheets: outcome phrases, the evidence rules of done and not
 * possible, and the day's route order kept on the device. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Why the work was not possible (issue #12). */
typedef enum {
  PAYAM_NOT_POSSIBLE_NONE,          /* not chosen: refused */
  PAYAM_NOT_POSSIBLE_NO_ACCESS,     /* the crew could not get to it */
  PAYAM_NOT_POSSIBLE_OTHER_AGENCY,  /* needs another agency (water, power, gas, police) */
  PAYAM_NOT_POSSIBLE_NOT_OURS,      /* not the municipality's */
  PAYAM_NOT_POSSIBLE_NOT_FOUND,     /* the crew could not find it */
  PAYAM_NOT_POSSIBLE_OTHER,         /* something else, said in the text */
} PayamNotPossibleReason;

#define PAYAM_N_NOT_POSSIBLE_REASONS (PAYAM_NOT_POSSIBLE_OTHER + 1)

/* The reason for people (translated; static); NULL for NONE. */
const char *payam_not_possible_reason_label (PayamNotPossibleReason reason);

/* The public outcome phrases of @category (a category code; one without phrases of its
 * own gets the default ones), from src/core/data/outcomes.json. Never NULL or empty;
 * caller owns it. */
GStrv       payam_outcome_phrases           (const char            *category);

/* The public description of a done: @phrase, then @words (may be NULL or blank) after a
 * Persian comma. NULL with INVALID when @phrase is not one of the phrases of @category or
 * the whole is too long. Caller owns it. */
char       *payam_outcome_description       (const char            *category,
                                             const char            *phrase,
                                             const char            *words,
                                             GError               **error);

/* Mark the work serving @request_id done, as the crew, for the whole group: refused
 * (INVALID, nothing written) without at least one after photo on its worksheet
 * (PAYAM_ACTION_AFTER) or without a phrase of the category's outcome phrases; otherwise
 * payam_store_add_action() with DONE and the description as its note, which every
 * member's citizen is told. Returns the action id (caller owns it). */
char       *payam_store_crew_done           (PayamStore            *self,
                                             const char            *request_id,
                                             const char            *phrase,
                                             const char            *words,
                                             GError               **error);

/* Mark the work serving @request_id not possible, as the crew, for the whole group:
 * INVALID without a @reason or without @text (what the crew saw). The note reads
 * "reason: text"; the worksheet leaves the crew's open work and waits for the office's
 * decision (status not_possible). Returns the action id (caller owns it). */
char       *payam_store_crew_not_possible   (PayamStore            *self,
                                             const char            *request_id,
                                             PayamNotPossibleReason reason,
                                             const char            *text,
                                             GError               **error);

/* The number of after photos recorded on the worksheet serving @request_id (*@n_after),
 * and of before photos (*@n_before; either may be NULL). */
gboolean    payam_store_count_evidence      (PayamStore            *self,
                                             const char            *request_id,
                                             guint                 *n_before,
                                             guint                 *n_after,
                                             GError               **error);

/* Keep @worksheet_ids (NULL-terminated, in the order the crew wants to go) as the day's
 * route on this device; worksheets not named lose their place. Never synced. */
gboolean    payam_store_set_route           (PayamStore            *self,
                                             const char * const    *worksheet_ids,
                                             GError               **error);

G_END_DECLS
