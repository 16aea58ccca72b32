/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore devices: enrolment codes, enrolment, credentials and revocation, and the
 * enrolment a device keeps in its meta table. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-store-contact-private.h"
#include "payam-store-devices.h"
#include "payam-store-private.h"
#include "payam-uuid.h"

G_DEFINE_QUARK (payam-device-error-quark, payam_device_error)

#define MAX_TTL_HOURS 720

static gboolean
step_done (PayamStore   *self,
           PayamStmt    *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

void
payam_device_free (PayamDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->crew_id);
  g_free (device->enrolled_at);
  g_free (device->last_seen);
  g_free (device->revoked_at);
  g_free (device);
}

void
payam_enrolment_free (PayamEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  g_free (enrolment->server_url);
  g_free (enrolment->fingerprint);
  if (enrolment->credential != NULL)
    memset (enrolment->credential, 0, strlen (enrolment->credential));
  g_free (enrolment->credential);
  g_free (enrolment->crew_id);
  g_free (enrolment->office_public_key);
  g_free (enrolment);
}

static char *
now_text (PayamStore *self)
{
  g_autoptr(GDateTime) now = _payam_store_now (self);

  return _payam_time_to_db (now);
}

#define DEVICE_COLUMNS "id, prefix, role, crew_id, enrolled_at, last_seen, revoked_at"

static PayamDevice *
device_from_row (PayamStmt *stmt)
{
  PayamDevice *device = g_new0 (PayamDevice, 1);

  device->id = _payam_column_dup_text (stmt, 0);
  device->prefix = (guint) sqlite3_column_int (stmt, 1);
  if (!payam_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &device->role))
    device->role = PAYAM_ROLE_KIOSK;  /* the CHECK constraint allows only the three roles */
  device->crew_id = _payam_column_dup_text (stmt, 3);
  device->enrolled_at = _payam_column_dup_text (stmt, 4);
  device->last_seen = _payam_column_dup_text (stmt, 5);
  device->revoked_at = _payam_column_dup_text (stmt, 6);
  return device;
}

static PayamDevice *
get_device (PayamStore  *self,
            const char  *column_sql,
            const char  *value,
            GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " DEVICE_COLUMNS " FROM device WHERE ",
                                      column_sql, " = ?1", NULL);
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return device_from_row (stmt);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  else
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("No such device."));
  return NULL;
}

