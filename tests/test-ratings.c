/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the store's ratings: validation, the finished-only rule, one per request, outbox. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "payam-lifecycle.h"
#include "payam-store-ratings.h"

typedef struct {
  char       *dir;
  char       *path;
  GDateTime  *now;
  PayamStore *store;
  char       *request_id;
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
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft = { 0, };

  f->dir = g_dir_make_tmp ("payam-ratings-XXXXXX", &error);
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

  draft.text = "چاله بزرگ جلوی مدرسه در خیابان توحید";
  draft.category = "asphalt";
  draft.neighbourhood = "tohid";
  draft.channel = PAYAM_CHANNEL_KIOSK;
  request = payam_store_add_request (f->store, &draft, &error);
  if (request == NULL)
    fail_msg ("add request: %s", error->message);
  f->request_id = g_strdup (request->id);
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
  g_free (f->request_id);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

/* A second, read-only connection: the text of the first column of @query's first row. */
static char *
query_text (Fixture    *f,
            const char *query)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
move_to (Fixture     *f,
         PayamStatus  to)
{
  g_autoptr(GError) error = NULL;

  if (!payam_store_set_status (f->store, f->request_id, to, PAYAM_ROLE_OFFICE, NULL, &error))
    fail_msg ("set status: %s", error->message);
}

/* Which statuses may be rated: only finished work. */
static void
test_rateable_statuses (void **state)
{
  static const struct {
    PayamStatus status;
    gboolean    rateable;
  } cases[] = {
    { PAYAM_STATUS_REGISTERED, FALSE },
    { PAYAM_STATUS_TRIAGED, FALSE },
    { PAYAM_STATUS_ASSIGNED, FALSE },
    { PAYAM_STATUS_IN_PROGRESS, FALSE },
    { PAYAM_STATUS_DONE, TRUE },
    { PAYAM_STATUS_NOT_POSSIBLE, FALSE },
    { PAYAM_STATUS_REJECTED, FALSE },
    { PAYAM_STATUS_NOTIFIED, TRUE },
    { PAYAM_STATUS_CLOSED, TRUE },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_int_equal (payam_status_is_rateable (cases[i].status), cases[i].rateable);
}

/* Open work is refused with the status named; nothing is written. */
static void
test_not_finished_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *n_outbox = NULL;
  char *id;

  move_to (f, PAYAM_STATUS_IN_PROGRESS);
  n_outbox = query_text (f, "SELECT count (*) FROM outbox");
  id = payam_store_add_rating (f->store, f->request_id, 5, NULL, &error);
  assert_null (id);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  expected = g_strdup_printf (_("This message is not finished yet (its status is “%s”); it "
                                "can be rated once the work is done."),
                              payam_status_label (PAYAM_STATUS_IN_PROGRESS));
  assert_string_equal (error->message, expected);

  ratings = payam_store_list_ratings (f->store, f->request_id, NULL);
  assert_int_equal (ratings->len, 0);
  {
    g_autofree char *after = query_text (f, "SELECT count (*) FROM outbox");
    assert_string_equal (after, n_outbox);
  }
}

/* Bad input, table-driven: each a translated INVALID, nothing stored. */
static void
test_invalid_input (void **state)
{
  Fixture *f = *state;
  g_autofree char *long_comment = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i <= PAYAM_RATING_MAX_COMMENT_CHARS; i++)
    g_string_append (s, "خ");
  long_comment = g_string_free (s, FALSE);
  move_to (f, PAYAM_STATUS_DONE);

  {
    const struct {
      int         score;
      const char *comment;
      int         code;
      const char *prefix;
    } cases[] = {
      { 0, NULL, PAYAM_STORE_ERROR_INVALID, "Choose a score" },
      { 6, "خوب", PAYAM_STORE_ERROR_INVALID, "Choose a score" },
      { -1, NULL, PAYAM_STORE_ERROR_INVALID, "Choose a score" },
      { 4, "\xff\xfe", PAYAM_STORE_ERROR_INVALID, "The comment contains unreadable" },
      { 4, long_comment, PAYAM_STORE_ERROR_INVALID, "The comment is too long" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        char *id = payam_store_add_rating (f->store, f->request_id, cases[i].score,
                                           cases[i].comment, &error);

        assert_null (id);
        assert_true (g_error_matches (error, PAYAM_STORE_ERROR, cases[i].code));
        /* C.UTF-8 here: the message is the msgid, which names what to fix. */
        assert_true (g_str_has_prefix (error->message, cases[i].prefix));
      }
  }

  {
    g_autoptr(GError) error = NULL;
    assert_null (payam_store_add_rating (f->store, "0190f000-0000-7000-8000-000000000000", 3,
                                         NULL, &error));
    assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  }
  ratings = payam_store_list_ratings (f->store, f->request_id, NULL);
  assert_int_equal (ratings->len, 0);
}

/* A done request is rated once: the row, its outbox op and an audit row; a second rating
 * is refused; the comment is trimmed. */
static void
test_rate_done_once (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *value = NULL;
  g_autofree char *audit = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const PayamRating *rating;

  move_to (f, PAYAM_STATUS_DONE);
  id = payam_store_add_rating (f->store, f->request_id, 4, "  کار خوبی بود، ممنون  ", &error);
  if (id == NULL)
    fail_msg ("add rating: %s", error->message);

  ratings = payam_store_list_ratings (f->store, f->request_id, &error);
  assert_non_null (ratings);
  assert_int_equal (ratings->len, 1);
  rating = ratings->pdata[0];
  assert_string_equal (rating->id, id);
  assert_string_equal (rating->request_id, f->request_id);
  assert_int_equal (rating->score, 4);
  assert_string_equal (rating->comment, "کار خوبی بود، ممنون");
  assert_true (g_date_time_equal (rating->created_at, f->now));

  sql = g_strdup_printf ("SELECT entity FROM outbox WHERE row_id = '%s'", id);
  entity = query_text (f, sql);
  assert_string_equal (entity, "rating");
  g_free (sql);
  sql = g_strdup_printf ("SELECT value FROM outbox WHERE row_id = '%s' AND field IS NULL", id);
  value = query_text (f, sql);
  assert_non_null (value);
  node = json_from_string (value, &error);
  assert_non_null (node);
  object = json_node_get_object (node);
  assert_string_equal (json_object_get_string_member (object, "request_id"), f->request_id);
  assert_int_equal (json_object_get_int_member (object, "score"), 4);
  assert_string_equal (json_object_get_string_member (object, "comment"), "کار خوبی بود، ممنون");
  g_free (sql);
  sql = g_strdup_printf ("SELECT action FROM audit WHERE row_id = '%s'", id);
  audit = query_text (f, sql);
  assert_string_equal (audit, "add-rating");

  /* A second rating of the same request, even after it is closed, is refused. */
  move_to (f, PAYAM_STATUS_NOTIFIED);
  {
    g_autoptr(GError) again = NULL;
    g_autoptr(GPtrArray) after = NULL;

    assert_null (payam_store_add_rating (f->store, f->request_id, 1, NULL, &again));
    assert_true (g_error_matches (again, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
    assert_true (g_str_has_prefix (again->message, "This message has already been rated"));
    after = payam_store_list_ratings (f->store, f->request_id, NULL);
    assert_int_equal (after->len, 1);
  }
}

/* No comment: stored as NULL, sent as JSON null. */
static void
test_rate_without_comment (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *value = NULL;

  move_to (f, PAYAM_STATUS_DONE);
  id = payam_store_add_rating (f->store, f->request_id, 1, "   ", &error);
  assert_non_null (id);
  ratings = payam_store_list_ratings (f->store, f->request_id, &error);
  assert_int_equal (ratings->len, 1);
  assert_null (((PayamRating *) ratings->pdata[0])->comment);
  assert_int_equal (((PayamRating *) ratings->pdata[0])->score, 1);
  sql = g_strdup_printf ("SELECT value FROM outbox WHERE row_id = '%s'", id);
  value = query_text (f, sql);
  assert_non_null (strstr (value, "\"comment\":null"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_rateable_statuses),
    cmocka_unit_test_setup_teardown (test_not_finished_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_invalid_input, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rate_done_once, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rate_without_comment, setup, teardown),
  };

  return cmocka_run_group_tests_name ("ratings", tests, NULL, NULL);
}
