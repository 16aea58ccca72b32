/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDanger: the register flow's "Danger check" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_DANGER (payam_kiosk_step_danger_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepDanger, payam_kiosk_step_danger, PAYAM, KIOSK_STEP_DANGER, PayamKioskStep)

G_END_DECLS
