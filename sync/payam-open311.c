/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GeoReport v2 routes (issue #15): discovery, services and the dispatch of every
 * path under /open311/v2/ to its route (requests in payam-open311-requests.c, filing in
 * payam-open311-post.c). */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-open311-map.h"
#include "payam-open311-private.h"
#include "payam-open311-write.h"
#include "payam-open311.h"

#define PREFIX "/open311/v2/"
#define SPECIFICATION "http://wiki.open311.org/GeoReport_v2"
/* The date of the last change to what this endpoint offers (discovery's changeset). */
#define CHANGESET "2026-12-07T00:00:00+03:30"

void
payam_open311_context_free (PayamOpen311Context *context)
{
  g_clear_object (&context->store);
  g_clear_pointer (&context->key_limit, payam_sync_rate_limit_free);
  g_clear_pointer (&context->read_limit, payam_sync_rate_limit_free);
  if (context->dup_index_cancel != NULL)
    g_cancellable_cancel (context->dup_index_cancel);
  g_clear_object (&context->dup_index_cancel);
  g_clear_object (&context->dup_index);
  g_clear_pointer (&context->media_cache, payam_open311_media_cache_free);
  g_free (context->jurisdiction_id);
  g_free (context);
}

void
payam_open311_respond_too_many (SoupServerMessage  *msg,
                                PayamOpen311Format  format,
                                guint               retry_after,
                                const char         *description)
{
  g_autofree char *seconds = g_strdup_printf ("%u", MAX (retry_after, 1));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  payam_open311_respond_error (msg, PAYAM_OPEN311_TOO_MANY_REQUESTS, format, description);
}

/* ------------------------------------------------------------------ discovery, services */

static void
get_discovery (PayamOpen311Context *context,
               SoupServerMessage   *msg,
               PayamOpen311Format   format)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = NULL;

  url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                    g_uri_get_port (uri), "/open311/v2", NULL, NULL);
  json_builder_begin_object (builder);
  payam_open311_add_string (builder, "changeset", CHANGESET);
  payam_open311_add_string (builder, "contact", _("The district municipality's office"));
  payam_open311_add_string (builder, "key_service", _("Ask the district office for an api_key."));
  payam_open311_add_string (builder, "jurisdiction_id", context->jurisdiction_id);
  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  payam_open311_add_string (builder, "specification", SPECIFICATION);
  payam_open311_add_string (builder, "url", url);
  payam_open311_add_string (builder, "changeset", CHANGESET);
  payam_open311_add_string (builder, "type", "production");
  json_builder_set_member_name (builder, "formats");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "application/json");
  json_builder_add_string_value (builder, "text/xml");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "discovery", NULL,
                         json_builder_get_root (builder));
}

static void
get_services (PayamOpen311Context *context,
              SoupServerMessage   *msg,
              PayamOpen311Format   format)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = payam_store_list_categories (context->store, &error);

  if (categories == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, format,
                                   error->message);
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);

      json_builder_begin_object (builder);
      payam_open311_add_string (builder, "service_code", category->code);
      payam_open311_add_string (builder, "service_name", category->name);
      payam_open311_add_string (builder, "description",
                                payam_open311_service_description (category));
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_boolean_value (builder,
                                      payam_open311_service_has_metadata (category));
      payam_open311_add_string (builder, "type", "realtime");
      payam_open311_add_string (builder, "keywords", NULL);
      payam_open311_add_string (builder, "group", _("District services"));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "services", "service",
                         json_builder_get_root (builder));
}

