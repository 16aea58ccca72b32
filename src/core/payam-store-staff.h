/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Office staff accounts on the store: office staff and supervisors, password sign-in. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

typedef enum {
  PAYAM_STAFF_ROLE_OFFICE,     /*< nick=office >*/
  PAYAM_STAFF_ROLE_SUPERVISOR, /*< nick=supervisor >*/
} PayamStaffRole;

/* What only a supervisor may do. */
typedef enum {
  PAYAM_STAFF_MAY_REOPEN,         /* reopen a closed request */
  PAYAM_STAFF_MAY_SET_DEADLINE,   /* change a deadline by hand */
  PAYAM_STAFF_MAY_MANAGE_CREWS,   /* crews, members and PINs */
  PAYAM_STAFF_MAY_MANAGE_STAFF,   /* office accounts */
} PayamStaffPermission;

typedef struct {
  char           *id;
  char           *name;
  PayamStaffRole  role;
  gboolean        active;
} PayamStaff;

void        payam_staff_free             (PayamStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamStaff, payam_staff_free)

/* "office" / "supervisor"; FALSE for anything else. */
const char *payam_staff_role_to_string   (PayamStaffRole   role);
gboolean    payam_staff_role_from_string (const char      *text,
                                          PayamStaffRole  *out);
/* Whether @staff may do @permission: every office task is open to both roles; the
 * permissions above are a supervisor's. FALSE with INVALID (a translated message naming
 * what a supervisor must do) otherwise, and for an inactive account. */
gboolean    payam_staff_check            (const PayamStaff     *staff,
                                          PayamStaffPermission  permission,
                                          GError              **error);

/* A new office account: @name (stripped, unique among office staff, at most 100
 * characters), @role and @password (payam_secret_check_password; only its crypto_pwhash
 * string is kept). The row goes out as a 'staff' op to the server and the office desks
 * (never a crew or kiosk). Only payamctl (no member signed in) or a supervisor may: INVALID
 * for anyone else. Returns the new staff id (caller owns it), or NULL with INVALID (or the
 * PAYAM_SECRET_ERROR for a short password). */
char       *payam_store_add_staff        (PayamStore      *self,
                                          const char      *name,
                                          PayamStaffRole   role,
                                          const char      *password,
                                          GError         **error);
/* Every office account, by name (PayamStaff, owned by the array). */
GPtrArray  *payam_store_list_staff       (PayamStore      *self,
                                          GError         **error);
/* Disable the office account @name: it can no longer sign in (an 'active' op, synced like
 * the account; who may, as payam_store_add_staff()). NOT_FOUND when there is no such
 * account; disabling twice is no error; INVALID for the signed-in member's own account. */
gboolean    payam_store_disable_staff    (PayamStore      *self,
                                          const char      *name,
                                          GError         **error);
/* Enable the office account @name again (an 'active' op; who may, as disable). NOT_FOUND
 * when there is no such account; enabling an active account is no error. */
gboolean    payam_store_enable_staff     (PayamStore      *self,
                                          const char      *name,
                                          GError         **error);
/* Give the office account @name the new @password (payam_secret_check_password; only its
 * crypto_pwhash string is kept, sent as a 'password_hash' op to the server and the office
 * desks). The signed-in member may change their own with @old_password, the password it
 * has now (INVALID when wrong); anyone else's is payamctl's or a supervisor's (INVALID for
 * anyone else; @old_password is not looked at). NOT_FOUND for no such account. */
gboolean    payam_store_set_staff_password (PayamStore    *self,
                                            const char    *name,
                                            const char    *old_password,
                                            const char    *password,
                                            GError       **error);
/* Sign @name in with @password: on success the store's actor and member become the
 * account's id (every change and audit row after it is recorded under the member, and every
 * op carries it: PayamOp.member) and the account is
 * returned (caller owns it). A wrong name or password gives one INVALID message that
 * does not say which was wrong; a disabled account says so. */
PayamStaff *payam_store_sign_in          (PayamStore      *self,
                                          const char      *name,
                                          const char      *password,
                                          GError         **error);

G_END_DECLS
