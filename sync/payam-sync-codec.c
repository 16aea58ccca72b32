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

/* ---------------------------------------------------------------- compact ops
 *
 * Ops travel as arrays, not objects, and say nothing the envelope already says:
 *
 *   push:  "strings": [text…], "ops": [[dseq, entity, row, field, value, hlc, base?]…]
 *   pull:  "strings": [text…], "changes": [[dsrv, device, dseq, entity, row, field, value,
 *                                           hlc, base?]…]
 *
 * - entity, row, field and device are indexes into "strings", which holds each distinct
 *   text once (a page of edits of a few rows names each row once);
 * - a push carries no device id per op (the batch is the device's own) and no op id (it is
 *   derived from device and seq, payam_op_derive_id);
 * - seqs are differences: a push's dseq from the previous op's seq (the first from 0); a
 *   page's dsrv from the previous change's server_seq and its dseq from the previous
 *   change of the same device (the first of each from 0); results must be ≥ 1;
 * - an hlc is either the stamp's text form ("018c3f2a1b2c-0001") or an integer: the
 *   difference from the previous op's hlc (not allowed on the first op); a base is the
 *   text form or the integer hlc − base, and is left out when the writer had seen none.
 *   Integers are used only while stamps stay below 2^63, so any stamp can travel.
 */

/* Strings of one message by index, and the index of each text while encoding. */
typedef struct {
  GHashTable *index;    /* text (borrowed) → index + 1 */
  GPtrArray  *texts;    /* borrowed */
} StringTable;

static void
string_table_init (StringTable *t)
{
  t->index = g_hash_table_new (g_str_hash, g_str_equal);
  t->texts = g_ptr_array_new ();
}

static void
string_table_clear (StringTable *t)
{
  g_clear_pointer (&t->index, g_hash_table_unref);
  g_clear_pointer (&t->texts, g_ptr_array_unref);
}

static gint64
string_table_add (StringTable *t,
                  const char  *text)
{
  gpointer found = g_hash_table_lookup (t->index, text);

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  g_ptr_array_add (t->texts, (gpointer) text);
  g_hash_table_insert (t->index, (gpointer) text, GUINT_TO_POINTER (t->texts->len));
  return t->texts->len - 1;
}

static gint64
string_table_get (StringTable *t,
                  const char  *text)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (t->index, text)) - 1;
}

static void
add_string_table (JsonBuilder *b,
                  StringTable *t)
{
  json_builder_set_member_name (b, "strings");
  json_builder_begin_array (b);
  for (guint i = 0; i < t->texts->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (t->texts, i));
  json_builder_end_array (b);
}

/* A stamp relative to @ref: @stamp − @ref (or @ref − @stamp with @below) as an integer
 * when both fit a gint64 and @ref is set, else the text form. */
static void
add_stamp (JsonBuilder *b,
           PayamHlc     ref,
           PayamHlc     stamp,
           gboolean     below)
{
  if (ref != 0 && ref <= G_MAXINT64 && stamp <= G_MAXINT64)
    json_builder_add_int_value (b, below ? (gint64) ref - (gint64) stamp
                                         : (gint64) stamp - (gint64) ref);
  else
    {
      g_autofree char *text = payam_hlc_to_string (stamp);

      json_builder_add_string_value (b, text);
    }
}

/* The members shared by a pushed op and a pulled change, from entity on. */
static void
add_op_tail (JsonBuilder   *b,
             StringTable   *t,
             const PayamOp *op,
             PayamHlc       previous_hlc)
{
  g_autoptr(JsonNode) value = json_from_string (op->value, NULL);

  g_return_if_fail (value != NULL);
  json_builder_add_int_value (b, string_table_get (t, op->entity));
  json_builder_add_int_value (b, string_table_get (t, op->row_id));
  json_builder_add_int_value (b, string_table_get (t, op->field));
  json_builder_add_value (b, g_steal_pointer (&value));
  add_stamp (b, previous_hlc, op->hlc, FALSE);
  if (op->base_hlc != 0)
    add_stamp (b, op->hlc, op->base_hlc, TRUE);
}

/* Reading one compact op: each getter does nothing once an error is set. */
typedef struct {
  JsonArray  *array;
  JsonArray  *strings;
  const char *member;    /* "ops" or "changes", for messages */
  GError    **error;
  gboolean    failed;
} ElementReader;

