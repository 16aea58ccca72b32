/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync wire codec: JSON through json-glib, with every member, type, form and size checked
 * (the messages that carry ops: payam-sync-codec-ops.c). */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-sync-codec-private.h"
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
  g_free (msg->neighbourhood);
  g_free (msg->outcome);
  g_free (msg->public_text);
  g_strfreev (msg->photos);
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
gboolean
_payam_sync_is_name (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* Printable ASCII without spaces: row ids, batch ids, tracking codes, tokens, times. */
gboolean
_payam_sync_is_token (const char *text)
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

  if (strlen (text) != 44 || !_payam_sync_is_token (text))
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

gboolean
_payam_sync_is_text (const char *text)
{
  return g_utf8_validate (text, -1, NULL);
}

/* ---------------------------------------------------------------- reading */

/* Record the first error; takes @message. */
void
_payam_sync_reader_fail (PayamSyncReader *r,
                         int              code,
                         char            *message)
{
  g_autofree char *owned = message;

  if (r->failed)
    return;
  r->failed = TRUE;
  g_set_error_literal (r->error, PAYAM_SYNC_ERROR, code, owned);
}

/* Refuse any member not in the NULL-terminated @allowed. */
void
_payam_sync_reader_only (PayamSyncReader   *r,
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
        _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                                 g_strdup_printf (_("Member “%s” is not known."),
                                                  (const char *) l->data));
        return;
      }
}

static JsonNode *
reader_member (PayamSyncReader *r,
               const char      *name,
               gboolean         required)
{
  JsonNode *node;

  if (r->failed)
    return NULL;
  node = json_object_get_member (r->object, name);
  if (node == NULL && required)
    /* Translators: %s is the name of a JSON member. */
    _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                             g_strdup_printf (_("Member “%s” is missing."), name));
  return node;
}

void
_payam_sync_reader_wrong (PayamSyncReader *r,
                          const char      *name)
{
  /* Translators: %s is the name of a JSON member. */
  _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_MALFORMED,
                           g_strdup_printf (_("Member “%s” has the wrong type or form."), name));
}

/* A string of at most @max bytes passing @check (may be NULL); NULL when absent and not
 * @required, or on error. Caller owns it. */
char *
_payam_sync_reader_string (PayamSyncReader  *r,
                           const char       *name,
                           gboolean          required,
                           gsize             max,
                           gboolean        (*check) (const char *))
{
  JsonNode *node = reader_member (r, name, required);
  const char *text;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _payam_sync_reader_wrong (r, name);
      return NULL;
    }
  text = json_node_get_string (node);
  if (strlen (text) > max)
    {
      /* Translators: %s is the name of a JSON member. */
      _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
                               g_strdup_printf (_("Member “%s” is too large."), name));
      return NULL;
    }
  if (check != NULL && !check (text))
    {
      _payam_sync_reader_wrong (r, name);
      return NULL;
    }
  return g_strdup (text);
}

gint64
_payam_sync_reader_int (PayamSyncReader *r,
                        const char      *name,
                        gint64           min,
                        gint64           max)
{
  JsonNode *node = reader_member (r, name, TRUE);
  gint64 value;

  if (node == NULL)
    return min;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      _payam_sync_reader_wrong (r, name);
      return min;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      _payam_sync_reader_wrong (r, name);
      return min;
    }
  return value;
}

gint64
_payam_sync_reader_optional_int (PayamSyncReader *r,
                                 const char      *name,
                                 gint64           min,
                                 gint64           max,
                                 gint64           fallback)
{
  if (r->failed || json_object_get_member (r->object, name) == NULL)
    return fallback;
  return _payam_sync_reader_int (r, name, min, max);
}

gboolean
_payam_sync_reader_bool (PayamSyncReader *r,
                         const char      *name)
{
  JsonNode *node = reader_member (r, name, TRUE);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      _payam_sync_reader_wrong (r, name);
      return FALSE;
    }
  return json_node_get_boolean (node);
}

PayamHlc
_payam_sync_reader_hlc (PayamSyncReader *r,
                        const char      *name)
{
  g_autofree char *text = _payam_sync_reader_string (r, name, TRUE, 32, NULL);
  PayamHlc hlc = 0;

  if (text != NULL && !payam_hlc_parse (text, &hlc))
    _payam_sync_reader_wrong (r, name);
  return hlc;
}

