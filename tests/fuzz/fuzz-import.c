/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: payamctl's JSON Lines import of the input into a store in memory, in one
 * transaction as the command does (every line registered, or an error for a line), then
 * rolled back so that every input meets the same empty store. */
#include "config.h"

#include <stdio.h>

#include "payam-fuzz.h"
#include "payamctl-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static PayamStore *store;
  g_autoptr(GError) error = NULL;
  gboolean store_made = FALSE;
  FILE *input;
  gint64 imported;

  if (size == 0)
    return 0;
  /* fmemopen reads the bytes in place; the import only reads. */
  input = fmemopen ((void *) data, size, "r");
  g_assert_nonnull (input);
  if (store == NULL)
    store = payam_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (payam_store_begin (store, &error));
  imported = ctl_import_lines (store, input, &store_made);
  fclose (input);
  g_assert_true (imported >= -1);
  payam_store_rollback (store);
  return 0;
}