static void
element_fail (ElementReader *r,
              int            code)
{
  if (r->failed)
    return;
  r->failed = TRUE;
  if (code == PAYAM_SYNC_ERROR_TOO_LARGE)
    /* Translators: %s is the name of a JSON member. */
    g_set_error (r->error, PAYAM_SYNC_ERROR, code, _("Member “%s” is too large."), r->member);
  else
    /* Translators: %s is the name of a JSON member. */
    g_set_error (r->error, PAYAM_SYNC_ERROR, code,
                 _("Member “%s” has the wrong type or form."), r->member);
}

/* The integer at @i, in [@min, @max]. */
static gint64
element_int (ElementReader *r,
             guint          i,
             gint64         min,
             gint64         max)
{
  JsonNode *node;
  gint64 value;

  if (r->failed)
    return min;
  node = json_array_get_element (r->array, i);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < min || value > max)
    {
      element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
      return min;
    }
  return value;
}

/* @previous + the difference at @i, which must land in [1, G_MAXINT64]. */
static gint64
element_seq (ElementReader *r,
             guint          i,
             gint64         previous)
{
  gint64 d = element_int (r, i, G_MININT64, G_MAXINT64);
  gint64 seq;

  if (r->failed)
    return 1;
  if (__builtin_add_overflow (previous, d, &seq) || seq < 1)
    {
      element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
      return 1;
    }
  return seq;
}

/* The string the index at @i names, of at most @max bytes, passing @check. Borrowed. */
static const char *
element_string (ElementReader *r,
                guint          i,
                gsize          max,
                gboolean     (*check) (const char *))
{
  gint64 index = element_int (r, i, 0, (gint64) json_array_get_length (r->strings) - 1);
  const char *text;

  if (r->failed)
    return NULL;
  text = json_array_get_string_element (r->strings, (guint) index);
  if (strlen (text) > max || !check (text))
    {
      element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
      return NULL;
    }
  return text;
}

/* A stamp at @i relative to @ref (see add_stamp); never 0. */
static PayamHlc
element_stamp (ElementReader *r,
               guint          i,
               PayamHlc       ref,
               gboolean       below)
{
  JsonNode *node;
  PayamHlc stamp = 0;

  if (r->failed)
    return 0;
  node = json_array_get_element (r->array, i);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!payam_hlc_parse (json_node_get_string (node), &stamp))
        stamp = 0;
    }
  else if (ref != 0 && ref <= G_MAXINT64)
    {
      gint64 d = element_int (r, i, G_MININT64, G_MAXINT64);
      gint64 value;

      if (!r->failed &&
          !(below ? __builtin_sub_overflow ((gint64) ref, d, &value)
                  : __builtin_add_overflow ((gint64) ref, d, &value)) && value > 0)
        stamp = (PayamHlc) value;
    }
  if (stamp == 0)
    element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
  return stamp;
}

/* The members shared by a pushed op and a pulled change, from index @at (entity) on: the
 * array is @at + 5 or @at + 6 long. */
static void
read_op_tail (ElementReader *r,
              guint          at,
              PayamHlc       previous_hlc,
              PayamOp       *op)
{
  guint length = json_array_get_length (r->array);
  const char *entity = element_string (r, at, PAYAM_SYNC_MAX_NAME, is_name);
  const char *row_id = element_string (r, at + 1, PAYAM_SYNC_MAX_ID, is_token);
  const char *field = element_string (r, at + 2, PAYAM_SYNC_MAX_NAME, check_field);

  if (r->failed)
    return;
  op->entity = g_strdup (entity);
  op->row_id = g_strdup (row_id);
  op->field = g_strdup (field);
  op->value = json_to_string (json_array_get_element (r->array, at + 3), FALSE);
  if (strlen (op->value) > PAYAM_SYNC_MAX_VALUE)
    {
      element_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE);
      return;
    }
  op->hlc = element_stamp (r, at + 4, previous_hlc, FALSE);
  if (length == at + 6)
    op->base_hlc = element_stamp (r, at + 5, op->hlc, TRUE);
}

/* The message's string table: at most 4 strings per op, each a token of at most
 * PAYAM_SYNC_MAX_ID bytes. Borrowed. */
