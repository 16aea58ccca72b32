/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamPhotoTray: photos taken and not yet saved, at most a given number. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-photo-tray.h"

struct _PayamPhotoTray
{
  GObject    parent_instance;
  guint      max;
  GPtrArray *photos;  /* of PayamPhoto */
};

G_DEFINE_FINAL_TYPE (PayamPhotoTray, payam_photo_tray, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
payam_photo_tray_finalize (GObject *object)
{
  PayamPhotoTray *self = PAYAM_PHOTO_TRAY (object);

  g_clear_pointer (&self->photos, g_ptr_array_unref);
  G_OBJECT_CLASS (payam_photo_tray_parent_class)->finalize (object);
}

static void
payam_photo_tray_class_init (PayamPhotoTrayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_photo_tray_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
payam_photo_tray_init (PayamPhotoTray *self)
{
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_photo_free);
}

PayamPhotoTray *
payam_photo_tray_new (guint max)
{
  PayamPhotoTray *self;

  g_return_val_if_fail (max >= 1, NULL);
  self = g_object_new (PAYAM_TYPE_PHOTO_TRAY, NULL);
  self->max = max;
  return self;
}

guint
payam_photo_tray_get_max (PayamPhotoTray *self)
{
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self), 0);
  return self->max;
}

guint
payam_photo_tray_get_n (PayamPhotoTray *self)
{
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self), 0);
  return self->photos->len;
}

const PayamPhoto *
payam_photo_tray_get (PayamPhotoTray *self,
                      guint           index)
{
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self), NULL);
  g_return_val_if_fail (index < self->photos->len, NULL);
  return g_ptr_array_index (self->photos, index);
}

gboolean
payam_photo_tray_add (PayamPhotoTray *self,
                      PayamPhoto     *photo)
{
  g_return_val_if_fail (PAYAM_IS_PHOTO_TRAY (self), FALSE);
  g_return_val_if_fail (photo != NULL, FALSE);

  if (self->photos->len >= self->max)
    {
      payam_photo_free (photo);
      return FALSE;
    }
  g_ptr_array_add (self->photos, photo);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
payam_photo_tray_remove (PayamPhotoTray *self,
                         guint           index)
{
  g_return_if_fail (PAYAM_IS_PHOTO_TRAY (self));
  g_return_if_fail (index < self->photos->len);

  g_ptr_array_remove_index (self->photos, index);
  g_signal_emit (self, signals[CHANGED], 0);
}
