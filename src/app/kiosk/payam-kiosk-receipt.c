/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskReceipt: the tracking code, its QR code, the expected response and the printed receipt. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>
#include <string.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-kiosk-receipt.h"
#include "payam-qr.h"
#include "payam-text.h"

/* Pixels per QR module on screen: a 21–25 module code plus its quiet zone is about 300 px. */
#define QR_MODULE_PX 10
/* Names a PDF file to print the receipt to instead of the printer (tests, demos). */
#define RECEIPT_PDF_ENV "PAYAM_RECEIPT_PDF"
/* How long the printers may take to be listed, and a job to be accepted, before the
 * citizen is told that the receipt did not print. */
#define PRINTER_LOOKUP_SECONDS 5
#define PRINT_JOB_SECONDS 30
/* The municipal hotline, shown through the number formatter. */
#define HOTLINE 137
/* The fonts of the printed receipt, Persian first. */
#define RECEIPT_FONTS "Vazirmatn, Noto Sans Arabic, Noto Sans, sans"

struct _PayamKioskReceipt
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore       *store;
  PayamRequest     *request;       /* NULL when it could not be read */
  char             *category_name; /* NULL when unknown */
  PayamQr          *qr;            /* NULL when it could not be made */
  PayamSyncService *service;       /* the application's, or NULL */

  gboolean          printed;       /* the automatic print has been started */
  gboolean          phone_given;   /* the server will send the code by text message */

  /* template children (borrowed) */
  GtkLabel         *code_label;
  GtkLabel         *latin_label;
  GtkLabel         *district_label;
  GtkLabel         *countdown_label;
  GtkLabel         *keep_label;
  GtkLabel         *due_label;
  GtkLabel         *offline_label;
  GtkLabel         *sms_label;
  GtkLabel         *print_label;
  GtkPicture       *qr_picture;
};

G_DEFINE_FINAL_TYPE (PayamKioskReceipt, payam_kiosk_receipt, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "Expected response: by <date, time>" for people, or NULL without a deadline. */
static char *
due_text (const PayamRequest *request)
{
  g_autofree char *when = NULL;

  if (request->due_at == NULL)
    return NULL;
  when = payam_format_date_time (request->due_at);
  /* Translators: %s is a Jalali date and time in Persian digits. */
  return g_strdup_printf (_("Expected response: by %s"), when);
}

static void
update_online (PayamKioskReceipt *self)
{
  gboolean online = self->service != NULL && payam_sync_service_get_online (self->service);

  /* The server sends the "registered" text message once it has the message: with a phone
   * given, one line in sight under the code says both that and, offline, when. */
  gtk_widget_set_visible (GTK_WIDGET (self->offline_label), !online && !self->phone_given);
  gtk_label_set_label (self->sms_label,
                       online ? _("The tracking code will also be sent to your mobile number by "
                                  "text message.")
                              : _("Saved here; once this device is connected it is sent to the "
                                  "municipality, and the tracking code also comes to your "
                                  "mobile number by text message."));
  gtk_widget_set_visible (GTK_WIDGET (self->sms_label), self->phone_given);
}

/* ---- printing ----------------------------------------------------------------------- */

/* The system's full name, with the district's (caller owns it). */
static char *
district_name (void)
{
  g_autofree char *hotline = payam_format_integer (HOTLINE);

  /* Translators: %s is the hotline number (137) in Persian digits; the district's own
   * name for its system, e.g. «سامانهٔ ۱۳۷ شهرداری ناحیهٔ ۶ منطقهٔ ۲». */
  return g_strdup_printf (_("The %s system of the municipality of district 6, region 2"),
                          hotline);
}

/* Lay @text out centred across the page at @points (bold when @bold) at *@y, and move
 * *@y below it. */
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
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (RECEIPT_FONTS);
  int text_height;

  pango_font_description_set_size (font, (int) (points * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);

  cairo_move_to (cr, 0, *y);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  *y += text_height + points * 0.6;
}

/* The one page of the receipt: header, the code in Persian and Latin digits, the QR code,
 * category, date, expected response and how to follow the message. */
static void
draw_page (GtkPrintOperation *operation,
           GtkPrintContext   *context,
           int                page_nr,
           PayamKioskReceipt *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  const PayamRequest *request = self->request;
  g_autofree char *code = payam_kiosk_receipt_group_code (request->tracking_code, FALSE);
  g_autofree char *latin = NULL;
  g_autofree char *created = payam_format_date_time (request->created_at);
  g_autofree char *date_line = NULL;
  g_autofree char *due = due_text (request);
  g_autofree char *hotline = payam_format_integer (HOTLINE);
  g_autofree char *header = NULL;
  g_autofree char *follow = NULL;
  double y = 0;

  header = district_name ();
  print_text (context, header, 14, TRUE, &y);
  print_text (context, _("Receipt of your message"), 12, FALSE, &y);
  y += 8;
  print_text (context, _("Tracking code"), 11, FALSE, &y);
  print_text (context, code, 24, TRUE, &y);
  latin = payam_kiosk_receipt_group_code (request->tracking_code, TRUE);
  print_text (context, latin, 14, FALSE, &y);

  if (self->qr != NULL)
    {
      double side = MIN (width * 0.5, 170);

      payam_qr_draw (self->qr, cr, (width - side) / 2, y, side);
      y += side + 12;
    }

  if (self->category_name != NULL)
    {
      g_autofree char *line = NULL;

      /* Translators: %s is the name of a category of problem, such as "Asphalt". */
      line = g_strdup_printf (_("Category: %s"), self->category_name);
      print_text (context, line, 11, FALSE, &y);
    }
  /* Translators: %s is a Jalali date and time in Persian digits. */
  date_line = g_strdup_printf (_("Registered: %s"), created);
  print_text (context, date_line, 11, FALSE, &y);
  if (due != NULL)
    print_text (context, due, 11, TRUE, &y);
  y += 6;
  /* Translators: %s is the hotline number (137) in Persian digits. */
  follow = g_strdup_printf (_("Follow your message with this code at any Payam kiosk or by "
                              "calling %s."), hotline);
  print_text (context, follow, 11, FALSE, &y);
}

static void
begin_print (GtkPrintOperation *operation,
             GtkPrintContext   *context,
             PayamKioskReceipt *self)
{
  gtk_print_operation_set_n_pages (operation, 1);
}

/* A new operation that draws the receipt of @self (caller owns it). */
static GtkPrintOperation *
new_operation (PayamKioskReceipt *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();

  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, _("Payam receipt"));
  gtk_print_operation_set_show_progress (operation, FALSE);
  gtk_print_operation_set_embed_page_setup (operation, FALSE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page), self, 0);
  return operation;
}

