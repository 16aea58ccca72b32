/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamRequestList: the open requests of a store in a GtkListView, with an empty state. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_REQUEST_LIST (payam_request_list_get_type ())

G_DECLARE_FINAL_TYPE (PayamRequestList, payam_request_list, PAYAM, REQUEST_LIST, GtkBox)

GtkWidget  *payam_request_list_new       (void);
gboolean    payam_request_list_reload    (PayamRequestList  *self,
                                          PayamStore        *store,
                                          GDateTime         *now,
                                          GError           **error);
GListModel *payam_request_list_get_model (PayamRequestList  *self);
void        payam_request_list_set_now   (PayamRequestList  *self,
                                          GDateTime         *now);
GDateTime  *payam_request_list_get_now   (PayamRequestList  *self);

G_END_DECLS
