/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore worksheets: one per group, crews, actions with evidence, and request timelines. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* What a crew or the office records on a worksheet. */
typedef enum {
  PAYAM_ACTION_NOTE,          /*< nick=note >*/
  PAYAM_ACTION_ASSIGN,        /*< nick=assign >*/
  PAYAM_ACTION_START,         /*< nick=start >*/
  PAYAM_ACTION_PHOTO,         /*< nick=photo >*/
  PAYAM_ACTION_DONE,          /*< nick=done >*/
  PAYAM_ACTION_NOT_POSSIBLE,  /*< nick=not_possible >*/
  PAYAM_ACTION_BEFORE,        /*< nick=before >*/  /* photos before the work (crew) */
  PAYAM_ACTION_AFTER,         /*< nick=after >*/   /* photos of the work done (crew) */
} PayamActionKind;

const char *payam_action_kind_to_string   (PayamActionKind  kind);
gboolean    payam_action_kind_from_string (const char      *text,
                                           PayamActionKind *out);

/* A new action. Borrowed. @note is free text (the reason for not_possible, required
 * then), kept on the worksheet and never told to citizens; @photos are SHA-256s of photos
 * already stored with payam_store_add_photo(); @public_words (may be NULL) are what the
 * citizens of a done or not_possible are told ({words} of the notice template). */
typedef struct {
  PayamActionKind     kind;
  const char         *note;
  const char * const *photos;   /* NULL-terminated, may be NULL */
  const char         *public_words;
} PayamActionDraft;

/* A field crew. Returns the new crew id (caller owns it); INVALID for an empty name or an
 * unknown neighbourhood (@neighbourhood may be NULL), and when a member who is not a
 * supervisor is signed in (payamctl, with no member, may). */
char       *payam_store_add_crew          (PayamStore             *self,
                                           const char             *name,
                                           const char             *neighbourhood,
                                           GError                **error);
/* The id of the crew named @name, or NULL (NOT_FOUND). Caller owns it. */
char       *payam_store_find_crew         (PayamStore             *self,
                                           const char             *name,
                                           GError                **error);

/* The worksheet serving @request_id: its group's, made when missing (a single gets a group
 * of one). Returns its id (caller owns it). One transaction with outbox and audit. */
char       *payam_store_ensure_worksheet  (PayamStore             *self,
                                           const char             *request_id,
                                           GError                **error);

/* Assign @crew_id to the worksheet serving @request_id (the office; reassigning is
 * allowed while the work is not finished). Members still registered or triaged move to
 * assigned. NOT_FOUND for an unknown request or crew. */
gboolean    payam_store_assign_crew       (PayamStore             *self,
                                           const char             *request_id,
                                           const char             *crew_id,
                                           GError                **error);
/* payam_store_assign_crew() with the office's @reason (may be NULL or blank: none; at most
 * 4,000 characters), which travels with the change to the crews that see it, the crew the
 * work is taken from included (internal staff text, never public). */
gboolean    payam_store_assign_crew_why   (PayamStore             *self,
                                           const char             *request_id,
                                           const char             *crew_id,
                                           const char             *reason,
                                           GError                **error);

/* The crew that holds the worksheet serving @request_id now (*@crew_id, owned; NULL when
 * none does or the request has no worksheet yet). NOT_FOUND for an unknown request. */
gboolean    payam_store_get_worksheet_crew (PayamStore            *self,
                                           const char             *request_id,
                                           char                  **crew_id,
                                           GError                **error);

/* Record @draft on the worksheet serving @request_id, done once for the whole group by
 * @role (crew or office), with its photos. start moves every open member to in_progress;
 * done and not_possible move every open member to that outcome, finish the worksheet and
 * create a pending 'outcome' notice for every member's citizen (sms with a phone, else
 * tracking-code) from its category's template (payam_store_render_notice) with the
 * draft's public words. A move the lifecycle refuses for any member refuses the whole action
 * with that PAYAM_LIFECYCLE_ERROR; INVALID for an unknown photo kind, a finished
 * worksheet (only notes and photos are then allowed), or a done whose evidence photos have
 * not arrived yet, or on a crew's device for a request no longer its work
 * (payam_store_get_withdrawal(), the message says why). One transaction. Returns the
 * action id (caller owns it). */
