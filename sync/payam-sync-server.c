/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncServer: HTTPS-only routes (enrol, whoami, push, pull, blobs, track) with body limits,
 * header checks, credentials checked on every authenticated route and one log line per
 * request. Handlers only parse with the codec, call the core and serialise. */
#define G_LOG_DOMAIN "payam-server"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "payam-store-blobs.h"
#include "payam-store-devices.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-sync-code.h"
#include "payam-sync-codec.h"
#include "payam-sync-listener.h"
#include "payam-sync-ratelimit.h"
#include "payam-sync-server.h"
#include "payam-open311.h"
#include "payam-store-public.h"
#include "payam-store-feedback.h"
#include "payam-tracking.h"

#define MAX_AUTHORIZATION 256
#define DEFAULT_PULL_LIMIT 500
/* The largest enrolment body: a code and a device id, with room to spare. */
#define MAX_ENROL_BODY (16 * 1024)

struct _PayamSyncServer
{
  GObject           parent_instance;

  /* owned */
  SoupServer       *soup;
  PayamSyncListener *listener;
  PayamStore       *store;
  char             *office_public_key;
  PayamSyncRateLimit *track_limit;
  PayamSyncRateLimit *enrol_limit;

  /* borrowed */
  PayamOpen311     *open311;          /* owned by soup's handler */
  PayamSyncLogFunc  log_func;
  gpointer          log_data;
  PayamSyncClockFunc clock_func;
  gpointer          clock_data;

  gsize             max_body;
  gboolean          trust_forwarded;

  /* Group commit: pushes decoded and paused, waiting for the one transaction that takes
   * them all (of PendingPush), and the idle that runs it. */
  GQueue            pending;
  GSource          *commit_source;
  gboolean          hold_pushes;
};

G_DEFINE_FINAL_TYPE (PayamSyncServer, payam_sync_server, G_TYPE_OBJECT)

/* What the server keeps about one request while it runs, attached to the message. */
typedef struct {
  gint64      started_us;
  gsize       received;
  gsize       limit;       /* the route's body limit */
  gboolean    refused;     /* answered before the handler, connection taken */
  gboolean    logged;      /* its log line is written (when its answer was) */
  const char *route;       /* static text naming the route, for the log */
  char       *device_id;   /* the authenticated device, or NULL */
  gboolean    aborted;     /* libsoup gave it up (the client went): nothing to answer */
} RequestState;

static void
request_state_free (RequestState *state)
{
  g_free (state->device_id);
  g_free (state);
}

static RequestState *
get_state (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "payam-request");
}

/* ---------------------------------------------------------------- answers */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              char              *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  respond_json (msg, status, payam_sync_encode_error (code, message));
}

/* Map an error of the codec, the device registry or the store to a status and a code; the
 * message goes to the client as it is (translated). */
static void
respond_gerror (SoupServerMessage *msg,
                const GError      *error)
{
  guint status = SOUP_STATUS_BAD_REQUEST;
  const char *code = "bad-request";

  if (error->domain == PAYAM_SYNC_ERROR)
    {
      switch ((PayamSyncError) error->code)
        {
        case PAYAM_SYNC_ERROR_TOO_LARGE:
          status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
          code = "too-large";
          break;
        case PAYAM_SYNC_ERROR_UNSUPPORTED:
          code = "unsupported-version";
          break;
        case PAYAM_SYNC_ERROR_MALFORMED:
        case PAYAM_SYNC_ERROR_CODE:
        case PAYAM_SYNC_ERROR_TLS:
        case PAYAM_SYNC_ERROR_NETWORK:
        case PAYAM_SYNC_ERROR_REFUSED:
        case PAYAM_SYNC_ERROR_UNAUTHORIZED:
        case PAYAM_SYNC_ERROR_ENROLMENT:
        default:
          code = "malformed";
          break;
        }
    }
  else if (error->domain == PAYAM_DEVICE_ERROR)
    {
      switch ((PayamDeviceError) error->code)
        {
        case PAYAM_DEVICE_ERROR_CODE_UNKNOWN:
          status = SOUP_STATUS_FORBIDDEN;
          code = "code-unknown";
          break;
        case PAYAM_DEVICE_ERROR_CODE_USED:
          status = SOUP_STATUS_FORBIDDEN;
          code = "code-used";
          break;
        case PAYAM_DEVICE_ERROR_CODE_EXPIRED:
          status = SOUP_STATUS_FORBIDDEN;
          code = "code-expired";
          break;
        case PAYAM_DEVICE_ERROR_ALREADY_ENROLLED:
          status = SOUP_STATUS_CONFLICT;
          code = "already-enrolled";
          break;
        case PAYAM_DEVICE_ERROR_NO_PREFIX:
          status = SOUP_STATUS_CONFLICT;
          code = "no-prefix";
          break;
        case PAYAM_DEVICE_ERROR_UNKNOWN_CREDENTIAL:
          status = SOUP_STATUS_UNAUTHORIZED;
          code = "unauthorized";
          break;
        case PAYAM_DEVICE_ERROR_REVOKED:
          status = SOUP_STATUS_FORBIDDEN;
          code = "revoked";
          break;
        default:
          break;
        }
    }
  else if (error->domain == PAYAM_STORE_SYNC_ERROR &&
           error->code != PAYAM_STORE_SYNC_ERROR_APPLY)
    {
      switch ((PayamStoreSyncError) error->code)
        {
        case PAYAM_STORE_SYNC_ERROR_GAP:
          status = SOUP_STATUS_CONFLICT;
          code = "gap";
          break;
        case PAYAM_STORE_SYNC_ERROR_REUSED:
          status = SOUP_STATUS_CONFLICT;
          code = "seq-reused";
          break;
        case PAYAM_STORE_SYNC_ERROR_GONE:
          status = SOUP_STATUS_GONE;
          code = "gone";
          break;
        case PAYAM_STORE_SYNC_ERROR_INVALID:
        case PAYAM_STORE_SYNC_ERROR_APPLY:
        default:
          code = "invalid";
          break;
        }
    }
  else if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND) ||
           error->domain == PAYAM_TRACKING_ERROR)
    {
      status = SOUP_STATUS_NOT_FOUND;
      code = "not-found";
    }
  else if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID))
    {
      status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
      code = "invalid";
    }
  else
    {
      /* A database fault is ours, not the client's: logged here, not explained there. */
      g_warning ("%s", error->message);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     _("The server could not do this now; try again later."));
      return;
    }
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"payam\"");
  respond_error (msg, status, code, error->message);
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  return strcmp (soup_server_message_get_method (msg), method) == 0;
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                 _("This address does not take this kind of request."));
}

