/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl report: the monthly report for the district's management as a PDF (issue #14),
 * the same the office makes (src/report/payam-report-monthly.c). */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-report-monthly.h"
#include "payamctl-private.h"

/* payamctl report --month YYYY-MM --pdf FILE: exit 2 for a bad month or missing option, 1
 * when the store cannot be read or the file written. */
int
ctl_cmd_report (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *month_text = NULL;
  g_autofree char *pdf = NULL;
  int year = 0, month = 0;
  int status;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text,
      N_("The Jalali month, like 1405-09"), N_("YYYY-MM") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf,
      N_("Write the report as PDF to FILE"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("The monthly report for the district’s management: "
                                  "messages received, work done, worksheets past their "
                                  "deadline, messages open at the month’s end, citizens "
                                  "told the outcome and ratings, with charts, on A4 pages."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("report", _("“report” takes no arguments."));
      return CTL_EXIT_USAGE;
    }
  if (month_text == NULL || pdf == NULL)
    {
      ctl_print_usage_error ("report", _("Give the month with --month and the file with --pdf."));
      return CTL_EXIT_USAGE;
    }
  if (!payam_report_parse_month (month_text, &year, &month, &error))
    {
      ctl_print_usage_error ("report", error->message);
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (!payam_report_monthly_pdf (store, year, month, pdf, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Cannot make the monthly report: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}
