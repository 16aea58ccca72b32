/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Office desks and the crews, through the real server on 127.0.0.1.
 * - Issue #13 conflicts on office devices: two office desks change one request's priority
 *   while apart; the server's conflict row reaches both desks with their next sync; one
 *   decides it (takes the value that lost), the decision and the value reach the server and
 *   the other desk, where deciding it again says who did.
 * - Issue #12: the reason the office gives for changing a worksheet a crew holds reaches
 *   that crew with the change (office desk → server → crew laptop), is kept in the audit of
 *   every replica, and never shows on a public face (track, Open311, a kiosk, notices). */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "payam-crew-sheets.h"
#include "payam-store-conflicts.h"
#include "payam-queue-item.h"
#include "payam-store-groups.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-store-sync.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"
#include "payam-sync-round.h"
#include "payam-test-server.h"

typedef struct {
  PayamStore           *store;
  PayamSyncRoundCounts  counts;
  GError               *error;
} RoundJob;

static gpointer
round_job (gpointer data)
{
  RoundJob *job = data;
  g_autoptr(PayamSyncClient) client = payam_sync_client_new_for_store (job->store, &job->error);

  if (client != NULL)
    payam_sync_round (client, job->store, &job->counts, NULL, &job->error);
  return NULL;
}

/* One sync round of @store; fails the test on an error or unless @refused ops were
 * refused. */
static void
sync_round_refused (PayamStore *store,
                    const char *who,
                    guint       refused)
{
  RoundJob job = { store, };

  payam_test_run_client (round_job, &job);
  if (job.error != NULL)
    fail_msg ("%s: %s", who, job.error->message);
  if (job.counts.ops_rejected != refused)
    fail_msg ("%s: %u ops refused", who, job.counts.ops_rejected);
}

/* One sync round of @store; fails the test on an error or a refused op. */
static void
sync_round (PayamStore *store,
            const char *who)
{
  sync_round_refused (store, who, 0);
}

/* The first column of the first row of @sql (one text argument) in the database @path, as
 * text; NULL for none. */
