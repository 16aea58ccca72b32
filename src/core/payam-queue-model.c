/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQueueModel: pages of a queue read on demand, kept few, and changes as items-changed. */
#define G_LOG_DOMAIN "payam-core"
#include "config.h"

#include <string.h>

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
  /* While an update tells its changes: the list as it stands between two items-changed,
   * of Segment (NULL otherwise), and the new list's length. */
  GArray      *segments;
  guint        new_count;
  gboolean     updating;  /* between the first items-changed of a flush or update and
                           * "settled" */
};

/* A part of the list while an update tells its changes: rows known (a run of held pages,
 * old, then new once told) or rows of the new list read as asked for. */
typedef struct {
  GPtrArray *items;   /* the rows, or NULL: rows of the new list from @start */
  guint      start;
  guint      length;
} Segment;

enum {
  SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* The row at @position of the list as it stands in the middle of an update. */
static gpointer
segment_item (PayamQueueModel *self,
              guint            position)
{
  for (guint i = 0; i < self->segments->len; i++)
    {
      Segment *seg = &g_array_index (self->segments, Segment, i);
      guint at, page;
      GPtrArray *items;

      if (position >= seg->length)
        {
          position -= seg->length;
          continue;
        }
      if (seg->items != NULL)
        return g_object_ref (g_ptr_array_index (seg->items, position));
      at = seg->start + position;
      if (at >= self->new_count)
        return NULL;
      page = at / PAYAM_QUEUE_MODEL_PAGE_SIZE;
      items = get_page (self, page);
      if (items == NULL || at % PAYAM_QUEUE_MODEL_PAGE_SIZE >= items->len)
        return NULL;
      return g_object_ref (g_ptr_array_index (items, at % PAYAM_QUEUE_MODEL_PAGE_SIZE));
    }
  return NULL;
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
  if (self->segments != NULL)
    return segment_item (self, position);
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
  /* One signal: a view reaches this model through places (the office's PayamRowSlots),
   * which keep their row widgets and take the new rows. (Handed one replacement directly,
   * GtkSingleSelection of GTK 4.8 would look for its chosen item among every new row.) */
  self->n_items = new_count;
  if (old_count != 0 || new_count != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_count, new_count);
}

/* Whether @a and @b show the same row with the same values. */
static gboolean
items_equal (PayamQueueItem *a,
             PayamQueueItem *b)
{
  const char *(*const getters[]) (PayamQueueItem *) = {
    payam_queue_item_get_id, payam_queue_item_get_request_id,
    payam_queue_item_get_tracking_code, payam_queue_item_get_category,
    payam_queue_item_get_text, payam_queue_item_get_neighbourhood,
    payam_queue_item_get_street, payam_queue_item_get_status,
    payam_queue_item_get_group_id, payam_queue_item_get_created_at,
    payam_queue_item_get_due_at, payam_queue_item_get_conflict_kind,
    payam_queue_item_get_entity, payam_queue_item_get_field,
    payam_queue_item_get_kept_value, payam_queue_item_get_lost_value,
    payam_queue_item_get_lost_device, payam_queue_item_get_reason,
  };

  if (payam_queue_item_get_rowid (a) != payam_queue_item_get_rowid (b) ||
      payam_queue_item_get_priority (a) != payam_queue_item_get_priority (b))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (getters); i++)
    if (g_strcmp0 (getters[i] (a), getters[i] (b)) != 0)
      return FALSE;
  return TRUE;
}

/* A run of held pages: its first page, how many, and its rows before and after. */
typedef struct {
  guint      first;
  guint      n_pages;
  GPtrArray *old;
  GPtrArray *new;
} Window;

static void
window_clear (gpointer data)
{
  Window *w = data;

  g_clear_pointer (&w->old, g_ptr_array_unref);
  g_clear_pointer (&w->new, g_ptr_array_unref);
}

static gint
compare_pages (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The held pages as runs of consecutive pages, in order, with their rows. NULL when a page
 * is short though rows follow it (then positions past it are not known). */
static GArray *
held_windows (PayamQueueModel *self)
{
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) windows = g_array_new (FALSE, TRUE, sizeof (Window));
  GHashTableIter iter;
  gpointer key;

  g_array_set_clear_func (windows, window_clear);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint page = GPOINTER_TO_UINT (key);

      g_array_append_val (pages, page);
    }
  g_array_sort (pages, compare_pages);
  for (guint i = 0; i < pages->len; i++)
    {
      guint page = g_array_index (pages, guint, i);
      GPtrArray *items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
      guint start = page * PAYAM_QUEUE_MODEL_PAGE_SIZE;
      guint want = MIN (PAYAM_QUEUE_MODEL_PAGE_SIZE, self->n_items > start ? self->n_items - start : 0);
      Window *w = windows->len > 0 ? &g_array_index (windows, Window, windows->len - 1) : NULL;

      if (items->len != want)
        return NULL;
      if (want == 0)
        continue;
      if (w == NULL || w->first + w->n_pages != page)
        {
          Window fresh = { page, 0, g_ptr_array_new_with_free_func (g_object_unref), NULL };

          g_array_append_val (windows, fresh);
          w = &g_array_index (windows, Window, windows->len - 1);
        }
      w->n_pages++;
      for (guint k = 0; k < items->len; k++)
        g_ptr_array_add (w->old, g_object_ref (g_ptr_array_index (items, k)));
    }
  return g_steal_pointer (&windows);
}

