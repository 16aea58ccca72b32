/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeAccounts: on the start side the crews, each with its neighbourhood and its
 * members' names (never a PIN or its hash); on the end side the office staff with role and
 * whether each may sign in. A supervisor adds a crew, a member with a PIN typed twice, an
 * account with a password typed twice; disables an account (asked to confirm) and enables
 * it again; gives a member a new PIN, disables or enables a member, and sets anyone's new
 * password. Everyone signed in changes their own password (the current one asked). For
 * anyone else the supervisor's buttons take no click and a line says why; the store refuses
 * too. Bad input is refused with a message saying what to fix, the dialog back with what
 * was typed. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-office-accounts.h"
#include "payam-office-widgets.h"
#include "payam-secret.h"
#include "payam-store-board.h"
#include "payam-store-crews.h"
#include "payam-store-worksheets.h"

struct _PayamOfficeAccounts
{
  GtkBox parent_instance;

  PayamStore    *store;        /* owned */
  gboolean       supervisor;   /* a supervisor signed in */
  char          *me;           /* the name signed in, NULL before */
  GPtrArray     *crews;        /* of PayamBoardCrew, the rows of crew_list */
  GPtrArray     *staff;        /* of PayamStaff, the rows of staff_list */
  GPtrArray     *place_codes;  /* neighbourhood codes, the drop-down's order after "none" */
  GPtrArray     *place_names;

  GtkLabel      *note;
  GtkListBox    *crew_list;
  GtkListBox    *staff_list;
  GtkWidget     *buttons[8];   /* add crew, add member, member's PIN, member's state,
                                * add staff, disable, enable, password */
  GtkWidget     *my_password;  /* everyone's own */
};

G_DEFINE_FINAL_TYPE (PayamOfficeAccounts, payam_office_accounts, GTK_TYPE_BOX)

typedef enum {
  ASK_CREW,
  ASK_MEMBER,
  ASK_STAFF,
  ASK_PIN,           /* a member's new PIN */
  ASK_MEMBER_STATE,  /* disable or enable a member */
  ASK_PASSWORD,      /* an account's new password */
} Ask;

/* What an account dialog asks, for its response. */
typedef struct {
  PayamOfficeAccounts *self;     /* a reference */
  Ask                  ask;
  char                *subject;  /* ASK_MEMBER, ASK_PIN, ASK_MEMBER_STATE: the crew id;
                                  * ASK_PASSWORD: the account's name */
  GPtrArray           *members;  /* ASK_PIN, ASK_MEMBER_STATE: the crew's, the choice's order */
  GtkEditable         *name;     /* NULL for ASK_PIN, ASK_MEMBER_STATE and ASK_PASSWORD */
  GtkEditable         *old;      /* ASK_PASSWORD of one's own account: the current password */
  GtkEditable         *secret;   /* the PIN or password; NULL for a crew */
  GtkEditable         *again;
  GtkDropDown         *choice;   /* neighbourhood, role or member; NULL for a new member */
} Dialog;

static void
dialog_free (Dialog *d)
{
  g_object_unref (d->self);
  g_free (d->subject);
  g_clear_pointer (&d->members, g_ptr_array_unref);
  g_free (d);
}

/* The text of @editable, or NULL when there is none. */
static const char *
text_of (GtkEditable *editable)
{
  return editable != NULL ? gtk_editable_get_text (editable) : NULL;
}




