/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepSimilar: the register flow's "Similar messages" step. */
#pragma once

#include "payam-kiosk-step.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP_SIMILAR (payam_kiosk_step_similar_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskStepSimilar, payam_kiosk_step_similar, PAYAM, KIOSK_STEP_SIMILAR, PayamKioskStep)

/* Up to three duplicate candidates for the draft (payam_dup_index_suggest_for_draft), each
 * with its text (long digit runs hidden), thumbnail, age and status, and "Mine is the
 * same"; "Mine is different" clears the choice. Always complete. Entering recomputes from
 * the draft; leaving sets the draft's group id (payam_store_ensure_group of the chosen
 * request) or clears it. Candidates shown since the last enter: */
guint payam_kiosk_step_similar_get_n_candidates (PayamKioskStepSimilar *self);

G_END_DECLS
