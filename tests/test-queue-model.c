/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the office queues and PayamQueueModel: pages on demand, items-changed against a
 * reference list through inserts, moves, removals and batches. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "payam-queue-item.h"
#include "payam-queue-model.h"
#include "payam-store-queues.h"
#include "payam-store-triage.h"
#include "payam-store.h"

typedef struct {
  char       *dir;
  char       *path;
  GDateTime  *now;
  PayamStore *store;
} Fixture;

static GDateTime *
fixed_now (gpointer data)
{
  Fixture *f = data;

  return g_date_time_ref (f->now);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-queue-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  assert_true (payam_store_load_defaults (f->store, &error));
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->store);
  g_unlink (f->path);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

/* A request registered @days_ago days before the fixture's clock (so older ones are
 * overdue), with @text. Returns its id. */
static char *
add_request (Fixture    *f,
             const char *text,
             int         days_ago)
{
  g_autoptr(GDateTime) created = g_date_time_add_days (f->now, -days_ago);
  PayamRequestDraft draft = {
    .text = text,
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
    .created_at = created,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return g_strdup (request->id);
}

/* The ids of every row of @queue as the store lists it now. */
static GPtrArray *
truth (Fixture    *f,
       PayamQueue  queue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = payam_store_queue_fetch (f->store, queue, 0, G_MAXINT, &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  assert_non_null (items);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (ids, g_strdup (payam_queue_item_get_id (g_ptr_array_index (items, i))));
  return ids;
}

/* The reference order of PayamQueueSort, worked out here rather than by SQLite: the
 * sort's fields compared in turn, then registered time, then the row. */
typedef struct {
  PayamQueueSort sort;
  gboolean       descending;
} Order;

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const Order *o = data;
  PayamQueueItem *x = *(PayamQueueItem **) a;
  PayamQueueItem *y = *(PayamQueueItem **) b;
  int c = 0;

  switch (o->sort)
    {
    case PAYAM_QUEUE_SORT_PRIORITY:
      c = (int) payam_queue_item_get_priority (x) - (int) payam_queue_item_get_priority (y);
      if (c == 0)
        c = strcmp (payam_queue_item_get_due_at (x), payam_queue_item_get_due_at (y));
      break;
    case PAYAM_QUEUE_SORT_DEADLINE:
      c = strcmp (payam_queue_item_get_due_at (x), payam_queue_item_get_due_at (y));
      break;
    case PAYAM_QUEUE_SORT_CATEGORY:
      c = strcmp (payam_queue_item_get_category (x), payam_queue_item_get_category (y));
      break;
    case PAYAM_QUEUE_SORT_NEIGHBOURHOOD:
      c = strcmp (payam_queue_item_get_neighbourhood (x), payam_queue_item_get_neighbourhood (y));
      break;
    case PAYAM_QUEUE_SORT_STATUS:
      c = strcmp (payam_queue_item_get_status (x), payam_queue_item_get_status (y));
      break;
    case PAYAM_QUEUE_SORT_RECEIVED:
    case PAYAM_QUEUE_SORT_DEFAULT:
    default:
      break;
    }
  /* Deadline and registered time end every order but the deadline's own, then the row. */
  if (c == 0 && o->sort != PAYAM_QUEUE_SORT_DEADLINE)
    c = strcmp (payam_queue_item_get_created_at (x), payam_queue_item_get_created_at (y));
  if (c == 0)
    c = payam_queue_item_get_rowid (x) < payam_queue_item_get_rowid (y) ? -1
        : payam_queue_item_get_rowid (x) > payam_queue_item_get_rowid (y);
  return o->descending ? -c : c;
}

/* The ids of every row of @queue in @sort, sorted here from the queue's rows. */
static GPtrArray *
sorted_truth (Fixture        *f,
              PayamQueue      queue,
              PayamQueueSort  sort,
              gboolean        descending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = payam_store_queue_fetch (f->store, queue, 0, G_MAXINT, &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  Order order = { sort, descending };

  assert_non_null (items);
  g_ptr_array_sort_with_data (items, compare_items, &order);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (ids, g_strdup (payam_queue_item_get_id (g_ptr_array_index (items, i))));
  return ids;
}

/* A model with the list a view would hold, kept only through items-changed. */
typedef struct {
  PayamQueueModel *model;
  PayamQueueSort   sort;
  gboolean         descending;
  GPtrArray       *ids;        /* the reference: what a view would show */
  guint            n_signals;
  guint            n_replaced; /* signals that replaced the whole list */
} Mirror;

static void
mirror_items_changed (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Mirror     *m)
{
  assert_true (position + removed <= m->ids->len);
  g_ptr_array_remove_range (m->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (model, position + i);

      assert_non_null (item);
      g_ptr_array_insert (m->ids, position + i, g_strdup (payam_queue_item_get_id (item)));
    }
  m->n_signals++;
  /* A precise change moves one row; the whole list goes out and comes back otherwise. */
  if (removed > 1 || added > 1)
    m->n_replaced++;
}

static void
mirror_init (Fixture    *f,
             Mirror     *m,
             PayamQueue  queue)
{
  g_autoptr(GError) error = NULL;
  guint n;

  m->model = payam_queue_model_new (f->store, queue, &error);
  assert_non_null (m->model);
  payam_queue_model_set_sort (m->model, m->sort, m->descending);
  m->ids = g_ptr_array_new_with_free_func (g_free);
  n = g_list_model_get_n_items (G_LIST_MODEL (m->model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (m->model), i);

      g_ptr_array_add (m->ids, g_strdup (payam_queue_item_get_id (item)));
    }
  g_signal_connect (m->model, "items-changed", G_CALLBACK (mirror_items_changed), m);
}

static void
mirror_clear (Mirror *m)
{
  g_clear_object (&m->model);
  g_clear_pointer (&m->ids, g_ptr_array_unref);
}

/* The reference equals the store's list, and so does every item the model gives. */
static void
mirror_check (Fixture *f,
              Mirror  *m)
{
  g_autoptr(GPtrArray) want = NULL;
  guint n;

  if (m->sort == PAYAM_QUEUE_SORT_DEFAULT)
    want = truth (f, payam_queue_model_get_queue (m->model));
  else
    want = sorted_truth (f, payam_queue_model_get_queue (m->model), m->sort, m->descending);

  payam_queue_model_flush (m->model);
  n = g_list_model_get_n_items (G_LIST_MODEL (m->model));
  assert_int_equal (m->ids->len, want->len);
  assert_int_equal (n, want->len);
  for (guint i = 0; i < want->len; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (m->model), i);

      assert_string_equal (g_ptr_array_index (m->ids, i), g_ptr_array_index (want, i));
      assert_string_equal (payam_queue_item_get_id (item), g_ptr_array_index (want, i));
    }
}

/* Every item is read a page at a time, and no more than the page limit stays held. */
static void
test_pages_on_demand (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamQueueModel) model = NULL;
  guint n = 1234;

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < n; i++)
    g_free (add_request (f, "چاله در خیابان", (int) (i % 20)));
  assert_true (payam_store_commit (f->store, &error));

  model = payam_queue_model_new (f->store, PAYAM_QUEUE_ALL, &error);
  assert_non_null (model);
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (model)), n);
  assert_int_equal (payam_queue_model_get_n_reads (model), 0);
  assert_int_equal (payam_queue_model_get_n_pages_held (model), 0);

  {
    g_autoptr(PayamQueueItem) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
    g_autoptr(PayamQueueItem) past = g_list_model_get_item (G_LIST_MODEL (model), n);

    assert_non_null (last);
    assert_null (past);
    assert_int_equal (payam_queue_model_get_n_reads (model), 1);
  }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      assert_non_null (item);
      assert_true (payam_queue_model_get_n_pages_held (model) <= PAYAM_QUEUE_MODEL_MAX_PAGES);
    }
  /* The last page first, then 13 pages in order: the last one was let go meanwhile. */
  assert_int_equal (payam_queue_model_get_n_reads (model), 1 + 13);
  assert_int_equal (payam_queue_model_get_n_pages_held (model), PAYAM_QUEUE_MODEL_MAX_PAGES);
}

