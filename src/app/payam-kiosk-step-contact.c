/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepContact: the register flow's "Contact" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-contact.h"

struct _PayamKioskStepContact
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepContact, payam_kiosk_step_contact, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_contact_class_init (PayamKioskStepContactClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Contact");
}

static void
payam_kiosk_step_contact_init (PayamKioskStepContact *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Contact")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
