/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeDetail: a request's facts, the reasons for its priority, a conflict's values
 * and the timeline (who, what, when in Jalali dates) for the office's detail pane. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "crew/payam-crew-detail.h"
#include "payam-category.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-office-detail.h"
#include "payam-office-window-private.h"
#include "payam-priority.h"
#include "payam-store-groups.h"
#include "payam-store-staff.h"
#include "payam-store-worksheets.h"
#include "payam-text.h"
#include "payam-tracking.h"

struct _PayamOfficeDetail
{
  GtkBox      parent_instance;

  /* owned */
  char       *request_id;
  GHashTable *names;       /* neighbourhood code → name, read once */
  GHashTable *staff;       /* staff id → name, read for each message shown */

  /* template children (borrowed) */
  GtkStack   *stack;
  GtkLabel   *code_label;
  GtkLabel   *facts_label;
  GtkLabel   *why_label;
  GtkLabel   *text_label;
  GtkLabel   *place_label;
  GtkBox     *conflict_box;
  GtkLabel   *conflict_label;
  GtkBox     *timeline_box;
  GtkBox     *group_box;
  GtkLabel   *group_title;
  GtkBox     *members_box;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (PayamOfficeDetail, payam_office_detail, GTK_TYPE_BOX)

static void
payam_office_detail_finalize (GObject *object)
{
  PayamOfficeDetail *self = PAYAM_OFFICE_DETAIL (object);

  g_free (self->request_id);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->staff, g_hash_table_unref);

  G_OBJECT_CLASS (payam_office_detail_parent_class)->finalize (object);
}

static void
payam_office_detail_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PAYAM_TYPE_OFFICE_DETAIL);

  G_OBJECT_CLASS (payam_office_detail_parent_class)->dispose (object);
}

static void
payam_office_detail_class_init (PayamOfficeDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_office_detail_dispose;
  object_class->finalize = payam_office_detail_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-office-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, code_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, why_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, text_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, place_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, conflict_box);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, group_box);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, group_title);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, members_box);
  gtk_widget_class_bind_template_child (widget_class, PayamOfficeDetail, error_label);
}

static void
payam_office_detail_init (PayamOfficeDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
payam_office_detail_get_request_id (PayamOfficeDetail *self)
{
  g_return_val_if_fail (PAYAM_IS_OFFICE_DETAIL (self), NULL);
  return self->request_id;
}

/* What one timeline entry says, for staff: the event and its words. Caller owns it. */
static char *
describe_entry (const PayamTimelineEntry *entry)
{
  switch (entry->kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return g_strdup (_("The message was registered."));
    case PAYAM_TIMELINE_MERGED:
      return g_strdup (_("It was joined with other messages about the same problem."));
    case PAYAM_TIMELINE_SPLIT:
      return g_strdup (_("It was separated from the other messages."));
    case PAYAM_TIMELINE_ASSIGNED:
      /* Translators: %s is a crew's name. */
      return g_strdup_printf (_("Given to crew %s."), entry->text != NULL ? entry->text : "");
    case PAYAM_TIMELINE_ACTION:
      /* Translators: %s is what the crew recorded (a note), may be empty. */
      return g_strdup_printf (_("Crew's work: %s"), entry->text != NULL ? entry->text : "");
    case PAYAM_TIMELINE_STATUS:
      if (entry->text != NULL)
        /* Translators: a status move; %s is the status, then the reason given. */
        return g_strdup_printf (_("Status: %s (reason: %s)"), payam_status_label (entry->status),
                                entry->text);
      return g_strdup_printf (_("Status: %s"), payam_status_label (entry->status));
    case PAYAM_TIMELINE_NOTICE:
      /* Translators: %s is the text sent to the citizen. */
      return g_strdup_printf (_("Notice to the citizen: %s"), entry->text != NULL ? entry->text : "");
    case PAYAM_TIMELINE_OFFICE_CHANGE:
      {
        g_autofree char *what = payam_crew_office_changes_text (entry->office_changed);

        /* Translators: what the office changed ("its priority"), then its reason. */
        return g_strdup_printf (_("Changed by the office: %s — %s"), what,
                                entry->text != NULL ? entry->text : "");
      }
    default:
      return g_strdup ("");
    }
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
clear_timeline (PayamOfficeDetail *self)
{
  clear_box (self->timeline_box);
  clear_box (self->members_box);
  gtk_widget_set_visible (GTK_WIDGET (self->group_box), FALSE);
}

/* Metres between two points (haversine on a sphere of the Earth's mean radius). */
static double
distance_m (double lat1,
            double lon1,
            double lat2,
            double lon2)
{
  double p1 = lat1 * G_PI / 180, p2 = lat2 * G_PI / 180;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 6371000.0 * 2 * atan2 (sqrt (a), sqrt (1 - a));
}

static const char *neighbourhood_name (PayamOfficeDetail *self,
                                       PayamStore        *store,
                                       const char        *code);

/* The other members of @request's group side by side: code, when, where (distance when
 * both have coordinates, else the street), their words. */
static void
show_group (PayamOfficeDetail  *self,
            PayamStore         *store,
            const PayamRequest *request)
{
  g_autoptr(PayamGroup) group = NULL;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;

  if (request->group_id == NULL ||
      (group = payam_store_get_group (store, request->group_id, NULL)) == NULL ||
      group->members->len < 2)
    return;
  count = payam_format_number (group->members->len);
  /* Translators: %s is how many messages the group has; then whether it is proposed or
   * confirmed. */
  title = g_strdup_printf (group->state == PAYAM_GROUP_CONFIRMED
                           ? _("Messages about the same problem: %s (confirmed)")
                           : _("Messages about the same problem: %s (proposed)"), count);
  gtk_label_set_label (self->group_title, title);
  for (guint i = 0; i < group->members->len; i++)
    {
      const PayamRequest *m = g_ptr_array_index (group->members, i);
      g_autofree char *code = payam_tracking_code_format_inline (m->tracking_code);
      g_autofree char *when = payam_format_date_time (m->created_at);
      g_autofree char *where = NULL;
      g_autofree char *line = NULL;
      GtkWidget *card, *label;

      if (g_strcmp0 (m->id, request->id) == 0)
        continue;
      if (m->has_location && request->has_location)
        {
          g_autofree char *metres = payam_format_number ((gint64) round (
            distance_m (request->lat, request->lon, m->lat, m->lon)));

          /* Translators: %s is a distance in metres, in Persian digits. */
          where = g_strdup_printf (_("%s m away"), metres);
        }
      else
        where = g_strdup (m->street != NULL ? m->street : neighbourhood_name (self, store,
                                                                              m->neighbourhood));
      /* Translators: a member of a duplicate group: its code, when, where, whether it
       * leads, then its words on the next line. */
      line = g_strdup_printf (_("%s · %s · %s%s\n%s"), code, when, where,
                              g_strcmp0 (group->lead_request_id, m->id) == 0 ? _(" · lead") : "",
                              m->text);
      card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_add_css_class (card, "card");
      label = gtk_label_new (line);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 10);
      gtk_widget_set_margin_end (label, 10);
      gtk_box_append (GTK_BOX (card), label);
      gtk_box_append (self->members_box, card);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->group_box), TRUE);
}

