/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStepWhere: register step 2, the place from the kiosk's own or from the gazetteer. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "payam-kiosk-step-where.h"
#include "payam-text.h"

/* One of the two searchable lists (streets, landmarks) of the chosen neighbourhood. */
typedef struct {
  GtkListView        *view;       /* borrowed: template child */
  GtkStringList      *codes;      /* owned: gazetteer codes of the neighbourhood's places */
  GtkCustomFilter    *filter;     /* borrowed: the model chain owns it */
  GtkSingleSelection *selection;  /* borrowed: the view owns it */
  char               *chosen;     /* owned: code of the chosen place, or NULL */
} PlaceList;

struct _PayamKioskStepWhere
{
  PayamKioskStep parent_instance;

  /* owned */
  GHashTable       *places;         /* code → PayamPlace (borrowed from the two below) */
  GPtrArray        *owned_places;   /* of PayamPlace: streets and landmarks */
  GPtrArray        *neighbourhoods; /* of PayamPlace */
  GPtrArray        *hood_buttons;   /* of GtkToggleButton (borrowed: the box holds them) */
  char             *neighbourhood;  /* chosen code, or NULL */
  char             *search_norm;    /* the search text, compact-normalised */
  char             *kiosk_hood;     /* the kiosk's place from GSettings, or NULL */
  char             *kiosk_street;
  char             *kiosk_landmark;
  PlaceList         streets;
  PlaceList         landmarks;

  gboolean          has_kiosk_location;
  double            kiosk_lat;
  double            kiosk_lon;
  gboolean          here;           /* the place is the kiosk's own (its point is used) */
  gboolean          syncing;        /* the step itself changes widgets: no handler runs */
  gboolean          loaded;

  /* template children (borrowed) */
  GtkButton        *here_button;
  AdwButtonContent *here_content;
  GtkBox           *neighbourhood_box;
  GtkBox           *details_box;
  GtkSearchEntry   *search_entry;
  GtkListView      *street_list;
  GtkListView      *landmark_list;
  GtkLabel         *chosen_label;
  GtkEntry         *note_entry;
};

G_DEFINE_FINAL_TYPE (PayamKioskStepWhere, payam_kiosk_step_where, PAYAM_TYPE_KIOSK_STEP)

static const PayamPlace *
place (PayamKioskStepWhere *self,
       const char          *code)
{
  return code != NULL ? g_hash_table_lookup (self->places, code) : NULL;
}

static const char *
place_name (PayamKioskStepWhere *self,
            const char          *code)
{
  const PayamPlace *p = place (self, code);

  return p != NULL ? p->name : NULL;
}

/* The app's settings, or NULL when the schema is not installed (an uninstalled build). */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static char *
setting_or_null (GSettings  *settings,
                 const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/* Write the step's choice into the draft: the neighbourhood's code, the street's and
 * landmark's names as people read them, the note, and the most precise point known. */
static void
write_draft (PayamKioskStepWhere *self)
{
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (PAYAM_KIOSK_STEP (self));
  const PayamPlace *street = place (self, self->streets.chosen);
  const PayamPlace *landmark = place (self, self->landmarks.chosen);
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  gboolean has_location = FALSE;
  double lat = 0, lon = 0;
  double old_lat, old_lon;
  gboolean old_has;

  if (draft == NULL)
    return;
  payam_kiosk_draft_set_place (draft, self->neighbourhood,
                               street != NULL ? street->name : NULL,
                               landmark != NULL ? landmark->name : NULL,
                               note);

  if (self->here && self->has_kiosk_location)
    has_location = TRUE, lat = self->kiosk_lat, lon = self->kiosk_lon;
  else if (landmark != NULL && landmark->has_location)
    has_location = TRUE, lat = landmark->lat, lon = landmark->lon;
  else if (street != NULL && street->has_location)
    has_location = TRUE, lat = street->lat, lon = street->lon;

  old_has = payam_kiosk_draft_get_location (draft, &old_lat, &old_lon);
  if (old_has != has_location || (has_location && (old_lat != lat || old_lon != lon)))
    payam_kiosk_draft_set_location (draft, has_location, lat, lon);
}

/* "Chosen: <street>، <landmark>" under the lists, so a choice hidden by the search
 * stays visible. */
static void
update_chosen (PayamKioskStepWhere *self)
{
  const char *street = place_name (self, self->streets.chosen);
  const char *landmark = place_name (self, self->landmarks.chosen);
  g_autofree char *text = NULL;

  if (street != NULL && landmark != NULL)
    /* Translators: the chosen street and landmark, e.g. "Chosen: Tohid St., Tohid Square". */
    text = g_strdup_printf (_("Chosen: %s, %s"), street, landmark);
  else if (street != NULL || landmark != NULL)
    /* Translators: the chosen street or landmark. */
    text = g_strdup_printf (_("Chosen: %s"), street != NULL ? street : landmark);
  else
    text = g_strdup (_("Choose a street or landmark if you can; it helps the crew find the place."));
  gtk_label_set_label (self->chosen_label, text);
}

static void
update (PayamKioskStepWhere *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->details_box), self->neighbourhood != NULL);
  update_chosen (self);
  write_draft (self);
  payam_kiosk_step_set_complete (PAYAM_KIOSK_STEP (self), self->neighbourhood != NULL);
}

