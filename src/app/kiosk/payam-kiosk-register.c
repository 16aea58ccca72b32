/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskRegister: walks the citizen through the steps and sends the message at the end. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-kiosk-register.h"
#include "payam-kiosk-step-contact.h"
#include "payam-kiosk-step-danger.h"
#include "payam-kiosk-step-describe.h"
#include "payam-kiosk-step-review.h"
#include "payam-kiosk-step-similar.h"
#include "payam-kiosk-step-what.h"
#include "payam-kiosk-step-where.h"

struct _PayamKioskRegister
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore      *store;
  PayamKioskDraft *draft;
  GPtrArray       *steps;     /* of PayamKioskStep (borrowed: the stack holds them) */

  guint            position;

  /* template children (borrowed) */
  GtkLabel       *title_label;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkStack       *stack;
  GtkLabel       *error_label;
  GtkButton      *next_button;
  GtkLabel       *needed_label;
  GtkWidget      *scroller;
  GtkWidget      *confirm_scrim;
};

G_DEFINE_FINAL_TYPE (PayamKioskRegister, payam_kiosk_register, GTK_TYPE_WIDGET)

enum {
  CANCELLED,
  SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The steps in the order the citizen sees them. */
static GType
step_type (guint index)
{
  switch (index)
    {
    case 0: return PAYAM_TYPE_KIOSK_STEP_WHAT;
    case 1: return PAYAM_TYPE_KIOSK_STEP_WHERE;
    case 2: return PAYAM_TYPE_KIOSK_STEP_DESCRIBE;
    case 3: return PAYAM_TYPE_KIOSK_STEP_DANGER;
    case 4: return PAYAM_TYPE_KIOSK_STEP_SIMILAR;
    case 5: return PAYAM_TYPE_KIOSK_STEP_CONTACT;
    case 6: return PAYAM_TYPE_KIOSK_STEP_REVIEW;
    default: return G_TYPE_INVALID;
    }
}

#define N_STEPS 7

static PayamKioskStep *
current_step (PayamKioskRegister *self)
{
  return g_ptr_array_index (self->steps, self->position);
}

static void
show_error (PayamKioskRegister *self,
            const char         *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Next is enabled when the step is complete; otherwise the step's reason (what to do for
 * Next) shows above the button and is the button's accessible description, so that a
 * screen reader says why it does nothing. */
static void
update_next (PayamKioskRegister *self)
{
  PayamKioskStep *step = current_step (self);
  gboolean complete = payam_kiosk_step_get_complete (step);
  const char *needed = complete ? NULL : payam_kiosk_step_get_needed (step);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.next", complete);
  gtk_label_set_label (self->needed_label, needed != NULL ? needed : "");
  gtk_widget_set_visible (GTK_WIDGET (self->needed_label), needed != NULL);
  if (needed != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, needed, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Scroll every scrolled window inside @widget (and @widget itself) back to its top. */
static void
scroll_to_top (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adjustment;

      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    scroll_to_top (child);
}

/* Show step @position, or when it has nothing to ask (payam_kiosk_step_get_skip), the next
 * one in the direction of travel (@forward): its title, "Step n of 7", the progress bar,
 * scrolled to its top so that its first question shows. */
static void
show_step (PayamKioskRegister *self,
           guint               position,
           gboolean            forward)
{
  PayamKioskStep *step;
  g_autofree char *n = NULL;
  g_autofree char *total = NULL;
  g_autofree char *progress = NULL;

  g_assert (position < self->steps->len);

  self->position = position;
  step = current_step (self);
  show_error (self, NULL);
  payam_kiosk_step_enter (step);
  if (payam_kiosk_step_get_skip (step))
    {
      /* The first and the last step never skip, so there is always one to go to. */
      g_assert (position > 0 && position + 1 < self->steps->len);
      show_step (self, forward ? position + 1 : position - 1, forward);
      return;
    }
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (step));
  scroll_to_top (self->scroller);

  gtk_label_set_label (self->title_label, payam_kiosk_step_get_title (step));
  n = payam_format_integer (position + 1);
  total = payam_format_integer (self->steps->len);
  /* Translators: the kiosk's progress, e.g. "Step 3 of 7" (numbers in Persian digits). */
  progress = g_strdup_printf (_("Step %s of %s"), n, total);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) (position + 1) / self->steps->len);

