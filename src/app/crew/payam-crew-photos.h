/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before and after photos for a worksheet: from the laptop camera or imported from a folder
 * (a phone's card), re-encoded and stripped by the core and stored on the device. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"
#include "payam-store-worksheets.h"

G_BEGIN_DECLS

/* Ask for photos of @kind (PAYAM_ACTION_BEFORE or _AFTER) over @parent's window: the
 * camera in a small window (take one or more, then "Save photos"), or the file chooser
 * when @import. Each photo is imported (payam_photo_import_file) and stored in @store. */
void   payam_crew_photos_async  (GtkWidget           *parent,
                                 PayamStore          *store,
                                 PayamActionKind      kind,
                                 gboolean             import,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
/* The SHA-256s of the stored photos (caller owns them), *@kind as asked; NULL without an
 * error when the crew cancelled or took none. A translated error (not an image, too large,
 * disk full) may come with the photos kept before it (record them, then say it) or alone.
 * A missing or failing camera says so and offers the folder instead. */
GStrv  payam_crew_photos_finish (GAsyncResult        *result,
                                 PayamActionKind     *kind,
                                 GError             **error);

G_END_DECLS
