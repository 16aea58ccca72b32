/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCamera: the kiosk camera's live picture, "take a photo", and the photos taken. */
#pragma once

#include <gtk/gtk.h>

#include "payam-photo-tray.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CAMERA (payam_camera_get_type ())

G_DECLARE_FINAL_TYPE (PayamCamera, payam_camera, PAYAM, CAMERA, GtkWidget)

/* Seconds the camera may take to send its first picture before it counts as failed. */
#define PAYAM_CAMERA_FIRST_FRAME_SECONDS 5

/* The camera runs while the widget is mapped (the kiosk's describe step or the crew's camera window is on screen) and stops
 * when it is unmapped or destroyed; start and stop may also be called directly. Its
 * source is a GStreamer description: $PAYAM_KIOSK_CAMERA if set, else the "kiosk-camera"
 * setting, else "v4l2src". Photos go into the tray (as many as it holds). A
 * camera that cannot start or sends no picture shows a Persian message instead of the
 * picture; the citizen then goes on without photos. */
/* A camera that reads QR codes instead of taking photos: it shows the live picture (no
 * photo controls), and at the first code it stops and emits "scanned" (const char *text,
 * the code's contents). Its message for a failing camera asks to type the code. */
PayamCamera *payam_camera_new_scanner (void);
/* What to show for a missing or failing camera (translated; NULL: the kiosk's words, with
 * "photos are optional" under them), for a camera used elsewhere (the crew's laptop). Signal
 * "failed" (no arguments) is emitted whenever the camera stops with that message. */
void             payam_camera_set_broken_message (PayamCamera *self,
                                                        const char       *message);
void             payam_camera_set_tray         (PayamCamera      *self,
                                                PayamPhotoTray   *tray);
/* Whether the photos are optional (TRUE, the default: a citizen's message); the line under
 * the picture says so, or only counts them. */
void             payam_camera_set_photos_optional (PayamCamera   *self,
                                                   gboolean       optional);
/* Start the camera (no-op when running). FALSE when it failed at once; then
 * payam_camera_get_error() says so. A failure found later (a pipeline error, no
 * first picture in time) stops it and sets the error as well. */
gboolean         payam_camera_start      (PayamCamera  *self);
void             payam_camera_stop       (PayamCamera  *self);
gboolean         payam_camera_is_running (PayamCamera  *self);
/* TRUE once a picture has arrived since the camera started. */
gboolean         payam_camera_has_frame  (PayamCamera  *self);
/* The translated message shown for a missing or failing camera, or NULL. */
const char      *payam_camera_get_error  (PayamCamera  *self);
/* Take the current picture as a photo into the tray. FALSE with a translated error when
 * there is no picture, the tray is full, or the photo cannot be imported. */
gboolean         payam_camera_take_photo (PayamCamera  *self,
                                                GError           **error);
/* Replace photo @index with the current picture (the new one goes last); on error the old
 * photo stays. */
gboolean         payam_camera_retake     (PayamCamera  *self,
                                                guint              index,
                                                GError           **error);
void             payam_camera_remove     (PayamCamera  *self,
                                                guint              index);
/* Show the tray's photos again (after the tray changed elsewhere). */
void             payam_camera_refresh    (PayamCamera  *self);

G_END_DECLS
