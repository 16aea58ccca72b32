/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of feedback to citizens (issue #14): notice templates, SMS length, the delivery
 * states of the server's queue, told-by-lookup, coverage figures and the close rule. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <libintl.h>
#include <string.h>
#include <sqlite3.h>

#include "payam-crew-work.h"
#include "payam-lifecycle.h"
#include "payam-store-feedback.h"
#include "payam-store-groups.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"
#include "payam-tracking.h"

#define LRI "\xe2\x81\xa6"
#define PDI "\xe2\x81\xa9"

typedef struct {
  char       *dir;
  char       *path;
  GDateTime  *now;
  PayamStore *store;
  char       *crew;
} Fixture;

static GDateTime *
fixed_now (gpointer data)
{
  Fixture *f = data;

  return g_date_time_ref (f->now);
}

/* Move the fixture's clock on by @seconds. */
static void
advance (Fixture *f,
         int      seconds)
{
  GDateTime *later = g_date_time_add_seconds (f->now, seconds);

  g_date_time_unref (f->now);
  f->now = later;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-feedback-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  if (!payam_store_load_defaults (f->store, &error))
    fail_msg ("defaults: %s", error->message);
  f->crew = payam_store_add_crew (f->store, "اکیپ ۱", "tohid", &error);
  assert_non_null (f->crew);
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
  g_free (f->crew);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

/* A second connection to read what the API does not expose: the first column of the first
 * row as an integer. */
static gint64 query_int (Fixture *f, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *f,
           const char *format,
           ...)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;
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

static PayamRequest *
add_request (Fixture    *f,
             const char *category,
             const char *neighbourhood,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = "چاله بزرگ جلوی مدرسه",
    .category = category,
    .neighbourhood = neighbourhood,
    .channel = PAYAM_CHANNEL_KIOSK,
    .phone = phone,
  };
  PayamRequest *request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

/* The ids of every pending notice that tells news (registered, assigned, joined), not an
 * outcome. */
static GPtrArray *
pending_news (Fixture *f)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "SELECT id FROM notice WHERE state = 'pending' "
                                        "AND kind <> 'outcome' ORDER BY id", -1, &stmt, NULL),
                    SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

/* Mark every pending news notice told, so a test about outcomes sees only those queued. */
static void
tell_news (Fixture *f)
{
  g_autoptr(GPtrArray) ids = pending_news (f);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < ids->len; i++)
    if (!payam_store_mark_notice_sent (f->store, ids->pdata[i], &error))
      fail_msg ("mark sent: %s", error->message);
}

/* Assign the fixture's crew to @request's work (its news told at once) and record @kind
 * for its whole group. */
static void
finish (Fixture            *f,
        const PayamRequest *request,
        PayamActionKind     kind,
        const char         *note,
        const char         *words)
{
  g_autoptr(GError) error = NULL;
  PayamActionDraft draft = { .kind = kind, .note = note, .public_words = words };
  g_autofree char *action = NULL;

  if (!payam_store_assign_crew (f->store, request->id, f->crew, &error))
    fail_msg ("assign: %s", error->message);
  tell_news (f);
  action = payam_store_add_action (f->store, request->id, &draft, PAYAM_ROLE_OFFICE, &error);
  if (action == NULL)
    fail_msg ("action: %s", error->message);
}

static PayamCoverageRow *
overall (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = payam_store_get_coverage (f->store, PAYAM_COVERAGE_OVERALL,
                                                         &error);
  PayamCoverageRow *row;

  assert_non_null (rows);
  assert_int_equal (rows->len, 1);
  row = g_ptr_array_steal_index (rows, 0);
  assert_null (row->key);
  return row;
}

/* ---- templates ---------------------------------------------------------------------- */

/* Every outcome's built-in template renders with the code in Persian digits isolated left
 * to right, the public words, and the address; bracketed parts go without a value. */
