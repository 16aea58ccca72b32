/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync: push and pull speed, bytes on the wire per op and convergence time of devices
 * enrolled with one-time codes, against the office server on 127.0.0.1 over HTTPS: in this
 * process, or (--server) payam-server as its own process for the convergence run. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "payam-store-devices.h"
#include "payam-store-sync.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-server.h"
#include "payam-sync-round.h"

/* ---------------------------------------------------------------- options */

static int opt_ops = 20000;         /* field ops pushed and pulled for the speed figures */
static int opt_batch = 500;         /* ops per push, changes per pull page */
static int opt_requests = 100;      /* requests the pushing device creates first */
static int opt_devices = 150;       /* devices of the convergence run */
static int opt_edits = 200;         /* offline edits per device */
static int opt_rows = 50;           /* shared requests the devices edit */
static int opt_threads = 1;         /* client threads of the convergence run */
static int opt_time_limit = 600;    /* seconds before the bench stops itself */
static char *opt_keep = NULL;       /* keep the work files in this new directory */
static gboolean opt_show = FALSE;   /* show the start of one push and one pull body */
static gboolean opt_normal = FALSE; /* the server commits with synchronous=NORMAL (the old way) */
static char *opt_server = NULL;     /* payam-server to run the convergence against */

static GOptionEntry entries[] = {
  { "ops", 0, 0, G_OPTION_ARG_INT, &opt_ops, "Field ops pushed and pulled", "N" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "Ops per push and per pull page", "N" },
  { "requests", 0, 0, G_OPTION_ARG_INT, &opt_requests, "Requests created before the edits", "N" },
  { "devices", 0, 0, G_OPTION_ARG_INT, &opt_devices, "Devices that converge", "N" },
  { "edits", 0, 0, G_OPTION_ARG_INT, &opt_edits, "Offline edits per device", "N" },
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, "Shared requests the devices edit", "N" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "Client threads for convergence", "N" },
  { "time-limit", 0, 0, G_OPTION_ARG_INT, &opt_time_limit, "Stop after this many seconds", "S" },
  { "show-bodies", 0, 0, G_OPTION_ARG_NONE, &opt_show, "Show the start of measured bodies", NULL },
  { "synchronous-normal", 0, 0, G_OPTION_ARG_NONE, &opt_normal,
    "The server commits with synchronous=NORMAL instead of FULL (to compare)", NULL },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &opt_keep, "Work in this directory and keep it", "DIR" },
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server,
    "Converge against this payam-server (its own process) rather than in-process", "PATH" },
  { NULL }
};

/* The payam-server this bench started, ended with it whatever way it stops. */
static GSubprocess *spawned;

static G_NORETURN void
die (const char *what,
     GError     *error)
{
  if (spawned != NULL)
    g_subprocess_force_exit (spawned);
  g_printerr ("bench-sync: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Exchanges that failed on the network and were made again, as a device's next round
 * would (atomic). */
static gint network_retries;

/* Whether to make a failed exchange again: @error is the network's (the server, busy with
 * a crowd, cut or never finished the connection) and this was attempt @attempt of at most
 * six; then waits a little longer each time and clears @error. */
static gboolean
retry_network (GError **error,
               guint    attempt)
{
  if (!g_error_matches (*error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_NETWORK) || attempt >= 6)
    return FALSE;
  if (g_getenv ("BENCH_SYNC_LOG") != NULL)
    g_printerr ("retry %u: %s\n", attempt, (*error)->message);
  g_clear_error (error);
  g_atomic_int_inc (&network_retries);
  g_usleep (G_USEC_PER_SEC / 4 * attempt);
  return TRUE;
}

/* The bench must stop by itself: a watchdog ends the process past --time-limit. */
static gpointer
watchdog_thread (gpointer data)
{
  g_usleep ((gulong) opt_time_limit * G_USEC_PER_SEC);
  g_printerr ("bench-sync: time limit of %d s reached, stopping\n", opt_time_limit);
  fflush (stdout);
  if (spawned != NULL)
    g_subprocess_force_exit (spawned);
  _exit (2);
}

/* ---------------------------------------------------------------- a counting relay */

/* A plain TCP relay on 127.0.0.1 in front of the server: it counts the bytes each way as
 * they cross the socket, so TLS records, HTTP headers and bodies are all in the count. */
typedef struct {
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *thread;
  guint            port;
  guint            upstream_port;
  gint64           up;     /* client to server, atomic */
  gint64           down;   /* server to client, atomic */
  GMutex           lock;
  GPtrArray       *pumps;  /* of Pump */
} Relay;

typedef struct {
  Relay             *relay;
  GSocketConnection *from;
  GSocketConnection *to;
  gint64            *counter;
  GThread           *thread;
} Pump;

static gpointer
pump_thread (gpointer data)
{
  Pump *pump = data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (pump->from));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (pump->to));
  char buffer[65536];
  gssize n;

  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      if (!g_output_stream_write_all (out, buffer, (gsize) n, NULL, NULL, NULL))
        break;
      __atomic_fetch_add (pump->counter, n, __ATOMIC_RELAXED);
    }
  g_socket_shutdown (g_socket_connection_get_socket (pump->to), FALSE, TRUE, NULL);
  return NULL;
}

