/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync wire codec: JSON through json-glib, with every member, type, form and size checked. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-sync-codec.h"
#include "payam-types.h"
#include "payam-uuid.h"

G_DEFINE_QUARK (payam-sync-error-quark, payam_sync_error)

/* Deepest nesting of arrays and objects accepted: json-glib's parser recurses once per
 * level, so a body of a million '[' would otherwise exhaust the stack. */
#define MAX_DEPTH 32

/* ---------------------------------------------------------------- freeing */

void
payam_sync_enrol_request_free (PayamSyncEnrolRequest *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->code);
  g_free (msg->device_id);
  g_free (msg);
}

void
payam_sync_enrol_reply_free (PayamSyncEnrolReply *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->device_id);
  g_free (msg->role);
  g_free (msg->crew_id);
  if (msg->credential != NULL)
    memset (msg->credential, 0, strlen (msg->credential));
  g_free (msg->credential);
  g_free (msg->office_public_key);
  g_free (msg);
}

void
payam_sync_push_request_free (PayamSyncPushRequest *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->device_id);
  g_free (msg->batch_id);
  g_clear_pointer (&msg->ops, g_ptr_array_unref);
  g_free (msg);
}

void
payam_sync_op_outcome_free (PayamSyncOpOutcome *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result);
}

void
payam_sync_push_response_free (PayamSyncPushResponse *msg)
{
  if (msg == NULL)
    return;
  g_clear_pointer (&msg->results, g_ptr_array_unref);
  g_free (msg);
}

void
payam_sync_pull_reply_free (PayamSyncPullReply *msg)
{
  if (msg == NULL)
    return;
  g_clear_pointer (&msg->changes, g_ptr_array_unref);
  g_free (msg);
}

void
payam_sync_error_body_free (PayamSyncErrorBody *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->error);
  g_free (msg->message);
  g_free (msg);
}

void
payam_sync_track_event_free (PayamSyncTrackEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->at);
  g_free (event->kind);
  g_free (event->status);
  g_free (event->text);
  g_free (event);
}

void
payam_sync_track_reply_free (PayamSyncTrackReply *msg)
{
  if (msg == NULL)
    return;
  g_clear_pointer (&msg->timeline, g_ptr_array_unref);
  g_free (msg->tracking_code);
  g_free (msg->status);
  g_free (msg->category);
  g_free (msg->created_at);
  g_free (msg->due_at);
  g_free (msg->updated_at);
  g_free (msg);
}

void
payam_sync_whoami_free (PayamSyncWhoami *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->device_id);
  g_free (msg->role);
  g_free (msg->crew_id);
  g_free (msg);
}

static const char *const outcome_names[] = {
  [PAYAM_SYNC_OUTCOME_APPLIED] = "applied",
  [PAYAM_SYNC_OUTCOME_DUPLICATE] = "duplicate",
  [PAYAM_SYNC_OUTCOME_SUPERSEDED] = "superseded",
  [PAYAM_SYNC_OUTCOME_CONFLICT] = "conflict",
  [PAYAM_SYNC_OUTCOME_REJECTED] = "rejected",
};

const char *
payam_sync_outcome_to_string (PayamSyncOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), NULL);
  return outcome_names[outcome];
}

gboolean
payam_sync_outcome_from_string (const char       *text,
                                PayamSyncOutcome *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (outcome_names); i++)
    if (strcmp (text, outcome_names[i]) == 0)
      {
        *out = (PayamSyncOutcome) i;
        return TRUE;
      }
  return FALSE;
}

/* ---------------------------------------------------------------- forms */

/* Lower-case names: entity, field ("*" alone allowed for a field), role, outcome. */
static gboolean
is_name (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* Printable ASCII without spaces: row ids, batch ids, tracking codes, tokens, times. */
static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;
  return TRUE;
}

/* Base32 (RFC 4648 alphabet, upper case, no padding): the enrolment code's secret. */
static gboolean
is_base32 (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!(*p >= 'A' && *p <= 'Z') && !(*p >= '2' && *p <= '7'))
      return FALSE;
  return TRUE;
}

static gboolean
is_public_key (const char *text)
{
  gsize length = 0;
  g_autofree guchar *raw = NULL;

  if (strlen (text) != 44 || !is_token (text))
    return FALSE;
  raw = g_base64_decode (text, &length);
  return length == 32;
}