/* Select the list's chosen place again when it is shown (after a search or a restore). */
static void
reselect (PayamKioskStepWhere *self,
          PlaceList           *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list->selection));
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; list->chosen != NULL && i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (list->selection), i);

      if (g_strcmp0 (gtk_string_object_get_string (item), list->chosen) == 0)
        position = i;
    }
  self->syncing = TRUE;
  gtk_single_selection_set_selected (list->selection, position);
  self->syncing = FALSE;
}

/* Fill both lists with the places of the chosen neighbourhood. */
static void
fill_lists (PayamKioskStepWhere *self)
{
  PlaceList *lists[] = { &self->streets, &self->landmarks };
  const char *kinds[] = { "street", "landmark" };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_autoptr(GPtrArray) codes = g_ptr_array_new ();
      guint n = g_list_model_get_n_items (G_LIST_MODEL (lists[l]->codes));

      /* In the store's order. */
      for (guint i = 0; i < self->owned_places->len; i++)
        {
          const PayamPlace *p = g_ptr_array_index (self->owned_places, i);

          if (g_strcmp0 (p->kind, kinds[l]) == 0 && g_strcmp0 (p->parent, self->neighbourhood) == 0)
            g_ptr_array_add (codes, p->code);
        }
      g_ptr_array_add (codes, NULL);

      self->syncing = TRUE;
      gtk_string_list_splice (lists[l]->codes, 0, n, (const char *const *) codes->pdata);
      self->syncing = FALSE;
      reselect (self, lists[l]);
    }
}

/* Make @code the neighbourhood; the street and landmark are kept only if they belong to
 * it. */
static void
choose_neighbourhood (PayamKioskStepWhere *self,
                      const char          *code)
{
  if (g_strcmp0 (self->neighbourhood, code) != 0)
    {
      g_free (self->neighbourhood);
      self->neighbourhood = g_strdup (code);
      if (self->streets.chosen != NULL
          && g_strcmp0 (place (self, self->streets.chosen)->parent, code) != 0)
        g_clear_pointer (&self->streets.chosen, g_free);
      if (self->landmarks.chosen != NULL
          && g_strcmp0 (place (self, self->landmarks.chosen)->parent, code) != 0)
        g_clear_pointer (&self->landmarks.chosen, g_free);
      fill_lists (self);
    }

  self->syncing = TRUE;
  for (guint i = 0; i < self->hood_buttons->len; i++)
    {
      const PayamPlace *hood = g_ptr_array_index (self->neighbourhoods, i);

      gtk_toggle_button_set_active (g_ptr_array_index (self->hood_buttons, i),
                                    g_strcmp0 (hood->code, code) == 0);
    }
  self->syncing = FALSE;
}

