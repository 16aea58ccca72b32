/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCamera: a GStreamer source into an appsink, shown live, photos into a tray. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "payam-format.h"
#include "payam-camera.h"
#include "payam-photo.h"
#include "payam-photo-tray.h"

/* How often the live picture is refreshed from the appsink (about 25 per second). */
#define FRAME_INTERVAL_MS 40
/* JPEG quality of a photo before payam_photo_import_bytes re-encodes it. */
#define PHOTO_QUALITY "92"

struct _PayamCamera
{
  GtkWidget parent_instance;

  /* owned */
  PayamPhotoTray  *tray;
  GstElement      *pipeline;
  GstElement      *sink;          /* a reference of the pipeline's appsink */
  GstSample       *sample;        /* the latest picture */
  char            *error;         /* the message shown instead of the picture */
  char            *broken_message; /* what to say for a missing or failing camera, or NULL
                                    * for the kiosk's words */

  guint            frame_source;
  guint            watchdog_source;
  guint            bus_watch;
  gboolean         has_frame;
  gboolean         scan;          /* a QR scanner: zbar in the pipeline, no photos */
  gboolean         optional;      /* the photos are optional (a citizen's message) */

  /* template children (borrowed) */
  GtkStack        *preview_stack;
  GtkPicture      *preview;
  GtkLabel        *error_label;
  GtkButton       *take_button;
  GtkLabel        *count_label;
  GtkBox          *photos_box;
};

G_DEFINE_FINAL_TYPE (PayamCamera, payam_camera, GTK_TYPE_WIDGET)

enum {
  SCANNED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_controls (PayamCamera *self);

/* The source description: $PAYAM_KIOSK_CAMERA, the "kiosk-camera" setting, or v4l2src. */
static char *
camera_source (void)
{
  const char *env = g_getenv ("PAYAM_KIOSK_CAMERA");
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "kiosk-camera"))
    {
      g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);
      g_autofree char *value = g_settings_get_string (settings, "kiosk-camera");

      if (value != NULL && *value != '\0')
        return g_steal_pointer (&value);
    }
  return g_strdup ("v4l2src");
}

/* Stop and show @message (translated) instead of the picture; @detail goes to the log
 * for the staff who look after the kiosk. */
static void
fail (PayamCamera *self,
      const char       *message,
      const char       *detail)
{
  g_message ("Kiosk camera: %s", detail != NULL ? detail : message);
  payam_camera_stop (self);
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message);
  gtk_stack_set_visible_child_name (self->preview_stack, "error");
  update_controls (self);
  g_signal_emit (self, signals[FAILED], 0);
}

static const char *
camera_broken_message (PayamCamera *self)
{
  if (self->broken_message != NULL)
    return self->broken_message;
  if (self->scan)
    return _("The kiosk camera is not working right now. Please type the code printed on "
             "your receipt instead.");
  return _("The kiosk camera is not working right now. You can send your message without "
           "photos.");
}

/* A copy of @sample's RGB picture: its bytes (rows @stride apart), width and height. */
static GBytes *
sample_pixels (GstSample *sample,
               int       *width,
               int       *height,
               gsize     *stride)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GBytes *bytes;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return NULL;
  if (!gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return NULL;
  *width = GST_VIDEO_FRAME_WIDTH (&frame);
  *height = GST_VIDEO_FRAME_HEIGHT (&frame);
  *stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  bytes = g_bytes_new (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), *stride * *height);
  gst_video_frame_unmap (&frame);
  return bytes;
}