  gtk_button_set_label (self->next_button,
                        position + 1 == self->steps->len ? _("Send the message") : _("Next"));
  update_next (self);
  /* The focus goes to the step, or nowhere: never stays in the field of the step before
   * (the on-screen keyboard follows the focus and would stay open). */
  if (!gtk_widget_grab_focus (GTK_WIDGET (step)) && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
}

static void
send_message (PayamKioskRegister *self)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = payam_kiosk_draft_submit (self->draft, self->store, &error);
  if (request == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what went wrong; the citizen's message is still on screen. */
      message = g_strdup_printf (_("The message could not be saved: %s Nothing you entered "
                                   "is lost; please fix it or ask the staff for help."),
                                 error->message);
      show_error (self, message);
      return;
    }
  g_signal_emit (self, signals[SENT], 0, request);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskRegister *self = PAYAM_KIOSK_REGISTER (widget);
  g_autoptr(GError) error = NULL;

  if (!payam_kiosk_step_get_complete (current_step (self)))
    return;
  if (!payam_kiosk_step_leave (current_step (self), &error))
    {
      show_error (self, error->message);
      return;
    }
  if (self->position + 1 < self->steps->len)
    show_step (self, self->position + 1, TRUE);
  else
    send_message (self);
}

/* Ask once, in large buttons over the flow, before the citizen's entries are dropped. */
static void
ask_to_discard (PayamKioskRegister *self)
{
  gtk_widget_set_visible (self->confirm_scrim, TRUE);
}

static void
keep_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskRegister *self = PAYAM_KIOSK_REGISTER (widget);

  gtk_widget_set_visible (self->confirm_scrim, FALSE);
}

static void
discard_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_signal_emit (widget, signals[CANCELLED], 0);
}

/* Back from the first step leaves the flow: it asks first once a category was chosen. */
static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskRegister *self = PAYAM_KIOSK_REGISTER (widget);

  if (self->position > 0)
    show_step (self, self->position - 1, FALSE);
  else if (payam_kiosk_draft_get_category (self->draft) != NULL)
    ask_to_discard (self);
  else
    g_signal_emit (self, signals[CANCELLED], 0);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_to_discard (PAYAM_KIOSK_REGISTER (widget));
}

static void
step_complete_changed (PayamKioskStep     *step,
                       GParamSpec         *pspec,
                       PayamKioskRegister *self)
{
  if (step == current_step (self))
    update_next (self);
}

static void
payam_kiosk_register_dispose (GObject *object)
{
  PayamKioskRegister *self = PAYAM_KIOSK_REGISTER (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_REGISTER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_object (&self->draft);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_kiosk_register_parent_class)->dispose (object);
}

static void
payam_kiosk_register_class_init (PayamKioskRegisterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_register_dispose;

  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-register.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, title_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, error_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, next_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, needed_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, scroller);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRegister, confirm_scrim);

  gtk_widget_class_install_action (widget_class, "register.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "register.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "register.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "register.keep", NULL, keep_activated);
  gtk_widget_class_install_action (widget_class, "register.discard", NULL, discard_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_register_init (PayamKioskRegister *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->steps = g_ptr_array_new ();
}

PayamKioskRegister *
payam_kiosk_register_new (PayamStore      *store,
                          PayamKioskDraft *draft)
{
  PayamKioskRegister *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (draft), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_REGISTER, NULL);
  self->store = g_object_ref (store);
  self->draft = g_object_ref (draft);

  for (guint i = 0; i < N_STEPS; i++)
    {
      GtkWidget *step = g_object_new (step_type (i), "store", store, "draft", draft, NULL);

      g_signal_connect_object (step, "notify::complete",
                               G_CALLBACK (step_complete_changed), self, 0);
      gtk_stack_add_child (self->stack, step);
      g_ptr_array_add (self->steps, step);
    }
  show_step (self, 0, TRUE);

  return self;
}

PayamKioskDraft *
payam_kiosk_register_get_draft (PayamKioskRegister *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_REGISTER (self), NULL);
  return self->draft;
}

guint
payam_kiosk_register_get_position (PayamKioskRegister *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_REGISTER (self), 0);
  return self->position;
}

guint
payam_kiosk_register_get_n_steps (PayamKioskRegister *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_REGISTER (self), 0);
  return self->steps->len;
}

void
payam_kiosk_register_go_to (PayamKioskRegister *self,
                            guint               index)
{
  g_return_if_fail (PAYAM_IS_KIOSK_REGISTER (self));

  if (index < self->steps->len)
    show_step (self, index, index >= self->position);
}
