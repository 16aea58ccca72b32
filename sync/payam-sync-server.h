/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncServer: the office server's HTTPS routes on a libsoup SoupServer. */
#pragma once

#include <gio/gio.h>

#include "payam-store.h"
#include "payam-sync-listener.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_SYNC_SERVER (payam_sync_server_get_type ())
G_DECLARE_FINAL_TYPE (PayamSyncServer, payam_sync_server, PAYAM, SYNC_SERVER, GObject)

/* One line per finished request: device id (or "-"), method and route, status, time. */
typedef void (*PayamSyncLogFunc) (const char *line,
                                  gpointer    user_data);

/* Milliseconds since the Unix epoch: the server's clock for stamps and drift checks. */
typedef gint64 (*PayamSyncClockFunc) (gpointer user_data);

/* A server answering from @store (kept referenced) over TLS with @certificate, giving
 * @office_public_key (base64) to enrolled devices. Listens nowhere until told. */
PayamSyncServer *payam_sync_server_new            (PayamStore        *store,
                                                   GTlsCertificate   *certificate,
                                                   const char        *office_public_key);
/* Listen with HTTPS on @address only. */
gboolean         payam_sync_server_listen         (PayamSyncServer   *self,
                                                   GSocketAddress    *address,
                                                   GError           **error);
/* Listen with HTTPS on 127.0.0.1:@port (0 picks a free port; see get_port). */
gboolean         payam_sync_server_listen_local   (PayamSyncServer   *self,
                                                   guint              port,
                                                   GError           **error);
/* The first port listened on, 0 before listening. */
guint            payam_sync_server_get_port       (PayamSyncServer   *self);
/* Stop listening and close every connection. */
void             payam_sync_server_disconnect     (PayamSyncServer   *self);
/* Largest request body accepted (413 beyond); PAYAM_SYNC_MAX_BODY by default. */
void             payam_sync_server_set_max_body   (PayamSyncServer   *self,
                                                   gsize              max_body);
/* Connection caps and time-outs (payam_sync_slots_init's defaults until set). */
void             payam_sync_server_set_slots      (PayamSyncServer   *self,
                                                   const PayamSyncSlots *slots);

typedef enum {
  PAYAM_SYNC_ROUTE_TRACK,
  PAYAM_SYNC_ROUTE_ENROL,
  PAYAM_SYNC_ROUTE_OPEN311,   /* its GET answers and photos */
} PayamSyncRoute;

/* At most @per_minute requests a minute to @route from one client address after a first
 * @burst (429 beyond); 0 per minute: no limit (the default but for Open311, whose default
 * is PAYAM_OPEN311_READ_PER_MINUTE after PAYAM_OPEN311_READ_BURST). */
void             payam_sync_server_set_rate       (PayamSyncServer   *self,
                                                   PayamSyncRoute     route,
                                                   guint              per_minute,
                                                   guint              burst);
/* The Open311 jurisdiction_id of the district (payam_open311_jurisdiction_valid()). */
void             payam_sync_server_set_jurisdiction (PayamSyncServer *self,
                                                     const char      *id);
/* Count a request from a loopback peer (a proxy on this host) against the last address of
 * its X-Forwarded-For. */
void             payam_sync_server_set_trust_forwarded (PayamSyncServer *self,
                                                        gboolean         trust);
void             payam_sync_server_set_log_func   (PayamSyncServer   *self,
                                                   PayamSyncLogFunc   func,
                                                   gpointer           user_data);

/* Pushes are taken in groups, one transaction and one commit for every push decoded
 * meanwhile. While @hold is TRUE they wait (decoded, unanswered, nothing applied) and the
 * next group takes them all once it is FALSE again: for tests of group commit. */
void             payam_sync_server_hold_pushes    (PayamSyncServer   *self,
                                                   gboolean           hold);
/* How many pushes are decoded and wait for their group's commit. */
guint            payam_sync_server_count_waiting  (PayamSyncServer   *self);

/* The clock used for pushes and pulls; NULL means the real clock. For tests. */
void             payam_sync_server_set_clock      (PayamSyncServer   *self,
                                                   PayamSyncClockFunc func,
                                                   gpointer           user_data);

G_END_DECLS
