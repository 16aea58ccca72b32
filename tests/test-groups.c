/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of duplicate groups: merge, split, lead, worksheets, timelines, notices, merge rules. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "payam-crew-sheets.h"
#include "payam-lifecycle.h"
#include "payam-merge-groups.h"
#include "payam-store-groups.h"
#include "payam-store-worksheets.h"

typedef struct {
  char       *dir;
  char       *path;
  GDateTime  *now;
  PayamStore *store;
} Fixture;

static GDateTime *
fixed_now (gpointer data)
{
  Fixture *f = data;

  return g_date_time_ref (f->now);
}

/* Move the fixture's clock on by @minutes. */
static void
advance (Fixture *f,
         int      minutes)
{
  GDateTime *later = g_date_time_add_minutes (f->now, minutes);

  g_date_time_unref (f->now);
  f->now = later;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-groups-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  /* Sunday 29 November 2026, 13:30 in Tehran: a working day. */
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  if (!payam_store_load_defaults (f->store, &error))
    fail_msg ("defaults: %s", error->message);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

/* A second connection to read rows the API does not expose. */
static gint64
query_int (Fixture    *f,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *f,
           const char *format,
           ...)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  g_autofree char *query = NULL;
  va_list ap;

  va_start (ap, format);
  query = g_strdup_vprintf (format, ap);
  va_end (ap);
  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  if (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg ("%s: %s", query, sqlite3_errmsg (db));
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    fail_msg ("%s: %s", sql, message);
  sqlite3_close (db);
}

static PayamRequest *
add_request (Fixture    *f,
             const char *text,
             const char *phone,
             gboolean    hazard)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text,
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
    .phone = phone,
    .hazard = hazard,
  };
  PayamRequest *request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

static PayamRequest *
reload (Fixture            *f,
        const PayamRequest *request)
{
  g_autoptr(GError) error = NULL;
  PayamRequest *again = payam_store_get_request (f->store, request->id, &error);

  assert_non_null (again);
  return again;
}

static char *
merge (Fixture            *f,
       const PayamRequest *into,
       const PayamRequest *other)
{
  g_autoptr(GError) error = NULL;
  char *group_id = payam_store_merge (f->store, into->id, other->id, FALSE, &error);

  if (group_id == NULL)
    fail_msg ("merge: %s", error->message);
  return group_id;
}

static char *
act (Fixture            *f,
     const PayamRequest *request,
     PayamActionKind     kind,
     const char         *note,
     const char * const *photos,
     PayamRole           role)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { .kind = kind, .note = note, .photos = photos };
  char *id = payam_store_add_action (f->store, request->id, &draft, role, &error);

  if (id == NULL)
    fail_msg ("action %s: %s", payam_action_kind_to_string (kind), error->message);
  return id;
}

static PayamPhoto *
fake_photo (const char *content)
{
  PayamPhoto *photo = g_new0 (PayamPhoto, 1);

  photo->bytes = g_bytes_new (content, strlen (content));
  photo->thumbnail = g_bytes_new ("thumb", 5);
  photo->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
  photo->mime = g_strdup ("image/jpeg");
  photo->width = 640;
  photo->height = 480;
  return photo;
}

/* Counts of a whole database state, to show that a failed change left nothing. */
typedef struct {
  gint64 outbox, audit, groups, grouped, worksheets, actions, notices;
} Counts;

static Counts
counts (Fixture *f)
{
  return (Counts) {
    .outbox = query_int (f, "SELECT count(*) FROM outbox"),
    .audit = query_int (f, "SELECT count(*) FROM audit"),
    .groups = query_int (f, "SELECT count(*) FROM dup_group"),
    .grouped = query_int (f, "SELECT count(*) FROM request WHERE group_id IS NOT NULL"),
    .worksheets = query_int (f, "SELECT count(*) FROM worksheet"),
    .actions = query_int (f, "SELECT count(*) FROM worksheet_action"),
    .notices = query_int (f, "SELECT count(*) FROM notice"),
  };
}

static void
assert_counts_equal (const Counts *a,
                     const Counts *b)
{
  assert_int_equal (a->outbox, b->outbox);
  assert_int_equal (a->audit, b->audit);
  assert_int_equal (a->groups, b->groups);
  assert_int_equal (a->grouped, b->grouped);
  assert_int_equal (a->worksheets, b->worksheets);
  assert_int_equal (a->actions, b->actions);
  assert_int_equal (a->notices, b->notices);
}

/* Outbox device_seq is exactly 1 … n. */
static void
assert_outbox_contiguous (Fixture *f)
{
  gint64 n = query_int (f, "SELECT count(*) FROM outbox");

  assert_int_equal (query_int (f, "SELECT coalesce(min(device_seq), 1) FROM outbox"), 1);
  assert_int_equal (query_int (f, "SELECT coalesce(max(device_seq), 0) FROM outbox"), n);
}

/* ---- merge ------------------------------------------------------------------------------- */

/* Two singles: a group led by the first, confirmed; the highest priority and the earliest
 * deadline on both; ops and audit rows for each change. */
