/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore crews' people: members with PIN hashes, the offline sign-in and its lockout. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-secret.h"
#include "payam-store-crews.h"
#include "payam-store-groups-private.h"
#include "payam-store-staff.h"
#include "payam-store-worksheets.h"
#include "payam-uuid.h"

G_DEFINE_QUARK (payam-crew-error-quark, payam_crew_error)

void
payam_crew_person_free (PayamCrewPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->id);
  g_free (person->name);
  g_free (person->crew_id);
  g_free (person);
}

/* ---- members ------------------------------------------------------------------------ */

/* Whether the crew @crew_id has a member named @name already (*@taken). */
static gboolean
name_taken (PayamStore  *self,
            const char  *crew_id,
            const char  *name,
            gboolean    *taken,
            GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM crew_member "
                                                           "WHERE crew_id = ?1 AND name = ?2",
                                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

char *
payam_store_add_crew_member (PayamStore  *self,
                             const char  *crew,
                             const char  *name,
                             const char  *pin,
                             GError     **error)
{
  g_autofree char *clean = _payam_strip_or_null (name);
  g_autofree char *crew_id = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autofree char *at = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean taken = FALSE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (crew != NULL, NULL);

  /* Crews and their members are a supervisor's, or payamctl's (no member signed in). */
  if (self->member != NULL &&
      !_payam_store_member_may (self, PAYAM_STAFF_MAY_MANAGE_CREWS, error))
    return NULL;

  if (clean == NULL || !g_utf8_validate (clean, -1, NULL))
    {
      _payam_store_invalid (error, _("Write the name of the crew member."));
      return NULL;
    }
  if (g_utf8_strlen (clean, -1) > PAYAM_MAX_NAME_CHARS)
    {
      _payam_store_invalid (error, _("The name of the crew member is too long."));
      return NULL;
    }
  digits = payam_secret_normalize_pin (pin, error);
  if (digits == NULL)
    return NULL;
  crew_id = payam_store_find_crew (self, crew, error);
  if (crew_id == NULL)
    return NULL;
  if (!name_taken (self, crew_id, clean, &taken, error))
    return NULL;
  if (taken)
    {
      _payam_store_invalid (error, _("This crew already has a member with this name; add "
                                     "a surname or a number to tell them apart."));
      return NULL;
    }
  /* Hashing takes a moment and memory: done before the write transaction opens. */
  hash = payam_secret_hash (digits, error);
  if (hash == NULL)
    return NULL;

  id = payam_uuid7_new ();
  now = _payam_store_now (self);
  at = _payam_time_to_db (now);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "crew_id");
  json_builder_add_string_value (b, crew_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, clean);
  json_builder_set_member_name (b, "pin_hash");
  json_builder_add_string_value (b, hash);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  if (!_payam_groups_exec (self, "INSERT INTO crew_member (id, crew_id, name, pin_hash, "
                                 "created_at) VALUES (?1, ?2, ?3, ?4, ?5)", error, 5,
                           id, crew_id, clean, hash, at) ||
      !_payam_store_append_op (self, "crew_member", id, NULL, value, error) ||
      !_payam_groups_audit (self, error, "add-crew-member", "crew_member", id, 2,
                            "crew_id", crew_id, "name", clean))
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* Rows of (id, name, crew_id, n, active) from @stmt (bound) into a new array. */
static GPtrArray *
collect_people (PayamStore  *self,
                PayamStmt   *stmt,
                GError     **error)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                payam_crew_person_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamCrewPerson *p = g_new0 (PayamCrewPerson, 1);

      p->id = _payam_column_dup_text (stmt, 0);
      p->name = _payam_column_dup_text (stmt, 1);
      p->crew_id = _payam_column_dup_text (stmt, 2);
      p->n_members = (guint) sqlite3_column_int (stmt, 3);
      p->active = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (people, p);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&people);
}

GPtrArray *
payam_store_list_crews (PayamStore  *self,
                        GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT c.id, c.name, NULL, (SELECT count (*) "
                                      "FROM crew_member m WHERE m.crew_id = c.id), 1 FROM crew c "
                                      "WHERE c.active ORDER BY c.name, c.id", error);
  if (stmt == NULL)
    return NULL;
  return collect_people (self, stmt, error);
}

