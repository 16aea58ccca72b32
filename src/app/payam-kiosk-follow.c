/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskFollow: the kiosk page to follow a message by its tracking code (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-follow.h"

struct _PayamKioskFollow
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore *store;
};

G_DEFINE_FINAL_TYPE (PayamKioskFollow, payam_kiosk_follow, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
done_clicked (PayamKioskFollow *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

static void
payam_kiosk_follow_dispose (GObject *object)
{
  PayamKioskFollow *self = PAYAM_KIOSK_FOLLOW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_kiosk_follow_parent_class)->dispose (object);
}

static void
payam_kiosk_follow_class_init (PayamKioskFollowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_kiosk_follow_dispose;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_follow_init (PayamKioskFollow *self)
{
  GtkWidget *button = gtk_button_new_with_label (_("Back to the start"));

  g_signal_connect_swapped (button, "clicked", G_CALLBACK (done_clicked), self);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
}

PayamKioskFollow *
payam_kiosk_follow_new (PayamStore *store)
{
  PayamKioskFollow *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_FOLLOW, NULL);
  self->store = g_object_ref (store);

  return self;
}
