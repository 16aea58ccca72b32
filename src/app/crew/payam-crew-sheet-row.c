/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewSheetRow: one worksheet in the crew's list (what, where, time left, status). */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-sheet-row.h"
#include "payam-format.h"
#include "payam-priority.h"
#include "payam-tracking.h"

struct _PayamCrewSheetRow
{
  GtkBox parent_instance;

  /* template children (borrowed) */
  GtkLabel *title_label;
  GtkLabel *place_label;
  GtkLabel *left_label;
  GtkLabel *status_label;
  GtkLabel *members_label;
};

G_DEFINE_FINAL_TYPE (PayamCrewSheetRow, payam_crew_sheet_row, GTK_TYPE_BOX)

const char *
payam_crew_sheet_status_label (const char *status)
{
  if (g_strcmp0 (status, "in_progress") == 0)
    return _("In progress");
  if (g_strcmp0 (status, "done") == 0)
    return _("Done");
  if (g_strcmp0 (status, "not_possible") == 0)
    return _("Not possible, with the office");
  return _("To do");
}

void
payam_crew_sheet_row_bind (PayamCrewSheetRow *self,
                           PayamCrewSheet    *sheet,
                           GDateTime         *now)
{
  const PayamCrewSheetInfo *info;
  g_autofree char *code = NULL;
  g_autofree char *title = NULL;
  g_autofree char *place = NULL;
  g_autofree char *left = NULL;
  g_autofree char *members = NULL;
  g_autofree char *count = NULL;
  gboolean overdue;

  g_return_if_fail (PAYAM_IS_CREW_SHEET_ROW (self));

  if (sheet == NULL)
    return;
  info = payam_crew_sheet_get_info (sheet);
  code = payam_tracking_code_format_inline (info->tracking_code);
  /* Translators: a category, then how urgent, then a tracking code. */
  title = g_strdup_printf (_("%s · %s · %s"), info->category_name,
                           payam_priority_label ((PayamPriority) info->priority), code);
  gtk_label_set_label (self->title_label, title);
  place = payam_crew_sheet_dup_place (sheet);
  gtk_label_set_label (self->place_label, place);

  overdue = info->due_at != NULL && !payam_crew_sheet_is_finished (sheet) &&
            g_date_time_compare (info->due_at, now) < 0;
  if (info->withdrawal != PAYAM_WITHDRAWAL_NONE)
    left = g_strdup (_("Taken back by the office"));
  else if (payam_crew_sheet_is_finished (sheet) || info->due_at == NULL)
    left = g_strdup ("");
  else if (overdue)
    {
      g_autofree char *past = payam_format_time_left (now, info->due_at);

      /* Translators: a warning; %s says how long past the deadline, in Persian digits. */
      left = g_strdup_printf (_("Overdue: %s"), past);
    }
  else
    left = payam_format_time_left (now, info->due_at);
  gtk_label_set_label (self->left_label, left);
  if (overdue || info->withdrawal != PAYAM_WITHDRAWAL_NONE)
    gtk_widget_add_css_class (GTK_WIDGET (self->left_label), "payam-crew-overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->left_label), "payam-crew-overdue");

  gtk_label_set_label (self->status_label, payam_crew_sheet_status_label (info->status));
  count = payam_format_integer (info->n_members);
  /* Translators: %s is how many citizens' messages the worksheet serves. */
  members = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message", "%s messages",
                                          info->n_members), count);
  gtk_label_set_label (self->members_label, members);
}

static void
payam_crew_sheet_row_class_init (PayamCrewSheetRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-crew-sheet-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSheetRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSheetRow, place_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSheetRow, left_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSheetRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSheetRow, members_label);
}

static void
payam_crew_sheet_row_init (PayamCrewSheetRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
payam_crew_sheet_row_new (void)
{
  return g_object_new (PAYAM_TYPE_CREW_SHEET_ROW, NULL);
}
