/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared enums and forward declarations of the Payam core. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Lifecycle of a request (DESIGN §4). Order of the enum is the forward rank. */
typedef enum {
  PAYAM_STATUS_REGISTERED,   /*< nick=registered >*/
  PAYAM_STATUS_TRIAGED,      /*< nick=triaged >*/
  PAYAM_STATUS_ASSIGNED,     /*< nick=assigned >*/
  PAYAM_STATUS_IN_PROGRESS,  /*< nick=in_progress >*/
  PAYAM_STATUS_DONE,         /*< nick=done >*/
  PAYAM_STATUS_NOT_POSSIBLE, /*< nick=not_possible >*/
  PAYAM_STATUS_REJECTED,     /*< nick=rejected >*/
  PAYAM_STATUS_NOTIFIED,     /*< nick=notified >*/
  PAYAM_STATUS_CLOSED,       /*< nick=closed >*/
} PayamStatus;

#define PAYAM_N_STATUSES (PAYAM_STATUS_CLOSED + 1)

typedef enum {
  PAYAM_CHANNEL_KIOSK,  /*< nick=kiosk >*/
  PAYAM_CHANNEL_CREW,   /*< nick=crew >*/
  PAYAM_CHANNEL_OFFICE, /*< nick=office >*/
  PAYAM_CHANNEL_PHONE,  /*< nick=phone >*/
  PAYAM_CHANNEL_OPEN311, /*< nick=open311 >*/ /* filed by an outside system (issue #15) */
} PayamChannel;

/* 1 urgent … 3 normal, as stored and exported. */
typedef enum {
  PAYAM_PRIORITY_URGENT = 1, /*< nick=urgent >*/
  PAYAM_PRIORITY_HIGH = 2,   /*< nick=high >*/
  PAYAM_PRIORITY_NORMAL = 3, /*< nick=normal >*/
} PayamPriority;

/* Who acts: decides which lifecycle moves are allowed. */
typedef enum {
  PAYAM_ROLE_KIOSK,  /*< nick=kiosk >*/
  PAYAM_ROLE_CREW,   /*< nick=crew >*/
  PAYAM_ROLE_OFFICE, /*< nick=office >*/
} PayamRole;

typedef struct _PayamStore PayamStore;
typedef struct _PayamRequest PayamRequest;
typedef struct _PayamRequestDraft PayamRequestDraft;
typedef struct _PayamPhoto PayamPhoto;
typedef struct _PayamCategory PayamCategory;
typedef struct _PayamWorkCalendar PayamWorkCalendar;

const char *payam_status_to_string   (PayamStatus   status);
gboolean    payam_status_from_string (const char   *text,
                                      PayamStatus  *out);
const char *payam_channel_to_string  (PayamChannel  channel);
gboolean    payam_channel_from_string (const char  *text,
                                       PayamChannel *out);
const char *payam_role_to_string     (PayamRole     role);
gboolean    payam_role_from_string   (const char   *text,
                                      PayamRole    *out);

G_END_DECLS
