/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the sync wire codec and the enrolment secrets: round trips, bad input, a fuzz. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <json-glib/json-glib.h>

#include "payam-sync-code.h"
#include "payam-sync-codec.h"

#define DEVICE "018c3f2a-1b2c-7d3e-8f40-123456789abc"
#define DEVICE2 "018c3f2a-1b2c-7d3e-8f40-222222222222"
#define KEY "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define VER "\"version\":" G_STRINGIFY (PAYAM_SYNC_PROTOCOL_VERSION)

static PayamOp *
make_op (gint64      seq,
         const char *value,
         gint64      server_seq)
{
  PayamOp *op = g_new0 (PayamOp, 1);

  op->device_seq = seq;
  op->device_id = g_strdup (DEVICE);
  op->entity = g_strdup ("request");
  op->row_id = g_strdup ("018c3f2a-1b2c-7d3e-8f40-bbbbbbbbbbbb");
  op->field = g_strdup ("text");
  op->value = g_strdup (value);
  op->hlc = payam_hlc_pack (1764410400000 + seq, 3);
  op->base_hlc = seq > 1 ? payam_hlc_pack (1764410400000, 0) : 0;
  op->server_seq = server_seq;
  op->op_id = payam_op_derive_id (op->device_id, op->device_seq, op->hlc);
  return op;
}

static void
assert_op_equal (const PayamOp *a,
                 const PayamOp *b)
{
  assert_int_equal (a->device_seq, b->device_seq);
  assert_string_equal (a->op_id, b->op_id);
  assert_string_equal (a->device_id, b->device_id);
  assert_string_equal (a->entity, b->entity);
  assert_string_equal (a->row_id, b->row_id);
  assert_string_equal (a->field, b->field);
  assert_string_equal (a->value, b->value);
  assert_true (a->hlc == b->hlc);
  assert_true (a->base_hlc == b->base_hlc);
  assert_int_equal (a->server_seq, b->server_seq);
  assert_true (g_strcmp0 (a->why, b->why) == 0);
  assert_true (g_strcmp0 (a->member, b->member) == 0);
}

static void
test_enrol_round_trip (void **state)
{
  PayamSyncEnrolRequest request = { (char *) "ABCDEFGHIJKLMNOP", (char *) DEVICE };
  PayamSyncEnrolReply reply = { (char *) DEVICE, (char *) "crew", (char *) "crew-7", 42,
                                (char *) "tok_en-123", (char *) KEY };
  g_autofree char *request_text = payam_sync_encode_enrol_request (&request);
  g_autofree char *reply_text = payam_sync_encode_enrol_reply (&reply);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncEnrolRequest) request2 = NULL;
  g_autoptr(PayamSyncEnrolReply) reply2 = NULL;

  request2 = payam_sync_decode_enrol_request (request_text, strlen (request_text), &error);
  assert_non_null (request2);
  assert_string_equal (request2->code, "ABCDEFGHIJKLMNOP");
  assert_string_equal (request2->device_id, DEVICE);

  reply2 = payam_sync_decode_enrol_reply (reply_text, strlen (reply_text), &error);
  assert_non_null (reply2);
  assert_string_equal (reply2->device_id, DEVICE);
  assert_string_equal (reply2->role, "crew");
  assert_string_equal (reply2->crew_id, "crew-7");
  assert_int_equal (reply2->prefix, 42);
  assert_string_equal (reply2->credential, "tok_en-123");
  assert_string_equal (reply2->office_public_key, KEY);

  /* Without a crew the member is left out and comes back NULL. */
  reply.crew_id = NULL;
  reply.role = (char *) "kiosk";
  g_free (reply_text);
  reply_text = payam_sync_encode_enrol_reply (&reply);
  assert_null (strstr (reply_text, "crew_id"));
  g_clear_pointer (&reply2, payam_sync_enrol_reply_free);
  reply2 = payam_sync_decode_enrol_reply (reply_text, strlen (reply_text), &error);
  assert_non_null (reply2);
  assert_null (reply2->crew_id);
}

