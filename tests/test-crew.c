/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of crew mode's core (issue #12): members and PINs, sign-in and its lockout, who is
 * recorded, outcome phrases, the evidence rules, route order, withdrawn work, and member
 * hashes synced to their own crew only. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include <sqlite3.h>

#include "payam-crew-sheets.h"
#include "payam-crew-work.h"
#include "payam-secret.h"
#include "payam-store-crews.h"
#include "payam-store-devices.h"
#include "payam-store-groups.h"
#include "payam-store-private.h"
#include "payam-store-staff.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"

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

static void
advance_seconds (Fixture *f,
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

  f->dir = g_dir_make_tmp ("payam-crew-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  f->now = g_date_time_new_from_iso8601 ("2026-11-29T06:00:00.000Z", NULL);
  f->store = payam_store_open (f->path, &error);
  if (f->store == NULL)
    fail_msg ("open: %s", error->message);
  payam_store_set_now_func (f->store, fixed_now, f);
  payam_store_set_actor (f->store, "office");
  if (!payam_store_load_defaults (f->store, &error))
    fail_msg ("defaults: %s", error->message);
  f->crew = payam_store_add_crew (f->store, "اکیپ آسفالت ۱", "tohid", &error);
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

/* A text column of the first row of @sql (caller owns it; NULL for SQL NULL). */
static char *
query_text (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  assert_int_equal (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
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
             const char *category,
             const char *text,
             gboolean    hazard)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text,
    .category = category,
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_KIOSK,
    .phone = "09121234567",
    .hazard = hazard,
  };
  PayamRequest *request = payam_store_add_request (f->store, &draft, &error);

  if (request == NULL)
    fail_msg ("add: %s", error->message);
  return request;
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

/* Record photos of @kind (before or after) on the worksheet serving @request_id. */
static void
add_photo (Fixture         *f,
           const char      *request_id,
           PayamActionKind  kind,
           const char      *content)
{
  g_autoptr(PayamPhoto) photo = fake_photo (content);
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  const char *photos[] = { photo->sha256, NULL };
  PayamActionDraft draft = { .kind = kind, .photos = photos };

  assert_true (payam_store_add_photo (f->store, photo, &error));
  action = payam_store_add_action (f->store, request_id, &draft, PAYAM_ROLE_CREW, &error);
  if (action == NULL)
    fail_msg ("photo: %s", error->message);
}

/* A JPEG of noise (so that it does not compress into nothing), @side pixels square, written
 * to @name in the fixture's folder; returns its path (caller owns it). */
static char *
noise_jpeg (Fixture    *f,
            const char *name,
            int         side,
            guint32     seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, side, side);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *jpeg = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize len = 0;

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side * 3; x++)
      pixels[y * gdk_pixbuf_get_rowstride (pixbuf) + x] = (guint8) g_rand_int_range (rand, 0, 256);
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &len, "jpeg", &error, "quality", "95",
                                          NULL));
  assert_true (g_file_set_contents (path, jpeg, (gssize) len, &error));
  return path;
}

/* What the crew recorded on @request_id so far: actions, photos and evidence. */
typedef struct {
  gint64 actions;
  gint64 photos;
  gint64 outbox;
  guint  before;
  guint  after;
} Recorded;

static gint64 count (Fixture *f, const char *sql);

static Recorded
recorded (Fixture    *f,
          const char *request_id)
{
  Recorded r = { 0 };

  r.actions = count (f, "SELECT count (*) FROM worksheet_action");
  r.photos = count (f, "SELECT count (*) FROM photo");
  r.outbox = count (f, "SELECT count (*) FROM outbox");
  assert_true (payam_store_count_evidence (f->store, request_id, &r.before, &r.after, NULL));
  return r;
}

static void
assert_recorded_equal (const Recorded *a,
                       const Recorded *b)
{
  assert_int_equal (a->actions, b->actions);
  assert_int_equal (a->photos, b->photos);
  assert_int_equal (a->outbox, b->outbox);
  assert_int_equal (a->before, b->before);
  assert_int_equal (a->after, b->after);
}

static char *
add_member (Fixture    *f,
            const char *name,
            const char *pin)
{
  g_autoptr(GError) error = NULL;
  char *id = payam_store_add_crew_member (f->store, f->crew, name, pin, &error);

  if (id == NULL)
    fail_msg ("member: %s", error->message);
  return id;
}

/* Members are kept with a hash of their PIN only, listed by crew, and refused with a
 * message for an empty name, a name the crew has, a PIN that is not 4-8 digits or an
 * unknown crew. */
