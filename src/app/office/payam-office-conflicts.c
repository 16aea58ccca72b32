/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conflicts from the office window: K keeps the value the store holds and closes the row
 * under the signed-in member. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-office-window-private.h"
#include "payam-queue-item.h"
#include "payam-store-conflicts.h"

static void
keep_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueueItem *item = _payam_office_window_get_selected (self);
  g_autoptr(GError) error = NULL;

  if (item == NULL || payam_queue_item_get_conflict_kind (item) == NULL)
    return;
  /* Someone may have decided it on another device meanwhile: the message says who. */
  if (!payam_store_resolve_conflict (self->store, payam_queue_item_get_id (item), &error))
    _payam_office_window_toast (self, error->message);
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
}

void
_payam_office_conflicts_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.conflict-keep", NULL, keep_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.conflict-keep", NULL);
}