/* The common start of a route served at exactly @route by @method alone: remember the
 * route for the log line, answer 404 for any other path below it and 405 for another
 * method. FALSE with the answer set. */
static gboolean
route_matches (SoupServerMessage *msg,
               const char        *path,
               const char        *route,
               const char        *method)
{
  get_state (msg)->route = route;
  if (strcmp (path, route) != 0)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
      return FALSE;
    }
  if (!method_is (msg, method))
    {
      respond_method_not_allowed (msg, method);
      return FALSE;
    }
  return TRUE;
}

/* The request body, checked for its type and size. NULL with the answer set. */
static GBytes *
json_body (PayamSyncServer   *self,
           SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = NULL;

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                     _("The request body must be JSON (application/json)."));
      return NULL;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > self->max_body)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                     _("The request is too large."));
      return NULL;
    }
  return g_steal_pointer (&body);
}

/* The device whose bearer credential the request carries (caller owns it), its id noted
 * for the log. NULL with a 401 or 403 answer set. */
static PayamDevice *
authenticate (PayamSyncServer   *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  PayamDevice *device;

  if (value == NULL || !g_str_has_prefix (value, "Bearer ") ||
      strlen (value) > MAX_AUTHORIZATION || value[strlen ("Bearer ")] == '\0')
    {
      g_set_error_literal (&error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_UNKNOWN_CREDENTIAL,
                           _("This request needs the device’s credential."));
      respond_gerror (msg, error);
      return NULL;
    }
  hash = payam_sync_token_hash (value + strlen ("Bearer "));
  device = payam_store_authenticate_device (self->store, hash, &error);
  if (device == NULL)
    {
      respond_gerror (msg, error);
      return NULL;
    }
  get_state (msg)->device_id = g_strdup (device->id);
  return device;
}

/* ---------------------------------------------------------------- routes */