static char *
query_text (const char *path,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  char *text = NULL;

  assert_int_equal (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
test_conflict_reaches_office (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) a = payam_test_server_enrol (ts, "a.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) b = payam_test_server_enrol (ts, "b.db", PAYAM_ROLE_OFFICE, NULL);
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  g_autofree char *a_db = g_build_filename (ts->dir, "a.db", NULL);
  g_autofree char *b_db = g_build_filename (ts->dir, "b.db", NULL);
  g_autofree char *conflict_id = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *by = NULL;
  g_autofree char *b_by = NULL;
  g_autofree char *b_kind = NULL;
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ وسط خیابان", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE,
  };

  request = payam_store_add_request (a, &draft, &error);
  assert_non_null (request);
  sync_round (a, "a registers");
  sync_round (b, "b pulls");

  /* Apart: each desk gives the request another priority. */
  payam_store_set_actor (a, "زهرا کریمی");
  payam_store_set_actor (b, "رضا احمدی");
  assert_true (payam_store_triage_set_priority (a, request->id, PAYAM_PRIORITY_URGENT,
                                                "ماشین‌ها آسیب می‌بینند", &error));
  assert_true (payam_store_triage_set_priority (b, request->id, PAYAM_PRIORITY_HIGH,
                                                "چاله کوچک است", &error));
  sync_round (a, "a pushes");
  sync_round (b, "b pushes");
  conflict_id = query_text (server_db, "SELECT id FROM conflict WHERE row_id = ?1 AND field ="
                            " 'priority' AND resolved_at IS NULL", request->id);
  assert_non_null (conflict_id);

  /* The conflict reaches both desks. */
  sync_round (a, "a pulls the conflict");
  sync_round (b, "b pulls the conflict");
  lost = query_text (a_db, "SELECT lost_value FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (lost);
  b_kind = query_text (b_db, "SELECT kind FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (b_kind);

  /* Desk a takes the value that lost; it reaches the server and desk b. */
  assert_true (payam_store_decide_conflict (a, conflict_id, PAYAM_DECISION_OTHER, NULL, &error));
  sync_round (a, "a decides");
  by = query_text (server_db, "SELECT resolved_by FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (by);
  assert_string_equal (by, "زهرا کریمی");
  priority = query_text (server_db, "SELECT priority FROM request WHERE id = ?1", request->id);
  assert_string_equal (priority, lost);
  sync_round (b, "b pulls the decision");
  b_by = query_text (b_db, "SELECT resolved_by FROM conflict WHERE id = ?1", conflict_id);
  assert_non_null (b_by);
  assert_string_equal (b_by, "زهرا کریمی");

  /* Desk b deciding it again is told who decided; nothing changes. */
  assert_false (payam_store_decide_conflict (b, conflict_id, PAYAM_DECISION_KEEP, NULL, &error));
  assert_non_null (error);
  assert_non_null (strstr (error->message, "زهرا کریمی"));

  g_clear_object (&a);
  g_clear_object (&b);
  payam_test_server_free (ts);
  (void) state;
}

typedef struct {
  PayamTestServer *ts;
  const char      *path;
  char            *answer;
  guint            status;
  GError          *error;
} GetJob;

/* GET @path from the test server as anyone would (no device credential). */
static gpointer
get_job (gpointer data)
{
  GetJob *job = data;
  guint8 pin[32];
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(GBytes) body = NULL;

  for (int i = 0; i < 32; i++)
    pin[i] = (guint8) (g_ascii_xdigit_value (job->ts->fingerprint[2 * i]) * 16 +
                       g_ascii_xdigit_value (job->ts->fingerprint[2 * i + 1]));
  client = payam_sync_client_new (job->ts->url, pin, sizeof pin, NULL, &job->error);
  if (client != NULL)
    body = payam_sync_client_send (client, "GET", job->path, NULL, &job->status, NULL,
                                   &job->error);
  if (body != NULL)
    job->answer = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return NULL;
}

/* What anyone gets at @path (HTTP 200 expected). Caller owns it. */
static char *
public_get (PayamTestServer *ts,
            const char      *path)
{
  GetJob job = { ts, path, NULL, 0, NULL };

  payam_test_run_client (get_job, &job);
  if (job.error != NULL)
    fail_msg ("GET %s: %s", path, job.error->message);
  if (job.status != 200)
    fail_msg ("GET %s: HTTP %u: %s", path, job.status, job.answer);
  return job.answer;
}

/* Whether the database @name in @dir (and its write-ahead log) holds the bytes of @text. */
static gboolean
file_holds (const char *dir,
            const char *name,
            const char *text)
{
  const char *suffixes[] = { "", "-wal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s%s", dir, name, suffixes[i]);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      gsize n = strlen (text);

      if (!g_file_get_contents (path, &bytes, &length, NULL))
        continue;
      /* The file holds NULs: compare bytes, not strings. */
      for (gsize at = 0; at + n <= length; at++)
        if (memcmp (bytes + at, text, n) == 0)
          return TRUE;
    }
  return FALSE;
}

/* The crew's only worksheet on @store. */
static PayamCrewSheet *
only_sheet (PayamStore *store,
            const char *crew_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) sheets = payam_store_list_crew_sheets (store, crew_id, &error);

  if (sheets == NULL)
    fail_msg ("sheets: %s", error->message);
  assert_int_equal (g_list_model_get_n_items (sheets), 1);
  return g_list_model_get_item (sheets, 0);
}

/* @why (staff words) is on no public face: the track page of @request, Open311, the kiosk's
 * copy (kiosk.db, synced), the citizens' notices on the server. */
static void
assert_never_public (PayamTestServer    *ts,
                     const PayamRequest *request,
                     const char         *why)
{
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  g_autofree char *track_path = g_strdup_printf ("/v1/track/%s", request->tracking_code);
  g_autofree char *one_path = g_strdup_printf ("/open311/v2/requests/%s.json",
                                               request->tracking_code);
  g_autofree char *notices = NULL;
  const char *paths[] = { track_path, one_path, "/open311/v2/requests.json",
                          "/open311/v2/servicerequestupdates.json" };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *body = public_get (ts, paths[i]);

      if (strstr (body, why) != NULL)
        fail_msg ("%s shows the office's reason: %s", paths[i], body);
    }
  assert_false (file_holds (ts->dir, "kiosk.db", why));
  notices = query_text (server_db, "SELECT count (*) FROM notice WHERE instr (text, ?1) > 0",
                        why);
  assert_string_equal (notices, "0");
}

/* Issue #12: the office's reason for a change reaches the crew holding the worksheet. */
static void
test_why_reaches_crew (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) desk = payam_test_server_enrol (ts, "desk.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) crew = NULL;
  g_autoptr(PayamStore) kiosk = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamCrewSheet) before = NULL;
  g_autoptr(PayamCrewSheet) after = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  g_autofree char *desk_db = g_build_filename (ts->dir, "desk.db", NULL);
  g_autofree char *crew_db = g_build_filename (ts->dir, "crew.db", NULL);
  g_autofree char *logged = NULL;
  g_autofree char *audit_server = NULL;
  g_autofree char *audit_desk = NULL;
  g_autofree char *audit_crew = NULL;
  const PayamCrewSheetInfo *info;
  /* Staff words a citizen must never read. */
  const char *why = "کارشناس بازدید کرد؛ گودال عمیق‌تر از گزارش است";
  PayamRequestDraft draft = {
    .text = "چاله بزرگ وسط خیابان", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE, .phone = "09121234567",
  };

  request = payam_store_add_request (desk, &draft, &error);
  assert_non_null (request);
  crew_id = payam_store_add_crew (desk, "اکیپ آسفالت ۱", "tohid", &error);
  assert_non_null (crew_id);
  assert_true (payam_store_assign_crew (desk, request->id, crew_id, &error));
  sync_round (desk, "the desk assigns");
  crew = payam_test_server_enrol (ts, "crew.db", PAYAM_ROLE_CREW, crew_id);
  kiosk = payam_test_server_enrol (ts, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  sync_round (crew, "the crew takes its work");
  sync_round (kiosk, "the kiosk pulls");
  before = only_sheet (crew, crew_id);
  assert_null (payam_crew_sheet_get_info (before)->office_why);
  assert_int_equal (payam_crew_sheet_get_info (before)->office_changed, 0);

  /* At the desk: urgent, with a reason. */
  payam_store_set_actor (desk, "زهرا کریمی");
  assert_true (payam_store_triage_set_priority (desk, request->id, PAYAM_PRIORITY_URGENT, why,
                                                &error));
  audit_desk = query_text (desk_db, "SELECT count (*) FROM audit WHERE action = 'office-why' "
                           "AND json_extract (detail, '$.why') = ?1", why);
  assert_string_not_equal (audit_desk, "0");
  sync_round (desk, "the desk sends the change");
  logged = query_text (server_db, "SELECT count (*) FROM sync_log WHERE field = 'priority' "
                       "AND why = ?1 AND result = 'applied'", why);
  assert_string_equal (logged, "1");
  audit_server = query_text (server_db, "SELECT count (*) FROM audit WHERE action = "
                             "'office-why' AND json_extract (detail, '$.why') = ?1", why);
  assert_string_not_equal (audit_server, "0");

  /* The crew: the change and why, filed under its worksheet, with the office's time. */
  payam_store_set_actor (crew, "مریم احمدی");
  sync_round (crew, "the crew pulls the change");
  after = only_sheet (crew, crew_id);
  info = payam_crew_sheet_get_info (after);
  assert_int_equal (info->priority, PAYAM_PRIORITY_URGENT);
  assert_non_null (info->office_why);
  assert_string_equal (info->office_why, why);
  assert_true (info->office_changed & PAYAM_OFFICE_CHANGED_PRIORITY);
  assert_false (info->office_changed & PAYAM_OFFICE_CHANGED_CREW);
  assert_non_null (info->office_changed_at);
  now = g_date_time_new_now_utc ();
  assert_true (llabs (g_date_time_difference (now, info->office_changed_at)) <
               5 * 60 * G_TIME_SPAN_SECOND);
  audit_crew = query_text (crew_db, "SELECT count (*) FROM audit WHERE action = 'office-why' "
                           "AND entity = 'worksheet' AND json_extract (detail, '$.why') = ?1",
                           why);
  assert_string_not_equal (audit_crew, "0");
  {
    /* Under the desk it came from, not the crew member signed in on the laptop. */
    g_autofree char *actor = query_text (crew_db, "SELECT actor FROM audit WHERE action = "
                                         "'office-why' AND json_extract (detail, '$.why') = ?1",
                                         why);
    g_autofree char *desk_actor = query_text (desk_db, "SELECT actor FROM audit WHERE action = "
                                              "'office-why' AND json_extract (detail, '$.why') "
                                              "= ?1", why);

    assert_string_equal (actor, payam_store_get_device_id (desk));
    assert_string_equal (desk_actor, "زهرا کریمی");
  }
  /* Its own ops coming back add nothing at the desk. */
  sync_round (desk, "the desk pulls its own change");
  {
    g_autofree char *again = query_text (desk_db, "SELECT count (*) FROM audit WHERE action = "
                                         "'office-why' AND json_extract (detail, '$.why') = ?1",
                                         why);

    assert_string_equal (again, audit_desk);
  }

  /* A later change without a reason (a second message joins the worksheet) is now the
   * office's latest: the crew no longer reads the priority's reason as if it were why. */
  {
    PayamRequestDraft second = {
      .text = "همان چاله، جلوی نانوایی", .category = "asphalt", .neighbourhood = "tohid",
      .channel = PAYAM_CHANNEL_KIOSK,
    };
    g_autoptr(PayamRequest) joined = payam_store_add_request (desk, &second, &error);
    g_autofree char *group = NULL;
    g_autoptr(PayamCrewSheet) later = NULL;
    const PayamCrewSheetInfo *later_info;

    assert_non_null (joined);
    group = payam_store_merge (desk, request->id, joined->id, FALSE, &error);
    assert_non_null (group);
    sync_round (desk, "the desk sends the merge");
    sync_round (crew, "the crew pulls the merge");
    later = only_sheet (crew, crew_id);
    later_info = payam_crew_sheet_get_info (later);
    assert_int_equal (later_info->n_members, 2);
    assert_null (later_info->office_why);
    assert_true (later_info->office_changed & PAYAM_OFFICE_CHANGED_MESSAGES);
    assert_false (later_info->office_changed & PAYAM_OFFICE_CHANGED_PRIORITY);
    assert_non_null (later_info->office_changed_at);
    assert_true (g_date_time_compare (later_info->office_changed_at,
                                      info->office_changed_at) > 0);
  }

  /* The desk gives the work to another crew, with a reason: the crew it is taken from is
   * told why. */
  {
    const char *why_moved = "اکیپ دوم به محل نزدیک‌تر است";
    g_autofree char *other = payam_store_add_crew (desk, "اکیپ آسفالت ۲", "tohid", &error);
    g_autoptr(PayamCrewSheet) moved = NULL;
    const PayamCrewSheetInfo *moved_info;

    assert_non_null (other);
    assert_true (payam_store_assign_crew_why (desk, request->id, other, why_moved, &error));
    sync_round (desk, "the desk reassigns");
    sync_round (crew, "the crew pulls the reassignment");
    moved = only_sheet (crew, crew_id);
    moved_info = payam_crew_sheet_get_info (moved);
    assert_int_equal (moved_info->withdrawal, PAYAM_WITHDRAWAL_REASSIGNED);
    assert_non_null (moved_info->office_why);
    assert_string_equal (moved_info->office_why, why_moved);
    assert_true (moved_info->office_changed & PAYAM_OFFICE_CHANGED_CREW);
    assert_false (moved_info->office_changed & PAYAM_OFFICE_CHANGED_PRIORITY);
  }

  /* Never public: the track page, Open311, a kiosk's copy, the citizens' notices. */
  sync_round (kiosk, "the kiosk pulls the change");
  assert_never_public (ts, request, why);
  assert_true (file_holds (ts->dir, "crew.db", why));

  g_clear_object (&desk);
  g_clear_object (&crew);
  g_clear_object (&kiosk);
  payam_test_server_free (ts);
  (void) state;
}

/* The entries of the office's changes with @why in @request_id's staff timeline on @store,
 * each checked to name what changed (@flag), who (@actor) and when. */
static guint
office_changes (PayamStore *store,
                const char *request_id,
                const char *why,
                guint       flag,
                const char *actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) timeline = payam_store_list_staff_timeline (store, request_id, &error);
  g_autoptr(GPtrArray) open = payam_store_list_timeline (store, request_id, &error);
  guint n = 0;

  assert_non_null (timeline);
  assert_non_null (open);
  for (guint i = 0; i < open->len; i++)
    assert_int_not_equal (((PayamTimelineEntry *) open->pdata[i])->kind,
                          PAYAM_TIMELINE_OFFICE_CHANGE);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *e = timeline->pdata[i];

      if (e->kind != PAYAM_TIMELINE_OFFICE_CHANGE || g_strcmp0 (e->text, why) != 0)
        continue;
      assert_true (e->office_changed & flag);
      assert_true (g_strcmp0 (e->actor, actor) == 0);
      assert_non_null (e->at);
      n++;
    }
  return n;
}

