/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore duplicate groups: merge, split, choose the lead, and reading groups back. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* dup_group.state. DISSOLVED is stored as 'split': the group has no members left (they
 * split off, or the group was merged into another); it is kept as a tombstone for sync. */
typedef enum {
  PAYAM_GROUP_PROPOSED,   /*< nick=proposed >*/
  PAYAM_GROUP_CONFIRMED,  /*< nick=confirmed >*/
  PAYAM_GROUP_DISSOLVED,  /*< nick=split >*/
} PayamGroupState;

const char *payam_group_state_to_string (PayamGroupState state);

/* A group as read from the store. A request not in any group, or alone in its group, is a
 * "single"; a group of one exists when work began on a single (its worksheet needs one). */
typedef struct {
  char            *id;
  char            *lead_request_id;
  PayamGroupState  state;
  GPtrArray       *members;          /* of PayamRequest, in creation order, owned */
  char            *worksheet_id;     /* NULL while no work began */
  char            *worksheet_status; /* open, assigned, in_progress, done, not_possible */
  char            *crew_id;          /* NULL when no crew is assigned */
  PayamPriority    priority;         /* the highest among the members */
  GDateTime       *due_at;           /* the earliest among the members */
} PayamGroup;

void        payam_group_free            (PayamGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamGroup, payam_group_free)

/* Merge @request_id, and every member of its group when it is in one, into the group of
 * @into_id (made, led by @into_id, when it has none). Every member then has the highest
 * priority and the earliest deadline found among all of them, and so has the worksheet.
 * When both sides have a worksheet, the actions of the merged one move to the surviving
 * one (the group of @into_id keeps its worksheet and crew) and the merged worksheet gets
 * status 'merged'; a merged group is dissolved. Members join the stage of a worksheet that
 * is already assigned or in progress (as the office). The group becomes 'confirmed', or
 * stays 'proposed' when @proposed and it was not confirmed before.
 * Only open requests (registered … in_progress) can be merged: INVALID otherwise, and
 * INVALID when both are already in one group. NOT_FOUND for an unknown request.
 * Each mover's citizen gets a "joined" notice (payam-store-feedback.h).
 * One transaction with outbox ops and audit rows. Returns the group id (caller owns it). */
char       *payam_store_merge           (PayamStore   *self,
                                         const char   *into_id,
                                         const char   *request_id,
                                         gboolean      proposed,
                                         GError      **error);

/* The office's merge, split and choice of lead, explained: as payam_store_merge(),
 * payam_store_split() and payam_store_set_group_lead(), with @reason (may be NULL or blank:
 * none) riding on every field op to every replica (PayamOp.why; an 'office-why' audit row
 * on each), so a crew holding the worksheet sees what changed and why. When the worksheet
 * of a group involved is held by a crew (assigned or in progress), a reason is required:
 * INVALID with nothing changed without one. INVALID too for a reason that is not UTF-8 or
 * longer than PAYAM_MAX_TEXT_CHARS. The plain functions (no reason, no such rule) are for
 * the automatic grouping and for sync. */
char       *payam_store_merge_why       (PayamStore   *self,
                                         const char   *into_id,
                                         const char   *request_id,
                                         gboolean      proposed,
                                         const char   *reason,
                                         GError      **error);
gboolean    payam_store_split_why       (PayamStore   *self,
                                         const char   *request_id,
                                         const char   *reason,
                                         GError      **error);
gboolean    payam_store_set_group_lead_why (PayamStore *self,
                                            const char *request_id,
                                            const char *reason,
                                            GError    **error);

/* The kiosk's "mine is the same": register @draft as the citizen's own request (so the
 * citizen keeps a tracking code and gets feedback) and merge it into the group of
 * @into_id, in one transaction: it takes the group's priority and deadline and the stage
 * of its worksheet, as any merge does; the group's state is left as it was. @draft must
 * not name a group_id itself. The errors of payam_store_add_request() and
 * payam_store_merge() (INVALID when @into_id is no longer open: register the draft
 * alone then); on error nothing is written. No notice is made (a kiosk writes none).
 * Returns the new request as stored. */
PayamRequest *payam_store_add_request_to_group (PayamStore              *self,
                                                const PayamRequestDraft *draft,
                                                const char              *into_id,
                                                GError                 **error);

/* Take @request_id out of its group: it becomes a single again (group_id NULL) and keeps
 * its status, priority, deadline and the timeline of the work done while it was a member;
 * further work on it starts a worksheet of its own. The group keeps its worksheet; when
 * the lead leaves, the earliest remaining member leads. INVALID when the request is not in
 * a group with others. One transaction with outbox ops and audit rows. */
gboolean    payam_store_split           (PayamStore   *self,
                                         const char   *request_id,
                                         GError      **error);

/* Make @request_id the lead of its group (idempotent). INVALID when it is in no group. */
gboolean    payam_store_set_group_lead  (PayamStore   *self,
                                         const char   *request_id,
                                         GError      **error);

/* Confirm the proposed group of @request_id (one that `payamctl group --auto` or a kiosk
 * made): its state becomes confirmed (idempotent). INVALID when it is in no group. */
gboolean    payam_store_confirm_group   (PayamStore   *self,
                                         const char   *request_id,
                                         GError      **error);

/* The group @group_id with its members; NOT_FOUND when unknown. */
PayamGroup *payam_store_get_group       (PayamStore   *self,
                                         const char   *group_id,
                                         GError      **error);

/* Every group that has members, @min_members or more of them, by priority then deadline.
 * Owns its elements (PayamGroup). */
GPtrArray  *payam_store_list_groups     (PayamStore   *self,
                                         guint         min_members,
                                         GError      **error);

G_END_DECLS