static void
handle_enrol (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncEnrolRequest) request = NULL;
  g_autoptr(PayamDevice) device = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *credential_hash = NULL;
  PayamSyncEnrolReply reply = { NULL, };

  if (!route_matches (msg, path, "/v1/enrol", SOUP_METHOD_POST))
    return;
  body = json_body (self, msg);
  if (body == NULL)
    return;
  request = payam_sync_decode_enrol_request (g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), &error);
  if (request == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  code_hash = payam_sync_code_secret_hash (request->code);
  if (code_hash == NULL)
    {
      g_set_error_literal (&error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_UNKNOWN,
                           _("This enrolment code is not known: check it, or make a new one."));
      respond_gerror (msg, error);
      return;
    }
  credential = payam_sync_token_new ();
  credential_hash = payam_sync_token_hash (credential);
  device = payam_store_enrol_device (self->store, code_hash, request->device_id,
                                     credential_hash, &error);
  if (device == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  get_state (msg)->device_id = g_strdup (device->id);

  reply.device_id = device->id;
  reply.role = (char *) payam_role_to_string (device->role);
  reply.crew_id = device->crew_id;
  reply.prefix = device->prefix;
  reply.credential = credential;
  reply.office_public_key = self->office_public_key;
  respond_json (msg, SOUP_STATUS_OK, payam_sync_encode_enrol_reply (&reply));
}

static void
handle_whoami (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  g_autoptr(PayamDevice) device = NULL;
  PayamSyncWhoami reply = { NULL, };

  if (!route_matches (msg, path, "/v1/whoami", SOUP_METHOD_GET))
    return;
  device = authenticate (self, msg);
  if (device == NULL)
    return;
  reply.device_id = device->id;
  reply.role = (char *) payam_role_to_string (device->role);
  reply.crew_id = device->crew_id;
  reply.prefix = device->prefix;
  respond_json (msg, SOUP_STATUS_OK, payam_sync_encode_whoami (&reply));
}

/* The public status of a request (payam_store_get_public_view()): no phone, no name, no
 * words anyone typed but the office's public text. */
static void
handle_track (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  const char *prefix = "/v1/track/";
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamPublicView) view = NULL;
  PayamSyncTrackReply reply = { NULL, };

  get_state (msg)->route = "/v1/track";
  if (!method_is (msg, SOUP_METHOD_GET))
    {
      respond_method_not_allowed (msg, "GET");
      return;
    }
  if (g_str_has_prefix (path, prefix))
    code = g_uri_unescape_string (path + strlen (prefix), "/");
  if (code == NULL || *code == '\0' || strlen (code) > PAYAM_SYNC_MAX_ID)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                     _("Give the tracking code after /v1/track/."));
      return;
    }
  /* What anyone may see is core's to say (payam-store-public.h); only fixed sentences. */
  view = payam_store_get_public_view (self->store, code, &error);
  if (view == NULL && (error->domain == PAYAM_TRACKING_ERROR ||
                       g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND)))
    {
      /* A wrong check digit, a malformed code and an unknown one answer alike, so the
       * answer tells nothing of which codes are valid. */
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
      return;
    }
  if (view == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  /* A citizen without a phone is told once the code is looked up after the outcome
   * (issue #14); a failure to note it costs the figure, never the answer. */
  if (!payam_store_record_lookup_by_code (self->store, view->tracking_code, NULL, &error))
    g_warning ("track: cannot note the look-up: %s", error->message);
  g_clear_error (&error);
  reply.timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_track_event_free);
  for (guint i = 0; i < view->events->len; i++)
    {
      const PayamPublicEvent *in = g_ptr_array_index (view->events, i);
      PayamSyncTrackEvent *event = g_new0 (PayamSyncTrackEvent, 1);

      event->at = g_strdup (in->at);
      event->kind = g_strdup (in->kind);
      if (strcmp (in->kind, "status") == 0)
        event->status = g_strdup (payam_status_to_string (in->status));
      event->text = g_strdup (in->text);
      g_ptr_array_add (reply.timeline, event);
    }
  reply.tracking_code = view->tracking_code;
  reply.status = (char *) payam_status_to_string (view->status);
  reply.category = view->category;
  reply.neighbourhood = view->neighbourhood;
  reply.created_at = view->created_at;
  reply.due_at = view->due_at;
  reply.updated_at = view->updated_at;
  reply.outcome = view->outcome;
  reply.public_text = view->public_text;
  reply.photos = view->photos;
  respond_json (msg, SOUP_STATUS_OK, payam_sync_encode_track_reply (&reply));
  g_ptr_array_unref (reply.timeline);
}

static gint64
now_ms (PayamSyncServer *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);
  return g_get_real_time () / 1000;
}

static PayamSyncOutcome
outcome_of (PayamSyncResult result)
{
  switch (result)
    {
    case PAYAM_SYNC_RESULT_APPLIED:
      return PAYAM_SYNC_OUTCOME_APPLIED;
    case PAYAM_SYNC_RESULT_SUPERSEDED:
      return PAYAM_SYNC_OUTCOME_SUPERSEDED;
    case PAYAM_SYNC_RESULT_CONFLICT:
      return PAYAM_SYNC_OUTCOME_CONFLICT;
    case PAYAM_SYNC_RESULT_DUPLICATE:
      return PAYAM_SYNC_OUTCOME_DUPLICATE;
    case PAYAM_SYNC_RESULT_REJECTED:
    default:
      return PAYAM_SYNC_OUTCOME_REJECTED;
    }
}

/* The answer to one push, once the transaction that took it is committed (@reply and no
 * @error), or without it (@error; @reply may say where the device stands). */
static void
answer_push (SoupServerMessage  *msg,
             PayamSyncPushReply *reply,
             const GError       *error)
{
  PayamSyncPushResponse response = { 0, };

  if (error != NULL)
    {
      if (reply != NULL && (g_error_matches (error, PAYAM_STORE_SYNC_ERROR,
                                             PAYAM_STORE_SYNC_ERROR_GAP) ||
                            g_error_matches (error, PAYAM_STORE_SYNC_ERROR,
                                             PAYAM_STORE_SYNC_ERROR_REUSED)))
        {
          g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, reply->expected_seq);
          g_autofree char *hlc = payam_hlc_to_string (reply->server_hlc);
          /* The device stamps what it sends again after the server's clock. */
          g_autofree char *held = g_strdup_printf ("%" G_GINT64_FORMAT, reply->acked_through);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Payam-Expected-Seq", expected);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Payam-Server-Hlc", hlc);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Payam-Acked-Through", held);
        }
      respond_gerror (msg, error);
      return;
    }

  response.acked_through = reply->acked_through;
  response.server_hlc = reply->server_hlc;
  response.server_time = reply->server_time;
  response.results = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_op_outcome_free);
  for (guint i = 0; i < reply->results->len; i++)
    {
      const PayamSyncOpResult *result = &g_array_index (reply->results, PayamSyncOpResult, i);
      PayamSyncOpOutcome *outcome = g_new0 (PayamSyncOpOutcome, 1);

      outcome->device_seq = result->device_seq;
      outcome->outcome = outcome_of (result->result);
      outcome->reason = g_strdup (result->reason);
      if (outcome->outcome == PAYAM_SYNC_OUTCOME_REJECTED && outcome->reason == NULL)
        outcome->reason = g_strdup ("rejected");
      g_ptr_array_add (response.results, outcome);
    }
  respond_json (msg, SOUP_STATUS_OK, payam_sync_encode_push_response (&response));
  g_ptr_array_unref (response.results);
}

