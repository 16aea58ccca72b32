/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl enrol: enrol this device with the office server using a one-time code. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-sync-client.h"
#include "payamctl-private.h"

int
ctl_cmd_enrol (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamSyncEnrolReply) reply = NULL;
  g_autofree char *code = NULL;
  g_autofree char *prefix = NULL;
  int status;

  context = g_option_context_new (_("https://HOST:PORT CODE"));
  g_option_context_set_summary (context,
                                _("Enrol this device with the office server using a one-time "
                                  "code made there with “payamctl enrol-code”. The server's "
                                  "certificate must match the code."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc < 3)
    {
      ctl_print_usage_error ("enrol", _("Give the server's address and the code."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  /* A code typed in groups without quotes arrives as several arguments. */
  code = g_strjoinv (" ", ctx->argv + 2);
  reply = payam_sync_enrol (store, ctx->argv[1], code, NULL, &error);
  if (reply == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  prefix = ctl_format_integer (reply->prefix);
  /* Translators: a device id, then its role (kiosk, crew, office), then a number. */
  g_print (_("Enrolled: device %s, role %s, tracking-code prefix %s.\n"), reply->device_id,
           reply->role, prefix);
  return CTL_EXIT_OK;
}