GPtrArray *
payam_store_list_crew_members (PayamStore  *self,
                               const char  *crew_id,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (crew_id != NULL, NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT id, name, crew_id, 0, active FROM crew_member "
                                      "WHERE crew_id = ?1 ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  return collect_people (self, stmt, error);
}

char *
payam_store_find_crew_member (PayamStore  *self,
                              const char  *crew,
                              const char  *name,
                              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *clean = _payam_strip_or_null (name);
  char *id = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (crew != NULL, NULL);

  crew_id = payam_store_find_crew (self, crew, error);
  if (crew_id == NULL)
    return NULL;
  stmt = _payam_store_prepare_cached (self, "SELECT id FROM crew_member WHERE crew_id = ?1 "
                                      "AND name = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clean != NULL ? clean : "", -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = _payam_column_dup_text (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("This crew has no member of this name."));
  else
    _payam_store_set_sql_error (self, rc, error);
  return id;
}

/* Whether @member_id is a member (NOT_FOUND otherwise) and the signed-in member may manage
 * crews (a supervisor, or payamctl with no member). */
static gboolean
may_change_member (PayamStore  *self,
                   const char  *member_id,
                   GError     **error)
{
  gboolean found = FALSE;
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  if (self->member != NULL &&
      !_payam_store_member_may (self, PAYAM_STAFF_MAY_MANAGE_CREWS, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM crew_member WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  found = rc == SQLITE_ROW;
  if (!found)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("There is no such crew member."));
      return FALSE;
    }
  return TRUE;
}

/* Set the member's @field ("active" or "pin_hash") to @text with its op (sent to the
 * member's crew and the office) and the audit row @action, in one transaction. */
static gboolean
set_member_field (PayamStore  *self,
                  const char  *member_id,
                  const char  *field,
                  JsonNode    *value,
                  const char  *text,
                  const char  *action,
                  GError     **error)
{
  const char *sql = strcmp (field, "active") == 0
                    ? "UPDATE crew_member SET active = CAST (?2 AS INTEGER) WHERE id = ?1"
                    : "UPDATE crew_member SET pin_hash = ?2 WHERE id = ?1";

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_groups_exec (self, sql, error, 2, member_id, text) ||
      /* A new PIN also lifts the lock the old one's wrong tries earned on this device. */
      (strcmp (field, "pin_hash") == 0 &&
       !_payam_groups_exec (self, "DELETE FROM crew_signin WHERE member_id = ?1", error, 1,
                            member_id)) ||
      !_payam_store_append_op (self, "crew_member", member_id, field, value, error) ||
      !_payam_groups_audit (self, error, action, "crew_member", member_id, 0))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

gboolean
payam_store_set_crew_member_active (PayamStore  *self,
                                    const char  *member_id,
                                    gboolean     active,
                                    GError     **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  if (!may_change_member (self, member_id, error))
    return FALSE;
  value = json_node_init_int (json_node_alloc (), active ? 1 : 0);
  return set_member_field (self, member_id, "active", value, active ? "1" : "0",
                           active ? "enable-crew-member" : "disable-crew-member", error);
}

gboolean
payam_store_set_crew_member_pin (PayamStore  *self,
                                 const char  *member_id,
                                 const char  *pin,
                                 GError     **error)
{
  g_autofree char *digits = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  if (!may_change_member (self, member_id, error))
    return FALSE;
  digits = payam_secret_normalize_pin (pin, error);
  if (digits == NULL)
    return FALSE;
  hash = payam_secret_hash (digits, error);
  if (hash == NULL)
    return FALSE;
  value = json_node_init_string (json_node_alloc (), hash);
  return set_member_field (self, member_id, "pin_hash", value, hash, "crew-member-pin", error);
}

/* ---- sign-in ------------------------------------------------------------------------ */

/* The member's name and PIN hash, and the device's count of wrong tries and lock. */
typedef struct {
  char      *name;
  char      *pin_hash;
  gint64     failures;
  GDateTime *locked_until;  /* NULL: not locked */
  gboolean   active;
} SignInState;

static void
sign_in_state_clear (SignInState *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->pin_hash, g_free);
  g_clear_pointer (&s->locked_until, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignInState, sign_in_state_clear)

static gboolean
read_state (PayamStore   *self,
            const char   *member_id,
            SignInState  *s,
            GError      **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT m.name, m.pin_hash, s.failures, "
                                      "s.locked_until, m.active FROM crew_member m LEFT JOIN "
                                      "crew_signin s ON s.member_id = m.id WHERE m.id = ?1",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("This crew member is not on this device; sync, or ask the "
                             "office to add them."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  s->name = _payam_column_dup_text (stmt, 0);
  s->pin_hash = _payam_column_dup_text (stmt, 1);
  s->failures = sqlite3_column_int64 (stmt, 2);
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    s->locked_until = _payam_time_from_db ((const char *) sqlite3_column_text (stmt, 3));
  s->active = sqlite3_column_int (stmt, 4) != 0;
  return TRUE;
}

/* Write the device's count of wrong tries and lock for @member_id (its own transaction:
 * a wrong try counts even though the sign-in fails). */
static gboolean
write_state (PayamStore  *self,
             const char  *member_id,
             gint64       failures,
             GDateTime   *locked_until,
             GError     **error)
{
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, failures);
  g_autofree char *until = locked_until != NULL ? _payam_time_to_db (locked_until) : NULL;

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_groups_exec (self, "INSERT INTO crew_signin (member_id, failures, locked_until) "
                                 "VALUES (?1, CAST (?2 AS INTEGER), ?3) ON CONFLICT (member_id) "
                                 "DO UPDATE SET failures = excluded.failures, "
                                 "locked_until = excluded.locked_until", error, 3,
                           member_id, count, until))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* A LOCKED error saying how many minutes (rounded up, Persian digits) are left. */
static void
set_locked (GDateTime  *now,
            GDateTime  *until,
            GError    **error)
{
  GTimeSpan left = g_date_time_difference (until, now);
  g_autofree char *minutes = payam_format_integer (MAX (1, (left + G_TIME_SPAN_MINUTE - 1) /
                                                          G_TIME_SPAN_MINUTE));

  /* Translators: %s is a number of minutes in Persian digits. */
  g_set_error (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_LOCKED,
               _("Too many wrong PINs. Try again in %s minutes, or ask a colleague to sign "
                 "in."), minutes);
}

char *
payam_store_crew_sign_in (PayamStore  *self,
                          const char  *member_id,
                          const char  *pin,
                          GError     **error)
{
  g_auto(SignInState) s = { NULL, NULL, 0, NULL, FALSE };
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *previous = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  if (!read_state (self, member_id, &s, error))
    return NULL;
  if (!s.active)
    {
      g_set_error_literal (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_DISABLED,
                           _("This crew member is disabled; ask the office."));
      return NULL;
    }
  now = _payam_store_now (self);
  if (s.locked_until != NULL && g_date_time_compare (now, s.locked_until) < 0)
    {
      set_locked (now, s.locked_until, error);
      return NULL;
    }
  digits = payam_secret_normalize_pin (pin, error);
  if (digits == NULL)
    return NULL;

  if (!payam_secret_verify (s.pin_hash, digits))
    {
      gint64 failures = (s.locked_until != NULL ? 0 : s.failures) + 1;

      if (failures >= PAYAM_CREW_MAX_TRIES)
        {
          g_autoptr(GDateTime) until = g_date_time_add_minutes (now, PAYAM_CREW_LOCK_MINUTES);

          if (!write_state (self, member_id, 0, until, error))
            return NULL;
          set_locked (now, until, error);
        }
      else
        {
          g_autofree char *left = payam_format_integer (PAYAM_CREW_MAX_TRIES - failures);

          if (!write_state (self, member_id, failures, NULL, error))
            return NULL;
          /* Translators: %s is how many tries are left, in Persian digits. */
          g_set_error (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_WRONG_PIN,
                       _("The PIN is not right. Enter it again (%s tries left)."), left);
        }
      return NULL;
    }

  if (!_payam_store_tx_begin (self, error))
    return NULL;
  if (!_payam_groups_exec (self, "DELETE FROM crew_signin WHERE member_id = ?1", error, 1,
                           member_id))
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  /* The sign-in's own audit row already names the member. */
  previous = g_strdup (self->actor);
  payam_store_set_actor (self, s.name);
  if (!_payam_groups_audit (self, error, "sign-in", "crew_member", member_id, 0))
    {
      _payam_store_tx_rollback (self);
      payam_store_set_actor (self, previous);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    {
      payam_store_set_actor (self, previous);
      return NULL;
    }
  /* Its actions are recorded under its name, and its ops carry its id (PayamOp.member). */
  _payam_store_set_member (self, member_id);
  return g_steal_pointer (&s.name);
}

void
payam_store_crew_sign_out (PayamStore *self,
                           const char *device_actor)
{
  g_return_if_fail (PAYAM_IS_STORE (self));

  payam_store_set_actor (self, device_actor);
  /* The ops made after it carry no member (they used to keep the last one's). */
  _payam_store_set_member (self, NULL);
}