static JsonArray *
reader_strings (Reader *r)
{
  JsonArray *strings = reader_array (r, "strings", 4 * PAYAM_SYNC_MAX_OPS);

  for (guint i = 0; strings != NULL && !r->failed && i < json_array_get_length (strings); i++)
    {
      JsonNode *node = json_array_get_element (strings, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !is_token (json_node_get_string (node)))
        reader_wrong (r, "strings");
      else if (strlen (json_node_get_string (node)) > PAYAM_SYNC_MAX_ID)
        /* Translators: %s is the name of a JSON member. */
        reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
                     g_strdup_printf (_("Member “%s” is too large."), "strings"));
    }
  return r->failed ? NULL : strings;
}

/* The ops of a push by @device_id. */
static GPtrArray *
read_push_ops (JsonArray   *ops,
               JsonArray   *strings,
               const char  *device_id,
               GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  gint64 seq = 0;
  PayamHlc hlc = 0;

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonNode *node = json_array_get_element (ops, i);
      ElementReader r = { NULL, strings, "ops", error, FALSE };
      g_autoptr(PayamOp) op = g_new0 (PayamOp, 1);
      guint length;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          ((length = json_array_get_length (json_node_get_array (node))) != 6 && length != 7))
        {
          element_fail (&r, PAYAM_SYNC_ERROR_MALFORMED);
          return NULL;
        }
      r.array = json_node_get_array (node);
      op->device_seq = seq = element_seq (&r, 0, seq);
      read_op_tail (&r, 1, hlc, op);
      if (r.failed)
        return NULL;
      hlc = op->hlc;
      op->device_id = g_strdup (device_id);
      op->op_id = payam_op_derive_id (device_id, op->device_seq, op->hlc);
      g_ptr_array_add (out, g_steal_pointer (&op));
    }
  return g_steal_pointer (&out);
}

/* The changes of a pull page. */
static GPtrArray *
read_changes (JsonArray  *changes,
              JsonArray  *strings,
              GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_autofree gint64 *device_seqs = g_new0 (gint64, json_array_get_length (strings) + 1);
  gint64 server_seq = 0;
  PayamHlc hlc = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      ElementReader r = { NULL, strings, "changes", error, FALSE };
      g_autoptr(PayamOp) op = g_new0 (PayamOp, 1);
      const char *device_id;
      gint64 device;
      guint length;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          ((length = json_array_get_length (json_node_get_array (node))) != 8 && length != 9))
        {
          element_fail (&r, PAYAM_SYNC_ERROR_MALFORMED);
          return NULL;
        }
      r.array = json_node_get_array (node);
      op->server_seq = server_seq = element_seq (&r, 0, server_seq);
      device = element_int (&r, 1, 0, (gint64) json_array_get_length (strings) - 1);
      device_id = element_string (&r, 1, 36, check_op_id);
      if (r.failed)
        return NULL;
      op->device_seq = device_seqs[device] = element_seq (&r, 2, device_seqs[device]);
      read_op_tail (&r, 3, hlc, op);
      if (r.failed)
        return NULL;
      hlc = op->hlc;
      op->device_id = g_strdup (device_id);
      op->op_id = payam_op_derive_id (device_id, op->device_seq, op->hlc);
      g_ptr_array_add (out, g_steal_pointer (&op));
    }
  return g_steal_pointer (&out);
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
  g_autoptr(JsonBuilder) b = NULL;
  StringTable t;
  gint64 seq = 0;
  PayamHlc hlc = 0;
  char *text;

  g_return_val_if_fail (msg != NULL && msg->ops != NULL && msg->device_id != NULL, NULL);

  string_table_init (&t);
  for (guint i = 0; i < msg->ops->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->ops, i);

      /* The batch is the device's own: no op names its device. */
      if (strcmp (op->device_id, msg->device_id) != 0)
        {
          string_table_clear (&t);
          g_return_val_if_reached (NULL);
        }
      string_table_add (&t, op->entity);
      string_table_add (&t, op->row_id);
      string_table_add (&t, op->field);
    }

  b = begin_message ();
  add_string (b, "device_id", msg->device_id);
  add_string (b, "batch_id", msg->batch_id);
  add_string_table (b, &t);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->ops->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->ops, i);

      json_builder_begin_array (b);
      json_builder_add_int_value (b, op->device_seq - seq);
      add_op_tail (b, &t, op, hlc);
      json_builder_end_array (b);
      seq = op->device_seq;
      hlc = op->hlc;
    }
  json_builder_end_array (b);
  text = end_message (b);
  string_table_clear (&t);
  return text;
}

