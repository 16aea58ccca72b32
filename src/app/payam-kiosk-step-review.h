/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepReview: the register flow's "Review and send" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_REVIEW (payam_kiosk_step_review_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepReview, payam_kiosk_step_review, PAYAM, KIOSK_STEP_REVIEW, PayamKioskStep)

G_END_DECLS
