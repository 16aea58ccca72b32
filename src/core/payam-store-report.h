/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore figures over a time range [since, until), for the monthly report: what the
 * dashboard's figures (payam-store-dashboard.h) lack. Each is computed in SQL. */
#pragma once

#include "payam-store-dashboard.h"
#include "payam-store-feedback.h"

G_BEGIN_DECLS

/* Messages filed in [@since, @until) by channel (key: the channel's nick), in key order.
 * Owns PayamDashCount elements. */
GPtrArray  *payam_store_range_intake_by_channel (PayamStore       *self,
                                                 GDateTime        *since,
                                                 GDateTime        *until,
                                                 GError          **error);

/* Worksheets whose deadline fell in [@since, @until). */
typedef struct {
  gint64  due;         /* with a deadline in the range */
  gint64  late;        /* not finished (done or not possible) by their deadline */
  gint64  unfinished;  /* of the late ones, still not finished at @until */
} PayamRangeWorksheets;

gboolean    payam_store_range_worksheets        (PayamStore            *self,
                                                 GDateTime             *since,
                                                 GDateTime             *until,
                                                 PayamRangeWorksheets  *out,
                                                 GError               **error);

/* Messages open at @until by priority (key "1" urgent … "3" normal, in that order): filed
 * before @until and without an outcome before it. A request's outcome time is its first
 * outcome notice (made when it is done, not possible or rejected); one with an outcome
 * and no notice yet counts as open when its status is open. Owns PayamDashCount
 * elements. */
GPtrArray  *payam_store_range_open_at           (PayamStore       *self,
                                                 GDateTime        *until,
                                                 GError          **error);

/* Ratings made in [@since, @until) into *@out, and how many of them came with a comment
 * or suggestion into *@n_comments. */
gboolean    payam_store_range_ratings           (PayamStore        *self,
                                                 GDateTime         *since,
                                                 GDateTime         *until,
                                                 PayamDashRatings  *out,
                                                 gint64            *n_comments,
                                                 GError           **error);

G_END_DECLS
