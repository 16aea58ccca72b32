/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskRegister: the kiosk's seven register steps, one per screen, with progress. */
#pragma once

#include <gtk/gtk.h>

#include "payam-kiosk-draft.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_REGISTER (payam_kiosk_register_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskRegister, payam_kiosk_register, PAYAM, KIOSK_REGISTER, GtkWidget)

/* The register flow for a new citizen's @draft in @store (references kept). Signals:
 *   "cancelled" ()             the citizen confirmed leaving: Cancel always asks first,
 *               Back from the first step once a category was chosen
 *               (one confirmation with large buttons over the flow)
 *   "sent"      (const PayamRequest *) the message was saved: the stored request,
 *               borrowed for the emission
 * Actions: register.next, register.back, register.cancel, and the confirmation's two
 * answers register.keep and register.discard. A step with nothing to ask (skip) is passed
 * over in the direction of travel. */
PayamKioskRegister *payam_kiosk_register_new          (PayamStore         *store,
                                                       PayamKioskDraft    *draft);
/* The draft the flow fills (borrowed). */
PayamKioskDraft    *payam_kiosk_register_get_draft    (PayamKioskRegister *self);
/* 0-based index of the visible step, and how many there are. */
guint               payam_kiosk_register_get_position (PayamKioskRegister *self);
guint               payam_kiosk_register_get_n_steps  (PayamKioskRegister *self);
/* Show step @index (0-based) as Back would, without leaving the current one: the review
 * step's "edit" buttons jump back with it. An index past the last step is ignored. */
void                payam_kiosk_register_go_to        (PayamKioskRegister *self,
                                                       guint               index);

G_END_DECLS