/* A crew's row: its name, its neighbourhood, its members' names. */
static GtkWidget *
crew_row (PayamOfficeAccounts  *self,
          const PayamBoardCrew *crew)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = payam_store_list_crew_members (self->store, crew->id, &error);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      const PayamCrewPerson *m = g_ptr_array_index (members, i);

      g_autofree char *marked = NULL;

      if (!m->active)
        /* Translators: a crew member's name, then that the office disabled them. */
        marked = g_strdup_printf (_("%s (disabled)"), m->name);
      /* Persian comma between names. */
      g_string_append_printf (names, "%s%s", i > 0 ? "، " : "", marked != NULL ? marked : m->name);
    }
  if (members == NULL)
    payam_office_toast (GTK_WIDGET (self), error->message);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), payam_office_row_label (crew->name, "heading"));
  gtk_box_append (GTK_BOX (box), payam_office_row_label (crew->neighbourhoods[0] != '\0'
                                            ? crew->neighbourhoods : _("No neighbourhood"),
                                            "dim-label"));
  gtk_box_append (GTK_BOX (box),
                  payam_office_row_label (names->len > 0 ? names->str : _("No members yet"),
                                          NULL));
  return box;
}

/* A staff account's row: name, role, and whether it may sign in. */
static GtkWidget *
staff_row (const PayamStaff *staff)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = payam_office_row_label (staff->name, NULL);

  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), payam_office_row_label (staff->role == PAYAM_STAFF_ROLE_SUPERVISOR
                                            ? _("Supervisor") : _("Office staff"), NULL));
  gtk_box_append (GTK_BOX (box),
                  payam_office_row_label (staff->active ? _("Active") : _("Disabled"),
                                          staff->active ? "dim-label" : "error"));
  return box;
}

/* Read the crews, their members and the accounts again. */
static void
reload (PayamOfficeAccounts *self)
{
  PayamStore *store = self->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  crews = payam_store_list_board_crews (store, &error);
  if (crews != NULL)
    accounts = payam_store_list_staff (store, &error);
  if (accounts == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (self->place_codes == NULL)
    {
      g_autoptr(GPtrArray) places = payam_store_list_places (store, "neighbourhood", NULL, NULL);

      self->place_codes = g_ptr_array_new_with_free_func (g_free);
      self->place_names = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; places != NULL && i < places->len; i++)
        {
          const PayamPlace *p = g_ptr_array_index (places, i);

          g_ptr_array_add (self->place_codes, g_strdup (p->code));
          g_ptr_array_add (self->place_names, g_strdup (p->name));
        }
    }
  payam_office_clear_list (self->crew_list);
  g_clear_pointer (&self->crews, g_ptr_array_unref);
  self->crews = g_steal_pointer (&crews);
  for (guint i = 0; i < self->crews->len; i++)
    gtk_list_box_append (self->crew_list, crew_row (self, g_ptr_array_index (self->crews, i)));
  payam_office_clear_list (self->staff_list);
  g_clear_pointer (&self->staff, g_ptr_array_unref);
  self->staff = g_steal_pointer (&accounts);
  for (guint i = 0; i < self->staff->len; i++)
    gtk_list_box_append (self->staff_list, staff_row (g_ptr_array_index (self->staff, i)));
}

void
payam_office_accounts_reload (PayamOfficeAccounts *self,
                              PayamStore          *store,
                              const PayamStaff    *staff)
{
  g_return_if_fail (PAYAM_IS_OFFICE_ACCOUNTS (self));
  g_return_if_fail (PAYAM_IS_STORE (store));

  g_set_object (&self->store, store);
  self->supervisor = staff != NULL && staff->active && staff->role == PAYAM_STAFF_ROLE_SUPERVISOR;
  g_free (self->me);
  self->me = staff != NULL ? g_strdup (staff->name) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (self->buttons); i++)
    gtk_widget_set_sensitive (self->buttons[i], self->supervisor);
  gtk_widget_set_sensitive (self->my_password, self->me != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->note), !self->supervisor);
  reload (self);
}

static void ask (PayamOfficeAccounts *self,
                 Ask                  what,
                 const char          *subject,
                 const char          *name,
                 const char          *old,
                 const char          *secret,
                 const char          *again,
                 guint                choice,
                 const char          *problem);

