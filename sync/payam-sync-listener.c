/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncListener: accepts connections itself (libsoup 3.2's listener stops for good on
 * the first failed accept, e.g. EMFILE), caps them in all and per client address, does the
 * TLS handshake under a deadline, answers 503 when full, and hands each connection to the
 * SoupServer with deadlines for headers and bodies and an idle time-out on every wait; after
 * each answer it takes the connection back and keeps it (header_timeout at most) for the
 * next request. */
#define G_LOG_DOMAIN "payam-server"
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>

#include "payam-sync-listener.h"
#include "payam-sync-refusal.h"

#define FD_RESERVE 32          /* descriptors kept for the database, threads and logs */
#define FD_PER_CONNECTION 2
#define ACCEPT_RETRY_MS 200    /* after a failed accept (no descriptor left) */
#define REFUSAL_TIMEOUT 5      /* seconds to write a refusal and close */
#define REFUSAL_SLOTS_MAX 64   /* connections over the cap still answered 503 */
#define RETRY_AFTER_FULL 5

typedef struct _Conn Conn;

struct _PayamSyncListener
{
  GObject          parent_instance;

  SoupServer      *soup;         /* borrowed: the server owns us */
  GTlsCertificate *certificate;
  GSocket         *socket;
  GSource         *accept_source;
  GSource         *retry_source;
  PayamSyncSlots   slots;
  guint            max_total;    /* resolved max_connections */
  guint            refusal_slots;
  GHashTable      *conns;        /* peer "addr:port" → Conn */
  GHashTable      *per_address;  /* client key → GUINT count */
  gboolean         accept_failing;
  void           (*log_func) (const char *line, gpointer user_data);
  gpointer         log_data;
};

G_DEFINE_FINAL_TYPE (PayamSyncListener, payam_sync_listener, G_TYPE_OBJECT)

struct _Conn
{
  PayamSyncListener *listener;
  GSocket           *socket;     /* strong: shut down on a deadline */
  GIOStream         *tls;        /* strong until handed to libsoup or a refusal */
  GObject           *watched;    /* that stream once handed, weakly referenced */
  SoupServerMessage *msg;        /* the latest request on it: the handle to take it back */
  GSource           *deadline;
  GSource           *hello;      /* waiting for the client's first bytes (of a request) */
  char              *peer;
  char              *key;
  gboolean           handed;
  gboolean           over;       /* accepted over a cap: answered 503 */
};

static void
log_line (PayamSyncListener *self,
          const char        *what,
          const char        *key)
{
  g_autofree char *line = NULL;

  if (self->log_func == NULL)
    return;
  line = g_strdup_printf ("%s - %s", key != NULL ? key : "-", what);
  self->log_func (line, self->log_data);
}

void
payam_sync_slots_init (PayamSyncSlots *slots)
{
  slots->max_connections = 0;
  slots->max_per_address = 32;
  slots->handshake_timeout = 10;
  slots->header_timeout = 15;
  slots->body_timeout = 60;
  slots->idle_timeout = 30;
}

char *
payam_sync_client_key (GSocketAddress *address)
{
  GInetAddress *inet;
  const guint8 *bytes;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    return g_inet_address_to_string (inet);
  /* One IPv6 client holds a whole /64: count it as one address. */
  bytes = g_inet_address_to_bytes (inet);
  return g_strdup_printf ("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0], bytes[1],
                          bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
}

static char *
peer_of (GSocketAddress *address)
{
  g_autofree char *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");
  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

static guint
count_of (PayamSyncListener *self,
          const char        *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, key));
}

/* ---------------------------------------------------------------- one connection */

static void conn_stream_gone (gpointer user_data, GObject *where_the_object_was);

static void
conn_clear_deadline (Conn *conn)
{
  if (conn->deadline != NULL)
    {
      g_source_destroy (conn->deadline);
      g_clear_pointer (&conn->deadline, g_source_unref);
    }
}

static gboolean
unref_later (gpointer object)
{
  g_object_unref (object);
  return G_SOURCE_REMOVE;
}

static void msg_disconnected (SoupServerMessage *msg, Conn *conn);

/* Let go of the latest message. Its last reference goes later: this may run inside
 * libsoup's disconnection of the connection the message holds, which must not end before
 * libsoup is done with it. */
