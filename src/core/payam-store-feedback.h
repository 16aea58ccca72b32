/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore feedback: notice templates, SMS delivery states and feedback coverage. */
#pragma once

#include "payam-notice.h"
#include "payam-store.h"

G_BEGIN_DECLS

/* ---- templates ---------------------------------------------------------------------- */

/* The template of @outcome for @category (a category code, or NULL for every category): the
 * office's own for that category, else its own for every category, else the built-in one
 * (payam_notice_default_template). Caller owns it. */
char       *payam_store_dup_notice_template (PayamStore          *self,
                                             const char          *category,
                                             PayamNoticeOutcome   outcome,
                                             GError             **error);
/* Keep @template_text (payam_notice_template_check, else INVALID with its message) as the
 * template of @outcome for @category (NULL: every category); NULL @template_text goes back
 * to the one inherited. NOT_FOUND for an unknown category. Kept in this store. */
gboolean    payam_store_set_notice_template (PayamStore          *self,
                                             const char          *category,
                                             PayamNoticeOutcome   outcome,
                                             const char          *template_text,
                                             GError             **error);
/* Where citizens follow their report up (an address for {address}); "" when none is set.
 * Caller owns it. */
char       *payam_store_dup_followup_address (PayamStore         *self,
                                              GError            **error);
gboolean    payam_store_set_followup_address (PayamStore         *self,
                                              const char         *address,
                                              GError            **error);
/* The notice text for the citizen of @request_id about @outcome with the public @words
 * (may be NULL): its category's template, its tracking code and the follow-up address.
 * NOT_FOUND for an unknown request. Caller owns it. */
char       *payam_store_render_notice       (PayamStore          *self,
                                             const char          *request_id,
                                             PayamNoticeOutcome   outcome,
                                             const char          *words,
                                             GError             **error);

/* ---- delivery (the server) ---------------------------------------------------------- */

/* Delivery states of a notice, kept by the server in notice_delivery:
 * queued (waiting, maybe for a retry), sending (handed to the gateway; after a crash it is
 * sent again under the same localid, which the gateway does not send twice), sent
 * (accepted, waiting for its delivery report), delivered, failed (with a reason), and
 * looked-up (a citizen without a phone looked the code up after the outcome). Delivered
 * and looked-up mark the notice itself 'sent' (synced): that is "told". Failed marks it
 * 'failed'. */

/* An SMS to hand to the gateway, or waiting for its report. */
typedef struct {
  gint64  localid;     /* unique per notice, stable across resends */
  char   *notice_id;
  char   *phone;
  char   *text;
  char   *message_id;  /* the gateway's id once accepted, else NULL */
} PayamSmsItem;

void        payam_sms_item_free             (PayamSmsItem        *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSmsItem, payam_sms_item_free)

/* Up to @max pending SMS notices due at the store's now (new ones, retries whose time has
 * come, and ones left "sending" by a crash), oldest first, each moved to sending with its
 * localid. One transaction. Owns its PayamSmsItem elements. */
GPtrArray  *payam_store_claim_sms           (PayamStore          *self,
                                             guint                max,
                                             GError             **error);
/* Up to @max notices sent and waiting for their delivery report. */
GPtrArray  *payam_store_list_sms_awaiting   (PayamStore          *self,
                                             guint                max,
                                             GError             **error);
/* The gateway accepted @localid as @message_id (state sent). */
gboolean    payam_store_sms_sent            (PayamStore          *self,
                                             gint64               localid,
                                             const char          *message_id,
                                             GError             **error);
/* Try @localid again after @delay_seconds (busy, network): queued with @reason kept. */
gboolean    payam_store_sms_retry           (PayamStore          *self,
                                             gint64               localid,
                                             const char          *reason,
                                             guint                delay_seconds,
                                             GError             **error);
/* @localid will never arrive (bad number, blocked, not delivered): failed with @reason. */
gboolean    payam_store_sms_failed          (PayamStore          *self,
                                             gint64               localid,
                                             const char          *reason,
                                             GError             **error);
