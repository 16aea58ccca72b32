/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Office staff on the store: accounts with a crypto_pwhash password, roles, sign-in. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-secret.h"
#include "payam-store-private.h"
#include "payam-store-staff.h"
#include "payam-uuid.h"

void
payam_staff_free (PayamStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff);
}

const char *
payam_staff_role_to_string (PayamStaffRole role)
{
  return role == PAYAM_STAFF_ROLE_SUPERVISOR ? "supervisor" : "office";
}

gboolean
payam_staff_role_from_string (const char     *text,
                              PayamStaffRole *out)
{
  if (g_strcmp0 (text, "office") == 0)
    *out = PAYAM_STAFF_ROLE_OFFICE;
  else if (g_strcmp0 (text, "supervisor") == 0)
    *out = PAYAM_STAFF_ROLE_SUPERVISOR;
  else
    return FALSE;
  return TRUE;
}

gboolean
payam_staff_check (const PayamStaff      *staff,
                   PayamStaffPermission   permission,
                   GError               **error)
{
  g_return_val_if_fail (staff != NULL, FALSE);

  if (!staff->active)
    return _payam_store_invalid (error, _("This account is disabled."));
  if (staff->role == PAYAM_STAFF_ROLE_SUPERVISOR)
    return TRUE;
  switch (permission)
    {
    case PAYAM_STAFF_MAY_REOPEN:
      return _payam_store_invalid (error, _("Only a supervisor may reopen a message."));
    case PAYAM_STAFF_MAY_SET_DEADLINE:
      return _payam_store_invalid (error, _("Only a supervisor may change a deadline."));
    case PAYAM_STAFF_MAY_MANAGE_CREWS:
      return _payam_store_invalid (error, _("Only a supervisor may manage crews."));
    case PAYAM_STAFF_MAY_MANAGE_STAFF:
      return _payam_store_invalid (error, _("Only a supervisor may manage staff accounts."));
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
_payam_store_member_may (PayamStore  *self,
                         int          permission,
                         GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  PayamStaff staff = { 0 };
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT supervisor, active FROM staff"
                                      " WHERE id = :id AND role = 'office'", error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":id", self->member);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      staff.role = sqlite3_column_int (stmt, 0) ? PAYAM_STAFF_ROLE_SUPERVISOR
                                                : PAYAM_STAFF_ROLE_OFFICE;
      staff.active = sqlite3_column_int (stmt, 1) != 0;
    }
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  else
    staff.active = TRUE; /* no account: the role's message, not "disabled" */
  return payam_staff_check (&staff, permission, error);
}

/* Whether the office accounts may be changed now: by payamctl (no member signed in: the
 * administrator's tool on an office machine) or a supervisor. The server checks the same
 * on the ops (_payam_sync_check_supervisor). */
static gboolean
may_manage_staff (PayamStore  *self,
                  GError     **error)
{
  return self->member == NULL || _payam_store_member_may (self, PAYAM_STAFF_MAY_MANAGE_STAFF,
                                                          error);
}

/* The account of the current row (id, name, supervisor, active). */
static PayamStaff *
staff_from_row (PayamStmt *stmt)
{
  PayamStaff *staff = g_new0 (PayamStaff, 1);

  staff->id = _payam_column_dup_text (stmt, 0);
  staff->name = _payam_column_dup_text (stmt, 1);
  staff->role = sqlite3_column_int (stmt, 2) ? PAYAM_STAFF_ROLE_SUPERVISOR
                                             : PAYAM_STAFF_ROLE_OFFICE;
  staff->active = sqlite3_column_int (stmt, 3) != 0;
  return staff;
}

