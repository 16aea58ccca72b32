/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Duplicate review from the office window: confirm the chosen message's group, take the
 * message out of it, make it the lead; one key each; and the side by side review page. */
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
  /* Taking one out and choosing the lead ask why first (the crew holding the work sees
   * it). */
  if (!g_str_equal (action_name, "win.group-confirm"))
    {
      _payam_office_ask_group_change (self, g_str_equal (action_name, "win.group-split")
                                            ? PAYAM_OFFICE_GROUP_SPLIT
                                            : PAYAM_OFFICE_GROUP_LEAD, id, NULL);
      return;
    }
  ok = payam_store_confirm_group (self->store, id, &error);
  if (!ok)
    _payam_office_window_toast (self, error->message);
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
  /* The group changed though the chosen row may not have: show it again. */
  payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
}

/* V: the chosen message's group side by side, in place of the list. */
static void
review_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  PayamQueueItem *item = _payam_office_window_get_selected (self);
  const char *id = item != NULL ? payam_queue_item_get_request_id (item) : NULL;

  if (id == NULL)
    return;
  payam_office_review_show (self->review, id);
  gtk_stack_set_visible_child_name (self->content_stack, "review");
}

static void
review_close_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "list");
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
  payam_office_detail_show (self->detail, self->store, _payam_office_window_get_selected (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The review page, and its index building in the background from now on. */
void
_payam_office_groups_setup (PayamOfficeWindow *self)
{
  self->review = payam_office_review_new (self->store, self->category_names);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->review), "review");
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

  gtk_widget_class_install_action (widget_class, "win.group-review", NULL, review_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, 0, "win.group-review", NULL);
  gtk_widget_class_install_action (widget_class, "win.group-review-close", NULL,
                                   review_close_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.group-review-close", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_class_install_action (widget_class, actions[i].action, NULL, group_activated);
      gtk_widget_class_add_binding_action (widget_class, actions[i].key, 0, actions[i].action,
                                           NULL);
    }
}
