/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskDraft: the fields of one citizen's message while the kiosk's steps fill them. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-category.h"
#include "payam-kiosk-draft.h"
#include "payam-text.h"

struct _PayamKioskDraft
{
  GObject parent_instance;

  /* owned */
  char               *category;
  char               *neighbourhood;
  char               *street;
  char               *landmark;
  char               *place_note;
  char               *text;
  char               *group_id;
  char               *phone;
  char               *name;
  char               *request_text;  /* text and place note, as last filled */
  PayamPhotoTray     *photos;

  gboolean            has_location;
  double              lat;
  double              lon;
  PayamHazardAnswers  answers;
};

G_DEFINE_FINAL_TYPE (PayamKioskDraft, payam_kiosk_draft, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Replace *@field with a copy of @value (NULL for NULL or ""). TRUE when it changed. */
static gboolean
set_field (char       **field,
           const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
changed (PayamKioskDraft *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
payam_kiosk_draft_finalize (GObject *object)
{
  PayamKioskDraft *self = PAYAM_KIOSK_DRAFT (object);

  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->neighbourhood, g_free);
  g_clear_pointer (&self->street, g_free);
  g_clear_pointer (&self->landmark, g_free);
  g_clear_pointer (&self->place_note, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->request_text, g_free);
  g_clear_object (&self->photos);

  G_OBJECT_CLASS (payam_kiosk_draft_parent_class)->finalize (object);
}

static void
payam_kiosk_draft_class_init (PayamKioskDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = payam_kiosk_draft_finalize;

  /* Any field changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
payam_kiosk_draft_init (PayamKioskDraft *self)
{
  self->photos = payam_photo_tray_new (PAYAM_KIOSK_MAX_PHOTOS);
  g_signal_connect_swapped (self->photos, "changed", G_CALLBACK (changed), self);
}

PayamKioskDraft *
payam_kiosk_draft_new (void)
{
  return g_object_new (PAYAM_TYPE_KIOSK_DRAFT, NULL);
}

const char *
payam_kiosk_draft_get_category (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->category;
}

void
payam_kiosk_draft_set_category (PayamKioskDraft *self,
                                const char      *code)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  if (set_field (&self->category, code))
    changed (self);
}

const char *
payam_kiosk_draft_get_neighbourhood (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->neighbourhood;
}

const char *
payam_kiosk_draft_get_street (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->street;
}

const char *
payam_kiosk_draft_get_landmark (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->landmark;
}

const char *
payam_kiosk_draft_get_place_note (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->place_note;
}

void
payam_kiosk_draft_set_place (PayamKioskDraft *self,
                             const char      *neighbourhood,
                             const char      *street,
                             const char      *landmark,
                             const char      *note)
{
  gboolean any = FALSE;

  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));

  any |= set_field (&self->neighbourhood, neighbourhood);
  any |= set_field (&self->street, street);
  any |= set_field (&self->landmark, landmark);
  any |= set_field (&self->place_note, note);
  if (any)
    changed (self);
}

gboolean
payam_kiosk_draft_get_location (PayamKioskDraft *self,
                                double          *lat,
                                double          *lon)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), FALSE);

  if (self->has_location && lat != NULL)
    *lat = self->lat;
  if (self->has_location && lon != NULL)
    *lon = self->lon;
  return self->has_location;
}

void
payam_kiosk_draft_set_location (PayamKioskDraft *self,
                                gboolean         has_location,
                                double           lat,
                                double           lon)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));

  self->has_location = has_location;
  self->lat = has_location ? lat : 0;
  self->lon = has_location ? lon : 0;
  changed (self);
}

const char *
payam_kiosk_draft_get_text (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->text;
}

void
payam_kiosk_draft_set_text (PayamKioskDraft *self,
                            const char      *text)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  if (set_field (&self->text, text))
    changed (self);
}

guint
payam_kiosk_draft_get_n_photos (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), 0);
  return payam_photo_tray_get_n (self->photos);
}

const PayamPhoto *
payam_kiosk_draft_get_photo (PayamKioskDraft *self,
                             guint            index)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return payam_photo_tray_get (self->photos, index);
}

/* Takes @photo (freed also when refused). */
gboolean
payam_kiosk_draft_add_photo (PayamKioskDraft *self,
                             PayamPhoto      *photo)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), FALSE);
  return payam_photo_tray_add (self->photos, photo);
}

void
payam_kiosk_draft_remove_photo (PayamKioskDraft *self,
                                guint            index)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  payam_photo_tray_remove (self->photos, index);
}