/* Single changes give precise signals: an insert at its place, a removal at its place,
 * whether or not the row was ever read. */
static void
test_precise_signals (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Mirror new_queue = { 0 }, all = { 0 };

  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (ids, add_request (f, "تیر چراغ برق افتاده", 300 - (int) i));
  mirror_init (f, &new_queue, PAYAM_QUEUE_NEW);
  mirror_init (f, &all, PAYAM_QUEUE_ALL);

  /* Confirm the 250th oldest, never read by the model (only page 0 was): a removal. */
  {
    g_autoptr(PayamStore) keep = g_object_ref (f->store);

    assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, 250), &error));
  }
  payam_queue_model_flush (new_queue.model);
  payam_queue_model_flush (all.model);
  assert_int_equal (new_queue.n_signals, 1);
  assert_int_equal (new_queue.n_replaced, 0);
  assert_int_equal (all.n_signals, 1);
  mirror_check (f, &new_queue);
  mirror_check (f, &all);

  /* A new request: one row added at the top of All and at the end of New. */
  g_free (add_request (f, "سطل زباله پر است", 0));
  payam_queue_model_flush (new_queue.model);
  payam_queue_model_flush (all.model);
  assert_int_equal (new_queue.n_replaced, 0);
  assert_int_equal (all.n_replaced, 0);
  mirror_check (f, &new_queue);
  mirror_check (f, &all);

  /* Two changes in one commit: taken together. */
  assert_true (payam_store_begin (f->store, &error));
  assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, 3), &error));
  assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, 4), &error));
  assert_true (payam_store_commit (f->store, &error));
  mirror_check (f, &new_queue);
  mirror_check (f, &all);

  mirror_clear (&new_queue);
  mirror_clear (&all);
}

