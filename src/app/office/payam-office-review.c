/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamOfficeReview: a duplicate group side by side (words, large photos, places on a map
 * sketch, Jalali times, each member's score against the lead and its parts), its actions
 * (confirm, take one out, choose the lead, merge into another group), and the resident
 * duplicate index that scores it, built in a worker thread. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "payam-format.h"
#include "payam-office-review-private.h"
#include "payam-office-window-private.h"
#include "payam-store-groups.h"
#include "payam-tracking.h"

#define PHOTO_WIDTH   300
#define PHOTO_HEIGHT  225
#define SKETCH_WIDTH  360
#define SKETCH_HEIGHT 240
#define SUGGESTIONS   5


struct _PayamOfficeReview
{
  GtkBox         parent_instance;

  /* owned */
  PayamStore    *store;
  PayamDupIndex *index;         /* NULL while it builds */
  GCancellable  *cancellable;
  char          *request_id;    /* the request shown, or NULL */
  char          *lead_id;       /* the group's lead (the request itself when alone) */
  GArray        *points;        /* of Point, the located members */
  guint          refresh_id;
  GHashTable    *category_names; /* borrowed */

  /* children (borrowed) */
  GtkLabel      *title;
  GtkLabel      *status;
  GtkWidget     *confirm_button;
  GtkBox        *members_box;
  GtkDrawingArea *sketch;
  GtkLabel      *sketch_label;
  GtkBox        *suggestions_box;
};

G_DEFINE_FINAL_TYPE (PayamOfficeReview, payam_office_review, GTK_TYPE_BOX)

static const char *
part_label (PayamPairPart part)
{
  switch (part)
    {
    case PAYAM_PAIR_PART_TEXT:
      return _("words");
    case PAYAM_PAIR_PART_PLACE:
      return _("place");
    case PAYAM_PAIR_PART_CATEGORY:
      return _("category");
    case PAYAM_PAIR_PART_TIME:
      return _("time");
    case PAYAM_PAIR_PART_PHOTOS:
      return _("photos");
    case PAYAM_PAIR_PART_NUMBERS:
      return _("numbers");
    case PAYAM_PAIR_PART_NEGATION:
      return _("negation");
    case PAYAM_PAIR_PART_MODEL:
      return _("together");
    case PAYAM_PAIR_N_PARTS:
    default:
      break;
    }
  return "";
}

/* ---- small widgets ---------------------------------------------------------------------- */

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
toast (PayamOfficeReview *self,
       const char        *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (PAYAM_IS_OFFICE_WINDOW (root))
    _payam_office_window_toast (PAYAM_OFFICE_WINDOW (root), message);
  else
    g_warning ("%s", message);
}

/* ---- actions ---------------------------------------------------------------------------- */

static void
after_action (PayamOfficeReview *self,
              gboolean           ok,
              GError            *error)
{
  if (!ok)
    toast (self, error->message);
  payam_office_review_show (self, self->request_id);
}

/* The page's actions: review.confirm the shown group; review.split, review.lead and
 * review.merge with a request id. */
static void
action_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamOfficeReview *self = PAYAM_OFFICE_REVIEW (widget);
  g_autoptr(GError) error = NULL;
  const char *id = parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL;
  gboolean ok;

  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->lead_id == NULL)
    return;
  if (!g_str_equal (action_name, "review.confirm") && PAYAM_IS_OFFICE_WINDOW (root))
    {
      /* Take out, make lead and merge ask why first (the crew holding the work sees it);
       * the page is read again when the store says the group changed. Merge: the shown
       * group (its lead and so every member) into the candidate's group. */
      if (g_str_equal (action_name, "review.split"))
        _payam_office_ask_group_change (PAYAM_OFFICE_WINDOW (root), PAYAM_OFFICE_GROUP_SPLIT,
                                        id, NULL);
      else if (g_str_equal (action_name, "review.lead"))
        _payam_office_ask_group_change (PAYAM_OFFICE_WINDOW (root), PAYAM_OFFICE_GROUP_LEAD,
                                        id, NULL);
      else
        _payam_office_ask_group_change (PAYAM_OFFICE_WINDOW (root), PAYAM_OFFICE_GROUP_MERGE,
                                        self->lead_id, id);
      return;
    }
  if (!g_str_equal (action_name, "review.confirm"))
    return;
  ok = payam_store_confirm_group (self->store, self->lead_id, &error);
  after_action (self, ok, error);
}

