/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore: the one owner of a device's SQLite database. */
#pragma once

#include <gio/gio.h>

#include "payam-category.h"
#include "payam-photo.h"
#include "payam-request.h"
#include "payam-types.h"

G_BEGIN_DECLS

#define PAYAM_STORE_ERROR (payam_store_error_quark ())

typedef enum {
  PAYAM_STORE_ERROR_OPEN,      /* the file could not be opened or is not a database */
  PAYAM_STORE_ERROR_FOREIGN,   /* a SQLite database of another application */
  PAYAM_STORE_ERROR_TOO_NEW,   /* made by a newer Payam: refused, left untouched */
  PAYAM_STORE_ERROR_SQL,       /* an unexpected SQLite error (I/O, damage, …) */
  PAYAM_STORE_ERROR_NOT_FOUND, /* no such request, category, place, … */
  PAYAM_STORE_ERROR_INVALID,   /* bad input; the message says what to fix */
  PAYAM_STORE_ERROR_FULL,      /* the disk is full (SQLITE_FULL): nothing of the change was
                                * written, what was saved before stays; the message is in
                                * the words of the device's role (a crew's laptop, a kiosk) */
} PayamStoreError;

GQuark payam_store_error_quark (void);

/* The schema version this code writes (PRAGMA user_version). */
#define PAYAM_STORE_SCHEMA_VERSION 27

#define PAYAM_TYPE_STORE (payam_store_get_type ())
/* Signal "request-changed" (const char *request_id): a request was added or changed, emitted
 * after the outermost transaction commits, once per request; never for a rollback. */
G_DECLARE_FINAL_TYPE (PayamStore, payam_store, PAYAM, STORE, GObject)

/* Open or create the database at @path (":memory:" works), migrate it to
 * PAYAM_STORE_SCHEMA_VERSION and make sure the device identity exists. A database newer
 * than the code or of another application is refused and left untouched. */
PayamStore   *payam_store_open                (const char               *path,
                                               GError                  **error);
const char   *payam_store_get_path            (PayamStore               *self);
int           payam_store_get_schema_version  (PayamStore               *self);
const char   *payam_store_get_device_id       (PayamStore               *self);
guint         payam_store_get_device_prefix   (PayamStore               *self);
/* Set the tracking-code prefix given at enrolment (1 … 9999); INVALID otherwise. */
gboolean      payam_store_set_device_prefix   (PayamStore               *self,
                                               guint                     prefix,
                                               GError                  **error);
/* With @durable, make every commit durable before it returns (PRAGMA synchronous = FULL:
 * the WAL is synced at each commit), as the office server needs: it acknowledges a push
 * only after committing it, and a device deletes what was acknowledged. Without, back to
 * NORMAL (the default, which devices keep; bench-sync compares the two). */
gboolean      payam_store_set_durable         (PayamStore               *self,
                                               gboolean                  durable,
                                               GError                  **error);
/* PRAGMA integrity_check; FALSE with a SQL error naming the damage. */
gboolean      payam_store_check_integrity     (PayamStore               *self,
                                               GError                  **error);

/* Who is acting, written into audit rows ("payamctl", "kiosk", a staff id). Setting it
 * signs out the member (payam_store_get_member() is NULL until a sign-in). */
void          payam_store_set_actor           (PayamStore               *self,
                                               const char               *actor);
/* The signed-in member the ops appended now carry (PayamOp.member): the staff id after
 * payam_store_sign_in(), the crew member's id after payam_store_crew_sign_in(); NULL for
 * none (a kiosk, payamctl without --as, the server). */
const char   *payam_store_get_member          (PayamStore               *self);
/* The clock used for new stamps; NULL means the real clock. For tests and imports. */
void          payam_store_set_now_func        (PayamStore               *self,
                                               GDateTime               *(*now) (gpointer),
                                               gpointer                  user_data);

/* Load the default categories, neighbourhoods, gazetteer and work calendar from the data
 * files compiled into the library. Idempotent: existing rows are updated, none deleted. */
gboolean      payam_store_load_defaults       (PayamStore               *self,
                                               GError                  **error);

/* Group many changes into one transaction (nesting allowed). On rollback nothing of the
 * batch stays. Every single change is already its own transaction without these. A change
 * refused by validation leaves the batch as it was; a request whose writes fail part-way
 * with a database error (PAYAM_STORE_ERROR_SQL) spoils the level it was added at: its
 * commit then rolls that level back and fails, so roll it back instead. */
gboolean      payam_store_begin               (PayamStore               *self,
                                               GError                  **error);
gboolean      payam_store_commit              (PayamStore               *self,
                                               GError                  **error);
void          payam_store_rollback            (PayamStore               *self);

/* Configuration. Arrays own their elements. */
GPtrArray    *payam_store_list_categories     (PayamStore               *self,
                                               GError                  **error);
PayamCategory *payam_store_get_category       (PayamStore               *self,
                                               const char               *code,
                                               GError                  **error);
