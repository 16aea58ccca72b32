/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDescribe: the register flow's "Description" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-describe.h"

struct _PayamKioskStepDescribe
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepDescribe, payam_kiosk_step_describe, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_describe_class_init (PayamKioskStepDescribeClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Description");
}

static void
payam_kiosk_step_describe_init (PayamKioskStepDescribe *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Description")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
