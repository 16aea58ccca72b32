/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AddressSanitizer defaults for a test that starts the kiosk camera (GStreamer). */
#pragma once

/* Whole stacks for allocations, so that tests/lsan.supp can name GLib's constructor
 * (_dl_init) for the quark block that GStreamer makes GLib replace and keep. Only in the
 * tests that start a camera: slow unwinding would make the other UI tests several times
 * slower. Ignored in builds without AddressSanitizer. Include once per test program. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
