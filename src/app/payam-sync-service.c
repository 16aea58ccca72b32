/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncService: sync rounds in a worker thread, scheduled, retried with backoff, shown. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-app-enums.h"
#include "payam-store-blobs.h"
#include "payam-store-devices.h"
#include "payam-sync-client.h"
#include "payam-sync-round.h"
#include "payam-sync-service.h"

static const PayamSyncTiming default_timing = {
  .first_ms = 1000,
  .debounce_ms = 3000,
  .period_ms = 3 * 60 * 1000,
  .retry_min_ms = 5000,
  .retry_max_ms = 5 * 60 * 1000,
};

struct _PayamSyncService
{
  GObject parent_instance;

  /* owned */
  PayamStore *store;
  GMainContext *context;         /* where properties are notified (the creator's) */
  GCancellable *cancellable;     /* while started */
  GDateTime *last_sync;
  char *message;
  PayamSyncTiming timing;
  GDateTime *(*now_func) (gpointer);
  gpointer now_data;

  PayamSyncState state;
  PayamSyncState state_before;   /* restored when a round is cancelled */
  gint64 waiting_ops;
  guint waiting_photos;
  double upload_fraction;
  guint failures;                /* rounds failed in a row */
  guint retry_delay;
  gint64 due_us;                 /* monotonic time of the scheduled round */
  guint timeout_id;
  guint refresh_id;
  gulong changed_id;

  guint online : 1;
  guint started : 1;
  guint running : 1;
  guint again : 1;               /* a change came during the round: another one soon */
};

G_DEFINE_FINAL_TYPE (PayamSyncService, payam_sync_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ONLINE,
  PROP_LAST_SYNC,
  PROP_WAITING_OPS,
  PROP_WAITING_PHOTOS,
  PROP_UPLOAD_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROUND_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void begin_round (PayamSyncService *self);

/* ---- properties (main thread) --------------------------------------------------------- */

static void
set_state (PayamSyncService *self,
           PayamSyncState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_online (PayamSyncService *self,
            gboolean          online)
{
  if (self->online == !!online)
    return;
  self->online = !!online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
set_message (PayamSyncService *self,
             const char       *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_upload_fraction (PayamSyncService *self,
                     double            fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->upload_fraction == fraction)
    return;
  self->upload_fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOAD_FRACTION]);
}

static void
set_waiting (PayamSyncService *self,
             gint64            ops,
             guint             photos)
{
  if (self->waiting_ops != ops)
    {
      self->waiting_ops = ops;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_OPS]);
    }
  if (self->waiting_photos != photos)
    {
      self->waiting_photos = photos;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_PHOTOS]);
    }
}

static GDateTime *
now (PayamSyncService *self)
{
  if (self->now_func != NULL)
    return self->now_func (self->now_data);
  return g_date_time_new_now_utc ();
}

/* Count what waits in the outbox and the photos not yet sent, from the app's own
 * connection. A read error keeps the counts shown (it says so in the debug log). */
static void
refresh_waiting (PayamSyncService *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unsent = NULL;
  gint64 ops;

  ops = payam_store_count_outbox (self->store, &error);
  if (ops >= 0)
    unsent = payam_store_blob_list_unsent (self->store, &error);
  if (unsent == NULL)
    {
      g_debug ("Cannot count what waits to sync: %s", error->message);
      return;
    }
  set_waiting (self, ops, g_strv_length (unsent));
}

static gboolean
refresh_idle (gpointer user_data)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (user_data);

  self->refresh_id = 0;
  refresh_waiting (self);
  return G_SOURCE_REMOVE;
}

/* Whether a round can run: the store is a file a second connection can open and the device
 * is enrolled. */
static gboolean
is_enrolled (PayamSyncService *self)
{
  g_autoptr(PayamEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = payam_store_get_path (self->store);

  if (path == NULL || g_strcmp0 (path, ":memory:") == 0)
    return FALSE;
  enrolment = payam_store_get_enrolment (self->store, &error);
  if (enrolment == NULL && !g_error_matches (error, PAYAM_STORE_ERROR,
                                             PAYAM_STORE_ERROR_NOT_FOUND))
    g_debug ("Cannot read the enrolment: %s", error->message);
  return enrolment != NULL;
}

/* ---- scheduling (main thread) --------------------------------------------------------- */

static gboolean
timeout_fired (gpointer user_data)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (user_data);

  self->timeout_id = 0;
  begin_round (self);
  return G_SOURCE_REMOVE;
}

