/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's decisions on conflict rows (DESIGN §6: conflicts stay visible). */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Close conflict @conflict_id keeping the value the store holds: resolved_at and
 * resolved_by (the store's actor; for a staff account, its name, readable on devices that
 * never receive accounts) are set and an audit row written,
 * in one transaction. NOT_FOUND for an unknown conflict; INVALID with a translated
 * message naming who decided it and when, when it was decided already. */
gboolean payam_store_resolve_conflict (PayamStore  *self,
                                       const char  *conflict_id,
                                       GError     **error);

/* How the office settles a conflict row. */
typedef enum {
  PAYAM_DECISION_KEEP,     /* keep the value the store holds */
  PAYAM_DECISION_OTHER,    /* take the other value (the one that lost) */
  PAYAM_DECISION_WRITE,    /* write a third value */
  PAYAM_DECISION_DISMISS,  /* close it without looking further (nothing to decide) */
} PayamConflictDecision;

/* Settle conflict @conflict_id by @decision, under the store's actor, in one transaction:
 * OTHER and WRITE write the request's field (@value: JSON text, WRITE only; a priority as
 * 1–3, a category code or a status name as a JSON string) through the same change the
 * triage or the lifecycle makes, so it syncs like any edit and its reason says a conflict
 * was decided; then resolved_at and resolved_by are set (and go out as ops to the server
 * and the other office devices) and an audit row
 * ("conflict-decide", with the decision and value) is written. INVALID for a field that
 * cannot be written here (a priority, category or status can) or a value it refuses,
 * with a translated message; the already-decided and NOT_FOUND cases are those of
 * payam_store_resolve_conflict(). Nothing changes on any error. */
gboolean payam_store_decide_conflict  (PayamStore            *self,
                                       const char            *conflict_id,
                                       PayamConflictDecision  decision,
                                       const char            *value,
                                       GError               **error);

G_END_DECLS
