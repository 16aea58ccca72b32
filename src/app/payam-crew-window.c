/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewWindow: a field crew's open work, ordered by priority and deadline. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-application.h"
#include "payam-crew-window.h"
#include "payam-format.h"
#include "payam-request-item.h"
#include "payam-request-list.h"
#include "payam-sync-status.h"

struct _PayamCrewWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore *store;

  /* template children (borrowed) */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  PayamRequestList *request_list;
  PayamSyncStatus *sync_status;
};

G_DEFINE_FINAL_TYPE (PayamCrewWindow, payam_crew_window, ADW_TYPE_APPLICATION_WINDOW)

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamCrewWindow *self = PAYAM_CREW_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_crew_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
payam_crew_window_dispose (GObject *object)
{
  PayamCrewWindow *self = PAYAM_CREW_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_CREW_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_crew_window_parent_class)->dispose (object);
}

static void
payam_crew_window_class_init (PayamCrewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_crew_window_dispose;

  g_type_ensure (PAYAM_TYPE_REQUEST_LIST);
  g_type_ensure (PAYAM_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-crew-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, request_list);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewWindow, sync_status);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
}

static void
payam_crew_window_init (PayamCrewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Read the open requests again and show when that was. On error the list keeps what it
 * showed and FALSE is returned with @error set. */
gboolean
payam_crew_window_reload (PayamCrewWindow  *self,
                          GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (PAYAM_IS_CREW_WINDOW (self), FALSE);

  if (!payam_request_list_reload (self->request_list, self->store, now, error))
    return FALSE;
  if (!payam_request_items_mark_photo_pending (payam_request_list_get_model (self->request_list),
                                               self->store, error))
    return FALSE;

  when = payam_format_date_time (now);
  /* Translators: %s is a date and time, e.g. "۸ آذر ۱۴۰۵، ۱۴:۳۰". */
  subtitle = g_strdup_printf (_("Updated %s"), when);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  return TRUE;
}

/* After a sync round that brought or sent something, read the store again (photos that
 * arrived lose their "on its way" mark). */
static void
round_finished (PayamCrewWindow *self,
                gboolean         moved)
{
  g_autoptr(GError) error = NULL;

  if (moved && !payam_crew_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* A crew window for @application showing the open requests of @store (a reference is
 * kept). A failure to read the store shows as a toast. */
PayamCrewWindow *
payam_crew_window_new (GtkApplication *application,
                       PayamStore     *store)
{
  PayamCrewWindow *self;
  PayamSyncService *service = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_CREW_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);

  /* The application's background sync, when there is one, shows in the bottom bar. */
  if (PAYAM_IS_APPLICATION (application))
    service = payam_application_get_sync_service (PAYAM_APPLICATION (application));
  payam_sync_status_set_service (self->sync_status, service);
  if (service != NULL)
    g_signal_connect_object (service, "round-finished", G_CALLBACK (round_finished), self,
                             G_CONNECT_SWAPPED);

  if (!payam_crew_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));

  return self;
}
