/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhere: the register flow's "Place" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_WHERE (payam_kiosk_step_where_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepWhere, payam_kiosk_step_where, PAYAM, KIOSK_STEP_WHERE, PayamKioskStep)

G_END_DECLS
