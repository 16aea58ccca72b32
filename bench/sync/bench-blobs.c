/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-blobs: photo upload speed of the app's own client (tus-style HEAD and 1 MiB PATCH
 * chunks) beside curl sending the same file in the same chunks to the same payam-server on
 * 127.0.0.1 over HTTPS, and the bytes sent twice when the connection is cut mid-upload. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "payam-photo.h"
#include "payam-store-blobs.h"
#include "payam-store-devices.h"
#include "payam-store-sync.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-round.h"

/* Environment, for looking into a run: BENCH_BLOBS_LOG=1 prints the server's log lines,
 * BENCH_CURL_VERBOSE=1 runs curl with -v. */
static char *opt_server = NULL;
static char *opt_curl = NULL;
static int opt_size_mib = 20;
static int opt_rounds = 5;
static double opt_cut_mib = 10.5;

G_GNUC_NORETURN static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-blobs: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU seconds (user + system) used so far by process @pid (0: this one), from /proc. */
static double
cpu_s (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid != NULL ? pid : "self");
  g_autofree char *text = NULL;
  const char *after;
  unsigned long user = 0, sys = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL ||
      sscanf (after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &sys) != 2)
    return 0;
  return (user + sys) / (double) sysconf (_SC_CLK_TCK);
}

/* ---- the server --------------------------------------------------------------------------- */

typedef struct {
  char          *dir;
  char          *db_path;
  GSubprocess   *process;
  GDataInputStream *out;     /* its output, read to the end by @drain */
  GThread       *drain;
  guint16        port;
  char          *url;
  char          *fingerprint;
  PayamStore    *store;      /* a second connection to the server's database */
  sqlite3       *raw;        /* a plain one, to forget a finished upload between runs */
} Server;

/* Start payam-server on its own database in @dir and read its port from its output. */
static void
server_start (Server     *server,
              const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) init = NULL;
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  GDataInputStream *out;
  char *line;

  server->dir = g_strdup (dir);
  server->db_path = g_build_filename (dir, "server.db", NULL);
  init = payam_store_open (server->db_path, &error);
  if (init == NULL || !payam_store_load_defaults (init, &error))
    die ("server database", error);
  g_clear_object (&init);

  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                      opt_server, "--db", server->db_path, "--listen",
                                      "127.0.0.1:0", "--state-dir", state, NULL);
  if (server->process == NULL)
    die ("start payam-server", error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      unsigned int port = 0;

      if (g_getenv ("BENCH_BLOBS_LOG") != NULL)
        g_printerr ("server: %s\n", line);
      if (sscanf (line, "Listening on https://127.0.0.1:%u/", &port) == 1)
        server->port = (guint16) port;
      g_free (line);
      if (server->port != 0)
        break;
    }
  server->out = out;
  if (server->port == 0)
    die ("payam-server did not say where it listens", error);
  server->url = g_strdup_printf ("https://127.0.0.1:%u", server->port);

  server->store = payam_store_open (server->db_path, &error);
  if (server->store == NULL)
    die ("server database", error);
  server->fingerprint = payam_store_dup_server_fingerprint (server->store, &error);
  if (server->fingerprint == NULL)
    die ("server fingerprint", error);
  if (sqlite3_open (server->db_path, &server->raw) != SQLITE_OK)
    die ("server database", NULL);
  sqlite3_busy_timeout (server->raw, 10000);
}

static gpointer
drain_thread (gpointer data)
{
  GDataInputStream *out = data;
  char *line;

  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
    {
      if (g_getenv ("BENCH_BLOBS_LOG") != NULL)
        g_printerr ("server: %s\n", line);
      g_free (line);
    }
  return NULL;
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_thread_join (server->drain);
  g_clear_object (&server->out);
  g_clear_object (&server->process);
  g_clear_object (&server->store);
  sqlite3_close (server->raw);
  g_free (server->db_path);
  g_free (server->url);
  g_free (server->fingerprint);
  g_free (server->dir);
}

/* The server forgets it holds @sha256 (the bench's only write to its database), so the same
 * file can be uploaded again. */
