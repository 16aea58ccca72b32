/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public face of a request (issue #10): what /v1/track and kiosks may show anyone. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* One public event: "registered", a "status" move, or a "notice" sent to the citizen. Its
 * text is a fixed sentence of Payam's (translated), never words staff or crews typed. */
typedef struct {
  char        *at;       /* UTC ISO 8601 */
  const char  *kind;     /* static */
  PayamStatus  status;   /* "status" only */
  char        *text;     /* "notice" only, else NULL */
} PayamPublicEvent;

/* A request as anyone holding its tracking code may see it: category, neighbourhood,
 * status, dates, the outcome in a fixed sentence, the office's public words when it wrote
 * some, and the photos of the work. Never a phone, a name, the citizen's text, a street,
 * a status reason, a crew's note or a notice's own text. Times are UTC ISO 8601 text. */
typedef struct {
  char        *tracking_code;
  PayamStatus  status;
  char        *category;
  char        *neighbourhood;
  char        *created_at;
  char        *due_at;        /* may be NULL */
  char        *updated_at;
  char        *outcome;       /* the fixed sentence for the status (translated) */
  char        *public_text;   /* request.public_text, written by the office; may be NULL */
  GPtrArray   *events;        /* PayamPublicEvent, oldest first (owned) */
  GStrv        photos;        /* SHA-256s of the work's photos, never NULL */
} PayamPublicView;

void             payam_public_view_free      (PayamPublicView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamPublicView, payam_public_view_free)

/* The fixed public sentence for a request in @status (translated; static). */
const char      *payam_public_outcome_text   (PayamStatus      status);
/* The public view of the request with tracking code @code (caller owns it), or NULL with
 * NOT_FOUND (no such code) or a store error. */
PayamPublicView *payam_store_get_public_view (PayamStore      *self,
                                              const char      *code,
                                              GError         **error);

G_END_DECLS
