/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crew's worksheets as a GListModel of PayamCrewSheet: most urgent first, or in the
 * route order the crew chose, with what the crew's list shows and filters on. */
#pragma once

#include <gio/gio.h>

#include "payam-store.h"
#include "payam-store-worksheets.h"

G_BEGIN_DECLS

/* What the office changed on a worksheet, as flags. */
typedef enum {
  PAYAM_OFFICE_CHANGED_CATEGORY = 1 << 0,
  PAYAM_OFFICE_CHANGED_PRIORITY = 1 << 1,
  PAYAM_OFFICE_CHANGED_DEADLINE = 1 << 2,
  PAYAM_OFFICE_CHANGED_MESSAGES = 1 << 3,  /* a message joined (or left: SPLIT when told) */
  PAYAM_OFFICE_CHANGED_STATUS   = 1 << 4,  /* e.g. a message rejected */
  PAYAM_OFFICE_CHANGED_CREW     = 1 << 5,
  PAYAM_OFFICE_CHANGED_OTHER    = 1 << 6,
  PAYAM_OFFICE_CHANGED_SPLIT    = 1 << 7,  /* a message taken out of its group */
  PAYAM_OFFICE_CHANGED_LEAD     = 1 << 8,  /* another message leads the group */
} PayamOfficeChanged;

/* What a change of @field of @entity (an op's) changes on a worksheet, as one flag. A
 * message's group is MESSAGES here; who reads the change may tell SPLIT from a join. */
guint payam_office_changed_flag (const char *entity,
                                 const char *field);

/* What the crew's list shows of one worksheet. Times are UTC. */
typedef struct {
  char            *worksheet_id;
  char            *request_id;       /* the group's lead (or first) request */
  char            *tracking_code;    /* canonical, of that request */
  char            *category_id;
  char            *category_name;
  char            *neighbourhood;    /* its name */
  char            *street;           /* may be NULL */
  char            *landmark;         /* may be NULL */
  char            *text;             /* that request's words */
  char            *status;           /* the worksheet's: assigned, in_progress, done, … */
  int              priority;         /* 1 urgent … 3 normal */
  GDateTime       *due_at;           /* may be NULL */
  GDateTime       *finished_at;      /* the done or not possible action's time, or NULL */
  guint            n_members;        /* requests (citizens) the worksheet serves */
  int              route_position;   /* -1: not placed in the route */
  PayamWithdrawal  withdrawal;       /* NONE while it is the crew's work */
  /* The office's latest change from its first explained one on (the reason synced with
   * its ops, PayamOp.why): its reason, what it changed (PayamOfficeChanged flags; 0 for
   * none) and when the office made it. A change made later without a reason takes the
   * place of the explained one, its reason NULL. Internal staff text: never shown to
   * citizens. */
  char            *office_why;       /* NULL when that change carried none */
  guint            office_changed;
  GDateTime       *office_changed_at; /* may be NULL */
} PayamCrewSheetInfo;

#define PAYAM_TYPE_CREW_SHEET (payam_crew_sheet_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewSheet, payam_crew_sheet, PAYAM, CREW_SHEET, GObject)

const PayamCrewSheetInfo *payam_crew_sheet_get_info (PayamCrewSheet *self);
/* Where, for people: neighbourhood, street and landmark, those known, parted by Persian
 * commas. Caller owns it. */
char       *payam_crew_sheet_dup_place  (PayamCrewSheet *self);
/* Whether the work is finished (done, not possible). */
gboolean    payam_crew_sheet_is_finished (PayamCrewSheet *self);

/* The worksheets of @crew_id, as a new GListModel of PayamCrewSheet: first those the crew
 * placed in its route (by position), then the rest by priority, then deadline (earliest
 * first, none last), then code. On a crew's own device every worksheet it holds is listed,
 * those the office took away since with their withdrawal; elsewhere only those assigned to
 * @crew_id. Merged worksheets never. Caller owns the model. */
GListModel *payam_store_list_crew_sheets (PayamStore  *self,
                                          const char  *crew_id,
                                          GError     **error);

G_END_DECLS
