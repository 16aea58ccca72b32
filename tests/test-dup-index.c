/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of PayamDupIndex: ranking, kept current, no personal data, bad input, hooks. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "payam-dup-index.h"
#include "payam-photo.h"
#include "payam-store.h"

/* Near Tohid square; 0.00045° of latitude is about 50 m. */
#define LAT0 35.7040
#define LON0 51.3735

typedef struct {
  GDateTime  *now;
  PayamStore *store;
} Fixture;

static GDateTime *
fixed_now (gpointer data)
{
  Fixture *f = data;

  return g_date_time_ref (f->now);
}

static void
set_now (Fixture    *f,
         const char *iso)
{
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 (iso, NULL);
  assert_non_null (f->now);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->now = g_date_time_new_from_iso8601 ("2026-11-29T10:00:00.000Z", NULL);
  f->store = payam_store_open (":memory:", &error);
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

  g_clear_object (&f->store);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

typedef struct {
  const char *text;
  const char *category;
  const char *street;
  gboolean    located;
  double      dlat;      /* offset from LAT0 in degrees */
  double      dlon;
} Seed;

static PayamRequest *
add (Fixture    *f,
     const Seed *seed)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = { 0 };
  PayamRequest *r;

  draft.text = seed->text;
  draft.category = seed->category;
  draft.neighbourhood = "tohid";
  draft.street = seed->street;
  draft.has_location = seed->located;
  draft.lat = LAT0 + seed->dlat;
  draft.lon = LON0 + seed->dlon;
  draft.phone = "09121234567";
  draft.name = "مریم احمدی";
  draft.channel = PAYAM_CHANNEL_KIOSK;
  r = payam_store_add_request (f->store, &draft, &error);
  if (r == NULL)
    fail_msg ("add: %s", error->message);
  return r;
}

static GPtrArray *
query_at (PayamDupIndex *index,
          const char    *text,
          const char    *category,
          gboolean       located,
          GDateTime     *at)
{
  g_autoptr(GError) error = NULL;
  PayamDupQuery q = { 0 };
  GPtrArray *out;

  q.text = text;
  q.category = category;
  q.neighbourhood = "tohid";
  q.street = "خیابان توحید";
  q.has_location = located;
  q.lat = LAT0;
  q.lon = LON0;
  q.at = at;
  q.limit = 10;
  out = payam_dup_index_query (index, &q, &error);
  if (out == NULL)
    fail_msg ("query: %s", error->message);
  return out;
}

static gint
position_of (GPtrArray  *candidates,
             const char *id)
{
  for (guint i = 0; i < candidates->len; i++)
    if (g_str_equal (((PayamDupCandidate *) candidates->pdata[i])->id, id))
      return (gint) i;
  return -1;
}

/* The "Done when": the true duplicate first, for a message written with Arabic
 * letters (ي, ك) and other words, among other problems at the same place. */
static void
test_arabic_letters_different_words (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed seeds[] = {
    { "درخت بزرگ کنار خیابان افتاده و راه را بسته است", "green-space", "خیابان توحید", TRUE, 0.0004, 0.0 },
    { "چاله بزرگ وسط خیابان توحید ماشین‌ها را خراب می‌کند", "asphalt", "خیابان توحید", TRUE, 0.0001, 0.0 },
    { "سطل زباله سر کوچه پر شده و بو می‌دهد", "waste", "خیابان توحید", TRUE, 0.0, 0.0001 },
    { "چراغ برق خیابان توحید شب‌ها خاموش است", "lighting", "خیابان توحید", TRUE, 0.0002, 0.0002 },
    { "آب جوی خیابان بالا آمده و پیاده‌رو را گرفته", "surface-water", "خیابان توحید", TRUE, 0.0, 0.0 },
    { "چمن‌های پارک خشک شده و کسی آبیاری نمی‌کند", "green-space", "خیابان توحید", TRUE, 0.0003, 0.0 },
    { "شاخه‌های درختان پارک را هرس نکرده‌اند", "green-space", "خیابان توحید", TRUE, 0.0, 0.0003 },
  };
  g_autoptr(GPtrArray) requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) out = NULL;
  PayamDupCandidate *first;

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_ptr_array_add (requests, add (f, &seeds[i]));
  index = payam_dup_index_new (f->store, &error);
  assert_non_null (index);

  out = query_at (index, "درخت كهنسالي افتاده وسط خيابان، عبور ممكن نيست",
                  "green-space", TRUE, NULL);
  assert_true (out->len >= 1);
  first = out->pdata[0];
  assert_string_equal (first->id, ((PayamRequest *) requests->pdata[0])->id);
  assert_true (first->text_score >= PAYAM_SIMILARITY_REVIEW_THRESHOLD);
  assert_int_equal (first->place_match, PAYAM_DUP_PLACE_DISTANCE);
  /* 0.0004° of latitude: about 44 m. */
  assert_true (fabs (first->distance_m - 44.5) < 2.0);
  /* Best first, scores in [0, 1]. */
  for (guint i = 0; i < out->len; i++)
    {
      PayamDupCandidate *c = out->pdata[i];

      assert_true (c->score >= 0.0 && c->score <= 1.0);
      if (i > 0)
        assert_true (((PayamDupCandidate *) out->pdata[i - 1])->score >= c->score);
    }
  /* Without a category the same request still comes first. */
  g_clear_pointer (&out, g_ptr_array_unref);
  out = query_at (index, "درخت كهنسالي افتاده وسط خيابان، عبور ممكن نيست",
                  NULL, FALSE, NULL);
  assert_true (out->len >= 1);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id,
                       ((PayamRequest *) requests->pdata[0])->id);
}

