/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskFollow: a message's public status, timeline and work photos, found by its code. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-kiosk-code-entry.h"
#include "payam-kiosk-follow.h"
#include "payam-lifecycle.h"
#include "payam-store-worksheets.h"
#include "payam-tracking.h"

#define THUMB_PX 160
/* At most this many photos of the work (they must fit across the screen). */
#define MAX_PHOTOS 5

/* The municipal hotline, shown through the number formatter. */
#define HOTLINE 137

struct _PayamKioskFollow
{
  GtkWidget parent_instance;

  /* owned */
  PayamStore          *store;

  /* borrowed */
  PayamKioskCodeEntry *code_entry;  /* a child of code_slot */

  /* template children (borrowed) */
  GtkBox              *code_slot;
  GtkBox              *result_box;
  GtkLabel            *status_label;
  GtkLabel            *code_label;
  GtkLabel            *info_label;
  GtkGrid             *timeline_grid;
  GtkWidget           *photo_column;
  GtkButton           *done_button;
  GtkFlowBox          *photo_box;
};

G_DEFINE_FINAL_TYPE (PayamKioskFollow, payam_kiosk_follow, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_results (PayamKioskFollow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_grid))) != NULL)
    gtk_grid_remove (self->timeline_grid, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->photo_box))) != NULL)
    gtk_flow_box_remove (self->photo_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), FALSE);
}

static void
add_event (PayamKioskFollow *self,
           GDateTime        *at,
           const char       *text)
{
  int row = 0;
  g_autofree char *when = at != NULL ? payam_format_date_time (at) : g_strdup ("");
  GtkWidget *when_label = gtk_label_new (when);
  GtkWidget *text_label = gtk_label_new (text);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_grid));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    row++;
  row /= 2;
  gtk_label_set_xalign (GTK_LABEL (when_label), 0);
  gtk_widget_set_valign (when_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (when_label, "kiosk-card-meta");
  gtk_label_set_xalign (GTK_LABEL (text_label), 0);
  gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
  gtk_widget_set_hexpand (text_label, TRUE);
  gtk_widget_add_css_class (text_label, "kiosk-timeline-text");
  gtk_grid_attach (self->timeline_grid, when_label, 0, row, 1, 1);
  gtk_grid_attach (self->timeline_grid, text_label, 1, row, 1, 1);
}

/* What a citizen may read of a timeline entry, or NULL for entries kept from the public
 * (crew notes other than the outcome's, unsent notices). No actors, no reasons, no crew
 * names. Caller owns it. */
static char *
public_event_text (const PayamTimelineEntry *entry)
{
  g_autofree char *outcome = NULL;
  const char *text = NULL;

  switch (entry->kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return g_strdup (_("The message was registered."));
    case PAYAM_TIMELINE_MERGED:
      return g_strdup (_("It was joined with other messages about the same problem."));
    case PAYAM_TIMELINE_SPLIT:
      return g_strdup (_("It was separated from the other messages."));
    case PAYAM_TIMELINE_ASSIGNED:
      text = _("A work crew was assigned.");
      break;
    case PAYAM_TIMELINE_ACTION:
      switch (entry->action)
        {
        case PAYAM_ACTION_ASSIGN:
          text = _("A work crew was assigned.");
          break;
        case PAYAM_ACTION_START:
          text = _("The work started.");
          break;
        case PAYAM_ACTION_PHOTO:
        case PAYAM_ACTION_BEFORE:
        case PAYAM_ACTION_AFTER:
          text = _("The crew photographed the work.");
          break;
        case PAYAM_ACTION_DONE:
        case PAYAM_ACTION_NOT_POSSIBLE:
          /* The outcome's own words ("lamp replaced") tell the citizen what was done;
           * other crew notes stay with the office. */
          text = entry->action == PAYAM_ACTION_DONE ? _("The work was done.")
                                                    : _("The crew found the work not possible.");
          if (entry->text != NULL && *entry->text != '\0')
            {
              /* Translators: an event such as "The work was done.", then the crew's note. */
              outcome = g_strdup_printf (_("%s %s"), text, entry->text);
              text = outcome;
            }
          break;
        case PAYAM_ACTION_NOTE:
        default:
          return NULL;
        }
      break;
    case PAYAM_TIMELINE_STATUS:
      /* Translators: %s is a request status, such as "In progress". */
      return g_strdup_printf (_("Status: %s"), payam_status_label (entry->status));
    case PAYAM_TIMELINE_NOTICE:
      if (g_strcmp0 (entry->notice_state, "sent") != 0 || entry->text == NULL)
        return NULL;
      /* Translators: %s is the municipality's message to the citizen about the outcome. */
      return g_strdup_printf (_("The municipality's answer: %s"), entry->text);
    case PAYAM_TIMELINE_OFFICE_CHANGE:
      /* Staff's words: never on a citizen's screen (nor in this timeline). */
    default:
      return NULL;
    }
  if (entry->for_group)
    /* Translators: %s is an event such as "The work was done."; it was done once for every
     * message about the same problem. */
    return g_strdup_printf (_("%s (for all the messages about this problem)"), text);
  return g_strdup (text);
}

