/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who may write what (issues #9, #10): every (role, entity, field) of the role table pushed
 * through the server's push path, and the cases a forged op or a real flow produced. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "payam-deadline.h"
#include "payam-secret.h"
#include "payam-store-crews.h"
#include "payam-store-devices.h"
#include "payam-store-groups.h"
#include "payam-store-private.h"
#include "payam-store-public.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-sync-roles.h"
#include "payam-tracking.h"
#include "payam-uuid.h"
#include "payam-test-kiosk.h"

#define T0 G_GINT64_CONSTANT (1795000000000)
/* An enrolment code's hash: 64 hex digits. */
#define HASH(n) "00000000000000000000000000000000000000000000000000000000000000" n
#define CREATED "\"created_at\":\"2026-11-18T10:00:00.000Z\""

/* A device as the server knows it, writing ops by hand as a hostile client would. */
typedef struct {
  char      *id;
  PayamRole  role;
  char      *crew_id;   /* borrowed */
  guint      prefix;
  gint64     seq;
  const char *member;   /* the member its ops carry (PayamOp.member), borrowed; NULL: none */
} Device;

typedef struct {
  gint64      now_ms;
  PayamStore *server;
  Device      kiosk;
  Device      kiosk2;
  Device      crew;
  Device      office;
  char       *crew1;
  char       *crew2;
  char       *r_mine;     /* assigned to crew1 */
  char       *r_theirs;   /* assigned to crew2 */
  char       *r_done;     /* done by crew2's worksheet: may be rated */
  char       *r_loose;    /* in no group */
  char       *r_loose2;   /* in no group */
  char       *r_kiosk;    /* the kiosk's own, pushed by it */
  char       *g1;         /* r_mine's group */
  char       *w1;         /* crew1's worksheet */
  char       *w2;         /* crew2's worksheet */
  char       *a1;         /* an action on w1 */
  char       *a2;         /* an action on w2 */
  char       *sha;        /* a photo the server holds */
  char       *boss;       /* a supervisor in the server's staff table */
  char       *clerk;      /* an office member who is no supervisor */
  char       *fitter;     /* a member of crew1 */
  char       *fitter2;    /* a member of crew2 */
} Fixture;

static GDateTime *
clock_of (gpointer data)
{
  const gint64 *ms = data;

  return g_date_time_new_from_unix_utc (*ms / 1000);
}

static char *
query_text (PayamStore *store,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Every row of the domain tables as text: what a refused op must leave as it was. */
static char *
snapshot (PayamStore *store)
{
  static const char *const tables[] = {
    "request", "dup_group", "worksheet", "worksheet_action", "worksheet_action_photo",
    "request_photo", "notice", "rating", "crew", "crew_member", "field_version",
  };
  GString *out = g_string_new (NULL);

  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      sqlite3_stmt *stmt = NULL;

      assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

/* @device enrolled on the server with a one-time code: its prefix is the server's choice. */
static void
enrol (Fixture    *f,
       Device     *device,
       PayamRole   role,
       const char *crew_id,
       const char *hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamDevice) enrolled = NULL;

  device->id = payam_uuid7_new ();
  device->role = role;
  device->crew_id = (char *) crew_id;
  assert_true (payam_store_add_enrol_code (f->server, hash, role, crew_id, 1, &error));
  enrolled = payam_store_enrol_device (f->server, hash, device->id, hash, &error);
  if (enrolled == NULL)
    fail_msg ("enrol: %s", error->message);
  device->prefix = enrolled->prefix;
}

/* Push one op of @device carrying the office's reason @why (may be NULL); its result (the
 * reason is static). */
static PayamSyncOpResult
push_why (Fixture    *f,
          Device     *device,
          const char *entity,
          const char *row_id,
          const char *field,
          const char *value,
          const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_op_free);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  PayamOp *op = g_new0 (PayamOp, 1);

  f->now_ms += 1000;
  op->device_seq = ++device->seq;
  op->hlc = payam_hlc_pack (f->now_ms, 0);
  op->device_id = g_strdup (device->id);
  op->op_id = payam_op_derive_id (device->id, op->device_seq, op->hlc);
  op->entity = g_strdup (entity);
  op->row_id = g_strdup (row_id);
  op->field = g_strdup (field);
  op->value = g_strdup (value);
  op->why = g_strdup (why);
  op->member = g_strdup (device->member);
  g_ptr_array_add (ops, op);
  if (!payam_store_sync_push (f->server, device->id, device->role, device->crew_id, ops,
                              f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_int_equal (reply->results->len, 1);
  return g_array_index (reply->results, PayamSyncOpResult, 0);
}

/* Push one op of @device; its result (the reason is static). */
static PayamSyncOpResult
push (Fixture    *f,
      Device     *device,
      const char *entity,
      const char *row_id,
      const char *field,
      const char *value)
{
  return push_why (f, device, entity, row_id, field, value, NULL);
}

static char *
office_request (Fixture    *f,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text, .category = "asphalt", .neighbourhood = "tohid", .phone = "09121234567",
    .name = "مریم", .channel = PAYAM_CHANNEL_PHONE,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (f->server, &draft, &error);

  if (r == NULL)
    fail_msg ("%s", error->message);
  return g_strdup (r->id);
}

static char *
action (Fixture    *f,
        const char *request_id,
        PayamActionKind kind)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { kind, "یادداشت", NULL };
  char *id = payam_store_add_action (f->server, request_id, &draft, PAYAM_ROLE_OFFICE, &error);

  if (id == NULL)
    fail_msg ("%s", error->message);
  return id;
}

/* The new-request op of a kiosk with the code @seq of @prefix. */
static char *
kiosk_request_value (guint prefix,
                     guint seq)
{
  g_autofree char *code = payam_tracking_code_make (prefix, seq);

  return g_strdup_printf ("{\"tracking_code\":\"%s\",\"channel\":\"kiosk\",\"category\":"
                          "\"asphalt\",\"text\":\"چاله\",\"neighbourhood\":\"tohid\","
                          "\"priority\":3,\"status\":\"registered\"," CREATED ","
                          "\"due_at\":\"2026-11-25T10:00:00.000Z\"}", code);
}

/* The office's writes made on the server's own store enter its log as any device's do. */
static void
flush_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (f->server, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;

  assert_non_null (ops);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (f->server),
                              PAYAM_ROLE_OFFICE, NULL, ops, f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_true (payam_store_sync_ack (f->server, reply->acked_through, reply->results,
                                     reply->server_hlc,
                                     &error));
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) kiosk_store = NULL;
  g_autofree char *value = NULL;
  PayamSyncOpResult r;

  f->now_ms = T0;
  f->server = payam_store_open (":memory:", &error);
  assert_non_null (f->server);
  payam_store_set_now_func (f->server, clock_of, &f->now_ms);
  assert_true (payam_store_load_defaults (f->server, &error));
  assert_true (payam_store_set_device_prefix (f->server, 1, &error));

  f->crew1 = payam_store_add_crew (f->server, "اکیپ یک", NULL, &error);
  f->crew2 = payam_store_add_crew (f->server, "اکیپ دو", NULL, &error);
  /* The staff and crew members the ops name (rows as the server holds them; a password or
   * PIN hash is not what these tests are about). */
  f->boss = payam_uuid7_new ();
  f->clerk = payam_uuid7_new ();
  f->fitter = payam_uuid7_new ();
  f->fitter2 = payam_uuid7_new ();
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO staff (id, name, role, password_hash, supervisor) VALUES "
      "('%s', 'زهرا کریمی', 'office', '$argon2id$x', 1), "
      "('%s', 'علی رضایی', 'office', '$argon2id$x', 0);"
      "INSERT INTO crew_member (id, crew_id, name, pin_hash, created_at) VALUES "
      "('%s', '%s', 'مریم احمدی', '$argon2id$x', '2026-11-18T10:00:00.000Z'), "
      "('%s', '%s', 'رضا محمدی', '$argon2id$x', '2026-11-18T10:00:00.000Z');",
      f->boss, f->clerk, f->fitter, f->crew1, f->fitter2, f->crew2);

    assert_int_equal (sqlite3_exec (f->server->db, sql, NULL, NULL, NULL), SQLITE_OK);
  }
  enrol (f, &f->kiosk, PAYAM_ROLE_KIOSK, NULL, HASH ("a1"));
  enrol (f, &f->kiosk2, PAYAM_ROLE_KIOSK, NULL, HASH ("a2"));
  enrol (f, &f->crew, PAYAM_ROLE_CREW, f->crew1, HASH ("a3"));
  enrol (f, &f->office, PAYAM_ROLE_OFFICE, NULL, HASH ("a4"));
  /* The table walk writes as a supervisor: a reopen and a deadline are theirs. */
  f->office.member = f->boss;
  f->crew.member = f->fitter;

  f->r_mine = office_request (f, "چاله یک");
  f->r_theirs = office_request (f, "چاله دو");
  f->r_done = office_request (f, "چاله سه");
  f->r_loose = office_request (f, "چاله چهار");
  f->r_loose2 = office_request (f, "چاله پنج");
  assert_true (payam_store_assign_crew (f->server, f->r_mine, f->crew1, &error));
  assert_true (payam_store_assign_crew (f->server, f->r_theirs, f->crew2, &error));
  assert_true (payam_store_assign_crew (f->server, f->r_done, f->crew2, &error));
  f->a1 = action (f, f->r_mine, PAYAM_ACTION_NOTE);
  f->a2 = action (f, f->r_theirs, PAYAM_ACTION_NOTE);
  g_free (action (f, f->r_done, PAYAM_ACTION_DONE));
  f->g1 = query_text (f->server, "SELECT group_id FROM request WHERE id = ?1", f->r_mine);
  f->w1 = query_text (f->server, "SELECT id FROM worksheet WHERE group_id = ?1", f->g1);
  f->w2 = query_text (f->server, "SELECT w.id FROM worksheet w JOIN request r ON "
                      "r.group_id = w.group_id WHERE r.id = ?1", f->r_theirs);
  assert_non_null (f->w1);
  assert_non_null (f->w2);
  /* A photo whose bytes have not arrived: its row is enough for the links. */
  f->sha = g_strdup ("5a0d4bbf4e7f3b1b9cbe0e7b6a37b7d9c64dbd2d5fb1c3a1a2b3c4d5e6f70819");
  r = push (f, &f->office, "photo", f->sha, "*",
            "{\"mime\":\"image/jpeg\",\"width\":160,\"height\":120," CREATED "}");
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);

  flush_server (f);

  /* The kiosk's own request, pushed by it. */
  f->r_kiosk = payam_uuid7_new ();
  value = kiosk_request_value (f->kiosk.prefix, 1);
  r = push (f, &f->kiosk, "request", f->r_kiosk, "*", value);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  Device *devices[] = { &f->kiosk, &f->kiosk2, &f->crew, &f->office };

  for (gsize i = 0; i < G_N_ELEMENTS (devices); i++)
    g_free (devices[i]->id);
  g_clear_object (&f->server);
  g_free (f->crew1);
  g_free (f->crew2);
  g_free (f->r_mine);
  g_free (f->r_theirs);
  g_free (f->r_done);
  g_free (f->r_loose);
  g_free (f->r_loose2);
  g_free (f->r_kiosk);
  g_free (f->g1);
  g_free (f->w1);
  g_free (f->w2);
  g_free (f->a1);
  g_free (f->a2);
  g_free (f->sha);
  g_free (f->boss);
  g_free (f->clerk);
  g_free (f->fitter);
  g_free (f->fitter2);
  g_free (f);
  return 0;
}