static gboolean
is_role (const char *text)
{
  PayamRole role;

  return payam_role_from_string (text, &role);
}

static gboolean
is_status (const char *text)
{
  PayamStatus status;

  return payam_status_from_string (text, &status);
}

/* ---------------------------------------------------------------- reading */

/* One object being read: each getter does nothing once an error is set, so a decoder reads
 * every member and checks once at the end. */
typedef struct {
  JsonObject  *object;
  GError     **error;
  gboolean     failed;
} Reader;

/* Record the first error; takes @message. */
static void
reader_fail (Reader *r,
             int     code,
             char   *message)
{
  g_autofree char *owned = message;

  if (r->failed)
    return;
  r->failed = TRUE;
  g_set_error_literal (r->error, PAYAM_SYNC_ERROR, code, owned);
}

/* Refuse any member not in the NULL-terminated @allowed. */
static void
reader_only (Reader            *r,
             const char *const *allowed)
{
  g_autoptr(GList) members = NULL;

  if (r->failed)
    return;
  members = json_object_get_members (r->object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        /* Translators: %s is the name of a JSON member. */
        reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                 g_strdup_printf (_("Member “%s” is not known."),
                                      (const char *) l->data));
        return;
      }
}

static JsonNode *
reader_member (Reader     *r,
               const char *name,
               gboolean    required)
{
  JsonNode *node;

  if (r->failed)
    return NULL;
  node = json_object_get_member (r->object, name);
  if (node == NULL && required)
    /* Translators: %s is the name of a JSON member. */
    reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                 g_strdup_printf (_("Member “%s” is missing."), name));
  return node;
}

static void
reader_wrong (Reader     *r,
              const char *name)
{
  /* Translators: %s is the name of a JSON member. */
  reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                 g_strdup_printf (_("Member “%s” has the wrong type or form."), name));
}

/* A string of at most @max bytes passing @check (may be NULL); NULL when absent and not
 * @required, or on error. Caller owns it. */
static char *
reader_string (Reader      *r,
               const char  *name,
               gboolean     required,
               gsize        max,
               gboolean   (*check) (const char *))
{
  JsonNode *node = reader_member (r, name, required);
  const char *text;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      reader_wrong (r, name);
      return NULL;
    }
  text = json_node_get_string (node);
  if (strlen (text) > max)
    {
      /* Translators: %s is the name of a JSON member. */
      reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
                 g_strdup_printf (_("Member “%s” is too large."), name));
      return NULL;
    }
  if (check != NULL && !check (text))
    {
      reader_wrong (r, name);
      return NULL;
    }
  return g_strdup (text);
}

static gint64
reader_int (Reader     *r,
            const char *name,
            gint64      min,
            gint64      max)
{
  JsonNode *node = reader_member (r, name, TRUE);
  gint64 value;

  if (node == NULL)
    return min;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      reader_wrong (r, name);
      return min;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      reader_wrong (r, name);
      return min;
    }
  return value;
}

static gboolean
reader_bool (Reader     *r,
             const char *name)
{
  JsonNode *node = reader_member (r, name, TRUE);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      reader_wrong (r, name);
      return FALSE;
    }
  return json_node_get_boolean (node);
}

static PayamHlc
reader_hlc (Reader     *r,
            const char *name)
{
  g_autofree char *text = reader_string (r, name, TRUE, 32, NULL);
  PayamHlc hlc = 0;

  if (text != NULL && !payam_hlc_parse (text, &hlc))
    reader_wrong (r, name);
  return hlc;
}

/* An array of at most @max elements. Borrowed. */
static JsonArray *
reader_array (Reader     *r,
              const char *name,
              guint       max)
{
  JsonNode *node = reader_member (r, name, TRUE);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      reader_wrong (r, name);
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > max)
    {
      /* Translators: %s is the name of a JSON member. */
      reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
                 g_strdup_printf (_("Member “%s” is too large."), name));
      return NULL;
    }
  return json_node_get_array (node);
}

static void
reader_version (Reader *r)
{
  JsonNode *node = reader_member (r, "version", TRUE);

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    reader_wrong (r, "version");
  else if (json_node_get_int (node) != PAYAM_SYNC_PROTOCOL_VERSION)
    reader_fail (r, PAYAM_SYNC_ERROR_UNSUPPORTED,
                 g_strdup (_("This version of the sync protocol is not supported.")));
}