/* Random inserts, confirms, priority changes, rejects and batches: after each, every
 * queue's reference list (kept only through items-changed) equals the store's list. */
static void
test_against_reference (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  Mirror mirrors[PAYAM_N_QUEUES] = { 0 };

  for (guint i = 0; i < 150; i++)
    g_ptr_array_add (ids, add_request (f, "آب گرفتگی کوچه", g_rand_int_range (rand, 0, 30)));
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    {
      mirror_init (f, &mirrors[q], q);
      /* Some models have read pages, some not: both paths are taken. */
      if (q % 2 == 0)
        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (mirrors[q].model)); i++)
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (mirrors[q].model), i));
    }

  for (guint step = 0; step < 120; step++)
    {
      const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(GError) refused = NULL;

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          g_ptr_array_add (ids, add_request (f, "چاله", g_rand_int_range (rand, 0, 30)));
          break;
        case 1:
          payam_store_triage_confirm (f->store, id, &refused);
          break;
        case 2:
          payam_store_triage_set_priority (f->store, id, g_rand_int_range (rand, 1, 4),
                                           "به گفتهٔ تماس‌گیرنده", &refused);
          break;
        case 3:
          payam_store_triage_reject (f->store, id, "تکراری و بی‌نشانی", &refused);
          break;
        default:
          assert_true (payam_store_begin (f->store, &error));
          g_ptr_array_add (ids, add_request (f, "درخت افتاده", 1));
          payam_store_triage_confirm (f->store, id, &refused);
          assert_true (payam_store_commit (f->store, &error));
          break;
        }
      for (guint q = 0; q < PAYAM_N_QUEUES; q++)
        mirror_check (f, &mirrors[q]);
    }
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    mirror_clear (&mirrors[q]);
}

