/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync wire codec's messages that carry ops: pushes, their results and pull pages, with
 * ops in a compact form. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-sync-codec-private.h"
#include "payam-uuid.h"

static gboolean
check_field (const char *text)
{
  return strcmp (text, "*") == 0 || _payam_sync_is_name (text);
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
 * - the office's reason for a change (PayamOp.why: staff text, never public) follows the
 *   base as an inline string of at most PAYAM_SYNC_MAX_WHY bytes; the base is then null when
 *   the writer had seen none. An op without a reason is as before, so older devices work.
 * - the member who made it (PayamOp.member: a staff or crew member's UUIDv7) follows the
 *   reason as an index into "strings" (a page names each member once); the base and the
 *   reason are then null when there are none. An op without a member is as before.
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
  else if (op->why != NULL || op->member != NULL)
    json_builder_add_null_value (b);
  if (op->why != NULL)
    json_builder_add_string_value (b, op->why);
  else if (op->member != NULL)
    json_builder_add_null_value (b);
  if (op->member != NULL)
    json_builder_add_int_value (b, string_table_get (t, op->member));
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

static gboolean
check_member (const char *text)
{
  return payam_uuid7_is_valid (text);
}

/* The members shared by a pushed op and a pulled change, from index @at (entity) on: the
 * array is @at + 5, @at + 6 (a base), @at + 7 (a base or null, and the reason) or @at + 8
 * (a base or null, the reason or null, and the member's string index) long. */
static void
read_op_tail (ElementReader *r,
              guint          at,
              PayamHlc       previous_hlc,
              PayamOp       *op)
{
  guint length = json_array_get_length (r->array);
  const char *entity = element_string (r, at, PAYAM_SYNC_MAX_NAME, _payam_sync_is_name);
  const char *row_id = element_string (r, at + 1, PAYAM_SYNC_MAX_ID, _payam_sync_is_token);
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
  if (length >= at + 7 && JSON_NODE_HOLDS_NULL (json_array_get_element (r->array, at + 5)))
    op->base_hlc = 0;
  else if (length >= at + 6)
    op->base_hlc = element_stamp (r, at + 5, op->hlc, TRUE);
  if (length == at + 8 && !r->failed)
    {
      const char *member = element_string (r, at + 7, PAYAM_SYNC_MAX_ID, check_member);

      if (!r->failed)
        op->member = g_strdup (member);
    }
  if (length == at + 8 && JSON_NODE_HOLDS_NULL (json_array_get_element (r->array, at + 6)))
    ;  /* a member without a reason */
  else if (length >= at + 7 && !r->failed)
    {
      JsonNode *why = json_array_get_element (r->array, at + 6);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (why) || json_node_get_value_type (why) != G_TYPE_STRING ||
          !_payam_sync_is_text (text = json_node_get_string (why)))
        element_fail (r, PAYAM_SYNC_ERROR_MALFORMED);
      else if (strlen (text) > PAYAM_SYNC_MAX_WHY)
        element_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE);
      else
        op->why = g_strdup (text);
    }
}

/* The message's string table: at most 5 strings per op (device or entity, row, field and
 * a member), each a token of at most
 * PAYAM_SYNC_MAX_ID bytes. Borrowed. */
