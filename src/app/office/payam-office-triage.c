/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Triage from the office window: one key per action, a reason asked in a dialog, the next
 * message shown at once; giving the work to a crew by its name; and a supervisor's reopen
 * and deadline (Shift+R, Shift+D), refused with the store's message for office staff. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-office-window-private.h"
#include "payam-priority.h"
#include "payam-queue-item.h"
#include "payam-store-groups.h"
#include "payam-store-staff.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"

typedef enum {
  ASK_CATEGORY,
  ASK_PRIORITY,
  ASK_REJECT,
  ASK_ASSIGN,   /* a crew's name, and why (required when another crew holds the work) */
  ASK_REOPEN,   /* a supervisor's */
  ASK_DEADLINE, /* a supervisor's: the drop-down moves the deadline by deadline_days */
  ASK_SPLIT,    /* a group's change: why (required when a crew holds the work) */
  ASK_LEAD,
  ASK_MERGE,
} Ask;

/* How far a supervisor may move a deadline from the dialog, in days. */
static const int deadline_days[] = { 1, 2, 3, 7, 14, 30, -1 };

/* What a reason dialog asks about, for its response. */
typedef struct {
  PayamOfficeWindow *self;      /* a reference */
  char              *request_id;
  char              *into_id;   /* ASK_MERGE: the message whose group it joins */
  Ask                ask;
  GtkDropDown       *choice;    /* borrowed from the dialog; NULL for reject */
  GtkEntry          *reason;    /* borrowed from the dialog */
  GtkEntry          *crew;      /* borrowed from the dialog; the crew's name (assign only) */
  GPtrArray         *codes;     /* category codes in the drop-down's order */
} Dialog;

static void
dialog_free (Dialog *d)
{
  g_object_unref (d->self);
  g_free (d->request_id);
  g_free (d->into_id);
  g_clear_pointer (&d->codes, g_ptr_array_unref);
  g_free (d);
}

/* The request of the chosen row, or NULL (a conflict on another entity, nothing chosen). */
static const char *
selected_request (PayamOfficeWindow *self)
{
  PayamQueueItem *item = _payam_office_window_get_selected (self);

  return item != NULL ? payam_queue_item_get_request_id (item) : NULL;
}

/* After a change: the list takes it at once (the row leaves a queue and the next one is
 * chosen in its place), and the list keeps the keyboard. */
static void
changed (PayamOfficeWindow *self)
{
  if (self->queue_model != NULL)
    payam_queue_model_flush (self->queue_model);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void ask (PayamOfficeWindow *self,
                 Ask                what,
                 const char        *request_id,
                 const char        *into_id,
                 guint              choice,
                 const char        *reason,
                 const char        *crew);

/* Give @request_id's work to the crew named @name with @reason: a reason is required to
 * take the work from a crew that holds it (that crew is told why), optional the first time. */
static gboolean
assign (PayamStore  *store,
        const char  *request_id,
        const char  *name,
        const char  *reason,
        GError     **error)
{
  g_autofree char *crew_id = payam_store_find_crew (store, name, error);
  g_autofree char *holder = NULL;
  g_autofree char *why = g_strstrip (g_strdup (reason));

  if (crew_id == NULL ||
      !payam_store_get_worksheet_crew (store, request_id, &holder, error))
    return FALSE;
  if (holder != NULL && g_strcmp0 (holder, crew_id) != 0 && *why == '\0')
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                           _("Another crew holds this work: write why it is moved, so that "
                             "crew is told."));
      return FALSE;
    }
  return payam_store_assign_crew_why (store, request_id, crew_id, why, error);
}

