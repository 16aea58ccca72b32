/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeWindow: sign-in, the queues with their counts, a list over the paging model or
 * a search, and the detail pane. Columns and triage are in sibling files. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-office-window-private.h"
#include "payam-queue-item.h"
#include "payam-store-dashboard.h"
#include "payam-store-staff.h"

G_DEFINE_FINAL_TYPE (PayamOfficeWindow, payam_office_window, ADW_TYPE_APPLICATION_WINDOW)

#define SEARCH_LIMIT 200
/* How often the store is asked whether another connection committed. */
#define POLL_SECONDS 2

void
_payam_office_window_toast (PayamOfficeWindow *self,
                            const char        *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

PayamQueueItem *
_payam_office_window_get_selected (PayamOfficeWindow *self)
{
  PayamRowSlot *slot;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "work") != 0)
    return NULL;
  slot = gtk_single_selection_get_selected_item (self->selection);
  return slot != NULL ? payam_row_slot_get_item (slot) : NULL;
}

/* Whether the list shows the chosen queue (not search results). */
static gboolean
showing_queue (PayamOfficeWindow *self)
{
  return self->queue_model != NULL &&
         payam_row_slots_get_source (self->rows) == G_LIST_MODEL (self->queue_model);
}

/* Show the chosen row in the detail pane and say which actions apply to it. While the
 * queue's model tells a change row by row the choice may pass through other rows: they are
 * not shown, and the row chosen before is looked for once the change is told. */
static void
selection_changed (PayamOfficeWindow *self)
{
  PayamRowSlot *slot;
  PayamQueueItem *item;

  /* The chosen place shows another row when the list changes under it: shown again. */
  slot = gtk_single_selection_get_selected_item (self->selection);
  if (slot != self->chosen_slot)
    {
      if (self->chosen_slot != NULL)
        g_signal_handlers_disconnect_by_func (self->chosen_slot, selection_changed, self);
      g_set_object (&self->chosen_slot, slot);
      if (slot != NULL)
        g_signal_connect_swapped (slot, "notify::item", G_CALLBACK (selection_changed), self);
    }
  if (showing_queue (self) && payam_queue_model_is_updating (self->queue_model))
    return;
  item = slot != NULL ? payam_row_slot_get_item (slot) : NULL;
  g_free (self->chosen_id);
  self->chosen_id = item != NULL ? g_strdup (payam_queue_item_get_id (item)) : NULL;
  payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
  _payam_office_triage_update (self);
}

/* The queue's model told a change: the row chosen before stays chosen when it is still in
 * the list (where it moved to); when it left, the row GTK chose in its place is shown. */
static void
queue_settled (PayamOfficeWindow *self)
{
  PayamRowSlot *slot;
  PayamQueueItem *item;
  guint position;

  if (!showing_queue (self))
    return;
  slot = gtk_single_selection_get_selected_item (self->selection);
  item = slot != NULL ? payam_row_slot_get_item (slot) : NULL;
  if (self->chosen_id != NULL &&
      (item == NULL || g_strcmp0 (payam_queue_item_get_id (item), self->chosen_id) != 0) &&
      payam_queue_model_find (self->queue_model, self->chosen_id, &position))
    gtk_single_selection_set_selected (self->selection, position);
  selection_changed (self);
}

static void recount (PayamOfficeWindow *self);

static void
recount_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(PayamOfficeWindow) self = data;
  g_autoptr(GError) error = NULL;
  guint counts[PAYAM_N_QUEUES];

  /* The window closed meanwhile: its labels are gone. */
  if (self->store == NULL)
    return;
  if (!payam_store_queue_count_all_finish (PAYAM_STORE (source), result, counts, &error))
    {
      self->recounting = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _payam_office_window_toast (self, error->message);
      return;
    }
  self->recounting = FALSE;
  memcpy (self->counts, counts, sizeof counts);
  self->counts_known = TRUE;
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    {
      g_autofree char *text = payam_format_number (counts[q]);

      gtk_label_set_label (self->count_labels[q], text);
    }
  /* The open queue was counted otherwise (opened with an older count, or the clock moved
   * Overdue's line): it reads its count and held rows again. */
  if (self->queue_model != NULL && !self->recount_again &&
      counts[self->queue] != g_list_model_get_n_items (G_LIST_MODEL (self->queue_model)) &&
      !payam_queue_model_update (self->queue_model, &error))
    _payam_office_window_toast (self, error->message);
  if (self->recount_again)
    {
      self->recount_again = FALSE;
      recount (self);
    }
}

/* Count every queue again (the sidebar's numbers, in Persian digits), in a worker: the
 * counts that read an index (Overdue over every open request) keep the window waiting
 * otherwise. A count asked for while one is read is read again after it. */