/* ---- the table, walked --------------------------------------------------------------------- */

/* An op of (@entity, @field) that every per-row rule lets through (@good) or that breaks the
 * rule of its grant (!@good): its row in *@row_id, its value returned (both owned). */
static char *
op_for (Fixture    *f,
        Device     *device,
        const char *entity,
        const char *field,
        gboolean    good,
        char      **row_id)
{
  gboolean is_new = strcmp (field, "*") == 0;

  *row_id = NULL;
  if (strcmp (entity, "request") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      /* Another kiosk's prefix (#10 case 5). */
      return kiosk_request_value (good ? f->kiosk.prefix : f->kiosk2.prefix,
                                  (guint) device->seq + 10);
    }
  if (strcmp (entity, "request") == 0 && strcmp (field, "status") == 0)
    {
      *row_id = g_strdup (good ? f->r_mine : f->r_theirs);
      return g_strdup ("{\"status\":\"in_progress\",\"epoch\":0}");
    }
  if (strcmp (entity, "request") == 0 && strcmp (field, "group_id") == 0)
    {
      g_autofree char *group = payam_uuid7_new ();
      g_autofree char *group_value = NULL;

      if (!good)
        {
          /* A request moved into a group a crew works (#10 case 4). */
          *row_id = g_strdup (f->r_loose2);
          return g_strdup_printf ("\"%s\"", f->g1);
        }
      /* "Mine is the same": a new proposed group around a request in none, then the
       * request moved into it. */
      group_value = g_strdup_printf ("{\"lead_request_id\":\"%s\",\"state\":\"proposed\","
                                     CREATED "}", f->r_loose);
      push (f, device, "dup_group", group, "*", group_value);
      *row_id = g_strdup (f->r_loose);
      return g_strdup_printf ("\"%s\"", group);
    }
  if (strcmp (entity, "request") == 0)
    {
      *row_id = g_strdup (f->r_loose);
      return g_strdup (strcmp (field, "lat") == 0 || strcmp (field, "lon") == 0 ? "35.7"
                       : strcmp (field, "priority") == 0 ? "2"
                       : strcmp (field, "deleted") == 0 ? "true" : "\"متن\"");
    }
  if (strcmp (entity, "dup_group") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"lead_request_id\":\"%s\",\"state\":\"proposed\"," CREATED "}",
                              good ? f->r_loose2 : f->r_mine);
    }
  if (strcmp (entity, "dup_group") == 0)
    {
      *row_id = g_strdup (f->g1);
      return g_strdup_printf (strcmp (field, "state") == 0 ? "\"confirmed\""
                              : strcmp (field, "deleted") == 0 ? "true" : "\"%s\"", f->r_mine);
    }
  if (strcmp (entity, "worksheet") == 0 && strcmp (field, "status") == 0)
    {
      *row_id = g_strdup (good ? f->w1 : f->w2);
      return g_strdup ("\"in_progress\"");
    }
  if (strcmp (entity, "worksheet") == 0)
    {
      *row_id = is_new ? payam_uuid7_new () : g_strdup (f->w1);
      if (is_new)
        return g_strdup_printf ("{\"group_id\":\"%s\",\"status\":\"open\"," CREATED "}",
                                f->g1);
      return g_strdup_printf (strcmp (field, "deleted") == 0 ? "true" : "\"%s\"",
                              strcmp (field, "crew_id") == 0 ? f->crew2 : f->g1);
    }
  if (strcmp (entity, "worksheet_action") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"worksheet_id\":\"%s\",\"kind\":\"note\",\"note\":\"یادداشت\","
                              "\"at\":\"2026-11-18T10:00:00.000Z\"}", good ? f->w1 : f->w2);
    }
  if (strcmp (entity, "worksheet_action") == 0)
    {
      *row_id = g_strdup (f->a1);
      return g_strdup_printf ("\"%s\"", f->w2);
    }
  if (strcmp (entity, "worksheet_action_photo") == 0)
    {
      const char *action_id = good ? f->a1 : f->a2;

      *row_id = g_strdup_printf ("%s/%s", action_id, f->sha);
      return g_strdup_printf ("{\"action_id\":\"%s\",\"sha256\":\"%s\"}", action_id, f->sha);
    }
  if (strcmp (entity, "photo") == 0)
    {
      *row_id = g_strdup (f->sha);
      return g_strdup ("{\"mime\":\"image/jpeg\",\"width\":160,\"height\":120," CREATED "}");
    }
  if (strcmp (entity, "request_photo") == 0)
    {
      const char *request_id = good ? f->r_kiosk : f->r_mine;

      *row_id = g_strdup_printf ("%s/%s", request_id, f->sha);
      return g_strdup_printf ("{\"request_id\":\"%s\",\"sha256\":\"%s\","
                              "\"attached_at\":\"2026-11-18T10:00:00.000Z\"}",
                              request_id, f->sha);
    }
  if (strcmp (entity, "notice") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"request_id\":\"%s\",\"kind\":\"outcome\",\"text\":\"انجام شد\","
                              "\"channel\":\"sms\",\"state\":\"pending\"," CREATED "}",
                              good ? f->r_mine : f->r_theirs);
    }
  if (strcmp (entity, "notice") == 0)
    {
      *row_id = query_text (f->server, "SELECT id FROM notice LIMIT 1", NULL);
      return g_strdup ("\"sent\"");
    }
  if (strcmp (entity, "rating") == 0)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"request_id\":\"%s\",\"score\":5," CREATED "}",
                              good ? f->r_done : f->r_loose);
    }
  if (strcmp (entity, "crew") == 0)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup ("{\"name\":\"اکیپ سه\"}");
    }
  if (strcmp (entity, "crew_member") == 0 && !is_new)
    {
      *row_id = g_strdup (f->fitter);
      return g_strdup (strcmp (field, "pin_hash") == 0 ? "\"$argon2id$y\"" : "1");
    }
  if (strcmp (entity, "crew_member") == 0)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"crew_id\":\"%s\",\"name\":\"مریم\",\"pin_hash\":"
                              "\"$argon2id$x\"," CREATED "}", f->crew1);
    }
  if (strcmp (entity, "staff") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"role\":\"office\",\"name\":\"کارمند %.8s\",\"supervisor\":0,"
                              "\"active\":1,\"password_hash\":\"$argon2id$x\"}", *row_id);
    }
  if (strcmp (entity, "staff") == 0)
    {
      *row_id = g_strdup (f->clerk);
      return g_strdup (strcmp (field, "name") == 0 ? "\"علی رضایی\""
                       : strcmp (field, "password_hash") == 0 ? "\"$argon2id$y\"" : "1");
    }
  if (strcmp (entity, "conflict") == 0 && is_new)
    {
      *row_id = payam_uuid7_new ();
      return g_strdup_printf ("{\"kind\":\"concurrent-edit\",\"entity\":\"request\","
                              "\"row_id\":\"%s\",\"field\":\"priority\"," CREATED "}",
                              f->r_mine);
    }
  if (strcmp (entity, "conflict") == 0)
    {
      /* The refusals before this one left conflict rows on the server. */
      *row_id = query_text (f->server, "SELECT id FROM conflict LIMIT 1", NULL);
      assert_non_null (*row_id);
      return g_strdup (strcmp (field, "resolved_at") == 0 ? "\"2026-11-18T11:00:00.000Z\""
                                                          : "\"زهرا کریمی\"");
    }
  fail_msg ("no op for %s.%s", entity, field);
  return NULL;
}

