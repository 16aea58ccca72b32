/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who may write what (DESIGN §6, issue #10): the one table of roles, entities and fields. */
#pragma once

#include "payam-types.h"

G_BEGIN_DECLS

/* What a role may do with an (entity, field): nothing, any row, or only the rows a per-row
 * rule lets it (checked against the server's store when the op arrives). */
typedef enum {
  PAYAM_GRANT_NONE,             /* refused: "role" */
  PAYAM_GRANT_ANY,              /* every row */
  PAYAM_GRANT_OWN_CODE,         /* kiosk: a new request whose tracking code has the device's
                                 * own prefix, status registered, epoch 0 */
  PAYAM_GRANT_OWN_REQUEST,      /* kiosk: a row of one of its own requests (own prefix) */
  PAYAM_GRANT_FINISHED_REQUEST, /* kiosk: a rating of a request whose work is finished */
  PAYAM_GRANT_NEW_GROUP,        /* kiosk ("mine is the same"): a new proposed group around a
                                 * request in no group, and that request moved into it */
  PAYAM_GRANT_OWN_WORKSHEET,    /* crew: a row of one of its own worksheets; a status only
                                 * to in_progress, done or not_possible, never a new epoch;
                                 * a notice only a pending outcome one */
} PayamGrant;

/* What @role may do with @field ("*": a new row) of @entity; NONE for anything the table
 * does not name. */
PayamGrant   payam_sync_role_grant       (PayamRole    role,
                                          const char  *entity,
                                          const char  *field);
/* The entity of the @index-th row of the table (NULL past the end), its field in *@field
 * (static strings). For tests that walk the whole table. */
const char  *payam_sync_role_field_at    (guint        index,
                                          const char **field);
/* Whether @role may send an op carrying the office's reason for it (PayamOp.why): internal
 * staff text only the office (and its supervisors, who sync as office) writes. */
gboolean     payam_sync_role_may_explain (PayamRole    role);
/* "none", "any", "own-code", …: for test messages. */
const char  *payam_grant_to_string       (PayamGrant   grant);

G_END_DECLS
