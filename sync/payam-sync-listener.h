/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncListener: the office server's sockets: accepting, TLS, slots and time-outs. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define PAYAM_TYPE_SYNC_LISTENER (payam_sync_listener_get_type ())
G_DECLARE_FINAL_TYPE (PayamSyncListener, payam_sync_listener, PAYAM, SYNC_LISTENER, GObject)

/* The GnuTLS priority every connection of this process uses: TLS 1.2 and 1.3 only. */
#define PAYAM_TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* How many connections and for how long. Zero for a count means "no cap" (max_per_address)
 * or "from the process's file limit" (max_connections). */
typedef struct {
  guint max_connections;    /* served at once, in all */
  guint max_per_address;    /* served at once from one client address (IPv6: its /64) */
  guint handshake_timeout;  /* seconds from accept to the end of the TLS handshake */
  guint header_timeout;     /* seconds from the start of a request (or of waiting for the
                             * next one on a kept connection) to its last header */
  guint body_timeout;       /* seconds from the last header to the last byte of the body */
  guint idle_timeout;       /* seconds any single read or write may wait */
} PayamSyncSlots;

/* The defaults: 0 (from RLIMIT_NOFILE), 32, 10 s, 15 s, 60 s, 30 s. */
void               payam_sync_slots_init            (PayamSyncSlots     *slots);

/* A listener handing each connection, once its TLS handshake is done, to @soup. */
PayamSyncListener *payam_sync_listener_new          (SoupServer         *soup,
                                                     GTlsCertificate    *certificate);
void               payam_sync_listener_set_slots    (PayamSyncListener  *self,
                                                     const PayamSyncSlots *slots);
/* Where one line per refused or timed-out connection goes (NULL: nowhere). */
void               payam_sync_listener_set_log_func (PayamSyncListener  *self,
                                                     void (*func) (const char *line,
                                                                   gpointer    user_data),
                                                     gpointer            user_data);
/* Listen on @address (a GInetSocketAddress; port 0 picks one). */
gboolean           payam_sync_listener_listen       (PayamSyncListener  *self,
                                                     GSocketAddress     *address,
                                                     GError            **error);
guint              payam_sync_listener_get_port     (PayamSyncListener  *self);
/* Stop listening and close every connection not yet handed over. */
void               payam_sync_listener_close        (PayamSyncListener  *self);

/* The phases of a request on a handed-over connection, which move its deadline:
 * REQUEST (started: header_timeout), HEADERS (body_timeout), BODY (none but
 * idle_timeout while the answer is made and written), WRITTEN (the answer is written,
 * from "wrote-body": unless either side said "Connection: close", the listener takes the
 * connection back, which then never reaches libsoup's "request-finished", and waits
 * header_timeout at most for the next request, handing it to libsoup again when it
 * comes; libsoup 3.2.3 itself keeps a connection only with a listener of its own, and
 * then never closes it when its client leaves between two requests, nor lets it be
 * taken back), DONE (finished or aborted in libsoup, which closes the connection). */
typedef enum {
  PAYAM_SYNC_PHASE_REQUEST,
  PAYAM_SYNC_PHASE_HEADERS,
  PAYAM_SYNC_PHASE_BODY,
  PAYAM_SYNC_PHASE_WRITTEN,
  PAYAM_SYNC_PHASE_DONE,
} PayamSyncPhase;

void               payam_sync_listener_phase        (PayamSyncListener  *self,
                                                     SoupServerMessage  *msg,
                                                     PayamSyncPhase      phase);

/* Answer @msg now with @status and the JSON error {@code, @message} (Retry-After:
 * @retry_after when not 0), without reading anything more of it, and close its connection. */
void               payam_sync_listener_refuse       (PayamSyncListener  *self,
                                                     SoupServerMessage  *msg,
                                                     guint               status,
                                                     const char         *code,
                                                     const char         *message,
                                                     guint               retry_after);

/* The client address @msg came from as text (IPv6 reduced to its /64), for per-address
 * limits. Caller owns it. */
char              *payam_sync_client_key            (GSocketAddress     *address);

G_END_DECLS
