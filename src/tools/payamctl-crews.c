/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl crew and assign: crews, their members and PINs, and a group's worksheet given to
 * a crew (issue #12). */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-crews.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"
#include "payamctl-groups-private.h"

/* crew add --name NAME [--neighbourhood CODE]: prints the new crew's id last. */
static int
ctl_crew_add (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *neighbourhood = NULL;
  g_autofree char *id = NULL;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The crew's name"), N_("NAME") },
    { "neighbourhood", 0, 0, G_OPTION_ARG_STRING, &neighbourhood,
      N_("The neighbourhood the crew works in (a code such as tohid)"), N_("CODE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Add a field crew. Its id is printed last."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 1 || name == NULL)
    {
      ctl_print_usage_error ("crew add", _("Give the crew's name with --name."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  id = payam_store_add_crew (store, name, neighbourhood, &error);
  if (id == NULL)
    return ctl_fail (_("Cannot add the crew"), error);
  g_print ("%s\n", id);
  return CTL_EXIT_OK;
}

/* crew member add CREW --name NAME --pin PIN: prints the new member's id last. */
static int
ctl_crew_member_add (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CREW"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *id = NULL;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The member's name"), N_("NAME") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("The member's PIN: 4 to 8 digits, in any digit form"), N_("PIN") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Add a member to a crew (its id or name). Only a "
                                           "hash of the PIN is kept; it goes to that crew's "
                                           "devices at their next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || name == NULL || pin == NULL)
    {
      ctl_print_usage_error ("crew member add", _("Give the crew, then --name and --pin."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  id = payam_store_add_crew_member (store, ctx->argv[1], name, pin, &error);
  if (id == NULL)
    return ctl_fail (_("Cannot add the crew member"), error);
  g_print ("%s\n", id);
  return CTL_EXIT_OK;
}

/* crew member disable|enable CREW --name NAME, crew member pin CREW --name NAME --pin PIN:
 * @what is "disable", "enable" or "pin". */
static int
ctl_crew_member_change (CtlContext *ctx,
                        const char *what)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CREW"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *id = NULL;
  g_autofree char *command = g_strconcat ("crew member ", what, NULL);
  gboolean is_pin = g_str_equal (what, "pin");
  int status = CTL_EXIT_OK;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The member's name"), N_("NAME") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("The member's new PIN: 4 to 8 digits, in any digit form"), N_("PIN") },
    { NULL }
  };

  if (is_pin)
    g_option_context_set_summary (context, _("Give a crew member who forgot the PIN a new one. "
                                             "Only its hash is kept; it goes to that crew's "
                                             "devices at their next sync."));
  else if (g_str_equal (what, "disable"))
    g_option_context_set_summary (context, _("Disable a crew member: after the crew's next "
                                             "sync they can no longer sign in."));
  else
    g_option_context_set_summary (context, _("Enable a disabled crew member again."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || name == NULL || (pin != NULL) != is_pin)
    {
      ctl_print_usage_error (command, is_pin ? _("Give the crew, then --name and --pin.")
                                             : _("Give the crew, then --name."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  id = payam_store_find_crew_member (store, ctx->argv[1], name, &error);
  if (id == NULL)
    return ctl_fail (_("Cannot change the crew member"), error);
  if (is_pin)
    ok = payam_store_set_crew_member_pin (store, id, pin, &error);
  else
    ok = payam_store_set_crew_member_active (store, id, g_str_equal (what, "enable"), &error);
  if (!ok)
    return ctl_fail (_("Cannot change the crew member"), error);
  return CTL_EXIT_OK;
}

/* crew list: every crew with its id and members, one member a line under it. */
static int
ctl_crew_list (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GError) error = NULL;
  int status = CTL_EXIT_OK;

  g_option_context_set_summary (context, _("List the crews, their ids and members."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 1)
    {
      ctl_print_usage_error ("crew list", _("This command takes no arguments."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  crews = payam_store_list_crews (store, &error);
  if (crews == NULL)
    return ctl_fail (_("Cannot list the crews"), error);
  for (guint i = 0; i < crews->len; i++)
    {
      PayamCrewPerson *crew = crews->pdata[i];
      g_autoptr(GPtrArray) members = payam_store_list_crew_members (store, crew->id, &error);
      g_autofree char *count = ctl_format_integer (crew->n_members);

      if (members == NULL)
        return ctl_fail (_("Cannot list the crews"), error);
      /* Translators: a crew's name, its id, then its number of members. */
      g_print (_("%s\t%s\t%s members\n"), crew->name, crew->id, count);
      for (guint j = 0; j < members->len; j++)
        {
          PayamCrewPerson *member = members->pdata[j];

          if (member->active)
            g_print ("\t%s\t%s\n", member->name, member->id);
          else
            g_print ("\t%s\t%s\t%s\n", member->name, member->id, _("disabled"));
        }
    }
  return CTL_EXIT_OK;
}

int
ctl_cmd_crew (CtlContext *ctx)
{
  CtlContext sub = *ctx;
  const char *what = ctx->argc > 1 ? ctx->argv[1] : NULL;

  /* "crew add …", "crew list", "crew member add …": the rest goes to the subcommand, whose
   * own argv[0] is its word. */
  if (g_strcmp0 (what, "add") == 0 || g_strcmp0 (what, "list") == 0)
    {
      sub.argc = ctx->argc - 1;
      sub.argv = ctx->argv + 1;
      return g_str_equal (what, "add") ? ctl_crew_add (&sub) : ctl_crew_list (&sub);
    }
  if (g_strcmp0 (what, "member") == 0 && ctx->argc > 2)
    {
      const char *change = ctx->argv[2];

      sub.argc = ctx->argc - 2;
      sub.argv = ctx->argv + 2;
      if (g_str_equal (change, "add"))
        return ctl_crew_member_add (&sub);
      if (g_str_equal (change, "disable") || g_str_equal (change, "enable") ||
          g_str_equal (change, "pin"))
        return ctl_crew_member_change (&sub, change);
    }
  ctl_print_usage_error ("crew", _("Use crew add, crew list, or crew member add, disable, "
                                   "enable or pin."));
  return CTL_EXIT_USAGE;
}

/* assign CODE --crew CREW: the worksheet of the request's group goes to the crew. */
int
ctl_cmd_assign (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *reason = NULL;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "crew", 0, 0, G_OPTION_ARG_STRING, &crew, N_("The crew (its id or name)"), N_("CREW") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (staff only; the crew holding the work sees it, citizens never do)"),
      N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Give the worksheet of a request's group (every "
                                           "member's work) to a crew."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || crew == NULL)
    {
      ctl_print_usage_error ("assign", _("Give one tracking code and --crew."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;
  crew_id = payam_store_find_crew (store, crew, &error);
  if (crew_id == NULL ||
      !payam_store_assign_crew_why (store, request->id, crew_id, reason, &error))
    return ctl_fail (_("Cannot assign the crew"), error);
  return CTL_EXIT_OK;
}

int
ctl_cmd_triage (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *category = NULL;
  g_autofree char *reason = NULL;
  PayamPriority level = PAYAM_PRIORITY_NORMAL;
  int status = CTL_EXIT_OK;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority,
      N_("The new priority: urgent, high or normal"), N_("PRIORITY") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("The new category (its code)"),
      N_("CATEGORY") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (staff only; the crew holding the work sees it, citizens never do)"),
      N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Change a message's priority or category at the "
                                           "office, with the reason."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || (priority == NULL) == (category == NULL))
    {
      ctl_print_usage_error ("triage", _("Give one tracking code and either --priority or "
                                         "--category, with --reason."));
      return CTL_EXIT_USAGE;
    }
  if (g_strcmp0 (priority, "urgent") == 0 || g_strcmp0 (priority, "1") == 0)
    level = PAYAM_PRIORITY_URGENT;
  else if (g_strcmp0 (priority, "high") == 0 || g_strcmp0 (priority, "2") == 0)
    level = PAYAM_PRIORITY_HIGH;
  else if (g_strcmp0 (priority, "normal") == 0 || g_strcmp0 (priority, "3") == 0)
    level = PAYAM_PRIORITY_NORMAL;
  else if (priority != NULL)
    {
      ctl_print_usage_error ("triage", _("The priority is urgent, high or normal."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;
  if (priority != NULL)
    ok = payam_store_triage_set_priority (store, request->id, level, reason, &error);
  else
    ok = payam_store_triage_set_category (store, request->id, category, reason, &error);
  if (!ok)
    return ctl_fail (_("Cannot change the message"), error);
  return CTL_EXIT_OK;
}
