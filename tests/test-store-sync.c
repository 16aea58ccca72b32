/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of sync on the store: push checks, duplicates and gaps, roles, pulls by role. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-store-feedback.h"
#include "payam-store-private.h"
#include "payam-store-sync-private.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-store-triage.h"
#include "payam-test-kiosk.h"
#include "payam-tracking.h"
#include "payam-uuid.h"

#define T0 G_GINT64_CONSTANT (1795000000000)

typedef struct {
  gint64      now_ms;
  PayamStore *server;
  PayamStore *office;
  PayamStore *office2;
  PayamStore *kiosk;
  PayamStore *crew;
} Fixture;

static GDateTime *
clock_of (gpointer data)
{
  const gint64 *ms = data;
  g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (*ms / 1000);

  return g_date_time_add (second, (*ms % 1000) * 1000);
}

static PayamStore *
open_store (Fixture *f,
            guint    prefix)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);

  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, &f->now_ms);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, prefix, &error));
  return store;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->now_ms = T0;
  f->server = open_store (f, 1);
  f->office = open_store (f, 2);
  f->office2 = open_store (f, 3);
  f->kiosk = open_store (f, 4);
  /* A real kiosk: it seals its contacts to the office, whose key the server holds. */
  payam_test_make_sealing_kiosk (f->kiosk, 4, f->server);
  f->crew = open_store (f, 5);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->server);
  g_clear_object (&f->office);
  g_clear_object (&f->office2);
  g_clear_object (&f->kiosk);
  g_clear_object (&f->crew);
  g_free (f);
  return 0;
}

static gint64
query_int (PayamStore *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
add_request (PayamStore *store,
             const char *text,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text,
    .category = "asphalt",
    .neighbourhood = "tohid",
    .street = "ولیعصر",
    .phone = phone,
    .name = phone != NULL ? "مریم" : NULL,
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (store, &draft, &error);

  assert_non_null (r);
  return g_strdup (r->id);
}

/* Push the whole outbox of @device as @role; returns the reply (acknowledged). */
static PayamSyncPushReply *
push_all (Fixture    *f,
          PayamStore *device,
          PayamRole   role,
          const char *crew_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (device, 0, 0, &error);
  PayamSyncPushReply *reply = NULL;

  assert_non_null (ops);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (device), role, crew_id, ops,
                              f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_true (payam_store_sync_ack (device, reply->acked_through, reply->results, reply->server_hlc, &error));
  return reply;
}

/* Pull to the end as @role; returns the ops pulled (all pages). */
static GPtrArray *
pull_all (Fixture    *f,
          PayamStore *device,
          PayamRole   role,
          const char *crew_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  gboolean more = TRUE;

  while (more)
    {
      gint64 next;
      g_autoptr(GPtrArray) page = payam_store_sync_pull (f->server, role, crew_id,
                                                         payam_store_sync_get_cursor (device,
                                                                                      NULL),
                                                         2, &next, &more, &error);

      assert_non_null (page);
      assert_true (payam_store_sync_apply_page (device, page, next, 0, &error));
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, payam_op_copy (g_ptr_array_index (page, i)));
    }
  return all;
}

static PayamSyncResult
result_at (PayamSyncPushReply *reply,
           guint               i)
{
  assert_true (i < reply->results->len);
  return g_array_index (reply->results, PayamSyncOpResult, i).result;
}

static void
test_push_ack_duplicate (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "چاله", "09121234567");
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->office, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamSyncPushReply) again = NULL;
  g_autoptr(PayamRequest) copy = NULL;

  assert_int_equal (ops->len, 1);
  assert_string_equal (((PayamOp *) ops->pdata[0])->field, "*");
  assert_int_equal (((PayamOp *) ops->pdata[0])->device_seq, 1);
  assert_true (payam_op_is_valid (ops->pdata[0]));

  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (f->office),
                                      PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error));
  assert_int_equal (reply->acked_through, 1);
  assert_int_equal (reply->expected_seq, 2);
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_APPLIED);
  assert_true (reply->server_hlc > ((PayamOp *) ops->pdata[0])->hlc);
  /* The reply was lost: the same batch again changes nothing. */
  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (f->office),
                                      PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &again, &error));
  assert_int_equal (result_at (again, 0), PAYAM_SYNC_RESULT_DUPLICATE);
  assert_int_equal (again->acked_through, 1);
  /* The request, and the server's own op: its registered text message for the phone. */
  assert_int_equal (payam_store_sync_count_log (f->server, &error), 2);

  /* Only now the outbox is emptied. */
  assert_int_equal (payam_store_count_outbox (f->office, &error), 1);
  assert_true (payam_store_sync_ack (f->office, reply->acked_through, reply->results, reply->server_hlc, &error));
  assert_int_equal (payam_store_count_outbox (f->office, &error), 0);

  copy = payam_store_get_request (f->server, id, &error);
  assert_non_null (copy);
  assert_string_equal (copy->text, "چاله");
  assert_string_equal (copy->phone, "09121234567");
  assert_string_equal (copy->street, "ولیعصر");
}