/* A push decoded, its message paused until the group that takes it is committed. */
typedef struct {
  SoupServerMessage    *msg;
  PayamDevice          *device;
  PayamSyncPushRequest *request;
} PendingPush;

static void
pending_push_free (PendingPush *pending)
{
  g_object_unref (pending->msg);
  payam_device_free (pending->device);
  payam_sync_push_request_free (pending->request);
  g_free (pending);
}

/* At most this many ops in one group: the first pushes of a crowd are answered while the
 * rest wait for the next group, one commit (one fsync) for each. */
#define GROUP_MAX_OPS 5000

static gboolean commit_pending (gpointer user_data);

/* The next group runs once the main loop has read what else came in meanwhile. */
static void
schedule_commit (PayamSyncServer *self)
{
  if (self->commit_source != NULL || self->hold_pushes || g_queue_is_empty (&self->pending))
    return;
  /* At the sockets' own priority, after them: each push that arrived in the same turn of
   * the loop joins the group. */
  self->commit_source = g_idle_source_new ();
  g_source_set_priority (self->commit_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->commit_source, commit_pending, self, NULL);
  g_source_attach (self->commit_source, g_main_context_get_thread_default ());
}

/* Group commit: every push decoded since the last group is applied in one transaction,
 * each in its own savepoint, and answered only once the commit returned, so what the
 * answer calls taken is on disk. Pushes of many devices at once cost one fsync. */
static gboolean
commit_pending (gpointer user_data)
{
  PayamSyncServer *self = user_data;
  g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_push_free);
  g_autofree PayamSyncPushJob *jobs = NULL;
  guint ops = 0;
  gint64 now;

  g_clear_pointer (&self->commit_source, g_source_unref);
  if (self->hold_pushes)
    return G_SOURCE_REMOVE;
  while (!g_queue_is_empty (&self->pending) && (group->len == 0 || ops < GROUP_MAX_OPS))
    {
      PendingPush *pending = g_queue_pop_head (&self->pending);

      /* A client that went while its push waited is not answered, and its push is not
       * taken either: it sends it again. */
      if (get_state (pending->msg)->aborted)
        {
          pending_push_free (pending);
          continue;
        }
      ops += pending->request->ops->len;
      g_ptr_array_add (group, pending);
    }
  schedule_commit (self);
  if (group->len == 0)
    return G_SOURCE_REMOVE;

  jobs = g_new0 (PayamSyncPushJob, group->len);
  now = now_ms (self);
  for (guint i = 0; i < group->len; i++)
    {
      PendingPush *pending = g_ptr_array_index (group, i);

      jobs[i].device_id = pending->device->id;
      jobs[i].role = pending->device->role;
      jobs[i].crew_id = pending->device->crew_id;
      jobs[i].ops = pending->request->ops;
      jobs[i].now_ms = now;
    }
  payam_store_sync_push_group (self->store, jobs, group->len, NULL);
  for (guint i = 0; i < group->len; i++)
    {
      PendingPush *pending = g_ptr_array_index (group, i);

      if (!get_state (pending->msg)->aborted)
        {
          answer_push (pending->msg, jobs[i].reply, jobs[i].error);
          soup_server_message_unpause (pending->msg);
        }
      g_clear_pointer (&jobs[i].reply, payam_sync_push_reply_free);
      g_clear_error (&jobs[i].error);
    }
  return G_SOURCE_REMOVE;
}

/* A batch of the device's own ops: parsed by the codec here, then paused and applied by the
 * core with the other pushes that came meanwhile (commit_pending: one transaction, a
 * savepoint and role checks per push and per op there), answered per op after the commit.
 * A gap is 409 with the expected seq in Payam-Expected-Seq. */
static void
handle_push (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  g_autoptr(PayamDevice) device = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncPushRequest) request = NULL;
  PendingPush *pending;

  if (!route_matches (msg, path, "/v1/push", SOUP_METHOD_POST))
    return;
  device = authenticate (self, msg);
  if (device == NULL)
    return;
  body = json_body (self, msg);
  if (body == NULL)
    return;
  request = payam_sync_decode_push_request (g_bytes_get_data (body, NULL),
                                            g_bytes_get_size (body), &error);
  if (request == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  if (strcmp (request->device_id, device->id) != 0)
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "wrong-device",
                     _("A device may push only its own changes."));
      return;
    }

  pending = g_new0 (PendingPush, 1);
  pending->msg = g_object_ref (msg);
  pending->device = g_steal_pointer (&device);
  pending->request = g_steal_pointer (&request);
  soup_server_message_pause (msg);
  g_queue_push_tail (&self->pending, pending);
  schedule_commit (self);
}

/* A query parameter as a whole number in [@min, @max]; @fallback when absent. FALSE when
 * present and not such a number. */