/* Counts agree with the pages, queue by queue; names round-trip. */
static void
test_queue_counts (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = add_request (f, "چاله بزرگ", 20);
  g_autofree char *fresh = add_request (f, "چاله کوچک", 0);
  g_autofree char *other = add_request (f, "چراغ خاموش", 0);
  guint n = 0;

  assert_true (payam_store_triage_confirm (f->store, other, &error));
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_NEW, &n, &error));
  assert_int_equal (n, 2);
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_TO_ASSIGN, &n, &error));
  assert_int_equal (n, 1);
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_OVERDUE, &n, &error));
  assert_int_equal (n, 1);
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_ALL, &n, &error));
  assert_int_equal (n, 3);
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_CONFLICTS, &n, &error));
  assert_int_equal (n, 0);
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_DUPLICATES, &n, &error));
  assert_int_equal (n, 0);

  /* Two in one proposed group: both in Duplicates; a group of one is nothing to review. */
  {
    g_autofree char *group = payam_store_ensure_group (f->store, old, &error);
    PayamRequestDraft draft = {
      .text = "همان چاله", .category = "asphalt", .neighbourhood = "tohid",
      .channel = PAYAM_CHANNEL_KIOSK, .group_id = group,
    };
    g_autoptr(PayamRequest) joined = NULL;

    assert_non_null (group);
    assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_DUPLICATES, &n, &error));
    assert_int_equal (n, 0);
    joined = payam_store_add_request (f->store, &draft, &error);
    assert_non_null (joined);
    assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_DUPLICATES, &n, &error));
    assert_int_equal (n, 2);
    /* A finished member leaves the review; the open one stays. */
    assert_true (payam_store_triage_reject (f->store, joined->id, "همان پیام است", &error));
    assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_DUPLICATES, &n, &error));
    assert_int_equal (n, 1);
  }

  /* New is oldest first. */
  {
    g_autoptr(GPtrArray) page = payam_store_queue_fetch (f->store, PAYAM_QUEUE_NEW, 0, 10, &error);

    assert_int_equal (page->len, 2);
    assert_string_equal (payam_queue_item_get_id (g_ptr_array_index (page, 0)), old);
  }

  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    {
      PayamQueue back;

      assert_true (payam_queue_from_string (payam_queue_to_string (q), &back));
      assert_int_equal (back, q);
      assert_non_null (payam_queue_label (q));
    }
  {
    PayamQueue back;

    assert_false (payam_queue_from_string ("nonsense", &back));
  }
}

/* Reading on from a row's key gives the same pages as counting past the rows before them,
 * ties in time included, for every queue that can. */
static void
test_keyset_pages (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 430; i++)
    /* Four at a time registered in the same second: the rowid breaks the tie. */
    g_ptr_array_add (ids, add_request (f, "چاله", (int) (i / 4) % 40));
  assert_true (payam_store_commit (f->store, &error));
  for (guint i = 0; i < ids->len; i += 3)
    assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, i), &error));
  for (guint i = 0; i < ids->len; i += 7)
    payam_store_triage_set_priority (f->store, g_ptr_array_index (ids, i), 1 + i % 3,
                                     "دلیل", NULL);

  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    {
      g_autoptr(GPtrArray) all = NULL;

      if (!payam_queue_has_keyset (q))
        continue;
      all = payam_store_queue_fetch (f->store, q, 0, G_MAXINT, &error);
      for (guint start = 0; start + 1 < all->len; start += 37)
        {
          g_autoptr(GPtrArray) next = payam_store_queue_fetch_after (f->store, q,
                                                                     g_ptr_array_index (all, start),
                                                                     50, &error);

          assert_non_null (next);
          assert_int_equal (next->len, MIN (50, all->len - start - 1));
          for (guint i = 0; i < next->len; i++)
            assert_string_equal (payam_queue_item_get_id (g_ptr_array_index (next, i)),
                                 payam_queue_item_get_id (g_ptr_array_index (all, start + 1 + i)));
        }
    }
}

static const char *const categories[] = { "asphalt", "lighting", "waste" };
static const char *const places[] = { "tohid", "daryan-e-no" };

