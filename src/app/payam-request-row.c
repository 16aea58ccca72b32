/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestRow: one request in a list, every number and date through the core formatters. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-request-row.h"
#include "payam-tracking.h"

struct _PayamRequestRow
{
  GtkBox parent_instance;

  /* owned */
  PayamRequestItem *item;
  gulong pending_id;      /* notify::photo-pending of @item */

  /* template children (borrowed) */
  GtkLabel *priority_label;
  GtkLabel *code_label;
  GtkLabel *category_label;
  GtkLabel *status_label;
  GtkLabel *text_label;
  GtkLabel *created_label;
  GtkLabel *due_label;
  GtkLabel *left_label;
  GtkWidget *photo_pending_box;
};

G_DEFINE_FINAL_TYPE (PayamRequestRow, payam_request_row, GTK_TYPE_BOX)

static const char *priority_classes[] = { "urgent", "high", "normal" };

static void
payam_request_row_dispose (GObject *object)
{
  PayamRequestRow *self = PAYAM_REQUEST_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_REQUEST_ROW);
  if (self->item != NULL)
    g_clear_signal_handler (&self->pending_id, self->item);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (payam_request_row_parent_class)->dispose (object);
}

static void
payam_request_row_class_init (PayamRequestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_request_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-request-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, priority_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, code_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, created_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, due_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, left_label);
  gtk_widget_class_bind_template_child (widget_class, PayamRequestRow, photo_pending_box);
}

static void
payam_request_row_init (PayamRequestRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
payam_request_row_new (void)
{
  return g_object_new (PAYAM_TYPE_REQUEST_ROW, NULL);
}

static void
set_priority (PayamRequestRow *self,
              PayamPriority    priority)
{
  GtkWidget *badge = GTK_WIDGET (self->priority_label);
  guint index;

  for (guint i = 0; i < G_N_ELEMENTS (priority_classes); i++)
    gtk_widget_remove_css_class (badge, priority_classes[i]);

  index = CLAMP ((int) priority, PAYAM_PRIORITY_URGENT, PAYAM_PRIORITY_NORMAL) - 1;
  gtk_widget_add_css_class (badge, priority_classes[index]);
  gtk_label_set_label (self->priority_label, payam_priority_label (priority));
}

static void
photo_pending_changed (PayamRequestRow *self)
{
  gtk_widget_set_visible (self->photo_pending_box,
                          payam_request_item_get_photo_pending (self->item));
}

/* Show @item in the row (a reference is kept until the next item). @now is the moment
 * "time left" is measured from (the owner's clock, so every row of a list agrees). */
void
payam_request_row_set_item (PayamRequestRow  *self,
                            PayamRequestItem *item,
                            GDateTime        *now)
{
  const PayamRequest *request;
  const char *category_name;
  g_autofree char *code = NULL;
  g_autofree char *created = NULL;
  g_autofree char *created_text = NULL;

  g_return_if_fail (PAYAM_IS_REQUEST_ROW (self));
  g_return_if_fail (PAYAM_IS_REQUEST_ITEM (item));
  g_return_if_fail (now != NULL);

  if (self->item != item)
    {
      if (self->item != NULL)
        g_clear_signal_handler (&self->pending_id, self->item);
      g_set_object (&self->item, item);
      self->pending_id = g_signal_connect_swapped (item, "notify::photo-pending",
                                                   G_CALLBACK (photo_pending_changed), self);
    }
  photo_pending_changed (self);
  request = payam_request_item_get_request (item);
  category_name = payam_request_item_get_category_name (item);

  set_priority (self, request->priority);

  code = payam_tracking_code_format (request->tracking_code);
  gtk_label_set_label (self->code_label, code);

  gtk_label_set_label (self->category_label,
                       category_name != NULL ? category_name : _("Unknown category"));
  gtk_label_set_label (self->status_label, payam_status_label (request->status));
  gtk_label_set_label (self->text_label, request->text != NULL ? request->text : "");

  created = payam_format_date_time (request->created_at);
  /* Translators: %s is a date and time, e.g. "۸ آذر ۱۴۰۵، ۱۴:۳۰". */
  created_text = g_strdup_printf (_("Registered %s"), created);
  gtk_label_set_label (self->created_label, created_text);

  if (request->due_at != NULL)
    {
      g_autofree char *due = payam_format_date_time (request->due_at);
      g_autofree char *due_text = NULL;

      /* Translators: %s is a date and time, e.g. "۹ آذر ۱۴۰۵، ۱۰:۰۰". */
      due_text = g_strdup_printf (_("Deadline %s"), due);
      gtk_label_set_label (self->due_label, due_text);
    }
  else
    {
      gtk_label_set_label (self->due_label, _("No deadline"));
    }

  payam_request_row_set_now (self, now);
}

/* Measure "time left" (and whether the deadline has passed) from @now again, for the
 * item shown. Does nothing before the first payam_request_row_set_item(). */
void
payam_request_row_set_now (PayamRequestRow *self,
                           GDateTime       *now)
{
  const PayamRequest *request;
  GtkWidget *left_widget;
  g_autofree char *left = NULL;

  g_return_if_fail (PAYAM_IS_REQUEST_ROW (self));
  g_return_if_fail (now != NULL);

  if (self->item == NULL)
    return;

  request = payam_request_item_get_request (self->item);
  left_widget = GTK_WIDGET (self->left_label);

  if (request->due_at == NULL)
    {
      gtk_label_set_label (self->left_label, "");
      gtk_widget_set_visible (left_widget, FALSE);
      return;
    }

  left = payam_format_time_left (now, request->due_at);
  gtk_label_set_label (self->left_label, left);
  gtk_widget_set_visible (left_widget, TRUE);

  if (g_date_time_compare (request->due_at, now) < 0)
    gtk_widget_add_css_class (left_widget, "overdue");
  else
    gtk_widget_remove_css_class (left_widget, "overdue");
}

/* The item shown (transfer none), or NULL before the first one. */
PayamRequestItem *
payam_request_row_get_item (PayamRequestRow *self)
{
  g_return_val_if_fail (PAYAM_IS_REQUEST_ROW (self), NULL);

  return self->item;
}
