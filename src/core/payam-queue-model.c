/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQueueModel: pages of a queue read on demand, kept few, and changes as items-changed. */
#define G_LOG_DOMAIN "payam-core"
#include "config.h"

#include "payam-queue-item.h"
#include "payam-queue-model.h"

/* A request changed since the last flush, with where it stood in the held pages then. */
typedef struct {
  char     *request_id;
  gboolean  held;       /* its old place is known from a held page */
  guint     position;   /* that place */
} Pending;

static void
pending_clear (gpointer data)
{
  Pending *p = data;

  g_free (p->request_id);
}

struct _PayamQueueModel
{
  GObject      parent_instance;

  /* owned */
  PayamStore  *store;
  GHashTable  *pages;     /* page number → GPtrArray of PayamQueueItem */
  GQueue       recent;    /* page numbers, most recently used first */
  GArray      *pending;   /* of Pending */

  PayamQueue   queue;
  PayamQueueSort sort;
  gboolean     descending;
  guint        n_items;
  guint        idle_id;
  guint        n_reads;
};

static void payam_queue_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PayamQueueModel, payam_queue_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      payam_queue_model_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return PAYAM_TYPE_QUEUE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return PAYAM_QUEUE_MODEL (model)->n_items;
}

/* Drop every held page. */
static void
drop_pages (PayamQueueModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
}

/* The page @page, read from the store when not held; the least recently used page goes
 * when more than PAYAM_QUEUE_MODEL_MAX_PAGES would be held. NULL (logged) when the store
 * cannot be read: the list shows no item there rather than failing. */
static GPtrArray *
get_page (PayamQueueModel *self,
          guint            page)
{
  GPtrArray *items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  g_autoptr(GError) error = NULL;

  if (items != NULL)
    {
      GList *link = g_queue_find (&self->recent, GUINT_TO_POINTER (page));

      g_queue_unlink (&self->recent, link);
      g_queue_push_head_link (&self->recent, link);
      return items;
    }

  {
    GPtrArray *before = page > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page - 1))
                                 : NULL;

    /* Scrolling on: the page after a held one is an index range from its last row, not
     * a count past every row before it. */
    if (before != NULL && before->len == PAYAM_QUEUE_MODEL_PAGE_SIZE &&
        (self->sort != PAYAM_QUEUE_SORT_DEFAULT || payam_queue_has_keyset (self->queue)))
      items = payam_store_queue_fetch_after_sorted (self->store, self->queue, self->sort,
                                                    self->descending,
                                                    g_ptr_array_index (before, before->len - 1),
                                                    PAYAM_QUEUE_MODEL_PAGE_SIZE, &error);
    else
      items = payam_store_queue_fetch_sorted (self->store, self->queue, self->sort,
                                              self->descending,
                                              page * PAYAM_QUEUE_MODEL_PAGE_SIZE,
                                              PAYAM_QUEUE_MODEL_PAGE_SIZE, &error);
  }
  self->n_reads++;
  if (items == NULL)
    {
      g_warning ("Could not read queue %s: %s", payam_queue_to_string (self->queue),
                 error->message);
      return NULL;
    }
  while (g_queue_get_length (&self->recent) >= PAYAM_QUEUE_MODEL_MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
  return items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PayamQueueModel *self = PAYAM_QUEUE_MODEL (model);
  GPtrArray *items;
  guint offset = position % PAYAM_QUEUE_MODEL_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;
  items = get_page (self, position / PAYAM_QUEUE_MODEL_PAGE_SIZE);
  if (items == NULL || offset >= items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
payam_queue_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Where @request_id stands in the held pages, if it is there. */
static gboolean
find_held (PayamQueueModel *self,
           const char      *request_id,
           guint           *position)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *items = value;

      for (guint i = 0; i < items->len; i++)
        if (g_strcmp0 (payam_queue_item_get_request_id (g_ptr_array_index (items, i)),
                       request_id) == 0)
          {
            *position = GPOINTER_TO_UINT (key) * PAYAM_QUEUE_MODEL_PAGE_SIZE + i;
            return TRUE;
          }
    }
  return FALSE;
}

/* Whether every row of the list is in the held pages (so a request not found there was
 * not in the list). */
static gboolean
all_held (PayamQueueModel *self)
{
  guint n_pages = (self->n_items + PAYAM_QUEUE_MODEL_PAGE_SIZE - 1) / PAYAM_QUEUE_MODEL_PAGE_SIZE;

  for (guint page = 0; page < n_pages; page++)
    if (!g_hash_table_contains (self->pages, GUINT_TO_POINTER (page)))
      return FALSE;
  return TRUE;
}

/* Replace every row: the one answer that is always right. */
static void
replace_all (PayamQueueModel *self,
             guint            new_count)
{
  guint old_count = self->n_items;

  drop_pages (self);
  /* Out, then in, as two signals (the count between them is 0): told of one replacement,
   * GtkSingleSelection looks for its chosen item among every new row (GTK 4.8), which
   * reads the whole queue from the store; this way it lets the choice go at once. */
  self->n_items = 0;
  if (old_count != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_count, 0);
  self->n_items = new_count;
  if (new_count != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_count);
}

/* One request changed (@p) and the list now has @new_count rows: say precisely what moved
 * when its old place can be known, else replace everything. */
