/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the live log: a pull sends only the field ops that still hold their field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-store-private.h"
#include "payam-store-sync.h"

#define T0 G_GINT64_CONSTANT (1795000000000)

enum { A, B, C, N_DEVICES };

typedef struct {
  gint64      now_ms;
  PayamStore *server;
  PayamStore *devices[N_DEVICES];
  char       *request_id;
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

static void
push (Fixture    *f,
      PayamStore *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (device, 0, 0, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;

  assert_non_null (ops);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (device), PAYAM_ROLE_OFFICE,
                              NULL, ops, f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_true (payam_store_sync_ack (device, reply->acked_through, reply->results, reply->server_hlc, &error));
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Pull @device to the end in pages of two; the field ops pulled as "field=value" lines,
 * sorted (creates left out). */
static char *
pull (Fixture    *f,
      PayamStore *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gboolean more = TRUE;

  while (more)
    {
      gint64 next;
      g_autoptr(GPtrArray) page = payam_store_sync_pull (f->server, PAYAM_ROLE_OFFICE, NULL,
                                                         payam_store_sync_get_cursor (device,
                                                                                      NULL),
                                                         2, &next, &more, &error);

      assert_non_null (page);
      assert_true (payam_store_sync_apply_page (device, page, next, 0, &error));
      for (guint i = 0; i < page->len; i++)
        {
          const PayamOp *op = g_ptr_array_index (page, i);

          if (strcmp (op->field, "*") != 0)
            g_ptr_array_add (lines, g_strdup_printf ("%s=%s", op->field, op->value));
        }
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv (" ", (char **) lines->pdata);
}

static char *
state_of (PayamStore *store,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = payam_store_get_request (store, id, &error);

  assert_non_null (r);
  return g_strdup_printf ("%s|%s|%s", r->street, r->landmark, r->text);
}

static void
set_field (Fixture    *f,
           int         device,
           const char *field,
           const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("\"%s\"", value);

  f->now_ms += 10;
  if (!payam_store_sync_set_field (f->devices[device], "request", f->request_id, field, json,
                                   &error))
    fail_msg ("set %s: %s", field, error->message);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = NULL;
  PayamRequestDraft draft = {
    .text = "چاله", .category = "asphalt", .neighbourhood = "tohid", .street = "s0",
    .landmark = "l0", .channel = PAYAM_CHANNEL_OFFICE,
  };

  f->now_ms = T0;
  f->server = open_store (f, 1);
  for (int i = 0; i < N_DEVICES; i++)
    f->devices[i] = open_store (f, 2 + i);
  /* A made the request; A and B hold it before the script, C has pulled nothing. */
  r = payam_store_add_request (f->devices[A], &draft, &error);
  assert_non_null (r);
  f->request_id = g_strdup (r->id);
  push (f, f->devices[A]);
  g_free (pull (f, f->devices[A]));
  g_free (pull (f, f->devices[B]));
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->server);
  for (int i = 0; i < N_DEVICES; i++)
    g_clear_object (&f->devices[i]);
  g_free (f->request_id);
  g_free (f);
  return 0;
}

/* A script of edits and pushes; what B (pulling at the end) and C (pulling everything)
 * receive, and what every replica holds then. */
/* How many conflict rows the server holds. */
static gint64
server_conflicts (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  assert_int_equal (sqlite3_prepare_v2 (f->server->db, "SELECT count (*) FROM conflict", -1,
                                        &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

typedef struct {
  int         device;  /* A or B; -1 ends the script */
  const char *field;   /* NULL: push the device's outbox */
  const char *value;
} Step;

#define PUSH_A { A, NULL, NULL }
#define PUSH_B { B, NULL, NULL }
#define END { -1, NULL, NULL }

static const struct {
  const char *name;
  Step        steps[8];
  const char *b_pulls;   /* field ops B receives after the script (its own come back) */
  const char *c_pulls;   /* field ops C receives from the start */
  const char *state;     /* street|landmark|text everywhere */
} cases[] = {
  { "a later edit beats the one logged before it",
    { { A, "street", "a1" }, PUSH_A, { B, "street", "b1" }, PUSH_B, END },
    "street=\"b1\"", "street=\"b1\"", "b1|l0|چاله" },
  { "an edit stamped earlier but logged later loses and is not sent",
    { { A, "street", "a1" }, { B, "street", "b1" }, PUSH_B, PUSH_A, END },
    "street=\"b1\"", "street=\"b1\"", "b1|l0|چاله" },
  { "edits of other fields all go",
    { { A, "street", "a1" }, { B, "landmark", "b1" }, { A, "text", "a2" }, PUSH_B, PUSH_A,
      END },
    "landmark=\"b1\" street=\"a1\" text=\"a2\"", "landmark=\"b1\" street=\"a1\" text=\"a2\"",
    "a1|b1|a2" },
  { "a chain of edits of one field sends the last",
    { { A, "street", "a1" }, { A, "street", "a2" }, PUSH_A, { B, "street", "b1" },
      { B, "street", "b2" }, PUSH_B, { A, "street", "a3" }, PUSH_A },
    "street=\"a3\"", "street=\"a3\"", "a3|l0|چاله" },
};

static void
test_pull_sends_winners (void **state)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      Fixture *f = NULL;
      g_autofree char *b_pulled = NULL;
      g_autofree char *c_pulled = NULL;
      g_autofree char *server_state = NULL;
      g_autoptr(GError) error = NULL;
      gint64 logged;

      setup ((void **) &f);
      logged = payam_store_sync_count_log (f->server, &error);
      for (guint s = 0; s < G_N_ELEMENTS (cases[c].steps) && cases[c].steps[s].device >= 0;
           s++)
        {
          const Step *step = &cases[c].steps[s];

          if (step->field != NULL)
            {
              set_field (f, step->device, step->field, step->value);
              logged++;
            }
          else
            push (f, f->devices[step->device]);
        }
      /* Every op is logged, and each conflict row the server made (sent to the office
       * devices as the server's own op); only the pull leaves the beaten ones out. */
      assert_int_equal (payam_store_sync_count_log (f->server, &error),
                        logged + server_conflicts (f));

      b_pulled = pull (f, f->devices[B]);
      c_pulled = pull (f, f->devices[C]);
      g_free (pull (f, f->devices[A]));
      server_state = state_of (f->server, f->request_id);
      if (strcmp (b_pulled, cases[c].b_pulls) != 0 || strcmp (c_pulled, cases[c].c_pulls) != 0)
        fail_msg ("%s: B pulled “%s”, C pulled “%s”", cases[c].name, b_pulled, c_pulled);
      assert_string_equal (server_state, cases[c].state);
      for (int d = 0; d < N_DEVICES; d++)
        {
          g_autofree char *device_state = state_of (f->devices[d], f->request_id);

          if (strcmp (device_state, server_state) != 0)
            fail_msg ("%s: device %d holds %s, the server %s", cases[c].name, d, device_state,
                      server_state);
        }

      /* Pulled to the end: nothing more, however often. */
      g_free (b_pulled);
      b_pulled = pull (f, f->devices[B]);
      assert_string_equal (b_pulled, "");
      teardown ((void **) &f);
    }
}

/* Ops of the other rules (a new row, a status move) stay live whatever follows; a rejected
 * op never is; a beaten field op is marked when its winner is logged. */
static void
test_live_marks (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *marks = g_string_new (NULL);
  g_autofree char *text = NULL;

  assert_true (payam_store_set_status (f->devices[A], f->request_id, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  set_field (f, A, "street", "a1");
  set_field (f, A, "street", "a2");
  push (f, f->devices[A]);
  /* B writes a street for a row the server does not know: rejected. */
  {
    g_autoptr(PayamSyncPushReply) reply = NULL;
    g_autoptr(GPtrArray) ops = g_ptr_array_new ();
    PayamOp op = { 1, NULL, NULL, (char *) "request", (char *) "no-such-row", (char *) "street",
                   (char *) "\"x\"", payam_hlc_pack (T0 + 1000, 0), 0, 0 };

    op.device_id = (char *) payam_store_get_device_id (f->devices[B]);
    op.op_id = payam_op_derive_id (op.device_id, 1, op.hlc);
    g_ptr_array_add (ops, &op);
    assert_true (payam_store_sync_push (f->server, op.device_id, PAYAM_ROLE_OFFICE, NULL, ops,
                                        f->now_ms, &reply, &error));
    assert_int_equal (g_array_index (reply->results, PayamSyncOpResult, 0).result,
                      PAYAM_SYNC_RESULT_REJECTED);
    g_free (op.op_id);
  }

  assert_int_equal (sqlite3_prepare_v2 (f->server->db, "SELECT field, result, live FROM sync_log "
                                        "ORDER BY server_seq", -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (marks, "%s:%s:%d ", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_int (stmt, 2));
  sqlite3_finalize (stmt);
  text = g_string_free (marks, FALSE);
  /* The refusal's conflict row goes out to the office as the server's own new row (*)
   * before the refused op itself is logged. */
  assert_string_equal (text, "*:applied:1 status:applied:1 street:applied:0 street:applied:1 "
                             "*:applied:1 street:rejected:0 ");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pull_sends_winners),
    cmocka_unit_test_setup_teardown (test_live_marks, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
