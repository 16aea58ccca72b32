/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRowSlots: places that keep their objects while the rows behind them change (see the
 * header). Only places someone holds are kept (a weak reference each), so a change costs a
 * read of the rows a view shows, not of the list. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-row-slots.h"

struct _PayamRowSlot {
  GObject   parent_instance;
  guint     position;
  GObject  *item;
};

G_DEFINE_FINAL_TYPE (PayamRowSlot, payam_row_slot, G_TYPE_OBJECT)

enum { SLOT_PROP_0, SLOT_PROP_ITEM, N_SLOT_PROPS };
static GParamSpec *slot_props[N_SLOT_PROPS];

static void
payam_row_slot_finalize (GObject *object)
{
  g_clear_object (&PAYAM_ROW_SLOT (object)->item);
  G_OBJECT_CLASS (payam_row_slot_parent_class)->finalize (object);
}

static void
payam_row_slot_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case SLOT_PROP_ITEM:
      g_value_set_object (value, PAYAM_ROW_SLOT (object)->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_row_slot_class_init (PayamRowSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = payam_row_slot_finalize;
  object_class->get_property = payam_row_slot_get_property;
  slot_props[SLOT_PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                                                    G_PARAM_READABLE |
                                                    G_PARAM_EXPLICIT_NOTIFY |
                                                    G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_SLOT_PROPS, slot_props);
}

static void
payam_row_slot_init (PayamRowSlot *self)
{
}

gpointer
payam_row_slot_get_item (PayamRowSlot *self)
{
  g_return_val_if_fail (PAYAM_IS_ROW_SLOT (self), NULL);
  return self->item;
}

/* ---- the list ------------------------------------------------------------------------- */

struct _PayamRowSlots {
  GObject      parent_instance;
  GListModel  *source;
  guint        n_items;   /* what this list has told: the source's count after each change */
  GHashTable  *slots;     /* position → PayamRowSlot, not owned (weak references) */
};

static void payam_row_slots_list_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PayamRowSlots, payam_row_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      payam_row_slots_list_init))

static void
slot_gone (gpointer  data,
           GObject  *where_it_was)
{
  PayamRowSlots *self = data;
  PayamRowSlot *slot = (PayamRowSlot *) where_it_was;

  /* A place past the end was taken out of the table when the list shrank. */
  if (g_hash_table_lookup (self->slots, GUINT_TO_POINTER (slot->position)) == slot)
    g_hash_table_remove (self->slots, GUINT_TO_POINTER (slot->position));
}

static void
forget_slot (gpointer key,
             gpointer value,
             gpointer data)
{
  g_object_weak_unref (value, slot_gone, data);
}

static GType
payam_row_slots_get_item_type (GListModel *list)
{
  return PAYAM_TYPE_ROW_SLOT;
}

static guint
payam_row_slots_get_n_items (GListModel *list)
{
  return PAYAM_ROW_SLOTS (list)->n_items;
}

static gpointer
payam_row_slots_get_item (GListModel *list,
                          guint       position)
{
  PayamRowSlots *self = PAYAM_ROW_SLOTS (list);
  PayamRowSlot *slot;

  if (position >= self->n_items)
    return NULL;
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);
  slot = g_object_new (PAYAM_TYPE_ROW_SLOT, NULL);
  slot->position = position;
  slot->item = g_list_model_get_item (self->source, position);
  g_object_weak_ref (G_OBJECT (slot), slot_gone, self);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
payam_row_slots_list_init (GListModelInterface *iface)
{
  iface->get_item_type = payam_row_slots_get_item_type;
  iface->get_n_items = payam_row_slots_get_n_items;
  iface->get_item = payam_row_slots_get_item;
}

/* The source changed from @position on: every held place from there reads its row again
 * (a notify where it is another object), places past the new end are let go, and the list
 * tells only that its end moved. */
static void
source_changed_from (PayamRowSlots *self,
                     guint          position)
{
  guint old_count = self->n_items;
  guint new_count = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PayamRowSlot *slot = value;
      g_autoptr(GObject) item = NULL;

      if (slot->position < position)
        continue;
      if (slot->position >= new_count)
        {
          /* Its row is told gone below; its last item stays until it is let go. */
          g_object_weak_unref (G_OBJECT (slot), slot_gone, self);
          g_hash_table_iter_remove (&iter);
          continue;
        }
      item = g_list_model_get_item (self->source, slot->position);
      if (item == slot->item)
        continue;
      g_set_object (&slot->item, item);
      g_ptr_array_add (changed, g_object_ref (slot));
    }
  self->n_items = new_count;
  /* Told once the table and the count agree: a handler may read any place. */
  for (guint i = 0; i < changed->len; i++)
    g_object_notify_by_pspec (g_ptr_array_index (changed, i), slot_props[SLOT_PROP_ITEM]);
  if (new_count > old_count)
    g_list_model_items_changed (G_LIST_MODEL (self), old_count, 0, new_count - old_count);
  else if (new_count < old_count)
    g_list_model_items_changed (G_LIST_MODEL (self), new_count, old_count - new_count, 0);
}

static void
source_items_changed (GListModel    *source,
                      guint          position,
                      guint          removed,
                      guint          added,
                      PayamRowSlots *self)
{
  source_changed_from (self, position);
}

void
payam_row_slots_set_source (PayamRowSlots *self,
                            GListModel    *source)
{
  g_return_if_fail (PAYAM_IS_ROW_SLOTS (self));
  g_return_if_fail (source == NULL || G_IS_LIST_MODEL (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_items_changed, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect (source, "items-changed", G_CALLBACK (source_items_changed), self);
  source_changed_from (self, 0);
}

GListModel *
payam_row_slots_get_source (PayamRowSlots *self)
{
  g_return_val_if_fail (PAYAM_IS_ROW_SLOTS (self), NULL);
  return self->source;
}

gpointer
payam_row_slots_dup_item (PayamRowSlots *self,
                          guint          position)
{
  g_return_val_if_fail (PAYAM_IS_ROW_SLOTS (self), NULL);
  if (self->source == NULL || position >= self->n_items)
    return NULL;
  return g_list_model_get_item (self->source, position);
}

static void
payam_row_slots_dispose (GObject *object)
{
  PayamRowSlots *self = PAYAM_ROW_SLOTS (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_items_changed, self);
  g_clear_object (&self->source);
  if (self->slots != NULL)
    {
      g_hash_table_foreach (self->slots, forget_slot, self);
      g_clear_pointer (&self->slots, g_hash_table_unref);
    }
  G_OBJECT_CLASS (payam_row_slots_parent_class)->dispose (object);
}

static void
payam_row_slots_class_init (PayamRowSlotsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = payam_row_slots_dispose;
}

static void
payam_row_slots_init (PayamRowSlots *self)
{
  self->slots = g_hash_table_new (g_direct_hash, g_direct_equal);
}

PayamRowSlots *
payam_row_slots_new (void)
{
  return g_object_new (PAYAM_TYPE_ROW_SLOTS, NULL);
}