static gboolean
query_int (GHashTable *query,
           const char *name,
           gint64      min,
           gint64      max,
           gint64      fallback,
           gint64     *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* A page of the server's log after ?after=SEQ, at most ?limit=N, filtered for the role by
 * the core. 400 without this protocol's ?version=, 410 when the cursor is older than the
 * retained log. */
static void
handle_pull (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  g_autoptr(PayamDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  PayamSyncPullReply reply = { NULL, };
  gint64 after = 0;
  gint64 limit = 0;

  if (!route_matches (msg, path, "/v1/pull", SOUP_METHOD_GET))
    return;
  device = authenticate (self, msg);
  if (device == NULL)
    return;
  if (!payam_sync_check_version (query != NULL ? g_hash_table_lookup (query, "version") : NULL,
                                 &error))
    {
      respond_gerror (msg, error);
      return;
    }
  /* A cursor of G_MAXINT64 would overflow once past the last op (UBSan). */
  if (!query_int (query, "after", 0, G_MAXINT64 - 1, 0, &after) ||
      !query_int (query, "limit", 1, PAYAM_SYNC_MAX_OPS, DEFAULT_PULL_LIMIT, &limit))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Give after as a sequence number and limit from 1 to 1000."));
      return;
    }
  reply.changes = payam_store_sync_pull (self->store, device->role, device->crew_id, after,
                                         (guint) limit, &reply.next, &reply.more, &error);
  if (reply.changes == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  reply.server_time = now_ms (self);
  reply.server_hlc = payam_hlc_pack (reply.server_time, 0);
  respond_json (msg, SOUP_STATUS_OK, payam_sync_encode_pull_reply (&reply));
  g_ptr_array_unref (reply.changes);
}

/* ---------------------------------------------------------------- blobs */

static void
set_offset_header (SoupServerMessage *msg,
                   const char        *name,
                   gint64             value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, text);
}

/* A response without a body still says its length: libsoup 3.2 keeps the connection open
 * only after a response of known length, so without it every HEAD and PATCH of an upload
 * paid a new connection and TLS handshake (and a client sending on a connection the server
 * was closing saw it reset). For HEAD, @length is what GET would send. */
static void
set_length (SoupServerMessage *msg,
            gint64             length)
{
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                           length);
}

static void
no_content_written (SoupServerMessage *msg)
{
  set_length (msg, 0);
}

/* 204 with the connection kept open: libsoup strips Content-Length from a 204 as it writes
 * the headers (right, RFC 9110), then finds the length unknown and closes; the length is
 * put back once the headers are on the wire, for that check alone. */
static void
set_no_content (SoupServerMessage *msg)
{
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (no_content_written), NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* A header as a whole number ≥ 0; -1 when absent, -2 when not such a number. */
static gint64
header_int (SoupServerMessage *msg,
            const char        *name)
{
  const char *text = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   name);
  guint64 value;

  if (text == NULL)
    return -1;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return -2;
  return (gint64) value;
}

/* HEAD: 200 with Upload-Offset = Upload-Length when the blob is complete, 204 with the
 * offset to continue from while it is missing or partial, 404 for a photo never pushed. */
static void
blob_head (PayamSyncServer   *self,
           SoupServerMessage *msg,
           const PayamDevice *device,
           const char        *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  PayamBlobState state;
  gint64 offset = 0;
  gint64 length = 0;
  gboolean allowed = TRUE;

  if (!payam_store_blob_get_state (self->store, sha256, &state, &offset, &length, &error) ||
      !payam_store_blob_dup_owner (self->store, sha256, &owner, &error) ||
      (state == PAYAM_BLOB_COMPLETE && g_strcmp0 (owner, device->id) != 0 &&
       !payam_store_blob_may_read (self->store, sha256, device->role, device->crew_id,
                                   &allowed, &error)))
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
      return;
    }
  /* Another device's upload is none of this one's business; a finished photo is told of
   * to whoever may GET it, and to its uploader. */
  if (state == PAYAM_BLOB_MISSING && owner != NULL && strcmp (owner, device->id) != 0)
    allowed = FALSE;
  if (!allowed)
    {
      set_length (msg, 0);
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  switch (state)
    {
    case PAYAM_BLOB_UNKNOWN:
      set_length (msg, 0);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    case PAYAM_BLOB_MISSING:
      set_offset_header (msg, "Upload-Offset", offset);
      if (length > 0)
        set_offset_header (msg, "Upload-Length", length);
      set_no_content (msg);
      return;
    case PAYAM_BLOB_COMPLETE:
    default:
      set_offset_header (msg, "Upload-Offset", offset);
      set_offset_header (msg, "Upload-Length", length);
      set_length (msg, length);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
}

/* PATCH: one chunk of at most PAYAM_BLOB_CHUNK_SIZE at Upload-Offset (Upload-Length on the
 * first). 204 with the new offset; 409 with the current one for a wrong offset; 422 when
 * the finished bytes do not match the name (the partial upload is then gone). */
static void
blob_patch (PayamSyncServer   *self,
            SoupServerMessage *msg,
            const PayamDevice *device,
            const char        *sha256)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gint64 offset = header_int (msg, "Upload-Offset");
  gint64 length = header_int (msg, "Upload-Length");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 new_offset = 0;
  gboolean complete = FALSE;

  if (type == NULL || g_ascii_strcasecmp (type, "application/offset+octet-stream") != 0)
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                     _("A photo chunk must be sent as application/offset+octet-stream."));
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > PAYAM_BLOB_CHUNK_SIZE)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                     _("The request is too large."));
      return;
    }
  if (offset < 0 || length == -2)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Give Upload-Offset (and Upload-Length) as whole numbers."));
      return;
    }
  if (payam_store_blob_append (self->store, device->id, sha256, offset, length, body, &new_offset,
                               &complete, &error))
    {
      set_offset_header (msg, "Upload-Offset", new_offset);
      set_no_content (msg);
      return;
    }
  if (error->domain != PAYAM_STORE_BLOB_ERROR)
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
      return;
    }
  set_offset_header (msg, "Upload-Offset", new_offset);
  switch ((PayamStoreBlobError) error->code)
    {
    case PAYAM_STORE_BLOB_ERROR_UNKNOWN:
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "unknown-blob", error->message);
      break;
    case PAYAM_STORE_BLOB_ERROR_OFFSET:
      respond_error (msg, SOUP_STATUS_CONFLICT, "offset", error->message);
      break;
    case PAYAM_STORE_BLOB_ERROR_CHECKSUM:
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "checksum", error->message);
      break;
    case PAYAM_STORE_BLOB_ERROR_OWNER:
      soup_message_headers_remove (soup_server_message_get_response_headers (msg),
                                   "Upload-Offset");
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "role", error->message);
      break;
    case PAYAM_STORE_BLOB_ERROR_LENGTH:
    default:
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "length", error->message);
      break;
    }
}