/* Same text: nearer first; 2 km away is out of reach; no coordinates but the same street
 * ranks by street. */
static void
test_distance (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *text = "درخت افتاده روی پیاده‌رو";
  const Seed seeds[] = {
    { text, "green-space", "خیابان توحید", TRUE, 0.0027, 0.0 },   /* 300 m */
    { text, "green-space", "خیابان توحید", TRUE, 0.00045, 0.0 },  /* 50 m */
    { text, "green-space", "خیابان توحید", TRUE, 0.018, 0.0 },    /* 2 km */
    { text, "green-space", "خیابان توحید", FALSE, 0.0, 0.0 },     /* same street, no point */
  };
  g_autoptr(GPtrArray) requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) out = NULL;
  gint near, far, none, street;

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_ptr_array_add (requests, add (f, &seeds[i]));
  index = payam_dup_index_new (f->store, &error);
  assert_non_null (index);
  out = query_at (index, text, "green-space", TRUE, NULL);

  near = position_of (out, ((PayamRequest *) requests->pdata[1])->id);
  far = position_of (out, ((PayamRequest *) requests->pdata[0])->id);
  none = position_of (out, ((PayamRequest *) requests->pdata[2])->id);
  street = position_of (out, ((PayamRequest *) requests->pdata[3])->id);
  assert_int_equal (near, 0);
  assert_true (street > near);
  assert_true (far > street);
  /* A small store is scanned by neighbourhood: the far one is there, last. */
  assert_int_equal (none, (gint) out->len - 1);
  assert_int_equal (((PayamDupCandidate *) out->pdata[street])->place_match,
                    PAYAM_DUP_PLACE_STREET);
  assert_true (((PayamDupCandidate *) out->pdata[street])->distance_m == -1.0);
  assert_true (fabs (((PayamDupCandidate *) out->pdata[near])->distance_m - 50.0) < 2.0);
  assert_true (fabs (((PayamDupCandidate *) out->pdata[none])->distance_m - 2001.0) < 10.0);
}

/* Same text and place: the same category first, a related one next, another one never. */
static void
test_category (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *text = "آب گرفتگی جلوی مدرسه بعد از باران";
  const Seed seeds[] = {
    { text, "asphalt", NULL, TRUE, 0.0, 0.0 },        /* related to surface-water */
    { text, "surface-water", NULL, TRUE, 0.0, 0.0 },
    { text, "lighting", NULL, TRUE, 0.0, 0.0 },       /* unrelated */
  };
  g_autoptr(GPtrArray) requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) out = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_ptr_array_add (requests, add (f, &seeds[i]));
  index = payam_dup_index_new (f->store, &error);
  assert_non_null (index);
  out = query_at (index, text, "surface-water", TRUE, NULL);

  assert_int_equal (out->len, 2);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[1])->id), 0);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[0])->id), 1);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[2])->id), -1);
  /* Related is taken both ways: asphalt's list names surface-water. */
  g_clear_pointer (&out, g_ptr_array_unref);
  out = query_at (index, text, "asphalt", TRUE, NULL);
  assert_int_equal (out->len, 2);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[0])->id), 0);
}

