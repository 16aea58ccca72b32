/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office list's columns: one label factory, each column's text from a PayamQueueItem;
 * a click on a column's title sorts the queue by it in SQL (PayamQueueSort). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-office-window-private.h"
#include "payam-priority.h"
#include "payam-store.h"
#include "payam-text.h"
#include "payam-queue-item.h"
#include "payam-tracking.h"

typedef enum {
  COLUMN_CODE,
  COLUMN_CATEGORY,
  COLUMN_WORDS,
  COLUMN_PLACE,
  COLUMN_PRIORITY,
  COLUMN_STATUS,
  COLUMN_REGISTERED,
  COLUMN_DEADLINE,
  N_COLUMNS
} Column;

static const struct {
  const char     *title;
  gboolean        expand;
  int             chars;   /* the label's width in characters */
  PayamQueueSort  sort;    /* what a click on its title sorts by; DEFAULT: none */
} columns[N_COLUMNS] = {
  [COLUMN_CODE] = { N_("Code"), FALSE, 14, PAYAM_QUEUE_SORT_DEFAULT },
  [COLUMN_CATEGORY] = { N_("Category"), FALSE, 9, PAYAM_QUEUE_SORT_CATEGORY },
  [COLUMN_WORDS] = { N_("Words"), TRUE, 6, PAYAM_QUEUE_SORT_DEFAULT },
  [COLUMN_PLACE] = { N_("Neighbourhood"), FALSE, 5, PAYAM_QUEUE_SORT_NEIGHBOURHOOD },
  [COLUMN_PRIORITY] = { N_("Priority"), FALSE, 4, PAYAM_QUEUE_SORT_PRIORITY },
  [COLUMN_STATUS] = { N_("Status"), FALSE, 7, PAYAM_QUEUE_SORT_STATUS },
  [COLUMN_REGISTERED] = { N_("Registered on"), FALSE, 9, PAYAM_QUEUE_SORT_RECEIVED },
  [COLUMN_DEADLINE] = { N_("Deadline"), FALSE, 9, PAYAM_QUEUE_SORT_DEADLINE },
};

/* The name of neighbourhood @code (borrowed), the code when the gazetteer has none. The
 * names are read once and kept on the window. */
static const char *
place_name (PayamOfficeWindow *self,
            const char        *code)
{
  GHashTable *names = g_object_get_data (G_OBJECT (self), "payam-place-names");
  const char *name;

  if (code == NULL)
    return "";
  if (names == NULL)
    {
      g_autoptr(GPtrArray) places = payam_store_list_places (self->store, "neighbourhood", NULL,
                                                             NULL);

      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; places != NULL && i < places->len; i++)
        {
          const PayamPlace *p = g_ptr_array_index (places, i);

          g_hash_table_insert (names, g_strdup (p->code), g_strdup (p->name));
        }
      g_object_set_data_full (G_OBJECT (self), "payam-place-names", names,
                              (GDestroyNotify) g_hash_table_unref);
    }
  name = g_hash_table_lookup (names, code);
  return name != NULL ? name : code;
}

/* The name of a request's @field as people read it (the column's word), or @field. */
const char *
_payam_office_field_label (const char *field)
{
  if (g_strcmp0 (field, "priority") == 0)
    return _(columns[COLUMN_PRIORITY].title);
  if (g_strcmp0 (field, "category") == 0)
    return _(columns[COLUMN_CATEGORY].title);
  if (g_strcmp0 (field, "status") == 0)
    return _(columns[COLUMN_STATUS].title);
  if (g_strcmp0 (field, "text") == 0)
    return _(columns[COLUMN_WORDS].title);
  if (g_strcmp0 (field, "due_at") == 0)
    return _(columns[COLUMN_DEADLINE].title);
  return field != NULL ? field : "";
}

/* A conflict's @value (JSON text as stored) of @field as people read it: a priority or a
 * status by its word, a string without its quotes, digits in Persian. Caller owns it. */
