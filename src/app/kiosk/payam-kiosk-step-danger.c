/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepDanger: register step 4, three yes/no danger questions and the emergency numbers. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-kiosk-step-danger.h"

/* The questions, in the order asked; each answer is one field of PayamHazardAnswers. */
typedef enum {
  QUESTION_PEOPLE,
  QUESTION_ROAD,
  QUESTION_UTILITIES,
  N_QUESTIONS
} Question;

static const struct {
  const char *text;
  const char *yes_name;  /* accessible names of the two buttons */
  const char *no_name;
} questions[N_QUESTIONS] = {
  [QUESTION_PEOPLE] = { N_("Is anyone in danger because of it right now?"),
                        N_("Danger to people: yes"), N_("Danger to people: no") },
  [QUESTION_ROAD] = { N_("Is it blocking a road or a passage?"),
                      N_("Blocks a road: yes"), N_("Blocks a road: no") },
  [QUESTION_UTILITIES] = { N_("Is water, gas or electricity involved?"),
                           N_("Water, gas or electricity: yes"),
                           N_("Water, gas or electricity: no") },
};

/* Iran's national emergency numbers (the same across the country, free from any phone):
 * fire brigade 125, emergency medical services 115, police 110, and the gas (194),
 * electricity (121) and water and sewage (122) utilities' emergency lines. */
static const struct {
  const char *service;
  int         number;
} emergency_numbers[] = {
  { N_("Fire brigade"), 125 },
  { N_("Ambulance"), 115 },
  { N_("Police"), 110 },
  { N_("Gas emergency"), 194 },
  { N_("Electricity emergency"), 121 },
  { N_("Water emergency"), 122 },
};

/* Answer states of one question as the step keeps them. */
enum {
  UNANSWERED = -1,
  NO = 0,
  YES = 1,
};

struct _PayamKioskStepDanger
{
  PayamKioskStep parent_instance;

  int              answers[N_QUESTIONS];
  GtkToggleButton *yes[N_QUESTIONS];     /* borrowed: the grid holds them */
  GtkToggleButton *no[N_QUESTIONS];
  gboolean         syncing;              /* the step itself sets the toggles */
  gboolean         follow_numbers;       /* keep the emergency numbers in view */
  guint            follow_tick_id;       /* scrolls them into view after the layout */
  gint64           follow_frame;         /* the frame it was added in */
  GtkScrolledWindow *scrolled;           /* borrowed: the template's */

  /* template children (borrowed) */
  GtkGrid         *questions;
  GtkLabel        *priority_label;
  GtkBox          *emergency_box;
  GtkGrid         *numbers_grid;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepDanger, payam_kiosk_step_danger, PAYAM_TYPE_KIOSK_STEP)

static PayamHazardAnswers
current_answers (PayamKioskStepDanger *self)
{
  return (PayamHazardAnswers) {
    .danger_to_people = self->answers[QUESTION_PEOPLE] == YES,
    .blocks_road = self->answers[QUESTION_ROAD] == YES,
    .utilities = self->answers[QUESTION_UTILITIES] == YES,
  };
}

/* Scroll every scrolled window above the emergency numbers (the step's own and the
 * register's, innermost first) just enough that they show, their top first when they are
 * taller than the window. */
static void
scroll_numbers_into_view (PayamKioskStepDanger *self)
{
  GtkWidget *box = GTK_WIDGET (self->emergency_box);

  for (GtkWidget *widget = gtk_widget_get_parent (box); widget != NULL;
       widget = gtk_widget_get_parent (widget))
    {
      GtkAdjustment *adjustment;
      graphene_rect_t bounds;
      double page, delta;

      if (!GTK_IS_SCROLLED_WINDOW (widget) || !gtk_widget_compute_bounds (box, widget, &bounds))
        continue;
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));
      page = gtk_adjustment_get_page_size (adjustment);
      delta = MIN (bounds.origin.y + bounds.size.height - page, bounds.origin.y);
      if (delta > 0)
        gtk_adjustment_set_value (adjustment, MIN (gtk_adjustment_get_value (adjustment) + delta,
                                                   gtk_adjustment_get_upper (adjustment) - page));
    }
}