static void
relay_start_pump (Relay             *relay,
                  GSocketConnection *from,
                  GSocketConnection *to,
                  gint64            *counter)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->relay = relay;
  pump->from = g_object_ref (from);
  pump->to = g_object_ref (to);
  pump->counter = counter;
  g_mutex_lock (&relay->lock);
  g_ptr_array_add (relay->pumps, pump);
  pump->thread = g_thread_new ("relay-pump", pump_thread, pump);
  g_mutex_unlock (&relay->lock);
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  for (;;)
    {
      g_autoptr(GSocketConnection) down = NULL;
      g_autoptr(GSocketConnection) up = NULL;

      down = g_socket_listener_accept (relay->listener, NULL, relay->cancellable, NULL);
      if (down == NULL)
        break;
      up = g_socket_client_connect_to_host (client, "127.0.0.1", relay->upstream_port, NULL,
                                            NULL);
      if (up == NULL)
        continue;
      relay_start_pump (relay, down, up, &relay->up);
      relay_start_pump (relay, up, down, &relay->down);
    }
  return NULL;
}

static Relay *
relay_new (guint upstream_port)
{
  Relay *relay = g_new0 (Relay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  relay->listener = g_socket_listener_new ();
  relay->cancellable = g_cancellable_new ();
  relay->upstream_port = upstream_port;
  relay->pumps = g_ptr_array_new ();
  g_mutex_init (&relay->lock);
  if (!g_socket_listener_add_address (relay->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    die ("relay", error);
  relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  relay->thread = g_thread_new ("relay", relay_thread, relay);
  return relay;
}

static void
relay_reset (Relay *relay)
{
  __atomic_store_n (&relay->up, 0, __ATOMIC_RELAXED);
  __atomic_store_n (&relay->down, 0, __ATOMIC_RELAXED);
}

static gint64
relay_total (Relay *relay)
{
  return __atomic_load_n (&relay->up, __ATOMIC_RELAXED) +
         __atomic_load_n (&relay->down, __ATOMIC_RELAXED);
}

/* Stop accepting, cut every relayed connection and wait for the threads. */
static void
relay_free (Relay *relay)
{
  g_cancellable_cancel (relay->cancellable);
  g_thread_join (relay->thread);
  for (guint i = 0; i < relay->pumps->len; i++)
    {
      Pump *pump = g_ptr_array_index (relay->pumps, i);

      g_socket_shutdown (g_socket_connection_get_socket (pump->from), TRUE, TRUE, NULL);
      g_socket_shutdown (g_socket_connection_get_socket (pump->to), TRUE, TRUE, NULL);
    }
  for (guint i = 0; i < relay->pumps->len; i++)
    {
      Pump *pump = g_ptr_array_index (relay->pumps, i);

      g_thread_join (pump->thread);
      g_object_unref (pump->from);
      g_object_unref (pump->to);
      g_free (pump);
    }
  g_ptr_array_unref (relay->pumps);
  g_socket_listener_close (relay->listener);
  g_object_unref (relay->listener);
  g_object_unref (relay->cancellable);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}

/* ---------------------------------------------------------------- the office */

typedef struct {
  char            *dir;
  GTlsCertificate *certificate;
  char            *fingerprint;
  char            *office_key;
} Identity;

typedef struct {
  PayamStore       *store;    /* the server's database (a second connection for a process) */
  PayamSyncServer  *server;   /* in-process, or NULL */
  GSubprocess      *process;  /* payam-server, or NULL */
  GThread          *drain;    /* reads the process's output to the end */
  guint             port;
  char             *url;
} Office;

/* Neither cap on connections from one address nor a rate of enrolments: every client of the
 * bench comes from 127.0.0.1 at once. */
static void
office_lift_caps (PayamSyncServer *server)
{
  PayamSyncSlots slots;

  payam_sync_slots_init (&slots);
  slots.max_per_address = 0;
  payam_sync_server_set_slots (server, &slots);
  payam_sync_server_set_rate (server, PAYAM_SYNC_ROUTE_ENROL, 0, 0);
}

/* A server with its own database @name in @id's directory, listening on 127.0.0.1. */
static void
office_start (Office         *office,
              const Identity *id,
              const char     *name)
{
  g_autofree char *path = g_build_filename (id->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  office->store = payam_store_open (path, &error);
  if (office->store == NULL || !payam_store_load_defaults (office->store, &error) ||
      !payam_store_set_server_fingerprint (office->store, id->fingerprint, &error))
    die ("server store", error);
  office->server = payam_sync_server_new (office->store, id->certificate, id->office_key);
  office_lift_caps (office->server);
  if (opt_normal && !payam_store_set_durable (office->store, FALSE, &error))
    die ("synchronous", error);
  if (!payam_sync_server_listen_local (office->server, 0, &error))
    die ("listen", error);
  office->port = payam_sync_server_get_port (office->server);
  office->url = g_strdup_printf ("https://127.0.0.1:%u", office->port);
}

static gpointer
drain_thread (gpointer data)
{
  GDataInputStream *out = data;
  char *line;

  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
    {
      if (g_getenv ("BENCH_SYNC_LOG") != NULL)
        g_printerr ("server: %s\n", line);
      g_free (line);
    }
  g_object_unref (out);
  return NULL;
}

/* opt_server as its own process on the database @name in @id's directory (its certificate
 * and office key in @id's), with the caps lifted as office_lift_caps does; @office->store
 * is a second connection to that database. */
static void
office_spawn (Office         *office,
              const Identity *id,
              const char     *name)
{
  g_autofree char *path = g_build_filename (id->dir, name, NULL);
  g_autofree char *cert = g_build_filename (id->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (id->dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) init = payam_store_open (path, &error);
  GDataInputStream *out;
  char *line;

  if (init == NULL || !payam_store_load_defaults (init, &error))
    die ("server store", error);
  g_clear_object (&init);
  office->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                      opt_server, "--db", path, "--listen", "127.0.0.1:0",
                                      "--state-dir", id->dir, "--cert", cert, "--key", key,
                                      "--max-per-address", "0", "--enrol-rate", "0",
                                      /* 150 TLS handshakes at once on the server's one
                                       * thread take longer than its 10 s deadline on a
                                       * busy machine: lifted like the caps. */
                                      "--handshake-timeout", "120", NULL);
  if (office->process == NULL)
    die ("start payam-server", error);
  spawned = office->process;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (office->process));
  while (office->port == 0 &&
         (line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      unsigned int port = 0;

      if (g_getenv ("BENCH_SYNC_LOG") != NULL)
        g_printerr ("server: %s\n", line);
      if (sscanf (line, "Listening on https://127.0.0.1:%u/", &port) == 1)
        office->port = port;
      g_free (line);
    }
  if (office->port == 0)
    die ("payam-server did not say where it listens", error);
  office->drain = g_thread_new ("drain", drain_thread, out);
  office->url = g_strdup_printf ("https://127.0.0.1:%u", office->port);
  office->store = payam_store_open (path, &error);
  if (office->store == NULL)
    die ("server store", error);
}

static void
office_stop (Office *office)
{
  if (office->process != NULL)
    {
      g_subprocess_send_signal (office->process, SIGTERM);
      g_subprocess_wait (office->process, NULL, NULL);
      spawned = NULL;
      g_thread_join (office->drain);
      g_clear_object (&office->process);
    }
  if (office->server != NULL)
    payam_sync_server_disconnect (office->server);
  g_clear_object (&office->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&office->store);
  g_clear_pointer (&office->url, g_free);
}

/* A one-time office code made on the server's store (main thread). */
static char *
office_code (Office         *office,
             const Identity *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char *code = payam_sync_code_make (id->fingerprint, &hash, &error);

  if (code == NULL ||
      !payam_store_add_enrol_code (office->store, hash, PAYAM_ROLE_OFFICE, NULL, 1, &error))
    die ("enrolment code", error);
  return code;
}

/* ---------------------------------------------------------------- client threads */

/* The clients block (sync SoupSession) while the server answers on the main context: run
 * @n workers and iterate the main loop until all are done. */
typedef struct {
  GThreadFunc func;
  gpointer    data;
  gint       *left;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  worker->func (worker->data);
  g_atomic_int_add (worker->left, -1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
run_workers (GThreadFunc func,
             gpointer   *datas,
             guint       n)
{
  g_autofree Worker *workers = g_new0 (Worker, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  gint left = (gint) n;

  for (guint i = 0; i < n; i++)
    {
      workers[i] = (Worker) { func, datas[i], &left };
      threads[i] = g_thread_new ("client", worker_thread, &workers[i]);
    }
  while (g_atomic_int_get (&left) > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

static void
run_worker (GThreadFunc func,
            gpointer    data)
{
  run_workers (func, &data, 1);
}

/* ---------------------------------------------------------------- devices */

/* A device store @name in @dir with the defaults, enrolled at @url with @code. */
static PayamStore *
device_new (const char *dir,
            const char *name,
            const char *url,
            const char *code)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (path, &error);
  g_autoptr(PayamSyncEnrolReply) reply = NULL;

  if (store == NULL || !payam_store_load_defaults (store, &error))
    die ("device store", error);
  for (guint attempt = 1;
       (reply = payam_sync_enrol (store, url, code, NULL, &error)) == NULL &&
       retry_network (&error, attempt); attempt++)
    ;
  if (reply == NULL)
    die ("enrol", error);
  return g_steal_pointer (&store);
}

static PayamSyncClient *
device_client (PayamStore *store)
{
  g_autoptr(GError) error = NULL;
  PayamSyncClient *client = payam_sync_client_new_for_store (store, &error);

  if (client == NULL)
    die ("client", error);
  return client;
}

static const char *field_names[] = { "street", "landmark", "text" };

/* @n requests made on @store; their ids are added to @ids. */
static void
create_requests (PayamStore *store,
                 int         n,
                 GPtrArray  *ids)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamRequest) request = NULL;
      g_autofree char *text = g_strdup_printf ("چاله بزرگ جلوی مدرسهٔ شمارهٔ %d، لطفاً رسیدگی کنید", i);
      PayamRequestDraft draft = {
        .text = text, .category = "asphalt", .neighbourhood = "tohid",
        .street = "خیابان توحید", .phone = "09121234567", .name = "مریم احمدی",
      };

      request = payam_store_add_request (store, &draft, &error);
      if (request == NULL)
        die ("add request", error);
      g_ptr_array_add (ids, g_strdup (request->id));
    }
}

/* @n single-field edits on @store, round the rows of @ids from @offset; each a short value
 * of the size an operator types (a street, a landmark, a corrected text). */
static void
edit_fields (PayamStore *store,
             GPtrArray  *ids,
             int         n,
             guint       offset,
             int         tag)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *id = g_ptr_array_index (ids, (offset + (guint) i) % ids->len);
      const char *field = field_names[i % G_N_ELEMENTS (field_names)];
      g_autofree char *value = g_strdup_printf ("\"کوچه %d-%d\"", tag, i);

      if (!payam_store_sync_set_field (store, "request", id, field, value, &error))
        die ("set field", error);
    }
}

/* @n single-field edits on @store, each of another (row, field) of @ids: every one stays
 * the latest of its field, so a pull sends them all. @ids must hold n / 3 rows or more. */
static void
edit_each_field (PayamStore *store,
                 GPtrArray  *ids,
                 int         n,
                 int         tag)
{
  g_assert ((guint) (n + 2) / 3 <= ids->len);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *id = g_ptr_array_index (ids, (guint) i / 3);
      const char *field = field_names[i % 3];
      g_autofree char *value = g_strdup_printf ("\"کوچه %d-%d\"", tag, i);

      if (!payam_store_sync_set_field (store, "request", id, field, value, &error))
        die ("set field", error);
    }
}

typedef struct {
  gint64 ops;
  gint64 not_applied;
  gint64 request_body;
  gint64 reply_body;
  double seconds;   /* client call to decoded answer */
  double local;     /* listing the outbox and the acknowledgement */
} PushStats;

/* Each push's latency (s, client call to decoded answer) while a run records them. */
static GMutex latency_lock;
static GArray *push_latencies;

static void
record_latency (double seconds)
{
  g_mutex_lock (&latency_lock);
  if (push_latencies != NULL)
    g_array_append_val (push_latencies, seconds);
  g_mutex_unlock (&latency_lock);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The @p-th percentile (0 … 100) of the sorted @values. */
static double
percentile (GArray *values,
            double  p)
{
  guint i;

  if (values->len == 0)
    return 0;
  i = (guint) MIN ((double) values->len - 1, p / 100.0 * values->len);
  return g_array_index (values, double, i);
}

/* Push @store's whole outbox in batches of @batch through @client and acknowledge each.
 * With @bodies, each batch goes through payam_sync_client_send so the body sizes are
 * counted (the same encoding, request and decoding as payam_sync_client_push). */
static void
push_outbox (PayamStore      *store,
             PayamSyncClient *client,
             guint            batch,
             gboolean         bodies,
             PushStats       *stats)
{
  gint64 after = 0;
  guint number = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) ops = NULL;
      g_autoptr(PayamSyncPushResponse) response = NULL;
      g_autofree char *batch_id = NULL;
      PayamSyncPushRequest request = { NULL, };
      double start = now_s ();
      double sent;

      ops = payam_store_sync_list_outbox (store, after, batch, &error);
      if (ops == NULL)
        die ("outbox", error);
      if (ops->len == 0)
        break;
      batch_id = g_strdup_printf ("bench-%u", number++);
      request.device_id = (char *) payam_store_get_device_id (store);
      request.batch_id = batch_id;
      request.ops = ops;
      sent = now_s ();
      stats->local += sent - start;
      if (bodies)
        {
          g_autofree char *body = payam_sync_encode_push_request (&request);
          g_autoptr(GBytes) reply = payam_sync_client_send (client, "POST", "/v1/push", body,
                                                            NULL, NULL, &error);

          if (opt_show)
            g_printerr ("push body (%zu bytes): %.600s\n", strlen (body), body);
          if (reply != NULL)
            {
              if (opt_show)
                g_printerr ("push reply (%zu bytes): %.300s\n", g_bytes_get_size (reply),
                            (const char *) g_bytes_get_data (reply, NULL));
              stats->request_body += (gint64) strlen (body);
              stats->reply_body += (gint64) g_bytes_get_size (reply);
              response = payam_sync_decode_push_response (g_bytes_get_data (reply, NULL),
                                                          g_bytes_get_size (reply), &error);
            }
        }
      else
        for (guint attempt = 1;
             (response = payam_sync_client_push (client, &request, NULL, NULL, &error)) == NULL &&
             retry_network (&error, attempt); attempt++)
          ;
      if (response == NULL)
        die ("push", error);
      stats->seconds += now_s () - sent;
      record_latency (now_s () - sent);
      for (guint i = 0; i < response->results->len; i++)
        {
          PayamSyncOpOutcome *outcome = g_ptr_array_index (response->results, i);

          if (outcome->outcome != PAYAM_SYNC_OUTCOME_APPLIED)
            stats->not_applied++;
        }
      stats->ops += ops->len;
      after = response->acked_through;
      start = now_s ();
      if (!payam_sync_ack_response (store, response, &error))
        die ("ack", error);
      stats->local += now_s () - start;
    }
}

typedef struct {
  gint64 ops;
  gint64 pages;
  gint64 reply_body;
  double seconds;   /* request to decoded page */
  double apply;     /* merging the pages into the device's store */
} PullStats;

/* Pull into @store from its cursor until the server has no more, applying each page. */
static void
pull_all (PayamStore      *store,
          PayamSyncClient *client,
          guint            limit,
          gboolean         bodies,
          PullStats       *stats)
{
  g_autoptr(GError) error = NULL;
  gint64 cursor = payam_store_sync_get_cursor (store, &error);
  gboolean more = TRUE;

  if (error != NULL)
    die ("cursor", error);
  while (more)
    {
      g_autoptr(PayamSyncPullReply) page = NULL;
      double start = now_s ();

      if (bodies)
        {
          g_autofree char *path = payam_sync_pull_path (cursor, limit);
          g_autoptr(GBytes) reply = payam_sync_client_send (client, "GET", path, NULL, NULL,
                                                            NULL, &error);

          if (reply != NULL)
            {
              if (opt_show)
                g_printerr ("pull reply (%zu bytes): %.600s\n", g_bytes_get_size (reply),
                            (const char *) g_bytes_get_data (reply, NULL));
              stats->reply_body += (gint64) g_bytes_get_size (reply);
              page = payam_sync_decode_pull_reply (g_bytes_get_data (reply, NULL),
                                                   g_bytes_get_size (reply), &error);
            }
        }
      else
        for (guint attempt = 1;
             (page = payam_sync_client_pull (client, cursor, limit, NULL, &error)) == NULL &&
             retry_network (&error, attempt); attempt++)
          ;
      if (page == NULL)
        die ("pull", error);
      stats->seconds += now_s () - start;
      start = now_s ();
      if (!payam_store_sync_apply_page (store, page->changes, page->next, page->server_hlc,
                                        &error))
        die ("apply page", error);
      stats->apply += now_s () - start;
      stats->ops += page->changes->len;
      stats->pages++;
      cursor = page->next;
      more = page->more;
    }
}

/* ---------------------------------------------------------------- speed and size */

typedef struct {
  const char *dir;
  Office     *office;
  Relay      *relay;
  char       *codes[4];
} SpeedJob;

/* Bytes one exchange costs on the wire, and per op. */
static void
print_bytes (const char *name,
             gint64      wire,
             gint64      bodies,
             gint64      ops)
{
  printf ("%s_wire_bytes_per_op: %.1f\n", name, (double) wire / (double) ops);
  printf ("%s_body_bytes_per_op: %.1f\n", name, (double) bodies / (double) ops);
}

static gpointer
speed_job (gpointer data)
{
  SpeedJob *job = data;
  g_autofree char *relay_url = g_strdup_printf ("https://127.0.0.1:%u", job->relay->port);
  g_autoptr(PayamStore) pusher = device_new (job->dir, "pusher.db", job->office->url,
                                             job->codes[0]);
  g_autoptr(PayamStore) puller = device_new (job->dir, "puller.db", job->office->url,
                                             job->codes[1]);
  g_autoptr(PayamStore) meter = device_new (job->dir, "meter.db", relay_url, job->codes[2]);
  g_autoptr(PayamStore) reader = device_new (job->dir, "reader.db", relay_url, job->codes[3]);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) meter_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PayamSyncClient) push_client = device_client (pusher);
  g_autoptr(PayamSyncClient) pull_client = device_client (puller);
  double start;

  /* ---- bytes on the wire, through the counting relay ---- */
  {
    g_autoptr(PayamSyncClient) meter_client = device_client (meter);
    g_autoptr(PayamSyncClient) reader_client = device_client (reader);
    g_autoptr(PayamSyncWhoami) who = NULL;
    g_autoptr(PayamSyncWhoami) who2 = NULL;
    PushStats creates = { 0, };
    PushStats fields = { 0, };
    PushStats singles = { 0, };
    PullStats pulled_creates = { 0, };
    PullStats pulled_fields = { 0, };
    gint64 wire;
    int single_count = MIN (opt_batch, 50);

    /* The handshakes happen once per connection: make them before counting. */
    who = payam_sync_client_whoami (meter_client, NULL, NULL);
    who2 = payam_sync_client_whoami (reader_client, NULL, NULL);
    if (who == NULL || who2 == NULL)
      die ("whoami", NULL);

    create_requests (meter, opt_requests, meter_ids);
    relay_reset (job->relay);
    push_outbox (meter, meter_client, (guint) opt_batch, TRUE, &creates);
    wire = relay_total (job->relay);
    printf ("create_ops: %" G_GINT64_FORMAT " (for %d requests)\n", creates.ops, opt_requests);
    print_bytes ("push_create", wire, creates.request_body + creates.reply_body, creates.ops);

    relay_reset (job->relay);
    pull_all (reader, reader_client, (guint) opt_batch, TRUE, &pulled_creates);
    print_bytes ("pull_create", relay_total (job->relay), pulled_creates.reply_body,
                 pulled_creates.ops);

    edit_fields (meter, meter_ids, opt_batch * 4, 0, 1);
    relay_reset (job->relay);
    push_outbox (meter, meter_client, (guint) opt_batch, TRUE, &fields);
    wire = relay_total (job->relay);
    printf ("field_ops_measured: %" G_GINT64_FORMAT " in batches of %d\n", fields.ops,
            opt_batch);
    print_bytes ("push_field", wire, fields.request_body + fields.reply_body, fields.ops);

    relay_reset (job->relay);
    pull_all (reader, reader_client, (guint) opt_batch, TRUE, &pulled_fields);
    print_bytes ("pull_field", relay_total (job->relay), pulled_fields.reply_body,
                 pulled_fields.ops);

    /* The same edit pushed alone: what one edit costs when a device syncs right away. */
    edit_fields (meter, meter_ids, single_count, 7, 2);
    relay_reset (job->relay);
    push_outbox (meter, meter_client, 1, TRUE, &singles);
    print_bytes ("push_field_batch1", relay_total (job->relay),
                 singles.request_body + singles.reply_body, singles.ops);
  }

  /* ---- push speed ---- */
  {
    PushStats setup = { 0, };
    PushStats stats = { 0, };

    /* Each edit of another field, so that the pull below has every one to send. */
    create_requests (pusher, MAX (opt_requests, (opt_ops + 2) / 3), ids);
    push_outbox (pusher, push_client, (guint) opt_batch, FALSE, &setup);
    start = now_s ();
    edit_each_field (pusher, ids, opt_ops, 3);
    printf ("local_field_edits_per_s: %.0f\n", opt_ops / (now_s () - start));
    push_outbox (pusher, push_client, (guint) opt_batch, FALSE, &stats);
    printf ("push_ops: %" G_GINT64_FORMAT " in batches of %d (%" G_GINT64_FORMAT
            " not applied)\n", stats.ops, opt_batch, stats.not_applied);
    printf ("push_ops_per_s: %.0f\n", stats.ops / stats.seconds);
    printf ("push_ops_per_s_with_outbox_and_ack: %.0f\n",
            stats.ops / (stats.seconds + stats.local));
  }

  /* ---- pull speed: a second office device pulls the whole log (the edits above are all
   * live: a pull leaves out a field op only once a later one of its field is logged) ---- */
  {
    PullStats stats = { 0, };

    pull_all (puller, pull_client, (guint) opt_batch, FALSE, &stats);
    printf ("pull_ops: %" G_GINT64_FORMAT " in %" G_GINT64_FORMAT " pages of up to %d\n",
            stats.ops, stats.pages, opt_batch);
    printf ("pull_ops_per_s: %.0f\n", stats.ops / stats.seconds);
    printf ("pull_ops_per_s_with_apply: %.0f\n", stats.ops / (stats.seconds + stats.apply));
  }
  fflush (stdout);
  return NULL;
}

