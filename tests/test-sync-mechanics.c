/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the sync mechanics of issue #9: no silent loss, clocks, parents, pages, the log. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "payam-store-private.h"
#include "payam-store-sync-private.h"
#include "payam-store-groups.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-test-kiosk.h"
#include "sim-vfs.h"

#define T0 G_GINT64_CONSTANT (1795000000000)
#define MINUTE_MS G_GINT64_CONSTANT (60000)

typedef struct {
  gint64      now_ms;
  gint64      kiosk_ms;  /* the kiosk's own clock */
  PayamStore *server;
  PayamStore *office;
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
open_store (gint64 *clock,
            guint   prefix)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);

  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, clock);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, prefix, &error));
  return store;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->now_ms = T0;
  f->kiosk_ms = T0;
  f->server = open_store (&f->now_ms, 1);
  f->office = open_store (&f->now_ms, 2);
  f->kiosk = open_store (&f->kiosk_ms, 4);
  payam_test_make_sealing_kiosk (f->kiosk, 4, f->server);
  f->crew = open_store (&f->now_ms, 5);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->server);
  g_clear_object (&f->office);
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
query_text (PayamStore *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static char *
add_request (PayamStore *store,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text,
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (store, &draft, &error);

  assert_non_null (r);
  return g_strdup (r->id);
}

/* Push the whole outbox of @device as @role at the server's clock and acknowledge the
 * reply as a device does; returns the reply. */
static PayamSyncPushReply *
push_all (Fixture    *f,
          PayamStore *device,
          PayamRole   role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (device, 0, 0, &error);
  PayamSyncPushReply *reply = NULL;

  assert_non_null (ops);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (device), role, NULL, ops,
                              f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_true (payam_store_sync_ack (device, reply->acked_through, reply->results,
                                     reply->server_hlc, &error));
  return reply;
}

/* No silent loss: an op the server refuses leaves the outbox only as a refused op kept on
 * both sides with its reason; the office sees both values. */
static void
test_refused_ops_kept (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_request (f->kiosk, "چاله جلوی مدرسه");
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *lost = NULL;
  PayamSyncRefusal *r;

  /* A kiosk may not edit a request's words. */
  assert_true (payam_store_sync_set_field (f->kiosk, "request", id, "text", "\"دیگر\"",
                                           &error));
  reply = push_all (f, f->kiosk, PAYAM_ROLE_KIOSK);
  assert_int_equal (reply->acked_through, 2);
  assert_int_equal (g_array_index (reply->results, PayamSyncOpResult, 1).result,
                    PAYAM_SYNC_RESULT_REJECTED);
  assert_int_equal (payam_store_count_outbox (f->kiosk, &error), 0);

  /* The device shows what was refused and why. */
  refused = payam_store_sync_list_refused (f->kiosk, &error);
  assert_non_null (refused);
  assert_int_equal (refused->len, 1);
  r = refused->pdata[0];
  assert_int_equal (r->device_seq, 2);
  assert_string_equal (r->entity, "request");
  assert_string_equal (r->row_id, id);
  assert_string_equal (r->field, "text");
  assert_string_equal (r->value, "\"دیگر\"");
  assert_string_equal (r->reason, "role");

  /* The server keeps it for the office: the refused value beside the one it holds. */
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict WHERE kind = "
                                          "'rejected' AND reason = 'role'"), 1);
  kept = query_text (f->server, "SELECT kept_value FROM conflict WHERE reason = 'role'");
  lost = query_text (f->server, "SELECT lost_value FROM conflict WHERE reason = 'role'");
  assert_string_equal (kept, "\"چاله جلوی مدرسه\"");
  assert_string_equal (lost, "\"دیگر\"");
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM sync_log WHERE "
                                          "result = 'rejected' AND reason = 'role'"), 1);
}

/* Push @device's outbox as a sync round does: acknowledge, take the server's time, and
 * once more when that re-based the clock. Returns the number of rounds trips. */
static guint
push_round (Fixture    *f,
            PayamStore *device,
            PayamRole   role)
{
  g_autoptr(GError) error = NULL;
  guint trips = 0;

  for (;;)
    {
      g_autoptr(PayamSyncPushReply) reply = push_all (f, device, role);
      gboolean rebased = FALSE;

      trips++;
      assert_true (payam_store_sync_observe_server_time (device, reply->server_time,
                                                         reply->acked_through, &rebased,
                                                         &error));
      if (!rebased || trips > 1)
        return trips;
    }
}