PayamPhotoTray *
payam_kiosk_draft_get_photos (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->photos;
}

const PayamHazardAnswers *
payam_kiosk_draft_get_answers (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return &self->answers;
}

void
payam_kiosk_draft_set_answers (PayamKioskDraft          *self,
                               const PayamHazardAnswers *answers)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  g_return_if_fail (answers != NULL);

  self->answers = *answers;
  changed (self);
}

const char *
payam_kiosk_draft_get_group_id (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->group_id;
}

void
payam_kiosk_draft_set_group_id (PayamKioskDraft *self,
                                const char      *group_id)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  if (set_field (&self->group_id, group_id))
    changed (self);
}

const char *
payam_kiosk_draft_get_phone (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->phone;
}

const char *
payam_kiosk_draft_get_name (PayamKioskDraft *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  return self->name;
}

void
payam_kiosk_draft_set_contact (PayamKioskDraft *self,
                               const char      *phone,
                               const char      *name)
{
  gboolean any = FALSE;

  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));

  any |= set_field (&self->phone, phone);
  any |= set_field (&self->name, name);
  if (any)
    changed (self);
}

/* A hazard is what the priority rules make urgent (payam_priority_compute): danger to
 * people or utilities. A blocked road alone raises the priority to high, not to a hazard. */
static gboolean
is_hazard (const PayamHazardAnswers *answers)
{
  return answers->danger_to_people || answers->utilities;
}

/* The text the request is saved with: the citizen's words, then the place note on a line
 * of its own. Kept in the draft so that fill_request_draft can lend it. */
static const char *
request_text (PayamKioskDraft *self)
{
  g_clear_pointer (&self->request_text, g_free);
  if (self->place_note == NULL)
    self->request_text = g_strdup (self->text);
  else if (self->text == NULL)
    self->request_text = g_strdup (self->place_note);
  else
    self->request_text = g_strconcat (self->text, "\n", self->place_note, NULL);
  return self->request_text;
}

/* Falls back to normal priority when the category is unknown (the store then refuses the
 * draft by name). */
PayamPriority
payam_kiosk_draft_compute_priority (PayamKioskDraft *self,
                                    PayamStore      *store)
{
  g_autoptr(PayamCategory) category = NULL;
  g_autofree char *text_norm = NULL;
  PayamPriority fallback = PAYAM_PRIORITY_NORMAL;

  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), PAYAM_PRIORITY_NORMAL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), PAYAM_PRIORITY_NORMAL);

  if (self->category != NULL)
    category = payam_store_get_category (store, self->category, NULL);
  if (category != NULL)
    fallback = category->default_priority;
  text_norm = payam_text_normalize (request_text (self));

  return payam_priority_compute (&self->answers, is_hazard (&self->answers), text_norm,
                                 fallback);
}

void
payam_kiosk_draft_fill_request_draft (PayamKioskDraft   *self,
                                      PayamRequestDraft *out)
{
  g_return_if_fail (PAYAM_IS_KIOSK_DRAFT (self));
  g_return_if_fail (out != NULL);

  *out = (PayamRequestDraft) {
    .text = request_text (self),
    .category = self->category,
    .neighbourhood = self->neighbourhood,
    .street = self->street,
    .landmark = self->landmark,
    .has_location = self->has_location,
    .lat = self->lat,
    .lon = self->lon,
    .phone = self->phone,
    .name = self->name,
    .hazard = is_hazard (&self->answers),
    .answers = self->answers,
    .channel = PAYAM_CHANNEL_KIOSK,
    .group_id = self->group_id,
  };
}

PayamRequest *
payam_kiosk_draft_submit (PayamKioskDraft  *self,
                          PayamStore       *store,
                          GError          **error)
{
  g_autoptr(PayamRequest) request = NULL;
  PayamRequestDraft draft;

  g_return_val_if_fail (PAYAM_IS_KIOSK_DRAFT (self), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  payam_kiosk_draft_fill_request_draft (self, &draft);

  if (!payam_store_begin (store, error))
    return NULL;

  request = payam_store_add_request (store, &draft, error);
  for (guint i = 0; request != NULL && i < payam_photo_tray_get_n (self->photos); i++)
    {
      const PayamPhoto *photo = payam_photo_tray_get (self->photos, i);

      if (!payam_store_add_photo (store, photo, error) ||
          !payam_store_attach_photo (store, request->id, photo->sha256, error))
        g_clear_pointer (&request, payam_request_free);
    }

  if (request == NULL)
    {
      payam_store_rollback (store);
      return NULL;
    }
  if (!payam_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&request);
}