/* Run a round in @delay_ms. With @sooner_only an already scheduled round that comes
 * earlier is kept; otherwise it is replaced. */
static void
schedule (PayamSyncService *self,
          guint             delay_ms,
          gboolean          sooner_only)
{
  gint64 due = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  g_autoptr(GSource) source = NULL;

  g_assert (self->started);

  if (self->timeout_id != 0)
    {
      if (sooner_only && self->due_us <= due)
        return;
      g_clear_handle_id (&self->timeout_id, g_source_remove);
    }
  self->due_us = due;
  source = g_timeout_source_new (delay_ms);
  g_source_set_callback (source, timeout_fired, self, NULL);
  g_source_set_static_name (source, "[payam] sync round");
  self->timeout_id = g_source_attach (source, self->context);
}

/* The retry delay after @failures rounds failed in a row: retry_min doubled each time,
 * never past retry_max. */
static guint
backoff (const PayamSyncTiming *timing,
         guint                  failures)
{
  guint64 delay = MAX (timing->retry_min_ms, 1);

  for (guint i = 1; i < failures && delay < timing->retry_max_ms; i++)
    delay *= 2;
  return (guint) MIN (delay, (guint64) MAX (timing->retry_max_ms, timing->retry_min_ms));
}

static void
store_changed (PayamSyncService *self,
               const char       *request_id)
{
  /* A bulk import changes thousands of requests in one go: count once afterwards. */
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_idle, self, NULL);

  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  /* While retrying after a failure, a change does not make the server be asked sooner. */
  if (self->failures == 0)
    schedule (self, self->timing.debounce_ms, TRUE);
}

/* ---- the round (worker thread) -------------------------------------------------------- */

typedef struct {
  char                 *db_path;
  PayamSyncRoundCounts  counts;
} RoundData;

static void
round_data_free (RoundData *data)
{
  g_free (data->db_path);
  g_free (data);
}

typedef struct {
  PayamSyncService *self;
  double            fraction;
} Progress;

static void
progress_free (gpointer user_data)
{
  Progress *progress = user_data;

  g_object_unref (progress->self);
  g_free (progress);
}

static gboolean
progress_apply (gpointer user_data)
{
  Progress *progress = user_data;

  /* A report that arrives after its round has ended must not raise the bar again. */
  if (progress->self->running)
    set_upload_fraction (progress->self, progress->fraction);
  return G_SOURCE_REMOVE;
}

/* On the worker thread: hand the fraction to the main context. Same priority as the
 * task's completion, so every report is applied before the round ends. */
static void
round_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (user_data);
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (self);
  progress->fraction = total > 0 ? (double) done / (double) total : 0.0;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, progress_apply, progress,
                              progress_free);
}

/* One round with a connection and a client of its own: the app's connection stays free
 * for the UI, and WAL lets both work at once. */
static void
round_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RoundData *data = task_data;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  store = payam_store_open (data->db_path, &error);
  if (store != NULL)
    {
      payam_store_set_actor (store, "sync");
      client = payam_sync_client_new_for_store (store, &error);
    }
  if (client == NULL ||
      !payam_sync_round_with_progress (client, store, &data->counts, round_progress,
                                       source_object, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* What a failed round means for the state, whether the server was reached, and the
 * sentence people read. */
static void
show_failure (PayamSyncService *self,
              const GError     *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_NETWORK))
    {
      set_online (self, FALSE);
      set_message (self, _("The office server cannot be reached. Changes stay on this "
                           "device and are sent when the connection is back."));
      set_state (self, PAYAM_SYNC_STATE_OFFLINE);
      return;
    }
  if (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNAUTHORIZED))
    {
      set_online (self, TRUE);
      set_message (self, _("The office server no longer accepts this device: its access "
                           "was revoked. Enrol it again with a new code from the office."));
      set_state (self, PAYAM_SYNC_STATE_FAILED);
      return;
    }
  if (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS))
    {
      /* The client's sentence already says what to do about the certificate. */
      set_online (self, FALSE);
      set_message (self, error->message);
      set_state (self, PAYAM_SYNC_STATE_FAILED);
      return;
    }

  /* The server answered with an error, or the store failed. */
  set_online (self, error->domain == PAYAM_SYNC_ERROR);
  /* Translators: %s says why (server unreachable, certificate, revoked device, …). */
  message = g_strdup_printf (_("Sync did not finish: %s"), error->message);
  set_message (self, message);
  set_state (self, PAYAM_SYNC_STATE_FAILED);
}

