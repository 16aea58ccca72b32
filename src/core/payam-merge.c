/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The merge rules of DESIGN §6: commutative, idempotent and deterministic decisions. */
#define G_LOG_DOMAIN "payam-merge"
#include "config.h"

#include <string.h>

#include "payam-merge.h"

typedef struct {
  const char     *entity;
  const char     *field;
  PayamMergeRule  rule;
} RuleEntry;

/* Every field that sync carries, by entity. A field missing here is refused. Text, category,
 * place and contact are LWW; the request status is the lattice; sets of actions, photos,
 * notices and ratings only grow (their rows are created once, by "*"); a worksheet action
 * moves to another worksheet when groups merge (LWW on worksheet_id). */
static const RuleEntry rules[] = {
  { "request", "*", PAYAM_MERGE_RULE_CREATE },
  { "request", "status", PAYAM_MERGE_RULE_STATUS },
  { "request", "deleted", PAYAM_MERGE_RULE_TOMBSTONE },
  { "request", "text", PAYAM_MERGE_RULE_LWW },
  { "request", "category", PAYAM_MERGE_RULE_LWW },
  { "request", "neighbourhood", PAYAM_MERGE_RULE_LWW },
  { "request", "street", PAYAM_MERGE_RULE_LWW },
  { "request", "landmark", PAYAM_MERGE_RULE_LWW },
  { "request", "lat", PAYAM_MERGE_RULE_LWW },
  { "request", "lon", PAYAM_MERGE_RULE_LWW },
  { "request", "phone", PAYAM_MERGE_RULE_LWW },
  { "request", "name", PAYAM_MERGE_RULE_LWW },
  { "request", "priority", PAYAM_MERGE_RULE_LWW },
  { "request", "due_at", PAYAM_MERGE_RULE_LWW },
  { "request", "group_id", PAYAM_MERGE_RULE_LWW },
  { "request", "public_text", PAYAM_MERGE_RULE_LWW },
  { "dup_group", "*", PAYAM_MERGE_RULE_CREATE },
  { "dup_group", "lead_request_id", PAYAM_MERGE_RULE_LWW },
  { "dup_group", "state", PAYAM_MERGE_RULE_STATE },
  { "dup_group", "deleted", PAYAM_MERGE_RULE_TOMBSTONE },
  { "worksheet", "*", PAYAM_MERGE_RULE_CREATE },
  { "worksheet", "crew_id", PAYAM_MERGE_RULE_LWW },
  { "worksheet", "status", PAYAM_MERGE_RULE_STATE },
  { "worksheet", "group_id", PAYAM_MERGE_RULE_LWW },
  { "worksheet", "due_at", PAYAM_MERGE_RULE_LWW },
  { "worksheet", "deleted", PAYAM_MERGE_RULE_TOMBSTONE },
  { "worksheet_action", "*", PAYAM_MERGE_RULE_CREATE },
  { "worksheet_action", "worksheet_id", PAYAM_MERGE_RULE_LWW },
  { "worksheet_action_photo", "*", PAYAM_MERGE_RULE_CREATE },
  { "photo", "*", PAYAM_MERGE_RULE_CREATE },
  { "request_photo", "*", PAYAM_MERGE_RULE_CREATE },
  { "notice", "*", PAYAM_MERGE_RULE_CREATE },
  { "notice", "state", PAYAM_MERGE_RULE_LWW },
  { "rating", "*", PAYAM_MERGE_RULE_CREATE },
  { "crew", "*", PAYAM_MERGE_RULE_CREATE },
  { "crew_member", "*", PAYAM_MERGE_RULE_CREATE },
  { "crew_member", "active", PAYAM_MERGE_RULE_LWW },
  { "crew_member", "pin_hash", PAYAM_MERGE_RULE_LWW },
  /* Office accounts (issue #13 item 7): the server and office desks only. */
  { "staff", "*", PAYAM_MERGE_RULE_CREATE },
  { "staff", "name", PAYAM_MERGE_RULE_LWW },
  { "staff", "supervisor", PAYAM_MERGE_RULE_LWW },
  { "staff", "active", PAYAM_MERGE_RULE_LWW },
  { "staff", "password_hash", PAYAM_MERGE_RULE_LWW },
  /* Conflict rows: made by the server, sent to office devices; the office's decision. */
  { "conflict", "*", PAYAM_MERGE_RULE_CREATE },
  { "conflict", "resolved_at", PAYAM_MERGE_RULE_LWW },
  { "conflict", "resolved_by", PAYAM_MERGE_RULE_LWW },
};