char *
payam_store_add_staff (PayamStore      *self,
                       const char      *name,
                       PayamStaffRole   role,
                       const char      *password,
                       GError         **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  if (name != NULL && !g_utf8_validate (name, -1, NULL))
    {
      _payam_store_invalid (error, _("The name contains invalid characters."));
      return NULL;
    }
  clean = _payam_strip_or_null (name);
  if (clean == NULL || g_utf8_strlen (clean, -1) > PAYAM_MAX_NAME_CHARS)
    {
      _payam_store_invalid (error, _("Write the staff member's name (at most 100 characters)."));
      return NULL;
    }
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      _payam_store_invalid (error, _("The password contains invalid characters."));
      return NULL;
    }
  if (!may_manage_staff (self, error) ||
      !payam_secret_check_password (password, error) ||
      (hash = payam_secret_hash (password, error)) == NULL)
    return NULL;

  id = payam_uuid7_new ();
  if (!_payam_store_tx_begin (self, error))
    return NULL;
  stmt = _payam_store_prepare_cached (self, "INSERT INTO staff (id, name, role, password_hash,"
                                      " supervisor) VALUES (:id, :name, 'office', :hash,"
                                      " :supervisor)", error);
  if (stmt == NULL)
    goto fail;
  _payam_bind_text (stmt, ":id", id);
  _payam_bind_text (stmt, ":name", clean);
  _payam_bind_text (stmt, ":hash", hash);
  _payam_bind_int (stmt, ":supervisor", role == PAYAM_STAFF_ROLE_SUPERVISOR);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      _payam_store_invalid (error, _("A staff member of this name already exists; "
                                     "choose another name."));
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      goto fail;
    }
  g_clear_pointer (&stmt, _payam_stmt_done);
  {
    /* The account reaches the server and every office desk (never a crew or a kiosk), so
     * the server can check a supervisor's moves and the staff can sign in at any desk. */
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) value = NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "role");
    json_builder_add_string_value (b, "office");
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, clean);
    json_builder_set_member_name (b, "supervisor");
    json_builder_add_int_value (b, role == PAYAM_STAFF_ROLE_SUPERVISOR);
    json_builder_set_member_name (b, "active");
    json_builder_add_int_value (b, 1);
    json_builder_set_member_name (b, "password_hash");
    json_builder_add_string_value (b, hash);
    json_builder_end_object (b);
    value = json_builder_get_root (b);
    if (!_payam_store_append_op (self, "staff", id, NULL, value, error))
      goto fail_committing;
  }
  if (!_payam_store_append_audit (self, "staff-add", "staff", id, NULL, error) ||
      !_payam_store_tx_commit (self, error))
    goto fail_committing;
  return g_steal_pointer (&id);

fail:
  g_clear_pointer (&stmt, _payam_stmt_done);
fail_committing:
  if (self->depth > 0)
    _payam_store_tx_rollback (self);
  return NULL;
}

GPtrArray *
payam_store_list_staff (PayamStore  *self,
                        GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_staff_free);
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT id, name, supervisor, active FROM staff"
                                      " WHERE role = 'office' ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, staff_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* The office account @name: its id, hash and active flag (*@id NULL when there is none). */
static gboolean
find_staff (PayamStore  *self,
            const char  *name,
            char       **id,
            char       **hash,
            gboolean    *active,
            GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *clean = _payam_strip_or_null (name);
  int rc;

  *id = NULL;
  stmt = _payam_store_prepare_cached (self, "SELECT id, password_hash, active FROM staff"
                                      " WHERE role = 'office' AND name = :name", error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":name", clean != NULL ? clean : "");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = _payam_column_dup_text (stmt, 0);
      if (hash != NULL)
        *hash = _payam_column_dup_text (stmt, 1);
      if (active != NULL)
        *active = sqlite3_column_int (stmt, 2) != 0;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

static gboolean
no_such_staff (GError **error)
{
  g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                       _("There is no staff member of this name."));
  return FALSE;
}

/* Set the account @name's column @field (an 'active' or 'password_hash' op, synced like the
 * account, and an audit row @action), in one transaction. */