static gboolean
follow_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  PayamKioskStepDanger *self = PAYAM_KIOSK_STEP_DANGER (widget);

  /* Ticks run before the frame's layout: two frames on, the numbers have their place. */
  if (gdk_frame_clock_get_frame_counter (clock) < self->follow_frame + 2)
    return G_SOURCE_CONTINUE;
  self->follow_tick_id = 0;
  if (self->follow_numbers)
    scroll_numbers_into_view (self);
  return G_SOURCE_REMOVE;
}

/* While the emergency numbers are shown for a "yes", bring them into view: on a small
 * screen they come below the questions, and where they are is known only once they are
 * laid out, so it is done after the next layout (and again when the step's height
 * changes). */
static void
follow_end (PayamKioskStepDanger *self)
{
  GdkFrameClock *clock;

  if (!self->follow_numbers || self->follow_tick_id != 0)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    return;
  self->follow_frame = gdk_frame_clock_get_frame_counter (clock);
  self->follow_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), follow_tick, NULL, NULL);
}

/* Write the answers into the draft, then show what follows from them: the priority,
 * the emergency numbers when people are in danger, and whether the step is complete. */
static void
update (PayamKioskStepDanger *self)
{
  PayamKioskStep *step = PAYAM_KIOSK_STEP (self);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  PayamHazardAnswers answers = current_answers (self);
  gboolean complete = TRUE;
  g_autofree char *priority = NULL;

  for (guint i = 0; i < N_QUESTIONS; i++)
    complete &= self->answers[i] != UNANSWERED;

  if (draft != NULL)
    {
      const PayamHazardAnswers *old = payam_kiosk_draft_get_answers (draft);

      if (old->danger_to_people != answers.danger_to_people
          || old->blocks_road != answers.blocks_road || old->utilities != answers.utilities)
        payam_kiosk_draft_set_answers (draft, &answers);

      /* Translators: %s is the priority word, e.g. "Urgent". */
      priority = g_strdup_printf (_("Priority of your message: %s"),
                                  payam_priority_label (payam_kiosk_draft_compute_priority (
                                    draft, payam_kiosk_step_get_store (step))));
      gtk_label_set_label (self->priority_label, priority);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->priority_label), complete);
  if (answers.danger_to_people != gtk_widget_get_visible (GTK_WIDGET (self->emergency_box)))
    self->follow_numbers = answers.danger_to_people;
  gtk_widget_set_visible (GTK_WIDGET (self->emergency_box), answers.danger_to_people);
  follow_end (self);
  payam_kiosk_step_set_complete (step, complete);
}

static void
answer_toggled (GtkToggleButton      *button,
                PayamKioskStepDanger *self)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < N_QUESTIONS; i++)
    {
      if (button == self->yes[i])
        self->answers[i] = YES;
      else if (button == self->no[i])
        self->answers[i] = NO;
    }
  update (self);
}

static GtkToggleButton *
make_answer (PayamKioskStepDanger *self,
             const char           *label,
             const char           *accessible_name)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (button, "kiosk-answer");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name, -1);
  g_signal_connect_object (button, "toggled", G_CALLBACK (answer_toggled), self, 0);
  return GTK_TOGGLE_BUTTON (button);
}

/* Show the step's own answers on the toggles (no handler runs meanwhile). */
static void
sync_toggles (PayamKioskStepDanger *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < N_QUESTIONS; i++)
    {
      gtk_toggle_button_set_active (self->yes[i], self->answers[i] == YES);
      gtk_toggle_button_set_active (self->no[i], self->answers[i] == NO);
    }
  self->syncing = FALSE;
}

