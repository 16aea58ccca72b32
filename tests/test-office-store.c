/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the office's store functions: search (Persian normalisation, codes and phones in
 * any digit form), triage rules (reason required, deadline recomputed, synced ops, audit
 * under the member) and staff accounts (roles, password sign-in, disabling). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "payam-deadline.h"
#include "payam-queue-item.h"
#include "payam-secret.h"
#include "payam-store-board.h"
#include "payam-store-conflicts.h"
#include "payam-store-crews.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-store-sync.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"
#include "payam-store.h"
#include "payam-text.h"
#include "payam-tracking.h"

/* @error is set and of @domain and @code. */
#define assert_error(error, domain, code) \
  do { \
    assert_non_null (error); \
    if (!g_error_matches ((error), (domain), (code))) \
      fail_msg ("unexpected error: %s", (error)->message); \
  } while (0)

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

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-office-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  /* Sunday 29 November 2026, 13:30 in Tehran: a working day. */
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  assert_true (payam_store_load_defaults (f->store, &error));
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

static PayamRequest *
add (Fixture    *f,
     const char *text,
     const char *category,
     const char *phone)
{
  PayamRequestDraft draft = {
    .text = text,
    .category = category,
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
    .phone = phone,
  };
  g_autoptr(GError) error = NULL;
  PayamRequest *request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
query_text (Fixture    *f,
            const char *sql,
            const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The ids @query finds, in order, joined with spaces ("" for none). */
static char *
found (Fixture    *f,
       const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = payam_store_search (f->store, query, 20, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  if (items == NULL)
    fail_msg ("search %s: %s", query, error->message);
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, payam_queue_item_get_id (g_ptr_array_index (items, i)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_found (Fixture    *f,
              const char *query,
              const char *want)
{
  g_autofree char *got = found (f, query);

  if (strcmp (got, want) != 0)
    fail_msg ("search «%s»: got [%s], want [%s]", query, got, want);
}

/* Codes in Latin, Persian and Arabic-Indic digits, with and without separators; phones as
 * 09…, +98 …, with spaces; words through Arabic letters, ZWNJ and the start of a word. */
static void
test_search (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) manhole = add (f, "درب فاضلاب در کوچه باز مانده است", "surface-water",
                                         "09121234567");
  g_autoptr(PayamRequest) light = add (f, "چراغ‌های خیابان شب‌ها خاموش است", "lighting", NULL);
  g_autoptr(PayamRequest) other = add (f, "چراغ پارک روشن نمی‌شود", "lighting", "09350000001");
  g_autofree char *code = g_strdup (light->tracking_code);
  g_autofree char *digits = NULL;
  g_autofree char *persian = NULL;
  g_autofree char *both = g_strdup_printf ("%s %s", other->id, light->id);
  g_autoptr(GString) arabic = g_string_new (NULL);
  g_autoptr(GString) spaced = g_string_new (NULL);

  /* The code as printed, without separators, in Persian digits, in Arabic-Indic digits
   * with spaces for separators. */
  assert_found (f, code, light->id);
  digits = g_strdelimit (g_strdup (code), "-", ' ');
  assert_found (f, digits, light->id);
  {
    g_autofree char *bare = NULL;
    g_auto(GStrv) parts = g_strsplit (code, "-", -1);

    bare = g_strjoinv ("", parts);
    assert_found (f, bare, light->id);
    /* Its beginning: the device prefix and the sequence so far. */
    bare[8] = '\0';
    {
      g_autofree char *want = g_strdup_printf ("%s %s %s", other->id, light->id, manhole->id);

      assert_found (f, bare, want);
    }
  }
  persian = payam_tracking_code_format (code);
  assert_found (f, persian, light->id);
  for (const char *p = code; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_unichar (arabic, 0x0660 + (*p - '0'));
      else
        g_string_append_c (arabic, ' ');
    }
  assert_found (f, arabic->str, light->id);

  /* The phone, however it is typed. */
  assert_found (f, "09121234567", manhole->id);
  assert_found (f, "0912 123 4567", manhole->id);
  assert_found (f, "+98 912 123 4567", manhole->id);
  assert_found (f, "۰۹۱۲-۱۲۳-۴۵۶۷", manhole->id);
  assert_found (f, "9121234567", manhole->id);
  assert_found (f, "0935", other->id);

  /* Words: Arabic yeh and kaf, the start of a word, ZWNJ or none, several words. */
  assert_found (f, "فاضلاب", manhole->id);
  assert_found (f, "كوچه", manhole->id);
  assert_found (f, "چراغ", both);
  assert_found (f, "چرا", both);
  assert_found (f, "چراغ خیابان", light->id);
  assert_found (f, "چراغ های", light->id);
  assert_found (f, "پارک چراغ", other->id);
  assert_found (f, "درخت", "");
  assert_found (f, "", "");
  assert_found (f, "  ", "");
  /* Quotes and FTS syntax are words, not syntax. */
  assert_found (f, "\"چراغ\" OR NOT *", "");
  assert_found (f, "999", "");

  /* A changed text is found by its new words only; a row's codes follow it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PayamStore) again = NULL;

    g_clear_object (&f->store);
    again = payam_store_open (f->path, &error);
    assert_non_null (again);
    f->store = g_steal_pointer (&again);
    payam_store_set_now_func (f->store, fixed_now, f);
    assert_found (f, "فاضلاب", manhole->id);
  }
}

/* The search index is brought up to date once per transaction, at its commit (schema 27):
 * a text changed many times in one transaction is found by its last words only; one rolled
 * back by its old words; a row written by a plain statement on another connection (no
 * transaction of the store's) is found all the same. Nothing stays pending after either. */
static void
test_search_index_at_commit (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) light = add (f, "چراغ‌های خیابان شب‌ها خاموش است", "lighting", NULL);
  g_autoptr(PayamRequest) tree = add (f, "درخت افتاده روی پیاده‌رو", "green-space", NULL);
  g_autoptr(GError) error = NULL;
  const char *texts[] = { "\"تیر برق کج شده\"", "\"سیم برق آویزان است\"",
                          "\"جدول شکسته کنار مدرسه\"" };
  sqlite3 *db = NULL;

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_true (payam_store_sync_set_field (f->store, "request", light->id, "text", texts[i],
                                             &error));
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM request_fts_pending", NULL), 0);
  assert_found (f, "مدرسه", light->id);
  assert_found (f, "جدول شکسته", light->id);
  assert_found (f, "خاموش", "");
  assert_found (f, "تیر", "");
  assert_found (f, "آویزان", "");
  assert_found (f, light->tracking_code, light->id);
  assert_found (f, "درخت", tree->id);

  /* Rolled back: the index keeps the words the row still has. */
  assert_true (payam_store_begin (f->store, &error));
  assert_true (payam_store_sync_set_field (f->store, "request", tree->id, "text",
                                           "\"آسفالت خیابان\"", &error));
  payam_store_rollback (f->store);
  assert_found (f, "درخت", tree->id);
  assert_found (f, "آسفالت", "");
  assert_int_equal (query_int (f, "SELECT count(*) FROM request_fts_pending", NULL), 0);

  /* Another connection's plain statement: pending until a search needs it. */
  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE request SET text = 'گودال', "
                                            "text_norm = 'گودال' WHERE id = '%s'", tree->id);

    assert_int_equal (sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK);
  }
  sqlite3_close (db);
  assert_int_equal (query_int (f, "SELECT count(*) FROM request_fts_pending", NULL), 1);
  assert_found (f, "گودال", tree->id);
  assert_found (f, "درخت", "");
  assert_int_equal (query_int (f, "SELECT count(*) FROM request_fts_pending", NULL), 0);
}

/* Confirm moves registered → triaged; a change of category or priority needs a reason,
 * recomputes the deadline, syncs as ops and is audited under the signed-in member. */
static void
test_triage (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add (f, "سطل زباله سر کوچه پر است", "waste", NULL);
  g_autoptr(PayamRequest) after = NULL;
  g_autoptr(PayamStaff) staff = NULL;
  g_autofree char *staff_id = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  gint64 ops_before;

  staff_id = payam_store_add_staff (f->store, "مریم احمدی", PAYAM_STAFF_ROLE_OFFICE,
                                    "گذرواژهٔ بلند", &error);
  assert_non_null (staff_id);
  staff = payam_store_sign_in (f->store, "مریم احمدی", "گذرواژهٔ بلند", &error);
  assert_non_null (staff);

  /* No reason: refused, nothing written. */
  ops_before = query_int (f, "SELECT count(*) FROM outbox", NULL);
  assert_false (payam_store_triage_set_priority (f->store, r->id, PAYAM_PRIORITY_URGENT, "  ",
                                                 &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_triage_set_category (f->store, r->id, "lighting", NULL, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_triage_set_category (f->store, r->id, "no-such", "دلیل", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox", NULL), ops_before);

  /* Urgent: the deadline is the category's urgent hours around the clock. */
  assert_true (payam_store_triage_set_priority (f->store, r->id, PAYAM_PRIORITY_URGENT,
                                                "بوی بد و خطر بیماری", &error));
  after = payam_store_get_request (f->store, r->id, &error);
  assert_int_equal (after->priority, PAYAM_PRIORITY_URGENT);
  {
    g_autoptr(PayamCategory) cat = payam_store_get_category (f->store, "waste", &error);
    g_autoptr(GDateTime) want = payam_deadline_compute (payam_store_get_work_calendar (f->store),
                                                        &cat->rule, PAYAM_PRIORITY_URGENT,
                                                        r->created_at);

    assert_true (g_date_time_equal (after->due_at, want));
    assert_false (g_date_time_equal (after->due_at, r->due_at));
  }
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE row_id = ?"
                               " AND field = 'priority' AND value = '1'", r->id), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE row_id = ?"
                               " AND field = 'due_at'", r->id), 1);
  actor = query_text (f, "SELECT actor FROM audit WHERE row_id = ? AND action = 'triage-priority'",
                      r->id);
  assert_string_equal (actor, staff_id);
  detail = query_text (f, "SELECT detail FROM audit WHERE row_id = ?"
                       " AND action = 'triage-priority'", r->id);
  assert_non_null (strstr (detail, "بوی بد و خطر بیماری"));

  /* Category: lighting; priority computed again from the new category's default. */
  assert_true (payam_store_triage_set_category (f->store, r->id, "lighting",
                                                "تیر چراغ کنار سطل است", &error));
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, r->id, &error);
  assert_string_equal (after->category, "lighting");
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE row_id = ?"
                               " AND field = 'category' AND value = '\"lighting\"'", r->id), 1);
  {
    g_autoptr(PayamCategory) cat = payam_store_get_category (f->store, "lighting", &error);
    g_autoptr(GDateTime) want = payam_deadline_compute (payam_store_get_work_calendar (f->store),
                                                        &cat->rule, after->priority,
                                                        r->created_at);

    assert_int_equal (after->priority, cat->default_priority);
    assert_true (g_date_time_equal (after->due_at, want));
  }

  /* Confirm. */
  assert_true (payam_store_triage_confirm (f->store, r->id, &error));
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, r->id, &error);
  assert_int_equal (after->status, PAYAM_STATUS_TRIAGED);
}