static void
test_gap_and_foreign (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_request (f->office, "یک", NULL);
  g_autofree char *b = add_request (f->office, "دو", NULL);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->office, 1, 0, &error);
  g_autoptr(GPtrArray) all = payam_store_sync_list_outbox (f->office, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamSyncPushReply) foreign = NULL;

  /* Seq 2 before seq 1: 409 with the seq expected, nothing applied. */
  assert_int_equal (ops->len, 1);
  assert_false (payam_store_sync_push (f->server, payam_store_get_device_id (f->office),
                                       PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GAP));
  assert_non_null (reply);
  assert_int_equal (reply->expected_seq, 1);
  assert_int_equal (payam_store_sync_count_log (f->server, NULL), 0);
  g_clear_error (&error);

  /* Ops of another device: refused as a whole. */
  assert_false (payam_store_sync_push (f->server, payam_store_get_device_id (f->kiosk),
                                       PAYAM_ROLE_OFFICE, NULL, all, f->now_ms, &foreign,
                                       &error));
  assert_true (g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_INVALID));
  assert_int_equal (payam_store_sync_count_log (f->server, NULL), 0);
}

static void
test_clock_ahead (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  const char *office_id = payam_store_get_device_id (f->office);

  a = add_request (f->office, "درست", NULL);
  /* The office's clock jumps 11 minutes ahead for the second request. */
  f->now_ms += 11 * 60 * 1000;
  b = add_request (f->office, "جلوتر", NULL);
  f->now_ms -= 11 * 60 * 1000;

  reply = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_REJECTED);
  assert_string_equal (g_array_index (reply->results, PayamSyncOpResult, 1).reason, "clock");
  assert_true (reply->clock_flagged);
  assert_true (payam_store_sync_is_flagged (f->server, office_id));
  assert_false (payam_store_sync_is_flagged (f->server, payam_store_get_device_id (f->kiosk)));
  /* The op from the future is neither taken nor acknowledged (the device re-bases and
   * sends it again: test-sync-mechanics). */
  assert_int_equal (reply->acked_through, 1);
  assert_int_equal (payam_store_sync_count_log (f->server, NULL), 1);
  assert_int_equal (payam_store_count_outbox (f->office, NULL), 1);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM request"), 1);
}

