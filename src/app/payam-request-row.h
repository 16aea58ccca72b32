/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestRow: one request in a list, every number and date through the core formatters. */
#pragma once

#include <gtk/gtk.h>

#include "payam-request-item.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_REQUEST_ROW (payam_request_row_get_type ())

G_DECLARE_FINAL_TYPE (PayamRequestRow, payam_request_row, PAYAM, REQUEST_ROW, GtkBox)

GtkWidget        *payam_request_row_new            (void);
void              payam_request_row_set_item       (PayamRequestRow  *self,
                                                    PayamRequestItem *item,
                                                    GDateTime        *now);
void              payam_request_row_set_now        (PayamRequestRow  *self,
                                                    GDateTime        *now);
PayamRequestItem *payam_request_row_get_item       (PayamRequestRow  *self);

G_END_DECLS