static JsonArray *
reader_strings (PayamSyncReader *r)
{
  JsonArray *strings = _payam_sync_reader_array (r, "strings", 5 * PAYAM_SYNC_MAX_OPS);

  for (guint i = 0; strings != NULL && !r->failed && i < json_array_get_length (strings); i++)
    {
      JsonNode *node = json_array_get_element (strings, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !_payam_sync_is_token (json_node_get_string (node)))
        _payam_sync_reader_wrong (r, "strings");
      else if (strlen (json_node_get_string (node)) > PAYAM_SYNC_MAX_ID)
        /* Translators: %s is the name of a JSON member. */
        _payam_sync_reader_fail (r, PAYAM_SYNC_ERROR_TOO_LARGE,
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
          ((length = json_array_get_length (json_node_get_array (node))) < 6 || length > 9))
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
          ((length = json_array_get_length (json_node_get_array (node))) < 8 || length > 11))
        {
          element_fail (&r, PAYAM_SYNC_ERROR_MALFORMED);
          return NULL;
        }
      r.array = json_node_get_array (node);
      op->server_seq = server_seq = element_seq (&r, 0, server_seq);
      device = element_int (&r, 1, 0, (gint64) json_array_get_length (strings) - 1);
      device_id = element_string (&r, 1, 36, _payam_sync_is_uuid7);
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
      if (op->member != NULL)
        string_table_add (&t, op->member);
    }

  b = _payam_sync_begin_message ();
  _payam_sync_add_string (b, "device_id", msg->device_id);
  _payam_sync_add_string (b, "batch_id", msg->batch_id);
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
  text = _payam_sync_end_message (b);
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
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncPushRequest) msg = g_new0 (PayamSyncPushRequest, 1);
  PayamSyncReader r = { NULL, error, FALSE };
  JsonArray *strings;
  JsonArray *ops;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->device_id = _payam_sync_reader_string (&r, "device_id", TRUE, 36, _payam_sync_is_uuid7);
  msg->batch_id = _payam_sync_reader_string (&r, "batch_id", TRUE, PAYAM_SYNC_MAX_ID,
                                             _payam_sync_is_token);
  ops = _payam_sync_reader_array (&r, "ops", PAYAM_SYNC_MAX_OPS);
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
  g_autoptr(JsonBuilder) b = _payam_sync_begin_message ();

  g_return_val_if_fail (msg != NULL && msg->results != NULL, NULL);
  _payam_sync_add_int (b, "acked_through", msg->acked_through);
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
  _payam_sync_add_hlc (b, "server_hlc", msg->server_hlc);
  if (msg->server_time > 0)
    _payam_sync_add_int (b, "server_time", msg->server_time);
  return _payam_sync_end_message (b);
}

static gboolean
check_outcome (const char *text)
{
  PayamSyncOutcome outcome;

  return payam_sync_outcome_from_string (text, &outcome);
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
    "version", "acked_through", "results", "server_hlc", "server_time", NULL,
  };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncPushResponse) msg = g_new0 (PayamSyncPushResponse, 1);
  PayamSyncReader r = { NULL, error, FALSE };
  JsonArray *results;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  msg->acked_through = _payam_sync_reader_int (&r, "acked_through", 0, G_MAXINT64);
  msg->server_hlc = _payam_sync_reader_hlc (&r, "server_hlc");
  msg->server_time = _payam_sync_reader_optional_int (&r, "server_time", 1, G_MAXINT64, 0);
  results = _payam_sync_reader_array (&r, "results", PAYAM_SYNC_MAX_OPS);
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
        reason = run_string (&rr, 3, PAYAM_SYNC_MAX_TEXT, _payam_sync_is_text);
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

/* ---- a pull page written as text ----------------------------------------------------
 *
 * A page is the server's hottest message (every change to every device): it is written
 * straight to text, each change's value as the log holds it (JSON checked when it was
 * pushed, or written by the server itself), rather than parsed into a tree and printed
 * again. The message is the same one the builder would make. */

/* @text as a JSON string. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_int (GString *out,
            gint64   value)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* As add_stamp(). */
static void
append_stamp (GString  *out,
              PayamHlc  ref,
              PayamHlc  stamp,
              gboolean  below)
{
  if (ref != 0 && ref <= G_MAXINT64 && stamp <= G_MAXINT64)
    append_int (out, below ? (gint64) ref - (gint64) stamp : (gint64) stamp - (gint64) ref);
  else
    {
      g_autofree char *text = payam_hlc_to_string (stamp);

      append_json_string (out, text);
    }
}

/* As add_op_tail(), the value as it is. */
static void
append_op_tail (GString       *out,
                StringTable   *t,
                const PayamOp *op,
                PayamHlc       previous_hlc)
{
  append_int (out, string_table_get (t, op->entity));
  g_string_append_c (out, ',');
  append_int (out, string_table_get (t, op->row_id));
  g_string_append_c (out, ',');
  append_int (out, string_table_get (t, op->field));
  g_string_append_c (out, ',');
  g_string_append (out, op->value != NULL ? op->value : "null");
  g_string_append_c (out, ',');
  append_stamp (out, previous_hlc, op->hlc, FALSE);
  if (op->base_hlc != 0)
    {
      g_string_append_c (out, ',');
      append_stamp (out, op->hlc, op->base_hlc, TRUE);
    }
  else if (op->why != NULL || op->member != NULL)
    g_string_append (out, ",null");
  if (op->why != NULL)
    {
      g_string_append_c (out, ',');
      append_json_string (out, op->why);
    }
  else if (op->member != NULL)
    g_string_append (out, ",null");
  if (op->member != NULL)
    {
      g_string_append_c (out, ',');
      append_int (out, string_table_get (t, op->member));
    }
}

