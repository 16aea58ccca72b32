/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's message (request) as read from the store, and the draft a new one is made of. */
#pragma once

#include "payam-priority.h"
#include "payam-types.h"

G_BEGIN_DECLS

/* What a new request is made of. Borrowed strings; NULL or "" means not given.
 * @phone is raw input (any digit form) and is normalised by the store. */
struct _PayamRequestDraft {
  const char         *text;
  const char         *category;       /* category code, e.g. "asphalt" */
  const char         *neighbourhood;  /* place code, e.g. "tohid" */
  const char         *street;
  const char         *landmark;
  gboolean            has_location;
  double              lat;
  double              lon;
  GDateTime          *created_at;     /* NULL: now */
  const char         *phone;
  const char         *name;
  gboolean            hazard;         /* the citizen or operator flagged danger */
  PayamHazardAnswers  answers;
  PayamChannel        channel;
  const char         *group_id;       /* join this duplicate group ("mine is the same") */
};

/* A request as stored. Owned strings; NULL when absent. */
struct _PayamRequest {
  char               *id;             /* UUIDv7 */
  char               *tracking_code;  /* canonical ASCII, see payam-tracking.h */
  PayamChannel        channel;
  char               *category;
  char               *text;
  char               *text_norm;
  char               *neighbourhood;
  char               *street;
  char               *landmark;
  gboolean            has_location;
  double              lat;
  double              lon;
  gboolean            hazard;
  PayamHazardAnswers  answers;
  PayamPriority       priority;
  PayamStatus         status;
  int                 status_epoch;   /* raised by each office reopen */
  char               *status_reason;
  char               *group_id;
  GDateTime          *created_at;
  GDateTime          *due_at;
  GDateTime          *updated_at;
  char               *phone;          /* normalised, or NULL (also once purged) */
  char               *name;
};

PayamRequest *payam_request_copy (const PayamRequest *request);
void          payam_request_free (PayamRequest       *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamRequest, payam_request_free)

G_END_DECLS