static void
test_merge_singles (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله بزرگ در خیابان", NULL, FALSE);
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamRequest) a2 = NULL;
  g_autoptr(PayamRequest) b2 = NULL;
  g_autoptr(PayamGroup) group = NULL;
  g_autofree char *group_id = NULL;
  g_autoptr(GError) error = NULL;
  gint64 outbox_before;

  advance (f, 30);
  b = add_request (f, "چاله خطرناک وسط خیابان", "09121234567", TRUE);
  /* The precondition of the rule: b is more urgent and due earlier. */
  assert_true (b->priority < a->priority);
  assert_true (g_date_time_compare (b->due_at, a->due_at) < 0);
  outbox_before = query_int (f, "SELECT count(*) FROM outbox");

  group_id = merge (f, a, b);
  group = payam_store_get_group (f->store, group_id, &error);
  assert_non_null (group);
  assert_string_equal (group->lead_request_id, a->id);
  assert_int_equal (group->state, PAYAM_GROUP_CONFIRMED);
  assert_int_equal (group->members->len, 2);
  assert_int_equal (group->priority, b->priority);
  assert_true (g_date_time_equal (group->due_at, b->due_at));
  assert_null (group->worksheet_id);

  a2 = reload (f, a);
  b2 = reload (f, b);
  assert_string_equal (a2->group_id, group_id);
  assert_string_equal (b2->group_id, group_id);
  assert_int_equal (a2->priority, b->priority);
  assert_true (g_date_time_equal (a2->due_at, b->due_at));
  assert_int_equal (b2->priority, b->priority);

  /* Group created, two memberships, a's priority and deadline, the confirmed state, and
   * b's citizen told it joined (a notice). */
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE device_seq > %"
                               G_GINT64_FORMAT, outbox_before), 7);
  assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE kind = 'joined' AND "
                                  "request_id = '%s'", b->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE request_id = '%s'",
                               a->id), 0);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'request' AND "
                                  "field = 'group_id' AND value = '\"%s\"'", group_id), 2);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'request' AND "
                                  "row_id = '%s' AND field = 'priority' AND value = '%d'",
                               a->id, b->priority), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'dup_group' AND "
                                  "field = 'state' AND value = '\"confirmed\"'"), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'join-group' AND "
                                  "row_id = '%s'", b->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'merge-group' AND "
                                  "row_id = '%s' AND actor = 'test'", group_id), 1);
  assert_outbox_contiguous (f);

  /* Merging again inside one group is refused. */
  assert_null (payam_store_merge (f->store, b->id, a->id, FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
}

/* A single into a group, then two groups: the merged group is dissolved, its worksheet's
 * actions move to the surviving worksheet and serve every member. */
static void
test_merge_groups (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) d = add_request (f, "چاله", NULL, TRUE);
  g_autoptr(PayamRequest) e = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) e2 = NULL;
  g_autoptr(PayamGroup) g1 = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autofree char *id1 = merge (f, a, b);
  g_autofree char *id2 = merge (f, c, d);
  g_autofree char *again = NULL;
  g_autofree char *ws1 = NULL;
  g_autofree char *ws2 = NULL;
  g_autofree char *note1 = NULL;
  g_autofree char *note2 = NULL;
  g_autofree char *survivor = NULL;
  g_autoptr(GError) error = NULL;
  guint notes = 0;

  /* A single into a group. */
  again = merge (f, b, e);
  assert_string_equal (again, id1);
  e2 = reload (f, e);
  assert_string_equal (e2->group_id, id1);

  /* Both groups have work recorded. */
  note1 = act (f, a, PAYAM_ACTION_NOTE, "بازدید شد", NULL, PAYAM_ROLE_OFFICE);
  note2 = act (f, c, PAYAM_ACTION_NOTE, "عکس از محل گرفته شد", NULL, PAYAM_ROLE_OFFICE);
  ws1 = payam_store_ensure_worksheet (f->store, a->id, &error);
  ws2 = payam_store_ensure_worksheet (f->store, d->id, &error);
  assert_non_null (ws1);
  assert_non_null (ws2);
  assert_string_not_equal (ws1, ws2);

  g_free (again);
  again = merge (f, a, d);
  assert_string_equal (again, id1);

  g1 = payam_store_get_group (f->store, id1, &error);
  assert_non_null (g1);
  assert_int_equal (g1->members->len, 5);
  assert_string_equal (g1->worksheet_id, ws1);
  /* d was urgent: now everyone is. */
  for (guint i = 0; i < g1->members->len; i++)
    {
      const PayamRequest *m = g_ptr_array_index (g1->members, i);

      assert_int_equal (m->priority, d->priority);
      assert_true (g_date_time_equal (m->due_at, d->due_at));
    }
  assert_int_equal (query_int (f, "SELECT count(*) FROM dup_group WHERE id = '%s' AND "
                                  "state = 'split' AND lead_request_id IS NULL", id2), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM worksheet WHERE id = '%s' AND "
                                  "status = 'merged'", ws2), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM worksheet_action WHERE "
                                  "worksheet_id = '%s'", ws1), 2);
  assert_int_equal (query_int (f, "SELECT count(*) FROM worksheet WHERE id = '%s' AND "
                                  "due_at = (SELECT due_at FROM request WHERE id = '%s')",
                               ws1, d->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = "
                                  "'worksheet_action' AND field = 'worksheet_id' AND row_id = "
                                  "'%s'", note2), 1);
  assert_outbox_contiguous (f);

  /* The note made for the other group is on a's timeline, once for the group. */
  timeline = payam_store_list_timeline (f->store, a->id, &error);
  assert_non_null (timeline);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *entry = g_ptr_array_index (timeline, i);

      if (entry->kind == PAYAM_TIMELINE_ACTION && entry->action == PAYAM_ACTION_NOTE)
        {
          assert_true (entry->for_group);
          notes++;
        }
    }
  assert_int_equal (notes, 2);

  /* The lone worksheet of a group merged into one without a worksheet moves whole. */
  {
    g_autoptr(PayamRequest) x = add_request (f, "چاله", NULL, FALSE);
    g_autoptr(PayamRequest) y = add_request (f, "چاله", NULL, FALSE);
    g_autoptr(PayamRequest) z = add_request (f, "چاله", NULL, FALSE);
    g_autofree char *gx = merge (f, x, y);
    g_autofree char *gz = NULL;
    g_autofree char *noted = act (f, x, PAYAM_ACTION_NOTE, "یادداشت", NULL, PAYAM_ROLE_OFFICE);
    g_autofree char *wsx = payam_store_ensure_worksheet (f->store, x->id, NULL);

    gz = merge (f, z, x);
    assert_string_not_equal (gz, gx);
    survivor = payam_store_ensure_worksheet (f->store, z->id, &error);
    assert_string_equal (survivor, wsx);
    assert_int_equal (query_int (f, "SELECT count(*) FROM worksheet WHERE group_id = '%s'",
                                 gz), 1);
  }
}