static void
get_service_definition (PayamOpen311Context *context,
                        SoupServerMessage   *msg,
                        PayamOpen311Format   format,
                        const char          *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(PayamCategory) category = payam_store_get_category (context->store, code, NULL);
  const PayamOpen311Attribute *attributes;
  guint n = 0;

  if (category == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                   _("There is no service with this service_code."));
      return;
    }
  attributes = payam_open311_attributes (&n);
  json_builder_begin_object (builder);
  payam_open311_add_string (builder, "service_code", category->code);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "variable");
      json_builder_add_boolean_value (builder, TRUE);
      payam_open311_add_string (builder, "code", attributes[i].code);
      payam_open311_add_string (builder, "datatype", "singlevaluelist");
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, FALSE);
      payam_open311_add_string (builder, "datatype_description", NULL);
      json_builder_set_member_name (builder, "order");
      json_builder_add_int_value (builder, attributes[i].order);
      payam_open311_add_string (builder, "description", _(attributes[i].description));
      json_builder_set_member_name (builder, "values");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      payam_open311_add_string (builder, "key", "true");
      payam_open311_add_string (builder, "name", _("Yes"));
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      payam_open311_add_string (builder, "key", "false");
      payam_open311_add_string (builder, "name", _("No"));
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_definition", NULL,
                         json_builder_get_root (builder));
}

/* ------------------------------------------------------------------ dispatch */

/* Split "requests/ABC.json" into the resource ("requests/ABC") and its format; FALSE when
 * the path names neither .json nor .xml. */
static gboolean
split_format (const char         *rest,
              char              **resource,
              PayamOpen311Format *format)
{
  const char *dot = strrchr (rest, '.');

  *format = PAYAM_OPEN311_JSON;
  if (dot == NULL)
    return FALSE;
  if (strcmp (dot, ".json") == 0)
    *format = PAYAM_OPEN311_JSON;
  else if (strcmp (dot, ".xml") == 0)
    *format = PAYAM_OPEN311_XML;
  else
    return FALSE;
  *resource = g_uri_unescape_segment (rest, dot, NULL);
  return *resource != NULL;
}

/* Count a GET against its client address; FALSE after answering 429 past the limit. */
static gboolean
take_read (PayamOpen311Context *context,
           SoupServerMessage   *msg,
           PayamOpen311Format   format)
{
  g_autofree char *key = NULL;
  guint retry_after = 0;

  if (context->read_limit == NULL)
    return TRUE;
  key = context->client_key != NULL
        ? context->client_key (msg, context->key_data)
        : g_strdup (soup_server_message_get_remote_host (msg));
  if (payam_sync_rate_limit_take (context->read_limit, key != NULL ? key : "-",
                                  g_get_monotonic_time (), &retry_after))
    return TRUE;
  payam_open311_respond_too_many (msg, format, retry_after,
                                  _("Too many requests from this address; wait a minute."));
  return FALSE;
}

static void
handle_open311 (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  PayamOpen311Context *context = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *jurisdiction = query != NULL ? g_hash_table_lookup (query, "jurisdiction_id")
                                           : NULL;
  g_autofree char *resource = NULL;
  PayamOpen311Format format = PAYAM_OPEN311_JSON;

  gboolean reading = strcmp (method, SOUP_METHOD_GET) == 0 ||
                     strcmp (method, SOUP_METHOD_HEAD) == 0;
  gboolean known;

  (void) server;
  known = g_str_has_prefix (path, PREFIX) &&
          split_format (path + strlen (PREFIX), &resource, &format);
  /* Every reading counts against its address, a refused one too. */
  if (reading && !take_read (context, msg, format))
    return;
  if (g_str_has_prefix (path, PREFIX "media/"))
    {
      if (jurisdiction != NULL && *jurisdiction != '\0' &&
          strcmp (jurisdiction, context->jurisdiction_id) != 0)
        payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, PAYAM_OPEN311_JSON,
                                     _("jurisdiction_id not found."));
      else if (!reading)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", "GET");
          payam_open311_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                       PAYAM_OPEN311_JSON, _("Use GET here."));
        }
      else
        payam_open311_get_media (context, msg, path + strlen (PREFIX "media/"));
      return;
    }
  if (!known)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, PAYAM_OPEN311_JSON,
                                   _("There is no such Open311 resource: end the path with "
                                     ".json or .xml."));
      return;
    }
  if (strcmp (method, SOUP_METHOD_POST) == 0)
    {
      GHashTable *form = payam_open311_form (msg);

      if (form != NULL)
        jurisdiction = g_hash_table_lookup (form, "jurisdiction_id");
    }
  /* The specification's answer to a jurisdiction this endpoint does not serve. */
  if (jurisdiction != NULL && *jurisdiction != '\0' &&
      strcmp (jurisdiction, context->jurisdiction_id) != 0)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                   _("jurisdiction_id not found."));
      return;
    }
  if (strcmp (resource, "requests") == 0 && strcmp (method, SOUP_METHOD_POST) == 0)
    {
      payam_open311_post_request (context, msg, format);
      return;
    }
  if (!reading)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET");
      payam_open311_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, format,
                                   _("Use GET here."));
      return;
    }
  if (strcmp (resource, "discovery") == 0)
    get_discovery (context, msg, format);
  else if (strcmp (resource, "services") == 0)
    get_services (context, msg, format);
  else if (g_str_has_prefix (resource, "services/") && strchr (resource + 9, '/') == NULL)
    get_service_definition (context, msg, format, resource + 9);
  else if (strcmp (resource, "requests") == 0)
    payam_open311_get_requests (context, msg, format, query);
  else if (g_str_has_prefix (resource, "requests/") && strchr (resource + 9, '/') == NULL)
    payam_open311_get_request (context, msg, format, resource + 9);
  else if (g_str_has_prefix (resource, "tokens/") && strchr (resource + 7, '/') == NULL)
    payam_open311_get_token (context, msg, format, resource + 7);
  else if (strcmp (resource, "servicerequestupdates") == 0)
    payam_open311_get_updates (context, msg, format, query);
  else
    payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                 _("There is no such Open311 resource."));
}