static GtkWindow *
parent_window (PayamKioskReceipt *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The citizen's sentence for a receipt that did not print. GTK's own text may be English
 * and technical: it goes to the log. */
static void
set_print_error (GError     **error,
                 const char  *detail)
{
  g_info ("Receipt not printed: %s", detail);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The receipt could not be printed: no printer is working at this "
                         "kiosk. Your message is saved. Please write down the tracking code "
                         "on the screen or photograph the QR code."));
}

/* One print of the receipt: the printer looked up, then the job. Owned by its GTask. */
typedef struct {
  GtkPrintOperation *operation;
  char              *printer;      /* the chosen printer's name, NULL until found */
  gboolean           lookup_done;  /* the printer was chosen, or none was found */
  gboolean           returned;     /* the task has its outcome */
  guint              timeout_id;
} PrintJob;

/* Give @task its outcome once: a late "done" after a time-out is ignored. Takes @error. */
static void
job_return (GTask  *task,
            GError *error)
{
  PrintJob *job = g_task_get_task_data (task);

  if (job->returned)
    {
      g_clear_error (&error);
      return;
    }
  job->returned = TRUE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
print_job_free (PrintJob *job)
{
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_object (&job->operation);
  g_free (job->printer);
  g_free (job);
}

/* The job ended: "done" of an asynchronous operation. */
static void
operation_done (GtkPrintOperation       *operation,
                GtkPrintOperationResult  result,
                gpointer                 user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) print_error = NULL;

  g_clear_handle_id (&job->timeout_id, g_source_remove);
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      job_return (task, NULL);
      return;
    }
  gtk_print_operation_get_error (operation, &print_error);
  set_print_error (&error, print_error != NULL ? print_error->message : "cancelled");
  job_return (task, g_steal_pointer (&error));
}

/* The printer never answered: give up (the operation is cancelled) and say so. */
static gboolean
job_timed_out (gpointer user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->timeout_id = 0;
  if (job->operation != NULL)
    gtk_print_operation_cancel (job->operation);
  job->lookup_done = TRUE;
  set_print_error (&error, "no answer from the printer");
  job_return (task, error);
  return G_SOURCE_REMOVE;
}

/* The printer is known (or not): send the job to it without a dialog. */
static void
start_job (GTask *task)
{
  PayamKioskReceipt *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  job->lookup_done = TRUE;
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  if (job->printer == NULL)
    {
      set_print_error (&error, "no printer is installed");
      job_return (task, g_steal_pointer (&error));
      return;
    }

  job->operation = new_operation (self);
  gtk_print_settings_set_printer (settings, job->printer);
  gtk_print_operation_set_print_settings (job->operation, settings);
  gtk_print_operation_set_allow_async (job->operation, TRUE);
  g_signal_connect (job->operation, "done", G_CALLBACK (operation_done), g_object_ref (task));
  job->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, PRINT_JOB_SECONDS,
                                                job_timed_out, g_object_ref (task),
                                                g_object_unref);
  result = gtk_print_operation_run (job->operation, GTK_PRINT_OPERATION_ACTION_PRINT,
                                    parent_window (self), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    return;
  /* Finished at once (a refused job): "done" may have come already; job_return keeps the
   * first outcome. */
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    job_return (task, NULL);
  else
    {
      g_autoptr(GError) message = NULL;

      set_print_error (&message, error != NULL ? error->message : "cancelled");
      job_return (task, g_steal_pointer (&message));
    }
}

