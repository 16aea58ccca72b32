/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDanger: the register flow's "Danger check" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-danger.h"

struct _PayamKioskStepDanger
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepDanger, payam_kiosk_step_danger, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_danger_class_init (PayamKioskStepDangerClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Danger check");
}

static void
payam_kiosk_step_danger_init (PayamKioskStepDanger *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Danger check")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