PayamSyncPushRequest *
payam_sync_decode_push_request (const char  *data,
                                gsize        length,
                                GError     **error)
{
  static const char *const members[] = {
    "version", "device_id", "batch_id", "strings", "ops", NULL,
  };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncPushRequest) msg = g_new0 (PayamSyncPushRequest, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *strings;
  JsonArray *ops;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  reader_only (&r, members);
  reader_version (&r);
  msg->device_id = reader_string (&r, "device_id", TRUE, 36, check_op_id);
  msg->batch_id = reader_string (&r, "batch_id", TRUE, PAYAM_SYNC_MAX_ID, is_token);
  ops = reader_array (&r, "ops", PAYAM_SYNC_MAX_OPS);
  strings = reader_strings (&r);
  if (r.failed)
    return NULL;
  msg->ops = read_push_ops (ops, strings, msg->device_id, error);
  return msg->ops != NULL ? g_steal_pointer (&msg) : NULL;
}

/* Results travel as runs [seq, count, outcome, reason]: @count ops of consecutive seqs
 * from @seq with the same outcome and reason. The outcome is left out for "applied"
 * without a reason and the reason when there is none, so a batch that was applied whole
 * is answered by one run [seq, count]. */
static gboolean
same_run (const PayamSyncOpOutcome *a,
          const PayamSyncOpOutcome *b)
{
  return b->device_seq == a->device_seq + 1 && b->outcome == a->outcome &&
         g_strcmp0 (a->reason, b->reason) == 0;
}

char *
payam_sync_encode_push_response (const PayamSyncPushResponse *msg)
{
  g_autoptr(JsonBuilder) b = begin_message ();

  g_return_val_if_fail (msg != NULL && msg->results != NULL, NULL);
  add_int (b, "acked_through", msg->acked_through);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->results->len;)
    {
      const PayamSyncOpOutcome *first = g_ptr_array_index (msg->results, i);
      guint n = 1;

      while (i + n < msg->results->len &&
             same_run (g_ptr_array_index (msg->results, i + n - 1),
                       g_ptr_array_index (msg->results, i + n)))
        n++;
      json_builder_begin_array (b);
      json_builder_add_int_value (b, first->device_seq);
      json_builder_add_int_value (b, n);
      if (first->outcome != PAYAM_SYNC_OUTCOME_APPLIED || first->reason != NULL)
        json_builder_add_string_value (b, payam_sync_outcome_to_string (first->outcome));
      if (first->reason != NULL)
        json_builder_add_string_value (b, first->reason);
      json_builder_end_array (b);
      i += n;
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

/* The string at @i of a result run, of at most @max bytes, passing @check. Borrowed. */
static const char *
run_string (ElementReader *r,
            guint          i,
            gsize          max,
            gboolean     (*check) (const char *))
{
  JsonNode *node;
  const char *text;

  if (r->failed)
    return NULL;
  node = json_array_get_element (r->array, i);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (text = json_node_get_string (node)) > max || !check (text))
    {
      element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
      return NULL;
    }
  return text;
}