/* GET: the bytes, to the office, and to a crew for the photos of its worksheets. */
static void
blob_get (PayamSyncServer   *self,
          SoupServerMessage *msg,
          const PayamDevice *device,
          const char        *sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gboolean allowed = FALSE;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (!payam_store_blob_may_read (self->store, sha256, device->role, device->crew_id, &allowed,
                                  &error))
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
      return;
    }
  if (!allowed)
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "role",
                     _("This device may not read this photo."));
      return;
    }
  bytes = payam_store_dup_photo_bytes (self->store, sha256, FALSE, &error);
  if (bytes == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
      return;
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* /v1/blobs/SHA256: photo bytes by content address, resumable upload in tus style. */
static void
handle_blobs (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  const char *sha256 = path + strlen ("/v1/blobs/");
  g_autoptr(PayamDevice) device = NULL;

  get_state (msg)->route = "/v1/blobs";
  if (!g_str_has_prefix (path, "/v1/blobs/") || !payam_blob_name_is_valid (sha256))
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
      return;
    }
  if (!method_is (msg, SOUP_METHOD_HEAD) && !method_is (msg, "PATCH") &&
      !method_is (msg, SOUP_METHOD_GET))
    {
      respond_method_not_allowed (msg, "GET, HEAD, PATCH");
      return;
    }
  device = authenticate (self, msg);
  if (device == NULL)
    return;
  if (method_is (msg, SOUP_METHOD_HEAD))
    blob_head (self, msg, device, sha256);
  else if (method_is (msg, "PATCH"))
    blob_patch (self, msg, device, sha256);
  else
    blob_get (self, msg, device, sha256);
}

static void
handle_default (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
}

/* ---------------------------------------------------------------- reading limits */

static void
count_host (const char *name,
            const char *value,
            gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Host") == 0)
    (*(guint *) user_data)++;
}

static void
log_request (PayamSyncServer   *self,
             SoupServerMessage *msg,
             const char        *outcome)
{
  RequestState *state = get_state (msg);
  g_autofree char *line = NULL;
  g_autofree char *status = NULL;
  double ms;

  if (self->log_func == NULL || state == NULL)
    return;
  ms = (g_get_monotonic_time () - state->started_us) / 1000.0;
  if (outcome == NULL)
    status = g_strdup_printf ("%u", soup_server_message_get_status (msg));
  line = g_strdup_printf ("%s %s %s %s %.1fms",
                          state->device_id != NULL ? state->device_id : "-",
                          soup_server_message_get_method (msg),
                          state->route != NULL ? state->route : "-",
                          outcome != NULL ? outcome : status, ms);
  self->log_func (line, self->log_data);
}

/* The most a request to @path by @method may carry: 0 where no body belongs. */
static gsize
route_body_limit (PayamSyncServer   *self,
                  SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (method_is (msg, SOUP_METHOD_POST) && strcmp (path, "/v1/push") == 0)
    return self->max_body;
  if (method_is (msg, SOUP_METHOD_POST) && strcmp (path, "/v1/enrol") == 0)
    return MIN (self->max_body, MAX_ENROL_BODY);
  if (method_is (msg, "PATCH") && g_str_has_prefix (path, "/v1/blobs/"))
    return MIN (self->max_body, PAYAM_BLOB_CHUNK_SIZE);
  if (method_is (msg, SOUP_METHOD_POST) && g_str_has_prefix (path, "/open311/v2/"))
    return MIN (self->max_body, PAYAM_OPEN311_MAX_BODY);
  return 0;
}

/* The address a request counts against: the peer, or behind a trusted proxy on loopback
 * the last address of its X-Forwarded-For. Caller owns it. */
static char *
client_key (PayamSyncServer   *self,
            SoupServerMessage *msg)
{
  GSocketAddress *peer = soup_server_message_get_remote_address (msg);
  const char *forwarded;
  const char *last;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (!self->trust_forwarded || !G_IS_INET_SOCKET_ADDRESS (peer) ||
      !g_inet_address_get_is_loopback (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer))))
    return payam_sync_client_key (peer);
  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return payam_sync_client_key (peer);
  last = strrchr (forwarded, ',');
  last = last != NULL ? last + 1 : forwarded;
  while (*last == ' ')
    last++;
  address = g_inet_address_new_from_string (last);
  if (address == NULL)
    return payam_sync_client_key (peer);
  socket_address = g_inet_socket_address_new (address, 0);
  return payam_sync_client_key (socket_address);
}