/* A request of @category in @place, registered @days_ago days before the clock. */
static char *
add_request_in (Fixture    *f,
                const char *text,
                int         days_ago,
                const char *category,
                const char *place)
{
  g_autoptr(GDateTime) created = g_date_time_add_days (f->now, -days_ago);
  PayamRequestDraft draft = {
    .text = text,
    .category = category,
    .neighbourhood = place,
    .channel = PAYAM_CHANNEL_KIOSK,
    .created_at = created,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return g_strdup (request->id);
}

/* 260 requests of three categories in two places, many registered in the same second,
 * some confirmed, some of another priority, some rejected. */
static GPtrArray *
add_mixed (Fixture *f,
           GRand   *rand)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 260; i++)
    g_ptr_array_add (ids, add_request_in (f, "چاله", g_rand_int_range (rand, 0, 12),
                                          categories[g_rand_int_range (rand, 0, 3)],
                                          places[g_rand_int_range (rand, 0, 2)]));
  assert_true (payam_store_commit (f->store, &error));
  for (guint i = 0; i < ids->len; i += 3)
    assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, i), &error));
  for (guint i = 1; i < ids->len; i += 5)
    assert_true (payam_store_triage_set_priority (f->store, g_ptr_array_index (ids, i),
                                                  1 + i % 3, "دلیل", &error));
  for (guint i = 2; i < ids->len; i += 11)
    assert_true (payam_store_triage_reject (f->store, g_ptr_array_index (ids, i), "دلیل",
                                            &error));
  return ids;
}

/* Every queue of requests in every order, both ways: the model's rows (read a page at a
 * time, the later pages by key) equal the reference sort, and each row is located at its
 * place. Conflicts keep their own order. */
static void
test_sorted_pages (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  g_autoptr(GPtrArray) ids = add_mixed (f, rand);

  assert_false (payam_queue_can_sort (PAYAM_QUEUE_CONFLICTS, PAYAM_QUEUE_SORT_CATEGORY));
  assert_true (payam_queue_can_sort (PAYAM_QUEUE_CONFLICTS, PAYAM_QUEUE_SORT_DEFAULT));
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    for (guint sort = PAYAM_QUEUE_SORT_RECEIVED; sort < PAYAM_N_QUEUE_SORTS; sort++)
      for (guint desc = 0; desc < 2; desc++)
        {
          g_autoptr(PayamQueueModel) model = NULL;
          g_autoptr(GPtrArray) want = NULL;
          guint n;

          if (!payam_queue_can_sort (q, sort))
            continue;
          want = sorted_truth (f, q, sort, desc);
          model = payam_queue_model_new (f->store, q, &error);
          assert_non_null (model);
          payam_queue_model_set_sort (model, sort, desc);
          n = g_list_model_get_n_items (G_LIST_MODEL (model));
          assert_int_equal (n, want->len);
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
              gboolean present = FALSE;
              guint position = G_MAXUINT;

              assert_non_null (item);
              if (strcmp (payam_queue_item_get_id (item), g_ptr_array_index (want, i)) != 0)
                fail_msg ("%s sorted %u %s: row %u is %s, not %s", payam_queue_to_string (q),
                          sort, desc ? "down" : "up", i, payam_queue_item_get_id (item),
                          (char *) g_ptr_array_index (want, i));
              if (i % 7 == 0)
                {
                  assert_true (payam_store_queue_locate_sorted (f->store, q, sort, desc,
                                                                payam_queue_item_get_id (item),
                                                                &present, &position, &error));
                  assert_true (present);
                  assert_int_equal (position, i);
                }
            }
          /* The queue's sizes here need more than one page for the key to be read on. */
          if (q == PAYAM_QUEUE_ALL)
            assert_true (payam_queue_model_get_n_reads (model) >= 3);
        }
  /* Back to the queue's own order. */
  {
    g_autoptr(PayamQueueModel) model = payam_queue_model_new (f->store, PAYAM_QUEUE_NEW, &error);
    g_autoptr(GPtrArray) want = truth (f, PAYAM_QUEUE_NEW);
    gboolean desc = TRUE;

    payam_queue_model_set_sort (model, PAYAM_QUEUE_SORT_CATEGORY, TRUE);
    assert_int_equal (payam_queue_model_get_sort (model, &desc), PAYAM_QUEUE_SORT_CATEGORY);
    assert_true (desc);
    payam_queue_model_set_sort (model, PAYAM_QUEUE_SORT_DEFAULT, TRUE);
    assert_int_equal (payam_queue_model_get_sort (model, &desc), PAYAM_QUEUE_SORT_DEFAULT);
    assert_false (desc);
    for (guint i = 0; i < want->len; i++)
      {
        g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

        assert_string_equal (payam_queue_item_get_id (item), g_ptr_array_index (want, i));
      }
  }
}

