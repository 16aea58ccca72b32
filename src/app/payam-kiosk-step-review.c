/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepReview: the register flow's "Review and send" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-review.h"

struct _PayamKioskStepReview
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepReview, payam_kiosk_step_review, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_review_class_init (PayamKioskStepReviewClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Review and send");
}

static void
payam_kiosk_step_review_init (PayamKioskStepReview *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Review and send")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