/* Case 1: a kiosk that booted a year ahead, then had its clock set right, loses nothing:
 * the server refuses its ops from the future unacknowledged, the kiosk re-bases on the
 * server's time and sends them again. A kiosk whose clock stays ahead stamps by the
 * server's time. */
static void
test_clock_ahead_rebased (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;

  f->kiosk_ms = T0 + 365 * 24 * 60 * MINUTE_MS;
  g_free (add_request (f->kiosk, "ساعت جلو"));
  /* NTP sets the clock right; the hybrid clock stays a year ahead. */
  f->kiosk_ms = T0;
  for (int i = 0; i < 6; i++)
    g_free (add_request (f->kiosk, "پس از تنظیم ساعت"));

  assert_int_equal (push_round (f, f->kiosk, PAYAM_ROLE_KIOSK), 2);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM request"), 7);
  assert_int_equal (payam_store_count_outbox (f->kiosk, &error), 0);
  refused = payam_store_sync_list_refused (f->kiosk, &error);
  assert_int_equal (refused->len, 0);
  assert_true (payam_store_sync_is_flagged (f->server, payam_store_get_device_id (f->kiosk)));
  /* Every stamp the server holds is within its bound, and the kiosk agrees on them. */
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM sync_log WHERE hlc > "
                                          "printf ('%012x-ffff', 1795000600000)"), 0);
  assert_int_equal (query_int (f->kiosk, "SELECT count(*) FROM request WHERE hlc > "
                                         "(1795000600000 << 16)"), 0);

  /* The clock jumps ahead again and stays: stamps follow the server's time. */
  f->kiosk_ms = T0 + 2 * 60 * MINUTE_MS;
  g_free (add_request (f->kiosk, "هنوز جلو"));
  assert_int_equal (push_round (f, f->kiosk, PAYAM_ROLE_KIOSK), 2);
  g_free (add_request (f->kiosk, "باز هم جلو"));
  assert_int_equal (push_round (f, f->kiosk, PAYAM_ROLE_KIOSK), 1);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM request"), 9);
  assert_int_equal (payam_store_count_outbox (f->kiosk, &error), 0);
  /* Back to the right time: the offset goes. */
  f->kiosk_ms = T0 + MINUTE_MS;
  assert_true (payam_store_sync_observe_server_time (f->kiosk, f->now_ms, -1, NULL, &error));
  assert_int_equal (f->kiosk->clock_offset_ms, 0);
}

/* Pull to the end in pages of @limit as @role, as a device does; fails when a page does not
 * apply or one cursor is asked for more than twice. Returns the pages pulled. */
static guint
pull_all (Fixture    *f,
          PayamStore *device,
          PayamRole   role,
          const char *crew_id,
          guint       limit)
{
  g_autoptr(GError) error = NULL;
  gboolean more = TRUE;
  gint64 last = -1;
  guint same = 0;
  guint pages = 0;

  while (more)
    {
      gint64 cursor = payam_store_sync_get_cursor (device, NULL);
      gint64 next;
      g_autoptr(GPtrArray) page = NULL;

      same = cursor == last ? same + 1 : 0;
      if (same >= 2)
        fail_msg ("cursor %" G_GINT64_FORMAT " asked for three times", cursor);
      last = cursor;
      page = payam_store_sync_pull (f->server, role, crew_id, cursor, limit, &next, &more,
                                    &error);
      assert_non_null (page);
      assert_true (page->len <= limit);
      if (!payam_store_sync_apply_page (device, page, next, 0, &error))
        {
          /* A device retries the same page in its next round: it must go through. */
          g_clear_error (&error);
          more = TRUE;
          continue;
        }
      pages++;
    }
  return pages;
}

/* The lead of the only group of @store. */
static char *
group_lead (PayamStore *store)
{
  return query_text (store, "SELECT coalesce (lead_request_id, '') FROM dup_group");
}

/* Case 2: a group whose lead the server refused fails alone, at once, with its reason; the
 * batch and everything the device records later go through. */