static char *
open311_client_key (SoupServerMessage *msg,
                    gpointer           user_data)
{
  return client_key (user_data, msg);
}

/* The rate limit of the route of @msg, NULL for none. */
static PayamSyncRateLimit *
route_rate_limit (PayamSyncServer   *self,
                  SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (g_str_has_prefix (path, "/v1/track"))
    return self->track_limit;
  if (g_str_has_prefix (path, "/v1/enrol"))
    return self->enrol_limit;
  return NULL;
}

/* Answer now and close, reading nothing more. */
static void
refuse (PayamSyncServer   *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *code,
        const char        *message,
        guint              retry_after)
{
  RequestState *state = get_state (msg);
  g_autofree char *outcome = g_strdup_printf ("%u", status);

  state->refused = TRUE;
  if (state->route == NULL)
    state->route = "-";
  log_request (self, msg, outcome);
  payam_sync_listener_refuse (self->listener, msg, status, code, message, retry_after);
}

/* Headers are in: drop Range (libsoup answers it itself; CVE-2026-2443); refuse a second
 * Host header (CVE-2025-14523), a request over its route's rate, a length that is no
 * length, and a declared body over the route's limit, all before reading a byte of body. */
static void
got_headers (SoupServerMessage *msg,
             gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  RequestState *state = get_state (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  PayamSyncRateLimit *limit = route_rate_limit (self, msg);
  const char *length_text = soup_message_headers_get_list (headers, "Content-Length");
  guint64 length = 0;
  guint hosts = 0;
  guint retry_after = 0;

  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_HEADERS);
  state->limit = route_body_limit (self, msg);
  soup_message_headers_remove (headers, "Range");
  soup_message_headers_remove (headers, "If-Range");
  soup_message_headers_foreach (headers, count_host, &hosts);
  if (hosts > 1)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
              _("The request has more than one Host header."), 0);
      return;
    }
  if (limit != NULL)
    {
      g_autofree char *key = client_key (self, msg);

      if (!payam_sync_rate_limit_take (limit, key, g_get_monotonic_time (), &retry_after))
        {
          refuse (self, msg, 429, "rate-limited",
                  _("Too many requests from this address; try again later."), retry_after);
          return;
        }
    }
  if (length_text != NULL &&
      !g_ascii_string_to_unsigned (length_text, 10, 0, G_MAXINT64, &length, NULL))
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "malformed",
              _("The request’s Content-Length is not a length."), 0);
      return;
    }
  if (length > state->limit ||
      (state->limit == 0 &&
       soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED))
    refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
            _("The request is too large."), 0);
}

/* A chunked body has no declared length: count it as it arrives, and past the route's
 * limit answer and close at once. */
static void
got_chunk (SoupServerMessage *msg,
           GBytes            *chunk,
           gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  RequestState *state = get_state (msg);

  state->received += g_bytes_get_size (chunk);
  if (state->received > state->limit && !state->refused)
    refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
            _("The request is too large."), 0);
}

static void
got_body (SoupServerMessage *msg,
          gpointer           user_data)
{
  PayamSyncServer *self = user_data;

  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_BODY);
}

/* The answer is written: the listener keeps the connection for the next request (and
 * libsoup then reports nothing more of this one: log it here), or libsoup closes it. */
static void
wrote_body (SoupServerMessage *msg,
            PayamSyncServer   *self)
{
  g_autoptr(SoupServerMessage) held = g_object_ref (msg);

  log_request (self, msg, NULL);
  get_state (msg)->logged = TRUE;
  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_WRITTEN);
}

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  PayamSyncServer *self = user_data;
  RequestState *state = g_new0 (RequestState, 1);

  state->started_us = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "payam-request", state,
                          (GDestroyNotify) request_state_free);
  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_REQUEST);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (got_body), self, 0);
  g_signal_connect_object (msg, "wrote-body", G_CALLBACK (wrote_body), self, 0);
}

static void
request_finished (SoupServer        *server,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  PayamSyncServer *self = user_data;

  if (!get_state (msg)->logged)
    log_request (self, msg, NULL);
  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_DONE);
}

static void
request_aborted (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  PayamSyncServer *self = user_data;

  get_state (msg)->aborted = TRUE;
  log_request (self, msg, "aborted");
  payam_sync_listener_phase (self->listener, msg, PAYAM_SYNC_PHASE_DONE);
}

/* ---------------------------------------------------------------- object */

