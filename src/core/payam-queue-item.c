/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQueueItem: an immutable copy of one row of an office queue or search. */
#define G_LOG_DOMAIN "payam-core"
#include "config.h"

#include "payam-queue-item.h"

struct _PayamQueueItem
{
  GObject        parent_instance;

  /* owned */
  char          *id;
  char          *request_id;
  char          *tracking_code;
  char          *category;
  char          *text;
  char          *neighbourhood;
  char          *street;
  char          *status;
  char          *group_id;
  char          *created_at;
  char          *due_at;
  char          *conflict_kind;
  char          *entity;
  char          *field;
  char          *kept_value;
  char          *lost_value;
  char          *lost_device;
  char          *lost_member;
  char          *reason;

  gint64         rowid;
  PayamPriority  priority;
};

G_DEFINE_FINAL_TYPE (PayamQueueItem, payam_queue_item, G_TYPE_OBJECT)

static void
payam_queue_item_finalize (GObject *object)
{
  PayamQueueItem *self = PAYAM_QUEUE_ITEM (object);

  g_free (self->id);
  g_free (self->request_id);
  g_free (self->tracking_code);
  g_free (self->category);
  g_free (self->text);
  g_free (self->neighbourhood);
  g_free (self->street);
  g_free (self->status);
  g_free (self->group_id);
  g_free (self->created_at);
  g_free (self->due_at);
  g_free (self->conflict_kind);
  g_free (self->entity);
  g_free (self->field);
  g_free (self->kept_value);
  g_free (self->lost_value);
  g_free (self->lost_device);
  g_free (self->lost_member);
  g_free (self->reason);

  G_OBJECT_CLASS (payam_queue_item_parent_class)->finalize (object);
}

static void
payam_queue_item_class_init (PayamQueueItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_queue_item_finalize;
}

static void
payam_queue_item_init (PayamQueueItem *self)
{
}

/* A new item holding copies of @fields (whose id must be set). */
PayamQueueItem *
payam_queue_item_new (const PayamQueueItemFields *fields)
{
  PayamQueueItem *self;

  g_return_val_if_fail (fields != NULL && fields->id != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_QUEUE_ITEM, NULL);
  self->rowid = fields->rowid;
  self->priority = fields->priority;
  self->id = g_strdup (fields->id);
  self->request_id = g_strdup (fields->request_id);
  self->tracking_code = g_strdup (fields->tracking_code);
  self->category = g_strdup (fields->category);
  self->text = g_strdup (fields->text);
  self->neighbourhood = g_strdup (fields->neighbourhood);
  self->street = g_strdup (fields->street);
  self->status = g_strdup (fields->status);
  self->group_id = g_strdup (fields->group_id);
  self->created_at = g_strdup (fields->created_at);
  self->due_at = g_strdup (fields->due_at);
  self->conflict_kind = g_strdup (fields->conflict_kind);
  self->entity = g_strdup (fields->entity);
  self->field = g_strdup (fields->field);
  self->kept_value = g_strdup (fields->kept_value);
  self->lost_value = g_strdup (fields->lost_value);
  self->lost_device = g_strdup (fields->lost_device);
  self->lost_member = g_strdup (fields->lost_member);
  self->reason = g_strdup (fields->reason);
  return self;
}

gint64
payam_queue_item_get_rowid (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), 0);
  return self->rowid;
}

PayamPriority
payam_queue_item_get_priority (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), 0);
  return self->priority;
}

GDateTime *
payam_queue_item_dup_created_at (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->created_at != NULL ? g_date_time_new_from_iso8601 (self->created_at, NULL) : NULL;
}

GDateTime *
payam_queue_item_dup_due_at (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->due_at != NULL ? g_date_time_new_from_iso8601 (self->due_at, NULL) : NULL;
}

const char *
payam_queue_item_get_id (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->id;
}

const char *
payam_queue_item_get_request_id (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->request_id;
}

const char *
payam_queue_item_get_tracking_code (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->tracking_code;
}

const char *
payam_queue_item_get_category (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->category;
}

const char *
payam_queue_item_get_text (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->text;
}

const char *
payam_queue_item_get_neighbourhood (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->neighbourhood;
}

const char *
payam_queue_item_get_street (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->street;
}

const char *
payam_queue_item_get_status (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->status;
}

const char *
payam_queue_item_get_group_id (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->group_id;
}

const char *
payam_queue_item_get_conflict_kind (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->conflict_kind;
}

const char *
payam_queue_item_get_entity (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->entity;
}

const char *
payam_queue_item_get_field (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->field;
}

const char *
payam_queue_item_get_kept_value (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->kept_value;
}

const char *
payam_queue_item_get_lost_value (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->lost_value;
}

const char *
payam_queue_item_get_lost_device (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->lost_device;
}

const char *
payam_queue_item_get_lost_member (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->lost_member;
}

const char *
payam_queue_item_get_reason (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->reason;
}

const char *
payam_queue_item_get_created_at (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->created_at;
}

const char *
payam_queue_item_get_due_at (PayamQueueItem *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (self), NULL);
  return self->due_at;
}
