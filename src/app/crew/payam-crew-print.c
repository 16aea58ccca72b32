/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A printable worksheet and the day's list in route order. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-print.h"
#include "payam-crew-sheets.h"
#include "payam-format.h"
#include "payam-kiosk-receipt.h"
#include "payam-priority.h"
#include "payam-qr.h"
#include "payam-text.h"
#include "payam-tracking.h"

#define PRINT_PDF_ENV "PAYAM_PRINT_PDF"
#define PRINT_FONTS "Vazirmatn, Noto Sans Arabic, Noto Sans, sans"

typedef struct {
  PayamStore *store;
  GListModel *sheets;
} PrintData;

/* Lay @text out across the page's width (right to left, at the start edge) at @points at
 * *@y, and move *@y below it. */
static void
print_text (GtkPrintContext *context,
            const char      *text,
            double           points,
            gboolean         bold,
            double          *y)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (PRINT_FONTS);
  int text_height;

  pango_font_description_set_size (font, (int) (points * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_auto_dir (layout, TRUE);
  pango_layout_set_text (layout, text, -1);

  cairo_move_to (cr, 0, *y);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  *y += text_height + points * 0.5;
}

static char *
deadline_of (const PayamCrewSheetInfo *info)
{
  g_autofree char *when = info->due_at != NULL ? payam_format_date_time (info->due_at) : NULL;

  /* Translators: how urgent, then the deadline's date and time. */
  return g_strdup_printf (_("%s, deadline %s"),
                          payam_priority_label ((PayamPriority) info->priority),
                          when != NULL ? when : "—");
}

/* One worksheet on its page. */
static void
draw_sheet (GtkPrintContext *context,
            PayamCrewSheet  *sheet)
{
  const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autofree char *code = payam_tracking_code_format (info->tracking_code);
  g_autofree char *latin = payam_kiosk_receipt_group_code (info->tracking_code, TRUE);
  g_autofree char *place = payam_crew_sheet_dup_place (sheet);
  g_autofree char *deadline = deadline_of (info);
  g_autofree char *count = payam_format_integer (info->n_members);
  g_autofree char *members = NULL;
  g_autoptr(PayamQr) qr = payam_qr_encode (info->tracking_code, NULL);
  double y = 0;

  print_text (context, _("Worksheet of the 137 system, district 6 of region 2"), 12, FALSE, &y);
  print_text (context, info->category_name, 18, TRUE, &y);
  print_text (context, code, 20, TRUE, &y);
  print_text (context, latin, 12, FALSE, &y);
  if (qr != NULL)
    {
      double side = MIN (width * 0.3, 140);

      payam_qr_draw (qr, cr, 0, y, side);
      y += side + 10;
    }
  /* Translators: %s is a place: neighbourhood, street, landmark. */
  {
    g_autofree char *line = g_strdup_printf (_("Place: %s"), place);

    print_text (context, line, 12, FALSE, &y);
  }
  print_text (context, deadline, 12, TRUE, &y);
  /* Translators: %s is how many citizens' messages, in Persian digits. */
  members = g_strdup_printf (_("Messages served by this worksheet: %s"), count);
  print_text (context, members, 12, FALSE, &y);
  print_text (context, _("What was reported:"), 12, TRUE, &y);
  print_text (context, info->text, 12, FALSE, &y);
  y += 8;
  print_text (context, _("Notes:"), 12, TRUE, &y);
  cairo_set_line_width (cr, 0.6);
  for (double line = y + 24; line < height - 12; line += 26)
    {
      cairo_move_to (cr, 0, line);
      cairo_line_to (cr, width, line);
    }
  cairo_stroke (cr);
}

/* The day's list, in the order given, on one page. */
static void
draw_list (GtkPrintContext *context,
           GListModel      *sheets)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = payam_format_date (now);
  g_autofree char *title = NULL;
  double y = 0;

  /* Translators: %s is today's Jalali date. */
  title = g_strdup_printf (_("The day's worksheets in route order, %s"), today);
  print_text (context, title, 14, TRUE, &y);
  for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (sheets, i);
      const PayamCrewSheetInfo *info = payam_crew_sheet_get_info (sheet);
      g_autofree char *n = payam_format_integer (i + 1);
      /* On paper the code is in Latin digits, as on the kiosk's receipt; isolated left to
       * right (LRI … PDI) so its groups keep their order inside the Persian line. */
      g_autofree char *latin = payam_kiosk_receipt_group_code (info->tracking_code, TRUE);
      g_autofree char *code = payam_text_isolate_ltr (latin);
      g_autofree char *place = payam_crew_sheet_dup_place (sheet);
      g_autofree char *deadline = deadline_of (info);
      g_autofree char *line = NULL;

      /* Translators: position in the route, category, tracking code, place, deadline. */
      line = g_strdup_printf (_("%s. %s — %s — %s — %s"), n, info->category_name, code, place,
                              deadline);
      print_text (context, line, 11, FALSE, &y);
    }
}

static void
begin_print (GtkPrintOperation *operation,
             GtkPrintContext   *context,
             PrintData         *data)
{
  gtk_print_operation_set_n_pages (operation, 1);
}

static void
draw_page (GtkPrintOperation *operation,
           GtkPrintContext   *context,
           int                page,
           PrintData         *data)
{
  if (g_list_model_get_n_items (data->sheets) == 1)
    {
      g_autoptr(PayamCrewSheet) sheet = g_list_model_get_item (data->sheets, 0);

      draw_sheet (context, sheet);
    }
  else
    draw_list (context, data->sheets);
}

gboolean
payam_crew_print (GtkWindow   *parent,
                  PayamStore  *store,
                  GListModel  *sheets,
                  GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) local_error = NULL;
  PrintData data = { store, sheets };
  const char *pdf = g_getenv (PRINT_PDF_ENV);
  GtkPrintOperationResult result;

  if (g_list_model_get_n_items (sheets) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no worksheet to print."));
      return FALSE;
    }
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, _("Payam worksheet"));
  gtk_print_operation_set_embed_page_setup (operation, FALSE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print), &data);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page), &data);
  if (pdf != NULL && *pdf != '\0')
    {
      gtk_print_operation_set_export_filename (operation, pdf);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, parent,
                                        &local_error);
    }
  else
    result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                      parent, &local_error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_info ("Worksheet not printed: %s", local_error != NULL ? local_error->message : "?");
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The worksheet could not be printed. Check the printer and try "
                             "again; nothing recorded is lost."));
      return FALSE;
    }
  return TRUE;
}
