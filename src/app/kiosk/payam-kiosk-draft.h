/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskDraft: what a citizen has told the kiosk so far, until it is sent or wiped. */
#pragma once

#include <glib-object.h>

#include "payam-photo.h"
#include "payam-photo-tray.h"
#include "payam-priority.h"
#include "payam-request.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_DRAFT (payam_kiosk_draft_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskDraft, payam_kiosk_draft, PAYAM, KIOSK_DRAFT, GObject)

/* At most this many photos to a message. */
#define PAYAM_KIOSK_MAX_PHOTOS 3

/* A draft lives as long as one citizen's visit: the kiosk window drops it (and every
 * widget that showed it) when the message is sent, cancelled or the kiosk goes idle.
 * Strings are copied in; NULL or "" clears a field. Every setter emits "changed". */
PayamKioskDraft    *payam_kiosk_draft_new                (void);

const char         *payam_kiosk_draft_get_category       (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_category       (PayamKioskDraft          *self,
                                                          const char               *code);
/* Place: neighbourhood, street and landmark are gazetteer codes or names as listed by
 * payam_store_list_places; @note is the citizen's own words about the place. */
const char         *payam_kiosk_draft_get_neighbourhood  (PayamKioskDraft          *self);
const char         *payam_kiosk_draft_get_street         (PayamKioskDraft          *self);
const char         *payam_kiosk_draft_get_landmark       (PayamKioskDraft          *self);
const char         *payam_kiosk_draft_get_place_note     (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_place          (PayamKioskDraft          *self,
                                                          const char               *neighbourhood,
                                                          const char               *street,
                                                          const char               *landmark,
                                                          const char               *note);
/* The point of the place (the kiosk's own location, or a gazetteer entry's), if known. */
gboolean            payam_kiosk_draft_get_location       (PayamKioskDraft          *self,
                                                          double                   *lat,
                                                          double                   *lon);
void                payam_kiosk_draft_set_location       (PayamKioskDraft          *self,
                                                          gboolean                  has_location,
                                                          double                    lat,
                                                          double                    lon);

const char         *payam_kiosk_draft_get_text           (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_text           (PayamKioskDraft          *self,
                                                          const char               *text);

/* Photos taken at the kiosk (imported PayamPhoto, owned by the draft), in order. Adding
 * past PAYAM_KIOSK_MAX_PHOTOS returns FALSE and changes nothing. */
guint               payam_kiosk_draft_get_n_photos       (PayamKioskDraft          *self);
const PayamPhoto   *payam_kiosk_draft_get_photo          (PayamKioskDraft          *self,
                                                          guint                     index);
gboolean            payam_kiosk_draft_add_photo          (PayamKioskDraft          *self,
                                                          PayamPhoto               *photo);
void                payam_kiosk_draft_remove_photo       (PayamKioskDraft          *self,
                                                          guint                     index);
/* The tray holding them (the camera's), owned by the draft. */
PayamPhotoTray     *payam_kiosk_draft_get_photos         (PayamKioskDraft          *self);

/* The danger check's answers (all FALSE until asked). */
const PayamHazardAnswers *payam_kiosk_draft_get_answers  (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_answers        (PayamKioskDraft          *self,
                                                          const PayamHazardAnswers *answers);

/* "Mine is the same": the duplicate group joined (see payam_store_ensure_group), or NULL. */
const char         *payam_kiosk_draft_get_group_id       (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_group_id       (PayamKioskDraft          *self,
                                                          const char               *group_id);

/* Contact, raw as typed (any digit form); validated by the contact step and the store. */
const char         *payam_kiosk_draft_get_phone          (PayamKioskDraft          *self);
const char         *payam_kiosk_draft_get_name           (PayamKioskDraft          *self);
void                payam_kiosk_draft_set_contact        (PayamKioskDraft          *self,
                                                          const char               *phone,
                                                          const char               *name);

/* The priority the message would get now (category default, answers, hazard words). */
PayamPriority       payam_kiosk_draft_compute_priority   (PayamKioskDraft          *self,
                                                          PayamStore               *store);

/* Fill @out with borrowed pointers into the draft (valid until the draft changes), as
 * payam_store_add_request wants it: the place note joins the text on its own line,
 * channel kiosk, hazard set for danger to people or utilities (the urgent answers). */
void                payam_kiosk_draft_fill_request_draft (PayamKioskDraft          *self,
                                                          PayamRequestDraft        *out);

/* Save the message with its photos in @store in one transaction: the request, each photo
 * stored and attached. Returns the stored request (caller owns it) or NULL with the
 * store's translated error (INVALID names the field to fix); on error nothing is saved
 * and the draft is unchanged, so the citizen can fix it and send again. */
PayamRequest       *payam_kiosk_draft_submit             (PayamKioskDraft          *self,
                                                          PayamStore               *store,
                                                          GError                  **error);

G_END_DECLS
