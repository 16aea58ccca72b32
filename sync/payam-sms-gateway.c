/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SMS delivery on the office server: the gateway interface, the key file, and the sender
 * that drains the store's notice queue through a gateway (issue #14). */
#define G_LOG_DOMAIN "payam-sms"
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "payam-sms-gateway.h"

/* The longest wait between two tries of one message. */
#define MAX_RETRY_SECONDS 600
/* Delivery reports asked for at once. */
#define REPORT_PAGE 100

G_DEFINE_INTERFACE (PayamSmsGateway, payam_sms_gateway, G_TYPE_OBJECT)

static void
payam_sms_gateway_default_init (PayamSmsGatewayInterface *iface)
{
}

void
payam_sms_result_free (PayamSmsResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message_id);
  g_free (result->reason);
  g_free (result);
}

/* Hand @item to the gateway; see PayamSmsGatewayInterface. */
void
payam_sms_gateway_send_async (PayamSmsGateway     *self,
                              const PayamSmsItem  *item,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PAYAM_IS_SMS_GATEWAY (self));
  PAYAM_SMS_GATEWAY_GET_IFACE (self)->send_async (self, item, cancellable, callback, user_data);
}

/* The results of a send (owns PayamSmsResult elements). */
GPtrArray *
payam_sms_gateway_send_finish (PayamSmsGateway *self,
                               GAsyncResult    *result)
{
  g_return_val_if_fail (PAYAM_IS_SMS_GATEWAY (self), NULL);
  return PAYAM_SMS_GATEWAY_GET_IFACE (self)->send_finish (self, result);
}

/* Ask for the reports of @items (PayamSmsItem, sent); see PayamSmsGatewayInterface. */
void
payam_sms_gateway_report_async (PayamSmsGateway     *self,
                                GPtrArray           *items,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PAYAM_IS_SMS_GATEWAY (self));
  PAYAM_SMS_GATEWAY_GET_IFACE (self)->report_async (self, items, cancellable, callback,
                                                     user_data);
}

/* The results of a report request (owns PayamSmsResult elements). */
GPtrArray *
payam_sms_gateway_report_finish (PayamSmsGateway *self,
                                 GAsyncResult    *result)
{
  g_return_val_if_fail (PAYAM_IS_SMS_GATEWAY (self), NULL);
  return PAYAM_SMS_GATEWAY_GET_IFACE (self)->report_finish (self, result);
}

/* See payam-sms-gateway.h. */
char *
payam_sms_read_key_file (const char  *path,
                         GError     **error)
{
  GStatBuf st;
  g_autofree char *contents = NULL;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      /* Translators: %s is a file name, then the system's reason. */
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read the SMS key file %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      /* Translators: %s is a file name; keep chmod 600 as it is. */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   _("The SMS key file %s may be read by others; make it the service's "
                     "alone with chmod 600."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0' || strchr (contents, '\n') != NULL || strchr (contents, '/') != NULL ||
      !g_utf8_validate (contents, -1, NULL))
    {
      /* Translators: %s is a file name. */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The SMS key file %s must hold the gateway's API key alone, on one "
                     "line."), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* ---- the sender ------------------------------------------------------------------- */

struct _PayamSmsSender {
  PayamStore      *store;
  PayamSmsGateway *gateway;
  GCancellable    *cancellable;
  guint            batch;
  guint            retry_base;
  guint            timer;
  guint            in_flight;   /* sends of the current batch not answered yet */
  GPtrArray       *answers;     /* PayamSmsResult of the batch so far, kept at its end */
  gboolean         busy;        /* a batch or a report request is out */
  gboolean         stopped;
  void           (*log) (const char *line, gpointer data);
  gpointer         log_data;
};

static void sender_round (PayamSmsSender *self);

/* A log line, through the server's log function. */
G_GNUC_PRINTF (2, 3)
static void
sender_log (PayamSmsSender *self,
            const char     *format,
            ...)
{
  g_autofree char *line = NULL;
  va_list ap;

  va_start (ap, format);
  line = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (self->log != NULL)
    self->log (line, self->log_data);
  else
    g_message ("%s", line);
}

static PayamSmsSender *
sender_ref (PayamSmsSender *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
sender_clear (PayamSmsSender *self)
{
  g_clear_object (&self->gateway);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->answers, g_ptr_array_unref);
}

static void
sender_unref (PayamSmsSender *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) sender_clear);
}

/* Keep what the gateway said of one message in the store; a store error is logged (the
 * message stays where it was and is handled again on the next round). */
static void
apply_result (PayamSmsSender       *self,
              const PayamSmsResult *r,
              gboolean              report)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint attempts = 0;

  switch (r->outcome)
    {
    case PAYAM_SMS_ACCEPTED:
      ok = payam_store_sms_sent (self->store, r->localid, r->message_id, &error);
      break;
    case PAYAM_SMS_DELIVERED:
      ok = (report || payam_store_sms_sent (self->store, r->localid, r->message_id, &error)) &&
           payam_store_sms_delivered (self->store, r->localid, &error);
      if (ok)
        sender_log (self, "sms %" G_GINT64_FORMAT " delivered", r->localid);
      break;
    case PAYAM_SMS_PENDING:
      break;
    case PAYAM_SMS_RETRY:
      ok = payam_store_sms_attempts (self->store, r->localid, &attempts, &error);
      if (ok)
        {
          guint64 delay = (guint64) self->retry_base << MIN (attempts, 16);

          delay = MIN (delay, MAX_RETRY_SECONDS);
          ok = payam_store_sms_retry (self->store, r->localid, r->reason, (guint) delay, &error);
          sender_log (self, "sms %" G_GINT64_FORMAT " retry in %u s: %s", r->localid,
                      (guint) delay, r->reason);
        }
      break;
    case PAYAM_SMS_FAILED:
    default:
      ok = payam_store_sms_failed (self->store, r->localid, r->reason, &error);
      sender_log (self, "sms %" G_GINT64_FORMAT " failed: %s", r->localid, r->reason);
      break;
    }
  if (!ok)
    sender_log (self, "sms %" G_GINT64_FORMAT ": cannot keep the result: %s", r->localid,
                error->message);
}