/* Show the newest picture the appsink holds, if any. */
static gboolean
frame_tick (gpointer user_data)
{
  PayamCamera *self = user_data;
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (self->sink), 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;
  gsize stride;

  if (sample == NULL)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->sample, gst_sample_unref);
  self->sample = sample;

  bytes = sample_pixels (sample, &width, &height, &stride);
  if (bytes == NULL)
    return G_SOURCE_CONTINUE;
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
  if (!self->has_frame)
    {
      self->has_frame = TRUE;
      g_clear_handle_id (&self->watchdog_source, g_source_remove);
      update_controls (self);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
watchdog (gpointer user_data)
{
  PayamCamera *self = user_data;

  self->watchdog_source = 0;
  if (!self->has_frame)
    fail (self, camera_broken_message (self), "no picture within the first seconds");
  return G_SOURCE_REMOVE;
}

static gboolean
bus_message (GstBus     *bus,
             GstMessage *message,
             gpointer    user_data)
{
  PayamCamera *self = user_data;

  /* GstMessageType is a set of flags, so no switch. */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      self->bus_watch = 0;  /* fail() stops the pipeline; the watch goes with it */
      fail (self, camera_broken_message (self), error->message);
      return G_SOURCE_REMOVE;
    }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (message, "barcode"))
    {
      const GstStructure *structure = gst_message_get_structure (message);
      g_autofree char *symbol = g_strdup (gst_structure_get_string (structure, "symbol"));

      if (symbol == NULL)
        return G_SOURCE_CONTINUE;
      /* One code is enough: stop first, so that a handler may hide or destroy us. */
      self->bus_watch = 0;
      g_object_ref (self);
      payam_camera_stop (self);
      g_signal_emit (self, signals[SCANNED], 0, symbol);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    {
      self->bus_watch = 0;
      fail (self, camera_broken_message (self), "the camera stopped sending pictures");
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

gboolean
payam_camera_start (PayamCamera *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (PAYAM_IS_CAMERA (self), FALSE);

  if (self->pipeline != NULL)
    return TRUE;

  g_clear_pointer (&self->error, g_free);
  self->has_frame = FALSE;
  if (!gst_init_check (NULL, NULL, &error))
    {
      fail (self, camera_broken_message (self), error->message);
      return FALSE;
    }

  /* RGB for GdkMemoryTexture and gdk-pixbuf alike; at most 1280×960, enough for a
   * photo and light enough for a kiosk. The appsink keeps only the newest picture. */
  /* A scanner reads the full picture with zbar (which wants grey or YUV), then shows it. */
  source = camera_source ();
  description = g_strdup_printf ("%s ! videoconvert ! %svideoscale ! "
                                 "video/x-raw,format=RGB,width=(int)[16,1280],"
                                 "height=(int)[16,960],pixel-aspect-ratio=1/1 ! "
                                 "appsink name=sink max-buffers=1 drop=true sync=false "
                                 "enable-last-sample=false",
                                 source, self->scan ? "zbar cache=true ! videoconvert ! " : "");
  self->pipeline = gst_parse_launch (description, &error);
  if (self->pipeline == NULL || error != NULL)
    {
      /* A partial pipeline comes with an error too; it is not used. */
      if (self->pipeline != NULL)
        gst_object_unref (g_steal_pointer (&self->pipeline));
      fail (self, camera_broken_message (self), error != NULL ? error->message : source);
      return FALSE;
    }
  self->sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  g_assert (self->sink != NULL);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, bus_message, self);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gst_error = NULL;

      if (message != NULL)
        gst_message_parse_error (message, &gst_error, NULL);
      fail (self, camera_broken_message (self),
            gst_error != NULL ? gst_error->message : "the camera did not start");
      return FALSE;
    }

  self->frame_source = g_timeout_add (FRAME_INTERVAL_MS, frame_tick, self);
  self->watchdog_source = g_timeout_add_seconds (PAYAM_CAMERA_FIRST_FRAME_SECONDS,
                                                 watchdog, self);
  gtk_stack_set_visible_child_name (self->preview_stack, "live");
  update_controls (self);
  return TRUE;
}

void
payam_camera_stop (PayamCamera *self)
{
  g_return_if_fail (PAYAM_IS_CAMERA (self));

  g_clear_handle_id (&self->frame_source, g_source_remove);
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
  if (self->pipeline != NULL)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      if (self->bus_watch != 0)
        gst_bus_remove_watch (bus);
      self->bus_watch = 0;
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
    }
  g_clear_pointer (&self->sample, gst_sample_unref);
  g_clear_object (&self->sink);
  g_clear_object (&self->pipeline);
  self->has_frame = FALSE;
  if (self->preview != NULL)
    gtk_picture_set_paintable (self->preview, NULL);
  if (self->take_button != NULL)
    update_controls (self);
}

gboolean
payam_camera_is_running (PayamCamera *self)
{
  g_return_val_if_fail (PAYAM_IS_CAMERA (self), FALSE);
  return self->pipeline != NULL;
}

gboolean
payam_camera_has_frame (PayamCamera *self)
{
  g_return_val_if_fail (PAYAM_IS_CAMERA (self), FALSE);
  return self->has_frame;
}

const char *
payam_camera_get_error (PayamCamera *self)
{
  g_return_val_if_fail (PAYAM_IS_CAMERA (self), NULL);
  return self->error;
}

/* The current picture as an imported photo (JPEG through gdk-pixbuf, then
 * payam_photo_import_bytes), or NULL with a translated error. */