static void
hood_toggled (GtkToggleButton     *button,
              PayamKioskStepWhere *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "payam-code");

  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  self->here = FALSE;
  choose_neighbourhood (self, code);
  update (self);
}

static void
here_clicked (GtkButton           *button,
              PayamKioskStepWhere *self)
{
  choose_neighbourhood (self, self->kiosk_hood);
  g_free (self->streets.chosen);
  self->streets.chosen = g_strdup (self->kiosk_street);
  g_free (self->landmarks.chosen);
  self->landmarks.chosen = g_strdup (self->kiosk_landmark);
  reselect (self, &self->streets);
  reselect (self, &self->landmarks);
  self->here = TRUE;
  update (self);
}

static void
selection_changed (GtkSingleSelection  *selection,
                   GParamSpec          *pspec,
                   PayamKioskStepWhere *self)
{
  PlaceList *list = selection == self->streets.selection ? &self->streets : &self->landmarks;
  GtkStringObject *item = gtk_single_selection_get_selected_item (selection);

  /* A row hidden by the search unselects it; the choice itself stays. */
  if (self->syncing || item == NULL)
    return;
  g_free (list->chosen);
  list->chosen = g_strdup (gtk_string_object_get_string (item));
  self->here = FALSE;
  update (self);
}

static gboolean
filter_place (gpointer item,
              gpointer user_data)
{
  PayamKioskStepWhere *self = user_data;
  const char *name = place_name (self, gtk_string_object_get_string (item));
  g_autofree char *norm = NULL;

  if (self->search_norm == NULL || *self->search_norm == '\0')
    return TRUE;
  if (name == NULL)
    return FALSE;
  norm = payam_text_normalize_compact (name);
  return strstr (norm, self->search_norm) != NULL;
}

static void
search_changed (GtkSearchEntry      *entry,
                PayamKioskStepWhere *self)
{
  g_free (self->search_norm);
  self->search_norm = payam_text_normalize_compact (gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_filter_changed (GTK_FILTER (self->streets.filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->landmarks.filter), GTK_FILTER_CHANGE_DIFFERENT);
  reselect (self, &self->streets);
  reselect (self, &self->landmarks);
}

static void
note_changed (GtkEditable         *entry,
              PayamKioskStepWhere *self)
{
  if (!self->syncing)
    write_draft (self);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "kiosk-place-row");
  gtk_list_item_set_child (item, label);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PayamKioskStepWhere      *self)
{
  GtkStringObject *code = gtk_list_item_get_item (item);
  const char *name = place_name (self, gtk_string_object_get_string (code));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), name != NULL ? name : "");
}

static void
init_list (PayamKioskStepWhere *self,
           PlaceList           *list,
           GtkListView         *view)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;

  list->view = view;
  list->codes = gtk_string_list_new (NULL);
  list->filter = gtk_custom_filter_new (filter_place, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (list->codes)),
                                        GTK_FILTER (list->filter));
  list->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (list->selection, FALSE);
  gtk_single_selection_set_can_unselect (list->selection, TRUE);
  gtk_single_selection_set_selected (list->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (list->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed), self, 0);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  gtk_list_view_set_factory (view, factory);
  gtk_list_view_set_model (view, GTK_SELECTION_MODEL (list->selection));
  g_object_unref (factory);
  g_object_unref (list->selection);  /* the view keeps it */
}

