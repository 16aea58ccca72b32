/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncService: the app's background sync with the office server and what it shows. */
#pragma once

#include <gio/gio.h>

#include "payam-store.h"
#include "payam-sync-codec.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_SYNC_SERVICE (payam_sync_service_get_type ())

G_DECLARE_FINAL_TYPE (PayamSyncService, payam_sync_service, PAYAM, SYNC_SERVICE, GObject)

/* What the service is doing. */
typedef enum {
  PAYAM_SYNC_STATE_NOT_ENROLLED, /*< nick=not-enrolled >*/ /* the device has no server yet */
  PAYAM_SYNC_STATE_IDLE,         /*< nick=idle >*/         /* the last round succeeded */
  PAYAM_SYNC_STATE_SYNCING,      /*< nick=syncing >*/      /* a round is running */
  PAYAM_SYNC_STATE_OFFLINE,      /*< nick=offline >*/      /* the server cannot be reached; retrying */
  PAYAM_SYNC_STATE_FAILED,       /*< nick=failed >*/       /* refused (credential revoked, TLS pin) */
} PayamSyncState;

/* When rounds run; every delay in milliseconds. Tests shorten them. */
typedef struct {
  guint first_ms;      /* after start (default 1 s) */
  guint debounce_ms;   /* after the first of a burst of local changes (default 3 s) */
  guint period_ms;     /* between rounds while all is well (default 3 min) */
  guint retry_min_ms;  /* the first retry after a failure, doubled after each (default 5 s) */
  guint retry_max_ms;  /* the cap of the retry delay (default 5 min) */
} PayamSyncTiming;

/* The background sync of @store's device (a reference is kept). Rounds run one at a time
 * in a worker thread with their own store connection and client, never on the main loop:
 * one soon after start, after each local change (debounced), every few minutes, and after
 * a failure with exponential backoff (capped). Nothing runs for a device that is not
 * enrolled (state not-enrolled). Properties, all read-only and notified on the main
 * thread:
 *   "state"            PayamSyncState
 *   "online"           gboolean   the last round reached the server
 *   "last-sync"        GDateTime* time of the last successful round, NULL before any
 *   "waiting-ops"      gint64     ops in the outbox
 *   "waiting-photos"   guint      local photos whose bytes the server does not hold yet
 *   "upload-fraction"  double     0 … 1 while photos upload in a round, else 0
 *   "message"          char*      a translated sentence for the last failure, NULL when fine
 * Signal "round-finished" (gboolean moved), on the main thread after each round that was
 * not cancelled, once the properties are up to date: @moved says whether anything was sent
 * or received (windows then read the store again). */
PayamSyncService *payam_sync_service_new            (PayamStore          *store);
void              payam_sync_service_start          (PayamSyncService    *self);
/* Stop scheduling rounds and cancel a running one; returns once its thread has ended
 * (iterating the thread-default main context meanwhile). */
void              payam_sync_service_stop           (PayamSyncService    *self);
/* Run a round as soon as possible (the action app.sync-now). */
void              payam_sync_service_sync_now       (PayamSyncService    *self);

PayamSyncState    payam_sync_service_get_state      (PayamSyncService    *self);
gboolean          payam_sync_service_get_online     (PayamSyncService    *self);
GDateTime        *payam_sync_service_get_last_sync  (PayamSyncService    *self);
gint64            payam_sync_service_get_waiting_ops (PayamSyncService   *self);
guint             payam_sync_service_get_waiting_photos (PayamSyncService *self);
double            payam_sync_service_get_upload_fraction (PayamSyncService *self);
const char       *payam_sync_service_get_message    (PayamSyncService    *self);
/* The delay before the retry that is scheduled after the last failure, 0 when the last
 * round succeeded. */
guint             payam_sync_service_get_retry_delay (PayamSyncService   *self);

/* Replace the delays (for tests); takes effect from the next scheduled round. */
void              payam_sync_service_set_timing     (PayamSyncService    *self,
                                                     const PayamSyncTiming *timing);
/* The clock that stamps "last-sync"; NULL means the real clock. For tests. */
void              payam_sync_service_set_now_func   (PayamSyncService    *self,
                                                     GDateTime        *(*now) (gpointer),
                                                     gpointer             user_data);

/* The public status of the request with tracking @code from the server (GET /v1/track/CODE),
 * for a kiosk asked about a message it does not hold. Finishes with the decoded reply
 * (caller owns it), or NULL with the client's error: PAYAM_SYNC_ERROR_REFUSED (status 404)
 * for a code the server does not know, NETWORK when offline or when the device is not
 * enrolled. */
void              payam_sync_service_track_async    (PayamSyncService    *self,
                                                     const char          *code,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PayamSyncTrackReply *payam_sync_service_track_finish  (PayamSyncService    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
