/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl coverage: feedback coverage, citizens told ÷ citizens owed an answer (issue #14),
 * overall and per outcome, category, neighbourhood and crew, and who is not told yet. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-store-feedback.h"
#include "payamctl-private.h"

/* The dimensions printed after the overall figures, with their JSON member names. */
static const struct {
  PayamCoverageBy  by;
  const char      *json;
  const char      *title;
} dimensions[] = {
  { PAYAM_COVERAGE_BY_OUTCOME, "by_outcome", N_("By outcome:") },
  { PAYAM_COVERAGE_BY_CATEGORY, "by_category", N_("By category:") },
  { PAYAM_COVERAGE_BY_NEIGHBOURHOOD, "by_neighbourhood", N_("By neighbourhood:") },
  { PAYAM_COVERAGE_BY_CREW, "by_crew", N_("By crew:") },
};

/* Whole percent told, rounded down so that 100 means every citizen; 100 when none is owed. */
static gint64
percent_told (const PayamCoverageRow *row)
{
  return row->owed == 0 ? 100 : row->told * 100 / row->owed;
}

/* "KEY: told of owed (P%), queued Q, failed F, no phone N" for people. */
static void
print_row (const char             *indent,
           const char             *key,
           const PayamCoverageRow *row)
{
  g_autofree char *owed = ctl_format_number (row->owed);
  g_autofree char *told = ctl_format_number (row->told);
  g_autofree char *pct = ctl_format_number (percent_told (row));
  g_autofree char *queued = ctl_format_number (row->queued);
  g_autofree char *failed = ctl_format_number (row->failed);
  g_autofree char *no_phone = ctl_format_number (row->no_phone + row->no_notice);

  /* Translators: a line of feedback coverage: a name, then citizens told of those owed an
   * answer and the percentage, then how many text messages wait, failed, and how many
   * citizens without a phone have not looked their code up yet. */
  g_print (_("%s%s: %s told of %s owed (%s%%), queued %s, failed %s, no phone %s\n"),
           indent, key, told, owed, pct, queued, failed, no_phone);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* The members of @row in a JSON object already begun. */
static void
add_row_members (JsonBuilder            *b,
                 const PayamCoverageRow *row)
{
  add_int (b, "owed", row->owed);
  add_int (b, "told", row->told);
  add_int (b, "queued", row->queued);
  add_int (b, "failed", row->failed);
  add_int (b, "no_phone", row->no_phone);
  add_int (b, "no_notice", row->no_notice);
  add_int (b, "percent", percent_told (row));
}

/* Why a citizen is not told yet, for people. */
static const char *
why_label (const char *why)
{
  if (g_strcmp0 (why, "queued") == 0)
    return _("text message on its way");
  if (g_strcmp0 (why, "failed") == 0)
    return _("text message failed");
  if (g_strcmp0 (why, "no-phone") == 0)
    return _("no phone, code not looked up yet");
  return _("no notice made yet");
}

/* Print the figures of @store, as JSON with @json, the not-told list cut at @limit. */
static gboolean
print_coverage (PayamStore  *store,
                gboolean     json,
                guint        limit,
                GError     **error)
{
  g_autoptr(GPtrArray) overall = payam_store_get_coverage (store, PAYAM_COVERAGE_OVERALL, error);
  g_autoptr(GPtrArray) untold = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  if (overall == NULL)
    return FALSE;
  untold = payam_store_list_untold (store, limit, error);
  if (untold == NULL)
    return FALSE;

  json_builder_begin_object (b);
  add_row_members (b, overall->pdata[0]);
  if (!json)
    print_row ("", _("Feedback"), overall->pdata[0]);
  for (guint d = 0; d < G_N_ELEMENTS (dimensions); d++)
    {
      g_autoptr(GPtrArray) rows = payam_store_get_coverage (store, dimensions[d].by, error);

      if (rows == NULL)
        return FALSE;
      json_builder_set_member_name (b, dimensions[d].json);
      json_builder_begin_array (b);
      if (!json && rows->len > 0)
        g_print ("%s\n", _(dimensions[d].title));
      for (guint i = 0; i < rows->len; i++)
        {
          const PayamCoverageRow *row = rows->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "key");
          if (row->key != NULL)
            json_builder_add_string_value (b, row->key);
          else
            json_builder_add_null_value (b);
          add_row_members (b, row);
          json_builder_end_object (b);
          if (!json)
            print_row ("  ", row->key != NULL ? row->key : _("(no crew)"), row);
        }
      json_builder_end_array (b);
    }

  json_builder_set_member_name (b, "not_told");
  json_builder_begin_array (b);
  if (!json && untold->len > 0)
    g_print ("%s\n", _("Not told yet:"));
  for (guint i = 0; i < untold->len; i++)
    {
      const PayamUntold *u = untold->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tracking_code");
      json_builder_add_string_value (b, u->tracking_code);
      json_builder_set_member_name (b, "why");
      json_builder_add_string_value (b, u->why);
      json_builder_set_member_name (b, "reason");
      if (u->reason != NULL)
        json_builder_add_string_value (b, u->reason);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      if (!json)
        g_print ("  %s  %s%s%s\n", u->tracking_code, why_label (u->why),
                 u->reason != NULL ? ": " : "", u->reason != NULL ? u->reason : "");
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *data = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      data = json_generator_to_data (generator, NULL);
      g_print ("%s\n", data);
    }
  return TRUE;
}

/* payamctl coverage [--json] [--limit N]: exit 1 with a message when the store cannot
 * count. */
int
ctl_cmd_coverage (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int limit = 50;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON with plain ASCII numbers, for scripts"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("List at most N citizens not told yet (default 50)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Feedback coverage: citizens told the outcome of their "
                                  "report by a delivered text message or a looked-up code, "
                                  "of those owed an answer, and who is not told yet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("coverage", _("“coverage” takes no arguments."));
      return CTL_EXIT_USAGE;
    }
  if (limit < 0)
    {
      ctl_print_usage_error ("coverage", _("--limit needs a number of zero or more."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (!print_coverage (store, json, (guint) limit, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Cannot count the feedback: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}