/* Only open requests merge; a failure part-way leaves nothing of the change. */
static void
test_merge_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = NULL;
  Counts before, after;

  assert_true (payam_store_set_status (f->store, c->id, PAYAM_STATUS_REJECTED,
                                       PAYAM_ROLE_OFFICE, "تکراری", &error));
  before = counts (f);
  assert_null (payam_store_merge (f->store, a->id, c->id, FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_merge (f->store, a->id, "018f2a6b-2000-7000-8000-00000000ffff",
                                  FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  after = counts (f);
  assert_counts_equal (&before, &after);

  /* The group and memberships are written before the state: a failure there undoes all. */
  exec_sql (f, "CREATE TRIGGER fail_state BEFORE UPDATE OF state ON dup_group "
               "BEGIN SELECT RAISE (ABORT, 'disk trouble'); END");
  assert_null (payam_store_merge (f->store, a->id, b->id, FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL));
  g_clear_error (&error);
  after = counts (f);
  assert_counts_equal (&before, &after);
  assert_outbox_contiguous (f);

  /* The store is usable afterwards and the counters did not skip. */
  exec_sql (f, "DROP TRIGGER fail_state");
  group_id = merge (f, a, b);
  assert_non_null (group_id);
  assert_outbox_contiguous (f);
}

/* ---- split and lead ---------------------------------------------------------------------- */

static void
test_split (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) a2 = NULL;
  g_autoptr(PayamGroup) group = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = merge (f, a, b);
  g_autofree char *again = merge (f, a, c);
  g_autofree char *before_split = NULL;
  g_autofree char *after_split = NULL;
  gboolean saw_before = FALSE, saw_after = FALSE, saw_split = FALSE;

  advance (f, 10);
  before_split = act (f, b, PAYAM_ACTION_NOTE, "پیش از جدا شدن", NULL, PAYAM_ROLE_OFFICE);
  advance (f, 10);
  assert_true (payam_store_split (f->store, a->id, &error));
  advance (f, 10);
  after_split = act (f, b, PAYAM_ACTION_NOTE, "پس از جدا شدن", NULL, PAYAM_ROLE_OFFICE);

  a2 = reload (f, a);
  assert_null (a2->group_id);
  assert_int_equal (a2->status, PAYAM_STATUS_REGISTERED);
  group = payam_store_get_group (f->store, group_id, &error);
  assert_int_equal (group->members->len, 2);
  /* The lead left: the earliest remaining member leads. */
  assert_string_equal (group->lead_request_id, b->id);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'request' AND "
                                  "row_id = '%s' AND field = 'group_id' AND value = 'null'",
                               a->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'leave-group' "
                                  "AND row_id = '%s'", a->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'split-group' "
                                  "AND row_id = '%s'", group_id), 1);

  /* a keeps the work done while it was a member, not what came after. */
  timeline = payam_store_list_timeline (f->store, a->id, &error);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *entry = g_ptr_array_index (timeline, i);

      saw_before |= g_strcmp0 (entry->ref, before_split) == 0;
      saw_after |= g_strcmp0 (entry->ref, after_split) == 0;
      saw_split |= entry->kind == PAYAM_TIMELINE_SPLIT;
    }
  assert_true (saw_before);
  assert_false (saw_after);
  assert_true (saw_split);

  /* A single cannot split; nor can the last member of a group of one. */
  assert_false (payam_store_split (f->store, a->id, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_true (payam_store_split (f->store, b->id, &error));
  assert_false (payam_store_split (f->store, c->id, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
}

static void
test_choose_lead (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamGroup) group = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = merge (f, a, b);
  gint64 outbox;

  assert_true (payam_store_set_group_lead (f->store, b->id, &error));
  group = payam_store_get_group (f->store, group_id, &error);
  assert_string_equal (group->lead_request_id, b->id);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'dup_group' AND "
                                  "field = 'lead_request_id' AND value = '\"%s\"'", b->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'set-group-lead' "
                                  "AND row_id = '%s'", group_id), 1);

  /* Choosing the same lead again writes nothing. */
  outbox = query_int (f, "SELECT count(*) FROM outbox");
  assert_true (payam_store_set_group_lead (f->store, b->id, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox"), outbox);

  /* A proposed group is confirmed once; a merge by a person confirms too. */
  {
    g_autoptr(PayamRequest) x = add_request (f, "چاله", NULL, FALSE);
    g_autoptr(PayamRequest) y = add_request (f, "چاله", NULL, FALSE);
    g_autoptr(PayamGroup) proposed = NULL;
    g_autoptr(PayamGroup) confirmed = NULL;
    g_autofree char *gx = payam_store_merge (f->store, x->id, y->id, TRUE, &error);

    assert_non_null (gx);
    proposed = payam_store_get_group (f->store, gx, &error);
    assert_int_equal (proposed->state, PAYAM_GROUP_PROPOSED);
    assert_true (payam_store_confirm_group (f->store, y->id, &error));
    confirmed = payam_store_get_group (f->store, gx, &error);
    assert_int_equal (confirmed->state, PAYAM_GROUP_CONFIRMED);
    outbox = query_int (f, "SELECT count(*) FROM outbox");
    assert_true (payam_store_confirm_group (f->store, x->id, &error));
    assert_int_equal (query_int (f, "SELECT count(*) FROM outbox"), outbox);
    assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = "
                                    "'confirm-group' AND row_id = '%s'", gx), 1);
    assert_false (payam_store_confirm_group (f->store, c->id, &error));
    assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
    g_clear_error (&error);
    assert_true (payam_store_split (f->store, x->id, &error));
  }

  assert_false (payam_store_set_group_lead (f->store, c->id, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);

  groups = payam_store_list_groups (f->store, 2, &error);
  assert_int_equal (groups->len, 1);
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = payam_store_list_groups (f->store, 3, &error);
  assert_int_equal (groups->len, 0);
}

/* ---- worksheet, outcome, notices, timelines ---------------------------------------------- */

static gboolean
timeline_has (GPtrArray         *timeline,
              PayamTimelineKind  kind,
              int                detail,
              gboolean           for_group)
{
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *e = g_ptr_array_index (timeline, i);

      if (e->kind != kind || e->for_group != for_group)
        continue;
      if (kind == PAYAM_TIMELINE_ACTION && (int) e->action != detail)
        continue;
      if (kind == PAYAM_TIMELINE_STATUS && (int) e->status != detail)
        continue;
      return TRUE;
    }
  return FALSE;
}