static void
test_kiosk_role_and_view (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->kiosk, "چاله جلوی خانهٔ من", "09121234567");
  g_autofree char *other = add_request (f->office, "تیر چراغ", "09351112233");
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamSyncPushReply) office_reply = NULL;
  g_autoptr(GPtrArray) pulled = NULL;
  g_autoptr(PayamRequest) seen = NULL;

  /* A kiosk may create requests, not move them or edit them. */
  assert_true (payam_store_set_status (f->kiosk, id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  assert_true (payam_store_sync_set_field (f->kiosk, "request", id, "text", "\"دیگر\"",
                                           &error));
  reply = push_all (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL);
  assert_int_equal (reply->results->len, 3);
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_REJECTED);
  assert_string_equal (g_array_index (reply->results, PayamSyncOpResult, 1).reason, "role");
  assert_int_equal (result_at (reply, 2), PAYAM_SYNC_RESULT_REJECTED);

  /* The office's request and a status move reach the kiosk without personal data. */
  assert_true (payam_store_set_status (f->office, other, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  office_reply = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  pulled = pull_all (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL);
  assert_int_equal (pulled->len, 3);  /* its own request, the office's, the move */
  for (guint i = 0; i < pulled->len; i++)
    {
      PayamOp *op = pulled->pdata[i];

      assert_null (strstr (op->value, "0912"));
      assert_null (strstr (op->value, "0935"));
      assert_null (strstr (op->value, "مریم"));
      assert_null (strstr (op->value, "ولیعصر"));
      assert_null (strstr (op->value, "تیر چراغ"));
    }
  seen = payam_store_get_request (f->kiosk, other, &error);
  assert_non_null (seen);
  assert_int_equal (seen->status, PAYAM_STATUS_TRIAGED);
  assert_null (seen->phone);
  assert_string_equal (seen->text, "");
  /* Applying pulled ops wrote nothing to the outbox. */
  assert_int_equal (payam_store_count_outbox (f->kiosk, &error), 0);
}

static void
test_crew_role_and_view (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = add_request (f->office, "چاله", "09121234567");
  g_autofree char *theirs = add_request (f->office, "درخت افتاده", "09351112233");
  g_autofree char *crew_id = payam_store_add_crew (f->office, "گروه یک", NULL, &error);
  g_autofree char *other_crew = payam_store_add_crew (f->office, "گروه دو", NULL, &error);
  g_autoptr(PayamSyncPushReply) early = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(PayamSyncPushReply) setup = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GPtrArray) pulled = NULL;
  g_autoptr(PayamRequest) seen = NULL;
  g_autoptr(PayamRequest) on_server = NULL;
  gboolean saw_masked = FALSE;

  assert_non_null (crew_id);
  /* The crew syncs before its work is given to it: it sees the crews, no request. */
  early = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  before = pull_all (f, f->crew, PAYAM_ROLE_CREW, crew_id);
  assert_int_equal (before->len, 2);
  assert_string_equal (((PayamOp *) before->pdata[0])->entity, "crew");
  assert_int_equal (query_int (f->crew, "SELECT count(*) FROM request"), 0);

  /* Its cursor is past the requests' creation: the assignment sends them again. */
  assert_true (payam_store_assign_crew (f->office, mine, crew_id, &error));
  assert_true (payam_store_assign_crew (f->office, theirs, other_crew, &error));
  setup = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  for (guint i = 0; i < setup->results->len; i++)
    if (result_at (setup, i) != PAYAM_SYNC_RESULT_APPLIED)
      fail_msg ("office op %u: %s", i, payam_sync_result_to_string (result_at (setup, i)));

  /* The crew sees its own worksheet's request, with the phone masked, and not the other. */
  pulled = pull_all (f, f->crew, PAYAM_ROLE_CREW, crew_id);
  for (guint i = 0; i < pulled->len; i++)
    {
      PayamOp *op = pulled->pdata[i];

      assert_null (strstr (op->value, "09121234567"));
      assert_false (g_strcmp0 (op->row_id, theirs) == 0);
      if (strstr (op->value, "*******4567") != NULL)
        saw_masked = TRUE;
    }
  assert_true (saw_masked);
  seen = payam_store_get_request (f->crew, mine, &error);
  assert_non_null (seen);
  assert_int_equal (seen->status, PAYAM_STATUS_ASSIGNED);
  assert_string_equal (seen->phone, "*******4567");
  assert_null (payam_store_get_request (f->crew, theirs, NULL));

  /* It may start its work; an edit of the text is refused, the rest of the batch goes on. */
  assert_true (payam_store_sync_set_field (f->crew, "request", mine, "text", "\"عوض\"",
                                           &error));
  assert_true (payam_store_set_status (f->crew, mine, PAYAM_STATUS_IN_PROGRESS,
                                       PAYAM_ROLE_CREW, NULL, &error));
  reply = push_all (f, f->crew, PAYAM_ROLE_CREW, crew_id);
  assert_int_equal (reply->results->len, 2);
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_REJECTED);
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_APPLIED);
  on_server = payam_store_get_request (f->server, mine, &error);
  assert_int_equal (on_server->status, PAYAM_STATUS_IN_PROGRESS);
  assert_string_equal (on_server->text, "چاله");
  /* The other crew may not touch it. */
  {
    g_autoptr(PayamSyncPushReply) other = NULL;
    g_autoptr(PayamStore) stranger = open_store (f, 6);
    g_autoptr(GPtrArray) ops = NULL;

    if (!payam_store_sync_apply_page (stranger, before, 0, 0, &error) ||
        !payam_store_sync_apply_page (stranger, pulled, 0, 0, &error))
      fail_msg ("stranger: %s", error->message);
    assert_true (payam_store_set_status (stranger, mine, PAYAM_STATUS_NOT_POSSIBLE,
                                         PAYAM_ROLE_CREW, "نمی‌شود", &error));
    ops = payam_store_sync_list_outbox (stranger, 0, 0, &error);
    assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (stranger),
                                        PAYAM_ROLE_CREW, other_crew, ops, f->now_ms, &other,
                                        &error));
    assert_int_equal (result_at (other, 0), PAYAM_SYNC_RESULT_REJECTED);
  }
}