/* Places of @kind ("neighbourhood", "street", "landmark"); @parent filters, may be NULL. */
GPtrArray    *payam_store_list_places         (PayamStore               *self,
                                               const char               *kind,
                                               const char               *parent,
                                               GError                  **error);
const PayamWorkCalendar *payam_store_get_work_calendar (PayamStore      *self);

/* Register a request: validate @draft (PAYAM_STORE_ERROR_INVALID with a translated message
 * that names the field), normalise text and phone, compute priority and deadline, make the
 * tracking code, and write the request, its outbox ops and an audit row in one transaction.
 * Returns the stored request (caller owns it) or NULL. */
PayamRequest *payam_store_add_request         (PayamStore               *self,
                                               const PayamRequestDraft  *draft,
                                               GError                  **error);
PayamRequest *payam_store_get_request         (PayamStore               *self,
                                               const char               *id,
                                               GError                  **error);
/* @code in any digit form, with or without separators. A code that does not parse gives
 * the PAYAM_TRACKING_ERROR of payam_tracking_code_parse() unchanged (CHECK for a typing
 * error: offer payam_tracking_code_suggest()); NOT_FOUND when unknown. */
PayamRequest *payam_store_find_by_tracking_code (PayamStore             *self,
                                               const char               *code,
                                               GError                  **error);

/* The duplicate group of @request_id: the one it is in, or a new group (state proposed)
 * led by it, so another citizen's request can join it through the draft's group_id.
 * Returns the group id (caller owns it) or NULL (NOT_FOUND for an unknown request). */
char         *payam_store_ensure_group        (PayamStore               *self,
                                               const char               *request_id,
                                               GError                  **error);

typedef struct {
  gboolean     open_only;      /* registered … in_progress */
  const char  *neighbourhood;  /* NULL: all */
  const char  *category;       /* NULL: all */
  guint        limit;          /* 0: no limit */
  guint        offset;
} PayamRequestFilter;

/* Requests ordered by priority, then deadline, then creation. Owns its elements. */
GPtrArray    *payam_store_list_requests       (PayamStore               *self,
                                               const PayamRequestFilter *filter,
                                               GError                  **error);

typedef gboolean (*PayamRequestFunc) (const PayamRequest *request,
                                      gpointer            user_data);
/* Call @func for every request in creation order without holding them all in memory; stops
 * early (returning TRUE) when @func returns FALSE. */
gboolean      payam_store_foreach_request     (PayamStore               *self,
                                               PayamRequestFunc          func,
                                               gpointer                  user_data,
                                               GError                  **error);

/* Move a request's status (payam-lifecycle.h rules, including the 100 % feedback rule for
 * closed: every request of its duplicate group, or the request alone, needs a notice in
 * state sent). A refused move gives the PAYAM_LIFECYCLE_ERROR unchanged; NOT_FOUND for an
 * unknown request. Reopen raises the status epoch. One transaction with outbox and audit. */
gboolean      payam_store_set_status          (PayamStore               *self,
                                               const char               *request_id,
                                               PayamStatus               to,
                                               PayamRole                 role,
                                               const char               *reason,
                                               GError                  **error);

/* Feedback: a notice for the citizen of @request_id (kind e.g. "outcome"), and marking it
 * sent (idempotent). The notice's channel is "sms" when the request has a phone, else
 * "tracking-code": the office marks it sent once the outcome is on the track page.
 * Returns the new notice id (caller owns it). */
char         *payam_store_add_notice          (PayamStore               *self,
                                               const char               *request_id,
                                               const char               *kind,
                                               const char               *text,
                                               GError                  **error);
gboolean      payam_store_mark_notice_sent    (PayamStore               *self,
                                               const char               *notice_id,
                                               GError                  **error);

/* Photos: stored once by SHA-256 (idempotent), then attached to a request. */
gboolean      payam_store_add_photo           (PayamStore               *self,
                                               const PayamPhoto         *photo,
                                               GError                  **error);
gboolean      payam_store_attach_photo        (PayamStore               *self,
                                               const char               *request_id,
                                               const char               *sha256,
                                               GError                  **error);
GBytes       *payam_store_dup_photo_bytes     (PayamStore               *self,
                                               const char               *sha256,
                                               gboolean                  thumbnail,
                                               GError                  **error);
GStrv         payam_store_list_request_photos (PayamStore               *self,
                                               const char               *request_id,
                                               GError                  **error);

typedef struct {
  gint64 total;
  gint64 by_status[PAYAM_N_STATUSES];
  gint64 by_priority[4];   /* index 1 … 3 */
  gint64 open;
  gint64 overdue;          /* open with due_at before now */
  gint64 outbox;           /* ops waiting to sync */
  gint64 photos;
} PayamStoreStats;

gboolean      payam_store_get_stats           (PayamStore               *self,
                                               PayamStoreStats          *out,
                                               GError                  **error);
/* Ops waiting in the outbox. */
gint64        payam_store_count_outbox        (PayamStore               *self,
                                               GError                  **error);

G_END_DECLS