/* "other" relates to every category, both ways (as the pair model's related_category):
 * a message filed under "other" finds a lighting report at the spot, and a lighting
 * message finds one filed under "other"; an unrelated category stays out. */
static void
test_other_category (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *text = "تیر چراغ برق کج شده و سیمش بیرون زده";
  const Seed seeds[] = {
    { text, "lighting", NULL, TRUE, 0.0, 0.0 },
    { text, "other", NULL, TRUE, 0.0, 0.0 },
    { text, "asphalt", NULL, TRUE, 0.0, 0.0 },       /* unrelated to lighting */
  };
  g_autoptr(GPtrArray) requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) out = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_ptr_array_add (requests, add (f, &seeds[i]));
  index = payam_dup_index_new (f->store, &error);
  assert_non_null (index);

  out = query_at (index, text, "other", TRUE, NULL);
  assert_int_equal (out->len, 3);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[1])->id), 0);
  assert_true (position_of (out, ((PayamRequest *) requests->pdata[0])->id) > 0);
  assert_true (position_of (out, ((PayamRequest *) requests->pdata[2])->id) > 0);

  g_clear_pointer (&out, g_ptr_array_unref);
  out = query_at (index, text, "lighting", TRUE, NULL);
  assert_int_equal (out->len, 2);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[0])->id), 0);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[1])->id), 1);
  assert_int_equal (position_of (out, ((PayamRequest *) requests->pdata[2])->id), -1);
}

/* A request closed 10 days ago is still a candidate (ranked below an open one), one
 * closed 40 days ago is not; an open one stays whatever its age. */
static void
test_closed_long_ago (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *text = "لامپ تیر برق کوچه سوخته";
  const Seed seed = { text, "lighting", "خیابان توحید", TRUE, 0.0, 0.0 };
  g_autoptr(PayamRequest) open = add (f, &seed);
  g_autoptr(PayamRequest) closed = add (f, &seed);
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (f->store, &error);
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GDateTime) later = NULL;

  assert_non_null (index);
  assert_true (payam_store_set_status (f->store, closed->id, PAYAM_STATUS_DONE,
                                       PAYAM_ROLE_OFFICE, NULL, &error));

  later = g_date_time_add_days (f->now, 10);
  out = query_at (index, text, "lighting", TRUE, later);
  assert_int_equal (out->len, 2);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id, open->id);
  assert_string_equal (((PayamDupCandidate *) out->pdata[1])->id, closed->id);
  assert_int_equal (((PayamDupCandidate *) out->pdata[1])->status, PAYAM_STATUS_DONE);

  g_clear_pointer (&later, g_date_time_unref);
  g_clear_pointer (&out, g_ptr_array_unref);
  later = g_date_time_add_days (f->now, 40);
  out = query_at (index, text, "lighting", TRUE, later);
  assert_int_equal (out->len, 1);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id, open->id);

  /* A new index built 40 days on does not hold it at all. */
  g_clear_object (&index);
  set_now (f, "2027-01-08T10:00:00.000Z");
  index = payam_dup_index_new (f->store, &error);
  {
    PayamDupIndexStats stats;

    payam_dup_index_get_stats (index, &stats);
    assert_int_equal (stats.n_requests, 1);
  }
}

static void
count_signal (PayamStore *store,
              const char *request_id,
              gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (request_id));
}

