/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl group, groups, merge, split, lead and confirm: duplicate groups. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-dup-grouping.h"
#include "payam-dup-index.h"
#include "payam-lifecycle.h"
#include "payam-similarity.h"
#include "payam-store-groups.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payamctl-groups-private.h"

/* ---- shared --------------------------------------------------------------------------- */

PayamRequest *
ctl_find_request (PayamStore *store,
                  const char *arg)
{
  g_autoptr(GError) error = NULL;
  PayamRequest *request;

  if (strlen (arg) == 36 && arg[8] == '-' && arg[13] == '-')
    request = payam_store_get_request (store, arg, &error);
  else
    request = payam_store_find_by_tracking_code (store, arg, &error);
  if (request == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was typed (a tracking code), then the reason. */
      message = g_strdup_printf (_("Cannot find the request %s: %s"), arg, error->message);
      ctl_print_error (message);
    }
  return request;
}

int
ctl_fail (const char *what,
          GError     *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  ctl_print_error (message);
  return CTL_EXIT_FAILURE;
}

void
ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
ctl_json_string (JsonBuilder *b,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

/* A score for people: three decimals, Persian digits when the output is Persian. */
static char *
ctl_format_score (double score)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *persian = NULL;
  g_autoptr(GString) text = NULL;

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", score);
  if (!ctl_persian_digits ())
    return g_strdup (buffer);
  persian = payam_text_digits_to_persian (buffer);
  text = g_string_new (persian);
  g_string_replace (text, ".", "٫", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A tracking code for people (grouped, Persian digits when the output is Persian). */
static char *
ctl_code (const char *canonical)
{
  if (ctl_persian_digits ())
    return payam_tracking_code_format (canonical);
  return g_strdup (canonical);
}

/* ---- group --auto and --review ------------------------------------------------------- */

static const char *
ctl_review_reason (PayamDupReviewReason reason)
{
  switch (reason)
    {
    case PAYAM_DUP_REVIEW_MAYBE:
      return "maybe";
    case PAYAM_DUP_REVIEW_NOT_WHOLE:
      return "not-whole-group";
    case PAYAM_DUP_REVIEW_TWO_GROUPS:
      return "two-groups";
    case PAYAM_DUP_REVIEW_GROUP_LARGE:
      return "group-large";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
ctl_review_reason_label (PayamDupReviewReason reason)
{
  switch (reason)
    {
    case PAYAM_DUP_REVIEW_MAYBE:
      return _("maybe the same");
    case PAYAM_DUP_REVIEW_NOT_WHOLE:
      return _("matches one member, not the whole group");
    case PAYAM_DUP_REVIEW_TWO_GROUPS:
      return _("both are in groups already");
    case PAYAM_DUP_REVIEW_GROUP_LARGE:
      return _("the group is unusually large");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
ctl_json_decisions (JsonBuilder            *b,
                    const char             *name,
                    const PayamDupProposal *proposal,
                    GArray                 *decisions,
                    gboolean                with_reason)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < decisions->len; i++)
    {
      const PayamDupDecision *d = &g_array_index (decisions, PayamDupDecision, i);

      json_builder_begin_object (b);
      ctl_json_string (b, "a", ((PayamRequest *) proposal->requests->pdata[d->into])->tracking_code);
      ctl_json_string (b, "b", ((PayamRequest *) proposal->requests->pdata[d->item])->tracking_code);
      json_builder_set_member_name (b, "probability");
      json_builder_add_double_value (b, d->probability);
      if (with_reason)
        ctl_json_string (b, "reason", ctl_review_reason (d->reason));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* Print @decisions for people: grouped (or would be) when @joins, else the review list. */
static void
ctl_print_decisions (const PayamDupProposal *proposal,
                     GArray                 *decisions,
                     gboolean                joins,
                     gboolean                dry_run)
{
  for (guint i = 0; i < decisions->len; i++)
    {
      const PayamDupDecision *d = &g_array_index (decisions, PayamDupDecision, i);
      g_autofree char *a = ctl_code (((PayamRequest *) proposal->requests->pdata[d->into])->tracking_code);
      g_autofree char *b = ctl_code (((PayamRequest *) proposal->requests->pdata[d->item])->tracking_code);
      g_autofree char *score = ctl_format_score (d->probability);

      if (joins && dry_run)
        /* Translators: two tracking codes, then a probability. */
        g_print (_("Would group %s with %s (probability %s)\n"), b, a, score);
      else if (joins)
        /* Translators: two tracking codes, then a probability. */
        g_print (_("Grouped %s with %s (probability %s)\n"), b, a, score);
      else
        /* Translators: two tracking codes, a probability, then why a person should look. */
        g_print (_("To review: %s and %s (probability %s: %s)\n"), a, b, score,
                 ctl_review_reason_label (d->reason));
    }
}

int
ctl_cmd_group (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(PayamDupProposal) proposal = NULL;
  g_autoptr(GError) error = NULL;
  gboolean automatic = FALSE;
  gboolean review = FALSE;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "auto", 0, 0, G_OPTION_ARG_NONE, &automatic,
      N_("Group the pairs at or above the automatic threshold"), NULL },
    { "review", 0, 0, G_OPTION_ARG_NONE, &review,
      N_("List the pairs for a person to review; change nothing"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Only show what would be grouped; change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Find duplicate messages among open requests, "
                                           "group the sure ones and list the ones for a "
                                           "person to review."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (automatic == review || ctx->argc != 1)
    {
      ctl_print_usage_error (ctx->argv[0], _("Use “payamctl group --auto [--dry-run]” or "
                                             "“payamctl group --review”."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  index = payam_dup_index_new (store, &error);
  if (index == NULL)
    return ctl_fail (_("Cannot find the duplicates"), error);
  proposal = payam_dup_grouping_propose (store, index, &error);
  if (proposal == NULL)
    return ctl_fail (_("Cannot find the duplicates"), error);
  /* All groups or none: one transaction. Groups made by the machine stay proposed until
   * the office confirms them. */
  if (automatic && !dry_run && !payam_dup_grouping_apply (store, proposal, &error))
    return ctl_fail (_("Cannot group the requests"), error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dry_run");
      json_builder_add_boolean_value (b, dry_run || review);
      json_builder_set_member_name (b, "threshold");
      json_builder_add_double_value (b, proposal->auto_threshold);
      json_builder_set_member_name (b, "review_threshold");
      json_builder_add_double_value (b, proposal->review_threshold);
      if (automatic)
        ctl_json_decisions (b, "grouped", proposal, proposal->joins, FALSE);
      ctl_json_decisions (b, "review", proposal, proposal->reviews, TRUE);
      json_builder_end_object (b);
      ctl_print_json (b);
      return CTL_EXIT_OK;
    }

  if (automatic)
    ctl_print_decisions (proposal, proposal->joins, TRUE, dry_run);
  ctl_print_decisions (proposal, proposal->reviews, FALSE, FALSE);
  {
    g_autofree char *n_merged = ctl_format_integer (automatic ? proposal->joins->len : 0);
    g_autofree char *n_review = ctl_format_integer (proposal->reviews->len);

    /* Translators: both %s are numbers of pairs of requests, already formatted. */
    g_print (_("Pairs grouped: %s; pairs to review: %s.\n"), n_merged, n_review);
  }
  return CTL_EXIT_OK;
}

/* ---- groups ----------------------------------------------------------------------------- */

int
ctl_cmd_groups (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("List the duplicate groups with their members."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 1)
    {
      ctl_print_usage_error (ctx->argv[0], _("This command takes no arguments."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  groups = payam_store_list_groups (store, 2, &error);
  if (groups == NULL)
    return ctl_fail (_("Cannot read the groups"), error);

  if (!json)
    {
      for (guint i = 0; i < groups->len; i++)
        {
          const PayamGroup *group = groups->pdata[i];
          g_autoptr(GString) members = g_string_new (NULL);
          g_autofree char *n = ctl_format_integer (group->members->len);
          g_autofree char *lead = NULL;

          for (guint j = 0; j < group->members->len; j++)
            {
              const PayamRequest *m = group->members->pdata[j];
              g_autofree char *code = ctl_code (m->tracking_code);

              if (g_strcmp0 (m->id, group->lead_request_id) == 0)
                lead = g_strdup (code);
              g_string_append_printf (members, "%s%s", j > 0 ? "، " : "", code);
            }
          /* Translators: the lead's tracking code, a number of members, the priority
           * label, then the members' tracking codes. */
          g_print (_("Group led by %s: %s members, %s priority: %s\n"),
                   lead != NULL ? lead : "?", n, payam_priority_label (group->priority),
                   members->str);
        }
      return CTL_EXIT_OK;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      const PayamGroup *group = groups->pdata[i];
      g_autofree char *due = ctl_format_utc (group->due_at);

      json_builder_begin_object (b);
      ctl_json_string (b, "id", group->id);
      ctl_json_string (b, "state", payam_group_state_to_string (group->state));
      ctl_json_string (b, "lead_request_id", group->lead_request_id);
      json_builder_set_member_name (b, "members");
      json_builder_begin_array (b);
      for (guint j = 0; j < group->members->len; j++)
        {
          const PayamRequest *m = group->members->pdata[j];

          json_builder_begin_object (b);
          ctl_json_string (b, "id", m->id);
          ctl_json_string (b, "tracking_code", m->tracking_code);
          ctl_json_string (b, "status", payam_status_to_string (m->status));
          json_builder_set_member_name (b, "lead");
          json_builder_add_boolean_value (b, g_strcmp0 (m->id, group->lead_request_id) == 0);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, group->priority);
      ctl_json_string (b, "due_at", due);
      ctl_json_string (b, "worksheet_status", group->worksheet_status);
      ctl_json_string (b, "crew_id", group->crew_id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ctl_print_json (b);
  return CTL_EXIT_OK;
}

/* ---- merge, split, lead ----------------------------------------------------------------- */

int
ctl_cmd_merge (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) into = NULL;
  g_autoptr(PayamRequest) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *reason = NULL;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (staff only; the crew holding the work sees it, citizens never do)"),
      N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Merge the second request, with its whole group, "
                                           "into the group of the first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 3)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give two tracking codes."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  into = ctl_find_request (store, ctx->argv[1]);
  if (into == NULL)
    return CTL_EXIT_FAILURE;
  other = ctl_find_request (store, ctx->argv[2]);
  if (other == NULL)
    return CTL_EXIT_FAILURE;
  group_id = payam_store_merge_why (store, into->id, other->id, FALSE, reason, &error);
  if (group_id == NULL)
    return ctl_fail (_("Cannot merge the requests"), error);
  a = ctl_code (into->tracking_code);
  b = ctl_code (other->tracking_code);
  /* Translators: two tracking codes. */
  g_print (_("%s is now in the group of %s.\n"), b, a);
  return CTL_EXIT_OK;
}

/* split, lead and confirm: one tracking code and a store function of it (with --reason
 * when @why_func is given, else @func). On success returns CTL_EXIT_OK with *code the
 * request's code for people (caller owns it). */
static int
ctl_one_request (CtlContext  *ctx,
                 const char  *summary,
                 gboolean   (*func) (PayamStore *, const char *, GError **),
                 gboolean   (*why_func) (PayamStore *, const char *, const char *, GError **),
                 const char  *failed,
                 char       **code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (staff only; the crew holding the work sees it, citizens never do)"),
      N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, summary);
  if (why_func != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give one tracking code."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;
  if (why_func != NULL ? !why_func (store, request->id, reason, &error)
                       : !func (store, request->id, &error))
    return ctl_fail (failed, error);
  *code = ctl_code (request->tracking_code);
  return CTL_EXIT_OK;
}

int
ctl_cmd_split (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Take a request out of its group."), NULL,
                                payam_store_split_why,
                                _("Cannot take the request out of its group"), &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("%s is no longer in a group.\n"), code);
  return status;
}

int
ctl_cmd_lead (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Make a request the lead of its group."),
                                NULL, payam_store_set_group_lead_why,
                                _("Cannot change the group's lead"),
                                &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("%s now leads its group.\n"), code);
  return status;
}

int
ctl_cmd_confirm (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Confirm the proposed group of a request."),
                                payam_store_confirm_group, NULL, _("Cannot confirm the group"),
                                &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("The group of %s is confirmed.\n"), code);
  return status;
}
