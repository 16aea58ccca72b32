/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncClient: libsoup requests to the office server over a pinned TLS certificate, and
 * device enrolment. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "payam-store-devices.h"
#include "payam-sync-client.h"
#include "payam-sync-code.h"

#define MAX_PIN 32

struct _PayamSyncClient
{
  GObject      parent_instance;

  /* owned */
  SoupSession *session;
  GUri        *base;
  char        *credential;
  char        *peer_fingerprint;

  guint8       pin[MAX_PIN];
  gsize        pin_length;
  gint64       expected_seq; /* Payam-Expected-Seq of the last 409 answer, else 0 */
  PayamHlc     server_hlc;   /* and its Payam-Server-Hlc, else 0 */
  gint64       acked_through; /* and its Payam-Acked-Through, else 0 */
};

G_DEFINE_FINAL_TYPE (PayamSyncClient, payam_sync_client, G_TYPE_OBJECT)

static void
payam_sync_client_finalize (GObject *object)
{
  PayamSyncClient *self = PAYAM_SYNC_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base, g_uri_unref);
  if (self->credential != NULL)
    memset (self->credential, 0, strlen (self->credential));
  g_clear_pointer (&self->credential, g_free);
  g_clear_pointer (&self->peer_fingerprint, g_free);
  G_OBJECT_CLASS (payam_sync_client_parent_class)->finalize (object);
}

static void
payam_sync_client_class_init (PayamSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_sync_client_finalize;
}

static void
payam_sync_client_init (PayamSyncClient *self)
{
}

static gboolean
hex_to_pin (const char *hex,
            guint8      out[MAX_PIN])
{
  if (hex == NULL || strlen (hex) != 2 * MAX_PIN)
    return FALSE;
  for (gsize i = 0; i < MAX_PIN; i++)
    {
      if (!g_ascii_isxdigit (hex[2 * i]) || !g_ascii_isxdigit (hex[2 * i + 1]))
        return FALSE;
      out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) * 16 +
                         g_ascii_xdigit_value (hex[2 * i + 1]));
    }
  return TRUE;
}

PayamSyncClient *
payam_sync_client_new (const char    *server_url,
                       const guint8  *pin,
                       gsize          pin_length,
                       const char    *credential,
                       GError       **error)
{
  g_autoptr(PayamSyncClient) self = NULL;
  g_autoptr(GUri) base = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (pin != NULL && pin_length >= 16 && pin_length <= MAX_PIN, NULL);

  base = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (base == NULL || g_strcmp0 (g_uri_get_scheme (base), "https") != 0 ||
      g_uri_get_host (base) == NULL)
    {
      /* Translators: %s is the address the user gave. */
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                   _("“%s” is not an https:// address: the server speaks HTTPS only."),
                   server_url);
      return NULL;
    }

  self = g_object_new (PAYAM_TYPE_SYNC_CLIENT, NULL);
  self->base = g_steal_pointer (&base);
  memcpy (self->pin, pin, pin_length);
  self->pin_length = pin_length;
  self->credential = g_strdup (credential);
  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "idle-timeout", 60,
                                                 "user-agent", "payam/" PACKAGE_VERSION,
                                                 NULL);
  /* No CA database: every certificate then fails validation, so accept-certificate runs
   * for every connection and the pin alone decides (a CA-valid impostor included). */
  soup_session_set_tls_database (self->session, NULL);
  return g_steal_pointer (&self);
}

PayamSyncClient *
payam_sync_client_new_for_store (PayamStore  *store,
                                 GError     **error)
{
  g_autoptr(PayamEnrolment) enrolment = NULL;
  guint8 pin[MAX_PIN];

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  enrolment = payam_store_get_enrolment (store, error);
  if (enrolment == NULL)
    return NULL;
  if (!hex_to_pin (enrolment->fingerprint, pin))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                           _("The saved server fingerprint is damaged: enrol this device again."));
      return NULL;
    }
  return payam_sync_client_new (enrolment->server_url, pin, MAX_PIN, enrolment->credential,
                                error);
}

const char *
payam_sync_client_get_peer_fingerprint (PayamSyncClient *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (self), NULL);
  return self->peer_fingerprint;
}

/* Whether @certificate's SHA-256 starts with the pin. */
static gboolean
matches_pin (PayamSyncClient *self,
             GTlsCertificate *certificate)
{
  g_autofree char *fingerprint = NULL;
  guint8 digest[MAX_PIN];

  if (certificate == NULL)
    return FALSE;
  fingerprint = payam_sync_fingerprint (certificate);
  return hex_to_pin (fingerprint, digest) && memcmp (digest, self->pin, self->pin_length) == 0;
}

