/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskCodeEntry: parse, look up locally or at the office, and offer "did you mean". */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-camera.h"
#include "payam-kiosk-code-entry.h"
#include "payam-text.h"
#include "payam-tracking.h"

/* How many codes one typing error away are shown at most. */
#define MAX_SUGGESTIONS 3
/* How many are examined to find those this kiosk holds. */
#define MAX_CANDIDATES 40
/* The municipal hotline, shown through the number formatter. */
#define HOTLINE 137

struct _PayamKioskCodeEntry
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore   *store;
  GCancellable *cancellable;   /* of the office look-up running, or NULL */
  GPtrArray    *suggestions;   /* canonical codes shown, owned strings */

  gboolean      allow_remote;

  /* template children (borrowed) */
  GtkEntry     *entry;
  GtkLabel     *message_label;
  GtkFlowBox   *suggestion_box;
  GtkButton    *scan_button;
  GtkBox       *scan_box;
  PayamCamera *camera;    /* the QR scanner, in scan_box: runs only while shown */
};

G_DEFINE_FINAL_TYPE (PayamKioskCodeEntry, payam_kiosk_code_entry, GTK_TYPE_WIDGET)

enum {
  FOUND,
  FOUND_REMOTE,
  CLEARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (PayamKioskCodeEntry *self,
              const char          *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
clear_suggestions (PayamKioskCodeEntry *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestion_box))) != NULL)
    gtk_flow_box_remove (self->suggestion_box, child);
  g_ptr_array_set_size (self->suggestions, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_box), FALSE);
}

/* A new look-up: forget the last one's message, suggestions and office request. */
static void
reset (PayamKioskCodeEntry *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_message (self, NULL);
  clear_suggestions (self);
  g_signal_emit (self, signals[CLEARED], 0);
}

static void
suggestion_clicked (GtkButton           *button,
                    PayamKioskCodeEntry *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");
  g_autofree char *shown = payam_tracking_code_format (code);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), shown);
  payam_kiosk_code_entry_lookup (self);
}

/* The ASCII digits of what was typed (separators and other characters dropped). */
static char *
typed_digits (const char *text)
{
  g_autofree char *ascii = payam_text_digits_to_ascii (text);
  GString *digits = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

/* "Did you mean": the codes one typing error from @text, those this kiosk holds first. */
static void
show_suggestions (PayamKioskCodeEntry *self,
                  const char          *text)
{
  g_autofree char *digits = typed_digits (text);
  g_auto(GStrv) candidates = payam_tracking_code_suggest (digits, MAX_CANDIDATES);
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autoptr(GPtrArray) other = g_ptr_array_new ();

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autoptr(PayamRequest) request = payam_store_find_by_tracking_code (self->store,
                                                                           candidates[i], NULL);

      g_ptr_array_add (request != NULL ? known : other, candidates[i]);
    }
  /* Codes this kiosk holds are the likely ones; with none, the office may hold any. */
  if (known->len == 0)
    g_ptr_array_extend (known, other, NULL, NULL);

  for (guint i = 0; i < known->len && i < MAX_SUGGESTIONS; i++)
    {
      const char *code = known->pdata[i];
      g_autofree char *shown = payam_tracking_code_format (code);
      g_autofree char *name = NULL;
      GtkWidget *button = gtk_button_new_with_label (shown);

      /* Digits of a code read in their own order, whatever the page's direction. */
      gtk_widget_set_direction (button, GTK_TEXT_DIR_LTR);
      gtk_widget_add_css_class (button, "kiosk-suggestion");
      /* Translators: %s is a tracking code, in Persian digits. */
      name = g_strdup_printf (_("Did you mean %s?"), shown);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_object_set_data_full (G_OBJECT (button), "code", g_strdup (code), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (suggestion_clicked), self, 0);
      gtk_flow_box_append (self->suggestion_box, button);
      g_ptr_array_add (self->suggestions, g_strdup (code));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_box), self->suggestions->len > 0);
}

/* The code parsed but is not known: say where it was looked for and what to do. The code
 * itself stays in the entry, above the message. */