/* The store's signal: after the outermost commit, once per request, never on rollback. */
static void
test_store_signal (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const Seed seed = { "پیاده‌رو شکسته", "sidewalk", NULL, FALSE, 0, 0 };
  g_autoptr(PayamRequest) a = NULL;
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamRequest) c = NULL;
  gulong handler = g_signal_connect (f->store, "request-changed", G_CALLBACK (count_signal), seen);

  a = add (f, &seed);
  assert_int_equal (seen->len, 1);
  assert_string_equal (seen->pdata[0], a->id);

  assert_true (payam_store_begin (f->store, &error));
  b = add (f, &seed);
  assert_true (payam_store_set_status (f->store, b->id, PAYAM_STATUS_TRIAGED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  assert_true (payam_store_begin (f->store, &error));
  c = add (f, &seed);
  payam_store_rollback (f->store);          /* c never happened */
  assert_int_equal (seen->len, 1);          /* nothing before the commit */
  assert_true (payam_store_commit (f->store, &error));
  assert_int_equal (seen->len, 2);          /* b once, though changed twice */
  assert_string_equal (seen->pdata[1], b->id);

  assert_true (payam_store_begin (f->store, &error));
  g_clear_pointer (&c, payam_request_free);
  c = add (f, &seed);
  payam_store_rollback (f->store);
  assert_int_equal (seen->len, 2);
  g_signal_handler_disconnect (f->store, handler);
}

/* The index follows adds and status changes through the signal, and not rolled-back ones. */
static void
test_kept_current (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *text = "ماشین رها شده کنار کوچه چند ماه است مانده";
  const Seed seed = { text, "debris", "خیابان توحید", TRUE, 0.0, 0.0 };
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (f->store, &error);
  g_autoptr(PayamRequest) r = NULL;
  g_autoptr(PayamRequest) gone = NULL;
  g_autoptr(GPtrArray) out = NULL;
  PayamDupIndexStats stats;

  assert_non_null (index);
  out = query_at (index, text, "debris", TRUE, NULL);
  assert_int_equal (out->len, 0);

  r = add (f, &seed);
  g_clear_pointer (&out, g_ptr_array_unref);
  out = query_at (index, text, "debris", TRUE, NULL);
  assert_int_equal (out->len, 1);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id, r->id);
  assert_int_equal (((PayamDupCandidate *) out->pdata[0])->status, PAYAM_STATUS_REGISTERED);
  assert_true (fabs (((PayamDupCandidate *) out->pdata[0])->text_score - 1.0) < 1e-6);

  assert_true (payam_store_set_status (f->store, r->id, PAYAM_STATUS_ASSIGNED,
                                       PAYAM_ROLE_OFFICE, NULL, &error));
  g_clear_pointer (&out, g_ptr_array_unref);
  out = query_at (index, text, "debris", TRUE, NULL);
  assert_int_equal (((PayamDupCandidate *) out->pdata[0])->status, PAYAM_STATUS_ASSIGNED);

  assert_true (payam_store_begin (f->store, &error));
  gone = add (f, &seed);
  payam_store_rollback (f->store);
  payam_dup_index_get_stats (index, &stats);
  assert_int_equal (stats.n_requests, 1);
  assert_true (stats.memory_bytes > 0);

  /* A group made for it shows in the candidate. */
  {
    g_autofree char *group = payam_store_ensure_group (f->store, r->id, &error);

    assert_non_null (group);
    g_clear_pointer (&out, g_ptr_array_unref);
    out = query_at (index, text, "debris", TRUE, NULL);
    assert_string_equal (((PayamDupCandidate *) out->pdata[0])->group_id, group);
  }

  /* An unknown id is NOT_FOUND. */
  assert_false (payam_dup_index_update (index, "0190a0a0-0000-7000-8000-000000000000", &error));
  assert_true (g_error_matches (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_NOT_FOUND));
}

/* Candidates carry no phone and no name: no field holds them. */
static void
test_no_personal_data (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed seed = { "کانال آب سرپوش ندارد و خطرناک است", "surface-water", NULL, TRUE, 0, 0 };
  g_autoptr(PayamRequest) r = add (f, &seed);
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (f->store, &error);
  g_autoptr(GPtrArray) out = query_at (index, seed.text, NULL, TRUE, NULL);
  PayamDupCandidate *c;
  const char *fields[6];

  assert_int_equal (out->len, 1);
  c = out->pdata[0];
  assert_string_equal (c->tracking_code, r->tracking_code);
  assert_string_equal (c->text, seed.text);
  fields[0] = c->id;
  fields[1] = c->tracking_code;
  fields[2] = c->text;
  fields[3] = c->category;
  fields[4] = c->group_id;
  fields[5] = c->thumbnail_sha256;
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      assert_null (g_strstr_len (fields[i] != NULL ? fields[i] : "", -1, "4567"));
      assert_null (g_strstr_len (fields[i] != NULL ? fields[i] : "", -1, "احمدی"));
    }
}

typedef struct {
  const char *name;
  const char *text;        /* NULL: the long text */
  gboolean    located;
  double      lat;
  double      lon;
  gboolean    ok;
} BadCase;

