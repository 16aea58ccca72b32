/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewDetail: one worksheet in full and the crew's work on it. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-crew-detail.h"
#include "payam-crew-photos.h"
#include "payam-crew-print.h"
#include "payam-crew-sheet-row.h"
#include "payam-crew-work.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-phone.h"
#include "payam-priority.h"
#include "payam-store-groups.h"
#include "payam-text.h"
#include "payam-tracking.h"

struct _PayamCrewDetail
{
  GtkBox parent_instance;

  /* owned */
  PayamStore     *store;
  PayamCrewSheet *sheet;
  GStrv           phrases;  /* of the sheet's category */

  /* template children (borrowed) */
  GtkStack     *stack;
  GtkLabel     *withdrawn_label;
  GtkLabel     *office_label;
  GtkLabel     *title_label;
  GtkLabel     *place_label;
  GtkLabel     *deadline_label;
  GtkLabel     *status_label;
  GtkBox       *members_box;
  GtkBox       *timeline_box;
  GtkLabel     *message_label;
  GtkLabel     *evidence_label;
  GtkEntry     *note_entry;
  GtkDropDown  *phrase_dropdown;
  GtkEntry     *words_entry;
  GtkDropDown  *reason_dropdown;
  GtkEntry     *reason_entry;
  GtkBox       *work_box;
};

G_DEFINE_FINAL_TYPE (PayamCrewDetail, payam_crew_detail, GTK_TYPE_BOX)

enum {
  SIGNAL_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

PayamCrewSheet *
payam_crew_detail_get_sheet (PayamCrewDetail *self)
{
  g_return_val_if_fail (PAYAM_IS_CREW_DETAIL (self), NULL);
  return self->sheet;
}

void
payam_crew_detail_set_store (PayamCrewDetail *self,
                             PayamStore      *store)
{
  g_return_if_fail (PAYAM_IS_CREW_DETAIL (self));
  g_set_object (&self->store, store);
}

/* A message under the buttons: an error (what to do) or what was saved. */
static void
say (PayamCrewDetail *self,
     const char      *message,
     gboolean         is_error)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "payam-crew-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "payam-crew-error");
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  return label;
}

/* A phone for the crew, isolated left to right: every digit but the last four hidden. A crew's device holds it
 * masked already ("*******4567", payam-store-sync-server.c); a full number (the office's
 * own store) is masked here. Caller owns it. */
static char *
masked_phone (const char *phone)
{
  g_autofree char *shown = NULL;
  GString *out;

  if (g_str_has_prefix (phone, "09"))
    {
      shown = payam_phone_format (phone, TRUE);
      return payam_text_isolate_ltr (shown);
    }
  out = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (*p == '*')
        g_string_append (out, "•");
      else if (g_ascii_isdigit (*p))
        g_string_append_unichar (out, 0x06F0 + (*p - '0'));
      else
        g_string_append_c (out, *p);
    }
  shown = g_string_free (out, FALSE);
  return payam_text_isolate_ltr (shown);
}

/* Every member's words, code and masked phone (names are never shown to crews). */
static void
fill_members (PayamCrewDetail *self,
              const char      *group_id)
{
  g_autoptr(PayamGroup) group = NULL;
  g_autoptr(GError) error = NULL;

  clear_box (self->members_box);
  if (group_id != NULL)
    group = payam_store_get_group (self->store, group_id, &error);
  for (guint i = 0; group != NULL && i < group->members->len; i++)
    {
      PayamRequest *member = group->members->pdata[i];
      g_autofree char *code = payam_tracking_code_format_inline (member->tracking_code);
      g_autofree char *phone = member->phone != NULL ? masked_phone (member->phone) : NULL;
      g_auto(GStrv) photos = payam_store_list_request_photos (self->store, member->id, NULL);
      g_autofree char *n_photos = payam_format_integer (photos != NULL ? g_strv_length (photos)
                                                                       : 0);
      g_autofree char *head = NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *head_label;

      /* Translators: a tracking code, a phone number with hidden digits (or nothing), then
       * the number of the citizen's photos. */
      head = g_strdup_printf (_("%s · %s · photos: %s"), code,
                              phone != NULL ? phone : _("no phone"), n_photos);
      head_label = wrapped_label (head);
      gtk_widget_add_css_class (head_label, "dim-label");
      gtk_box_append (GTK_BOX (box), head_label);
      gtk_box_append (GTK_BOX (box), wrapped_label (member->text));
      gtk_box_append (self->members_box, box);
    }
}

