/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepReview: the summary of the draft, "edit" jumps back, the expected response. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-deadline.h"
#include "payam-format.h"
#include "payam-kiosk-register.h"
#include "payam-kiosk-step-review.h"
#include "payam-phone.h"

#define THUMB_PX 64

/* The register steps the rows jump back to (payam-kiosk-register.c's order). */
enum {
  STEP_WHAT,
  STEP_WHERE,
  STEP_DESCRIBE,
  STEP_DANGER,
  STEP_SIMILAR,
  STEP_CONTACT,
};

struct _PayamKioskStepReview
{
  PayamKioskStep parent_instance;

  /* template children (borrowed) */
  GtkGrid  *summary_grid;
  GtkLabel *due_label;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepReview, payam_kiosk_step_review, PAYAM_TYPE_KIOSK_STEP)

static void
edit_clicked (GtkButton            *button,
              PayamKioskStepReview *self)
{
  GtkWidget *flow = gtk_widget_get_ancestor (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_REGISTER);
  guint step = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "step"));

  if (flow != NULL)
    payam_kiosk_register_go_to (PAYAM_KIOSK_REGISTER (flow), step);
}

static GtkWidget *
value_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "kiosk-review-value");
  return label;
}

/* One row of the summary: the field's name, its value and "Edit" (to @step). */
static void
add_row (PayamKioskStepReview *self,
         int                   row,
         const char           *name,
         GtkWidget            *value,
         guint                 step,
         const char           *edit_name)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *edit = gtk_button_new_with_label (_("Edit"));

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_set_valign (name_label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (name_label, "kiosk-review-name");
  gtk_widget_set_valign (value, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edit, "kiosk-edit");
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  edit_name, -1);
  g_object_set_data (G_OBJECT (edit), "step", GUINT_TO_POINTER (step));
  g_signal_connect_object (edit, "clicked", G_CALLBACK (edit_clicked), self, 0);

  gtk_grid_attach (self->summary_grid, name_label, 0, row, 1, 1);
  gtk_grid_attach (self->summary_grid, value, 1, row, 1, 1);
  gtk_grid_attach (self->summary_grid, edit, 2, row, 1, 1);
}

/* The name of the place @code of @kind (under @parent), or @code itself when the gazetteer
 * does not list it (the draft may hold a name). */
static char *
place_name (PayamStore *store,
            const char *kind,
            const char *parent,
            const char *code)
{
  g_autoptr(GPtrArray) places = payam_store_list_places (store, kind, parent, NULL);

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *place = places->pdata[i];

      if (g_strcmp0 (place->code, code) == 0)
        return g_strdup (place->name);
    }
  return g_strdup (code);
}

