/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskCamera: the kiosk camera's live picture, "take a photo", and the photos taken. */
#pragma once

#include <gtk/gtk.h>

#include "payam-kiosk-draft.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_CAMERA (payam_kiosk_camera_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskCamera, payam_kiosk_camera, PAYAM, KIOSK_CAMERA, GtkWidget)

/* Seconds the camera may take to send its first picture before it counts as failed. */
#define PAYAM_KIOSK_CAMERA_FIRST_FRAME_SECONDS 5

/* The camera runs while the widget is mapped (the describe step is on screen) and stops
 * when it is unmapped or destroyed; start and stop may also be called directly. Its
 * source is a GStreamer description: $PAYAM_KIOSK_CAMERA if set, else the "kiosk-camera"
 * setting, else "v4l2src". Photos go into the draft (at most PAYAM_KIOSK_MAX_PHOTOS). A
 * camera that cannot start or sends no picture shows a Persian message instead of the
 * picture; the citizen then goes on without photos. */
/* A camera that reads QR codes instead of taking photos: it shows the live picture (no
 * photo controls), and at the first code it stops and emits "scanned" (const char *text,
 * the code's contents). Its message for a failing camera asks to type the code. */
PayamKioskCamera *payam_kiosk_camera_new_scanner (void);
/* What to show for a missing or failing camera (translated; NULL: the kiosk's words, with
 * "photos are optional" under them), for a camera used elsewhere (the crew's laptop). Signal
 * "failed" (no arguments) is emitted whenever the camera stops with that message. */
void             payam_kiosk_camera_set_broken_message (PayamKioskCamera *self,
                                                        const char       *message);
void             payam_kiosk_camera_set_draft  (PayamKioskCamera  *self,
                                                PayamKioskDraft   *draft);
/* Start the camera (no-op when running). FALSE when it failed at once; then
 * payam_kiosk_camera_get_error() says so. A failure found later (a pipeline error, no
 * first picture in time) stops it and sets the error as well. */
gboolean         payam_kiosk_camera_start      (PayamKioskCamera  *self);
void             payam_kiosk_camera_stop       (PayamKioskCamera  *self);
gboolean         payam_kiosk_camera_is_running (PayamKioskCamera  *self);
/* TRUE once a picture has arrived since the camera started. */
gboolean         payam_kiosk_camera_has_frame  (PayamKioskCamera  *self);
/* The translated message shown for a missing or failing camera, or NULL. */
const char      *payam_kiosk_camera_get_error  (PayamKioskCamera  *self);
/* Take the current picture as a photo into the draft. FALSE with a translated error when
 * there is no picture, the draft is full, or the photo cannot be imported. */
gboolean         payam_kiosk_camera_take_photo (PayamKioskCamera  *self,
                                                GError           **error);
/* Replace photo @index with the current picture (the new one goes last); on error the old
 * photo stays. */
gboolean         payam_kiosk_camera_retake     (PayamKioskCamera  *self,
                                                guint              index,
                                                GError           **error);
void             payam_kiosk_camera_remove     (PayamKioskCamera  *self,
                                                guint              index);
/* Show the draft's photos again (after the draft changed elsewhere). */
void             payam_kiosk_camera_refresh    (PayamKioskCamera  *self);

G_END_DECLS