/* Read the gazetteer and the kiosk's place once. */
static void
load (PayamKioskStepWhere *self)
{
  PayamStore *store = payam_kiosk_step_get_store (PAYAM_KIOSK_STEP (self));
  g_autoptr(GSettings) settings = NULL;
  const char *kinds[] = { "street", "landmark" };
  g_autoptr(GError) error = NULL;
  GtkToggleButton *first = NULL;

  if (self->loaded || store == NULL)
    return;
  self->loaded = TRUE;

  self->neighbourhoods = payam_store_list_places (store, "neighbourhood", NULL, &error);
  if (self->neighbourhoods == NULL)
    {
      g_warning ("Cannot list neighbourhoods: %s", error->message);
      self->neighbourhoods = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_place_free);
      g_clear_error (&error);
    }
  for (guint i = 0; i < self->neighbourhoods->len; i++)
    {
      const PayamPlace *hood = g_ptr_array_index (self->neighbourhoods, i);
      GtkWidget *button = gtk_toggle_button_new_with_label (hood->name);

      g_hash_table_insert (self->places, hood->code, (gpointer) hood);
      gtk_widget_add_css_class (button, "kiosk-touch");
      gtk_widget_add_css_class (button, "kiosk-neighbourhood");
      g_object_set_data_full (G_OBJECT (button), "payam-code", g_strdup (hood->code), g_free);
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      g_signal_connect_object (button, "toggled", G_CALLBACK (hood_toggled), self, 0);
      gtk_box_append (self->neighbourhood_box, button);
      g_ptr_array_add (self->hood_buttons, button);
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) list = payam_store_list_places (store, kinds[k], NULL, &error);

      if (list == NULL)
        {
          g_warning ("Cannot list places: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      /* The hash table takes the places; the array only lends them. */
      g_ptr_array_set_free_func (list, NULL);
      for (guint i = 0; i < list->len; i++)
        {
          PayamPlace *p = g_ptr_array_index (list, i);

          g_hash_table_insert (self->places, p->code, p);
          g_ptr_array_add (self->owned_places, p);
        }
    }

  settings = lookup_settings ();
  if (settings != NULL)
    {
      g_autoptr(GVariant) location = g_settings_get_value (settings, "kiosk-location");
      g_autoptr(GVariant) point = g_variant_get_maybe (location);

      self->kiosk_hood = setting_or_null (settings, "kiosk-neighbourhood");
      self->kiosk_street = setting_or_null (settings, "kiosk-street");
      self->kiosk_landmark = setting_or_null (settings, "kiosk-landmark");
      if (point != NULL)
        {
          g_variant_get (point, "(dd)", &self->kiosk_lat, &self->kiosk_lon);
          self->has_kiosk_location = TRUE;
        }
    }

  /* Offer "here" only for a place the gazetteer knows (a mistyped setting is ignored). */
  if (self->kiosk_hood != NULL && place (self, self->kiosk_hood) != NULL
      && g_strcmp0 (place (self, self->kiosk_hood)->kind, "neighbourhood") == 0)
    {
      const char *near = place_name (self, self->kiosk_landmark);
      g_autofree char *label = NULL;

      if (near == NULL)
        near = place_name (self, self->kiosk_street);
      if (place (self, self->kiosk_street) == NULL)
        g_clear_pointer (&self->kiosk_street, g_free);
      if (place (self, self->kiosk_landmark) == NULL)
        g_clear_pointer (&self->kiosk_landmark, g_free);

      if (near != NULL)
        /* Translators: the first choice of place: %s is a landmark or street, then the
         * neighbourhood, e.g. "Here, near this kiosk: Tohid Square, Tohid". */
        label = g_strdup_printf (_("Here, near this kiosk: %s, %s"), near,
                                 place_name (self, self->kiosk_hood));
      else
        /* Translators: %s is the kiosk's neighbourhood. */
        label = g_strdup_printf (_("Here, near this kiosk: %s"), place_name (self, self->kiosk_hood));
      adw_button_content_set_label (self->here_content, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->here_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_widget_set_visible (GTK_WIDGET (self->here_button), TRUE);
    }

  update_chosen (self);
}

static const char *
code_by_name (PayamKioskStepWhere *self,
              const char          *kind,
              const char          *name)
{
  GHashTableIter iter;
  gpointer value;

  if (name == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->places);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const PayamPlace *p = value;

      if (g_strcmp0 (p->kind, kind) == 0 && g_strcmp0 (p->parent, self->neighbourhood) == 0
          && g_strcmp0 (p->name, name) == 0)
        return p->code;
    }
  return NULL;
}