/* Never "accept if the errors are X": the pin is the only thing that counts. */
static gboolean
accept_certificate (SoupMessage          *msg,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors,
                    gpointer              user_data)
{
  return matches_pin (user_data, certificate);
}

/* The error of a non-2xx answer: the server's code and message when it sent an error body. */
static void
set_answer_error (guint          status,
                  GBytes        *body,
                  GError       **error)
{
  g_autoptr(PayamSyncErrorBody) parsed = NULL;
  int code = PAYAM_SYNC_ERROR_REFUSED;

  if (body != NULL)
    parsed = payam_sync_decode_error (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                      NULL);
  if (status == SOUP_STATUS_UNAUTHORIZED ||
      (parsed != NULL && strcmp (parsed->error, "revoked") == 0))
    code = PAYAM_SYNC_ERROR_UNAUTHORIZED;
  else if (parsed != NULL && (g_str_has_prefix (parsed->error, "code-") ||
                              strcmp (parsed->error, "already-enrolled") == 0 ||
                              strcmp (parsed->error, "no-prefix") == 0))
    code = PAYAM_SYNC_ERROR_ENROLMENT;

  if (parsed != NULL)
    g_set_error_literal (error, PAYAM_SYNC_ERROR, code, parsed->message);
  else
    /* Translators: %u is an HTTP status number such as 502. */
    g_set_error (error, PAYAM_SYNC_ERROR, code, _("The server answered with status %u."), status);
}

/* Send @msg with the credential, over a connection whose certificate matches the pin;
 * the answer's body whatever its status (caller owns it), or NULL with TLS, NETWORK or a
 * cancellation. */
static GBytes *
exchange (PayamSyncClient  *self,
          SoupMessage      *msg,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *peer;

  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate), self, 0);
  if (self->credential != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->credential, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }

  reply = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  if (reply == NULL)
    {
      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                             _("The server’s certificate is not the one this device trusts: "
                               "check the address, or make a new code at the office."));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        /* Translators: %s is the reason from the network library. */
        g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_NETWORK,
                     _("Could not reach the server: %s"), local_error->message);
      return NULL;
    }

  /* Belt and braces: the certificate the answer came over must match the pin too. */
  peer = soup_message_get_tls_peer_certificate (msg);
  if (!matches_pin (self, peer))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                           _("The server’s certificate is not the one this device trusts: "
                             "check the address, or make a new code at the office."));
      return NULL;
    }
  g_free (self->peer_fingerprint);
  self->peer_fingerprint = payam_sync_fingerprint (peer);
  return g_steal_pointer (&reply);
}

static SoupMessage *
new_message (PayamSyncClient  *self,
             const char       *method,
             const char       *path,
             GError          **error)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, path, G_URI_FLAGS_NONE, error);

  if (uri == NULL)
    return NULL;
  return soup_message_new_from_uri (method, uri);
}

GBytes *
payam_sync_client_send (PayamSyncClient  *self,
                        const char       *method,
                        const char       *path,
                        const char       *body,
                        guint            *status,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  guint code;

  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && path[0] == '/', NULL);

  msg = new_message (self, method, path, error);
  if (msg == NULL)
    return NULL;
  /* libsoup 3 never sends a POST over a kept-alive connection unless the message is flagged
   * idempotent: without the flag every push paid a new TCP connection and TLS handshake. A
   * push may safely be sent twice (the server answers ops it already has as duplicates, by
   * device and seq), so it is flagged; an enrolment spends a one-time code and is not. */
  if (strcmp (method, "POST") == 0 && strcmp (path, "/v1/push") == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  reply = exchange (self, msg, cancellable, error);
  if (reply == NULL)
    return NULL;
  code = soup_message_get_status (msg);
  if (status != NULL)
    *status = code;
  self->expected_seq = 0;
  self->server_hlc = 0;
  self->acked_through = 0;
  if (code == SOUP_STATUS_CONFLICT)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
      const char *expected = soup_message_headers_get_one (headers, "Payam-Expected-Seq");
      const char *hlc = soup_message_headers_get_one (headers, "Payam-Server-Hlc");
      const char *held = soup_message_headers_get_one (headers, "Payam-Acked-Through");
      guint64 seq = 0;

      if (expected != NULL &&
          g_ascii_string_to_unsigned (expected, 10, 1, G_MAXINT64, &seq, NULL))
        self->expected_seq = (gint64) seq;
      if (hlc == NULL || !payam_hlc_parse (hlc, &self->server_hlc))
        self->server_hlc = 0;
      if (held != NULL && g_ascii_string_to_unsigned (held, 10, 0, G_MAXINT64, &seq, NULL))
        self->acked_through = (gint64) seq;
    }
  if (code < 200 || code >= 300)
    {
      set_answer_error (code, reply, error);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/* The Upload-Offset of @msg's answer, or -1 when absent or not a number. */
static gint64
answer_offset (SoupMessage *msg)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Upload-Offset");
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return -1;
  return (gint64) value;
}

