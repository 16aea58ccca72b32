/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl: the administrator's command line; global options and the command table. */
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

typedef struct {
  const char     *name;
  CtlCommandFunc  func;
  const char     *summary;
} CtlCommand;

static const CtlCommand commands[] = {
  { "init", ctl_cmd_init,
    N_("Create or migrate the database and load the default configuration") },
  { "import", ctl_cmd_import,
    N_("Import requests from a JSON Lines file, all or nothing") },
  { "export", ctl_cmd_export,
    N_("Write every request as JSON Lines or CSV to standard output") },
  { "show", ctl_cmd_show,
    N_("Show one request by its tracking code") },
  { "stats", ctl_cmd_stats,
    N_("Count requests by status and priority, open and overdue work") },
  { "similarity", ctl_cmd_similarity,
    N_("Score pairs of messages read from standard input: same problem or not") },
  { "similar", ctl_cmd_similar,
    N_("Find the stored requests most like a new message") },
  { "enrol-code", ctl_cmd_enrol_code,
    N_("Make a one-time code that enrols a device with this office server") },
  { "devices", ctl_cmd_devices,
    N_("List the devices enrolled with this office server") },
  { "revoke", ctl_cmd_revoke,
    N_("End a device's access to this office server") },
  { "enrol", ctl_cmd_enrol,
    N_("Enrol this device with an office server using a one-time code") },
  { "sync", ctl_cmd_sync,
    N_("Send this device's changes and photos to the office server and receive the new") },
  { "group", ctl_cmd_group,
    N_("Group duplicate messages automatically and list pairs to review") },
  { "groups", ctl_cmd_groups,
    N_("List the duplicate groups") },
  { "merge", ctl_cmd_merge,
    N_("Merge a request or its group into another request's group") },
  { "split", ctl_cmd_split,
    N_("Take a request out of its group") },
  { "lead", ctl_cmd_lead,
    N_("Make a request the lead of its group") },
  { "confirm", ctl_cmd_confirm,
    N_("Confirm a proposed group") },
  { "worksheet", ctl_cmd_worksheet,
    N_("Record work on a group's worksheet, once for every member") },
  { "timeline", ctl_cmd_timeline,
    N_("Show the timeline of a request") },
  { "crew", ctl_cmd_crew,
    N_("Add crews and their members with PINs, and list them") },
  { "assign", ctl_cmd_assign,
    N_("Give the worksheet of a request's group to a crew") },
  { "triage", ctl_cmd_triage,
    N_("Change a message's priority or category, with the reason") },
  { "search", ctl_cmd_search,
    N_("Find messages by tracking code, phone number or words") },
  { "staff", ctl_cmd_staff,
    N_("Add, list or disable office staff accounts") },
  { "reopen", ctl_cmd_reopen,
    N_("Reopen a finished message as a supervisor, with a reason") },
  { "coverage", ctl_cmd_coverage,
    N_("Show who has been told the outcome of their report, and who not yet") },
  { "report", ctl_cmd_report,
    N_("Make the monthly report as PDF for the district's management") },
  { "open311-key", ctl_cmd_open311_key,
    N_("Issue, list or revoke the api keys of the Open311 interface") },
};

/* The database used when --db is not given: $XDG_DATA_HOME/payam/payam.db. */
static char *
ctl_default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "payam", "payam.db", NULL);
}

/* The summary and the command list shown by "payamctl --help". Caller owns the result. */
static char *
ctl_commands_description (void)
{
  GString *text = g_string_new (_("Commands:"));
  g_autofree char *db = ctl_default_db_path ();
  g_autofree char *db_display = g_filename_display_name (db);

  int width = 0;

  /* Command names are ASCII, so bytes are columns. */
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name));
  g_string_append_c (text, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, commands[i].name, _(commands[i].summary));
  g_string_append_c (text, '\n');
  /* Translators: %s is the default database file name. */
  g_string_append_printf (text, _("Without --db the database is %s."), db_display);
  g_string_append_c (text, '\n');
  g_string_append (text, _("Exit status: 0 on success, 1 on failure, 2 on a usage error."));
  return g_string_free (text, FALSE);
}

/* Bind the text domain, parse the global options up to the command name, and run the
 * command with the rest of the arguments. Returns the command's exit status. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *description = NULL;
  const char *localedir;
  gboolean help = FALSE;
  gboolean version = FALSE;
  CtlContext ctx = { 0 };
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The database file"), N_("FILE") },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  localedir = g_getenv ("PAYAM_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("payamctl");

  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Administer a Payam database."));
  description = ctl_commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at the command name: what follows belongs to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ctl_print_usage_error (NULL, error->message);
      return CTL_EXIT_USAGE;
    }

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      return CTL_EXIT_OK;
    }

  if (version)
    {
      g_print ("payamctl %s\n", PACKAGE_VERSION);
      return CTL_EXIT_OK;
    }

  if (argc < 2)
    {
      ctl_print_usage_error (NULL, _("Give a command."));
      return CTL_EXIT_USAGE;
    }

  if (db_path == NULL || db_path[0] == '\0')
    {
      g_free (db_path);
      db_path = ctl_default_db_path ();
    }

  ctx.db_path = db_path;
  ctx.argc = argc - 1;
  ctx.argv = argv + 1;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (&ctx);

  {
    g_autofree char *message = NULL;

    /* Translators: %s is what the user typed as the command. */
    message = g_strdup_printf (_("Unknown command “%s”."), argv[1]);
    ctl_print_usage_error (NULL, message);
  }
  return CTL_EXIT_USAGE;
}
