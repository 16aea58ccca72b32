/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepSimilar: the register flow's "Similar messages" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-similar.h"

struct _PayamKioskStepSimilar
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepSimilar, payam_kiosk_step_similar, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_similar_class_init (PayamKioskStepSimilarClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Similar messages");
}

static void
payam_kiosk_step_similar_init (PayamKioskStepSimilar *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Similar messages")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