PayamSyncPushResponse *
payam_sync_decode_push_response (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  static const char *const members[] = {
    "version", "acked_through", "results", "server_hlc", NULL,
  };
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
      ElementReader rr = { NULL, NULL, "results", error, FALSE };
      PayamSyncOutcome outcome = PAYAM_SYNC_OUTCOME_APPLIED;
      const char *reason = NULL;
      gint64 seq, count;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          (n = json_array_get_length (json_node_get_array (node))) < 2 || n > 4)
        {
          element_fail (&rr, PAYAM_SYNC_ERROR_MALFORMED);
          return NULL;
        }
      rr.array = json_node_get_array (node);
      seq = element_int (&rr, 0, 1, G_MAXINT64);
      count = element_int (&rr, 1, 1, PAYAM_SYNC_MAX_OPS);
      if (n >= 3)
        payam_sync_outcome_from_string (run_string (&rr, 2, PAYAM_SYNC_MAX_NAME, check_outcome),
                                        &outcome);
      if (n == 4)
        reason = run_string (&rr, 3, PAYAM_SYNC_MAX_TEXT, is_text);
      if (rr.failed)
        return NULL;
      if (seq > G_MAXINT64 - (count - 1) || msg->results->len + count > PAYAM_SYNC_MAX_OPS)
        {
          element_fail (&rr, seq > G_MAXINT64 - (count - 1) ? PAYAM_SYNC_ERROR_MALFORMED
                                                             : PAYAM_SYNC_ERROR_TOO_LARGE);
          return NULL;
        }
      /* A refusal always says why. */
      if (outcome == PAYAM_SYNC_OUTCOME_REJECTED && reason == NULL)
        {
          g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                       _("Member “%s” is missing."), "reason");
          return NULL;
        }
      for (gint64 k = 0; k < count; k++)
        {
          PayamSyncOpOutcome *result = g_new0 (PayamSyncOpOutcome, 1);

          result->device_seq = seq + k;
          result->outcome = outcome;
          result->reason = g_strdup (reason);
          g_ptr_array_add (msg->results, result);
        }
    }
  return g_steal_pointer (&msg);
}

char *
payam_sync_encode_pull_reply (const PayamSyncPullReply *msg)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree gint64 *device_seqs = NULL;
  StringTable t;
  gint64 server_seq = 0;
  PayamHlc hlc = 0;
  char *text;

  g_return_val_if_fail (msg != NULL && msg->changes != NULL, NULL);

  string_table_init (&t);
  for (guint i = 0; i < msg->changes->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->changes, i);

      string_table_add (&t, op->device_id);
      string_table_add (&t, op->entity);
      string_table_add (&t, op->row_id);
      string_table_add (&t, op->field);
    }
  device_seqs = g_new0 (gint64, t.texts->len + 1);

  b = begin_message ();
  add_string_table (b, &t);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->changes->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->changes, i);
      gint64 device = string_table_get (&t, op->device_id);

      json_builder_begin_array (b);
      json_builder_add_int_value (b, op->server_seq - server_seq);
      json_builder_add_int_value (b, device);
      json_builder_add_int_value (b, op->device_seq - device_seqs[device]);
      add_op_tail (b, &t, op, hlc);
      json_builder_end_array (b);
      server_seq = op->server_seq;
      device_seqs[device] = op->device_seq;
      hlc = op->hlc;
    }
  json_builder_end_array (b);
  add_int (b, "next", msg->next);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, msg->more);
  add_hlc (b, "server_hlc", msg->server_hlc);
  text = end_message (b);
  string_table_clear (&t);
  return text;
}

PayamSyncPullReply *
payam_sync_decode_pull_reply (const char  *data,
                              gsize        length,
                              GError     **error)
{
  static const char *const members[] = {
    "version", "strings", "changes", "next", "more", "server_hlc", NULL,
  };
  g_autoptr(JsonNode) root = parse_object (data, length, error);
  g_autoptr(PayamSyncPullReply) msg = g_new0 (PayamSyncPullReply, 1);
  Reader r = { NULL, error, FALSE };
  JsonArray *strings;
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
  strings = reader_strings (&r);
  if (r.failed)
    return NULL;
  msg->changes = read_changes (changes, strings, error);
  return msg->changes != NULL ? g_steal_pointer (&msg) : NULL;
}

char *
payam_sync_pull_path (gint64 after,
                      guint  limit)
{
  g_return_val_if_fail (after >= 0 && limit >= 1 && limit <= PAYAM_SYNC_MAX_OPS, NULL);

  return g_strdup_printf ("/v1/pull?version=%d&after=%" G_GINT64_FORMAT "&limit=%u",
                          PAYAM_SYNC_PROTOCOL_VERSION, after, limit);
}

gboolean
payam_sync_check_version (const char  *text,
                          GError     **error)
{
  guint64 version;

  /* A client of protocol 1 sends none. */
  if (text == NULL)
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNSUPPORTED,
                           _("This version of the sync protocol is not supported."));
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &version, NULL))
    {
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                   _("Member “%s” has the wrong type or form."), "version");
      return FALSE;
    }
  if (version != PAYAM_SYNC_PROTOCOL_VERSION)
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_UNSUPPORTED,
                           _("This version of the sync protocol is not supported."));
      return FALSE;
    }
  return TRUE;
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
