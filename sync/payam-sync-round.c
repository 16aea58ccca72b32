/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One full sync round of a device over the pinned client: push, blobs, pull, downloads. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <libsoup/soup.h>

#include "payam-store-blobs.h"
#include "payam-store-devices.h"
#include "payam-store-sync.h"
#include "payam-sync-round.h"

#define PULL_LIMIT 500

gboolean
payam_sync_ack_response (PayamStore                  *store,
                         const PayamSyncPushResponse *response,
                         GError                     **error)
{
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PayamSyncOpResult));

  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  /* Only refusals matter to the store; their reasons are borrowed from @response. */
  for (guint i = 0; i < response->results->len; i++)
    {
      const PayamSyncOpOutcome *outcome = g_ptr_array_index (response->results, i);
      PayamSyncOpResult r = { outcome->device_seq, PAYAM_SYNC_RESULT_REJECTED, outcome->reason };

      if (outcome->outcome == PAYAM_SYNC_OUTCOME_REJECTED)
        g_array_append_val (results, r);
    }
  return payam_store_sync_ack (store, response->acked_through, results, response->server_hlc,
                               error);
}

/* Push the outbox in batches; each reply is acknowledged (outbox rows deleted) before the
 * next batch goes, so a cut loses nothing and resends at most one batch. */
static gboolean
push_outbox (PayamSyncClient       *client,
             PayamStore            *store,
             PayamSyncRoundCounts  *counts,
             GCancellable          *cancellable,
             GError               **error)
{
  gboolean rebased_once = FALSE;
  gboolean renumbered = FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (store, 0, PAYAM_SYNC_ROUND_BATCH,
                                                               error);
      g_autoptr(PayamSyncPushResponse) response = NULL;
      g_autofree char *batch_id = NULL;
      PayamSyncPushRequest request = { NULL, };
      g_autoptr(GError) local_error = NULL;
      gboolean rebased = FALSE;
      guint status = 0;
      gint64 last_seq;

      if (ops == NULL)
        return FALSE;
      if (ops->len == 0)
        return TRUE;
      last_seq = ((PayamOp *) g_ptr_array_index (ops, ops->len - 1))->device_seq;
      batch_id = g_uuid_string_random ();
      request.device_id = (char *) payam_store_get_device_id (store);
      request.batch_id = batch_id;
      request.ops = ops;
      response = payam_sync_client_push (client, &request, &status, cancellable, &local_error);
      if (response == NULL)
        {
          PayamHlc server_hlc = 0;
          gint64 held = 0;
          gint64 expected = payam_sync_client_get_expected_seq (client, &server_hlc, &held);

          /* The server and this device disagree about its seqs: the server lost commits it
           * had acknowledged (a gap), or this device lost some or was restored from a
           * backup (a reused seq). Nothing in the outbox was accepted: renumber it from
           * what the server expects and push again (once a round). */
          if (status == SOUP_STATUS_CONFLICT && expected > 0 && !renumbered &&
              expected != ((PayamOp *) g_ptr_array_index (ops, 0))->device_seq)
            {
              g_debug ("renumbering the outbox from %" G_GINT64_FORMAT ": %s", expected,
                       local_error->message);
              if (!payam_store_sync_ack (store, held, NULL, 0, error) ||
                  !payam_store_sync_renumber (store, expected, server_hlc, error))
                return FALSE;
              renumbered = TRUE;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!payam_sync_ack_response (store, response, error) ||
          !payam_store_sync_observe_server_time (store, response->server_time,
                                                 response->acked_through, &rebased,
                                                 error))
        return FALSE;
      for (guint i = 0; i < response->results->len; i++)
        {
          const PayamSyncOpOutcome *outcome = g_ptr_array_index (response->results, i);

          if (outcome->device_seq > response->acked_through)
            continue;
          counts->ops_pushed++;
          if (outcome->outcome == PAYAM_SYNC_OUTCOME_REJECTED)
            counts->ops_rejected++;
        }
      /* The server keeps every op it acknowledges; one it did not take stays for the next
       * round rather than looping here, unless it was refused as stamped ahead and is now
       * stamped again (once a round). */
      if (response->acked_through < last_seq)
        {
          if (!rebased || rebased_once)
            return TRUE;
          rebased_once = TRUE;
        }
    }
}

/* Upload every local photo the server has not confirmed; the server's HEAD says how much it
 * holds, so a photo sent in an earlier, cut round goes on where it stopped. */