static void
apply_one (PayamQueueModel *self,
           const Pending   *p,
           guint            new_count)
{
  g_autoptr(GError) error = NULL;
  gboolean present = FALSE, was_present;
  gboolean stable = payam_queue_sort_is_stable (self->queue, self->sort);
  guint position = 0, old_position = p->position;
  guint old_count = self->n_items;

  if (!payam_store_queue_locate_sorted (self->store, self->queue, self->sort, self->descending,
                                        p->request_id, &present, &position, &error))
    {
      g_warning ("Could not place a request in queue %s: %s",
                 payam_queue_to_string (self->queue), error->message);
      replace_all (self, new_count);
      return;
    }

  if (p->held)
    was_present = TRUE;
  else if (new_count == old_count + 1 && present)
    was_present = FALSE;
  else if (new_count + 1 == old_count && !present && stable)
    {
      /* It left; its place did not move, so the rows before it are still the rows that
       * were before it. */
      was_present = TRUE;
      old_position = position;
    }
  else if (new_count == old_count && stable)
    {
      was_present = present;
      old_position = position;
    }
  else if (new_count == old_count && !present && all_held (self))
    was_present = FALSE;
  else
    {
      replace_all (self, new_count);
      return;
    }

  if ((gint64) old_count - was_present + present != new_count)
    {
      replace_all (self, new_count);
      return;
    }

  drop_pages (self);
  self->n_items = new_count;
  if (was_present && present && old_position == position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  else
    {
      if (was_present)
        g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
      if (present)
        g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
}

void
payam_queue_model_flush (PayamQueueModel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pending = NULL;
  guint new_count = 0;

  g_return_if_fail (PAYAM_IS_QUEUE_MODEL (self));

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->pending->len == 0)
    return;
  pending = g_steal_pointer (&self->pending);
  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, pending_clear);

  if (!payam_store_queue_count (self->store, self->queue, &new_count, &error))
    {
      g_warning ("Could not count queue %s: %s", payam_queue_to_string (self->queue),
                 error->message);
      return;
    }
  if (pending->len == 1)
    apply_one (self, &g_array_index (pending, Pending, 0), new_count);
  else
    replace_all (self, new_count);
}

static gboolean
flush_idle (gpointer data)
{
  PayamQueueModel *self = data;

  self->idle_id = 0;
  payam_queue_model_flush (self);
  return G_SOURCE_REMOVE;
}

/* Note a changed request with where it stood in the held pages (before any page is read
 * again), and take the changes together once the commit's signals are all in. */
static void
request_changed (PayamQueueModel *self,
                 const char      *request_id,
                 PayamStore      *store)
{
  Pending p = { g_strdup (request_id), FALSE, 0 };

  p.held = find_held (self, request_id, &p.position);
  g_array_append_val (self->pending, p);
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_idle, self, NULL);
}

static void
payam_queue_model_dispose (GObject *object)
{
  PayamQueueModel *self = PAYAM_QUEUE_MODEL (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  drop_pages (self);

  G_OBJECT_CLASS (payam_queue_model_parent_class)->dispose (object);
}

static void
payam_queue_model_finalize (GObject *object)
{
  PayamQueueModel *self = PAYAM_QUEUE_MODEL (object);

  g_hash_table_unref (self->pages);
  g_array_unref (self->pending);

  G_OBJECT_CLASS (payam_queue_model_parent_class)->finalize (object);
}

static void
payam_queue_model_class_init (PayamQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_queue_model_dispose;
  object_class->finalize = payam_queue_model_finalize;
}

static void
payam_queue_model_init (PayamQueueModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, pending_clear);
}

PayamQueueModel *
payam_queue_model_new (PayamStore  *store,
                       PayamQueue   queue,
                       GError     **error)
{
  g_autoptr(PayamQueueModel) self = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);

  self = g_object_new (PAYAM_TYPE_QUEUE_MODEL, NULL);
  self->store = g_object_ref (store);
  self->queue = queue;
  if (!payam_store_queue_count (store, queue, &self->n_items, error))
    return NULL;
  g_signal_connect_object (store, "request-changed", G_CALLBACK (request_changed), self,
                           G_CONNECT_SWAPPED);
  return g_steal_pointer (&self);
}

PayamQueue
payam_queue_model_get_queue (PayamQueueModel *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), 0);
  return self->queue;
}

gboolean
payam_queue_model_refresh (PayamQueueModel  *self,
                           GError          **error)
{
  guint count = 0;

  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), FALSE);

  if (!payam_store_queue_count (self->store, self->queue, &count, error))
    return FALSE;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_array_set_size (self->pending, 0);
  replace_all (self, count);
  return TRUE;
}

void
payam_queue_model_set_sort (PayamQueueModel *self,
                            PayamQueueSort   sort,
                            gboolean         descending)
{
  g_return_if_fail (PAYAM_IS_QUEUE_MODEL (self));
  g_return_if_fail (sort < PAYAM_N_QUEUE_SORTS);

  if (!payam_queue_can_sort (self->queue, sort))
    sort = PAYAM_QUEUE_SORT_DEFAULT;
  descending = sort != PAYAM_QUEUE_SORT_DEFAULT && descending;
  if (sort == self->sort && descending == self->descending)
    return;
  /* Changes noted so far are placed in the order they were noted in, first. */
  payam_queue_model_flush (self);
  self->sort = sort;
  self->descending = descending;
  replace_all (self, self->n_items);
}

PayamQueueSort
payam_queue_model_get_sort (PayamQueueModel *self,
                            gboolean        *descending)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), PAYAM_QUEUE_SORT_DEFAULT);

  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

guint
payam_queue_model_get_n_pages_held (PayamQueueModel *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}

guint
payam_queue_model_get_n_reads (PayamQueueModel *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), 0);
  return self->n_reads;
}