/* An array of at most @max elements. Borrowed. */
JsonArray *
_payam_sync_reader_array (PayamSyncReader *r,
                          const char      *name,
                          guint            max)
{
  JsonNode *node = reader_member (r, name, TRUE);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _payam_sync_reader_wrong (r, name);
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > max)
    {
      /* Translators: %s is the name of a JSON member. */
      _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
                               g_strdup_printf (_("Member “%s” is too large."), name));
      return NULL;
    }
  return json_node_get_array (node);
}

void
_payam_sync_reader_version (PayamSyncReader *r)
{
  JsonNode *node = reader_member (r, "version", TRUE);

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    _payam_sync_reader_wrong (r, "version");
  else if (json_node_get_int (node) != PAYAM_SYNC_PROTOCOL_VERSION)
    _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_UNSUPPORTED,
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
/* Whether a string of the JSON text @data holds an escaped NUL ("\u0000"): json-glib would
 * cut the string there without a word, so a message with one is refused whole. A NUL can
 * never come from a C string, so only a forged message holds one. */
static gboolean
has_escaped_nul (const char *data,
                 gsize       length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 5 < length && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;
    }
  return FALSE;
}

JsonNode *
_payam_sync_parse_object (const char  *data,
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
  if (has_escaped_nul (data, length))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("A text in the message holds a NUL character."));
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

gboolean
_payam_sync_is_uuid7 (const char *text)
{
  return payam_uuid7_is_valid (text);
}

/* ---------------------------------------------------------------- writing */

