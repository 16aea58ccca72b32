/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCategoryCard: a category's icon, name and guidance on the kiosk welcome screen. */
#pragma once

#include <gtk/gtk.h>

#include "payam-category.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CATEGORY_CARD (payam_category_card_get_type ())

G_DECLARE_FINAL_TYPE (PayamCategoryCard, payam_category_card, PAYAM, CATEGORY_CARD, GtkBox)

GtkWidget *payam_category_card_new (const PayamCategory *category);

G_END_DECLS