static void
test_bad_input (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed seed = { "دیوار خرابه در حال ریزش است", "unsafe-structure", NULL, TRUE, 0, 0 };
  g_autoptr(PayamRequest) r = add (f, &seed);
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (f->store, &error);
  g_autofree char *long_text = NULL;
  const BadCase cases[] = {
    { "empty", "", FALSE, 0, 0, FALSE },
    { "white space and ZWNJ", "  \t\n\u200c\u200f ", FALSE, 0, 0, FALSE },
    { "control characters only", "\x01\x02\x1b", FALSE, 0, 0, FALSE },
    { "invalid UTF-8", "\xff\xfe دیوار", FALSE, 0, 0, FALSE },
    { "10,000 characters", NULL, FALSE, 0, 0, FALSE },
    { "outside the district", "دیوار خراب", TRUE, 48.85, 2.35, FALSE },
    { "not a number", "دیوار خراب", TRUE, NAN, LON0, FALSE },
    { "swapped", "دیوار خراب", TRUE, LON0, LAT0, FALSE },
    { "Latin script", "the wall is falling down", FALSE, 0, 0, TRUE },
    { "control characters inside", "دیوار\x01 خرابه\x7f در حال ریزش", FALSE, 0, 0, TRUE },
    { "emoji only", "🙏🙏", FALSE, 0, 0, TRUE },
  };
  GString *s = g_string_new (NULL);

  for (int i = 0; i < 10000; i++)
    g_string_append (s, i % 5 == 4 ? " " : "د");
  long_text = g_string_free (s, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamDupQuery q = { 0 };
      g_autoptr(GPtrArray) out = NULL;
      g_autoptr(GError) e = NULL;

      q.text = cases[i].text != NULL ? cases[i].text : long_text;
      q.neighbourhood = "tohid";
      q.has_location = cases[i].located;
      q.lat = cases[i].lat;
      q.lon = cases[i].lon;
      out = payam_dup_index_query (index, &q, &e);
      if (cases[i].ok != (out != NULL))
        fail_msg ("%s: %s", cases[i].name, e != NULL ? e->message : "accepted");
      if (out == NULL)
        {
          assert_true (g_error_matches (e, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_INVALID));
          assert_true (strlen (e->message) > 10);
        }
    }

  /* The message with control characters still finds the wall. */
  {
    PayamDupQuery q = { .text = "دیوار\x01 خرابه\x7f در حال ریزش", .neighbourhood = "tohid" };
    g_autoptr(GPtrArray) out = payam_dup_index_query (index, &q, &error);

    assert_int_equal (out->len, 1);
    assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id, r->id);
  }
  /* An unknown category matches nothing; an unknown neighbourhood or street is no error. */
  {
    PayamDupQuery q = { .text = seed.text, .category = "no-such", .neighbourhood = "nowhere",
                        .street = "خیابان ناشناس" };
    g_autoptr(GPtrArray) out = payam_dup_index_query (index, &q, &error);

    assert_non_null (out);
    assert_int_equal (out->len, 0);
    q.category = NULL;
    g_clear_pointer (&out, g_ptr_array_unref);
    out = payam_dup_index_query (index, &q, &error);
    assert_non_null (out);
  }
}

/* The kiosk's step: only candidates worth showing, with the photo's hash. */
static void
test_suggest_for_draft (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed same = { "سگ‌های ولگرد در پارک به بچه‌ها حمله می‌کنند", "animals", NULL, TRUE, 0, 0 };
  const Seed other = { "موش در جوی آب زیاد شده", "animals", NULL, TRUE, 0, 0 };
  g_autoptr(PayamRequest) a = add (f, &same);
  g_autoptr(PayamRequest) b = add (f, &other);
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (f->store, &error);
  g_autoptr(PayamPhoto) photo = g_new0 (PayamPhoto, 1);
  g_autoptr(GPtrArray) out = NULL;
  PayamRequestDraft draft = { 0 };

  photo->bytes = g_bytes_new_static ("photo bytes", 11);
  photo->thumbnail = g_bytes_new_static ("thumb", 5);
  photo->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
  photo->mime = g_strdup ("image/jpeg");
  photo->width = 640;
  photo->height = 480;
  assert_true (payam_store_add_photo (f->store, photo, &error));
  assert_true (payam_store_attach_photo (f->store, a->id, photo->sha256, &error));

  draft.text = "سگ ولگرد توی پارک بچه‌ها رو گاز گرفت";
  draft.category = "animals";
  draft.neighbourhood = "tohid";
  draft.has_location = TRUE;
  draft.lat = LAT0;
  draft.lon = LON0;
  out = payam_dup_index_suggest_for_draft (index, &draft, 3, &error);
  assert_non_null (out);
  assert_int_equal (out->len, 1);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->id, a->id);
  assert_string_equal (((PayamDupCandidate *) out->pdata[0])->thumbnail_sha256, photo->sha256);
  assert_int_equal (position_of (out, b->id), -1);

  draft.text = "   ";
  g_clear_pointer (&out, g_ptr_array_unref);
  out = payam_dup_index_suggest_for_draft (index, &draft, 3, &error);
  assert_null (out);
  assert_true (g_error_matches (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_INVALID));
}