/* The pairs of @old and @new that stay, in order (the longest such run of the same
 * objects): indexes into @old and @new, as guint pairs. Rows are unique in a list, so this
 * is the longest increasing run of the places in @new of @old's rows. */
static GArray *
kept_pairs (GPtrArray *old,
            GPtrArray *new)
{
  g_autoptr(GHashTable) place = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) seq = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  g_autofree guint *tails = NULL;    /* per run length: the seq index that ends it best */
  g_autofree guint *before = NULL;   /* per seq index: the one before it in its run */
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  guint longest = 0;

  for (guint j = 0; j < new->len; j++)
    g_hash_table_insert (place, g_ptr_array_index (new, j), GUINT_TO_POINTER (j + 1));
  for (guint i = 0; i < old->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (place, g_ptr_array_index (old, i)));
      guint pair[2] = { i, j - 1 };

      if (j != 0)
        g_array_append_vals (seq, pair, 1);
    }
  tails = g_new0 (guint, seq->len + 1);
  before = g_new0 (guint, seq->len + 1);
#define NEW_AT(k) (((guint *) seq->data)[(k) * 2 + 1])
  for (guint k = 0; k < seq->len; k++)
    {
      guint lo = 0, hi = longest;

      /* The first run length whose end is not below this one's place in @new. */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (NEW_AT (tails[mid]) < NEW_AT (k))
            lo = mid + 1;
          else
            hi = mid;
        }
      before[k] = lo > 0 ? tails[lo - 1] : G_MAXUINT;
      tails[lo] = k;
      if (lo == longest)
        longest++;
    }
  g_array_set_size (pairs, longest);
  for (guint n = longest, k = longest > 0 ? tails[longest - 1] : 0; n > 0; n--, k = before[k])
    memcpy (&((guint *) pairs->data)[(n - 1) * 2], &((guint *) seq->data)[k * 2],
            sizeof (guint) * 2);
#undef NEW_AT
  return pairs;
}

/* Tell one change of the list in the middle of an update: @removed rows of segment @seg
 * from @offset in it replaced by @added rows of @rows from @from (or, for rows of the new
 * list, just the count). @position is where the segment starts. */
static void
segment_splice (PayamQueueModel *self,
                Segment         *seg,
                guint            position,
                guint            offset,
                guint            removed,
                GPtrArray       *rows,
                guint            from,
                guint            added)
{
  if (seg->items != NULL)
    {
      g_ptr_array_remove_range (seg->items, offset, removed);
      for (guint k = 0; k < added; k++)
        g_ptr_array_insert (seg->items, offset + k,
                            g_object_ref (g_ptr_array_index (rows, from + k)));
    }
  seg->length = seg->length - removed + added;
  self->n_items = self->n_items - removed + added;
  g_list_model_items_changed (G_LIST_MODEL (self), position + offset, removed, added);
}

/* Read the count and the rows of the held pages again, in one snapshot, and tell the list
 * what changed: in each run of held pages, the rows that left, came or changed (a row
 * unchanged stays the same object, so a view keeps its widget and a selection its
 * choice); where nothing was held nobody holds a row either, so only the count is told
 * (rows going or coming at the end). FALSE with @error when the store cannot be read. */
