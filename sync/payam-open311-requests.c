/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GET requests, requests/{id} and servicerequestupdates (issue #15). Everything
 * said about a request comes from its public view (payam-store-public.h) and, for its
 * place, the gazetteer: never a phone, name, device, crew's note or staff's text. */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-open311-map.h"
#include "payam-open311-private.h"
#include "payam-store-open311.h"
#include "payam-store-public.h"

/* When a client gives no dates, requests of the last 90 days (the specification's default). */
#define DEFAULT_DAYS 90

char *
payam_open311_time (GDateTime *when)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;
  /* The district's own clock, with its offset, as the specification's examples do. */
  zone = g_time_zone_new_identifier ("Asia/Tehran");
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (when, zone);
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* The same for the UTC text of a public view. */
static char *
view_time (const char *text)
{
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return NULL;
  when = g_date_time_new_from_iso8601 (text, NULL);
  return payam_open311_time (when);
}

/* A date parameter: W3C/ISO 8601, UTC when it names no offset. NULL (with *@bad) when
 * present but unreadable. */
static GDateTime *
query_date (GHashTable *query,
            const char *name,
            gboolean   *bad)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *when;

  if (text == NULL || *text == '\0')
    return NULL;
  when = g_date_time_new_from_iso8601 (text, utc);
  if (when == NULL)
    {
      /* A bare date ("2026-12-01") means its midnight. */
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      when = g_date_time_new_from_iso8601 (midnight, utc);
    }
  if (when == NULL)
    *bad = TRUE;
  return when;
}

/* The name of the gazetteer place of @kind under @parent named @name, or NULL: words the
 * citizen picked from the list, never words typed freely. */
static char *
gazetteer_name (PayamStore *store,
                const char *kind,
                const char *parent,
                const char *name)
{
  g_autoptr(GPtrArray) places = NULL;

  if (name == NULL || parent == NULL)
    return NULL;
  places = payam_store_list_places (store, kind, parent, NULL);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *place = g_ptr_array_index (places, i);

      if (g_strcmp0 (place->name, name) == 0 || g_strcmp0 (place->code, name) == 0)
        return g_strdup (place->name);
    }
  return NULL;
}

/* "Landmark، street، neighbourhood" from the gazetteer's names, or NULL. */
static char *
public_address (PayamStore         *store,
                const PayamRequest *request)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PayamPlace) neighbourhood = NULL;
  g_autoptr(GPtrArray) places = NULL;
  char *part;

  part = gazetteer_name (store, "landmark", request->neighbourhood, request->landmark);
  if (part != NULL)
    g_ptr_array_add (parts, part);
  part = gazetteer_name (store, "street", request->neighbourhood, request->street);
  if (part != NULL)
    g_ptr_array_add (parts, part);
  places = payam_store_list_places (store, "neighbourhood", NULL, NULL);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *place = g_ptr_array_index (places, i);

      if (g_strcmp0 (place->code, request->neighbourhood) == 0)
        g_ptr_array_add (parts, g_strdup (place->name));
    }
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("، ", (char **) parts->pdata);
}

/* One request as the specification's object, from its public view and, for the place,
 * the gazetteer. */
static void
add_request (PayamOpen311Context *context,
             SoupServerMessage   *msg,
             JsonBuilder         *builder,
             const PayamRequest  *request)
{
  g_autofree char *media_url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamPublicView) view = NULL;
  g_autoptr(PayamCategory) category = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *address = NULL;

  view = payam_store_get_public_view (context->store, request->tracking_code, &error);
  if (view == NULL)
    {
      g_warning ("no public view of %s: %s", request->tracking_code, error->message);
      return;
    }
  category = payam_store_get_category (context->store, view->category, NULL);
  requested = view_time (view->created_at);
  updated = view_time (view->updated_at);
  expected = view_time (view->due_at);
  address = public_address (context->store, request);
  /* The latest photo of the work, the evidence of what was done. */
  if (view->photos[0] != NULL)
    media_url = payam_open311_media_url (msg, view->tracking_code,
                                         view->photos[g_strv_length (view->photos) - 1]);

  json_builder_begin_object (builder);
  payam_open311_add_string (builder, "service_request_id", view->tracking_code);
  payam_open311_add_string (builder, "status", payam_open311_status_of (view->status));
  payam_open311_add_string (builder, "status_notes", view->outcome);
  payam_open311_add_string (builder, "service_name",
                            category != NULL ? category->name : view->category);
  payam_open311_add_string (builder, "service_code", view->category);
  /* The office's public words only; the citizen's own text stays inside. */
  payam_open311_add_string (builder, "description", view->public_text);
  payam_open311_add_string (builder, "agency_responsible", _("District municipality"));
  payam_open311_add_string (builder, "service_notice", NULL);
  payam_open311_add_string (builder, "requested_datetime", requested);
  payam_open311_add_string (builder, "updated_datetime", updated);
  payam_open311_add_string (builder, "expected_datetime", expected);
  payam_open311_add_string (builder, "address", address);
  payam_open311_add_string (builder, "address_id", NULL);
  payam_open311_add_string (builder, "zipcode", NULL);
  if (request->has_location)
    {
      payam_open311_add_coordinate (builder, "lat", request->lat);
      payam_open311_add_coordinate (builder, "long", request->lon);
    }
  payam_open311_add_string (builder, "media_url", media_url);
  json_builder_set_member_name (builder, "extended");
  json_builder_begin_object (builder);
  payam_open311_add_string (builder, "status", payam_status_to_string (view->status));
  payam_open311_add_string (builder, "status_label", payam_status_label (view->status));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------ requests */

