/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of PayamStore: defaults, requests, validation, outbox, audit, batches, status, photos. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sqlite3.h>

#include "payam-lifecycle.h"
#include "payam-phone.h"
#include "payam-store.h"
#include "payam-store-private.h"
#include "payam-text.h"
#include "payam-tracking.h"

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

  f->dir = g_dir_make_tmp ("payam-store-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  /* Sunday 29 November 2026, 13:30 in Tehran: a working day. */
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (error != NULL)
    fail_msg ("open: %s", error->message);
  assert_non_null (f->store);
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

/* A second, read-only connection to look at rows the API does not expose. */
static gint64
query_int (Fixture    *f,
           const char *query)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

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
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
basic_draft (PayamRequestDraft *draft,
             const char        *text)
{
  *draft = (PayamRequestDraft) {
    .text = text,
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
  };
}

static PayamRequest *
add_simple (Fixture    *f,
            const char *text)
{
  PayamRequestDraft draft;
  g_autoptr(GError) error = NULL;
  PayamRequest *request;

  basic_draft (&draft, text);
  request = payam_store_add_request (f->store, &draft, &error);
  assert_null (error);
  assert_non_null (request);
  return request;
}

/* Outbox device_seq must be exactly 1 … n. */
static void
assert_outbox_contiguous (Fixture *f)
{
  gint64 n = query_int (f, "SELECT count(*) FROM outbox");

  assert_int_equal (query_int (f, "SELECT coalesce(min(device_seq), 1) FROM outbox"), 1);
  assert_int_equal (query_int (f, "SELECT coalesce(max(device_seq), 0) FROM outbox"), n);
  assert_int_equal (payam_store_count_outbox (f->store, NULL), n);
}

/* ---- open, defaults ---------------------------------------------------------------------- */

static void
test_open_reopen (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = g_strdup (payam_store_get_device_id (f->store));
  guint prefix = payam_store_get_device_prefix (f->store);
  g_autoptr(PayamRequest) request = add_simple (f, "چاله");
  g_autoptr(PayamStore) again = NULL;

  assert_int_equal (payam_store_get_schema_version (f->store), PAYAM_STORE_SCHEMA_VERSION);
  assert_string_equal (payam_store_get_path (f->store), f->path);
  assert_int_equal (strlen (device_id), 36);
  assert_in_range (prefix, 1, PAYAM_TRACKING_PREFIX_MAX);
  assert_true (payam_store_check_integrity (f->store, &error));

  g_clear_object (&f->store);
  again = payam_store_open (f->path, &error);
  assert_null (error);
  assert_non_null (again);
  assert_string_equal (payam_store_get_device_id (again), device_id);
  assert_int_equal (payam_store_get_device_prefix (again), prefix);
  assert_int_equal (query_int (f, "PRAGMA application_id"), 0x50415941);
  assert_int_equal (query_int (f, "PRAGMA user_version"), PAYAM_STORE_SCHEMA_VERSION);
  {
    g_autofree char *mode = query_text (f, "PRAGMA journal_mode");
    assert_string_equal (mode, "wal");
  }
  {
    g_autoptr(PayamRequest) back = payam_store_get_request (again, request->id, &error);
    assert_non_null (back);
    assert_string_equal (back->tracking_code, request->tracking_code);
  }

  /* Counters survive: the next code continues the sequence. */
  payam_store_set_now_func (again, fixed_now, f);
  {
    PayamRequestDraft draft;
    g_autoptr(PayamRequest) next = NULL;
    g_autofree char *expected = payam_tracking_code_make (prefix, 2);

    basic_draft (&draft, "چالهٔ دیگر");
    next = payam_store_add_request (again, &draft, &error);
    assert_non_null (next);
    assert_string_equal (next->tracking_code, expected);
  }
  f->store = g_steal_pointer (&again);
  assert_outbox_contiguous (f);

  assert_false (payam_store_set_device_prefix (f->store, 0, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_true (payam_store_set_device_prefix (f->store, 42, &error));
  assert_int_equal (payam_store_get_device_prefix (f->store), 42);
}

static void
test_memory (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(GPtrArray) categories = NULL;

  (void)state;
  assert_non_null (store);
  assert_true (payam_store_load_defaults (store, &error));
  categories = payam_store_list_categories (store, &error);
  assert_int_equal (categories->len, 14);
}

static void
count_defaults (PayamStore *store,
                guint       out[4])
{
  g_autoptr(GPtrArray) categories = payam_store_list_categories (store, NULL);
  g_autoptr(GPtrArray) hoods = payam_store_list_places (store, "neighbourhood", NULL, NULL);
  g_autoptr(GPtrArray) streets = payam_store_list_places (store, "street", NULL, NULL);
  g_autoptr(GPtrArray) landmarks = payam_store_list_places (store, "landmark", NULL, NULL);

  out[0] = categories->len;
  out[1] = hoods->len;
  out[2] = streets->len;
  out[3] = landmarks->len;
}

static void
test_load_defaults (void **state)
{
  static const char *const codes[] = {
    "asphalt", "lighting", "waste", "green-space", "surface-water", "manhole-sewer",
    "sidewalk", "debris", "animals", "traffic-signs", "unsafe-structure", "street-cleaning",
    "street-furniture", "other",
  };
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = payam_store_list_categories (f->store, &error);
  g_autoptr(GPtrArray) tohid_streets = NULL;
  g_autoptr(PayamCategory) asphalt = NULL;
  g_autoptr(PayamCategory) unsafe = NULL;
  guint first[4], second[4];

  assert_int_equal (categories->len, G_N_ELEMENTS (codes));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const PayamCategory *c = g_ptr_array_index (categories, i);

      assert_string_equal (c->code, codes[i]);
      assert_true (g_str_has_suffix (c->icon, "-symbolic"));
      assert_true (g_utf8_strlen (c->guidance, -1) > 20);
      assert_in_range (g_strv_length (c->examples), 2, 3);
      assert_in_range (c->default_priority, 1, 3);
      assert_true (c->rule.urgent_hours > 0 && c->rule.high_hours > 0);
      assert_true (c->rule.normal_hours >= c->rule.high_hours);
      for (guint j = 0; c->related[j] != NULL; j++)
        {
          g_autoptr(PayamCategory) related = payam_store_get_category (f->store, c->related[j],
                                                                       &error);
          assert_non_null (related);
        }
    }

  asphalt = payam_store_get_category (f->store, "asphalt", &error);
  assert_string_equal (asphalt->name, "آسفالت و چاله");
  unsafe = payam_store_get_category (f->store, "unsafe-structure", &error);
  assert_int_equal (unsafe->default_priority, PAYAM_PRIORITY_URGENT);
  assert_null (payam_store_get_category (f->store, "nope", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  count_defaults (f->store, first);
  assert_int_equal (first[1], 2);
  assert_int_equal (first[2], 16);
  assert_int_equal (first[3], 12);
  assert_true (payam_store_load_defaults (f->store, &error));
  count_defaults (f->store, second);
  assert_memory_equal (first, second, sizeof first);

  tohid_streets = payam_store_list_places (f->store, "street", "tohid", &error);
  assert_int_equal (tohid_streets->len, 8);
  for (guint i = 0; i < tohid_streets->len; i++)
    {
      const PayamPlace *p = g_ptr_array_index (tohid_streets, i);

      assert_string_equal (p->parent, "tohid");
      assert_true (p->sample);
      assert_true (p->has_location);
      assert_true (p->lat > 35.5 && p->lat < 35.9 && p->lon > 51.1 && p->lon < 51.7);
    }
  assert_string_equal (((PayamPlace *)g_ptr_array_index (tohid_streets, 0))->name,
                       "خیابان توحید");

  /* Configuration writes no outbox ops, only audit rows. */
  assert_int_equal (payam_store_count_outbox (f->store, NULL), 0);
  /* Reloading identical defaults changes nothing; a row edited since is restored. */
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'load-defaults'"), 1);
  {
    sqlite3 *db = NULL;
    g_autoptr(PayamCategory) restored = NULL;

    assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
    assert_int_equal (sqlite3_exec (db, "UPDATE category SET name = 'x' WHERE code = 'waste'",
                                    NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close (db);
    assert_true (payam_store_load_defaults (f->store, &error));
    restored = payam_store_get_category (f->store, "waste", &error);
    assert_string_equal (restored->name, "پسماند و زباله");
    assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = "
                                    "'load-defaults'"), 2);
  }
  assert_non_null (payam_store_get_work_calendar (f->store));
}

/* ---- requests ---------------------------------------------------------------------------- */

static void
test_round_trip (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 ("2026-11-28T06:15:30.250Z", NULL);
  PayamRequestDraft draft = {
    .text = "  چالهٔ بزرگ جلوی پلاک ۱۲ کوچهٔ یاس  ",
    .category = "asphalt",
    .neighbourhood = "tohid",
    .street = "tohid/street/yas",
    .landmark = " نزدیک دبستان نسترن ",
    .has_location = TRUE,
    .lat = 35.7043,
    .lon = 51.3721,
    .created_at = created,
    .phone = "۰۹۱۲ ۳۴۵ ۶۷۸۹",
    .name = " مریم احمدی ",
    .hazard = FALSE,
    .answers = { .blocks_road = TRUE },
    .channel = PAYAM_CHANNEL_PHONE,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (f->store, &draft, &error);
  g_autoptr(PayamRequest) back = NULL;
  g_autoptr(PayamRequest) copy = NULL;
  g_autofree char *text_norm = payam_text_normalize ("چالهٔ بزرگ جلوی پلاک ۱۲ کوچهٔ یاس");
  g_autofree char *created_text = NULL;

  assert_null (error);
  assert_non_null (r);
  back = payam_store_get_request (f->store, r->id, &error);
  assert_non_null (back);
  copy = payam_request_copy (back);

  for (int i = 0; i < 3; i++)
    {
      const PayamRequest *x = i == 0 ? r : i == 1 ? back : copy;

      assert_string_equal (x->id, r->id);
      assert_int_equal (strlen (x->tracking_code), 12);
      assert_int_equal (x->channel, PAYAM_CHANNEL_PHONE);
      assert_string_equal (x->category, "asphalt");
      assert_string_equal (x->text, "چالهٔ بزرگ جلوی پلاک ۱۲ کوچهٔ یاس");
      assert_string_equal (x->text_norm, text_norm);
      assert_string_equal (x->neighbourhood, "tohid");
      assert_string_equal (x->street, "tohid/street/yas");
      assert_string_equal (x->landmark, "نزدیک دبستان نسترن");
      assert_true (x->has_location);
      assert_true (fabs (x->lat - 35.7043) < 1e-9 && fabs (x->lon - 51.3721) < 1e-9);
      assert_false (x->hazard);
      assert_true (x->answers.blocks_road);
      assert_false (x->answers.danger_to_people || x->answers.utilities);
      /* Blocked road: high; asphalt's default is normal. */
      assert_int_equal (x->priority, PAYAM_PRIORITY_HIGH);
      assert_int_equal (x->status, PAYAM_STATUS_REGISTERED);
      assert_int_equal (x->status_epoch, 0);
      assert_null (x->status_reason);
      assert_null (x->group_id);
      assert_true (g_date_time_equal (x->created_at, created));
      assert_true (g_date_time_compare (x->due_at, created) > 0);
      assert_true (g_date_time_equal (x->updated_at, f->now));
      assert_string_equal (x->phone, "09123456789");
      assert_string_equal (x->name, "مریم احمدی");
    }

  /* Stored as UTC text with milliseconds. */
  created_text = query_text (f, "SELECT created_at FROM request");
  assert_string_equal (created_text, "2026-11-28T06:15:30.250Z");

  /* Without optional fields: NULLs, created now. */
  {
    g_autoptr(PayamRequest) bare = add_simple (f, "چراغ خاموش");
    g_autoptr(PayamRequest) bare_back = payam_store_get_request (f->store, bare->id, &error);

    assert_null (bare_back->street);
    assert_null (bare_back->landmark);
    assert_null (bare_back->phone);
    assert_null (bare_back->name);
    assert_false (bare_back->has_location);
    assert_int_equal (bare_back->priority, PAYAM_PRIORITY_NORMAL);
    assert_true (g_date_time_equal (bare_back->created_at, f->now));
  }

  assert_null (payam_store_get_request (f->store, "0190f000-0000-7000-8000-000000000000", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

typedef struct {
  const char *what;
  const char *text;
  const char *category;
  const char *neighbourhood;
  const char *street;
  gboolean    has_location;
  double      lat;
  double      lon;
  const char *phone;
  const char *name;
  const char *group_id;
  int         channel;
} InvalidCase;

static void
test_validation (void **state)
{
  Fixture *f = *state;
  g_autofree char *long_text = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *long_street = NULL;
  GString *s = g_string_new (NULL);

  for (int i = 0; i < 4001; i++)
    g_string_append (s, "چ");
  long_text = g_string_free (s, FALSE);
  long_name = g_strnfill (101, 'a');
  long_street = g_strnfill (201, 'b');

  {
    const InvalidCase cases[] = {
      { "no text", NULL, "asphalt", "tohid" },
      { "blank text", " \t\n ", "asphalt", "tohid" },
      { "bad utf-8", "\xff\xfe", "asphalt", "tohid" },
      { "too long", long_text, "asphalt", "tohid" },
      { "no category", "متن", NULL, "tohid" },
      { "blank category", "متن", "  ", "tohid" },
      { "unknown category", "متن", "potholes", "tohid" },
      { "no neighbourhood", "متن", "asphalt", NULL },
      { "unknown neighbourhood", "متن", "asphalt", "narmak" },
      { "street as neighbourhood", "متن", "asphalt", "tohid/street/yas" },
      { "long street", "متن", "asphalt", "tohid", long_street },
      { "lat > 90", "متن", "asphalt", "tohid", NULL, TRUE, 91.0, 51.3 },
      { "lon < -180", "متن", "asphalt", "tohid", NULL, TRUE, 35.7, -181.0 },
      { "nan", "متن", "asphalt", "tohid", NULL, TRUE, NAN, 51.3 },
      { "outside district", "متن", "asphalt", "tohid", NULL, TRUE, 35.2, 51.3 },
      { "swapped lat/lon", "متن", "asphalt", "tohid", NULL, TRUE, 51.3, 35.7 },
      { "phone too short", "متن", "asphalt", "tohid", NULL, FALSE, 0, 0, "0912" },
      { "phone letters", "متن", "asphalt", "tohid", NULL, FALSE, 0, 0, "0912abc4567" },
      { "name too long", "متن", "asphalt", "tohid", NULL, FALSE, 0, 0, NULL, long_name },
      { "unknown group", "متن", "asphalt", "tohid", NULL, FALSE, 0, 0, NULL, NULL,
        "0190f000-0000-7000-8000-000000000000" },
      { "bad channel", "متن", "asphalt", "tohid", NULL, FALSE, 0, 0, NULL, NULL, NULL, 17 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const InvalidCase *c = &cases[i];
        PayamRequestDraft draft = {
          .text = c->text, .category = c->category, .neighbourhood = c->neighbourhood,
          .street = c->street, .has_location = c->has_location, .lat = c->lat, .lon = c->lon,
          .phone = c->phone, .name = c->name, .group_id = c->group_id,
          .channel = (PayamChannel)c->channel,
        };
        g_autoptr(GError) error = NULL;
        g_autoptr(PayamRequest) r = payam_store_add_request (f->store, &draft, &error);

        if (r != NULL || !g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID))
          fail_msg ("case “%s” was not refused as INVALID", c->what);
        assert_true (strlen (error->message) > 10);
      }
  }

  /* The phone module's message is kept. */
  {
    PayamRequestDraft draft;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) phone_error = NULL;
    g_autofree char *none = payam_phone_normalize ("0912", &phone_error);

    basic_draft (&draft, "متن");
    draft.phone = "0912";
    assert_null (payam_store_add_request (f->store, &draft, &error));
    assert_non_null (strstr (error->message, phone_error->message));
  }

  /* Refused drafts leave nothing behind, and an edge of the box is accepted. */
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 0);
  assert_int_equal (payam_store_count_outbox (f->store, NULL), 0);
  {
    PayamRequestDraft draft;
    g_autoptr(GError) error = NULL;
    g_autoptr(PayamRequest) r = NULL;

    basic_draft (&draft, "متن");
    draft.has_location = TRUE;
    draft.lat = 35.9;
    draft.lon = 51.1;
    draft.phone = "   ";
    r = payam_store_add_request (f->store, &draft, &error);
    assert_non_null (r);
    assert_null (r->phone);
  }
}

typedef struct {
  const char    *text;
  const char    *category;
  gboolean       hazard;
  PayamPriority  expected;
} PriorityCase;

static void
test_priority_and_deadline (void **state)
{
  static const PriorityCase cases[] = {
    { "بوی گاز در کوچه", "other", FALSE, PAYAM_PRIORITY_URGENT },
    { "دریچهٔ فاضلاب باز مانده", "surface-water", FALSE, PAYAM_PRIORITY_URGENT },
    { "چاله کوچک", "asphalt", FALSE, PAYAM_PRIORITY_NORMAL },
    { "چاله کوچک", "asphalt", TRUE, PAYAM_PRIORITY_URGENT },
    { "مخزن پر است", "waste", FALSE, PAYAM_PRIORITY_HIGH },
    { "دیوار ترک دارد", "unsafe-structure", FALSE, PAYAM_PRIORITY_URGENT },
  };
  Fixture *f = *state;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamRequestDraft draft;
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamRequest) r = NULL;
      g_autoptr(PayamCategory) category = payam_store_get_category (f->store, cases[i].category,
                                                                    NULL);
      GTimeSpan span;

      basic_draft (&draft, cases[i].text);
      draft.category = cases[i].category;
      draft.hazard = cases[i].hazard;
      r = payam_store_add_request (f->store, &draft, &error);
      assert_non_null (r);
      if (r->priority != cases[i].expected)
        fail_msg ("“%s”: priority %d, expected %d", cases[i].text, r->priority,
                  cases[i].expected);

      span = g_date_time_difference (r->due_at, r->created_at);
      assert_true (span > 0);
      /* Urgent work counts hours around the clock: due within the rule's hours. */
      if (r->priority == PAYAM_PRIORITY_URGENT)
        assert_true (span == category->rule.urgent_hours * G_TIME_SPAN_HOUR);
      else
        assert_true (span >= category->rule.high_hours * G_TIME_SPAN_HOUR);
    }
}

static void
test_tracking_codes (void **state)
{
  Fixture *f = *state;
  guint prefix = payam_store_get_device_prefix (f->store);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; i <= 25; i++)
    {
      g_autoptr(PayamRequest) r = add_simple (f, "چاله");
      g_autofree char *expected = payam_tracking_code_make (prefix, i);
      g_autofree char *parsed = payam_tracking_code_parse (r->tracking_code, NULL);

      assert_string_equal (r->tracking_code, expected);
      assert_string_equal (parsed, r->tracking_code);
      for (guint j = 0; j < codes->len; j++)
        assert_string_not_equal (g_ptr_array_index (codes, j), r->tracking_code);
      g_ptr_array_add (codes, g_strdup (r->tracking_code));
    }
}

static void
test_find_by_code (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) r = add_simple (f, "چاله");
  g_autoptr(GError) error = NULL;
  g_autofree char *persian = payam_text_digits_to_persian (r->tracking_code);
  g_autofree char *formatted = payam_tracking_code_format (r->tracking_code);
  g_autofree char *typo = g_strdup (r->tracking_code);
  g_autofree char *unknown = payam_tracking_code_make (payam_store_get_device_prefix (f->store),
                                                        999);

  {
    g_autoptr(PayamRequest) found = payam_store_find_by_tracking_code (f->store, persian, &error);
    assert_non_null (found);
    assert_string_equal (found->id, r->id);
  }
  {
    g_autoptr(PayamRequest) found = payam_store_find_by_tracking_code (f->store, formatted,
                                                                       &error);
    assert_non_null (found);
    assert_string_equal (found->id, r->id);
  }

  /* One digit mistyped: the check digit catches it, a user error of the tracking module. */
  typo[5] = typo[5] == '9' ? '0' : typo[5] + 1;
  assert_null (payam_store_find_by_tracking_code (f->store, typo, &error));
  assert_true (g_error_matches (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHECK));
  g_clear_error (&error);

  assert_null (payam_store_find_by_tracking_code (f->store, unknown, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

static void
test_outbox_and_audit (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) r = add_simple (f, "چاله");
  g_autoptr(PayamRequest) r2 = add_simple (f, "چالهٔ دوم");
  g_autofree char *entity = query_text (f, "SELECT entity FROM outbox WHERE device_seq = 1");
  g_autofree char *row_id = query_text (f, "SELECT row_id FROM outbox WHERE device_seq = 1");
  g_autofree char *value = query_text (f, "SELECT value FROM outbox WHERE device_seq = 1");
  g_autofree char *device = query_text (f, "SELECT device_id FROM outbox WHERE device_seq = 2");
  g_autofree char *hlc1 = query_text (f, "SELECT hlc FROM outbox WHERE device_seq = 1");
  g_autofree char *hlc2 = query_text (f, "SELECT hlc FROM outbox WHERE device_seq = 2");
  g_autofree char *actor = query_text (f, "SELECT actor FROM audit WHERE action = 'add-request'");
  g_autofree char *audit_row = query_text (f, "SELECT row_id FROM audit WHERE action = "
                                              "'add-request' ORDER BY id LIMIT 1");

  assert_outbox_contiguous (f);
  assert_int_equal (payam_store_count_outbox (f->store, NULL), 2);
  assert_string_equal (entity, "request");
  assert_string_equal (row_id, r->id);
  assert_non_null (strstr (value, r->tracking_code));
  assert_non_null (strstr (value, "\"category\":\"asphalt\""));
  assert_string_equal (device, payam_store_get_device_id (f->store));
  assert_true (strcmp (hlc1, hlc2) < 0);
  assert_string_equal (actor, "test");
  assert_string_equal (audit_row, r->id);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'add-request'"), 2);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE base_hlc IS NULL"), 2);

  /* A refused request (its group does not exist) rolls back: no request, op or audit row,
   * and no code or sequence number is used up. */
  {
    PayamRequestDraft draft;
    g_autoptr(GError) error = NULL;
    g_autoptr(PayamRequest) refused = NULL;
    g_autoptr(PayamRequest) next = NULL;
    g_autofree char *expected = payam_tracking_code_make (payam_store_get_device_prefix (f->store),
                                                          3);

    basic_draft (&draft, "چالهٔ سوم");
    draft.group_id = "0190f000-0000-7000-8000-000000000000";
    refused = payam_store_add_request (f->store, &draft, &error);
    assert_null (refused);
    assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 2);
    assert_int_equal (query_int (f, "SELECT count(*) FROM outbox"), 2);
    assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'add-request'"), 2);

    next = add_simple (f, "چالهٔ سوم");
    assert_string_equal (next->tracking_code, expected);
    assert_outbox_contiguous (f);
  }

  /* A field edit carries the row's version as base. */
  assert_true (payam_store_set_status (f->store, r->id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE,
                                       NULL, NULL));
  {
    g_autofree char *base = query_text (f, "SELECT base_hlc FROM outbox WHERE field = 'status'");
    assert_string_equal (base, hlc1);
  }
  assert_outbox_contiguous (f);
}

/* The op of a new request holds every field as compact JSON: quotes, backslashes and
 * control characters escaped, coordinates exact, and null, false and 0 members left out. */
static void
test_outbox_value (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft;
  g_autoptr(PayamRequest) full = NULL;
  g_autoptr(PayamRequest) bare = NULL;
  const char *text = "چاله \"بزرگ\" \\ کنار\nجوی\tآب \x01";

  basic_draft (&draft, text);
  draft.street = "خیابان توحید";
  draft.landmark = "پارک";
  draft.has_location = TRUE;
  draft.lat = 35.70499600345679;
  draft.lon = 51.1 + 0.2;
  draft.hazard = TRUE;
  draft.answers.blocks_road = TRUE;
  draft.phone = "09121234567";
  draft.name = "مریم";
  draft.channel = PAYAM_CHANNEL_PHONE;
  full = payam_store_add_request (f->store, &draft, &error);
  assert_non_null (full);
  bare = add_simple (f, "چراغ خاموش");

  {
    g_autofree char *value = query_text (f, "SELECT value FROM outbox WHERE device_seq = 1");
    g_autoptr(JsonNode) node = json_from_string (value, &error);
    JsonObject *o;
    g_autofree char *created_at = NULL;

    assert_non_null (node);
    assert_null (strchr (value, '\n'));
    o = json_node_get_object (node);
    assert_string_equal (json_object_get_string_member (o, "tracking_code"),
                         full->tracking_code);
    assert_string_equal (json_object_get_string_member (o, "channel"), "phone");
    assert_string_equal (json_object_get_string_member (o, "category"), "asphalt");
    assert_string_equal (json_object_get_string_member (o, "text"), full->text);
    assert_non_null (strstr (full->text, "\"بزرگ\" \\ کنار\nجوی\tآب \x01"));
    assert_string_equal (json_object_get_string_member (o, "neighbourhood"), "tohid");
    assert_string_equal (json_object_get_string_member (o, "street"), "خیابان توحید");
    assert_string_equal (json_object_get_string_member (o, "landmark"), "پارک");
    assert_true (json_object_get_double_member (o, "lat") == draft.lat);
    assert_true (json_object_get_double_member (o, "lon") == draft.lon);
    assert_true (json_object_get_boolean_member (o, "hazard"));
    assert_true (json_object_get_boolean_member (o, "blocks_road"));
    assert_false (json_object_has_member (o, "danger_to_people"));
    assert_false (json_object_has_member (o, "utilities"));
    assert_int_equal (json_object_get_int_member (o, "priority"), full->priority);
    assert_string_equal (json_object_get_string_member (o, "status"), "registered");
    assert_false (json_object_has_member (o, "status_epoch"));
    assert_false (json_object_has_member (o, "group_id"));
    created_at = g_date_time_format (full->created_at, "%Y-%m-%dT%H:%M:%S.000Z");
    assert_string_equal (json_object_get_string_member (o, "created_at"), created_at);
    assert_non_null (json_object_get_string_member (o, "due_at"));
    assert_string_equal (json_object_get_string_member (o, "phone"), full->phone);
    assert_string_equal (json_object_get_string_member (o, "name"), "مریم");
  }
  {
    g_autofree char *value = query_text (f, "SELECT value FROM outbox WHERE device_seq = 2");
    g_autoptr(JsonNode) node = json_from_string (value, &error);
    JsonObject *o = json_node_get_object (node);
    static const char *const absent[] = {
      "street", "landmark", "lat", "lon", "hazard", "danger_to_people", "blocks_road",
      "utilities", "status_epoch", "group_id", "phone", "name",
    };

    assert_string_equal (json_object_get_string_member (o, "text"), "چراغ خاموش");
    assert_string_equal (json_object_get_string_member (o, "channel"), "kiosk");
    for (gsize i = 0; i < G_N_ELEMENTS (absent); i++)
      if (json_object_has_member (o, absent[i]))
        fail_msg ("member %s should be left out", absent[i]);
    assert_int_equal (json_object_get_size (o), 9);
  }

  /* A coordinate as a map gives it is written as it is. */
  {
    g_autoptr(PayamRequest) mapped = NULL;
    g_autofree char *value = NULL;
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o;

    basic_draft (&draft, "چاله");
    draft.has_location = TRUE;
    draft.lat = 35.704996;
    draft.lon = 51.36;
    mapped = payam_store_add_request (f->store, &draft, &error);
    assert_non_null (mapped);
    value = query_text (f, "SELECT value FROM outbox WHERE device_seq = 3");
    assert_non_null (strstr (value, ",\"lat\":35.704996,\"lon\":51.36,"));
    node = json_from_string (value, &error);
    o = json_node_get_object (node);
    assert_true (json_object_get_double_member (o, "lat") == 35.704996);
    assert_true (json_object_get_double_member (o, "lon") == 51.36);
  }
}

static void
test_batches (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  guint prefix = payam_store_get_device_prefix (f->store);

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(PayamRequest) r = add_simple (f, "چاله");
    }
  /* Not visible to another connection before commit. */
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 0);
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 1000);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'add-request'"),
                    1000);
  assert_outbox_contiguous (f);

  /* A rolled-back batch (nested too) leaves nothing. */
  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PayamRequest) r = add_simple (f, "چراغ");
    }
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) r = add_simple (f, "درون");
  }
  assert_true (payam_store_commit (f->store, &error));
  payam_store_rollback (f->store);
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 1000);
  assert_int_equal (payam_store_count_outbox (f->store, NULL), 1000);

  /* A refused request inside a batch rolls back only itself. */
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) a = add_simple (f, "الف");
    PayamRequestDraft draft;
    g_autoptr(PayamRequest) b = NULL;
    g_autoptr(PayamRequest) c = NULL;
    g_autofree char *expected = payam_tracking_code_make (prefix, 1002);

    basic_draft (&draft, "ب");
    draft.category = "nope";
    b = payam_store_add_request (f->store, &draft, &error);
    assert_null (b);
    g_clear_error (&error);
    c = add_simple (f, "ج");
    assert_string_equal (c->tracking_code, expected);
  }
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 1002);
  assert_outbox_contiguous (f);
}