/* The whole path: a crew assigned, started, a photo, done, once for three citizens; each
 * gets a notice, each timeline shows all of it, and closing waits for every notice. */
static void
test_done_reaches_every_member (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", "09121234567", FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", "09351112233", FALSE);
  g_autoptr(PayamPhoto) photo = fake_photo ("evidence");
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = merge (f, a, b);
  g_autofree char *again = merge (f, a, c);
  g_autofree char *crew = NULL;
  g_autofree char *photo_action = NULL;
  g_autofree char *done = NULL;
  const char *photos[] = { photo->sha256, NULL };
  const PayamRequest *members[] = { a, b, c };

  crew = payam_store_add_crew (f->store, "اکیپ آسفالت ۱", "tohid", &error);
  assert_non_null (crew);
  assert_true (payam_store_add_photo (f->store, photo, &error));

  /* A crew cannot start work the office has not assigned. */
  {
    Counts before = counts (f), after;
    PayamActionDraft start = { .kind = PAYAM_ACTION_START };

    assert_null (payam_store_add_action (f->store, a->id, &start, PAYAM_ROLE_CREW, &error));
    assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE));
    g_clear_error (&error);
    after = counts (f);
    assert_counts_equal (&before, &after);
  }

  advance (f, 60);
  assert_true (payam_store_assign_crew (f->store, b->id, crew, &error));
  advance (f, 60);
  g_free (act (f, c, PAYAM_ACTION_START, NULL, NULL, PAYAM_ROLE_CREW));
  advance (f, 60);
  photo_action = act (f, a, PAYAM_ACTION_PHOTO, "پیش از آسفالت", photos, PAYAM_ROLE_CREW);
  advance (f, 60);
  done = act (f, b, PAYAM_ACTION_DONE, "آسفالت شد", NULL, PAYAM_ROLE_CREW);

  assert_int_equal (query_int (f, "SELECT count(*) FROM worksheet WHERE group_id = '%s' AND "
                                  "status = 'done' AND crew_id = '%s'", group_id, crew), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = "
                                  "'worksheet_action_photo' AND row_id = '%s/%s'",
                               photo_action, photo->sha256), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE kind = 'outcome'"), 3);
  assert_outbox_contiguous (f);

  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(PayamRequest) m = reload (f, members[i]);
      g_autoptr(GPtrArray) timeline = payam_store_list_timeline (f->store, m->id, &error);
      const PayamTimelineEntry *first;
      gboolean saw_photo = FALSE;

      assert_int_equal (m->status, PAYAM_STATUS_DONE);
      assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE request_id = '%s' AND "
                                      "kind = 'outcome' AND state = 'pending' AND "
                                      "channel = '%s'", m->id,
                                   m->phone != NULL ? "sms" : "tracking-code"), 1);
      assert_non_null (timeline);
      first = g_ptr_array_index (timeline, 0);
      assert_int_equal (first->kind, PAYAM_TIMELINE_REGISTERED);
      assert_false (first->for_group);
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_ASSIGNED, 0, TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_ACTION, PAYAM_ACTION_START, TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_ACTION, PAYAM_ACTION_DONE, TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_STATUS, PAYAM_STATUS_ASSIGNED, TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_STATUS, PAYAM_STATUS_IN_PROGRESS,
                                 TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_STATUS, PAYAM_STATUS_DONE, TRUE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_NOTICE, 0, FALSE));
      assert_true (timeline_has (timeline, PAYAM_TIMELINE_MERGED, 0, FALSE) || i == 0);
      for (guint j = 0; j < timeline->len; j++)
        {
          const PayamTimelineEntry *e = g_ptr_array_index (timeline, j);

          if (e->kind == PAYAM_TIMELINE_ASSIGNED)
            assert_string_equal (e->text, "اکیپ آسفالت ۱");
          if (e->kind == PAYAM_TIMELINE_ACTION && e->action == PAYAM_ACTION_PHOTO)
            {
              assert_string_equal (e->photos[0], photo->sha256);
              assert_null (e->photos[1]);
              assert_string_equal (e->actor, "test");
              saw_photo = TRUE;
            }
          /* Oldest first. */
          if (j > 0)
            {
              const PayamTimelineEntry *prev = g_ptr_array_index (timeline, j - 1);

              assert_true (g_date_time_compare (prev->at, e->at) <= 0);
            }
          /* The outcome's notice comes after the action and the move it follows; the news
           * before it (joined, assigned) are notices too. */
          if (e->kind == PAYAM_TIMELINE_NOTICE)
            assert_int_equal (query_int (f, "SELECT kind = 'outcome' FROM notice WHERE id = "
                                            "'%s'", e->ref), j == timeline->len - 1);
          if (j == timeline->len - 1)
            assert_int_equal (e->kind, PAYAM_TIMELINE_NOTICE);
        }
      assert_true (saw_photo);
    }

  /* Closing needs every member's outcome notice sent: one citizen told is not enough, and
   * news (joined, assigned) told to all of them counts for nothing. */
  {
    g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) news = g_ptr_array_new_with_free_func (g_free);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal (sqlite3_prepare_v2 (db, "SELECT id, kind = 'outcome' FROM notice "
                                          "ORDER BY request_id", -1, &stmt, NULL), SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (sqlite3_column_int (stmt, 1) ? notices : news,
                       g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    assert_int_equal (notices->len, 3);
    assert_true (news->len >= 3);  /* each member's assigned notice, the joiners' joined */

    for (guint i = 0; i < news->len; i++)
      assert_true (payam_store_mark_notice_sent (f->store, news->pdata[i], &error));
    for (guint i = 0; i < notices->len; i++)
      {
        assert_false (payam_store_set_status (f->store, a->id, PAYAM_STATUS_CLOSED,
                                              PAYAM_ROLE_OFFICE, NULL, &error));
        assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                      PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING));
        g_clear_error (&error);
        assert_true (payam_store_mark_notice_sent (f->store, notices->pdata[i], &error));
      }
    for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
      assert_true (payam_store_set_status (f->store, members[i]->id, PAYAM_STATUS_CLOSED,
                                           PAYAM_ROLE_OFFICE, NULL, &error));
  }

  /* A finished worksheet takes notes, not another outcome. */
  {
    PayamActionDraft again_done = { .kind = PAYAM_ACTION_DONE };

    assert_null (payam_store_add_action (f->store, a->id, &again_done, PAYAM_ROLE_OFFICE,
                                         &error));
    assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
    g_clear_error (&error);
    g_free (act (f, a, PAYAM_ACTION_NOTE, "شهروند تشکر کرد", NULL, PAYAM_ROLE_OFFICE));
  }
}

