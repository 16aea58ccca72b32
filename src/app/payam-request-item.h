/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestItem: a stored request wrapped as a GObject for list models. */
#pragma once

#include <gio/gio.h>

#include "payam-request.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_REQUEST_ITEM (payam_request_item_get_type ())

G_DECLARE_FINAL_TYPE (PayamRequestItem, payam_request_item, PAYAM, REQUEST_ITEM, GObject)

PayamRequestItem   *payam_request_item_new               (PayamRequest     *request,
                                                          const char       *category_name);
const PayamRequest *payam_request_item_get_request       (PayamRequestItem *self);
const char         *payam_request_item_get_category_name (PayamRequestItem *self);
gboolean            payam_request_item_get_photo_pending (PayamRequestItem *self);
void                payam_request_item_set_photo_pending (PayamRequestItem *self,
                                                          gboolean          photo_pending);
gboolean            payam_request_items_mark_photo_pending (GListModel     *items,
                                                            PayamStore     *store,
                                                            GError        **error);

G_END_DECLS
