/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhat: register step 1, the category as one tap on a card, or suggested. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "payam-category-suggest.h"
#include "payam-kiosk-step-what.h"
#include "payam-text.h"

/* Cards per row: 3 fit 1280 px with a readable example line. */
#define COLUMNS 3

struct _PayamKioskStepWhat
{
  PayamKioskStep parent_instance;

  /* owned */
  GPtrArray       *categories;   /* of PayamCategory, in the store's order */
  GPtrArray       *cards;        /* of GtkToggleButton (borrowed: the grid holds them) */
  char            *seeded_text;  /* what this step last wrote into the draft's text */

  gboolean         loaded;

  /* template children (borrowed) */
  GtkGrid         *grid;
  GtkToggleButton *not_sure_button;
  GtkEntry        *describe_entry;
  GtkLabel        *suggest_label;
  GtkBox          *suggest_box;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepWhat, payam_kiosk_step_what, PAYAM_TYPE_KIOSK_STEP)

/* The words typed under "not sure?" become the draft's text, unless the citizen has
 * written something else there since (the describe step then shows their own words). */
static void
seed_text (PayamKioskStepWhat *self)
{
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self));
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->describe_entry));
  const char *current = payam_kiosk_draft_get_text (draft);
  g_autofree char *stripped = g_strstrip (g_strdup (typed));

  if (*stripped == '\0')
    return;
  if (current != NULL && g_strcmp0 (current, self->seeded_text) != 0)
    return;
  payam_kiosk_draft_set_text (draft, stripped);
  g_free (self->seeded_text);
  self->seeded_text = g_steal_pointer (&stripped);
}

static void
card_toggled (GtkToggleButton    *card,
              PayamKioskStepWhat *self)
{
  const PayamCategory *category = g_object_get_data (G_OBJECT (card), "payam-category");

  gtk_widget_set_visible (g_object_get_data (G_OBJECT (card), "payam-check"),
                          gtk_toggle_button_get_active (card));
  if (!gtk_toggle_button_get_active (card))
    return;
  payam_kiosk_draft_set_category (payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self)),
                                  category->code);
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}

/* A large card for @category: icon, name, its first example (wrapped), and a check
 * mark while chosen. The category is borrowed from self->categories. */
static GtkWidget *
make_card (PayamKioskStepWhat  *self,
           const PayamCategory *category)
{
  GtkWidget *card = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name (category->icon != NULL && *category->icon != '\0'
                                                  ? category->icon : "dialog-information-symbolic");
  GtkWidget *name = gtk_label_new (category->name);
  GtkWidget *example = gtk_label_new (category->examples != NULL && category->examples[0] != NULL
                                      ? category->examples[0] : "");
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *description = NULL;

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 40);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  /* Name and example wrap between words rather than being cut: a card grows instead. */
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_add_css_class (name, "kiosk-card-name");
  gtk_label_set_xalign (GTK_LABEL (example), 0);
  gtk_label_set_wrap (GTK_LABEL (example), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (example), PANGO_WRAP_WORD);
  gtk_widget_add_css_class (example, "kiosk-card-example");
  gtk_image_set_pixel_size (GTK_IMAGE (check), 32);
  gtk_widget_set_visible (check, FALSE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), example);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), check);
  gtk_button_set_child (GTK_BUTTON (card), box);
  gtk_widget_add_css_class (card, "kiosk-category");

  /* The name is what a screen reader says; the example is its description. */
  description = g_strdup (gtk_label_get_label (GTK_LABEL (example)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, category->name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  g_object_set_data (G_OBJECT (card), "payam-category", (gpointer) category);
  g_object_set_data (G_OBJECT (card), "payam-check", check);
  g_signal_connect_object (card, "toggled", G_CALLBACK (card_toggled), self, 0);
  return card;
}

static GtkToggleButton *
card_for (PayamKioskStepWhat *self,
          const char         *code)
{
  for (guint i = 0; code != NULL && i < self->categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (self->categories, i);

      if (g_strcmp0 (category->code, code) == 0)
        return g_ptr_array_index (self->cards, i);
    }
  return NULL;
}

/* Fill the grid from the store once (the step is made before the store is known to
 * the template, so not in init). */
static void
load (PayamKioskStepWhat *self)
{
  PayamStore *store = payam_kiosk_step_get_store (PAYAM_KIOSK_STEP (self));
  g_autoptr(GError) error = NULL;
  GtkToggleButton *first = NULL;

  if (self->loaded || store == NULL)
    return;
  self->loaded = TRUE;

  self->categories = payam_store_list_categories (store, &error);
  if (self->categories == NULL)
    {
      g_warning ("Cannot list categories: %s", error->message);
      self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_category_free);
    }
  for (guint i = 0; i < self->categories->len; i++)
    {
      GtkWidget *card = make_card (self, g_ptr_array_index (self->categories, i));

      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (card);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (card), first);
      gtk_grid_attach (self->grid, card, i % COLUMNS, i / COLUMNS, 1, 1);
      g_ptr_array_add (self->cards, card);
    }
}

