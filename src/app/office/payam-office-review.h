/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeReview: a proposed duplicate group side by side, with what made its score. */
#pragma once

#include <adwaita.h>

#include "payam-dup-index.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_REVIEW (payam_office_review_get_type ())
G_DECLARE_FINAL_TYPE (PayamOfficeReview, payam_office_review, PAYAM, OFFICE_REVIEW, GtkBox)

/* A review page over @store; starts building the duplicate index of @store in a worker
 * thread (payam_dup_index_new_async()): until it is ready the page says so where the
 * score's parts and the suggestions go. @category_names (code → name) is borrowed and
 * must outlive the page. */
PayamOfficeReview *payam_office_review_new       (PayamStore        *store,
                                                  GHashTable        *category_names);
/* Show the group of request @request_id (or the request alone when it is in none): each
 * member side by side with its words, large photo, place and time, the members on a map
 * sketch, each member's score against the lead with its parts, and the groups it may be
 * merged into. NULL empties the page. */
void               payam_office_review_show      (PayamOfficeReview *self,
                                                  const char        *request_id);
/* The resident index, NULL while it builds (or when its build failed). */
PayamDupIndex     *payam_office_review_get_index (PayamOfficeReview *self);

G_END_DECLS
