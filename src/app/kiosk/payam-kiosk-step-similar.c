/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepSimilar: duplicate candidates for the draft; "mine is the same" joins a group. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-dup-index.h"
#include "payam-format.h"
#include "payam-kiosk-step-similar.h"
#include "payam-lifecycle.h"

/* At most this many candidates on the screen (they must fit at 1280×800). */
#define MAX_CANDIDATES 3
/* A run of this many digits in a candidate's text may be a phone number: it is hidden. */
#define MIN_HIDDEN_DIGITS 6
#define THUMB_PX 112

struct _PayamKioskStepSimilar
{
  PayamKioskStep parent_instance;

  /* owned */
  PayamDupIndex   *index;       /* made on the first enter, NULL before */
  GPtrArray       *candidates;  /* of PayamDupCandidate, as shown */
  char            *chosen_id;   /* the request the citizen said is the same, or NULL */
  gboolean         answered;    /* "same" or "different" was chosen */

  /* template children (borrowed) */
  GtkBox          *candidate_box;
  GtkToggleButton *different_button;
  GtkLabel        *intro_label;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepSimilar, payam_kiosk_step_similar, PAYAM_TYPE_KIOSK_STEP)

/* @text with every run of MIN_HIDDEN_DIGITS or more digits (any script) replaced by
 * "•••": another citizen may have written a phone number into the text. Caller owns it. */
static char *
hide_numbers (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *run = NULL;
  guint n_digits = 0;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isdigit (c))
        {
          if (run == NULL)
            run = p;
          n_digits++;
          continue;
        }
      if (run != NULL)
        {
          if (n_digits >= MIN_HIDDEN_DIGITS)
            g_string_append (out, "•••");
          else
            g_string_append_len (out, run, p - run);
          run = NULL;
          n_digits = 0;
        }
      if (c == 0)
        break;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* How long ago @then was, seen from @now, for people: "just now", "5 minutes ago",
 * "3 hours ago", "2 days ago". Caller owns it. */
static char *
format_ago (GDateTime *then,
            GDateTime *now)
{
  GTimeSpan span = MAX (g_date_time_difference (now, then), 0);
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 hours = span / G_TIME_SPAN_HOUR;
  gint64 days = span / G_TIME_SPAN_DAY;
  g_autofree char *n = NULL;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (hours < 1)
    {
      n = payam_format_integer (minutes);
      /* Translators: %s is a number of minutes in Persian digits. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s minute ago", "%s minutes ago",
                                           (gulong) minutes), n);
    }
  if (days < 1)
    {
      n = payam_format_integer (hours);
      /* Translators: %s is a number of hours in Persian digits. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s hour ago", "%s hours ago",
                                           (gulong) hours), n);
    }
  n = payam_format_integer (days);
  /* Translators: %s is a number of days in Persian digits. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s day ago", "%s days ago",
                                       (gulong) days), n);
}

/* The candidate's thumbnail, or an icon when it has no photo (or it cannot be read). */
static GtkWidget *
make_thumbnail (PayamStore              *store,
                const PayamDupCandidate *candidate)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *picture;

  if (candidate->thumbnail_sha256 != NULL)
    bytes = payam_store_dup_photo_bytes (store, candidate->thumbnail_sha256, TRUE, &error);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("image-missing-symbolic");

      if (error != NULL)
        g_info ("No thumbnail for a similar message: %s", error->message);
      gtk_image_set_pixel_size (GTK_IMAGE (icon), THUMB_PX / 2);
      gtk_widget_set_size_request (icon, THUMB_PX, THUMB_PX);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("No photo"), -1);
      return icon;
    }
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, THUMB_PX, THUMB_PX);
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (picture, "kiosk-thumbnail");
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Photo of the similar message"), -1);
  return picture;
}

