/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewSignin: a crew member picks their name and types their PIN on screen. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-signin.h"
#include "payam-format.h"
#include "payam-store-crews.h"

struct _PayamCrewSignin
{
  GtkBox parent_instance;

  /* owned */
  PayamStore *store;
  char       *crew_id;
  GPtrArray  *members;  /* of PayamCrewPerson, in the list's order */

  /* template children (borrowed) */
  GtkListBox       *member_list;
  GtkPasswordEntry *pin_entry;
  GtkGrid          *keypad;
  GtkLabel         *error_label;
  GtkLabel         *empty_label;
};

G_DEFINE_FINAL_TYPE (PayamCrewSignin, payam_crew_signin, GTK_TYPE_BOX)

enum {
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (PayamCrewSignin *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
payam_crew_signin_reset (PayamCrewSignin *self)
{
  g_return_if_fail (PAYAM_IS_CREW_SIGNIN (self));

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  show_error (self, NULL);
}

void
payam_crew_signin_set_crew (PayamCrewSignin *self,
                            PayamStore      *store,
                            const char      *crew_id)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (PAYAM_IS_CREW_SIGNIN (self));
  g_return_if_fail (PAYAM_IS_STORE (store));

  g_set_object (&self->store, store);
  g_free (self->crew_id);
  self->crew_id = g_strdup (crew_id);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->member_list))) != NULL)
    gtk_list_box_remove (self->member_list, child);

  if (crew_id != NULL)
    self->members = payam_store_list_crew_members (store, crew_id, &error);
  if (self->members == NULL && error != NULL)
    show_error (self, error->message);
  /* A member the office disabled cannot sign in: not offered. */
  for (guint i = self->members != NULL ? self->members->len : 0; i > 0; i--)
    if (!((PayamCrewPerson *) self->members->pdata[i - 1])->active)
      g_ptr_array_remove_index (self->members, i - 1);
  for (guint i = 0; self->members != NULL && i < self->members->len; i++)
    {
      PayamCrewPerson *member = self->members->pdata[i];
      GtkWidget *label = gtk_label_new (member->name);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "title-3");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->member_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label),
                          self->members == NULL || self->members->len == 0);
  if (self->members != NULL && self->members->len > 0)
    gtk_list_box_select_row (self->member_list, gtk_list_box_get_row_at_index (self->member_list, 0));
  payam_crew_signin_reset (self);
}

/* The action signin.sign-in: check the PIN of the chosen member against the device. */
static void
sign_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PayamCrewSignin *self = PAYAM_CREW_SIGNIN (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->member_list);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  PayamCrewPerson *member;

  if (row == NULL || self->members == NULL)
    {
      show_error (self, _("Choose your name from the list first."));
      return;
    }
  member = self->members->pdata[gtk_list_box_row_get_index (row)];
  name = payam_store_crew_sign_in (self->store, member->id,
                                   gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)),
                                   &error);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  if (name == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  show_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, name);
}

static void
digit_clicked (GtkButton       *button,
               PayamCrewSignin *self)
{
  GtkEditable *entry = GTK_EDITABLE (self->pin_entry);
  int position = -1;

  gtk_editable_set_position (entry, -1);
  position = gtk_editable_get_position (entry);
  gtk_editable_insert_text (entry, gtk_button_get_label (button), -1, &position);
}

static void
erase_clicked (GtkButton       *button,
               PayamCrewSignin *self)
{
  GtkEditable *entry = GTK_EDITABLE (self->pin_entry);
  const char *text = gtk_editable_get_text (entry);
  glong length = g_utf8_strlen (text, -1);

  if (length > 0)
    gtk_editable_delete_text (entry, (int) length - 1, (int) length);
}

/* Ten digit keys in Persian digits (phone layout: 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 ✓). */
static void
build_keypad (PayamCrewSignin *self)
{
  for (int d = 0; d <= 9; d++)
    {
      g_autofree char *label = payam_format_integer (d);
      GtkWidget *button = gtk_button_new_with_label (label);
      int column = d == 0 ? 1 : (d - 1) % 3;
      int row = d == 0 ? 3 : (d - 1) / 3;

      gtk_widget_add_css_class (button, "payam-crew-key");
      gtk_widget_set_size_request (button, 88, 64);
      g_signal_connect (button, "clicked", G_CALLBACK (digit_clicked), self);
      gtk_grid_attach (self->keypad, button, column, row, 1, 1);
    }
  {
    GtkWidget *erase = gtk_button_new_from_icon_name ("edit-clear-symbolic");
    GtkWidget *enter = gtk_button_new_with_label (_("Sign in"));

    gtk_widget_set_tooltip_text (erase, _("Erase a digit"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (erase), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Erase a digit"), -1);
    g_signal_connect (erase, "clicked", G_CALLBACK (erase_clicked), self);
    gtk_grid_attach (self->keypad, erase, 0, 3, 1, 1);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (enter), "signin.sign-in");
    gtk_widget_add_css_class (enter, "suggested-action");
    gtk_grid_attach (self->keypad, enter, 2, 3, 1, 1);
  }
}

static void
pin_activated (GtkPasswordEntry *entry,
               PayamCrewSignin  *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.sign-in", NULL);
}

static void
payam_crew_signin_dispose (GObject *object)
{
  PayamCrewSignin *self = PAYAM_CREW_SIGNIN (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_CREW_SIGNIN);
  g_clear_object (&self->store);
  g_clear_pointer (&self->crew_id, g_free);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  G_OBJECT_CLASS (payam_crew_signin_parent_class)->dispose (object);
}

static void
payam_crew_signin_class_init (PayamCrewSigninClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_crew_signin_dispose;

  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-crew-signin.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSignin, member_list);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSignin, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSignin, keypad);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSignin, error_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewSignin, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, pin_activated);
  gtk_widget_class_install_action (widget_class, "signin.sign-in", NULL, sign_in_activated);
}

static void
payam_crew_signin_init (PayamCrewSignin *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A number pad keeps 1 2 3 from the left in Persian too, as on phones and ATMs. */
  gtk_widget_set_direction (GTK_WIDGET (self->keypad), GTK_TEXT_DIR_LTR);
  build_keypad (self);
}
