/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the Open311 mapping: lifecycle ↔ open/closed, categories ↔ services, the danger
 * questions ↔ attributes (issue #15). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-lifecycle.h"
#include "payam-open311-map.h"
#include "payam-store-open311.h"
#include "payam-store-private.h"
#include "payam-store.h"

/* Every status maps, and exactly the open-work statuses read "open". */
static void
test_status_of (void **state)
{
  static const struct { PayamStatus status; const char *expected; } cases[] = {
    { PAYAM_STATUS_REGISTERED, "open" },
    { PAYAM_STATUS_TRIAGED, "open" },
    { PAYAM_STATUS_ASSIGNED, "open" },
    { PAYAM_STATUS_IN_PROGRESS, "open" },
    { PAYAM_STATUS_DONE, "closed" },
    { PAYAM_STATUS_NOT_POSSIBLE, "closed" },
    { PAYAM_STATUS_REJECTED, "closed" },
    { PAYAM_STATUS_NOTIFIED, "closed" },
    { PAYAM_STATUS_CLOSED, "closed" },
  };

  (void) state;
  assert_int_equal (G_N_ELEMENTS (cases), PAYAM_N_STATUSES);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_string_equal (payam_open311_status_of (cases[i].status), cases[i].expected);
      assert_int_equal (payam_status_is_open (cases[i].status),
                        strcmp (cases[i].expected, "open") == 0);
    }
}

static void
test_parse_status (void **state)
{
  g_autoptr(GError) error = NULL;
  gboolean want_open = FALSE, want_closed = FALSE;

  (void) state;
  assert_true (payam_open311_parse_status ("open", &want_open, &want_closed, NULL));
  assert_true (want_open);
  assert_false (want_closed);
  assert_true (payam_open311_parse_status ("Closed", &want_open, &want_closed, NULL));
  assert_false (want_open);
  assert_true (want_closed);
  assert_true (payam_open311_parse_status ("open, closed", &want_open, &want_closed, NULL));
  assert_true (want_open && want_closed);
  assert_false (payam_open311_parse_status ("done", &want_open, &want_closed, &error));
  assert_true (g_error_matches (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID));
  assert_non_null (strstr (error->message, "done"));
  g_clear_error (&error);
  assert_false (payam_open311_parse_status ("", &want_open, &want_closed, &error));
  assert_non_null (error);
}

/* Every default category is a service with metadata and a description. */
static void
test_services (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(GPtrArray) categories = NULL;

  (void) state;
  assert_non_null (store);
  assert_true (payam_store_load_defaults (store, &error));
  categories = payam_store_list_categories (store, &error);
  assert_non_null (categories);
  assert_true (categories->len >= 5);
  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);
      const char *description = payam_open311_service_description (category);

      assert_true (payam_open311_service_has_metadata (category));
      assert_non_null (description);
      assert_true (*description != '\0');
      assert_true (g_utf8_validate (description, -1, NULL));
    }

  {
    PayamCategory bare = { .code = (char *) "x", .name = (char *) "نام" };

    assert_string_equal (payam_open311_service_description (&bare), "نام");
  }
}

/* The attributes are the kiosk's three questions in order, and each reads its own answer. */
static void
test_attributes (void **state)
{
  guint n = 0;
  const PayamOpen311Attribute *attributes = payam_open311_attributes (&n);
  PayamHazardAnswers answers = { .danger_to_people = FALSE, .blocks_road = TRUE,
                                 .utilities = FALSE };

  (void) state;
  assert_int_equal (n, 3);
  for (guint i = 0; i < n; i++)
    {
      assert_int_equal (attributes[i].order, i + 1);
      assert_non_null (attributes[i].description);
    }
  assert_string_equal (attributes[0].code, "danger_to_people");
  assert_false (payam_open311_answer_of (&answers, "danger_to_people"));
  assert_true (payam_open311_answer_of (&answers, "blocks_road"));
  assert_false (payam_open311_answer_of (&answers, "utilities"));
}