/* Coming back: a yes the draft holds (written by this step) is shown again, and the
 * priority is recomputed, since the category or the text may have changed since. */
static void
payam_kiosk_step_danger_enter (PayamKioskStep *step)
{
  PayamKioskStepDanger *self = PAYAM_KIOSK_STEP_DANGER (step);
  const PayamHazardAnswers *answers = payam_kiosk_draft_get_answers (payam_kiosk_step_get_draft (step));
  const gboolean yes[N_QUESTIONS] = {
    [QUESTION_PEOPLE] = answers->danger_to_people,
    [QUESTION_ROAD] = answers->blocks_road,
    [QUESTION_UTILITIES] = answers->utilities,
  };

  /* The step opens at its top (the register scrolls it there), whatever was shown. */
  self->follow_numbers = FALSE;

  for (guint i = 0; i < N_QUESTIONS; i++)
    if (yes[i])
      self->answers[i] = YES;
    else if (self->answers[i] == YES)
      self->answers[i] = NO;
  sync_toggles (self);
  update (self);
}

static gboolean
payam_kiosk_step_danger_leave (PayamKioskStep  *step,
                               GError         **error)
{
  PayamKioskStepDanger *self = PAYAM_KIOSK_STEP_DANGER (step);
  PayamHazardAnswers answers = current_answers (self);

  payam_kiosk_draft_set_answers (payam_kiosk_step_get_draft (step), &answers);
  return TRUE;
}

static void
payam_kiosk_step_danger_dispose (GObject *object)
{
  PayamKioskStepDanger *self = PAYAM_KIOSK_STEP_DANGER (object);

  self->scrolled = NULL;
  if (self->follow_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->follow_tick_id);
      self->follow_tick_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), PAYAM_TYPE_KIOSK_STEP_DANGER);

  G_OBJECT_CLASS (payam_kiosk_step_danger_parent_class)->dispose (object);
}

static void
payam_kiosk_step_danger_class_init (PayamKioskStepDangerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->dispose = payam_kiosk_step_danger_dispose;

  step_class->title = N_("Is it dangerous?");
  step_class->needed = N_("To go on to the next step, answer all three questions.");
  step_class->enter = payam_kiosk_step_danger_enter;
  step_class->leave = payam_kiosk_step_danger_leave;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-danger.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDanger, questions);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDanger, priority_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDanger, emergency_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepDanger, numbers_grid);
}

static void
payam_kiosk_step_danger_init (PayamKioskStepDanger *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (self)));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (follow_end), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < N_QUESTIONS; i++)
    {
      GtkWidget *label = gtk_label_new (_(questions[i].text));

      self->answers[i] = UNANSWERED;
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      /* The answers right beside their question, not across the screen. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
      gtk_widget_add_css_class (label, "kiosk-question");
      self->yes[i] = make_answer (self, _("Yes"), _(questions[i].yes_name));
      self->no[i] = make_answer (self, _("No"), _(questions[i].no_name));
      gtk_toggle_button_set_group (self->no[i], self->yes[i]);
      gtk_grid_attach (self->questions, label, 0, i, 1, 1);
      gtk_grid_attach (self->questions, GTK_WIDGET (self->yes[i]), 1, i, 1, 1);
      gtk_grid_attach (self->questions, GTK_WIDGET (self->no[i]), 2, i, 1, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (emergency_numbers); i++)
    {
      g_autofree char *digits = payam_format_integer (emergency_numbers[i].number);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *service = gtk_label_new (_(emergency_numbers[i].service));
      GtkWidget *number = gtk_label_new (digits);

      gtk_label_set_wrap (GTK_LABEL (service), TRUE);
      gtk_label_set_justify (GTK_LABEL (service), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (number, "kiosk-emergency-number");
      gtk_box_append (GTK_BOX (box), number);
      gtk_box_append (GTK_BOX (box), service);
      gtk_grid_attach (self->numbers_grid, box, i, 0, 1, 1);
    }
}