/* The one order of outcomes (issue #9, case 8), lowest first, for the request status and
 * the worksheet status alike ("open" and "merged" are the worksheet's own). A done outranks
 * a not possible: work a crew did and showed is never reported to the citizen as not
 * possible; a concurrent not possible loses and stays in the conflict table. */
const char * const payam_merge_outcome_order[] = {
  "registered", "triaged", "open", "assigned", "in_progress", "not_possible", "done",
  "rejected", "notified", "closed", "merged", NULL
};

int
payam_merge_outcome_rank (const char *status)
{
  for (int i = 0; status != NULL && payam_merge_outcome_order[i] != NULL; i++)
    if (strcmp (payam_merge_outcome_order[i], status) == 0)
      return i;
  return -1;
}

PayamMergeRule
payam_merge_rule_for (const char *entity,
                      const char *field)
{
  if (entity == NULL || field == NULL)
    return PAYAM_MERGE_RULE_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    if (strcmp (rules[i].entity, entity) == 0 && strcmp (rules[i].field, field) == 0)
      return rules[i].rule;
  return PAYAM_MERGE_RULE_NONE;
}

const char *
payam_conflict_kind_to_string (PayamConflictKind kind)
{
  switch (kind)
    {
    case PAYAM_CONFLICT_NONE:
      return NULL;
    case PAYAM_CONFLICT_CONCURRENT_EDIT:
      return "concurrent-edit";
    case PAYAM_CONFLICT_STALE_STATUS:
      return "stale-status";
    case PAYAM_CONFLICT_EDIT_AFTER_CLOSE:
      return "edit-after-close";
    case PAYAM_CONFLICT_VALIDATION:
      return "rejected";
    default:
      g_return_val_if_reached (NULL);
    }
}

int
payam_merge_version_compare (const PayamMergeStamp *a,
                             const PayamMergeStamp *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  return payam_hlc_compare (a->hlc, a->device != NULL ? a->device : "",
                            b->hlc, b->device != NULL ? b->device : "");
}

int
payam_merge_status_compare (const PayamMergeStatus *a,
                            const PayamMergeStatus *b)
{
  PayamMergeStamp va, vb;

  g_return_val_if_fail (a != NULL && b != NULL, 0);
  if (a->epoch != b->epoch)
    return a->epoch < b->epoch ? -1 : 1;
  if (a->status != b->status)
    {
      int ra = payam_merge_outcome_rank (payam_status_to_string (a->status));
      int rb = payam_merge_outcome_rank (payam_status_to_string (b->status));

      return ra < rb ? -1 : 1;
    }
  va = (PayamMergeStamp) { a->hlc, a->device };
  vb = (PayamMergeStamp) { b->hlc, b->device };
  return payam_merge_version_compare (&va, &vb);
}

/* The writer saw the stored version when its base is that version (or nothing is stored). */
static gboolean
saw_stored (PayamHlc stored_hlc,
            PayamHlc base_hlc)
{
  return stored_hlc == 0 || base_hlc == stored_hlc;
}

/* LWW: the greater (HLC, device) wins whatever the order of arrival, so the rule commutes;
 * the same version again is SAME, so it is idempotent. Whether it was concurrent is only
 * reported, never used to decide. */