static void
same_toggled (GtkToggleButton       *button,
              PayamKioskStepSimilar *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "request-id");

  if (gtk_toggle_button_get_active (button))
    {
      g_free (self->chosen_id);
      self->chosen_id = g_strdup (id);
      self->answered = TRUE;
    }
  else if (g_strcmp0 (self->chosen_id, id) == 0)
    g_clear_pointer (&self->chosen_id, g_free);
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), self->answered);
}

static void
different_toggled (GtkToggleButton       *button,
                   PayamKioskStepSimilar *self)
{
  if (gtk_toggle_button_get_active (button))
    {
      g_clear_pointer (&self->chosen_id, g_free);
      self->answered = TRUE;
    }
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), self->answered);
}

/* No similar message: nothing to ask, the flow passes over the step. */
static gboolean
payam_kiosk_step_similar_skip (PayamKioskStep *step)
{
  PayamKioskStepSimilar *self = PAYAM_KIOSK_STEP_SIMILAR (step);

  return self->candidates == NULL || self->candidates->len == 0;
}

/* One candidate: thumbnail, text, "how long ago · status", and its "Mine is the same". */
static GtkWidget *
make_card (PayamKioskStepSimilar   *self,
           const PayamDupCandidate *candidate,
           GDateTime               *now,
           guint                    position)
{
  PayamStore *store = payam_kiosk_step_get_store (PAYAM_KIOSK_STEP (self));
  g_autoptr(PayamRequest) request = payam_store_get_request (store, candidate->id, NULL);
  g_autofree char *text = hide_numbers (candidate->text);
  g_autofree char *ago = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *number = payam_format_integer (position + 1);
  g_autofree char *button_name = NULL;
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *text_label = gtk_label_new (text);
  GtkWidget *meta_label;
  GtkWidget *same;

  gtk_widget_add_css_class (card, "kiosk-card");
  gtk_box_append (GTK_BOX (card), make_thumbnail (store, candidate));

  gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
  gtk_label_set_lines (GTK_LABEL (text_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (text_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (text_label), 0);
  gtk_widget_add_css_class (text_label, "kiosk-card-text");
  gtk_box_append (GTK_BOX (column), text_label);

  ago = request != NULL ? format_ago (request->created_at, now) : g_strdup ("");
  /* Translators: how long ago a message was registered, then its status ("2 days ago · In progress"). */
  meta = g_strdup_printf (_("%s · %s"), ago, payam_status_label (candidate->status));
  meta_label = gtk_label_new (meta);
  gtk_label_set_xalign (GTK_LABEL (meta_label), 0);
  gtk_widget_add_css_class (meta_label, "kiosk-card-meta");
  gtk_box_append (GTK_BOX (column), meta_label);
  gtk_widget_set_hexpand (column, TRUE);
  gtk_widget_set_valign (column, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (card), column);

  same = gtk_toggle_button_new_with_label (_("Mine is the same"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (same), self->different_button);
  gtk_widget_set_valign (same, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (same, "kiosk-nav");
  /* Translators: %s is the number of the similar message on the screen (1, 2, 3). */
  button_name = g_strdup_printf (_("Mine is the same as message %s"), number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (same), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_name, -1);
  g_object_set_data_full (G_OBJECT (same), "request-id", g_strdup (candidate->id), g_free);
  if (g_strcmp0 (self->chosen_id, candidate->id) == 0)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (same), TRUE);
  g_signal_connect_object (same, "toggled", G_CALLBACK (same_toggled), self, 0);
  gtk_box_append (GTK_BOX (card), same);

  return card;
}

/* The candidates for the draft as it is now; empty on any error (the step is optional). */
static GPtrArray *
find_candidates (PayamKioskStepSimilar *self)
{
  PayamKioskStep *step = PAYAM_KIOSK_STEP (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  PayamRequestDraft draft;

  if (self->index == NULL)
    self->index = payam_dup_index_new (payam_kiosk_step_get_store (step), &error);
  if (self->index != NULL)
    {
      payam_kiosk_draft_fill_request_draft (payam_kiosk_step_get_draft (step), &draft);
      if (draft.text != NULL)
        found = payam_dup_index_suggest_for_draft (self->index, &draft, MAX_CANDIDATES, &error);
    }
  if (found == NULL)
    {
      if (error != NULL)
        g_info ("No similar messages: %s", error->message);
      found = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_dup_candidate_free);
    }
  return g_steal_pointer (&found);
}

static gboolean
is_candidate (GPtrArray  *candidates,
              const char *id)
{
  for (guint i = 0; id != NULL && i < candidates->len; i++)
    if (g_strcmp0 (((PayamDupCandidate *) candidates->pdata[i])->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* Recompute from the current draft: a choice made before stays only while its request is
 * still a candidate. */
static void
payam_kiosk_step_similar_enter (PayamKioskStep *step)
{
  PayamKioskStepSimilar *self = PAYAM_KIOSK_STEP_SIMILAR (step);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *child;

  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  self->candidates = find_candidates (self);
  if (!is_candidate (self->candidates, self->chosen_id))
    {
      g_clear_pointer (&self->chosen_id, g_free);
      payam_kiosk_draft_set_group_id (payam_kiosk_step_get_draft (step), NULL);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->candidate_box))) != NULL)
    gtk_box_remove (self->candidate_box, child);
  for (guint i = 0; i < self->candidates->len; i++)
    gtk_box_append (self->candidate_box, make_card (self, self->candidates->pdata[i], now, i));

  /* Nothing is chosen for the citizen: "Mine is different" is an answer too, and Next
   * waits for one (a choice kept from before counts). */
  gtk_toggle_button_set_active (self->different_button, FALSE);
  self->answered = self->chosen_id != NULL;
  payam_kiosk_step_set_complete (step, self->answered);
}

/* "Mine is the same": the chosen request's group (made when it has none) becomes the
 * draft's; otherwise the draft joins no group. */
static gboolean
payam_kiosk_step_similar_leave (PayamKioskStep  *step,
                                GError         **error)
{
  PayamKioskStepSimilar *self = PAYAM_KIOSK_STEP_SIMILAR (step);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  g_autofree char *group_id = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->chosen_id == NULL)
    {
      payam_kiosk_draft_set_group_id (draft, NULL);
      return TRUE;
    }
  group_id = payam_store_ensure_group (payam_kiosk_step_get_store (step), self->chosen_id,
                                       &local_error);
  if (group_id == NULL)
    {
      /* Translators: %s says what went wrong. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                   _("Your choice could not be saved: %s Choose “Mine is different” to go "
                     "on; your message will still be registered."),
                   local_error->message);
      return FALSE;
    }
  payam_kiosk_draft_set_group_id (draft, group_id);
  return TRUE;
}

static void
payam_kiosk_step_similar_dispose (GObject *object)
{
  PayamKioskStepSimilar *self = PAYAM_KIOSK_STEP_SIMILAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_STEP_SIMILAR);
  g_clear_object (&self->index);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->chosen_id, g_free);

  G_OBJECT_CLASS (payam_kiosk_step_similar_parent_class)->dispose (object);
}

static void
payam_kiosk_step_similar_class_init (PayamKioskStepSimilarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->dispose = payam_kiosk_step_similar_dispose;
  step_class->title = N_("Similar messages");
  step_class->needed = N_("To go on to the next step, say whether one of these messages is about your problem.");
  step_class->enter = payam_kiosk_step_similar_enter;
  step_class->skip = payam_kiosk_step_similar_skip;
  step_class->leave = payam_kiosk_step_similar_leave;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-similar.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepSimilar, candidate_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepSimilar, different_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepSimilar, intro_label);
}

static void
payam_kiosk_step_similar_init (PayamKioskStepSimilar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->different_button, "toggled",
                           G_CALLBACK (different_toggled), self, 0);
  /* Complete once the citizen answered (enter); with no candidate the step is skipped. */
}

guint
payam_kiosk_step_similar_get_n_candidates (PayamKioskStepSimilar *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP_SIMILAR (self), 0);
  return self->candidates != NULL ? self->candidates->len : 0;
}
