/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 POST requests and GET tokens/{token} (issue #15): an outside system files a
 * request with an office-issued api_key; it goes through the kiosk's intake. */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-open311-map.h"
#include "payam-pair-model.h"
#include "payam-store-groups.h"
#include "payam-open311-private.h"
#include "payam-store-contact.h"
#include "payam-store-open311.h"
#include "payam-store-public.h"
#include "payam-store-sync.h"

/* ------------------------------------------------------------------ the form */

GHashTable *
payam_open311_form (SoupServerMessage *msg)
{
  GHashTable *form = g_object_get_data (G_OBJECT (msg), "payam-open311-form");
  SoupMessageBody *body;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  const char *type;

  if (form != NULL)
    return form;
  type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    return NULL;
  body = soup_server_message_get_request_body (msg);
  bytes = soup_message_body_flatten (body);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  form = soup_form_decode (text);
  g_object_set_data_full (G_OBJECT (msg), "payam-open311-form", form,
                          (GDestroyNotify) g_hash_table_unref);
  return form;
}

static const char *
field (GHashTable *form,
       const char *name)
{
  const char *value = g_hash_table_lookup (form, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The attribute[CODE]=VALUE members of @form as CODE → VALUE (borrowed values). */
static GHashTable *
form_attributes (GHashTable *form)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;
      gsize len = strlen (name);

      if (g_str_has_prefix (name, "attribute[") && len > 11 && name[len - 1] == ']')
        g_hash_table_insert (out, g_strndup (name + 10, len - 11), value);
    }
  return out;
}

/* A coordinate: a finite decimal number; FALSE for anything else. */
static gboolean
parse_coordinate (const char *text,
                  double     *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* The code of the neighbourhood of @lat, @lon (the one with the nearest centre), or of the
 * neighbourhood whose name @address names; NULL when neither tells. Caller owns it. */
static char *
find_neighbourhood (PayamStore *store,
                    gboolean    has_location,
                    double      lat,
                    double      lon,
                    const char *address)
{
  g_autoptr(GPtrArray) places = payam_store_list_places (store, "neighbourhood", NULL, NULL);
  const PayamPlace *best = NULL;
  double best_distance = G_MAXDOUBLE;

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *place = g_ptr_array_index (places, i);

      if (has_location && place->has_location)
        {
          double d = (place->lat - lat) * (place->lat - lat) +
                     (place->lon - lon) * (place->lon - lon);

          if (d < best_distance)
            {
              best_distance = d;
              best = place;
            }
        }
      else if (!has_location && address != NULL && strstr (address, place->name) != NULL)
        return g_strdup (place->code);
    }
  return best != NULL ? g_strdup (best->code) : NULL;
}

/* What the server wrote on its own store reaches the devices through its log, as a push
 * from itself (payam_store_sync_push()); a failure leaves the ops in its outbox for the
 * next filing. */
static void
publish_own_writes (PayamStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (store, 0, 0, &error);
  PayamSyncPushReply *reply = NULL;

  if (ops == NULL || ops->len == 0)
    return;
  if (!payam_store_sync_push (store, payam_store_get_device_id (store), PAYAM_ROLE_OFFICE,
                              NULL, ops, g_get_real_time () / 1000, &reply, &error) ||
      !payam_store_sync_ack (store, reply->acked_through, reply->results, reply->server_hlc,
                             &error))
    g_warning ("could not publish the office server's own writes: %s", error->message);
  g_clear_pointer (&reply, payam_sync_push_reply_free);
}

/* ------------------------------------------------------------------ duplicates */

/* The kiosk's "is it one of these?" for a filing (payam_dup_index_suggest_for_draft()), from
 * the index a worker builds when the routes are added (dup_index_built() in
 * payam-open311.c), kept current through the store's signals. NULL while it is built or
 * when it cannot be read: the filing goes on without. */
static GPtrArray *
suggest_duplicates (PayamOpen311Context     *context,
                    const PayamRequestDraft *draft)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  if (context->dup_index == NULL)
    return NULL;
  found = payam_dup_index_suggest_for_draft (context->dup_index, draft,
                                             PAYAM_OPEN311_MAX_DUPLICATES, &error);
  /* A draft the index finds invalid (a place outside the district) the intake refuses
   * next, with its own message. */
  if (found == NULL &&
      !g_error_matches (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_INVALID))
    g_warning ("no duplicate suggestions: %s", error->message);
  return found;
}

