/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepReview: the register flow's "Review and send" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_REVIEW (payam_kiosk_step_review_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepReview, payam_kiosk_step_review, PAYAM, KIOSK_STEP_REVIEW, PayamKioskStep)

/* The last step: every field of the draft (category, place, text, photos with thumbnails,
 * danger answers and the priority, joined group, masked phone, name), each with an "Edit"
 * button that jumps back to its step (payam_kiosk_register_go_to on the register above),
 * and the expected response from the category's deadline rule. Always complete: the
 * register's Next ("Send the message") sends the draft. */

G_END_DECLS