static void
show_unknown (PayamKioskCodeEntry *self,
              gboolean             asked_office)
{
  g_autofree char *hotline = payam_format_integer (HOTLINE);
  g_autofree char *message = NULL;

  if (asked_office)
    /* Translators: %s is the hotline number (137) in Persian digits. */
    message = g_strdup_printf (_("No message with this code was found. Check the code on "
                                 "your receipt, or call %s."), hotline);
  else if (self->allow_remote)
    /* Translators: %s is the hotline number (137) in Persian digits. */
    message = g_strdup_printf (_("No message with this code is on this kiosk, and the "
                                 "office cannot be reached now. Check the code on your "
                                 "receipt, try again later or call %s."), hotline);
  else
    message = g_strdup (_("No message with this code is on this kiosk. Check the code on "
                          "your receipt; a message can be rated at the kiosk where it was "
                          "registered."));
  show_message (self, message);
}

static void
track_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PayamKioskCodeEntry) self = user_data;
  g_autoptr(GError) error = NULL;
  PayamSyncTrackReply *reply;

  reply = payam_sync_service_track_finish (PAYAM_SYNC_SERVICE (source), result, &error);
  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (reply == NULL)
    {
      show_unknown (self, g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED));
      return;
    }
  show_message (self, NULL);
  g_signal_emit (self, signals[FOUND_REMOTE], 0, reply);
  payam_sync_track_reply_free (reply);
}

/* The application's sync service when it reaches the office now, else NULL. */
static PayamSyncService *
online_service (void)
{
  GApplication *app = g_application_get_default ();
  PayamSyncService *service;

  if (!PAYAM_IS_APPLICATION (app))
    return NULL;
  service = payam_application_get_sync_service (PAYAM_APPLICATION (app));
  if (service == NULL || !payam_sync_service_get_online (service))
    return NULL;
  return service;
}

/* Parse, look up here, then (when allowed and online) at the office. */
void
payam_kiosk_code_entry_lookup (PayamKioskCodeEntry *self)
{
  g_autofree char *typed = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  PayamSyncService *service;

  g_return_if_fail (PAYAM_IS_KIOSK_CODE_ENTRY (self));

  reset (self);
  typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  canonical = payam_tracking_code_parse (typed, &error);
  if (canonical == NULL)
    {
      show_message (self, error->message);
      if (g_error_matches (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHECK))
        show_suggestions (self, typed);
      return;
    }

  request = payam_store_find_by_tracking_code (self->store, canonical, &error);
  if (request != NULL)
    {
      g_signal_emit (self, signals[FOUND], 0, request->id);
      return;
    }
  if (!g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
    {
      g_autofree char *message = NULL;
      g_autofree char *hotline = payam_format_integer (HOTLINE);

      /* Translators: what went wrong, then the hotline number (137) in Persian digits. */
      message = g_strdup_printf (_("The message could not be looked up: %s Please ask the "
                                   "staff for help or call %s."), error->message, hotline);
      show_message (self, message);
      return;
    }

  service = self->allow_remote ? online_service () : NULL;
  if (service == NULL)
    {
      show_unknown (self, FALSE);
      return;
    }
  show_message (self, _("Asking the office about this code…"));
  self->cancellable = g_cancellable_new ();
  payam_sync_service_track_async (service, canonical, self->cancellable, track_done,
                                  g_object_ref (self));
}

/* Show the scanner; the camera starts as it is mapped. */
static void
scan_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskCodeEntry *self = PAYAM_KIOSK_CODE_ENTRY (widget);

  gtk_widget_set_visible (GTK_WIDGET (self->scan_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_box), TRUE);
}

/* Hide the scanner; the camera stops as it is unmapped. */
static void
hide_scanner (PayamKioskCodeEntry *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->scan_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_button), TRUE);
  payam_camera_stop (self->camera);
}

static void
cancel_scan_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  hide_scanner (PAYAM_KIOSK_CODE_ENTRY (widget));
}