static gboolean
collect_texts (const PayamRequest *request,
               gpointer            user_data)
{
  GPtrArray *texts = user_data;

  g_ptr_array_add (texts, g_strdup (request->text));
  return texts->len < 3;
}

/* Add a request expected to fail with a database error. */
static void
add_failing (Fixture    *f,
             const char *text)
{
  PayamRequestDraft draft;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;

  basic_draft (&draft, text);
  request = payam_store_add_request (f->store, &draft, &error);
  assert_null (request);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL));
}

/* A full disk: the store says so in words a person can act on (what to do, and that
 * what was saved is safe), and the requests saved before stay. The database is capped
 * at its current size through the store's own connection to make SQLite report
 * SQLITE_FULL. */
static void
test_disk_full (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) first = add_simple (f, "چاله جلوی نانوایی");
  g_autoptr(PayamRequest) after = NULL;
  gint64 saved = 0;
  gboolean full = FALSE;

  assert_true (_payam_store_exec_sql (f->store, "PRAGMA max_page_count = 1", &error));
  for (guint i = 0; i < 10000 && !full; i++)
    {
      g_autoptr(PayamRequest) request = NULL;
      PayamRequestDraft draft;

      basic_draft (&draft, "چراغ خاموش کوچهٔ یاس");
      request = payam_store_add_request (f->store, &draft, &error);
      if (request == NULL)
        full = TRUE;
      else
        saved++;
    }
  assert_true (full);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  assert_non_null (strstr (error->message, "storage is full"));
  assert_non_null (strstr (error->message, "What was saved before is safe"));
  g_clear_error (&error);

  /* Everything acknowledged before is there, and with space again the store goes on. */
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), saved + 1);
  assert_outbox_contiguous (f);
  assert_true (_payam_store_exec_sql (f->store, "PRAGMA max_page_count = 1073741823", &error));
  after = add_simple (f, "چراغ خاموش کوچهٔ یاس");
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), saved + 2);
  assert_non_null (first->id);
}