/* What one timeline entry says, for the crew. Caller owns it. */
static char *
timeline_text (const PayamTimelineEntry *e)
{
  const char *what = NULL;
  g_autofree char *owned = NULL;
  g_autofree char *changes = NULL;

  switch (e->kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      what = _("Message registered");
      break;
    case PAYAM_TIMELINE_MERGED:
      what = _("Joined with messages about the same problem");
      break;
    case PAYAM_TIMELINE_SPLIT:
      what = _("Separated from the other messages");
      break;
    case PAYAM_TIMELINE_ASSIGNED:
      what = _("Given to a crew");
      break;
    case PAYAM_TIMELINE_STATUS:
      what = payam_status_label (e->status);
      break;
    case PAYAM_TIMELINE_NOTICE:
      what = _("Citizen to be told the outcome");
      break;
    case PAYAM_TIMELINE_OFFICE_CHANGE:
      changes = payam_crew_office_changes_text (e->office_changed);
      /* Translators: what the office changed ("its priority"); its reason follows. */
      what = owned = g_strdup_printf (_("Changed by the office: %s"), changes);
      break;
    case PAYAM_TIMELINE_ACTION:
      switch (e->action)
        {
        case PAYAM_ACTION_NOTE:
          what = _("Note");
          break;
        case PAYAM_ACTION_ASSIGN:
          what = _("Given to a crew");
          break;
        case PAYAM_ACTION_START:
          what = _("Work started");
          break;
        case PAYAM_ACTION_PHOTO:
          what = _("Photo");
          break;
        case PAYAM_ACTION_BEFORE:
          what = _("Photo before the work");
          break;
        case PAYAM_ACTION_AFTER:
          what = _("Photo after the work");
          break;
        case PAYAM_ACTION_DONE:
          what = _("Done");
          break;
        case PAYAM_ACTION_NOT_POSSIBLE:
          what = _("Not possible");
          break;
        default:
          what = "";
          break;
        }
      break;
    default:
      what = "";
      break;
    }
  {
    g_autofree char *when = payam_format_date_time (e->at);
    g_autofree char *who = e->actor != NULL ? g_strdup_printf (" · %s", e->actor) : g_strdup ("");
    g_autofree char *text = e->text != NULL && e->kind != PAYAM_TIMELINE_NOTICE
                            ? g_strdup_printf (": %s", e->text) : g_strdup ("");

    return g_strdup_printf ("%s%s — %s%s", when, who, what, text);
  }
}

static void
fill_timeline (PayamCrewDetail *self,
               const char      *request_id)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  clear_box (self->timeline_box);
  entries = payam_store_list_staff_timeline (self->store, request_id, &error);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      g_autofree char *text = timeline_text (entries->pdata[i]);

      gtk_box_append (self->timeline_box, wrapped_label (text));
    }
}

static void
fill_phrases (PayamCrewDetail *self,
              const char      *category)
{
  g_autoptr(GtkStringList) list = NULL;

  g_clear_pointer (&self->phrases, g_strfreev);
  self->phrases = payam_outcome_phrases (category);
  list = gtk_string_list_new (NULL);
  gtk_string_list_append (list, _("Choose what was done…"));
  for (guint i = 0; self->phrases[i] != NULL; i++)
    gtk_string_list_append (list, self->phrases[i]);
  gtk_drop_down_set_model (self->phrase_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->phrase_dropdown, 0);
}