static void
test_templates_every_outcome (void **state)
{
  g_autofree char *inline_code = payam_tracking_code_format_inline ("001200000457");

  (void) state;
  for (guint i = 0; i < PAYAM_N_NOTICE_OUTCOMES; i++)
    {
      const char *template_text = payam_notice_default_template (i);
      g_autoptr(GError) error = NULL;
      g_autofree char *full = NULL;
      g_autofree char *bare = NULL;
      PayamNoticeOutcome back;

      assert_true (payam_notice_template_check (template_text, &error));
      assert_true (payam_notice_outcome_from_string (payam_notice_outcome_to_string (i), &back));
      assert_int_equal (back, i);
      full = payam_notice_render (template_text, "001200000457", "چاله پر شد",
                                  "payam.tehran.ir/track", &error);
      assert_non_null (full);
      assert_non_null (strstr (full, inline_code));
      assert_non_null (strstr (full, LRI "۰۰۱۲"));
      assert_non_null (strstr (full, "payam.tehran.ir/track"));
      assert_null (strstr (full, "{"));
      assert_null (strstr (full, "["));
      bare = payam_notice_render (template_text, "001200000457", NULL, "  ", &error);
      assert_non_null (bare);
      assert_non_null (strstr (bare, inline_code));
      assert_null (strstr (bare, "payam.tehran.ir"));
      assert_null (strstr (bare, "["));
      assert_null (strstr (bare, "{"));
      assert_true (strlen (bare) < strlen (full));
      if (i == PAYAM_NOTICE_DONE || i == PAYAM_NOTICE_NOT_POSSIBLE || i == PAYAM_NOTICE_REJECTED)
        assert_non_null (strstr (full, "چاله پر شد"));
    }
  assert_false (payam_notice_outcome_from_string ("closed", &(PayamNoticeOutcome) { 0 }));
}

/* Bad templates are refused with a message naming what to fix. */
static void
test_template_check (void **state)
{
  static const char * const bad[] = {
    "", "   ", "no code here", "code {code} and {name}", "{code} [a [b]]", "{code} a]",
    "{code} [a", "[{code}]", "{code} {", "\xff{code}",
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      assert_false (payam_notice_template_check (bad[i], &error));
      assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
      assert_null (payam_notice_render (bad[i], "001200000457", NULL, NULL, NULL));
    }
  assert_true (payam_notice_template_check ("کد {code}[ {words}][ {address}]", NULL));
}

/* Per category templates: the category's own, else the office's for every category, else
 * the built-in one; a done notice made by a crew uses them, with the public words only. */
static void
test_templates_per_category (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "tohid", "09121234567");
  g_autoptr(PayamRequest) l = add_request (f, "lighting", "tohid", NULL);
  g_autofree char *t = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_l = NULL;
  g_autofree char *code_a = payam_tracking_code_format_inline (a->tracking_code);
  g_autofree char *expected = NULL;

  t = payam_store_dup_notice_template (f->store, "asphalt", PAYAM_NOTICE_DONE, &error);
  assert_string_equal (t, payam_notice_default_template (PAYAM_NOTICE_DONE));
  assert_true (payam_store_set_notice_template (f->store, NULL, PAYAM_NOTICE_DONE,
                                                "همه: {code}[ {words}]", &error));
  assert_true (payam_store_set_notice_template (f->store, "asphalt", PAYAM_NOTICE_DONE,
                                                "آسفالت: {code}[ - {words}][ {address}]",
                                                &error));
  assert_false (payam_store_set_notice_template (f->store, "asphalt", PAYAM_NOTICE_DONE,
                                                 "بدون کد", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_set_notice_template (f->store, "nope", PAYAM_NOTICE_DONE,
                                                 "{code}", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  assert_true (payam_store_set_followup_address (f->store, " payam.tehran.ir ", &error));

  finish (f, a, PAYAM_ACTION_DONE, "internal: the foreman was late", "چاله پر شد");
  finish (f, l, PAYAM_ACTION_NOT_POSSIBLE, "secret crew note", NULL);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE text LIKE '%%internal%%'"
                                  " OR text LIKE '%%secret%%'"), 0);
  text_a = payam_store_render_notice (f->store, a->id, PAYAM_NOTICE_DONE, "چاله پر شد", &error);
  expected = g_strconcat ("آسفالت: ", code_a, " - چاله پر شد payam.tehran.ir", NULL);
  assert_string_equal (text_a, expected);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "text LIKE 'آسفالت: %%چاله پر شد payam.tehran.ir'", a->id), 1);
  /* Lighting has none of its own, and not_possible none from the office: built in. */
  text_l = payam_store_render_notice (f->store, l->id, PAYAM_NOTICE_NOT_POSSIBLE, NULL, &error);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "kind = 'outcome' AND channel = 'tracking-code'", l->id), 1);
  assert_non_null (strstr (text_l, "payam.tehran.ir"));

  /* Going back to the inherited one. */
  assert_true (payam_store_set_notice_template (f->store, "asphalt", PAYAM_NOTICE_DONE, NULL,
                                                &error));
  g_free (t);
  t = payam_store_dup_notice_template (f->store, "asphalt", PAYAM_NOTICE_DONE, &error);
  assert_string_equal (t, "همه: {code}[ {words}]");
}