static void
test_push_round_trip (void **state)
{
  g_autoptr(PayamSyncPushRequest) request = g_new0 (PayamSyncPushRequest, 1);
  g_autoptr(PayamSyncPushRequest) request2 = NULL;
  g_autoptr(PayamSyncPushResponse) reply = g_new0 (PayamSyncPushResponse, 1);
  g_autoptr(PayamSyncPushResponse) reply2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *reply_text = NULL;
  g_autoptr(GError) error = NULL;
  PayamSyncOpOutcome *result;

  request->device_id = g_strdup (DEVICE);
  request->batch_id = g_strdup ("batch-1");
  request->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_ptr_array_add (request->ops, make_op (1, "{\"text\":\"چاله\",\"n\":1}", 0));
  g_ptr_array_add (request->ops, make_op (2, "\"خیابان \\\"امام\\\"\"", 0));
  g_ptr_array_add (request->ops, make_op (3, "null", 0));

  /* A stamp past 2^63 travels in its text form, and the next one relative to it too. */
  {
    PayamOp *op = g_ptr_array_index (request->ops, 2);

    op->hlc = G_MAXUINT64 - 5;
    g_free (op->op_id);
    op->op_id = payam_op_derive_id (op->device_id, op->device_seq, op->hlc);
  }

  text = payam_sync_encode_push_request (request);
  request2 = payam_sync_decode_push_request (text, strlen (text), &error);
  assert_non_null (request2);
  assert_string_equal (request2->batch_id, "batch-1");
  assert_int_equal (request2->ops->len, 3);
  for (guint i = 0; i < 3; i++)
    assert_op_equal (g_ptr_array_index (request->ops, i), g_ptr_array_index (request2->ops, i));
  /* The device and the row are named once, op ids not at all, the second stamp relative to
   * the first, its base relative to it: [1,0,1,2,VALUE,65536,131075]. */
  assert_null (strstr (text, "op_id"));
  assert_null (strstr (strstr (text, DEVICE) + 1, DEVICE));
  assert_null (strstr (strstr (text, "bbbbbbbbbbbb") + 1, "bbbbbbbbbbbb"));
  assert_non_null (strstr (text, ",65536,131075]"));

  /* Whatever a caller put in op_id, the id is derived from device and seq. */
  {
    PayamOp *op = g_ptr_array_index (request->ops, 0);
    g_autofree char *again = NULL;
    g_autoptr(PayamSyncPushRequest) request3 = NULL;

    g_free (op->op_id);
    op->op_id = g_strdup ("018c3f2a-1b2c-7d3e-8f40-aaaaaaaaaaaa");
    again = payam_sync_encode_push_request (request);
    request3 = payam_sync_decode_push_request (again, strlen (again), &error);
    assert_non_null (request3);
    assert_string_equal (((PayamOp *) g_ptr_array_index (request3->ops, 0))->op_id,
                         ((PayamOp *) g_ptr_array_index (request2->ops, 0))->op_id);
    assert_string_not_equal (((PayamOp *) g_ptr_array_index (request3->ops, 0))->op_id,
                             ((PayamOp *) g_ptr_array_index (request3->ops, 1))->op_id);
  }

  reply->acked_through = 3;
  reply->server_hlc = payam_hlc_pack (1764410500000, 9);
  reply->results = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_sync_op_outcome_free);
  for (guint i = 0; i < 5; i++)
    {
      result = g_new0 (PayamSyncOpOutcome, 1);
      result->device_seq = i + 1;
      result->outcome = (PayamSyncOutcome) i;
      result->reason = i >= 3 ? g_strdup_printf ("reason %u", i) : NULL;
      g_ptr_array_add (reply->results, result);
    }
  reply_text = payam_sync_encode_push_response (reply);
  reply2 = payam_sync_decode_push_response (reply_text, strlen (reply_text), &error);
  assert_non_null (reply2);
  assert_int_equal (reply2->acked_through, 3);
  assert_true (reply2->server_hlc == reply->server_hlc);
  assert_int_equal (reply2->results->len, 5);
  for (guint i = 0; i < 5; i++)
    {
      PayamSyncOpOutcome *a = g_ptr_array_index (reply->results, i);
      PayamSyncOpOutcome *b = g_ptr_array_index (reply2->results, i);

      assert_int_equal (a->device_seq, b->device_seq);
      assert_int_equal (a->outcome, b->outcome);
      if (a->reason == NULL)
        assert_null (b->reason);
      else
        assert_string_equal (a->reason, b->reason);
    }

  /* A batch applied whole is one run; runs break on a gap in the seqs, an outcome or a
   * reason. */
  {
    static const struct {
      gint64            seq;
      PayamSyncOutcome  outcome;
      const char       *reason;
    } table[] = {
      { 10, PAYAM_SYNC_OUTCOME_APPLIED, NULL },
      { 11, PAYAM_SYNC_OUTCOME_APPLIED, NULL },
      { 12, PAYAM_SYNC_OUTCOME_APPLIED, NULL },
      { 14, PAYAM_SYNC_OUTCOME_APPLIED, NULL },
      { 15, PAYAM_SYNC_OUTCOME_REJECTED, "role" },
      { 16, PAYAM_SYNC_OUTCOME_REJECTED, "role" },
      { 17, PAYAM_SYNC_OUTCOME_REJECTED, "clock" },
      { 18, PAYAM_SYNC_OUTCOME_SUPERSEDED, NULL },
      { 3, PAYAM_SYNC_OUTCOME_DUPLICATE, NULL },
      { 4, PAYAM_SYNC_OUTCOME_DUPLICATE, NULL },
    };
    g_autoptr(PayamSyncPushResponse) runs = NULL;
    g_autofree char *runs_text = NULL;

    g_ptr_array_set_size (reply->results, 0);
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      {
        result = g_new0 (PayamSyncOpOutcome, 1);
        result->device_seq = table[i].seq;
        result->outcome = table[i].outcome;
        result->reason = g_strdup (table[i].reason);
        g_ptr_array_add (reply->results, result);
      }
    runs_text = payam_sync_encode_push_response (reply);
    assert_non_null (strstr (runs_text, "\"results\":[[10,3],[14,1],[15,2,\"rejected\",\"role\"],"
                                        "[17,1,\"rejected\",\"clock\"],[18,1,\"superseded\"],"
                                        "[3,2,\"duplicate\"]]"));
    runs = payam_sync_decode_push_response (runs_text, strlen (runs_text), &error);
    assert_non_null (runs);
    assert_int_equal (runs->results->len, G_N_ELEMENTS (table));
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      {
        PayamSyncOpOutcome *b = g_ptr_array_index (runs->results, i);

        assert_int_equal (b->device_seq, table[i].seq);
        assert_int_equal (b->outcome, table[i].outcome);
        assert_true (g_strcmp0 (b->reason, table[i].reason) == 0);
      }
  }
}

/* The office's reason (PayamOp.why) travels after the base, with or without a base, in a
 * push and a pull page; an op without one is encoded as before; a reason that is not a
 * string, not UTF-8 or too long is refused. */