/* The duplicate index, built in a worker thread (one pass over the store: about 100 s a
 * million requests, bench/office/README.md) while the server's loop answers devices and
 * filings; a filing before it is ready goes on without suggestions, and the office's
 * review still finds its duplicates. Says so on standard error, which tests wait for. */
static void
dup_index_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PayamDupIndex *index = payam_dup_index_new_finish (result, &error);
  PayamOpen311Context *context;

  /* Cancelled: the routes are gone, and @user_data with them. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  context = user_data;
  if (index == NULL)
    {
      g_warning ("no duplicate index: %s", error->message);
      return;
    }
  context->dup_index = index;
  g_message ("Duplicate index ready in %.1f s.",
             (g_get_monotonic_time () - context->dup_index_started) / 1e6);
}

PayamOpen311 *
payam_open311_add_routes (SoupServer                *soup,
                          PayamStore                *store,
                          PayamOpen311ClientKeyFunc  client_key,
                          gpointer                   key_data)
{
  PayamOpen311Context *context;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  context = g_new0 (PayamOpen311Context, 1);
  context->store = g_object_ref (store);
  context->key_limit = payam_sync_rate_limit_new (PAYAM_OPEN311_KEY_PER_MINUTE,
                                                  PAYAM_OPEN311_KEY_BURST);
  context->read_limit = payam_sync_rate_limit_new (PAYAM_OPEN311_READ_PER_MINUTE,
                                                   PAYAM_OPEN311_READ_BURST);
  context->jurisdiction_id = g_strdup (PAYAM_OPEN311_JURISDICTION_ID);
  context->client_key = client_key;
  context->key_data = key_data;
  soup_server_add_handler (soup, "/open311/v2", handle_open311, context,
                           (GDestroyNotify) payam_open311_context_free);
  context->dup_index_cancel = g_cancellable_new ();
  context->dup_index_started = g_get_monotonic_time ();
  payam_dup_index_new_async (store, context->dup_index_cancel, dup_index_built, context);
  return context;
}

gboolean
payam_open311_jurisdiction_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '.' && id[i] != '_' && id[i] != '-')
      return FALSE;
  return TRUE;
}

void
payam_open311_set_jurisdiction (PayamOpen311 *self,
                                const char   *id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (payam_open311_jurisdiction_valid (id));
  g_free (self->jurisdiction_id);
  self->jurisdiction_id = g_strdup (id);
}

void
payam_open311_set_read_rate (PayamOpen311 *self,
                             guint         per_minute,
                             guint         burst)
{
  g_return_if_fail (self != NULL);
  g_clear_pointer (&self->read_limit, payam_sync_rate_limit_free);
  if (per_minute > 0)
    self->read_limit = payam_sync_rate_limit_new (per_minute, burst);
}
