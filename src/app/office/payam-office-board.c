/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeBoard: on the start side the crews, each with its open and overdue work, its
 * members and neighbourhoods (and first, the work nobody has yet); on the end side the work
 * of the one chosen, many rows may be chosen, with their deadlines; below, the crew to give
 * the chosen work to. Giving work a crew holds to another moves it: the old crew's devices
 * see it withdrawn at their next sync. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-office-board.h"
#include "payam-office-widgets.h"
#include "payam-store-board.h"
#include "payam-tracking.h"

#define SHEET_LIMIT 500

struct _PayamOfficeBoard
{
  GtkBox parent_instance;

  PayamStore    *store;           /* owned */
  GHashTable    *category_names;  /* borrowed */
  GPtrArray     *crews;           /* of PayamBoardCrew */
  GPtrArray     *sheets;          /* of PayamBoardSheet, the rows of sheet_list */
  char          *chosen;          /* the crew shown, NULL: the work nobody has */
  gboolean       filling;

  GtkListBox    *crew_list;
  GtkLabel      *sheets_title;
  GtkListBox    *sheet_list;
  GtkDropDown   *target;
};

G_DEFINE_FINAL_TYPE (PayamOfficeBoard, payam_office_board, GTK_TYPE_BOX)




/* A crew's row: its name, then "open · overdue · members", then its neighbourhoods. */
static GtkWidget *
crew_row (const char *name,
          guint       n_open,
          guint       n_overdue,
          gint        n_members,   /* -1: not a crew */
          const char *places)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *open = payam_format_number (n_open);
  g_autofree char *late = payam_format_number (n_overdue);
  g_autofree char *line = NULL;

  if (n_members >= 0)
    {
      g_autofree char *members = payam_format_number (n_members);

      /* Translators: a crew on the board: open worksheets, overdue ones, members. */
      line = g_strdup_printf (_("%s open · %s overdue · %s members"), open, late, members);
    }
  else
    /* Translators: the work no crew has yet: how many pieces, how many overdue. */
    line = g_strdup_printf (_("%s to give · %s overdue"), open, late);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), payam_office_row_label (name, "heading"));
  gtk_box_append (GTK_BOX (box), payam_office_row_label (line, n_overdue > 0 ? "error" : NULL));
  if (places != NULL && places[0] != '\0')
    gtk_box_append (GTK_BOX (box), payam_office_row_label (places, "dim-label"));
  return box;
}

/* A piece of work's row: code, category, neighbourhood, messages served, deadline. */
static GtkWidget *
sheet_row (PayamOfficeBoard      *self,
           const PayamBoardSheet *sheet)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *code = payam_tracking_code_format_inline (sheet->tracking_code);
  g_autofree char *n = payam_format_number (sheet->n_requests);
  g_autofree char *count = NULL;
  g_autofree char *due = NULL;
  const char *category = g_hash_table_lookup (self->category_names, sheet->category_id);
  GtkWidget *what;

  /* Translators: how many citizens' messages one worksheet serves. */
  count = g_strdup_printf (ngettext ("%s message", "%s messages", sheet->n_requests), n);
  if (sheet->due_at != NULL)
    {
      g_autofree char *when = payam_format_date_time (sheet->due_at);

      /* Translators: a worksheet's deadline (a Jalali date and time). */
      due = sheet->overdue ? g_strdup_printf (_("Overdue since %s"), when)
                           : g_strdup_printf (_("Due %s"), when);
    }
  else
    due = g_strdup (_("No deadline"));
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), payam_office_row_label (code, "numeric"));
  what = payam_office_row_label (category != NULL ? category : sheet->category_id, NULL);
  gtk_widget_set_hexpand (what, TRUE);
  gtk_box_append (GTK_BOX (box), what);
  gtk_box_append (GTK_BOX (box), payam_office_row_label (sheet->neighbourhood, "dim-label"));
  gtk_box_append (GTK_BOX (box), payam_office_row_label (count, NULL));
  gtk_box_append (GTK_BOX (box), payam_office_row_label (due, sheet->overdue ? "error" : NULL));
  return box;
}