/* The office's review: sure pairs apart from the review band, the request itself and its
 * own group left out. */
static void
test_review (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed seeds[] = {
    { "صدای ریزش سقف مغازه متروکه شنیده می‌شود و ترک برداشته", "unsafe-structure", NULL, TRUE, 0, 0 },
    { "سقف مغازه متروکه ترک برداشته و صدای ریزش میاد", "unsafe-structure", NULL, TRUE, 0, 0 },
    { "ساختمان نیمه‌کاره داربست ناایمن دارد", "unsafe-structure", NULL, TRUE, 0, 0 },
  };
  g_autoptr(GPtrArray) requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    g_ptr_array_add (requests, add (f, &seeds[i]));
  index = payam_dup_index_new (f->store, &error);
  band = payam_dup_index_review_for_request (index, ((PayamRequest *) requests->pdata[0])->id,
                                             0, &sure, &error);
  assert_non_null (band);
  assert_non_null (sure);
  assert_int_equal (position_of (sure, ((PayamRequest *) requests->pdata[1])->id), 0);
  assert_int_equal (position_of (sure, ((PayamRequest *) requests->pdata[0])->id), -1);
  assert_int_equal (position_of (band, ((PayamRequest *) requests->pdata[0])->id), -1);
  for (guint i = 0; i < band->len; i++)
    {
      double t = ((PayamDupCandidate *) band->pdata[i])->text_score;

      assert_true (t >= PAYAM_SIMILARITY_REVIEW_THRESHOLD && t < PAYAM_SIMILARITY_THRESHOLD);
    }

  assert_null (payam_dup_index_review_for_request (index, "nope", 0, NULL, &error));
  assert_true (g_error_matches (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_NOT_FOUND));
}

/* In a small store the blocks miss nothing: the index answers as the full scan does. */
static void
test_matches_full_scan (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const char *texts[] = {
    "چاله", "چاله بزرگ", "درخت افتاده", "زباله مانده", "چراغ خاموش", "آب گرفتگی",
    "چاله عمیق وسط خیابان", "جدول شکسته", "نخاله ساختمانی ریخته‌اند",
  };
  const char *categories[] = { "asphalt", "green-space", "waste", "lighting", "debris" };
  g_autoptr(PayamDupIndex) index = NULL;

  for (guint i = 0; i < 60; i++)
    {
      Seed seed = { texts[i % G_N_ELEMENTS (texts)], categories[i % G_N_ELEMENTS (categories)],
                    i % 3 == 0 ? "خیابان توحید" : NULL, i % 2 == 0,
                    0.0003 * (i % 7), 0.0004 * (i % 5) };
      g_autoptr(PayamRequest) r = add (f, &seed);
    }
  index = payam_dup_index_new (f->store, &error);
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    for (gsize c = 0; c < G_N_ELEMENTS (categories); c++)
      {
        g_autoptr(GPtrArray) a = query_at (index, texts[t], categories[c], t % 2 == 0, NULL);
        g_autoptr(GPtrArray) b = NULL;
        PayamDupQuery q = { .text = texts[t], .category = categories[c],
                            .neighbourhood = "tohid", .street = "خیابان توحید",
                            .has_location = t % 2 == 0, .lat = LAT0, .lon = LON0, .limit = 10 };

        b = payam_dup_index_query_full_scan (index, &q, &error);
        assert_non_null (b);
        assert_int_equal (a->len, b->len);
        for (guint i = 0; i < a->len; i++)
          assert_string_equal (((PayamDupCandidate *) a->pdata[i])->id,
                               ((PayamDupCandidate *) b->pdata[i])->id);
      }
}

static void
built (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  PayamDupIndex **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = payam_dup_index_new_finish (result, &error);
  if (*out == NULL)
    fail_msg ("build: %s", error->message);
}

/* Built in a worker thread on a store in a file: the caller's loop runs meanwhile, a
 * request added while the worker reads and one added after are both candidates. */
