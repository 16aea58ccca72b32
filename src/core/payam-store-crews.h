/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore crews' people: members with PINs, the offline sign-in and its lockout. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_CREW_ERROR (payam_crew_error_quark ())

/* Why a sign-in was refused. Messages are translated and say what to do. */
typedef enum {
  PAYAM_CREW_ERROR_WRONG_PIN,  /* the PIN does not match; the message counts the tries left */
  PAYAM_CREW_ERROR_LOCKED,     /* too many wrong tries: the member waits (message: how long) */
  PAYAM_CREW_ERROR_DISABLED,   /* the office disabled the member */
} PayamCrewError;

GQuark payam_crew_error_quark (void);

/* Wrong tries in a row that lock a member, and for how long. */
#define PAYAM_CREW_MAX_TRIES    5
#define PAYAM_CREW_LOCK_MINUTES 5

/* A crew or one of its members, as listed. */
typedef struct {
  char  *id;
  char  *name;
  char  *crew_id;    /* members: their crew; crews: NULL */
  guint  n_members;  /* crews: how many members; members: 0 */
  gboolean active;   /* members: may sign in; crews: TRUE */
} PayamCrewPerson;

void        payam_crew_person_free        (PayamCrewPerson  *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamCrewPerson, payam_crew_person_free)

/* Add a member named @name to the crew @crew (its id or name) with @pin (4 to 8 digits in
 * any digit form), kept only as a crypto_pwhash string. The member and its hash sync to
 * that crew's devices only. Returns the new id (caller owns it); INVALID for an empty or
 * long name or a name the crew already has, PAYAM_SECRET_ERROR_PIN for a bad PIN,
 * NOT_FOUND for an unknown crew; INVALID too when a member who is not a supervisor is
 * signed in (payamctl, with no member, may). One transaction with op and audit row. */
char       *payam_store_add_crew_member   (PayamStore       *self,
                                           const char       *crew,
                                           const char       *name,
                                           const char       *pin,
                                           GError          **error);

/* Every active crew by name (n_members filled). Owns its elements (PayamCrewPerson). */
GPtrArray  *payam_store_list_crews        (PayamStore       *self,
                                           GError          **error);
/* The members of @crew_id by name. Owns its elements (PayamCrewPerson). */
GPtrArray  *payam_store_list_crew_members (PayamStore       *self,
                                           const char       *crew_id,
                                           GError          **error);

/* The id of @crew's (its id or name) member named @name; NULL with NOT_FOUND. Caller owns
 * it. */
char       *payam_store_find_crew_member  (PayamStore       *self,
                                           const char       *crew,
                                           const char       *name,
                                           GError          **error);
/* Disable (@active FALSE: it can no longer sign in) or enable again the member @member_id:
 * an 'active' op sent to the member's crew devices and the office, an audit row. Who may,
 * as payam_store_add_crew_member(); NOT_FOUND for no such member. */
gboolean    payam_store_set_crew_member_active (PayamStore  *self,
                                                const char  *member_id,
                                                gboolean     active,
                                                GError     **error);
/* A new @pin (4 to 8 digits, any digit form) for @member_id, who forgot theirs: only its
 * hash is kept and sent (a 'pin_hash' op) to the member's crew devices; the wrong tries
 * and lock on this device are forgotten. Who may and errors as
 * payam_store_add_crew_member(); NOT_FOUND for no such member. */
gboolean    payam_store_set_crew_member_pin    (PayamStore  *self,
                                                const char  *member_id,
                                                const char  *pin,
                                                GError     **error);

/* Sign @member_id in with @pin (any digit form), offline, against the hash the device
 * holds. On success the tries are forgotten, the store's actor becomes the member's name
 * (every action and audit row from now on carries it) and a sign-in audit row is written.
 * A wrong PIN counts a try (PAYAM_CREW_ERROR_WRONG_PIN); the PAYAM_CREW_MAX_TRIES-th in a
 * row locks the member for PAYAM_CREW_LOCK_MINUTES by the store's clock, during which
 * every sign-in is PAYAM_CREW_ERROR_LOCKED without looking at the PIN. A PIN that is not
 * 4 to 8 digits is PAYAM_SECRET_ERROR_PIN and counts no try. NOT_FOUND for an unknown
 * member; PAYAM_CREW_ERROR_DISABLED for a member the office disabled (no try counted).
 * Returns the member's name (caller owns it). */
char       *payam_store_crew_sign_in      (PayamStore       *self,
                                           const char       *member_id,
                                           const char       *pin,
                                           GError          **error);
/* End the member's session: the actor goes back to @device_actor and the ops made from now
 * on carry no member. */
void        payam_store_crew_sign_out     (PayamStore       *self,
                                           const char       *device_actor);

G_END_DECLS