static void
round_done (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (source_object);
  RoundData *data = g_task_get_task_data (G_TASK (result));
  const PayamSyncRoundCounts *counts = &data->counts;
  g_autoptr(GError) error = NULL;
  gboolean moved;
  guint next_ms;

  self->running = FALSE;
  moved = counts->ops_pushed + counts->blobs_sent + counts->ops_pulled +
          counts->blobs_received > 0;

  g_object_freeze_notify (G_OBJECT (self));
  set_upload_fraction (self, 0.0);
  refresh_waiting (self);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(GDateTime) when = now (self);

      self->failures = 0;
      self->retry_delay = 0;
      set_online (self, TRUE);
      set_message (self, NULL);
      if (self->last_sync == NULL || !g_date_time_equal (self->last_sync, when))
        {
          g_clear_pointer (&self->last_sync, g_date_time_unref);
          self->last_sync = g_date_time_ref (when);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
        }
      set_state (self, PAYAM_SYNC_STATE_IDLE);
      next_ms = self->again ? self->timing.debounce_ms : self->timing.period_ms;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: nothing was learnt about the server. */
      set_state (self, self->state_before);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }
  else if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
    {
      /* The enrolment is gone (the client is made from it). */
      set_message (self, NULL);
      set_online (self, FALSE);
      set_state (self, PAYAM_SYNC_STATE_NOT_ENROLLED);
      next_ms = self->timing.period_ms;
    }
  else
    {
      g_debug ("Sync round failed: %s", error->message);
      self->failures++;
      self->retry_delay = backoff (&self->timing, self->failures);
      show_failure (self, error);
      next_ms = self->retry_delay;
    }
  self->again = FALSE;
  g_object_thaw_notify (G_OBJECT (self));

  if (self->started)
    schedule (self, next_ms, FALSE);
  g_signal_emit (self, signals[ROUND_FINISHED], 0, moved);
}

/* Start a round now unless one runs (then another follows it). A device that is not
 * enrolled only looks again after a period. */
static void
begin_round (PayamSyncService *self)
{
  g_autoptr(GTask) task = NULL;
  RoundData *data;

  if (!self->started)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!is_enrolled (self))
    {
      set_state (self, PAYAM_SYNC_STATE_NOT_ENROLLED);
      schedule (self, self->timing.period_ms, FALSE);
      return;
    }

  self->running = TRUE;
  self->again = FALSE;
  self->state_before = self->state;
  set_state (self, PAYAM_SYNC_STATE_SYNCING);

  data = g_new0 (RoundData, 1);
  data->db_path = g_strdup (payam_store_get_path (self->store));
  task = g_task_new (self, self->cancellable, round_done, NULL);
  g_task_set_source_tag (task, begin_round);
  g_task_set_task_data (task, data, (GDestroyNotify) round_data_free);
  g_task_run_in_thread (task, round_thread);
}

/* ---- public ---------------------------------------------------------------------------- */

PayamSyncService *
payam_sync_service_new (PayamStore *store)
{
  PayamSyncService *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_SYNC_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->state = is_enrolled (self) ? PAYAM_SYNC_STATE_IDLE : PAYAM_SYNC_STATE_NOT_ENROLLED;
  refresh_waiting (self);
  return self;
}

/* Begin scheduling: a round soon, then after changes and every period. Does nothing when
 * started already. */
void
payam_sync_service_start (PayamSyncService *self)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  self->changed_id = g_signal_connect_object (self->store, "request-changed",
                                              G_CALLBACK (store_changed), self,
                                              G_CONNECT_SWAPPED);
  refresh_waiting (self);
  if (!is_enrolled (self))
    {
      set_state (self, PAYAM_SYNC_STATE_NOT_ENROLLED);
      schedule (self, self->timing.period_ms, FALSE);
      return;
    }
  schedule (self, self->timing.first_ms, FALSE);
}

void
payam_sync_service_stop (PayamSyncService *self)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));

  if (!self->started)
    return;
  self->started = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->store);
  g_cancellable_cancel (self->cancellable);
  /* The round's blocking calls return soon once cancelled; its completion comes through
   * this context. */
  while (self->running)
    g_main_context_iteration (self->context, TRUE);
  g_clear_object (&self->cancellable);
}

void
payam_sync_service_sync_now (PayamSyncService *self)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));

  begin_round (self);
}