static void
recount (PayamOfficeWindow *self)
{
  if (self->store == NULL)
    return;
  if (self->recounting)
    {
      self->recount_again = TRUE;
      return;
    }
  self->recounting = TRUE;
  payam_store_queue_count_all_async (self->store, self->cancellable, recount_done,
                                     g_object_ref (self));
}

static gboolean
recount_idle (gpointer data)
{
  PayamOfficeWindow *self = data;

  self->recount_id = 0;
  recount (self);
  return G_SOURCE_REMOVE;
}

/* A request changed: the counts follow once the commit's signals are in. The list follows
 * through its model; the detail pane reads the shown request again. */
static void
request_changed (PayamOfficeWindow *self,
                 const char        *request_id)
{
  if (self->recount_id == 0)
    self->recount_id = g_idle_add (recount_idle, self);
  if (g_strcmp0 (payam_office_detail_get_request_id (self->detail), request_id) == 0)
    payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
}

/* Another connection to the store's file (the sync thread, payamctl, the server on this
 * machine) committed since the last look: its changes send no "request-changed" here, so
 * the counts are read again and the open queue reads its held pages again, the chosen row
 * kept (see queue_settled) and shown again. */
static void
check_store_moved (PayamOfficeWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (!payam_store_dash_data_version (self->store, &version, NULL) ||
      version == self->data_version)
    return;
  self->data_version = version;
  if (self->recount_id == 0)
    self->recount_id = g_idle_add (recount_idle, self);
  if (self->queue_model == NULL)
    return;
  /* The chosen row's page is held, so it is told precisely rather than among rows not
   * known (a selection there would look for it in every one of them). */
  if (showing_queue (self) &&
      gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    {
      g_autoptr(GObject) chosen = g_list_model_get_item (G_LIST_MODEL (self->queue_model),
                                                         gtk_single_selection_get_selected (self->selection));
    }
  if (!payam_queue_model_update (self->queue_model, &error))
    _payam_office_window_toast (self, error->message);
  else if (!showing_queue (self))
    return;
  /* The chosen request's timeline may have grown though its row did not change. */
  payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
}

static gboolean
poll_tick (gpointer data)
{
  check_store_moved (data);
  return G_SOURCE_CONTINUE;
}

/* A sync round ran in its own thread on its own connection: what it brought is taken now
 * rather than at the next look (a conflict that came in was counted ۰). */
static void
round_finished (PayamOfficeWindow *self,
                gboolean           moved)
{
  if (moved && self->recount_id == 0)
    self->recount_id = g_idle_add (recount_idle, self);
  check_store_moved (self);
}

void
_payam_office_window_show_top (PayamOfficeWindow *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, 0);
  selection_changed (self);
}

/* Show @model in the column view (a queue's model or search results), from its top. The
 * list's places stay and take the new rows, so GTK keeps its row widgets. */
static void
show_model (PayamOfficeWindow *self,
            GListModel        *model)
{
  payam_row_slots_set_source (self->rows, model);
  _payam_office_window_show_top (self);
}

/* Open @queue: a new paging model, the list's title. */
static gboolean
open_queue (PayamOfficeWindow  *self,
            PayamQueue          queue,
            GError            **error)
{
  g_autoptr(PayamQueueModel) model = NULL;

  /* Overdue and Duplicates are counted by reading an index (every open request for
   * Overdue): the sidebar's count, read in a worker, stands in; it is checked when the
   * counts are read next. The other queues' counts are kept in tables. */
  if (self->counts_known && (queue == PAYAM_QUEUE_OVERDUE || queue == PAYAM_QUEUE_DUPLICATES))
    model = payam_queue_model_new_counted (self->store, queue, self->counts[queue]);
  else
    model = payam_queue_model_new (self->store, queue, error);

  if (model == NULL)
    return FALSE;
  self->queue = queue;
  if (self->queue_model != NULL)
    g_signal_handlers_disconnect_by_data (self->queue_model, self);
  g_set_object (&self->queue_model, model);
  g_signal_connect_object (model, "settled", G_CALLBACK (queue_settled), self,
                           G_CONNECT_SWAPPED);
  _payam_office_columns_queue_opened (self);
  gtk_label_set_label (self->list_title, payam_queue_label (queue));
  if (self->search_results == NULL)
    show_model (self, G_LIST_MODEL (self->queue_model));
  return TRUE;
}