/* The delivery report says @localid arrived: delivered, and the notice is told. */
gboolean    payam_store_sms_delivered       (PayamStore          *self,
                                             gint64               localid,
                                             GError             **error);
/* The attempts made for @localid so far (*@out). */
gboolean    payam_store_sms_attempts        (PayamStore          *self,
                                             gint64               localid,
                                             guint               *out,
                                             GError             **error);
/* The citizen of @request_id (without a phone) looked the code up: every pending
 * tracking-code notice of it made before now is told (looked-up). *@n_told (may be NULL)
 * gets how many. NOT_FOUND for an unknown request. */
gboolean    payam_store_record_lookup       (PayamStore          *self,
                                             const char          *request_id,
                                             guint               *n_told,
                                             GError             **error);

/* The same for the request with the canonical tracking code @code (the server's track
 * page); NOT_FOUND for an unknown code. */
gboolean    payam_store_record_lookup_by_code (PayamStore        *self,
                                               const char        *code,
                                               guint             *n_told,
                                               GError           **error);

/* ---- coverage ----------------------------------------------------------------------- */

/* Citizens owed an answer are the requests with an outcome (done, not possible, rejected,
 * notified, closed); each is told once it has an 'outcome' notice in state sent. */
typedef enum {
  PAYAM_COVERAGE_OVERALL,
  PAYAM_COVERAGE_BY_OUTCOME,        /* key: the request's status nick */
  PAYAM_COVERAGE_BY_CATEGORY,       /* key: category code */
  PAYAM_COVERAGE_BY_NEIGHBOURHOOD,  /* key: neighbourhood code */
  PAYAM_COVERAGE_BY_CREW,           /* key: crew id, NULL without a worksheet crew */
} PayamCoverageBy;

typedef struct {
  char   *key;        /* NULL for overall */
  gint64  owed;
  gint64  told;
  gint64  queued;     /* SMS waiting or on its way */
  gint64  failed;
  gint64  no_phone;   /* tracking-code notice, code not looked up yet */
  gint64  no_notice;  /* an outcome and no notice made yet */
} PayamCoverageRow;

void        payam_coverage_row_free         (PayamCoverageRow    *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamCoverageRow, payam_coverage_row_free)

/* Coverage grouped @by, computed in SQL, keys in order. Owns PayamCoverageRow elements;
 * OVERALL gives exactly one row. */
GPtrArray  *payam_store_get_coverage        (PayamStore          *self,
                                             PayamCoverageBy      by,
                                             GError             **error);

/* Coverage of the requests filed in [@since, @until) (their state now), OVERALL (one row)
 * or BY_OUTCOME only. Owns PayamCoverageRow elements. */
GPtrArray  *payam_store_get_coverage_range  (PayamStore          *self,
                                             PayamCoverageBy      by,
                                             GDateTime           *since,
                                             GDateTime           *until,
                                             GError             **error);

/* Every grouping at once, from one reading of the citizens owed an answer (the per-call
 * figures each read them all): @out[by] gets what payam_store_get_coverage (@by) gives,
 * for every PayamCoverageBy. On failure nothing is set. */
gboolean    payam_store_get_coverage_all    (PayamStore          *self,
                                             GPtrArray           *out[PAYAM_COVERAGE_BY_CREW + 1],
                                             GError             **error);

/* A citizen not told yet, and why: "queued", "failed" (with the gateway's @reason),
 * "no-phone" or "no-notice". */
typedef struct {
  char *request_id;
  char *tracking_code;
  char *why;
  char *reason;       /* failed: the reason; else NULL */
} PayamUntold;

void        payam_untold_free               (PayamUntold         *untold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamUntold, payam_untold_free)

/* Up to @max citizens owed an answer and not told, oldest request first. */
GPtrArray  *payam_store_list_untold         (PayamStore          *self,
                                             guint                max,
                                             GError             **error);
/* The same list from its @offset-th citizen on (a CSV of all of it reads it page by page). */
GPtrArray  *payam_store_list_untold_page    (PayamStore          *self,
                                             guint                offset,
                                             guint                max,
                                             GError             **error);

G_END_DECLS