/* A database error after a request's first write (here the outbox insert, refused by a
 * trigger for texts starting with "خطا") never leaves a request without its op: alone it
 * rolls back; in a batch it spoils the level it was made at, whose commit then undoes it
 * and fails, while rolling that level back leaves the levels around it usable. */
static void
test_failed_write (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  guint prefix = payam_store_get_device_prefix (f->store);
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_exec (db, "CREATE TRIGGER fail_op BEFORE INSERT ON outbox "
                                      "WHEN NEW.value LIKE '%\"text\":\"خطا%' "
                                      "BEGIN SELECT RAISE (ABORT, 'injected'); END",
                                  NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);

  /* Alone. */
  {
    g_autoptr(PayamRequest) a = add_simple (f, "چاله");
    g_autoptr(PayamRequest) b = NULL;
    g_autofree char *code2 = payam_tracking_code_make (prefix, 2);

    add_failing (f, "خطا در ثبت");
    assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 1);
    b = add_simple (f, "چراغ");
    assert_string_equal (b->tracking_code, code2);
  }

  /* In a batch: the batch cannot commit, and nothing of it stays. */
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) c = add_simple (f, "چاله");
    g_autoptr(PayamRequest) d = NULL;

    add_failing (f, "خطا در ثبت");
    d = add_simple (f, "چراغ");
  }
  assert_false (payam_store_commit (f->store, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL));
  g_clear_error (&error);
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 2);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'add-request'"), 2);
  assert_outbox_contiguous (f);
  {
    g_autoptr(PayamRequest) e = add_simple (f, "چاله");
    g_autofree char *code3 = payam_tracking_code_make (prefix, 3);

    assert_string_equal (e->tracking_code, code3);
  }

  /* A draft refused by validation writes nothing and leaves the batch usable. */
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) kept = add_simple (f, "چاله");
    g_autoptr(PayamRequest) refused = NULL;
    PayamRequestDraft draft;

    basic_draft (&draft, "چاله");
    draft.category = "no-such-category";
    refused = payam_store_add_request (f->store, &draft, &error);
    assert_null (refused);
    assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
    g_clear_error (&error);
  }
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 4);

  /* Nested: rolling back the spoilt inner level saves the outer one; committing the inner
   * level fails and undoes it, and the outer one still commits. */
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) g = add_simple (f, "چاله");
  }
  assert_true (payam_store_begin (f->store, &error));
  add_failing (f, "خطا در ثبت");
  payam_store_rollback (f->store);
  assert_true (payam_store_begin (f->store, &error));
  {
    g_autoptr(PayamRequest) h = add_simple (f, "چراغ");
  }
  add_failing (f, "خطا در ثبت");
  assert_false (payam_store_commit (f->store, &error));
  g_clear_error (&error);
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM request"), 5);
  assert_int_equal (query_int (f, "SELECT count(*) FROM request WHERE text = 'چراغ'"), 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'add-request'"), 5);
  assert_outbox_contiguous (f);
  assert_true (payam_store_check_integrity (f->store, &error));
}

