/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamApplication: options, settings, the store and the window of the chosen mode. */
#pragma once

#include <adwaita.h>

#include "payam-app-enums.h"
#include "payam-app-types.h"
#include "payam-store.h"
#include "payam-sync-service.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_APPLICATION (payam_application_get_type ())

G_DECLARE_FINAL_TYPE (PayamApplication, payam_application, PAYAM, APPLICATION, AdwApplication)

PayamApplication *payam_application_new         (void);
PayamAppMode      payam_application_get_mode    (PayamApplication *self);
void              payam_application_set_mode    (PayamApplication *self,
                                                 PayamAppMode      mode);
const char       *payam_application_get_db_path (PayamApplication *self);
void              payam_application_set_db_path (PayamApplication *self,
                                                 const char       *db_path);
PayamStore       *payam_application_get_store   (PayamApplication *self);
PayamSyncService *payam_application_get_sync_service (PayamApplication *self);

G_END_DECLS