static void
test_missing_lead_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *r0 = add_request (f->office, "چاله اول");
  g_autofree char *r1 = add_request (f->office, "چاله دوم");
  g_autofree char *group = payam_store_merge (f->office, r0, r1, FALSE, &error);
  g_autofree char *lead = group_lead (f->office);
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->office, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamSyncPushReply) later = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  gboolean group_refused = FALSE;

  assert_non_null (group);
  /* The lead's create does not pass the server (here: a damaged value). */
  for (guint i = 0; i < ops->len; i++)
    {
      PayamOp *op = ops->pdata[i];

      if (strcmp (op->entity, "request") == 0 && strcmp (op->row_id, lead) == 0 &&
          strcmp (op->field, "*") == 0)
        {
          g_free (op->value);
          op->value = g_strdup ("{\"category\":1}");
        }
    }
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (f->office),
                              PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error))
    fail_msg ("the batch failed: %s", error->message);
  assert_int_equal (reply->acked_through, ((PayamOp *) ops->pdata[ops->len - 1])->device_seq);
  for (guint i = 0; i < reply->results->len; i++)
    {
      const PayamSyncOpResult *r = &g_array_index (reply->results, PayamSyncOpResult, i);

      if (strcmp (((PayamOp *) ops->pdata[i])->entity, "dup_group") == 0 &&
          strcmp (((PayamOp *) ops->pdata[i])->field, "*") == 0)
        {
          assert_int_equal (r->result, PAYAM_SYNC_RESULT_REJECTED);
          assert_string_equal (r->reason, "unknown-parent");
          group_refused = TRUE;
        }
    }
  assert_true (group_refused);
  assert_true (payam_store_sync_ack (f->office, reply->acked_through, reply->results,
                                     reply->server_hlc, &error));
  refused = payam_store_sync_list_refused (f->office, &error);
  assert_true (refused->len >= 2);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM conflict WHERE "
                                          "reason = 'unknown-parent'"), 1);

  /* What the office records next is not stuck behind it. */
  g_free (add_request (f->office, "بعدی"));
  later = push_all (f, f->office, PAYAM_ROLE_OFFICE);
  assert_int_equal (g_array_index (later->results, PayamSyncOpResult, 0).result,
                    PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (payam_store_count_outbox (f->office, &error), 0);
}

/* Case 3: a crew pulls a group whose first lead it never receives (split off before the
 * crew was assigned); every page applies, in pages of any size, and the crew ends with the
 * server's lead. */
static void
test_pull_missing_lead (void **state)
{
  Fixture *f = *state;
  static const guint limits[] = { 1, 2, 3, 500 };
  g_autoptr(GError) error = NULL;
  g_autofree char *r0 = add_request (f->office, "چاله اول");
  g_autofree char *r1 = add_request (f->office, "چاله دوم");
  g_autofree char *crew_id = payam_store_add_crew (f->office, "اکیپ یک", NULL, &error);
  g_autofree char *group = payam_store_merge (f->office, r0, r1, FALSE, &error);
  g_autofree char *server_lead = NULL;

  assert_non_null (group);
  assert_true (payam_store_set_group_lead (f->office, r0, &error));
  g_clear_pointer (&group, g_free);
  assert_true (payam_store_split (f->office, r0, &error));
  assert_true (payam_store_assign_crew (f->office, r1, crew_id, &error));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  server_lead = group_lead (f->server);
  assert_string_equal (server_lead, r1);

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autoptr(PayamStore) crew = open_store (&f->now_ms, 6);
      g_autofree char *lead = NULL;

      pull_all (f, crew, PAYAM_ROLE_CREW, crew_id, limits[i]);
      lead = group_lead (crew);
      assert_string_equal (lead, r1);
      assert_int_equal (query_int (crew, "SELECT count(*) FROM request"), 1);
      assert_int_equal (payam_store_sync_get_cursor (crew, NULL),
                        query_int (f->server, "SELECT max (server_seq) FROM sync_log"));
    }
}

/* Case 6: a crew newly assigned a group of 400 requests gets its backfill in pages no
 * larger than it asked for, each going on where the last stopped. */
