/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhat: the register flow's "Category" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-what.h"

struct _PayamKioskStepWhat
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepWhat, payam_kiosk_step_what, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_what_class_init (PayamKioskStepWhatClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Category");
}

static void
payam_kiosk_step_what_init (PayamKioskStepWhat *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Category")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