/* not_possible needs a reason (nothing written without one) and tells every citizen why. */
static void
test_not_possible (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = merge (f, a, b);
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ ۲", NULL, &error);
  PayamActionDraft draft = { .kind = PAYAM_ACTION_NOT_POSSIBLE, .note = "  " };
  Counts before, after;

  assert_true (payam_store_assign_crew (f->store, a->id, crew, &error));
  before = counts (f);
  assert_null (payam_store_add_action (f->store, a->id, &draft, PAYAM_ROLE_CREW, &error));
  assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                PAYAM_LIFECYCLE_ERROR_REASON_REQUIRED));
  g_clear_error (&error);
  after = counts (f);
  assert_counts_equal (&before, &after);

  g_free (act (f, b, PAYAM_ACTION_NOT_POSSIBLE, "لوله گاز زیر آسفالت است", NULL,
               PAYAM_ROLE_CREW));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PayamRequest) m = reload (f, i == 0 ? a : b);

      assert_int_equal (m->status, PAYAM_STATUS_NOT_POSSIBLE);
      assert_string_equal (m->status_reason, "لوله گاز زیر آسفالت است");
      /* Every citizen is told, but never in the crew's own words (issue #14). */
      assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE request_id = '%s' AND "
                                      "kind = 'outcome'", m->id), 1);
      assert_int_equal (query_int (f, "SELECT count(*) FROM notice WHERE request_id = '%s' AND "
                                      "text LIKE '%%لوله گاز زیر آسفالت است%%'", m->id), 0);
    }
}

