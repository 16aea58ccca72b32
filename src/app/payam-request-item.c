/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestItem: a stored request wrapped as a GObject for list models. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-request-item.h"
#include "payam-store-blobs.h"

struct _PayamRequestItem
{
  GObject parent_instance;

  /* owned */
  PayamRequest *request;
  char *category_name;

  gboolean photo_pending;
};

G_DEFINE_FINAL_TYPE (PayamRequestItem, payam_request_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHOTO_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
payam_request_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PayamRequestItem *self = PAYAM_REQUEST_ITEM (object);

  switch (prop_id)
    {
    case PROP_PHOTO_PENDING:
      g_value_set_boolean (value, self->photo_pending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

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
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = payam_request_item_finalize;
  object_class->get_property = payam_request_item_get_property;

  /* A photo of the request is known here but its bytes have not arrived yet. */
  properties[PROP_PHOTO_PENDING] =
    g_param_spec_boolean ("photo-pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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

gboolean
payam_request_item_get_photo_pending (PayamRequestItem *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_ITEM (self), FALSE);

  return self->photo_pending;
}

void
payam_request_item_set_photo_pending (PayamRequestItem *self,
                                      gboolean          photo_pending)
{
  g_return_if_fail (PAYAM_IS_REQUEST_ITEM (self));

  photo_pending = !!photo_pending;
  if (self->photo_pending == photo_pending)
    return;
  self->photo_pending = photo_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHOTO_PENDING]);
}

/* Set "photo-pending" on every PayamRequestItem of @items: TRUE when a photo of its request
 * is known in @store without its bytes (pulled, not downloaded yet). One query when no
 * photo is missing, the usual case; else one per item. FALSE with @error set on a store
 * error, the items then unchanged from there on. */
gboolean
payam_request_items_mark_photo_pending (GListModel  *items,
                                        PayamStore  *store,
                                        GError     **error)
{
  g_auto(GStrv) missing = NULL;
  g_autoptr(GHashTable) set = NULL;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (items), FALSE);
  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);

  missing = payam_store_blob_list_missing (store, error);
  if (missing == NULL)
    return FALSE;
  set = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; missing[i] != NULL; i++)
    g_hash_table_add (set, missing[i]);

  n_items = g_list_model_get_n_items (items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(PayamRequestItem) item = g_list_model_get_item (items, i);
      g_auto(GStrv) photos = NULL;
      gboolean pending = FALSE;

      if (g_hash_table_size (set) > 0)
        {
          photos = payam_store_list_request_photos (store, item->request->id, error);
          if (photos == NULL)
            return FALSE;
          for (guint j = 0; photos[j] != NULL && !pending; j++)
            pending = g_hash_table_contains (set, photos[j]);
        }
      payam_request_item_set_photo_pending (item, pending);
    }
  return TRUE;
}
