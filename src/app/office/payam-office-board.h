/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeBoard: the assignment board, crews with their open work, giving work to a crew. */
#pragma once

#include <adwaita.h>

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_OFFICE_BOARD (payam_office_board_get_type ())
G_DECLARE_FINAL_TYPE (PayamOfficeBoard, payam_office_board, PAYAM, OFFICE_BOARD, GtkBox)

/* Read the board again from @store (crews, and the work of the crew chosen, else the work
 * nobody has); @category_names (code → name, borrowed for the board's life) names the
 * categories. A failure to read shows as a toast of the window's overlay. */
void        payam_office_board_reload     (PayamOfficeBoard *self,
                                           PayamStore       *store,
                                           GHashTable       *category_names);

G_END_DECLS
