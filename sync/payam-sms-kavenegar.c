/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Kavenegar SMS driver (issue #14): POST /v1/{key}/sms/send.json with receptor, sender,
 * message and localid; reports from /v1/{key}/sms/statuslocalmessageid.json. Replies are
 * {"return": {"status", "message"}, "entries": [{"messageid", "localid", "status",
 * "statustext"}]}. Message statuses: 1, 2 queued, 4, 5 sent, 6 failed, 10 delivered, 11 not
 * delivered, 13 cancelled, 14 blocked, 100 unknown. A localid already used is not sent again:
 * the gateway answers with the first message, which makes a resend after a crash safe. */
#define G_LOG_DOMAIN "payam-sms"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "payam-sms-gateway.h"

#define PAYAM_TYPE_SMS_KAVENEGAR (payam_sms_kavenegar_get_type ())
G_DECLARE_FINAL_TYPE (PayamSmsKavenegar, payam_sms_kavenegar, PAYAM, SMS_KAVENEGAR, GObject)

struct _PayamSmsKavenegar {
  GObject      parent_instance;
  SoupSession *session;
  char        *base;      /* https://host:port/v1/KEY/sms/ (holds the key: never logged) */
  char        *sender;
};

static void gateway_iface_init (PayamSmsGatewayInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PayamSmsKavenegar, payam_sms_kavenegar, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PAYAM_TYPE_SMS_GATEWAY, gateway_iface_init))

static void
payam_sms_kavenegar_finalize (GObject *object)
{
  PayamSmsKavenegar *self = PAYAM_SMS_KAVENEGAR (object);

  g_clear_object (&self->session);
  g_free (self->base);
  g_free (self->sender);
  G_OBJECT_CLASS (payam_sms_kavenegar_parent_class)->finalize (object);
}

static void
payam_sms_kavenegar_class_init (PayamSmsKavenegarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_sms_kavenegar_finalize;
}

static void
payam_sms_kavenegar_init (PayamSmsKavenegar *self)
{
}

/* An integer member given as a number or as digits in a string; -1 when neither. */
static gint64
member_int (JsonObject *o,
            const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;
  guint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
    return (gint64) value;
  return -1;
}

/* A result for @localid (caller owns it). */
static PayamSmsResult *
result_new (gint64           localid,
            PayamSmsOutcome  outcome,
            char            *reason)
{
  PayamSmsResult *r = g_new0 (PayamSmsResult, 1);

  r->localid = localid;
  r->outcome = outcome;
  r->reason = reason;
  return r;
}

/* What a message status means: queued and sent wait, 10 is delivered, 6, 11, 13 and 14 are
 * final failures; anything else (100 unknown) waits too. */
static PayamSmsOutcome
outcome_of_status (gint64 status,
                   gboolean report)
{
  switch (status)
    {
    case 10:
      return PAYAM_SMS_DELIVERED;
    case 6:
    case 11:
    case 13:
    case 14:
      return PAYAM_SMS_FAILED;
    default:
      return report ? PAYAM_SMS_PENDING : PAYAM_SMS_ACCEPTED;
    }
}

/* Whether a failed reply (return.status @code) is the gateway's or the account's trouble,
 * worth trying again later (busy, no credit, key or sender refused, server errors), rather
 * than the message's (411 bad receptor, 413 message, 414 too many…). */
static gboolean
code_is_transient (gint64 code)
{
  return code == 409 || code == 418 || code == 401 || code == 403 || code == 412 ||
         code == 416 || code == 429 || code >= 500 || code < 0;
}

/* The reply body parsed into its return status (*@code, the HTTP status when missing),
 * return message (*@message) and entries (*@entries, borrowed from the returned parser);
 * NULL parser when the body is not a JSON object. */
static JsonParser *
parse_reply (GBytes      *body,
             guint        http_status,
             gint64      *code,
             char       **message,
             JsonArray  **entries)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonObject *root, *ret;

  *code = http_status;
  *message = g_strdup (soup_status_get_phrase (http_status));
  *entries = NULL;
  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  ret = json_object_get_object_member (root, "return");
  if (member_int (ret, "status") > 0)
    *code = member_int (ret, "status");
  if (ret != NULL && json_object_has_member (ret, "message") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (ret, "message")) &&
      json_object_get_string_member (ret, "message") != NULL)
    {
      g_free (*message);
      *message = g_strdup (json_object_get_string_member (ret, "message"));
    }
  if (json_object_has_member (root, "entries") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "entries")))
    *entries = json_object_get_array_member (root, "entries");
  return g_steal_pointer (&parser);
}

/* ---- send ------------------------------------------------------------------------- */

typedef struct {
  gint64 localid;
} SendData;

