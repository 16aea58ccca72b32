/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhere: the register flow's "Place" step (placeholder until written). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-where.h"

struct _PayamKioskStepWhere
{
  PayamKioskStep parent_instance;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepWhere, payam_kiosk_step_where, PAYAM_TYPE_KIOSK_STEP)

static void
payam_kiosk_step_where_class_init (PayamKioskStepWhereClass *klass)
{
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  step_class->title = N_("Place");
}

static void
payam_kiosk_step_where_init (PayamKioskStepWhere *self)
{
  gtk_widget_set_parent (gtk_label_new (_("Place")), GTK_WIDGET (self));
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