static void
server_forget (Server     *server,
               const char *sha256)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE photo SET bytes = NULL WHERE sha256 = '%s';"
                                          "DELETE FROM blob_chunk WHERE sha256 = '%s';",
                                          sha256, sha256);

  g_assert (payam_blob_name_is_valid (sha256));
  if (sqlite3_exec (server->raw, sql, NULL, NULL, NULL) != SQLITE_OK)
    die ("reset the upload", NULL);
}

/* Whether the server holds all of @sha256, and how many bytes of it otherwise. */
static gboolean
server_holds (Server     *server,
              const char *sha256,
              gint64     *offset)
{
  g_autoptr(GError) error = NULL;
  PayamBlobState state;
  gint64 length;

  if (!payam_store_blob_get_state (server->store, sha256, &state, offset, &length, &error))
    die ("blob state", error);
  return state == PAYAM_BLOB_COMPLETE;
}

/* ---- a kiosk with one big photo -------------------------------------------------------------- */

static PayamPhoto *
random_photo (gsize size)
{
  PayamPhoto *photo = g_new0 (PayamPhoto, 1);
  guint8 *bytes = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (gsize i = 0; i + 4 <= size; i += 4)
    {
      guint32 r = g_rand_int (rand);

      memcpy (bytes + i, &r, 4);
    }
  photo->bytes = g_bytes_new_take (bytes, size);
  photo->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
  photo->mime = g_strdup ("image/jpeg");
  photo->width = 2048;
  photo->height = 1536;
  photo->thumbnail = g_bytes_new_static ("thumb", 5);
  return photo;
}

/* Enrol a kiosk at @server, register one request with @photo and push its records (not the
 * bytes), so the server waits for the photo's bytes. */
static PayamStore *
kiosk_with_photo (Server     *server,
                  PayamPhoto *photo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (server->dir, "kiosk.db", NULL);
  g_autofree char *hash = NULL;
  g_autofree char *code = payam_sync_code_make (server->fingerprint, &hash, &error);
  g_autoptr(PayamStore) kiosk = payam_store_open (path, &error);
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(PayamSyncPushResponse) response = NULL;
  PayamSyncPushRequest batch = { NULL, };
  PayamRequestDraft draft = {
    .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
  };

  if (code == NULL || kiosk == NULL || !payam_store_load_defaults (kiosk, &error) ||
      !payam_store_add_enrol_code (server->store, hash, PAYAM_ROLE_KIOSK, NULL, 1, &error))
    die ("kiosk", error);
  reply = payam_sync_enrol (kiosk, server->url, code, NULL, &error);
  if (reply == NULL)
    die ("enrol", error);
  request = payam_store_add_request (kiosk, &draft, &error);
  if (request == NULL || !payam_store_add_photo (kiosk, photo, &error) ||
      !payam_store_attach_photo (kiosk, request->id, photo->sha256, &error))
    die ("photo", error);
  client = payam_sync_client_new_for_store (kiosk, &error);
  ops = client != NULL ? payam_store_sync_list_outbox (kiosk, 0, 0, &error) : NULL;
  if (ops == NULL)
    die ("outbox", error);
  batch.device_id = (char *) payam_store_get_device_id (kiosk);
  batch.batch_id = (char *) "bench-blobs";
  batch.ops = ops;
  response = payam_sync_client_push (client, &batch, NULL, NULL, &error);
  if (response == NULL ||
      !payam_sync_ack_response (kiosk, response, &error))
    die ("push", error);
  return g_steal_pointer (&kiosk);
}

/* A client of @url (the server, or the cutting proxy in front of it) as @kiosk. */
static PayamSyncClient *
kiosk_client (PayamStore *kiosk,
              const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamEnrolment) enrolment = payam_store_get_enrolment (kiosk, &error);
  guint8 pin[32];
  PayamSyncClient *client;

  if (enrolment == NULL)
    die ("enrolment", error);
  for (int i = 0; i < 32; i++)
    pin[i] = (guint8) (g_ascii_xdigit_value (enrolment->fingerprint[2 * i]) * 16 +
                       g_ascii_xdigit_value (enrolment->fingerprint[2 * i + 1]));
  client = payam_sync_client_new (url, pin, sizeof pin, enrolment->credential, &error);
  if (client == NULL)
    die ("client", error);
  return client;
}

