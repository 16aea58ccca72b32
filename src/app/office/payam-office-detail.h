/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeDetail: one message in full beside the office's lists, with its timeline. */
#pragma once

#include <adwaita.h>

#include "payam-queue-item.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_DETAIL (payam_office_detail_get_type ())
G_DECLARE_FINAL_TYPE (PayamOfficeDetail, payam_office_detail, PAYAM, OFFICE_DETAIL, GtkBox)

/* Show @item (NULL: nothing chosen) read again from @store: the request's words, place,
 * category, priority and deadline and why, a conflict's two values, and the whole
 * timeline with who and when in Jalali dates. A failure to read shows in its place. */
void        payam_office_detail_show        (PayamOfficeDetail *self,
                                             PayamStore        *store,
                                             PayamQueueItem    *item);
/* The request shown, or NULL. */
const char *payam_office_detail_get_request_id (PayamOfficeDetail *self);

G_END_DECLS