static void
dialog_response (AdwMessageDialog *dialog,
                 const char       *response,
                 Dialog           *d)
{
  g_autoptr(GError) error = NULL;
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (d->reason));
  const char *crew = d->crew != NULL ? gtk_editable_get_text (GTK_EDITABLE (d->crew)) : NULL;
  guint choice = d->choice != NULL ? gtk_drop_down_get_selected (d->choice) : 0;
  gboolean ok = FALSE;

  if (g_strcmp0 (response, "apply") != 0)
    return;
  switch (d->ask)
    {
    case ASK_CATEGORY:
      ok = payam_store_triage_set_category (d->self->store, d->request_id,
                                            g_ptr_array_index (d->codes, choice), reason, &error);
      break;
    case ASK_PRIORITY:
      ok = payam_store_triage_set_priority (d->self->store, d->request_id,
                                            PAYAM_PRIORITY_URGENT + choice, reason, &error);
      break;
    case ASK_REJECT:
      ok = payam_store_triage_reject (d->self->store, d->request_id, reason, &error);
      break;
    case ASK_ASSIGN:
      ok = assign (d->self->store, d->request_id, crew, reason, &error);
      break;
    case ASK_REOPEN:
      ok = payam_store_supervisor_reopen (d->self->store, d->request_id, reason, &error);
      break;
    case ASK_DEADLINE:
      {
        g_autoptr(PayamRequest) request = payam_store_get_request (d->self->store,
                                                                   d->request_id, &error);
        g_autoptr(GDateTime) due = NULL;

        if (request != NULL)
          due = g_date_time_add_days (request->due_at, deadline_days[choice]);
        ok = request != NULL &&
             payam_store_supervisor_set_deadline (d->self->store, d->request_id, due, reason,
                                                  &error);
      }
      break;
    case ASK_SPLIT:
      ok = payam_store_split_why (d->self->store, d->request_id, reason, &error);
      break;
    case ASK_LEAD:
      ok = payam_store_set_group_lead_why (d->self->store, d->request_id, reason, &error);
      break;
    case ASK_MERGE:
      {
        g_autofree char *group_id = payam_store_merge_why (d->self->store, d->into_id,
                                                           d->request_id, FALSE, reason,
                                                           &error);

        ok = group_id != NULL;
      }
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      /* Nothing typed is lost: the dialog comes back with it and says what to fix. */
      _payam_office_window_toast (d->self, error->message);
      ask (d->self, d->ask, d->request_id, d->into_id, choice, reason, crew);
      return;
    }
  changed (d->self);
  if (d->ask == ASK_SPLIT || d->ask == ASK_LEAD || d->ask == ASK_MERGE)
    /* The group changed though the chosen row may not have: show it again. */
    payam_office_detail_show (d->self->detail, d->self->store,
                              _payam_office_window_get_selected (d->self));
}