static void
test_backfill_bounded (void **state)
{
  Fixture *f = *state;
  static const guint limits[] = { 1000, 97, 7 };
  g_autoptr(GError) error = NULL;
  g_autofree char *lead = add_request (f->office, "چاله بزرگ");
  g_autofree char *crew_id = payam_store_add_crew (f->office, "اکیپ یک", NULL, &error);
  g_autofree char *group = NULL;
  gint64 before, end;

  for (int i = 0; i < 400; i++)
    {
      g_autofree char *member = add_request (f->office, "همان چاله");

      g_free (group);
      group = payam_store_merge (f->office, lead, member, FALSE, &error);
      assert_non_null (group);
    }
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  /* The crew has pulled everything before it is given the group. */
  assert_int_equal (pull_all (f, f->crew, PAYAM_ROLE_CREW, crew_id, 1000) > 0, TRUE);
  assert_int_equal (query_int (f->crew, "SELECT count(*) FROM request"), 0);
  before = query_int (f->server, "SELECT max (server_seq) FROM sync_log");
  assert_true (payam_store_assign_crew (f->office, lead, crew_id, &error));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  end = query_int (f->server, "SELECT max (server_seq) FROM sync_log");

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autoptr(PayamStore) crew = open_store (&f->now_ms, 6);
      guint pages;

      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      /* Every other crew has pulled up to the assignment too. */
      if (i > 0)
        assert_true (payam_store_sync_apply_page (crew, none, before, 0, &error));
      pages = pull_all (f, crew, PAYAM_ROLE_CREW, crew_id, limits[i]);
      assert_true (pages >= 1);
      assert_int_equal (query_int (crew, "SELECT count(*) FROM request"), 401);
      assert_int_equal (query_int (crew, "SELECT count(*) FROM request WHERE group_id IS NULL"),
                        0);
      assert_int_equal (query_int (crew, "SELECT count(*) FROM request WHERE status = "
                                         "'assigned'"), 401);
      assert_int_equal (payam_store_sync_get_cursor (crew, NULL), end);
    }
  /* The crew that was there before the assignment gets the same. */
  pull_all (f, f->crew, PAYAM_ROLE_CREW, crew_id, 50);
  assert_int_equal (query_int (f->crew, "SELECT count(*) FROM request"), 401);
  assert_int_equal (payam_store_sync_get_cursor (f->crew, NULL), end);
}

/* Case 7: a trim that empties the log does not make the server hand out its numbers again;
 * a device whose cursor is past them gets what comes next. */
static void
test_trim_keeps_numbers (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 end;

  for (int i = 0; i < 5; i++)
    g_free (add_request (f->office, "پیش از برش"));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  pull_all (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL, 100);
  end = payam_store_sync_get_cursor (f->kiosk, NULL);
  assert_int_equal (end, 5);

  assert_true (payam_store_sync_trim_log (f->server, end + 1, &error));
  assert_int_equal (payam_store_sync_count_log (f->server, NULL), 0);
  g_free (add_request (f->office, "پس از برش"));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  assert_int_equal (query_int (f->server, "SELECT min (server_seq) FROM sync_log"), end + 1);
  pull_all (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL, 100);
  assert_int_equal (query_int (f->kiosk, "SELECT count(*) FROM request"), 6);
}

/* Push @device's outbox; on a reused seq or a gap, renumber from the server's expected seq
 * and push again, as a sync round does. */
static PayamSyncPushReply *
push_renumbering (Fixture    *f,
                  PayamStore *device,
                  gboolean   *renumbered)
{
  g_autoptr(GError) error = NULL;

  *renumbered = FALSE;
  for (;;)
    {
      g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (device, 0, 0, &error);
      g_autoptr(PayamSyncPushReply) reply = NULL;

      if (payam_store_sync_push (f->server, payam_store_get_device_id (device),
                                 PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error))
        {
          assert_true (payam_store_sync_ack (device, reply->acked_through, reply->results,
                                             reply->server_hlc, &error));
          return g_steal_pointer (&reply);
        }
      assert_false (*renumbered);
      assert_true (g_error_matches (error, PAYAM_STORE_SYNC_ERROR,
                                    PAYAM_STORE_SYNC_ERROR_REUSED) ||
                   g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GAP));
      g_clear_error (&error);
      assert_true (payam_store_sync_ack (device, reply->acked_through, NULL, 0, &error));
      assert_true (payam_store_sync_renumber (device, reply->expected_seq,
                                                reply->server_hlc, &error));
      *renumbered = TRUE;
    }
}

/* The server's store as a file at @path, through the power-cutting VFS, committing with
 * synchronous FULL when @durable (as payam-server does) or NORMAL (as before issue #9). */