static void
test_why_round_trip (void **state)
{
  g_autoptr(PayamSyncPushRequest) request = g_new0 (PayamSyncPushRequest, 1);
  g_autoptr(PayamSyncPushRequest) request2 = NULL;
  g_autoptr(PayamSyncPullReply) page = g_new0 (PayamSyncPullReply, 1);
  g_autoptr(PayamSyncPullReply) page2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *huge = NULL;
  PayamOp *op;

  request->device_id = g_strdup (DEVICE);
  request->batch_id = g_strdup ("batch-why");
  request->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_ptr_array_add (request->ops, make_op (1, "1", 0));    /* no base */
  g_ptr_array_add (request->ops, make_op (2, "2", 0));    /* a base */
  g_ptr_array_add (request->ops, make_op (3, "3", 0));    /* a base, no reason */
  ((PayamOp *) request->ops->pdata[0])->why = g_strdup ("شهروند دوباره زنگ زد");
  ((PayamOp *) request->ops->pdata[1])->why = g_strdup ("خطر برای بچه‌ها\nفوری");
  text = payam_sync_encode_push_request (request);
  assert_non_null (strstr (text, "null,\"شهروند دوباره زنگ زد\"]"));
  request2 = payam_sync_decode_push_request (text, strlen (text), &error);
  if (request2 == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < 3; i++)
    assert_op_equal (request->ops->pdata[i], request2->ops->pdata[i]);
  assert_null (((PayamOp *) request2->ops->pdata[2])->why);

  page->next = 3;
  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  for (guint i = 0; i < 3; i++)
    {
      op = payam_op_copy (request->ops->pdata[i]);
      op->server_seq = i + 1;
      g_ptr_array_add (page->changes, op);
    }
  page_text = payam_sync_encode_pull_reply (page);
  page2 = payam_sync_decode_pull_reply (page_text, strlen (page_text), &error);
  if (page2 == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < 3; i++)
    assert_op_equal (page->changes->pdata[i], page2->changes->pdata[i]);

  /* Not a string; too long. */
  bad = g_strdup (text);
  *strstr (bad, "\"شهروند") = '7';
  memcpy (strstr (bad, "شهروند"), "123456", 6);
  g_clear_error (&error);
  assert_null (payam_sync_decode_push_request (bad, strlen (bad), &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED));
  op = request->ops->pdata[0];
  g_free (op->why);
  op->why = g_strnfill (PAYAM_SYNC_MAX_WHY + 1, 'a');
  huge = payam_sync_encode_push_request (request);
  g_clear_error (&error);
  assert_null (payam_sync_decode_push_request (huge, strlen (huge), &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE));
}

#define MEMBER "018c3f2a-1b2c-7d3e-8f40-cccccccccccc"
#define MEMBER2 "018c3f2a-1b2c-7d3e-8f40-dddddddddddd"

/* The member who made an op (PayamOp.member) travels last, as an index into the string
 * table, with or without a base and a reason, in a push and a pull page; an op without
 * one is encoded as before (an older device's); a member that is no UUIDv7, or an index
 * out of the table, is refused. */
static void
test_member_round_trip (void **state)
{
  g_autoptr(PayamSyncPushRequest) request = g_new0 (PayamSyncPushRequest, 1);
  g_autoptr(PayamSyncPushRequest) request2 = NULL;
  g_autoptr(PayamSyncPullReply) page = g_new0 (PayamSyncPullReply, 1);
  g_autoptr(PayamSyncPullReply) page2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *out_of_table = NULL;
  g_autofree char *old = NULL;
  char *at;
  PayamOp *op;

  request->device_id = g_strdup (DEVICE);
  request->batch_id = g_strdup ("batch-member");
  request->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  for (gint64 seq = 1; seq <= 5; seq++)
    g_ptr_array_add (request->ops, make_op (seq, "1", 0));
  /* No base nor reason; a base; a reason without a base; all three; none at all. */
  ((PayamOp *) request->ops->pdata[0])->member = g_strdup (MEMBER);
  ((PayamOp *) request->ops->pdata[1])->member = g_strdup (MEMBER2);
  ((PayamOp *) request->ops->pdata[2])->member = g_strdup (MEMBER);
  ((PayamOp *) request->ops->pdata[2])->base_hlc = 0;
  ((PayamOp *) request->ops->pdata[2])->why = g_strdup ("اشتباه بسته شد");
  ((PayamOp *) request->ops->pdata[3])->member = g_strdup (MEMBER);
  ((PayamOp *) request->ops->pdata[3])->why = g_strdup ("منتظر جرثقیل");
  text = payam_sync_encode_push_request (request);
  /* Each member once in the table. */
  at = strstr (text, MEMBER);
  assert_non_null (at);
  assert_null (strstr (at + 1, MEMBER));
  request2 = payam_sync_decode_push_request (text, strlen (text), &error);
  if (request2 == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < 5; i++)
    assert_op_equal (request->ops->pdata[i], request2->ops->pdata[i]);
  assert_null (((PayamOp *) request2->ops->pdata[4])->member);

  page->next = 5;
  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  for (guint i = 0; i < 5; i++)
    {
      op = payam_op_copy (request->ops->pdata[i]);
      op->server_seq = i + 1;
      g_ptr_array_add (page->changes, op);
    }
  page_text = payam_sync_encode_pull_reply (page);
  page2 = payam_sync_decode_pull_reply (page_text, strlen (page_text), &error);
  if (page2 == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < 5; i++)
    assert_op_equal (page->changes->pdata[i], page2->changes->pdata[i]);

  /* An op without a member is as an older device wrote it: [dseq, entity, row, field,
   * value, hlc, base], nothing after the base. */
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();
    PayamSyncPushRequest plain = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *ops;

    g_ptr_array_add (one, request->ops->pdata[4]);
    plain.device_id = request->device_id;
    plain.batch_id = request->batch_id;
    plain.ops = one;
    old = payam_sync_encode_push_request (&plain);
    root = json_from_string (old, NULL);
    assert_non_null (root);
    ops = json_object_get_array_member (json_node_get_object (root), "ops");
    assert_int_equal (json_array_get_length (json_array_get_array_element (ops, 0)), 7);
  }

  /* A member that is no UUIDv7 (the table's text is otherwise a fine token). */
  bad = g_strdup (text);
  at = strstr (bad, MEMBER);
  at[14] = '1';  /* the version digit: a UUIDv1 */
  g_clear_error (&error);
  assert_null (payam_sync_decode_push_request (bad, strlen (bad), &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED));
  /* A member that is not a string index. */
  op = request->ops->pdata[0];
  g_free (op->member);
  op->member = g_strdup (MEMBER2);
  out_of_table = payam_sync_encode_push_request (request);
  at = strstr (out_of_table, "\"ops\"");
  assert_non_null (at);
  {
    /* The first op ends "…,null,null,N]]": N becomes a string. */
    g_autofree char *first_end = NULL;
    char *end = strstr (at, "]");
    GString *s = g_string_new (NULL);
    char *digits = end;

    while (digits > at && g_ascii_isdigit (digits[-1]))
      digits--;
    assert_true (digits < end);
    g_string_append_len (s, out_of_table, digits - out_of_table);
    g_string_append (s, "\"x\"");
    g_string_append (s, end);
    first_end = g_string_free (s, FALSE);
    g_clear_error (&error);
    assert_null (payam_sync_decode_push_request (first_end, strlen (first_end), &error));
    assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED));
  }
}

