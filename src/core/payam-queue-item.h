/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQueueItem: one row of an office queue or search, a request or a conflict row. */
#pragma once

#include <glib-object.h>

#include "payam-types.h"

G_BEGIN_DECLS

/* What a row of a list holds, as the queue's SQL reads it. Strings may be NULL except @id. */
typedef struct {
  gint64         rowid;          /* the request's (or conflict's) rowid */
  const char    *id;             /* the request id, or the conflict id for a conflict row */
  const char    *request_id;     /* the request concerned (NULL: a conflict on another row) */
  const char    *tracking_code;  /* canonical ASCII */
  const char    *category;
  const char    *text;
  const char    *neighbourhood;
  const char    *street;
  PayamPriority  priority;       /* 0 when there is no request */
  const char    *status;
  const char    *group_id;
  const char    *created_at;     /* as stored (UTC ISO 8601) */
  const char    *due_at;
  /* conflict rows only */
  const char    *conflict_kind;
  const char    *entity;
  const char    *field;
  const char    *kept_value;
  const char    *lost_value;
  const char    *lost_device;
  const char    *lost_member;   /* the name of the member who made the losing change (staff or
                                 * crew member, from PayamOp.member), else their id; NULL */
  const char    *reason;
} PayamQueueItemFields;

#define PAYAM_TYPE_QUEUE_ITEM (payam_queue_item_get_type ())
G_DECLARE_FINAL_TYPE (PayamQueueItem, payam_queue_item, PAYAM, QUEUE_ITEM, GObject)

PayamQueueItem *payam_queue_item_new               (const PayamQueueItemFields *fields);
gint64          payam_queue_item_get_rowid         (PayamQueueItem *self);
const char     *payam_queue_item_get_id            (PayamQueueItem *self);
const char     *payam_queue_item_get_request_id    (PayamQueueItem *self);
const char     *payam_queue_item_get_tracking_code (PayamQueueItem *self);
const char     *payam_queue_item_get_category      (PayamQueueItem *self);
const char     *payam_queue_item_get_text          (PayamQueueItem *self);
const char     *payam_queue_item_get_neighbourhood (PayamQueueItem *self);
const char     *payam_queue_item_get_street        (PayamQueueItem *self);
PayamPriority   payam_queue_item_get_priority      (PayamQueueItem *self);
const char     *payam_queue_item_get_status        (PayamQueueItem *self);
const char     *payam_queue_item_get_group_id      (PayamQueueItem *self);
/* Times as stored (UTC ISO 8601), and as GDateTime (transfer full); NULL when none. */
const char     *payam_queue_item_get_created_at    (PayamQueueItem *self);
const char     *payam_queue_item_get_due_at        (PayamQueueItem *self);
GDateTime      *payam_queue_item_dup_created_at    (PayamQueueItem *self);
GDateTime      *payam_queue_item_dup_due_at        (PayamQueueItem *self);
const char     *payam_queue_item_get_conflict_kind (PayamQueueItem *self);
const char     *payam_queue_item_get_entity        (PayamQueueItem *self);
const char     *payam_queue_item_get_field         (PayamQueueItem *self);
const char     *payam_queue_item_get_kept_value    (PayamQueueItem *self);
const char     *payam_queue_item_get_lost_value    (PayamQueueItem *self);
const char     *payam_queue_item_get_lost_device   (PayamQueueItem *self);
const char     *payam_queue_item_get_lost_member   (PayamQueueItem *self);
const char     *payam_queue_item_get_reason        (PayamQueueItem *self);

G_END_DECLS
