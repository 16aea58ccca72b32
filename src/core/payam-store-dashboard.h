/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore dashboard figures: what the office sees at a glance, each computed in SQL.
 * Feedback coverage against 100% is payam_store_get_coverage() (payam-store-feedback.h). */
#pragma once

#include "payam-store-feedback.h"
#include "payam-store.h"

G_BEGIN_DECLS

/* A count under one or two keys (a status and a priority, a day and a category, …). */
typedef struct {
  char   *key;     /* never NULL */
  char   *key2;    /* NULL when the figure has one key */
  gint64  count;
} PayamDashCount;

void        payam_dash_count_free          (PayamDashCount *count);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDashCount, payam_dash_count_free)

/* Open messages (registered … in progress) by status (key, its nick) and priority (key2,
 * "1" urgent … "3" normal), in status then priority order. Owns PayamDashCount elements. */
GPtrArray  *payam_store_dash_open          (PayamStore     *self,
                                            GError        **error);

/* A worksheet past its deadline and not finished. */
typedef struct {
  char   *worksheet_id;
  char   *group_id;
  char   *crew_id;     /* NULL when no crew has it */
  char   *status;      /* open, assigned, in_progress */
  char   *due_at;      /* as stored (UTC) */
  gint64  members;     /* requests in its group */
} PayamDashOverdue;

void        payam_dash_overdue_free        (PayamDashOverdue *overdue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDashOverdue, payam_dash_overdue_free)

/* Up to @max worksheets overdue at the store's now, oldest deadline first. */
GPtrArray  *payam_store_dash_overdue       (PayamStore     *self,
                                            guint           max,
                                            GError        **error);

/* Messages filed today (the Asia/Tehran day of the store's now) into *@out. */
gboolean    payam_store_dash_today_intake  (PayamStore     *self,
                                            gint64         *out,
                                            GError        **error);

/* Time from filing to done of the requests whose worksheet was done in [@since, @until),
 * per category. */
typedef struct {
  char   *category;
  gint64  n;
  double  mean_seconds;
  double  p90_seconds;  /* the smallest time at least 90% of them took no longer than */
} PayamDashTiming;

void        payam_dash_timing_free         (PayamDashTiming *timing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDashTiming, payam_dash_timing_free)

GPtrArray  *payam_store_dash_time_to_done  (PayamStore     *self,
                                            GDateTime      *since,
                                            GDateTime      *until,
                                            GError        **error);

/* Ratings: how many, the average score (0 without any) and how many of each score. */
typedef struct {
  gint64  n;
  double  average;
  gint64  by_score[5];  /* [0] is score 1 */
} PayamDashRatings;

gboolean    payam_store_dash_ratings       (PayamStore        *self,
                                            PayamDashRatings  *out,
                                            GError           **error);

/* The latest @max ratings with a comment, newest first: key the comment, key2 the tracking
 * code, count the score. Owns PayamDashCount elements. */
GPtrArray  *payam_store_dash_comments      (PayamStore     *self,
                                            guint           max,
                                            GError        **error);

/* What intake is split by. */
typedef enum {
  PAYAM_DASH_BY_DAY,            /* key: the Asia/Tehran day, YYYY-MM-DD (Gregorian) */
  PAYAM_DASH_BY_CATEGORY,       /* key: category code */
  PAYAM_DASH_BY_NEIGHBOURHOOD,  /* key: neighbourhood code */
} PayamDashBy;

/* Messages filed in [@since, @until) counted @by, keys in order (days without a message are
 * left out). Owns PayamDashCount elements. */
GPtrArray  *payam_store_dash_intake        (PayamStore     *self,
                                            PayamDashBy     by,
                                            GDateTime      *since,
                                            GDateTime      *until,
                                            GError        **error);

/* Feedback coverage over time: the citizens whose outcome notice was made in [@since,
 * @until), per Asia/Tehran day (key YYYY-MM-DD, Gregorian; days without one are left
 * out), owed and told now (the other sums stay 0). Owns PayamCoverageRow elements. */
GPtrArray  *payam_store_dash_coverage_by_day (PayamStore   *self,
                                              GDateTime    *since,
                                              GDateTime    *until,
                                              GError      **error);

/* SQLite's data_version of this store's connection (*@out): it moves when another
 * connection to the file (payamctl, the server, a sync thread) commits, so a view can poll
 * it cheaply and read its figures again only then. */
gboolean    payam_store_dash_data_version    (PayamStore   *self,
                                              gint64       *out,
                                              GError      **error);

G_END_DECLS