static gboolean
update_held (PayamQueueModel  *self,
             GError          **error)
{
  g_autoptr(GArray) windows = held_windows (self);
  g_autoptr(GHashTable) old_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GList) recent = NULL;
  gboolean began = FALSE, ok = TRUE;
  guint new_count = 0, position = 0, prev_end = 0, prev_end_new = 0;

  if (!payam_store_queue_read_begin (self->store, &began, error))
    return FALSE;
  ok = payam_store_queue_count (self->store, self->queue, &new_count, error);
  for (guint i = 0; ok && windows != NULL && i < windows->len; i++)
    {
      Window *w = &g_array_index (windows, Window, i);
      guint start = w->first * PAYAM_QUEUE_MODEL_PAGE_SIZE;
      guint end = MIN (start + w->n_pages * PAYAM_QUEUE_MODEL_PAGE_SIZE, new_count);

      if (start >= end)
        w->new = g_ptr_array_new_with_free_func (g_object_unref);
      else
        {
          w->new = payam_store_queue_fetch_sorted (self->store, self->queue, self->sort,
                                                   self->descending, start, end - start, error);
          self->n_reads++;
          ok = w->new != NULL;
          /* Another row count than the count said: not one snapshot after all. */
          if (ok && w->new->len != end - start)
            g_clear_pointer (&windows, g_array_unref);
        }
    }
  payam_store_queue_read_end (self->store, began);
  if (!ok)
    return FALSE;

  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_array_set_size (self->pending, 0);
  if (windows == NULL)
    {
      replace_all (self, new_count);
      return TRUE;
    }

  /* A row unchanged is the object it was. */
  for (guint i = 0; i < windows->len; i++)
    {
      Window *w = &g_array_index (windows, Window, i);

      for (guint k = 0; k < w->old->len; k++)
        g_hash_table_insert (old_by_id,
                             (gpointer) payam_queue_item_get_id (g_ptr_array_index (w->old, k)),
                             g_ptr_array_index (w->old, k));
    }
  for (guint i = 0; i < windows->len; i++)
    {
      Window *w = &g_array_index (windows, Window, i);

      for (guint k = 0; k < w->new->len; k++)
        {
          PayamQueueItem *fresh = g_ptr_array_index (w->new, k);
          PayamQueueItem *was = g_hash_table_lookup (old_by_id, payam_queue_item_get_id (fresh));

          if (was != NULL && items_equal (was, fresh))
            {
              g_ptr_array_index (w->new, k) = g_object_ref (was);
              g_object_unref (fresh);
            }
        }
    }

  /* The new rows are the held pages from now on, most recently used first as before. */
  recent = g_list_copy (self->recent.head);
  drop_pages (self);
  for (GList *l = g_list_last (recent); l != NULL; l = l->prev)
    {
      guint page = GPOINTER_TO_UINT (l->data);

      for (guint i = 0; i < windows->len; i++)
        {
          Window *w = &g_array_index (windows, Window, i);
          guint from = (page - w->first) * PAYAM_QUEUE_MODEL_PAGE_SIZE;
          GPtrArray *items;

          if (page < w->first || page >= w->first + w->n_pages || from >= w->new->len)
            continue;
          items = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint k = from; k < MIN (from + PAYAM_QUEUE_MODEL_PAGE_SIZE, w->new->len); k++)
            g_ptr_array_add (items, g_object_ref (g_ptr_array_index (w->new, k)));
          g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
          g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
        }
    }

  /* The list as it is now: what was not held, then a run, and so on; then told part by
   * part, from the top, each part becoming what it is in the new list. */
  segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  for (guint i = 0; i <= windows->len; i++)
    {
      Window *w = i < windows->len ? &g_array_index (windows, Window, i) : NULL;
      guint start = w != NULL ? w->first * PAYAM_QUEUE_MODEL_PAGE_SIZE : G_MAXUINT;
      /* Its rows now are told from where the run's pages end (the last run may end past
       * the old list and take new rows in before the gap's). */
      Segment gap = { NULL, prev_end_new, MIN (start, self->n_items) - prev_end };

      g_array_append_val (segments, gap);
      if (w != NULL)
        {
          Segment run = { g_ptr_array_new_full (w->old->len, g_object_unref), 0, w->old->len };

          for (guint k = 0; k < w->old->len; k++)
            g_ptr_array_add (run.items, g_object_ref (g_ptr_array_index (w->old, k)));
          g_array_append_val (segments, run);
          prev_end = start + w->old->len;
          prev_end_new = start + w->n_pages * PAYAM_QUEUE_MODEL_PAGE_SIZE;
        }
    }
  self->segments = segments;
  self->new_count = new_count;
  for (guint i = 0, w_i = 0; i < segments->len; i++)
    {
      Segment *seg = &g_array_index (segments, Segment, i);

      if (seg->items == NULL)
        {
          guint next = w_i < windows->len
                       ? g_array_index (windows, Window, w_i).first * PAYAM_QUEUE_MODEL_PAGE_SIZE
                       : G_MAXUINT;
          guint now = MIN (next, new_count) > seg->start ? MIN (next, new_count) - seg->start : 0;

          /* Rows nobody holds are read afresh when asked for: only the count is told
           * (GTK 4.8 spends some microseconds on every row an items-changed names, a
           * second on a million). Between runs it never changes; after the last, rows
           * go or come at the end. */
          if (seg->length > now)
            segment_splice (self, seg, position, now, seg->length - now, NULL, 0, 0);
          else if (now > seg->length)
            segment_splice (self, seg, position, seg->length, 0, NULL, 0, now - seg->length);
        }
      else
        {
          Window *w = &g_array_index (windows, Window, w_i++);
          g_autoptr(GArray) pairs = kept_pairs (w->old, w->new);
          guint pi = G_MAXUINT, pj = G_MAXUINT;

          /* Between two kept rows: the old ones out, the new ones in, in one change. */
          for (guint k = 0; k <= pairs->len; k++)
            {
              guint ci = k < pairs->len ? ((guint *) pairs->data)[k * 2] : w->old->len;
              guint cj = k < pairs->len ? ((guint *) pairs->data)[k * 2 + 1] : w->new->len;
              guint removed = ci - (pi + 1), added = cj - (pj + 1);

              if (removed > 0 || added > 0)
                segment_splice (self, &g_array_index (segments, Segment, i), position, pj + 1,
                                removed, w->new, pj + 1, added);
              pi = ci;
              pj = cj;
            }
        }
      position += g_array_index (segments, Segment, i).length;
    }
  g_assert (self->n_items == new_count);
  self->segments = NULL;
  for (guint i = 0; i < segments->len; i++)
    g_clear_pointer (&g_array_index (segments, Segment, i).items, g_ptr_array_unref);
  return TRUE;
}

