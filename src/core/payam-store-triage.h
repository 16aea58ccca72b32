/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Triage by the office: confirm, change category or priority with a reason, reject. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Each of these is one transaction that writes the request, its outbox ops (so the change
 * syncs like any edit) and an audit row under the store's actor (the signed-in staff
 * member, payam_store_sign_in). NOT_FOUND for an unknown request; INVALID with a
 * translated message that says what to fix. */

/* The message is what it says it is: registered → triaged. */
gboolean payam_store_triage_confirm       (PayamStore     *self,
                                           const char     *request_id,
                                           GError        **error);
/* Put an open request in @category with @reason (required). Its priority is computed
 * again from the citizen's answers and words with the new category's default, and its
 * deadline from when it was registered under the new category's rule. */
gboolean payam_store_triage_set_category  (PayamStore     *self,
                                           const char     *request_id,
                                           const char     *category,
                                           const char     *reason,
                                           GError        **error);
/* Give an open request @priority with @reason (required); the deadline is computed again
 * from when it was registered under its category's rule. */
gboolean payam_store_triage_set_priority  (PayamStore     *self,
                                           const char     *request_id,
                                           PayamPriority   priority,
                                           const char     *reason,
                                           GError        **error);
/* Reject the request with @reason (required), and queue its outcome notice (kind
 * "outcome", from the rejected template with @reason as its words) that tells the citizen
 * why. */
gboolean payam_store_triage_reject        (PayamStore     *self,
                                           const char     *request_id,
                                           const char     *reason,
                                           GError        **error);

/* What only a supervisor may do (issue #13): the store's actor must be a signed-in,
 * active supervisor account (payam_store_sign_in); an office account, a crew member or no
 * account at all gets INVALID with the translated message of payam_staff_check(). A
 * @reason is required; it is kept in the audit row under the supervisor, and the change
 * syncs as the request's own ops. */

/* Reopen a finished request (done, not possible, rejected, notified or closed): it is
 * triaged again, its status epoch raised (it wins over what devices still hold). */
gboolean payam_store_supervisor_reopen       (PayamStore     *self,
                                              const char     *request_id,
                                              const char     *reason,
                                              GError        **error);
/* Give an open request the deadline @due by hand (not before it was registered). */
gboolean payam_store_supervisor_set_deadline (PayamStore     *self,
                                              const char     *request_id,
                                              GDateTime      *due,
                                              const char     *reason,
                                              GError        **error);

G_END_DECLS
