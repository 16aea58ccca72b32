/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewWindow: a field crew's day: sign-in, my worksheets, the work on each. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-detail.h"
#include "payam-crew-print.h"
#include "payam-crew-sheet-row.h"
#include "payam-crew-sheets.h"
#include "payam-crew-signin.h"
#include "payam-crew-window.h"
#include "payam-crew-work.h"
#include "payam-format.h"
#include "payam-store-crews.h"
#include "payam-store-devices.h"
#include "payam-sync-status.h"
#include "payam-tracking.h"

/* Minutes without a key or a pointer move before the session locks. */
#define IDLE_LOCK_SECONDS (10 * 60)

/* The list's filters, in the order of the drop-down. */
typedef enum {
  FILTER_ALL,
  FILTER_TODAY,
  FILTER_OVERDUE,
  FILTER_IN_PROGRESS,
  FILTER_DONE_TODAY,
} SheetFilter;

struct _PayamCrewWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore       *store;
  PayamSyncService *sync;
  GSettings        *settings;
  char             *crew_id;
  GListStore       *sheets;     /* of PayamCrewSheet, the core's order */
  GHashTable       *withdrawn;  /* worksheet ids seen withdrawn (owned strings) */
  GDateTime        *now;        /* the time the list measures from */
  gint64            last_activity_us;
  guint             idle_id;

  /* template children (borrowed) */
  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkStack          *stack;
  PayamCrewSignin   *signin;
  GtkListView       *sheet_list;
  GtkSingleSelection *selection;
  GtkFilterListModel *filtered;
  GtkCustomFilter   *filter;
  GtkDropDown       *filter_dropdown;
  GtkLabel          *counts_label;
  PayamCrewDetail   *detail;
  PayamSyncStatus   *sync_status;
  GtkWidget         *lock_button;
  GtkWidget         *print_button;
};

G_DEFINE_FINAL_TYPE (PayamCrewWindow, payam_crew_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (PayamCrewWindow *self,
       const char      *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ---- filters and counts ----------------------------------------------------------------- */

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  g_autoptr(GTimeZone) tehran = g_time_zone_new_identifier ("Asia/Tehran");
  g_autoptr(GDateTime) la = NULL;
  g_autoptr(GDateTime) lb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  /* Without tzdata, Tehran's standard offset (+03:30). */
  if (tehran == NULL)
    tehran = g_time_zone_new_offset (12600);
  la = g_date_time_to_timezone (a, tehran);
  lb = g_date_time_to_timezone (b, tehran);
  return g_date_time_get_year (la) == g_date_time_get_year (lb) &&
         g_date_time_get_day_of_year (la) == g_date_time_get_day_of_year (lb);
}

static gboolean
is_overdue (PayamCrewSheet *sheet,
            GDateTime      *now)
{
  const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);

  return info->withdrawal == PAYAM_WITHDRAWAL_NONE && !payam_crew_sheet_is_finished (sheet) &&
         info->due_at != NULL && g_date_time_compare (info->due_at, now) < 0;
}

static gboolean
matches (PayamCrewSheet *sheet,
         SheetFilter     filter,
         GDateTime      *now)
{
  const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);
  gboolean finished = payam_crew_sheet_is_finished (sheet);

  switch (filter)
    {
    case FILTER_TODAY:
      /* Open work due by the end of today (or late), and what was finished today. */
      return finished ? same_day (info->finished_at, now)
                      : info->due_at == NULL || is_overdue (sheet, now) ||
                        same_day (info->due_at, now);
    case FILTER_OVERDUE:
      return is_overdue (sheet, now);
    case FILTER_IN_PROGRESS:
      return g_strcmp0 (info->status, "in_progress") == 0;
    case FILTER_DONE_TODAY:
      return finished && same_day (info->finished_at, now);
    case FILTER_ALL:
    default:
      return TRUE;
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  PayamCrewWindow *self = user_data;

  return matches (PAYAM_CREW_SHEET (item),
                  (SheetFilter) gtk_drop_down_get_selected (self->filter_dropdown), self->now);
}

static void
update_counts (PayamCrewWindow *self)
{
  guint todo = 0, overdue = 0, done = 0;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sheets)); i++)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      if (payam_crew_sheet_get_info (sheet)->withdrawal != PAYAM_WITHDRAWAL_NONE)
        continue;
      if (!payam_crew_sheet_is_finished (sheet))
        todo++;
      overdue += is_overdue (sheet, self->now);
      done += matches (sheet, FILTER_DONE_TODAY, self->now);
    }
  a = payam_format_integer (todo);
  b = payam_format_integer (overdue);
  c = payam_format_integer (done);
  /* Translators: three counts in Persian digits. */
  text = g_strdup_printf (_("To do: %s · overdue: %s · finished today: %s"), a, b, c);
  gtk_label_set_label (self->counts_label, text);
}