static void
test_answers_from_attributes (void **state)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  PayamHazardAnswers answers = { TRUE, TRUE, TRUE };

  (void) state;
  /* None given: nothing asked. */
  assert_true (payam_open311_answers_from_attributes (NULL, &answers, NULL));
  assert_false (answers.danger_to_people || answers.blocks_road || answers.utilities);

  g_hash_table_insert (attributes, (char *) "danger_to_people", (char *) "true");
  g_hash_table_insert (attributes, (char *) "utilities", (char *) " بله ");
  g_hash_table_insert (attributes, (char *) "blocks_road", (char *) "false");
  assert_true (payam_open311_answers_from_attributes (attributes, &answers, NULL));
  assert_true (answers.danger_to_people);
  assert_false (answers.blocks_road);
  assert_true (answers.utilities);

  /* A bad value leaves @out untouched and names the question. */
  g_hash_table_insert (attributes, (char *) "blocks_road", (char *) "maybe");
  assert_false (payam_open311_answers_from_attributes (attributes, &answers, &error));
  assert_true (g_error_matches (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID));
  assert_non_null (strstr (error->message, "blocks_road"));
  assert_true (answers.danger_to_people && answers.utilities);
  g_clear_error (&error);

  g_hash_table_insert (attributes, (char *) "blocks_road", (char *) "no");
  g_hash_table_insert (attributes, (char *) "colour", (char *) "true");
  assert_false (payam_open311_answers_from_attributes (attributes, &answers, &error));
  assert_non_null (strstr (error->message, "colour"));
}