/* List the work of the chosen crew (or nobody's) on the end side. */
static void
fill_sheets (PayamOfficeBoard *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sheets = payam_store_list_board_sheets (self->store, self->chosen,
                                                               SHEET_LIMIT, &error);
  const char *who = _("Work no crew has yet");

  if (sheets == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), error->message);
      return;
    }
  payam_office_clear_list (self->sheet_list);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  self->sheets = g_steal_pointer (&sheets);
  for (guint i = 0; i < self->sheets->len; i++)
    gtk_list_box_append (self->sheet_list, sheet_row (self, g_ptr_array_index (self->sheets, i)));
  for (guint i = 0; self->chosen != NULL && i < self->crews->len; i++)
    {
      const PayamBoardCrew *c = g_ptr_array_index (self->crews, i);

      if (g_strcmp0 (c->id, self->chosen) == 0)
        who = c->name;
    }
  gtk_label_set_label (self->sheets_title, who);
}

static void
crew_selected (PayamOfficeBoard *self,
               GtkListBoxRow    *row)
{
  int index;

  if (row == NULL || self->filling)
    return;
  index = gtk_list_box_row_get_index (row);
  g_clear_pointer (&self->chosen, g_free);
  if (index > 0)
    self->chosen = g_strdup (((PayamBoardCrew *) g_ptr_array_index (self->crews,
                                                                    index - 1))->id);
  fill_sheets (self);
}

void
payam_office_board_reload (PayamOfficeBoard *self,
                           PayamStore       *store,
                           GHashTable       *category_names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GPtrArray) nobodys = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_late = 0;
  guint chosen_row = 0;

  g_return_if_fail (PAYAM_IS_OFFICE_BOARD (self));
  g_return_if_fail (PAYAM_IS_STORE (store));

  g_set_object (&self->store, store);
  self->category_names = category_names;
  crews = payam_store_list_board_crews (store, &error);
  if (crews != NULL)
    nobodys = payam_store_list_board_sheets (store, NULL, SHEET_LIMIT, &error);
  if (nobodys == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), error->message);
      return;
    }
  self->filling = TRUE;
  payam_office_clear_list (self->crew_list);
  g_clear_pointer (&self->crews, g_ptr_array_unref);
  self->crews = g_steal_pointer (&crews);
  for (guint i = 0; i < nobodys->len; i++)
    n_late += ((PayamBoardSheet *) g_ptr_array_index (nobodys, i))->overdue;
  gtk_list_box_append (self->crew_list, crew_row (_("Not given to a crew"), nobodys->len,
                                                  n_late, -1, NULL));
  for (guint i = 0; i < self->crews->len; i++)
    {
      const PayamBoardCrew *c = g_ptr_array_index (self->crews, i);

      gtk_list_box_append (self->crew_list, crew_row (c->name, c->n_open, c->n_overdue,
                                                      (gint) c->n_members, c->neighbourhoods));
      gtk_string_list_append (names, c->name);
      if (g_strcmp0 (c->id, self->chosen) == 0)
        chosen_row = i + 1;
    }
  if (chosen_row == 0)
    g_clear_pointer (&self->chosen, g_free);
  gtk_list_box_select_row (self->crew_list,
                           gtk_list_box_get_row_at_index (self->crew_list, (int) chosen_row));
  gtk_drop_down_set_model (self->target, G_LIST_MODEL (names));
  self->filling = FALSE;
  fill_sheets (self);
}