/* A crew's not possible tells the citizen the public reason, never what the crew wrote. */
static void
test_crew_not_possible_public_reason (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add_request (f, "asphalt", "tohid", "09121234567");
  g_autofree char *action = NULL;

  assert_true (payam_store_assign_crew (f->store, r->id, f->crew, &error));
  action = payam_store_crew_not_possible (f->store, r->id, PAYAM_NOT_POSSIBLE_OTHER_AGENCY,
                                          "the neighbour shouted at us", &error);
  assert_non_null (action);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "instr (text, '%s') > 0", r->id,
                               payam_not_possible_reason_label (PAYAM_NOT_POSSIBLE_OTHER_AGENCY)),
                    1);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE text LIKE '%%shouted%%'"),
                    0);
}

/* ---- SMS length --------------------------------------------------------------------- */

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_sms_parts (void **state)
{
  static const struct { const char *unit; guint n; guint parts; guint units; } cases[] = {
    { "س", 0, 0, 0 },
    { "س", 1, 1, 1 },
    { "س", 70, 1, 70 },
    { "س", 71, 2, 71 },
    { "س", 134, 2, 134 },
    { "س", 135, 3, 135 },
    { "۱", 201, 3, 201 },
    { "۱", 202, 4, 202 },
    { "a", 160, 1, 160 },
    { "a", 161, 2, 161 },
    { "a", 306, 2, 306 },
    { "a", 307, 3, 307 },
    { "{", 80, 1, 160 },   /* an extension character counts two septets */
    { "{", 81, 2, 162 },
    { "é", 160, 1, 160 },  /* in the GSM alphabet */
    { "😀", 35, 1, 70 },   /* two UTF-16 units each */
    { "😀", 36, 2, 72 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = repeat (cases[i].unit, cases[i].n);
      guint units = 999;

      assert_int_equal (payam_sms_parts (text, &units), cases[i].parts);
      assert_int_equal (units, cases[i].units);
    }
  /* One Persian letter makes a Latin text UCS-2: 70 per message. */
  {
    g_autofree char *latin = repeat ("a", 69);
    g_autofree char *mixed = g_strconcat (latin, "س", "b", NULL);

    assert_int_equal (payam_sms_parts (mixed, NULL), 2);
  }
}

/* ---- delivery ----------------------------------------------------------------------- */

/* The server's queue: claim with a localid, sent, busy retried after its delay, a crash
 * resends under the same localid, delivered tells, a bad number fails with its reason. */
static void
test_delivery_states (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "tohid", "09121234567");
  g_autoptr(PayamRequest) b = add_request (f, "asphalt", "tohid", "09351112233");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) awaiting = NULL;
  g_autoptr(PayamCoverageRow) row = NULL;
  PayamSmsItem *first, *second;
  gint64 la, lb;
  guint attempts;

  finish (f, a, PAYAM_ACTION_DONE, NULL, "چاله پر شد");
  finish (f, b, PAYAM_ACTION_DONE, NULL, NULL);
  batch = payam_store_claim_sms (f->store, 10, &error);
  assert_non_null (batch);
  assert_int_equal (batch->len, 2);
  first = batch->pdata[0];
  second = batch->pdata[1];
  assert_string_equal (first->phone, "09121234567");
  assert_non_null (strstr (first->text, "چاله پر شد"));
  assert_true (first->localid > 0 && second->localid > 0 && first->localid != second->localid);
  la = first->localid;
  lb = second->localid;

  /* A crash now: both are sending; the next claim hands out the same localids. */
  again = payam_store_claim_sms (f->store, 10, &error);
  assert_int_equal (again->len, 2);
  assert_int_equal (((PayamSmsItem *) again->pdata[0])->localid, la);
  assert_int_equal (((PayamSmsItem *) again->pdata[1])->localid, lb);
  g_clear_pointer (&again, g_ptr_array_unref);

  assert_true (payam_store_sms_sent (f->store, la, "8792343", &error));
  assert_true (payam_store_sms_retry (f->store, lb, "409 busy", 30, &error));
  again = payam_store_claim_sms (f->store, 10, &error);
  assert_int_equal (again->len, 0);
  g_clear_pointer (&again, g_ptr_array_unref);
  advance (f, 31);
  again = payam_store_claim_sms (f->store, 10, &error);
  assert_int_equal (again->len, 1);
  assert_int_equal (((PayamSmsItem *) again->pdata[0])->localid, lb);
  assert_true (payam_store_sms_attempts (f->store, lb, &attempts, &error));
  assert_int_equal (attempts, 1);

  row = overall (f);
  assert_int_equal (row->owed, 2);
  assert_int_equal (row->told, 0);
  assert_int_equal (row->queued, 2);
  g_clear_pointer (&row, payam_coverage_row_free);

  awaiting = payam_store_list_sms_awaiting (f->store, 10, &error);
  assert_int_equal (awaiting->len, 1);
  assert_string_equal (((PayamSmsItem *) awaiting->pdata[0])->message_id, "8792343");
  /* Told only on the delivery report. */
  assert_true (payam_store_sms_delivered (f->store, la, &error));
  assert_true (payam_store_sms_failed (f->store, lb, "411 bad receptor", &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "kind = 'outcome' AND state = 'sent'", a->id), 1);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "state = 'failed'", b->id), 1);
  /* Both moves sync: each is an op on the notice's state. */
  assert_int_equal (query_int (f, "SELECT count (*) FROM outbox WHERE entity = 'notice' AND "
                                  "field = 'state' AND row_id IN (SELECT id FROM notice "
                                  "WHERE kind = 'outcome')"), 2);
  row = overall (f);
  assert_int_equal (row->owed, 2);
  assert_int_equal (row->told, 1);
  assert_int_equal (row->failed, 1);
  assert_int_equal (row->queued, 0);

  g_clear_pointer (&again, g_ptr_array_unref);
  again = payam_store_claim_sms (f->store, 10, &error);
  assert_int_equal (again->len, 0);
  assert_false (payam_store_sms_delivered (f->store, 9999, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

/* ---- coverage and the close rule ---------------------------------------------------- */

/* A store built by hand: a group of three (two phones, one without), a single in another
 * category and neighbourhood, an open request (owes nothing yet). Figures per dimension,
 * the untold list with why, and closing only once everyone of the group is told. */
static void
test_coverage_and_close (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "tohid", "09121234567");
  g_autoptr(PayamRequest) b = add_request (f, "asphalt", "tohid", "09351112233");
  g_autoptr(PayamRequest) c = add_request (f, "asphalt", "tohid", NULL);
  g_autoptr(PayamRequest) d = add_request (f, "lighting", "daryan-e-no", "09131112233");
  g_autoptr(PayamRequest) open = add_request (f, "waste", "tohid", "09141112233");
  g_autofree char *g1 = payam_store_merge (f->store, a->id, b->id, FALSE, &error);
  g_autofree char *g2 = payam_store_merge (f->store, a->id, c->id, FALSE, &error);
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) untold = NULL;
  g_autoptr(PayamCoverageRow) row = NULL;
  guint n_told = 0;

  assert_non_null (g1);
  assert_non_null (g2);
  finish (f, a, PAYAM_ACTION_DONE, NULL, "چاله پر شد");
  /* d ends not possible; nobody is told yet because no SMS went out. */
  finish (f, d, PAYAM_ACTION_NOT_POSSIBLE, "no access", NULL);

  row = overall (f);
  assert_int_equal (row->owed, 4);
  assert_int_equal (row->told, 0);
  assert_int_equal (row->queued, 3);
  assert_int_equal (row->no_phone, 1);
  g_clear_pointer (&row, payam_coverage_row_free);

  /* Closing a waits for every citizen of its group. */
  assert_false (payam_store_set_status (f->store, a->id, PAYAM_STATUS_CLOSED,
                                        PAYAM_ROLE_OFFICE, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING));
  g_clear_error (&error);

  batch = payam_store_claim_sms (f->store, 100, &error);
  assert_int_equal (batch->len, 3);
  for (guint i = 0; i < batch->len; i++)
    {
      PayamSmsItem *item = batch->pdata[i];

      if (g_strcmp0 (item->phone, "09131112233") == 0)
        assert_true (payam_store_sms_failed (f->store, item->localid, "14 blocked", &error));
      else
        {
          assert_true (payam_store_sms_sent (f->store, item->localid, "m", &error));
          assert_true (payam_store_sms_delivered (f->store, item->localid, &error));
        }
    }

  untold = payam_store_list_untold (f->store, 10, &error);
  assert_int_equal (untold->len, 2);
  assert_string_equal (((PayamUntold *) untold->pdata[0])->request_id, c->id);
  assert_string_equal (((PayamUntold *) untold->pdata[0])->why, "no-phone");
  assert_string_equal (((PayamUntold *) untold->pdata[1])->request_id, d->id);
  assert_string_equal (((PayamUntold *) untold->pdata[1])->why, "failed");
  assert_string_equal (((PayamUntold *) untold->pdata[1])->reason, "14 blocked");

  /* Two of the group told, the third has no phone: still no closing. */
  assert_false (payam_store_set_status (f->store, a->id, PAYAM_STATUS_CLOSED,
                                        PAYAM_ROLE_OFFICE, NULL, &error));
  g_clear_error (&error);
  assert_true (payam_store_record_lookup (f->store, c->id, &n_told, &error));
  assert_int_equal (n_told, 1);
  assert_true (payam_store_record_lookup (f->store, c->id, &n_told, &error));
  assert_int_equal (n_told, 0);
  assert_true (payam_store_record_lookup (f->store, open->id, &n_told, &error));
  assert_int_equal (n_told, 0);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice_delivery WHERE state = "
                                  "'looked-up'"), 1);
  assert_true (payam_store_set_status (f->store, a->id, PAYAM_STATUS_CLOSED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));

  row = overall (f);
  assert_int_equal (row->owed, 4);
  assert_int_equal (row->told, 3);
  assert_int_equal (row->failed, 1);
  assert_int_equal (row->queued + row->no_phone + row->no_notice, 0);

  rows = payam_store_get_coverage (f->store, PAYAM_COVERAGE_BY_CATEGORY, &error);
  assert_int_equal (rows->len, 2);
  assert_string_equal (((PayamCoverageRow *) rows->pdata[0])->key, "asphalt");
  assert_int_equal (((PayamCoverageRow *) rows->pdata[0])->owed, 3);
  assert_int_equal (((PayamCoverageRow *) rows->pdata[0])->told, 3);
  assert_string_equal (((PayamCoverageRow *) rows->pdata[1])->key, "lighting");
  assert_int_equal (((PayamCoverageRow *) rows->pdata[1])->told, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = payam_store_get_coverage (f->store, PAYAM_COVERAGE_BY_NEIGHBOURHOOD, &error);
  assert_int_equal (rows->len, 2);
  assert_string_equal (((PayamCoverageRow *) rows->pdata[0])->key, "daryan-e-no");
  assert_int_equal (((PayamCoverageRow *) rows->pdata[0])->failed, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = payam_store_get_coverage (f->store, PAYAM_COVERAGE_BY_OUTCOME, &error);
  assert_int_equal (rows->len, 3);  /* closed (a), done (b, c), not_possible (d) */
  assert_string_equal (((PayamCoverageRow *) rows->pdata[0])->key, "closed");
  assert_int_equal (((PayamCoverageRow *) rows->pdata[1])->owed, 2);
  assert_string_equal (((PayamCoverageRow *) rows->pdata[2])->key, "not_possible");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = payam_store_get_coverage (f->store, PAYAM_COVERAGE_BY_CREW, &error);
  assert_int_equal (rows->len, 1);
  assert_string_equal (((PayamCoverageRow *) rows->pdata[0])->key, f->crew);
  assert_int_equal (((PayamCoverageRow *) rows->pdata[0])->owed, 4);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Every grouping in one reading gives the same rows as each on its own. */
  {
    GPtrArray *all[PAYAM_COVERAGE_BY_CREW + 1] = { NULL, };

    assert_true (payam_store_get_coverage_all (f->store, all, &error));
    for (guint by = 0; by <= PAYAM_COVERAGE_BY_CREW; by++)
      {
        rows = payam_store_get_coverage (f->store, by, &error);
        assert_non_null (rows);
        assert_int_equal (all[by]->len, rows->len);
        for (guint i = 0; i < rows->len; i++)
          {
            const PayamCoverageRow *x = rows->pdata[i];
            const PayamCoverageRow *y = all[by]->pdata[i];

            assert_true (g_strcmp0 (x->key, y->key) == 0);
            assert_int_equal (x->owed, y->owed);
            assert_int_equal (x->told, y->told);
            assert_int_equal (x->queued, y->queued);
            assert_int_equal (x->failed, y->failed);
            assert_int_equal (x->no_phone, y->no_phone);
            assert_int_equal (x->no_notice, y->no_notice);
          }
        g_clear_pointer (&rows, g_ptr_array_unref);
        g_ptr_array_unref (all[by]);
      }
  }
}

/* The count of notices of @request_id of @kind. */
static gint64
notices_of (Fixture            *f,
            const PayamRequest *request,
            const char         *kind)
{
  return query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND kind = '%s'",
                    request->id, kind);
}