/* Whether the nesting of arrays and objects in @data stays within MAX_DEPTH. Strings are
 * skipped with their escapes; anything else is left to the parser. */
static gboolean
depth_ok (const char *data,
          gsize       length)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

/* Parse @data into a root object. Returns the node (caller owns it) or NULL. */
static JsonNode *
parse_object (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length > PAYAM_SYNC_MAX_BODY)
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE,
                           _("The message is too large."));
      return NULL;
    }
  if (data == NULL || !g_utf8_validate_len (data, length, NULL) || !depth_ok (data, length))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("The message is not valid JSON."));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("The message is not valid JSON."));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("The message is not a JSON object."));
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
check_op_id (const char *text)
{
  return payam_uuid7_is_valid (text);
}

static gboolean
check_field (const char *text)
{
  return strcmp (text, "*") == 0 || is_name (text);
}

/* One op of a push (@from_server FALSE: no server_seq) or a pull page (server_seq ≥ 1). */
static PayamOp *
read_op (JsonNode  *node,
         gboolean   from_server,
         GError   **error)
{
  static const char *const push_members[] = {
    "device_seq", "op_id", "device_id", "entity", "row_id", "field", "value", "hlc",
    "base_hlc", NULL,
  };
  static const char *const pull_members[] = {
    "device_seq", "op_id", "device_id", "entity", "row_id", "field", "value", "hlc",
    "base_hlc", "server_seq", NULL,
  };
  g_autoptr(PayamOp) op = g_new0 (PayamOp, 1);
  Reader r = { NULL, error, FALSE };
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                   _("Member “%s” has the wrong type or form."), "ops");
      return NULL;
    }
  r.object = json_node_get_object (node);
  reader_only (&r, from_server ? pull_members : push_members);
  op->device_seq = reader_int (&r, "device_seq", 1, G_MAXINT64);
  op->op_id = reader_string (&r, "op_id", TRUE, 36, check_op_id);
  op->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  op->entity = reader_string (&r, "entity", TRUE, PAYAM_SYNC_MAX_NAME, is_name);
  op->row_id = reader_string (&r, "row_id", TRUE, PAYAM_SYNC_MAX_ID, is_token);
  op->field = reader_string (&r, "field", TRUE, PAYAM_SYNC_MAX_NAME, check_field);
  op->hlc = reader_hlc (&r, "hlc");
  op->base_hlc = reader_hlc (&r, "base_hlc");
  if (from_server)
    op->server_seq = reader_int (&r, "server_seq", 1, G_MAXINT64);
  value = reader_member (&r, "value", TRUE);
  if (r.failed)
    return NULL;

  op->value = json_to_string (value, FALSE);
  if (strlen (op->value) > PAYAM_SYNC_MAX_VALUE)
    {
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE,
                   _("Member “%s” is too large."), "value");
      return NULL;
    }
  if (op->hlc == 0)
    {
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                   _("Member “%s” has the wrong type or form."), "hlc");
      return NULL;
    }
  return g_steal_pointer (&op);
}

static GPtrArray *
read_ops (JsonArray  *array,
          gboolean    from_server,
          GError    **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      PayamOp *op = read_op (json_array_get_element (array, i), from_server, error);

      if (op == NULL)
        return NULL;
      g_ptr_array_add (ops, op);
    }
  return g_steal_pointer (&ops);
}

/* ---------------------------------------------------------------- writing */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_hlc (JsonBuilder *b,
         const char  *name,
         PayamHlc     hlc)
{
  g_autofree char *text = payam_hlc_to_string (hlc);

  add_string (b, name, text);
}

static JsonBuilder *
begin_message (void)
{
  JsonBuilder *b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  add_int (b, "version", PAYAM_SYNC_PROTOCOL_VERSION);
  return b;
}

