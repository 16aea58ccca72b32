/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A printable worksheet (one page each: code, place, words, deadline, QR code, members,
 * space for notes) and the day's list in route order on one sheet. */
#pragma once

#include <gtk/gtk.h>

#include "payam-store.h"

G_BEGIN_DECLS

/* Print @sheets (a GListModel of PayamCrewSheet): one worksheet gets its own page, more
 * make the day's list on one page in their order. With $PAYAM_PRINT_PDF naming a file
 * the pages go there as PDF at once; otherwise through the print dialog over @parent.
 * FALSE with a translated error when nothing could be printed. */
gboolean payam_crew_print (GtkWindow   *parent,
                           PayamStore  *store,
                           GListModel  *sheets,
                           GError     **error);

G_END_DECLS