static void
add_photo (PayamKioskFollow *self,
           const char       *sha256)
{
  g_autoptr(GBytes) bytes = payam_store_dup_photo_bytes (self->store, sha256, TRUE, NULL);
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *picture;

  /* A photo whose bytes have not reached this kiosk yet is left out. */
  if (bytes == NULL)
    return;
  texture = gdk_texture_new_from_bytes (bytes, NULL);
  if (texture == NULL)
    return;
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, THUMB_PX, THUMB_PX);
  gtk_widget_add_css_class (picture, "kiosk-thumbnail");
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Photo of the completed work"), -1);
  gtk_flow_box_append (self->photo_box, picture);
}

/* The status line, the code, and "category · registered · expected response". */
static void
show_header (PayamKioskFollow *self,
             const char       *tracking_code,
             PayamStatus       status,
             const char       *category_code,
             GDateTime        *created_at,
             GDateTime        *due_at)
{
  g_autoptr(PayamCategory) category = NULL;
  g_autofree char *code = payam_tracking_code_format (tracking_code);
  g_autofree char *created = created_at != NULL ? payam_format_date_time (created_at) : NULL;
  GString *info = g_string_new (NULL);
  g_autofree char *info_text = NULL;

  gtk_label_set_label (self->status_label, payam_status_label (status));
  gtk_label_set_label (self->code_label, code);
  if (category_code != NULL)
    category = payam_store_get_category (self->store, category_code, NULL);
  if (category != NULL)
    /* Translators: %s is the name of a category of problem. */
    g_string_append_printf (info, _("Category: %s"), category->name);
  if (created != NULL)
    {
      if (info->len > 0)
        g_string_append_c (info, '\n');
      /* Translators: %s is a Jalali date and time in Persian digits. */
      g_string_append_printf (info, _("Registered: %s"), created);
    }
  if (due_at != NULL && payam_status_is_open (status))
    {
      g_autofree char *due = payam_format_date_time (due_at);

      if (info->len > 0)
        g_string_append_c (info, '\n');
      /* Translators: %s is a Jalali date and time in Persian digits. */
      g_string_append_printf (info, _("Expected response: by %s"), due);
    }
  info_text = g_string_free (info, FALSE);
  gtk_label_set_label (self->info_label, info_text);
}