static void
test_conflicts_kept (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "متن اول", NULL);
  g_autoptr(PayamSyncPushReply) r1 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(GPtrArray) p1 = pull_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamSyncPushReply) r2 = NULL;
  g_autoptr(PayamSyncPushReply) r3 = NULL;
  g_autoptr(PayamSyncPushReply) r4 = NULL;
  g_autoptr(PayamSyncPushReply) r5 = NULL;
  g_autoptr(GPtrArray) p2 = NULL;
  g_autoptr(GPtrArray) p3 = NULL;
  g_autoptr(PayamRequest) a = NULL;
  g_autoptr(PayamRequest) b = NULL;

  /* Both offices edit the text offline; the later stamp wins everywhere, the other is kept. */
  assert_true (payam_store_sync_set_field (f->office, "request", id, "text", "\"از یک\"",
                                           &error));
  f->now_ms += 1000;
  assert_true (payam_store_sync_set_field (f->office2, "request", id, "text", "\"از دو\"",
                                           &error));
  r2 = push_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (r2, 0), PAYAM_SYNC_RESULT_APPLIED);
  r3 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (r3, 0), PAYAM_SYNC_RESULT_CONFLICT);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict WHERE kind = "
                                          "'concurrent-edit' AND lost_value = '\"از یک\"' "
                                          "AND kept_value = '\"از دو\"'"), 1);

  /* Done by the office, then a stale in_progress made offline on the other office device
   * (stamped later) cannot undo it: a stale-status conflict. */
  assert_true (payam_store_set_status (f->office, id, PAYAM_STATUS_ASSIGNED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  r4 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  p2 = pull_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  assert_true (payam_store_set_status (f->office, id, PAYAM_STATUS_DONE, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  f->now_ms += 5000;
  assert_true (payam_store_set_status (f->office2, id, PAYAM_STATUS_IN_PROGRESS,
                                       PAYAM_ROLE_CREW, NULL, &error));
  g_clear_pointer (&r4, payam_sync_push_reply_free);
  r4 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  r5 = push_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (r5, r5->results->len - 1), PAYAM_SYNC_RESULT_CONFLICT);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict WHERE kind = "
                                          "'stale-status'"), 1);
  p3 = pull_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  g_clear_pointer (&p3, g_ptr_array_unref);
  p3 = pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  a = payam_store_get_request (f->office, id, &error);
  b = payam_store_get_request (f->office2, id, &error);
  assert_int_equal (a->status, PAYAM_STATUS_DONE);
  assert_int_equal (b->status, PAYAM_STATUS_DONE);
  assert_string_equal (a->text, "از دو");
  assert_string_equal (b->text, "از دو");
  /* The server's conflict rows reach the office devices with their pull. */
  assert_int_equal (query_int (f->office, "SELECT count(*) FROM conflict"),
                    query_int (f->server, "SELECT count(*) FROM conflict"));
  assert_int_equal (query_int (f->office2, "SELECT count(*) FROM conflict WHERE kind = "
                                           "'stale-status'"), 1);
}