static GtkWidget *
request_button (const char *label,
                const char *action,
                const char *request_id)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", request_id);
  g_object_set_data_full (G_OBJECT (button), "request-id", g_strdup (request_id), g_free);
  return button;
}

/* ---- one member ------------------------------------------------------------------------- */

/* The first photo of @request_id, large, or a line that says there is none. */
static GtkWidget *
photo_of (PayamOfficeReview *self,
          const char        *request_id)
{
  g_auto(GStrv) photos = payam_store_list_request_photos (self->store, request_id, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *picture;

  if (photos != NULL && photos[0] != NULL)
    bytes = payam_store_dup_photo_bytes (self->store, photos[0], FALSE, NULL);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, NULL);
  if (texture == NULL)
    return text_label (_("No photo"), "dim-label");
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, PHOTO_WIDTH, PHOTO_HEIGHT);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The citizen's photo"), -1);
  return picture;
}

/* What made the member's score against the lead: the chance, its parts, the facts. */
static void
add_parts (PayamOfficeReview *self,
           GtkBox            *card,
           const char        *member_id)
{
  g_autoptr(GError) error = NULL;
  PayamPairParts parts;
  g_autofree char *chance = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autofree char *gap = NULL;
  g_autoptr(GString) shares = g_string_new (NULL);
  g_autoptr(GString) warnings = g_string_new (NULL);
  GtkWidget *label;

  if (self->index == NULL)
    {
      gtk_box_append (card, text_label (_("Preparing suggestions…"), "dim-label"));
      return;
    }
  if (!payam_dup_index_pair_parts (self->index, self->lead_id, member_id, &parts, &error))
    {
      gtk_box_append (card, text_label (error->message, "error"));
      return;
    }
  chance = _payam_review_format_percent (parts.probability);
  /* Translators: %s is a percentage in Persian digits. */
  line = g_strdup_printf (_("Chance it is the same problem as the lead: %s"), chance);
  label = text_label (line, "heading");
  gtk_widget_set_name (label, "review-chance");
  gtk_box_append (card, label);

  text = _payam_review_format_percent (parts.text_similarity);
  g_free (line);
  /* Translators: %s is a percentage in Persian digits. */
  line = g_strdup_printf (_("Words alike: %s"), text);
  gtk_box_append (card, text_label (line, NULL));

  g_free (line);
  if (parts.distance_m >= 0)
    {
      g_autofree char *metres = _payam_review_format_metres (parts.distance_m);

      /* Translators: %s is a distance such as "۵۰ متر". */
      line = g_strdup_printf (_("Distance from the lead: %s"), metres);
    }
  else
    line = g_strdup (_("Distance from the lead: not known (no coordinates on both)"));
  label = text_label (line, NULL);
  gtk_widget_set_name (label, "review-distance");
  gtk_box_append (card, label);

  gap = _payam_review_format_gap (parts.days_apart);
  g_free (line);
  /* Translators: %s is a time gap such as "۳ ساعت". */
  line = g_strdup_printf (_("Time apart: %s"), gap);
  gtk_box_append (card, text_label (line, NULL));

  gtk_box_append (card, text_label (parts.same_category ? _("Category: the same")
                                    : parts.related_category ? _("Category: related")
                                    : _("Category: different"), NULL));
  g_free (line);
  if (parts.photo_bits < 0)
    line = g_strdup (_("Photos: not on both"));
  else
    {
      g_autofree char *bits = payam_format_integer (parts.photo_bits);

      /* Translators: %s is how many of the 64 bits of two photos' fingerprints differ. */
      line = g_strdup_printf (parts.photo_bits <= 10 ? _("Photos: alike (%s bits apart)")
                              : _("Photos: different (%s bits apart)"), bits);
    }
  gtk_box_append (card, text_label (line, NULL));

  if (parts.negation_differs || parts.negation_conflict)
    g_string_append_printf (warnings, "%s%s", warnings->len > 0 ? _(", ") : "",
                            _("one says no"));
  if (parts.polarity_conflict)
    g_string_append_printf (warnings, "%s%s", warnings->len > 0 ? _(", ") : "",
                            _("opposite states"));
  if (parts.numbers_conflict)
    g_string_append_printf (warnings, "%s%s", warnings->len > 0 ? _(", ") : "",
                            _("other numbers"));
  if (warnings->len > 0)
    {
      g_free (line);
      /* Translators: %s lists what speaks against one problem. */
      line = g_strdup_printf (_("Against: %s"), warnings->str);
      label = text_label (line, "warning");
      gtk_widget_set_name (label, "review-against");
      gtk_box_append (card, label);
    }

  for (guint p = 0; p < PAYAM_PAIR_N_PARTS; p++)
    {
      g_autofree char *share = NULL;

      if (fabs (parts.parts[p]) < 0.05)
        continue;
      share = _payam_review_format_share (parts.parts[p]);
      /* Translators: one part of the score and its share, e.g. "words +۲٫۱". */
      g_string_append_printf (shares, "%s%s %s", shares->len > 0 ? _(", ") : "",
                              part_label (p), share);
    }
  g_free (line);
  /* Translators: %s lists the parts of the score with their shares. */
  line = g_strdup_printf (_("Parts of the score: %s"), shares->str);
  label = text_label (line, "dim-label");
  gtk_widget_set_name (label, "review-parts");
  gtk_box_append (card, label);
}

