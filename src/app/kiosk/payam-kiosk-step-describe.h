/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDescribe: register step 3, the citizen's words with live hints, and photos. */
#pragma once

#include "payam-camera.h"
#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_DESCRIBE (payam_kiosk_step_describe_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepDescribe, payam_kiosk_step_describe, PAYAM, KIOSK_STEP_DESCRIBE, PayamKioskStep)

/* The step's camera (for tests and screenshots). */
PayamCamera *payam_kiosk_step_describe_get_camera (PayamKioskStepDescribe *self);

G_END_DECLS