static gboolean
is_role (PayamSyncOpResult r)
{
  return r.result == PAYAM_SYNC_RESULT_REJECTED && g_strcmp0 (r.reason, "role") == 0;
}

/* Issue #10: every (role, entity, field) of the table through the push path. A field the
 * table refuses a role is refused as "role" and changes nothing; one it grants is never
 * refused as "role"; a per-row grant refuses the row its rule does not allow. */
static void
test_every_combination (void **state)
{
  Fixture *f = *state;
  Device *devices[] = { &f->kiosk, &f->crew, &f->office };
  guint n_checked = 0;

  for (gsize d = 0; d < G_N_ELEMENTS (devices); d++)
    {
      const char *entity, *field;

      for (guint i = 0; (entity = payam_sync_role_field_at (i, &field)) != NULL; i++)
        {
          PayamGrant grant = payam_sync_role_grant (devices[d]->role, entity, field);
          g_autofree char *row = NULL;
          g_autofree char *value = op_for (f, devices[d], entity, field, TRUE, &row);
          g_autofree char *before = snapshot (f->server);
          g_autofree char *after = NULL;
          PayamSyncOpResult r = push (f, devices[d], entity, row, field, value);

          after = snapshot (f->server);
          if ((grant == PAYAM_GRANT_NONE) != is_role (r))
            fail_msg ("%s %s.%s (%s): %s %s", payam_role_to_string (devices[d]->role), entity,
                      field, payam_grant_to_string (grant), payam_sync_result_to_string (r.result),
                      r.reason != NULL ? r.reason : "");
          if (grant == PAYAM_GRANT_NONE && strcmp (before, after) != 0)
            fail_msg ("%s %s.%s was refused but changed the store",
                      payam_role_to_string (devices[d]->role), entity, field);
          n_checked++;

          if (grant != PAYAM_GRANT_NONE && grant != PAYAM_GRANT_ANY)
            {
              g_autofree char *bad_row = NULL;
              g_autofree char *bad = op_for (f, devices[d], entity, field, FALSE, &bad_row);
              g_autofree char *bad_before = snapshot (f->server);
              g_autofree char *bad_after = NULL;

              r = push (f, devices[d], entity, bad_row, field, bad);
              bad_after = snapshot (f->server);
              if (!is_role (r))
                fail_msg ("%s %s.%s outside its rule (%s): %s",
                          payam_role_to_string (devices[d]->role), entity, field,
                          payam_grant_to_string (grant),
                          payam_sync_result_to_string (r.result));
              assert_string_equal (bad_before, bad_after);
              n_checked++;
            }
        }
      /* A field the table does not name is nobody's. */
      assert_int_equal (payam_sync_role_grant (devices[d]->role, "device", "*"),
                        PAYAM_GRANT_NONE);
      assert_int_equal (payam_sync_role_grant (devices[d]->role, "request", "contact_sealed"),
                        PAYAM_GRANT_NONE);
    }
  assert_true (n_checked > 100);
}

/* Issue #10 case 4: a kiosk moving a request into a group a crew works is refused as
 * "role", and nothing of it is applied on the office's store. */
static void
test_kiosk_moves_request (void **state)
{
  Fixture *f = *state;
  g_autofree char *value = g_strdup_printf ("\"%s\"", f->g1);
  g_autofree char *before = snapshot (f->server);
  g_autofree char *group = NULL;
  PayamSyncOpResult r = push (f, &f->kiosk, "request", f->r_loose, "group_id", value);

  assert_true (is_role (r));
  group = query_text (f->server, "SELECT group_id FROM request WHERE id = ?1", f->r_loose);
  assert_null (group);
  {
    g_autofree char *after = snapshot (f->server);

    assert_string_equal (before, after);
  }
}

/* Issue #10 case 5: a request with the next code of another kiosk's prefix is refused; the
 * other kiosk's real request with that code is then applied. */
static void
test_kiosk_takes_other_code (void **state)
{
  Fixture *f = *state;
  g_autofree char *forged_id = payam_uuid7_new ();
  g_autofree char *real_id = payam_uuid7_new ();
  g_autofree char *value = kiosk_request_value (f->kiosk2.prefix, 1);
  PayamSyncOpResult r = push (f, &f->kiosk, "request", forged_id, "*", value);
  g_autofree char *stored = NULL;

  assert_true (is_role (r));
  stored = query_text (f->server, "SELECT id FROM request WHERE id = ?1", forged_id);
  assert_null (stored);
  r = push (f, &f->kiosk2, "request", real_id, "*", value);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);
}

/* ---- a crew device that syncs with the server's store ------------------------------------ */

static gint64
count (PayamStore *store,
       const char *sql,
       const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Push @store's outbox as @role and pull to the end; returns how many ops were refused. */
static guint
sync_store (Fixture    *f,
            PayamStore *store,
            PayamRole   role,
            const char *crew_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (store, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  gboolean more = TRUE;
  guint refused = 0;

  assert_non_null (ops);
  f->now_ms += 1000;
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (store), role, crew_id, ops,
                              f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  for (guint i = 0; i < reply->results->len; i++)
    {
      PayamSyncOpResult *r = &g_array_index (reply->results, PayamSyncOpResult, i);

      if (r->result == PAYAM_SYNC_RESULT_REJECTED)
        {
          PayamOp *op = ops->pdata[i];

          g_message ("refused %s.%s: %s", op->entity, op->field, r->reason);
          refused++;
        }
    }
  assert_true (payam_store_sync_ack (store, reply->acked_through, reply->results,
                                     reply->server_hlc, &error));
  while (more)
    {
      gint64 next;
      g_autoptr(GPtrArray) page = payam_store_sync_pull (f->server, role, crew_id,
                                                         payam_store_sync_get_cursor (store,
                                                                                      NULL),
                                                         50, &next, &more, &error);

      assert_non_null (page);
      if (!payam_store_sync_apply_page (store, page, next, 0, &error))
        fail_msg ("apply: %s", error->message);
    }
  return refused;
}

static PayamStore *
device_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);

  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, &f->now_ms);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, 40, &error));
  return store;
}

/* Issue #9 case 5: a crew's done creates a notice for every citizen; the server takes it
 * (it used to refuse it as "role", so notified and closed could never be reached). */
static void
test_crew_outcome_notice (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) crew = device_store (f);
  PayamActionDraft start = { PAYAM_ACTION_START, NULL, NULL };
  PayamActionDraft done = { PAYAM_ACTION_DONE, NULL, NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  a = payam_store_add_action (crew, f->r_mine, &start, PAYAM_ROLE_CREW, &error);
  assert_non_null (a);
  b = payam_store_add_action (crew, f->r_mine, &done, PAYAM_ROLE_CREW, &error);
  assert_non_null (b);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  assert_int_equal (count (f->server, "SELECT count(*) FROM notice WHERE request_id = ?1 "
                           "AND kind = 'outcome'", f->r_mine), 1);
  /* The office tells the citizen and closes. */
  {
    g_autofree char *notice = query_text (f->server, "SELECT id FROM notice WHERE "
                                          "request_id = ?1 AND kind = 'outcome'", f->r_mine);

    assert_true (payam_store_mark_notice_sent (f->server, notice, &error));
    assert_true (payam_store_set_status (f->server, f->r_mine, PAYAM_STATUS_NOTIFIED,
                                         PAYAM_ROLE_OFFICE, NULL, &error));
    assert_true (payam_store_set_status (f->server, f->r_mine, PAYAM_STATUS_CLOSED,
                                         PAYAM_ROLE_OFFICE, NULL, &error));
  }
}

