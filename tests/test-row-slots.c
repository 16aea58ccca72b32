/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRowSlots: the places a view holds keep their objects and always hold the source's
 * row at their position; the list tells only that its end moved, and its count always
 * agrees with the source's. Checked against the source after random changes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gio/gio.h>

#include "payam-row-slots.h"

/* What the list told, applied to a count: it must end at the list's count. */
typedef struct {
  guint told_count;
  guint signals;
  gboolean outside_end;   /* a signal that named a place before the old end's */
} Told;

static void
items_changed (GListModel *list,
               guint       position,
               guint       removed,
               guint       added,
               Told       *told)
{
  told->signals++;
  /* Only the end moves: a signal names the places from the shorter end on. */
  if (position + removed != told->told_count || (removed > 0 && added > 0))
    told->outside_end = TRUE;
  told->told_count = told->told_count - removed + added;
}

static GObject *
row (void)
{
  return g_object_new (G_TYPE_OBJECT, NULL);
}

static GListStore *
store_of (guint n)
{
  GListStore *store = g_list_store_new (G_TYPE_OBJECT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) r = row ();

      g_list_store_append (store, r);
    }
  return store;
}

static void
count_notify (GObject    *slot,
              GParamSpec *pspec,
              guint      *notified)
{
  (*notified)++;
}

/* Another source: the places held keep their objects and take the new rows, with one
 * notify each; the list tells only the end that moved. */
static void
test_another_source (void **state)
{
  g_autoptr(PayamRowSlots) slots = payam_row_slots_new ();
  g_autoptr(GListStore) first = store_of (10);
  g_autoptr(GListStore) second = store_of (4);
  g_autoptr(PayamRowSlot) at0 = NULL;
  g_autoptr(PayamRowSlot) at3 = NULL;
  g_autoptr(PayamRowSlot) at7 = NULL;
  g_autoptr(GObject) row0 = NULL;
  g_autoptr(GObject) row3 = NULL;
  g_autoptr(GObject) second0 = g_list_model_get_item (G_LIST_MODEL (second), 0);
  g_autoptr(GObject) second3 = g_list_model_get_item (G_LIST_MODEL (second), 3);
  g_autoptr(PayamRowSlot) again = NULL;
  Told told = { 0 };
  guint notified = 0;

  g_signal_connect (slots, "items-changed", G_CALLBACK (items_changed), &told);
  payam_row_slots_set_source (slots, G_LIST_MODEL (first));
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (slots)), 10);
  assert_int_equal (told.told_count, 10);
  at0 = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  at3 = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  at7 = g_list_model_get_item (G_LIST_MODEL (slots), 7);
  row0 = g_list_model_get_item (G_LIST_MODEL (first), 0);
  row3 = g_list_model_get_item (G_LIST_MODEL (first), 3);
  assert_ptr_equal (payam_row_slot_get_item (at0), row0);
  assert_ptr_equal (payam_row_slot_get_item (at3), row3);
  /* The same place asked for again is the same object while it is held. */
  again = g_list_model_get_item (G_LIST_MODEL (slots), 3);
  assert_ptr_equal (again, at3);
  g_signal_connect (at0, "notify::item", G_CALLBACK (count_notify), &notified);
  g_signal_connect (at3, "notify::item", G_CALLBACK (count_notify), &notified);

  told.signals = 0;
  payam_row_slots_set_source (slots, G_LIST_MODEL (second));
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (slots)), 4);
  assert_int_equal (told.told_count, 4);
  assert_int_equal (told.signals, 1);
  assert_false (told.outside_end);
  assert_int_equal (notified, 2);
  assert_ptr_equal (payam_row_slot_get_item (at0), second0);
  assert_ptr_equal (payam_row_slot_get_item (at3), second3);
  /* The place past the new end was let go: asked for again once the list grows, it is a
   * new object holding the new row. */
  payam_row_slots_set_source (slots, G_LIST_MODEL (first));
  assert_int_equal (told.told_count, 10);
  {
    g_autoptr(PayamRowSlot) at7_now = g_list_model_get_item (G_LIST_MODEL (slots), 7);
    g_autoptr(GObject) row7 = g_list_model_get_item (G_LIST_MODEL (first), 7);

    assert_ptr_not_equal (at7_now, at7);
    assert_ptr_equal (payam_row_slot_get_item (at7_now), row7);
  }
  assert_ptr_equal (payam_row_slot_get_item (at0), row0);
  assert_null (g_list_model_get_item (G_LIST_MODEL (slots), 10));
  payam_row_slots_set_source (slots, NULL);
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (slots)), 0);
  assert_int_equal (told.told_count, 0);
}

/* A place no one holds is let go (the list keeps no rows of its own). */
static void
test_let_go (void **state)
{
  g_autoptr(PayamRowSlots) slots = payam_row_slots_new ();
  g_autoptr(GListStore) store = store_of (3);
  PayamRowSlot *slot;
  gpointer weak = NULL;

  payam_row_slots_set_source (slots, G_LIST_MODEL (store));
  slot = g_list_model_get_item (G_LIST_MODEL (slots), 1);
  weak = slot;
  g_object_add_weak_pointer (G_OBJECT (slot), &weak);
  g_object_unref (slot);
  assert_null (weak);
  /* And a change of the source after that reads nothing for it. */
  g_list_store_remove (store, 0);
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (slots)), 2);
}

/* Random changes of the source (insertions, removals, replacements anywhere), a random
 * set of places held: after each change every held place holds the source's row at its
 * position, the list's count is the source's, and what it told adds up to that count. */
static void
test_random_changes (void **state)
{
  for (guint32 seed = 1; seed <= 40; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(PayamRowSlots) slots = payam_row_slots_new ();
      g_autoptr(GListStore) store = store_of (g_rand_int_range (rand, 0, 30));
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
      Told told = { 0 };

      g_signal_connect (slots, "items-changed", G_CALLBACK (items_changed), &told);
      payam_row_slots_set_source (slots, G_LIST_MODEL (store));
      for (guint step = 0; step < 200; step++)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
          guint position = g_rand_int_range (rand, 0, n + 1);
          guint removed = g_rand_int_range (rand, 0, n - position + 1);
          guint added = g_rand_int_range (rand, 0, 6);
          g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint i = 0; i < added; i++)
            g_ptr_array_add (rows, row ());
          /* Hold some places (a view's rows), let some go. */
          if (g_list_model_get_n_items (G_LIST_MODEL (slots)) > 0)
            g_ptr_array_add (held, g_list_model_get_item (
              G_LIST_MODEL (slots),
              g_rand_int_range (rand, 0, g_list_model_get_n_items (G_LIST_MODEL (slots)))));
          if (held->len > 0 && g_rand_boolean (rand))
            g_ptr_array_remove_index_fast (held, g_rand_int_range (rand, 0, held->len));
          g_list_store_splice (store, position, removed, rows->pdata, rows->len);

          n = g_list_model_get_n_items (G_LIST_MODEL (store));
          assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (slots)), n);
          assert_int_equal (told.told_count, n);
          assert_false (told.outside_end);
          for (guint p = 0; p < n; p++)
            {
              g_autoptr(PayamRowSlot) slot = g_list_model_get_item (G_LIST_MODEL (slots), p);
              g_autoptr(GObject) expected = g_list_model_get_item (G_LIST_MODEL (store), p);

              assert_ptr_equal (payam_row_slot_get_item (slot), expected);
            }
        }
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_another_source),
    cmocka_unit_test (test_let_go),
    cmocka_unit_test (test_random_changes),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
