/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDescribe: register step 3, the citizen's words with live hints, and photos. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-category-suggest.h"
#include "payam-format.h"
#include "payam-kiosk-step-describe.h"
#include "payam-text.h"

struct _PayamKioskStepDescribe
{
  PayamKioskStep parent_instance;

  gboolean          syncing;  /* the step itself sets the text: the draft is not written */

  /* template children (borrowed) */
  GtkLabel         *guidance_label;
  GtkLabel         *hint_what;
  GtkLabel         *hint_where;
  GtkLabel         *hint_when;
  GtkTextView      *text_view;
  GtkLabel         *length_label;
  GtkLabel         *place_label;
  GtkFlowBox       *examples_box;
  GtkFlowBox       *words_box;
  PayamCamera *camera;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepDescribe, payam_kiosk_step_describe, PAYAM_TYPE_KIOSK_STEP)

/* The three hints: their names as shown, marked with a check once the text covers them. */
static const char *const hint_names[] = {
  N_("What happened"), N_("Exactly where"), N_("Since when"),
};

/* Words one touch away under the text: since when (the hint people miss most). */
static const char *const time_words[] = {
  N_("since today"), N_("since yesterday"), N_("for a few days"), N_("for a week or more"),
};

static char *
buffer_text (PayamKioskStepDescribe *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_hint (GtkLabel   *label,
          const char *name,
          gboolean    met)
{
  /* A checklist, not buttons: an empty circle until the text covers the hint. */
  g_autofree char *text = g_strconcat (met ? "✓ " : "○ ", _(name), NULL);

  gtk_label_set_label (label, text);
  if (met)
    gtk_widget_add_css_class (GTK_WIDGET (label), "met");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "met");
}

static void
show_warning (GtkLabel   *label,
              const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* Check the text as it is typed: the hints, a warning while it is too short (saying how
 * much more, in Persian digits) or names no place, and "complete" once long enough. */
static void
update (PayamKioskStepDescribe *self)
{
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self));
  g_autofree char *text = buffer_text (self);
  g_autofree char *norm = payam_text_normalize (text);
  g_autofree char *length = NULL;
  PayamDescriptionHints hints;
  gboolean place_chosen = payam_kiosk_draft_get_street (draft) != NULL
                          || payam_kiosk_draft_get_landmark (draft) != NULL;

  payam_description_hints (norm, &hints);

  set_hint (self->hint_what, hint_names[0], hints.long_enough);
  set_hint (self->hint_where, hint_names[1], hints.names_place || place_chosen);
  set_hint (self->hint_when, hint_names[2], hints.names_time);

  if (hints.n_words < PAYAM_DESCRIPTION_MIN_WORDS)
    {
      guint missing = PAYAM_DESCRIPTION_MIN_WORDS - hints.n_words;
      g_autofree char *n = payam_format_integer (missing);

      /* Translators: %s is a number of words in Persian digits. */
      length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too short: please write %s more word.",
                                             "Too short: please write %s more words.", missing), n);
    }
  else if (hints.n_chars < PAYAM_DESCRIPTION_MIN_CHARS)
    {
      guint missing = PAYAM_DESCRIPTION_MIN_CHARS - hints.n_chars;
      g_autofree char *n = payam_format_integer (missing);

      /* Translators: %s is a number of letters in Persian digits. */
      length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too short: please write %s more letter.",
                                             "Too short: please write %s more letters.", missing), n);
    }
  show_warning (self->length_label, length);
  show_warning (self->place_label,
                hints.n_words > 0 && !hints.names_place && !place_chosen
                ? _("Say exactly where it is: you chose no street or landmark, and the text names "
                    "no place (for example “in front of the bakery”).")
                : NULL);

  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), hints.long_enough);
}

static void
text_changed (GtkTextBuffer          *buffer,
              PayamKioskStepDescribe *self)
{
  if (!self->syncing)
    {
      g_autofree char *text = buffer_text (self);

      payam_kiosk_draft_set_text (payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self)), text);
    }
  update (self);
}

/* Add @words at the end of the text, after a space, and put the cursor after them. */
static void
append_words (PayamKioskStepDescribe *self,
              const char             *words)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = buffer_text (self);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (*g_strstrip (text) != '\0')
    gtk_text_buffer_insert (buffer, &end, " ", -1);
  gtk_text_buffer_insert (buffer, &end, words, -1);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static void
chip_clicked (GtkButton              *button,
              PayamKioskStepDescribe *self)
{
  append_words (self, g_object_get_data (G_OBJECT (button), "payam-words"));
}

