/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskReceipt: the kiosk page to the receipt shown after sending: tracking code, QR, expected response time, print (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-receipt.h"

struct _PayamKioskReceipt
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore *store;
  char       *request_id;
};

G_DEFINE_FINAL_TYPE (PayamKioskReceipt, payam_kiosk_receipt, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
done_clicked (PayamKioskReceipt *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

static void
payam_kiosk_receipt_dispose (GObject *object)
{
  PayamKioskReceipt *self = PAYAM_KIOSK_RECEIPT (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->request_id, g_free);

  G_OBJECT_CLASS (payam_kiosk_receipt_parent_class)->dispose (object);
}

static void
payam_kiosk_receipt_class_init (PayamKioskReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_kiosk_receipt_dispose;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_receipt_init (PayamKioskReceipt *self)
{
  GtkWidget *button = gtk_button_new_with_label (_("Back to the start"));

  g_signal_connect_swapped (button, "clicked", G_CALLBACK (done_clicked), self);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
}

PayamKioskReceipt *
payam_kiosk_receipt_new (PayamStore *store,
                         const char *request_id)
{
  PayamKioskReceipt *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_RECEIPT, NULL);
  self->store = g_object_ref (store);
  self->request_id = g_strdup (request_id);

  return self;
}
