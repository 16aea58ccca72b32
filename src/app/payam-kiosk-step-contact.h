/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepContact: the register flow's "Contact" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_CONTACT (payam_kiosk_step_contact_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepContact, payam_kiosk_step_contact, PAYAM, KIOSK_STEP_CONTACT, PayamKioskStep)

G_END_DECLS