char *
_payam_office_value_text (const char *field,
                          const char *value)
{
  g_autoptr(JsonNode) node = value != NULL ? json_from_string (value, NULL) : NULL;
  g_autofree char *plain = NULL;

  if (node == NULL)
    return payam_text_digits_to_persian (value != NULL ? value : "");
  if (g_strcmp0 (field, "priority") == 0 && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 p = json_node_get_int (node);

      if (p >= PAYAM_PRIORITY_URGENT && p <= PAYAM_PRIORITY_NORMAL)
        return g_strdup (payam_priority_label ((PayamPriority) p));
    }
  if (g_strcmp0 (field, "status") == 0 && JSON_NODE_HOLDS_OBJECT (node))
    {
      PayamStatus status;
      const char *nick = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                     "status", NULL);

      if (payam_status_from_string (nick, &status))
        return g_strdup (payam_status_label (status));
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    plain = g_strdup (json_node_get_string (node));
  else
    plain = g_strdup (value);
  return payam_text_digits_to_persian (plain);
}

/* The text of @column for @item, as people read it. Caller owns it. */
static char *
column_text (PayamOfficeWindow *self,
             Column             column,
             PayamQueueItem    *item)
{
  switch (column)
    {
    case COLUMN_CODE:
      {
        const char *code = payam_queue_item_get_tracking_code (item);

        /* Left to right inside the line (LRI … PDI): its groups keep their order. */
        return code != NULL ? payam_tracking_code_format_inline (code) : g_strdup ("");
      }
    case COLUMN_CATEGORY:
      {
        const char *code = payam_queue_item_get_category (item);
        const char *name = code != NULL ? g_hash_table_lookup (self->category_names, code) : NULL;

        return g_strdup (name != NULL ? name : code != NULL ? code : "");
      }
    case COLUMN_WORDS:
      if (payam_queue_item_get_conflict_kind (item) != NULL)
        {
          const char *field = payam_queue_item_get_field (item);
          g_autofree char *kept = _payam_office_value_text (field,
                                                           payam_queue_item_get_kept_value (item));
          g_autofree char *lost = _payam_office_value_text (field,
                                                           payam_queue_item_get_lost_value (item));

          /* Translators: a conflict row: the field, then the value kept and the value lost. */
          return g_strdup_printf (_("%s: %s / %s"), _payam_office_field_label (field), kept,
                                  lost);
        }
      return g_strdup (payam_queue_item_get_text (item) != NULL ? payam_queue_item_get_text (item)
                                                                : "");
    case COLUMN_PLACE:
      return g_strdup (place_name (self, payam_queue_item_get_neighbourhood (item)));
    case COLUMN_PRIORITY:
      {
        PayamPriority priority = payam_queue_item_get_priority (item);

        return g_strdup (priority >= PAYAM_PRIORITY_URGENT && priority <= PAYAM_PRIORITY_NORMAL
                         ? payam_priority_label (priority) : "");
      }
    case COLUMN_STATUS:
      {
        PayamStatus status;

        if (payam_status_from_string (payam_queue_item_get_status (item), &status))
          return g_strdup (payam_status_label (status));
        return g_strdup ("");
      }
    case COLUMN_REGISTERED:
    case COLUMN_DEADLINE:
      {
        g_autoptr(GDateTime) when = column == COLUMN_REGISTERED
                                    ? payam_queue_item_dup_created_at (item)
                                    : payam_queue_item_dup_due_at (item);

        return when != NULL ? payam_format_date_short (when) : g_strdup ("");
      }
    case N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Each cell is a GtkInscription, not a GtkLabel: GTK 4.8's list view keeps 200 rows of
 * cells alive and measures every one of them whenever a queue opens or is sorted; an
 * inscription's size comes from its width in characters, so its text is shaped only when
 * it is drawn, on the rows that show. */
static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  Column column = GPOINTER_TO_UINT (data);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  gtk_inscription_set_xalign (cell, 0);
  gtk_inscription_set_text_overflow (cell, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (cell, columns[column].chars);
  gtk_inscription_set_nat_chars (cell, columns[column].chars);
  gtk_inscription_set_min_lines (cell, 1);
  gtk_inscription_set_nat_lines (cell, 1);
  g_object_set_data (G_OBJECT (cell), "window", g_object_get_data (G_OBJECT (factory), "window"));
  g_object_set_data (G_OBJECT (cell), "column", data);
  gtk_list_item_set_child (list_item, GTK_WIDGET (cell));
}

/* Show in @list_item's cell what its place holds now. */
static void
fill_cell (GtkListItem *list_item)
{
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  PayamOfficeWindow *self = g_object_get_data (G_OBJECT (cell), "window");
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "column"));
  PayamRowSlot *slot = gtk_list_item_get_item (list_item);
  PayamQueueItem *item = slot != NULL ? payam_row_slot_get_item (slot) : NULL;
  g_autofree char *text = item != NULL ? column_text (self, column, item) : NULL;

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  if (column == COLUMN_PRIORITY && item != NULL)
    {
      if (payam_queue_item_get_priority (item) == PAYAM_PRIORITY_URGENT)
        gtk_widget_add_css_class (cell, "error");
      else
        gtk_widget_remove_css_class (cell, "error");
    }
}

