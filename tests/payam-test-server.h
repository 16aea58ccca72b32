/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: the office server in-process on 127.0.0.1 over TLS, devices enrolled with it. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "payam-store-devices.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-server.h"

/* Include after <cmocka.h>. The server answers on the thread-default main context, so a
 * client must run in another thread while the test iterates it. */
typedef struct {
  char            *dir;
  PayamStore      *store;         /* the server's database */
  PayamSyncServer *server;        /* NULL while stopped */
  GTlsCertificate *certificate;
  char            *office_key;
  char            *fingerprint;
  char            *url;
  guint            port;
} PayamTestServer;

static inline void
payam_test_server_listen (PayamTestServer *ts)
{
  g_autoptr(GError) error = NULL;

  ts->server = payam_sync_server_new (ts->store, ts->certificate, ts->office_key);
  if (!payam_sync_server_listen_local (ts->server, ts->port, &error))
    fail_msg ("listen: %s", error->message);
  ts->port = payam_sync_server_get_port (ts->server);
}

/* A server with a new certificate and database in a temporary folder, listening on a free
 * port of 127.0.0.1. */
static inline PayamTestServer *
payam_test_server_new (void)
{
  PayamTestServer *ts = g_new0 (PayamTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *db = NULL;

  ts->dir = g_dir_make_tmp ("payam-test-server-XXXXXX", &error);
  assert_non_null (ts->dir);
  cert = g_build_filename (ts->dir, "cert.pem", NULL);
  key = g_build_filename (ts->dir, "key.pem", NULL);
  assert_true (payam_sync_identity_make_certificate (cert, key, "localhost", &error));
  ts->certificate = g_tls_certificate_new_from_files (cert, key, &error);
  if (ts->certificate == NULL)
    fail_msg ("%s", error->message);
  db = g_build_filename (ts->dir, "server.db", NULL);
  ts->store = payam_store_open (db, &error);
  assert_non_null (ts->store);
  /* The store opens the contacts kiosks seal, as payam-server's does. */
  ts->office_key = payam_sync_identity_load_office_key_for (ts->dir, ts->store, &error);
  assert_non_null (ts->office_key);
  assert_true (payam_store_load_defaults (ts->store, &error));
  ts->fingerprint = payam_sync_fingerprint (ts->certificate);
  assert_true (payam_store_set_server_fingerprint (ts->store, ts->fingerprint, &error));

  payam_test_server_listen (ts);
  ts->url = g_strdup_printf ("https://127.0.0.1:%u", ts->port);
  return ts;
}

/* Stop listening and close every connection: devices are offline. */
static inline void
payam_test_server_stop (PayamTestServer *ts)
{
  if (ts->server == NULL)
    return;
  payam_sync_server_disconnect (ts->server);
  g_clear_object (&ts->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Listen again on the same port, with the same database and certificate. */
static inline void
payam_test_server_restart (PayamTestServer *ts)
{
  g_assert (ts->server == NULL);
  payam_test_server_listen (ts);
}

static inline void
payam_test_server_free (PayamTestServer *ts)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  payam_test_server_stop (ts);
  g_clear_object (&ts->store);
  dir = g_dir_open (ts->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (ts->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (ts->dir);
  g_free (ts->dir);
  g_clear_object (&ts->certificate);
  g_free (ts->office_key);
  g_free (ts->fingerprint);
  g_free (ts->url);
  g_free (ts);
}

/* Run @func (@data) on a worker thread while this thread's main context serves, since the
 * client blocks and the server answers here; returns what @func returned. */
typedef struct {
  GThreadFunc func;
  gpointer    data;
  gpointer    result;
  gint        done;
} PayamTestJob;

static inline gpointer
payam_test_job_thread (gpointer data)
{
  PayamTestJob *job = data;

  job->result = job->func (job->data);
  g_atomic_int_set (&job->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static inline gpointer
payam_test_run_client (GThreadFunc func,
                       gpointer    data)
{
  PayamTestJob job = { func, data, NULL, 0 };
  GThread *thread = g_thread_new ("client", payam_test_job_thread, &job);

  while (!g_atomic_int_get (&job.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  return job.result;
}

typedef struct {
  const char *url;
  PayamStore *store;
  const char *code;
  GError     *error;
} PayamTestEnrolJob;

static inline gpointer
payam_test_enrol_thread (gpointer data)
{
  PayamTestEnrolJob *job = data;

  return payam_sync_enrol (job->store, job->url, job->code, NULL, &job->error);
}

/* A device store @name in the server's folder, with the default categories, enrolled as
 * @role (@crew_id for a crew) with a one-time code. */
static inline PayamStore *
payam_test_server_enrol (PayamTestServer *ts,
                         const char      *name,
                         PayamRole        role,
                         const char      *crew_id)
{
  g_autofree char *path = g_build_filename (ts->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *code = payam_sync_code_make (ts->fingerprint, &hash, &error);
  PayamStore *store = payam_store_open (path, &error);
  PayamTestEnrolJob job = { ts->url, store, code, NULL };
  PayamSyncEnrolReply *reply;

  assert_non_null (store);
  assert_non_null (code);
  if (!payam_store_add_enrol_code (ts->store, hash, role, crew_id, 1, &error))
    fail_msg ("%s", error->message);
  assert_true (payam_store_load_defaults (store, &error));
  reply = payam_test_run_client (payam_test_enrol_thread, &job);
  if (reply == NULL)
    fail_msg ("enrol: %s", job.error->message);
  payam_sync_enrol_reply_free (reply);
  return store;
}

/* A noisy JPEG photo of a few tens of kilobytes; the same @seed gives the same bytes. */
static inline PayamPhoto *
payam_test_photo (guint32 seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 160, 120);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize size = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * 120;
  gchar *buffer = NULL;
  gsize length = 0;
  PayamPhoto *photo;

  for (gsize i = 0; i < size; i++)
    pixels[i] = (guint8) g_rand_int_range (rand, 0, 256);
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                          "quality", "95", NULL));
  jpeg = g_bytes_new_take (buffer, length);
  photo = payam_photo_import_bytes (jpeg, &error);
  if (photo == NULL)
    fail_msg ("%s", error->message);
  return photo;
}

/* A request on @store with @n_photos photos attached (seeds from @seed); its id. */
static inline char *
payam_test_request_with_photos (PayamStore *store,
                                guint       n_photos,
                                guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ در خیابان", .category = "asphalt", .neighbourhood = "tohid",
  };

  request = payam_store_add_request (store, &draft, &error);
  if (request == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < n_photos; i++)
    {
      g_autoptr(PayamPhoto) photo = payam_test_photo (seed + i);

      assert_true (payam_store_add_photo (store, photo, &error));
      assert_true (payam_store_attach_photo (store, request->id, photo->sha256, &error));
    }
  return g_strdup (request->id);
}