void
_payam_sync_add_string (JsonBuilder *b,
                        const char  *name,
                        const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
_payam_sync_add_int (JsonBuilder *b,
                     const char  *name,
                     gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
_payam_sync_add_hlc (JsonBuilder *b,
                     const char  *name,
                     PayamHlc     hlc)
{
  g_autofree char *text = payam_hlc_to_string (hlc);

  _payam_sync_add_string (b, name, text);
}

JsonBuilder *
_payam_sync_begin_message (void)
{
  JsonBuilder *b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  _payam_sync_add_int (b, "version", PAYAM_SYNC_PROTOCOL_VERSION);
  return b;
}

char *
_payam_sync_end_message (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* ---------------------------------------------------------------- messages */

char *
payam_sync_encode_enrol_request (const PayamSyncEnrolRequest *msg)
{
  g_autoptr(JsonBuilder) b = _payam_sync_begin_message ();

  g_return_val_if_fail (msg != NULL && msg->code != NULL && msg->device_id != NULL, NULL);
  _payam_sync_add_string (b, "code", msg->code);
  _payam_sync_add_string (b, "device_id", msg->device_id);
  return _payam_sync_end_message (b);
}

PayamSyncEnrolRequest *
payam_sync_decode_enrol_request (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  static const char *const members[] = { "version", "code", "device_id", NULL };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncEnrolRequest) msg = g_new0 (PayamSyncEnrolRequest, 1);
  PayamSyncReader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->code = _payam_sync_reader_string (&r, "code", TRUE, PAYAM_SYNC_MAX_NAME, is_base32);
  msg->device_id = _payam_sync_reader_string (&r, "device_id", TRUE, 36, _payam_sync_is_uuid7);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_enrol_reply (const PayamSyncEnrolReply *msg)
{
  g_autoptr(JsonBuilder) b = _payam_sync_begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  _payam_sync_add_string (b, "device_id", msg->device_id);
  _payam_sync_add_string (b, "role", msg->role);
  _payam_sync_add_string (b, "crew_id", msg->crew_id);
  _payam_sync_add_int (b, "prefix", msg->prefix);
  _payam_sync_add_string (b, "credential", msg->credential);
  _payam_sync_add_string (b, "office_public_key", msg->office_public_key);
  return _payam_sync_end_message (b);
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
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncEnrolReply) msg = g_new0 (PayamSyncEnrolReply, 1);
  PayamSyncReader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->device_id = _payam_sync_reader_string (&r, "device_id", TRUE, 36, _payam_sync_is_uuid7);
  msg->role = _payam_sync_reader_string (&r, "role", TRUE, PAYAM_SYNC_MAX_NAME, is_role);
  msg->crew_id = _payam_sync_reader_string (&r, "crew_id", FALSE, PAYAM_SYNC_MAX_ID,
                                            _payam_sync_is_token);
  msg->prefix = (guint) _payam_sync_reader_int (&r, "prefix", 1, 9999);
  msg->credential = _payam_sync_reader_string (&r, "credential", TRUE, PAYAM_SYNC_MAX_TEXT,
                                               _payam_sync_is_token);
  msg->office_public_key = _payam_sync_reader_string (&r, "office_public_key", TRUE, 44,
                                                      is_public_key);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_error (const char *code,
                         const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (code != NULL && message != NULL, NULL);
  json_builder_begin_object (b);
  _payam_sync_add_string (b, "error", code);
  _payam_sync_add_string (b, "message", message);
  return _payam_sync_end_message (b);
}

PayamSyncErrorBody *
payam_sync_decode_error (const char  *data,
                         gsize        length,
                         GError     **error)
{
  static const char *const members[] = { "error", "message", NULL };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncErrorBody) msg = g_new0 (PayamSyncErrorBody, 1);
  PayamSyncReader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  msg->error = _payam_sync_reader_string (&r, "error", TRUE, PAYAM_SYNC_MAX_NAME,
                                          _payam_sync_is_name);
  msg->message = _payam_sync_reader_string (&r, "message", TRUE, PAYAM_SYNC_MAX_TEXT,
                                            _payam_sync_is_text);
  return r.failed ? NULL : g_steal_pointer (&msg);
}

char *
payam_sync_encode_track_reply (const PayamSyncTrackReply *msg)
{
  g_autoptr(JsonBuilder) b = _payam_sync_begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  _payam_sync_add_string (b, "tracking_code", msg->tracking_code);
  _payam_sync_add_string (b, "status", msg->status);
  _payam_sync_add_string (b, "category", msg->category);
  _payam_sync_add_string (b, "neighbourhood", msg->neighbourhood);
  _payam_sync_add_string (b, "created_at", msg->created_at);
  _payam_sync_add_string (b, "due_at", msg->due_at);
  _payam_sync_add_string (b, "updated_at", msg->updated_at);
  _payam_sync_add_string (b, "outcome", msg->outcome);
  _payam_sync_add_string (b, "public_text", msg->public_text);
  json_builder_set_member_name (b, "photos");
  json_builder_begin_array (b);
  for (guint i = 0; msg->photos != NULL && msg->photos[i] != NULL; i++)
    json_builder_add_string_value (b, msg->photos[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "timeline");
  json_builder_begin_array (b);
  for (guint i = 0; msg->timeline != NULL && i < msg->timeline->len; i++)
    {
      const PayamSyncTrackEvent *event = g_ptr_array_index (msg->timeline, i);

      json_builder_begin_object (b);
      _payam_sync_add_string (b, "at", event->at);
      _payam_sync_add_string (b, "kind", event->kind);
      _payam_sync_add_string (b, "status", event->status);
      _payam_sync_add_string (b, "text", event->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return _payam_sync_end_message (b);
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
    "version", "tracking_code", "status", "category", "neighbourhood", "created_at", "due_at",
    "updated_at", "outcome", "public_text", "photos", "timeline", NULL,
  };
  static const char *const event_members[] = { "at", "kind", "status", "text", NULL };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncTrackReply) msg = g_new0 (PayamSyncTrackReply, 1);
  PayamSyncReader r = { NULL, error, FALSE };
  JsonArray *timeline;
  JsonArray *photos;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->tracking_code = _payam_sync_reader_string (&r, "tracking_code", TRUE, PAYAM_SYNC_MAX_ID,
                                                  _payam_sync_is_token);
  msg->status = _payam_sync_reader_string (&r, "status", TRUE, PAYAM_SYNC_MAX_NAME, is_status);
  msg->category = _payam_sync_reader_string (&r, "category", TRUE, PAYAM_SYNC_MAX_NAME,
                                             _payam_sync_is_name);
  msg->created_at = _payam_sync_reader_string (&r, "created_at", TRUE, PAYAM_SYNC_MAX_NAME,
                                               _payam_sync_is_token);
  msg->due_at = _payam_sync_reader_string (&r, "due_at", FALSE, PAYAM_SYNC_MAX_NAME,
                                           _payam_sync_is_token);
  msg->updated_at = _payam_sync_reader_string (&r, "updated_at", TRUE, PAYAM_SYNC_MAX_NAME,
                                               _payam_sync_is_token);
  msg->neighbourhood = _payam_sync_reader_string (&r, "neighbourhood", FALSE,
                                                  PAYAM_SYNC_MAX_NAME, _payam_sync_is_name);
  msg->outcome = _payam_sync_reader_string (&r, "outcome", FALSE, PAYAM_SYNC_MAX_TEXT,
                                            _payam_sync_is_text);
  msg->public_text = _payam_sync_reader_string (&r, "public_text", FALSE, PAYAM_SYNC_MAX_TEXT,
                                                _payam_sync_is_text);
  photos = json_object_has_member (r.object, "photos")
           ? _payam_sync_reader_array (&r, "photos", PAYAM_SYNC_MAX_OPS) : NULL;
  timeline = _payam_sync_reader_array (&r, "timeline", PAYAM_SYNC_MAX_OPS);
  if (r.failed)
    return NULL;
  if (photos != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (photos); i++)
        {
          JsonNode *element = json_array_get_element (photos, i);
          const char *sha = JSON_NODE_HOLDS_VALUE (element) &&
                            json_node_get_value_type (element) == G_TYPE_STRING
                            ? json_node_get_string (element) : NULL;

          if (sha == NULL || !_payam_sync_is_token (sha) || strlen (sha) > PAYAM_SYNC_MAX_ID)
            {
              g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                           _("Member “%s” has the wrong type or form."), "photos");
              return NULL;
            }
          g_strv_builder_add (builder, sha);
        }
      msg->photos = g_strv_builder_end (builder);
    }

  msg->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_track_event_free);
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonNode *node = json_array_get_element (timeline, i);
      g_autoptr(PayamSyncTrackEvent) event = g_new0 (PayamSyncTrackEvent, 1);
      PayamSyncReader rr = { NULL, error, FALSE };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("Member “%s” has the wrong type or form."), "timeline");
          return NULL;
        }
      rr.object = json_node_get_object (node);
      _payam_sync_reader_only (&rr, event_members);
      event->at = _payam_sync_reader_string (&rr, "at", TRUE, PAYAM_SYNC_MAX_NAME,
                                             _payam_sync_is_token);
      event->kind = _payam_sync_reader_string (&rr, "kind", TRUE, PAYAM_SYNC_MAX_NAME,
                                               is_event_kind);
      event->status = _payam_sync_reader_string (&rr, "status",
                                                 g_strcmp0 (event->kind, "status") == 0,
                                                 PAYAM_SYNC_MAX_NAME, is_status);
      event->text = _payam_sync_reader_string (&rr, "text", FALSE, PAYAM_SYNC_MAX_TEXT,
                                               _payam_sync_is_text);
      if (rr.failed)
        return NULL;
      g_ptr_array_add (msg->timeline, g_steal_pointer (&event));
    }
  return g_steal_pointer (&msg);
}