static void
send_replied (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  SendData *sd = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sms_result_free);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *message = NULL;
  JsonArray *entries = NULL;
  gint64 code;

  if (body == NULL)
    {
      g_ptr_array_add (results, result_new (sd->localid, PAYAM_SMS_RETRY,
                                            g_strdup_printf ("network: %s", error->message)));
      g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  parser = parse_reply (body, soup_message_get_status (msg), &code, &message, &entries);
  if (code == 200 && entries != NULL && json_array_get_length (entries) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (entries, 0)))
    {
      JsonObject *entry = json_array_get_object_element (entries, 0);
      gint64 status = member_int (entry, "status");
      gint64 message_id = member_int (entry, "messageid");
      PayamSmsOutcome outcome = outcome_of_status (status, FALSE);
      PayamSmsResult *r = result_new (sd->localid, outcome, NULL);

      if (message_id >= 0)
        r->message_id = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);
      if (outcome == PAYAM_SMS_FAILED)
        r->reason = g_strdup_printf ("status %" G_GINT64_FORMAT ": %s", status,
                                     json_object_has_member (entry, "statustext")
                                     ? json_object_get_string_member (entry, "statustext")
                                     : "");
      g_ptr_array_add (results, r);
    }
  else
    {
      /* A 200 without an entry is the gateway's fault too: try again. */
      gboolean transient = code == 200 || code_is_transient (code);

      g_ptr_array_add (results, result_new (sd->localid,
                                            transient ? PAYAM_SMS_RETRY : PAYAM_SMS_FAILED,
                                            g_strdup_printf ("%" G_GINT64_FORMAT " %s", code,
                                                             message != NULL ? message : "")));
    }
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
kavenegar_send_async (PayamSmsGateway     *gateway,
                      const PayamSmsItem  *item,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  PayamSmsKavenegar *self = PAYAM_SMS_KAVENEGAR (gateway);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SendData *sd = g_new0 (SendData, 1);
  g_autofree char *url = g_strconcat (self->base, "send.json", NULL);
  g_autofree char *localid = g_strdup_printf ("%" G_GINT64_FORMAT, item->localid);
  g_autoptr(SoupMessage) msg = NULL;
  GHashTable *form = g_hash_table_new (g_str_hash, g_str_equal);

  sd->localid = item->localid;
  g_task_set_task_data (task, sd, g_free);
  g_hash_table_insert (form, (gpointer) "receptor", item->phone);
  g_hash_table_insert (form, (gpointer) "sender", self->sender);
  g_hash_table_insert (form, (gpointer) "message", item->text);
  g_hash_table_insert (form, (gpointer) "localid", localid);
  msg = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url,
                                            soup_form_encode_hash (form));
  g_hash_table_unref (form);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_replied, task);
}

/* Results never fail: see PayamSmsGatewayInterface. */
static GPtrArray *
kavenegar_finish (PayamSmsGateway *gateway,
                  GAsyncResult    *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/* ---- reports ---------------------------------------------------------------------- */

static void
report_replied (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  GArray *localids = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sms_result_free);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *message = NULL;
  JsonArray *entries = NULL;
  gint64 code = 0;

  if (body != NULL)
    parser = parse_reply (body, soup_message_get_status (msg), &code, &message, &entries);
  /* Only entries naming a localid asked for count; the rest wait for the next ask. */
  for (guint i = 0; code == 200 && entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 localid = member_int (entry, "localid");
      gint64 status = member_int (entry, "status");
      PayamSmsOutcome outcome = outcome_of_status (status, TRUE);
      gboolean asked = FALSE;

      for (guint k = 0; k < localids->len && !asked; k++)
        asked = g_array_index (localids, gint64, k) == localid;
      if (!asked || outcome == PAYAM_SMS_PENDING)
        continue;
      g_ptr_array_add (results, result_new (localid, outcome, outcome == PAYAM_SMS_FAILED
        ? g_strdup_printf ("status %" G_GINT64_FORMAT ": %s", status,
                           json_object_has_member (entry, "statustext")
                           ? json_object_get_string_member (entry, "statustext") : "")
        : NULL));
    }
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
kavenegar_report_async (PayamSmsGateway     *gateway,
                        GPtrArray           *items,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PayamSmsKavenegar *self = PAYAM_SMS_KAVENEGAR (gateway);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GArray *localids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const PayamSmsItem *item = items->pdata[i];

      g_array_append_val (localids, item->localid);
      g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", item->localid);
    }
  g_task_set_task_data (task, localids, (GDestroyNotify) g_array_unref);
  url = g_strconcat (self->base, "statuslocalmessageid.json?localid=", list->str, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    report_replied, task);
}

static void
gateway_iface_init (PayamSmsGatewayInterface *iface)
{
  iface->send_async = kavenegar_send_async;
  iface->send_finish = kavenegar_finish;
  iface->report_async = kavenegar_report_async;
  iface->report_finish = kavenegar_finish;
}

/* See payam-sms-gateway.h. */
PayamSmsGateway *
payam_sms_kavenegar_new (const char  *base_url,
                         const char  *key,
                         const char  *sender,
                         const char  *ca_file,
                         GError     **error)
{
  g_autoptr(PayamSmsKavenegar) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *escaped_key = NULL;

  uri = base_url != NULL ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The SMS gateway must be an https:// address."));
      return NULL;
    }
  if (key == NULL || *key == '\0' || sender == NULL || *sender == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Give the SMS gateway's key file and sender number."));
      return NULL;
    }
  self = g_object_new (PAYAM_TYPE_SMS_KAVENEGAR, NULL);
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60,
                                                 "max-conns-per-host", 16, NULL);
  if (ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca_file, error);

      if (db == NULL)
        return NULL;
      soup_session_set_tls_database (self->session, db);
    }
  escaped_key = g_uri_escape_string (key, NULL, FALSE);
  self->base = g_strconcat (base_url, g_str_has_suffix (base_url, "/") ? "" : "/",
                            "v1/", escaped_key, "/sms/", NULL);
  self->sender = g_strdup (sender);
  return PAYAM_SMS_GATEWAY (g_steal_pointer (&self));
}