static void
filter_changed (PayamCrewWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* ---- the list ----------------------------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, payam_crew_sheet_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PayamCrewWindow          *self)
{
  PayamCrewSheet *sheet = gtk_list_item_get_item (item);
  const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);

  payam_crew_sheet_row_bind (PAYAM_CREW_SHEET_ROW (gtk_list_item_get_child (item)), sheet,
                             self->now);
  /* The row is named by what it is about, for screen readers and the UI test. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, info->category_name, -1);
}

/* The worksheet selected now, or NULL (borrowed from the model). */
static PayamCrewSheet *
selected_sheet (PayamCrewWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
selection_changed (PayamCrewWindow *self)
{
  payam_crew_detail_show (self->detail, selected_sheet (self));
}

/* Select the worksheet @id in the filtered list (the first one when NULL or gone). */
static void
select_sheet (PayamCrewWindow *self,
              const char      *id)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (model, i);

      if (g_strcmp0 (payam_crew_sheet_get_info (sheet)->worksheet_id, id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          selection_changed (self);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, n > 0 ? 0 : GTK_INVALID_LIST_POSITION);
  selection_changed (self);
}

/* Toast the worksheets the office took back since the list was last read, with the
 * office's reason when the change that took it back carried one. */
static void
tell_withdrawn (PayamCrewWindow *self,
                GListModel      *sheets)
{
  for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (sheets, i);
      const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);

      if (info->withdrawal == PAYAM_WITHDRAWAL_NONE ||
          g_hash_table_contains (self->withdrawn, info->worksheet_id))
        continue;
      g_hash_table_add (self->withdrawn, g_strdup (info->worksheet_id));
      if (info->office_why != NULL && (info->office_changed & PAYAM_OFFICE_CHANGED_CREW))
        {
          /* Translators: why the work was taken back (a sentence), then the office's
           * reason in its own words. */
          g_autofree char *message = g_strdup_printf (_("%s The office's reason: %s"),
                                                      payam_withdrawal_reason (info->withdrawal),
                                                      info->office_why);

          toast (self, message);
        }
      else
        toast (self, payam_withdrawal_reason (info->withdrawal));
    }
}

/* What the office changed on a worksheet the crew still holds, for people (translated,
 * static), or NULL: its category, its deadline, its priority or the messages it serves. */
static const char *
office_change (const PayamCrewSheetInfo *before,
               const PayamCrewSheetInfo *after)
{
  if (g_strcmp0 (before->category_id, after->category_id) != 0)
    return _("its category");
  if (before->priority != after->priority)
    return _("its priority");
  if ((before->due_at == NULL) != (after->due_at == NULL) ||
      (before->due_at != NULL && !g_date_time_equal (before->due_at, after->due_at)))
    return _("its deadline");
  if (before->n_members != after->n_members)
    return _("the messages it serves");
  return NULL;
}

/* Toast each worksheet whose deadline, priority or messages the office changed since the
 * list was last read (never a silent overwrite). */
static void
tell_changed (PayamCrewWindow *self,
              GListModel      *sheets)
{
  g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sheets)); i++)
    {
      PayamCrewSheet *sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      /* The list store keeps the sheet alive; the extra reference goes at once. */
      g_object_unref (sheet);
      g_hash_table_insert (old, (gpointer) payam_crew_sheet_get_info (sheet)->worksheet_id,
                           sheet);
    }
  for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (sheets, i);
      const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);
      PayamCrewSheet *before = g_hash_table_lookup (old, info->worksheet_id);
      g_autofree char *code = NULL;
      g_autofree char *message = NULL;
      const char *what;

      const PayamCrewSheetInfo *old_info;
      gboolean explained;

      if (before == NULL || info->withdrawal != PAYAM_WITHDRAWAL_NONE)
        continue;
      old_info = payam_crew_sheet_get_info (before);
      what = office_change (old_info, info);
      /* A reason the office gave since the list was last read comes with what it changed. */
      explained = info->office_why != NULL &&
                  (g_strcmp0 (old_info->office_why, info->office_why) != 0 ||
                   (old_info->office_changed_at == NULL) != (info->office_changed_at == NULL) ||
                   (info->office_changed_at != NULL &&
                    !g_date_time_equal (old_info->office_changed_at, info->office_changed_at)));
      if (what == NULL && !explained)
        continue;
      code = payam_tracking_code_format_inline (info->tracking_code);
      if (explained)
        {
          g_autofree char *changes = payam_crew_office_changes_text (info->office_changed);

          /* Translators: a category, a tracking code, what changed ("its deadline"), then
           * the office's reason in its own words. */
          message = g_strdup_printf (_("The office changed worksheet %s %s: %s — %s. Look at "
                                       "it again before you go on."), info->category_name, code,
                                     changes, info->office_why);
        }
      else
        /* Translators: a category, a tracking code, then what changed ("its deadline"). */
        message = g_strdup_printf (_("The office changed worksheet %s %s: %s. Look at it again "
                                     "before you go on."), info->category_name, code, what);
      toast (self, message);
    }
}