static void
add_member (PayamOfficeReview  *self,
            const PayamRequest *m,
            guint               n,
            gboolean            lead,
            gboolean            grouped)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons;
  g_autofree char *number = payam_format_integer (n);
  g_autofree char *code = payam_tracking_code_format_inline (m->tracking_code);
  g_autofree char *when = payam_format_date_time (m->created_at);
  g_autofree char *head = NULL;
  const char *category = m->category != NULL
                         ? g_hash_table_lookup (self->category_names, m->category) : NULL;
  g_autoptr(GString) where = g_string_new (NULL);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_size_request (card, PHOTO_WIDTH + 24, -1);
  gtk_widget_set_valign (card, GTK_ALIGN_START);
  /* Translators: a member's number (as on the map sketch), its tracking code, and
   * " (lead)" or nothing. */
  head = g_strdup_printf (_("Message %s: %s%s"), number, code, lead ? _(" (lead)") : "");
  gtk_box_append (GTK_BOX (card), text_label (head, "heading"));
  gtk_box_append (GTK_BOX (card), text_label (when, "dim-label"));
  if (category != NULL)
    gtk_box_append (GTK_BOX (card), text_label (category, "dim-label"));
  gtk_box_append (GTK_BOX (card), photo_of (self, m->id));
  gtk_box_append (GTK_BOX (card), text_label (m->text, NULL));
  if (m->street != NULL)
    g_string_append (where, m->street);
  if (m->landmark != NULL)
    g_string_append_printf (where, "%s%s", where->len > 0 ? _(", ") : "", m->landmark);
  if (where->len > 0)
    gtk_box_append (GTK_BOX (card), text_label (where->str, "dim-label"));
  if (!lead)
    add_parts (self, GTK_BOX (card), m->id);

  if (grouped)
    {
      buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      if (!lead)
        gtk_box_append (GTK_BOX (buttons),
                        request_button (_("Make it the lead"), "review.lead", m->id));
      gtk_box_append (GTK_BOX (buttons),
                      request_button (_("Take it out"), "review.split", m->id));
      gtk_box_append (GTK_BOX (card), buttons);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (card); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      gtk_widget_set_margin_start (c, 12);
      gtk_widget_set_margin_end (c, 12);
    }
  gtk_widget_set_margin_top (gtk_widget_get_first_child (card), 10);
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (card), 10);
  gtk_box_append (self->members_box, card);
}

