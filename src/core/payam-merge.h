/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The merge rules of DESIGN §6 as pure functions: the rule of each field, what an op does. */
#pragma once

#include "payam-hlc.h"
#include "payam-types.h"

G_BEGIN_DECLS

/* How a field of an entity merges. */
typedef enum {
  PAYAM_MERGE_RULE_NONE,      /* unknown entity or field: the op is refused */
  PAYAM_MERGE_RULE_CREATE,    /* field "*": a new row; grow-only, repeats are no-ops */
  PAYAM_MERGE_RULE_LWW,       /* last writer wins on (HLC, device id) */
  PAYAM_MERGE_RULE_STATUS,    /* the lattice (epoch, rank), max wins */
  PAYAM_MERGE_RULE_TOMBSTONE, /* field "deleted": once deleted, always deleted */
  PAYAM_MERGE_RULE_STATE,     /* dup_group.state, worksheet.status: the lattices of
                               * payam-merge-groups.h, max wins; equal states by LWW */
} PayamMergeRule;

/* Kinds of the conflict table (values as stored). */
typedef enum {
  PAYAM_CONFLICT_NONE,
  PAYAM_CONFLICT_CONCURRENT_EDIT,  /* "concurrent-edit": the writer never saw the other edit */
  PAYAM_CONFLICT_STALE_STATUS,     /* "stale-status": a status move lost to the lattice */
  PAYAM_CONFLICT_EDIT_AFTER_CLOSE, /* "edit-after-close": an edit of a closed or deleted row */
  PAYAM_CONFLICT_VALIDATION,       /* "rejected": the value did not pass validation */
} PayamConflictKind;

/* What an incoming op does to the stored state. */
typedef enum {
  PAYAM_MERGE_APPLY,      /* the op wins: write its value and version */
  PAYAM_MERGE_SUPERSEDED, /* the stored state wins: keep it */
  PAYAM_MERGE_SAME,       /* the op is the stored version itself (a replay): nothing to do */
} PayamMergeAction;

typedef struct {
  PayamMergeAction  action;
  PayamConflictKind conflict;  /* NONE unless the writer had not seen the stored version */
} PayamMergeDecision;

/* A version: the stamp and the writer. hlc 0 means "no version" (loses to every op). */
typedef struct {
  PayamHlc    hlc;
  const char *device;
} PayamMergeStamp;

/* A point of the status lattice with the version that put it there. */
typedef struct {
  int         epoch;
  PayamStatus status;
  PayamHlc    hlc;
  const char *device;
} PayamMergeStatus;

/* The one order of outcomes shared by the request status and the worksheet status (their
 * names as stored), lowest first, NULL-terminated: ... in_progress, not_possible, done, ... */
extern const char * const payam_merge_outcome_order[];
/* The rank of @status in payam_merge_outcome_order, or -1 for an unknown name. */
int                 payam_merge_outcome_rank          (const char               *status);

PayamMergeRule      payam_merge_rule_for              (const char               *entity,
                                                       const char               *field);
/* "concurrent-edit", …; NULL for NONE. */
const char         *payam_conflict_kind_to_string     (PayamConflictKind         kind);

/* Total order of versions: (hlc, device id), like payam_hlc_compare(). */
int                 payam_merge_version_compare       (const PayamMergeStamp  *a,
                                                       const PayamMergeStamp  *b);
/* Total order of the status lattice: epoch, then rank (payam_merge_outcome_order), then
 * version. */
int                 payam_merge_status_compare        (const PayamMergeStatus   *a,
                                                       const PayamMergeStatus   *b);

/* An LWW field op at @incoming, written on top of @base_hlc (0: none), against the field's
 * @stored version. @row_closed: the row is closed (or a tombstone): the edit still merges
 * by the rule but is reported as edit-after-close. */
PayamMergeDecision  payam_merge_decide_field          (const PayamMergeStamp  *stored,
                                                       const PayamMergeStamp  *incoming,
                                                       PayamHlc                  base_hlc,
                                                       gboolean                  row_closed);
/* A status op against the stored lattice point. A losing op the writer made without having
 * seen the stored status is stale-status; so is a winning one (the stored move is lost). */
PayamMergeDecision  payam_merge_decide_status         (const PayamMergeStatus   *stored,
                                                       const PayamMergeStatus   *incoming,
                                                       PayamHlc                  base_hlc);
/* A tombstone against the row's tombstone state (@stored hlc 0: alive). The earliest
 * tombstone is kept as the row's; later ones are SAME or SUPERSEDED, never a conflict. */
PayamMergeDecision  payam_merge_decide_tombstone      (const PayamMergeStamp  *stored,
                                                       const PayamMergeStamp  *incoming);
/* A group or worksheet state: @kept is what the lattice keeps of the stored and the
 * incoming state (payam_merge_group_state(), payam_merge_worksheet_status()). Equal states
 * fall back to LWW on the versions, so the version kept is the same in every order. A state
 * the lattice drops is stale-status when its writer had not seen the stored version. */
PayamMergeDecision  payam_merge_decide_state          (const char               *stored_state,
                                                       const PayamMergeStamp    *stored,
                                                       const char               *incoming_state,
                                                       const PayamMergeStamp    *incoming,
                                                       const char               *kept,
                                                       PayamHlc                  base_hlc);
/* A new row (grow-only set keyed by id): APPLY when the row does not exist, else SAME. */
PayamMergeDecision  payam_merge_decide_create         (gboolean                  exists);

G_END_DECLS