static char *
end_message (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
add_op (JsonBuilder   *b,
        const PayamOp *op,
        gboolean       from_server)
{
  g_autoptr(JsonNode) value = json_from_string (op->value, NULL);

  g_return_if_fail (value != NULL);
  json_builder_begin_object (b);
  add_int (b, "device_seq", op->device_seq);
  add_string (b, "op_id", op->op_id);
  add_string (b, "device_id", op->device_id);
  add_string (b, "entity", op->entity);
  add_string (b, "row_id", op->row_id);
  add_string (b, "field", op->field);
  json_builder_set_member_name (b, "value");
  json_builder_add_value (b, g_steal_pointer (&value));
  add_hlc (b, "hlc", op->hlc);
  add_hlc (b, "base_hlc", op->base_hlc);
  if (from_server)
    add_int (b, "server_seq", op->server_seq);
  json_builder_end_object (b);
}

/* ---------------------------------------------------------------- messages */

char *
payam_sync_encode_enrol_request (const PayamSyncEnrolRequest *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL && msg->code != NULL && msg->device_id != NULL, NULL);
  add_string (b, "code", msg->code);
  add_string (b, "device_id", msg->device_id);
  return end_message (b);
}

PayamSyncEnrolRequest *
payam_sync_decode_enrol_request (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  static const char *const members[] = { "version", "code", "device_id", NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncEnrolRequest) msg = g_new0 (PayamSyncEnrolRequest, 1);
  Reader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->code = reader_string (&r, "code", TRUE, PAYAM_SYNC_MAX_NAME, is_base32);
  msg->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_enrol_reply (const PayamSyncEnrolReply *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  add_string (b, "device_id", msg->device_id);
  add_string (b, "role", msg->role);
  add_string (b, "crew_id", msg->crew_id);
  add_int (b, "prefix", msg->prefix);
  add_string (b, "credential", msg->credential);
  add_string (b, "office_public_key", msg->office_public_key);
  return end_message (b);
}

PayamSyncEnrolReply *
payam_sync_decode_enrol_reply (const char  *data,
                               gsize        length,
                               GError     **error)
{
  static const char *const members[] = {
    "version", "device_id", "role", "crew_id", "prefix", "credential", "office_public_key",
    NULL,
  };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncEnrolReply) msg = g_new0 (PayamSyncEnrolReply, 1);
  Reader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  msg->role = reader_string (&r, "role", TRUE, PAYAM_SYNC_MAX_NAME, is_role);
  msg->crew_id = reader_string (&r, "crew_id", FALSE, PAYAM_SYNC_MAX_ID, is_token);
  msg->prefix = (guint) reader_int (&r, "prefix", 1, 9999);
  msg->credential = reader_string (&r, "credential", TRUE, PAYAM_SYNC_MAX_TEXT, is_token);
  msg->office_public_key = reader_string (&r, "office_public_key", TRUE, 44, is_public_key);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_push_request (const PayamSyncPushRequest *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL && msg->ops != NULL, NULL);
  add_string (b, "device_id", msg->device_id);
  add_string (b, "batch_id", msg->batch_id);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->ops->len; i++)
    add_op (b, g_ptr_array_index (msg->ops, i), FALSE);
  json_builder_end_array (b);
  return end_message (b);
}

PayamSyncPushRequest *
payam_sync_decode_push_request (const char  *data,
                                gsize        length,
                                GError     **error)
{
  static const char *const members[] = { "version", "device_id", "batch_id", "ops", NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncPushRequest) msg = g_new0 (PayamSyncPushRequest, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *ops;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  msg->batch_id = reader_string (&r, "batch_id", TRUE, PAYAM_SYNC_MAX_ID, is_token);
  ops = reader_array (&r, "ops", PAYAM_SYNC_MAX_OPS);
  if (r.failed)
    return NULL;
  msg->ops = read_ops (ops, FALSE, error);
  if (msg->ops == NULL)
    return NULL;
  /* A device pushes only its own ops. */
  for (guint i = 0; i < msg->ops->len; i++)
    if (strcmp (((PayamOp *) g_ptr_array_index (msg->ops, i))->device_id, msg->device_id) != 0)
      {
        g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                     _("Member “%s” has the wrong type or form."), "device_id");
        return NULL;
      }
  return g_steal_pointer (&msg);
}