/* gtk_enumerate_printers() callbacks: the default real printer, else the first one. */
static gboolean
printer_found (GtkPrinter *printer,
               gpointer    user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);

  if (job->lookup_done || gtk_printer_is_virtual (printer))
    return FALSE;
  if (job->printer == NULL || gtk_printer_is_default (printer))
    {
      g_free (job->printer);
      job->printer = g_strdup (gtk_printer_get_name (printer));
    }
  if (gtk_printer_is_default (printer))
    start_job (task);
  return job->lookup_done;
}

static void
printers_listed (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintJob *job = g_task_get_task_data (task);

  if (!job->lookup_done)
    start_job (task);
}

/**
 * payam_kiosk_receipt_print_async:
 *
 * See payam-kiosk-receipt.h. The kiosk has no print dialog: the printers are listed (a
 * "Print to File" is not a printer), the default one (else the first) gets the job, and
 * each wait is bounded, so a missing or silent printer ends in the message, never in a
 * frozen screen. The PDF export runs at once.
 */
void
payam_kiosk_receipt_print_async (PayamKioskReceipt   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrintJob *job;
  const char *pdf = g_getenv (RECEIPT_PDF_ENV);

  g_return_if_fail (PAYAM_IS_KIOSK_RECEIPT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, payam_kiosk_receipt_print_async);
  job = g_new0 (PrintJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);

  if (pdf != NULL && *pdf != '\0')
    {
      g_autoptr(GError) error = NULL;
      GtkPrintOperationResult result;

      job->lookup_done = TRUE;
      job->operation = new_operation (self);
      gtk_print_operation_set_export_filename (job->operation, pdf);
      result = gtk_print_operation_run (job->operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                        parent_window (self), &error);
      if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
        job_return (task, NULL);
      else
        {
          g_autoptr(GError) message = NULL;

          set_print_error (&message, error != NULL ? error->message : "cancelled");
          job_return (task, g_steal_pointer (&message));
        }
      return;
    }

  job->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, PRINTER_LOOKUP_SECONDS,
                                                job_timed_out, g_object_ref (task),
                                                g_object_unref);
  gtk_enumerate_printers (printer_found, g_object_ref (task), printers_listed, FALSE);
}

gboolean
payam_kiosk_receipt_print_finish (PayamKioskReceipt  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
print_finished (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PayamKioskReceipt *self = PAYAM_KIOSK_RECEIPT (source);
  g_autoptr(GError) error = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.print", TRUE);
  if (payam_kiosk_receipt_print_finish (self, result, &error))
    gtk_label_set_label (self->print_label, _("The receipt has been printed. Take it from "
                                              "the printer."));
  else
    gtk_label_set_label (self->print_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->print_label), TRUE);
}

static void
start_printing (PayamKioskReceipt *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.print", FALSE);
  gtk_label_set_label (self->print_label, _("Printing the receipt…"));
  gtk_widget_set_visible (GTK_WIDGET (self->print_label), TRUE);
  payam_kiosk_receipt_print_async (self, NULL, print_finished, NULL);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  start_printing (PAYAM_KIOSK_RECEIPT (widget));
}

/* The first time the page shows, the receipt prints by itself: a citizen must not have to
 * find a button to keep the code. */
static gboolean
print_first (gpointer user_data)
{
  g_autoptr(PayamKioskReceipt) self = user_data;

  /* Unless the page went away meanwhile (idle wipe, "finish"). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_printing (self);
  return G_SOURCE_REMOVE;
}

static void
receipt_mapped (PayamKioskReceipt *self)
{
  if (self->printed)
    return;
  self->printed = TRUE;
  /* After this frame: the page shows before the print job is set up. */
  g_idle_add (print_first, g_object_ref (self));
}

/* Digits of @code (ASCII) from @from, @n of them, appended to @out in Persian or Latin. */
static void
append_group (GString    *out,
              const char *code,
              gsize       from,
              gsize       n,
              gboolean    latin)
{
  for (gsize i = from; i < from + n && code[i] != '\0'; i++)
    {
      if (latin)
        g_string_append_c (out, code[i]);
      else
        g_string_append_unichar (out, 0x06F0 + (code[i] - '0'));
    }
}