static void
conn_drop_msg (Conn *conn)
{
  if (conn->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_func (conn->msg, msg_disconnected, conn);
  g_idle_add_full (G_PRIORITY_DEFAULT, unref_later, g_steal_pointer (&conn->msg), NULL);
}

/* libsoup is done with the connection: it can no longer be taken back (libsoup 3.2.3 would
 * then count it as gone twice). */
static void
msg_disconnected (SoupServerMessage *msg,
                  Conn              *conn)
{
  conn_drop_msg (conn);
}

static void
conn_take_msg (Conn              *conn,
               SoupServerMessage *msg)
{
  if (conn->msg == msg)
    return;
  conn_drop_msg (conn);
  conn->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (msg_disconnected), conn);
}

/* Forget @conn: its slot is free again. The socket is closed by whoever holds its stream
 * (libsoup, a refusal) or here when nobody took it. */
static void
conn_free (Conn *conn)
{
  PayamSyncListener *self = conn->listener;
  guint count = count_of (self, conn->key);

  conn_clear_deadline (conn);
  if (conn->hello != NULL)
    {
      g_source_destroy (conn->hello);
      g_clear_pointer (&conn->hello, g_source_unref);
    }
  if (conn->watched != NULL)
    g_object_weak_unref (conn->watched, conn_stream_gone, conn);
  if (count > 1)
    g_hash_table_insert (self->per_address, g_strdup (conn->key), GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (self->per_address, conn->key);
  if (!conn->handed)
    {
      g_clear_object (&conn->tls);
      g_socket_close (conn->socket, NULL);
    }
  conn_drop_msg (conn);
  g_clear_object (&conn->socket);
  g_free (conn->key);
  g_free (conn->peer);
  g_free (conn);
}

static void
taken_back_closed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_object_unref (source);
}

/* Too slow or too long silent: end the connection whatever it waits for. It is taken back
 * from libsoup (which then forgets it) and closed here. */
static gboolean
conn_deadline_passed (gpointer user_data)
{
  Conn *conn = user_data;
  SoupServerMessage *msg = conn->msg != NULL ? g_object_ref (conn->msg) : NULL;
  GIOStream *stream = NULL;

  g_clear_pointer (&conn->deadline, g_source_unref);
  log_line (conn->listener, "timeout", conn->key);
  if (conn->hello != NULL)
    {
      /* Silent since it connected: nothing else holds it. */
      g_hash_table_remove (conn->listener->conns, conn->peer);
      return G_SOURCE_REMOVE;
    }
  /* Also ends a handshake under way (no GCancellable for it: each would cost a
   * descriptor while it waits). */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  conn_drop_msg (conn);
  if (conn->handed && msg != NULL)
    stream = soup_server_message_steal_connection (msg);
  /* @conn may be gone from here on. */
  if (msg != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, unref_later, msg, NULL);
  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, taken_back_closed, NULL);
  return G_SOURCE_REMOVE;
}

static void
conn_set_deadline (Conn  *conn,
                   guint  seconds)
{
  conn_clear_deadline (conn);
  if (seconds == 0)
    return;
  conn->deadline = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (conn->deadline, conn_deadline_passed, conn, NULL);
  g_source_attach (conn->deadline, NULL);
}

/* libsoup (or a refusal) let go of the TLS stream: the connection is over. */
static void
conn_stream_gone (gpointer  user_data,
                  GObject  *where_the_object_was)
{
  Conn *conn = user_data;

  conn->watched = NULL;
  g_hash_table_remove (conn->listener->conns, conn->peer);
}

/* The stream now belongs to libsoup or a refusal: the slot is freed with it. */
static void
conn_hand_over (Conn *conn)
{
  conn->handed = TRUE;
  conn->watched = G_OBJECT (conn->tls);
  g_object_weak_ref (conn->watched, conn_stream_gone, conn);
  g_clear_object (&conn->tls);
}

/* Hand the connection to libsoup. libsoup may read, answer and finish a request already
 * waiting before it returns: the connection is libsoup's (and its deadline set) first.
 * @conn may be gone on return. */