static gboolean
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* Whether the PIN boxes of @d hold one PIN (in any digit forms); FALSE with a message. */
static gboolean
same_pins (Dialog  *d,
           GError **error)
{
  g_autofree char *first = payam_secret_normalize_pin (gtk_editable_get_text (d->secret), error);
  g_autofree char *second = NULL;

  if (first == NULL)
    return FALSE;
  second = payam_secret_normalize_pin (gtk_editable_get_text (d->again), NULL);
  if (g_strcmp0 (first, second) != 0)
    return set_invalid (error, _("The two PINs are not the same; type the PIN again in "
                                 "both boxes."));
  return TRUE;
}

/* Whether the password boxes of @d hold one good password; FALSE with a message. */
static gboolean
same_passwords (Dialog  *d,
                GError **error)
{
  const char *password = gtk_editable_get_text (d->secret);

  if (!payam_secret_check_password (password, error))
    return FALSE;
  if (g_strcmp0 (password, gtk_editable_get_text (d->again)) != 0)
    return set_invalid (error, _("The two passwords are not the same; type the password "
                                 "again in both boxes."));
  return TRUE;
}

/* The member chosen in @d's drop-down; FALSE with a message when there is none. */
static const PayamCrewPerson *
chosen_member (Dialog  *d,
               GError **error)
{
  guint choice = gtk_drop_down_get_selected (d->choice);

  if (d->members == NULL || choice >= d->members->len)
    {
      set_invalid (error, _("Choose the crew member first."));
      return NULL;
    }
  return g_ptr_array_index (d->members, choice);
}

/* Do what the dialog asked for (@response: "apply", "disable" or "enable"); FALSE with a
 * message saying what to fix. */
static gboolean
apply (Dialog      *d,
       const char  *response,
       GError     **error)
{
  PayamStore *store = d->self->store;
  const char *name = d->name != NULL ? gtk_editable_get_text (d->name) : NULL;
  guint choice = d->choice != NULL ? gtk_drop_down_get_selected (d->choice) : 0;
  g_autofree char *id = NULL;

  if (d->ask == ASK_PIN || d->ask == ASK_MEMBER_STATE)
    {
      const PayamCrewPerson *member = chosen_member (d, error);

      if (member == NULL)
        return FALSE;
      if (d->ask == ASK_MEMBER_STATE)
        return payam_store_set_crew_member_active (store, member->id,
                                                   g_strcmp0 (response, "enable") == 0, error);
      return same_pins (d, error) &&
             payam_store_set_crew_member_pin (store, member->id,
                                              gtk_editable_get_text (d->secret), error);
    }
  if (d->ask == ASK_PASSWORD)
    return same_passwords (d, error) &&
           payam_store_set_staff_password (store, d->subject, text_of (d->old),
                                           gtk_editable_get_text (d->secret), error);

  if (d->ask == ASK_CREW)
    {
      g_autofree char *clean = g_strstrip (g_strdup (name));
      g_autofree char *same = NULL;
      g_autoptr(GError) missing = NULL;

      if (*clean != '\0' && (same = payam_store_find_crew (store, clean, &missing)) != NULL)
        return set_invalid (error, _("A crew of this name already exists; choose another "
                                     "name."));
      id = payam_store_add_crew (store, name,
                                 choice > 0 && choice <= d->self->place_codes->len
                                 ? g_ptr_array_index (d->self->place_codes, choice - 1) : NULL,
                                 error);
      return id != NULL;
    }
  if (d->ask == ASK_MEMBER)
    {
      if (!same_pins (d, error))
        return FALSE;
      id = payam_store_add_crew_member (store, d->subject, name,
                                        gtk_editable_get_text (d->secret), error);
      return id != NULL;
    }
  if (!same_passwords (d, error))
    return FALSE;
  id = payam_store_add_staff (store, name, choice == 1 ? PAYAM_STAFF_ROLE_SUPERVISOR
                                                       : PAYAM_STAFF_ROLE_OFFICE,
                              gtk_editable_get_text (d->secret), error);
  return id != NULL;
}

