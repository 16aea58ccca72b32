/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the server's push handler after the codec: a push request decoded from the
 * input is applied by payam_store_sync_push, as a kiosk (first byte even) or the office,
 * on a new office store in memory. Whatever the ops, the store must stay consistent. */
#include "config.h"

#include "payam-fuzz.h"
#include "payam-store-sync.h"
#include "payam-sync-codec.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PayamSyncPushRequest) request = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  PayamRole role;

  if (size < 1)
    return 0;
  role = data[0] % 2 == 0 ? PAYAM_ROLE_KIOSK : PAYAM_ROLE_OFFICE;
  request = payam_sync_decode_push_request ((const char *) data + 1, size - 1, NULL);
  if (request == NULL)
    return 0;
  store = payam_store_open (":memory:", &error);
  g_assert_no_error (error);
  if (payam_store_sync_push (store, request->device_id, role, NULL, request->ops,
                             1764410400000, &reply, &error))
    g_assert_nonnull (reply);
  else
    g_assert_nonnull (error);
  return 0;
}