/* Give every chosen row's work to the crew in the drop-down. */
static void
assign_clicked (PayamOfficeBoard *self)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->sheet_list);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint target = gtk_drop_down_get_selected (self->target);
  const PayamBoardCrew *crew;
  g_autoptr(GError) error = NULL;
  g_autofree char *n = NULL;
  g_autofree char *done = NULL;

  if (self->crews == NULL || target >= self->crews->len)
    {
      payam_office_toast (GTK_WIDGET (self), _("Choose the crew to give the work to."));
      return;
    }
  if (rows == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), _("Choose the work to give first (Ctrl or Shift "
                                               "with a click chooses several)."));
      return;
    }
  crew = g_ptr_array_index (self->crews, target);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      const PayamBoardSheet *sheet =
        g_ptr_array_index (self->sheets, gtk_list_box_row_get_index (l->data));

      g_ptr_array_add (ids, sheet->request_id);
    }
  g_ptr_array_add (ids, NULL);
  if (!payam_store_assign_board (self->store, (const char * const *) ids->pdata, crew->id,
                                 &error))
    {
      payam_office_toast (GTK_WIDGET (self), error->message);
      return;
    }
  n = payam_format_number (ids->len - 1);
  /* Translators: how many pieces of work were given, then the crew's name. */
  done = g_strdup_printf (_("%s given to %s."), n, crew->name);
  payam_office_toast (GTK_WIDGET (self), done);
  payam_office_board_reload (self, self->store, self->category_names);
}

static void
select_all_clicked (PayamOfficeBoard *self)
{
  gtk_list_box_select_all (self->sheet_list);
}

/* A list box in a scrolled window, added to @parent; returns the list box. */
static GtkListBox *
scrolled_list (GtkWidget  *parent,
               const char *accessible_label)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  gtk_box_append (GTK_BOX (parent), scrolled);
  return GTK_LIST_BOX (list);
}

static void
payam_office_board_dispose (GObject *object)
{
  PayamOfficeBoard *self = PAYAM_OFFICE_BOARD (object);

  g_clear_pointer (&self->crews, g_ptr_array_unref);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (payam_office_board_parent_class)->dispose (object);
}

static void
payam_office_board_class_init (PayamOfficeBoardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = payam_office_board_dispose;
}

static void
payam_office_board_init (PayamOfficeBoard *self)
{
  GtkWidget *crews = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *work = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = payam_office_row_label (_("Crews"), "heading");
  GtkWidget *assign = gtk_button_new_with_label (_("Give to crew"));
  GtkWidget *all = gtk_button_new_with_label (_("Choose all"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_margin_start (title, 12);
  gtk_widget_set_margin_top (title, 6);
  gtk_widget_set_margin_bottom (title, 6);
  gtk_widget_set_size_request (crews, 300, -1);
  gtk_box_append (GTK_BOX (crews), title);
  self->crew_list = scrolled_list (crews, _("Crews"));
  g_signal_connect_swapped (self->crew_list, "row-selected", G_CALLBACK (crew_selected), self);

  self->sheets_title = GTK_LABEL (payam_office_row_label (NULL, "heading"));
  gtk_widget_set_margin_start (GTK_WIDGET (self->sheets_title), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->sheets_title), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->sheets_title), 6);
  gtk_widget_set_hexpand (work, TRUE);
  gtk_box_append (GTK_BOX (work), GTK_WIDGET (self->sheets_title));
  self->sheet_list = scrolled_list (work, _("Worksheets"));
  gtk_list_box_set_selection_mode (self->sheet_list, GTK_SELECTION_MULTIPLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->sheet_list), "rich-list");

  self->target = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->target), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Crew to give the work to"), -1);
  /* Names for tests and themes. */
  gtk_widget_set_name (assign, "board-assign");
  gtk_widget_set_name (all, "board-all");
  gtk_widget_set_name (GTK_WIDGET (self->target), "board-target");
  gtk_widget_add_css_class (assign, "suggested-action");
  g_signal_connect_swapped (assign, "clicked", G_CALLBACK (assign_clicked), self);
  g_signal_connect_swapped (all, "clicked", G_CALLBACK (select_all_clicked), self);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_append (GTK_BOX (bar), all);
  gtk_box_append (GTK_BOX (bar), payam_office_row_label (_("Give the chosen work to:"), NULL));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->target));
  gtk_box_append (GTK_BOX (bar), assign);
  gtk_box_append (GTK_BOX (work), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (work), bar);

  gtk_box_append (GTK_BOX (self), crews);
  gtk_box_append (GTK_BOX (self), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (self), work);
}
