/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskWindow: the citizen's full-screen welcome screen. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-category-card.h"
#include "payam-format.h"
#include "payam-kiosk-draft.h"
#include "payam-kiosk-follow.h"
#include "payam-kiosk-rate.h"
#include "payam-kiosk-receipt.h"
#include "payam-kiosk-register.h"
#include "payam-kiosk-window.h"

/* The municipal hotline number, shown through the number formatter. */
#define PAYAM_HOTLINE 137

struct _PayamKioskWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore *store;

  /* template children (borrowed) */
  AdwToastOverlay *toast_overlay;
  GtkStack *pages;
  GtkLabel *subtitle_label;
  GtkLabel *notice_label;
  GtkFlowBox *category_box;
  GtkLabel *empty_label;
};

G_DEFINE_FINAL_TYPE (PayamKioskWindow, payam_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

/* Drop the page of the citizen's visit, if any, and show home. The page is destroyed,
 * not hidden, so nothing the citizen entered stays in a widget. */
static void
go_home (PayamKioskWindow *self)
{
  GtkWidget *visit = gtk_stack_get_child_by_name (self->pages, "visit");

  gtk_stack_set_visible_child_name (self->pages, "home");
  if (visit != NULL)
    gtk_stack_remove (self->pages, visit);
}

static gboolean
page_is_register (GtkWidget *page)
{
  return PAYAM_IS_KIOSK_REGISTER (page);
}

/* Show @page as the visit's page, replacing the one before. */
static void
show_visit (PayamKioskWindow *self,
            GtkWidget        *page)
{
  GtkWidget *visit = gtk_stack_get_child_by_name (self->pages, "visit");

  if (visit != NULL)
    {
      gtk_stack_set_visible_child_name (self->pages, "home");
      gtk_stack_remove (self->pages, visit);
    }
  g_signal_connect_object (page, page_is_register (page) ? "cancelled" : "done",
                           G_CALLBACK (go_home), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->pages, page, "visit");
  gtk_stack_set_visible_child (self->pages, page);
}

static void
message_sent (PayamKioskWindow *self,
              const char       *request_id)
{
  show_visit (self, GTK_WIDGET (payam_kiosk_receipt_new (self->store, request_id)));
}

static void
register_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);
  g_autoptr(PayamKioskDraft) draft = payam_kiosk_draft_new ();
  PayamKioskRegister *flow = payam_kiosk_register_new (self->store, draft);

  g_signal_connect_object (flow, "sent", G_CALLBACK (message_sent), self, G_CONNECT_SWAPPED);
  show_visit (self, GTK_WIDGET (flow));
}

static void
follow_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);

  show_visit (self, GTK_WIDGET (payam_kiosk_follow_new (self->store)));
}

static void
rate_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);

  show_visit (self, GTK_WIDGET (payam_kiosk_rate_new (self->store)));
}

static void
payam_kiosk_window_dispose (GObject *object)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_kiosk_window_parent_class)->dispose (object);
}

static void
payam_kiosk_window_class_init (PayamKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, category_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, empty_label);

  gtk_widget_class_install_action (widget_class, "win.register", NULL, register_activated);
  gtk_widget_class_install_action (widget_class, "win.follow", NULL, follow_activated);
  gtk_widget_class_install_action (widget_class, "win.rate", NULL, rate_activated);
}

static void
payam_kiosk_window_init (PayamKioskWindow *self)
{
  g_autofree char *hotline = payam_format_integer (PAYAM_HOTLINE);
  g_autofree char *subtitle = NULL;
  g_autofree char *notice = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: %s is the hotline number (137) in Persian digits. */
  subtitle = g_strdup_printf (_("Messages to the municipality, hotline %s"), hotline);
  gtk_label_set_label (self->subtitle_label, subtitle);

  /* Translators: %s is the hotline number (137) in Persian digits. */
  notice = g_strdup_printf (_("Messages registered here reach the municipality even when the "
                              "kiosk is offline. To talk to someone, call %s."),
                            hotline);
  gtk_label_set_label (self->notice_label, notice);
}

/* Show the categories of the window's store as cards. On error the cards shown before stay
 * and FALSE is returned with @error set. */
gboolean
payam_kiosk_window_reload (PayamKioskWindow  *self,
                           GError           **error)
{
  g_autoptr(GPtrArray) categories = NULL;
  GtkWidget *child;

  g_return_val_if_fail (PAYAM_IS_KIOSK_WINDOW (self), FALSE);

  categories = payam_store_list_categories (self->store, error);
  if (categories == NULL)
    return FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_box))) != NULL)
    gtk_flow_box_remove (self->category_box, child);

  for (guint i = 0; i < categories->len; i++)
    gtk_flow_box_append (self->category_box,
                         payam_category_card_new (g_ptr_array_index (categories, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->category_box), categories->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), categories->len == 0);

  return TRUE;
}

/* A kiosk window for @application showing @store (a reference is kept). It is full screen,
 * without decorations or a close button. A failure to read the store shows as a toast. */
PayamKioskWindow *
payam_kiosk_window_new (GtkApplication *application,
                        PayamStore     *store)
{
  PayamKioskWindow *self;
  g_autoptr(GError) error = NULL;
  GListModel *monitors;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);

  if (!payam_kiosk_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));

  /* Sized to the screen first, so that a kiosk session without a window manager (which
   * would ignore the fullscreen request) still shows the whole screen. Not resizable, so
   * GTK keeps no resize border around it. */
  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  if (g_list_model_get_n_items (monitors) > 0)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      gtk_widget_set_size_request (GTK_WIDGET (self), geometry.width, geometry.height);
    }
  gtk_window_fullscreen (GTK_WINDOW (self));

  return self;
}