/* The proposed group a filing joins for the office's review: the one of the best
 * suggestion the pair model is sure of (at or above its automatic threshold, as the
 * grouping job would propose), unless that request's group is already confirmed (then
 * the office decides alone: never joined to confirmed work). NULL when none. */
static char *
proposed_group (PayamOpen311Context *context,
                GPtrArray           *suggestions,
                GError             **error)
{
  const PayamDupCandidate *best;
  g_autoptr(PayamGroup) group = NULL;

  if (suggestions == NULL || suggestions->len == 0)
    return NULL;
  best = g_ptr_array_index (suggestions, 0);
  if (best->probability < payam_pair_model_get_auto_threshold (payam_pair_model_get_default ()))
    return NULL;
  if (best->group_id != NULL)
    {
      group = payam_store_get_group (context->store, best->group_id, NULL);
      if (group != NULL && group->state != PAYAM_GROUP_PROPOSED)
        return NULL;
    }
  return payam_store_ensure_group (context->store, best->id, error);
}

/* ------------------------------------------------------------------ POST requests */

/* The name of the key of @form, or NULL after answering 403 (or 429 past its limit). */
static char *
authorise (PayamOpen311Context *context,
           SoupServerMessage   *msg,
           PayamOpen311Format   format,
           GHashTable          *form)
{
  const char *key = field (form, "api_key");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint retry_after = 0;

  if (key == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_FORBIDDEN, format,
                                   _("Give the api_key the district office issued you."));
      return NULL;
    }
  name = payam_store_check_open311_key (context->store, key, &error);
  if (name == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_FORBIDDEN, format,
                                   _("This api_key is not valid."));
      return NULL;
    }
  if (!payam_sync_rate_limit_take (context->key_limit, name, g_get_monotonic_time (),
                                   &retry_after))
    {
      payam_open311_respond_too_many (msg, format, retry_after,
                                      _("Too many requests with this api_key; wait a minute."));
      return NULL;
    }
  return g_steal_pointer (&name);
}