static void
queue_selected (PayamOfficeWindow *self,
                GtkListBoxRow     *row)
{
  g_autoptr(GError) error = NULL;

  if (row == NULL)
    return;
  /* After the queues come the assignment board, the dashboard and the accounts. */
  if (gtk_list_box_row_get_index (row) == PAYAM_N_QUEUES + 2)
    {
      payam_office_accounts_reload (self->accounts, self->store, self->staff);
      gtk_stack_set_visible_child_name (self->content_stack, "accounts");
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      return;
    }
  if (gtk_list_box_row_get_index (row) == PAYAM_N_QUEUES + 1)
    {
      /* Read before it is shown: shown first, its map would read everything a second time. */
      payam_office_dashboard_show_figures (self->dashboard);
      gtk_stack_set_visible_child_name (self->content_stack, "dashboard");
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      return;
    }
  if (gtk_list_box_row_get_index (row) == PAYAM_N_QUEUES)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "board");
      payam_office_board_reload (self->board, self->store, self->category_names);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      return;
    }
  gtk_stack_set_visible_child_name (self->content_stack, "list");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_object (&self->search_results);
  if (!open_queue (self, (PayamQueue) gtk_list_box_row_get_index (row), &error))
    _payam_office_window_toast (self, error->message);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Typing in the search box lists what it finds (codes, phones, words); an empty box goes
 * back to the chosen queue. */
static void
search_changed (PayamOfficeWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *title = NULL;
  g_autofree char *count = NULL;

  if (text[0] == '\0')
    {
      g_clear_object (&self->search_results);
      gtk_label_set_label (self->list_title, payam_queue_label (self->queue));
      show_model (self, G_LIST_MODEL (self->queue_model));
      return;
    }
  found = payam_store_search (self->store, text, SEARCH_LIMIT, &error);
  if (found == NULL)
    {
      _payam_office_window_toast (self, error->message);
      return;
    }
  if (self->search_results == NULL)
    self->search_results = g_list_store_new (PAYAM_TYPE_QUEUE_ITEM);
  g_list_store_splice (self->search_results, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->search_results)),
                       found->pdata, found->len);
  count = payam_format_number (found->len);
  /* Translators: %s is how many messages the search found. */
  title = g_strdup_printf (_("Found: %s"), count);
  gtk_label_set_label (self->list_title, title);
  show_model (self, G_LIST_MODEL (self->search_results));
}

gboolean
payam_office_window_reload (PayamOfficeWindow  *self,
                            GError            **error)
{
  g_return_val_if_fail (PAYAM_IS_OFFICE_WINDOW (self), FALSE);

  recount (self);
  if (self->search_results != NULL)
    {
      search_changed (self);
      return TRUE;
    }
  return self->queue_model == NULL || payam_queue_model_refresh (self->queue_model, error);
}

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_office_window_reload (self, &error))
    _payam_office_window_toast (self, error->message);
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PAYAM_OFFICE_WINDOW (widget)->search_entry));
}

/* Sign in with the name and password typed; a wrong one says so and keeps the name. */
static void
sign_in_clicked (PayamOfficeWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStaff) staff = NULL;
  g_autofree char *who = NULL;

  staff = payam_store_sign_in (self->store, gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               &error);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (staff == NULL)
    {
      _payam_office_window_toast (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  adw_window_title_set_subtitle (self->sidebar_title, staff->name);
  g_clear_pointer (&self->staff, payam_staff_free);
  self->staff = g_steal_pointer (&staff);
  gtk_stack_set_visible_child_name (self->main_stack, "work");
  selection_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The sidebar: one row per queue with its count. */
static void
build_sidebar (PayamOfficeWindow *self)
{
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (payam_queue_label (q));
      GtkWidget *count = gtk_label_new (NULL);

      gtk_widget_set_hexpand (name, TRUE);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      g_autofree char *widget_name = g_strconcat ("count-", payam_queue_to_string (q), NULL);

      gtk_widget_set_name (count, widget_name);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_append (self->queue_list, box);
      self->count_labels[q] = GTK_LABEL (count);
    }
  {
    GtkWidget *board = gtk_label_new (_("Assignment board"));

    gtk_label_set_xalign (GTK_LABEL (board), 0);
    gtk_widget_set_margin_top (board, 6);
    gtk_widget_set_margin_bottom (board, 6);
    gtk_list_box_append (self->queue_list, board);
  }
  {
    GtkWidget *dashboard = gtk_label_new (_("Dashboard"));

    gtk_label_set_xalign (GTK_LABEL (dashboard), 0);
    gtk_widget_set_margin_top (dashboard, 6);
    gtk_widget_set_margin_bottom (dashboard, 6);
    gtk_list_box_append (self->queue_list, dashboard);
  }
  {
    GtkWidget *accounts = gtk_label_new (_("Crews and staff"));

    gtk_label_set_xalign (GTK_LABEL (accounts), 0);
    gtk_widget_set_margin_top (accounts, 6);
    gtk_widget_set_margin_bottom (accounts, 6);
    gtk_list_box_append (self->queue_list, accounts);
  }
}

/* win.open-queue(s): open the queue named by its identifier (the dashboard's figures). */
static void
open_queue_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueue queue;

  if (payam_queue_from_string (g_variant_get_string (parameter, NULL), &queue))
    gtk_list_box_select_row (self->queue_list,
                             gtk_list_box_get_row_at_index (self->queue_list, queue));
}