static void
test_list_and_foreach (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) hood = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *bodies[] = { "اول", "دوم", "بوی گاز در کوچه", "چهارم" };
  PayamRequestFilter filter = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      PayamRequestDraft draft;
      g_autoptr(GDateTime) at = g_date_time_add_minutes (f->now, -(int)(10 * i));
      g_autoptr(PayamRequest) r = NULL;

      basic_draft (&draft, bodies[i]);
      draft.created_at = at;
      draft.neighbourhood = i == 3 ? "daryan-e-no" : "tohid";
      r = payam_store_add_request (f->store, &draft, &error);
      assert_non_null (r);
      if (i == 1)
        assert_true (payam_store_set_status (f->store, r->id, PAYAM_STATUS_REJECTED,
                                             PAYAM_ROLE_OFFICE, "تکراری", &error));
    }

  all = payam_store_list_requests (f->store, NULL, &error);
  assert_int_equal (all->len, 4);
  /* Urgent first, then by deadline: the earlier registered is due earlier. */
  assert_string_equal (((PayamRequest *)all->pdata[0])->text, "بوی گاز در کوچه");
  assert_string_equal (((PayamRequest *)all->pdata[1])->text, "چهارم");
  assert_string_equal (((PayamRequest *)all->pdata[2])->text, "دوم");
  assert_string_equal (((PayamRequest *)all->pdata[3])->text, "اول");

  filter.open_only = TRUE;
  filter.limit = 2;
  filter.offset = 1;
  page = payam_store_list_requests (f->store, &filter, &error);
  assert_int_equal (page->len, 2);
  assert_string_equal (((PayamRequest *)page->pdata[0])->text, "چهارم");
  assert_string_equal (((PayamRequest *)page->pdata[1])->text, "اول");

  filter = (PayamRequestFilter) { .neighbourhood = "daryan-e-no", .category = "asphalt" };
  hood = payam_store_list_requests (f->store, &filter, &error);
  assert_int_equal (hood->len, 1);

  /* Creation order, stopping when the callback says so. */
  assert_true (payam_store_foreach_request (f->store, collect_texts, texts, &error));
  assert_int_equal (texts->len, 3);
  assert_string_equal (texts->pdata[0], "چهارم");
  assert_string_equal (texts->pdata[1], "بوی گاز در کوچه");
  assert_string_equal (texts->pdata[2], "دوم");
}