/* Show the draft's place (coming back, or a draft filled elsewhere). */
static void
payam_kiosk_step_where_enter (PayamKioskStep *step)
{
  PayamKioskStepWhere *self = PAYAM_KIOSK_STEP_WHERE (step);
  PayamKioskDraft *draft = payam_kiosk_step_get_draft (step);
  const char *hood = payam_kiosk_draft_get_neighbourhood (draft);
  const char *note = payam_kiosk_draft_get_place_note (draft);

  load (self);
  if (hood != NULL && place (self, hood) != NULL)
    {
      choose_neighbourhood (self, hood);
      g_free (self->streets.chosen);
      self->streets.chosen = g_strdup (code_by_name (self, "street",
                                                     payam_kiosk_draft_get_street (draft)));
      g_free (self->landmarks.chosen);
      self->landmarks.chosen = g_strdup (code_by_name (self, "landmark",
                                                       payam_kiosk_draft_get_landmark (draft)));
      reselect (self, &self->streets);
      reselect (self, &self->landmarks);
    }
  if (g_strcmp0 (note != NULL ? note : "", gtk_editable_get_text (GTK_EDITABLE (self->note_entry))) != 0)
    {
      self->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note != NULL ? note : "");
      self->syncing = FALSE;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->details_box), self->neighbourhood != NULL);
  update_chosen (self);
  payam_kiosk_step_set_complete (step, self->neighbourhood != NULL);
}

static gboolean
payam_kiosk_step_where_leave (PayamKioskStep  *step,
                              GError         **error)
{
  PayamKioskStepWhere *self = PAYAM_KIOSK_STEP_WHERE (step);

  if (self->neighbourhood == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose the neighbourhood where the problem is."));
      return FALSE;
    }
  write_draft (self);
  return TRUE;
}

static void
payam_kiosk_step_where_constructed (GObject *object)
{
  G_OBJECT_CLASS (payam_kiosk_step_where_parent_class)->constructed (object);
  load (PAYAM_KIOSK_STEP_WHERE (object));
}

static void
payam_kiosk_step_where_dispose (GObject *object)
{
  PayamKioskStepWhere *self = PAYAM_KIOSK_STEP_WHERE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_STEP_WHERE);
  g_clear_object (&self->streets.codes);
  g_clear_object (&self->landmarks.codes);
  g_clear_pointer (&self->streets.chosen, g_free);
  g_clear_pointer (&self->landmarks.chosen, g_free);
  g_clear_pointer (&self->hood_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_hash_table_unref);
  g_clear_pointer (&self->owned_places, g_ptr_array_unref);
  g_clear_pointer (&self->neighbourhoods, g_ptr_array_unref);
  g_clear_pointer (&self->neighbourhood, g_free);
  g_clear_pointer (&self->search_norm, g_free);
  g_clear_pointer (&self->kiosk_hood, g_free);
  g_clear_pointer (&self->kiosk_street, g_free);
  g_clear_pointer (&self->kiosk_landmark, g_free);

  G_OBJECT_CLASS (payam_kiosk_step_where_parent_class)->dispose (object);
}

static void
payam_kiosk_step_where_class_init (PayamKioskStepWhereClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PayamKioskStepClass *step_class = PAYAM_KIOSK_STEP_CLASS (klass);

  object_class->constructed = payam_kiosk_step_where_constructed;
  object_class->dispose = payam_kiosk_step_where_dispose;

  step_class->title = N_("Where is it?");
  step_class->needed = N_("To go on to the next step, choose the neighbourhood.");
  step_class->enter = payam_kiosk_step_where_enter;
  step_class->leave = payam_kiosk_step_where_leave;

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-step-where.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, here_button);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, here_content);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, neighbourhood_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, details_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, street_list);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, landmark_list);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskStepWhere, note_entry);
  gtk_widget_class_bind_template_callback (widget_class, here_clicked);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, note_changed);
}

static void
payam_kiosk_step_where_init (PayamKioskStepWhere *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->places = g_hash_table_new (g_str_hash, g_str_equal);
  self->owned_places = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_place_free);
  self->hood_buttons = g_ptr_array_new ();
  init_list (self, &self->streets, self->street_list);
  init_list (self, &self->landmarks, self->landmark_list);
}
