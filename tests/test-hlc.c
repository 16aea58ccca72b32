/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the hybrid logical clock: tick, receive, overflow, order, text form, a random walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-hlc.h"

#define P(ms, c) ((((guint64) (ms)) << 16) | (c))
#define WALL_MAX ((G_GINT64_CONSTANT (1) << 48) - 1)

static void
test_pack (void **state)
{
  static const struct {
    gint64   wall_ms;
    guint    counter;
    PayamHlc packed;
    gint64   wall_back;
    guint    counter_back;
  } cases[] = {
    { 0, 0, 0, 0, 0 },
    { 1, 0, 0x10000, 1, 0 },
    { 0, 1, 1, 0, 1 },
    { 0x018c3f2a1b2c, 0x0001, 0x018c3f2a1b2c0001, 0x018c3f2a1b2c, 1 },
    { WALL_MAX, 0xFFFF, G_MAXUINT64, WALL_MAX, 0xFFFF },
    /* Out of range parts are clamped, never wrapped. */
    { -5, 7, 7, 0, 7 },
    { WALL_MAX + 1, 0, P (WALL_MAX, 0), WALL_MAX, 0 },
    { G_MAXINT64, 3, P (WALL_MAX, 3), WALL_MAX, 3 },
    { 1000, 0x10000, P (1000, 0xFFFF), 1000, 0xFFFF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamHlc hlc = payam_hlc_pack (cases[i].wall_ms, cases[i].counter);

      assert_int_equal (hlc, cases[i].packed);
      assert_int_equal (payam_hlc_wall_ms (hlc), cases[i].wall_back);
      assert_int_equal (payam_hlc_counter (hlc), cases[i].counter_back);
    }
}

static void
test_tick (void **state)
{
  static const struct {
    const char *what;
    PayamHlc    last;
    gint64      now_ms;
    PayamHlc    expected;
  } cases[] = {
    { "first stamp",             0,              1000, P (1000, 0) },
    { "clock moves on",          P (1000, 5),    1001, P (1001, 0) },
    { "clock stands still",      P (1000, 0),    1000, P (1000, 1) },
    { "still, counter grows",    P (1000, 41),   1000, P (1000, 42) },
    { "clock goes back",         P (1000, 5),     900, P (1000, 6) },
    { "clock goes far back",     P (1000, 5),       0, P (1000, 6) },
    { "clock before 1970",       P (1000, 5),   -3000, P (1000, 6) },
    { "negative on first stamp", 0,               -10, P (0, 1) },
    { "clock jumps ahead",       P (1000, 5), 1000000, P (1000000, 0) },
    /* Overflow: the counter would pass 0xFFFF, so the stamp borrows 1 ms. */
    { "counter overflow",        P (1000, 0xFFFF), 1000, P (1001, 0) },
    { "overflow, clock behind",  P (1000, 0xFFFF),  500, P (1001, 0) },
    { "overflow, clock caught",  P (1000, 0xFFFF), 1001, P (1001, 0) },
    { "overflow, clock ahead",   P (1000, 0xFFFF), 1002, P (1002, 0) },
    { "after borrowing",         P (1001, 0),      1000, P (1001, 1) },
    /* The largest stamp saturates (year 10889). */
    { "saturated",               G_MAXUINT64,      1000, G_MAXUINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamHlc got = payam_hlc_tick (cases[i].last, cases[i].now_ms);

      if (got != cases[i].expected)
        fail_msg ("%s: got %" G_GINT64_MODIFIER "x, expected %" G_GINT64_MODIFIER "x",
                  cases[i].what, got, cases[i].expected);
    }
}

static void
test_tick_sequence (void **state)
{
  /* A clock that stands still, goes back, then jumps: every stamp strictly grows. */
  static const gint64 clock_ms[] = { 5000, 5000, 5000, 4000, 4000, 4999, 5000, 5001, 9000, 100, 9000 };
  static const PayamHlc expected[] = {
    P (5000, 0), P (5000, 1), P (5000, 2), P (5000, 3), P (5000, 4), P (5000, 5), P (5000, 6),
    P (5001, 0), P (9000, 0), P (9000, 1), P (9000, 2),
  };
  PayamHlc last = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (clock_ms) == G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (clock_ms); i++)
    {
      PayamHlc next = payam_hlc_tick (last, clock_ms[i]);

      assert_int_equal (next, expected[i]);
      assert_true (next > last);
      last = next;
    }
}

static void
test_receive (void **state)
{
  static const struct {
    const char *what;
    PayamHlc    last;
    PayamHlc    remote;
    gint64      now_ms;
    PayamHlc    expected;
  } cases[] = {
    { "remote ahead",              P (1000, 3), P (2000, 7), 1500, P (2000, 8) },
    { "remote behind",             P (1000, 3), P (500, 9),   900, P (1000, 4) },
    { "remote behind, clock on",   P (1000, 3), P (500, 9),  1200, P (1200, 0) },
    { "same ms, remote counter up", P (1000, 3), P (1000, 7), 1000, P (1000, 8) },
    { "same ms, local counter up", P (1000, 9), P (1000, 2), 1000, P (1000, 10) },
    { "same stamp",                P (1000, 4), P (1000, 4),  999, P (1000, 5) },
    { "clock ahead of both",       P (1000, 3), P (1200, 2), 3000, P (3000, 0) },
    { "clock equals remote ms",    P (1000, 3), P (1200, 2), 1200, P (1200, 3) },
    { "clock equals local ms",     P (1200, 3), P (1000, 2), 1200, P (1200, 4) },
    { "first contact",             0,           P (700, 1),     0, P (700, 2) },
    { "remote counter overflow",   P (900, 0),  P (1000, 0xFFFF), 950, P (1001, 0) },
    { "local counter overflow",    P (1000, 0xFFFF), P (1000, 1), 1000, P (1001, 0) },
    { "overflow, clock later",     P (1000, 0xFFFF), P (10, 1), 1005, P (1005, 0) },
    { "saturated remote",          P (1000, 0), G_MAXUINT64, 1000, G_MAXUINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamHlc got = payam_hlc_receive (cases[i].last, cases[i].remote, cases[i].now_ms);

      if (got != cases[i].expected)
        fail_msg ("%s: got %" G_GINT64_MODIFIER "x, expected %" G_GINT64_MODIFIER "x",
                  cases[i].what, got, cases[i].expected);
    }
}

static void
test_receive_merge_property (void **state)
{
  /* Whatever the three inputs, the result is > both stamps and not behind the clock. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (137);

  for (guint i = 0; i < 10000; i++)
    {
      gint64 base = 1700000000000 + g_rand_int_range (rand, 0, 100000);
      PayamHlc last = P (base + g_rand_int_range (rand, -50, 50), g_rand_int_range (rand, 0, 0x10000));
      PayamHlc remote = P (base + g_rand_int_range (rand, -50, 50), g_rand_int_range (rand, 0, 0x10000));
      gint64 now_ms = base + g_rand_int_range (rand, -50, 50);
      PayamHlc got = payam_hlc_receive (last, remote, now_ms);

      assert_true (got > last);
      assert_true (got > remote);
      assert_true (payam_hlc_wall_ms (got) >= now_ms);
      /* Minimal: one more than the larger input, or the clock with counter 0. */
      assert_true (got == MAX (last, remote) + 1 || got == P (now_ms, 0));
    }
}

static int
sign (int value)
{
  return (value > 0) - (value < 0);
}

static void
test_compare (void **state)
{
  static const struct {
    PayamHlc    a;
    const char *device_a;
    PayamHlc    b;
    const char *device_b;
    int         expected;
  } cases[] = {
    { P (1, 0), "zz", P (2, 0), "aa", -1 },
    { P (2, 0), "aa", P (1, 0), "zz",  1 },
    { P (1, 1), NULL, P (1, 2), NULL, -1 },
    { P (1, 0xFFFF), "a", P (2, 0), "a", -1 },
    { P (5, 5), "device-a", P (5, 5), "device-b", -1 },
    { P (5, 5), "device-b", P (5, 5), "device-a",  1 },
    { P (5, 5), "device-a", P (5, 5), "device-a",  0 },
    { P (5, 5), NULL, P (5, 5), "device-a", -1 },
    { P (5, 5), "device-a", P (5, 5), NULL,  1 },
    { P (5, 5), NULL, P (5, 5), "",  -1 },
    { P (5, 5), NULL, P (5, 5), NULL,  0 },
    { P (5, 5), "ab", P (5, 5), "abc", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int got = payam_hlc_compare (cases[i].a, cases[i].device_a, cases[i].b, cases[i].device_b);
      int back = payam_hlc_compare (cases[i].b, cases[i].device_b, cases[i].a, cases[i].device_a);

      assert_int_equal (sign (got), cases[i].expected);
      assert_int_equal (sign (back), -cases[i].expected);
    }
}

static void
test_text (void **state)
{
  static const struct {
    PayamHlc    hlc;
    const char *text;
  } cases[] = {
    { 0, "000000000000-0000" },
    { P (0x018c3f2a1b2c, 1), "018c3f2a1b2c-0001" },
    { P (1732880000000, 0xabcd), "019377b26400-abcd" },
    { P (WALL_MAX, 0xFFFF), "ffffffffffff-ffff" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = payam_hlc_to_string (cases[i].hlc);
      PayamHlc back = 0;

      assert_string_equal (text, cases[i].text);
      assert_true (payam_hlc_parse (text, &back));
      assert_int_equal (back, cases[i].hlc);
    }
}

static void
test_parse_strict (void **state)
{
  static const char * const bad[] = {
    "",
    "0",
    "018c3f2a1b2c",
    "018c3f2a1b2c-",
    "018c3f2a1b2c-001",
    "018c3f2a1b2c-00001",
    "0018c3f2a1b2c-0001",
    "018C3F2A1B2C-0001",
    "018c3f2a1b2c-000A",
    "018c3f2a1b2c_0001",
    "018c3f2a1b2c00001",
    "018c3f2a1b2-c0001",
    " 018c3f2a1b2c-0001",
    "018c3f2a1b2c-0001 ",
    "018c3f2a1b2c-0001\n",
    "018c3f2a1b2g-0001",
    "-18c3f2a1b2c-0001",
    "018c3f2a1b2c-+001",
    "0x8c3f2a1b2c-0001",
    "۰۱۸c3f2a1b2c-0001",
  };
  PayamHlc out = 42;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (payam_hlc_parse (bad[i], &out))
        fail_msg ("accepted \"%s\"", bad[i]);
      assert_int_equal (out, 42);
    }

  assert_false (payam_hlc_parse (NULL, &out));
  assert_int_equal (out, 42);
}

static void
test_text_sorts_like_stamps (void **state)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);

  for (guint i = 0; i < 10000; i++)
    {
      /* Mix small and large values so that every hex width matters. */
      guint shift = g_rand_int_range (rand, 0, 48);
      PayamHlc a = P ((gint64) (g_rand_double (rand) * (double) (G_GINT64_CONSTANT (1) << shift)),
                      g_rand_int_range (rand, 0, 0x10000));
      PayamHlc b = P ((gint64) (g_rand_double (rand) * (double) (G_GINT64_CONSTANT (1) << shift)),
                      g_rand_int_range (rand, 0, 0x10000));
      g_autofree char *ta = payam_hlc_to_string (a);
      g_autofree char *tb = payam_hlc_to_string (b);

      assert_int_equal (strlen (ta), 17);
      assert_int_equal (sign (strcmp (ta, tb)), a < b ? -1 : (a > b ? 1 : 0));
    }
}

