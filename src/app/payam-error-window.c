/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamErrorWindow: why Payam cannot use its database and what to do about it. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "payam-error-window.h"
#include "payam-store.h"
#include "payam-text.h"

struct _PayamErrorWindow
{
  AdwApplicationWindow parent_instance;

  /* template children (borrowed) */
  GtkLabel *reason_label;
  GtkLabel *advice_label;
};

G_DEFINE_FINAL_TYPE (PayamErrorWindow, payam_error_window, ADW_TYPE_APPLICATION_WINDOW)

static void
payam_error_window_class_init (PayamErrorWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-error-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamErrorWindow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, PayamErrorWindow, advice_label);
}

static void
payam_error_window_init (PayamErrorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* What the person at the screen can do about @error from opening or filling the store. */
static const char *
advice_for (const GError *error)
{
  if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_TOO_NEW))
    return _("This database was written by a newer version of Payam and has not been "
             "changed. Install the newer version of Payam on this device.");

  if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FOREIGN))
    return _("This file belongs to another program and has not been changed. Start Payam "
             "with --db and the path of a Payam database, or ask the office which file "
             "to use.");

  return _("Check that the disk is connected, has free space, and that this user may read "
           "and write the file. To use another file, start Payam with --db and its path. "
           "If the problem stays, call the office’s support.");
}

/* A window for @application saying that the database at @db_path could not be used, why
 * (@error's message, already translated) and what to do. Its button closes it, which ends
 * the application when it is the only window. */
PayamErrorWindow *
payam_error_window_new (GtkApplication *application,
                        const char     *db_path,
                        const GError   *error)
{
  PayamErrorWindow *self;
  g_autofree char *isolated = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_ERROR_WINDOW, "application", application, NULL);

  /* The store's messages usually name the file already; say it only when they do not. */
  if (strstr (error->message, db_path) != NULL)
    {
      reason = g_strdup (error->message);
    }
  else
    {
      isolated = payam_text_isolate (db_path);
      /* Translators: the first %s is a file path, the second the reason, already
       * translated. */
      reason = g_strdup_printf (_("The database %s could not be used: %s"), isolated,
                                error->message);
    }
  gtk_label_set_label (self->reason_label, reason);
  gtk_label_set_label (self->advice_label, advice_for (error));

  return self;
}

const char *
payam_error_window_get_reason (PayamErrorWindow *self)
{
  g_return_val_if_fail (PAYAM_IS_ERROR_WINDOW (self), NULL);

  return gtk_label_get_label (self->reason_label);
}

const char *
payam_error_window_get_advice (PayamErrorWindow *self)
{
  g_return_val_if_fail (PAYAM_IS_ERROR_WINDOW (self), NULL);

  return gtk_label_get_label (self->advice_label);
}
