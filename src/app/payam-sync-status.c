/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncStatus: a bar showing a PayamSyncService, every number and date through core. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-sync-status.h"

struct _PayamSyncStatus
{
  GtkBox parent_instance;

  /* owned */
  PayamSyncService *service;
  GSignalGroup *service_signals;

  /* template children (borrowed) */
  GtkImage *state_icon;
  GtkLabel *state_label;
  GtkLabel *last_label;
  GtkLabel *message_label;
  GtkLabel *waiting_label;
  GtkProgressBar *upload_bar;
  GtkButton *sync_button;
};

G_DEFINE_FINAL_TYPE (PayamSyncStatus, payam_sync_status, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "۳ تغییر و ۲ عکس", or the one that is not zero; NULL when nothing waits. */
static char *
waiting_text (gint64 ops,
              guint  photos)
{
  g_autofree char *ops_number = payam_format_number (ops);
  g_autofree char *photos_number = payam_format_number (photos);
  g_autofree char *ops_text = NULL;
  g_autofree char *photos_text = NULL;

  /* Translators: %s is a number of changes, in Persian digits. */
  ops_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change", "%s changes",
                                           (gulong) MIN (ops, G_MAXLONG)),
                              ops_number);
  /* Translators: %s is a number of photos, in Persian digits. */
  photos_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s photo", "%s photos",
                                              photos),
                                 photos_number);
  if (ops > 0 && photos > 0)
    /* Translators: the first %s is a number of changes ("3 changes"), the second of
     * photos ("2 photos"). */
    return g_strdup_printf (_("Waiting to send: %s and %s"), ops_text, photos_text);
  if (ops > 0 || photos > 0)
    /* Translators: %s is a number of changes or of photos ("3 changes"). */
    return g_strdup_printf (_("Waiting to send: %s"), ops > 0 ? ops_text : photos_text);
  return NULL;
}

/* Show everything the service says again. */
static void
update (PayamSyncStatus *self)
{
  PayamSyncService *service = self->service;
  PayamSyncState state;
  GDateTime *last_sync;
  const char *message;
  const char *icon;
  const char *state_text;
  g_autofree char *last_text = NULL;
  g_autofree char *waiting = NULL;
  double fraction;

  gtk_widget_set_visible (GTK_WIDGET (self), service != NULL);
  if (service == NULL)
    return;

  state = payam_sync_service_get_state (service);
  switch (state)
    {
    case PAYAM_SYNC_STATE_NOT_ENROLLED:
      icon = "network-offline-symbolic";
      state_text = _("Not enrolled with an office server");
      break;

    case PAYAM_SYNC_STATE_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      state_text = _("Syncing…");
      break;

    case PAYAM_SYNC_STATE_FAILED:
      icon = "dialog-warning-symbolic";
      state_text = _("Sync failed");
      break;

    case PAYAM_SYNC_STATE_IDLE:
    case PAYAM_SYNC_STATE_OFFLINE:
    default:
      icon = payam_sync_service_get_online (service) ? "network-transmit-receive-symbolic"
                                                     : "network-offline-symbolic";
      state_text = payam_sync_service_get_online (service) ? _("Online") : _("Offline");
      break;
    }
  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_label_set_label (self->state_label, state_text);
  if (state == PAYAM_SYNC_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");

  last_sync = payam_sync_service_get_last_sync (service);
  if (last_sync != NULL)
    {
      g_autofree char *when = payam_format_date_time (last_sync);

      /* Translators: %s is a date and time, e.g. "۸ آذر ۱۴۰۵، ۱۴:۳۰". */
      last_text = g_strdup_printf (_("Last sync: %s"), when);
    }
  gtk_label_set_label (self->last_label, last_text != NULL ? last_text : _("Not synced yet"));

  message = payam_sync_service_get_message (service);
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);

  waiting = waiting_text (payam_sync_service_get_waiting_ops (service),
                          payam_sync_service_get_waiting_photos (service));
  gtk_label_set_label (self->waiting_label, waiting != NULL ? waiting : _("Nothing waiting"));

  fraction = payam_sync_service_get_upload_fraction (service);
  gtk_progress_bar_set_fraction (self->upload_bar, fraction);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_bar), fraction > 0.0);

  gtk_widget_set_visible (GTK_WIDGET (self->sync_button),
                          state != PAYAM_SYNC_STATE_NOT_ENROLLED);
}

static void
service_notified (PayamSyncStatus *self,
                  GParamSpec      *pspec,
                  gpointer         service)
{
  update (self);
}

static void
payam_sync_status_dispose (GObject *object)
{
  PayamSyncStatus *self = PAYAM_SYNC_STATUS (object);

  if (self->service_signals != NULL)
    g_signal_group_set_target (self->service_signals, NULL);
  g_clear_object (&self->service_signals);
  g_clear_object (&self->service);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_SYNC_STATUS);

  G_OBJECT_CLASS (payam_sync_status_parent_class)->dispose (object);
}

static void
payam_sync_status_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PayamSyncStatus *self = PAYAM_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_sync_status_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PayamSyncStatus *self = PAYAM_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      payam_sync_status_set_service (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_sync_status_class_init (PayamSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_sync_status_dispose;
  object_class->get_property = payam_sync_status_get_property;
  object_class->set_property = payam_sync_status_set_property;

  /* The service shown; the bar hides itself while there is none. */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         PAYAM_TYPE_SYNC_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, state_icon);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, state_label);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, last_label);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, message_label);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, upload_bar);
  gtk_widget_class_bind_template_child (widget_class, PayamSyncStatus, sync_button);
}

static void
payam_sync_status_init (PayamSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Every property of the service changes something shown; "notify" covers them all. */
  self->service_signals = g_signal_group_new (PAYAM_TYPE_SYNC_SERVICE);
  g_signal_group_connect_object (self->service_signals, "notify",
                                 G_CALLBACK (service_notified), self, G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
payam_sync_status_new (void)
{
  return g_object_new (PAYAM_TYPE_SYNC_STATUS, NULL);
}

/* The service shown (transfer none), or NULL. */
PayamSyncService *
payam_sync_status_get_service (PayamSyncStatus *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_STATUS (self), NULL);

  return self->service;
}

/* Show @service (a reference is kept; NULL hides the bar) and follow its changes. */
void
payam_sync_status_set_service (PayamSyncStatus  *self,
                               PayamSyncService *service)
{
  g_return_if_fail (PAYAM_IS_SYNC_STATUS (self));
  g_return_if_fail (service == NULL || PAYAM_IS_SYNC_SERVICE (service));

  if (!g_set_object (&self->service, service))
    return;

  g_signal_group_set_target (self->service_signals, service);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}