/* One line of the timeline: when (Jalali), who, what. */
static void
add_timeline_row (PayamOfficeDetail        *self,
                  const PayamTimelineEntry *entry)
{
  g_autofree char *when = payam_format_date_time (entry->at);
  g_autofree char *what = describe_entry (entry);
  g_autofree char *line = NULL;
  GtkWidget *label;

  if (entry->actor != NULL)
    {
      const char *who = self->staff != NULL ? g_hash_table_lookup (self->staff, entry->actor)
                                            : NULL;

      /* Translators: a timeline line: when, who, what. */
      line = g_strdup_printf (_("%s — %s: %s"), when, who != NULL ? who : entry->actor, what);
    }
  else
    line = g_strdup_printf (_("%s — %s"), when, what);
  label = gtk_label_new (line);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_box_append (self->timeline_box, label);
}

/* The name of neighbourhood @code, or the code when the gazetteer has none (borrowed:
 * the names are read once per detail pane). */
static const char *
neighbourhood_name (PayamOfficeDetail *self,
                    PayamStore        *store,
                    const char        *code)
{
  GHashTable *names = self->names;

  if (names == NULL)
    {
      g_autoptr(GPtrArray) places = payam_store_list_places (store, "neighbourhood", NULL, NULL);

      names = self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; places != NULL && i < places->len; i++)
        {
          const PayamPlace *p = g_ptr_array_index (places, i);

          g_hash_table_insert (names, g_strdup (p->code), g_strdup (p->name));
        }
    }
  return g_hash_table_lookup (names, code) != NULL ? g_hash_table_lookup (names, code) : code;
}

/* Why the request has its priority: the citizen's answers and the words found. */
static char *
describe_why (const PayamRequest *request)
{
  GString *why = g_string_new (NULL);
  const char *hazard = payam_priority_find_hazard (request->text_norm);

  if (request->hazard)
    g_string_append (why, _("The citizen flagged danger. "));
  if (request->answers.danger_to_people)
    g_string_append (why, _("Danger to people now. "));
  if (request->answers.utilities)
    g_string_append (why, _("Water, gas or electricity involved. "));
  if (request->answers.blocks_road)
    g_string_append (why, _("It blocks a road or passage. "));
  if (hazard != NULL)
    {
      const char *const *phrases = payam_priority_hazard_phrases (hazard);

      /* Translators: %s is the hazard phrase found in the citizen's words. */
      g_string_append_printf (why, _("Hazard words: «%s». "),
                              phrases != NULL && phrases[0] != NULL ? phrases[0] : hazard);
    }
  if (why->len == 0)
    g_string_append (why, _("The category's usual priority."));
  return g_string_free (why, FALSE);
}

