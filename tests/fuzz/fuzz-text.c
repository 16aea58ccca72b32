/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: Persian text normalisation on any bytes (invalid UTF-8 included): the
 * result is valid UTF-8, and normalising it again changes nothing. */
#include "config.h"

#include "payam-fuzz.h"
#include "payam-text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = payam_text_normalize (text);
  g_autofree char *again = payam_text_normalize (normal);
  g_autofree char *compact = payam_text_normalize_compact (text);

  g_assert (g_utf8_validate (normal, -1, NULL));
  g_assert (g_utf8_validate (compact, -1, NULL));
  g_assert_cmpstr (normal, ==, again);
  return 0;
}