/* ---- suggestions: groups it may be merged into -------------------------------------------- */

static void
add_suggestion (PayamOfficeReview       *self,
                const PayamDupCandidate *c)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *code = payam_tracking_code_format_inline (c->tracking_code);
  g_autofree char *chance = _payam_review_format_percent (c->probability);
  g_autofree char *line = NULL;
  g_autofree char *where = NULL;
  GtkWidget *label;

  if (c->distance_m >= 0)
    where = _payam_review_format_metres (c->distance_m);
  /* Translators: a suggested request: its code, the chance it is the same problem, how
   * far (or nothing), then its words. */
  line = g_strdup_printf (_("%s · %s%s%s\n%s"), code, chance, where != NULL ? _(" · ") : "",
                          where != NULL ? where : "", c->text);
  label = text_label (line, NULL);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row),
                  request_button (c->group_id != NULL ? _("Merge into its group")
                                                      : _("Merge with it"),
                                  "review.merge", c->id));
  gtk_box_append (self->suggestions_box, row);
}

static void
show_suggestions (PayamOfficeReview *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure = NULL;

  clear_box (self->suggestions_box);
  if (self->lead_id == NULL)
    return;
  if (self->index == NULL)
    {
      gtk_box_append (self->suggestions_box,
                      text_label (_("Preparing suggestions…"), "dim-label"));
      return;
    }
  band = payam_dup_index_review_for_request (self->index, self->lead_id, SUGGESTIONS, &sure,
                                             &error);
  if (band == NULL)
    {
      gtk_box_append (self->suggestions_box, text_label (error->message, "error"));
      return;
    }
  for (guint i = 0; i < sure->len; i++)
    add_suggestion (self, sure->pdata[i]);
  for (guint i = 0; i < band->len; i++)
    add_suggestion (self, band->pdata[i]);
  if (sure->len + band->len == 0)
    gtk_box_append (self->suggestions_box,
                    text_label (_("No other message looks like this one."), "dim-label"));
}

/* ---- showing a group -------------------------------------------------------------------- */

