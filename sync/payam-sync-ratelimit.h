/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncRateLimit: requests per minute per client address, as token buckets. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PayamSyncRateLimit PayamSyncRateLimit;

/* @per_minute requests a minute from one address after a first @burst; 0 per minute
 * means no limit. */
PayamSyncRateLimit *payam_sync_rate_limit_new  (guint               per_minute,
                                                guint               burst);
void                payam_sync_rate_limit_free (PayamSyncRateLimit *self);
/* Whether a request from @key may go at @now_us (monotonic µs); when not, the whole
 * seconds until it may in *@retry_after. */
gboolean            payam_sync_rate_limit_take (PayamSyncRateLimit *self,
                                                const char         *key,
                                                gint64              now_us,
                                                guint              *retry_after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSyncRateLimit, payam_sync_rate_limit_free)

G_END_DECLS