static void
payam_sync_server_dispose (GObject *object)
{
  PayamSyncServer *self = PAYAM_SYNC_SERVER (object);

  /* Pushes still waiting for their group were never taken: their devices send them again. */
  if (self->commit_source != NULL)
    g_source_destroy (self->commit_source);
  g_clear_pointer (&self->commit_source, g_source_unref);
  g_queue_clear_full (&self->pending, (GDestroyNotify) pending_push_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  if (self->listener != NULL)
    payam_sync_listener_close (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->track_limit, payam_sync_rate_limit_free);
  g_clear_pointer (&self->enrol_limit, payam_sync_rate_limit_free);
  G_OBJECT_CLASS (payam_sync_server_parent_class)->dispose (object);
}

static void
payam_sync_server_finalize (GObject *object)
{
  PayamSyncServer *self = PAYAM_SYNC_SERVER (object);

  g_clear_pointer (&self->office_public_key, g_free);
  G_OBJECT_CLASS (payam_sync_server_parent_class)->finalize (object);
}

static void
payam_sync_server_class_init (PayamSyncServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_sync_server_dispose;
  object_class->finalize = payam_sync_server_finalize;
}

static void
payam_sync_server_init (PayamSyncServer *self)
{
  self->max_body = PAYAM_SYNC_MAX_BODY;
}

PayamSyncServer *
payam_sync_server_new (PayamStore      *store,
                       GTlsCertificate *certificate,
                       const char      *office_public_key)
{
  g_autoptr(GError) error = NULL;
  PayamSyncServer *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (office_public_key != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_SYNC_SERVER, NULL);
  self->store = g_object_ref (store);
  /* A push is acknowledged once committed: the commit must survive a power cut. */
  if (!payam_store_set_durable (store, TRUE, &error))
    g_warning ("could not make commits durable: %s", error->message);
  self->office_public_key = g_strdup (office_public_key);
  /* HTTP/2 stays off: libsoup 3.2 enables it only through a private environment variable.
   * TLS is the listener's: libsoup gets each connection once its handshake is done. */
  self->soup = soup_server_new ("server-header", "payam-server", NULL);
  self->listener = payam_sync_listener_new (self->soup, certificate);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished), self,
                           0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_aborted), self, 0);
  soup_server_add_handler (self->soup, "/v1/enrol", handle_enrol, self, NULL);
  soup_server_add_handler (self->soup, "/v1/whoami", handle_whoami, self, NULL);
  soup_server_add_handler (self->soup, "/v1/track", handle_track, self, NULL);
  soup_server_add_handler (self->soup, "/v1/push", handle_push, self, NULL);
  soup_server_add_handler (self->soup, "/v1/pull", handle_pull, self, NULL);
  soup_server_add_handler (self->soup, "/v1/blobs/", handle_blobs, self, NULL);
  self->open311 = payam_open311_add_routes (self->soup, store, open311_client_key, self);
  soup_server_add_handler (self->soup, NULL, handle_default, self, NULL);
  return self;
}

gboolean
payam_sync_server_listen (PayamSyncServer  *self,
                          GSocketAddress   *address,
                          GError          **error)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);

  return payam_sync_listener_listen (self->listener, address, error);
}

gboolean
payam_sync_server_listen_local (PayamSyncServer  *self,
                                guint             port,
                                GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  g_return_val_if_fail (PAYAM_IS_SYNC_SERVER (self), FALSE);

  return payam_sync_listener_listen (self->listener, address, error);
}

guint
payam_sync_server_get_port (PayamSyncServer *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVER (self), 0);

  return payam_sync_listener_get_port (self->listener);
}

void
payam_sync_server_disconnect (PayamSyncServer *self)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  payam_sync_listener_close (self->listener);
  soup_server_disconnect (self->soup);
}

void
payam_sync_server_set_slots (PayamSyncServer      *self,
                             const PayamSyncSlots *slots)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  payam_sync_listener_set_slots (self->listener, slots);
}

void
payam_sync_server_set_rate (PayamSyncServer *self,
                            PayamSyncRoute   route,
                            guint            per_minute,
                            guint            burst)
{
  PayamSyncRateLimit **limit;

  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));

  if (route == PAYAM_SYNC_ROUTE_OPEN311)
    {
      payam_open311_set_read_rate (self->open311, per_minute, burst);
      return;
    }
  limit = route == PAYAM_SYNC_ROUTE_TRACK ? &self->track_limit : &self->enrol_limit;
  g_clear_pointer (limit, payam_sync_rate_limit_free);
  if (per_minute > 0)
    *limit = payam_sync_rate_limit_new (per_minute, burst);
}

void
payam_sync_server_set_jurisdiction (PayamSyncServer *self,
                                    const char      *id)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  payam_open311_set_jurisdiction (self->open311, id);
}

void
payam_sync_server_set_trust_forwarded (PayamSyncServer *self,
                                       gboolean         trust)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  self->trust_forwarded = trust;
}

void
payam_sync_server_set_max_body (PayamSyncServer *self,
                                gsize            max_body)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  self->max_body = max_body;
}

void
payam_sync_server_set_log_func (PayamSyncServer  *self,
                                PayamSyncLogFunc  func,
                                gpointer          user_data)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  self->log_func = func;
  self->log_data = user_data;
  payam_sync_listener_set_log_func (self->listener, func, user_data);
}

void
payam_sync_server_set_clock (PayamSyncServer    *self,
                             PayamSyncClockFunc  func,
                             gpointer            user_data)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));
  self->clock_func = func;
  self->clock_data = user_data;
}

void
payam_sync_server_hold_pushes (PayamSyncServer *self,
                               gboolean         hold)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVER (self));

  self->hold_pushes = hold;
  schedule_commit (self);
}

guint
payam_sync_server_count_waiting (PayamSyncServer *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVER (self), 0);

  return self->pending.length;
}
