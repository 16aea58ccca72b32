/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: photo import of any bytes: a photo with its SHA-256, sizes in range and a
 * thumbnail, or an error. */
#include "config.h"

#include <string.h>

#include "payam-fuzz.h"
#include "payam-photo.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamPhoto) photo = payam_photo_import_bytes (bytes, &error);

  if (photo == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_true (photo->width > 0 && photo->height > 0);
  g_assert_nonnull (photo->bytes);
  g_assert_cmpuint (strlen (photo->sha256), ==, 64);
  return 0;
}