/* Reject needs a reason, tells the citizen (a pending notice with the reason) and
 * closes triage: a finished message takes no more corrections. */
static void
test_reject (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add (f, "همسایه صدای بلند دارد", "waste", "09121234567");
  g_autoptr(PayamRequest) after = NULL;
  g_autofree char *text = NULL;

  assert_false (payam_store_triage_reject (f->store, r->id, "", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_true (payam_store_triage_reject (f->store, r->id, "کار شهرداری نیست", &error));
  after = payam_store_get_request (f->store, r->id, &error);
  assert_int_equal (after->status, PAYAM_STATUS_REJECTED);
  assert_string_equal (after->status_reason, "کار شهرداری نیست");
  text = query_text (f, "SELECT text FROM notice WHERE request_id = ? AND kind = 'outcome'"
                     " AND state = 'pending'", r->id);
  assert_non_null (text);
  assert_non_null (strstr (text, "کار شهرداری نیست"));
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'notice'", NULL), 1);

  assert_false (payam_store_triage_set_priority (f->store, r->id, PAYAM_PRIORITY_HIGH, "دلیل",
                                                 &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_triage_set_priority (f->store, "no-such-id", PAYAM_PRIORITY_HIGH,
                                                 "دلیل", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND);
}

/* A supervisor reopens a finished message and changes a deadline, each with a reason,
 * audited under the supervisor and synced as ops; an office account is refused with the
 * supervisor's message and nothing changes; no reason, nothing open to reopen, and a
 * deadline before registration are refused too. */
static void
test_supervisor (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add (f, "درخت افتاده روی پیاده‌رو", "green-space", "09121234567");
  g_autoptr(PayamRequest) after = NULL;
  g_autoptr(PayamStaff) clerk = NULL;
  g_autoptr(PayamStaff) boss = NULL;
  g_autoptr(GDateTime) due = g_date_time_add_days (r->created_at, 9);
  g_autoptr(GDateTime) too_early = g_date_time_add_hours (r->created_at, -1);
  g_autofree char *boss_id = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *clerk_id = NULL;
  gint64 ops_before;

  clerk_id = payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                    "گذرواژهٔ بلند", &error);
  assert_non_null (clerk_id);
  boss_id = payam_store_add_staff (f->store, "زهرا کریمی", PAYAM_STAFF_ROLE_SUPERVISOR,
                                   "سرپرست-۱۴۰۵", &error);
  assert_non_null (boss_id);
  assert_true (payam_store_triage_reject (f->store, r->id, "کار شهرداری نیست", &error));

  /* No account signed in, then an office account: the supervisor's message, nothing
   * written. */
  ops_before = query_int (f, "SELECT count(*) FROM outbox", NULL);
  assert_false (payam_store_supervisor_reopen (f->store, r->id, "اشتباه رد شد", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  clerk = payam_store_sign_in (f->store, "علی رضایی", "گذرواژهٔ بلند", &error);
  assert_non_null (clerk);
  assert_false (payam_store_supervisor_reopen (f->store, r->id, "اشتباه رد شد", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  assert_string_equal (error->message, _("Only a supervisor may reopen a message."));
  g_clear_error (&error);
  assert_false (payam_store_supervisor_set_deadline (f->store, r->id, due, "دلیل", &error));
  assert_string_equal (error->message, _("Only a supervisor may change a deadline."));
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox", NULL), ops_before);
  after = payam_store_get_request (f->store, r->id, &error);
  assert_int_equal (after->status, PAYAM_STATUS_REJECTED);

  /* The supervisor: a reason is needed; then the message is triaged again, a new epoch. */
  boss = payam_store_sign_in (f->store, "زهرا کریمی", "سرپرست-۱۴۰۵", &error);
  assert_non_null (boss);
  assert_false (payam_store_supervisor_reopen (f->store, r->id, " ", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_true (payam_store_supervisor_reopen (f->store, r->id, "اشتباه رد شد", &error));
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, r->id, &error);
  assert_int_equal (after->status, PAYAM_STATUS_TRIAGED);
  assert_int_equal (after->status_epoch, r->status_epoch + 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE row_id = ?"
                               " AND field = 'status' AND json_extract (value, '$.status')"
                               " = 'triaged' AND json_extract (value, '$.epoch') = 1", r->id), 1);
  actor = query_text (f, "SELECT actor FROM audit WHERE row_id = ?"
                      " AND action = 'supervisor-reopen'", r->id);
  assert_string_equal (actor, boss_id);
  detail = query_text (f, "SELECT detail FROM audit WHERE row_id = ?"
                       " AND action = 'supervisor-reopen'", r->id);
  assert_non_null (strstr (detail, "اشتباه رد شد"));
  /* Open now: nothing to reopen. */
  assert_false (payam_store_supervisor_reopen (f->store, r->id, "دوباره", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The deadline: not before registration, a reason needed, then set and synced. */
  assert_false (payam_store_supervisor_set_deadline (f->store, r->id, too_early, "دلیل",
                                                     &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_supervisor_set_deadline (f->store, r->id, due, NULL, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_true (payam_store_supervisor_set_deadline (f->store, r->id, due, "منتظر جرثقیل", &error));
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, r->id, &error);
  assert_true (g_date_time_equal (after->due_at, due));
  due_text = query_text (f, "SELECT json_extract (value, '$') FROM outbox WHERE row_id = ?"
                         " AND field = 'due_at' ORDER BY rowid DESC LIMIT 1", r->id);
  assert_non_null (due_text);
  {
    g_autoptr(GDateTime) sent = g_date_time_new_from_iso8601 (due_text, NULL);

    assert_non_null (sent);
    assert_true (g_date_time_equal (sent, due));
  }
  g_free (actor);
  actor = query_text (f, "SELECT actor FROM audit WHERE row_id = ?"
                      " AND action = 'supervisor-deadline'", r->id);
  assert_string_equal (actor, boss_id);
  g_free (detail);
  detail = query_text (f, "SELECT detail FROM audit WHERE row_id = ?"
                       " AND action = 'supervisor-deadline'", r->id);
  assert_non_null (strstr (detail, "منتظر جرثقیل"));
}

/* Accounts: unique names, strong passwords kept only hashed, one message for a wrong name
 * or password, disabled accounts refused, and what only a supervisor may do. */
static void
test_staff (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *office = NULL;
  g_autofree char *boss = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(PayamStaff) in = NULL;
  g_autofree char *wrong_name = NULL;

  office = payam_store_add_staff (f->store, " علی رضایی ", PAYAM_STAFF_ROLE_OFFICE,
                                  "password-1", &error);
  assert_non_null (office);
  boss = payam_store_add_staff (f->store, "زهرا کریمی", PAYAM_STAFF_ROLE_SUPERVISOR,
                                "سرپرست-۱۴۰۵", &error);
  assert_non_null (boss);

  assert_null (payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                      "another-password", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_null (payam_store_add_staff (f->store, "کوتاه", PAYAM_STAFF_ROLE_OFFICE, "short",
                                      &error));
  assert_error (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_WEAK);
  g_clear_error (&error);
  assert_null (payam_store_add_staff (f->store, " ", PAYAM_STAFF_ROLE_OFFICE, "password-1",
                                      &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  hash = query_text (f, "SELECT password_hash FROM staff WHERE id = ?", office);
  assert_non_null (hash);
  assert_null (strstr (hash, "password-1"));
  assert_true (payam_secret_verify (hash, "password-1"));

  list = payam_store_list_staff (f->store, &error);
  assert_int_equal (list->len, 2);

  /* A wrong password and an unknown name read the same. */
  assert_null (payam_store_sign_in (f->store, "علی رضایی", "password-2", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  wrong_name = g_strdup (error->message);
  g_clear_error (&error);
  assert_null (payam_store_sign_in (f->store, "کسی دیگر", "password-1", &error));
  assert_string_equal (error->message, wrong_name);
  g_clear_error (&error);

  in = payam_store_sign_in (f->store, "علی رضایی", "password-1", &error);
  assert_non_null (in);
  assert_string_equal (in->id, office);
  assert_int_equal (in->role, PAYAM_STAFF_ROLE_OFFICE);
  assert_false (payam_staff_check (in, PAYAM_STAFF_MAY_REOPEN, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_staff_check (in, PAYAM_STAFF_MAY_SET_DEADLINE, NULL));
  g_clear_pointer (&in, payam_staff_free);

  in = payam_store_sign_in (f->store, "زهرا کریمی", "سرپرست-۱۴۰۵", &error);
  assert_non_null (in);
  assert_int_equal (in->role, PAYAM_STAFF_ROLE_SUPERVISOR);
  assert_true (payam_staff_check (in, PAYAM_STAFF_MAY_REOPEN, &error));
  assert_true (payam_staff_check (in, PAYAM_STAFF_MAY_MANAGE_CREWS, &error));
  g_clear_pointer (&in, payam_staff_free);

  assert_true (payam_store_disable_staff (f->store, "علی رضایی", &error));
  assert_true (payam_store_disable_staff (f->store, "علی رضایی", &error));
  assert_false (payam_store_disable_staff (f->store, "کسی دیگر", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_null (payam_store_sign_in (f->store, "علی رضایی", "password-1", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  assert_string_not_equal (error->message, wrong_name);
  g_clear_error (&error);

  {
    PayamStaffRole role;

    assert_true (payam_staff_role_from_string ("supervisor", &role));
    assert_int_equal (role, PAYAM_STAFF_ROLE_SUPERVISOR);
    assert_false (payam_staff_role_from_string ("crew", &role));
  }
}

/* Changing accounts (issue #13 item 7): payamctl (no member) enables a disabled account and
 * sets anyone's password; office staff change only their own, knowing the current one; a
 * supervisor sets anyone's but cannot disable herself. Each change is one op and an audit
 * row under the member; a refused one saves nothing. */
static void
test_staff_changes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *clerk = payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                                  "password-1", &error);
  g_autofree char *boss = payam_store_add_staff (f->store, "زهرا کریمی",
                                                 PAYAM_STAFF_ROLE_SUPERVISOR, "سرپرست-۱۴۰۵",
                                                 &error);
  g_autofree char *hash = NULL;
  g_autofree char *op = NULL;
  g_autoptr(PayamStaff) in = NULL;
  gint64 outbox;

  assert_non_null (clerk);
  assert_non_null (boss);

  /* payamctl: disabled, enabled again, a new password. */
  assert_true (payam_store_disable_staff (f->store, "علی رضایی", &error));
  assert_true (payam_store_enable_staff (f->store, "علی رضایی", &error));
  assert_int_equal (query_int (f, "SELECT active FROM staff WHERE id = ?", clerk), 1);
  op = query_text (f, "SELECT value FROM outbox WHERE entity = 'staff' AND field = 'active' "
                      "ORDER BY device_seq DESC LIMIT 1", NULL);
  assert_string_equal (op, "1");
  assert_int_equal (query_int (f, "SELECT count (*) FROM audit WHERE action = 'staff-enable' "
                                  "AND row_id = ?", clerk), 1);
  assert_false (payam_store_enable_staff (f->store, "کسی دیگر", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_true (payam_store_set_staff_password (f->store, "علی رضایی", NULL, "password-2",
                                               &error));
  hash = query_text (f, "SELECT password_hash FROM staff WHERE id = ?", clerk);
  assert_true (payam_secret_verify (hash, "password-2"));
  g_clear_pointer (&op, g_free);
  op = query_text (f, "SELECT value FROM outbox WHERE entity = 'staff' AND field = "
                      "'password_hash' AND row_id = ?", clerk);
  assert_non_null (strstr (op, "$argon2"));
  assert_null (strstr (op, "password-2"));
  assert_null (payam_store_sign_in (f->store, "علی رضایی", "password-1", &error));
  g_clear_error (&error);

  /* Office staff: not another's account, and their own only with the current password. */
  in = payam_store_sign_in (f->store, "علی رضایی", "password-2", &error);
  assert_non_null (in);
  outbox = payam_store_count_outbox (f->store, &error);
  assert_false (payam_store_enable_staff (f->store, "زهرا کریمی", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_set_staff_password (f->store, "زهرا کریمی", "password-2",
                                                "stolen-password", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (payam_store_set_staff_password (f->store, "علی رضایی", "password-1",
                                                "password-3", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  assert_non_null (strstr (error->message, _("The current password is wrong; type it "
                                             "again.")));
  g_clear_error (&error);
  assert_false (payam_store_set_staff_password (f->store, "علی رضایی", NULL, "password-3",
                                                &error));
  g_clear_error (&error);
  assert_false (payam_store_set_staff_password (f->store, "علی رضایی", "password-2", "short",
                                                &error));
  assert_error (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_WEAK);
  g_clear_error (&error);
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  g_clear_pointer (&hash, g_free);
  hash = query_text (f, "SELECT password_hash FROM staff WHERE id = ?", clerk);
  assert_true (payam_secret_verify (hash, "password-2"));
  assert_true (payam_store_set_staff_password (f->store, "علی رضایی", "password-2",
                                               "password-3", &error));
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox + 1);
  /* Recorded under the member. */
  assert_int_equal (query_int (f, "SELECT count (*) FROM audit WHERE action = 'staff-password' "
                                  "AND actor = ?", clerk), 1);
  g_clear_pointer (&in, payam_staff_free);

  /* A supervisor: anyone's password without theirs; never herself disabled. */
  in = payam_store_sign_in (f->store, "زهرا کریمی", "سرپرست-۱۴۰۵", &error);
  assert_non_null (in);
  assert_true (payam_store_set_staff_password (f->store, "علی رضایی", NULL, "password-4",
                                               &error));
  g_clear_pointer (&hash, g_free);
  hash = query_text (f, "SELECT password_hash FROM staff WHERE id = ?", clerk);
  assert_true (payam_secret_verify (hash, "password-4"));
  outbox = payam_store_count_outbox (f->store, &error);
  assert_false (payam_store_disable_staff (f->store, "زهرا کریمی", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT active FROM staff WHERE id = ?", boss), 1);
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  assert_true (payam_store_disable_staff (f->store, "علی رضایی", &error));
  assert_true (payam_store_enable_staff (f->store, "علی رضایی", &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM audit WHERE action = 'staff-enable' "
                                  "AND actor = ?", boss), 1);
}

/* A conflict is decided once, under the member; deciding it again says who did and when,
 * and changes nothing. */
static void
test_conflict (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add (f, "چاله وسط خیابان", "asphalt", NULL);
  g_autofree char *staff = payam_store_add_staff (f->store, "زهرا کریمی",
                                                  PAYAM_STAFF_ROLE_SUPERVISOR, "سرپرست-۱۴۰۵",
                                                  &error);
  g_autoptr(PayamStaff) in = payam_store_sign_in (f->store, "زهرا کریمی", "سرپرست-۱۴۰۵", &error);
  g_autofree char *by = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  assert_non_null (in);
  /* A conflict row as the server's merge leaves one. */
  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "INSERT INTO conflict (id, kind, entity, row_id,"
                                        " field, kept_value, lost_value, created_at,"
                                        " lost_member) VALUES"
                                        " ('c1', 'concurrent-edit', 'request', ?, 'priority',"
                                        " '1', '3', '2026-11-29T09:00:00.000Z', ?)", -1, &stmt,
                                        NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
  /* The member who made the change that lost (PayamOp.member). */
  sqlite3_bind_text (stmt, 2, staff, -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_CONFLICTS, &n, &error));
  assert_int_equal (n, 1);
  {
    /* The listing names the member, not their id. */
    g_autoptr(GPtrArray) rows = payam_store_queue_fetch (f->store, PAYAM_QUEUE_CONFLICTS, 0, 10,
                                                         &error);

    assert_non_null (rows);
    assert_int_equal (rows->len, 1);
    assert_string_equal (payam_queue_item_get_lost_member (rows->pdata[0]), "زهرا کریمی");
  }
  assert_true (payam_store_resolve_conflict (f->store, "c1", &error));
  assert_true (payam_store_queue_count (f->store, PAYAM_QUEUE_CONFLICTS, &n, &error));
  assert_int_equal (n, 0);
  /* Under the member's name (the account's id means nothing on the other devices). */
  by = query_text (f, "SELECT resolved_by FROM conflict WHERE id = ?", "c1");
  assert_string_equal (by, "زهرا کریمی");
  assert_non_null (staff);

  assert_false (payam_store_resolve_conflict (f->store, "c1", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  assert_non_null (strstr (error->message, "زهرا کریمی"));
  g_clear_error (&error);
  assert_false (payam_store_resolve_conflict (f->store, "no-such", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND);
}

/* The board's crew @name (fails when missing). */
static const PayamBoardCrew *
board_crew (GPtrArray  *crews,
            const char *name)
{
  for (guint i = 0; crews != NULL && i < crews->len; i++)
    {
      const PayamBoardCrew *c = g_ptr_array_index (crews, i);

      if (strcmp (c->name, name) == 0)
        return c;
    }
  fail_msg ("no crew %s on the board", name);
  return NULL;
}

/* The board: triaged work nobody has, given to a crew with members in one go (a crew with
 * none refuses it and changes nothing), moved on to another crew, overdue counted by the
 * store's clock. */
static void
test_board (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r1 = add (f, "چاله وسط خیابان", "asphalt", NULL);
  g_autoptr(PayamRequest) r2 = add (f, "چراغ کوچه خاموش است", "lighting", NULL);
  g_autofree char *east = payam_store_add_crew (f->store, "شرق", "tohid", &error);
  g_autofree char *empty = payam_store_add_crew (f->store, "بی‌نفر", NULL, &error);
  g_autofree char *west = payam_store_add_crew (f->store, "غرب", NULL, &error);
  g_autofree char *m1 = payam_store_add_crew_member (f->store, east, "رضا", "1234", &error);
  g_autofree char *m2 = payam_store_add_crew_member (f->store, west, "علی", "5678", &error);
  const char *both[] = { r1->id, r2->id, NULL };
  const char *one[] = { r2->id, NULL };
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  const PayamBoardCrew *c;

  assert_non_null (m1);
  assert_non_null (m2);
  assert_true (payam_store_triage_confirm (f->store, r1->id, &error));
  assert_true (payam_store_triage_confirm (f->store, r2->id, &error));
  sheets = payam_store_list_board_sheets (f->store, NULL, 50, &error);
  assert_non_null (sheets);
  assert_int_equal (sheets->len, 2);
  assert_int_equal (((PayamBoardSheet *) sheets->pdata[0])->n_requests, 1);
  g_clear_pointer (&sheets, g_ptr_array_unref);

  assert_false (payam_store_assign_board (f->store, both, empty, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  sheets = payam_store_list_board_sheets (f->store, NULL, 50, &error);
  assert_int_equal (sheets->len, 2);
  g_clear_pointer (&sheets, g_ptr_array_unref);
  assert_int_equal (query_int (f, "SELECT count (*) FROM request WHERE status = 'assigned'",
                               NULL), 0);

  assert_true (payam_store_assign_board (f->store, both, east, &error));
  sheets = payam_store_list_board_sheets (f->store, NULL, 50, &error);
  assert_int_equal (sheets->len, 0);
  g_clear_pointer (&sheets, g_ptr_array_unref);
  sheets = payam_store_list_board_sheets (f->store, east, 50, &error);
  assert_int_equal (sheets->len, 2);
  assert_non_null (((PayamBoardSheet *) sheets->pdata[0])->due_at);
  g_clear_pointer (&sheets, g_ptr_array_unref);
  crews = payam_store_list_board_crews (f->store, &error);
  c = board_crew (crews, "شرق");
  assert_int_equal (c->n_open, 2);
  assert_int_equal (c->n_overdue, 0);
  assert_int_equal (c->n_members, 1);
  assert_non_null (strstr (c->neighbourhoods, "توحید"));
  assert_int_equal (board_crew (crews, "بی‌نفر")->n_members, 0);
  g_clear_pointer (&crews, g_ptr_array_unref);

  /* Moving one on; a month later both are late. */
  assert_true (payam_store_assign_board (f->store, one, west, &error));
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 ("2026-12-29T10:00:00.000Z", NULL);
  crews = payam_store_list_board_crews (f->store, &error);
  assert_int_equal (board_crew (crews, "شرق")->n_open, 1);
  assert_int_equal (board_crew (crews, "شرق")->n_overdue, 1);
  assert_int_equal (board_crew (crews, "غرب")->n_open, 1);
  assert_int_equal (board_crew (crews, "غرب")->n_overdue, 1);
  sheets = payam_store_list_board_sheets (f->store, west, 50, &error);
  assert_int_equal (sheets->len, 1);
  assert_string_equal (((PayamBoardSheet *) sheets->pdata[0])->request_id, r2->id);
  assert_true (((PayamBoardSheet *) sheets->pdata[0])->overdue);
  assert_false (payam_store_assign_board (f->store, one, "no-such-crew", &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND);
}

/* A conflict row on @field of @request_id, lost value @lost (JSON), as the server leaves one. */
static void
insert_conflict (Fixture    *f,
                 const char *id,
                 const char *request_id,
                 const char *field,
                 const char *lost)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "INSERT INTO conflict (id, kind, entity, row_id,"
                                        " field, kept_value, lost_value, created_at) VALUES"
                                        " (?1, 'concurrent-edit', 'request', ?2, ?3, NULL, ?4,"
                                        " '2026-11-29T09:00:00.000Z')", -1, &stmt, NULL),
                    SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, lost, -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Taking the other value or writing a third changes the request as the triage does (an op
 * to sync, the reason recorded); dismissing changes nothing; a field the office cannot
 * write refuses and leaves the conflict open. */
static void
test_conflict_decide (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add (f, "چاله وسط خیابان", "asphalt", NULL);
  g_autofree char *staff = payam_store_add_staff (f->store, "زهرا کریمی",
                                                  PAYAM_STAFF_ROLE_OFFICE, "دفتر-۱۴۰۵-رمز",
                                                  &error);
  g_autoptr(PayamStaff) in = payam_store_sign_in (f->store, "زهرا کریمی", "دفتر-۱۴۰۵-رمز",
                                                  &error);
  gint64 ops_before;
  g_autofree char *category = NULL;
  g_autofree char *by = NULL;

  assert_non_null (in);
  insert_conflict (f, "c1", r->id, "priority", "1");
  insert_conflict (f, "c2", r->id, "category", "\"waste\"");
  insert_conflict (f, "c3", r->id, "text", "\"متن دیگر\"");
  insert_conflict (f, "c4", r->id, "priority", "2");

  ops_before = query_int (f, "SELECT count (*) FROM outbox WHERE field = 'priority'", NULL);
  assert_true (payam_store_decide_conflict (f->store, "c1", PAYAM_DECISION_OTHER, NULL, &error));
  assert_int_equal (query_int (f, "SELECT priority FROM request WHERE id = ?", r->id), 1);
  assert_true (query_int (f, "SELECT count (*) FROM outbox WHERE field = 'priority'", NULL) >
               ops_before);
  /* Under the member's name (the account's id means nothing on the other devices). */
  by = query_text (f, "SELECT resolved_by FROM conflict WHERE id = ?", "c1");
  assert_string_equal (by, "زهرا کریمی");
  assert_non_null (staff);

  assert_false (payam_store_decide_conflict (f->store, "c2", PAYAM_DECISION_WRITE, "\"no-such\"",
                                             &error));
  assert_non_null (error);
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT resolved_at IS NULL FROM conflict WHERE id = ?", "c2"),
                    1);
  assert_true (payam_store_decide_conflict (f->store, "c2", PAYAM_DECISION_WRITE, "\"lighting\"",
                                            &error));
  category = query_text (f, "SELECT category_id FROM request WHERE id = ?", r->id);
  assert_string_equal (category, "lighting");

  assert_false (payam_store_decide_conflict (f->store, "c3", PAYAM_DECISION_OTHER, NULL, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT resolved_at IS NULL FROM conflict WHERE id = ?", "c3"),
                    1);
  assert_true (payam_store_decide_conflict (f->store, "c3", PAYAM_DECISION_DISMISS, NULL, &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM audit WHERE action = 'conflict-decide'"
                               " AND json_extract (detail, '$.decision') = 'dismiss'", NULL), 1);
  /* Decided elsewhere first: the second decision says by whom and changes nothing. */
  assert_true (payam_store_decide_conflict (f->store, "c4", PAYAM_DECISION_KEEP, NULL, &error));
  assert_int_equal (query_int (f, "SELECT count (*) FROM outbox WHERE entity = 'conflict'"
                               " AND row_id = ?", "c4"), 2);
  ops_before = query_int (f, "SELECT count (*) FROM outbox", NULL);
  assert_false (payam_store_decide_conflict (f->store, "c4", PAYAM_DECISION_OTHER, NULL, &error));
  assert_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID);
  assert_non_null (strstr (error->message, "زهرا کریمی"));
  assert_int_equal (query_int (f, "SELECT count (*) FROM outbox", NULL), ops_before);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_search, setup, teardown),
    cmocka_unit_test_setup_teardown (test_search_index_at_commit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_triage, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reject, setup, teardown),
    cmocka_unit_test_setup_teardown (test_supervisor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff, setup, teardown),
    cmocka_unit_test_setup_teardown (test_staff_changes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflict, setup, teardown),
    cmocka_unit_test_setup_teardown (test_board, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflict_decide, setup, teardown),
  };

  return cmocka_run_group_tests_name ("office-store", tests, NULL, NULL);
}