/* Read the sheet's request, group, evidence and timeline again. */
char *
payam_crew_office_changes_text (guint changed)
{
  static const struct {
    guint       flag;
    const char *text;
  } parts[] = {
    { PAYAM_OFFICE_CHANGED_CATEGORY, N_("its category") },
    { PAYAM_OFFICE_CHANGED_PRIORITY, N_("its priority") },
    { PAYAM_OFFICE_CHANGED_DEADLINE, N_("its deadline") },
    { PAYAM_OFFICE_CHANGED_MESSAGES, N_("the messages it serves") },
    { PAYAM_OFFICE_CHANGED_STATUS, N_("the state of its messages") },
    { PAYAM_OFFICE_CHANGED_CREW, N_("the crew it is given to") },
    { PAYAM_OFFICE_CHANGED_SPLIT, N_("a message taken out of its group") },
    { PAYAM_OFFICE_CHANGED_LEAD, N_("the message that leads its group") },
    { PAYAM_OFFICE_CHANGED_OTHER, N_("its details") },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (!(changed & parts[i].flag))
        continue;
      if (text->len > 0)
        g_string_append (text, "، ");
      g_string_append (text, _(parts[i].text));
    }
  if (text->len == 0)
    g_string_append (text, _(parts[G_N_ELEMENTS (parts) - 1].text));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
payam_crew_office_change_line (const PayamCrewSheetInfo *info)
{
  g_autofree char *what = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  if (info->office_why == NULL && (info->office_changed == 0 || info->office_changed_at == NULL))
    return NULL;
  what = payam_crew_office_changes_text (info->office_changed);
  if (info->office_why == NULL)
    {
      when = payam_format_date_time (info->office_changed_at);
      /* Translators: when (a Jalali date and time), then what the office changed ("its
       * priority"), with no reason given. */
      return g_strdup_printf (_("Changed by the office (%s): %s"), when, what);
    }
  if (info->office_changed_at == NULL)
    /* Translators: what the office changed ("its priority"), then the office's reason. */
    return g_strdup_printf (_("Changed by the office: %s — %s"), what, info->office_why);
  when = payam_format_date_time (info->office_changed_at);
  /* Translators: when (a Jalali date and time), what the office changed ("its priority"),
   * then the office's reason in its own words. */
  return g_strdup_printf (_("Changed by the office (%s): %s — %s"), when, what,
                          info->office_why);
}

static void
refresh (PayamCrewDetail *self)
{
  const PayamCrewSheetInfo *info;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *code = NULL;
  g_autofree char *title = NULL;
  g_autofree char *place = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *n_before = NULL;
  g_autofree char *n_after = NULL;
  g_autofree char *evidence = NULL;
  guint before = 0, after = 0;
  gboolean open;

  if (self->sheet == NULL || self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  info = payam_crew_sheet_get_info (self->sheet);
  gtk_stack_set_visible_child_name (self->stack, "sheet");
  request = payam_store_get_request (self->store, info->request_id, &error);

  code = payam_tracking_code_format_inline (info->tracking_code);
  /* Translators: a category, then a tracking code. */
  title = g_strdup_printf (_("%s — %s"), info->category_name, code);
  gtk_label_set_label (self->title_label, title);
  place = payam_crew_sheet_dup_place (self->sheet);
  gtk_label_set_label (self->place_label, place);
  if (info->due_at != NULL)
    {
      g_autofree char *when = payam_format_date_time (info->due_at);
      g_autofree char *left = payam_format_time_left (now, info->due_at);

      /* Translators: how urgent, the deadline's date and time, then the time left. */
      deadline = g_strdup_printf (_("%s · deadline %s (%s)"),
                                  payam_priority_label ((PayamPriority) info->priority), when,
                                  left);
    }
  else
    deadline = g_strdup (payam_priority_label ((PayamPriority) info->priority));
  gtk_label_set_label (self->deadline_label, deadline);
  gtk_label_set_label (self->status_label, payam_crew_sheet_status_label (info->status));

  gtk_widget_set_visible (GTK_WIDGET (self->withdrawn_label),
                          info->withdrawal != PAYAM_WITHDRAWAL_NONE);
  if (info->withdrawal != PAYAM_WITHDRAWAL_NONE)
    gtk_label_set_label (self->withdrawn_label, payam_withdrawal_reason (info->withdrawal));
  {
    g_autofree char *line = payam_crew_office_change_line (info);

    gtk_widget_set_visible (GTK_WIDGET (self->office_label), line != NULL);
    gtk_label_set_label (self->office_label, line != NULL ? line : "");
  }
  open = info->withdrawal == PAYAM_WITHDRAWAL_NONE && !payam_crew_sheet_is_finished (self->sheet);
  gtk_widget_set_sensitive (GTK_WIDGET (self->work_box), open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.open-map",
                                 request != NULL && request->has_location);

  fill_members (self, request != NULL ? request->group_id : NULL);
  fill_timeline (self, info->request_id);
  fill_phrases (self, info->category_id);
  payam_store_count_evidence (self->store, info->request_id, &before, &after, NULL);
  n_before = payam_format_integer (before);
  n_after = payam_format_integer (after);
  /* Translators: numbers of photos, in Persian digits. */
  evidence = g_strdup_printf (_("Photos before the work: %s · after the work: %s"), n_before,
                              n_after);
  gtk_label_set_label (self->evidence_label, evidence);
}

void
payam_crew_detail_show (PayamCrewDetail *self,
                        PayamCrewSheet  *sheet)
{
  g_return_if_fail (PAYAM_IS_CREW_DETAIL (self));

  g_set_object (&self->sheet, sheet);
  say (self, NULL, FALSE);
  refresh (self);
}

/* After a step was saved: tell the window (which reads its list again) and say so. */
static void
recorded (PayamCrewDetail *self,
          const char      *message)
{
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
  say (self, message, FALSE);
}

static const char *
request_id (PayamCrewDetail *self)
{
  return payam_crew_sheet_get_info (self->sheet)->request_id;
}

static void
record_simple (PayamCrewDetail *self,
               PayamActionKind  kind,
               const char      *note,
               const char      *done_message)
{
  PayamActionDraft draft = { .kind = kind, .note = note };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (self->sheet == NULL)
    return;
  id = payam_store_add_action (self->store, request_id (self), &draft, PAYAM_ROLE_CREW, &error);
  if (id == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  recorded (self, done_message);
}

static void
start_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  record_simple (PAYAM_CREW_DETAIL (widget), PAYAM_ACTION_START, NULL,
                 _("The work has started. It is saved on this laptop."));
}

static void
note_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (*text == '\0')
    {
      say (self, _("Write the note first."), TRUE);
      return;
    }
  record_simple (self, PAYAM_ACTION_NOTE, text, _("The note is saved. Citizens never see it."));
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->message_label), "payam-crew-error"))
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  guint chosen = gtk_drop_down_get_selected (self->phrase_dropdown);
  const char *phrase = chosen > 0 && chosen != GTK_INVALID_LIST_POSITION
                       ? self->phrases[chosen - 1] : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (self->sheet == NULL)
    return;
  id = payam_store_crew_done (self->store, request_id (self), phrase,
                              gtk_editable_get_text (GTK_EDITABLE (self->words_entry)), &error);
  if (id == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->words_entry), "");
  recorded (self, _("Marked done. Every citizen of this worksheet will be told."));
}

