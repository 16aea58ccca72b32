/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before and after photos for a worksheet, from the laptop camera or a folder. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-photos.h"
#include "payam-camera.h"
#include "payam-photo-tray.h"

/* Photos one camera window saves at a time (more are taken by opening it again). */
#define CAMERA_MOST_PHOTOS 3

typedef struct {
  PayamStore      *store;
  PayamActionKind  kind;
  PayamPhotoTray  *tray;    /* camera: the photos taken */
  GtkWindow       *window;  /* camera: its window (owned by GTK while shown) */
  GtkWidget       *import;  /* camera: "import from a folder", shown when it fails */
  GPtrArray       *sha256s;
  GError          *error;   /* what stopped the photos kept so far, given with them */
} PhotoJob;

static void
photo_job_free (PhotoJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->tray);
  g_clear_pointer (&job->sha256s, g_ptr_array_unref);
  g_clear_error (&job->error);
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

/* Hand back the photos kept and @error (owned), if any: photos kept before an error are
 * returned with it, so that they are recorded rather than left unattached. */
static void
return_photos (GTask  *task,
               GError *error)
{
  PhotoJob *job = g_task_get_task_data (task);

  if (error != NULL && job->sha256s->len == 0)
    g_task_return_error (task, error);
  else if (job->sha256s->len == 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      job->error = error;
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
      guint n = g_list_model_get_n_items (files);

      /* Each file on its own: a bad one is named and skipped, the good ones are kept. A
       * full disk stops the rest, which would fail the same way. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);
          g_autoptr(PayamPhoto) photo = NULL;
          g_autoptr(GError) local_error = NULL;
          gboolean full;

          if (path == NULL)
            g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("This photo cannot be read here; copy it to the laptop "
                                   "first."));
          else
            photo = payam_photo_import_file (path, &local_error);
          if (photo != NULL)
            keep (job, photo, &local_error);
          if (local_error == NULL)
            continue;
          full = g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL);
          if (error == NULL && n > 1)
            {
              g_autofree char *name = g_file_get_basename (file);
              g_autofree char *shown = g_filename_display_name (name);

              /* Translators: a file's name, then what is wrong with it. */
              error = g_error_new (local_error->domain, local_error->code, _("%s: %s"), shown,
                                   local_error->message);
            }
          else if (error == NULL)
            error = g_steal_pointer (&local_error);
          if (full)
            break;
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

  for (guint i = 0; error == NULL && i < payam_photo_tray_get_n (job->tray); i++)
    keep (job, payam_photo_tray_get (job->tray, i), &error);
  g_object_set_data (G_OBJECT (job->window), "payam-answered", GINT_TO_POINTER (1));
  gtk_window_destroy (job->window);
  return_photos (task, error);
}

/* The camera is missing or failed: offer the folder instead (and keep what it took). */
static void
camera_failed (PayamCamera *camera,
               GTask            *task)
{
  PhotoJob *job = g_task_get_task_data (task);

  gtk_widget_set_visible (job->import, TRUE);
  gtk_widget_grab_focus (job->import);
}

/* "Import from a folder instead": the photos taken so far are kept, then the file chooser
 * opens over the worksheet's window. */
static void
camera_import (GtkButton *button,
               GTask     *task)
{
  g_autoptr(GTask) hold = g_object_ref (task);
  PhotoJob *job = g_task_get_task_data (task);
  GtkWindow *parent = gtk_window_get_transient_for (job->window);
  GError *error = NULL;

  for (guint i = 0; error == NULL && i < payam_photo_tray_get_n (job->tray); i++)
    keep (job, payam_photo_tray_get (job->tray, i), &error);
  g_object_set_data (G_OBJECT (job->window), "payam-answered", GINT_TO_POINTER (1));
  gtk_window_destroy (job->window);
  if (error != NULL || parent == NULL)
    return_photos (task, error);
  else
    start_import (task, GTK_WIDGET (parent));
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
  GtkWidget *camera = g_object_new (PAYAM_TYPE_CAMERA, NULL);
  GtkWidget *save = gtk_button_new_with_label (_("Save photos"));
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));
  GtkWidget *parent_window = GTK_WIDGET (gtk_widget_get_root (parent));

  job->tray = payam_photo_tray_new (CAMERA_MOST_PHOTOS);
  payam_camera_set_tray (PAYAM_CAMERA (camera), job->tray);
  payam_camera_set_photos_optional (PAYAM_CAMERA (camera), FALSE);
  payam_camera_set_broken_message (PAYAM_CAMERA (camera),
                                         _("There is no working camera on this laptop. "
                                           "Import the photos from a folder instead (a "
                                           "phone's memory card, for example)."));
  job->import = gtk_button_new_with_label (_("Import from a folder instead"));
  gtk_widget_set_visible (job->import, FALSE);
  job->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (job->window, job->kind == PAYAM_ACTION_AFTER
                                     ? _("Photos after the work")
                                     : _("Photos before the work"));
  gtk_window_set_transient_for (job->window, GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_set_modal (job->window, TRUE);
  gtk_window_set_default_size (job->window, 900, 640);
  /* The daylight style of the worksheet's window, if the crew switched it on. */
  if (gtk_widget_has_css_class (parent_window, "payam-crew-large"))
    gtk_widget_add_css_class (GTK_WIDGET (job->window), "payam-crew-large");
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_vexpand (camera, TRUE);
  gtk_box_append (GTK_BOX (box), camera);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), job->import);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (job->window, box);
  g_signal_connect (save, "clicked", G_CALLBACK (camera_save), task);
  g_signal_connect (cancel, "clicked", G_CALLBACK (camera_cancel), task);
  g_signal_connect (job->import, "clicked", G_CALLBACK (camera_import), task);
  g_signal_connect (camera, "failed", G_CALLBACK (camera_failed), task);
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
  GStrv photos;

  *kind = job->kind;
  photos = g_task_propagate_pointer (G_TASK (result), error);
  if (photos != NULL && job->error != NULL)
    g_propagate_error (error, g_steal_pointer (&job->error));
  return photos;
}
