/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: every decoder of the sync wire codec; the first byte picks the decoder, the
 * rest is the message. A decoded message is encoded again, which must not fail. */
#include "config.h"

#include "payam-fuzz.h"
#include "payam-sync-codec.h"

/* A message the decoder accepted always encodes. */
static void
encoded (char *text)
{
  g_assert (text != NULL && text[0] == '{');
  g_free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data + 1;
  gsize length;

  if (size < 1)
    return 0;
  length = size - 1;
  switch (data[0] % 8)
    {
    case 0:
      {
        g_autoptr(PayamSyncEnrolRequest) msg = payam_sync_decode_enrol_request (text, length,
                                                                                NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_enrol_request (msg));
        break;
      }
    case 1:
      {
        g_autoptr(PayamSyncEnrolReply) msg = payam_sync_decode_enrol_reply (text, length, NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_enrol_reply (msg));
        break;
      }
    case 2:
      {
        g_autoptr(PayamSyncPushRequest) msg = payam_sync_decode_push_request (text, length,
                                                                              NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_push_request (msg));
        break;
      }
    case 3:
      {
        g_autoptr(PayamSyncPushResponse) msg = payam_sync_decode_push_response (text, length,
                                                                                NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_push_response (msg));
        break;
      }
    case 4:
      {
        g_autoptr(PayamSyncPullReply) msg = payam_sync_decode_pull_reply (text, length, NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_pull_reply (msg));
        break;
      }
    case 5:
      {
        g_autoptr(PayamSyncErrorBody) msg = payam_sync_decode_error (text, length, NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_error (msg->error, msg->message));
        break;
      }
    case 6:
      {
        g_autoptr(PayamSyncTrackReply) msg = payam_sync_decode_track_reply (text, length, NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_track_reply (msg));
        break;
      }
    case 7:
    default:
      {
        g_autoptr(PayamSyncWhoami) msg = payam_sync_decode_whoami (text, length, NULL);
        if (msg != NULL)
          encoded (payam_sync_encode_whoami (msg));
        break;
      }
    }
  return 0;
}