static void
payam_office_window_dispose (GObject *object)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (object);

  g_clear_handle_id (&self->recount_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->chosen_id, g_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_OFFICE_WINDOW);
  if (self->chosen_slot != NULL)
    g_signal_handlers_disconnect_by_func (self->chosen_slot, selection_changed, self);
  g_clear_object (&self->chosen_slot);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->queue_model);
  g_clear_object (&self->search_results);
  g_clear_pointer (&self->category_names, g_hash_table_unref);
  g_clear_pointer (&self->staff, payam_staff_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_office_window_parent_class)->dispose (object);
}

static void
payam_office_window_class_init (PayamOfficeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_office_window_dispose;

  g_type_ensure (PAYAM_TYPE_OFFICE_ACCOUNTS);
  g_type_ensure (PAYAM_TYPE_OFFICE_BOARD);
  g_type_ensure (PAYAM_TYPE_OFFICE_DASHBOARD);
  g_type_ensure (PAYAM_TYPE_OFFICE_DETAIL);
  g_type_ensure (PAYAM_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-office-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, queue_list);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, board);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, accounts);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, dashboard);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, sync_status);
  gtk_widget_class_bind_template_callback (widget_class, queue_selected);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL,
                                   focus_search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  _payam_office_triage_class_init (widget_class);
  _payam_office_groups_class_init (widget_class);
  _payam_office_conflicts_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.open-queue", "s", open_queue_activated);
}

static void
payam_office_window_init (PayamOfficeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = payam_row_slots_new ();
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  build_sidebar (self);
  _payam_office_export_init (self);
}

/* For measuring start-up on a large store: when PAYAM_BENCH_FIRST_FRAME is set, the time of
 * the first frame painted (CLOCK_MONOTONIC, microseconds) goes to stdout as
 * "payam-first-frame N", as the kiosk window does for bench/kiosk. */
static void
first_frame_painted (GdkFrameClock     *clock,
                     PayamOfficeWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted, self);
  g_print ("payam-first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
}

static void
window_mapped (PayamOfficeWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, window_mapped, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_frame_painted), self, 0);
}

/* Whether @store has office staff accounts (then the window asks for a sign-in). */
static gboolean
has_staff (PayamStore *store)
{
  g_autoptr(GPtrArray) staff = payam_store_list_staff (store, NULL);

  return staff != NULL && staff->len > 0;
}

PayamOfficeWindow *
payam_office_window_new (GtkApplication *application,
                         PayamStore     *store)
{
  PayamOfficeWindow *self;
  PayamSyncService *service = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_OFFICE_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);
  self->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  categories = payam_store_list_categories (store, NULL);
  for (guint i = 0; categories != NULL && i < categories->len; i++)
    {
      const PayamCategory *c = g_ptr_array_index (categories, i);

      g_hash_table_insert (self->category_names, g_strdup (c->code), g_strdup (c->name));
    }
  _payam_office_columns_add (self);
  _payam_office_groups_setup (self);
  payam_office_dashboard_set_store (self->dashboard, store, self->category_names);

  /* The application's background sync, when there is one, shows in the bottom bar. */
  if (PAYAM_IS_APPLICATION (application))
    service = payam_application_get_sync_service (PAYAM_APPLICATION (application));
  payam_sync_status_set_service (self->sync_status, service);
  if (service != NULL)
    g_signal_connect_object (service, "round-finished", G_CALLBACK (round_finished), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "request-changed", G_CALLBACK (request_changed), self,
                           G_CONNECT_SWAPPED);
  payam_store_dash_data_version (store, &self->data_version, NULL);
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_tick, self);

  if (g_getenv ("PAYAM_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "map", G_CALLBACK (window_mapped), NULL);
  gtk_stack_set_visible_child_name (self->main_stack, has_staff (store) ? "sign-in" : "work");
  _payam_office_triage_update (self);
  /* The sidebar's counts come after the first frame: Overdue's reads every overdue entry
   * of its index. */
  self->recount_id = g_idle_add (recount_idle, self);
  gtk_list_box_select_row (self->queue_list, gtk_list_box_get_row_at_index (self->queue_list,
                                                                            PAYAM_QUEUE_NEW));
  if (self->queue_model == NULL && !open_queue (self, PAYAM_QUEUE_NEW, &error))
    _payam_office_window_toast (self, error->message);

  return self;
}