/* Issue #9 case 8: a crew's done and the office's concurrent not possible: request and
 * worksheet both keep done (one order of outcomes), and the lost not possible is a conflict
 * for the office. */
static void
test_done_beats_not_possible (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) crew = device_store (f);
  PayamActionDraft start = { PAYAM_ACTION_START, NULL, NULL };
  PayamActionDraft done = { PAYAM_ACTION_DONE, NULL, NULL };
  PayamActionDraft cannot = { PAYAM_ACTION_NOT_POSSIBLE, "دسترسی نبود", NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *status = NULL;
  g_autofree char *ws_status = NULL;

  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  a = payam_store_add_action (crew, f->r_mine, &start, PAYAM_ROLE_CREW, &error);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  /* Offline, the crew finishes; meanwhile the office gives up on the work. */
  b = payam_store_add_action (crew, f->r_mine, &done, PAYAM_ROLE_CREW, &error);
  assert_non_null (b);
  f->now_ms += 1000;
  c = payam_store_add_action (f->server, f->r_mine, &cannot, PAYAM_ROLE_OFFICE, &error);
  assert_non_null (c);
  flush_server (f);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);

  status = query_text (f->server, "SELECT status FROM request WHERE id = ?1", f->r_mine);
  ws_status = query_text (f->server, "SELECT status FROM worksheet WHERE id = ?1", f->w1);
  assert_string_equal (status, "done");
  assert_string_equal (ws_status, "done");
  assert_true (count (f->server, "SELECT count(*) FROM conflict WHERE row_id = ?1 AND "
                      "kind = 'stale-status' AND lost_value LIKE '%not_possible%'",
                      f->r_mine) >= 1);
  /* The crew's copy agrees. */
  g_free (status);
  status = query_text (crew, "SELECT status FROM request WHERE id = ?1", f->r_mine);
  assert_string_equal (status, "done");
}

/* Issue #9 case 9: a kiosk not yet enrolled refuses a phone or a name (it could only keep
 * them in clear); contacts a store took before it knew it was a kiosk are sealed at its
 * enrolment, row and waiting op alike, and reach the office. */
static void
test_kiosk_contact_before_enrolment (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) kiosk = device_store (f);
  g_autoptr(PayamStore) old = device_store (f);
  g_autoptr(PayamRequest) refused = NULL;
  g_autoptr(PayamRequest) plain = NULL;
  g_autoptr(PayamRequest) typed = NULL;
  g_autoptr(PayamRequest) on_server = NULL;
  PayamRequestDraft draft = {
    .text = "چاله", .category = "asphalt", .neighbourhood = "tohid", .phone = "09127654321",
    .name = "زهرا", .channel = PAYAM_CHANNEL_KIOSK,
  };
  PayamRequestDraft anonymous = draft;

  assert_true (payam_store_set_device_role (kiosk, PAYAM_ROLE_KIOSK, &error));
  refused = payam_store_add_request (kiosk, &draft, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  assert_non_null (strstr (error->message, "enrolled"));
  g_clear_error (&error);
  assert_int_equal (count (kiosk, "SELECT count(*) FROM request", NULL), 0);
  anonymous.phone = anonymous.name = NULL;
  plain = payam_store_add_request (kiosk, &anonymous, &error);
  assert_non_null (plain);

  /* A store that took a contact in clear before it was declared a kiosk. */
  typed = payam_store_add_request (old, &draft, &error);
  assert_non_null (typed);
  assert_int_equal (count (old, "SELECT count(*) FROM outbox WHERE value LIKE '%09127654321%'",
                           NULL), 1);
  payam_test_make_sealing_kiosk (old, 77, f->server);
  assert_int_equal (count (old, "SELECT count(*) FROM request WHERE phone IS NOT NULL OR "
                           "name IS NOT NULL OR contact_sealed IS NULL", NULL), 0);
  assert_int_equal (count (old, "SELECT count(*) FROM outbox WHERE value LIKE '%0912%' OR "
                           "value LIKE '%زهرا%' OR value NOT LIKE '%contact_sealed%'", NULL), 0);
  assert_int_equal (sync_store (f, old, PAYAM_ROLE_KIOSK, NULL), 0);
  on_server = payam_store_get_request (f->server, typed->id, &error);
  assert_non_null (on_server);
  assert_string_equal (on_server->phone, "09127654321");
  assert_string_equal (on_server->name, "زهرا");
  assert_int_equal (count (old, "SELECT count(*) FROM request WHERE contact_sealed IS NOT NULL",
                           NULL), 0);
}

/* Pull everything as a kiosk (into nothing): every value it would receive, joined. */
static char *
kiosk_pull_text (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GString *all = g_string_new (NULL);
  gboolean more = TRUE;
  gint64 after = 0;

  while (more)
    {
      gint64 next;
      g_autoptr(GPtrArray) page = payam_store_sync_pull (f->server, PAYAM_ROLE_KIOSK, NULL,
                                                         after, 50, &next, &more, &error);

      assert_non_null (page);
      for (guint i = 0; i < page->len; i++)
        g_string_append_printf (all, "%s\n", ((PayamOp *) page->pdata[i])->value);
      after = next;
    }
  return g_string_free (all, FALSE);
}

/* A crew gives up on the kiosk's request with a reason naming the citizen and a phone, and
 * the office sends the outcome notice. */
static void
crew_reason (Fixture    *f,
             PayamStore *crew)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft start = { PAYAM_ACTION_START, NULL, NULL };
  PayamActionDraft cannot = { PAYAM_ACTION_NOT_POSSIBLE,
                              "Called citizen Rostami at 09126660000, nobody home", NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *notice = NULL;

  assert_true (payam_store_assign_crew (f->server, f->r_kiosk, f->crew1, &error));
  flush_server (f);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  a = payam_store_add_action (crew, f->r_kiosk, &start, PAYAM_ROLE_CREW, &error);
  b = payam_store_add_action (crew, f->r_kiosk, &cannot, PAYAM_ROLE_CREW, &error);
  assert_non_null (b);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  notice = query_text (f->server, "SELECT id FROM notice WHERE request_id = ?1", f->r_kiosk);
  assert_non_null (notice);
  assert_true (payam_store_mark_notice_sent (f->server, notice, &error));
  flush_server (f);
}

/* Issue #10 case 2: the public face of a request (what /v1/track serves) holds the fixed
 * sentence of the outcome, never the reason or the notice a crew's words made; the
 * office's public text when it writes one. */
static void
test_public_view_fixed_words (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) crew = device_store (f);
  g_autoptr(PayamPublicView) view = NULL;
  g_autofree char *code = query_text (f->server, "SELECT tracking_code FROM request WHERE "
                                      "id = ?1", f->r_kiosk);
  GString *all = g_string_new (NULL);
  g_autofree char *text = NULL;

  crew_reason (f, crew);
  assert_true (payam_store_sync_set_field (f->server, "request", f->r_kiosk, "public_text",
                                           "\"لوله‌کشی در راه است\"", &error));
  view = payam_store_get_public_view (f->server, code, &error);
  assert_non_null (view);
  assert_int_equal (view->status, PAYAM_STATUS_NOT_POSSIBLE);
  assert_string_equal (view->outcome, payam_public_outcome_text (PAYAM_STATUS_NOT_POSSIBLE));
  assert_string_equal (view->public_text, "لوله‌کشی در راه است");
  g_string_append_printf (all, "%s %s %s %s %s ", view->tracking_code, view->category,
                          view->neighbourhood, view->outcome, view->public_text);
  for (guint i = 0; i < view->events->len; i++)
    {
      PayamPublicEvent *event = view->events->pdata[i];

      g_string_append_printf (all, "%s %s ", event->kind, event->text ? event->text : "");
    }
  text = g_string_free (all, FALSE);
  assert_non_null (strstr (text, "notice"));
  assert_null (strstr (text, "0912"));
  assert_null (strstr (text, "Rostami"));
  assert_null (strstr (text, "nobody"));
  assert_null (strstr (text, "چاله"));
}

/* Issue #10 case 3: a kiosk's pull carries no status reason (nor any words but the
 * office's public text). */
static void
test_kiosk_pull_no_reason (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) crew = device_store (f);
  g_autofree char *pulled = NULL;

  crew_reason (f, crew);
  pulled = kiosk_pull_text (f);
  assert_non_null (strstr (pulled, "not_possible"));
  assert_null (strstr (pulled, "0912"));
  assert_null (strstr (pulled, "Rostami"));
  assert_null (strstr (pulled, "nobody"));
  assert_null (strstr (pulled, "reason"));
  assert_null (strstr (pulled, "مریم"));
}

static gboolean
is_invalid (PayamSyncOpResult r)
{
  return r.result == PAYAM_SYNC_RESULT_REJECTED && g_strcmp0 (r.reason, "invalid-value") == 0;
}