/* Ask for a reason (and a category or a priority) for @what on @request_id. */
static void
ask (PayamOfficeWindow *self,
     Ask                what,
     const char        *request_id,
     const char        *into_id,
     guint              choice,
     const char        *reason,
     const char        *crew)
{
  Dialog *d = g_new0 (Dialog, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  const char *heading = NULL;
  AdwMessageDialog *dialog;

  d->self = g_object_ref (self);
  d->request_id = g_strdup (request_id);
  d->into_id = g_strdup (into_id);
  d->ask = what;
  d->reason = GTK_ENTRY (entry);

  if (what == ASK_CATEGORY)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      g_autoptr(GPtrArray) categories = payam_store_list_categories (self->store, NULL);

      d->codes = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; categories != NULL && i < categories->len; i++)
        {
          const PayamCategory *c = g_ptr_array_index (categories, i);

          gtk_string_list_append (names, c->name);
          g_ptr_array_add (d->codes, g_strdup (c->code));
        }
      d->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                    NULL));
      heading = _("Change the category");
    }
  else if (what == ASK_PRIORITY)
    {
      const char *labels[] = { payam_priority_label (PAYAM_PRIORITY_URGENT),
                               payam_priority_label (PAYAM_PRIORITY_HIGH),
                               payam_priority_label (PAYAM_PRIORITY_NORMAL), NULL };

      d->choice = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));
      heading = _("Change the priority");
    }
  else if (what == ASK_DEADLINE)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (deadline_days); i++)
        {
          g_autofree char *n = payam_format_number (ABS (deadline_days[i]));
          g_autofree char *label = NULL;

          if (deadline_days[i] > 0)
            /* Translators: the deadline moved later by %s days. */
            label = g_strdup_printf (_("%s days later"), n);
          else
            /* Translators: the deadline moved earlier by %s days. */
            label = g_strdup_printf (_("%s days earlier"), n);
          gtk_string_list_append (labels, label);
        }
      d->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)),
                                                    NULL));
      heading = _("Change the deadline");
    }
  else if (what == ASK_REOPEN)
    heading = _("Reopen the message");
  else if (what == ASK_ASSIGN)
    {
      heading = _("Give the work to a crew");
      d->crew = GTK_ENTRY (gtk_entry_new ());
      gtk_widget_set_name (GTK_WIDGET (d->crew), "assign-crew");
      gtk_widget_set_name (entry, "assign-why");
      gtk_entry_set_placeholder_text (d->crew, _("The crew's name"));
      gtk_editable_set_text (GTK_EDITABLE (d->crew), crew != NULL ? crew : "");
      gtk_entry_set_activates_default (d->crew, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (d->crew), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("The crew's name"), -1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->crew));
    }
  else if (what == ASK_SPLIT || what == ASK_LEAD || what == ASK_MERGE)
    {
      heading = what == ASK_SPLIT ? _("Take the message out of its group")
                : what == ASK_LEAD ? _("Make the message the group's lead")
                : _("Merge into the other group");
      gtk_widget_set_name (entry, "group-why");
    }
  else
    heading = _("Reject the message");

  if (d->choice != NULL)
    {
      gtk_drop_down_set_selected (d->choice, choice);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->choice));
    }
  gtk_entry_set_placeholder_text (d->reason, what == ASK_REJECT ? _("Why (the citizen is told)")
                                             : what == ASK_ASSIGN
                                             ? _("Why (required when another crew holds it)")
                                             : what == ASK_SPLIT || what == ASK_LEAD ||
                                               what == ASK_MERGE
                                             ? _("Why (required when a crew holds the work)")
                                             : _("Why (required)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (d->reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Why"), -1);
  gtk_editable_set_text (GTK_EDITABLE (d->reason), reason != NULL ? reason : "");
  gtk_entry_set_activates_default (d->reason, TRUE);
  gtk_box_append (GTK_BOX (box), entry);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  adw_message_dialog_set_extra_child (dialog, box);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "apply",
                                    what == ASK_REJECT ? _("Reject")
                                    : what == ASK_ASSIGN ? _("Assign")
                                    : what == ASK_REOPEN ? _("Reopen")
                                    : what == ASK_SPLIT ? _("Take out")
                                    : what == ASK_LEAD ? _("Make lead")
                                    : what == ASK_MERGE ? _("Merge") : _("Change"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply",
                                              what == ASK_REJECT ? ADW_RESPONSE_DESTRUCTIVE
                                                                 : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (dialog_response), d,
                         (GClosureNotify) (void (*) (void)) dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (d->crew != NULL && (crew == NULL || *crew == '\0')
                         ? GTK_WIDGET (d->crew) : entry);
}

static void
confirm_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *id = selected_request (self);

  if (id == NULL)
    return;
  if (!payam_store_triage_confirm (self->store, id, &error))
    _payam_office_window_toast (self, error->message);
  changed (self);
}

static void
ask_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  const char *id = selected_request (self);
  Ask what = g_str_equal (action_name, "win.triage-category") ? ASK_CATEGORY
           : g_str_equal (action_name, "win.triage-priority") ? ASK_PRIORITY
           : g_str_equal (action_name, "win.assign") ? ASK_ASSIGN
           : ASK_REJECT;

  if (id != NULL)
    ask (self, what, id, NULL, 0, NULL, NULL);
}