static gboolean
bad_offset_answer (GError **error)
{
  g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("The server’s answer about the photo upload is incomplete."));
  return FALSE;
}

static void
got_no_content (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_EOF)
    soup_message_headers_set_content_length (headers, 0);
}

/* Keep the connection after a 204 answer: it carries no Content-Length (RFC 9110), which
 * libsoup 3.2 takes for a body read to the end of the connection, so it closed it and
 * every chunk of an upload paid a new TCP connection and TLS handshake. */
static void
keep_alive_after_no_content (SoupMessage *msg)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_no_content), NULL);
}

/* HEAD /v1/blobs/@sha256: the offset to continue from (the size when complete). */
static gboolean
blob_offset (PayamSyncClient  *self,
             const char       *path,
             gint64           *offset,
             gboolean         *complete,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(SoupMessage) msg = new_message (self, "HEAD", path, error);
  g_autoptr(GBytes) reply = NULL;
  guint code;

  if (msg == NULL)
    return FALSE;
  keep_alive_after_no_content (msg);
  reply = exchange (self, msg, cancellable, error);
  if (reply == NULL)
    return FALSE;
  code = soup_message_get_status (msg);
  if (code != SOUP_STATUS_OK && code != SOUP_STATUS_NO_CONTENT)
    {
      if (code == SOUP_STATUS_NOT_FOUND)
        g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED,
                             _("The server does not know this photo yet; push its record "
                               "first."));
      else
        set_answer_error (code, NULL, error);
      return FALSE;
    }
  *complete = code == SOUP_STATUS_OK;
  *offset = answer_offset (msg);
  return *offset >= 0 || bad_offset_answer (error);
}

gboolean
payam_sync_client_upload_blob (PayamSyncClient  *self,
                               const char       *sha256,
                               GBytes           *bytes,
                               gsize             chunk_size,
                               gsize            *sent,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *length = NULL;
  gsize size;
  gint64 offset = 0;
  gboolean complete = FALSE;
  guint conflicts = 0;

  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && bytes != NULL, FALSE);
  g_return_val_if_fail (chunk_size > 0, FALSE);

  if (sent != NULL)
    *sent = 0;
  size = g_bytes_get_size (bytes);
  path = g_strconcat ("/v1/blobs/", sha256, NULL);
  length = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  if (!blob_offset (self, path, &offset, &complete, cancellable, error))
    return FALSE;

  while (!complete && (gsize) offset < size)
    {
      gsize n = MIN (chunk_size, size - (gsize) offset);
      g_autoptr(SoupMessage) msg = new_message (self, "PATCH", path, error);
      g_autoptr(GBytes) chunk = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autofree char *at = NULL;
      SoupMessageHeaders *headers;
      guint code;

      if (msg == NULL)
        return FALSE;
      headers = soup_message_get_request_headers (msg);
      at = g_strdup_printf ("%" G_GINT64_FORMAT, offset);
      soup_message_headers_replace (headers, "Upload-Offset", at);
      soup_message_headers_replace (headers, "Upload-Length", length);
      /* A chunk may be sent twice: the offset makes the second one a 409, not a copy. */
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
      keep_alive_after_no_content (msg);
      chunk = g_bytes_new_from_bytes (bytes, (gsize) offset, n);
      soup_message_set_request_body_from_bytes (msg, "application/offset+octet-stream", chunk);
      reply = exchange (self, msg, cancellable, error);
      if (reply == NULL)
        return FALSE;
      if (sent != NULL)
        *sent += n;
      code = soup_message_get_status (msg);
      if (code == SOUP_STATUS_CONFLICT && conflicts++ < 2)
        {
          /* Another upload moved the offset (or the blob is complete): go on from there. */
          if (!blob_offset (self, path, &offset, &complete, cancellable, error))
            return FALSE;
          continue;
        }
      if (code < 200 || code >= 300)
        {
          set_answer_error (code, reply, error);
          return FALSE;
        }
      offset = answer_offset (msg);
      if (offset < 0)
        return bad_offset_answer (error);
    }
  return TRUE;
}

