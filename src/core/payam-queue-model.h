/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamQueueModel: a GListModel of one office queue that reads the store page by page. */
#pragma once

#include <gio/gio.h>

#include "payam-store-queues.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_QUEUE_MODEL (payam_queue_model_get_type ())
G_DECLARE_FINAL_TYPE (PayamQueueModel, payam_queue_model, PAYAM, QUEUE_MODEL, GObject)

/* Rows read at a time, and pages kept in memory at most. */
#define PAYAM_QUEUE_MODEL_PAGE_SIZE 100
#define PAYAM_QUEUE_MODEL_MAX_PAGES 8

/* A model of @queue on @store (a reference is kept) holding PayamQueueItem. Only the count
 * is read now; items are read a page at a time when asked for, and at most
 * PAYAM_QUEUE_MODEL_MAX_PAGES pages stay. The store's "request-changed" signals of one
 * commit are taken together from an idle of the thread-default main context, and become
 * "items-changed": precise (one row out, one in, or one changed in place) when a single
 * request changed and its old place is known, otherwise as payam_queue_model_update()
 * tells them. "settled" follows the items-changed of each flush, update and refresh. NULL
 * with the store's error when the count cannot be read. */
PayamQueueModel *payam_queue_model_new          (PayamStore       *store,
                                                 PayamQueue        queue,
                                                 GError          **error);
/* The same with the count given (read in a worker, e.g. payam_store_queue_count_all_async)
 * instead of read now: nothing is read. Should the store have moved since, the rows past
 * the end read as none until payam_queue_model_update(). */
PayamQueueModel *payam_queue_model_new_counted  (PayamStore       *store,
                                                 PayamQueue        queue,
                                                 guint             n_items);
PayamQueue       payam_queue_model_get_queue    (PayamQueueModel  *self);
/* Read the count again and replace every row (e.g. when the overdue line moved with the
 * clock). FALSE with @error when the store cannot be read; nothing changes then. */
gboolean         payam_queue_model_refresh      (PayamQueueModel  *self,
                                                 GError          **error);
/* Another connection (a sync thread, payamctl, the server) may have changed the store:
 * read the count and the pages held now again, in one snapshot, and say what changed as
 * items-changed. In each run of held pages the rows that left, came or changed are told
 * precisely, and a row unchanged stays the same object (a view keeps its widget and its
 * place, a selection its choice). Rows where no page is held are held by no view either
 * and are read afresh when asked for: only the count's change is told, as rows going or
 * coming at the end (an items-changed naming every row of a million costs GTK 4.8 about a
 * second). A caller that holds a row (a selection) keeps its page held by reading it
 * just before. Pending changes are taken with it. FALSE with @error when the store cannot
 * be read; nothing changes then. */
gboolean         payam_queue_model_update       (PayamQueueModel  *self,
                                                 GError          **error);
/* Whether a flush, update or refresh is telling its items-changed now ("settled" follows
 * when the last is out). */
gboolean         payam_queue_model_is_updating  (PayamQueueModel  *self);
/* Where the row @id (payam_queue_item_get_id) stands, when it is in a held page. */
gboolean         payam_queue_model_find         (PayamQueueModel  *self,
                                                 const char       *id,
                                                 guint            *position);
/* Read the rows in @sort (reversed when @descending; see payam_store_queue_fetch_sorted)
 * from now on: every row is replaced. A sort the queue cannot take
 * (payam_queue_can_sort) is its own order. Changes keep coming as precise items-changed
 * where the order allows. */
void             payam_queue_model_set_sort     (PayamQueueModel  *self,
                                                 PayamQueueSort    sort,
                                                 gboolean          descending);
PayamQueueSort   payam_queue_model_get_sort     (PayamQueueModel  *self,
                                                 gboolean         *descending);
/* Take the pending changes now instead of from the idle (for tests and for callers that
 * must see a change at once). */
void             payam_queue_model_flush        (PayamQueueModel  *self);
/* How many pages are held now, and how many reads were made (for tests and the bench). */
guint            payam_queue_model_get_n_pages_held (PayamQueueModel *self);
guint            payam_queue_model_get_n_reads  (PayamQueueModel  *self);

G_END_DECLS