char *
payam_sync_encode_whoami (const PayamSyncWhoami *msg)
{
  g_autoptr(JsonBuilder) b = _payam_sync_begin_message ();

  g_return_val_if_fail (msg != NULL, NULL);
  _payam_sync_add_string (b, "device_id", msg->device_id);
  _payam_sync_add_string (b, "role", msg->role);
  _payam_sync_add_string (b, "crew_id", msg->crew_id);
  _payam_sync_add_int (b, "prefix", msg->prefix);
  return _payam_sync_end_message (b);
}

PayamSyncWhoami *
payam_sync_decode_whoami (const char  *data,
                          gsize        length,
                          GError     **error)
{
  static const char *const members[] = { "version", "device_id", "role", "crew_id", "prefix",
                                         NULL };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncWhoami) msg = g_new0 (PayamSyncWhoami, 1);
  PayamSyncReader r = { NULL, error, FALSE };

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->device_id = _payam_sync_reader_string (&r, "device_id", TRUE, 36, _payam_sync_is_uuid7);
  msg->role = _payam_sync_reader_string (&r, "role", TRUE, PAYAM_SYNC_MAX_NAME, is_role);
  msg->crew_id = _payam_sync_reader_string (&r, "crew_id", FALSE, PAYAM_SYNC_MAX_ID,
                                            _payam_sync_is_token);
  msg->prefix = (guint) _payam_sync_reader_int (&r, "prefix", 1, 9999);
  return r.failed ? NULL : g_steal_pointer (&msg);
}