char *
payam_sync_encode_push_response (const PayamSyncPushResponse *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL && msg->results != NULL, NULL);
  add_int (b, "acked_through", msg->acked_through);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->results->len; i++)
    {
      const PayamSyncOpOutcome *result = g_ptr_array_index (msg->results, i);

      json_builder_begin_object (b);
      add_int (b, "device_seq", result->device_seq);
      add_string (b, "outcome", payam_sync_outcome_to_string (result->outcome));
      add_string (b, "reason", result->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_hlc (b, "server_hlc", msg->server_hlc);
  return end_message (b);
}

static gboolean
check_outcome (const char *text)
{
  PayamSyncOutcome outcome;

  return payam_sync_outcome_from_string (text, &outcome);
}

static gboolean
is_text (const char *text)
{
  return g_utf8_validate (text, -1, NULL);
}

PayamSyncPushResponse *
payam_sync_decode_push_response (const char  *data,
                              gsize        length,
                              GError     **error)
{
  static const char *const members[] = {
    "version", "acked_through", "results", "server_hlc", NULL,
  };
  static const char *const result_members[] = { "device_seq", "outcome", "reason", NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncPushResponse) msg = g_new0 (PayamSyncPushResponse, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *results;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->acked_through = reader_int (&r, "acked_through", 0, G_MAXINT64);
  msg->server_hlc = reader_hlc (&r, "server_hlc");
  results = reader_array (&r, "results", PAYAM_SYNC_MAX_OPS);
  if (r.failed)
    return NULL;

  msg->results = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_op_outcome_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      g_autoptr(PayamSyncOpOutcome) result = g_new0 (PayamSyncOpOutcome, 1);
      g_autofree char *outcome = NULL;
      Reader rr = { NULL, error, FALSE };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("Member “%s” has the wrong type or form."), "results");
          return NULL;
        }
      rr.object = json_node_get_object (node);
      reader_only (&rr, result_members);
      result->device_seq = reader_int (&rr, "device_seq", 1, G_MAXINT64);
      outcome = reader_string (&rr, "outcome", TRUE, PAYAM_SYNC_MAX_NAME, check_outcome);
      result->reason = reader_string (&rr, "reason", FALSE, PAYAM_SYNC_MAX_TEXT, is_text);
      if (rr.failed)
        return NULL;
      payam_sync_outcome_from_string (outcome, &result->outcome);
      /* A refusal always says why. */
      if (result->outcome == PAYAM_SYNC_OUTCOME_REJECTED && result->reason == NULL)
        {
          g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("Member “%s” is missing."), "reason");
          return NULL;
        }
      g_ptr_array_add (msg->results, g_steal_pointer (&result));
    }
  return g_steal_pointer (&msg);
}

char *
payam_sync_encode_pull_reply (const PayamSyncPullReply *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL && msg->changes != NULL, NULL);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->changes->len; i++)
    add_op (b, g_ptr_array_index (msg->changes, i), TRUE);
  json_builder_end_array (b);
  add_int (b, "next", msg->next);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, msg->more);
  add_hlc (b, "server_hlc", msg->server_hlc);
  return end_message (b);
}

PayamSyncPullReply *
payam_sync_decode_pull_reply (const char  *data,
                              gsize        length,
                              GError     **error)
{
  static const char *const members[] = {
    "version", "changes", "next", "more", "server_hlc", NULL,
  };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncPullReply) msg = g_new0 (PayamSyncPullReply, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *changes;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  changes = reader_array (&r, "changes", PAYAM_SYNC_MAX_OPS);
  msg->next = reader_int (&r, "next", 0, G_MAXINT64);
  msg->more = reader_bool (&r, "more");
  msg->server_hlc = reader_hlc (&r, "server_hlc");
  if (r.failed)
    return NULL;
  msg->changes = read_ops (changes, TRUE, error);
  return msg->changes != NULL ? g_steal_pointer (&msg) : NULL;
}

char *
payam_sync_encode_error (const char *code,
                         const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (code != NULL && message != NULL, NULL);
  json_builder_begin_object (b);
  add_string (b, "error", code);
  add_string (b, "message", message);
  return end_message (b);
}

