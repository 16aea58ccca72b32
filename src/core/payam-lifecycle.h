/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The request lifecycle of DESIGN §4: which moves are allowed, by whom, with what reason. */
#pragma once

#include "payam-types.h"

G_BEGIN_DECLS

#define PAYAM_LIFECYCLE_ERROR (payam_lifecycle_error_quark ())

typedef enum {
  PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED,     /* no such move from this status */
  PAYAM_LIFECYCLE_ERROR_ROLE,            /* this role may not make the move */
  PAYAM_LIFECYCLE_ERROR_REASON_REQUIRED, /* not_possible and rejected need a reason */
  PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING,/* closed while a citizen has no sent notice */
} PayamLifecycleError;

GQuark payam_lifecycle_error_quark (void);

/* Facts about a request that decide a move, gathered by the store. */
typedef struct {
  PayamStatus from;
  guint       members_without_sent_notice; /* citizens in the group lacking a sent notice */
} PayamLifecycleContext;

/* Check a move of a request to @to by @role with @reason (may be NULL). Returns TRUE when
 * allowed; otherwise FALSE with a translated PAYAM_LIFECYCLE_ERROR. Reopen is the move from
 * done, not_possible, rejected, notified or closed back to triaged, by the office only.
 * The full table of moves and roles is documented in payam-lifecycle.c. */
gboolean payam_lifecycle_check       (const PayamLifecycleContext *ctx,
                                      PayamStatus                  to,
                                      PayamRole                    role,
                                      const char                  *reason,
                                      GError                     **error);

/* TRUE when @to is a reopen of @from (a move backwards, which raises the status epoch). */
gboolean payam_lifecycle_is_reopen   (PayamStatus from,
                                      PayamStatus to);

/* TRUE for statuses that count as open work (registered … in_progress). */
gboolean payam_status_is_open        (PayamStatus status);

/* Persian label for people, translated. */
const char *payam_status_label       (PayamStatus status);

G_END_DECLS