static PayamPhoto *
capture (PayamCamera  *self,
         GError           **error)
{
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *jpeg = NULL;
  g_autoptr(GBytes) encoded = NULL;
  gsize jpeg_len = 0;
  int width, height;
  gsize stride;

  if (self->sample == NULL
      || (pixels = sample_pixels (self->sample, &width, &height, &stride)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no picture from the camera yet. Wait a moment and "
                             "try again."));
      return NULL;
    }

  pixbuf = gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                      (int) stride);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_len, "jpeg", &local_error,
                                  "quality", PHOTO_QUALITY, NULL))
    {
      g_message ("Kiosk camera: cannot encode a photo: %s", local_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The photo could not be taken. Please try again."));
      return NULL;
    }
  encoded = g_bytes_new_take (g_steal_pointer (&jpeg), jpeg_len);
  return payam_photo_import_bytes (encoded, error);
}

gboolean
payam_camera_take_photo (PayamCamera  *self,
                               GError           **error)
{
  PayamPhoto *photo;

  g_return_val_if_fail (PAYAM_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self->tray), FALSE);

  if (payam_photo_tray_get_n (self->tray) >= payam_photo_tray_get_max (self->tray))
    {
      g_autofree char *max = payam_format_integer (payam_photo_tray_get_max (self->tray));

      if (self->optional)
        /* Translators: %s is the most photos a message may have (Persian digits). */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                     _("A message can have at most %s photos. Remove one to take another."),
                     max);
      else
        /* Translators: %s is the most photos saved at one time (Persian digits). */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                     _("At most %s photos can be saved at one time. Save these, or remove one "
                       "to take another."), max);
      return FALSE;
    }
  photo = capture (self, error);
  if (photo == NULL)
    return FALSE;
  payam_photo_tray_add (self->tray, photo);
  payam_camera_refresh (self);
  return TRUE;
}

gboolean
payam_camera_retake (PayamCamera  *self,
                           guint              index,
                           GError           **error)
{
  PayamPhoto *photo;

  g_return_val_if_fail (PAYAM_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self->tray), FALSE);
  g_return_val_if_fail (index < payam_photo_tray_get_n (self->tray), FALSE);

  photo = capture (self, error);
  if (photo == NULL)
    return FALSE;
  payam_photo_tray_remove (self->tray, index);
  payam_photo_tray_add (self->tray, photo);
  payam_camera_refresh (self);
  return TRUE;
}

void
payam_camera_remove (PayamCamera *self,
                           guint             index)
{
  g_return_if_fail (PAYAM_IS_CAMERA (self));
  g_return_if_fail (PAYAM_IS_PHOTO_TRAY (self->tray));
  g_return_if_fail (index < payam_photo_tray_get_n (self->tray));

  payam_photo_tray_remove (self->tray, index);
  payam_camera_refresh (self);
}

/* A photo's own error goes where the camera's would: under the picture. */
static void
show_photo_error (PayamCamera *self,
                  const GError     *error)
{
  gtk_label_set_label (self->count_label, error->message);
}

static void
take_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamCamera *self = PAYAM_CAMERA (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_camera_take_photo (self, &error))
    show_photo_error (self, error);
}

static void
retake_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamCamera *self = PAYAM_CAMERA (widget);
  g_autoptr(GError) error = NULL;
  guint index = g_variant_get_uint32 (parameter);

  if (self->tray != NULL && index < payam_photo_tray_get_n (self->tray)
      && !payam_camera_retake (self, index, &error))
    show_photo_error (self, error);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamCamera *self = PAYAM_CAMERA (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (self->tray != NULL && index < payam_photo_tray_get_n (self->tray))
    payam_camera_remove (self, index);
}

/* "Take a photo" only while there is a picture and room for another photo; the line
 * under it counts the photos. */
static void
update_controls (PayamCamera *self)
{
  guint n = self->tray != NULL ? payam_photo_tray_get_n (self->tray) : 0;
  guint most = self->tray != NULL ? payam_photo_tray_get_max (self->tray) : 0;
  gboolean full = n >= most;
  g_autofree char *count = payam_format_integer (n);
  g_autofree char *max = payam_format_integer (most);
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "camera.take",
                                 self->has_frame && !full && self->tray != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "camera.retake", self->has_frame);

  if (self->error != NULL)
    /* The owner's own message for a broken camera says what to do instead. */
    text = g_strdup (self->broken_message != NULL
                     ? "" : _("Photos are optional; you can go on without them."));
  else if (full && self->optional)
    /* Translators: %s is the most photos a message may have (Persian digits). */
    text = g_strdup_printf (_("You have taken %s photos, the most a message can have."), max);
  else if (full)
    /* Translators: %s is the most photos saved at one time (Persian digits). */
    text = g_strdup_printf (_("You have taken %s photos, the most saved at one time."), max);
  else if (self->optional)
    /* Translators: photos taken so far and the most allowed, e.g. "Photos: 1 of 3 (optional)". */
    text = g_strdup_printf (_("Photos: %s of %s (optional)"), count, max);
  else
    /* Translators: photos taken so far and the most saved at one time, e.g. "Photos: 1 of 3". */
    text = g_strdup_printf (_("Photos: %s of %s"), count, max);
  gtk_label_set_label (self->count_label, text);
}