/* ---------------------------------------------------------------- convergence */

typedef struct {
  PayamStore      *store;
  PayamSyncClient *client;
  char            *code;
} Device;

typedef struct {
  const char *dir;
  const char *url;
  Device     *devices;
  guint       first;
  guint       step;
  guint       count;
  int         phase;   /* 0 enrol, 1 push, 2 pull */
  PushStats   push;
  PullStats   pull;
} ConvergeJob;

static gpointer
converge_job (gpointer data)
{
  ConvergeJob *job = data;

  for (guint i = job->first; i < job->count; i += job->step)
    {
      Device *device = &job->devices[i];

      switch (job->phase)
        {
        case 0:
          {
            g_autofree char *name = g_strdup_printf ("device-%03u.db", i);

            device->store = device_new (job->dir, name, job->url, device->code);
            device->client = device_client (device->store);
          }
          break;
        case 1:
          push_outbox (device->store, device->client, (guint) opt_batch, FALSE, &job->push);
          break;
        case 2:
          pull_all (device->store, device->client, (guint) opt_batch, FALSE, &job->pull);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return NULL;
}

/* Run @phase over every device on opt_threads client threads; the summed stats. */
static void
converge_phase (ConvergeJob *jobs,
                guint        n,
                int          phase,
                PushStats   *push,
                PullStats   *pull)
{
  g_autofree gpointer *datas = g_new0 (gpointer, n);

  for (guint t = 0; t < n; t++)
    {
      jobs[t].phase = phase;
      memset (&jobs[t].push, 0, sizeof jobs[t].push);
      memset (&jobs[t].pull, 0, sizeof jobs[t].pull);
      datas[t] = &jobs[t];
    }
  run_workers (converge_job, datas, n);
  for (guint t = 0; t < n && push != NULL; t++)
    {
      push->ops += jobs[t].push.ops;
      push->not_applied += jobs[t].push.not_applied;
      push->seconds += jobs[t].push.seconds;
      push->local += jobs[t].push.local;
    }
  for (guint t = 0; t < n && pull != NULL; t++)
    {
      pull->ops += jobs[t].pull.ops;
      pull->pages += jobs[t].pull.pages;
      pull->seconds += jobs[t].pull.seconds;
      pull->apply += jobs[t].pull.apply;
    }
}

/* The shared rows' edited fields as one text, to compare replicas. */
static char *
state_text (PayamStore *store,
            GPtrArray  *ids)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamRequest) request = payam_store_get_request (store, g_ptr_array_index (ids, i),
                                                                 &error);

      if (request == NULL)
        g_string_append (text, "missing\n");
      else
        g_string_append_printf (text, "%s|%s|%s|%s\n", request->id, request->street,
                                request->landmark, request->text);
    }
  return g_string_free (text, FALSE);
}