/* Issue #10 case 10: ops from the wire pass the app's own checks, the office's too: each
 * refused op is "invalid-value", stored nowhere but in the conflict list, under the field
 * that failed. */
static void
test_wire_validation (void **state)
{
  Fixture *f = *state;
  g_autofree char *before = snapshot (f->server);
  g_autofree char *after = NULL;
  g_autofree char *crew_id = payam_uuid7_new ();
  g_autofree char *long_name = NULL;
  g_autofree char *crew_value = NULL;
  g_autofree char *request_id = payam_uuid7_new ();
  g_autofree char *sha = g_strdup ("00112233445566778899aabbccddeeff"
                                   "00112233445566778899aabbccddeeff");
  g_autofree char *bad_lat = NULL;
  GString *name = g_string_new (NULL);
  static const struct {
    const char *field;
    const char *value;
  } bad_fields[] = {
    { "phone", "\"not a phone; DROP TABLE\"" },
    { "name", NULL },  /* 60,000 characters, below */
    { "text", "\"   \"" },
    { "priority", "9" },
    { "lat", "91.5" },
    { "category", "\"no-such-category\"" },
    { "neighbourhood", "\"atlantis\"" },
    { "street", NULL },
  };

  for (int i = 0; i < 60000; i++)
    g_string_append (name, "ن");
  long_name = g_string_free (name, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *value = bad_fields[i].value != NULL ? g_strdup (bad_fields[i].value)
                                                           : g_strdup_printf ("\"%s\"",
                                                                              long_name);
      PayamSyncOpResult r = push (f, &f->office, "request", f->r_loose, bad_fields[i].field,
                                  value);

      if (!is_invalid (r))
        fail_msg ("request.%s: %s", bad_fields[i].field, payam_sync_result_to_string (r.result));
    }
  crew_value = g_strdup_printf ("{\"name\":\"%s\"}", long_name);
  assert_true (is_invalid (push (f, &f->office, "crew", crew_id, "*", crew_value)));
  assert_true (is_invalid (push (f, &f->office, "photo", sha, "*",
                                 "{\"mime\":\"image/jpeg\",\"width\":9223372036854775807,"
                                 "\"height\":-5," CREATED "}")));
  bad_lat = kiosk_request_value (f->kiosk.prefix, 40);
  bad_lat[strlen (bad_lat) - 1] = '\0';
  {
    g_autofree char *with_lat = g_strdup_printf ("%s,\"lat\":12.0,\"lon\":51.4}", bad_lat);

    assert_true (is_invalid (push (f, &f->kiosk, "request", request_id, "*", with_lat)));
  }
  after = snapshot (f->server);
  assert_string_equal (before, after);
  /* Each is in the conflict list, under the field that failed. */
  assert_int_equal (count (f->server, "SELECT count(*) FROM conflict WHERE kind = 'rejected' "
                           "AND row_id = ?1 AND field IN ('phone', 'name', 'text', 'priority', "
                           "'lat', 'category', 'neighbourhood', 'street')", f->r_loose),
                    G_N_ELEMENTS (bad_fields));
  assert_int_equal (count (f->server, "SELECT count(*) FROM conflict WHERE kind = 'rejected' "
                           "AND row_id = ?1 AND field = 'name'", crew_id), 1);
  assert_int_equal (count (f->server, "SELECT count(*) FROM conflict WHERE kind = 'rejected' "
                           "AND row_id = ?1 AND field = 'width'", sha), 1);
  assert_int_equal (count (f->server, "SELECT count(*) FROM conflict WHERE kind = 'rejected' "
                           "AND row_id = ?1 AND field = 'lat'", request_id), 1);
  /* What the app writes passes (a conflict: written without a base). */
  assert_int_equal (push (f, &f->office, "request", f->r_loose, "phone",
                          "\"09121112233\"").result, PAYAM_SYNC_RESULT_CONFLICT);
  {
    g_autofree char *phone = query_text (f->server, "SELECT phone FROM request WHERE id = ?1",
                                         f->r_loose);

    assert_string_equal (phone, "09121112233");
  }
}

/* A crew device enrolled for @crew_id (its store knows it is a crew's). */
static PayamStore *
crew_device (Fixture    *f,
             const char *crew_id)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = device_store (f);
  PayamEnrolment enrolment = {
    .server_url = (char *) "https://127.0.0.1:1",
    .fingerprint = (char *) "0000000000000000000000000000000000000000000000000000000000000000",
    .credential = (char *) "test-credential", .role = PAYAM_ROLE_CREW,
    .crew_id = (char *) crew_id,
    .office_public_key = (char *) "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  };

  assert_true (payam_store_save_enrolment (store, &enrolment, 41, &error));
  return store;
}

static PayamWithdrawal
withdrawal_of (PayamStore *store,
               const char *request_id)
{
  g_autoptr(GError) error = NULL;
  PayamWithdrawal w;

  if (!payam_store_get_withdrawal (store, request_id, &w, &error))
    fail_msg ("%s", error->message);
  return w;
}

/* After the office took the work away: the crew's work of meanwhile is refused as
 * "withdrawn" and kept for the office to decide, on both sides; the copy is read-only. */
static void
assert_withdrawn (Fixture         *f,
                  PayamStore      *crew,
                  const char      *request_id,
                  PayamWithdrawal  expected,
                  guint            refused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kept = payam_store_sync_list_refused (crew, &error);
  PayamActionDraft note = { PAYAM_ACTION_NOTE, "دوباره آمدیم", NULL };
  g_autofree char *action = NULL;

  assert_true (refused >= 1);
  assert_non_null (kept);
  assert_int_equal (kept->len, refused);
  assert_int_equal (count (f->server, "SELECT count(*) FROM conflict WHERE reason = "
                           "'withdrawn'", NULL), refused);
  assert_int_equal (count (f->server, "SELECT count(*) FROM sync_log WHERE reason = 'role'",
                           NULL), 0);
  assert_int_equal (withdrawal_of (crew, request_id), expected);
  action = payam_store_add_action (crew, request_id, &note, PAYAM_ROLE_CREW, &error);
  assert_null (action);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  assert_string_equal (error->message, payam_withdrawal_reason (expected));
}

/* Issue #9 case 4, a worksheet given to another crew while the first was offline. */
static void
test_withdrawn_reassigned (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) crew = crew_device (f, f->crew1);
  PayamActionDraft start = { PAYAM_ACTION_START, NULL, NULL };
  g_autofree char *a = NULL;
  g_autofree char *status = NULL;
  g_autofree char *ws_crew = NULL;
  guint refused;

  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  assert_int_equal (withdrawal_of (crew, f->r_mine), PAYAM_WITHDRAWAL_NONE);
  assert_true (payam_store_assign_crew (f->server, f->r_mine, f->crew2, &error));
  flush_server (f);
  a = payam_store_add_action (crew, f->r_mine, &start, PAYAM_ROLE_CREW, &error);
  assert_non_null (a);
  refused = sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1);
  status = query_text (f->server, "SELECT status FROM request WHERE id = ?1", f->r_mine);
  assert_string_equal (status, "assigned");
  ws_crew = query_text (crew, "SELECT crew_id FROM worksheet WHERE id = ?1", f->w1);
  assert_string_equal (ws_crew, f->crew2);
  assert_withdrawn (f, crew, f->r_mine, PAYAM_WITHDRAWAL_REASSIGNED, refused);
}

/* Issue #9 case 4, a request split out of the crew's group: the crew keeps no group. */
static void
test_withdrawn_split (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) crew = crew_device (f, f->crew1);
  g_autoptr(PayamRequest) joined = NULL;
  PayamActionDraft note = { PAYAM_ACTION_NOTE, "شیر آب بسته شد", NULL };
  PayamRequestDraft draft = {
    .text = "همان چاله", .category = "asphalt", .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_PHONE,
  };
  g_autofree char *a = NULL;
  g_autofree char *group = NULL;
  guint refused;

  joined = payam_store_add_request_to_group (f->server, &draft, f->r_mine, &error);
  assert_non_null (joined);
  flush_server (f);
  assert_int_equal (sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1), 0);
  group = query_text (crew, "SELECT group_id FROM request WHERE id = ?1", joined->id);
  assert_string_equal (group, f->g1);
  assert_true (payam_store_split (f->server, joined->id, &error));
  flush_server (f);
  /* Offline, the crew notes on the whole group: the note is about its worksheet, still its
   * own; a status it gives the split request is not. */
  a = payam_store_add_action (crew, joined->id, &note, PAYAM_ROLE_CREW, &error);
  assert_non_null (a);
  assert_true (payam_store_set_status (crew, joined->id, PAYAM_STATUS_IN_PROGRESS,
                                       PAYAM_ROLE_CREW, NULL, &error));
  refused = sync_store (f, crew, PAYAM_ROLE_CREW, f->crew1);
  g_free (group);
  group = query_text (crew, "SELECT group_id FROM request WHERE id = ?1", joined->id);
  assert_null (group);
  assert_int_equal (withdrawal_of (crew, f->r_mine), PAYAM_WITHDRAWAL_NONE);
  assert_withdrawn (f, crew, joined->id, PAYAM_WITHDRAWAL_SPLIT, refused);
}