/* A positive whole-number parameter, @fallback when absent; 0 when malformed. */
static guint64
query_count (GHashTable *query,
             const char *name,
             guint64     fallback)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return 0;
  return value;
}

/* The requests named in @ids (comma list of tracking codes); unknown ones are left out. */
static void
add_requests_by_id (PayamOpen311Context *context,
                    SoupServerMessage   *msg,
                    JsonBuilder         *builder,
                    const char          *ids)
{
  g_auto(GStrv) codes = g_strsplit (ids, ",", PAYAM_OPEN311_MAX_PAGE_SIZE);

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autoptr(PayamRequest) request =
        payam_store_find_by_tracking_code (context->store, g_strstrip (codes[i]), NULL);

      if (request != NULL)
        add_request (context, msg, builder, request);
    }
}

void
payam_open311_get_requests (PayamOpen311Context *context,
                            SoupServerMessage   *msg,
                            PayamOpen311Format   format,
                            GHashTable          *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) found = NULL;
  const char *ids = query != NULL ? g_hash_table_lookup (query, "service_request_id") : NULL;
  const char *status = query != NULL ? g_hash_table_lookup (query, "status") : NULL;
  const char *service_code = query != NULL ? g_hash_table_lookup (query, "service_code")
                                           : NULL;
  PayamOpen311Page filter = { NULL, TRUE, TRUE, NULL, NULL, 0, 0, 0 };
  gboolean bad_date = FALSE;
  guint64 page_size = query_count (query, "page_size", PAYAM_OPEN311_DEFAULT_PAGE_SIZE);
  guint64 page = query_count (query, "page", 1);

  json_builder_begin_array (builder);
  /* With ids, the specification ignores every other parameter. */
  if (ids != NULL && *ids != '\0')
    {
      add_requests_by_id (context, msg, builder, ids);
      json_builder_end_array (builder);
      payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_requests", "request",
                             json_builder_get_root (builder));
      return;
    }
  start = query_date (query, "start_date", &bad_date);
  end = query_date (query, "end_date", &bad_date);
  if (bad_date)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Give start_date and end_date in W3C format, such as "
                                     "2026-12-01T00:00:00+03:30."));
      return;
    }
  if (page_size == 0 || page_size > PAYAM_OPEN311_MAX_PAGE_SIZE || page == 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("page must be 1 or more and page_size 1 to %d."),
                         PAYAM_OPEN311_MAX_PAGE_SIZE);

      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format, message);
      return;
    }
  if (status != NULL &&
      !payam_open311_parse_status (status, &filter.want_open, &filter.want_closed, &error))
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format, error->message);
      return;
    }
  if (start == NULL && end == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      start = g_date_time_add_days (now, -DEFAULT_DAYS);
    }
  if (service_code != NULL && *service_code != '\0')
    codes = g_strsplit (service_code, ",", -1);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    g_strstrip (codes[i]);
  filter.service_codes = (const char *const *) codes;
  filter.start = start;
  filter.end = end;
  filter.offset = (guint) MIN ((page - 1) * page_size, G_MAXUINT);
  filter.limit = (guint) page_size;
  /* One page in SQL (payam_store_list_open311_page()), then each of its requests by code. */
  found = payam_store_list_open311_page (context->store, &filter, &error);
  if (found == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, format,
                                   error->message);
      return;
    }
  for (guint i = 0; found[i] != NULL; i++)
    {
      g_autoptr(PayamRequest) request =
        payam_store_find_by_tracking_code (context->store, found[i], NULL);

      if (request != NULL)
        add_request (context, msg, builder, request);
    }
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_requests", "request",
                         json_builder_get_root (builder));
}