static void
dialog_response (AdwMessageDialog *dialog,
                 const char       *response,
                 Dialog           *d)
{
  g_autoptr(GError) error = NULL;

  /* The dialog closes: a password box must not hold the focus while it goes (GTK warns
   * "invalid unclassed pointer in cast to 'GtkPasswordEntry'" as it is destroyed). */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_strcmp0 (response, "apply") != 0 && g_strcmp0 (response, "disable") != 0 &&
      g_strcmp0 (response, "enable") != 0)
    return;
  if (!apply (d, response, &error))
    {
      /* Nothing typed is lost: the dialog comes back with it and says what to fix. */
      payam_office_toast (GTK_WIDGET (d->self), error->message);
      ask (d->self, d->ask, d->subject, text_of (d->name), text_of (d->old), text_of (d->secret),
           text_of (d->again), d->choice != NULL ? gtk_drop_down_get_selected (d->choice) : 0,
           error->message);
      return;
    }
  if (d->ask == ASK_PASSWORD)
    payam_office_toast (GTK_WIDGET (d->self), _("The new password is saved."));
  else if (d->ask == ASK_PIN)
    payam_office_toast (GTK_WIDGET (d->self), _("The new PIN is saved; it reaches the crew's "
                                                "devices at their next sync."));
  reload (d->self);
}