static void
converge (const Identity *id,
          const char     *dir)
{
  Office office = { NULL, };
  guint n = (guint) opt_devices;
  guint threads = (guint) CLAMP (opt_threads, 1, opt_devices);
  g_autofree Device *devices = g_new0 (Device, n);
  g_autofree ConvergeJob *jobs = g_new0 (ConvergeJob, threads);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *server_state = NULL;
  PushStats pushed = { 0, };
  PullStats pulled = { 0, };
  g_autoptr(GArray) latencies = NULL;
  guint mismatched = 0;
  double start;
  double push_s;
  double total_s;

  if (opt_server != NULL)
    office_spawn (&office, id, "converge.db");
  else
    office_start (&office, id, "converge.db");
  for (guint i = 0; i < n; i++)
    devices[i].code = office_code (&office, id);
  for (guint t = 0; t < threads; t++)
    jobs[t] = (ConvergeJob) { dir, office.url, devices, t, threads, n, 0, { 0, }, { 0, } };

  start = now_s ();
  converge_phase (jobs, threads, 0, NULL, NULL);
  printf ("enrol_devices: %u in %.2f s with one-time codes\n", n, now_s () - start);

  /* The first device registers the shared requests; everyone has them before going
   * offline. */
  create_requests (devices[0].store, opt_rows, ids);
  converge_phase (jobs, threads, 1, NULL, NULL);
  converge_phase (jobs, threads, 2, NULL, NULL);

  /* Offline: every device edits the shared rows, many of the same fields. */
  for (guint i = 0; i < n; i++)
    edit_fields (devices[i].store, ids, opt_edits, i * 7, (int) i);

  start = now_s ();
  g_mutex_lock (&latency_lock);
  push_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_mutex_unlock (&latency_lock);
  converge_phase (jobs, threads, 1, &pushed, NULL);
  push_s = now_s () - start;
  g_mutex_lock (&latency_lock);
  latencies = g_steal_pointer (&push_latencies);
  g_mutex_unlock (&latency_lock);
  g_array_sort (latencies, compare_doubles);
  converge_phase (jobs, threads, 2, NULL, &pulled);
  total_s = now_s () - start;

  server_state = state_text (office.store, ids);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *state = state_text (devices[i].store, ids);

      if (strcmp (state, server_state) != 0)
        mismatched++;
    }
  printf ("converge_devices: %u with %d offline edits each, %s (%u client thread%s, one "
          "SoupSession per device)\n", n, opt_edits,
          threads == 1 ? "sequential" : "parallel", threads, threads == 1 ? "" : "s");
  printf ("converge_pushed_ops: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
          " superseded, conflict or rejected)\n", pushed.ops, pushed.not_applied);
  printf ("converge_pulled_ops: %" G_GINT64_FORMAT "\n", pulled.ops);
  printf ("converge_push_s: %.2f\n", push_s);
  /* With as many threads as devices, every device pushes at once. */
  printf ("converge_push_latency_ms: p50 %.1f, p99 %.1f, max %.1f (%u pushes)\n",
          percentile (latencies, 50) * 1000, percentile (latencies, 99) * 1000,
          percentile (latencies, 100) * 1000, latencies->len);
  printf ("converge_s: %.2f\n", total_s);
  /* Where the time went, summed over the client threads. */
  printf ("converge_pull_fetch_s: %.2f (request to decoded page, %" G_GINT64_FORMAT
          " pages)\n", pulled.seconds, pulled.pages);
  printf ("converge_pull_apply_s: %.2f (payam_store_sync_apply_page on the devices)\n",
          pulled.apply);
  printf ("converge_replicas_differing: %u of %u\n", mismatched, n);
  printf ("network_retries: %d (exchanges made again after the server cut them)\n",
          g_atomic_int_get (&network_retries));
  fflush (stdout);

  for (guint i = 0; i < n; i++)
    {
      g_clear_object (&devices[i].client);
      g_clear_object (&devices[i].store);
      g_free (devices[i].code);
    }
  office_stop (&office);
}

