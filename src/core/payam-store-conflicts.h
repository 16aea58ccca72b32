/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's decisions on conflict rows (DESIGN §6: conflicts stay visible). */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Close conflict @conflict_id keeping the value the store holds: resolved_at and
 * resolved_by (the store's actor, the signed-in member) are set and an audit row written,
 * in one transaction. NOT_FOUND for an unknown conflict; INVALID with a translated
 * message naming who decided it and when, when it was decided already. */
gboolean payam_store_resolve_conflict (PayamStore  *self,
                                       const char  *conflict_id,
                                       GError     **error);

G_END_DECLS
