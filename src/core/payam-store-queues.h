/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's work queues and search over the store (issue #13). */
#pragma once

#include "payam-queue-item.h"
#include "payam-store.h"

G_BEGIN_DECLS

/* The office's queues, in the order of its sidebar. */
typedef enum {
  PAYAM_QUEUE_NEW,        /* registered, to triage: oldest first */
  PAYAM_QUEUE_DUPLICATES, /* open members of proposed groups of two or more, by group */
  PAYAM_QUEUE_TO_ASSIGN,  /* triaged: by priority, deadline, age */
  PAYAM_QUEUE_OVERDUE,    /* open work past its deadline: the most overdue first */
  PAYAM_QUEUE_CONFLICTS,  /* conflict rows nobody decided yet: oldest first */
  PAYAM_QUEUE_ALL,        /* every request: newest first */
} PayamQueue;

#define PAYAM_N_QUEUES (PAYAM_QUEUE_ALL + 1)

/* The queue's name as people read it (translated, static). */
const char *payam_queue_label             (PayamQueue   queue);
/* A stable identifier ("new", "duplicates", …) for command lines and tests. */
const char *payam_queue_to_string         (PayamQueue   queue);
gboolean    payam_queue_from_string       (const char  *text,
                                           PayamQueue  *out);
/* TRUE when a request's place in @queue never moves while it stays in it (the order
 * reads only fields that never change), so a change can be placed by counting. */
gboolean    payam_queue_has_stable_order  (PayamQueue   queue);

/* How many rows @queue has now (*@out). */
gboolean    payam_store_queue_count       (PayamStore  *self,
                                           PayamQueue   queue,
                                           guint       *out,
                                           GError     **error);
/* Every queue's count (@counts, PAYAM_N_QUEUES of them, as payam_store_queue_count())
 * read in a worker thread on a read connection of its own to the store's file, at the
 * store's clock now, so the caller's main loop does not wait for the counts that read an
 * index (Overdue, Duplicates). A store with no file is counted at once, in this thread. */
void        payam_store_queue_count_all_async  (PayamStore          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean    payam_store_queue_count_all_finish (PayamStore          *self,
                                                GAsyncResult        *result,
                                                guint               *counts,
                                                GError             **error);

/* Up to @limit rows of @queue from @offset on, as PayamQueueItem (the array owns them). */
GPtrArray  *payam_store_queue_fetch       (PayamStore  *self,
                                           PayamQueue   queue,
                                           guint        offset,
                                           guint        limit,
                                           GError     **error);
/* Whether @queue can read the page after a row by its key (then scrolling on reads each
 * next page by an index range instead of counting past every row before it). */
gboolean    payam_queue_has_keyset        (PayamQueue   queue);
/* Up to @limit rows of @queue that come after @last (a row of it), in its order; for a
 * queue with payam_queue_has_keyset() only. */
GPtrArray  *payam_store_queue_fetch_after (PayamStore      *self,
                                           PayamQueue       queue,
                                           PayamQueueItem  *last,
                                           guint            limit,
                                           GError         **error);
/* Whether request @request_id is in @queue now (*@present) and its position there, or
 * the position it would have (*@position: the rows of @queue ordered before it). An
 * unknown request is not present. The conflicts queue lists conflict rows, not requests:
 * always FALSE there. */
gboolean    payam_store_queue_locate      (PayamStore  *self,
                                           PayamQueue   queue,
                                           const char  *request_id,
                                           gboolean    *present,
                                           guint       *position,
                                           GError     **error);

/* Read what follows as one snapshot of the store (a count and the pages it counted agree,
 * whatever other connections commit meanwhile), until payam_store_queue_read_end() with
 * the *@began it gave. Inside a transaction of this connection nothing begins (*@began
 * FALSE) and the transaction's own view is read. */
gboolean    payam_store_queue_read_begin  (PayamStore  *self,
                                           gboolean    *began,
                                           GError     **error);
void        payam_store_queue_read_end    (PayamStore  *self,
                                           gboolean     began);

/* Orders a queue of requests can be read in besides its own, each ending in the time of
 * registration and the row, so no two rows tie. Category and neighbourhood put the rows of
 * one code together (in the order of their codes); status likewise by its name. */
typedef enum {
  PAYAM_QUEUE_SORT_DEFAULT,       /* the queue's own order (above) */
  PAYAM_QUEUE_SORT_RECEIVED,      /* registered time */
  PAYAM_QUEUE_SORT_PRIORITY,      /* priority, then deadline, then registered time */
  PAYAM_QUEUE_SORT_DEADLINE,      /* deadline */
  PAYAM_QUEUE_SORT_CATEGORY,      /* category, then registered time */
  PAYAM_QUEUE_SORT_NEIGHBOURHOOD, /* neighbourhood, then registered time */
  PAYAM_QUEUE_SORT_STATUS,        /* status, then registered time */
} PayamQueueSort;

#define PAYAM_N_QUEUE_SORTS (PAYAM_QUEUE_SORT_STATUS + 1)

/* Whether @queue can be read in @sort: every queue of requests in every one; the conflicts
 * queue in its own order only. */
gboolean    payam_queue_can_sort          (PayamQueue       queue,
                                           PayamQueueSort   sort);
/* payam_queue_has_stable_order() for @queue read in @sort (@descending or not). */
gboolean    payam_queue_sort_is_stable    (PayamQueue       queue,
                                           PayamQueueSort   sort);
/* payam_store_queue_fetch(), _fetch_after() and _locate() with the rows in @sort, reversed
 * when @descending (PAYAM_QUEUE_SORT_DEFAULT: the queue's own order, @descending
 * ignored). The sort is done by SQLite (an index range for the queues of one status and
 * All, a bounded sort of the queue's rows otherwise): never every row in memory. @sort must
 * be one payam_queue_can_sort() allows; every sorted order can read on by keyset. */
GPtrArray  *payam_store_queue_fetch_sorted (PayamStore     *self,
                                            PayamQueue      queue,
                                            PayamQueueSort  sort,
                                            gboolean        descending,
                                            guint           offset,
                                            guint           limit,
                                            GError        **error);
GPtrArray  *payam_store_queue_fetch_after_sorted (PayamStore      *self,
                                                  PayamQueue       queue,
                                                  PayamQueueSort   sort,
                                                  gboolean         descending,
                                                  PayamQueueItem  *last,
                                                  guint            limit,
                                                  GError         **error);
gboolean    payam_store_queue_locate_sorted (PayamStore     *self,
                                             PayamQueue      queue,
                                             PayamQueueSort  sort,
                                             gboolean        descending,
                                             const char     *request_id,
                                             gboolean       *present,
                                             guint          *position,
                                             GError        **error);

/* Search every request (SQLite FTS5 over the normalised words and the codes) for @query,
 * newest first, at most @limit (PayamQueueItem, owned by the array). A query of digits and
 * separators alone (any digit form) is a tracking code or phone number, whole or its
 * beginning; otherwise each word must occur, the last one as the start of a word. An empty
 * query finds nothing. */
GPtrArray  *payam_store_search            (PayamStore  *self,
                                           const char  *query,
                                           guint        limit,
                                           GError     **error);

G_END_DECLS