char *
payam_kiosk_receipt_group_code (const char *code,
                                gboolean    latin)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (code != NULL && strlen (code) == 12, NULL);

  /* The groups of a tracking code: device prefix (4), number (7), check digit (1). */
  append_group (out, code, 0, 4, latin);
  g_string_append_c (out, ' ');
  append_group (out, code, 4, 7, latin);
  g_string_append_c (out, ' ');
  append_group (out, code, 11, 1, latin);
  return g_string_free (out, FALSE);
}

void
payam_kiosk_receipt_set_countdown (PayamKioskReceipt *self,
                                   int                seconds)
{
  g_return_if_fail (PAYAM_IS_KIOSK_RECEIPT (self));

  if (seconds >= 0)
    {
      g_autofree char *number = payam_format_integer (seconds);
      g_autofree char *text = NULL;

      /* Translators: under the tracking code on the receipt; %s is a number of seconds in
       * Persian digits. */
      text = g_strdup_printf (_("This page closes in %s seconds. Touch the screen to keep it "
                                "longer."), number);
      gtk_label_set_label (self->countdown_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), seconds >= 0);
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

/* ---- the page ----------------------------------------------------------------------- */

static void
payam_kiosk_receipt_dispose (GObject *object)
{
  PayamKioskReceipt *self = PAYAM_KIOSK_RECEIPT (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_RECEIPT);
  /* The template's top box has no id, so it is not among the children disposed above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->service);
  g_clear_pointer (&self->request, payam_request_free);
  g_clear_pointer (&self->category_name, g_free);
  g_clear_pointer (&self->qr, payam_qr_free);

  G_OBJECT_CLASS (payam_kiosk_receipt_parent_class)->dispose (object);
}

static void
payam_kiosk_receipt_class_init (PayamKioskReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_receipt_dispose;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-receipt.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, code_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, latin_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, district_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, keep_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, due_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, offline_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, sms_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, print_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskReceipt, qr_picture);
  gtk_widget_class_install_action (widget_class, "receipt.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "receipt.done", NULL, done_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_receipt_init (PayamKioskReceipt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A tracking code's digits read in their own order (STYLE §26). */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (GTK_WIDGET (self->latin_label), GTK_TEXT_DIR_LTR);
  g_signal_connect (self, "map", G_CALLBACK (receipt_mapped), NULL);
}

/* Fill the page from the request just saved. A request that cannot be read leaves a
 * message in place of the code (the message itself is saved; the staff can find it). */
static void
load (PayamKioskReceipt *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamCategory) category = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *code = NULL;
  g_autofree char *due = NULL;
  g_autofree char *hotline = payam_format_integer (HOTLINE);
  g_autofree char *keep = NULL;
  g_autofree char *district = NULL;
  GApplication *app = g_application_get_default ();

  if (PAYAM_IS_APPLICATION (app) &&
      payam_application_get_sync_service (PAYAM_APPLICATION (app)) != NULL)
    {
      self->service = g_object_ref (payam_application_get_sync_service (PAYAM_APPLICATION (app)));
      g_signal_connect_object (self->service, "notify::online", G_CALLBACK (update_online),
                               self, G_CONNECT_SWAPPED);
    }
  update_online (self);

  /* Translators: %s is the hotline number (137) in Persian digits. */
  keep = g_strdup_printf (_("Keep this code: with it you can follow your message here or by "
                            "calling %s, and rate it when the work is done."), hotline);
  gtk_label_set_label (self->keep_label, keep);

  category = payam_store_get_category (self->store, self->request->category, NULL);
  if (category != NULL)
    self->category_name = g_strdup (category->name);

  district = district_name ();
  gtk_label_set_label (self->district_label, district);
  code = payam_kiosk_receipt_group_code (self->request->tracking_code, FALSE);
  gtk_label_set_label (self->code_label, code);
  g_free (code);
  code = payam_kiosk_receipt_group_code (self->request->tracking_code, TRUE);
  gtk_label_set_label (self->latin_label, code);
  due = due_text (self->request);
  gtk_label_set_label (self->due_label, due != NULL ? due : "");
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), due != NULL);

  self->qr = payam_qr_encode (self->request->tracking_code, &error);
  if (self->qr == NULL)
    {
      g_info ("No QR code on the receipt: %s", error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->qr_picture), FALSE);
      return;
    }
  texture = payam_qr_to_texture (self->qr, QR_MODULE_PX);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
}

PayamKioskReceipt *
payam_kiosk_receipt_new (PayamStore         *store,
                         const PayamRequest *request,
                         gboolean            phone_given)
{
  PayamKioskReceipt *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_RECEIPT, NULL);
  self->store = g_object_ref (store);
  self->request = payam_request_copy (request);
  self->phone_given = phone_given;
  load (self);

  return self;
}

const PayamRequest *
payam_kiosk_receipt_get_request (PayamKioskReceipt *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_RECEIPT (self), NULL);
  return self->request;
}