/* One request changed (@p) and the list now has @new_count rows: say precisely what moved
 * when its old place can be known (TRUE), else FALSE with nothing told. */
static gboolean
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
      return FALSE;
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
    return FALSE;

  if ((gint64) old_count - was_present + present != new_count)
    return FALSE;

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
  return TRUE;
}

/* The changes of one flush or update are all told: say so. */
static void
settle (PayamQueueModel *self)
{
  self->updating = FALSE;
  g_signal_emit (self, signals[SETTLED], 0);
}

void
payam_queue_model_flush (PayamQueueModel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pending = NULL;
  guint new_count = 0;

  g_return_if_fail (PAYAM_IS_QUEUE_MODEL (self));

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->pending->len == 0 || self->updating)
    return;
  pending = g_steal_pointer (&self->pending);
  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, pending_clear);

  self->updating = TRUE;
  /* One change placed by counting; several (a commit of many, a sync batch), or one whose
   * old place is not known, by reading the held pages again. */
  if (pending->len == 1)
    {
      if (!payam_store_queue_count (self->store, self->queue, &new_count, &error))
        g_warning ("Could not count queue %s: %s", payam_queue_to_string (self->queue),
                   error->message);
      else if (apply_one (self, &g_array_index (pending, Pending, 0), new_count))
        {
          settle (self);
          return;
        }
      g_clear_error (&error);
    }
  if (!update_held (self, &error))
    g_warning ("Could not read queue %s again: %s", payam_queue_to_string (self->queue),
               error->message);
  settle (self);
}

gboolean
payam_queue_model_update (PayamQueueModel  *self,
                          GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), FALSE);

  if (self->updating)
    return TRUE;
  self->updating = TRUE;
  ok = update_held (self, error);
  settle (self);
  return ok;
}

gboolean
payam_queue_model_is_updating (PayamQueueModel *self)
{
  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), FALSE);
  return self->updating;
}

gboolean
payam_queue_model_find (PayamQueueModel *self,
                        const char      *id,
                        guint           *position)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PAYAM_IS_QUEUE_MODEL (self), FALSE);
  g_return_val_if_fail (id != NULL && position != NULL, FALSE);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *items = value;

      for (guint i = 0; i < items->len; i++)
        if (strcmp (payam_queue_item_get_id (g_ptr_array_index (items, i)), id) == 0)
          {
            *position = GPOINTER_TO_UINT (key) * PAYAM_QUEUE_MODEL_PAGE_SIZE + i;
            return *position < self->n_items;
          }
    }
  return FALSE;
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

  /**
   * PayamQueueModel::settled:
   *
   * The items-changed of one flush, update or refresh are all out (a view that wants to
   * keep its chosen row looks for it now).
   */
  signals[SETTLED] = g_signal_new ("settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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

PayamQueueModel *
payam_queue_model_new_counted (PayamStore *store,
                               PayamQueue  queue,
                               guint       n_items)
{
  PayamQueueModel *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);

  self = g_object_new (PAYAM_TYPE_QUEUE_MODEL, NULL);
  self->store = g_object_ref (store);
  self->queue = queue;
  self->n_items = n_items;
  g_signal_connect_object (store, "request-changed", G_CALLBACK (request_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
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
  self->updating = TRUE;
  replace_all (self, count);
  settle (self);
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