/* ---- status, notices --------------------------------------------------------------------- */

typedef struct {
  PayamStatus  to;
  PayamRole    role;
  const char  *reason;
  GQuark       domain;  /* 0: allowed */
  int          code;
} Move;

static void
test_set_status (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) r = add_simple (f, "چاله");
  const Move moves[] = {
    { PAYAM_STATUS_TRIAGED, PAYAM_ROLE_KIOSK, NULL,
      PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE },
    { PAYAM_STATUS_CLOSED, PAYAM_ROLE_OFFICE, NULL,
      PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED },
    { PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE, NULL, 0, 0 },
    { PAYAM_STATUS_ASSIGNED, PAYAM_ROLE_OFFICE, NULL, 0, 0 },
    { PAYAM_STATUS_IN_PROGRESS, PAYAM_ROLE_CREW, NULL, 0, 0 },
    { PAYAM_STATUS_NOT_POSSIBLE, PAYAM_ROLE_CREW, "   ",
      PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_REASON_REQUIRED },
    { PAYAM_STATUS_NOT_POSSIBLE, PAYAM_ROLE_CREW, "لوله‌کشی گاز زیر آسفالت است", 0, 0 },
    /* Reopen by the office raises the epoch. */
    { PAYAM_STATUS_TRIAGED, PAYAM_ROLE_CREW, NULL,
      PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE },
    { PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE, NULL, 0, 0 },
    { PAYAM_STATUS_ASSIGNED, PAYAM_ROLE_OFFICE, NULL, 0, 0 },
    { PAYAM_STATUS_IN_PROGRESS, PAYAM_ROLE_CREW, NULL, 0, 0 },
    { PAYAM_STATUS_DONE, PAYAM_ROLE_CREW, NULL, 0, 0 },
    { PAYAM_STATUS_NOTIFIED, PAYAM_ROLE_OFFICE, NULL, 0, 0 },
    { PAYAM_STATUS_CLOSED, PAYAM_ROLE_OFFICE, NULL,
      PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING },
  };
  g_autoptr(GError) error = NULL;
  int epoch_after[G_N_ELEMENTS (moves)];
  gint64 ops = payam_store_count_outbox (f->store, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      const Move *m = &moves[i];
      g_autoptr(GError) move_error = NULL;
      g_autoptr(PayamRequest) before = payam_store_get_request (f->store, r->id, NULL);
      g_autoptr(PayamRequest) after = NULL;
      gboolean ok = payam_store_set_status (f->store, r->id, m->to, m->role, m->reason,
                                            &move_error);

      after = payam_store_get_request (f->store, r->id, NULL);
      if (m->domain == 0)
        {
          if (!ok)
            fail_msg ("move %u refused: %s", i, move_error->message);
          assert_int_equal (after->status, m->to);
          ops++;
        }
      else
        {
          assert_false (ok);
          if (!g_error_matches (move_error, m->domain, m->code))
            fail_msg ("move %u: wrong error %s", i, move_error->message);
          assert_int_equal (after->status, before->status);
        }
      epoch_after[i] = after->status_epoch;
      assert_int_equal (payam_store_count_outbox (f->store, NULL), ops);
    }
  assert_int_equal (epoch_after[6], 0);
  assert_int_equal (epoch_after[8], 1);
  assert_int_equal (epoch_after[13], 1);
  assert_int_equal (query_int (f, "SELECT count(*) FROM audit WHERE action = 'set-status'"), 9);
  {
    g_autofree char *reason = query_text (f, "SELECT status_reason FROM request");
    /* The last successful move (notified) carries no reason. */
    assert_null (reason);
  }

  /* A notice that is still pending does not count; a sent one does. */
  {
    g_autofree char *notice = payam_store_add_notice (f->store, r->id, "outcome",
                                                      "چاله ترمیم شد. سپاس از پیام شما.",
                                                      &error);
    g_autofree char *channel = NULL;

    assert_non_null (notice);
    channel = query_text (f, "SELECT channel FROM notice");
    /* No phone: the outcome is published on the track page. */
    assert_string_equal (channel, "tracking-code");
    assert_false (payam_store_set_status (f->store, r->id, PAYAM_STATUS_CLOSED,
                                          PAYAM_ROLE_OFFICE, NULL, &error));
    assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                  PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING));
    g_clear_error (&error);
    assert_true (payam_store_mark_notice_sent (f->store, notice, &error));
    assert_true (payam_store_mark_notice_sent (f->store, notice, &error));
    assert_true (payam_store_set_status (f->store, r->id, PAYAM_STATUS_CLOSED,
                                         PAYAM_ROLE_OFFICE, NULL, &error));
  }

  assert_false (payam_store_mark_notice_sent (f->store, "nope", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  assert_null (payam_store_add_notice (f->store, r->id, "outcome", "", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_set_status (f->store, r->id, PAYAM_STATUS_TRIAGED,
                                        PAYAM_ROLE_OFFICE, "\xff\xfe", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_set_status (f->store, "nope", PAYAM_STATUS_TRIAGED,
                                        PAYAM_ROLE_OFFICE, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  assert_outbox_contiguous (f);
}

static void
move_to_notified (Fixture    *f,
                  const char *id)
{
  static const PayamStatus path[] = {
    PAYAM_STATUS_TRIAGED, PAYAM_STATUS_ASSIGNED, PAYAM_STATUS_IN_PROGRESS,
    PAYAM_STATUS_DONE, PAYAM_STATUS_NOTIFIED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    assert_true (payam_store_set_status (f->store, id, path[i], PAYAM_ROLE_OFFICE, NULL, NULL));
}

static void
test_group_feedback (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) lead = add_simple (f, "چاله جلوی مدرسه");
  g_autofree char *group = payam_store_ensure_group (f->store, lead->id, &error);
  g_autofree char *again = payam_store_ensure_group (f->store, lead->id, &error);
  g_autoptr(PayamRequest) member = NULL;
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;
  g_autofree char *channel = NULL;
  PayamRequestDraft draft;

  assert_non_null (group);
  assert_string_equal (group, again);

  basic_draft (&draft, "همان چاله");
  draft.group_id = group;
  draft.phone = "09121234567";
  member = payam_store_add_request (f->store, &draft, &error);
  assert_non_null (member);
  assert_string_equal (member->group_id, group);

  move_to_notified (f, lead->id);
  n1 = payam_store_add_notice (f->store, lead->id, "outcome", "انجام شد", &error);
  n2 = payam_store_add_notice (f->store, member->id, "outcome", "انجام شد", &error);
  channel = query_text (f, "SELECT channel FROM notice WHERE request_id = (SELECT id FROM "
                           "request WHERE phone IS NOT NULL)");
  assert_string_equal (channel, "sms");
  assert_true (payam_store_mark_notice_sent (f->store, n1, &error));

  /* The member's citizen has not heard back yet: the lead cannot close. */
  assert_false (payam_store_set_status (f->store, lead->id, PAYAM_STATUS_CLOSED,
                                        PAYAM_ROLE_OFFICE, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING));
  g_clear_error (&error);
  assert_true (payam_store_mark_notice_sent (f->store, n2, &error));
  assert_true (payam_store_set_status (f->store, lead->id, PAYAM_STATUS_CLOSED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  assert_outbox_contiguous (f);
}

/* A change of configuration committed by another connection is seen by the next request
 * (the store caches categories). */
static void
test_other_connection (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamRequest) before = add_simple (f, "چاله");
  g_autoptr(PayamRequest) after = NULL;
  sqlite3 *db = NULL;

  assert_int_equal (before->priority, PAYAM_PRIORITY_NORMAL);
  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  assert_int_equal (sqlite3_exec (db, "UPDATE category SET default_priority = 2 "
                                      "WHERE code = 'asphalt'", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  after = add_simple (f, "چاله");
  assert_int_equal (after->priority, PAYAM_PRIORITY_HIGH);
}

/* Neighbourhoods found once are remembered, and forgotten when another connection changes
 * the places: a removed neighbourhood is refused as a user error, not a database error. */
static void
test_neighbourhood_cache (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) first = NULL;
  g_autoptr(PayamRequest) second = NULL;
  g_autoptr(PayamRequest) refused = NULL;
  PayamRequestDraft draft;
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  assert_int_equal (sqlite3_exec (db, "INSERT INTO place (code, kind, name) VALUES "
                                      "('new-hood', 'neighbourhood', 'محله نو')",
                                  NULL, NULL, NULL), SQLITE_OK);

  basic_draft (&draft, "چاله");
  draft.neighbourhood = "new-hood";
  first = payam_store_add_request (f->store, &draft, &error);
  assert_non_null (first);
  second = payam_store_add_request (f->store, &draft, &error);
  assert_non_null (second);

  assert_int_equal (sqlite3_exec (db, "PRAGMA foreign_keys = OFF; "
                                      "DELETE FROM request WHERE neighbourhood = 'new-hood'; "
                                      "DELETE FROM place WHERE code = 'new-hood'",
                                  NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  refused = payam_store_add_request (f->store, &draft, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
}

/* A work calendar set by the office in the config table replaces the built-in one. */
static void
test_configured_calendar (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const PayamWorkCalendar *builtin = payam_store_get_work_calendar (f->store);
  const PayamWorkCalendar *configured;
  sqlite3 *db = NULL;

  assert_int_equal (builtin->day_start_min, 7 * 60 + 30);
  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_exec (db, "INSERT INTO config (key, value) VALUES ('calendar', "
                                      "'{\"work_days\": [\"sun\", \"mon\", \"tue\", "
                                      "\"wed\", \"thu\"], \"day_start\": \"08:00\", "
                                      "\"day_end\": \"16:00\", \"holidays\": []}')",
                                    NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);

  g_clear_object (&f->store);
  f->store = payam_store_open (f->path, &error);
  assert_non_null (f->store);
  configured = payam_store_get_work_calendar (f->store);
  assert_int_equal (configured->day_start_min, 8 * 60);
  assert_int_equal (configured->day_end_min, 16 * 60);
  /* Sunday … Thursday: GDateWeekday 7 and 1 … 4. */
  assert_int_equal (configured->work_days, (1 << 6) | 0xF);
}

/* With the real clock (microseconds), what add returns equals what is read back. */
static void
test_real_clock (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = NULL;
  g_autoptr(PayamRequest) back = NULL;

  payam_store_set_now_func (f->store, NULL, NULL);
  r = add_simple (f, "چاله");
  back = payam_store_get_request (f->store, r->id, &error);
  assert_non_null (back);
  assert_true (g_date_time_equal (r->created_at, back->created_at));
  assert_true (g_date_time_equal (r->due_at, back->due_at));
  assert_true (g_date_time_equal (r->updated_at, back->updated_at));
}

/* Two connections to one file (a sync thread beside the UI) share the counters through
 * meta: codes stay unique and sequential, device_seq contiguous. */
static void
test_two_connections (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) other = payam_store_open (f->path, &error);
  guint prefix = payam_store_get_device_prefix (f->store);

  assert_non_null (other);
  assert_string_equal (payam_store_get_device_id (other), payam_store_get_device_id (f->store));
  for (guint i = 1; i <= 10; i++)
    {
      PayamStore *store = i % 3 == 0 ? other : f->store;
      PayamRequestDraft draft;
      g_autoptr(PayamRequest) r = NULL;
      g_autofree char *expected = payam_tracking_code_make (prefix, i);

      basic_draft (&draft, "چاله");
      r = payam_store_add_request (store, &draft, &error);
      if (r == NULL)
        fail_msg ("request %u: %s", i, error->message);
      assert_string_equal (r->tracking_code, expected);
    }
  assert_outbox_contiguous (f);
  assert_int_equal (payam_store_count_outbox (other, NULL), 10);
}

/* ---- photos, figures --------------------------------------------------------------------- */

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

static void
test_photos (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add_simple (f, "چاله");
  g_autoptr(PayamPhoto) a = fake_photo ("first photo bytes");
  g_autoptr(PayamPhoto) b = fake_photo ("second photo bytes");
  g_autoptr(PayamPhoto) bad = fake_photo ("third");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) thumb = NULL;
  g_auto(GStrv) list = NULL;
  PayamStoreStats stats;

  assert_true (payam_store_add_photo (f->store, a, &error));
  assert_true (payam_store_add_photo (f->store, a, &error));
  assert_true (payam_store_add_photo (f->store, b, &error));
  assert_int_equal (query_int (f, "SELECT count(*) FROM photo"), 2);
  assert_int_equal (query_int (f, "SELECT count(*) FROM outbox WHERE entity = 'photo'"), 2);

  bad->sha256[0] = bad->sha256[0] == 'a' ? 'b' : 'a';
  assert_false (payam_store_add_photo (f->store, bad, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);

  assert_true (payam_store_attach_photo (f->store, r->id, b->sha256, &error));
  assert_true (payam_store_attach_photo (f->store, r->id, a->sha256, &error));
  assert_true (payam_store_attach_photo (f->store, r->id, a->sha256, &error));
  list = payam_store_list_request_photos (f->store, r->id, &error);
  assert_int_equal (g_strv_length (list), 2);
  assert_true (g_strv_contains ((const char *const *)list, a->sha256));
  assert_true (g_strv_contains ((const char *const *)list, b->sha256));
  assert_false (payam_store_attach_photo (f->store, r->id, bad->sha256, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  bytes = payam_store_dup_photo_bytes (f->store, a->sha256, FALSE, &error);
  assert_true (g_bytes_equal (bytes, a->bytes));
  thumb = payam_store_dup_photo_bytes (f->store, a->sha256, TRUE, &error);
  assert_true (g_bytes_equal (thumb, a->thumbnail));
  assert_null (payam_store_dup_photo_bytes (f->store, bad->sha256, FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));

  assert_true (payam_store_get_stats (f->store, &stats, NULL));
  assert_int_equal (stats.photos, 2);
  assert_outbox_contiguous (f);
}

static void
test_stats (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_simple (f, "چاله");
  g_autoptr(PayamRequest) b = add_simple (f, "بوی گاز در کوچه");
  g_autoptr(PayamRequest) c = add_simple (f, "چالهٔ دیگر");
  PayamStoreStats stats;

  assert_true (payam_store_set_status (f->store, c->id, PAYAM_STATUS_REJECTED,
                                       PAYAM_ROLE_OFFICE, "تکراری است", &error));
  assert_true (payam_store_get_stats (f->store, &stats, &error));
  assert_int_equal (stats.total, 3);
  assert_int_equal (stats.by_status[PAYAM_STATUS_REGISTERED], 2);
  assert_int_equal (stats.by_status[PAYAM_STATUS_REJECTED], 1);
  assert_int_equal (stats.by_priority[PAYAM_PRIORITY_URGENT], 1);
  assert_int_equal (stats.by_priority[PAYAM_PRIORITY_NORMAL], 2);
  assert_int_equal (stats.open, 2);
  assert_int_equal (stats.overdue, 0);
  assert_int_equal (stats.outbox, 4);
  assert_int_equal (stats.photos, 0);

  /* A month later, both open requests are overdue. */
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 ("2026-12-29T10:00:00.000Z", NULL);
  assert_true (payam_store_get_stats (f->store, &stats, &error));
  assert_int_equal (stats.overdue, 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_open_reopen, setup, teardown),
    cmocka_unit_test (test_memory),
    cmocka_unit_test_setup_teardown (test_load_defaults, setup, teardown),
    cmocka_unit_test_setup_teardown (test_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_validation, setup, teardown),
    cmocka_unit_test_setup_teardown (test_priority_and_deadline, setup, teardown),
    cmocka_unit_test_setup_teardown (test_tracking_codes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_find_by_code, setup, teardown),
    cmocka_unit_test_setup_teardown (test_outbox_and_audit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_outbox_value, setup, teardown),
    cmocka_unit_test_setup_teardown (test_batches, setup, teardown),
    cmocka_unit_test_setup_teardown (test_failed_write, setup, teardown),
    cmocka_unit_test_setup_teardown (test_disk_full, setup, teardown),
    cmocka_unit_test_setup_teardown (test_list_and_foreach, setup, teardown),
    cmocka_unit_test_setup_teardown (test_set_status, setup, teardown),
    cmocka_unit_test_setup_teardown (test_group_feedback, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_connection, setup, teardown),
    cmocka_unit_test_setup_teardown (test_neighbourhood_cache, setup, teardown),
    cmocka_unit_test_setup_teardown (test_configured_calendar, setup, teardown),
    cmocka_unit_test_setup_teardown (test_real_clock, setup, teardown),
    cmocka_unit_test_setup_teardown (test_two_connections, setup, teardown),
    cmocka_unit_test_setup_teardown (test_photos, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stats, setup, teardown),
  };

  return cmocka_run_group_tests_name ("store", tests, NULL, NULL);
}
