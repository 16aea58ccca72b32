/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's "export CSV" (win.export-csv): the list on screen (the chosen queue, a
 * search's results, or the dashboard's citizens not told yet), every row of it read page
 * by page from the store, written as CSV (payam-csv.h) to a file chosen in a file chooser,
 * or to the path given as the action's parameter. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-csv.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-office-window-private.h"
#include "payam-priority.h"
#include "payam-store-feedback.h"
#include "payam-tracking.h"

#define PAGE 1000

static char *
date_text (GDateTime *when)
{
  return when != NULL ? payam_format_date_time (when) : g_strdup ("");
}

/* A request row of a queue or search: the columns people read in the list. */
static gboolean
write_request (PayamOfficeWindow  *self,
               PayamCsvWriter     *csv,
               PayamQueueItem     *item,
               GError            **error)
{
  g_autoptr(GDateTime) created = payam_queue_item_dup_created_at (item);
  g_autoptr(GDateTime) due = payam_queue_item_dup_due_at (item);
  g_autofree char *created_text = date_text (created);
  g_autofree char *due_text = date_text (due);
  g_autofree char *code = payam_queue_item_get_tracking_code (item) != NULL
    ? payam_tracking_code_format (payam_queue_item_get_tracking_code (item)) : NULL;
  const char *category = payam_queue_item_get_category (item);
  const char *category_name = category != NULL
    ? g_hash_table_lookup (self->category_names, category) : NULL;
  PayamPriority priority = payam_queue_item_get_priority (item);
  PayamStatus status;
  const char *fields[] = {
    code,
    category_name != NULL ? category_name : category,
    payam_queue_item_get_text (item),
    payam_queue_item_get_neighbourhood (item),
    payam_queue_item_get_street (item),
    priority >= PAYAM_PRIORITY_URGENT && priority <= PAYAM_PRIORITY_NORMAL
      ? payam_priority_label (priority) : NULL,
    payam_status_from_string (payam_queue_item_get_status (item), &status)
      ? payam_status_label (status) : payam_queue_item_get_status (item),
    created_text,
    due_text,
  };

  return payam_csv_writer_row (csv, fields, G_N_ELEMENTS (fields), error);
}

static gboolean
write_conflict (PayamCsvWriter  *csv,
                PayamQueueItem  *item,
                GError         **error)
{
  const char *field = payam_queue_item_get_field (item);
  g_autofree char *kept = field != NULL
    ? _payam_office_value_text (field, payam_queue_item_get_kept_value (item)) : NULL;
  g_autofree char *lost = field != NULL
    ? _payam_office_value_text (field, payam_queue_item_get_lost_value (item)) : NULL;
  g_autofree char *code = payam_queue_item_get_tracking_code (item) != NULL
    ? payam_tracking_code_format (payam_queue_item_get_tracking_code (item)) : NULL;
  const char *fields[] = {
    code,
    payam_queue_item_get_conflict_kind (item),
    field != NULL ? _payam_office_field_label (field) : NULL,
    kept,
    lost,
    payam_queue_item_get_lost_device (item),
    payam_queue_item_get_reason (item),
  };

  return payam_csv_writer_row (csv, fields, G_N_ELEMENTS (fields), error);
}

static gboolean
write_header (PayamCsvWriter  *csv,
              gboolean         conflicts,
              GError         **error)
{
  const char *requests[] = {
    _("Tracking code"), _("Category"), _("Message"), _("Neighbourhood"), _("Street"),
    _("Priority"), _("Status"), _("Registered"), _("Deadline"),
  };
  const char *conflict[] = {
    _("Tracking code"), _("Kind"), _("Field"), _("Kept"), _("Lost"), _("Device"),
    _("Reason"),
  };

  return conflicts ? payam_csv_writer_row (csv, conflict, G_N_ELEMENTS (conflict), error)
                   : payam_csv_writer_row (csv, requests, G_N_ELEMENTS (requests), error);
}

static gboolean
write_items (PayamOfficeWindow  *self,
             PayamCsvWriter     *csv,
             GPtrArray          *items,
             gboolean            conflicts,
             GError            **error)
{
  for (guint i = 0; i < items->len; i++)
    if (!(conflicts ? write_conflict (csv, items->pdata[i], error)
                    : write_request (self, csv, items->pdata[i], error)))
      return FALSE;
  return TRUE;
}