PayamSyncErrorBody *
payam_sync_decode_error (const char  *data,
                         gsize        length,
                         GError     **error)
{
  static const char *const members[] = { "error", "message", NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncErrorBody) msg = g_new0 (PayamSyncErrorBody, 1);
  Reader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  msg->error = reader_string (&r, "error", TRUE, PAYAM_SYNC_MAX_NAME, is_name);
  msg->message = reader_string (&r, "message", TRUE, PAYAM_SYNC_MAX_TEXT, is_text);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_track_reply (const PayamSyncTrackReply *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  add_string (b, "tracking_code", msg->tracking_code);
  add_string (b, "status", msg->status);
  add_string (b, "category", msg->category);
  add_string (b, "created_at", msg->created_at);
  add_string (b, "due_at", msg->due_at);
  add_string (b, "updated_at", msg->updated_at);
  json_builder_set_member_name (b, "timeline");
  json_builder_begin_array (b);
  for (guint i = 0; msg->timeline != NULL && i < msg->timeline->len; i++)
    {
      const PayamSyncTrackEvent *event = g_ptr_array_index (msg->timeline, i);

      json_builder_begin_object (b);
      add_string (b, "at", event->at);
      add_string (b, "kind", event->kind);
      add_string (b, "status", event->status);
      add_string (b, "text", event->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return end_message (b);
}

static gboolean
is_event_kind (const char *text)
{
  return strcmp (text, "registered") == 0 || strcmp (text, "status") == 0 ||
         strcmp (text, "notice") == 0;
}

PayamSyncTrackReply *
payam_sync_decode_track_reply (const char  *data,
                               gsize        length,
                               GError     **error)
{
  static const char *const members[] = {
    "version", "tracking_code", "status", "category", "created_at", "due_at", "updated_at",
    "timeline", NULL,
  };
  static const char *const event_members[] = { "at", "kind", "status", "text", NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncTrackReply) msg = g_new0 (PayamSyncTrackReply, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *timeline;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->tracking_code = reader_string (&r, "tracking_code", TRUE, PAYAM_SYNC_MAX_ID, is_token);
  msg->status = reader_string (&r, "status", TRUE, PAYAM_SYNC_MAX_NAME, is_status);
  msg->category = reader_string (&r, "category", TRUE, PAYAM_SYNC_MAX_NAME, is_name);
  msg->created_at = reader_string (&r, "created_at", TRUE, PAYAM_SYNC_MAX_NAME, is_token);
  msg->due_at = reader_string (&r, "due_at", FALSE, PAYAM_SYNC_MAX_NAME, is_token);
  msg->updated_at = reader_string (&r, "updated_at", TRUE, PAYAM_SYNC_MAX_NAME, is_token);
  timeline = reader_array (&r, "timeline", PAYAM_SYNC_MAX_OPS);
  if (r.failed)
    return NULL;

  msg->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_track_event_free);
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonNode *node = json_array_get_element (timeline, i);
      g_autoptr(PayamSyncTrackEvent) event = g_new0 (PayamSyncTrackEvent, 1);
      Reader rr = { NULL, error, FALSE };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("Member “%s” has the wrong type or form."), "timeline");
          return NULL;
        }
      rr.object = json_node_get_object (node);
      reader_only (&rr, event_members);
      event->at = reader_string (&rr, "at", TRUE, PAYAM_SYNC_MAX_NAME, is_token);
      event->kind = reader_string (&rr, "kind", TRUE, PAYAM_SYNC_MAX_NAME, is_event_kind);
      event->status = reader_string (&rr, "status", strcmp (event->kind ? event->kind : "",
                                                            "status") == 0,
                                     PAYAM_SYNC_MAX_NAME, is_status);
      event->text = reader_string (&rr, "text", FALSE, PAYAM_SYNC_MAX_TEXT, is_text);
      if (rr.failed)
        return NULL;
      g_ptr_array_add (msg->timeline, g_steal_pointer (&event));
    }
  return g_steal_pointer (&msg);
}

char *
payam_sync_encode_whoami (const PayamSyncWhoami *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  add_string (b, "device_id", msg->device_id);
  add_string (b, "role", msg->role);
  add_string (b, "crew_id", msg->crew_id);
  add_int (b, "prefix", msg->prefix);
  return end_message (b);
}

PayamSyncWhoami *
payam_sync_decode_whoami (const char  *data,
                          gsize        length,
                          GError     **error)
{
  static const char *const members[] = { "version", "device_id", "role", "crew_id", "prefix",
                                         NULL };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncWhoami) msg = g_new0 (PayamSyncWhoami, 1);
  Reader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  msg->role = reader_string (&r, "role", TRUE, PAYAM_SYNC_MAX_NAME, is_role);
  msg->crew_id = reader_string (&r, "crew_id", FALSE, PAYAM_SYNC_MAX_ID, is_token);
  msg->prefix = (guint) reader_int (&r, "prefix", 1, 9999);
  return r.failed ? NULL : g_steal_pointer (&msg);
}
