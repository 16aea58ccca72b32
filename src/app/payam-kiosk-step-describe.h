/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDescribe: the register flow's "Description" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_DESCRIBE (payam_kiosk_step_describe_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepDescribe, payam_kiosk_step_describe, PAYAM, KIOSK_STEP_DESCRIBE, PayamKioskStep)

G_END_DECLS