/* A text box with @name for tests and @label for people (and screen readers). */
static GtkEditable *
field (GtkWidget  *box,
       GtkWidget  *entry,
       const char *name,
       const char *label,
       const char *text)
{
  gtk_widget_set_name (entry, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  if (GTK_IS_ENTRY (entry))
    {
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
    }
  else
    {
      g_object_set (entry, "placeholder-text", label, "activates-default", TRUE, NULL);
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_box_append (GTK_BOX (box), entry);
  return GTK_EDITABLE (entry);
}

/* A drop-down of the members of crew @d->subject (a disabled one marked so). */
static GtkDropDown *
member_choice (Dialog *d)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  d->members = payam_store_list_crew_members (d->self->store, d->subject, &error);
  if (d->members == NULL)
    payam_office_toast (GTK_WIDGET (d->self), error->message);
  for (guint i = 0; d->members != NULL && i < d->members->len; i++)
    {
      const PayamCrewPerson *m = g_ptr_array_index (d->members, i);
      g_autofree char *marked = g_strdup_printf (_("%s (disabled)"), m->name);

      gtk_string_list_append (names, m->active ? m->name : marked);
    }
  return GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
}

static void
ask (PayamOfficeAccounts *self,
     Ask                  what,
     const char          *subject,
     const char          *name,
     const char          *old,
     const char          *secret,
     const char          *again,
     guint                choice,
     const char          *problem)
{
  Dialog *d = g_new0 (Dialog, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading_text = NULL;
  const char *heading;
  AdwMessageDialog *dialog;

  d->self = g_object_ref (self);
  d->ask = what;
  d->subject = g_strdup (subject);
  if (what == ASK_CREW || what == ASK_MEMBER || what == ASK_STAFF)
    d->name = field (box, gtk_entry_new (), "account-name",
                     what == ASK_CREW ? _("The crew's name")
                     : what == ASK_MEMBER ? _("The member's name") : _("The staff member's name"),
                     name);
  if (what == ASK_PIN || what == ASK_MEMBER_STATE)
    {
      heading = what == ASK_PIN ? _("A new PIN for a crew member")
                                : _("Disable or enable a crew member");
      d->choice = member_choice (d);
      gtk_accessible_update_property (GTK_ACCESSIBLE (d->choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Crew member"), -1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->choice));
      if (what == ASK_PIN)
        {
          d->secret = field (box, gtk_password_entry_new (), "account-secret",
                             _("New PIN: 4 to 8 digits"), secret);
          d->again = field (box, gtk_password_entry_new (), "account-again",
                            _("The PIN again"), again);
        }
    }
  else if (what == ASK_PASSWORD)
    {
      /* Translators: %s is a staff member's name. */
      heading = heading_text = g_strdup_printf (_("A new password for %s"), subject);
      if (g_strcmp0 (subject, self->me) == 0)
        d->old = field (box, gtk_password_entry_new (), "account-old",
                        _("Your current password"), old);
      d->secret = field (box, gtk_password_entry_new (), "account-secret",
                         _("New password: at least 8 characters"), secret);
      d->again = field (box, gtk_password_entry_new (), "account-again",
                        _("The password again"), again);
    }
  else if (what == ASK_CREW)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      heading = _("Add a crew");
      gtk_string_list_append (names, _("No neighbourhood"));
      for (guint i = 0; i < self->place_names->len; i++)
        gtk_string_list_append (names, g_ptr_array_index (self->place_names, i));
      d->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                    NULL));
      gtk_accessible_update_property (GTK_ACCESSIBLE (d->choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("The crew's neighbourhood"), -1);
    }
  else if (what == ASK_MEMBER)
    {
      heading = _("Add a member to the crew");
      d->secret = field (box, gtk_password_entry_new (), "account-secret",
                         _("PIN: 4 to 8 digits"), secret);
      d->again = field (box, gtk_password_entry_new (), "account-again",
                        _("The PIN again"), again);
    }
  else
    {
      const char *roles[] = { _("Office staff"), _("Supervisor"), NULL };

      heading = _("Add a staff account");
      d->choice = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (roles));
      gtk_accessible_update_property (GTK_ACCESSIBLE (d->choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Role"), -1);
      d->secret = field (box, gtk_password_entry_new (), "account-secret",
                         _("Password: at least 8 characters"), secret);
      d->again = field (box, gtk_password_entry_new (), "account-again",
                        _("The password again"), again);
    }
  if (d->choice != NULL)
    {
      gtk_widget_set_name (GTK_WIDGET (d->choice), "account-choice");
      gtk_drop_down_set_selected (d->choice, choice);
      if (d->name != NULL)
        gtk_box_insert_child_after (GTK_BOX (box), GTK_WIDGET (d->choice),
                                    GTK_WIDGET (d->name));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                              : NULL,
                                                       heading, problem));
  adw_message_dialog_set_extra_child (dialog, box);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  if (what == ASK_MEMBER_STATE)
    {
      adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "enable", _("Enable"),
                                        "disable", _("Disable"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "disable", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
    }
  else
    {
      adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "apply",
                                        what == ASK_PIN || what == ASK_PASSWORD ? _("Save")
                                                                               : _("Add"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "apply");
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (dialog_response), d,
                         (GClosureNotify) (void (*) (void)) dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (d->name != NULL ? GTK_WIDGET (d->name)
                         : d->old != NULL ? GTK_WIDGET (d->old)
                         : GTK_WIDGET (d->choice != NULL ? GTK_WIDGET (d->choice)
                                                          : GTK_WIDGET (d->secret)));
}

static void
add_crew_clicked (PayamOfficeAccounts *self)
{
  ask (self, ASK_CREW, NULL, NULL, NULL, NULL, NULL, 0, NULL);
}

/* What @list's chosen row shows (its element of @rows), or NULL with a toast saying
 * @choose. */
static gconstpointer
chosen (PayamOfficeAccounts *self,
        GtkListBox          *list,
        GPtrArray           *rows,
        const char          *choose)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  if (row == NULL || rows == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), choose);
      return NULL;
    }
  return g_ptr_array_index (rows, gtk_list_box_row_get_index (row));
}

/* The crew chosen in the list, or NULL with a toast saying @choose. */
static const PayamBoardCrew *
chosen_crew (PayamOfficeAccounts *self,
             const char          *choose)
{
  return chosen (self, self->crew_list, self->crews, choose);
}

static void
add_member_clicked (PayamOfficeAccounts *self)
{
  const PayamBoardCrew *crew = chosen_crew (self, _("Choose the crew to add the member to "
                                                    "first."));

  if (crew != NULL)
    ask (self, ASK_MEMBER, crew->id, NULL, NULL, NULL, NULL, 0, NULL);
}

static void
member_pin_clicked (PayamOfficeAccounts *self)
{
  const PayamBoardCrew *crew = chosen_crew (self, _("Choose the member's crew first."));

  if (crew != NULL)
    ask (self, ASK_PIN, crew->id, NULL, NULL, NULL, NULL, 0, NULL);
}

static void
member_state_clicked (PayamOfficeAccounts *self)
{
  const PayamBoardCrew *crew = chosen_crew (self, _("Choose the member's crew first."));

  if (crew != NULL)
    ask (self, ASK_MEMBER_STATE, crew->id, NULL, NULL, NULL, NULL, 0, NULL);
}

static void
add_staff_clicked (PayamOfficeAccounts *self)
{
  ask (self, ASK_STAFF, NULL, NULL, NULL, NULL, NULL, 0, NULL);
}

/* The account chosen in the list, or NULL with a toast saying @choose. */
static const PayamStaff *
chosen_staff (PayamOfficeAccounts *self,
              const char          *choose)
{
  return chosen (self, self->staff_list, self->staff, choose);
}

static void
enable_clicked (PayamOfficeAccounts *self)
{
  const PayamStaff *staff = chosen_staff (self, _("Choose the account to enable first."));
  g_autoptr(GError) error = NULL;

  if (staff == NULL)
    return;
  if (!payam_store_enable_staff (self->store, staff->name, &error))
    payam_office_toast (GTK_WIDGET (self), error->message);
  reload (self);
}

static void
password_clicked (PayamOfficeAccounts *self)
{
  const PayamStaff *staff = chosen_staff (self, _("Choose the account first."));

  if (staff != NULL)
    ask (self, ASK_PASSWORD, staff->name, NULL, NULL, NULL, NULL, 0, NULL);
}

static void
my_password_clicked (PayamOfficeAccounts *self)
{
  if (self->me != NULL)
    ask (self, ASK_PASSWORD, self->me, NULL, NULL, NULL, NULL, 0, NULL);
}

static void
disable_response (AdwMessageDialog    *dialog,
                  const char          *response,
                  PayamOfficeAccounts *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = g_object_get_data (G_OBJECT (dialog), "payam-name");

  if (g_strcmp0 (response, "disable") != 0)
    return;
  if (!payam_store_disable_staff (self->store, name, &error))
    payam_office_toast (GTK_WIDGET (self), error->message);
  reload (self);
}

static void
disable_clicked (PayamOfficeAccounts *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->staff_list);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const PayamStaff *staff;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (row == NULL || self->staff == NULL)
    {
      payam_office_toast (GTK_WIDGET (self), _("Choose the account to disable first."));
      return;
    }
  staff = g_ptr_array_index (self->staff, gtk_list_box_row_get_index (row));
  /* Whoever is signed in here keeps a way back in: another supervisor or payamctl may. */
  if (g_strcmp0 (staff->name, self->me) == 0)
    {
      payam_office_toast (GTK_WIDGET (self),
                          _("You cannot disable your own account while signed in with it."));
      return;
    }
  /* Translators: %s is a staff member's name. */
  heading = g_strdup_printf (_("Disable the account of %s?"), staff->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                              : NULL, heading,
                                                       _("The account can no longer sign in; "
                                                         "what it did stays recorded.")));
  g_object_set_data_full (G_OBJECT (dialog), "payam-name", g_strdup (staff->name), g_free);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "disable", _("Disable"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "disable", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (disable_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A titled list (@name for tests) in a scrolled window with @bar under it, added to
 * @parent. */
static GtkListBox *
column (GtkWidget  *parent,
        const char *title,
        const char *name,
        GtkWidget  *bar)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *heading = payam_office_row_label (title, "heading");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_set_margin_start (heading, 12);
  gtk_widget_set_margin_top (heading, 6);
  gtk_widget_set_margin_bottom (heading, 6);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_widget_add_css_class (list, "rich-list");
  gtk_widget_set_name (list, name);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (parent), box);
  return GTK_LIST_BOX (list);
}

