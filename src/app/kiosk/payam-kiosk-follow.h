/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskFollow: the kiosk page to follow a message by its tracking code. */
#pragma once

#include <gtk/gtk.h>

#include "payam-kiosk-code-entry.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_FOLLOW (payam_kiosk_follow_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskFollow, payam_kiosk_follow, PAYAM, KIOSK_FOLLOW, GtkWidget)

/* Follow a message by its tracking code in @store (and, when the kiosk is online, the
 * server): its public status, category, dates, the timeline (group-wide work included;
 * no actors, notes or reasons) and thumbnails of the completed work's photos; never a
 * phone or a name. Signal "done" (): back home. Action: follow.done. */
PayamKioskFollow    *payam_kiosk_follow_new            (PayamStore       *store);
/* The code field (borrowed), for tests. */
PayamKioskCodeEntry *payam_kiosk_follow_get_code_entry (PayamKioskFollow *self);

G_END_DECLS