/* Keep @results in one transaction: one commit (one sync to disk) per batch, not per
 * message. A crash before it loses nothing: the messages are still "sending" and go again
 * under the same localid, which the gateway does not send twice. */
static void
apply_all (PayamSmsSender *self,
           GPtrArray      *results,
           gboolean        report)
{
  g_autoptr(GError) error = NULL;

  if (results == NULL || results->len == 0)
    return;
  if (!payam_store_begin (self->store, &error))
    {
      sender_log (self, "sms: cannot keep the results: %s", error->message);
      return;
    }
  for (guint i = 0; i < results->len; i++)
    apply_result (self, results->pdata[i], report);
  if (!payam_store_commit (self->store, &error))
    {
      sender_log (self, "sms: cannot keep the results: %s", error->message);
      payam_store_rollback (self->store);
    }
}

/* The round is over: look again at once when asked (more may be waiting). */
static void
round_done (PayamSmsSender *self,
            gboolean        again)
{
  self->busy = FALSE;
  if (again && !self->stopped)
    sender_round (self);
}

static void
report_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  PayamSmsSender *self = data;
  g_autoptr(GPtrArray) results = payam_sms_gateway_report_finish (PAYAM_SMS_GATEWAY (source),
                                                                  result);
  guint n = results != NULL ? results->len : 0;

  if (!self->stopped)
    {
      if (n > 0)
        apply_all (self, results, TRUE);
      /* A full page may have more behind it; otherwise wait for the timer. */
      round_done (self, FALSE);
    }
  sender_unref (self);
}

/* Ask for the reports of sent messages, a page at a time. */
static void
ask_reports (PayamSmsSender *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) awaiting = payam_store_list_sms_awaiting (self->store, REPORT_PAGE,
                                                                 &error);

  if (awaiting == NULL)
    {
      sender_log (self, "sms: cannot read the messages awaiting reports: %s", error->message);
      round_done (self, FALSE);
      return;
    }
  if (awaiting->len == 0)
    {
      round_done (self, FALSE);
      return;
    }
  payam_sms_gateway_report_async (self->gateway, awaiting, self->cancellable, report_done,
                                  sender_ref (self));
}

static void
send_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  PayamSmsSender *self = data;
  g_autoptr(GPtrArray) results = payam_sms_gateway_send_finish (PAYAM_SMS_GATEWAY (source),
                                                                result);

  if (!self->stopped)
    {
      for (guint i = 0; results != NULL && i < results->len; i++)
        g_ptr_array_add (self->answers, g_ptr_array_steal_index (results, i--));
      g_assert (self->in_flight > 0);
      if (--self->in_flight == 0)
        {
          apply_all (self, self->answers, FALSE);
          g_ptr_array_set_size (self->answers, 0);
          round_done (self, TRUE);
        }
    }
  sender_unref (self);
}

/* One round: claim a batch and send it; with nothing to send, ask for reports. */
static void
sender_round (PayamSmsSender *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (self->busy || self->stopped)
    return;
  self->busy = TRUE;
  items = payam_store_claim_sms (self->store, self->batch, &error);
  if (items == NULL)
    {
      sender_log (self, "sms: cannot read the queue: %s", error->message);
      round_done (self, FALSE);
      return;
    }
  if (items->len == 0)
    {
      ask_reports (self);
      return;
    }
  self->in_flight = items->len;
  for (guint i = 0; i < items->len; i++)
    payam_sms_gateway_send_async (self->gateway, items->pdata[i], self->cancellable, send_done,
                                  sender_ref (self));
}

static gboolean
on_timer (gpointer data)
{
  sender_round (data);
  return G_SOURCE_CONTINUE;
}

/* See payam-sms-gateway.h. The first round starts at once. */
PayamSmsSender *
payam_sms_sender_new (PayamStore      *store,
                      PayamSmsGateway *gateway,
                      guint            batch,
                      guint            interval_ms,
                      guint            retry_base,
                      void           (*log) (const char *line, gpointer data),
                      gpointer         log_data)
{
  PayamSmsSender *self = g_atomic_rc_box_new0 (PayamSmsSender);

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (PAYAM_IS_SMS_GATEWAY (gateway), NULL);

  self->store = g_object_ref (store);
  self->gateway = g_object_ref (gateway);
  self->cancellable = g_cancellable_new ();
  self->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sms_result_free);
  self->batch = MAX (batch, 1);
  self->retry_base = MAX (retry_base, 1);
  self->log = log;
  self->log_data = log_data;
  self->timer = g_timeout_add (MAX (interval_ms, 10), on_timer, self);
  sender_round (self);
  return self;
}

/* Stop sending: answers still on their way are dropped (their messages stay "sending"
 * and go again, under the same localid, on the next start). */
void
payam_sms_sender_free (PayamSmsSender *self)
{
  if (self == NULL)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->timer, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  sender_unref (self);
}
