/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhat: the register flow's "Category" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_WHAT (payam_kiosk_step_what_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepWhat, payam_kiosk_step_what, PAYAM, KIOSK_STEP_WHAT, PayamKioskStep)

G_END_DECLS