static void
test_pull_and_small_round_trips (void **state)
{
  g_autoptr(PayamSyncPullReply) reply = g_new0 (PayamSyncPullReply, 1);
  g_autoptr(PayamSyncPullReply) reply2 = NULL;
  g_autoptr(PayamSyncErrorBody) body = NULL;
  g_autoptr(PayamSyncTrackReply) track2 = NULL;
  g_autoptr(PayamSyncWhoami) who2 = NULL;
  PayamSyncTrackEvent events[] = {
    { (char *) "2026-11-29T10:00:00Z", (char *) "registered", NULL, NULL },
    { (char *) "2026-11-29T11:00:00Z", (char *) "status", (char *) "in_progress", NULL },
    { (char *) "2026-11-29T12:00:00Z", (char *) "notice", NULL, (char *) "چاله پر شد." },
  };
  g_autoptr(GPtrArray) timeline = g_ptr_array_new ();
  const char *photos[] = {
    "5a0d4bbf4e7f3b1b9cbe0e7b6a37b7d9c64dbd2d5fb1c3a1a2b3c4d5e6f70819", NULL,
  };
  PayamSyncTrackReply track = {
    .tracking_code = (char *) "0042-000123-7", .status = (char *) "in_progress",
    .category = (char *) "asphalt", .neighbourhood = (char *) "tohid",
    .created_at = (char *) "2026-11-29T10:00:00.000Z",
    .updated_at = (char *) "2026-11-29T11:00:00.000Z", .outcome = (char *) "اکیپ کار می‌کند.",
    .photos = (GStrv) photos, .timeline = timeline,
  };
  PayamSyncWhoami who = { (char *) DEVICE, (char *) "office", NULL, 9999 };
  g_autofree char *text = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *track_text = NULL;
  g_autofree char *who_text = NULL;
  g_autoptr(GError) error = NULL;

  /* Changes of two devices, with gaps in the log, a backfilled (older) server_seq, seqs and
   * stamps going back and forth, with and without a base, a new row. */
  {
    static const struct {
      const char *device;
      gint64      seq;
      gint64      server_seq;
      const char *field;
      gint64      ms;
      guint       counter;
      gint64      base_ms;
    } table[] = {
      { DEVICE, 7, 101, "text", 1764410400007, 3, 0 },
      { DEVICE2, 1, 102, "*", 1764410300000, 0, 0 },
      { DEVICE, 9, 250, "street", 1764410400009, 0, 1764410400007 },
      { DEVICE2, 2, 40, "street", 1764410400009, 1, 1764410300000 },
      { DEVICE, 8, 251, "landmark", 1764410400008, 65535, 1764410300000 },
    };

    reply->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      {
        PayamOp *op = make_op (table[i].seq, i == 1 ? "{\"text\":\"چاله\"}" : "[1,2,{\"a\":true}]",
                               table[i].server_seq);

        g_free (op->device_id);
        op->device_id = g_strdup (table[i].device);
        g_free (op->field);
        op->field = g_strdup (table[i].field);
        op->hlc = payam_hlc_pack (table[i].ms, table[i].counter);
        op->base_hlc = table[i].base_ms != 0 ? payam_hlc_pack (table[i].base_ms, 0) : 0;
        g_free (op->op_id);
        op->op_id = payam_op_derive_id (op->device_id, op->device_seq, op->hlc);
        g_ptr_array_add (reply->changes, op);
      }
  }
  reply->next = 251;
  reply->more = TRUE;
  reply->server_hlc = payam_hlc_pack (1764410500000, 1);
  text = payam_sync_encode_pull_reply (reply);
  reply2 = payam_sync_decode_pull_reply (text, strlen (text), &error);
  assert_non_null (reply2);
  assert_int_equal (reply2->next, 251);
  assert_true (reply2->more);
  assert_int_equal (reply2->changes->len, reply->changes->len);
  for (guint i = 0; i < reply->changes->len; i++)
    assert_op_equal (g_ptr_array_index (reply->changes, i), g_ptr_array_index (reply2->changes, i));
  assert_null (strstr (strstr (text, DEVICE2) + 1, DEVICE2));

  /* An empty page. */
  {
    g_autoptr(PayamSyncPullReply) empty = g_new0 (PayamSyncPullReply, 1);
    g_autoptr(PayamSyncPullReply) empty2 = NULL;
    g_autofree char *empty_text = NULL;

    empty->changes = g_ptr_array_new ();
    empty->next = 4;
    empty_text = payam_sync_encode_pull_reply (empty);
    empty2 = payam_sync_decode_pull_reply (empty_text, strlen (empty_text), &error);
    assert_non_null (empty2);
    assert_int_equal (empty2->changes->len, 0);
    assert_int_equal (empty2->next, 4);
    assert_false (empty2->more);
  }

  error_text = payam_sync_encode_error ("code-used", "کد پیش‌تر به کار رفته است.");
  assert_string_equal (error_text,
                       "{\"error\":\"code-used\",\"message\":\"کد پیش‌تر به کار رفته است.\"}");
  body = payam_sync_decode_error (error_text, strlen (error_text), &error);
  assert_non_null (body);
  assert_string_equal (body->error, "code-used");

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_ptr_array_add (timeline, &events[i]);
  track_text = payam_sync_encode_track_reply (&track);
  track2 = payam_sync_decode_track_reply (track_text, strlen (track_text), &error);
  assert_non_null (track2);
  assert_string_equal (track2->status, "in_progress");
  assert_null (track2->due_at);
  assert_string_equal (track2->updated_at, track.updated_at);
  assert_string_equal (track2->neighbourhood, "tohid");
  assert_string_equal (track2->outcome, track.outcome);
  assert_null (track2->public_text);
  assert_int_equal (g_strv_length (track2->photos), 1);
  assert_string_equal (track2->photos[0], photos[0]);
  assert_int_equal (track2->timeline->len, 3);
  for (guint i = 0; i < 3; i++)
    {
      PayamSyncTrackEvent *event = g_ptr_array_index (track2->timeline, i);

      assert_string_equal (event->at, events[i].at);
      assert_string_equal (event->kind, events[i].kind);
      assert_true (g_strcmp0 (event->status, events[i].status) == 0);
      assert_true (g_strcmp0 (event->text, events[i].text) == 0);
    }

  who_text = payam_sync_encode_whoami (&who);
  who2 = payam_sync_decode_whoami (who_text, strlen (who_text), &error);
  assert_non_null (who2);
  assert_int_equal (who2->prefix, 9999);
  assert_string_equal (who2->role, "office");
}

