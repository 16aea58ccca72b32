/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamPhotoTray: the photos a camera has taken and not yet saved, at most a given number:
 * a kiosk message's photos, or a crew's before or after photos. */
#pragma once

#include <glib-object.h>

#include "payam-photo.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_PHOTO_TRAY (payam_photo_tray_get_type ())

G_DECLARE_FINAL_TYPE (PayamPhotoTray, payam_photo_tray, PAYAM, PHOTO_TRAY, GObject)

/* A tray for at most @max photos (≥ 1). Signal "changed" (no arguments) after each add or
 * remove. */
PayamPhotoTray   *payam_photo_tray_new       (guint           max);
guint             payam_photo_tray_get_max   (PayamPhotoTray *self);
guint             payam_photo_tray_get_n     (PayamPhotoTray *self);
const PayamPhoto *payam_photo_tray_get       (PayamPhotoTray *self,
                                              guint           index);
/* Takes @photo (freed also when refused); FALSE, nothing changed, when the tray is full. */
gboolean          payam_photo_tray_add       (PayamPhotoTray *self,
                                              PayamPhoto     *photo);
void              payam_photo_tray_remove    (PayamPhotoTray *self,
                                              guint           index);

G_END_DECLS