/* News on the way is told from the templates where it happens: joined for each report a
 * merge moves (not the one merged into, not a kiosk's "mine is the same"), assigned for each
 * member when the worksheet first goes to a crew (not again on a change of crew), and a
 * triage reject is an outcome from the rejected template. News never counts as told. */
static void
test_notices_every_event (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "tohid", "09121234567");
  g_autoptr(PayamRequest) b = add_request (f, "asphalt", "tohid", NULL);
  g_autoptr(PayamRequest) c = add_request (f, "lighting", "tohid", "09131112233");
  g_autoptr(PayamRequest) k = NULL;
  g_autoptr(PayamRequest) r = add_request (f, "waste", "tohid", "09141112233");
  g_autoptr(PayamCoverageRow) row = NULL;
  g_autofree char *code_b = payam_tracking_code_format_inline (b->tracking_code);
  g_autofree char *other = payam_store_add_crew (f->store, "اکیپ ۲", "tohid", &error);
  g_autofree char *g = NULL;
  g_autofree char *text = NULL;
  PayamRequestDraft draft = {
    .text = "همان چاله",
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
    .phone = "09151112233",
  };

  assert_non_null (other);
  assert_true (payam_store_set_notice_template (f->store, "asphalt", PAYAM_NOTICE_JOINED,
                                                "پیوست: {code}", &error));
  g = payam_store_merge (f->store, a->id, b->id, FALSE, &error);
  assert_non_null (g);
  g_clear_pointer (&g, g_free);
  g = payam_store_merge (f->store, a->id, c->id, FALSE, &error);
  assert_non_null (g);
  assert_int_equal (notices_of (f, a, "joined"), 0);
  assert_int_equal (notices_of (f, b, "joined"), 1);
  assert_int_equal (notices_of (f, c, "joined"), 1);
  text = g_strconcat ("پیوست: ", code_b, NULL);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "text = '%s' AND channel = 'tracking-code'", b->id, text), 1);
  /* Lighting has no joined template of its own: the built-in one. */
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "text LIKE 'پیوست%%'", c->id), 0);
  k = payam_store_add_request_to_group (f->store, &draft, a->id, &error);
  assert_non_null (k);
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s'",
                               k->id), 0);

  assert_true (payam_store_assign_crew (f->store, a->id, f->crew, &error));
  assert_int_equal (notices_of (f, a, "assigned"), 1);
  assert_int_equal (notices_of (f, b, "assigned"), 1);
  assert_int_equal (notices_of (f, c, "assigned"), 1);
  assert_int_equal (notices_of (f, k, "assigned"), 1);
  assert_true (payam_store_assign_crew (f->store, b->id, other, &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE kind = 'assigned'"), 4);

  /* News told to everyone: nobody is owed an answer yet, and nobody was told one. */
  tell_news (f);
  row = overall (f);
  assert_int_equal (row->owed, 0);
  assert_int_equal (row->told, 0);
  g_clear_pointer (&row, payam_coverage_row_free);

  assert_true (payam_store_set_notice_template (f->store, "waste", PAYAM_NOTICE_REJECTED,
                                                "رد: {code}[ چون {words}]", &error));
  assert_true (payam_store_triage_reject (f->store, r->id, "کار شهرداری نیست", &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM notice WHERE request_id = '%s' AND "
                                  "kind = 'outcome' AND channel = 'sms' AND "
                                  "text LIKE 'رد: %% چون کار شهرداری نیست'", r->id), 1);
  row = overall (f);
  assert_int_equal (row->owed, 1);
  assert_int_equal (row->queued, 1);
  assert_int_equal (row->told, 0);
  g_clear_pointer (&row, payam_coverage_row_free);
  {
    g_autoptr(GPtrArray) batch = payam_store_claim_sms (f->store, 10, &error);

    assert_int_equal (batch->len, 1);
    assert_true (payam_store_sms_delivered (f->store,
                                            ((PayamSmsItem *) batch->pdata[0])->localid,
                                            &error));
  }
  row = overall (f);
  assert_int_equal (row->told, 1);
}

/* ---- the kept counts against a scan ------------------------------------------------ */

/* Coverage @by as the scan of every owed request computes it (what the store did before
 * migration 21 kept counts): "key owed told queued failed no-phone no-notice" lines. */
static char *
coverage_by_scan (Fixture         *f,
                  PayamCoverageBy  by)
{
  static const char * const keys[] = {
    [PAYAM_COVERAGE_OVERALL] = "NULL",
    [PAYAM_COVERAGE_BY_OUTCOME] = "status",
    [PAYAM_COVERAGE_BY_CATEGORY] = "category_id",
    [PAYAM_COVERAGE_BY_NEIGHBOURHOOD] = "neighbourhood",
    [PAYAM_COVERAGE_BY_CREW] = "crew_id",
  };
  g_autofree char *sql = g_strdup_printf (
    "WITH owed AS MATERIALIZED ("
    " SELECT r.status, r.category_id, r.neighbourhood, w.crew_id,"
    "  (SELECT CASE"
    "     WHEN max (n.state = 'sent') = 1 THEN 'told'"
    "     WHEN count (*) = 0 THEN 'no-notice'"
    "     WHEN max (n.state = 'failed') = 1 THEN 'failed'"
    "     WHEN max (n.channel = 'sms') = 1 THEN 'queued'"
    "     ELSE 'no-phone' END"
    "   FROM notice n WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected')) AS why"
    " FROM request r LEFT JOIN worksheet w ON w.group_id = r.group_id"
    " WHERE r.status IN ('done', 'not_possible', 'rejected', 'notified', 'closed')) "
    "SELECT %s, count (*), sum (why = 'told'), sum (why = 'queued'), sum (why = 'failed'),"
    " sum (why = 'no-phone'), sum (why = 'no-notice') FROM owed GROUP BY 1 ORDER BY 1",
    keys[by]);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_string_append_printf (out, "%s", sqlite3_column_type (stmt, 0) == SQLITE_NULL
                                         ? "-" : (const char *) sqlite3_column_text (stmt, 0));
      for (int i = 1; i <= 6; i++)
        g_string_append_printf (out, " %lld", (long long) sqlite3_column_int64 (stmt, i));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  /* With nobody owed, the kept counts still give the one overall row of zeros. */
  if (by == PAYAM_COVERAGE_OVERALL && out->len == 0)
    g_string_append (out, "- 0 0 0 0 0 0\n");
  return g_string_free (out, FALSE);
}

/* The same lines from payam_store_get_coverage(). */
static char *
coverage_by_store (Fixture         *f,
                   PayamCoverageBy  by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = payam_store_get_coverage (f->store, by, &error);
  GString *out = g_string_new (NULL);

  if (rows == NULL)
    fail_msg ("coverage: %s", error->message);
  for (guint i = 0; i < rows->len; i++)
    {
      PayamCoverageRow *row = rows->pdata[i];

      g_string_append_printf (out, "%s %lld %lld %lld %lld %lld %lld\n",
                              row->key != NULL ? row->key : "-", (long long) row->owed,
                              (long long) row->told, (long long) row->queued,
                              (long long) row->failed, (long long) row->no_phone,
                              (long long) row->no_notice);
    }
  return g_string_free (out, FALSE);
}

static void
assert_coverage_matches_scan (Fixture *f)
{
  for (PayamCoverageBy by = PAYAM_COVERAGE_OVERALL; by <= PAYAM_COVERAGE_BY_CREW; by++)
    {
      g_autofree char *scan = coverage_by_scan (f, by);
      g_autofree char *kept = coverage_by_store (f, by);

      if (g_strcmp0 (scan, kept) != 0)
        fail_msg ("coverage by %d differs:\nscan:\n%skept:\n%s", by, scan, kept);
    }
}

/* Run @sql on a second connection: the kept counts follow writes by any connection,
 * because triggers keep them. */
static void
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    fail_msg ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Coverage now sums counts that triggers keep (migration 21). For three seeds, a store
 * of forty requests lives through what feedback does (groups, outcomes, rejects, SMS
 * delivered, failed and queued, look-ups, closing) and through raw changes of category,
 * neighbourhood, status and notices; after each stage every grouping equals the scan. */
static void
test_coverage_counts_follow_scan (void **state)
{
  static const char * const categories[] = { "asphalt", "lighting", "waste" };
  static const char * const places[] = { "tohid", "daryan-e-no" };
  Fixture *f = *state;

  for (guint32 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (
        (GDestroyNotify) payam_request_free);
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < 40; i++)
        {
          g_autofree char *phone = g_strdup_printf ("0912%07u", seed * 1000 + i);

          g_ptr_array_add (requests, add_request (
            f, categories[g_rand_int_range (rand, 0, 3)], places[g_rand_int_range (rand, 0, 2)],
            g_rand_boolean (rand) ? phone : NULL));
        }
      for (guint i = 0; i < 8; i++)
        {
          PayamRequest *a = requests->pdata[g_rand_int_range (rand, 0, 40)];
          PayamRequest *b = requests->pdata[g_rand_int_range (rand, 0, 40)];
          g_autofree char *group = NULL;

          if (a != b)
            group = payam_store_merge (f->store, a->id, b->id, FALSE, NULL);
        }
      assert_coverage_matches_scan (f);

      for (guint i = 0; i < 40; i++)
        {
          PayamRequest *r = requests->pdata[i];
          int what = g_rand_int_range (rand, 0, 4);

          /* Finishing a group finishes its members: skip those already past. */
          if (query_int (f, "SELECT status IN ('registered', 'triaged') FROM request "
                            "WHERE id = '%s'", r->id) == 0)
            continue;
          if (what == 0)
            finish (f, r, PAYAM_ACTION_DONE, NULL, "انجام شد");
          else if (what == 1)
            finish (f, r, PAYAM_ACTION_NOT_POSSIBLE, "no access", NULL);
          else if (what == 2 &&
                   query_int (f, "SELECT group_id IS NULL FROM request WHERE id = '%s'",
                              r->id) == 1 &&
                   !payam_store_triage_reject (f->store, r->id, "تکراری است", &error))
            fail_msg ("reject: %s", error->message);
        }
      assert_coverage_matches_scan (f);

      batch = payam_store_claim_sms (f->store, 1000, &error);
      assert_non_null (batch);
      for (guint i = 0; i < batch->len; i++)
        {
          PayamSmsItem *item = batch->pdata[i];
          int what = g_rand_int_range (rand, 0, 3);

          if (what == 0)
            assert_true (payam_store_sms_failed (f->store, item->localid, "11 bad", &error));
          else if (what == 1)
            {
              assert_true (payam_store_sms_sent (f->store, item->localid, "m", &error));
              assert_true (payam_store_sms_delivered (f->store, item->localid, &error));
            }
        }
      for (guint i = 0; i < 40; i += 3)
        assert_true (payam_store_record_lookup (f->store,
                                                ((PayamRequest *) requests->pdata[i])->id,
                                                NULL, &error));
      assert_coverage_matches_scan (f);

      for (guint i = 0; i < 40; i += 5)
        {
          PayamRequest *r = requests->pdata[i];
          g_autofree char *sql = g_strdup_printf (
            "UPDATE request SET category_id = '%s', neighbourhood = %s,"
            " status = CASE status WHEN 'done' THEN 'closed' ELSE status END WHERE id = '%s';"
            "DELETE FROM notice_delivery WHERE notice_id IN (SELECT id FROM notice"
            " WHERE request_id = '%s' AND kind = 'outcome');"
            "DELETE FROM notice WHERE request_id = '%s' AND kind = 'outcome';",
            categories[(i / 5) % 3], i % 2 ? "'daryan-e-no'" : "'tohid'", r->id, r->id, r->id);

          exec_sql (f, sql);
        }
      assert_coverage_matches_scan (f);
    }
}