/* A button that writes @words (copied) into the text. */
static GtkWidget *
make_chip (PayamKioskStepDescribe *self,
           const char             *words)
{
  GtkWidget *chip = gtk_button_new ();
  GtkWidget *label = gtk_label_new (words);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_button_set_child (GTK_BUTTON (chip), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                  -1);
  gtk_widget_add_css_class (chip, "kiosk-chip");
  g_object_set_data_full (G_OBJECT (chip), "payam-words", g_strdup (words), g_free);
  g_signal_connect_object (chip, "clicked", G_CALLBACK (chip_clicked), self, 0);
  return chip;
}

/* The category's example sentences as chips (the common descriptions of its problems). */
static void
show_examples (PayamKioskStepDescribe *self,
               const PayamCategory    *category)
{
  gboolean any = category != NULL && category->examples != NULL
                 && category->examples[0] != NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->examples_box))) != NULL)
    gtk_flow_box_remove (self->examples_box, child);
  for (guint i = 0; any && category->examples[i] != NULL; i++)
    gtk_flow_box_append (self->examples_box, make_chip (self, category->examples[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->examples_box), any);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (GTK_WIDGET (self->examples_box)), any);
}

/* Show the category's guidance and the draft's text and photos (the words typed under
 * "not sure?" arrive here, and nothing is lost going back and forth). */
static void
payam_kiosk_step_describe_enter (PayamKioskStep *step)
{
  PayamKioskStepDescribe *self = PAYAM_KIOSK_STEP_DESCRIBE (step);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  const char *code = payam_kiosk_draft_get_category (draft);
  const char *text = payam_kiosk_draft_get_text (draft);
  g_autoptr(PayamCategory) category = NULL;
  g_autofree char *shown = buffer_text (self);

  if (code != NULL)
    category = payam_store_get_category (payam_kiosk_step_get_store (step), code, NULL);
  gtk_label_set_label (self->guidance_label,
                       category != NULL && category->guidance != NULL
                       ? category->guidance
                       : _("Write what the problem is, exactly where, and since when."));
  show_examples (self, category);

  if (g_strcmp0 (shown, text != NULL ? text : "") != 0)
    {
      self->syncing = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
      self->syncing = FALSE;
    }
  payam_camera_set_tray (self->camera, payam_kiosk_draft_get_photos (draft));
  payam_camera_refresh (self->camera);
  update (self);
}

static gboolean
payam_kiosk_step_describe_leave (PayamKioskStep  *step,
                                 GError         **error)
{
  PayamKioskStepDescribe *self = PAYAM_KIOSK_STEP_DESCRIBE (step);
  g_autofree char *text = buffer_text (self);
  g_autofree char *norm = payam_text_normalize (text);
  PayamDescriptionHints hints;

  payam_kiosk_draft_set_text (payam_kiosk_step_get_draft (step), text);
  payam_description_hints (norm, &hints);
  if (!hints.long_enough)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Please write a little more about the problem."));
      return FALSE;
    }
  /* The camera stops when the step leaves the screen; stopping here as well frees it
   * before the next step is built up. */
  payam_camera_stop (self->camera);
  return TRUE;
}

static void
payam_kiosk_step_describe_constructed (GObject *object)
{
  PayamKioskStepDescribe *self = PAYAM_KIOSK_STEP_DESCRIBE (object);

  G_OBJECT_CLASS (payam_kiosk_step_describe_parent_class)->constructed (object);
  payam_camera_set_tray (self->camera, payam_kiosk_draft_get_photos (
    payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self))));
}

static void
payam_kiosk_step_describe_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PAYAM_TYPE_KIOSK_STEP_DESCRIBE);

  G_OBJECT_CLASS (payam_kiosk_step_describe_parent_class)->dispose (object);
}

static void
payam_kiosk_step_describe_class_init (PayamKioskStepDescribeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->constructed = payam_kiosk_step_describe_constructed;
  object_class->dispose = payam_kiosk_step_describe_dispose;

  step_class->title = N_("Describe it");
  step_class->needed = N_("To go on to the next step, describe the problem in a few words.");
  step_class->enter = payam_kiosk_step_describe_enter;
  step_class->leave = payam_kiosk_step_describe_leave;

  g_type_ensure (PAYAM_TYPE_CAMERA);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-describe.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, guidance_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, hint_what);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, hint_where);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, hint_when);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, text_view);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, length_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, place_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, camera);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, examples_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDescribe, words_box);
}

static void
payam_kiosk_step_describe_init (PayamKioskStepDescribe *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (time_words); i++)
    gtk_flow_box_append (self->words_box, make_chip (self, _(time_words[i])));
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed), self, 0);
}

PayamCamera *
payam_kiosk_step_describe_get_camera (PayamKioskStepDescribe *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP_DESCRIBE (self), NULL);
  return self->camera;
}
