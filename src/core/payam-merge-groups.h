/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync merge rules of duplicate groups and worksheets: pure decisions the sync apply calls. */
#pragma once

#include "payam-hlc.h"
#include "payam-types.h"

G_BEGIN_DECLS

/* Last-writer-wins on (HLC, device id), the order of payam_hlc_compare(): TRUE when the
 * remote version replaces the local one (@local_hlc 0: nothing stored yet). A version
 * equal to the stored one (the same op applied again) does not replace it, so applying is
 * idempotent. Used for dup_group.lead_request_id (concurrent "choose the lead"),
 * request.group_id (membership: merge and split are edits of this field), worksheet.crew_id
 * and worksheet.due_at set by a person. */
gboolean    payam_merge_group_lww_wins          (PayamHlc                 local_hlc,
                                                 const char              *local_device,
                                                 PayamHlc                 remote_hlc,
                                                 const char              *remote_device);

/* dup_group.state as a lattice, max wins: proposed < confirmed < split (dissolved; a
 * tombstone no later op revives). Unknown text ranks below proposed. Returns the state to
 * keep (one of the two arguments). */
const char *payam_merge_group_state             (const char              *local,
                                                 const char              *remote);

/* worksheet.status as a lattice, max wins, in the one order of outcomes it shares with the
 * request status (payam_merge_outcome_order): open < assigned < in_progress < not_possible <
 * done < merged. A stale offline edit cannot undo an outcome; when one device reports done
 * and another not_possible, done is kept (the work was done after all), and the loser is a
 * conflict for the office. Returns the status to keep (one of the two arguments). */
const char *payam_merge_worksheet_status        (const char              *local,
                                                 const char              *remote);

/* Merging keeps the highest priority (the lowest number) and the earliest deadline: min
 * wins for a group's priority and due_at, in any order. Times compare as stored (UTC ISO
 * 8601 text, which sorts like time); NULL means no deadline and loses. */
PayamPriority payam_merge_group_priority        (PayamPriority            local,
                                                 PayamPriority            remote);
const char *payam_merge_group_due_at            (const char              *local,
                                                 const char              *remote);

/* The lead a group shows after membership merged: @lead when it is still one of the
 * @n_members @member_ids (sorted or not), else the smallest member id (UUIDv7: the
 * earliest request), else NULL for a group left without members. Deterministic, so every
 * replica shows the same lead. */
const char *payam_merge_group_effective_lead    (const char              *lead,
                                                 const char * const      *member_ids,
                                                 gsize                    n_members);

/* Worksheet actions, their photos and notices are grow-only sets keyed by id: a remote row
 * is inserted when @exists_locally is FALSE and ignored otherwise (never updated). */
gboolean    payam_merge_grow_only_insert        (gboolean                 exists_locally);

G_END_DECLS