static char *
place_text (PayamStore      *store,
            PayamKioskDraft *draft)
{
  const char *neighbourhood = payam_kiosk_draft_get_neighbourhood (draft);
  const char *street = payam_kiosk_draft_get_street (draft);
  const char *landmark = payam_kiosk_draft_get_landmark (draft);
  const char *note = payam_kiosk_draft_get_place_note (draft);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (neighbourhood != NULL)
    g_ptr_array_add (parts, place_name (store, "neighbourhood", NULL, neighbourhood));
  if (street != NULL)
    g_ptr_array_add (parts, place_name (store, "street", neighbourhood, street));
  if (landmark != NULL)
    g_ptr_array_add (parts, place_name (store, "landmark", neighbourhood, landmark));
  if (note != NULL)
    g_ptr_array_add (parts, g_strdup (note));
  if (parts->len == 0)
    return g_strdup (_("Not given"));
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the parts of a place (neighbourhood, street, …). */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

/* The citizen's text, "n photos" and their thumbnails (or "No photos"), on one row. */
static GtkWidget *
description_value (PayamKioskDraft *draft)
{
  guint n = payam_kiosk_draft_get_n_photos (draft);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  const char *text = payam_kiosk_draft_get_text (draft);
  g_autofree char *count = payam_format_integer (n);
  g_autofree char *photos = NULL;
  GtkWidget *photos_label;

  if (n == 0)
    photos = g_strdup (_("No photos"));
  else
    /* Translators: %s is a number of photos in Persian digits. */
    photos = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s photo", "%s photos", n), count);
  gtk_box_append (GTK_BOX (box), value_label (text != NULL ? text : _("Not given")));
  photos_label = gtk_label_new (photos);
  gtk_widget_add_css_class (photos_label, "kiosk-review-value");
  gtk_box_append (GTK_BOX (box), photos_label);
  for (guint i = 0; i < n; i++)
    {
      const PayamPhoto *photo = payam_kiosk_draft_get_photo (draft, i);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (photo->thumbnail, NULL);
      GtkWidget *picture;

      if (texture == NULL)
        continue;
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (picture, THUMB_PX, THUMB_PX);
      gtk_widget_add_css_class (picture, "kiosk-thumbnail");
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Your photo"), -1);
      gtk_box_append (GTK_BOX (box), picture);
    }
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

/* The danger answers that were "yes" and the priority they give, on one line. Caller
 * owns it. */
static char *
danger_text (PayamStore      *store,
             PayamKioskDraft *draft)
{
  const PayamHazardAnswers *answers = payam_kiosk_draft_get_answers (draft);
  PayamPriority priority = payam_kiosk_draft_compute_priority (draft, store);
  g_autoptr(GPtrArray) yes = g_ptr_array_new ();
  g_autofree char *said = NULL;

  if (answers->danger_to_people)
    g_ptr_array_add (yes, (char *) _("danger to people now"));
  if (answers->blocks_road)
    g_ptr_array_add (yes, (char *) _("a road or passage is blocked"));
  if (answers->utilities)
    g_ptr_array_add (yes, (char *) _("water, gas or electricity"));
  if (yes->len == 0)
    said = g_strdup (_("No danger reported"));
  else
    {
      g_ptr_array_add (yes, NULL);
      /* Translators: the separator between danger answers. */
      said = g_strjoinv (_(", "), (char **) yes->pdata);
    }
  /* Translators: the danger answers (or "No danger reported"), then the priority word. */
  return g_strdup_printf (_("%s — priority: %s"), said, payam_priority_label (priority));
}

/* The masked phone (its own label, left to right like the number field) and the name, or
 * "Not given". */
static GtkWidget *
contact_value (PayamKioskDraft *draft)
{
  const char *phone = payam_kiosk_draft_get_phone (draft);
  const char *name = payam_kiosk_draft_get_name (draft);
  g_autofree char *normalized = phone != NULL ? payam_phone_normalize (phone, NULL) : NULL;
  GtkWidget *box;

  if (normalized == NULL && name == NULL)
    return value_label (_("Not given: follow your message with the tracking code"));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  if (normalized != NULL)
    {
      /* The middle digits hidden: someone may be reading over the citizen's shoulder. */
      g_autofree char *masked = payam_phone_format (normalized, TRUE);
      GtkWidget *label = gtk_label_new (masked);

      /* A phone number reads left to right in Persian too (STYLE §26). */
      gtk_widget_set_direction (label, GTK_TEXT_DIR_LTR);
      gtk_widget_add_css_class (label, "kiosk-review-value");
      gtk_box_append (GTK_BOX (box), label);
    }
  if (name != NULL)
    gtk_box_append (GTK_BOX (box), value_label (name));
  else
    gtk_widget_set_hexpand (box, TRUE);
  return box;
}

/* When the office should answer, by the category's rule and the priority, from now. */
static char *
due_text (PayamStore      *store,
          PayamKioskDraft *draft)
{
  g_autoptr(PayamCategory) category = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *when = NULL;
  g_autofree char *hours = NULL;
  PayamPriority priority = payam_kiosk_draft_compute_priority (draft, store);
  int n_hours;

  if (payam_kiosk_draft_get_category (draft) != NULL)
    category = payam_store_get_category (store, payam_kiosk_draft_get_category (draft), NULL);
  if (category == NULL)
    return NULL;
  due = payam_deadline_compute (payam_store_get_work_calendar (store), &category->rule,
                                priority, now);
  when = payam_format_date_time (due);
  switch (priority)
    {
    case PAYAM_PRIORITY_URGENT:
      hours = payam_format_integer (category->rule.urgent_hours);
      /* Translators: a number of hours, then a Jalali date and time, both in Persian digits. */
      return g_strdup_printf (_("Expected response: within %s hours, by %s"), hours, when);
    case PAYAM_PRIORITY_HIGH:
    case PAYAM_PRIORITY_NORMAL:
    default:
      n_hours = priority == PAYAM_PRIORITY_HIGH ? category->rule.high_hours
                                                : category->rule.normal_hours;
      hours = payam_format_integer (n_hours);
      /* Translators: a number of working hours, then a Jalali date and time, both in Persian
       * digits. */
      return g_strdup_printf (_("Expected response: within %s working hours, by %s"), hours,
                              when);
    }
}

/* Rebuild the summary from the draft as it is now. */
static void
payam_kiosk_step_review_enter (PayamKioskStep *step)
{
  PayamKioskStepReview *self = PAYAM_KIOSK_STEP_REVIEW (step);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  PayamStore *store = payam_kiosk_step_get_store (step);
  g_autoptr(PayamCategory) category = NULL;
  g_autofree char *place = place_text (store, draft);
  g_autofree char *danger = danger_text (store, draft);
  g_autofree char *due = due_text (store, draft);
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_grid))) != NULL)
    gtk_grid_remove (self->summary_grid, child);

  if (payam_kiosk_draft_get_category (draft) != NULL)
    category = payam_store_get_category (store, payam_kiosk_draft_get_category (draft), NULL);
  add_row (self, row++, _("Category"),
           value_label (category != NULL ? category->name : _("Not chosen")), STEP_WHAT,
           _("Edit the category"));
  add_row (self, row++, _("Place"), value_label (place), STEP_WHERE, _("Edit the place"));
  add_row (self, row++, _("Description"), description_value (draft), STEP_DESCRIBE,
           _("Edit the description and photos"));
  add_row (self, row++, _("Danger"), value_label (danger), STEP_DANGER,
           _("Edit the danger answers"));
  /* Only a joined message is worth a line: a new one is the ordinary case, and the
   * similar step may not have been shown at all (nothing similar). */
  if (payam_kiosk_draft_get_group_id (draft) != NULL)
    add_row (self, row++, _("Similar message"),
             value_label (_("Mine is the same as a message already reported")),
             STEP_SIMILAR, _("Edit the similar message choice"));
  add_row (self, row++, _("Contact"), contact_value (draft), STEP_CONTACT,
           _("Edit the contact"));

  gtk_label_set_label (self->due_label, due != NULL ? due : "");
  gtk_widget_set_visible (GTK_WIDGET (self->due_label), due != NULL);
}

static void
payam_kiosk_step_review_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PAYAM_TYPE_KIOSK_STEP_REVIEW);

  G_OBJECT_CLASS (payam_kiosk_step_review_parent_class)->dispose (object);
}

static void
payam_kiosk_step_review_class_init (PayamKioskStepReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->dispose = payam_kiosk_step_review_dispose;
  step_class->title = N_("Review and send");
  step_class->enter = payam_kiosk_step_review_enter;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-review.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepReview, summary_grid);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepReview, due_label);
}

static void
payam_kiosk_step_review_init (PayamKioskStepReview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Sending is the register's Next on this step; the store checks the draft then. */
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