static gboolean
set_staff_field (PayamStore  *self,
                 const char  *id,
                 const char  *field,
                 JsonNode    *value,
                 const char  *action,
                 GError     **error)
{
  const char *sql = strcmp (field, "active") == 0
                    ? "UPDATE staff SET active = ?2 WHERE id = ?1"
                    : "UPDATE staff SET password_hash = ?2 WHERE id = ?1";
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    sqlite3_bind_text (stmt, 2, json_node_get_string (value), -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 2, json_node_get_int (value));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      goto fail;
    }
  g_clear_pointer (&stmt, _payam_stmt_done);
  if (!_payam_store_append_op (self, "staff", id, field, value, error) ||
      !_payam_store_append_audit (self, action, "staff", id, NULL, error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  g_clear_pointer (&stmt, _payam_stmt_done);
  _payam_store_tx_rollback (self);
  return FALSE;
}

static gboolean
set_staff_active (PayamStore  *self,
                  const char  *name,
                  gboolean     active,
                  GError     **error)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) value = NULL;

  if (!may_manage_staff (self, error) || !find_staff (self, name, &id, NULL, NULL, error))
    return FALSE;
  if (id == NULL)
    return no_such_staff (error);
  if (!active && g_strcmp0 (id, self->member) == 0)
    return _payam_store_invalid (error, _("You cannot disable your own account; ask another "
                                          "supervisor."));
  value = json_node_init_int (json_node_alloc (), active ? 1 : 0);
  return set_staff_field (self, id, "active", value, active ? "staff-enable" : "staff-disable",
                          error);
}

gboolean
payam_store_disable_staff (PayamStore  *self,
                           const char  *name,
                           GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  return set_staff_active (self, name, FALSE, error);
}

gboolean
payam_store_enable_staff (PayamStore  *self,
                          const char  *name,
                          GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  return set_staff_active (self, name, TRUE, error);
}

gboolean
payam_store_set_staff_password (PayamStore  *self,
                                const char  *name,
                                const char  *old_password,
                                const char  *password,
                                GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *old_hash = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    return _payam_store_invalid (error, _("The password contains invalid characters."));
  if (!find_staff (self, name, &id, &old_hash, NULL, error))
    return FALSE;
  if (id == NULL)
    return no_such_staff (error);
  if (self->member != NULL && strcmp (id, self->member) == 0)
    {
      /* Your own account: anyone may, knowing the password it has now. */
      if (old_password == NULL || old_hash == NULL ||
          !payam_secret_verify (old_hash, old_password))
        return _payam_store_invalid (error, _("The current password is wrong; type it "
                                              "again."));
    }
  else if (!may_manage_staff (self, error))
    return FALSE;
  if (!payam_secret_check_password (password, error) ||
      (hash = payam_secret_hash (password, error)) == NULL)
    return FALSE;
  value = json_node_init_string (json_node_alloc (), hash);
  return set_staff_field (self, id, "password_hash", value, "staff-password", error);
}

PayamStaff *
payam_store_sign_in (PayamStore  *self,
                     const char  *name,
                     const char  *password,
                     GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(PayamStaff) staff = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *clean = _payam_strip_or_null (name);
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT id, name, supervisor, active,"
                                      " password_hash FROM staff WHERE role = 'office'"
                                      " AND name = :name", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":name", clean != NULL ? clean : "");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      staff = staff_from_row (stmt);
      hash = _payam_column_dup_text (stmt, 4);
    }
  else if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, _payam_stmt_done);

  if (staff == NULL || hash == NULL || password == NULL ||
      !payam_secret_verify (hash, password))
    {
      _payam_store_invalid (error, _("The name or the password is wrong."));
      return NULL;
    }
  if (!staff->active)
    {
      _payam_store_invalid (error, _("This account is disabled; ask a supervisor."));
      return NULL;
    }
  payam_store_set_actor (self, staff->id);
  _payam_store_set_member (self, staff->id);
  return g_steal_pointer (&staff);
}
