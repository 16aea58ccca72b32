/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepSimilar: the register flow's "Similar messages" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_SIMILAR (payam_kiosk_step_similar_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepSimilar, payam_kiosk_step_similar, PAYAM, KIOSK_STEP_SIMILAR, PayamKioskStep)

G_END_DECLS
