/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of UUIDv7: fixed vectors, version and variant bits, validity, order, timestamps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-uuid.h"

#define UNIX_MS_MAX ((G_GINT64_CONSTANT (1) << 48) - 1)

/* Vectors worked out by hand from the RFC 9562 §5.7 layout. */
static void
test_from_parts (void **state)
{
  static const struct {
    const char *what;
    gint64      unix_ms;
    guint8      random[10];
    const char *expected;
  } cases[] = {
    /* RFC 9562 appendix A.6: rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F. */
    { "RFC 9562 A.6", 0x017F22E279B0,
      { 0x0C, 0xC3, 0x18, 0xC4, 0xDC, 0x0C, 0x0C, 0x07, 0x39, 0x8F },
      "017f22e2-79b0-7cc3-98c4-dc0c0c07398f" },
    /* The same with the bits that version and variant replace set: they are ignored. */
    { "A.6, masked bits set", 0x017F22E279B0,
      { 0xFC, 0xC3, 0xD8, 0xC4, 0xDC, 0x0C, 0x0C, 0x07, 0x39, 0x8F },
      "017f22e2-79b0-7cc3-98c4-dc0c0c07398f" },
    { "all zero", 0,
      { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
      "00000000-0000-7000-8000-000000000000" },
    { "all ones", UNIX_MS_MAX,
      { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
      "ffffffff-ffff-7fff-bfff-ffffffffffff" },
    /* 1732883200000 ms (2024-11-29T12:26:40Z) = 0x019377E33800 */
    { "byte order", 1732883200000,
      { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x10, 0x32 },
      "019377e3-3800-7123-8567-89abcdef1032" },
    { "one ms", 1,
      { 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 },
      "00000000-0001-7000-8000-000000000001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = payam_uuid7_from_parts (cases[i].unix_ms, cases[i].random);

      if (g_strcmp0 (id, cases[i].expected) != 0)
        fail_msg ("%s: got %s, expected %s", cases[i].what, id, cases[i].expected);
      assert_true (payam_uuid7_is_valid (id));
      assert_int_equal (payam_uuid7_unix_ms (id), cases[i].unix_ms);
    }
}

static void
test_version_and_variant (void **state)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9562);

  for (guint i = 0; i < 1000; i++)
    {
      guint8 random[10];
      gint64 ms = (gint64) (g_rand_double (rand) * (double) UNIX_MS_MAX);
      g_autofree char *id = NULL;
      guint rand_a, variant_nibble;

      for (guint j = 0; j < 10; j++)
        random[j] = (guint8) g_rand_int_range (rand, 0, 256);
      id = payam_uuid7_from_parts (ms, random);

      assert_int_equal (strlen (id), 36);
      assert_int_equal (id[14], '7');
      variant_nibble = (guint) g_ascii_xdigit_value (id[19]);
      assert_int_equal (variant_nibble >> 2, 2);
      /* Random bits kept: rand_a = low nibble of random[0], random[1]. */
      rand_a = (guint) g_ascii_strtoull (id + 15, NULL, 16);
      assert_int_equal (rand_a, ((random[0] & 0x0F) << 8) | random[1]);
      assert_int_equal (variant_nibble & 0x3, (random[2] >> 4) & 0x3);
      assert_int_equal (payam_uuid7_unix_ms (id), ms);
    }
}

static void
test_is_valid (void **state)
{
  static const struct {
    const char *text;
    gboolean    valid;
  } cases[] = {
    { "017f22e2-79b0-7cc3-98c4-dc0c0c07398f", TRUE },
    { "00000000-0000-7000-8000-000000000000", TRUE },
    { "ffffffff-ffff-7fff-bfff-ffffffffffff", TRUE },
    { "017f22e2-79b0-7cc3-a8c4-dc0c0c07398f", TRUE },
    { "017f22e2-79b0-7cc3-b8c4-dc0c0c07398f", TRUE },
    { "017F22E2-79B0-7CC3-98C4-DC0C0C07398F", FALSE }, /* not canonical: upper case */
    { "017f22e2-79b0-4cc3-98c4-dc0c0c07398f", FALSE }, /* version 4 */
    { "017f22e2-79b0-1cc3-98c4-dc0c0c07398f", FALSE }, /* version 1 */
    { "017f22e2-79b0-8cc3-98c4-dc0c0c07398f", FALSE }, /* version 8 */
    { "017f22e2-79b0-7cc3-78c4-dc0c0c07398f", FALSE }, /* NCS variant 0xxx */
    { "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f", FALSE }, /* Microsoft variant 110x */
    { "017f22e2-79b0-7cc3-f8c4-dc0c0c07398f", FALSE }, /* reserved variant 111x */
    { "017f22e279b07cc398c4dc0c0c07398f", FALSE },     /* no dashes */
    { "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}", FALSE },
    { "017f22e2-79b0-7cc3-98c4-dc0c0c07398", FALSE },
    { "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0", FALSE },
    { "017f22e2-79b0-7cc3-98c4-dc0c0c07398f ", FALSE },
    { "017f22e2_79b0-7cc3-98c4-dc0c0c07398f", FALSE },
    { "017f22e-279b0-7cc3-98c4-dc0c0c07398f", FALSE },
    { "017f22g2-79b0-7cc3-98c4-dc0c0c07398f", FALSE },
    { "urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (payam_uuid7_is_valid (cases[i].text) != cases[i].valid)
        fail_msg ("\"%s\" should be %s", cases[i].text, cases[i].valid ? "valid" : "invalid");
      if (!cases[i].valid)
        assert_int_equal (payam_uuid7_unix_ms (cases[i].text), -1);
    }
}

static void
test_unix_ms (void **state)
{
  assert_int_equal (payam_uuid7_unix_ms ("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), 0x017F22E279B0);
  assert_int_equal (payam_uuid7_unix_ms ("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), 1645557742000);
  assert_int_equal (payam_uuid7_unix_ms ("00000000-0001-7000-8000-000000000000"), 1);
  assert_int_equal (payam_uuid7_unix_ms ("ffffffff-ffff-7000-8000-000000000000"), UNIX_MS_MAX);
}

static void
test_new_ordered (void **state)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (ids, payam_uuid7_new ());

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      assert_true (payam_uuid7_is_valid (id));
      if (i > 0)
        {
          const char *prev = g_ptr_array_index (ids, i - 1);

          if (strcmp (prev, id) >= 0)
            fail_msg ("id %u %s does not sort after %s", i, id, prev);
          assert_true (payam_uuid7_unix_ms (prev) <= payam_uuid7_unix_ms (id));
          /* 62 random bits in rand_b: equal ones mean the random source is not used. */
          assert_string_not_equal (prev + 19, id + 19);
        }
    }
}

typedef struct {
  GPtrArray *ids;
} ThreadData;

static gpointer
make_ids (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < 2500; i++)
    g_ptr_array_add (data->ids, payam_uuid7_new ());

  return NULL;
}

static void
test_new_threads (void **state)
{
  ThreadData data[4];
  GThread *threads[4];
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint t = 0; t < 4; t++)
    {
      data[t].ids = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("uuid", make_ids, &data[t]);
    }

  for (guint t = 0; t < 4; t++)
    {
      g_thread_join (threads[t]);
      for (guint i = 0; i < data[t].ids->len; i++)
        {
          const char *id = g_ptr_array_index (data[t].ids, i);

          assert_true (payam_uuid7_is_valid (id));
          assert_true (g_hash_table_add (seen, (gpointer) id));
          if (i > 0)
            assert_true (strcmp (g_ptr_array_index (data[t].ids, i - 1), id) < 0);
        }
    }

  assert_int_equal (g_hash_table_size (seen), 10000);

  for (guint t = 0; t < 4; t++)
    g_ptr_array_unref (data[t].ids);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_from_parts),
    cmocka_unit_test (test_version_and_variant),
    cmocka_unit_test (test_is_valid),
    cmocka_unit_test (test_unix_ms),
    cmocka_unit_test (test_new_ordered),
    cmocka_unit_test (test_new_threads),
  };

  return cmocka_run_group_tests_name ("uuid", tests, NULL, NULL);
}
