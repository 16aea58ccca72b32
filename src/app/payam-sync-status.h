/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncStatus: when the device last synced, whether it is online, what waits, progress. */
#pragma once

#include <gtk/gtk.h>

#include "payam-sync-service.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_SYNC_STATUS (payam_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (PayamSyncStatus, payam_sync_status, PAYAM, SYNC_STATUS, GtkBox)

GtkWidget        *payam_sync_status_new         (void);
PayamSyncService *payam_sync_status_get_service (PayamSyncStatus  *self);
void              payam_sync_status_set_service (PayamSyncStatus  *self,
                                                 PayamSyncService *service);

G_END_DECLS
