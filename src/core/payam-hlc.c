/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hybrid logical clock (Kulkarni et al. 2014) over packed 48-bit ms + 16-bit counter stamps. */
#define G_LOG_DOMAIN "payam-hlc"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "payam-hlc.h"

#define WALL_BITS   48
#define WALL_MAX    ((G_GINT64_CONSTANT (1) << WALL_BITS) - 1)
#define HLC_MAX     G_MAXUINT64

/* The wall part clamped into what 48 bits hold: a clock before 1970 counts as 0, one past
 * the year 10889 as the largest value. Neither happens with a sane clock; clamping keeps
 * the packing total instead of wrapping into nonsense. */
static guint64
clamp_wall (gint64 wall_ms)
{
  if (wall_ms < 0)
    return 0;
  if (wall_ms > WALL_MAX)
    return (guint64) WALL_MAX;
  return (guint64) wall_ms;
}

/**
 * payam_hlc_pack:
 * @wall_ms: milliseconds since the Unix epoch
 * @counter: logical counter, 0 … %PAYAM_HLC_COUNTER_MAX
 *
 * Packs a stamp. @wall_ms is clamped to 0 … 2^48 − 1 and @counter to
 * %PAYAM_HLC_COUNTER_MAX, so the result is always a well-formed stamp.
 */
PayamHlc
payam_hlc_pack (gint64 wall_ms,
                guint  counter)
{
  if (counter > PAYAM_HLC_COUNTER_MAX)
    counter = PAYAM_HLC_COUNTER_MAX;

  return (clamp_wall (wall_ms) << 16) | counter;
}

/* The physical time part of @hlc, in Unix milliseconds. */
gint64
payam_hlc_wall_ms (PayamHlc hlc)
{
  return (gint64) (hlc >> 16);
}

/* The logical counter part of @hlc. */
guint
payam_hlc_counter (PayamHlc hlc)
{
  return (guint) (hlc & PAYAM_HLC_COUNTER_MAX);
}

/* The stamp right after @hlc. Because the counter sits in the low 16 bits, adding one
 * implements the overflow rule for free: (l, 0xFFFF) + 1 = (l + 1, 0), i.e. when the
 * counter would pass 0xFFFF the stamp borrows one millisecond from the future and the
 * counter restarts at 0. Saturates at the largest stamp (year 10889). */
static PayamHlc
successor (PayamHlc hlc)
{
  return hlc == HLC_MAX ? HLC_MAX : hlc + 1;
}

/**
 * payam_hlc_tick:
 * @last: the last stamp this device issued or saw (0 when none)
 * @now_ms: the physical clock, Unix milliseconds
 *
 * Kulkarni's send/local rule: l = max (l, pt); c = (l unchanged) ? c + 1 : 0. With packed
 * stamps that is max (pack (pt, 0), last + 1), which also covers counter overflow (see
 * successor()). The result is > @last, whatever the wall clock does (stands still, goes
 * backwards, jumps), except at the saturated largest stamp.
 */
PayamHlc
payam_hlc_tick (PayamHlc last,
                gint64   now_ms)
{
  PayamHlc physical = payam_hlc_pack (now_ms, 0);
  PayamHlc next = successor (last);

  return MAX (physical, next);
}

/**
 * payam_hlc_receive:
 * @last: the last stamp this device issued or saw
 * @remote: the stamp carried by the received message
 * @now_ms: the physical clock, Unix milliseconds
 *
 * Kulkarni's receive rule: l = max (l, lm, pt), and c is max (c, cm) + 1, c + 1, cm + 1
 * or 0 depending on which of the three gave l. Packed, all four cases are
 * max (pack (pt, 0), max (last, remote) + 1). The result is > @last and > @remote.
 * Rejecting remote stamps too far ahead of @now_ms is the caller's job (sync, DESIGN §6).
 */
PayamHlc
payam_hlc_receive (PayamHlc last,
                   PayamHlc remote,
                   gint64   now_ms)
{
  PayamHlc physical = payam_hlc_pack (now_ms, 0);
  PayamHlc next = successor (MAX (last, remote));

  return MAX (physical, next);
}

/**
 * payam_hlc_compare:
 * @a: a stamp
 * @device_a: (nullable): the device that made @a
 * @b: a stamp
 * @device_b: (nullable): the device that made @b
 *
 * Total order used by last-writer-wins: first the stamp, then the device id with
 * strcmp(), a NULL device sorting before every id. Returns <0, 0 or >0.
 */
int
payam_hlc_compare (PayamHlc    a,
                   const char *device_a,
                   PayamHlc    b,
                   const char *device_b)
{
  int cmp;

  if (a != b)
    return a < b ? -1 : 1;

  if (device_a == NULL || device_b == NULL)
    return (device_a != NULL) - (device_b != NULL);

  cmp = strcmp (device_a, device_b);
  return (cmp > 0) - (cmp < 0);
}

/**
 * payam_hlc_to_string:
 * @hlc: a stamp
 *
 * Returns: (transfer full): "018c3f2a1b2c-0001": the wall part as 12 and the counter as
 * 4 lower-case hex digits. Fixed width, so strcmp() on the text orders like the stamps.
 */
char *
payam_hlc_to_string (PayamHlc hlc)
{
  return g_strdup_printf ("%012" G_GINT64_MODIFIER "x-%04x",
                          (guint64) payam_hlc_wall_ms (hlc),
                          payam_hlc_counter (hlc));
}

/* Value of a lower-case hex digit, or -1. Upper case is refused: the text form is
 * canonical, so that equal stamps always have equal strings. */
static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/**
 * payam_hlc_parse:
 * @text: (nullable): text from payam_hlc_to_string()
 * @out: (out): where the stamp goes
 *
 * Strict inverse of payam_hlc_to_string(): exactly 12 lower-case hex digits, '-', 4
 * lower-case hex digits, nothing else. Returns FALSE (leaving @out untouched) otherwise.
 */
gboolean
payam_hlc_parse (const char *text,
                 PayamHlc   *out)
{
  PayamHlc value = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || strlen (text) != 17 || text[12] != '-')
    return FALSE;

  for (guint i = 0; i < 17; i++)
    {
      int digit;

      if (i == 12)
        continue;
      digit = hex_value (text[i]);
      if (digit < 0)
        return FALSE;
      value = (value << 4) | (guint64) digit;
    }

  *out = value;
  return TRUE;
}