/* Decoders by index, so the bad-input table can name them. */
typedef gpointer (*Decoder) (const char *data, gsize length, GError **error);
enum { ENROL_REQ, ENROL_REP, PUSH_REQ, PUSH_REP, PULL_REP, ERROR_BODY, TRACK, WHOAMI, N_DEC };

static const Decoder decoders[N_DEC] = {
  (Decoder) payam_sync_decode_enrol_request,
  (Decoder) payam_sync_decode_enrol_reply,
  (Decoder) payam_sync_decode_push_request,
  (Decoder) payam_sync_decode_push_response,
  (Decoder) payam_sync_decode_pull_reply,
  (Decoder) payam_sync_decode_error,
  (Decoder) payam_sync_decode_track_reply,
  (Decoder) payam_sync_decode_whoami,
};

static const GDestroyNotify freers[N_DEC] = {
  (GDestroyNotify) payam_sync_enrol_request_free,
  (GDestroyNotify) payam_sync_enrol_reply_free,
  (GDestroyNotify) payam_sync_push_request_free,
  (GDestroyNotify) payam_sync_push_response_free,
  (GDestroyNotify) payam_sync_pull_reply_free,
  (GDestroyNotify) payam_sync_error_body_free,
  (GDestroyNotify) payam_sync_track_reply_free,
  (GDestroyNotify) payam_sync_whoami_free,
};

/* A push of compact ops (strings: 0 "request", 1 "r1", 2 "text") and a pull page (3 the
 * device). */
#define STRINGS "\"strings\":[\"request\",\"r1\",\"text\",\"" DEVICE "\"]"
#define OP "[1,0,1,2,\"x\",\"018c3f2a1b2c-0001\"]"
#define PUSH(ops) \
  "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\"," STRINGS ",\"ops\":[" ops "]}"
#define PULL(changes) \
  "{" VER "," STRINGS ",\"changes\":[" changes "],\"next\":1,\"more\":false," \
  "\"server_hlc\":\"018c3f2a1b2c-0001\"}"
#define RESULTS(runs) \
  "{" VER ",\"acked_through\":1,\"results\":[" runs "],\"server_hlc\":\"018c3f2a1b2c-0001\"}"