static void
test_own_ops_and_gone (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "یک", NULL);
  g_autofree char *id2 = add_request (f->office2, "دو", NULL);
  g_autoptr(PayamSyncPushReply) r1 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamSyncPushReply) r2 = push_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(GPtrArray) pulled = pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(PayamStore) late = open_store (f, 7);
  gint64 next;
  gboolean more;

  assert_int_equal (pulled->len, 2);
  assert_int_equal (payam_store_sync_get_cursor (f->office, &error), 2);
  assert_int_equal (payam_store_count_outbox (f->office, &error), 0);
  assert_int_equal (query_int (f->office, "SELECT count(*) FROM request"), 2);

  /* A late duplicate of an old page never moves the cursor back. */
  assert_true (payam_store_sync_apply_page (f->office, pulled, 1, 0, &error));
  assert_int_equal (payam_store_sync_get_cursor (f->office, &error), 2);

  /* History before seq 2 is gone: a device at 0 must resync; one at 1 may go on. */
  assert_true (payam_store_sync_trim_log (f->server, 2, &error));
  page = payam_store_sync_pull (f->server, PAYAM_ROLE_OFFICE, NULL, 0, 10, &next, &more,
                                &error);
  assert_null (page);
  assert_true (g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GONE));
  g_clear_error (&error);
  page = payam_store_sync_pull (f->server, PAYAM_ROLE_OFFICE, NULL, 1, 10, &next, &more,
                                &error);
  assert_non_null (page);
  assert_int_equal (page->len, 1);
  assert_int_equal (next, 2);
  assert_false (more);
  /* Duplicates are still recognised after the trim. */
  {
    g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
    g_autoptr(PayamSyncPushReply) again = NULL;
    PayamOp *op = payam_op_copy (page->pdata[0]);

    op->server_seq = 0;
    g_ptr_array_add (ops, op);
    assert_true (payam_store_sync_push (f->server, op->device_id, PAYAM_ROLE_OFFICE, NULL, ops,
                                        f->now_ms, &again, &error));
    assert_int_equal (result_at (again, 0), PAYAM_SYNC_RESULT_DUPLICATE);
  }
}

static void
test_page_is_atomic (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "یک", NULL);
  g_autofree char *id2 = add_request (f->office, "دو", NULL);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->office, 0, 0, &error);
  PayamOp *damaged;

  damaged = ops->pdata[1];
  g_free (damaged->value);
  damaged->value = g_strdup ("{\"text\": ");
  assert_false (payam_store_sync_apply_page (f->office2, ops, 2, 0, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_APPLY));
  /* Neither op nor the cursor moved. */
  assert_int_equal (query_int (f->office2, "SELECT count(*) FROM request"), 0);
  assert_int_equal (payam_store_sync_get_cursor (f->office2, NULL), 0);
}

static void
test_set_field (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "چاله", NULL);
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(PayamRequest) r = NULL;
  PayamOp *op;

  assert_true (payam_store_sync_set_field (f->office, "request", id, "text", "\"چالهٔ بزرگ\"",
                                           &error));
  ops = payam_store_sync_list_outbox (f->office, 1, 0, &error);
  assert_int_equal (ops->len, 1);
  op = ops->pdata[0];
  assert_string_equal (op->field, "text");
  assert_string_equal (op->value, "\"چالهٔ بزرگ\"");
  /* The base is the row's version as created. */
  assert_true (op->base_hlc != 0 && op->base_hlc < op->hlc);
  r = payam_store_get_request (f->office, id, &error);
  assert_string_equal (r->text, "چالهٔ بزرگ");

  assert_false (payam_store_sync_set_field (f->office, "request", id, "tracking_code",
                                            "\"1\"", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_sync_set_field (f->office, "request", id, "text", "12", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_sync_set_field (f->office, "request", "nope", "text", "\"x\"",
                                            &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  assert_int_equal (payam_store_count_outbox (f->office, NULL), 2);
}

/* A value the schema refuses (a category the office does not have) rejects that op alone,
 * kept as a conflict of kind "rejected"; a device skips such an op rather than stall. */
static void
test_schema_refuses (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "یک", NULL);
  g_autofree char *id2 = add_request (f->office, "دو", NULL);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->office, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  PayamOp *bad = ops->pdata[0];
  char *at = strstr (bad->value, "\"asphalt\"");

  assert_non_null (at);
  memcpy (at, "\"nothing", 8);
  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (f->office),
                                      PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error));
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_REJECTED);
  assert_string_equal (g_array_index (reply->results, PayamSyncOpResult, 0).reason,
                       "invalid-value");
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict "
                                          "WHERE kind = 'rejected'"), 1);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM request"), 1);

  /* On a device: skipped, the rest of the page applied, the cursor moved. */
  assert_true (payam_store_sync_apply_page (f->office2, ops, 9, 0, &error));
  assert_int_equal (query_int (f->office2, "SELECT count(*) FROM request"), 1);
  assert_int_equal (payam_store_sync_get_cursor (f->office2, NULL), 9);
}

