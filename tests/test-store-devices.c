/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the store's device registry: enrolment codes, enrolment, credentials, revocation,
 * the server fingerprint and a device's saved enrolment. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "payam-store-devices.h"

#define DEVICE_A "018c3f2a-1b2c-7d3e-8f40-00000000000a"
#define DEVICE_B "018c3f2a-1b2c-7d3e-8f40-00000000000b"
#define HASH(n) "00000000000000000000000000000000000000000000000000000000000000" n

typedef struct {
  char       *dir;
  char       *path;
  PayamStore *store;
  GDateTime  *now;
} Fixture;

static GDateTime *
fixture_now (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_ref (f->now);
}

static void
advance (Fixture *f,
         int      seconds)
{
  GDateTime *later = g_date_time_add_seconds (f->now, seconds);

  g_date_time_unref (f->now);
  f->now = later;
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    fail_msg ("%s", sqlite3_errmsg (db));
  sqlite3_close (db);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payam-devices-XXXXXX", &error);
  assert_non_null (f->dir);
  f->path = g_build_filename (f->dir, "server.db", NULL);
  f->store = payam_store_open (f->path, &error);
  assert_non_null (f->store);
  f->now = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  payam_store_set_now_func (f->store, fixture_now, f);
  /* The server's own prefix is 1, so devices start at 2. */
  assert_true (payam_store_set_device_prefix (f->store, 1, &error));
  exec_sql (f, "INSERT INTO crew (id, name) VALUES ('crew-1', 'one')");
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_date_time_unref (f->now);
  g_free (f);
  return 0;
}

static void
test_code_validation (void **state)
{
  Fixture *f = *state;
  const struct {
    PayamRole   role;
    const char *crew;
    guint       ttl;
    gboolean    ok;
  } cases[] = {
    { PAYAM_ROLE_KIOSK, NULL, 0, FALSE },
    { PAYAM_ROLE_KIOSK, NULL, 721, FALSE },
    { PAYAM_ROLE_KIOSK, NULL, 720, TRUE },
    { PAYAM_ROLE_CREW, NULL, 1, FALSE },
    { PAYAM_ROLE_CREW, "crew-9", 1, FALSE },
    { PAYAM_ROLE_CREW, "crew-1", 1, TRUE },
    { PAYAM_ROLE_OFFICE, "crew-1", 1, FALSE },
    { PAYAM_ROLE_OFFICE, NULL, 1, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = g_strdup_printf ("%064u", i);
      gboolean ok = payam_store_add_enrol_code (f->store, hash, cases[i].role, cases[i].crew,
                                                cases[i].ttl, &error);

      if (ok != cases[i].ok)
        fail_msg ("case %u: %s", i, error != NULL ? error->message : "accepted");
      if (!ok)
        assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
    }
}

static void
test_enrol (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamDevice) a = NULL;
  g_autoptr(PayamDevice) b = NULL;
  g_autoptr(PayamDevice) again = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  assert_true (payam_store_add_enrol_code (f->store, HASH ("01"), PAYAM_ROLE_CREW, "crew-1", 2,
                                           &error));
  assert_true (payam_store_add_enrol_code (f->store, HASH ("02"), PAYAM_ROLE_KIOSK, NULL, 2,
                                           &error));
  assert_true (payam_store_add_enrol_code (f->store, HASH ("03"), PAYAM_ROLE_KIOSK, NULL, 1,
                                           &error));

  assert_null (payam_store_enrol_device (f->store, HASH ("99"), DEVICE_A, "cred-a", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_UNKNOWN));
  g_clear_error (&error);
  assert_null (payam_store_enrol_device (f->store, HASH ("01"), "not-a-uuid", "cred-a", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_null (payam_store_enrol_device (f->store, HASH ("01"),
                                         payam_store_get_device_id (f->store), "cred-a",
                                         &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR,
                                PAYAM_DEVICE_ERROR_ALREADY_ENROLLED));
  g_clear_error (&error);

  a = payam_store_enrol_device (f->store, HASH ("01"), DEVICE_A, "cred-a", &error);
  assert_non_null (a);
  assert_int_equal (a->prefix, 2);
  assert_int_equal (a->role, PAYAM_ROLE_CREW);
  assert_string_equal (a->crew_id, "crew-1");
  assert_string_equal (a->enrolled_at, "2026-11-29T10:00:00.000Z");
  assert_null (a->revoked_at);

  /* The used code, and a second code for an enrolled device: refused, code 02 unused. */
  assert_null (payam_store_enrol_device (f->store, HASH ("01"), DEVICE_B, "cred-b", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_USED));
  g_clear_error (&error);
  again = payam_store_enrol_device (f->store, HASH ("02"), DEVICE_A, "cred-a2", &error);
  assert_null (again);
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR,
                                PAYAM_DEVICE_ERROR_ALREADY_ENROLLED));
  g_clear_error (&error);

  /* An hour later code 03 is over; code 02 (two hours) still works. */
  advance (f, 3600);
  assert_null (payam_store_enrol_device (f->store, HASH ("03"), DEVICE_B, "cred-b", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_EXPIRED));
  g_clear_error (&error);
  b = payam_store_enrol_device (f->store, HASH ("02"), DEVICE_B, "cred-b", &error);
  assert_non_null (b);
  assert_int_equal (b->prefix, 3);
  assert_null (b->crew_id);

  devices = payam_store_list_devices (f->store, &error);
  assert_int_equal (devices->len, 2);
  assert_string_equal (((PayamDevice *) g_ptr_array_index (devices, 0))->id, DEVICE_A);
  assert_string_equal (((PayamDevice *) g_ptr_array_index (devices, 1))->id, DEVICE_B);
}

