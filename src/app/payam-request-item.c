/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestItem: a stored request wrapped as a GObject for list models. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-request-item.h"

struct _PayamRequestItem
{
  GObject parent_instance;

  /* owned */
  PayamRequest *request;
  char *category_name;
};

G_DEFINE_FINAL_TYPE (PayamRequestItem, payam_request_item, G_TYPE_OBJECT)

static void
payam_request_item_finalize (GObject *object)
{
  PayamRequestItem *self = PAYAM_REQUEST_ITEM (object);

  g_clear_pointer (&self->request, payam_request_free);
  g_clear_pointer (&self->category_name, g_free);

  G_OBJECT_CLASS (payam_request_item_parent_class)->finalize (object);
}

static void
payam_request_item_class_init (PayamRequestItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_request_item_finalize;
}

static void
payam_request_item_init (PayamRequestItem *self)
{
}

/* Wrap @request, taking ownership of it. @category_name is the Persian name shown for the
 * request's category (copied; NULL when the category is unknown). */
PayamRequestItem *
payam_request_item_new (PayamRequest *request,
                        const char   *category_name)
{
  PayamRequestItem *self;

  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_REQUEST_ITEM, NULL);
  self->request = request;
  self->category_name = g_strdup (category_name);

  return self;
}

const PayamRequest *
payam_request_item_get_request (PayamRequestItem *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_ITEM (self), NULL);

  return self->request;
}

const char *
payam_request_item_get_category_name (PayamRequestItem *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_ITEM (self), NULL);

  return self->category_name;
}