char       *payam_store_add_action        (PayamStore             *self,
                                           const char             *request_id,
                                           const PayamActionDraft *draft,
                                           PayamRole               role,
                                           GError                **error);

/* What happened to a request, for its timeline. */
typedef enum {
  PAYAM_TIMELINE_REGISTERED,  /* the citizen's message was registered */
  PAYAM_TIMELINE_MERGED,      /* it joined a group (ref: the group id) */
  PAYAM_TIMELINE_SPLIT,       /* it left its group (ref: the group id) */
  PAYAM_TIMELINE_ASSIGNED,    /* a crew was assigned (text: the crew's name) */
  PAYAM_TIMELINE_ACTION,      /* a worksheet action (action, text: note, photos) */
  PAYAM_TIMELINE_STATUS,      /* a status move (from, status, text: the reason) */
  PAYAM_TIMELINE_NOTICE,      /* feedback to the citizen (text, notice_state, channel) */
  PAYAM_TIMELINE_OFFICE_CHANGE, /* the office changed it or its group, explained (text: the
                                 * office's reason, office_changed: what); staff and crews
                                 * only, from payam_store_list_staff_timeline() */
} PayamTimelineKind;

typedef struct {
  PayamTimelineKind  kind;
  GDateTime         *at;
  gboolean           for_group;     /* done once for the group's worksheet */
  char              *actor;         /* NULL when not recorded */
  PayamActionKind    action;        /* ACTION and ASSIGNED */
  PayamStatus        from;          /* STATUS */
  PayamStatus        status;        /* STATUS */
  char              *text;          /* note, reason, crew name or notice text; may be NULL */
  char              *ref;           /* action, notice or group id */
  char              *notice_state;  /* NOTICE: pending, sent, failed */
  char              *channel;       /* NOTICE: sms, tracking-code */
  GStrv              photos;        /* ACTION: SHA-256s, never NULL */
  guint              office_changed; /* OFFICE_CHANGE: PayamOfficeChanged flags */
} PayamTimelineEntry;

void        payam_timeline_entry_free     (PayamTimelineEntry     *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamTimelineEntry, payam_timeline_entry_free)

/* The timeline of @request_id, oldest first: its registration, the groups it joined and
 * left, every action of each worksheet that served it (up to when it left that group) with
 * photos, its status moves and its notices. History comes from the rows themselves and
 * from the request's audit rows (status moves, joining and leaving). NOT_FOUND for an
 * unknown request. Owns its elements (PayamTimelineEntry). */
GPtrArray  *payam_store_list_timeline     (PayamStore             *self,
                                           const char             *request_id,
                                           GError                **error);

/* The timeline of payam_store_list_timeline() for staff and crews: also the office's
 * explained changes of the request and of the groups it was in while it was in them
 * (OFFICE_CHANGE, from the 'office-why' audit rows: the reason, what changed, who — on the
 * desk that made it the member, elsewhere the desk's device name when this store knows it,
 * else NULL — and when it was made). The reason is internal text: never use this one for a public face. */
GPtrArray  *payam_store_list_staff_timeline (PayamStore           *self,
                                             const char           *request_id,
                                             GError              **error);

/* On a crew's device, whether a request is still its work: the office may have given the
 * worksheet to another crew or split the request out of the group while the device was
 * away (issue #9 case 4). The copy then stays, read-only. */
typedef enum {
  PAYAM_WITHDRAWAL_NONE,        /* its work (or not a crew's device) */
  PAYAM_WITHDRAWAL_REASSIGNED,  /* the worksheet was given to another crew */
  PAYAM_WITHDRAWAL_SPLIT,       /* the request left the crew's worksheet */
} PayamWithdrawal;

/* Whether @request_id is withdrawn from this crew device (*@out); NOT_FOUND for an
 * unknown request. */
gboolean    payam_store_get_withdrawal    (PayamStore             *self,
                                           const char             *request_id,
                                           PayamWithdrawal        *out,
                                           GError                **error);
/* Why, for the crew (translated; static); NULL for NONE. */
const char *payam_withdrawal_reason       (PayamWithdrawal         withdrawal);

G_END_DECLS