static void
conn_give_to_soup (Conn *conn)
{
  PayamSyncListener *self = conn->listener;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (conn->socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (conn->socket, NULL);
  g_autoptr(GIOStream) stream = NULL;

  if (local == NULL || remote == NULL)
    {
      g_hash_table_remove (self->conns, conn->peer);
      return;
    }
  stream = g_object_ref (conn->tls);
  conn_hand_over (conn);
  conn_set_deadline (conn, self->slots.header_timeout);
  /* On failure the stream goes with our reference, and the connection with it. */
  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
}

static Conn *
conn_for_message (PayamSyncListener *self,
                  SoupServerMessage *msg)
{
  g_autofree char *peer = peer_of (soup_server_message_get_remote_address (msg));

  return g_hash_table_lookup (self->conns, peer);
}

/* ---------------------------------------------------------------- refusals */

void
payam_sync_listener_refuse (PayamSyncListener *self,
                            SoupServerMessage *msg,
                            guint              status,
                            const char        *code,
                            const char        *message,
                            guint              retry_after)
{
  Conn *conn;
  GIOStream *stream;

  g_return_if_fail (PAYAM_IS_SYNC_LISTENER (self));

  conn = conn_for_message (self, msg);
  if (conn != NULL)
    {
      conn_set_deadline (conn, REFUSAL_TIMEOUT);
      conn_drop_msg (conn);
    }
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    payam_sync_write_refusal (stream, status, code, message, retry_after);
}

/* ---------------------------------------------------------------- handshake */

/* What a handshake under way knows of its connection: the connection (or the listener)
 * may be gone before it ends. */
typedef struct {
  GWeakRef  listener;
  char     *peer;
} Handshake;

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(PayamSyncListener) self = g_weak_ref_get (&handshake->listener);
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result,
                                                     &error);
  Conn *conn = self != NULL ? g_hash_table_lookup (self->conns, handshake->peer) : NULL;

  g_weak_ref_clear (&handshake->listener);
  g_free (handshake->peer);
  g_free (handshake);
  if (conn == NULL || conn->tls != G_IO_STREAM (source))
    return;
  if (!done)
    {
      /* Plain HTTP, an old TLS version, a client gone or too slow: nothing to answer. */
      log_line (self, "handshake failed", conn->key);
      g_hash_table_remove (self->conns, conn->peer);
      return;
    }
  if (conn->over)
    {
      /* Translators: the server has no room for another connection now. */
      payam_sync_write_refusal (g_object_ref (conn->tls), SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                     _("The server is busy; try again in a few seconds."), RETRY_AFTER_FULL);
      conn_hand_over (conn);
      conn_set_deadline (conn, REFUSAL_TIMEOUT);
      return;
    }
  conn_give_to_soup (conn);
}

static gboolean
hello_arrived (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  Handshake *handshake;

  g_clear_pointer (&conn->hello, g_source_unref);
  tcp = g_socket_connection_factory_create_connection (socket);
  conn->tls = g_tls_server_connection_new (G_IO_STREAM (tcp), conn->listener->certificate,
                                           &error);
  if (conn->tls == NULL)
    {
      g_warning ("%s", error->message);
      g_hash_table_remove (conn->listener->conns, conn->peer);
      return G_SOURCE_REMOVE;
    }
  g_object_set (conn->tls, "require-close-notify", FALSE, NULL);
  handshake = g_new0 (Handshake, 1);
  g_weak_ref_init (&handshake->listener, conn->listener);
  handshake->peer = g_strdup (conn->peer);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->tls), G_PRIORITY_DEFAULT,
                                    NULL, handshake_done, handshake);
  return G_SOURCE_REMOVE;
}

/* The client of a kept connection sends its next request (or leaves: libsoup then
 * reads the end and closes it): hand the connection to libsoup again. */
static gboolean
next_request_arrived (GSocket      *socket,
                      GIOCondition  condition,
                      gpointer      user_data)
{
  Conn *conn = user_data;

  g_clear_pointer (&conn->hello, g_source_unref);
  conn_give_to_soup (conn);
  return G_SOURCE_REMOVE;
}

/* Whether the connection of @msg may carry another request: HTTP/1.1 and neither side
 * said "Connection: close". */
static gboolean
message_keeps_alive (SoupServerMessage *msg)
{
  return soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1 &&
         !soup_message_headers_header_contains (soup_server_message_get_request_headers (msg),
                                                "Connection", "close") &&
         !soup_message_headers_header_contains (soup_server_message_get_response_headers (msg),
                                                "Connection", "close");
}

/* The answer to @msg is written: take the connection back from libsoup (which would
 * keep it only with a listener of its own, and then never closes it when the client
 * leaves between two requests: libsoup 3.2.3) and wait header_timeout at most for the
 * next request. Returns FALSE when the connection ends with this answer. */
