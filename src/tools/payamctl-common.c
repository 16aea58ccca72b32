/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What payamctl's commands share: error and usage messages, options, the store, numbers. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "payam-format.h"
#include "payamctl-private.h"

void
ctl_print_error (const char *message)
{
  g_printerr ("%s\n", message);
}

void
ctl_print_usage_error (const char *command,
                       const char *message)
{
  g_printerr ("%s\n", message);
  if (command != NULL)
    /* Translators: %s is a command name such as "import". */
    g_printerr (_("Run “payamctl %s --help” to see how to use it.\n"), command);
  else
    g_printerr (_("Run “payamctl --help” to see the commands.\n"));
}

/* Parse the command's own options with @context (help handled here, so that --help
 * returns from the command instead of exiting the process). Returns TRUE when the command
 * should go on; otherwise *exit_status says how to end. */
gboolean
ctl_parse_options (GOptionContext *context,
                   CtlContext     *ctx,
                   int            *exit_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("payamctl ", ctx->argv[0], NULL);
  gboolean help = FALSE;
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    { NULL }
  };

  /* The usage line reads "payamctl import [OPTION…] FILE.jsonl|-". */
  g_set_prgname (prgname);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, help_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &ctx->argc, &ctx->argv, &error))
    {
      ctl_print_usage_error (ctx->argv[0], error->message);
      *exit_status = CTL_EXIT_USAGE;
      return FALSE;
    }

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      *exit_status = CTL_EXIT_OK;
      return FALSE;
    }

  return TRUE;
}

PayamStore *
ctl_open_store (CtlContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autofree char *display = g_filename_display_name (ctx->db_path);

  if (!g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = NULL;

      /* Translators: both %s are the database file name. */
      message = g_strdup_printf (_("There is no database at %s. "
                                   "Create it with “payamctl --db %s init”."),
                                 display, display);
      ctl_print_error (message);
      return NULL;
    }

  store = payam_store_open (ctx->db_path, &error);
  if (store == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the database file name, then the reason. */
      message = g_strdup_printf (_("Cannot open the database %s: %s"), display, error->message);
      ctl_print_error (message);
      return NULL;
    }

  payam_store_set_actor (store, "payamctl");
  return g_steal_pointer (&store);
}

gboolean
ctl_persian_digits (void)
{
  /* Translators: how payamctl writes numbers for people. Translate as "persian-digits"
     (exactly these ASCII words) to get Persian digits; anything else keeps ASCII digits. */
  return g_str_equal (C_("digits", "ascii-digits"), "persian-digits");
}

char *
ctl_format_number (gint64 value)
{
  if (ctl_persian_digits ())
    return payam_format_number (value);
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

char *
ctl_format_integer (gint64 value)
{
  if (ctl_persian_digits ())
    return payam_format_integer (value);
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

char *
ctl_format_utc (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    return NULL;

  utc = g_date_time_to_utc (when);
  return g_date_time_format_iso8601 (utc);
}