static GtkWidget *
button (PayamOfficeAccounts *self,
        GtkWidget           *bar,
        const char          *label,
        const char          *name,
        GCallback            clicked)
{
  GtkWidget *b = gtk_button_new_with_label (label);

  gtk_widget_set_name (b, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect_swapped (b, "clicked", clicked, self);
  gtk_box_append (GTK_BOX (bar), b);
  return b;
}

static void
payam_office_accounts_dispose (GObject *object)
{
  PayamOfficeAccounts *self = PAYAM_OFFICE_ACCOUNTS (object);

  g_clear_pointer (&self->crews, g_ptr_array_unref);
  g_clear_pointer (&self->staff, g_ptr_array_unref);
  g_clear_pointer (&self->place_codes, g_ptr_array_unref);
  g_clear_pointer (&self->place_names, g_ptr_array_unref);
  g_clear_pointer (&self->me, g_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (payam_office_accounts_parent_class)->dispose (object);
}

static void
payam_office_accounts_class_init (PayamOfficeAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = payam_office_accounts_dispose;
}

static void
payam_office_accounts_init (PayamOfficeAccounts *self)
{
  GtkWidget *lists = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *crew_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *staff_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  self->note = GTK_LABEL (payam_office_row_label (
    _("Only a supervisor can manage crews, members and staff accounts."), "dim-label"));
  gtk_widget_set_name (GTK_WIDGET (self->note), "accounts-note");
  gtk_widget_set_margin_start (GTK_WIDGET (self->note), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->note), 6);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->note));
  gtk_widget_set_vexpand (lists, TRUE);
  gtk_box_append (GTK_BOX (self), lists);

  self->buttons[0] = button (self, crew_bar, _("Add a crew"), "accounts-add-crew",
                             G_CALLBACK (add_crew_clicked));
  self->buttons[1] = button (self, crew_bar, _("Add a member"), "accounts-add-member",
                             G_CALLBACK (add_member_clicked));
  self->buttons[2] = button (self, crew_bar, _("New PIN"), "accounts-member-pin",
                             G_CALLBACK (member_pin_clicked));
  self->buttons[3] = button (self, crew_bar, _("Disable or enable a member"),
                             "accounts-member-state", G_CALLBACK (member_state_clicked));
  self->crew_list = column (lists, _("Crews and their members"), "accounts-crews",
                            crew_bar);
  gtk_box_append (GTK_BOX (lists), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  self->buttons[4] = button (self, staff_bar, _("Add staff"), "accounts-add-staff",
                             G_CALLBACK (add_staff_clicked));
  self->buttons[5] = button (self, staff_bar, _("Disable"), "accounts-disable",
                             G_CALLBACK (disable_clicked));
  gtk_widget_add_css_class (self->buttons[5], "destructive-action");
  self->buttons[6] = button (self, staff_bar, _("Enable"), "accounts-enable",
                             G_CALLBACK (enable_clicked));
  self->buttons[7] = button (self, staff_bar, _("New password"), "accounts-password",
                             G_CALLBACK (password_clicked));
  self->my_password = button (self, staff_bar, _("Change my password"),
                              "accounts-my-password", G_CALLBACK (my_password_clicked));
  self->staff_list = column (lists, _("Office staff accounts"), "accounts-staff",
                            staff_bar);
  for (guint i = 0; i < G_N_ELEMENTS (self->buttons); i++)
    gtk_widget_set_sensitive (self->buttons[i], FALSE);
  gtk_widget_set_sensitive (self->my_password, FALSE);
}
