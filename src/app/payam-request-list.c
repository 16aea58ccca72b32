/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestList: the open requests of a store in a GtkListView, with an empty state. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>

#include "payam-request-item.h"
#include "payam-request-list.h"
#include "payam-request-row.h"

/* How often "time left" is measured again while the list is shown. */
#define TICK_SECONDS 60

struct _PayamRequestList
{
  GtkBox parent_instance;

  /* owned */
  GListStore *items;
  GDateTime *now;
  guint tick_id;

  /* template children (borrowed) */
  GtkStack *stack;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (PayamRequestList, payam_request_list, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_NOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
now_changed (PayamRequestList *self,
             GParamSpec       *pspec,
             PayamRequestRow  *row)
{
  payam_request_row_set_now (row, self->now);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, payam_request_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (user_data);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  PayamRequestItem *item = gtk_list_item_get_item (list_item);

  payam_request_row_set_item (PAYAM_REQUEST_ROW (row), item, self->now);
  g_signal_connect_object (self, "notify::now", G_CALLBACK (now_changed), row, 0);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (user_data);
  GtkWidget *row = gtk_list_item_get_child (list_item);

  g_signal_handlers_disconnect_by_func (self, now_changed, row);
}

static gboolean
tick (gpointer user_data)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  payam_request_list_set_now (self, now);
  return G_SOURCE_CONTINUE;
}

static void
payam_request_list_dispose (GObject *object)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_REQUEST_LIST);
  g_clear_object (&self->items);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (payam_request_list_parent_class)->dispose (object);
}

static void
payam_request_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_NOW:
      g_value_set_boxed (value, self->now);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_request_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PayamRequestList *self = PAYAM_REQUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_NOW:
      payam_request_list_set_now (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_request_list_class_init (PayamRequestListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_request_list_dispose;
  object_class->get_property = payam_request_list_get_property;
  object_class->set_property = payam_request_list_set_property;

  /* The moment every row's "time left" is measured from; moves on every minute. */
  properties[PROP_NOW] =
    g_param_spec_boxed ("now", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-request-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamRequestList, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestList, list_view);
}

static void
payam_request_list_init (PayamRequestList *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (PAYAM_TYPE_REQUEST_ITEM);
  self->now = g_date_time_new_now_utc ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  gtk_stack_set_visible_child_name (self->stack, "empty");

  self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick, self);
}

GtkWidget *
payam_request_list_new (void)
{
  return g_object_new (PAYAM_TYPE_REQUEST_LIST, NULL);
}

/* Replace the list with the open requests of @store, ordered by the store (priority, then
 * deadline, then creation), each with its category's name. "Time left" is measured from
 * @now. On error the list keeps what it showed and FALSE is returned with @error set. */
gboolean
payam_request_list_reload (PayamRequestList  *self,
                           PayamStore        *store,
                           GDateTime         *now,
                           GError           **error)
{
  PayamRequestFilter filter = { .open_only = TRUE };
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree PayamRequest **stolen = NULL;
  gsize n_requests;

  g_return_val_if_fail (PAYAM_IS_REQUEST_LIST (self), FALSE);
  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  categories = payam_store_list_categories (store, error);
  if (categories == NULL)
    return FALSE;

  requests = payam_store_list_requests (store, &filter, error);
  if (requests == NULL)
    return FALSE;

  /* Borrowed from @categories, which outlives the table. */
  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);

      g_hash_table_insert (names, category->code, category->name);
    }

  /* The items take the requests over from the array. */
  n_requests = requests->len;
  stolen = (PayamRequest **) g_ptr_array_steal (requests, NULL);
  items = g_ptr_array_new_full (n_requests, g_object_unref);
  for (gsize i = 0; i < n_requests; i++)
    {
      const char *name = NULL;

      if (stolen[i]->category != NULL)
        name = g_hash_table_lookup (names, stolen[i]->category);

      g_ptr_array_add (items, payam_request_item_new (stolen[i], name));
    }

  payam_request_list_set_now (self, now);

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");

  return TRUE;
}

/* Measure every row's "time left" from @now (the list does so itself every minute with
 * the real clock). Notifies "now" when it changes. */
void
payam_request_list_set_now (PayamRequestList *self,
                            GDateTime        *now)
{
  g_return_if_fail (PAYAM_IS_REQUEST_LIST (self));
  g_return_if_fail (now != NULL);

  if (self->now != NULL && g_date_time_equal (self->now, now))
    return;

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_ref (now);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

GDateTime *
payam_request_list_get_now (PayamRequestList *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_LIST (self), NULL);

  return self->now;
}

/* The rows shown, as a GListModel of PayamRequestItem (transfer none). */
GListModel *
payam_request_list_get_model (PayamRequestList *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_LIST (self), NULL);

  return G_LIST_MODEL (self->items);
}