void
payam_office_detail_show (PayamOfficeDetail *self,
                          PayamStore        *store,
                          PayamQueueItem    *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamCategory) category = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autofree char *code = NULL;
  g_autofree char *due = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *why = NULL;
  g_autoptr(GString) place = NULL;
  const char *request_id;

  g_return_if_fail (PAYAM_IS_OFFICE_DETAIL (self));

  g_clear_pointer (&self->request_id, g_free);
  clear_timeline (self);
  request_id = item != NULL ? payam_queue_item_get_request_id (item) : NULL;
  if (item != NULL && payam_queue_item_get_conflict_kind (item) != NULL)
    {
      const char *field = payam_queue_item_get_field (item);
      g_autoptr(GDateTime) found = payam_queue_item_dup_created_at (item);
      g_autofree char *when = found != NULL ? payam_format_date_time (found) : g_strdup ("?");
      g_autofree char *kept = _payam_office_value_text (field,
                                                       payam_queue_item_get_kept_value (item));
      g_autofree char *lost = _payam_office_value_text (field,
                                                       payam_queue_item_get_lost_value (item));
      /* A device id is Latin: isolated, it keeps its order inside the Persian line. */
      g_autofree char *device = payam_text_isolate (payam_queue_item_get_lost_device (item) != NULL
                                                    ? payam_queue_item_get_lost_device (item)
                                                    : "?");
      const char *member = payam_queue_item_get_lost_member (item);
      g_autofree char *text = NULL;

      if (member != NULL)
        {
          /* Who made the change that lost (a staff or crew member's name, else an id). */
          g_autofree char *who = payam_text_isolate (member);

          /* Translators: a conflict: the field, the value kept, the value that lost, the
           * member who wrote it, their device, when the server found the conflict. */
          text = g_strdup_printf (_("Field “%s”: kept %s, lost %s (by %s, from device %s, %s)"),
                                  _payam_office_field_label (field), kept, lost, who, device,
                                  when);
        }
      else
        /* Translators: a conflict: the field, the value kept, the value that lost, the
         * device that wrote it, when the server found the conflict. */
        text = g_strdup_printf (_("Field “%s”: kept %s, lost %s (from device %s, %s)"),
                                _payam_office_field_label (field), kept, lost, device, when);

      gtk_label_set_label (self->conflict_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->conflict_box), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->conflict_box), FALSE);
  if (request_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  request = payam_store_get_request (store, request_id, &error);
  if (request != NULL)
    category = payam_store_get_category (store, request->category, &error);
  if (category != NULL)
    timeline = payam_store_list_staff_timeline (store, request_id, &error);
  if (timeline == NULL)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->request_id = g_strdup (request_id);

  /* Left to right inside the line (LRI … PDI): its groups keep their order. */
  code = payam_tracking_code_format_inline (request->tracking_code);
  due = payam_format_date_time (request->due_at);
  /* Translators: status · category · priority · deadline. */
  facts = g_strdup_printf (_("%s · %s · %s · deadline %s"), payam_status_label (request->status),
                           category->name, payam_priority_label (request->priority), due);
  why = describe_why (request);
  place = g_string_new (neighbourhood_name (self, store, request->neighbourhood));
  if (request->street != NULL)
    g_string_append_printf (place, "، %s", request->street);
  if (request->landmark != NULL)
    g_string_append_printf (place, "، %s", request->landmark);
  if (request->has_location)
    {
      g_autofree char *coords = g_strdup_printf ("%.5f، %.5f", request->lat, request->lon);
      g_autofree char *digits = payam_text_digits_to_persian (coords);

      g_string_append_printf (place, " (%s)", digits);
    }

  gtk_label_set_label (self->code_label, code);
  gtk_label_set_label (self->facts_label, facts);
  gtk_label_set_label (self->why_label, why);
  gtk_label_set_label (self->text_label, request->text);
  gtk_label_set_label (self->place_label, place->str);
  /* Who is named in the timeline: staff accounts by name, others (devices, payamctl) as
   * recorded. Read again each time: accounts are added while the window is open. */
  {
    g_autoptr(GPtrArray) staff = payam_store_list_staff (store, NULL);

    g_clear_pointer (&self->staff, g_hash_table_unref);
    self->staff = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; staff != NULL && i < staff->len; i++)
      {
        const PayamStaff *s = g_ptr_array_index (staff, i);

        g_hash_table_insert (self->staff, g_strdup (s->id), g_strdup (s->name));
      }
  }
  for (guint i = 0; i < timeline->len; i++)
    add_timeline_row (self, g_ptr_array_index (timeline, i));
  show_group (self, store, request);
  gtk_stack_set_visible_child_name (self->stack, "request");
}