/* Sorted lists through inserts, confirms, priority changes, rejects and batches: each
 * reference (kept only through items-changed) equals the reference sort after every step,
 * and a single change is a precise signal, not the whole list again. */
static void
test_sorted_signals (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) ids = add_mixed (f, rand);
  Mirror mirrors[] = {
    { .sort = PAYAM_QUEUE_SORT_CATEGORY, .descending = TRUE },
    { .sort = PAYAM_QUEUE_SORT_DEADLINE },
    { .sort = PAYAM_QUEUE_SORT_NEIGHBOURHOOD },
    { .sort = PAYAM_QUEUE_SORT_PRIORITY, .descending = TRUE },
    { .sort = PAYAM_QUEUE_SORT_STATUS },
    { .sort = PAYAM_QUEUE_SORT_RECEIVED, .descending = TRUE },
  };
  const PayamQueue queues[G_N_ELEMENTS (mirrors)] = {
    PAYAM_QUEUE_NEW, PAYAM_QUEUE_TO_ASSIGN, PAYAM_QUEUE_ALL, PAYAM_QUEUE_OVERDUE,
    PAYAM_QUEUE_ALL, PAYAM_QUEUE_NEW,
  };
  guint replaced_before[G_N_ELEMENTS (mirrors)];

  for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
    {
      mirror_init (f, &mirrors[m], queues[m]);
      mirror_check (f, &mirrors[m]);
      if (m % 2 == 0)
        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (mirrors[m].model)); i++)
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (mirrors[m].model), i));
      replaced_before[m] = mirrors[m].n_replaced;
    }

  for (guint step = 0; step < 100; step++)
    {
      const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(GError) refused = NULL;

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          g_ptr_array_add (ids, add_request_in (f, "چاله", g_rand_int_range (rand, 0, 12),
                                                categories[g_rand_int_range (rand, 0, 3)],
                                                places[g_rand_int_range (rand, 0, 2)]));
          break;
        case 1:
          payam_store_triage_confirm (f->store, id, &refused);
          break;
        case 2:
          payam_store_triage_set_priority (f->store, id, g_rand_int_range (rand, 1, 4),
                                           "به گفتهٔ تماس‌گیرنده", &refused);
          break;
        case 3:
          payam_store_triage_set_category (f->store, id, categories[g_rand_int_range (rand, 0, 3)],
                                           "دستهٔ درست", &refused);
          break;
        default:
          assert_true (payam_store_begin (f->store, &error));
          g_ptr_array_add (ids, add_request_in (f, "درخت افتاده", 1, "waste", "tohid"));
          payam_store_triage_reject (f->store, id, "تکراری", &refused);
          assert_true (payam_store_commit (f->store, &error));
          break;
        }
      for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
        mirror_check (f, &mirrors[m]);
    }
  /* Single changes were placed precisely: only the batches replaced whole lists. */
  for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
    {
      assert_true (mirrors[m].n_signals > 0);
      assert_true (mirrors[m].n_replaced - replaced_before[m] < mirrors[m].n_signals);
    }
  for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
    mirror_clear (&mirrors[m]);
}

/* Where not every page is held only the held rows are told precisely (and the count):
 * the reference has the store's count, each held row at its place, and, read afresh, the
 * model gives the store's list. The reference is then taken again from the model. */
