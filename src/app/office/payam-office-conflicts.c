/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conflicts from the office window: K keeps the value the store holds, O takes the other
 * one, W writes a third (chosen from the field's values), D dismisses; each closes the row
 * under the signed-in member, and a value written syncs like any edit. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-office-window-private.h"
#include "payam-priority.h"
#include "payam-queue-item.h"
#include "payam-store-conflicts.h"

/* The chosen conflict row, or NULL. */
static PayamQueueItem *
selected_conflict (PayamOfficeWindow *self)
{
  PayamQueueItem *item = _payam_office_window_get_selected (self);

  return item != NULL && payam_queue_item_get_conflict_kind (item) != NULL ? item : NULL;
}

/* Settle @conflict_id by @decision (@value: JSON, WRITE only). Someone may have decided it
 * on another device meanwhile: the message says who. */
static void
decide (PayamOfficeWindow     *self,
        const char            *conflict_id,
        PayamConflictDecision  decision,
        const char            *value)
{
  g_autoptr(GError) error = NULL;

  if (!payam_store_decide_conflict (self->store, conflict_id, decision, value, &error))
    _payam_office_window_toast (self, error->message);
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
decide_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueueItem *item = selected_conflict (self);
  PayamConflictDecision decision = g_str_equal (action_name, "win.conflict-other")
                                   ? PAYAM_DECISION_OTHER
                                   : g_str_equal (action_name, "win.conflict-dismiss")
                                   ? PAYAM_DECISION_DISMISS : PAYAM_DECISION_KEEP;

  if (item != NULL)
    decide (self, payam_queue_item_get_id (item), decision, NULL);
}

/* The third value's dialog: the field's values to choose from, each as JSON. */
typedef struct {
  PayamOfficeWindow *self;
  char              *conflict_id;
  GtkDropDown       *choice;
  GPtrArray         *values;  /* JSON text, in the drop-down's order */
} WriteDialog;

static void
write_dialog_free (WriteDialog *d)
{
  g_object_unref (d->self);
  g_free (d->conflict_id);
  g_ptr_array_unref (d->values);
  g_free (d);
}

static void
write_response (AdwMessageDialog *dialog,
                const char       *response,
                WriteDialog      *d)
{
  guint chosen = gtk_drop_down_get_selected (d->choice);

  if (g_strcmp0 (response, "apply") != 0 || chosen >= d->values->len)
    return;
  decide (d->self, d->conflict_id, PAYAM_DECISION_WRITE, g_ptr_array_index (d->values, chosen));
}

/* The values @field can take, as JSON into @values and as people read them into @names;
 * FALSE for a field the office window cannot write. */
static gboolean
field_values (PayamOfficeWindow *self,
              const char        *field,
              GPtrArray         *values,
              GtkStringList     *names)
{
  if (g_strcmp0 (field, "priority") == 0)
    {
      for (int p = PAYAM_PRIORITY_URGENT; p <= PAYAM_PRIORITY_NORMAL; p++)
        {
          g_ptr_array_add (values, g_strdup_printf ("%d", p));
          gtk_string_list_append (names, payam_priority_label (p));
        }
      return TRUE;
    }
  if (g_strcmp0 (field, "category") == 0)
    {
      g_autoptr(GPtrArray) categories = payam_store_list_categories (self->store, NULL);

      for (guint i = 0; categories != NULL && i < categories->len; i++)
        {
          const PayamCategory *c = g_ptr_array_index (categories, i);

          g_ptr_array_add (values, g_strdup_printf ("\"%s\"", c->code));
          gtk_string_list_append (names, c->name);
        }
      return TRUE;
    }
  if (g_strcmp0 (field, "status") == 0)
    {
      for (PayamStatus s = 0; s < PAYAM_N_STATUSES; s++)
        {
          g_autofree char *json = g_strdup_printf ("\"%s\"", payam_status_to_string (s));
          g_autofree char *name = _payam_office_value_text (field, json);

          g_ptr_array_add (values, g_steal_pointer (&json));
          gtk_string_list_append (names, name);
        }
      return TRUE;
    }
  return FALSE;
}

static void
write_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueueItem *item = selected_conflict (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  AdwMessageDialog *dialog;
  WriteDialog *d;

  if (item == NULL)
    return;
  if (g_strcmp0 (payam_queue_item_get_entity (item), "request") != 0 ||
      !field_values (self, payam_queue_item_get_field (item), values, names))
    {
      _payam_office_window_toast (self, _("This field cannot be written from the office "
                                          "window; keep the value held or dismiss the "
                                          "conflict."));
      return;
    }
  d = g_new0 (WriteDialog, 1);
  d->self = g_object_ref (self);
  d->conflict_id = g_strdup (payam_queue_item_get_id (item));
  d->values = g_steal_pointer (&values);
  d->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (d->choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The value to write"), -1);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Write another value"), NULL));
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (d->choice));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "apply", _("Write"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (write_response), d,
                         (GClosureNotify) (void (*) (void)) write_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_payam_office_conflicts_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.conflict-keep", NULL, decide_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.conflict-keep", NULL);
  gtk_widget_class_install_action (widget_class, "win.conflict-other", NULL, decide_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "win.conflict-other", NULL);
  gtk_widget_class_install_action (widget_class, "win.conflict-dismiss", NULL,
                                   decide_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "win.conflict-dismiss",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.conflict-write", NULL, write_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0, "win.conflict-write", NULL);
}