/* Two desks make a worksheet for the same group offline: the schema allows one per group,
 * so the second is refused (and kept for review), not silently dropped. */
static void
test_second_worksheet_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->office, "چاله", NULL);
  g_autofree char *group = payam_store_ensure_group (f->office, id, &error);
  g_autoptr(PayamSyncPushReply) r1 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(GPtrArray) p1 = pull_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  g_autofree char *w1 = payam_store_ensure_worksheet (f->office, id, &error);
  g_autofree char *w2 = payam_store_ensure_worksheet (f->office2, id, &error);
  g_autoptr(PayamSyncPushReply) r2 = NULL;
  g_autoptr(PayamSyncPushReply) r3 = NULL;

  assert_non_null (group);
  assert_non_null (w1);
  assert_non_null (w2);
  assert_string_not_equal (w1, w2);
  r2 = push_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (r2, 0), PAYAM_SYNC_RESULT_APPLIED);
  r3 = push_all (f, f->office2, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (result_at (r3, 0), PAYAM_SYNC_RESULT_REJECTED);
  assert_string_equal (g_array_index (r3->results, PayamSyncOpResult, 0).reason,
                       "invalid-value");
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM worksheet"), 1);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict WHERE kind = "
                                          "'rejected' AND entity = 'worksheet'"), 1);
}

/* The server's own writes reach the devices through its own log. */
static void
test_server_own_writes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->server, "ثبت در دفتر مرکزی", NULL);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GPtrArray) pulled = NULL;
  g_autoptr(PayamRequest) seen = NULL;

  assert_true (payam_store_set_status (f->server, id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                       NULL, &error));
  reply = push_all (f, f->server, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (reply->results->len, 2);
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_SUPERSEDED);
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_SUPERSEDED);
  assert_int_equal (payam_store_count_outbox (f->server, &error), 0);
  pulled = pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (pulled->len, 2);
  seen = payam_store_get_request (f->office, id, &error);
  assert_non_null (seen);
  assert_int_equal (seen->status, PAYAM_STATUS_TRIAGED);
}

/* The server's "registered" notices for request @id (kind registered), of every state. */
static gint64
count_registered (PayamStore *server,
                  const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM notice WHERE kind = "
                                          "'registered' AND request_id = '%s'", id);

  return query_int (server, sql);
}