/* The op of @role's pull (from the start) of @field of @row_id by @device_id, or NULL.
 * Caller owns it. */
static PayamOp *
pulled_op (Fixture    *f,
           PayamRole   role,
           const char *crew_id,
           const char *row_id,
           const char *field)
{
  g_autoptr(GError) error = NULL;
  PayamOp *found = NULL;
  gboolean more = TRUE;
  gint64 after = 0;

  while (more)
    {
      gint64 next;
      g_autoptr(GPtrArray) page = payam_store_sync_pull (f->server, role, crew_id, after, 50,
                                                         &next, &more, &error);

      assert_non_null (page);
      for (guint i = 0; i < page->len; i++)
        {
          PayamOp *op = page->pdata[i];

          if (g_strcmp0 (op->row_id, row_id) == 0 && g_strcmp0 (op->field, field) == 0)
            {
              payam_op_free (found);
              found = payam_op_copy (op);
            }
        }
      after = next;
    }
  return found;
}

/* The office's reason for a change (PayamOp.why, issue #12): only the office may send it; a
 * crew's or a kiosk's op carrying one is refused as "role" (the same op without it is
 * taken); it is checked like typed text; it reaches the crews that see the op and never a
 * kiosk; an op without one (an older device) is taken as before. */
static void
test_why_office_only (void **state)
{
  Fixture *f = *state;
  g_autofree char *kiosk_value = kiosk_request_value (f->kiosk.prefix, 2);
  g_autofree char *kiosk_row = payam_uuid7_new ();
  g_autofree char *long_why = NULL;
  g_autofree char *logged = NULL;
  g_autoptr(PayamOp) to_crew = NULL;
  g_autoptr(PayamOp) to_kiosk = NULL;
  const char *why = "شهروند دوباره زنگ زد؛ چاله بزرگ‌تر شده است";
  GString *text = g_string_new (NULL);
  PayamSyncOpResult r;

  /* A crew: its own worksheet's status, with a reason refused, without taken. */
  r = push_why (f, &f->crew, "worksheet", f->w1, "status", "\"in_progress\"", why);
  assert_true (is_role (r));
  r = push (f, &f->crew, "worksheet", f->w1, "status", "\"in_progress\"");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  /* A kiosk: its own new request, the same. */
  r = push_why (f, &f->kiosk, "request", kiosk_row, "*", kiosk_value, why);
  assert_true (is_role (r));
  r = push (f, &f->kiosk, "request", kiosk_row, "*", kiosk_value);
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("kiosk without a reason: %s", r.reason);
  assert_false (payam_sync_role_may_explain (PAYAM_ROLE_KIOSK));
  assert_false (payam_sync_role_may_explain (PAYAM_ROLE_CREW));
  assert_true (payam_sync_role_may_explain (PAYAM_ROLE_OFFICE));

  /* The office: checked like text people type. */
  for (int i = 0; i < 4001; i++)
    g_string_append (text, "ب");
  long_why = g_string_free (text, FALSE);
  r = push_why (f, &f->office, "request", f->r_mine, "priority", "1", long_why);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  assert_string_equal (r.reason, "invalid-value");
  r = push_why (f, &f->office, "request", f->r_mine, "priority", "1", "   ");
  assert_string_equal (r.reason, "invalid-value");
  r = push_why (f, &f->office, "request", f->r_mine, "priority", "1", "بد\x01");
  assert_string_equal (r.reason, "invalid-value");
  /* (The writer names no base: a conflict with the office's own earlier priority.) */
  r = push_why (f, &f->office, "request", f->r_mine, "priority", "1", why);
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  logged = query_text (f->server, "SELECT why FROM sync_log WHERE row_id = ?1 AND field = "
                       "'priority' AND result != 'rejected'", f->r_mine);
  assert_string_equal (logged, why);

  /* Sent on to the crew that holds the worksheet, never to a kiosk. */
  to_crew = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, f->r_mine, "priority");
  assert_non_null (to_crew);
  assert_string_equal (to_crew->why, why);
  to_kiosk = pulled_op (f, PAYAM_ROLE_KIOSK, NULL, f->r_mine, "priority");
  assert_non_null (to_kiosk);
  assert_null (to_kiosk->why);

  /* An office op without a reason (an older desk) is taken as before. */
  r = push (f, &f->office, "request", f->r_mine, "priority", "2");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  g_free (logged);
  logged = query_text (f->server, "SELECT priority FROM request WHERE id = ?1", f->r_mine);
  assert_string_equal (logged, "2");
}

/* ---- the member behind an op (issue #13 item 7) ------------------------------------------- */

/* The server's log row of @device's last op: its result (NULL: applied, superseded or a
 * conflict, anything but refused), reason and member. */
static void
assert_logged (Fixture    *f,
               Device     *device,
               const char *result,
               const char *reason,
               const char *member)
{
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_prepare_v2 (f->server->db, "SELECT result, reason, member FROM "
                                        "sync_log WHERE device_id = ?1 AND device_seq = ?2",
                                        -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, device->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, device->seq);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  if (result != NULL)
    assert_string_equal ((const char *) sqlite3_column_text (stmt, 0), result);
  else
    assert_string_not_equal ((const char *) sqlite3_column_text (stmt, 0), "rejected");
  assert_true (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), reason) == 0);
  assert_true (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), member) == 0);
  sqlite3_finalize (stmt);
}

/* A reopen (a status op raising the epoch) from an office desk is applied only when its
 * member is an active supervisor in the server's staff table: a plain office member, no
 * member, a disabled supervisor are refused as "role", and the op is kept (logged as
 * rejected, a conflict row for the office) with the member who made it. */
static void
test_reopen_needs_supervisor (void **state)
{
  Fixture *f = *state;
  const char *reopen = "{\"status\":\"triaged\",\"epoch\":1,\"reason\":\"اشتباه بسته شد\"}";
  g_autofree char *status = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *stranger = payam_uuid7_new ();
  PayamSyncOpResult r;

  status = query_text (f->server, "SELECT status FROM request WHERE id = ?1", f->r_done);
  assert_string_equal (status, "done");

  f->office.member = f->clerk;
  r = push (f, &f->office, "request", f->r_done, "status", reopen);
  assert_true (is_role (r));
  assert_logged (f, &f->office, "rejected", "role", f->clerk);
  kept = query_text (f->server, "SELECT lost_member FROM conflict WHERE kind = 'rejected' AND "
                     "row_id = ?1 AND reason = 'role'", f->r_done);
  assert_non_null (kept);
  assert_string_equal (kept, f->clerk);
  g_free (status);
  status = query_text (f->server, "SELECT status FROM request WHERE id = ?1", f->r_done);
  assert_string_equal (status, "done");

  f->office.member = NULL;
  r = push (f, &f->office, "request", f->r_done, "status", reopen);
  assert_true (is_role (r));
  assert_logged (f, &f->office, "rejected", "role", NULL);

  /* A member this server has never heard of is no supervisor either. */
  f->office.member = stranger;
  r = push (f, &f->office, "request", f->r_done, "status", reopen);
  assert_true (is_role (r));

  /* A disabled supervisor. */
  assert_int_equal (sqlite3_exec (f->server->db, "UPDATE staff SET active = 0", NULL, NULL,
                                  NULL), SQLITE_OK);
  f->office.member = f->boss;
  r = push (f, &f->office, "request", f->r_done, "status", reopen);
  assert_true (is_role (r));
  assert_int_equal (sqlite3_exec (f->server->db, "UPDATE staff SET active = 1", NULL, NULL,
                                  NULL), SQLITE_OK);

  r = push (f, &f->office, "request", f->r_done, "status", reopen);
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("a supervisor's reopen: %s", r.reason);
  assert_logged (f, &f->office, NULL, NULL, f->boss);
  g_free (status);
  status = query_text (f->server, "SELECT status || '/' || status_epoch FROM request "
                       "WHERE id = ?1", f->r_done);
  assert_string_equal (status, "triaged/1");

  /* Moves within the new epoch are everyone's: the clerk assigns it again. */
  f->office.member = f->clerk;
  r = push (f, &f->office, "request", f->r_done, "status",
            "{\"status\":\"assigned\",\"epoch\":1}");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);

  /* The server's own ops (payamctl on the server machine) are trusted. */
  assert_true (payam_store_set_status (f->server, f->r_theirs, PAYAM_STATUS_REJECTED,
                                       PAYAM_ROLE_OFFICE, "تکراری", NULL));
  assert_true (payam_store_set_status (f->server, f->r_theirs, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, NULL, NULL));
  flush_server (f);
  g_free (status);
  status = query_text (f->server, "SELECT count(*) FROM sync_log WHERE row_id = ?1 AND "
                       "result = 'rejected'", f->r_theirs);
  assert_string_equal (status, "0");
}