void
payam_office_review_show (PayamOfficeReview *self,
                          const char        *request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamGroup) group = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = g_strdup (request_id);
  const PayamRequest *first_located = NULL;
  double far = 0.0;

  g_return_if_fail (PAYAM_IS_OFFICE_REVIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* @request_id may be self->request_id itself (a refresh): keep the copy. */
  g_free (self->request_id);
  self->request_id = g_steal_pointer (&id);
  request_id = self->request_id;
  g_clear_pointer (&self->lead_id, g_free);
  clear_box (self->members_box);
  g_array_set_size (self->points, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->sketch));
  gtk_label_set_label (self->status, self->index == NULL ? _("Preparing suggestions…") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), self->index == NULL);
  if (request_id == NULL)
    {
      gtk_label_set_label (self->title, _("No message chosen"));
      gtk_label_set_label (self->sketch_label, "");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.confirm", FALSE);
      clear_box (self->suggestions_box);
      return;
    }

  request = payam_store_get_request (self->store, request_id, &error);
  if (request == NULL)
    {
      gtk_label_set_label (self->title, error->message);
      return;
    }
  if (request->group_id != NULL)
    group = payam_store_get_group (self->store, request->group_id, NULL);
  if (group != NULL && group->members->len > 1)
    {
      g_autofree char *count = payam_format_number (group->members->len);

      members = g_ptr_array_ref (group->members);
      /* A group always has a lead; were it lost, its first member leads on this page. */
      self->lead_id = g_strdup (group->lead_request_id != NULL
                                ? group->lead_request_id
                                : ((PayamRequest *) members->pdata[0])->id);
      /* Translators: %s is how many messages the group has. */
      title = g_strdup_printf (group->state == PAYAM_GROUP_CONFIRMED
                               ? _("Group of %s messages (confirmed)")
                               : _("Group of %s messages (proposed)"), count);
    }
  else
    {
      members = g_ptr_array_new ();
      g_ptr_array_add (members, request);
      self->lead_id = g_strdup (request->id);
      title = g_strdup (_("A message in no group"));
    }
  gtk_label_set_label (self->title, title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.confirm",
                                 group != NULL && group->members->len > 1 &&
                                 group->state == PAYAM_GROUP_PROPOSED);

  /* The lead first, then the others in the order they came. */
  for (guint pass = 0, n = 1; pass < 2; pass++)
    for (guint i = 0; i < members->len; i++)
      {
        const PayamRequest *m = members->pdata[i];
        gboolean lead = g_strcmp0 (m->id, self->lead_id) == 0;

        if (lead != (pass == 0))
          continue;
        add_member (self, m, n, lead, members->len > 1);
        if (m->has_location)
          {
            Point p = { 0, 0, n };

            if (first_located == NULL)
              first_located = m;
            p.x = (m->lon - first_located->lon) * G_PI / 180.0 * 6371000.0 *
                  cos (first_located->lat * G_PI / 180.0);
            p.y = (m->lat - first_located->lat) * G_PI / 180.0 * 6371000.0;
            for (guint j = 0; j < self->points->len; j++)
              {
                const Point *q = &g_array_index (self->points, Point, j);

                far = MAX (far, hypot (p.x - q->x, p.y - q->y));
              }
            g_array_append_val (self->points, p);
          }
        n++;
      }

  if (self->points->len >= 2)
    {
      g_autofree char *metres = _payam_review_format_metres (far);
      g_autofree char *line = NULL;

      /* Translators: %s is a distance such as "۵۰ متر". */
      line = g_strdup_printf (_("The two furthest apart: %s"), metres);
      gtk_label_set_label (self->sketch_label, line);
    }
  else
    gtk_label_set_label (self->sketch_label, self->points->len == 1
                         ? _("Only one of them has coordinates.")
                         : _("None of them has coordinates."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sketch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->sketch_label), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->sketch));
  show_suggestions (self);
}

PayamDupIndex *
payam_office_review_get_index (PayamOfficeReview *self)
{
  g_return_val_if_fail (PAYAM_IS_OFFICE_REVIEW (self), NULL);
  return self->index;
}

static gboolean
refresh_idle (gpointer data)
{
  PayamOfficeReview *self = data;

  self->refresh_id = 0;
  payam_office_review_show (self, self->request_id);
  return G_SOURCE_REMOVE;
}

/* Something changed: what is shown is read again once the commit's signals are in, when
 * the page is up. */
static void
request_changed (PayamOfficeReview *self)
{
  if (self->request_id != NULL && self->refresh_id == 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->refresh_id = g_idle_add (refresh_idle, self);
}

static void
index_built (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PayamDupIndex *index = payam_dup_index_new_finish (result, &error);
  PayamOfficeReview *self;

  if (index == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;      /* the page is gone */
  self = PAYAM_OFFICE_REVIEW (user_data);
  if (index == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("No suggestions: %s"), error->message);

      gtk_label_set_label (self->status, line);
      return;
    }
  self->index = index;
  g_debug ("duplicate index ready");
  payam_office_review_show (self, self->request_id);
}

/* ---- object ----------------------------------------------------------------------------- */

static void
payam_office_review_dispose (GObject *object)
{
  PayamOfficeReview *self = PAYAM_OFFICE_REVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->index);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (payam_office_review_parent_class)->dispose (object);
}