static PayamStore *
open_server_file (Fixture    *f,
                  const char *path,
                  gboolean    durable)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store;

  payam_sim_vfs_watch (path);
  store = payam_store_open (path, &error);
  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, &f->now_ms);
  assert_true (payam_store_set_durable (store, durable, &error));
  return store;
}

/* The power goes on the server at @path and comes back: what it had not synced is lost. */
static PayamStore *
power_cut (Fixture    *f,
           PayamStore *server,
           const char *path,
           gboolean    durable)
{
  payam_sim_vfs_power_cut ();
  g_object_unref (server);
  payam_sim_vfs_restart ();
  return open_server_file (f, path, durable);
}

/* Case 10: a device restored from an older copy of its file reuses seqs the server holds;
 * the server refuses them (never a duplicate), the device renumbers and nothing is lost.
 * And a server that lost commits it had acknowledged (synchronous NORMAL, then a power
 * cut) does not leave the device stuck on a gap; with FULL it loses none. */
static void
test_restored_device_renumbers (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payam-restore-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "device.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);
  g_autofree char *server_path = g_build_filename (dir, "server.db", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", backup);
  g_autoptr(PayamStore) device = NULL;
  g_autoptr(PayamStore) restored = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *text = NULL;
  gboolean renumbered;

  g_clear_object (&f->server);
  f->server = open_server_file (f, server_path, FALSE);
  assert_true (payam_store_load_defaults (f->server, &error));
  assert_true (payam_store_set_device_prefix (f->server, 1, &error));

  device = payam_store_open (path, &error);
  assert_non_null (device);
  payam_store_set_now_func (device, clock_of, &f->now_ms);
  assert_true (payam_store_load_defaults (device, &error));
  assert_true (payam_store_set_device_prefix (device, 7, &error));
  device_id = g_strdup (payam_store_get_device_id (device));
  first = add_request (device, "پیش از پشتیبان");
  g_free (push_all (f, device, PAYAM_ROLE_OFFICE));
  /* The backup is taken, then more is recorded and synced. */
  assert_int_equal (sqlite3_exec (device->db, vacuum, NULL, NULL, NULL), SQLITE_OK);
  g_free (add_request (device, "پس از پشتیبان ۱"));
  g_free (add_request (device, "پس از پشتیبان ۲"));
  g_free (push_all (f, device, PAYAM_ROLE_OFFICE));
  g_clear_object (&device);
  /* The server's disk is written through up to here (a checkpoint syncs). */
  assert_int_equal (sqlite3_exec (f->server->db, "PRAGMA wal_checkpoint (FULL)", NULL, NULL,
                                  NULL), SQLITE_OK);

  /* The device comes back from the backup and records something new under seq 2. */
  restored = payam_store_open (backup, &error);
  assert_non_null (restored);
  payam_store_set_now_func (restored, clock_of, &f->now_ms);
  assert_string_equal (payam_store_get_device_id (restored), device_id);
  /* (An edit: a new request would reuse a tracking code too, which the server refuses.) */
  assert_true (payam_store_sync_set_field (restored, "request", first, "text",
                                           "\"پس از بازگردانی\"", &error));
  reply = push_renumbering (f, restored, &renumbered);
  assert_true (renumbered);
  assert_int_equal (reply->acked_through, 4);
  assert_int_equal (g_array_index (reply->results, PayamSyncOpResult, 0).result,
                    PAYAM_SYNC_RESULT_APPLIED);
  assert_int_equal (query_int (f->server, "SELECT count(*) FROM request"), 3);
  text = query_text (f->server, "SELECT text FROM request ORDER BY created_at, id LIMIT 1");
  assert_string_equal (text, "پس از بازگردانی");
  assert_int_equal (payam_store_count_outbox (restored, &error), 0);
  g_clear_pointer (&reply, payam_sync_push_reply_free);

  /* The power goes: with synchronous NORMAL the server loses seq 4, which it had
   * acknowledged (the device deleted it). The next push is a gap; the device renumbers
   * from what the server expects and goes on. */
  f->server = power_cut (f, f->server, server_path, FALSE);
  assert_int_equal (query_int (f->server, "SELECT max (device_seq) FROM sync_log"), 3);
  g_free (text);
  text = query_text (f->server, "SELECT text FROM request ORDER BY created_at, id LIMIT 1");
  assert_string_equal (text, "پیش از پشتیبان");
  assert_true (payam_store_sync_set_field (restored, "request", first, "street",
                                           "\"پس از خرابی سرور\"", &error));
  reply = push_renumbering (f, restored, &renumbered);
  assert_true (renumbered);
  assert_int_equal (reply->acked_through, 4);
  assert_int_equal (payam_store_count_outbox (restored, &error), 0);
  g_clear_pointer (&reply, payam_sync_push_reply_free);

  /* With synchronous FULL (payam-server's), what was acknowledged outlives the cut. */
  assert_true (payam_store_set_durable (f->server, TRUE, &error));
  assert_true (payam_store_sync_set_field (restored, "request", first, "landmark",
                                           "\"و بعد\"", &error));
  reply = push_renumbering (f, restored, &renumbered);
  assert_false (renumbered);
  assert_int_equal (reply->acked_through, 5);
  f->server = power_cut (f, f->server, server_path, TRUE);
  assert_int_equal (query_int (f->server, "SELECT max (device_seq) FROM sync_log"), 5);
  assert_true (payam_sim_vfs_lost_bytes () > 0);

  g_clear_object (&restored);
  g_clear_object (&f->server);
  payam_sim_vfs_watch (NULL);
  {
    const char *const files[] = { path, backup, server_path };

    for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *wal = g_strconcat (files[i], "-wal", NULL);
        g_autofree char *shm = g_strconcat (files[i], "-shm", NULL);

        g_remove (files[i]);
        g_remove (wal);
        g_remove (shm);
      }
  }
  g_rmdir (dir);
}

