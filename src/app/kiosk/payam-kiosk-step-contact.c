/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepContact: an optional mobile number (validated) and name for feedback. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step-contact.h"
#include "payam-phone.h"
#include "payam-store-devices.h"

struct _PayamKioskStepContact
{
  PayamKioskStep parent_instance;

  /* template children (borrowed) */
  GtkEntry *phone_entry;
  GtkEntry *name_entry;
  GtkLabel *phone_error_label;
  GtkLabel *skip_label;
  GtkLabel *intro_label;
  GtkLabel *privacy_label;
  GtkLabel *not_enrolled_label;
  GtkWidget *fields_box;

  gboolean  keeps_contact;  /* the device seals contacts (enrolled as a kiosk) */
};

G_DEFINE_FINAL_TYPE (PayamKioskStepContact, payam_kiosk_step_contact, PAYAM_TYPE_KIOSK_STEP)

/* The text of @entry without surrounding white space (caller owns it). */
static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/**
 * payam_kiosk_contact_check_phone:
 *
 * See payam-kiosk-step-contact.h. The core's errors (characters, length) already say what
 * to fix; a number that is not a mobile gets the kiosk's own sentence, since only a
 * mobile can receive the outcome by text message.
 */
char *
payam_kiosk_contact_check_phone (const char  *input,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *normalized = payam_phone_normalize (input, &local_error);

  if (normalized == NULL &&
      !g_error_matches (local_error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_PREFIX))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (normalized == NULL || !payam_phone_is_mobile (normalized))
    {
      g_autofree char *example = payam_phone_format ("09123456789", FALSE);

      g_set_error (error, PAYAM_PHONE_ERROR, PAYAM_PHONE_ERROR_PREFIX,
                   /* Translators: %s is an example mobile number in Persian digits. */
                   _("This is not a mobile number. A mobile number starts with 09, for "
                     "example %s, so that a text message can reach you."),
                   example);
      return NULL;
    }
  return g_steal_pointer (&normalized);
}

static void
show_phone_error (PayamKioskStepContact *self,
                  const char            *message)
{
  gtk_label_set_label (self->phone_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->phone_error_label), message != NULL);
}

/* While typing, an old error goes away (the number is checked again on Next). The note
 * that the number may stay empty stays in sight, above the field. */
static void
phone_changed (PayamKioskStepContact *self)
{
  show_phone_error (self, NULL);
}

/* Whether @store can keep a citizen's contact: only a device enrolled as a kiosk holds
 * the office key its contacts are sealed to (payam-store-contact.c); elsewhere the store
 * refuses one, so the step does not ask for it. */
static gboolean
store_keeps_contact (PayamStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamEnrolment) enrolment = payam_store_get_enrolment (store, &error);

  if (enrolment == NULL)
    {
      if (!g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
        g_warning ("Reading the enrolment: %s", error->message);
      return FALSE;
    }
  return enrolment->role == PAYAM_ROLE_KIOSK && enrolment->office_public_key != NULL
         && *enrolment->office_public_key != '\0';
}

static void
payam_kiosk_step_contact_enter (PayamKioskStep *step)
{
  PayamKioskStepContact *self = PAYAM_KIOSK_STEP_CONTACT (step);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  const char *phone = payam_kiosk_draft_get_phone (draft);
  const char *name = payam_kiosk_draft_get_name (draft);

  self->keeps_contact = store_keeps_contact (payam_kiosk_step_get_store (step));
  gtk_widget_set_visible (GTK_WIDGET (self->not_enrolled_label), !self->keeps_contact);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), self->keeps_contact);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_label), self->keeps_contact);
  gtk_widget_set_visible (self->fields_box, self->keeps_contact);
  gtk_widget_set_visible (GTK_WIDGET (self->privacy_label), self->keeps_contact);

  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), phone != NULL ? phone : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  phone_changed (self);
}

/* An empty number skips feedback by text message; anything else must be a mobile. */
static gboolean
payam_kiosk_step_contact_leave (PayamKioskStep  *step,
                                GError         **error)
{
  PayamKioskStepContact *self = PAYAM_KIOSK_STEP_CONTACT (step);
  g_autofree char *phone = entry_text (self->phone_entry);
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *normalized = NULL;

  if (!self->keeps_contact)
    {
      payam_kiosk_draft_set_contact (payam_kiosk_step_get_draft (step), NULL, NULL);
      return TRUE;
    }
  if (*phone != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      normalized = payam_kiosk_contact_check_phone (phone, &local_error);
      if (normalized == NULL)
        {
          show_phone_error (self, local_error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->phone_entry));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  show_phone_error (self, NULL);
  payam_kiosk_draft_set_contact (payam_kiosk_step_get_draft (step), normalized, name);
  return TRUE;
}

/* The step takes the focus away from any field: the number pad opens only when the
 * citizen touches the number field, having decided to give one. */
static gboolean
payam_kiosk_step_contact_grab_focus (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (root == NULL)
    return FALSE;
  gtk_root_set_focus (root, NULL);
  return TRUE;
}

static void
payam_kiosk_step_contact_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PAYAM_TYPE_KIOSK_STEP_CONTACT);

  G_OBJECT_CLASS (payam_kiosk_step_contact_parent_class)->dispose (object);
}

static void
payam_kiosk_step_contact_class_init (PayamKioskStepContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->dispose = payam_kiosk_step_contact_dispose;
  widget_class->grab_focus = payam_kiosk_step_contact_grab_focus;
  step_class->title = N_("Contact");
  step_class->enter = payam_kiosk_step_contact_enter;
  step_class->leave = payam_kiosk_step_contact_leave;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-contact.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, name_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, phone_error_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, skip_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, intro_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, privacy_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, not_enrolled_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepContact, fields_box);
}

static void
payam_kiosk_step_contact_init (PayamKioskStepContact *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A phone number is read and typed left to right in Persian too (STYLE §26). */
  gtk_widget_set_direction (GTK_WIDGET (self->phone_entry), GTK_TEXT_DIR_LTR);
  g_signal_connect_object (self->phone_entry, "changed", G_CALLBACK (phone_changed), self,
                           G_CONNECT_SWAPPED);
  /* Both fields are optional: Next is always possible; leave() checks the number. */
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), TRUE);
}
