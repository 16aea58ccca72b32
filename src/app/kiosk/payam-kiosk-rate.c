/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskRate: one to five stars and a comment for a finished message, found by its code. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-kiosk-code-entry.h"
#include "payam-kiosk-rate.h"
#include "payam-lifecycle.h"
#include "payam-store-ratings.h"
#include "payam-tracking.h"

#define N_STARS 5

/* The municipal hotline, shown through the number formatter. */
#define HOTLINE 137

struct _PayamKioskRate
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore          *store;
  char                *request_id;  /* the message found and rateable, or NULL */

  /* borrowed */
  PayamKioskCodeEntry *code_entry;
  GtkToggleButton     *stars[N_STARS];

  /* template children (borrowed) */
  GtkBox              *code_slot;
  GtkBox              *result_box;
  GtkLabel            *code_label;
  GtkLabel            *summary_label;
  GtkLabel            *rate_message_label;
  GtkBox              *rate_box;
  GtkBox              *star_box;
  GtkTextView         *comment_view;
};

G_DEFINE_FINAL_TYPE (PayamKioskRate, payam_kiosk_rate, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (PayamKioskRate *self,
              const char     *message)
{
  gtk_label_set_label (self->rate_message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->rate_message_label), message != NULL);
}

static void
update_save (PayamKioskRate *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rate.save",
                                 self->request_id != NULL && payam_kiosk_rate_get_score (self) > 0);
}

/* Forget the message shown, the stars chosen and the comment. */
static void
clear_results (PayamKioskRate *self)
{
  g_clear_pointer (&self->request_id, g_free);
  for (guint i = 0; i < N_STARS; i++)
    gtk_toggle_button_set_active (self->stars[i], FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->comment_view), "", -1);
  show_message (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), FALSE);
  update_save (self);
}

/* Show which message was found; only a finished one gets the stars. */
static void
found (PayamKioskRate *self,
       const char     *request_id)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamCategory) category = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *summary = NULL;

  clear_results (self);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), TRUE);
  request = payam_store_get_request (self->store, request_id, &error);
  if (request == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *hotline = payam_format_integer (HOTLINE);

      /* Translators: what went wrong, then the hotline number (137) in Persian digits. */
      message = g_strdup_printf (_("The message could not be read: %s Please ask the staff "
                                   "for help or call %s."), error->message, hotline);
      gtk_label_set_label (self->summary_label, "");
      gtk_label_set_label (self->code_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->rate_box), FALSE);
      show_message (self, message);
      return;
    }

  code = payam_tracking_code_format (request->tracking_code);
  gtk_label_set_label (self->code_label, code);
  category = payam_store_get_category (self->store, request->category, NULL);
  /* Translators: the category's name and the request's status, e.g. "Asphalt · Done". */
  summary = g_strdup_printf (_("%s · status: %s"),
                             category != NULL ? category->name : request->category,
                             payam_status_label (request->status));
  gtk_label_set_label (self->summary_label, summary);

  if (!payam_status_is_rateable (request->status))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the request's status, such as "In progress". */
      message = g_strdup_printf (_("This message is not finished yet: its status is “%s”. "
                                   "You can rate it once the work is done."),
                                 payam_status_label (request->status));
      gtk_widget_set_visible (GTK_WIDGET (self->rate_box), FALSE);
      show_message (self, message);
      return;
    }
  self->request_id = g_strdup (request->id);
  gtk_widget_set_visible (GTK_WIDGET (self->rate_box), TRUE);
  update_save (self);
  /* Off the code field to the stars: the on-screen keyboard then gives them the screen. */
  gtk_widget_grab_focus (GTK_WIDGET (self->stars[0]));
}

/* The chosen star and those before it light up, as a row of stars reads. */
static void
star_toggled (PayamKioskRate *self)
{
  int score = payam_kiosk_rate_get_score (self);

  for (int i = 0; i < N_STARS; i++)
    if (i < score)
      gtk_widget_add_css_class (GTK_WIDGET (self->stars[i]), "kiosk-star-lit");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->stars[i]), "kiosk-star-lit");
  update_save (self);
}