PayamSyncState
payam_sync_service_get_state (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), PAYAM_SYNC_STATE_NOT_ENROLLED);

  return self->state;
}

gboolean
payam_sync_service_get_online (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), FALSE);

  return self->online;
}

GDateTime *
payam_sync_service_get_last_sync (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), NULL);

  return self->last_sync;
}

gint64
payam_sync_service_get_waiting_ops (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), 0);

  return self->waiting_ops;
}

guint
payam_sync_service_get_waiting_photos (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), 0);

  return self->waiting_photos;
}

double
payam_sync_service_get_upload_fraction (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), 0.0);

  return self->upload_fraction;
}

const char *
payam_sync_service_get_message (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), NULL);

  return self->message;
}

guint
payam_sync_service_get_retry_delay (PayamSyncService *self)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), 0);

  return self->retry_delay;
}

void
payam_sync_service_set_timing (PayamSyncService      *self,
                               const PayamSyncTiming *timing)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));
  g_return_if_fail (timing != NULL);

  self->timing = *timing;
}

void
payam_sync_service_set_now_func (PayamSyncService  *self,
                                 GDateTime       *(*now_func) (gpointer),
                                 gpointer           user_data)
{
  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));

  self->now_func = now_func;
  self->now_data = user_data;
}

/* ---- tracking ---------------------------------------------------------------------------- */

typedef struct {
  PayamSyncClient *client;
  char            *code;
} TrackData;

static void
track_data_free (TrackData *data)
{
  g_clear_object (&data->client);
  g_free (data->code);
  g_free (data);
}

static void
track_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TrackData *data = task_data;
  g_autofree char *escaped = g_uri_escape_string (data->code, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/track/", escaped, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  PayamSyncTrackReply *reply;

  body = payam_sync_client_send (data->client, "GET", path, NULL, NULL, cancellable, &error);
  reply = body == NULL ? NULL : payam_sync_decode_track_reply (g_bytes_get_data (body, NULL),
                                                               g_bytes_get_size (body),
                                                               &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) payam_sync_track_reply_free);
}

void
payam_sync_service_track_async (PayamSyncService    *self,
                                const char          *code,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncClient) client = NULL;
  TrackData *data;

  g_return_if_fail (PAYAM_IS_SYNC_SERVICE (self));
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, payam_sync_service_track_async);

  /* Made here from the app's connection; used only by the worker thread from now on. */
  client = payam_sync_client_new_for_store (self->store, &error);
  if (client == NULL)
    {
      if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
        g_task_return_new_error (task, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_NETWORK, "%s",
                                 _("This device is not enrolled with an office server."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (TrackData, 1);
  data->client = g_steal_pointer (&client);
  data->code = g_strdup (code);
  g_task_set_task_data (task, data, (GDestroyNotify) track_data_free);
  g_task_run_in_thread (task, track_thread);
}

PayamSyncTrackReply *
payam_sync_service_track_finish (PayamSyncService  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (PAYAM_IS_SYNC_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        payam_sync_service_track_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
payam_sync_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;

    case PROP_WAITING_OPS:
      g_value_set_int64 (value, self->waiting_ops);
      break;

    case PROP_WAITING_PHOTOS:
      g_value_set_uint (value, self->waiting_photos);
      break;

    case PROP_UPLOAD_FRACTION:
      g_value_set_double (value, self->upload_fraction);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_sync_service_dispose (GObject *object)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (object);

  /* A running round holds a reference, so none runs here. */
  payam_sync_service_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_sync_service_parent_class)->dispose (object);
}

static void
payam_sync_service_finalize (GObject *object)
{
  PayamSyncService *self = PAYAM_SYNC_SERVICE (object);

  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (payam_sync_service_parent_class)->finalize (object);
}

static void
payam_sync_service_class_init (PayamSyncServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = payam_sync_service_get_property;
  object_class->dispose = payam_sync_service_dispose;
  object_class->finalize = payam_sync_service_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       PAYAM_TYPE_SYNC_STATE, PAYAM_SYNC_STATE_NOT_ENROLLED, flags);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_WAITING_OPS] =
    g_param_spec_int64 ("waiting-ops", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_WAITING_PHOTOS] =
    g_param_spec_uint ("waiting-photos", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_UPLOAD_FRACTION] =
    g_param_spec_double ("upload-fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ROUND_FINISHED] = g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
payam_sync_service_init (PayamSyncService *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->timing = default_timing;
  self->state = PAYAM_SYNC_STATE_NOT_ENROLLED;
}