static void
not_possible_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  guint chosen = gtk_drop_down_get_selected (self->reason_dropdown);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (self->sheet == NULL)
    return;
  id = payam_store_crew_not_possible (self->store, request_id (self),
                                      chosen == GTK_INVALID_LIST_POSITION
                                      ? PAYAM_NOT_POSSIBLE_NONE
                                      : (PayamNotPossibleReason) chosen,
                                      gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)),
                                      &error);
  if (id == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), "");
  recorded (self, _("Marked not possible. The worksheet goes back to the office to decide."));
}

/* Photos taken or imported: one before or after action with all of them. */
static void
photos_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PayamCrewDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  PayamActionKind kind;
  g_auto(GStrv) photos = payam_crew_photos_finish (result, &kind, &error);
  PayamActionDraft draft = { .kind = kind };
  g_autofree char *id = NULL;

  if (photos == NULL)
    {
      if (error != NULL)
        say (self, error->message, TRUE);
      return;
    }
  if (self->sheet == NULL)
    return;
  /* The photos kept before a bad file or a full disk are recorded all the same. */
  draft.photos = (const char * const *) photos;
  id = payam_store_add_action (self->store, request_id (self), &draft, PAYAM_ROLE_CREW,
                               error == NULL ? &error : NULL);
  if (id == NULL && error != NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  if (id != NULL)
    recorded (self, _("The photos are saved on this laptop."));
  if (error != NULL)
    {
      /* Translators: after the photos that were saved, what stopped the others. */
      g_autofree char *text = g_strdup_printf (_("The other photos were not saved. %s"),
                                               error->message);

      say (self, id != NULL ? text : error->message, TRUE);
    }
}