/* A cell follows its place: another queue, a search or an order puts another row there. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  PayamRowSlot *slot = gtk_list_item_get_item (list_item);

  fill_cell (list_item);
  if (slot != NULL)
    g_signal_connect_object (slot, "notify::item", G_CALLBACK (fill_cell), list_item,
                             G_CONNECT_SWAPPED);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  data)
{
  PayamRowSlot *slot = gtk_list_item_get_item (list_item);

  if (slot != NULL)
    g_signal_handlers_disconnect_by_func (slot, fill_cell, list_item);
}

/* ---- sorting ---------------------------------------------------------------------------
 *
 * GTK 4.8 does not say which column a GtkColumnView is sorted by (that came in 4.10), and the
 * rows are sorted by SQLite, not by a GtkSortListModel. So each sortable column's sorter is a
 * probe: comparing any two objects with the view's sorter asks the primary column's sorter
 * first, which notes its PayamQueueSort and answers "smaller"; the view's answer is
 * "larger" when that column is sorted the other way. No column sorted: nothing is noted. */

static PayamQueueSort probed_sort;

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  probed_sort = GPOINTER_TO_UINT (data);
  return GTK_ORDERING_SMALLER;
}

/* The sort the column view's titles show now, and its direction. */
static PayamQueueSort
view_sort (PayamOfficeWindow *self,
           gboolean          *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering ordering;

  probed_sort = PAYAM_QUEUE_SORT_DEFAULT;
  ordering = gtk_sorter_compare (sorter, G_OBJECT (self), G_OBJECT (self->column_view));
  *descending = probed_sort != PAYAM_QUEUE_SORT_DEFAULT && ordering == GTK_ORDERING_LARGER;
  return probed_sort;
}

static void
view_sort_changed (PayamOfficeWindow *self)
{
  gboolean descending = FALSE, was_descending = FALSE, now_descending = FALSE;
  PayamQueueSort sort, was;

  /* The view takes its columns away as the window goes. */
  if (self->column_view == NULL || self->queue_model == NULL)
    return;
  sort = view_sort (self, &descending);
  was = payam_queue_model_get_sort (self->queue_model, &was_descending);
  payam_queue_model_set_sort (self->queue_model, sort, descending);
  /* Another order puts other rows in the places shown: from the top again. */
  if (payam_queue_model_get_sort (self->queue_model, &now_descending) != was ||
      now_descending != was_descending)
    _payam_office_window_show_top (self);
}

void
_payam_office_columns_queue_opened (PayamOfficeWindow *self)
{
  GListModel *list = gtk_column_view_get_columns (self->column_view);
  gboolean sortable;

  /* Each queue opens in its own order (oldest first for triage). */
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  for (guint c = 0; c < g_list_model_get_n_items (list) && c < N_COLUMNS; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (list, c);
      g_autoptr(GtkSorter) sorter = NULL;

      if (columns[c].sort == PAYAM_QUEUE_SORT_DEFAULT)
        continue;
      sortable = payam_queue_can_sort (self->queue, columns[c].sort);
      if (sortable == (gtk_column_view_column_get_sorter (column) != NULL))
        continue;
      if (sortable)
        sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare,
                                                    GUINT_TO_POINTER (columns[c].sort), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
    }
}

void
_payam_office_columns_add (PayamOfficeWindow *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      /* The factory lives no longer than the window's column view. */
      g_object_set_data (G_OBJECT (factory), "window", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), g_steal_pointer (&factory));
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[c].sort != PAYAM_QUEUE_SORT_DEFAULT)
        {
          g_autoptr(GtkCustomSorter) sorter = NULL;

          sorter = gtk_custom_sorter_new (probe_compare, GUINT_TO_POINTER (columns[c].sort),
                                          NULL);
          gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
        }
      gtk_column_view_append_column (self->column_view, column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (view_sort_changed), self, G_CONNECT_SWAPPED);
}