static void
suggestion_clicked (GtkButton          *button,
                    PayamKioskStepWhat *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "payam-code");
  GtkToggleButton *card = card_for (self, code);

  seed_text (self);
  if (card != NULL)
    {
      gtk_toggle_button_set_active (card, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (card));
    }
}

/* Up to three categories for the words typed, as buttons under the entry. */
static void
describe_changed (GtkEditable        *entry,
                  PayamKioskStepWhat *self)
{
  g_autofree char *norm = payam_text_normalize (gtk_editable_get_text (entry));
  g_autoptr(GPtrArray) suggestions = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggest_box))) != NULL)
    gtk_box_remove (self->suggest_box, child);

  if (*norm == '\0')
    {
      gtk_label_set_label (self->suggest_label, "");
      return;
    }

  suggestions = payam_category_suggest (self->categories, norm, PAYAM_CATEGORY_SUGGEST_MAX);
  gtk_label_set_label (self->suggest_label,
                       suggestions->len > 0
                       ? _("Perhaps one of these? Touch it to choose:")
                       : _("No suggestion yet: write a few more words, or choose one of the cards below."));
  for (guint i = 0; i < suggestions->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (suggestions, i);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), category->name);
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content),
                                        category->icon != NULL && *category->icon != '\0'
                                        ? category->icon : "dialog-information-symbolic");
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_add_css_class (button, "kiosk-touch");
      gtk_widget_add_css_class (button, "kiosk-suggestion");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, category->name, -1);
      g_object_set_data_full (G_OBJECT (button), "payam-code", g_strdup (category->code), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (suggestion_clicked), self, 0);
      gtk_box_append (self->suggest_box, button);
    }
}

/* Show the draft's category as the chosen card (coming back to this step). */
static void
payam_kiosk_step_what_enter (PayamKioskStep *step)
{
  PayamKioskStepWhat *self = PAYAM_KIOSK_STEP_WHAT (step);
  const char *code = payam_kiosk_draft_get_category (payam_kiosk_step_get_draft (step));
  GtkToggleButton *card;

  load (self);
  card = card_for (self, code);
  if (card != NULL && !gtk_toggle_button_get_active (card))
    gtk_toggle_button_set_active (card, TRUE);
  payam_kiosk_step_set_complete (step, card != NULL);
}

static gboolean
payam_kiosk_step_what_leave (PayamKioskStep  *step,
                             GError         **error)
{
  PayamKioskStepWhat *self = PAYAM_KIOSK_STEP_WHAT (step);

  for (guint i = 0; i < self->cards->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->cards, i)))
      {
        const PayamCategory *category = g_ptr_array_index (self->categories, i);

        payam_kiosk_draft_set_category (payam_kiosk_step_get_draft (step), category->code);
      }
  seed_text (self);
  return TRUE;
}

static void
payam_kiosk_step_what_constructed (GObject *object)
{
  PayamKioskStepWhat *self = PAYAM_KIOSK_STEP_WHAT (object);

  G_OBJECT_CLASS (payam_kiosk_step_what_parent_class)->constructed (object);
  load (self);
}

static void
payam_kiosk_step_what_dispose (GObject *object)
{
  PayamKioskStepWhat *self = PAYAM_KIOSK_STEP_WHAT (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_STEP_WHAT);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->seeded_text, g_free);

  G_OBJECT_CLASS (payam_kiosk_step_what_parent_class)->dispose (object);
}

static void
payam_kiosk_step_what_class_init (PayamKioskStepWhatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->constructed = payam_kiosk_step_what_constructed;
  object_class->dispose = payam_kiosk_step_what_dispose;

  step_class->title = N_("What is the problem?");
  step_class->needed = N_("To go on to the next step, touch the card of your problem.");
  step_class->enter = payam_kiosk_step_what_enter;
  step_class->leave = payam_kiosk_step_what_leave;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-what.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhat, grid);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhat, not_sure_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhat, describe_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhat, suggest_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhat, suggest_box);
  gtk_widget_class_bind_template_callback (widget_class, describe_changed);
}

/* Opening "not sure?" puts the cursor (and the on-screen keyboard) in its field. */
static void
not_sure_toggled (GtkToggleButton    *button,
                  PayamKioskStepWhat *self)
{
  if (gtk_toggle_button_get_active (button))
    gtk_widget_grab_focus (GTK_WIDGET (self->describe_entry));
}

static void
payam_kiosk_step_what_init (PayamKioskStepWhat *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->not_sure_button, "toggled", G_CALLBACK (not_sure_toggled), self, 0);
  self->cards = g_ptr_array_new ();
}