static GtkWidget *
photo_button (const char *icon,
              const char *label,
              const char *action,
              guint       index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (index));
  gtk_widget_add_css_class (button, "kiosk-photo-action");
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

void
payam_camera_refresh (PayamCamera *self)
{
  GtkWidget *child;
  guint n;

  g_return_if_fail (PAYAM_IS_CAMERA (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->photos_box))) != NULL)
    gtk_box_remove (self->photos_box, child);

  n = self->tray != NULL ? payam_photo_tray_get_n (self->tray) : 0;
  for (guint i = 0; i < n; i++)
    {
      const PayamPhoto *photo = payam_photo_tray_get (self->tray, i);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (photo->thumbnail, NULL);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      g_autofree char *number = payam_format_integer (i + 1);
      /* Translators: names of a photo's thumbnail and its buttons; %s is its number. */
      g_autofree char *alt = g_strdup_printf (_("Photo %s"), number);
      g_autofree char *retake = g_strdup_printf (_("Take photo %s again"), number);
      g_autofree char *remove = g_strdup_printf (_("Remove photo %s"), number);

      gtk_picture_set_alternative_text (GTK_PICTURE (picture), alt);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, 124, 93);
      gtk_widget_set_size_request (box, 124, -1);
      gtk_widget_add_css_class (picture, "kiosk-photo-thumbnail");
      gtk_box_append (GTK_BOX (buttons), photo_button ("view-refresh-symbolic", retake,
                                                       "camera.retake", i));
      gtk_box_append (GTK_BOX (buttons), photo_button ("user-trash-symbolic", remove,
                                                       "camera.remove", i));
      gtk_box_append (GTK_BOX (box), picture);
      gtk_box_append (GTK_BOX (box), buttons);
      gtk_box_append (self->photos_box, box);
    }
  update_controls (self);
}

void
payam_camera_set_tray (PayamCamera    *self,
                       PayamPhotoTray *tray)
{
  g_return_if_fail (PAYAM_IS_CAMERA (self));
  g_return_if_fail (tray == NULL || PAYAM_IS_PHOTO_TRAY (tray));

  if (g_set_object (&self->tray, tray))
    payam_camera_refresh (self);
}

void
payam_camera_set_photos_optional (PayamCamera *self,
                                  gboolean     optional)
{
  g_return_if_fail (PAYAM_IS_CAMERA (self));

  self->optional = optional;
  update_controls (self);
}

/* The camera runs only while it can be seen. */
static void
payam_camera_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (payam_camera_parent_class)->map (widget);
  payam_camera_start (PAYAM_CAMERA (widget));
}

static void
payam_camera_unmap (GtkWidget *widget)
{
  payam_camera_stop (PAYAM_CAMERA (widget));
  GTK_WIDGET_CLASS (payam_camera_parent_class)->unmap (widget);
}

static void
payam_camera_dispose (GObject *object)
{
  PayamCamera *self = PAYAM_CAMERA (object);
  GtkWidget *child;

  payam_camera_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_CAMERA);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->tray);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->broken_message, g_free);

  G_OBJECT_CLASS (payam_camera_parent_class)->dispose (object);
}

static void
payam_camera_class_init (PayamCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_camera_dispose;
  widget_class->map = payam_camera_map;
  widget_class->unmap = payam_camera_unmap;

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-camera.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, preview);
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, error_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, take_button);
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, count_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCamera, photos_box);

  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "camera.take", NULL, take_activated);
  gtk_widget_class_install_action (widget_class, "camera.retake", "u", retake_activated);
  gtk_widget_class_install_action (widget_class, "camera.remove", "u", remove_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_camera_init (PayamCamera *self)
{
  self->optional = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_controls (self);
}

void
payam_camera_set_broken_message (PayamCamera *self,
                                       const char       *message)
{
  g_return_if_fail (PAYAM_IS_CAMERA (self));

  g_free (self->broken_message);
  self->broken_message = g_strdup (message);
  update_controls (self);
}

PayamCamera *
payam_camera_new_scanner (void)
{
  PayamCamera *self = g_object_new (PAYAM_TYPE_CAMERA, NULL);

  self->scan = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->take_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->photos_box), FALSE);
  return self;
}