/* Seed 5807 of the simulator: a desk's backup holds ops it had not yet pushed; it pushes
 * them and one more, comes back from the backup and records a new status, which takes the
 * seq of that one more. Its next push sends only the first old ops (a push carries a few):
 * the reply must not acknowledge the new op, which the server never got, or the desk
 * deletes it. */
static void
test_restored_ack_covers_sent (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payam-restore-XXXXXX", &error);
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);
  g_autofree char *wal = g_strconcat (backup, "-wal", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", backup);
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *status = NULL;
  g_autoptr(PayamStore) desk = open_store (&f->now_ms, 7);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  gboolean renumbered;

  id = add_request (desk, "پیش از پشتیبان");
  other = add_request (desk, "دومی");
  assert_int_equal (sqlite3_exec (desk->db, vacuum, NULL, NULL, NULL), SQLITE_OK);
  g_free (push_all (f, desk, PAYAM_ROLE_OFFICE));
  assert_true (payam_store_sync_set_field (desk, "request", other, "street", "\"ولیعصر\"",
                                           &error));
  g_free (push_all (f, desk, PAYAM_ROLE_OFFICE));
  g_clear_object (&desk);

  desk = payam_store_open (backup, &error);
  assert_non_null (desk);
  payam_store_set_now_func (desk, clock_of, &f->now_ms);
  assert_true (payam_store_set_status (desk, id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE, NULL,
                                       &error));
  assert_int_equal (payam_store_count_outbox (desk, &error), 3);
  /* The first push carries the old ops only. */
  first = payam_store_sync_list_outbox (desk, 0, 2, &error);
  assert_true (payam_store_sync_push (f->server, payam_store_get_device_id (desk),
                                      PAYAM_ROLE_OFFICE, NULL, first, f->now_ms, &reply,
                                      &error));
  assert_int_equal (reply->acked_through, 2);
  assert_true (payam_store_sync_ack (desk, reply->acked_through, reply->results,
                                     reply->server_hlc, &error));
  assert_int_equal (payam_store_count_outbox (desk, &error), 1);
  g_clear_pointer (&reply, payam_sync_push_reply_free);
  reply = push_renumbering (f, desk, &renumbered);
  assert_true (renumbered);
  assert_int_equal (payam_store_count_outbox (desk, &error), 0);
  sql = g_strdup_printf ("SELECT status FROM request WHERE id = '%s'", id);
  status = query_text (f->server, sql);
  assert_string_equal (status, "triaged");

  g_clear_object (&desk);
  g_remove (backup);
  g_remove (wal);
  g_rmdir (dir);
}

