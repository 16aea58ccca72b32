/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeWindow: counts from the store above the open requests. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-office-window.h"
#include "payam-request-item.h"
#include "payam-request-list.h"
#include "payam-sync-status.h"

struct _PayamOfficeWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore *store;

  /* template children (borrowed) */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkLabel *total_label;
  GtkLabel *open_label;
  GtkLabel *overdue_label;
  GtkLabel *urgent_label;
  GtkLabel *outbox_label;
  PayamRequestList *request_list;
  PayamSyncStatus *sync_status;
};

G_DEFINE_FINAL_TYPE (PayamOfficeWindow, payam_office_window, ADW_TYPE_APPLICATION_WINDOW)

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_office_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
payam_office_window_dispose (GObject *object)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_OFFICE_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_office_window_parent_class)->dispose (object);
}

static void
payam_office_window_class_init (PayamOfficeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_office_window_dispose;

  g_type_ensure (PAYAM_TYPE_REQUEST_LIST);
  g_type_ensure (PAYAM_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-office-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, open_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, urgent_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, request_list);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeWindow, sync_status);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
}

static void
payam_office_window_init (PayamOfficeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_count (GtkLabel *label,
           gint64    value)
{
  g_autofree char *text = payam_format_number (value);

  gtk_label_set_label (label, text);
}

/* Read the counts and the open requests again and show when that was. On error what was
 * shown stays and FALSE is returned with @error set. */
gboolean
payam_office_window_reload (PayamOfficeWindow  *self,
                            GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  PayamStoreStats stats = { 0 };
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (PAYAM_IS_OFFICE_WINDOW (self), FALSE);

  if (!payam_store_get_stats (self->store, &stats, error))
    return FALSE;

  if (!payam_request_list_reload (self->request_list, self->store, now, error))
    return FALSE;
  if (!payam_request_items_mark_photo_pending (payam_request_list_get_model (self->request_list),
                                               self->store, error))
    return FALSE;

  set_count (self->total_label, stats.total);
  set_count (self->open_label, stats.open);
  set_count (self->overdue_label, stats.overdue);
  set_count (self->urgent_label, stats.by_priority[PAYAM_PRIORITY_URGENT]);
  set_count (self->outbox_label, stats.outbox);

  when = payam_format_date_time (now);
  /* Translators: %s is a date and time, e.g. "۸ آذر ۱۴۰۵، ۱۴:۳۰". */
  subtitle = g_strdup_printf (_("Updated %s"), when);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  return TRUE;
}

/* After a sync round that brought or sent something, read the store again (photos that
 * arrived lose their "on its way" mark). */
static void
round_finished (PayamOfficeWindow *self,
                gboolean           moved)
{
  g_autoptr(GError) error = NULL;

  if (moved && !payam_office_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* The outbox card follows the service, which counts after every local change and round,
 * so that it never disagrees with the status bar. */
static void
waiting_ops_changed (PayamOfficeWindow *self,
                     GParamSpec        *pspec,
                     PayamSyncService  *service)
{
  set_count (self->outbox_label, payam_sync_service_get_waiting_ops (service));
}

/* An office window for @application showing the counts and open requests of @store (a
 * reference is kept). A failure to read the store shows as a toast. */
PayamOfficeWindow *
payam_office_window_new (GtkApplication *application,
                         PayamStore     *store)
{
  PayamOfficeWindow *self;
  PayamSyncService *service = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_OFFICE_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);

  /* The application's background sync, when there is one, shows in the bottom bar. */
  if (PAYAM_IS_APPLICATION (application))
    service = payam_application_get_sync_service (PAYAM_APPLICATION (application));
  payam_sync_status_set_service (self->sync_status, service);
  if (service != NULL)
    {
      g_signal_connect_object (service, "round-finished", G_CALLBACK (round_finished), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "notify::waiting-ops", G_CALLBACK (waiting_ops_changed),
                               self, G_CONNECT_SWAPPED);
    }

  if (!payam_office_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));

  return self;
}