PayamMergeDecision
payam_merge_decide_field (const PayamMergeStamp *stored,
                          const PayamMergeStamp *incoming,
                          PayamHlc                 base_hlc,
                          gboolean                 row_closed)
{
  PayamMergeDecision d = { PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE };
  int cmp;

  g_return_val_if_fail (stored != NULL && incoming != NULL, d);

  cmp = payam_merge_version_compare (incoming, stored);
  if (cmp == 0)
    {
      d.action = PAYAM_MERGE_SAME;
      return d;
    }
  d.action = cmp > 0 ? PAYAM_MERGE_APPLY : PAYAM_MERGE_SUPERSEDED;
  if (row_closed)
    d.conflict = PAYAM_CONFLICT_EDIT_AFTER_CLOSE;
  else if (!saw_stored (stored->hlc, base_hlc))
    d.conflict = PAYAM_CONFLICT_CONCURRENT_EDIT;
  return d;
}

/* Status: max of the lattice. A stale offline in_progress (epoch 0) loses to done (epoch 0,
 * higher rank) and to anything after a reopen (epoch 1); a not possible the writer made
 * without having seen a done loses to it and is kept as a stale-status conflict. */
PayamMergeDecision
payam_merge_decide_status (const PayamMergeStatus *stored,
                           const PayamMergeStatus *incoming,
                           PayamHlc                base_hlc)
{
  PayamMergeDecision d = { PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE };
  int cmp;

  g_return_val_if_fail (stored != NULL && incoming != NULL, d);

  cmp = payam_merge_status_compare (incoming, stored);
  if (cmp == 0)
    {
      d.action = PAYAM_MERGE_SAME;
      return d;
    }
  d.action = cmp > 0 ? PAYAM_MERGE_APPLY : PAYAM_MERGE_SUPERSEDED;
  if (!saw_stored (stored->hlc, base_hlc))
    d.conflict = PAYAM_CONFLICT_STALE_STATUS;
  return d;
}

PayamMergeDecision
payam_merge_decide_state (const char            *stored_state,
                          const PayamMergeStamp *stored,
                          const char            *incoming_state,
                          const PayamMergeStamp *incoming,
                          const char            *kept,
                          PayamHlc               base_hlc)
{
  PayamMergeDecision d = { PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE };

  g_return_val_if_fail (stored != NULL && incoming != NULL, d);

  /* The same state from two writers is no conflict; only its version is settled. */
  if (g_strcmp0 (stored_state, incoming_state) == 0)
    {
      d = payam_merge_decide_field (stored, incoming, base_hlc, FALSE);
      d.conflict = PAYAM_CONFLICT_NONE;
      return d;
    }
  d.action = g_strcmp0 (kept, incoming_state) == 0 ? PAYAM_MERGE_APPLY
                                                    : PAYAM_MERGE_SUPERSEDED;
  if (!saw_stored (stored->hlc, base_hlc))
    d.conflict = PAYAM_CONFLICT_STALE_STATUS;
  return d;
}

/* The earliest tombstone is the row's: min commutes as max does. */
PayamMergeDecision
payam_merge_decide_tombstone (const PayamMergeStamp *stored,
                              const PayamMergeStamp *incoming)
{
  PayamMergeDecision d = { PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE };
  int cmp;

  g_return_val_if_fail (stored != NULL && incoming != NULL, d);

  if (stored->hlc == 0)
    return d;
  cmp = payam_merge_version_compare (incoming, stored);
  d.action = cmp < 0 ? PAYAM_MERGE_APPLY : cmp == 0 ? PAYAM_MERGE_SAME : PAYAM_MERGE_SUPERSEDED;
  return d;
}

PayamMergeDecision
payam_merge_decide_create (gboolean exists)
{
  PayamMergeDecision d = { exists ? PAYAM_MERGE_SAME : PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE };

  return d;
}
