/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before and after photos for a worksheet, from the laptop camera or a folder. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-photos.h"
#include "payam-kiosk-camera.h"
#include "payam-kiosk-draft.h"

typedef struct {
  PayamStore      *store;
  PayamActionKind  kind;
  PayamKioskDraft *draft;   /* camera: the photos taken */
  GtkWindow       *window;  /* camera: its window (owned by GTK while shown) */
  GPtrArray       *sha256s;
} PhotoJob;

static void
photo_job_free (PhotoJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->draft);
  g_clear_pointer (&job->sha256s, g_ptr_array_unref);
  g_free (job);
}

/* Store @photo and remember its SHA-256. */
static gboolean
keep (PhotoJob          *job,
      const PayamPhoto  *photo,
      GError           **error)
{
  if (!payam_store_add_photo (job->store, photo, error))
    return FALSE;
  g_ptr_array_add (job->sha256s, g_strdup (photo->sha256));
  return TRUE;
}

static void
return_photos (GTask  *task,
               GError *error)
{
  PhotoJob *job = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (job->sha256s->len == 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      g_ptr_array_add (job->sha256s, NULL);
      g_task_return_pointer (task, g_ptr_array_steal (job->sha256s, NULL),
                             (GDestroyNotify) g_strfreev);
    }
}

/* ---- import ----------------------------------------------------------------------------- */

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotoJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; error == NULL && i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);
          g_autoptr(PayamPhoto) photo = NULL;

          photo = path != NULL ? payam_photo_import_file (path, &error) : NULL;
          if (path == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("This photo cannot be read here; copy it to the laptop "
                                   "first."));
          if (photo != NULL)
            keep (job, photo, &error);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  return_photos (task, error);
}

static void
start_import (GTask     *task,
              GtkWidget *parent)
{
  PhotoJob *job = g_task_get_task_data (task);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (job->kind == PAYAM_ACTION_AFTER
                                         ? _("Photos after the work")
                                         : _("Photos before the work"),
                                         GTK_WINDOW (gtk_widget_get_root (parent)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Photos"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (task));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- camera ----------------------------------------------------------------------------- */

static void
camera_save (GtkButton *button,
             GTask     *task)
{
  /* Destroying the window drops its reference on the task. */
  g_autoptr(GTask) hold = g_object_ref (task);
  PhotoJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  for (guint i = 0; error == NULL && i < payam_kiosk_draft_get_n_photos (job->draft); i++)
    keep (job, payam_kiosk_draft_get_photo (job->draft, i), &error);
  g_object_set_data (G_OBJECT (job->window), "payam-answered", GINT_TO_POINTER (1));
  gtk_window_destroy (job->window);
  return_photos (task, error);
}

static void
camera_cancel (GtkButton *button,
               GTask     *task)
{
  PhotoJob *job = g_task_get_task_data (task);

  gtk_window_destroy (job->window);
}

/* The window went away: unless "Save photos" answered, nothing was chosen. */
static void
camera_destroyed (GtkWindow *window,
                  GTask     *task)
{
  if (g_object_get_data (G_OBJECT (window), "payam-answered") == NULL)
    return_photos (task, NULL);
  g_object_unref (task);
}

static void
start_camera (GTask     *task,
              GtkWidget *parent)
{
  PhotoJob *job = g_task_get_task_data (task);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *camera = g_object_new (PAYAM_TYPE_KIOSK_CAMERA, NULL);
  GtkWidget *save = gtk_button_new_with_label (_("Save photos"));
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));

  job->draft = payam_kiosk_draft_new ();
  payam_kiosk_camera_set_draft (PAYAM_KIOSK_CAMERA (camera), job->draft);
  job->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (job->window, job->kind == PAYAM_ACTION_AFTER
                                     ? _("Photos after the work")
                                     : _("Photos before the work"));
  gtk_window_set_transient_for (job->window, GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_set_modal (job->window, TRUE);
  gtk_window_set_default_size (job->window, 900, 640);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_vexpand (camera, TRUE);
  gtk_box_append (GTK_BOX (box), camera);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (job->window, box);
  g_signal_connect (save, "clicked", G_CALLBACK (camera_save), task);
  g_signal_connect (cancel, "clicked", G_CALLBACK (camera_cancel), task);
  g_signal_connect (job->window, "destroy", G_CALLBACK (camera_destroyed), g_object_ref (task));
  gtk_window_present (job->window);
}

void
payam_crew_photos_async (GtkWidget           *parent,
                         PayamStore          *store,
                         PayamActionKind      kind,
                         gboolean             import,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PhotoJob *job = g_new0 (PhotoJob, 1);

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (PAYAM_IS_STORE (store));

  job->store = g_object_ref (store);
  job->kind = kind;
  job->sha256s = g_ptr_array_new_with_free_func (g_free);
  task = g_task_new (parent, NULL, callback, user_data);
  g_task_set_source_tag (task, payam_crew_photos_async);
  g_task_set_task_data (task, job, (GDestroyNotify) photo_job_free);
  if (import)
    start_import (task, parent);
  else
    start_camera (task, parent);
}

GStrv
payam_crew_photos_finish (GAsyncResult     *result,
                          PayamActionKind  *kind,
                          GError          **error)
{
  PhotoJob *job = g_task_get_task_data (G_TASK (result));

  *kind = job->kind;
  return g_task_propagate_pointer (G_TASK (result), error);
}