void
payam_open311_get_request (PayamOpen311Context *context,
                           SoupServerMessage   *msg,
                           PayamOpen311Format   format,
                           const char          *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(PayamRequest) request =
    payam_store_find_by_tracking_code (context->store, code, NULL);

  if (request == NULL)
    {
      /* A malformed code and an unknown one answer alike. */
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                   _("There is no request with this service_request_id."));
      return;
    }
  json_builder_begin_array (builder);
  add_request (context, msg, builder, request);
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_requests", "request",
                         json_builder_get_root (builder));
}

/* ------------------------------------------------------------------ request updates */

typedef struct {
  PayamOpen311Context *context;
  SoupServerMessage   *msg;
  GDateTime           *start;
  GDateTime           *end;
  JsonBuilder         *builder;
} UpdatesWalk;

static gboolean
in_range (GDateTime *when,
          GDateTime *start,
          GDateTime *end)
{
  return when != NULL && (start == NULL || g_date_time_compare (when, start) >= 0) &&
         (end == NULL || g_date_time_compare (when, end) <= 0);
}

/* The public status moves of one request within the range, as FixMyStreet's updates. */
static gboolean
add_updates_of (const PayamRequest *request,
                gpointer            user_data)
{
  UpdatesWalk *walk = user_data;
  g_autoptr(PayamPublicView) view = NULL;
  g_autofree char *code = NULL;

  /* A request last changed before the range has no update in it. */
  if (walk->start != NULL && request->updated_at != NULL &&
      g_date_time_compare (request->updated_at, walk->start) < 0)
    return TRUE;
  view = payam_store_get_public_view (walk->context->store, request->tracking_code, NULL);
  if (view == NULL)
    return TRUE;
  for (guint i = 0; i < view->events->len; i++)
    {
      const PayamPublicEvent *event = g_ptr_array_index (view->events, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (event->at, NULL);
      g_autofree char *id = NULL;
      g_autofree char *updated = NULL;
      g_autofree char *media_url = NULL;

      if (strcmp (event->kind, "status") != 0 || !in_range (at, walk->start, walk->end))
        continue;
      id = g_strdup_printf ("%s-%u", view->tracking_code, i);
      updated = payam_open311_time (at);
      json_builder_begin_object (walk->builder);
      payam_open311_add_string (walk->builder, "update_id", id);
      payam_open311_add_string (walk->builder, "service_request_id", view->tracking_code);
      payam_open311_add_string (walk->builder, "status", payam_open311_status_of (event->status));
      payam_open311_add_string (walk->builder, "updated_datetime", updated);
      payam_open311_add_string (walk->builder, "description",
                                payam_public_outcome_text (event->status));
      /* A move to closed shows the latest photo of the work. */
      if (!payam_status_is_open (event->status) && view->photos[0] != NULL)
        media_url = payam_open311_media_url (walk->msg, view->tracking_code,
                                             view->photos[g_strv_length (view->photos) - 1]);
      payam_open311_add_string (walk->builder, "media_url", media_url);
      json_builder_set_member_name (walk->builder, "extended");
      json_builder_begin_object (walk->builder);
      payam_open311_add_string (walk->builder, "status", payam_status_to_string (event->status));
      json_builder_end_object (walk->builder);
      json_builder_end_object (walk->builder);
    }
  return TRUE;
}

void
payam_open311_get_updates (PayamOpen311Context *context,
                           SoupServerMessage   *msg,
                           PayamOpen311Format   format,
                           GHashTable          *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  gboolean bad_date = FALSE;
  UpdatesWalk walk;

  start = query_date (query, "start_date", &bad_date);
  end = query_date (query, "end_date", &bad_date);
  if (bad_date)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Give start_date and end_date in W3C format, such as "
                                     "2026-12-01T00:00:00+03:30."));
      return;
    }
  if (start == NULL && end == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      start = g_date_time_add_days (now, -DEFAULT_DAYS);
    }
  walk = (UpdatesWalk) { context, msg, start, end, builder };
  json_builder_begin_array (builder);
  if (!payam_store_foreach_request (context->store, add_updates_of, &walk, &error))
    {
      payam_open311_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, format,
                                   error->message);
      return;
    }
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_request_updates",
                         "request_update", json_builder_get_root (builder));
}
