/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small pieces the office window's pages share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Show @message as a toast in the window's overlay above @widget (a warning in the log when
 * @widget is not in one). */
void       payam_office_toast      (GtkWidget  *widget,
                                    const char *message);
/* Remove every row of @list (GTK 4.8 has no gtk_list_box_remove_all()). */
void       payam_office_clear_list (GtkListBox *list);
/* A label for a row: start-aligned, wrapping; @css a style class or NULL. */
GtkWidget *payam_office_row_label  (const char *text,
                                    const char *css);

G_END_DECLS