/* A supervisor's action: office staff are told at once that it is a supervisor's (the
 * store checks again when it is done). */
static void
supervisor_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  gboolean reopen = g_str_equal (action_name, "win.supervisor-reopen");
  const char *id = selected_request (self);
  g_autoptr(GError) error = NULL;

  if (id == NULL)
    return;
  if (self->staff == NULL ||
      !payam_staff_check (self->staff, reopen ? PAYAM_STAFF_MAY_REOPEN
                                              : PAYAM_STAFF_MAY_SET_DEADLINE, &error))
    {
      _payam_office_window_toast (self, error != NULL ? error->message
                                  : reopen ? _("Only a supervisor may reopen a message.")
                                  : _("Only a supervisor may change a deadline."));
      return;
    }
  ask (self, reopen ? ASK_REOPEN : ASK_DEADLINE, id, NULL, 0, NULL, NULL);
}

void
_payam_office_ask_group_change (PayamOfficeWindow      *self,
                                PayamOfficeGroupChange  change,
                                const char             *request_id,
                                const char             *into_id)
{
  g_return_if_fail (PAYAM_IS_OFFICE_WINDOW (self));
  g_return_if_fail (request_id != NULL);
  g_return_if_fail (change != PAYAM_OFFICE_GROUP_MERGE || into_id != NULL);

  ask (self, change == PAYAM_OFFICE_GROUP_SPLIT ? ASK_SPLIT
             : change == PAYAM_OFFICE_GROUP_LEAD ? ASK_LEAD : ASK_MERGE,
       request_id, into_id, 0, NULL, NULL);
}

/* Pass on: the next row, this one left as it is. */
static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamOfficeWindow *self = PAYAM_OFFICE_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);
  GListModel *model = gtk_single_selection_get_model (self->selection);

  if (model != NULL && position != GTK_INVALID_LIST_POSITION &&
      position + 1 < g_list_model_get_n_items (model))
    {
      gtk_single_selection_set_selected (self->selection, position + 1);
      /* GTK 4.8 has no gtk_column_view_scroll_to(): its inner list view's action does it. */
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LIST_VIEW (child))
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position + 1);
    }
}

void
_payam_office_triage_class_init (GtkWidgetClass *widget_class)
{
  static const struct {
    const char *action;
    guint       key;
    void      (*activate) (GtkWidget *, const char *, GVariant *);
  } actions[] = {
    { "win.triage-confirm", GDK_KEY_t, confirm_activated },
    { "win.triage-category", GDK_KEY_c, ask_activated },
    { "win.triage-priority", GDK_KEY_p, ask_activated },
    { "win.triage-reject", GDK_KEY_r, ask_activated },
    { "win.next", GDK_KEY_n, next_activated },
    { "win.assign", GDK_KEY_a, ask_activated },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_class_install_action (widget_class, actions[i].action, NULL,
                                       actions[i].activate);
      /* One plain key each: a text entry takes the letters it is typed into first. */
      gtk_widget_class_add_binding_action (widget_class, actions[i].key, 0, actions[i].action,
                                           NULL);
    }
  gtk_widget_class_install_action (widget_class, "win.supervisor-reopen", NULL,
                                   supervisor_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_SHIFT_MASK,
                                       "win.supervisor-reopen", NULL);
  gtk_widget_class_install_action (widget_class, "win.supervisor-deadline", NULL,
                                   supervisor_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_D, GDK_SHIFT_MASK,
                                       "win.supervisor-deadline", NULL);
}

void
_payam_office_triage_update (PayamOfficeWindow *self)
{
  gboolean has = selected_request (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.triage-confirm", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.triage-category", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.triage-priority", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.triage-reject", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.assign", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.supervisor-reopen", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.supervisor-deadline", has);
}