static const struct {
  const char *name;
  int         decoder;
  const char *input;
  int         code;
} bad_inputs[] = {
  { "empty", ENROL_REQ, "", PAYAM_SYNC_ERROR_MALFORMED },
  { "not json", ENROL_REQ, "code=ABC", PAYAM_SYNC_ERROR_MALFORMED },
  { "array root", ENROL_REQ, "[]", PAYAM_SYNC_ERROR_MALFORMED },
  { "truncated", ENROL_REQ, "{" VER ",\"code\":\"AB", PAYAM_SYNC_ERROR_MALFORMED },
  { "bad utf-8", ENROL_REQ, "{" VER ",\"code\":\"\xff\xfe\"}", PAYAM_SYNC_ERROR_MALFORMED },
  { "no version", ENROL_REQ, "{\"code\":\"ABCDEFGHIJKLMNOP\",\"device_id\":\"" DEVICE "\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "version as text", ENROL_REQ,
    "{\"version\":\"1\",\"code\":\"ABCDEFGHIJKLMNOP\",\"device_id\":\"" DEVICE "\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "unknown member", ENROL_REQ,
    "{" VER ",\"code\":\"ABCDEFGHIJKLMNOP\",\"device_id\":\"" DEVICE "\",\"admin\":true}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "code lower case", ENROL_REQ,
    "{" VER ",\"code\":\"abcdefghijklmnop\",\"device_id\":\"" DEVICE "\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "device not uuid7", ENROL_REQ,
    "{" VER ",\"code\":\"ABCDEFGHIJKLMNOP\",\"device_id\":\"kiosk-1\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "code as number", ENROL_REQ, "{" VER ",\"code\":12,\"device_id\":\"" DEVICE "\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "too deep", ENROL_REQ,
    "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
    "]]]]]]]]]]]]]]]]]]]]]]]]]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "prefix 0", ENROL_REP,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"kiosk\",\"prefix\":0,"
    "\"credential\":\"t\",\"office_public_key\":\"" KEY "\"}", PAYAM_SYNC_ERROR_MALFORMED },
  { "role unknown", ENROL_REP,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"admin\",\"prefix\":1,"
    "\"credential\":\"t\",\"office_public_key\":\"" KEY "\"}", PAYAM_SYNC_ERROR_MALFORMED },
  { "key short", ENROL_REP,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"kiosk\",\"prefix\":1,"
    "\"credential\":\"t\",\"office_public_key\":\"AAEC\"}", PAYAM_SYNC_ERROR_MALFORMED },
  { "crew null", ENROL_REP,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"kiosk\",\"crew_id\":null,"
    "\"prefix\":1,\"credential\":\"t\",\"office_public_key\":\"" KEY "\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "older version", ENROL_REQ,
    "{\"version\":1,\"code\":\"ABCDEFGHIJKLMNOP\",\"device_id\":\"" DEVICE "\"}",
    PAYAM_SYNC_ERROR_UNSUPPORTED },
  { "push of version 1", PUSH_REQ,
    "{\"version\":1,\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"ops\":[]}",
    PAYAM_SYNC_ERROR_UNSUPPORTED },
  { "push op as object", PUSH_REQ, PUSH ("{\"device_seq\":1}"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push ops not array", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\"," STRINGS ",\"ops\":{}}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push without strings", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"ops\":[" OP "]}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push string with space", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"strings\":[\"re quest\"],"
    "\"ops\":[]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "push string not text", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"strings\":[1],\"ops\":[]}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push op too short", PUSH_REQ, PUSH ("[1,0,1,2,\"x\"]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push op too long", PUSH_REQ,
    PUSH ("[1,0,1,2,\"x\",\"018c3f2a1b2c-0001\",1,1]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push op with a device", PUSH_REQ,
    PUSH ("[1,3,0,1,2,\"x\",\"018c3f2a1b2c-0001\"]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push seq 0", PUSH_REQ, PUSH ("[0,0,1,2,1,\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push seq back to 0", PUSH_REQ, PUSH (OP ",[-1,0,1,2,1,1]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push seq float", PUSH_REQ, PUSH ("[1.5,0,1,2,1,\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push index past the strings", PUSH_REQ, PUSH ("[1,0,4,2,1,\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push negative index", PUSH_REQ, PUSH ("[1,-1,1,2,1,\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push entity not a name", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"strings\":[\"Request\","
    "\"text\"],\"ops\":[[1,0,0,1,1,\"018c3f2a1b2c-0001\"]]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "push field not a name", PUSH_REQ,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\",\"strings\":[\"request\","
    "\"te.xt\"],\"ops\":[[1,0,0,1,1,\"018c3f2a1b2c-0001\"]]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "push hlc upper case", PUSH_REQ, PUSH ("[1,0,1,2,1,\"018C3F2A1B2C-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push hlc zero", PUSH_REQ, PUSH ("[1,0,1,2,1,\"000000000000-0000\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push first hlc relative", PUSH_REQ, PUSH ("[1,0,1,2,1,5]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push hlc back to zero", PUSH_REQ, PUSH (OP ",[1,0,1,2,1,-111533540854464513]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push hlc past 2^63", PUSH_REQ, PUSH (OP ",[1,0,1,2,1,9223372036854775807]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push base zero", PUSH_REQ, PUSH ("[1,0,1,2,1,\"018c3f2a1b2c-0001\",\"000000000000-0000\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push base at zero", PUSH_REQ,
    PUSH ("[1,0,1,2,1,\"018c3f2a1b2c-0001\",111533540854464513]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push base as true", PUSH_REQ, PUSH ("[1,0,1,2,1,\"018c3f2a1b2c-0001\",true]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply of version 1", PUSH_REP,
    "{\"version\":1,\"acked_through\":1,\"results\":[],\"server_hlc\":\"018c3f2a1b2c-0001\"}",
    PAYAM_SYNC_ERROR_UNSUPPORTED },
  { "push reply rejected without reason", PUSH_REP, RESULTS ("[1,1,\"rejected\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply unknown outcome", PUSH_REP, RESULTS ("[1,1,\"ok\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply run of 0", PUSH_REP, RESULTS ("[1,0]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply seq 0", PUSH_REP, RESULTS ("[0,1]"), PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply run past the last seq", PUSH_REP, RESULTS ("[9223372036854775807,2]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply runs over the bound", PUSH_REP, RESULTS ("[1,1000],[1001,1]"),
    PAYAM_SYNC_ERROR_TOO_LARGE },
  { "push reply run as object", PUSH_REP, RESULTS ("{\"device_seq\":1}"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply run too long", PUSH_REP, RESULTS ("[1,1,\"rejected\",\"role\",1]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "push reply negative ack", PUSH_REP,
    "{" VER ",\"acked_through\":-1,\"results\":[],\"server_hlc\":\"018c3f2a1b2c-0001\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "pull change without device", PULL_REP, PULL ("[1,0,1,2,\"x\",\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "pull device not a uuid", PULL_REP, PULL ("[1,1,1,0,1,2,\"x\",\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "pull server_seq 0", PULL_REP, PULL ("[0,3,1,0,1,2,\"x\",\"018c3f2a1b2c-0001\"]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "pull device seq back to 0", PULL_REP,
    PULL ("[1,3,1,0,1,2,\"x\",\"018c3f2a1b2c-0001\"],[1,3,-1,0,1,2,\"x\",1]"),
    PAYAM_SYNC_ERROR_MALFORMED },
  { "pull more as int", PULL_REP,
    "{" VER "," STRINGS ",\"changes\":[],\"next\":1,\"more\":0,"
    "\"server_hlc\":\"018c3f2a1b2c-0001\"}", PAYAM_SYNC_ERROR_MALFORMED },
  { "pull page of version 1", PULL_REP,
    "{\"version\":1,\"changes\":[],\"next\":1,\"more\":false,"
    "\"server_hlc\":\"018c3f2a1b2c-0001\"}", PAYAM_SYNC_ERROR_UNSUPPORTED },
  { "error with version", ERROR_BODY, "{" VER ",\"error\":\"x\",\"message\":\"m\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "error code upper", ERROR_BODY, "{\"error\":\"X\",\"message\":\"m\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "track with phone", TRACK,
    "{" VER ",\"tracking_code\":\"1\",\"status\":\"registered\",\"category\":\"a\","
    "\"created_at\":\"t\",\"updated_at\":\"t\",\"timeline\":[],\"phone\":\"09120000000\"}",
    PAYAM_SYNC_ERROR_MALFORMED },
  { "track bad status", TRACK,
    "{" VER ",\"tracking_code\":\"1\",\"status\":\"lost\",\"category\":\"a\","
    "\"created_at\":\"t\",\"updated_at\":\"t\",\"timeline\":[]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "track event with actor", TRACK,
    "{" VER ",\"tracking_code\":\"1\",\"status\":\"registered\",\"category\":\"a\","
    "\"created_at\":\"t\",\"updated_at\":\"t\",\"timeline\":[{\"at\":\"t\","
    "\"kind\":\"registered\",\"actor\":\"staff-3\"}]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "track status event without status", TRACK,
    "{" VER ",\"tracking_code\":\"1\",\"status\":\"registered\",\"category\":\"a\","
    "\"created_at\":\"t\",\"updated_at\":\"t\",\"timeline\":[{\"at\":\"t\","
    "\"kind\":\"status\"}]}", PAYAM_SYNC_ERROR_MALFORMED },
  { "whoami prefix 10000", WHOAMI,
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"kiosk\",\"prefix\":10000}",
    PAYAM_SYNC_ERROR_MALFORMED },
};

/* A pull page is written straight to text (the log's values as they are): every text that
 * needs escaping comes back the same, and the page is the message the builder would make. */
static void
test_pull_page_text (void **state)
{
  static const char *const whys[] = {
    "quote \" and backslash \\ and slash /", "tab\tnewline\nreturn\rbell\x01 end\x1f",
    "خطر برای بچه‌ها — «فوری»",
  };
  static const char *const values[] = {
    "\"a \\\"quoted\\\" \\\\ text\\n\\u0001\"",
    "{\"kind\":\"concurrent-edit\",\"kept_value\":\"\\\"x\\\"\",\"lost_value\":null,\"n\":[1,2.5,true]}",
    "  [ 1 , { \"b\" : \"کوچه\" } ]  ",
  };
  g_autoptr(PayamSyncPullReply) page = g_new0 (PayamSyncPullReply, 1);
  g_autoptr(PayamSyncPullReply) page2 = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *changes;

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      PayamOp *op = make_op (i + 1, values[i], 10 + i);

      op->why = g_strdup (whys[i]);
      if (i == 1)
        op->member = g_strdup (DEVICE2);
      g_ptr_array_add (page->changes, op);
    }
  page->next = 12;
  page->more = TRUE;
  page->server_hlc = payam_hlc_pack (1764410500000, 7);
  page->server_time = 1764410500123;
  text = payam_sync_encode_pull_reply (page);

  /* Plain JSON, with every member of the message. */
  root = json_from_string (text, &error);
  if (root == NULL)
    fail_msg ("%s: %s", error->message, text);
  assert_int_equal (json_object_get_int_member (json_node_get_object (root), "version"),
                    PAYAM_SYNC_PROTOCOL_VERSION);
  changes = json_object_get_array_member (json_node_get_object (root), "changes");
  assert_int_equal (json_array_get_length (changes), G_N_ELEMENTS (values));
  assert_string_equal (json_array_get_string_element (json_array_get_array_element (changes, 0),
                                                      9), whys[0]);
  assert_true (json_object_get_boolean_member (json_node_get_object (root), "more"));

  page2 = payam_sync_decode_pull_reply (text, strlen (text), &error);
  if (page2 == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (page2->next, 12);
  assert_true (page2->more);
  assert_true (page2->server_hlc == page->server_hlc);
  assert_int_equal (page2->server_time, page->server_time);
  assert_int_equal (page2->changes->len, page->changes->len);
  for (guint i = 0; i < page->changes->len; i++)
    {
      PayamOp *sent = g_ptr_array_index (page->changes, i);
      PayamOp *got = g_ptr_array_index (page2->changes, i);
      g_autoptr(JsonNode) value = json_from_string (values[i], NULL);
      g_autofree char *printed = json_to_string (value, FALSE);

      /* The value as the device reads it: the same JSON, printed plainly. */
      assert_string_equal (got->value, printed);
      g_free (sent->value);
      sent->value = g_strdup (printed);
      assert_op_equal (sent, got);
    }
}

static void
test_bad_input (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer msg = decoders[bad_inputs[i].decoder] (bad_inputs[i].input,
                                                      strlen (bad_inputs[i].input), &error);

      if (msg != NULL || error == NULL || error->code != bad_inputs[i].code)
        fail_msg ("%s: expected error %d, got %s (%d)", bad_inputs[i].name, bad_inputs[i].code,
                  error != NULL ? error->message : "a message", error != NULL ? error->code : -1);
      assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, bad_inputs[i].code));
    }
}

static void
test_bounds (void **state)
{
  g_autoptr(GString) big = g_string_new ("{" VER ",\"device_id\":\"" DEVICE
                                         "\",\"batch_id\":\"b\"," STRINGS ",\"ops\":[");
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gpointer msg;

  /* One op more than a push may carry. */
  for (int i = 0; i <= PAYAM_SYNC_MAX_OPS; i++)
    g_string_append_printf (big, "%s" OP, i > 0 ? "," : "");
  g_string_append (big, "]}");
  msg = payam_sync_decode_push_request (big->str, big->len, &error);
  assert_null (msg);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE));
  g_clear_error (&error);

  /* A string one byte over its bound. */
  g_string_assign (big, "{" VER ",\"device_id\":\"" DEVICE "\",\"batch_id\":\"b\","
                        "\"ops\":[],\"strings\":[\"");
  for (int i = 0; i <= PAYAM_SYNC_MAX_ID; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, "\"]}");
  msg = payam_sync_decode_push_request (big->str, big->len, &error);
  assert_null (msg);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE));
  g_clear_error (&error);

  /* A value one byte over its bound (the JSON string's quotes count). */
  g_string_append (value, PUSH ("[1,0,1,2,\"@\",\"018c3f2a1b2c-0001\"]"));
  {
    g_autoptr(GString) filler = g_string_new (NULL);
    gsize at = strstr (value->str, "\"@\"") - value->str;

    for (int i = 0; i < PAYAM_SYNC_MAX_VALUE - 1; i++)
      g_string_append_c (filler, 'a');
    g_string_erase (value, at + 1, 1);
    g_string_insert (value, at + 1, filler->str);
    msg = payam_sync_decode_push_request (value->str, value->len, &error);
    assert_null (msg);
    assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE));
    g_clear_error (&error);

    /* One byte less fits. */
    g_string_erase (value, at + 1, 1);
    msg = payam_sync_decode_push_request (value->str, value->len, &error);
    assert_non_null (msg);
    payam_sync_push_request_free (msg);
  }

  /* A body over the limit is refused before parsing. */
  msg = payam_sync_decode_error ("{}", PAYAM_SYNC_MAX_BODY + 1, &error);
  assert_null (msg);
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TOO_LARGE));
}

/* Mutations of valid messages with a fixed seed: every decoder either returns a message
 * or an error, never both or neither, and never crashes (ASan and UBSan watch). */
static void
test_fuzz (void **state)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  const char *seeds[] = {
    PUSH (OP ",[1,0,1,2,{\"a\":[1]},65536,12]"),
    PULL ("[3,3,1,0,1,2,\"x\",\"018c3f2a1b2c-0001\",7],[2,3,1,0,1,2,null,-3]"),
    "{" VER ",\"device_id\":\"" DEVICE "\",\"role\":\"crew\",\"crew_id\":\"c\","
    "\"prefix\":3,\"credential\":\"t\",\"office_public_key\":\"" KEY "\"}",
    RESULTS ("[1,2],[3,1,\"rejected\",\"r\"],[4,3,\"duplicate\"]"),
    "{\"error\":\"bad\",\"message\":\"پیام\"}",
  };
  static const char noise[] = "{}[]\",:0123456789-.eE\\tfnrulasx \xd9\xbe\xff";
  guint decoded = 0;

  for (guint iteration = 0; iteration < 20000; iteration++)
    {
      const char *seed = seeds[iteration % G_N_ELEMENTS (seeds)];
      g_autoptr(GString) input = g_string_new (seed);
      guint edits = 1 + g_rand_int_range (rand, 0, 4);

      for (guint e = 0; e < edits && input->len > 0; e++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) input->len);
          char c = noise[g_rand_int_range (rand, 0, sizeof noise - 1)];

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: input->str[at] = c; break;
            case 1: g_string_insert_c (input, at, c); break;
            case 2: g_string_erase (input, at, 1); break;
            default: g_string_truncate (input, at); break;
            }
        }
      for (int d = 0; d < N_DEC; d++)
        {
          g_autoptr(GError) error = NULL;
          gpointer msg = decoders[d] (input->str, input->len, &error);

          assert_true ((msg == NULL) != (error == NULL));
          if (msg != NULL)
            {
              decoded++;
              freers[d] (msg);
            }
        }
    }
  /* Some mutations (inside string values) still decode: the fuzz reached the readers. */
  assert_true (decoded > 100);
}

/* The pull's ?version=: only this protocol's, and the path carries it. */
static void
test_pull_version (void **state)
{
  static const struct {
    const char *text;
    int         code;   /* -1: accepted */
  } table[] = {
    { G_STRINGIFY (PAYAM_SYNC_PROTOCOL_VERSION), -1 },
    { NULL, PAYAM_SYNC_ERROR_UNSUPPORTED },
    { "1", PAYAM_SYNC_ERROR_UNSUPPORTED },
    { "99", PAYAM_SYNC_ERROR_UNSUPPORTED },
    { "", PAYAM_SYNC_ERROR_MALFORMED },
    { "2x", PAYAM_SYNC_ERROR_MALFORMED },
    { "-2", PAYAM_SYNC_ERROR_MALFORMED },
  };
  g_autofree char *path = payam_sync_pull_path (41, 500);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = payam_sync_check_version (table[i].text, &error);

      if (table[i].code < 0)
        assert_true (ok);
      else
        {
          assert_false (ok);
          assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, table[i].code));
        }
    }
  assert_string_equal (path, "/v1/pull?version=" G_STRINGIFY (PAYAM_SYNC_PROTOCOL_VERSION)
                             "&after=41&limit=500");
}

static void
test_code (void **state)
{
  const char *fingerprint =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  g_autofree char *hash = NULL;
  g_autofree char *code = payam_sync_code_make (fingerprint, &hash, NULL);
  g_autofree char *secret = NULL;
  g_autofree char *secret_hash = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *other_hash = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GError) error = NULL;
  guint8 pin[PAYAM_SYNC_CODE_PIN_BYTES];

  assert_non_null (code);
  assert_int_equal (strlen (code), 42 + 6);  /* 7 groups of 6 */
  assert_int_equal (strlen (hash), 64);
  assert_true (payam_sync_code_parse (code, &secret, pin, &error));
  assert_int_equal (strlen (secret), 16);
  assert_true (payam_sync_fingerprint_matches (fingerprint, pin));
  assert_false (payam_sync_fingerprint_matches (
    "10112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", pin));
  secret_hash = payam_sync_code_secret_hash (secret);
  assert_string_equal (secret_hash, hash);

  /* Typed in lower case with spaces: the same code. */
  typed = g_ascii_strdown (code, -1);
  g_strdelimit (typed, "-", ' ');
  g_clear_pointer (&secret, g_free);
  assert_true (payam_sync_code_parse (typed, &secret, pin, &error));
  assert_true (payam_sync_fingerprint_matches (fingerprint, pin));

  /* One character short, an 8 (not base32), a fingerprint that is not one. */
  typed[strlen (typed) - 1] = '\0';
  g_clear_pointer (&secret, g_free);
  assert_false (payam_sync_code_parse (typed, &secret, pin, &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_CODE));
  g_clear_error (&error);
  assert_null (payam_sync_code_secret_hash ("ABCDEFGHIJKLMNO8"));
  assert_null (payam_sync_code_make ("abcd", &other_hash, &error));
  assert_true (g_error_matches (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_CODE));

  /* Two codes differ. */
  g_clear_pointer (&other_hash, g_free);
  other = payam_sync_code_make (fingerprint, &other_hash, NULL);
  assert_string_not_equal (other, code);
  assert_string_not_equal (other_hash, hash);
}

static void
test_token (void **state)
{
  g_autofree char *a = payam_sync_token_new ();
  g_autofree char *b = payam_sync_token_new ();
  g_autofree char *hash = payam_sync_token_hash ("abc");
  g_autofree char *formatted = payam_sync_fingerprint_format ("0a1b");

  assert_int_equal (strlen (a), 43);
  assert_null (strpbrk (a, "+/="));
  assert_string_not_equal (a, b);
  assert_string_equal (hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_string_equal (formatted, "0A:1B");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_enrol_round_trip),
    cmocka_unit_test (test_push_round_trip),
    cmocka_unit_test (test_why_round_trip),
    cmocka_unit_test (test_member_round_trip),
    cmocka_unit_test (test_pull_and_small_round_trips),
    cmocka_unit_test (test_pull_version),
    cmocka_unit_test (test_pull_page_text),
    cmocka_unit_test (test_bad_input),
    cmocka_unit_test (test_bounds),
    cmocka_unit_test (test_fuzz),
    cmocka_unit_test (test_code),
    cmocka_unit_test (test_token),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