/* Done waits for its evidence: a photo whose bytes have not arrived holds it back. */
static void
test_evidence_pending (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamPhoto) photo = fake_photo ("not here yet");
  g_autoptr(GError) error = NULL;
  const char *photos[] = { photo->sha256, NULL };
  const char *unknown[] = { "0000000000000000000000000000000000000000000000000000000000000000",
                            NULL };
  PayamActionDraft done = { .kind = PAYAM_ACTION_DONE };
  PayamActionDraft bad = { .kind = PAYAM_ACTION_PHOTO, .photos = unknown };

  assert_true (payam_store_add_photo (f->store, photo, &error));
  g_free (act (f, a, PAYAM_ACTION_PHOTO, NULL, photos, PAYAM_ROLE_OFFICE));
  exec_sql (f, "UPDATE photo SET bytes = NULL");
  assert_null (payam_store_add_action (f->store, a->id, &done, PAYAM_ROLE_OFFICE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT count(*) FROM notice"), 0);

  assert_null (payam_store_add_action (f->store, a->id, &bad, PAYAM_ROLE_OFFICE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

/* A rating belongs to its own request: grouping, work and outcome never copy or move it. */
static void
test_rating_stays (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autofree char *group_id = merge (f, a, b);
  g_autofree char *sql = NULL;

  g_free (act (f, a, PAYAM_ACTION_DONE, NULL, NULL, PAYAM_ROLE_OFFICE));
  sql = g_strdup_printf ("INSERT INTO rating (id, request_id, score, created_at) VALUES "
                         "('018f2a6b-2000-7000-8000-0000000000aa', '%s', 5, "
                         "'2026-11-29T12:00:00.000Z')", b->id);
  exec_sql (f, sql);
  assert_true (payam_store_split (f->store, b->id, NULL));
  assert_int_equal (query_int (f, "SELECT count(*) FROM rating WHERE request_id = '%s'", a->id),
                    0);
  assert_int_equal (query_int (f, "SELECT count(*) FROM rating WHERE request_id = '%s'", b->id),
                    1);
}

/* Merging into a group whose work is under way brings the newcomer to that stage. */
static void
test_join_work_in_progress (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ ۳", NULL, &error);
  g_autofree char *group_id = NULL;

  assert_true (payam_store_assign_crew (f->store, a->id, crew, &error));
  g_free (act (f, a, PAYAM_ACTION_START, NULL, NULL, PAYAM_ROLE_CREW));
  group_id = merge (f, a, b);
  b2 = reload (f, b);
  assert_int_equal (b2->status, PAYAM_STATUS_IN_PROGRESS);
}

/* The entries of @kind in @request's timeline (the staff's when @staff). */
static guint
count_timeline (Fixture            *f,
                const PayamRequest *request,
                gboolean            staff,
                PayamTimelineKind   kind,
                const char         *text,
                guint               flag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) timeline = staff
                                  ? payam_store_list_staff_timeline (f->store, request->id,
                                                                     &error)
                                  : payam_store_list_timeline (f->store, request->id, &error);
  guint n = 0;

  assert_non_null (timeline);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *e = timeline->pdata[i];

      if (e->kind == kind && (text == NULL || g_strcmp0 (e->text, text) == 0) &&
          (flag == 0 || (e->office_changed & flag)))
        {
          if (kind == PAYAM_TIMELINE_OFFICE_CHANGE)
            {
              assert_string_equal (e->actor, "test");
              assert_non_null (e->at);
            }
          n++;
        }
    }
  return n;
}

/* Split, lead and merge of a group a crew holds need the office's reason: without one
 * (or a blank one) each is refused and nothing changes; with one it rides on every op of
 * the change (outbox.why) and the request's staff timeline shows it, who and when, while
 * the public timeline does not. Of a group no crew holds, the reason is optional. */
static void
test_why_held (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) c = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) d = add_request (f, "زباله", NULL, FALSE);
  g_autoptr(PayamRequest) e = add_request (f, "زباله", NULL, FALSE);
  g_autoptr(PayamRequest) b2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ ۵", NULL, &error);
  g_autofree char *group_id = merge (f, a, b);
  g_autofree char *other = merge (f, d, e);
  g_autofree char *merged = NULL;
  g_autofree char *sql = NULL;
  const char *split_why = "این پیام دربارهٔ کوچهٔ دیگری است";
  const char *lead_why = "پیام دوم نشانی دقیق‌تری دارد";
  const char *merge_why = "همان چاله است";
  Counts before;

  assert_true (payam_store_assign_crew (f->store, a->id, crew, &error));
  advance (f, 5);
  before = counts (f);
  assert_false (payam_store_split_why (f->store, b->id, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_split_why (f->store, b->id, "  \n ", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_set_group_lead_why (f->store, b->id, "", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  /* Either side held: into it, or from it. */
  assert_null (payam_store_merge_why (f->store, a->id, c->id, FALSE, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_merge_why (f->store, c->id, b->id, FALSE, " ", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  {
    Counts after = counts (f);

    assert_counts_equal (&before, &after);
  }
  b2 = reload (f, b);
  assert_string_equal (b2->group_id, group_id);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE why IS NOT NULL"), 0);

  /* With a reason. */
  assert_true (payam_store_set_group_lead_why (f->store, b->id, lead_why, &error));
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity = 'dup_group' AND "
                         "field = 'lead_request_id' AND why = '%s'", lead_why);
  assert_int_equal (query_int (f, "%s", sql), 1);
  g_clear_pointer (&sql, g_free);
  advance (f, 5);
  merged = payam_store_merge_why (f->store, a->id, c->id, FALSE, merge_why, &error);
  assert_string_equal (merged, group_id);
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity = 'request' AND "
                         "row_id = '%s' AND field = 'group_id' AND why = '%s'", c->id, merge_why);
  assert_int_equal (query_int (f, "%s", sql), 1);
  g_clear_pointer (&sql, g_free);
  advance (f, 5);
  assert_true (payam_store_split_why (f->store, b->id, split_why, &error));
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity = 'request' AND "
                         "row_id = '%s' AND field = 'group_id' AND why = '%s'", b->id, split_why);
  assert_int_equal (query_int (f, "%s", sql), 1);
  g_clear_pointer (&sql, g_free);
  /* The lead left: the next member leads, for the same reason. */
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity = 'dup_group' AND "
                         "field = 'lead_request_id' AND why = '%s'", split_why);
  assert_int_equal (query_int (f, "%s", sql), 1);
  g_clear_pointer (&sql, g_free);
  /* Every op with a reason carries one of the three. */
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE why IS NOT NULL AND why NOT IN "
                         "('%s', '%s', '%s')", split_why, lead_why, merge_why);
  assert_int_equal (query_int (f, "%s", sql), 0);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE why IS NOT NULL AND "
                                  "field IS NULL"), 0);

  /* The timelines: the staff's shows each change with its reason, who and when. */
  assert_int_equal (count_timeline (f, b, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, split_why,
                                    PAYAM_OFFICE_CHANGED_SPLIT), 1);
  assert_int_equal (count_timeline (f, b, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, lead_why,
                                    PAYAM_OFFICE_CHANGED_LEAD), 1);
  assert_int_equal (count_timeline (f, a, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, merge_why, 0), 1);
  assert_int_equal (count_timeline (f, c, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, merge_why, 0), 1);
  /* The one left behind sees the message taken out of its group. */
  assert_int_equal (count_timeline (f, a, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, split_why,
                                    PAYAM_OFFICE_CHANGED_LEAD), 1);
  assert_int_equal (count_timeline (f, b, FALSE, PAYAM_TIMELINE_OFFICE_CHANGE, NULL, 0), 0);
  assert_int_equal (count_timeline (f, a, FALSE, PAYAM_TIMELINE_OFFICE_CHANGE, NULL, 0), 0);

  /* No crew holds the other group: no reason needed. */
  assert_true (payam_store_set_group_lead_why (f->store, e->id, NULL, &error));
  assert_true (payam_store_split_why (f->store, e->id, "  ", &error));
  assert_int_equal (count_timeline (f, e, TRUE, PAYAM_TIMELINE_OFFICE_CHANGE, NULL, 0), 0);
  (void) other;
}