/* ---------------------------------------------------------------- main */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- sync speed, size and convergence");
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  Identity id = { NULL, };
  Office office = { NULL, };
  Relay *relay;
  SpeedJob speed = { NULL, };

  setlocale (LC_ALL, "");
  /* Each figure as soon as it is known, also when stdout is a file. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (opt_ops < 1 || opt_batch < 1 || opt_batch > 1000 || opt_requests < 1 ||
      opt_devices < 1 || opt_edits < 1 || opt_rows < 1 || opt_time_limit < 1)
    die ("options", NULL);
  g_thread_unref (g_thread_new ("watchdog", watchdog_thread, NULL));
  if (!payam_sync_identity_check_tls (&error))
    die ("TLS", error);

  if (opt_keep != NULL)
    {
      if (g_mkdir_with_parents (opt_keep, 0700) != 0)
        die ("--keep", NULL);
      id.dir = g_strdup (opt_keep);
    }
  else if ((id.dir = g_dir_make_tmp ("payam-bench-sync-XXXXXX", &error)) == NULL)
    die ("work directory", error);
  cert = g_build_filename (id.dir, "cert.pem", NULL);
  key = g_build_filename (id.dir, "key.pem", NULL);
  if (!payam_sync_identity_make_certificate (cert, key, "localhost", &error) ||
      (id.certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL ||
      (id.office_key = payam_sync_identity_load_office_key (id.dir, &error)) == NULL)
    die ("identity", error);
  id.fingerprint = payam_sync_fingerprint (id.certificate);

  printf ("transport: HTTPS (TLS, self-signed certificate pinned by the enrolment codes) on "
          "127.0.0.1, clients on their own thread; speed: server in-process on the main "
          "thread; convergence: %s\n", opt_server != NULL ? "payam-server, its own process, "
          "--max-per-address 0 --enrol-rate 0" : "server in-process, caps lifted");
  printf ("server_synchronous: %s\n", opt_normal ? "NORMAL" : "FULL");

  office_start (&office, &id, "office.db");
  relay = relay_new (office.port);
  speed.dir = id.dir;
  speed.office = &office;
  speed.relay = relay;
  for (guint i = 0; i < G_N_ELEMENTS (speed.codes); i++)
    speed.codes[i] = office_code (&office, &id);
  run_worker (speed_job, &speed);
  relay_free (relay);
  office_stop (&office);
  for (guint i = 0; i < G_N_ELEMENTS (speed.codes); i++)
    g_free (speed.codes[i]);

  converge (&id, id.dir);

  /* Photos have a benchmark of their own, beside curl on the same server. */
  printf ("photo_upload: see bench-blobs (MB/s beside curl, bytes resent after a cut)\n");

  if (opt_keep == NULL)
    remove_tree (id.dir);
  g_free (id.dir);
  g_free (id.fingerprint);
  g_free (id.office_key);
  g_object_unref (id.certificate);
  return 0;
}