/* ---- the two uploaders ----------------------------------------------------------------------- */

/* Seconds for the app's client, new for the upload (TLS handshake included), to send @photo. */
static double
upload_with_client (Server     *server,
                    PayamStore *kiosk,
                    PayamPhoto *photo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncClient) client = kiosk_client (kiosk, server->url);
  gsize sent = 0;
  double start = now_s (), seconds;
  gint64 offset;

  if (!payam_sync_client_upload_blob (client, photo->sha256, photo->bytes, PAYAM_BLOB_CHUNK_SIZE,
                                      &sent, NULL, &error))
    die ("client upload", error);
  seconds = now_s () - start;
  if (sent != g_bytes_get_size (photo->bytes) || !server_holds (server, photo->sha256, &offset))
    die ("client upload incomplete", NULL);
  return seconds;
}

/* The curl command that does what the client does, in one process over one kept-alive
 * connection: HEAD, then one PATCH per chunk file with the same headers ("Expect:" off, as
 * libsoup sends none). */
static GPtrArray *
curl_command (Server      *server,
              PayamStore  *kiosk,
              PayamPhoto  *photo,
              GPtrArray   *chunk_files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamEnrolment) enrolment = payam_store_get_enrolment (kiosk, &error);
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup_printf ("%s/v1/blobs/%s", server->url, photo->sha256);
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", enrolment->credential);
  gsize size = g_bytes_get_size (photo->bytes);

#define ARG(x) g_ptr_array_add (argv, g_strdup (x))
  ARG (opt_curl);
  for (guint i = 0; i <= chunk_files->len; i++)
    {
      if (i > 0)
        ARG ("--next");
      ARG ("-sS");
      ARG ("-k");
      ARG ("--http1.1");
      if (g_getenv ("BENCH_CURL_VERBOSE") != NULL)
        ARG ("-v");
      ARG ("-o");
      ARG ("/dev/null");
      ARG ("-w");
      ARG ("%{http_code}\\n");
      ARG ("-H");
      ARG (auth);
      if (i == 0)
        ARG ("-I");
      else
        {
          ARG ("-H");
          g_ptr_array_add (argv, g_strdup_printf ("Upload-Offset: %" G_GSIZE_FORMAT,
                                                  (gsize) (i - 1) * PAYAM_BLOB_CHUNK_SIZE));
          ARG ("-H");
          g_ptr_array_add (argv, g_strdup_printf ("Upload-Length: %" G_GSIZE_FORMAT, size));
          ARG ("-H");
          ARG ("Content-Type: application/offset+octet-stream");
          ARG ("-H");
          ARG ("Expect:");
          ARG ("-X");
          ARG ("PATCH");
          ARG ("--data-binary");
          g_ptr_array_add (argv, g_strconcat ("@", (const char *) chunk_files->pdata[i - 1],
                                              NULL));
        }
      ARG (url);
    }
#undef ARG
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Seconds for curl (process start and TLS handshake included) to send @photo. */
static double
upload_with_curl (Server     *server,
                  PayamPhoto *photo,
                  GPtrArray  *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autofree char *out = NULL;
  double start = now_s (), seconds;
  gint64 offset;

  curl = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (curl == NULL || !g_subprocess_communicate_utf8 (curl, NULL, NULL, &out, NULL, &error))
    die ("curl", error);
  seconds = now_s () - start;
  if (!g_subprocess_get_successful (curl) || !server_holds (server, photo->sha256, &offset))
    {
      g_printerr ("curl said: %s\n", out);
      die ("curl upload incomplete", NULL);
    }
  return seconds;
}

/* ---- a proxy that cuts the connection -------------------------------------------------------- */

typedef struct {
  guint16          server_port;
  GSocketListener *listener;
  GCancellable    *cancellable;
  guint16          port;
  GThread         *accept_thread;
  GPtrArray       *pumps;        /* GThread */
  GMutex           lock;
  gint64           upstream;     /* client → server bytes through the proxy */
  gint64           cut_at;       /* cut every connection once upstream reaches it; -1: never */
  guint            cuts;
  guint            connections;  /* accepted so far */
} Proxy;

