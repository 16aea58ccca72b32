/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One full sync round of a device: push the outbox, send photo bytes, pull, fetch photos. */
#pragma once

#include "payam-sync-client.h"

G_BEGIN_DECLS

/* What moved in one round. */
typedef struct {
  guint ops_pushed;      /* outbox ops the server acknowledged */
  guint ops_rejected;    /* of those, refused by the server (role, validation) */
  guint blobs_sent;      /* photos whose bytes were uploaded (in part or whole) */
  guint blobs_skipped;   /* photos the server would not take (their record was refused) */
  guint ops_pulled;      /* ops received and applied */
  guint blobs_received;  /* photos downloaded */
} PayamSyncRoundCounts;

/* Acknowledge @response, the server's reply to a push of @store's outbox
 * (payam_store_sync_ack): refused ops move to the refused list with their reason, the
 * acknowledged ones leave the outbox. */
gboolean payam_sync_ack_response (PayamStore                  *store,
                                  const PayamSyncPushResponse *response,
                                  GError                     **error);

/* Ops in one push. */
#define PAYAM_SYNC_ROUND_BATCH 500

/* Run one round for @store's device through @client: push the outbox in batches (each
 * acknowledged as soon as its reply arrives), upload the bytes of every local photo the
 * server has not confirmed (after the push, so their records are there), pull pages until
 * there are no more (each page and the cursor in one transaction), then, unless this is a
 * kiosk, download the bytes of pulled photos it may read. @counts (zeroed first) says what
 * moved, also on error for what moved before it. A repeated round moves nothing. Errors
 * are the client's (NETWORK, TLS, UNAUTHORIZED, REFUSED, …) or the store's. */
gboolean payam_sync_round (PayamSyncClient       *client,
                           PayamStore            *store,
                           PayamSyncRoundCounts  *counts,
                           GCancellable          *cancellable,
                           GError               **error);

/* Called on the round's thread while photos upload: @done of the @total bytes this round
 * sends (0 of @total before the first, then after each photo; never when none is sent). */
typedef void (*PayamSyncProgressFunc) (guint64  done,
                                       guint64  total,
                                       gpointer user_data);

/* payam_sync_round() that also reports upload progress to @progress (may be NULL). */
gboolean payam_sync_round_with_progress (PayamSyncClient       *client,
                                         PayamStore            *store,
                                         PayamSyncRoundCounts  *counts,
                                         PayamSyncProgressFunc  progress,
                                         gpointer               progress_data,
                                         GCancellable          *cancellable,
                                         GError               **error);

G_END_DECLS
