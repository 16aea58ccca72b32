/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewSignin: a crew member picks their name and types their PIN on screen. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CREW_SIGNIN (payam_crew_signin_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewSignin, payam_crew_signin, PAYAM, CREW_SIGNIN, GtkBox)

/* Show the members of @crew_id from @store (a reference is kept) and clear the PIN. On
 * success the widget emits "signed-in" (const char *name). Wrong PINs and locks show a
 * Persian message under the PIN. */
void payam_crew_signin_set_crew (PayamCrewSignin *self,
                                 PayamStore      *store,
                                 const char      *crew_id);
/* Forget the typed PIN and any message (after a lock). */
void payam_crew_signin_reset    (PayamCrewSignin *self);

G_END_DECLS
