/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Open311 route files share (issue #15). Private to the office server. */
#pragma once

#include <libsoup/soup.h>

#include "payam-open311-write.h"
#include "payam-store.h"

G_BEGIN_DECLS

typedef struct {
  PayamStore *store;
  GHashTable *keys_limit;   /* api key's name → its rate limit state (owned) */
} PayamOpen311Context;

void  payam_open311_context_free (PayamOpen311Context *context);

/* @when in W3C/ISO 8601 with the district's offset ("2026-12-07T20:18:11+03:30"); NULL for
 * NULL. Caller owns it. */
char *payam_open311_time         (GDateTime           *when);

G_END_DECLS