static void
found (PayamKioskFollow *self,
       const char       *request_id)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_photos = 0;

  clear_results (self);
  request = payam_store_get_request (self->store, request_id, &error);
  if (request != NULL)
    timeline = payam_store_list_timeline (self->store, request_id, &error);
  if (timeline == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *hotline = payam_format_integer (HOTLINE);

      /* Translators: what went wrong, then the hotline number (137) in Persian digits. */
      message = g_strdup_printf (_("The message could not be read: %s Please ask the staff "
                                   "for help or call %s."), error->message, hotline);
      gtk_label_set_label (self->status_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->result_box), TRUE);
      return;
    }

  show_header (self, request->tracking_code, request->status, request->category,
               request->created_at, request->due_at);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *entry = timeline->pdata[i];
      g_autofree char *text = public_event_text (entry);

      if (text != NULL)
        add_event (self, entry->at, text);
      /* Evidence: the photos of the crew's work (photo and done actions). */
      if (entry->kind == PAYAM_TIMELINE_ACTION &&
          (entry->action == PAYAM_ACTION_PHOTO || entry->action == PAYAM_ACTION_DONE))
        for (guint j = 0; entry->photos[j] != NULL && n_photos < MAX_PHOTOS; j++)
          if (g_hash_table_add (seen, entry->photos[j]))
            {
              add_photo (self, entry->photos[j]);
              n_photos++;
            }
    }
  gtk_widget_set_visible (self->photo_column,
                          gtk_widget_get_first_child (GTK_WIDGET (self->photo_box)) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), TRUE);
  /* Off the code field, so that the on-screen keyboard gives the results the screen. */
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

/* The office's answer for a code this kiosk does not hold: status and public events. */
static void
found_remote (PayamKioskFollow    *self,
              PayamSyncTrackReply *reply)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) due = NULL;
  PayamStatus status = PAYAM_STATUS_REGISTERED;

  clear_results (self);
  payam_status_from_string (reply->status, &status);
  if (reply->created_at != NULL)
    created = g_date_time_new_from_iso8601 (reply->created_at, NULL);
  if (reply->due_at != NULL)
    due = g_date_time_new_from_iso8601 (reply->due_at, NULL);
  show_header (self, reply->tracking_code, status, reply->category, created, due);

  for (guint i = 0; reply->timeline != NULL && i < reply->timeline->len; i++)
    {
      const PayamSyncTrackEvent *event = reply->timeline->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (event->at, NULL);
      g_autofree char *text = NULL;
      PayamStatus to;

      if (g_strcmp0 (event->kind, "registered") == 0)
        text = g_strdup (_("The message was registered."));
      else if (g_strcmp0 (event->kind, "status") == 0 &&
               payam_status_from_string (event->status, &to))
        text = g_strdup_printf (_("Status: %s"), payam_status_label (to));
      else if (g_strcmp0 (event->kind, "notice") == 0 && event->text != NULL)
        text = g_strdup_printf (_("The municipality's answer: %s"), event->text);
      if (text != NULL)
        add_event (self, at, text);
    }
  gtk_widget_set_visible (self->photo_column, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_box), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

static gboolean
payam_kiosk_follow_grab_focus (GtkWidget *widget)
{
  PayamKioskFollow *self = PAYAM_KIOSK_FOLLOW (widget);

  return self->code_entry != NULL && gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
payam_kiosk_follow_dispose (GObject *object)
{
  PayamKioskFollow *self = PAYAM_KIOSK_FOLLOW (object);
  GtkWidget *child;

  self->code_entry = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_FOLLOW);
  /* The template's top box has no id, so it is not among the children disposed above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_kiosk_follow_parent_class)->dispose (object);
}

static void
payam_kiosk_follow_class_init (PayamKioskFollowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_follow_dispose;
  widget_class->grab_focus = payam_kiosk_follow_grab_focus;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-follow.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, code_slot);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, result_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, code_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, info_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, timeline_grid);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, photo_column);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, done_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskFollow, photo_box);
  gtk_widget_class_install_action (widget_class, "follow.done", NULL, done_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_follow_init (PayamKioskFollow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A tracking code's digit groups read in their own order (STYLE §26). */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
}

PayamKioskFollow *
payam_kiosk_follow_new (PayamStore *store)
{
  PayamKioskFollow *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_FOLLOW, NULL);
  self->store = g_object_ref (store);
  self->code_entry = payam_kiosk_code_entry_new (store, TRUE);
  g_signal_connect_object (self->code_entry, "found", G_CALLBACK (found), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->code_entry, "found-remote", G_CALLBACK (found_remote), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->code_entry, "cleared", G_CALLBACK (clear_results), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->code_slot, GTK_WIDGET (self->code_entry));

  return self;
}

PayamKioskCodeEntry *
payam_kiosk_follow_get_code_entry (PayamKioskFollow *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_FOLLOW (self), NULL);
  return self->code_entry;
}