static gboolean
send_blobs (PayamSyncClient       *client,
            PayamStore            *store,
            PayamSyncRoundCounts  *counts,
            PayamSyncProgressFunc  progress,
            gpointer               progress_data,
            GCancellable          *cancellable,
            GError               **error)
{
  g_auto(GStrv) unsent = payam_store_blob_list_unsent (store, error);
  guint64 total = 0;
  guint64 done = 0;

  if (unsent == NULL)
    return FALSE;
  /* The sizes first, so progress is a share of the bytes, not of the photos. */
  for (guint i = 0; progress != NULL && unsent[i] != NULL; i++)
    {
      PayamBlobState state;
      gint64 size = 0;
      gint64 length = 0;

      if (!payam_store_blob_get_state (store, unsent[i], &state, &size, &length, error))
        return FALSE;
      total += (guint64) MAX (size, 0);
    }
  if (progress != NULL && total > 0)
    progress (0, total, progress_data);
  for (guint i = 0; unsent[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = payam_store_dup_photo_bytes (store, unsent[i], FALSE, error);
      g_autoptr(GError) local_error = NULL;
      gsize sent = 0;

      if (bytes == NULL)
        return FALSE;
      done += g_bytes_get_size (bytes);
      if (!payam_sync_client_upload_blob (client, unsent[i], bytes, PAYAM_BLOB_CHUNK_SIZE, &sent,
                                          cancellable, &local_error))
        {
          /* A photo whose record the server refused is not wanted there: try again next
           * round, but let the rest go. Reaching the server at all is another matter. */
          if (g_error_matches (local_error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_REFUSED))
            {
              counts->blobs_skipped++;
              if (progress != NULL)
                progress (MIN (done, total), total, progress_data);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (sent > 0)
        counts->blobs_sent++;
      if (!payam_store_blob_mark_sent (store, unsent[i], error))
        return FALSE;
      if (progress != NULL)
        progress (MIN (done, total), total, progress_data);
    }
  return TRUE;
}

static gboolean
pull_pages (PayamSyncClient       *client,
            PayamStore            *store,
            PayamSyncRoundCounts  *counts,
            GCancellable          *cancellable,
            GError               **error)
{
  gint64 cursor = payam_store_sync_get_cursor (store, error);
  gboolean more = TRUE;

  if (cursor < 0)
    return FALSE;
  while (more)
    {
      g_autoptr(PayamSyncPullReply) page = payam_sync_client_pull (client, cursor, PULL_LIMIT,
                                                                   cancellable, error);

      if (page == NULL)
        return FALSE;
      if (!payam_store_sync_apply_page (store, page->changes, page->next, page->server_hlc,
                                        error) ||
          !payam_store_sync_observe_server_time (store, page->server_time, -1, NULL, error))
        return FALSE;
      counts->ops_pulled += page->changes->len;
      /* A server that answers "more" without moving on would loop for ever. */
      more = page->more && payam_sync_cursor_compare (page->next, cursor) > 0;
      cursor = page->next;
    }
  return TRUE;
}

/* Fetch the bytes of pulled photos; one this device may not read (403) or the server does
 * not hold yet (404: its device has not uploaded it) waits for a later round. */
static gboolean
fetch_blobs (PayamSyncClient       *client,
             PayamStore            *store,
             PayamSyncRoundCounts  *counts,
             GCancellable          *cancellable,
             GError               **error)
{
  g_auto(GStrv) missing = payam_store_blob_list_missing (store, error);

  if (missing == NULL)
    return FALSE;
  for (guint i = 0; missing[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      guint status = 0;
      g_autoptr(GBytes) bytes = payam_sync_client_download_blob (client, missing[i], &status,
                                                                 cancellable, &local_error);

      if (bytes == NULL)
        {
          if (status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND)
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!payam_store_blob_set_bytes (store, missing[i], bytes, error))
        return FALSE;
      counts->blobs_received++;
    }
  return TRUE;
}

gboolean
payam_sync_round (PayamSyncClient       *client,
                  PayamStore            *store,
                  PayamSyncRoundCounts  *counts,
                  GCancellable          *cancellable,
                  GError               **error)
{
  return payam_sync_round_with_progress (client, store, counts, NULL, NULL, cancellable,
                                         error);
}

gboolean
payam_sync_round_with_progress (PayamSyncClient       *client,
                                PayamStore            *store,
                                PayamSyncRoundCounts  *counts,
                                PayamSyncProgressFunc  progress,
                                gpointer               progress_data,
                                GCancellable          *cancellable,
                                GError               **error)
{
  g_autoptr(PayamEnrolment) enrolment = NULL;

  g_return_val_if_fail (PAYAM_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  *counts = (PayamSyncRoundCounts) { 0, };
  enrolment = payam_store_get_enrolment (store, error);
  if (enrolment == NULL)
    return FALSE;
  return push_outbox (client, store, counts, cancellable, error) &&
         send_blobs (client, store, counts, progress, progress_data, cancellable, error) &&
         pull_pages (client, store, counts, cancellable, error) &&
         (enrolment->role == PAYAM_ROLE_KIOSK ||
          fetch_blobs (client, store, counts, cancellable, error));
}