gboolean
payam_crew_window_reload (PayamCrewWindow  *self,
                          GError          **error)
{
  g_autoptr(GListModel) sheets = NULL;
  g_autofree char *keep = NULL;
  PayamCrewSheet *current;
  guint n;

  g_return_val_if_fail (PAYAM_IS_CREW_WINDOW (self), FALSE);

  if (self->crew_id == NULL)
    return TRUE;
  sheets = payam_store_list_crew_sheets (self->store, self->crew_id, error);
  if (sheets == NULL)
    return FALSE;
  current = selected_sheet (self);
  if (current != NULL)
    keep = g_strdup (payam_crew_sheet_get_info (current)->worksheet_id);
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_utc ();
  tell_withdrawn (self, sheets);
  tell_changed (self, sheets);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sheets));
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
      g_ptr_array_add (items, g_list_model_get_item (sheets, i));
    g_list_store_splice (self->sheets, 0, n, items->pdata, items->len);
  }
  update_counts (self);
  select_sheet (self, keep);
  return TRUE;
}

static void
reload_or_toast (PayamCrewWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!payam_crew_window_reload (self, &error))
    toast (self, error->message);
}

/* ---- route order -------------------------------------------------------------------------- */

/* Move the selected worksheet one place towards the start (@delta -1) or the end (+1) of
 * the day's list, and keep the whole order on this device. */
static void
move_selected (PayamCrewWindow *self,
               int              delta)
{
  PayamCrewSheet *sheet = selected_sheet (self);
  GListModel *all = G_LIST_MODEL (self->sheets);
  guint n = g_list_model_get_n_items (all);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint at = G_MAXUINT;

  if (sheet == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PayamCrewSheet) item = g_list_model_get_item (all, i);

      g_ptr_array_add (ids, g_strdup (payam_crew_sheet_get_info (item)->worksheet_id));
      if (item == sheet)
        at = i;
    }
  if (at == G_MAXUINT || (delta < 0 && at == 0) || (delta > 0 && at + 1 >= n))
    return;
  {
    gpointer other = ids->pdata[at + delta];

    ids->pdata[at + delta] = ids->pdata[at];
    ids->pdata[at] = other;
  }
  g_ptr_array_add (ids, NULL);
  if (!payam_store_set_route (self->store, (const char * const *) ids->pdata, &error))
    {
      toast (self, error->message);
      return;
    }
  reload_or_toast (self);
}

static void
route_up_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  move_selected (PAYAM_CREW_WINDOW (widget), -1);
}

static void
route_down_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  move_selected (PAYAM_CREW_WINDOW (widget), 1);
}

/* ---- session ------------------------------------------------------------------------------ */

void
payam_crew_window_lock (PayamCrewWindow *self)
{
  g_return_if_fail (PAYAM_IS_CREW_WINDOW (self));

  if (self->crew_id == NULL)
    return;
  payam_store_crew_sign_out (self->store, "crew");
  payam_crew_signin_set_crew (self->signin, self->store, self->crew_id);
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_stack_set_visible_child_name (self->stack, "signin");
  gtk_widget_set_visible (self->lock_button, FALSE);
  gtk_widget_set_visible (self->print_button, FALSE);
}

static void
signed_in (PayamCrewWindow *self,
           const char      *name)
{
  /* Translators: %s is the name of the crew member signed in. */
  g_autofree char *subtitle = g_strdup_printf (_("Signed in: %s"), name);

  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_stack_set_visible_child_name (self->stack, "work");
  /* The PIN entry leaves the screen: the focus goes to the list, not nowhere. */
  gtk_widget_grab_focus (GTK_WIDGET (self->sheet_list));
  gtk_widget_set_visible (self->lock_button, TRUE);
  gtk_widget_set_visible (self->print_button, TRUE);
  self->last_activity_us = g_get_monotonic_time ();
  reload_or_toast (self);
}

static void
lock_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  payam_crew_window_lock (PAYAM_CREW_WINDOW (widget));
}

static gboolean
any_event (GtkEventControllerLegacy *controller,
           GdkEvent                 *event,
           PayamCrewWindow          *self)
{
  self->last_activity_us = g_get_monotonic_time ();
  return FALSE;
}