void
payam_open311_post_request (PayamOpen311Context *context,
                            SoupServerMessage   *msg,
                            PayamOpen311Format   format)
{
  GHashTable *form = payam_open311_form (msg);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(PayamCategory) category = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_name = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *neighbourhood = NULL;
  g_autofree char *name = NULL;
  g_autofree char *group_id = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  const char *service_code, *lat_text, *lon_text, *address, *email;
  PayamRequestDraft draft = { NULL, };

  if (form == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Send the fields form-encoded "
                                     "(application/x-www-form-urlencoded)."));
      return;
    }
  key_name = authorise (context, msg, format, form);
  if (key_name == NULL)
    return;
  service_code = field (form, "service_code");
  if (service_code == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Give the service_code of the request."));
      return;
    }
  category = payam_store_get_category (context->store, service_code, NULL);
  if (category == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                   _("There is no service with this service_code."));
      return;
    }
  attributes = form_attributes (form);
  if (!payam_open311_answers_from_attributes (attributes, &draft.answers, &error))
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format, error->message);
      return;
    }

  lat_text = field (form, "lat");
  lon_text = field (form, "long");
  address = field (form, "address_string");
  if ((lat_text != NULL) != (lon_text != NULL) ||
      (lat_text != NULL && (!parse_coordinate (lat_text, &draft.lat) ||
                            !parse_coordinate (lon_text, &draft.lon))))
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Give both lat and long as decimal degrees."));
      return;
    }
  draft.has_location = lat_text != NULL;
  if (!draft.has_location && address == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("Give the place: lat and long, or address_string."));
      return;
    }
  neighbourhood = find_neighbourhood (context->store, draft.has_location, draft.lat,
                                      draft.lon, address);
  if (neighbourhood == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("The address_string names no neighbourhood of the "
                                     "district; give lat and long or the neighbourhood."));
      return;
    }

  email = field (form, "email");
  if (email != NULL && !payam_email_valid (email))
    {
      payam_open311_respond_error (msg, SOUP_STATUS_BAD_REQUEST, format,
                                   _("The email is not an address: write it as name@domain, "
                                     "without spaces, at most 254 characters."));
      return;
    }

  /* The kiosk's intake: normalised, priority, deadline, contact sealed or kept as the
   * store's role says. The first and last names are one name, as a kiosk asks it. */
  if (field (form, "first_name") != NULL || field (form, "last_name") != NULL)
    name = g_strstrip (g_strjoin (" ", field (form, "first_name") != NULL
                                       ? field (form, "first_name") : "",
                                  field (form, "last_name") != NULL
                                       ? field (form, "last_name") : "", NULL));
  draft.text = field (form, "description");
  draft.category = category->code;
  draft.neighbourhood = neighbourhood;
  draft.street = address;
  draft.phone = field (form, "phone");
  draft.name = name;
  draft.channel = PAYAM_CHANNEL_OPEN311;
  /* Who filed it stays in the audit trail: the key's name. */
  actor = g_strconcat ("open311:", key_name, NULL);
  payam_store_set_actor (context->store, actor);
  /* The kiosk's duplicate suggestions, before it is filed: the office reviews them. */
  suggestions = suggest_duplicates (context, &draft);
  /* The request, its proposed group and its email, sealed to the office key, are kept
   * together or not at all. */
  if (payam_store_begin (context->store, &error))
    {
      group_id = proposed_group (context, suggestions, &error);
      draft.group_id = group_id;
      request = error == NULL ? payam_store_add_request (context->store, &draft, &error)
                              : NULL;
      if (request != NULL && email != NULL &&
          !payam_store_keep_email (context->store, request->id, email, &error))
        g_clear_pointer (&request, payam_request_free);
      if (request == NULL)
        payam_store_rollback (context->store);
      else if (!payam_store_commit (context->store, &error))
        g_clear_pointer (&request, payam_request_free);   /* the commit rolled it back */
    }
  payam_store_set_actor (context->store, "server");
  if (request == NULL)
    {
      payam_open311_respond_error (msg, g_error_matches (error, PAYAM_STORE_ERROR,
                                                         PAYAM_STORE_ERROR_INVALID)
                                          ? SOUP_STATUS_BAD_REQUEST
                                          : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                   format, error->message);
      return;
    }
  publish_own_writes (context->store);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service_request_id");
  json_builder_add_string_value (builder, request->tracking_code);
  /* Every request waits for the office's review (status registered); the token names it
   * for good, whatever its tracking code. */
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, request->id);
  json_builder_set_member_name (builder, "service_notice");
  json_builder_add_string_value (builder,
                                 payam_public_outcome_text (request->status));
  json_builder_set_member_name (builder, "account_id");
  json_builder_add_null_value (builder);
  /* What the office will review: the requests it may repeat (their public codes only) and
   * the one whose proposed group it joined, if any. */
  json_builder_set_member_name (builder, "extended");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "duplicates");
  json_builder_begin_array (builder);
  for (guint i = 0; suggestions != NULL && i < suggestions->len; i++)
    {
      const PayamDupCandidate *candidate = g_ptr_array_index (suggestions, i);
      double review = payam_pair_model_get_review_threshold (payam_pair_model_get_default ());

      if (candidate->probability >= review)
        json_builder_add_string_value (builder, candidate->tracking_code);
    }
  json_builder_end_array (builder);
  payam_open311_add_string (builder, "proposed_duplicate_of",
                            group_id != NULL && suggestions != NULL && suggestions->len > 0
                              ? ((PayamDupCandidate *) suggestions->pdata[0])->tracking_code
                              : NULL);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_CREATED, format, "service_requests", "request",
                         json_builder_get_root (builder));
}

/* ------------------------------------------------------------------ GET tokens/{token} */

void
payam_open311_get_token (PayamOpen311Context *context,
                         SoupServerMessage   *msg,
                         PayamOpen311Format   format,
                         const char          *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(PayamRequest) request = NULL;

  if (strlen (token) <= 64)
    request = payam_store_get_request (context->store, token, NULL);
  if (request == NULL)
    {
      payam_open311_respond_error (msg, SOUP_STATUS_NOT_FOUND, format,
                                   _("There is no request with this token."));
      return;
    }
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service_request_id");
  json_builder_add_string_value (builder, request->tracking_code);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  payam_open311_respond (msg, SOUP_STATUS_OK, format, "service_requests", "request",
                         json_builder_get_root (builder));
}