/* The text of the server's registered notice for @id (one only). */
static char *
registered_text (PayamStore *server,
                 const char *id)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  assert_int_equal (sqlite3_prepare_v2 (server->db, "SELECT text, channel, state FROM notice "
                                        "WHERE kind = 'registered' AND request_id = ?1",
                                        -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  assert_string_equal ((const char *) sqlite3_column_text (stmt, 1), "sms");
  assert_string_equal ((const char *) sqlite3_column_text (stmt, 2), "pending");
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  return text;
}

/* Issue #17 (#14's registered outcome): a kiosk's new request whose citizen gave a phone
 * queues one "registered" text message on the server, with the code and no contact; never
 * a second (the same batch again, the create under a new number, the server's own push),
 * none without a phone or for a refused request, and it holds up neither the close rule
 * nor coverage. */
static void
test_registered_notice (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *with_phone = add_request (f->kiosk, "دریچهٔ فاضلاب باز است", "09121234567");
  g_autofree char *without = add_request (f->kiosk, "چاله در کوچه", NULL);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->kiosk, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamSyncPushReply) again = NULL;
  g_autoptr(PayamSyncPushReply) renumbered = NULL;
  g_autoptr(GPtrArray) resent = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;
  g_autofree char *rejected = NULL;
  const PayamCoverageRow *row;
  PayamOp *copy;

  /* The kiosk keeps the contact sealed: nothing in clear in what it sends. */
  assert_int_equal (ops->len, 2);
  assert_null (strstr (((PayamOp *) ops->pdata[0])->value, "09121234567"));
  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (f->kiosk),
                                      PAYAM_ROLE_KIOSK, NULL, ops, f->now_ms, &reply, &error));
  assert_int_equal (result_at (reply, 0), PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (result_at (reply, 1), PAYAM_SYNC_RESULT_APPLIED);

  assert_int_equal (count_registered (f->server, with_phone), 1);
  assert_int_equal (count_registered (f->server, without), 0);
  assert_int_equal (query_int (f->server, "SELECT count (*) FROM notice"), 1);
  request = payam_store_get_request (f->server, with_phone, &error);
  assert_non_null (request);
  assert_string_equal (request->phone, "09121234567");
  text = registered_text (f->server, with_phone);
  code = payam_tracking_code_format_inline (request->tracking_code);
  assert_non_null (strstr (text, code));
  assert_null (strstr (text, "09121234567"));
  assert_null (strstr (text, "مریم"));
  assert_null (strstr (text, "فاضلاب"));
  /* Published at once through the server's log: an office desk pulls it. */
  {
    g_autoptr(GPtrArray) pulled = pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL);

    assert_int_equal (count_registered (f->office, with_phone), 1);
    assert_int_equal (payam_store_count_outbox (f->server, &error), 0);
  }

  /* The reply was lost: the same batch again. */
  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (f->kiosk),
                                      PAYAM_ROLE_KIOSK, NULL, ops, f->now_ms, &again, &error));
  assert_int_equal (result_at (again, 0), PAYAM_SYNC_RESULT_DUPLICATE);
  assert_int_equal (count_registered (f->server, with_phone), 1);
  /* The create sent again under a new number (a kiosk that lost its commits). */
  copy = payam_op_copy (ops->pdata[0]);
  copy->device_seq = 3;
  g_free (copy->op_id);
  copy->op_id = payam_uuid7_new ();
  g_ptr_array_add (resent, copy);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (f->kiosk),
                              PAYAM_ROLE_KIOSK, NULL, resent, f->now_ms, &renumbered, &error))
    fail_msg ("push again: %s", error->message);
  assert_int_equal (result_at (renumbered, 0), PAYAM_SYNC_RESULT_SUPERSEDED);
  assert_int_equal (count_registered (f->server, with_phone), 1);
  /* The server's own push of its outbox (the notice's op) makes none either. */
  g_clear_pointer (&reply, payam_sync_push_reply_free);
  reply = push_all (f, f->server, PAYAM_ROLE_OFFICE, NULL);
  assert_int_equal (count_registered (f->server, with_phone), 1);

  /* Refused (a kiosk that does not seal): no request, no notice. */
  {
    g_autofree char *plain = add_request (f->office, "چاله", "09127654321");
    g_autoptr(PayamSyncPushReply) refused = push_all (f, f->office, PAYAM_ROLE_KIOSK, NULL);

    assert_int_equal (result_at (refused, 0), PAYAM_SYNC_RESULT_REJECTED);
    assert_int_equal (count_registered (f->server, plain), 0);
  }
  /* Filed on the server itself (as Open311 does) and published: one notice. */
  {
    g_autofree char *own = add_request (f->server, "درخت افتاده", "09351112233");
    g_autoptr(PayamSyncPushReply) published = NULL;
    g_autoptr(PayamSyncPushReply) republished = NULL;

    assert_int_equal (count_registered (f->server, own), 0);
    published = push_all (f, f->server, PAYAM_ROLE_OFFICE, NULL);
    assert_int_equal (result_at (published, 0), PAYAM_SYNC_RESULT_SUPERSEDED);
    assert_int_equal (count_registered (f->server, own), 1);
    republished = push_all (f, f->server, PAYAM_ROLE_OFFICE, NULL);
    assert_int_equal (count_registered (f->server, own), 1);
  }

  /* News on the way, not an outcome: the request closes once the rejection is told, the
   * registered message still waiting; coverage counts the outcome alone. */
  assert_true (payam_store_triage_reject (f->server, with_phone, "خارج از محدودهٔ ناحیه",
                                          &error));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM notice WHERE request_id = "
                                            "'%s' AND kind = 'outcome'", with_phone);

    assert_int_equal (query_int (f->server, sql), 1);
  }
  {
    sqlite3_stmt *stmt = NULL;

    assert_int_equal (sqlite3_prepare_v2 (f->server->db, "SELECT id FROM notice WHERE "
                                          "kind = 'outcome' AND request_id = ?1", -1, &stmt,
                                          NULL), SQLITE_OK);
    sqlite3_bind_text (stmt, 1, with_phone, -1, SQLITE_STATIC);
    assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
    rejected = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  coverage = payam_store_get_coverage (f->server, PAYAM_COVERAGE_OVERALL, &error);
  row = coverage->pdata[0];
  assert_int_equal (row->owed, 1);
  assert_int_equal (row->told, 0);
  assert_int_equal (row->queued, 1);
  assert_true (payam_store_mark_notice_sent (f->server, rejected, &error));
  g_clear_pointer (&coverage, g_ptr_array_unref);
  coverage = payam_store_get_coverage (f->server, PAYAM_COVERAGE_OVERALL, &error);
  row = coverage->pdata[0];
  assert_int_equal (row->owed, 1);
  assert_int_equal (row->told, 1);
  if (!payam_store_set_status (f->server, with_phone, PAYAM_STATUS_CLOSED, PAYAM_ROLE_OFFICE,
                               NULL, &error))
    fail_msg ("close: %s", error->message);
  /* Closed, and the registered message is still the one, still waiting to go. */
  g_free (text);
  text = registered_text (f->server, with_phone);
}