char *
payam_sync_encode_pull_reply (const PayamSyncPullReply *msg)
{
  g_autofree gint64 *device_seqs = NULL;
  g_autofree char *server_hlc = NULL;
  GString *out;
  StringTable t;
  gint64 server_seq = 0;
  PayamHlc hlc = 0;

  g_return_val_if_fail (msg != NULL && msg->changes != NULL, NULL);

  string_table_init (&t);
  for (guint i = 0; i < msg->changes->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->changes, i);

      string_table_add (&t, op->device_id);
      string_table_add (&t, op->entity);
      string_table_add (&t, op->row_id);
      string_table_add (&t, op->field);
      if (op->member != NULL)
        string_table_add (&t, op->member);
    }
  device_seqs = g_new0 (gint64, t.texts->len + 1);

  out = g_string_sized_new (256 + 96 * msg->changes->len);
  g_string_append_printf (out, "{\"version\":%d,\"strings\":[", PAYAM_SYNC_PROTOCOL_VERSION);
  for (guint i = 0; i < t.texts->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, g_ptr_array_index (t.texts, i));
    }
  g_string_append (out, "],\"changes\":[");
  for (guint i = 0; i < msg->changes->len; i++)
    {
      const PayamOp *op = g_ptr_array_index (msg->changes, i);
      gint64 device = string_table_get (&t, op->device_id);

      g_string_append (out, i > 0 ? ",[" : "[");
      append_int (out, op->server_seq - server_seq);
      g_string_append_c (out, ',');
      append_int (out, device);
      g_string_append_c (out, ',');
      append_int (out, op->device_seq - device_seqs[device]);
      g_string_append_c (out, ',');
      append_op_tail (out, &t, op, hlc);
      g_string_append_c (out, ']');
      server_seq = op->server_seq;
      device_seqs[device] = op->device_seq;
      hlc = op->hlc;
    }
  g_string_append (out, "],\"next\":");
  append_int (out, msg->next);
  g_string_append (out, msg->more ? ",\"more\":true" : ",\"more\":false");
  server_hlc = payam_hlc_to_string (msg->server_hlc);
  g_string_append (out, ",\"server_hlc\":");
  append_json_string (out, server_hlc);
  if (msg->server_time > 0)
    {
      g_string_append (out, ",\"server_time\":");
      append_int (out, msg->server_time);
    }
  g_string_append_c (out, '}');
  string_table_clear (&t);
  return g_string_free (out, FALSE);
}

PayamSyncPullReply *
payam_sync_decode_pull_reply (const char  *data,
                              gsize        length,
                              GError     **error)
{
  static const char *const members[] = {
    "version", "strings", "changes", "next", "more", "server_hlc", "server_time", NULL,
  };
  g_autoptr(JsonNode) root = _payam_sync_parse_object (data, length, error);
  g_autoptr(PayamSyncPullReply) msg = g_new0 (PayamSyncPullReply, 1);
  PayamSyncReader r = { NULL, error, FALSE };
  JsonArray *strings;
  JsonArray *changes;

  if (root == NULL)
    return NULL;
  r.object = json_node_get_object (root);
  _payam_sync_reader_only (&r, members);
  _payam_sync_reader_version (&r);
  changes = _payam_sync_reader_array (&r, "changes", PAYAM_SYNC_MAX_OPS);
  msg->next = _payam_sync_reader_int (&r, "next", 0, G_MAXINT64);
  msg->more = _payam_sync_reader_bool (&r, "more");
  msg->server_hlc = _payam_sync_reader_hlc (&r, "server_hlc");
  msg->server_time = _payam_sync_reader_optional_int (&r, "server_time", 1, G_MAXINT64, 0);
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
