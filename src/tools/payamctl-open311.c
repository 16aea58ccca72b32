/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl open311-key add|list|revoke: the api keys outside systems file requests with
 * through the office server's Open311 interface (issue #15). */
#define G_LOG_DOMAIN "payamctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-open311.h"
#include "payamctl-private.h"

static int
key_add (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  int status;

  context = g_option_context_new (_("NAME"));
  g_option_context_set_summary (context, _("Issue an api key to the outside system NAME. The "
                                           "key is printed once; only its hash is kept."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error ("open311-key add", _("Give one name for the key."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  key = payam_store_add_open311_key (store, ctx->argv[1], &error);
  if (key == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  g_print ("%s\n", key);
  return CTL_EXIT_OK;
}

static int
key_list (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the Open311 api keys: name, when issued and "
                                           "whether in use or revoked."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  keys = payam_store_list_open311_keys (store, &error);
  if (keys == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  if (keys->len == 0)
    g_print ("%s\n", _("No api key yet."));
  for (guint i = 0; i < keys->len; i++)
    {
      const PayamOpen311Key *key = g_ptr_array_index (keys, i);

      g_print ("%s\t%s\t%s\n", key->name, key->created_at,
               key->revoked ? _("revoked") : _("in use"));
    }
  return CTL_EXIT_OK;
}

static int
key_revoke (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = g_option_context_new (_("NAME"));
  g_option_context_set_summary (context, _("Revoke the api key of NAME: requests filed with it "
                                           "are refused from now on."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error ("open311-key revoke", _("Give one name for the key."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (!payam_store_revoke_open311_key (store, ctx->argv[1], &error))
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}

/* open311-key add|list|revoke: the sub-command gets the arguments after "open311-key". */
int
ctl_cmd_open311_key (CtlContext *ctx)
{
  CtlContext sub = { ctx->db_path, ctx->argc - 1, ctx->argv + 1 };

  if (ctx->argc >= 2 && (g_str_equal (ctx->argv[1], "--help") ||
                         g_str_equal (ctx->argv[1], "-h")))
    {
      g_print ("%s\n", _("payamctl open311-key add NAME\npayamctl open311-key list\n"
                         "payamctl open311-key revoke NAME"));
      return CTL_EXIT_OK;
    }
  if (ctx->argc >= 2 && g_str_equal (ctx->argv[1], "add"))
    return key_add (&sub);
  if (ctx->argc >= 2 && g_str_equal (ctx->argv[1], "list"))
    return key_list (&sub);
  if (ctx->argc >= 2 && g_str_equal (ctx->argv[1], "revoke"))
    return key_revoke (&sub);
  ctl_print_usage_error ("open311-key", _("Give add, list or revoke."));
  return CTL_EXIT_USAGE;
}
