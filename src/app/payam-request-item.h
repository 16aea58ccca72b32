/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestItem: a stored request wrapped as a GObject for list models. */
#pragma once

#include <glib-object.h>

#include "payam-request.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_REQUEST_ITEM (payam_request_item_get_type ())

G_DECLARE_FINAL_TYPE (PayamRequestItem, payam_request_item, PAYAM, REQUEST_ITEM, GObject)

PayamRequestItem   *payam_request_item_new               (PayamRequest     *request,
                                                          const char       *category_name);
const PayamRequest *payam_request_item_get_request       (PayamRequestItem *self);
const char         *payam_request_item_get_category_name (PayamRequestItem *self);

G_END_DECLS