static void
photo_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  gboolean after = g_str_has_suffix (action_name, "after");
  gboolean import = strstr (action_name, "import") != NULL;

  if (self->sheet == NULL)
    return;
  say (self, NULL, FALSE);
  payam_crew_photos_async (GTK_WIDGET (self), self->store,
                           after ? PAYAM_ACTION_AFTER : PAYAM_ACTION_BEFORE, import,
                           photos_ready, g_object_ref (self));
}

static void
open_map_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GAppInfo) handler = g_app_info_get_default_for_uri_scheme ("geo");
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *uri = NULL;

  if (self->sheet == NULL)
    return;
  request = payam_store_get_request (self->store, request_id (self), NULL);
  if (request == NULL || !request->has_location)
    return;
  if (handler == NULL)
    {
      say (self, _("No map application is installed on this laptop; use the street and "
                   "landmark above."), TRUE);
      return;
    }
  g_ascii_dtostr (lat, sizeof lat, request->lat);
  g_ascii_dtostr (lon, sizeof lon, request->lon);
  uri = g_strdup_printf ("geo:%s,%s", lat, lon);
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), uri, GDK_CURRENT_TIME);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (widget);
  g_autoptr(GListStore) one = NULL;
  g_autoptr(GError) error = NULL;

  if (self->sheet == NULL)
    return;
  one = g_list_store_new (PAYAM_TYPE_CREW_SHEET);
  g_list_store_append (one, self->sheet);
  if (!payam_crew_print (GTK_WINDOW (gtk_widget_get_root (widget)), self->store,
                         G_LIST_MODEL (one), &error))
    say (self, error->message, TRUE);
  else
    say (self, _("The worksheet was sent to the printer."), FALSE);
}

static void
payam_crew_detail_dispose (GObject *object)
{
  PayamCrewDetail *self = PAYAM_CREW_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_CREW_DETAIL);
  g_clear_object (&self->store);
  g_clear_object (&self->sheet);
  g_clear_pointer (&self->phrases, g_strfreev);
  G_OBJECT_CLASS (payam_crew_detail_parent_class)->dispose (object);
}

static void
payam_crew_detail_class_init (PayamCrewDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_crew_detail_dispose;

  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-crew-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, withdrawn_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, office_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, place_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, members_box);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, message_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, evidence_label);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, note_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, phrase_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, words_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamCrewDetail, work_box);

  gtk_widget_class_install_action (widget_class, "detail.start", NULL, start_activated);
  gtk_widget_class_install_action (widget_class, "detail.note", NULL, note_activated);
  gtk_widget_class_install_action (widget_class, "detail.done", NULL, done_activated);
  gtk_widget_class_install_action (widget_class, "detail.not-possible", NULL,
                                   not_possible_activated);
  gtk_widget_class_install_action (widget_class, "detail.camera-before", NULL, photo_activated);
  gtk_widget_class_install_action (widget_class, "detail.camera-after", NULL, photo_activated);
  gtk_widget_class_install_action (widget_class, "detail.import-before", NULL, photo_activated);
  gtk_widget_class_install_action (widget_class, "detail.import-after", NULL, photo_activated);
  gtk_widget_class_install_action (widget_class, "detail.open-map", NULL, open_map_activated);
  gtk_widget_class_install_action (widget_class, "detail.print", NULL, print_activated);
}

void
payam_crew_name_drop_down (GtkDropDown *drop_down,
                           const char  *name)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  /* The keyboard's focus lands on the drop-down's button, which GTK leaves unnamed (a
   * screen reader would say "GtkToggleButton"): it takes the drop-down's name. */
  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
}

static void
payam_crew_detail_init (PayamCrewDetail *self)
{
  g_autoptr(GtkStringList) reasons = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_string_list_append (reasons, _("Choose the reason…"));
  for (int r = PAYAM_NOT_POSSIBLE_NO_ACCESS; r <= PAYAM_NOT_POSSIBLE_OTHER; r++)
    gtk_string_list_append (reasons, payam_not_possible_reason_label ((PayamNotPossibleReason) r));
  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (reasons));
  payam_crew_name_drop_down (self->phrase_dropdown, _("What was done"));
  payam_crew_name_drop_down (self->reason_dropdown, _("Why it is not possible"));
}