/* The kiosk's "mine is the same": the citizen's own request, in the group, at its stage,
 * in one transaction; a closed candidate refuses it and leaves nothing. */
static void
test_kiosk_join (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) a = add_request (f, "چاله", NULL, TRUE);
  g_autoptr(PayamRequest) b = add_request (f, "چاله", NULL, FALSE);
  g_autoptr(PayamRequest) joined = NULL;
  g_autoptr(PayamRequest) refused = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ ۴", NULL, &error);
  g_autofree char *group_id = merge (f, a, b);
  PayamRequestDraft draft = {
    .text = "چاله جلوی مدرسه هنوز هست",
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  Counts before, after;
  gint64 requests;

  assert_true (payam_store_assign_crew (f->store, a->id, crew, &error));
  g_free (act (f, b, PAYAM_ACTION_START, NULL, NULL, PAYAM_ROLE_CREW));
  advance (f, 60);
  joined = payam_store_add_request_to_group (f->store, &draft, b->id, &error);
  if (joined == NULL)
    fail_msg ("join: %s", error->message);
  assert_string_equal (joined->group_id, group_id);
  assert_int_equal (joined->status, PAYAM_STATUS_IN_PROGRESS);
  assert_int_equal (joined->priority, a->priority);
  assert_true (g_date_time_equal (joined->due_at, a->due_at));
  timeline = payam_store_list_timeline (f->store, joined->id, &error);
  assert_true (timeline_has (timeline, PAYAM_TIMELINE_MERGED, 0, FALSE));
  assert_true (timeline_has (timeline, PAYAM_TIMELINE_ACTION, PAYAM_ACTION_START, TRUE));
  assert_outbox_contiguous (f);

  g_free (act (f, a, PAYAM_ACTION_DONE, NULL, NULL, PAYAM_ROLE_CREW));
  before = counts (f);
  requests = query_int (f, "SELECT count(*) FROM request");
  refused = payam_store_add_request_to_group (f->store, &draft, a->id, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  after = counts (f);
  assert_counts_equal (&before, &after);
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), requests);
  assert_outbox_contiguous (f);
}

/* ---- merge rules ------------------------------------------------------------------------- */