static gboolean
idle_check (gpointer user_data)
{
  PayamCrewWindow *self = user_data;
  const char *env = g_getenv ("PAYAM_CREW_IDLE_SECONDS");
  gint64 limit = env != NULL ? g_ascii_strtoll (env, NULL, 10) : IDLE_LOCK_SECONDS;

  if (limit <= 0)
    limit = IDLE_LOCK_SECONDS;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "work") == 0 &&
      g_get_monotonic_time () - self->last_activity_us > limit * G_USEC_PER_SEC)
    payam_crew_window_lock (self);
  return G_SOURCE_CONTINUE;
}

static void
print_day_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PayamCrewWindow *self = PAYAM_CREW_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_crew_print (GTK_WINDOW (self), self->store, G_LIST_MODEL (self->filtered), &error))
    toast (self, error->message);
}

/* After a sync round that brought or sent something, read the store again: a worksheet
 * the office changed or took back shows so. */
static void
round_finished (PayamCrewWindow *self,
                gboolean         moved)
{
  if (moved)
    {
      /* Members may have arrived for the sign-in too. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "signin") == 0)
        payam_crew_signin_set_crew (self->signin, self->store, self->crew_id);
      reload_or_toast (self);
    }
}

static void
large_text_changed (PayamCrewWindow *self)
{
  if (g_settings_get_boolean (self->settings, "crew-large-text"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "payam-crew-large");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "payam-crew-large");
}

static void
payam_crew_window_dispose (GObject *object)
{
  PayamCrewWindow *self = PAYAM_CREW_WINDOW (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_CREW_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  g_clear_object (&self->settings);
  g_clear_object (&self->sheets);
  g_clear_pointer (&self->crew_id, g_free);
  g_clear_pointer (&self->withdrawn, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  G_OBJECT_CLASS (payam_crew_window_parent_class)->dispose (object);
}

static void
payam_crew_window_class_init (PayamCrewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_crew_window_dispose;

  g_type_ensure (PAYAM_TYPE_CREW_SIGNIN);
  g_type_ensure (PAYAM_TYPE_CREW_DETAIL);
  g_type_ensure (PAYAM_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-crew-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, signin);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, sheet_list);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, filtered);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, filter);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, print_button);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed);

  gtk_widget_class_install_action (widget_class, "win.route-up", NULL, route_up_activated);
  gtk_widget_class_install_action (widget_class, "win.route-down", NULL, route_down_activated);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.print-day", NULL, print_day_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "win.route-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "win.route-down", NULL);
}

static void
payam_crew_window_init (PayamCrewWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *legacy = gtk_event_controller_legacy_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  payam_crew_name_drop_down (self->filter_dropdown, _("Show"));
  self->withdrawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->now = g_date_time_new_now_utc ();
  self->sheets = g_list_store_new (PAYAM_TYPE_CREW_SHEET);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->sheets));
  gtk_custom_filter_set_filter_func (self->filter, filter_func, self, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->sheet_list, factory);
  g_object_unref (factory);
  g_signal_connect_object (self->signin, "signed-in", G_CALLBACK (signed_in), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "recorded", G_CALLBACK (reload_or_toast), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (legacy, "event", G_CALLBACK (any_event), self);
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);
  self->last_activity_us = g_get_monotonic_time ();
  self->idle_id = g_timeout_add_seconds (5, idle_check, self);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::crew-large-text",
                           G_CALLBACK (large_text_changed), self, G_CONNECT_SWAPPED);
  large_text_changed (self);
  {
    g_autoptr(GAction) large = g_settings_create_action (self->settings, "crew-large-text");
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

    g_action_map_add_action (G_ACTION_MAP (group), large);
    gtk_widget_insert_action_group (GTK_WIDGET (self), "crew", G_ACTION_GROUP (group));
  }
}

PayamCrewWindow *
payam_crew_window_new (GtkApplication   *application,
                       PayamStore       *store,
                       PayamSyncService *sync)
{
  PayamCrewWindow *self;
  g_autoptr(PayamEnrolment) enrolment = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (sync == NULL || PAYAM_IS_SYNC_SERVICE (sync), NULL);

  self = g_object_new (PAYAM_TYPE_CREW_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);
  payam_crew_detail_set_store (self->detail, store);
  if (sync != NULL)
    {
      self->sync = g_object_ref (sync);
      g_signal_connect_object (sync, "round-finished", G_CALLBACK (round_finished), self,
                               G_CONNECT_SWAPPED);
    }
  payam_sync_status_set_service (self->sync_status, sync);

  enrolment = payam_store_get_enrolment (store, NULL);
  if (enrolment != NULL && enrolment->role == PAYAM_ROLE_CREW && enrolment->crew_id != NULL &&
      *enrolment->crew_id != '\0')
    {
      self->crew_id = g_strdup (enrolment->crew_id);
      payam_crew_window_lock (self);
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "enrol");
  return self;
}