/* Write the rating; on success the stars give way to a thank-you. */
static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskRate *self = PAYAM_KIOSK_RATE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->comment_view);
  GtkTextIter start, end;
  g_autofree char *comment = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  int score = payam_kiosk_rate_get_score (self);

  if (self->request_id == NULL || score == 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  comment = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  id = payam_store_add_rating (self->store, self->request_id, score, comment, &error);
  if (id == NULL)
    {
      show_message (self, error->message);
      return;
    }
  g_clear_pointer (&self->request_id, g_free);
  gtk_text_buffer_set_text (buffer, "", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->rate_box), FALSE);
  show_message (self, _("Thank you! Your rating has been saved and will reach the "
                        "municipality."));
  update_save (self);
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

/* Five large toggle buttons in one group: "★" over the number, named "3 stars". */
static void
add_stars (PayamKioskRate *self)
{
  for (guint i = 0; i < N_STARS; i++)
    {
      g_autofree char *number = payam_format_integer (i + 1);
      g_autofree char *name = NULL;
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *star = gtk_label_new ("★");
      GtkWidget *count = gtk_label_new (number);

      gtk_widget_add_css_class (star, "kiosk-star-glyph");
      gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      "", -1);
      gtk_box_append (GTK_BOX (box), star);
      gtk_box_append (GTK_BOX (box), count);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "kiosk-star");
      /* Translators: %s is a number of stars (1 to 5) in Persian digits. */
      name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s star", "%s stars", i + 1),
                              number);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->stars[0]);
      g_signal_connect_object (button, "toggled", G_CALLBACK (star_toggled), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->star_box, button);
      self->stars[i] = GTK_TOGGLE_BUTTON (button);
    }
}

static gboolean
payam_kiosk_rate_grab_focus (GtkWidget *widget)
{
  PayamKioskRate *self = PAYAM_KIOSK_RATE (widget);

  return self->code_entry != NULL && gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
payam_kiosk_rate_dispose (GObject *object)
{
  PayamKioskRate *self = PAYAM_KIOSK_RATE (object);
  GtkWidget *child;

  self->code_entry = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_RATE);
  /* The template's top box has no id, so it is not among the children disposed above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->request_id, g_free);

  G_OBJECT_CLASS (payam_kiosk_rate_parent_class)->dispose (object);
}

static void
payam_kiosk_rate_class_init (PayamKioskRateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_rate_dispose;
  widget_class->grab_focus = payam_kiosk_rate_grab_focus;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-rate.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, code_slot);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, result_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, code_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, rate_message_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, rate_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, star_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskRate, comment_view);
  gtk_widget_class_install_action (widget_class, "rate.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "rate.done", NULL, done_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_rate_init (PayamKioskRate *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A tracking code's digit groups read in their own order (STYLE §26). */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
  add_stars (self);
  update_save (self);
}

PayamKioskRate *
payam_kiosk_rate_new (PayamStore *store)
{
  PayamKioskRate *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_RATE, NULL);
  self->store = g_object_ref (store);
  /* Only this kiosk's messages: the rating row refers to the request row. */
  self->code_entry = payam_kiosk_code_entry_new (store, FALSE);
  g_signal_connect_object (self->code_entry, "found", G_CALLBACK (found), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->code_entry, "cleared", G_CALLBACK (clear_results), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->code_slot, GTK_WIDGET (self->code_entry));

  return self;
}

PayamKioskCodeEntry *
payam_kiosk_rate_get_code_entry (PayamKioskRate *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_RATE (self), NULL);
  return self->code_entry;
}

int
payam_kiosk_rate_get_score (PayamKioskRate *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_RATE (self), 0);

  for (guint i = 0; i < N_STARS; i++)
    if (self->stars[i] != NULL && gtk_toggle_button_get_active (self->stars[i]))
      return (int) i + 1;
  return 0;
}

void
payam_kiosk_rate_set_score (PayamKioskRate *self,
                            int             score)
{
  g_return_if_fail (PAYAM_IS_KIOSK_RATE (self));
  g_return_if_fail (score >= 1 && score <= N_STARS);

  gtk_toggle_button_set_active (self->stars[score - 1], TRUE);
}