/* A deadline set by hand (request or worksheet due_at that no rule gives) needs a
 * supervisor; the deadline triage recomputes from the category and priority, and the one a
 * group shares, are any office member's. */
static void
test_deadline_needs_supervisor (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) loose = payam_store_get_request (f->server, f->r_loose, NULL);
  const PayamCategory *asphalt = _payam_store_lookup_category (f->server, "asphalt", NULL);
  g_autoptr(GDateTime) urgent = NULL;
  g_autoptr(GDateTime) high = NULL;
  g_autofree char *urgent_text = NULL;
  g_autofree char *urgent_value = NULL;
  g_autofree char *high_text = NULL;
  g_autofree char *high_value = NULL;
  g_autofree char *due = NULL;
  const char *by_hand = "\"2027-01-20T10:00:00.000Z\"";
  g_autofree char *group = query_text (f->server, "SELECT json_quote (group_id) FROM request "
                                       "WHERE id = ?1", f->r_mine);
  PayamSyncOpResult r;

  assert_non_null (loose);
  assert_non_null (asphalt);
  f->office.member = f->clerk;
  r = push (f, &f->office, "request", f->r_loose, "due_at", by_hand);
  assert_true (is_role (r));
  assert_logged (f, &f->office, "rejected", "role", f->clerk);
  r = push (f, &f->office, "worksheet", f->w1, "due_at", by_hand);
  assert_true (is_role (r));
  f->office.member = NULL;
  r = push (f, &f->office, "request", f->r_loose, "due_at", by_hand);
  assert_true (is_role (r));
  due = query_text (f->server, "SELECT due_at FROM request WHERE id = ?1", f->r_loose);
  assert_string_not_equal (due, "2027-01-20T10:00:00.000Z");

  /* Triage: the clerk makes it urgent; the deadline recomputed goes with it. */
  f->office.member = f->clerk;
  r = push_why (f, &f->office, "request", f->r_loose, "priority", "1", "گاز نشت می‌کند");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  urgent = payam_deadline_compute (payam_store_get_work_calendar (f->server), &asphalt->rule,
                                   PAYAM_PRIORITY_URGENT, loose->created_at);
  urgent_text = _payam_time_to_db (urgent);
  urgent_value = g_strdup_printf ("\"%s\"", urgent_text);
  r = push_why (f, &f->office, "request", f->r_loose, "due_at", urgent_value, "گاز نشت می‌کند");
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("triage's deadline: %s", r.reason);
  /* A desk triages it high; a concurrent edit takes the priority to normal before the
   * triage's deadline arrives: the deadline the desk computed from what it saw is still the
   * rule's (neither the row's own nor the one its current values give), not a hand-set one. */
  high = payam_deadline_compute (payam_store_get_work_calendar (f->server), &asphalt->rule,
                                 PAYAM_PRIORITY_HIGH, loose->created_at);
  high_text = _payam_time_to_db (high);
  high_value = g_strdup_printf ("\"%s\"", high_text);
  r = push_why (f, &f->office, "request", f->r_loose, "priority", "2", "آب بالا می‌آید");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push_why (f, &f->office, "request", f->r_loose, "priority", "3", "نشت نبود");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push_why (f, &f->office, "request", f->r_loose, "due_at", high_value, "آب بالا می‌آید");
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("triage's deadline after a concurrent priority: %s", r.reason);
  r = push (f, &f->office, "request", f->r_loose, "due_at", by_hand);
  assert_true (is_role (r));
  r = push_why (f, &f->office, "request", f->r_loose, "priority", "1", "گاز نشت می‌کند");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push_why (f, &f->office, "request", f->r_loose, "due_at", urgent_value, "گاز نشت می‌کند");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  /* A group shares its most urgent deadline: r_loose2 joins it, and so does the worksheet. */
  r = push (f, &f->office, "request", f->r_loose2, "due_at", urgent_value);
  assert_true (is_role (r));  /* not in one group (yet) */
  r = push (f, &f->office, "request", f->r_loose2, "group_id", group);
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push (f, &f->office, "request", f->r_mine, "due_at", urgent_value);
  assert_true (is_role (r));
  r = push (f, &f->office, "request", f->r_loose, "group_id", group);
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push (f, &f->office, "request", f->r_mine, "due_at", urgent_value);
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("a group's shared deadline: %s", r.reason);
  r = push (f, &f->office, "worksheet", f->w1, "due_at", urgent_value);
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("the worksheet's shared deadline: %s", r.reason);

  /* A supervisor sets one by hand. */
  f->office.member = f->boss;
  r = push (f, &f->office, "request", f->r_loose, "due_at", by_hand);
  if (r.result == PAYAM_SYNC_RESULT_REJECTED)
    fail_msg ("a supervisor's deadline: %s", r.reason);
  g_free (due);
  due = query_text (f->server, "SELECT due_at FROM request WHERE id = ?1", f->r_loose);
  assert_string_equal (due, "2027-01-20T10:00:00.000Z");
  r = push (f, &f->office, "worksheet", f->w1, "due_at", by_hand);
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
}

/* An op names a member of its device's kind: a crew laptop never an office account or a
 * member of another crew, a kiosk none, an office desk never a crew member. Otherwise it
 * is refused as "role". An id the server does not know is no mismatch. */
static void
test_member_of_the_device (void **state)
{
  Fixture *f = *state;
  g_autofree char *value = g_strdup_printf ("{\"worksheet_id\":\"%s\",\"kind\":\"note\","
                                            "\"note\":\"یادداشت\","
                                            "\"at\":\"2026-11-18T10:00:00.000Z\"}", f->w1);
  g_autofree char *kiosk_value = kiosk_request_value (f->kiosk.prefix, 2);
  g_autofree char *row = NULL;
  g_autofree char *stranger = payam_uuid7_new ();
  PayamSyncOpResult r;

  f->crew.member = f->boss;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->crew, "worksheet_action", row, "*", value);
  assert_true (is_role (r));
  assert_logged (f, &f->crew, "rejected", "role", f->boss);
  f->crew.member = f->fitter2;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->crew, "worksheet_action", row, "*", value);
  assert_true (is_role (r));
  f->crew.member = f->fitter;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->crew, "worksheet_action", row, "*", value);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);
  assert_logged (f, &f->crew, "applied", NULL, f->fitter);
  f->crew.member = NULL;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->crew, "worksheet_action", row, "*", value);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);
  f->crew.member = stranger;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->crew, "worksheet_action", row, "*", value);
  assert_int_equal (r.result, PAYAM_SYNC_RESULT_APPLIED);

  f->kiosk.member = f->clerk;
  g_free (row);
  row = payam_uuid7_new ();
  r = push (f, &f->kiosk, "request", row, "*", kiosk_value);
  assert_true (is_role (r));
  f->kiosk.member = NULL;

  f->office.member = f->fitter;
  r = push (f, &f->office, "request", f->r_mine, "priority", "1");
  assert_true (is_role (r));
  f->office.member = f->clerk;
  r = push (f, &f->office, "request", f->r_mine, "priority", "1");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
}

/* Office accounts travel as ops: a supervisor (or payamctl, no member) makes and changes
 * them, a plain office member may not; they reach office desks, never a crew or a kiosk. */
static void
test_staff_rows (void **state)
{
  Fixture *f = *state;
  g_autofree char *row = payam_uuid7_new ();
  g_autofree char *row2 = payam_uuid7_new ();
  g_autofree char *row3 = payam_uuid7_new ();
  const char *account = "{\"role\":\"office\",\"name\":\"سارا نوری\",\"supervisor\":1,"
                        "\"active\":1,\"password_hash\":\"$argon2id$v=19$x\"}";
  g_autoptr(PayamOp) to_office = NULL;
  g_autoptr(PayamOp) to_crew = NULL;
  g_autoptr(PayamOp) to_kiosk = NULL;
  g_autofree char *active = NULL;
  PayamSyncOpResult r;

  /* A plain office member may not make an account, nor make themself a supervisor. */
  f->office.member = f->clerk;
  r = push (f, &f->office, "staff", row, "*", account);
  assert_true (is_role (r));
  r = push (f, &f->office, "staff", f->clerk, "supervisor", "1");
  assert_true (is_role (r));
  /* Crews and kiosks never write one. */
  r = push (f, &f->crew, "staff", row2, "*", account);
  assert_true (is_role (r));
  r = push (f, &f->kiosk, "staff", row2, "*", account);
  assert_true (is_role (r));
  /* Not an office account; not a password hash. */
  f->office.member = f->boss;
  r = push (f, &f->office, "staff", row2, "*",
            "{\"role\":\"crew\",\"name\":\"سارا نوری\",\"supervisor\":0,\"active\":1}");
  assert_string_equal (r.reason, "invalid-value");
  r = push (f, &f->office, "staff", row3, "*",
            "{\"role\":\"office\",\"name\":\"سارا\",\"active\":1,\"password_hash\":\"1234\"}");
  assert_string_equal (r.reason, "invalid-value");

  /* A supervisor's; payamctl's (no member). */
  r = push (f, &f->office, "staff", row, "*", account);
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("a supervisor's new account: %s", r.reason);
  f->office.member = NULL;
  r = push (f, &f->office, "staff", row, "active", "0");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  active = query_text (f->server, "SELECT active FROM staff WHERE id = ?1", row);
  assert_string_equal (active, "0");

  to_office = pulled_op (f, PAYAM_ROLE_OFFICE, NULL, row, "*");
  assert_non_null (to_office);
  to_crew = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, row, "*");
  assert_null (to_crew);
  g_clear_pointer (&to_crew, payam_op_free);
  to_crew = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, row, "active");
  assert_null (to_crew);
  to_kiosk = pulled_op (f, PAYAM_ROLE_KIOSK, NULL, row, "*");
  assert_null (to_kiosk);
}