/* The figures come from SQL that uses indexes, not a scan of every notice per request. */
static void
test_coverage_uses_indexes (void **state)
{
  Fixture *f = *state;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT n.id FROM notice n "
                                        "WHERE n.state = 'pending' AND n.channel = 'sms' "
                                        "ORDER BY n.created_at", -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  assert_non_null (strstr (plan->str, "notice_pending"));
  g_string_truncate (plan, 0);
  assert_int_equal (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT count (*) FROM notice n "
                                        "WHERE n.request_id = 'x' AND n.kind = 'outcome'",
                                        -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  assert_non_null (strstr (plan->str, "USING"));
  assert_null (strstr (plan->str, "SCAN"));
}

/* In Persian (po/fa.po), the built-in templates are Persian text. */
static void
test_templates_persian (void **state)
{
  g_autofree char *text = NULL;
  const char *old = g_getenv ("LANGUAGE");
  g_autofree char *saved = g_strdup (old);

  (void) state;
  if (g_getenv ("PAYAM_LOCALEDIR") == NULL)
    skip ();
  g_setenv ("LANGUAGE", "fa", TRUE);
  setlocale (LC_ALL, "");
  text = payam_notice_render (payam_notice_default_template (PAYAM_NOTICE_DONE),
                              "001200000457", "چاله پر شد", NULL, NULL);
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  assert_non_null (text);
  assert_non_null (strstr (text, "کد رهگیری"));
  assert_null (strstr (text, "report"));
  assert_true (payam_sms_parts (text, NULL) <= 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_templates_every_outcome),
    cmocka_unit_test (test_template_check),
    cmocka_unit_test (test_sms_parts),
    cmocka_unit_test (test_templates_persian),
    cmocka_unit_test_setup_teardown (test_templates_per_category, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crew_not_possible_public_reason, setup, teardown),
    cmocka_unit_test_setup_teardown (test_delivery_states, setup, teardown),
    cmocka_unit_test_setup_teardown (test_coverage_and_close, setup, teardown),
    cmocka_unit_test_setup_teardown (test_coverage_counts_follow_scan, setup, teardown),
    cmocka_unit_test_setup_teardown (test_coverage_uses_indexes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_notices_every_event, setup, teardown),
  };

  setlocale (LC_ALL, "");
  if (g_getenv ("PAYAM_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  return cmocka_run_group_tests_name ("feedback", tests, NULL, NULL);
}