static void
test_rule_lww (void **state)
{
  static const struct {
    PayamHlc    local_hlc;
    const char *local_device;
    PayamHlc    remote_hlc;
    const char *remote_device;
    gboolean    remote_wins;
  } cases[] = {
    { 100, "dev-a", 200, "dev-b", TRUE },
    { 200, "dev-a", 100, "dev-b", FALSE },
    { 100, "dev-a", 100, "dev-b", TRUE },   /* same stamp: the larger device id */
    { 100, "dev-b", 100, "dev-a", FALSE },
    { 100, "dev-a", 100, "dev-a", FALSE },  /* the same op again: idempotent */
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_int_equal (payam_merge_group_lww_wins (cases[i].local_hlc, cases[i].local_device,
                                                    cases[i].remote_hlc,
                                                    cases[i].remote_device),
                        cases[i].remote_wins);
      /* Exactly one of two different versions wins, whichever side holds it. */
      if (cases[i].local_hlc != cases[i].remote_hlc ||
          g_strcmp0 (cases[i].local_device, cases[i].remote_device) != 0)
        assert_int_equal (payam_merge_group_lww_wins (cases[i].remote_hlc,
                                                      cases[i].remote_device,
                                                      cases[i].local_hlc,
                                                      cases[i].local_device),
                          !cases[i].remote_wins);
    }
  assert_true (payam_merge_group_lww_wins (0, NULL, 1, "dev-a"));
}

static void
test_rule_lattices (void **state)
{
  static const struct {
    gboolean    worksheet;
    const char *a;
    const char *b;
    const char *kept;
  } cases[] = {
    { FALSE, "proposed", "confirmed", "confirmed" },
    { FALSE, "confirmed", "split", "split" },
    { FALSE, "proposed", "split", "split" },
    { FALSE, "confirmed", "confirmed", "confirmed" },
    { FALSE, "bogus", "proposed", "proposed" },
    { TRUE, "open", "assigned", "assigned" },
    { TRUE, "assigned", "in_progress", "in_progress" },
    { TRUE, "in_progress", "done", "done" },
    { TRUE, "not_possible", "done", "done" },
    { TRUE, "done", "merged", "merged" },
    { TRUE, "open", "not_possible", "not_possible" },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *(*rule) (const char *, const char *) =
        cases[i].worksheet ? payam_merge_worksheet_status : payam_merge_group_state;

      /* Commutative and idempotent. */
      assert_string_equal (rule (cases[i].a, cases[i].b), cases[i].kept);
      assert_string_equal (rule (cases[i].b, cases[i].a), cases[i].kept);
      assert_string_equal (rule (cases[i].kept, cases[i].kept), cases[i].kept);
    }
}

static void
test_rule_priority_and_due (void **state)
{
  (void) state;
  assert_int_equal (payam_merge_group_priority (PAYAM_PRIORITY_NORMAL, PAYAM_PRIORITY_URGENT),
                    PAYAM_PRIORITY_URGENT);
  assert_int_equal (payam_merge_group_priority (PAYAM_PRIORITY_HIGH, PAYAM_PRIORITY_NORMAL),
                    PAYAM_PRIORITY_HIGH);
  assert_string_equal (payam_merge_group_due_at ("2026-11-30T10:00:00.000Z",
                                                 "2026-11-29T10:00:00.000Z"),
                       "2026-11-29T10:00:00.000Z");
  assert_string_equal (payam_merge_group_due_at ("2026-11-29T10:00:00.000Z",
                                                 "2026-11-30T10:00:00.000Z"),
                       "2026-11-29T10:00:00.000Z");
  assert_string_equal (payam_merge_group_due_at (NULL, "2026-11-29T10:00:00.000Z"),
                       "2026-11-29T10:00:00.000Z");
  assert_string_equal (payam_merge_group_due_at ("2026-11-29T10:00:00.000Z", NULL),
                       "2026-11-29T10:00:00.000Z");
  assert_null (payam_merge_group_due_at (NULL, NULL));
}

static void
test_rule_lead_and_sets (void **state)
{
  const char *members[] = { "018f-c", "018f-a", "018f-b" };

  (void) state;
  assert_string_equal (payam_merge_group_effective_lead ("018f-b", members, 3), "018f-b");
  /* The lead left (a concurrent split): the earliest member, on every replica. */
  assert_string_equal (payam_merge_group_effective_lead ("018f-z", members, 3), "018f-a");
  assert_string_equal (payam_merge_group_effective_lead (NULL, members, 3), "018f-a");
  assert_null (payam_merge_group_effective_lead ("018f-a", members, 0));
  assert_true (payam_merge_grow_only_insert (FALSE));
  assert_false (payam_merge_grow_only_insert (TRUE));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_merge_singles, setup, teardown),
    cmocka_unit_test_setup_teardown (test_merge_groups, setup, teardown),
    cmocka_unit_test_setup_teardown (test_merge_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_split, setup, teardown),
    cmocka_unit_test_setup_teardown (test_choose_lead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_done_reaches_every_member, setup, teardown),
    cmocka_unit_test_setup_teardown (test_not_possible, setup, teardown),
    cmocka_unit_test_setup_teardown (test_evidence_pending, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rating_stays, setup, teardown),
    cmocka_unit_test_setup_teardown (test_join_work_in_progress, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_join, setup, teardown),
    cmocka_unit_test_setup_teardown (test_why_held, setup, teardown),
    cmocka_unit_test (test_rule_lww),
    cmocka_unit_test (test_rule_lattices),
    cmocka_unit_test (test_rule_priority_and_due),
    cmocka_unit_test (test_rule_lead_and_sets),
  };

  return cmocka_run_group_tests_name ("groups", tests, NULL, NULL);
}
