/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Duplicate review from the office window: confirm the chosen message's group, take the
 * message out of it, make it the lead; one key each. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"


#include "payam-office-window-private.h"
#include "payam-queue-item.h"
#include "payam-store-groups.h"

static void
group_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueueItem *item = _payam_office_window_get_selected (self);
  const char *id = item != NULL ? payam_queue_item_get_request_id (item) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (id == NULL)
    return;
  if (g_str_equal (action_name, "win.group-confirm"))
    ok = payam_store_confirm_group (self->store, id, &error);
  else if (g_str_equal (action_name, "win.group-split"))
    ok = payam_store_split (self->store, id, &error);
  else
    ok = payam_store_set_group_lead (self->store, id, &error);
  if (!ok)
    _payam_office_window_toast (self, error->message);
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
  /* The group changed though the chosen row may not have: show it again. */
  payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
}

void
_payam_office_groups_class_init (GtkWidgetClass *widget_class)
{
  static const struct {
    const char *action;
    guint       key;
  } actions[] = {
    { "win.group-confirm", GDK_KEY_g },
    { "win.group-split", GDK_KEY_s },
    { "win.group-lead", GDK_KEY_l },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_class_install_action (widget_class, actions[i].action, NULL, group_activated);
      gtk_widget_class_add_binding_action (widget_class, actions[i].key, 0, actions[i].action,
                                           NULL);
    }
}