#define PUMP_BUFFER (64 * 1024)

typedef struct {
  Proxy             *proxy;
  GSocketConnection *downstream;
} Pump;

/* Write all of @buffer to @fd. */
static gboolean
write_all (int          fd,
           const char  *buffer,
           gssize       length)
{
  while (length > 0)
    {
      gssize n = send (fd, buffer, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buffer += n;
      length -= n;
    }
  return TRUE;
}

static gpointer
pump_thread (gpointer data)
{
  g_autofree Pump *pump = data;
  Proxy *proxy = pump->proxy;
  g_autoptr(GSocketConnection) down = pump->downstream;
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) up = g_socket_client_connect_to_host (connector, "127.0.0.1",
                                                                     proxy->server_port, NULL,
                                                                     NULL);
  int fds[2];
  char *own[2] = { g_malloc (PUMP_BUFFER), g_malloc (PUMP_BUFFER) };

  if (up == NULL)
    {
      g_free (own[0]);
      g_free (own[1]);
      return NULL;
    }
  fds[0] = g_socket_get_fd (g_socket_connection_get_socket (down));
  fds[1] = g_socket_get_fd (g_socket_connection_get_socket (up));
  for (;;)
    {
      struct pollfd polls[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
      gboolean done = FALSE;

      if (poll (polls, 2, -1) < 0 && errno != EINTR)
        break;
      for (int side = 0; side < 2 && !done; side++)
        {
          gssize n;

          if (polls[side].revents == 0)
            continue;
          n = recv (fds[side], own[side], PUMP_BUFFER, 0);
          if (n <= 0 || !write_all (fds[1 - side], own[side], n))
            {
              done = TRUE;
              break;
            }
          if (side == 0)
            {
              gboolean cut;

              g_mutex_lock (&proxy->lock);
              proxy->upstream += n;
              cut = proxy->cut_at >= 0 && proxy->upstream >= proxy->cut_at;
              if (cut)
                {
                  proxy->cut_at = -1;
                  proxy->cuts++;
                }
              g_mutex_unlock (&proxy->lock);
              done = cut;
            }
        }
      if (done)
        break;
    }
  shutdown (fds[0], SHUT_RDWR);
  shutdown (fds[1], SHUT_RDWR);
  g_free (own[0]);
  g_free (own[1]);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  Proxy *proxy = data;

  for (;;)
    {
      GSocketConnection *connection = g_socket_listener_accept (proxy->listener, NULL,
                                                                proxy->cancellable, NULL);
      Pump *pump;

      if (connection == NULL)
        return NULL;
      pump = g_new0 (Pump, 1);
      pump->proxy = proxy;
      pump->downstream = connection;
      g_mutex_lock (&proxy->lock);
      proxy->connections++;
      g_ptr_array_add (proxy->pumps, g_thread_new ("pump", pump_thread, pump));
      g_mutex_unlock (&proxy->lock);
    }
}

static void
proxy_start (Proxy   *proxy,
             guint16  server_port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  proxy->server_port = server_port;
  proxy->listener = g_socket_listener_new ();
  proxy->cancellable = g_cancellable_new ();
  proxy->pumps = g_ptr_array_new ();
  proxy->cut_at = -1;
  g_mutex_init (&proxy->lock);
  if (!g_socket_listener_add_address (proxy->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    die ("proxy", error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  proxy->accept_thread = g_thread_new ("accept", accept_thread, proxy);
}

static void
proxy_stop (Proxy *proxy)
{
  g_cancellable_cancel (proxy->cancellable);
  g_thread_join (proxy->accept_thread);
  for (guint i = 0; i < proxy->pumps->len; i++)
    g_thread_join (proxy->pumps->pdata[i]);
  g_ptr_array_unref (proxy->pumps);
  g_socket_listener_close (proxy->listener);
  g_clear_object (&proxy->listener);
  g_clear_object (&proxy->cancellable);
  g_mutex_clear (&proxy->lock);
}

static gint64
proxy_take_upstream (Proxy *proxy)
{
  gint64 n;

  g_mutex_lock (&proxy->lock);
  n = proxy->upstream;
  proxy->upstream = 0;
  g_mutex_unlock (&proxy->lock);
  return n;
}

/* Upload @photo through the proxy (cut once after @cut_at upstream bytes, -1: not cut) with
 * a new client; when the upload fails on the cut, a second call resumes it. Returns the
 * bytes the client sent upstream in all (TLS, HTTP and the chunks), *@calls the uploads it
 * took, *@held what the server held when the cut upload stopped. */
static gint64
upload_through_proxy (Server     *server,
                      Proxy      *proxy,
                      PayamStore *kiosk,
                      PayamPhoto *photo,
                      gint64      cut_at,
                      guint      *calls,
                      gint64     *held)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", proxy->port);
  gint64 offset = 0;

  proxy_take_upstream (proxy);
  g_mutex_lock (&proxy->lock);
  proxy->cut_at = cut_at;
  g_mutex_unlock (&proxy->lock);
  *calls = 0;
  *held = -1;
  while (!server_holds (server, photo->sha256, &offset))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamSyncClient) client = kiosk_client (kiosk, url);

      if (*calls > 0 && *held < 0)
        *held = offset;
      if (++*calls > 3)
        die ("the upload did not resume", NULL);
      if (!payam_sync_client_upload_blob (client, photo->sha256, photo->bytes,
                                          PAYAM_BLOB_CHUNK_SIZE, NULL, NULL, &error))
        g_printerr ("bench-blobs: upload %u stopped: %s\n", *calls, error->message);
    }
  /* Every connection of the clients is closed: the pumps have counted everything. */
  g_usleep (100 * 1000);
  return proxy_take_upstream (proxy);
}

/* ---- main ------------------------------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PayamPhoto) photo = NULL;
  g_autoptr(PayamStore) kiosk = NULL;
  g_autoptr(GPtrArray) chunk_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) curl_argv = NULL;
  g_autoptr(GArray) client_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) curl_times = g_array_new (FALSE, FALSE, sizeof (double));
  Server server = { 0 };
  Proxy proxy = { 0 };
  gsize size;
  double mib, client_mbs, curl_mbs;
  gint64 whole, cut, held, extra;
  guint calls_whole, calls_cut;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "The payam-server binary", "PATH" },
    { "curl", 0, 0, G_OPTION_ARG_FILENAME, &opt_curl, "The curl binary (default: curl)",
      "PATH" },
    { "size", 0, 0, G_OPTION_ARG_INT, &opt_size_mib, "MiB of the photo (1 … 20, default 20)",
      "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Uploads by each (default 5)", "N" },
    { "cut-at", 0, 0, G_OPTION_ARG_DOUBLE, &opt_cut_mib,
      "Cut the connection after this many MiB sent (default 10.5)", "MIB" },
    { NULL }
  };

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (opt_server == NULL || opt_size_mib < 1 || opt_size_mib > 20 || opt_rounds < 1 ||
      opt_cut_mib <= 0 || opt_cut_mib >= opt_size_mib)
    {
      g_printerr ("bench-blobs --server PAYAM_SERVER [--size MIB] [--rounds N] [--cut-at MIB]\n");
      return 2;
    }
  if (opt_curl == NULL)
    opt_curl = g_find_program_in_path ("curl");
  if (opt_curl == NULL)
    die ("curl is not installed", NULL);

  dir = g_dir_make_tmp ("payam-bench-blobs-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);
  server_start (&server, dir);
  /* The server logs a line per request: keep reading them. */
  server.drain = g_thread_new ("drain", drain_thread, server.out);

  size = (gsize) opt_size_mib * 1024 * 1024;
  mib = size / (1024.0 * 1024.0);
  photo = random_photo (size);
  kiosk = kiosk_with_photo (&server, photo);
  for (gsize at = 0; at < size; at += PAYAM_BLOB_CHUNK_SIZE)
    {
      char *path = g_strdup_printf ("%s/chunk-%03" G_GSIZE_FORMAT, dir,
                                    at / PAYAM_BLOB_CHUNK_SIZE);

      if (!g_file_set_contents (path, (const char *) g_bytes_get_data (photo->bytes, NULL) + at,
                                MIN (PAYAM_BLOB_CHUNK_SIZE, size - at), &error))
        die ("chunk file", error);
      g_ptr_array_add (chunk_files, path);
    }
  curl_argv = curl_command (&server, kiosk, photo, chunk_files);

  printf ("bench-blobs: one %.0f MiB photo (random bytes) in %u chunks of 1 MiB to payam-server "
          "on 127.0.0.1 over HTTPS (TLS 1.3, HTTP/1.1), %d uploads each, alternating\n",
          mib, chunk_files->len, opt_rounds);
  for (int r = 0; r < opt_rounds; r++)
    {
      double t;

      const char *pid = g_subprocess_get_identifier (server.process);
      double own0, server0, own_cpu, server_cpu, curl_server_cpu;

      server_forget (&server, photo->sha256);
      own0 = cpu_s (NULL);
      server0 = cpu_s (pid);
      t = upload_with_client (&server, kiosk, photo);
      own_cpu = cpu_s (NULL) - own0;
      server_cpu = cpu_s (pid) - server0;
      g_array_append_val (client_times, t);
      server_forget (&server, photo->sha256);
      server0 = cpu_s (pid);
      t = upload_with_curl (&server, photo, curl_argv);
      curl_server_cpu = cpu_s (pid) - server0;
      g_array_append_val (curl_times, t);
      printf ("  round %d: client %.3f s (%.1f MiB/s; CPU %.2f s, server's %.2f s), "
              "curl %.3f s (%.1f MiB/s; server's CPU %.2f s)\n", r + 1,
              g_array_index (client_times, double, r), mib / g_array_index (client_times,
                                                                            double, r),
              own_cpu, server_cpu, t, mib / t, curl_server_cpu);
    }
  client_mbs = mib / median (client_times);
  curl_mbs = mib / median (curl_times);
  printf ("upload_client_mib_s: %.1f (median)\n", client_mbs);
  printf ("upload_curl_mib_s: %.1f (median; same HEAD and 1 MiB PATCH chunks, one connection)\n",
          curl_mbs);
  printf ("upload_client_vs_curl: %.0f %% (target >= 90 %%)\n", 100.0 * client_mbs / curl_mbs);

  /* The cut: the bytes the client sends upstream for a whole upload, then for one cut at
   * --cut-at and resumed; the difference is what the cut cost. */
  proxy_start (&proxy, server.port);
  server_forget (&server, photo->sha256);
  whole = upload_through_proxy (&server, &proxy, kiosk, photo, -1, &calls_whole, &held);
  printf ("uncut upload through the proxy: %u connection(s)\n", proxy.connections);
  server_forget (&server, photo->sha256);
  cut = upload_through_proxy (&server, &proxy, kiosk, photo,
                              (gint64) (opt_cut_mib * 1024 * 1024), &calls_cut, &held);
  proxy_stop (&proxy);
  extra = cut - whole;
  printf ("cut: the connection cut after %.1f MiB sent (%u cut), the server then held %"
          G_GINT64_FORMAT " bytes (%.2f chunks), %u upload call(s) to finish\n", opt_cut_mib,
          proxy.cuts, held, held / (double) PAYAM_BLOB_CHUNK_SIZE, calls_cut);
  printf ("upstream_bytes_whole: %" G_GINT64_FORMAT "\nupstream_bytes_cut_and_resumed: %"
          G_GINT64_FORMAT "\n", whole, cut);
  printf ("bytes_resent_after_cut: %" G_GINT64_FORMAT " (%.2f chunks; target <= 1 chunk)\n",
          extra, extra / (double) PAYAM_BLOB_CHUNK_SIZE);

  g_clear_object (&kiosk);
  server_stop (&server);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (g_file_test (path, G_FILE_TEST_IS_DIR))
          {
            g_autoptr(GDir) sub = g_dir_open (path, 0, NULL);
            const char *inner;

            while (sub != NULL && (inner = g_dir_read_name (sub)) != NULL)
              {
                g_autofree char *child = g_build_filename (path, inner, NULL);

                g_remove (child);
              }
            g_rmdir (path);
          }
        else
          g_remove (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