/* Keys: shown once, checked by hash, one live key per name, revoked for good. */
static void
test_keys (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autofree char *key = NULL;
  g_autofree char *again = NULL;
  g_autofree char *name = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  (void) state;
  assert_non_null (store);
  key = payam_store_add_open311_key (store, "  fixmystreet ", &error);
  assert_non_null (key);
  assert_true (strlen (key) >= 40);
  assert_null (payam_store_add_open311_key (store, "fixmystreet", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_add_open311_key (store, "  ", &error));
  g_clear_error (&error);

  name = payam_store_check_open311_key (store, key, &error);
  assert_string_equal (name, "fixmystreet");
  wrong = g_strconcat (key, "x", NULL);
  assert_null (payam_store_check_open311_key (store, wrong, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  assert_null (payam_store_check_open311_key (store, "", NULL));

  assert_true (payam_store_revoke_open311_key (store, "fixmystreet", &error));
  assert_null (payam_store_check_open311_key (store, key, NULL));
  assert_false (payam_store_revoke_open311_key (store, "fixmystreet", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* The name is free again; the new key is another. */
  again = payam_store_add_open311_key (store, "fixmystreet", &error);
  assert_non_null (again);
  assert_string_not_equal (again, key);
  keys = payam_store_list_open311_keys (store, &error);
  assert_int_equal (keys->len, 2);
  assert_int_equal (((PayamOpen311Key *) keys->pdata[0])->revoked +
                    ((PayamOpen311Key *) keys->pdata[1])->revoked, 1);
}


/* GET requests pages in SQL: on a store of BULK requests a page reads its rows (and those
 * skipped before it) from the request_by_created index, never the whole table, and the
 * filters hold in SQL. */
#define BULK 20000

static void
test_page_in_sql (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(PayamRequest) seed = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  PayamRequestDraft draft = { .text = "چاله", .category = "asphalt", .neighbourhood = "tohid",
                              .channel = PAYAM_CHANNEL_KIOSK };
  const char *const lighting[] = { "lighting", NULL };
  PayamOpen311Page page = { NULL, TRUE, TRUE, NULL, NULL, 0, 20, 0 };
  PayamOpen311Page all = { NULL, TRUE, TRUE, NULL, NULL, 0, BULK + 10, 0 };
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) every = NULL;
  g_autofree char *sql = NULL;
  gint64 t0, t_page, t_all;

  (void) state;
  assert_true (payam_store_load_defaults (store, &error));
  seed = payam_store_add_request (store, &draft, &error);
  assert_non_null (seed);
  /* BULK copies of it, one a minute from 2026-01-01: every third is lighting, every
   * second done; request k has tracking code 9 followed by k in 11 digits. */
  sql = g_strdup_printf (
    "BEGIN;"
    "CREATE TEMP TABLE many AS WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1"
    "  FROM n WHERE k < %d) SELECT n.k AS k, r.* FROM n, request r;"
    "UPDATE many SET id = printf ('bulk-%%06d', k), tracking_code = printf ('9%%011d', k),"
    "  created_at = strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', '2026-01-01', printf ('+%%d minutes', k)),"
    "  category_id = CASE WHEN k %% 3 = 0 THEN 'lighting' ELSE category_id END,"
    "  status = CASE WHEN k %% 2 = 0 THEN 'done' ELSE status END;"
    "ALTER TABLE many DROP COLUMN k;"
    "INSERT INTO request SELECT * FROM many;"
    "DROP TABLE many;"
    "COMMIT;", BULK);
  assert_int_equal (sqlite3_exec (store->db, sql, NULL, NULL, NULL), SQLITE_OK);

  /* The first page of January: the newest 20, k = BULK … BULK - 19 (the seed is of now). */
  start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  end = g_date_time_new_utc (2026, 2, 1, 0, 0, 0);
  page.start = start;
  page.end = end;
  t0 = g_get_monotonic_time ();
  codes = payam_store_list_open311_page (store, &page, &error);
  t_page = g_get_monotonic_time () - t0;
  assert_non_null (codes);
  assert_int_equal (g_strv_length (codes), 20);
  assert_string_equal (codes[0], "900000020000");
  assert_string_equal (codes[19], "900000019981");
  all.start = start;
  all.end = end;
  t0 = g_get_monotonic_time ();
  every = payam_store_list_open311_page (store, &all, &error);
  t_all = g_get_monotonic_time () - t0;
  assert_int_equal (g_strv_length (every), BULK);
  print_message ("# page of 20: %" G_GUINT64_FORMAT " steps, %.2f ms; all %d rows: %"
                 G_GUINT64_FORMAT " steps, %.2f ms\n", page.steps, t_page / 1000.0, BULK,
                 all.steps, t_all / 1000.0);
  /* One page is a few hundredths of reading every row. */
  assert_true (page.steps * 100 < all.steps);
  g_clear_pointer (&codes, g_strfreev);

  /* Page 3 of lighting requests that are closed: k a multiple of 6, newest first. */
  page.service_codes = lighting;
  page.want_open = FALSE;
  page.offset = 40;
  codes = payam_store_list_open311_page (store, &page, &error);
  assert_int_equal (g_strv_length (codes), 20);
  assert_string_equal (codes[0], "900000019758");   /* 19998 - 6 × 40 */
  assert_string_equal (codes[19], "900000019644");
  assert_true (page.steps * 10 < all.steps);
  g_clear_pointer (&codes, g_strfreev);

  /* A window: 10:00 to 10:09 on 2 January is k = 2040 … 2049; open ones are odd. */
  page = (PayamOpen311Page) { NULL, TRUE, FALSE, NULL, NULL, 0, 100, 0 };
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&end, g_date_time_unref);
  start = g_date_time_new_utc (2026, 1, 2, 10, 0, 0);
  end = g_date_time_new_utc (2026, 1, 2, 10, 9, 0);
  page.start = start;
  page.end = end;
  codes = payam_store_list_open311_page (store, &page, &error);
  assert_int_equal (g_strv_length (codes), 5);
  assert_string_equal (codes[0], "900000002049");
  assert_string_equal (codes[4], "900000002041");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_status_of),
    cmocka_unit_test (test_parse_status),
    cmocka_unit_test (test_services),
    cmocka_unit_test (test_attributes),
    cmocka_unit_test (test_answers_from_attributes),
    cmocka_unit_test (test_keys),
    cmocka_unit_test (test_page_in_sql),
  };

  return cmocka_run_group_tests_name ("open311-map", tests, NULL, NULL);
}
