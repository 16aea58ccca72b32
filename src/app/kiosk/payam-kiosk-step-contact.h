/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepContact: the register flow's "Contact" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_CONTACT (payam_kiosk_step_contact_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepContact, payam_kiosk_step_contact, PAYAM, KIOSK_STEP_CONTACT, PayamKioskStep)

/* The contact step: an optional mobile number (a number field, left to right, Persian or
 * Latin digits) and name, with the privacy notice and, while the number is empty, a note
 * that feedback then needs the tracking code. Always complete; Next with a number that is
 * not a valid mobile stays on the step with the error shown under the field. Leaving
 * writes the normalised number ("09…", or NULL when skipped) and the name to the draft. */

/* @input as a national mobile number "09…" (caller owns it), or NULL with a translated
 * PAYAM_PHONE_ERROR saying what is wrong (too short or long, a stray character, not a
 * mobile number starting with 09). */
char *payam_kiosk_contact_check_phone (const char  *input,
                                       GError     **error);

G_END_DECLS