static gboolean
crew_exists (PayamStore  *self,
             const char  *crew_id,
             gboolean    *out,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
                                                           "SELECT 1 FROM crew WHERE id = ?1",
                                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
payam_store_add_enrol_code (PayamStore  *self,
                            const char  *code_hash,
                            PayamRole    role,
                            const char  *crew_id,
                            guint        ttl_hours,
                            GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *now_db = NULL;
  g_autofree char *expires_db = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  gboolean exists = FALSE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (code_hash != NULL, FALSE);

  if (ttl_hours < 1 || ttl_hours > MAX_TTL_HOURS)
    return _payam_store_invalid (error, _("An enrolment code lasts from 1 to 720 hours."));
  if (role == PAYAM_ROLE_CREW && crew_id == NULL)
    return _payam_store_invalid (error, _("A crew device needs its crew: give --crew."));
  if (role != PAYAM_ROLE_CREW && crew_id != NULL)
    return _payam_store_invalid (error, _("Only a crew device belongs to a crew."));
  if (crew_id != NULL && !crew_exists (self, crew_id, &exists, error))
    return FALSE;
  if (crew_id != NULL && !exists)
    return _payam_store_invalid (error, _("There is no crew with this id."));

  now = _payam_store_now (self);
  expires = g_date_time_add_hours (now, (int) ttl_hours);
  now_db = _payam_time_to_db (now);
  expires_db = _payam_time_to_db (expires);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self,
                                      "INSERT INTO enrol_code (code_hash, role, crew_id, "
                                      "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                      error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, payam_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, crew_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now_db, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, expires_db, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error) ||
      !_payam_store_append_audit (self, "add-enrol-code", "device", payam_role_to_string (role),
                                  NULL, error) ||
      !_payam_store_tx_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

/* The lowest prefix in 1 … 9999 that no device and not the server itself has. */
static gboolean
free_prefix (PayamStore  *self,
             guint       *out,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (
    self,
    "WITH RECURSIVE n (p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM n WHERE p < 9999) "
    "SELECT p FROM n WHERE p != ?1 AND p NOT IN (SELECT prefix FROM device) LIMIT 1",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) self->device_prefix);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = (guint) sqlite3_column_int (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_NO_PREFIX,
                       _("Every tracking-code prefix is taken: revoke and remove old devices."));
  return FALSE;
}

/* Check the code inside the transaction: known, unused, not expired. Sets @role/@crew_id. */
static gboolean
check_code (PayamStore  *self,
            const char  *code_hash,
            const char  *now_db,
            PayamRole   *role,
            char       **crew_id,
            GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (
    self, "SELECT role, crew_id, expires_at, used_at FROM enrol_code WHERE code_hash = ?1",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_UNKNOWN,
                           _("This enrolment code is not known: check it, or make a new one."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    {
      g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_USED,
                           _("This enrolment code has been used already: make a new one."));
      return FALSE;
    }
  if (strcmp ((const char *) sqlite3_column_text (stmt, 2), now_db) <= 0)
    {
      g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_CODE_EXPIRED,
                           _("This enrolment code has expired: make a new one."));
      return FALSE;
    }
  payam_role_from_string ((const char *) sqlite3_column_text (stmt, 0), role);
  *crew_id = _payam_column_dup_text (stmt, 1);
  return TRUE;
}

PayamDevice *
payam_store_enrol_device (PayamStore  *self,
                          const char  *code_hash,
                          const char  *device_id,
                          const char  *credential_hash,
                          GError     **error)
{
  g_autofree char *now_db = NULL;
  g_autofree char *crew_id = NULL;
  g_autoptr(PayamStmt) insert = NULL;
  g_autoptr(PayamStmt) use = NULL;
  g_autoptr(PayamDevice) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  PayamRole role = PAYAM_ROLE_KIOSK;
  guint prefix = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (code_hash != NULL && device_id != NULL && credential_hash != NULL,
                        NULL);

  if (!payam_uuid7_is_valid (device_id))
    {
      _payam_store_invalid (error, _("The device id is not a valid identifier."));
      return NULL;
    }
  now_db = now_text (self);
  if (!_payam_store_tx_begin (self, error))
    return NULL;
  if (!check_code (self, code_hash, now_db, &role, &crew_id, error))
    goto fail;

  existing = get_device (self, "id", device_id, &local_error);
  if (existing != NULL || g_strcmp0 (device_id, self->device_id) == 0)
    {
      g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_ALREADY_ENROLLED,
                           _("This device is enrolled already."));
      goto fail;
    }
  if (!g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (!free_prefix (self, &prefix, error))
    goto fail;

  insert = _payam_store_prepare_cached (self,
                                        "INSERT INTO device (id, prefix, role, crew_id, "
                                        "enrolled_at, credential_hash) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_text (insert, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 2, (int) prefix);
  sqlite3_bind_text (insert, 3, payam_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, crew_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 5, now_db, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 6, credential_hash, -1, SQLITE_TRANSIENT);
  if (!step_done (self, insert, error))
    goto fail;

  use = _payam_store_prepare_cached (self, "UPDATE enrol_code SET used_at = ?2, device_id = ?3 "
                                           "WHERE code_hash = ?1", error);
  if (use == NULL)
    goto fail;
  sqlite3_bind_text (use, 1, code_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (use, 2, now_db, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (use, 3, device_id, -1, SQLITE_TRANSIENT);
  if (!step_done (self, use, error) ||
      !_payam_store_append_audit (self, "enrol-device", "device", device_id, NULL, error) ||
      !_payam_store_tx_commit (self, error))
    goto fail;

  return get_device (self, "id", device_id, error);

fail:
  _payam_store_tx_rollback (self);
  return NULL;
}

PayamDevice *
payam_store_authenticate_device (PayamStore  *self,
                                 const char  *credential_hash,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PayamDevice) device = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) minute_ago = NULL;
  g_autofree char *now_db = NULL;
  g_autofree char *minute_ago_db = NULL;
  g_autoptr(PayamStmt) seen = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (credential_hash != NULL, NULL);

  device = get_device (self, "credential_hash", credential_hash, &local_error);
  if (device == NULL)
    {
      if (g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
        g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_UNKNOWN_CREDENTIAL,
                             _("This device is not enrolled: enrol it with a new code."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (device->revoked_at != NULL)
    {
      g_set_error_literal (error, PAYAM_DEVICE_ERROR, PAYAM_DEVICE_ERROR_REVOKED,
                           _("This device’s access has been revoked by the office."));
      return NULL;
    }

  /* last_seen at minute resolution: one write a minute per device, not one per request. */
  now = _payam_store_now (self);
  minute_ago = g_date_time_add_minutes (now, -1);
  now_db = _payam_time_to_db (now);
  minute_ago_db = _payam_time_to_db (minute_ago);
  if (device->last_seen == NULL || strcmp (device->last_seen, minute_ago_db) < 0)
    {
      seen = _payam_store_prepare_cached (self, "UPDATE device SET last_seen = ?2 WHERE id = ?1",
                                          error);
      if (seen == NULL)
        return NULL;
      sqlite3_bind_text (seen, 1, device->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (seen, 2, now_db, -1, SQLITE_TRANSIENT);
      if (!step_done (self, seen, error))
        return NULL;
      g_free (device->last_seen);
      device->last_seen = g_steal_pointer (&now_db);
    }
  return g_steal_pointer (&device);
}

GPtrArray *
payam_store_list_devices (PayamStore  *self,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT " DEVICE_COLUMNS " FROM device "
                                            "ORDER BY prefix", error);
  if (stmt == NULL)
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_device_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (devices, device_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&devices);
}

gboolean
payam_store_revoke_device (PayamStore  *self,
                           const char  *device_id,
                           GError     **error)
{
  g_autofree char *now_db = NULL;
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  now_db = now_text (self);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  stmt = _payam_store_prepare_cached (self, "UPDATE device SET revoked_at = "
                                            "coalesce (revoked_at, ?2) WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now_db, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("No such device."));
      goto fail;
    }
  if (!_payam_store_append_audit (self, "revoke-device", "device", device_id, NULL, error) ||
      !_payam_store_tx_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

/* ---------------------------------------------------------------- meta */

static char *
meta_get (PayamStore  *self,
          const char  *key,
          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_META_GET, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":key", key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _payam_column_dup_text (stmt, 0);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  else
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("This device is not enrolled."));
  return NULL;
}

static gboolean
meta_set (PayamStore  *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":key", key);
  _payam_bind_text (stmt, ":value", value);
  return _payam_store_step_done (self, stmt, error);
}

gboolean
payam_store_set_server_fingerprint (PayamStore  *self,
                                    const char  *fingerprint,
                                    GError     **error)
{
  g_autofree char *old = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  old = meta_get (self, "server_fingerprint", NULL);
  if (g_strcmp0 (old, fingerprint) == 0)
    return TRUE;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!meta_set (self, "server_fingerprint", fingerprint, error) ||
      !_payam_store_tx_commit (self, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return TRUE;
}

char *
payam_store_dup_server_fingerprint (PayamStore  *self,
                                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *fingerprint;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  fingerprint = meta_get (self, "server_fingerprint", &local_error);
  if (fingerprint != NULL)
    return fingerprint;
  if (g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("The server has not made its certificate yet: start payam-server "
                           "once on this database."));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Meta keys of a device's enrolment; "" stands for no crew. */
static const char *const enrolment_keys[] = {
  "sync_server_url", "sync_fingerprint", "sync_credential", "sync_role", "sync_crew_id",
  "office_public_key",
};

gboolean
payam_store_save_enrolment (PayamStore            *self,
                            const PayamEnrolment  *enrolment,
                            guint                  prefix,
                            GError               **error)
{
  const char *values[G_N_ELEMENTS (enrolment_keys)];

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (enrolment != NULL && enrolment->server_url != NULL &&
                        enrolment->fingerprint != NULL && enrolment->credential != NULL &&
                        enrolment->office_public_key != NULL, FALSE);

  values[0] = enrolment->server_url;
  values[1] = enrolment->fingerprint;
  values[2] = enrolment->credential;
  values[3] = payam_role_to_string (enrolment->role);
  values[4] = enrolment->crew_id != NULL ? enrolment->crew_id : "";
  values[5] = enrolment->office_public_key;

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (enrolment_keys); i++)
    if (!meta_set (self, enrolment_keys[i], values[i], error))
      goto fail;
  /* Contacts typed before a kiosk could seal them are sealed now, before the first push. */
  if (!payam_store_set_device_prefix (self, prefix, error) ||
      !_payam_store_contact_seal_waiting (self, error) ||
      !_payam_store_append_audit (self, "enrol", "device", self->device_id, NULL, error) ||
      !_payam_store_tx_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}

gboolean
payam_store_set_device_role (PayamStore  *self,
                             PayamRole    role,
                             GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!meta_set (self, "device_role", payam_role_to_string (role), error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  if (!_payam_store_tx_commit (self, error))
    return FALSE;
  self->device_role = role;
  return TRUE;
}

PayamEnrolment *
payam_store_get_enrolment (PayamStore  *self,
                           GError     **error)
{
  g_autoptr(PayamEnrolment) enrolment = g_new0 (PayamEnrolment, 1);
  char *values[G_N_ELEMENTS (enrolment_keys)] = { NULL, };
  gboolean ok = TRUE;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  for (guint i = 0; ok && i < G_N_ELEMENTS (enrolment_keys); i++)
    {
      values[i] = meta_get (self, enrolment_keys[i], error);
      ok = values[i] != NULL;
    }
  if (ok)
    {
      enrolment->server_url = g_steal_pointer (&values[0]);
      enrolment->fingerprint = g_steal_pointer (&values[1]);
      enrolment->credential = g_steal_pointer (&values[2]);
      ok = payam_role_from_string (values[3], &enrolment->role);
      if (*values[4] != '\0')
        enrolment->crew_id = g_steal_pointer (&values[4]);
      enrolment->office_public_key = g_steal_pointer (&values[5]);
      if (!ok)
        g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                             _("This device is not enrolled."));
    }
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_free (values[i]);
  return ok ? g_steal_pointer (&enrolment) : NULL;
}
