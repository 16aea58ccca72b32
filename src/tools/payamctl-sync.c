/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl sync: one full sync round with the office server (push, photos, pull). */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-sync-round.h"
#include "payamctl-private.h"

static void
print_counts (const PayamSyncRoundCounts *counts)
{
  g_autofree char *pushed = ctl_format_integer (counts->ops_pushed);
  g_autofree char *rejected = ctl_format_integer (counts->ops_rejected);
  g_autofree char *sent = ctl_format_integer (counts->blobs_sent);
  g_autofree char *skipped = ctl_format_integer (counts->blobs_skipped);
  g_autofree char *pulled = ctl_format_integer (counts->ops_pulled);
  g_autofree char *received = ctl_format_integer (counts->blobs_received);

  /* Translators: %s is a number of changes (ops) sent to the server. */
  g_print (_("Changes sent: %s\n"), pushed);
  if (counts->ops_rejected > 0)
    /* Translators: %s is a number of sent changes the server refused. */
    g_print (_("Changes the server refused: %s\n"), rejected);
  /* Translators: %s is a number of photos uploaded. */
  g_print (_("Photos sent: %s\n"), sent);
  if (counts->blobs_skipped > 0)
    /* Translators: %s is a number of photos the server did not take this time. */
    g_print (_("Photos the server did not take: %s\n"), skipped);
  /* Translators: %s is a number of changes received from the server. */
  g_print (_("Changes received: %s\n"), pulled);
  /* Translators: %s is a number of photos downloaded. */
  g_print (_("Photos received: %s\n"), received);
}

int
ctl_cmd_sync (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  PayamSyncRoundCounts counts = { 0, };
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Run one full sync round with the office server this "
                                  "device is enrolled with: send its changes and photos, "
                                  "then receive everything new. Exits with status 1 and "
                                  "the reason when the round cannot finish."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("sync", _("This command takes no arguments."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  client = payam_sync_client_new_for_store (store, &error);
  if (client == NULL || !payam_sync_round (client, store, &counts, NULL, &error))
    {
      g_autofree char *message = NULL;

      print_counts (&counts);
      /* Translators: %s says why (server unreachable, certificate, revoked device, …). */
      message = g_strdup_printf (_("Sync did not finish: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }
  print_counts (&counts);
  return CTL_EXIT_OK;
}