/* Crews and their members (their PINs) are a supervisor's to make, as office accounts are:
 * a clerk's desk is refused by the server even when its own check is bypassed. */
static void
test_crews_need_supervisor (void **state)
{
  Fixture *f = *state;
  g_autofree char *crew = payam_uuid7_new ();
  g_autofree char *member = payam_uuid7_new ();
  g_autofree char *person = g_strdup_printf ("{\"crew_id\":\"%s\",\"name\":\"مریم\","
                                             "\"pin_hash\":\"$argon2id$x\"," CREATED "}",
                                             f->crew1);
  PayamSyncOpResult r;

  f->office.member = f->clerk;
  r = push (f, &f->office, "crew", crew, "*", "{\"name\":\"اکیپ چهار\"}");
  assert_true (is_role (r));
  r = push (f, &f->office, "crew_member", member, "*", person);
  assert_true (is_role (r));
  f->office.member = f->boss;
  r = push (f, &f->office, "crew", crew, "*", "{\"name\":\"اکیپ چهار\"}");
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("a supervisor's new crew: %s", r.reason);
  f->office.member = NULL;
  r = push (f, &f->office, "crew_member", member, "*", person);
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("payamctl's new crew member: %s", r.reason);
}

/* Changes to accounts (issue #13 item 7): enabling an account again, a new password, a
 * member disabled or given a new PIN are a supervisor's or payamctl's; a plain office member
 * may change only their own password. A member's changes reach that member's crew and the
 * office, never another crew or a kiosk; an account's reach no crew. A crew laptop that
 * pulls the member disabled refuses the member's right PIN. */
static void
test_account_changes_need_supervisor (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) laptop = NULL;
  g_autoptr(PayamOp) op = NULL;
  g_autofree char *member = payam_uuid7_new ();
  g_autofree char *pin_hash = NULL;
  g_autofree char *person = NULL;
  g_autofree char *pin_value = NULL;
  g_autofree char *active = NULL;
  PayamSyncOpResult r;

  /* A clerk: not another's account nor a member; their own password, yes. */
  f->office.member = f->clerk;
  r = push (f, &f->office, "staff", f->boss, "active", "1");
  assert_true (is_role (r));
  r = push (f, &f->office, "staff", f->boss, "password_hash", "\"$argon2id$stolen\"");
  assert_true (is_role (r));
  r = push (f, &f->office, "crew_member", f->fitter, "active", "0");
  assert_true (is_role (r));
  r = push (f, &f->office, "crew_member", f->fitter, "pin_hash", "\"$argon2id$stolen\"");
  assert_true (is_role (r));
  active = query_text (f->server, "SELECT active FROM crew_member WHERE id = ?1", f->fitter);
  assert_string_equal (active, "1");
  r = push (f, &f->office, "staff", f->clerk, "password_hash", "\"$argon2id$mine\"");
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("the clerk's own password: %s", r.reason);
  /* A supervisor: anyone's. */
  f->office.member = f->boss;
  r = push (f, &f->office, "staff", f->clerk, "active", "0");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push (f, &f->office, "staff", f->clerk, "active", "1");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  r = push (f, &f->office, "staff", f->clerk, "password_hash", "\"$argon2id$reset\"");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  /* Checked as values. */
  r = push (f, &f->office, "crew_member", f->fitter, "active", "7");
  assert_string_equal (r.reason, "invalid-value");
  r = push (f, &f->office, "crew_member", f->fitter, "pin_hash", "\"1234\"");
  assert_string_equal (r.reason, "invalid-value");

  /* A member made with a real PIN (payamctl's), then disabled by the supervisor. */
  pin_hash = payam_secret_hash ("2468", &error);
  assert_non_null (pin_hash);
  person = g_strdup_printf ("{\"crew_id\":\"%s\",\"name\":\"سمیرا\",\"pin_hash\":\"%s\","
                            CREATED "}", f->crew1, pin_hash);
  f->office.member = NULL;
  r = push (f, &f->office, "crew_member", member, "*", person);
  if (r.result != PAYAM_SYNC_RESULT_APPLIED)
    fail_msg ("payamctl's new member: %s", r.reason);
  f->office.member = f->boss;
  r = push (f, &f->office, "crew_member", member, "active", "0");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  pin_value = g_strdup_printf ("\"%s\"", pin_hash);
  r = push (f, &f->office, "crew_member", member, "pin_hash", pin_value);
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  g_clear_pointer (&active, g_free);
  active = query_text (f->server, "SELECT active FROM crew_member WHERE id = ?1", member);
  assert_string_equal (active, "0");

  /* Who pulls what. */
  op = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, member, "active");
  assert_non_null (op);
  g_clear_pointer (&op, payam_op_free);
  op = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, member, "pin_hash");
  assert_non_null (op);
  g_clear_pointer (&op, payam_op_free);
  op = pulled_op (f, PAYAM_ROLE_OFFICE, NULL, member, "pin_hash");
  assert_non_null (op);
  g_clear_pointer (&op, payam_op_free);
  op = pulled_op (f, PAYAM_ROLE_CREW, f->crew2, member, "pin_hash");
  assert_null (op);
  op = pulled_op (f, PAYAM_ROLE_CREW, f->crew2, member, "active");
  assert_null (op);
  op = pulled_op (f, PAYAM_ROLE_KIOSK, NULL, member, "pin_hash");
  assert_null (op);
  op = pulled_op (f, PAYAM_ROLE_KIOSK, NULL, f->clerk, "password_hash");
  assert_null (op);
  op = pulled_op (f, PAYAM_ROLE_CREW, f->crew1, f->clerk, "password_hash");
  assert_null (op);
  op = pulled_op (f, PAYAM_ROLE_OFFICE, NULL, f->clerk, "password_hash");
  assert_non_null (op);
  g_clear_pointer (&op, payam_op_free);

  /* The crew's laptop, synced: the member is there, disabled; the right PIN is refused. */
  laptop = crew_device (f, f->crew1);
  sync_store (f, laptop, PAYAM_ROLE_CREW, f->crew1);
  assert_null (payam_store_crew_sign_in (laptop, member, "2468", &error));
  if (!g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_DISABLED))
    fail_msg ("a disabled member on the laptop: %s", error != NULL ? error->message : "signed in");
  g_clear_error (&error);
  /* Enabled again (payamctl): the laptop lets them in at its next sync. */
  f->office.member = NULL;
  r = push (f, &f->office, "crew_member", member, "active", "1");
  assert_int_not_equal (r.result, PAYAM_SYNC_RESULT_REJECTED);
  sync_store (f, laptop, PAYAM_ROLE_CREW, f->crew1);
  {
    g_autofree char *name = payam_store_crew_sign_in (laptop, member, "۲۴۶۸", &error);

    if (name == NULL)
      fail_msg ("enabled again: %s", error->message);
    assert_string_equal (name, "سمیرا");
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_every_combination, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_moves_request, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_takes_other_code, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crew_outcome_notice, setup, teardown),
    cmocka_unit_test_setup_teardown (test_done_beats_not_possible, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_contact_before_enrolment, setup, teardown),
    cmocka_unit_test_setup_teardown (test_public_view_fixed_words, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk_pull_no_reason, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wire_validation, setup, teardown),
    cmocka_unit_test_setup_teardown (test_withdrawn_reassigned, setup, teardown),
    cmocka_unit_test_setup_teardown (test_withdrawn_split, setup, teardown),
    cmocka_unit_test_setup_teardown (test_why_office_only, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reopen_needs_supervisor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deadline_needs_supervisor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_member_of_the_device, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff_rows, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crews_need_supervisor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_account_changes_need_supervisor, setup, teardown),
  };

  return cmocka_run_group_tests_name ("sync-roles", tests, NULL, NULL);
}