static gboolean
conn_keep (Conn              *conn,
           SoupServerMessage *msg)
{
  GIOStream *stream;

  if (!conn->handed || conn->watched == NULL || !message_keeps_alive (msg))
    return FALSE;
  conn_drop_msg (conn);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return FALSE;
  g_object_weak_unref (conn->watched, conn_stream_gone, conn);
  conn->watched = NULL;
  conn->handed = FALSE;
  conn->tls = stream;
  conn_set_deadline (conn, conn->listener->slots.header_timeout);
  conn->hello = g_socket_create_source (conn->socket, G_IO_IN, NULL);
  g_source_set_callback (conn->hello, G_SOURCE_FUNC (next_request_arrived), conn, NULL);
  g_source_attach (conn->hello, NULL);
  return TRUE;
}

/* A new TCP connection: count it, refuse it outright past every cap, else start TLS. */
static void
take_connection (PayamSyncListener *self,
                 GSocket           *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autofree char *key = payam_sync_client_key (remote);
  guint total = g_hash_table_size (self->conns);
  guint from_key = count_of (self, key);
  gboolean over_total = total >= self->max_total;
  gboolean over_key = self->slots.max_per_address > 0 &&
                      from_key >= self->slots.max_per_address;
  Conn *conn;

  if (remote == NULL ||
      total >= self->max_total + self->refusal_slots ||
      (over_key && from_key >= self->slots.max_per_address + MIN (self->refusal_slots, 4)))
    {
      /* Not even a 503: no descriptor to spare. */
      log_line (self, "dropped", key);
      g_socket_close (socket, NULL);
      g_object_unref (socket);
      return;
    }

  conn = g_new0 (Conn, 1);
  conn->listener = self;
  conn->socket = socket;
  conn->key = g_steal_pointer (&key);
  conn->peer = peer_of (remote);
  conn->over = over_total || over_key;
  g_hash_table_insert (self->per_address, g_strdup (conn->key),
                       GUINT_TO_POINTER (from_key + 1));
  g_hash_table_replace (self->conns, conn->peer, conn);
  if (conn->over)
    log_line (self, over_total ? "full" : "full for this address", conn->key);

  g_socket_set_timeout (socket, self->slots.idle_timeout);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  conn_set_deadline (conn, self->slots.handshake_timeout);
  /* TLS costs time on this thread to set up and a worker thread while its handshake waits:
   * both only once the client has sent something, so that silent connections cost neither. */
  conn->hello = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (conn->hello, G_SOURCE_FUNC (hello_arrived), conn, NULL);
  g_source_attach (conn->hello, NULL);
}

/* ---------------------------------------------------------------- accepting */

static gboolean accept_ready (GSocket *socket, GIOCondition condition, gpointer user_data);

static void
watch_accept (PayamSyncListener *self)
{
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_ready), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static gboolean
accept_again (gpointer user_data)
{
  PayamSyncListener *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  watch_accept (self);
  return G_SOURCE_REMOVE;
}

/* Accept what waits. When accepting fails (no descriptor left: EMFILE, ENFILE, ENOBUFS),
 * stop watching for a moment and try again: the waiting clients stay in the backlog. */
static gboolean
accept_ready (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  PayamSyncListener *self = user_data;

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *client = g_socket_accept (self->socket, NULL, &error);

      if (client != NULL)
        {
          if (self->accept_failing)
            log_line (self, "accepting again", NULL);
          self->accept_failing = FALSE;
          take_connection (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (!self->accept_failing)
        {
          g_autofree char *line = g_strdup_printf ("accept failed: %s", error->message);

          log_line (self, line, NULL);
        }
      self->accept_failing = TRUE;
      g_clear_pointer (&self->accept_source, g_source_unref);
      self->retry_source = g_timeout_source_new (ACCEPT_RETRY_MS);
      g_source_set_callback (self->retry_source, accept_again, self, NULL);
      g_source_attach (self->retry_source, NULL);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- object */

static void
drop_sources (PayamSyncListener *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
}

void
payam_sync_listener_close (PayamSyncListener *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PAYAM_IS_SYNC_LISTENER (self));

  drop_sources (self);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  /* Connections still in their handshake end here; handed ones end when libsoup lets go. */
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *conn = value;

      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
    }
}

static void
payam_sync_listener_dispose (GObject *object)
{
  PayamSyncListener *self = PAYAM_SYNC_LISTENER (object);

  payam_sync_listener_close (self);
  G_OBJECT_CLASS (payam_sync_listener_parent_class)->dispose (object);
}

static void
payam_sync_listener_finalize (GObject *object)
{
  PayamSyncListener *self = PAYAM_SYNC_LISTENER (object);

  /* Streams libsoup still holds lose their weak references here. */
  g_hash_table_unref (self->conns);
  g_hash_table_unref (self->per_address);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (payam_sync_listener_parent_class)->finalize (object);
}

static void
payam_sync_listener_class_init (PayamSyncListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_sync_listener_dispose;
  object_class->finalize = payam_sync_listener_finalize;
}

static void
payam_sync_listener_init (PayamSyncListener *self)
{
  self->conns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) conn_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  payam_sync_slots_init (&self->slots);
  payam_sync_listener_set_slots (self, &self->slots);
}