/* A QR code was read (the camera has stopped): put it in the entry as if typed, in the
 * printed form when it is a tracking code, and look it up. */
static void
camera_scanned (PayamKioskCodeEntry *self,
                const char          *symbol)
{
  g_autofree char *canonical = payam_tracking_code_parse (symbol, NULL);
  g_autofree char *shown = canonical != NULL ? payam_tracking_code_format (canonical) : NULL;

  hide_scanner (self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), shown != NULL ? shown : symbol);
  payam_kiosk_code_entry_lookup (self);
}

static void
lookup_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  payam_kiosk_code_entry_lookup (PAYAM_KIOSK_CODE_ENTRY (widget));
}

static void
entry_activated (PayamKioskCodeEntry *self)
{
  payam_kiosk_code_entry_lookup (self);
}

static gboolean
payam_kiosk_code_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PAYAM_KIOSK_CODE_ENTRY (widget)->entry));
}

static void
payam_kiosk_code_entry_dispose (GObject *object)
{
  PayamKioskCodeEntry *self = PAYAM_KIOSK_CODE_ENTRY (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->camera != NULL)
    payam_camera_stop (self->camera);
  self->camera = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_CODE_ENTRY);
  /* The template's top box has no id, so it is not among the children disposed above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);

  G_OBJECT_CLASS (payam_kiosk_code_entry_parent_class)->dispose (object);
}

static void
payam_kiosk_code_entry_class_init (PayamKioskCodeEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_code_entry_dispose;
  widget_class->grab_focus = payam_kiosk_code_entry_grab_focus;

  signals[FOUND] = g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FOUND_REMOTE] = g_signal_new ("found-remote", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[CLEARED] = g_signal_new ("cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-code-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskCodeEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskCodeEntry, message_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskCodeEntry, suggestion_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskCodeEntry, scan_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskCodeEntry, scan_box);
  gtk_widget_class_install_action (widget_class, "code-entry.scan", NULL, scan_activated);
  gtk_widget_class_install_action (widget_class, "code-entry.cancel-scan", NULL,
                                   cancel_scan_activated);
  gtk_widget_class_install_action (widget_class, "code-entry.lookup", NULL, lookup_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_code_entry_init (PayamKioskCodeEntry *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->suggestions = g_ptr_array_new_with_free_func (g_free);
  /* A tracking code's digits run in their own order (like a phone number, STYLE §26). */
  gtk_widget_set_direction (GTK_WIDGET (self->entry), GTK_TEXT_DIR_LTR);
  g_signal_connect_object (self->entry, "activate", G_CALLBACK (entry_activated), self,
                           G_CONNECT_SWAPPED);
  /* The scanner's picture under its prompt, above "Stop scanning". */
  self->camera = payam_camera_new_scanner ();
  gtk_box_insert_child_after (self->scan_box, GTK_WIDGET (self->camera),
                              gtk_widget_get_first_child (GTK_WIDGET (self->scan_box)));
  g_signal_connect_object (self->camera, "scanned", G_CALLBACK (camera_scanned), self,
                           G_CONNECT_SWAPPED);
}

PayamKioskCodeEntry *
payam_kiosk_code_entry_new (PayamStore *store,
                            gboolean    allow_remote)
{
  PayamKioskCodeEntry *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_CODE_ENTRY, NULL);
  self->store = g_object_ref (store);
  self->allow_remote = allow_remote;
  return self;
}

const char *
payam_kiosk_code_entry_get_message (PayamKioskCodeEntry *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_CODE_ENTRY (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

GStrv
payam_kiosk_code_entry_dup_suggestions (PayamKioskCodeEntry *self)
{
  GStrvBuilder *builder;
  GStrv out;

  g_return_val_if_fail (PAYAM_IS_KIOSK_CODE_ENTRY (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->suggestions->len; i++)
    g_strv_builder_add (builder, self->suggestions->pdata[i]);
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

GtkEditable *
payam_kiosk_code_entry_get_editable (PayamKioskCodeEntry *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_CODE_ENTRY (self), NULL);
  return GTK_EDITABLE (self->entry);
}