/* Every row of the chosen queue, in its order, a page at a time. */
static gboolean
write_queue (PayamOfficeWindow  *self,
             PayamCsvWriter     *csv,
             GError            **error)
{
  gboolean conflicts = self->queue == PAYAM_QUEUE_CONFLICTS;
  g_autoptr(PayamQueueItem) last = NULL;
  guint offset = 0;

  if (!write_header (csv, conflicts, error))
    return FALSE;
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (last != NULL && payam_queue_has_keyset (self->queue))
        page = payam_store_queue_fetch_after (self->store, self->queue, last, PAGE, error);
      else
        page = payam_store_queue_fetch (self->store, self->queue, offset, PAGE, error);
      if (page == NULL)
        return FALSE;
      if (!write_items (self, csv, page, conflicts, error))
        return FALSE;
      if (page->len < PAGE)
        return TRUE;
      offset += page->len;
      g_set_object (&last, page->pdata[page->len - 1]);
    }
}

/* Every citizen owed an answer and not told yet, with why. */
static gboolean
write_untold (PayamOfficeWindow  *self,
              PayamCsvWriter     *csv,
              GError            **error)
{
  const char *header[] = { _("Tracking code"), _("Why not told yet"), _("Reason") };
  guint offset = 0;

  if (!payam_csv_writer_row (csv, header, G_N_ELEMENTS (header), error))
    return FALSE;
  for (;;)
    {
      g_autoptr(GPtrArray) page = payam_store_list_untold_page (self->store, offset, PAGE, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          const PayamUntold *u = page->pdata[i];
          g_autofree char *code = payam_tracking_code_format (u->tracking_code);
          const char *fields[] = { code, payam_office_dashboard_why_label (u->why), u->reason };

          if (!payam_csv_writer_row (csv, fields, G_N_ELEMENTS (fields), error))
            return FALSE;
        }
      if (page->len < PAGE)
        return TRUE;
      offset += page->len;
    }
}

/* Write the list on screen to @file (replaced whole, never left half-written); *@n_rows
 * gets the rows written after the header. */
static gboolean
export_to (PayamOfficeWindow  *self,
           GFile              *file,
           guint64            *n_rows,
           GError            **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(PayamCsvWriter) csv = NULL;
  gboolean ok;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;
  csv = payam_csv_writer_new (G_OUTPUT_STREAM (stream));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "dashboard") == 0)
    ok = write_untold (self, csv, error);
  else if (self->search_results != NULL)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      GListModel *model = G_LIST_MODEL (self->search_results);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (items, g_list_model_get_item (model, i));
      ok = write_header (csv, FALSE, error) && write_items (self, csv, items, FALSE, error);
    }
  else
    ok = write_queue (self, csv, error);
  if (!ok)
    {
      /* Cancelling the replace leaves the file as it was. */
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancel, NULL);
      return FALSE;
    }
  *n_rows = payam_csv_writer_get_n_rows (csv) - 1;
  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
export_file (PayamOfficeWindow *self,
             GFile             *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *n = NULL;
  guint64 n_rows = 0;

  if (!export_to (self, file, &n_rows, &error))
    {
      /* Translators: %s says why the CSV file could not be written. */
      message = g_strdup_printf (_("The list could not be saved: %s"), error->message);
      _payam_office_window_toast (self, message);
      return;
    }
  n = payam_format_number ((gint64) n_rows);
  /* Translators: %s is how many rows the CSV file has. */
  message = g_strdup_printf (_("Saved %s rows as CSV."), n);
  _payam_office_window_toast (self, message);
}

static void
chooser_response (GtkNativeDialog   *chooser,
                  int                response,
                  PayamOfficeWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        export_file (self, file);
    }
  g_object_unref (chooser);
}

/* win.export-csv(s): to the path given, or to a file chosen when it is "". */
static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (user_data);
  const char *path = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "work") != 0)
    return;
  if (path[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      export_file (self, file);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Export CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("Save"), _("Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("payam-%s.csv",
                          g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack),
                                     "dashboard") == 0 ? "not-told"
                          : self->search_results != NULL ? "search"
                          : payam_queue_to_string (self->queue));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* In the window's action map (not a widget class action) so that it is also exported on
 * the session bus with the application's windows, where a test can give it a path. */
void
_payam_office_export_init (PayamOfficeWindow *self)
{
  static const GActionEntry entries[] = {
    { .name = "export-csv", .activate = export_activated, .parameter_type = "s" },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}