PayamSyncListener *
payam_sync_listener_new (SoupServer      *soup,
                         GTlsCertificate *certificate)
{
  PayamSyncListener *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (PAYAM_TYPE_SYNC_LISTENER, NULL);
  self->soup = soup;
  self->certificate = g_object_ref (certificate);
  return self;
}

/* The cap in all: what was asked, or what the process's descriptors allow with a reserve
 * for the database, the logs and the 503 answers. */
void
payam_sync_listener_set_slots (PayamSyncListener    *self,
                               const PayamSyncSlots *slots)
{
  struct rlimit limit;
  guint64 budget = 8192;
  guint connections;

  g_return_if_fail (PAYAM_IS_SYNC_LISTENER (self));

  self->slots = *slots;
  /* A connection costs up to two descriptors (its socket, and an eventfd while TLS waits in
   * a thread); GLib aborts when it cannot make one, so the caps stay inside the limit. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    budget = limit.rlim_cur > FD_RESERVE + 8 ? limit.rlim_cur - FD_RESERVE : 8;
  connections = (guint) MIN (budget / FD_PER_CONNECTION, 8192);
  /* A quarter of them (at most REFUSAL_SLOTS_MAX) answer 503 when the rest are taken. */
  self->refusal_slots = MIN (REFUSAL_SLOTS_MAX, MAX (connections / 4, 1));
  self->max_total = connections - self->refusal_slots;
  if (slots->max_connections > 0)
    self->max_total = MIN (self->max_total, slots->max_connections);
}

void
payam_sync_listener_set_log_func (PayamSyncListener *self,
                                  void             (*func) (const char *line,
                                                            gpointer    user_data),
                                  gpointer           user_data)
{
  g_return_if_fail (PAYAM_IS_SYNC_LISTENER (self));
  self->log_func = func;
  self->log_data = user_data;
}

gboolean
payam_sync_listener_listen (PayamSyncListener  *self,
                            GSocketAddress     *address,
                            GError            **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (PAYAM_IS_SYNC_LISTENER (self), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  self->socket = g_steal_pointer (&socket);
  watch_accept (self);
  return TRUE;
}

guint
payam_sync_listener_get_port (PayamSyncListener *self)
{
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (PAYAM_IS_SYNC_LISTENER (self), 0);

  if (self->socket == NULL)
    return 0;
  address = g_socket_get_local_address (self->socket, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

void
payam_sync_listener_phase (PayamSyncListener *self,
                           SoupServerMessage *msg,
                           PayamSyncPhase     phase)
{
  Conn *conn;

  g_return_if_fail (PAYAM_IS_SYNC_LISTENER (self));

  conn = conn_for_message (self, msg);
  if (conn == NULL)
    return;
  conn_take_msg (conn, msg);
  switch (phase)
    {
    case PAYAM_SYNC_PHASE_REQUEST:
      conn_set_deadline (conn, self->slots.header_timeout);
      break;
    case PAYAM_SYNC_PHASE_HEADERS:
      conn_set_deadline (conn, self->slots.body_timeout);
      break;
    case PAYAM_SYNC_PHASE_BODY:
      conn_clear_deadline (conn);
      break;
    case PAYAM_SYNC_PHASE_WRITTEN:
      if (!conn_keep (conn, msg))
        conn_set_deadline (conn, REFUSAL_TIMEOUT);
      break;
    case PAYAM_SYNC_PHASE_DONE:
    default:
      /* libsoup closes it now (see PayamSyncPhase). */
      conn_drop_msg (conn);
      conn_set_deadline (conn, REFUSAL_TIMEOUT);
      break;
    }
}