static void
payam_office_review_finalize (GObject *object)
{
  PayamOfficeReview *self = PAYAM_OFFICE_REVIEW (object);

  g_free (self->request_id);
  g_free (self->lead_id);
  g_array_unref (self->points);

  G_OBJECT_CLASS (payam_office_review_parent_class)->finalize (object);
}

static void
payam_office_review_class_init (PayamOfficeReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_office_review_dispose;
  object_class->finalize = payam_office_review_finalize;

  gtk_widget_class_install_action (widget_class, "review.confirm", NULL, action_activated);
  gtk_widget_class_install_action (widget_class, "review.split", "s", action_activated);
  gtk_widget_class_install_action (widget_class, "review.lead", "s", action_activated);
  gtk_widget_class_install_action (widget_class, "review.merge", "s", action_activated);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
payam_office_review_init (PayamOfficeReview *self)
{
  GtkWidget *top, *back, *scrolled, *content, *upper, *map_box, *sug_box;

  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  gtk_widget_set_margin_top (top, 6);
  back = gtk_button_new_with_label (_("Back to the list"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "win.group-review-close");
  gtk_box_append (GTK_BOX (top), back);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-4");
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_label_set_xalign (self->title, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->title));
  self->confirm_button = gtk_button_new_with_label (_("Confirm the group"));
  gtk_widget_add_css_class (self->confirm_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->confirm_button), "review.confirm");
  gtk_box_append (GTK_BOX (top), self->confirm_button);
  gtk_box_append (GTK_BOX (self), top);

  self->status = GTK_LABEL (gtk_label_new (_("Preparing suggestions…")));
  gtk_widget_set_name (GTK_WIDGET (self->status), "review-status");
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->status), 12);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status));

  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_bottom (content, 12);

  /* The members side by side, the map sketch at their end; the suggestions below. */
  upper = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* Not a scroller of its own: the page's scroller takes them across when they are many,
   * and each card gets the height its wrapped words need. */
  self->members_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12));
  gtk_widget_set_hexpand (GTK_WIDGET (self->members_box), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->members_box), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (upper), GTK_WIDGET (self->members_box));

  map_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (map_box, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (map_box), heading (_("Where they are")));
  self->sketch = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_name (GTK_WIDGET (self->sketch), "review-sketch");
  gtk_drawing_area_set_content_width (self->sketch, SKETCH_WIDTH);
  gtk_drawing_area_set_content_height (self->sketch, SKETCH_HEIGHT);
  gtk_drawing_area_set_draw_func (self->sketch, _payam_review_draw_sketch, self->points, NULL);
  gtk_box_append (GTK_BOX (map_box), GTK_WIDGET (self->sketch));
  self->sketch_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->sketch_label), "review-spread");
  gtk_label_set_xalign (self->sketch_label, 0);
  gtk_label_set_wrap (self->sketch_label, TRUE);
  gtk_label_set_max_width_chars (self->sketch_label, 40);
  gtk_box_append (GTK_BOX (map_box), GTK_WIDGET (self->sketch_label));
  gtk_box_append (GTK_BOX (upper), map_box);
  gtk_box_append (GTK_BOX (content), upper);

  sug_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (sug_box), heading (_("Maybe the same problem: merge into")));
  self->suggestions_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 8));
  gtk_box_append (GTK_BOX (sug_box), GTK_WIDGET (self->suggestions_box));
  gtk_box_append (GTK_BOX (content), sug_box);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_box_append (GTK_BOX (self), scrolled);
}

PayamOfficeReview *
payam_office_review_new (PayamStore *store,
                         GHashTable *category_names)
{
  PayamOfficeReview *self;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_OFFICE_REVIEW, NULL);
  self->store = g_object_ref (store);
  self->category_names = category_names;
  g_signal_connect_object (store, "request-changed", G_CALLBACK (request_changed), self,
                           G_CONNECT_SWAPPED);
  payam_dup_index_new_async (store, self->cancellable, index_built, self);
  payam_office_review_show (self, NULL);
  return self;
}
