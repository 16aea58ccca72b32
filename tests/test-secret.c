/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for PIN normalisation and the PIN and password hashes (payam-secret). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "payam-secret.h"

static void
test_pin_any_digit_form (void **state)
{
  static const char *const same[] = { "1234", "۱۲۳۴", "١٢٣٤", "۱2٣4", " 12 34 " };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = payam_secret_normalize_pin (same[i], &error);

      assert_null (error);
      assert_string_equal (pin, "1234");
    }
}

static void
test_pin_refused (void **state)
{
  static const char *const bad[] = { "", "123", "123456789", "12a4", "۱۲۳-۴" };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = payam_secret_normalize_pin (bad[i], &error);

      assert_null (pin);
      assert_true (g_error_matches (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_PIN));
    }
}

static void
test_hash_verifies_only_its_secret (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = payam_secret_hash ("2468", &error);
  g_autofree char *again = payam_secret_hash ("2468", NULL);

  (void) state;
  assert_null (error);
  assert_non_null (hash);
  assert_null (strstr (hash, "2468"));
  assert_string_not_equal (hash, again);  /* salted */
  assert_true (payam_secret_verify (hash, "2468"));
  assert_true (payam_secret_verify (again, "2468"));
  assert_false (payam_secret_verify (hash, "2469"));
  assert_false (payam_secret_verify (hash, ""));
  assert_false (payam_secret_verify ("not a hash", "2468"));
  assert_false (payam_secret_verify (NULL, "2468"));
}

static void
test_password_length (void **state)
{
  g_autoptr(GError) error = NULL;

  (void) state;
  assert_true (payam_secret_check_password ("دفتر۱۴۰۵منطقه", NULL));
  assert_true (payam_secret_check_password ("abcdefgh", NULL));
  assert_false (payam_secret_check_password ("دفتر۱۴۰", &error));
  assert_true (g_error_matches (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_WEAK));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pin_any_digit_form),
    cmocka_unit_test (test_pin_refused),
    cmocka_unit_test (test_hash_verifies_only_its_secret),
    cmocka_unit_test (test_password_length),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