/* Seed 1873 of the simulator: a desk records a request while its clock runs a year ahead,
 * a backup of its file is taken, the server refuses the create as from the future and the
 * desk sends it again re-stamped; the office then edits the request. The desk comes back
 * from the backup, where the create is still unsent and stamped a year ahead: renumbered, it
 * goes out stamped after the office's edit, and the server keeps its row (a create never
 * overwrites one). The desk must end with the server's row: a create of its own never
 * outranks an edit it pulls. */
static void
test_restored_create_yields (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payam-restore-XXXXXX", &error);
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);
  g_autofree char *wal = g_strconcat (backup, "-wal", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", backup);
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *on_server = NULL;
  g_autofree char *on_desk = NULL;
  g_autoptr(PayamStore) desk = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  gint64 desk_ms = T0 + 365 * 24 * 60 * MINUTE_MS;
  gboolean renumbered;

  desk = open_store (&desk_ms, 7);
  id = add_request (desk, "پیش از پشتیبان");
  assert_int_equal (sqlite3_exec (desk->db, vacuum, NULL, NULL, NULL), SQLITE_OK);
  desk_ms = T0;
  assert_int_equal (push_round (f, desk, PAYAM_ROLE_OFFICE), 2);
  assert_int_equal (payam_store_count_outbox (desk, &error), 0);

  /* The office edits the request after it reached the server. */
  f->now_ms += MINUTE_MS;
  desk_ms += MINUTE_MS;
  pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL, 50);
  assert_true (payam_store_sync_set_field (f->office, "request", id, "text",
                                           "\"ویرایش دفتر\"", &error));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));

  /* The desk comes back from its backup (its clock right by now), pulls, and sends its
   * create again under the seq the server expects. */
  g_clear_object (&desk);
  f->now_ms += MINUTE_MS;
  desk_ms += MINUTE_MS;
  desk = payam_store_open (backup, &error);
  assert_non_null (desk);
  payam_store_set_now_func (desk, clock_of, &desk_ms);
  pull_all (f, desk, PAYAM_ROLE_OFFICE, NULL, 50);
  reply = push_renumbering (f, desk, &renumbered);
  assert_true (renumbered);
  /* Its hybrid clock came back a year ahead with the file: refused, re-based, sent. */
  assert_true (payam_store_sync_observe_server_time (desk, reply->server_time,
                                                     reply->acked_through, NULL, &error));
  push_round (f, desk, PAYAM_ROLE_OFFICE);
  assert_int_equal (payam_store_count_outbox (desk, &error), 0);
  pull_all (f, desk, PAYAM_ROLE_OFFICE, NULL, 50);

  sql = g_strdup_printf ("SELECT text FROM request WHERE id = '%s'", id);
  on_server = query_text (f->server, sql);
  on_desk = query_text (desk, sql);
  assert_string_equal (on_server, "ویرایش دفتر");
  assert_string_equal (on_desk, on_server);

  /* And so it stays for what the office writes next. */
  f->now_ms += MINUTE_MS;
  pull_all (f, f->office, PAYAM_ROLE_OFFICE, NULL, 50);
  assert_true (payam_store_sync_set_field (f->office, "request", id, "street", "\"ولیعصر\"",
                                           &error));
  g_free (push_all (f, f->office, PAYAM_ROLE_OFFICE));
  pull_all (f, desk, PAYAM_ROLE_OFFICE, NULL, 50);
  g_free (sql);
  sql = g_strdup_printf ("SELECT coalesce (street, '') FROM request WHERE id = '%s'", id);
  g_free (on_desk);
  on_desk = query_text (desk, sql);
  assert_string_equal (on_desk, "ولیعصر");

  g_clear_object (&desk);
  g_remove (backup);
  g_remove (wal);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_refused_ops_kept, setup, teardown),
    cmocka_unit_test_setup_teardown (test_clock_ahead_rebased, setup, teardown),
    cmocka_unit_test_setup_teardown (test_missing_lead_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pull_missing_lead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_backfill_bounded, setup, teardown),
    cmocka_unit_test_setup_teardown (test_trim_keeps_numbers, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restored_device_renumbers, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restored_create_yields, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restored_ack_covers_sent, setup, teardown),
  };

  payam_sim_vfs_install ();
  return cmocka_run_group_tests_name ("sync-mechanics", tests, NULL, NULL);
}