/* A device's clock walks randomly (stands still, steps back, jumps) while it ticks and
 * receives stamps from peers whose clocks are skewed; every stamp it issues must be
 * strictly greater than the previous one and than every stamp it received. */
static void
test_random_walk (void **state)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20141201);
  gint64 clock_ms = 1732880000000;
  PayamHlc last = 0;
  g_autofree char *last_text = g_strdup ("");

  for (guint step = 0; step < 10000; step++)
    {
      guint move = g_rand_int_range (rand, 0, 10);
      PayamHlc next;
      g_autofree char *text = NULL;

      if (move < 3)
        ;                                              /* stands still */
      else if (move < 6)
        clock_ms += g_rand_int_range (rand, 1, 20);    /* runs */
      else if (move < 8)
        clock_ms -= g_rand_int_range (rand, 1, 5000);  /* steps back */
      else if (move < 9)
        clock_ms += g_rand_int_range (rand, 1, 3600000); /* jumps ahead */

      if (g_rand_boolean (rand))
        {
          next = payam_hlc_tick (last, clock_ms);
        }
      else
        {
          gint64 skew = g_rand_int_range (rand, -600000, 600000);
          PayamHlc remote = P (clock_ms + skew, g_rand_int_range (rand, 0, 0x10000));

          next = payam_hlc_receive (last, remote, clock_ms);
          assert_true (next > remote);
        }

      assert_true (next > last);
      assert_true (payam_hlc_wall_ms (next) >= clock_ms);

      text = payam_hlc_to_string (next);
      assert_true (strcmp (text, last_text) > 0);

      last = next;
      g_free (last_text);
      last_text = g_steal_pointer (&text);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pack),
    cmocka_unit_test (test_tick),
    cmocka_unit_test (test_tick_sequence),
    cmocka_unit_test (test_receive),
    cmocka_unit_test (test_receive_merge_property),
    cmocka_unit_test (test_compare),
    cmocka_unit_test (test_text),
    cmocka_unit_test (test_parse_strict),
    cmocka_unit_test (test_text_sorts_like_stamps),
    cmocka_unit_test (test_random_walk),
  };

  return cmocka_run_group_tests_name ("hlc", tests, NULL, NULL);
}
