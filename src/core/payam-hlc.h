/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hybrid logical clock (Kulkarni et al. 2014): pure functions over packed 64-bit stamps. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 48-bit milliseconds since the Unix epoch in the high bits, 16-bit counter below. */
typedef guint64 PayamHlc;

#define PAYAM_HLC_COUNTER_MAX 0xFFFF

PayamHlc  payam_hlc_pack      (gint64    wall_ms,
                               guint     counter);
gint64    payam_hlc_wall_ms   (PayamHlc  hlc);
guint     payam_hlc_counter   (PayamHlc  hlc);

/* Stamp for a local event or a send, given the last stamp this device issued or saw and
 * the physical clock @now_ms. Always > @last. When the counter would pass
 * PAYAM_HLC_COUNTER_MAX, the ms part advances by one and the counter restarts at 0 (the
 * stamp borrows a millisecond from the future). Saturates at the largest stamp. */
PayamHlc  payam_hlc_tick      (PayamHlc  last,
                               gint64    now_ms);

/* Stamp after receiving @remote. Always > @last and > @remote. */
PayamHlc  payam_hlc_receive   (PayamHlc  last,
                               PayamHlc  remote,
                               gint64    now_ms);

/* Total order of (stamp, device id): <0, 0, >0 like strcmp. */
int       payam_hlc_compare   (PayamHlc    a,
                               const char *device_a,
                               PayamHlc    b,
                               const char *device_b);

/* Fixed-width text form "018c3f2a1b2c-0001" (12 + 4 lower-case hex digits) that sorts like
 * the stamp, and back (strict: lower case, exact width). */
char     *payam_hlc_to_string (PayamHlc    hlc);
gboolean  payam_hlc_parse     (const char *text,
                               PayamHlc   *out);

G_END_DECLS
