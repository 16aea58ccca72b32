/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl stats: counts by status and priority, open, overdue, outbox and photos. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-lifecycle.h"
#include "payamctl-private.h"

/* Print "  label: number" with the number for people. */
static void
ctl_stats_line (const char *indent,
                const char *label,
                gint64      value)
{
  g_autofree char *number = ctl_format_number (value);

  /* Translators: a label, then a count, as in "open: 12". */
  g_print (_("%s%s: %s\n"), indent, label, number);
}

/* The statistics for people: translated labels, numbers through ctl_format_number(). */
static void
ctl_stats_print (const PayamStoreStats *stats)
{
  ctl_stats_line ("", _("Requests"), stats->total);

  g_print ("%s\n", _("By status:"));
  for (int status = 0; status < PAYAM_N_STATUSES; status++)
    ctl_stats_line ("  ", payam_status_label ((PayamStatus) status), stats->by_status[status]);

  g_print ("%s\n", _("By priority:"));
  for (int priority = PAYAM_PRIORITY_URGENT; priority <= PAYAM_PRIORITY_NORMAL; priority++)
    ctl_stats_line ("  ", payam_priority_label ((PayamPriority) priority),
                    stats->by_priority[priority]);

  ctl_stats_line ("", _("Open"), stats->open);
  ctl_stats_line ("", _("Overdue"), stats->overdue);
  ctl_stats_line ("", _("Changes waiting to sync"), stats->outbox);
  ctl_stats_line ("", _("Photos"), stats->photos);
}

static void
ctl_json_add_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* The statistics as a JSON object with ASCII numbers and status nicks as keys:
 * {"total", "by_status": {"registered", …}, "by_priority": {"1", "2", "3"}, "open",
 * "overdue", "outbox", "photos"}. */
static void
ctl_stats_print_json (const PayamStoreStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;

  json_builder_begin_object (builder);
  ctl_json_add_int (builder, "total", stats->total);

  json_builder_set_member_name (builder, "by_status");
  json_builder_begin_object (builder);
  for (int status = 0; status < PAYAM_N_STATUSES; status++)
    ctl_json_add_int (builder, payam_status_to_string ((PayamStatus) status),
                      stats->by_status[status]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "by_priority");
  json_builder_begin_object (builder);
  for (int priority = PAYAM_PRIORITY_URGENT; priority <= PAYAM_PRIORITY_NORMAL; priority++)
    {
      char key[4];

      g_snprintf (key, sizeof key, "%d", priority);
      ctl_json_add_int (builder, key, stats->by_priority[priority]);
    }
  json_builder_end_object (builder);

  ctl_json_add_int (builder, "open", stats->open);
  ctl_json_add_int (builder, "overdue", stats->overdue);
  ctl_json_add_int (builder, "outbox", stats->outbox);
  ctl_json_add_int (builder, "photos", stats->photos);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, NULL);
  fputs (data, stdout);
  fputc ('\n', stdout);
}

/* Print the store's statistics for people, or as JSON with --json. Exit 1 with a message
 * when the store cannot count. */
int
ctl_cmd_stats (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PayamStoreStats stats = { 0 };
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON with plain ASCII numbers, for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Count the requests by status and priority, the open and "
                                  "overdue ones, the changes waiting to sync and the photos."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("stats", _("“stats” takes no arguments."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;

  if (!payam_store_get_stats (store, &stats, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Cannot count the requests: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  if (json)
    ctl_stats_print_json (&stats);
  else
    ctl_stats_print (&stats);

  return CTL_EXIT_OK;
}
