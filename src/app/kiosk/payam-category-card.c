/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCategoryCard: a category's icon, name and guidance on the kiosk welcome screen. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-category-card.h"

struct _PayamCategoryCard
{
  GtkBox parent_instance;

  /* template children (borrowed) */
  GtkImage *icon_image;
  GtkLabel *name_label;
  GtkLabel *guidance_label;
};

G_DEFINE_FINAL_TYPE (PayamCategoryCard, payam_category_card, GTK_TYPE_BOX)

static void
payam_category_card_class_init (PayamCategoryCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-category-card.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCategoryCard, icon_image);
  gtk_widget_class_bind_template_child (widget_class, PayamCategoryCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCategoryCard, guidance_label);
}

static void
payam_category_card_init (PayamCategoryCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A card showing @category (copied into the labels; the card keeps no pointer to it). A
 * category without an icon name gets a generic one; one without guidance shows only its
 * name. */
GtkWidget *
payam_category_card_new (const PayamCategory *category)
{
  PayamCategoryCard *self;
  gboolean has_guidance;

  g_return_val_if_fail (category != NULL, NULL);

  self = g_object_new (PAYAM_TYPE_CATEGORY_CARD, NULL);
  gtk_image_set_from_icon_name (self->icon_image,
                                category->icon != NULL && category->icon[0] != '\0'
                                ? category->icon : "dialog-information-symbolic");
  gtk_label_set_label (self->name_label, category->name != NULL ? category->name : category->code);

  has_guidance = category->guidance != NULL && category->guidance[0] != '\0';
  gtk_label_set_label (self->guidance_label, has_guidance ? category->guidance : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guidance_label), has_guidance);

  return GTK_WIDGET (self);
}