/* Issue #12 item 6: the office takes a message out of a group a crew holds. Without a
 * reason the desk refuses; with one, the crew sees after its sync that a message was taken
 * out, and why, in its list and in the timeline; no public face shows the reason. */
static void
test_split_why_reaches_crew (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) desk = payam_test_server_enrol (ts, "desk.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) crew = NULL;
  g_autoptr(PayamStore) kiosk = NULL;
  g_autoptr(PayamRequest) a = NULL;
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamCrewSheet) before = NULL;
  g_autoptr(PayamCrewSheet) after = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *group = NULL;
  g_autofree char *logged = NULL;
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  const PayamCrewSheetInfo *info;
  const char *why = "پیام دوم دربارهٔ کوچهٔ دیگری است؛ بازرس جدا دیده است";
  PayamRequestDraft first = {
    .text = "چاله بزرگ کوچهٔ یاس", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE, .phone = "09121234567",
  };
  PayamRequestDraft second = {
    .text = "چاله کوچهٔ یاس", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
  };

  a = payam_store_add_request (desk, &first, &error);
  b = payam_store_add_request (desk, &second, &error);
  assert_non_null (a);
  assert_non_null (b);
  group = payam_store_merge (desk, a->id, b->id, FALSE, &error);
  assert_non_null (group);
  crew_id = payam_store_add_crew (desk, "اکیپ آسفالت ۳", "tohid", &error);
  assert_non_null (crew_id);
  assert_true (payam_store_assign_crew (desk, a->id, crew_id, &error));
  sync_round (desk, "the desk assigns the group");
  crew = payam_test_server_enrol (ts, "crew.db", PAYAM_ROLE_CREW, crew_id);
  kiosk = payam_test_server_enrol (ts, "kiosk.db", PAYAM_ROLE_KIOSK, NULL);
  sync_round (crew, "the crew takes its work");
  sync_round (kiosk, "the kiosk pulls");
  before = only_sheet (crew, crew_id);
  assert_int_equal (payam_crew_sheet_get_info (before)->n_members, 2);

  /* The crew holds it: no reason, no change. */
  payam_store_set_actor (desk, "زهرا کریمی");
  assert_false (payam_store_split_why (desk, b->id, "  ", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  {
    g_autoptr(PayamRequest) still = payam_store_get_request (desk, b->id, &error);

    assert_string_equal (still->group_id, group);
  }
  assert_true (payam_store_split_why (desk, b->id, why, &error));
  sync_round (desk, "the desk sends the split");
  logged = query_text (server_db, "SELECT count (*) FROM sync_log WHERE field = 'group_id' "
                       "AND why = ?1 AND result = 'applied'", why);
  assert_string_equal (logged, "1");

  /* The crew: one message left, what and why. */
  payam_store_set_actor (crew, "مریم احمدی");
  sync_round (crew, "the crew pulls the split");
  after = only_sheet (crew, crew_id);
  info = payam_crew_sheet_get_info (after);
  assert_int_equal (info->n_members, 1);
  assert_int_equal (info->withdrawal, PAYAM_WITHDRAWAL_NONE);
  assert_non_null (info->office_why);
  assert_string_equal (info->office_why, why);
  assert_true (info->office_changed & PAYAM_OFFICE_CHANGED_SPLIT);
  assert_false (info->office_changed & PAYAM_OFFICE_CHANGED_CREW);
  /* Its timeline (the worksheet's message) says so, and when; the laptop does not know the
   * desk's name, and names no bare device id. */
  assert_int_equal (office_changes (crew, a->id, why, PAYAM_OFFICE_CHANGED_SPLIT, NULL), 1);
  /* At the desk, the message taken out shows it under the member who did it. */
  assert_int_equal (office_changes (desk, b->id, why, PAYAM_OFFICE_CHANGED_SPLIT,
                                    "زهرا کریمی"), 1);

  sync_round (kiosk, "the kiosk pulls the split");
  assert_never_public (ts, a, why);
  assert_never_public (ts, b, why);
  assert_true (file_holds (ts->dir, "crew.db", why));

  g_clear_object (&desk);
  g_clear_object (&crew);
  g_clear_object (&kiosk);
  payam_test_server_free (ts);
  (void) state;
}

/* Issue #13 item 7: what only a supervisor may do is checked by the server, against its
 * own staff table, on the member each op carries. Accounts made at one desk (by payamctl:
 * no member) reach the server and the other desk. A clerk whose desk's check is bypassed
 * (the local staff row edited to say supervisor) reopens a finished message: the server
 * refuses it as "role" and keeps it, naming the clerk, and the desk lists the refusal. A
 * real supervisor's reopen at the other desk reaches the server and the first desk. */
static void
test_reopen_checked_by_server (void **state)
{
  PayamTestServer *ts = payam_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) a = payam_test_server_enrol (ts, "a.db", PAYAM_ROLE_OFFICE, NULL);
  g_autoptr(PayamStore) b = payam_test_server_enrol (ts, "b.db", PAYAM_ROLE_OFFICE, NULL);
  g_autofree char *server_db = g_build_filename (ts->dir, "server.db", NULL);
  g_autofree char *a_db = g_build_filename (ts->dir, "a.db", NULL);
  g_autofree char *b_db = g_build_filename (ts->dir, "b.db", NULL);
  g_autofree char *boss_id = NULL;
  g_autofree char *clerk_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamStaff) clerk = NULL;
  g_autoptr(PayamStaff) boss = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  const PayamSyncRefusal *last;
  sqlite3 *db = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ وسط خیابان", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE,
  };

  boss_id = payam_store_add_staff (a, "زهرا کریمی", PAYAM_STAFF_ROLE_SUPERVISOR,
                                   "سرپرست-۱۴۰۵-رمز", &error);
  assert_non_null (boss_id);
  clerk_id = payam_store_add_staff (a, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                    "دفتر-۱۴۰۵-رمز", &error);
  assert_non_null (clerk_id);
  request = payam_store_add_request (a, &draft, &error);
  assert_non_null (request);
  assert_true (payam_store_set_status (a, request->id, PAYAM_STATUS_REJECTED, PAYAM_ROLE_OFFICE,
                                       "تکراری است", &error));
  sync_round (a, "a sends the accounts and the message");
  sync_round (b, "b pulls them");
  text = query_text (server_db, "SELECT group_concat (name || ':' || supervisor, ',') FROM "
                     "(SELECT * FROM staff WHERE role = 'office' ORDER BY name)", NULL);
  assert_string_equal (text, "زهرا کریمی:1,علی رضایی:0");
  g_free (text);
  text = query_text (b_db, "SELECT group_concat (name || ':' || supervisor, ',') FROM "
                     "(SELECT * FROM staff WHERE role = 'office' ORDER BY name)", NULL);
  assert_string_equal (text, "زهرا کریمی:1,علی رضایی:0");

  /* The clerk, signed in at desk a whose own staff row was edited to say supervisor. */
  clerk = payam_store_sign_in (a, "علی رضایی", "دفتر-۱۴۰۵-رمز", &error);
  assert_non_null (clerk);
  assert_string_equal (payam_store_get_member (a), clerk_id);
  assert_false (payam_store_supervisor_reopen (a, request->id, "اشتباه رد شد", NULL));
  assert_int_equal (sqlite3_open (a_db, &db), SQLITE_OK);
  assert_int_equal (sqlite3_exec (db, "UPDATE staff SET supervisor = 1", NULL, NULL, NULL),
                    SQLITE_OK);
  sqlite3_close (db);
  if (!payam_store_supervisor_reopen (a, request->id, "اشتباه رد شد", &error))
    fail_msg ("the bypassed check: %s", error->message);
  sync_round_refused (a, "a sends the forged reopen", 1);
  g_free (text);
  text = query_text (server_db, "SELECT status || '/' || status_epoch FROM request WHERE id = ?1",
                     request->id);
  assert_string_equal (text, "rejected/0");
  g_free (text);
  text = query_text (server_db, "SELECT reason || ':' || member FROM sync_log WHERE row_id = ?1 "
                     "AND field = 'status' AND result = 'rejected'", request->id);
  assert_non_null (text);
  assert_true (g_str_has_prefix (text, "role:"));
  assert_string_equal (text + strlen ("role:"), clerk_id);
  g_free (text);
  text = query_text (server_db, "SELECT lost_member FROM conflict WHERE row_id = ?1 AND "
                     "kind = 'rejected' AND reason = 'role'", request->id);
  assert_non_null (text);
  assert_string_equal (text, clerk_id);
  /* The conflict card at desk a names the clerk. */
  sync_round (a, "a pulls the refusal's conflict row");
  {
    g_autoptr(GPtrArray) rows = payam_store_queue_fetch (a, PAYAM_QUEUE_CONFLICTS, 0, 50,
                                                         &error);
    gboolean named = FALSE;

    assert_non_null (rows);
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (payam_queue_item_get_field (rows->pdata[i]), "status") == 0 &&
          g_strcmp0 (payam_queue_item_get_lost_member (rows->pdata[i]), "علی رضایی") == 0)
        named = TRUE;
    assert_true (named);
  }
  refused = payam_store_sync_list_refused (a, &error);
  assert_non_null (refused);
  assert_true (refused->len >= 1);
  last = g_ptr_array_index (refused, refused->len - 1);
  assert_string_equal (last->reason, "role");
  assert_string_equal (last->row_id, request->id);
  assert_string_equal (last->field, "status");

  /* The real supervisor at desk b. */
  boss = payam_store_sign_in (b, "زهرا کریمی", "سرپرست-۱۴۰۵-رمز", &error);
  assert_non_null (boss);
  if (!payam_store_supervisor_reopen (b, request->id, "اشتباه رد شد", &error))
    fail_msg ("the supervisor's reopen: %s", error->message);
  sync_round (b, "b sends the supervisor's reopen");
  g_free (text);
  text = query_text (server_db, "SELECT status || '/' || status_epoch FROM request WHERE id = ?1",
                     request->id);
  assert_string_equal (text, "triaged/1");
  g_free (text);
  text = query_text (server_db, "SELECT member FROM sync_log WHERE row_id = ?1 AND field = "
                     "'status' AND result != 'rejected' ORDER BY server_seq DESC LIMIT 1",
                     request->id);
  assert_string_equal (text, boss_id);
  sync_round (a, "a pulls the reopen");
  g_free (text);
  text = query_text (a_db, "SELECT status || '/' || status_epoch FROM request WHERE id = ?1",
                     request->id);
  assert_string_equal (text, "triaged/1");

  g_clear_object (&a);
  g_clear_object (&b);
  payam_test_server_free (ts);
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_conflict_reaches_office),
    cmocka_unit_test (test_why_reaches_crew),
    cmocka_unit_test (test_split_why_reaches_crew),
    cmocka_unit_test (test_reopen_checked_by_server),
  };

  return cmocka_run_group_tests_name ("office-conflict-sync", tests, NULL, NULL);
}