GBytes *
payam_sync_client_download_blob (PayamSyncClient  *self,
                                 const char       *sha256,
                                 guint            *status,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  path = g_strconcat ("/v1/blobs/", sha256, NULL);
  bytes = payam_sync_client_send (self, "GET", path, NULL, status, cancellable, error);
  if (bytes == NULL)
    return NULL;
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (!g_str_equal (actual, sha256))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("The photo from the server does not match its checksum."));
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

PayamSyncWhoami *
payam_sync_client_whoami (PayamSyncClient  *self,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(GBytes) reply = payam_sync_client_send (self, "GET", "/v1/whoami", NULL, NULL,
                                                    cancellable, error);

  if (reply == NULL)
    return NULL;
  return payam_sync_decode_whoami (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                   error);
}

PayamSyncPushResponse *
payam_sync_client_push (PayamSyncClient             *self,
                        const PayamSyncPushRequest  *request,
                        guint                       *status,
                        GCancellable                *cancellable,
                        GError                     **error)
{
  g_autofree char *body = payam_sync_encode_push_request (request);
  g_autoptr(GBytes) reply = payam_sync_client_send (self, "POST", "/v1/push", body, status,
                                                    cancellable, error);

  if (reply == NULL)
    return NULL;
  return payam_sync_decode_push_response (g_bytes_get_data (reply, NULL),
                                          g_bytes_get_size (reply), error);
}

PayamSyncPullReply *
payam_sync_client_pull (PayamSyncClient  *self,
                        gint64            after,
                        guint             limit,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autofree char *path = payam_sync_pull_path (after, limit);
  g_autoptr(GBytes) reply = payam_sync_client_send (self, "GET", path, NULL, NULL,
                                                    cancellable, error);

  if (reply == NULL)
    return NULL;
  return payam_sync_decode_pull_reply (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                       error);
}

PayamSyncEnrolReply *
payam_sync_enrol (PayamStore    *store,
                  const char    *server_url,
                  const char    *code,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *body = NULL;
  PayamSyncEnrolRequest request = { NULL, };
  PayamEnrolment enrolment = { NULL, };
  guint8 pin[PAYAM_SYNC_CODE_PIN_BYTES];

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL && code != NULL, NULL);

  if (!payam_sync_code_parse (code, &secret, pin, error))
    return NULL;
  client = payam_sync_client_new (server_url, pin, sizeof pin, NULL, error);
  if (client == NULL)
    return NULL;

  request.code = secret;
  request.device_id = (char *) payam_store_get_device_id (store);
  body = payam_sync_encode_enrol_request (&request);
  answer = payam_sync_client_send (client, "POST", "/v1/enrol", body, NULL, cancellable, error);
  if (answer == NULL)
    return NULL;
  reply = payam_sync_decode_enrol_reply (g_bytes_get_data (answer, NULL),
                                         g_bytes_get_size (answer), error);
  if (reply == NULL)
    return NULL;
  if (strcmp (reply->device_id, request.device_id) != 0)
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("The server enrolled another device id than this one."));
      return NULL;
    }

  /* From now on the device pins the whole fingerprint it has just seen. */
  enrolment.server_url = (char *) server_url;
  enrolment.fingerprint = (char *) payam_sync_client_get_peer_fingerprint (client);
  enrolment.credential = reply->credential;
  payam_role_from_string (reply->role, &enrolment.role);
  enrolment.crew_id = reply->crew_id;
  enrolment.office_public_key = reply->office_public_key;
  if (!payam_store_save_enrolment (store, &enrolment, reply->prefix, error))
    return NULL;
  return g_steal_pointer (&reply);
}

gint64
payam_sync_client_get_expected_seq (PayamSyncClient *self,
                                    PayamHlc        *server_hlc,
                                    gint64          *acked_through)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (self), 0);

  if (server_hlc != NULL)
    *server_hlc = self->server_hlc;
  if (acked_through != NULL)
    *acked_through = self->acked_through;
  return self->expected_seq;
}