static void
mirror_check_held (Fixture *f,
                   Mirror  *m)
{
  g_autoptr(GPtrArray) want = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (m->model));

  if (m->sort == PAYAM_QUEUE_SORT_DEFAULT)
    want = truth (f, payam_queue_model_get_queue (m->model));
  else
    want = sorted_truth (f, payam_queue_model_get_queue (m->model), m->sort, m->descending);
  assert_int_equal (m->ids->len, want->len);
  assert_int_equal (n, want->len);
  for (guint i = 0; i < want->len; i++)
    {
      guint at = G_MAXUINT;

      if (payam_queue_model_find (m->model, g_ptr_array_index (want, i), &at))
        {
          assert_int_equal (at, i);
          assert_string_equal (g_ptr_array_index (m->ids, i), g_ptr_array_index (want, i));
        }
    }
  for (guint i = 0; i < want->len; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (m->model), i);

      assert_string_equal (payam_queue_item_get_id (item), g_ptr_array_index (want, i));
      g_free (g_ptr_array_index (m->ids, i));
      g_ptr_array_index (m->ids, i) = g_strdup (payam_queue_item_get_id (item));
    }
}

/* Changes made through a second connection to the same file (as a sync thread, payamctl or
 * the server make them) send no signal to the first: payam_queue_model_update() reads the
 * count and the held pages again and tells what changed. After each step every reference
 * (kept only through items-changed) equals the store's list where every page is held, and
 * its held rows and count where not; where every page is held a single change is told as
 * single rows, never the list again, and a row nothing changed stays the same object. */
static void
test_other_connection (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PayamStore) other = NULL;
  Mirror mirrors[PAYAM_N_QUEUES + 2] = {
    [PAYAM_N_QUEUES] = { .sort = PAYAM_QUEUE_SORT_PRIORITY, .descending = TRUE },
    [PAYAM_N_QUEUES + 1] = { .sort = PAYAM_QUEUE_SORT_CATEGORY },
  };

  /* 900 requests: All holds no more than 8 of its 9 pages, so some of it is never known. */
  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 900; i++)
    g_ptr_array_add (ids, add_request_in (f, "چاله", g_rand_int_range (rand, 0, 12),
                                          categories[g_rand_int_range (rand, 0, 3)],
                                          places[g_rand_int_range (rand, 0, 2)]));
  assert_true (payam_store_commit (f->store, &error));
  for (guint i = 0; i < ids->len; i += 3)
    assert_true (payam_store_triage_confirm (f->store, g_ptr_array_index (ids, i), &error));

  other = payam_store_open (f->path, &error);
  if (other == NULL)
    fail_msg ("open a second connection: %s", error->message);
  payam_store_set_now_func (other, fixed_now, f);
  payam_store_set_actor (other, "sync");

  for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
    mirror_init (f, &mirrors[m], m < PAYAM_N_QUEUES ? m
                                 : m == PAYAM_N_QUEUES ? PAYAM_QUEUE_TO_ASSIGN : PAYAM_QUEUE_ALL);

  for (guint step = 0; step < 80; step++)
    {
      const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(GError) refused = NULL;
      gboolean single = TRUE;
      guint replaced[G_N_ELEMENTS (mirrors)];
      gboolean all_held[G_N_ELEMENTS (mirrors)];
      PayamQueueItem *kept[G_N_ELEMENTS (mirrors)];
      char *kept_id[G_N_ELEMENTS (mirrors)];

      /* Whether every page is held, and a row the step is not about (the first). */
      for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (mirrors[m].model));

          replaced[m] = mirrors[m].n_replaced;
          all_held[m] = payam_queue_model_get_n_pages_held (mirrors[m].model) ==
                        (n + PAYAM_QUEUE_MODEL_PAGE_SIZE - 1) / PAYAM_QUEUE_MODEL_PAGE_SIZE;
          kept[m] = n > 0 ? g_list_model_get_item (G_LIST_MODEL (mirrors[m].model), 0) : NULL;
          kept_id[m] = kept[m] != NULL ? g_strdup (payam_queue_item_get_id (kept[m])) : NULL;
        }
      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          {
            g_autoptr(GDateTime) created = g_date_time_add_days (f->now, -g_rand_int_range (rand, 0, 12));
            PayamRequestDraft draft = {
              .text = "درخت افتاده", .category = categories[g_rand_int_range (rand, 0, 3)],
              .neighbourhood = places[g_rand_int_range (rand, 0, 2)],
              .channel = PAYAM_CHANNEL_KIOSK, .created_at = created,
            };
            g_autoptr(PayamRequest) request = payam_store_add_request (other, &draft, &error);

            assert_non_null (request);
            g_ptr_array_add (ids, g_strdup (request->id));
          }
          break;
        case 1:
          payam_store_triage_confirm (other, id, &refused);
          break;
        case 2:
          payam_store_triage_set_priority (other, id, g_rand_int_range (rand, 1, 4),
                                           "به گفتهٔ تماس‌گیرنده", &refused);
          break;
        case 3:
          payam_store_triage_set_category (other, id, categories[g_rand_int_range (rand, 0, 3)],
                                           "دستهٔ درست", &refused);
          break;
        default:
          /* A sync batch: many requests in one commit. */
          single = FALSE;
          assert_true (payam_store_begin (other, &error));
          for (guint k = 0; k < 6; k++)
            {
              const char *some = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));

              g_clear_error (&refused);
              if (k % 2 == 0)
                payam_store_triage_reject (other, some, "تکراری", &refused);
              else
                payam_store_triage_confirm (other, some, &refused);
            }
          assert_true (payam_store_commit (other, &error));
          break;
        }
      for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
        {
          g_autoptr(PayamQueueItem) first = NULL;

          /* Nothing was said on this connection. */
          payam_queue_model_flush (mirrors[m].model);
          assert_true (payam_queue_model_update (mirrors[m].model, &error));
          if (all_held[m])
            mirror_check (f, &mirrors[m]);
          else
            mirror_check_held (f, &mirrors[m]);
          if (single && all_held[m])
            assert_int_equal (mirrors[m].n_replaced, replaced[m]);
          if (all_held[m] && kept[m] != NULL && single && strcmp (kept_id[m], id) != 0)
            {
              guint at = G_MAXUINT;

              /* A row nothing changed is the very object it was (its widget and a
               * selection stay with it). */
              if (payam_queue_model_find (mirrors[m].model, kept_id[m], &at))
                {
                  first = g_list_model_get_item (G_LIST_MODEL (mirrors[m].model), at);
                  assert_ptr_equal (first, kept[m]);
                }
            }
          g_clear_object (&kept[m]);
          g_free (kept_id[m]);
        }
    }
  for (guint m = 0; m < G_N_ELEMENTS (mirrors); m++)
    mirror_clear (&mirrors[m]);
}