static void
test_credentials (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamDevice) enrolled = NULL;
  g_autofree char *first_seen = NULL;
  g_autofree char *revoked_at = NULL;

  assert_true (payam_store_add_enrol_code (f->store, HASH ("01"), PAYAM_ROLE_OFFICE, NULL, 1,
                                           &error));
  enrolled = payam_store_enrol_device (f->store, HASH ("01"), DEVICE_A, "cred-a", &error);
  assert_non_null (enrolled);
  assert_null (enrolled->last_seen);

  assert_null (payam_store_authenticate_device (f->store, "cred-x", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR,
                                PAYAM_DEVICE_ERROR_UNKNOWN_CREDENTIAL));
  g_clear_error (&error);

  /* last_seen moves at most once a minute. */
  {
    g_autoptr(PayamDevice) seen = payam_store_authenticate_device (f->store, "cred-a", &error);

    assert_non_null (seen);
    assert_string_equal (seen->last_seen, "2026-11-29T10:00:00.000Z");
    first_seen = g_strdup (seen->last_seen);
  }
  advance (f, 30);
  {
    g_autoptr(PayamDevice) seen = payam_store_authenticate_device (f->store, "cred-a", &error);

    assert_string_equal (seen->last_seen, first_seen);
  }
  advance (f, 31);
  {
    g_autoptr(PayamDevice) seen = payam_store_authenticate_device (f->store, "cred-a", &error);

    assert_string_equal (seen->last_seen, "2026-11-29T10:01:01.000Z");
  }

  assert_true (payam_store_revoke_device (f->store, DEVICE_A, &error));
  assert_null (payam_store_authenticate_device (f->store, "cred-a", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_REVOKED));
  g_clear_error (&error);

  /* Revoking again keeps the first time. */
  advance (f, 600);
  assert_true (payam_store_revoke_device (f->store, DEVICE_A, &error));
  {
    g_autoptr(GPtrArray) devices = payam_store_list_devices (f->store, &error);

    revoked_at = g_strdup (((PayamDevice *) g_ptr_array_index (devices, 0))->revoked_at);
  }
  assert_string_equal (revoked_at, "2026-11-29T10:01:01.000Z");
  assert_false (payam_store_revoke_device (f->store, DEVICE_B, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
}

static void
test_no_prefix_left (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;

  /* Every prefix but the server's own (1) taken. */
  exec_sql (f, "WITH RECURSIVE n (p) AS (SELECT 2 UNION ALL SELECT p + 1 FROM n WHERE p < 9999) "
               "INSERT INTO device (id, prefix, role, enrolled_at) "
               "SELECT 'd' || p, p, 'kiosk', '2026-01-01T00:00:00.000Z' FROM n");
  assert_true (payam_store_add_enrol_code (f->store, HASH ("01"), PAYAM_ROLE_KIOSK, NULL, 1,
                                           &error));
  assert_null (payam_store_enrol_device (f->store, HASH ("01"), DEVICE_A, "cred-a", &error));
  assert_true (g_error_matches (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_NO_PREFIX));
  g_clear_error (&error);

  /* Nothing changed: once a prefix is free, the same code works. */
  exec_sql (f, "DELETE FROM device WHERE prefix = 5000");
  {
    g_autoptr(PayamDevice) device = payam_store_enrol_device (f->store, HASH ("01"), DEVICE_A,
                                                              "cred-a", &error);

    assert_non_null (device);
    assert_int_equal (device->prefix, 5000);
  }
}

static void
test_fingerprint_and_enrolment (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(PayamEnrolment) saved = NULL;
  PayamEnrolment enrolment = {
    (char *) "https://office:8443", (char *) HASH ("ff"), (char *) "secret-token",
    PAYAM_ROLE_CREW, (char *) "crew-1", (char *) "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  };

  assert_null (payam_store_dup_server_fingerprint (f->store, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  assert_true (payam_store_set_server_fingerprint (f->store, HASH ("ab"), &error));
  fingerprint = payam_store_dup_server_fingerprint (f->store, &error);
  assert_string_equal (fingerprint, HASH ("ab"));

  assert_null (payam_store_get_enrolment (f->store, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  assert_true (payam_store_save_enrolment (f->store, &enrolment, 77, &error));
  assert_int_equal (payam_store_get_device_prefix (f->store), 77);

  /* Read back through a new connection: it was committed. */
  g_clear_object (&f->store);
  f->store = payam_store_open (f->path, &error);
  saved = payam_store_get_enrolment (f->store, &error);
  assert_non_null (saved);
  assert_string_equal (saved->server_url, enrolment.server_url);
  assert_string_equal (saved->fingerprint, enrolment.fingerprint);
  assert_string_equal (saved->credential, "secret-token");
  assert_int_equal (saved->role, PAYAM_ROLE_CREW);
  assert_string_equal (saved->crew_id, "crew-1");
  assert_string_equal (saved->office_public_key, enrolment.office_public_key);
  assert_int_equal (payam_store_get_device_prefix (f->store), 77);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_code_validation, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enrol, setup, teardown),
    cmocka_unit_test_setup_teardown (test_credentials, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_prefix_left, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fingerprint_and_enrolment, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