static void
test_members (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_member (f, "  مریم احمدی ", "۱۲۳۴");
  g_autofree char *sql = g_strdup_printf ("SELECT pin_hash FROM crew_member WHERE id = '%s'",
                                          id);
  g_autofree char *hash = query_text (f, sql);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autofree char *by_name = NULL;

  assert_non_null (hash);
  assert_null (strstr (hash, "1234"));
  assert_true (g_str_has_prefix (hash, "$argon2id$"));
  assert_true (payam_secret_verify (hash, "1234"));

  by_name = payam_store_add_crew_member (f->store, "اکیپ آسفالت ۱", "علی رضایی", "5678",
                                         &error);
  assert_non_null (by_name);
  members = payam_store_list_crew_members (f->store, f->crew, &error);
  assert_int_equal (members->len, 2);
  assert_string_equal (((PayamCrewPerson *) members->pdata[0])->name, "علی رضایی");
  assert_string_equal (((PayamCrewPerson *) members->pdata[1])->name, "مریم احمدی");
  crews = payam_store_list_crews (f->store, &error);
  assert_int_equal (crews->len, 1);
  assert_int_equal (((PayamCrewPerson *) crews->pdata[0])->n_members, 2);

  assert_null (payam_store_add_crew_member (f->store, f->crew, "مریم احمدی", "1111", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_add_crew_member (f->store, f->crew, " ", "1111", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_add_crew_member (f->store, f->crew, "رضا", "12", &error));
  assert_true (g_error_matches (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_PIN));
  g_clear_error (&error);
  assert_null (payam_store_add_crew_member (f->store, "اکیپ نیست", "رضا", "1234", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

/* The right PIN in any digit form signs in and makes the member the actor of what follows:
 * the worksheet action, the audit and the timeline name them. */
static void
test_sign_in_stamps_actions (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_member (f, "مریم احمدی", "4321");
  g_autofree char *name = NULL;
  g_autoptr(PayamRequest) r = add_request (f, "asphalt", "چاله جلوی مدرسه", FALSE);
  g_autofree char *note = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  PayamActionDraft draft = { .kind = PAYAM_ACTION_NOTE, .note = "کار را فردا صبح می‌کنیم" };
  gboolean seen = FALSE;

  assert_true (payam_store_assign_crew (f->store, r->id, f->crew, &error));
  name = payam_store_crew_sign_in (f->store, id, "٤٣٢١", &error);
  if (name == NULL)
    fail_msg ("sign in: %s", error->message);
  assert_string_equal (name, "مریم احمدی");
  note = payam_store_add_action (f->store, r->id, &draft, PAYAM_ROLE_CREW, &error);
  assert_non_null (note);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT actor FROM worksheet_action WHERE id = "
                                            "'%s'", note);
    g_autofree char *actor = query_text (f, sql);
    g_autofree char *audit = query_text (f, "SELECT actor FROM audit WHERE action = "
                                            "'add-action' ORDER BY id DESC LIMIT 1");
    g_autofree char *signin = query_text (f, "SELECT actor FROM audit WHERE action = "
                                             "'sign-in'");

    assert_string_equal (actor, "مریم احمدی");
    assert_string_equal (audit, "مریم احمدی");
    assert_string_equal (signin, "مریم احمدی");
  }
  timeline = payam_store_list_timeline (f->store, r->id, &error);
  for (guint i = 0; i < timeline->len; i++)
    {
      PayamTimelineEntry *e = timeline->pdata[i];

      if (e->kind == PAYAM_TIMELINE_ACTION && e->action == PAYAM_ACTION_NOTE)
        {
          assert_string_equal (e->actor, "مریم احمدی");
          seen = TRUE;
        }
    }
  assert_true (seen);

  payam_store_crew_sign_out (f->store, "crew-laptop");
  {
    g_autofree char *other = payam_store_add_action (f->store, r->id, &draft,
                                                     PAYAM_ROLE_CREW, &error);
    g_autofree char *sql = g_strdup_printf ("SELECT actor FROM worksheet_action WHERE id = "
                                            "'%s'", other);
    g_autofree char *actor = query_text (f, sql);

    assert_string_equal (actor, "crew-laptop");
  }
}

/* Five wrong PINs in a row lock the member for five minutes by the store's clock: the
 * right PIN is refused until then, and works after. Other members are not locked. A
 * malformed PIN counts no try. */
static void
test_lockout (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_member (f, "مریم احمدی", "4321");
  g_autofree char *other = add_member (f, "علی رضایی", "9999");
  char *name;

  assert_null (payam_store_crew_sign_in (f->store, id, "12", &error));
  assert_true (g_error_matches (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_PIN));
  g_clear_error (&error);
  for (int i = 1; i < PAYAM_CREW_MAX_TRIES; i++)
    {
      assert_null (payam_store_crew_sign_in (f->store, id, "0000", &error));
      assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_WRONG_PIN));
      g_clear_error (&error);
    }
  assert_null (payam_store_crew_sign_in (f->store, id, "0000", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED));
  assert_non_null (strstr (error->message, "۵"));
  g_clear_error (&error);

  assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED));
  g_clear_error (&error);
  name = payam_store_crew_sign_in (f->store, other, "9999", &error);
  assert_non_null (name);
  g_free (name);

  advance_seconds (f, 4 * 60 + 59);
  assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED));
  assert_non_null (strstr (error->message, "۱"));
  g_clear_error (&error);

  /* The lock survives closing the app. */
  g_clear_object (&f->store);
  f->store = payam_store_open (f->path, &error);
  payam_store_set_now_func (f->store, fixed_now, f);
  assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED));
  g_clear_error (&error);

  advance_seconds (f, 1);
  name = payam_store_crew_sign_in (f->store, id, "4321", &error);
  assert_non_null (name);
  g_free (name);

  /* After a lock a wrong PIN starts counting again from one. */
  assert_null (payam_store_crew_sign_in (f->store, id, "0000", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_WRONG_PIN));
  assert_non_null (strstr (error->message, "۴"));
}

