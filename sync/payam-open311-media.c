/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 media (issue #15): GET media/{code}/{sha256}.jpg serves one photo of a request's
 * public view, the photos of the work done on it (payam-store-public.h), never the photo a
 * citizen took, which may show people, homes or number plates. Each is decoded and encoded
 * again (payam_photo_import_bytes(): no EXIF, no GPS, at most PAYAM_PHOTO_MAX_SIDE pixels a
 * side) before it leaves, whatever the device that sent it put in it. */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-open311-private.h"
#include "payam-photo.h"
#include "payam-store-public.h"

/* Encoded photos kept for the next client: the few of the latest closed requests. */
#define CACHE_SIZE 16
/* How long a client may keep a photo: its address names its content. */
#define MAX_AGE "public, max-age=86400"

typedef struct {
  char   *sha256;
  char   *mime;
  GBytes *bytes;
} CachedPhoto;

static void
cached_photo_free (CachedPhoto *photo)
{
  g_free (photo->sha256);
  g_free (photo->mime);
  g_bytes_unref (photo->bytes);
  g_free (photo);
}

void
payam_open311_media_cache_free (GQueue *cache)
{
  if (cache != NULL)
    g_queue_free_full (cache, (GDestroyNotify) cached_photo_free);
}

char *
payam_open311_media_url (SoupServerMessage *msg,
                         const char        *code,
                         const char        *sha256)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = NULL;

  if (code == NULL || sha256 == NULL)
    return NULL;
  path = g_strdup_printf ("/open311/v2/media/%s/%s.jpg", code, sha256);
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), path, NULL, NULL);
}

/* The photo @sha256 encoded again, from the cache or the store (then kept, the oldest
 * dropped); NULL when it is not stored or does not decode. */
static const CachedPhoto *
encoded_photo (PayamOpen311Context *context,
               const char          *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(PayamPhoto) photo = NULL;
  CachedPhoto *cached;

  if (context->media_cache == NULL)
    context->media_cache = g_queue_new ();
  for (GList *l = context->media_cache->head; l != NULL; l = l->next)
    if (strcmp (((CachedPhoto *) l->data)->sha256, sha256) == 0)
      return l->data;
  stored = payam_store_dup_photo_bytes (context->store, sha256, FALSE, &error);
  if (stored == NULL)
    return NULL;
  /* payam_photo_import_bytes() refuses more than PAYAM_PHOTO_MAX_BYTES or
   * PAYAM_PHOTO_MAX_PIXELS before it decodes. */
  photo = payam_photo_import_bytes (stored, &error);
  if (photo == NULL)
    {
      g_message ("photo %s is not served: %s", sha256, error->message);
      return NULL;
    }
  cached = g_new0 (CachedPhoto, 1);
  cached->sha256 = g_strdup (sha256);
  cached->mime = g_strdup (photo->mime);
  cached->bytes = g_bytes_ref (photo->bytes);
  g_queue_push_head (context->media_cache, cached);
  while (g_queue_get_length (context->media_cache) > CACHE_SIZE)
    cached_photo_free (g_queue_pop_tail (context->media_cache));
  return cached;
}

static gboolean
is_sha256 (const char *text,
           gsize       length)
{
  if (length != 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

void
payam_open311_get_media (PayamOpen311Context *context,
                         SoupServerMessage   *msg,
                         const char          *rest)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *slash = strchr (rest, '/');
  const char *if_none_match;
  g_autofree char *code = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(PayamPublicView) view = NULL;
  const CachedPhoto *photo = NULL;
  const char *sha256;

  /* CODE/SHA256.jpg, where SHA256 names a photo of the request's public view. */
  if (slash != NULL && g_str_has_suffix (slash + 1, ".jpg") &&
      is_sha256 (slash + 1, strlen (slash + 1) - 4) && slash - rest <= 64)
    code = g_strndup (rest, slash - rest);
  sha256 = slash != NULL ? slash + 1 : NULL;
  if (code != NULL)
    view = payam_store_get_public_view (context->store, code, NULL);
  for (guint i = 0; view != NULL && view->photos[i] != NULL; i++)
    if (strncmp (view->photos[i], sha256, 64) == 0)
      {
        photo = encoded_photo (context, view->photos[i]);
        break;
      }
  if (photo == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, PAYAM_OPEN311_JSON,
                                   _("There is no such public photo."));
      return;
    }

  etag = g_strdup_printf ("\"%s\"", photo->sha256);
  soup_message_headers_replace (headers, "Cache-Control", MAX_AGE);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Disposition", "inline");
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "If-None-Match");
  if (if_none_match != NULL && strstr (if_none_match, etag) != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, photo->mime, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (photo->bytes, NULL),
                                    g_bytes_get_size (photo->bytes));
}