/* The sync helpers' statements are prepared once per store: one in use (stepping rows) is
 * never handed out again, and one given back comes back reset with its bindings cleared. */
static void
test_statements_cached (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *sql = "SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2) "
                    "WHERE ?1 IS NULL OR value = ?1 ORDER BY value";
  g_autofree char *built = g_strdup (sql);
  PayamStmt *first;
  PayamStmt *again;

  {
    g_autoptr(PayamStmt) outer = _payam_store_prepare_cached (f->server, sql, &error);
    g_autoptr(PayamStmt) inner = NULL;

    assert_non_null (outer);
    first = outer;
    sqlite3_bind_int (outer, 1, 2);
    assert_int_equal (sqlite3_step (outer), SQLITE_ROW);
    assert_int_equal (sqlite3_column_int (outer, 0), 2);
    /* The same text at another address, while the first is in use: a second statement. */
    inner = _payam_store_prepare_cached (f->server, built, &error);
    assert_non_null (inner);
    assert_ptr_not_equal (inner, outer);
    assert_int_equal (sqlite3_step (inner), SQLITE_ROW);
    assert_int_equal (sqlite3_column_int (inner, 0), 1);
  }
  /* Both given back: the first again, its binding of 2 cleared (both rows). */
  {
    g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (f->server, built, &error);

    assert_ptr_equal (stmt, first);
    assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
    assert_int_equal (sqlite3_column_int (stmt, 0), 1);
    assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
    assert_int_equal (sqlite3_column_int (stmt, 0), 2);
  }
  /* Another store has statements of its own. */
  again = _payam_store_prepare_cached (f->office, sql, &error);
  assert_non_null (again);
  assert_ptr_not_equal (again, first);
  _payam_stmt_done (again);
  /* SQL that does not compile: an error, nothing cached. */
  assert_null (_payam_store_prepare_cached (f->server, "SELECT FROM nowhere", &error));
  assert_non_null (error);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_push_ack_duplicate, setup, teardown),
    cmocka_unit_test_setup_teardown (test_gap_and_foreign, setup, teardown),
    cmocka_unit_test_setup_teardown (test_clock_ahead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_role_and_view, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crew_role_and_view, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflicts_kept, setup, teardown),
    cmocka_unit_test_setup_teardown (test_own_ops_and_gone, setup, teardown),
    cmocka_unit_test_setup_teardown (test_page_is_atomic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_set_field, setup, teardown),
    cmocka_unit_test_setup_teardown (test_server_own_writes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_schema_refuses, setup, teardown),
    cmocka_unit_test_setup_teardown (test_second_worksheet_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_registered_notice, setup, teardown),
    cmocka_unit_test_setup_teardown (test_statements_cached, setup, teardown),
  };

  return cmocka_run_group_tests_name ("store-sync", tests, NULL, NULL);
}