/* The office disables a member (the right PIN is refused with its own message, counting no
 * try), enables them again, and gives a member who forgot the PIN a new one (the lock the
 * old one earned is lifted; the old PIN no longer works). A bad PIN, an unknown member and
 * an office member who is no supervisor change nothing. Each change is an op and an audit
 * row. */
static void
test_member_changes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_member (f, "مریم احمدی", "4321");
  g_autofree char *found = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT pin_hash FROM crew_member WHERE id = '%s'",
                                          id);
  g_autofree char *hash = NULL;
  g_autofree char *value = NULL;
  g_autofree char *clerk = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(PayamStaff) in = NULL;
  gint64 outbox;
  char *name;

  found = payam_store_find_crew_member (f->store, "اکیپ آسفالت ۱", " مریم احمدی ", &error);
  assert_string_equal (found, id);
  assert_null (payam_store_find_crew_member (f->store, f->crew, "کسی دیگر", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* Disabled: the right PIN is refused, and no try is counted. */
  assert_true (payam_store_set_crew_member_active (f->store, id, FALSE, &error));
  members = payam_store_list_crew_members (f->store, f->crew, &error);
  assert_false (((PayamCrewPerson *) members->pdata[0])->active);
  for (int i = 0; i < PAYAM_CREW_MAX_TRIES + 1; i++)
    {
      assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
      assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_DISABLED));
      g_clear_error (&error);
    }
  value = query_text (f, "SELECT value FROM outbox WHERE entity = 'crew_member' AND "
                         "field = 'active'");
  assert_string_equal (value, "0");
  g_clear_pointer (&value, g_free);
  value = query_text (f, "SELECT count (*) FROM audit WHERE action = 'disable-crew-member'");
  assert_string_equal (value, "1");
  assert_true (payam_store_set_crew_member_active (f->store, id, TRUE, &error));
  name = payam_store_crew_sign_in (f->store, id, "4321", &error);
  assert_string_equal (name, "مریم احمدی");
  g_free (name);
  /* Signed in, a crew member may not change members; signed out, payamctl may. */
  assert_false (payam_store_set_crew_member_pin (f->store, id, "1111", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  payam_store_crew_sign_out (f->store, "payamctl");

  /* Locked out, then a new PIN: in at once with it, never with the old one. */
  for (int i = 0; i < PAYAM_CREW_MAX_TRIES; i++)
    {
      assert_null (payam_store_crew_sign_in (f->store, id, "0000", &error));
      g_clear_error (&error);
    }
  assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED));
  g_clear_error (&error);
  assert_true (payam_store_set_crew_member_pin (f->store, id, "۸۶۴۲", &error));
  hash = query_text (f, sql);
  assert_true (payam_secret_verify (hash, "8642"));
  g_clear_pointer (&value, g_free);
  value = query_text (f, "SELECT value FROM outbox WHERE entity = 'crew_member' AND "
                         "field = 'pin_hash'");
  assert_non_null (strstr (value, "$argon2id$"));
  assert_null (strstr (value, "8642"));
  name = payam_store_crew_sign_in (f->store, id, "8642", &error);
  assert_string_equal (name, "مریم احمدی");
  g_free (name);
  payam_store_crew_sign_out (f->store, "payamctl");
  assert_null (payam_store_crew_sign_in (f->store, id, "4321", &error));
  assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_WRONG_PIN));
  g_clear_error (&error);

  /* Refused: nothing changes. */
  outbox = payam_store_count_outbox (f->store, &error);
  assert_false (payam_store_set_crew_member_pin (f->store, id, "12", &error));
  assert_true (g_error_matches (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_PIN));
  g_clear_error (&error);
  assert_false (payam_store_set_crew_member_active (f->store, "no-such", FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  clerk = payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE, "password-1",
                                 &error);
  assert_non_null (clerk);
  outbox = payam_store_count_outbox (f->store, &error);
  in = payam_store_sign_in (f->store, "علی رضایی", "password-1", &error);
  assert_non_null (in);
  assert_false (payam_store_set_crew_member_active (f->store, id, FALSE, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_set_crew_member_pin (f->store, id, "1111", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  g_clear_pointer (&hash, g_free);
  hash = query_text (f, sql);
  assert_true (payam_secret_verify (hash, "8642"));
  g_clear_pointer (&members, g_ptr_array_unref);
  members = payam_store_list_crew_members (f->store, f->crew, &error);
  assert_true (((PayamCrewPerson *) members->pdata[0])->active);
}

/* Each category has its own outcome phrases; one without gets the default ones. The
 * description is a phrase of the category plus optional words. */
static void
test_outcome_phrases (void **state)
{
  g_auto(GStrv) asphalt = payam_outcome_phrases ("asphalt");
  g_auto(GStrv) lighting = payam_outcome_phrases ("lighting");
  g_auto(GStrv) other = payam_outcome_phrases ("other");
  g_auto(GStrv) unknown = payam_outcome_phrases ("no-such-category");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  (void) state;
  assert_true (g_strv_length (asphalt) >= 2);
  assert_true (g_strv_contains ((const char * const *) asphalt, "چاله با آسفالت پر شد"));
  assert_false (g_strv_contains ((const char * const *) lighting, "چاله با آسفالت پر شد"));
  assert_true (g_strv_contains ((const char * const *) lighting, "لامپ چراغ تعویض شد"));
  assert_true (g_strv_equal ((const char * const *) other, (const char * const *) unknown));
  assert_true (g_strv_contains ((const char * const *) other, "مشکل برطرف شد"));

  text = payam_outcome_description ("asphalt", " چاله با آسفالت پر شد ", " با آسفالت گرم ",
                                    &error);
  assert_string_equal (text, "چاله با آسفالت پر شد، با آسفالت گرم");
  g_clear_pointer (&text, g_free);
  text = payam_outcome_description ("asphalt", "چاله با آسفالت پر شد", NULL, &error);
  assert_string_equal (text, "چاله با آسفالت پر شد");
  assert_null (payam_outcome_description ("asphalt", "لامپ چراغ تعویض شد", NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_outcome_description ("asphalt", NULL, "فقط کلمات", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  g_autofree char *text = query_text (f, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

/* Done needs an after photo and a phrase of the category, and then serves and tells every
 * member of the group; a before photo is not enough. Nothing is written when refused. */
static void
test_done_rules (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "چاله بزرگ کوچهٔ یاس", FALSE);
  g_autoptr(PayamRequest) b = add_request (f, "asphalt", "چاله کوچهٔ یاس", FALSE);
  g_autofree char *group = payam_store_merge (f->store, a->id, b->id, FALSE, &error);
  g_autofree char *done = NULL;
  PayamActionDraft start = { .kind = PAYAM_ACTION_START };
  g_autofree char *started = NULL;
  gint64 outbox;
  guint n_before = 9, n_after = 9;

  assert_non_null (group);
  assert_true (payam_store_assign_crew (f->store, a->id, f->crew, &error));
  started = payam_store_add_action (f->store, a->id, &start, PAYAM_ROLE_CREW, &error);
  assert_non_null (started);

  outbox = count (f, "SELECT count (*) FROM outbox");
  assert_null (payam_store_crew_done (f->store, a->id, "چاله با آسفالت پر شد", NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  add_photo (f, a->id, PAYAM_ACTION_BEFORE, "before");
  assert_true (payam_store_count_evidence (f->store, b->id, &n_before, &n_after, &error));
  assert_int_equal (n_before, 1);
  assert_int_equal (n_after, 0);
  outbox = count (f, "SELECT count (*) FROM outbox");
  assert_null (payam_store_crew_done (f->store, a->id, "چاله با آسفالت پر شد", NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_int_equal (count (f, "SELECT count (*) FROM outbox"), outbox);

  add_photo (f, b->id, PAYAM_ACTION_AFTER, "after");
  assert_null (payam_store_crew_done (f->store, a->id, "لامپ چراغ تعویض شد", NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_int_equal (count (f, "SELECT count (*) FROM notice WHERE kind = 'outcome'"), 0);

  done = payam_store_crew_done (f->store, a->id, "چاله با آسفالت پر شد", "با آسفالت گرم",
                                &error);
  if (done == NULL)
    fail_msg ("done: %s", error->message);
  assert_int_equal (count (f, "SELECT count (*) FROM request WHERE status = 'done'"), 2);
  assert_int_equal (count (f, "SELECT count (*) FROM notice WHERE kind = 'outcome' AND "
                              "state = 'pending' AND text LIKE '%چاله با آسفالت پر شد، با "
                              "آسفالت گرم%'"), 2);
}

/* Not possible needs a reason from the list and words; it finishes the worksheet with the
 * reason in its note, waiting for the office. */
static void
test_not_possible_rules (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add_request (f, "lighting", "چراغ خاموش", FALSE);
  g_autofree char *action = NULL;
  g_autofree char *note = NULL;

  assert_true (payam_store_assign_crew (f->store, r->id, f->crew, &error));
  assert_null (payam_store_crew_not_possible (f->store, r->id, PAYAM_NOT_POSSIBLE_NONE,
                                              "در بسته بود", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_crew_not_possible (f->store, r->id, PAYAM_NOT_POSSIBLE_NO_ACCESS,
                                              "  ", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_int_equal (count (f, "SELECT count (*) FROM worksheet WHERE status = 'assigned'"), 1);

  for (int reason = PAYAM_NOT_POSSIBLE_NO_ACCESS; reason <= PAYAM_NOT_POSSIBLE_OTHER; reason++)
    assert_non_null (payam_not_possible_reason_label ((PayamNotPossibleReason) reason));
  action = payam_store_crew_not_possible (f->store, r->id,
                                          PAYAM_NOT_POSSIBLE_OTHER_AGENCY,
                                          "تیر برق مال شرکت برق است", &error);
  if (action == NULL)
    fail_msg ("not possible: %s", error->message);
  note = query_text (f, "SELECT note FROM worksheet_action WHERE kind = 'not_possible'");
  assert_non_null (strstr (note, "تیر برق مال شرکت برق است"));
  assert_non_null (strstr (note, payam_not_possible_reason_label
                                   (PAYAM_NOT_POSSIBLE_OTHER_AGENCY)));
  assert_int_equal (count (f, "SELECT count (*) FROM worksheet WHERE status = "
                              "'not_possible'"), 1);
  assert_int_equal (count (f, "SELECT count (*) FROM request WHERE status = "
                              "'not_possible'"), 1);
}

static const PayamCrewSheetInfo *
sheet_at (GListModel *model,
          guint       i)
{
  g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (model, i);

  return payam_crew_sheet_get_info (sheet);
}

/* Most urgent first (priority, then deadline); a route the crew sets comes first, in its
 * order, and stays after the app is closed. */
static void
test_route_order (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) normal = add_request (f, "street-cleaning", "خیابان کثیف", FALSE);
  g_autoptr(PayamRequest) urgent = add_request (f, "manhole-sewer", "دریچهٔ منهول باز است",
                                                TRUE);
  g_autoptr(PayamRequest) lamp = add_request (f, "lighting", "چراغ خاموش", FALSE);
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GListModel) again = NULL;
  const char *first, *second, *third;

  assert_true (payam_store_assign_crew (f->store, normal->id, f->crew, &error));
  assert_true (payam_store_assign_crew (f->store, urgent->id, f->crew, &error));
  assert_true (payam_store_assign_crew (f->store, lamp->id, f->crew, &error));
  model = payam_store_list_crew_sheets (f->store, f->crew, &error);
  assert_int_equal (g_list_model_get_n_items (model), 3);
  assert_string_equal (sheet_at (model, 0)->request_id, urgent->id);
  assert_true (sheet_at (model, 0)->priority <= sheet_at (model, 1)->priority);
  if (sheet_at (model, 1)->priority == sheet_at (model, 2)->priority)
    assert_true (g_date_time_compare (sheet_at (model, 1)->due_at,
                                      sheet_at (model, 2)->due_at) <= 0);
  assert_int_equal (sheet_at (model, 0)->route_position, -1);
  assert_int_equal (sheet_at (model, 0)->n_members, 1);
  {
    g_autoptr(PayamCrewSheet) first_sheet = g_list_model_get_item (model, 0);
    g_autofree char *place = payam_crew_sheet_dup_place (first_sheet);

    /* The neighbourhood by its name; no empty parts for the street and landmark. */
    assert_string_equal (place, "توحید");
  }

  first = sheet_at (model, 2)->worksheet_id;
  second = sheet_at (model, 0)->worksheet_id;
  third = sheet_at (model, 1)->worksheet_id;
  {
    const char *route[] = { first, second, NULL };

    assert_true (payam_store_set_route (f->store, route, &error));
  }
  g_clear_object (&f->store);
  f->store = payam_store_open (f->path, &error);
  again = payam_store_list_crew_sheets (f->store, f->crew, &error);
  assert_string_equal (sheet_at (again, 0)->worksheet_id, first);
  assert_int_equal (sheet_at (again, 0)->route_position, 0);
  assert_string_equal (sheet_at (again, 1)->worksheet_id, second);
  assert_string_equal (sheet_at (again, 2)->worksheet_id, third);
  assert_int_equal (sheet_at (again, 2)->route_position, -1);
  /* The route never syncs. */
  assert_int_equal (count (f, "SELECT count (*) FROM outbox WHERE entity LIKE 'route%'"), 0);
}

/* On the crew's own device, a worksheet the office gave to another crew while the crew
 * worked offline is listed as withdrawn; what was recorded stays (in the outbox, for the
 * office to decide) and nothing more can be recorded on it. */
static void
test_withdrawn_while_offline (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) r = add_request (f, "asphalt", "چاله", FALSE);
  g_autofree char *other = payam_store_add_crew (f->store, "اکیپ دو", NULL, &error);
  g_autofree char *sql = NULL;
  g_autofree char *started = NULL;
  g_autoptr(GListModel) model = NULL;
  PayamActionDraft start = { .kind = PAYAM_ACTION_START };
  PayamActionDraft note = { .kind = PAYAM_ACTION_NOTE, .note = "یادداشت" };
  gint64 actions;

  assert_true (payam_store_assign_crew (f->store, r->id, f->crew, &error));
  sql = g_strdup_printf ("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync_role', "
                         "'crew'), ('sync_crew_id', '%s')", f->crew);
  exec_sql (f, sql);
  started = payam_store_add_action (f->store, r->id, &start, PAYAM_ROLE_CREW, &error);
  assert_non_null (started);
  actions = count (f, "SELECT count (*) FROM outbox WHERE entity = 'worksheet_action'");

  /* What a pull of the office's reassignment leaves on the device. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE worksheet SET crew_id = '%s'", other);
  exec_sql (f, sql);

  model = payam_store_list_crew_sheets (f->store, f->crew, &error);
  assert_int_equal (g_list_model_get_n_items (model), 1);
  assert_int_equal (sheet_at (model, 0)->withdrawal, PAYAM_WITHDRAWAL_REASSIGNED);
  assert_string_equal (sheet_at (model, 0)->status, "in_progress");
  assert_null (payam_store_add_action (f->store, r->id, &note, PAYAM_ROLE_CREW, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  assert_string_equal (error->message, payam_withdrawal_reason (PAYAM_WITHDRAWAL_REASSIGNED));
  assert_int_equal (count (f, "SELECT count (*) FROM outbox WHERE entity = "
                              "'worksheet_action'"), actions);
  {
    g_autoptr(GListModel) office = NULL;

    /* The office (no crew device) lists only what is assigned to a crew now. */
    exec_sql (f, "DELETE FROM meta WHERE key IN ('sync_role', 'sync_crew_id')");
    office = payam_store_list_crew_sheets (f->store, f->crew, &error);
    assert_int_equal (g_list_model_get_n_items (office), 0);
  }
}

/* A crew device pulls its own crew's members and PIN hashes, never another crew's; a
 * kiosk none. */
static void
test_member_hashes_sync_to_own_crew (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *other = payam_store_add_crew (f->store, "اکیپ دو", NULL, &error);
  g_autofree char *mine = add_member (f, "مریم احمدی", "1234");
  g_autofree char *theirs = payam_store_add_crew_member (f->store, other, "رضا", "5678",
                                                         &error);
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) pushed = NULL;
  PayamSyncPushReply *reply = NULL;
  gint64 next = 0;
  gboolean more = FALSE;
  guint seen_mine = 0, seen_theirs = 0;

  assert_non_null (theirs);
  /* The office's own ops enter its log as a push from itself. */
  pushed = payam_store_sync_list_outbox (f->store, 0, 1000, &error);
  assert_non_null (pushed);
  assert_true (payam_store_sync_push (f->store, payam_store_get_device_id (f->store),
                                      PAYAM_ROLE_OFFICE, NULL,
                                      pushed, g_date_time_to_unix (f->now) * 1000, &reply,
                                      &error));
  payam_sync_push_reply_free (reply);

  for (int role = PAYAM_ROLE_KIOSK; role <= PAYAM_ROLE_CREW; role++)
    {
      ops = payam_store_sync_pull (f->store, (PayamRole) role,
                                   role == PAYAM_ROLE_CREW ? f->crew : NULL, 0, 1000, &next,
                                   &more, &error);
      if (ops == NULL)
        fail_msg ("pull: %s", error->message);
      for (guint i = 0; i < ops->len; i++)
        {
          PayamOp *op = ops->pdata[i];

          if (g_strcmp0 (op->entity, "crew_member") != 0)
            continue;
          assert_int_equal (role, PAYAM_ROLE_CREW);
          seen_mine += g_strcmp0 (op->row_id, mine) == 0;
          seen_theirs += g_strcmp0 (op->row_id, theirs) == 0;
          assert_non_null (strstr (op->value, "$argon2id$"));
        }
      g_clear_pointer (&ops, g_ptr_array_unref);
    }
  assert_int_equal (seen_mine, 1);
  assert_int_equal (seen_theirs, 0);
}

/* Photos a crew imports from a folder: a file that is not an image and one over the size
 * limit are refused with the photo error that says so (the large one from its reported size,
 * before it is read); what the worksheet had stays as it was. */
static void
test_bad_photo_files (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "چاله بزرگ کوچهٔ یاس", FALSE);
  PayamActionDraft note = { .kind = PAYAM_ACTION_NOTE, .note = "آسفالت گرم لازم است" };
  g_autofree char *noted = NULL;
  g_autofree char *text = g_build_filename (f->dir, "notes.jpg", NULL);
  g_autofree char *large = g_build_filename (f->dir, "large.jpg", NULL);
  g_autofree char *good = noise_jpeg (f, "before.jpg", 64, 1);
  g_autoptr(PayamPhoto) photo = NULL;
  Recorded before, after;
  int fd;

  assert_true (payam_store_assign_crew (f->store, a->id, f->crew, &error));
  noted = payam_store_add_action (f->store, a->id, &note, PAYAM_ROLE_CREW, &error);
  assert_non_null (noted);
  photo = payam_photo_import_file (good, &error);
  assert_non_null (photo);
  {
    const char *photos[] = { photo->sha256, NULL };
    PayamActionDraft draft = { .kind = PAYAM_ACTION_BEFORE, .photos = photos };
    g_autofree char *id = NULL;

    assert_true (payam_store_add_photo (f->store, photo, &error));
    id = payam_store_add_action (f->store, a->id, &draft, PAYAM_ROLE_CREW, &error);
    assert_non_null (id);
  }
  before = recorded (f, a->id);
  assert_int_equal (before.before, 1);

  /* A text file named like a photo. */
  assert_true (g_file_set_contents (text, "فهرست کارهای امروز\n", -1, &error));
  assert_null (payam_photo_import_file (text, &error));
  assert_true (g_error_matches (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_FORMAT));
  g_clear_error (&error);

  /* A file of 4 GiB with no data written (sparse): refused from its size, quickly. */
  fd = g_open (large, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true (fd >= 0);
  assert_int_equal (ftruncate (fd, (off_t) 4 * 1024 * 1024 * 1024), 0);
  close (fd);
  {
    gint64 start = g_get_monotonic_time ();

    assert_null (payam_photo_import_file (large, &error));
    assert_true (g_error_matches (error, PAYAM_PHOTO_ERROR, PAYAM_PHOTO_ERROR_TOO_LARGE));
    /* Reading 20 MB of it would take far longer than looking at its size. */
    assert_true (g_get_monotonic_time () - start < G_USEC_PER_SEC);
  }
  g_clear_error (&error);

  after = recorded (f, a->id);
  assert_recorded_equal (&before, &after);
}

/* A full disk on a crew's laptop: a note, a photo and done are refused with the full-disk
 * error in a crew's words (free space on this laptop, the work so far is kept), nothing of
 * them is half written, what was recorded before stays, and with space again the work goes
 * on. SQLite is made to report SQLITE_FULL by capping the database at its size. */
static void
test_full_disk (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "چاله بزرگ کوچهٔ یاس", FALSE);
  PayamActionDraft start = { .kind = PAYAM_ACTION_START };
  g_autofree char *started = NULL;
  g_autofree char *path = noise_jpeg (f, "after.jpg", 900, 2);
  g_autoptr(PayamPhoto) photo = NULL;
  gboolean full = FALSE;
  gint64 notes = 0;
  Recorded before, after;

  assert_true (payam_store_set_device_role (f->store, PAYAM_ROLE_CREW, &error));
  assert_true (payam_store_assign_crew (f->store, a->id, f->crew, &error));
  started = payam_store_add_action (f->store, a->id, &start, PAYAM_ROLE_CREW, &error);
  assert_non_null (started);
  add_photo (f, a->id, PAYAM_ACTION_BEFORE, "before");
  photo = payam_photo_import_file (path, &error);
  assert_non_null (photo);

  assert_true (_payam_store_exec_sql (f->store, "PRAGMA max_page_count = 1", &error));
  for (guint i = 0; i < 10000 && !full; i++)
    {
      PayamActionDraft note = { .kind = PAYAM_ACTION_NOTE, .note = "آسفالت گرم لازم است" };
      g_autofree char *id = payam_store_add_action (f->store, a->id, &note, PAYAM_ROLE_CREW,
                                                    &error);

      if (id == NULL)
        full = TRUE;
      else
        notes++;
    }
  assert_true (full);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  assert_non_null (strstr (error->message, "laptop"));
  assert_non_null (strstr (error->message, "Your work so far is kept"));
  assert_null (strstr (error->message, "staff"));
  g_clear_error (&error);
  before = recorded (f, a->id);
  assert_int_equal (before.before, 1);

  /* The after photo (hundreds of kilobytes) cannot be stored either; done then still
   * lacks it. */
  assert_false (payam_store_add_photo (f->store, photo, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  g_clear_error (&error);
  assert_null (payam_store_crew_done (f->store, a->id, "چاله با آسفالت پر شد", NULL, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  after = recorded (f, a->id);
  assert_recorded_equal (&before, &after);
  assert_int_equal (count (f, "SELECT count (*) FROM worksheet_action WHERE kind = 'note'"),
                    notes);

  /* Space again: the photo, the after action and done go through. */
  assert_true (_payam_store_exec_sql (f->store, "PRAGMA max_page_count = 1073741823", &error));
  assert_true (payam_store_add_photo (f->store, photo, &error));
  {
    const char *photos[] = { photo->sha256, NULL };
    PayamActionDraft draft = { .kind = PAYAM_ACTION_AFTER, .photos = photos };
    g_autofree char *id = payam_store_add_action (f->store, a->id, &draft, PAYAM_ROLE_CREW,
                                                  &error);
    g_autofree char *done = NULL;

    assert_non_null (id);
    done = payam_store_crew_done (f->store, a->id, "چاله با آسفالت پر شد", NULL, &error);
    if (done == NULL)
      fail_msg ("done: %s", error->message);
  }
  after = recorded (f, a->id);
  assert_int_equal (after.before, 1);
  assert_int_equal (after.after, 1);
}

/* Notes added to @request_id until the store is full: the error that stopped them (NULL
 * when 10,000 fitted). */
static GError *
note_until_full (Fixture    *f,
                 const char *request_id)
{
  PayamActionDraft note = { .kind = PAYAM_ACTION_NOTE, .note = "یادداشت" };
  GError *error = NULL;

  for (guint i = 0; i < 10000 && error == NULL; i++)
    g_free (payam_store_add_action (f->store, request_id, &note, PAYAM_ROLE_CREW, &error));
  return error;
}

/* The words of a full disk follow the device's role, kept across a reopen: a kiosk's ask
 * the citizen to tell the staff, an office desk's the staff to free space. */
static void
test_full_disk_words_follow_role (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = add_request (f, "asphalt", "چاله بزرگ کوچهٔ یاس", FALSE);

  assert_true (payam_store_set_device_role (f->store, PAYAM_ROLE_CREW, &error));
  g_clear_object (&f->store);
  f->store = payam_store_open (f->path, &error);
  assert_non_null (f->store);
  assert_true (_payam_store_exec_sql (f->store, "PRAGMA max_page_count = 1", &error));
  error = note_until_full (f, a->id);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  assert_non_null (strstr (error->message, "laptop"));
  g_clear_error (&error);

  assert_true (payam_store_set_device_role (f->store, PAYAM_ROLE_KIOSK, &error));
  error = note_until_full (f, a->id);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  assert_non_null (strstr (error->message, "tell the staff"));
  g_clear_error (&error);

  /* An office desk: staff free space on their own computer. */
  assert_true (payam_store_set_device_role (f->store, PAYAM_ROLE_OFFICE, &error));
  error = note_until_full (f, a->id);
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL));
  assert_non_null (strstr (error->message, "This computer's disk is full"));
  assert_null (strstr (error->message, "tell the staff"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_members, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sign_in_stamps_actions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_lockout, setup, teardown),
    cmocka_unit_test_setup_teardown (test_member_changes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_outcome_phrases, setup, teardown),
    cmocka_unit_test_setup_teardown (test_done_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_not_possible_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_route_order, setup, teardown),
    cmocka_unit_test_setup_teardown (test_withdrawn_while_offline, setup, teardown),
    cmocka_unit_test_setup_teardown (test_member_hashes_sync_to_own_crew, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_photo_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_full_disk, setup, teardown),
    cmocka_unit_test_setup_teardown (test_full_disk_words_follow_role, setup, teardown),
  };

  return cmocka_run_group_tests_name ("crew", tests, NULL, NULL);
}