static void
test_built_in_background (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payam-dup-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(PayamRequest) during = NULL;
  g_autoptr(PayamRequest) after = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint iterations = 0;
  gint64 deadline;
  Seed seed = { "چاله بزرگ وسط خیابان توحید", "asphalt", "خیابان توحید", TRUE, 0, 0 };

  assert_non_null (dir);
  g_clear_object (&f->store);
  f->store = payam_store_open (path, &error);
  assert_non_null (f->store);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "test");
  assert_true (payam_store_load_defaults (f->store, &error));
  for (guint i = 0; i < 200; i++)
    {
      Seed other = { i % 2 ? "درخت افتاده روی پیاده رو" : "زباله جمع نشده",
                     i % 2 ? "green-space" : "waste", NULL, TRUE, 0.0001 * (i % 13), 0 };
      g_autoptr(PayamRequest) r = add (f, &other);
    }

  payam_dup_index_new_async (f->store, NULL, built, &index);
  during = add (f, &seed);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (index == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  assert_non_null (index);
  assert_true (iterations >= 1);
  seed.text = "چاله بزرگ خیابان توحید";
  after = add (f, &seed);

  found = query_at (index, "چاله بزرگ وسط خیابان توحید", "asphalt", TRUE, NULL);
  assert_true (position_of (found, during->id) >= 0);
  assert_true (position_of (found, after->id) >= 0);
  {
    PayamDupIndexStats stats;

    payam_dup_index_get_stats (index, &stats);
    assert_int_equal (stats.n_requests, 202);
  }

  g_clear_object (&index);
  g_clear_object (&f->store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* The parts of a pair as the review scores it: the same probability as the candidate's,
 * the distance in metres, the days apart, the flags. */
static void
test_pair_parts (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  const Seed a_seed = { "صدای ریزش سقف مغازه متروکه شنیده می‌شود و ترک برداشته",
                        "unsafe-structure", "خیابان توحید", TRUE, 0, 0 };
  const Seed b_seed = { "سقف مغازه متروکه ترک برداشته و صدای ریزش میاد",
                        "unsafe-structure", "خیابان توحید", TRUE, 0.00045, 0 };
  g_autoptr(PayamRequest) a = add (f, &a_seed);
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure = NULL;
  PayamDupCandidate *c = NULL;
  PayamPairParts parts;

  set_now (f, "2026-11-30T16:00:00.000Z");
  b = add (f, &b_seed);
  index = payam_dup_index_new (f->store, &error);
  assert_non_null (index);
  assert_true (payam_dup_index_pair_parts (index, a->id, b->id, &parts, &error));
  assert_true (fabs (parts.distance_m - 50.0) < 1.0);
  assert_true (fabs (parts.days_apart - 1.25) < 1e-6);
  assert_true (parts.same_category);
  assert_int_equal (parts.photo_bits, -1);
  assert_false (parts.polarity_conflict || parts.negation_conflict || parts.numbers_conflict);

  band = payam_dup_index_review_for_request (index, a->id, 0, &sure, &error);
  assert_non_null (band);
  for (guint i = 0; i < sure->len; i++)
    if (g_str_equal (((PayamDupCandidate *) sure->pdata[i])->id, b->id))
      c = sure->pdata[i];
  for (guint i = 0; i < band->len; i++)
    if (g_str_equal (((PayamDupCandidate *) band->pdata[i])->id, b->id))
      c = band->pdata[i];
  assert_non_null (c);
  assert_true (fabs (c->probability - parts.probability) < 1e-9);
  assert_true (fabs (c->text_score - parts.text_similarity) < 1e-9);

  assert_false (payam_dup_index_pair_parts (index, a->id, "nope", &parts, &error));
  assert_true (g_error_matches (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_NOT_FOUND));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_arabic_letters_different_words, setup, teardown),
    cmocka_unit_test_setup_teardown (test_distance, setup, teardown),
    cmocka_unit_test_setup_teardown (test_category, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_category, setup, teardown),
    cmocka_unit_test_setup_teardown (test_closed_long_ago, setup, teardown),
    cmocka_unit_test_setup_teardown (test_store_signal, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kept_current, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_personal_data, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown (test_suggest_for_draft, setup, teardown),
    cmocka_unit_test_setup_teardown (test_review, setup, teardown),
    cmocka_unit_test_setup_teardown (test_matches_full_scan, setup, teardown),
    cmocka_unit_test_setup_teardown (test_built_in_background, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pair_parts, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
