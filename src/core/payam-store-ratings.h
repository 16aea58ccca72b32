/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore ratings: a citizen's 1–5 score and comment on a finished request. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* The longest comment kept, in characters. */
#define PAYAM_RATING_MAX_COMMENT_CHARS 1000

/* A rating as stored. Owned strings; @comment is NULL when none was written. */
typedef struct {
  char      *id;          /* UUIDv7 */
  char      *request_id;
  int        score;       /* 1 … 5 */
  char      *comment;
  GDateTime *created_at;
} PayamRating;

void          payam_rating_free              (PayamRating *rating);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamRating, payam_rating_free)

/* TRUE for the statuses a citizen may rate: the work is finished (done, notified, closed). */
gboolean      payam_status_is_rateable       (PayamStatus  status);

/* Rate request @request_id with @score (1 … 5) and an optional @comment (trimmed; NULL or
 * white space for none), as one transaction with its outbox op (entity "rating", a row
 * created once: it syncs like notices) and an audit row. A request has at most one rating
 * in a store: a second one is refused (INVALID), so a kiosk cannot be used to stuff
 * scores. Returns the new rating id (caller owns it) or NULL: NOT_FOUND for an unknown
 * request, INVALID (translated, saying what to fix) for a score out of range, a comment
 * too long or not UTF-8, a request that is not finished yet (payam_status_is_rateable)
 * or one already rated. */
char         *payam_store_add_rating         (PayamStore   *self,
                                              const char   *request_id,
                                              int           score,
                                              const char   *comment,
                                              GError      **error);

/* The ratings of @request_id, oldest first (a GPtrArray of PayamRating, caller owns it),
 * possibly empty; NULL with a SQL error. */
GPtrArray    *payam_store_list_ratings       (PayamStore   *self,
                                              const char   *request_id,
                                              GError      **error);

G_END_DECLS
