/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: payamctl's JSON Lines import of the input into a new store in memory, in
 * one transaction as the command does: every line registered, or an error for a line. */
#include "config.h"

#include <stdio.h>

#include "payam-fuzz.h"
#include "payamctl-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean store_made = FALSE;
  FILE *input;
  gint64 imported;

  if (size == 0)
    return 0;
  /* fmemopen reads the bytes in place; the import only reads. */
  input = fmemopen ((void *) data, size, "r");
  g_assert_nonnull (input);
  store = payam_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (payam_store_begin (store, &error));
  imported = ctl_import_lines (store, input, &store_made);
  fclose (input);
  if (imported < 0)
    payam_store_rollback (store);
  else
    g_assert_true (payam_store_commit (store, &error));
  return 0;
}