/* A model opened with a count read elsewhere (the sidebar's, in a worker) reads nothing
 * until asked for rows; a count that is behind the store shows no row past the store's end,
 * and payam_queue_model_update() makes the list the store's, as items-changed. */
static void
test_counted (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamQueueModel) model = NULL;
  Mirror m = { 0 };
  guint n = 0;

  for (guint i = 0; i < 30; i++)
    g_free (add_request (f, "چاله", 20 + (int) i));
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_OVERDUE, &n, &error));
  assert_int_equal (n, 30);
  model = payam_queue_model_new_counted (f->store, PAYAM_QUEUE_OVERDUE, n + 2);
  assert_int_equal (payam_queue_model_get_n_reads (model), 0);
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (model)), 32);
  assert_null (g_list_model_get_item (G_LIST_MODEL (model), 31));

  /* Followed by a reference from here: the update takes it to the store's 30 rows. */
  m.model = g_object_ref (model);
  m.ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(PayamQueueItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (m.ids, g_strdup (item != NULL ? payam_queue_item_get_id (item) : ""));
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_items_changed), &m);
  assert_true (payam_queue_model_update (model, &error));
  mirror_check (f, &m);
  g_signal_handlers_disconnect_by_data (model, &m);
  mirror_clear (&m);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_pages_on_demand, setup, teardown),
    cmocka_unit_test_setup_teardown (test_precise_signals, setup, teardown),
    cmocka_unit_test_setup_teardown (test_against_reference, setup, teardown),
    cmocka_unit_test_setup_teardown (test_queue_counts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keyset_pages, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sorted_pages, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sorted_signals, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_connection, setup, teardown),
    cmocka_unit_test_setup_teardown (test_counted, setup, teardown),
  };

  return cmocka_run_group_tests_name ("queue-model", tests, NULL, NULL);
}
