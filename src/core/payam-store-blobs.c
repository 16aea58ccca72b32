/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore blobs: resumable photo uploads kept as chunks in the database, then verified. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-photo.h"
#include "payam-store-blobs.h"
#include "payam-store-private.h"

/* Partial uploads are rows of blob_chunk rather than files: a chunk and the offset it moves
 * are then one SQLite transaction (durable by the WAL, no fsync of our own, no stray files
 * to sweep after a crash), and the server needs no state directory to take photos. Blobs
 * are at most PAYAM_PHOTO_MAX_BYTES, so reading the chunks back once to verify is cheap. */

G_DEFINE_QUARK (payam-store-blob-error-quark, payam_store_blob_error)

#define SQL_PHOTO_OF_CREW \
  "SELECT 1 FROM request_photo rp JOIN request r ON r.id = rp.request_id " \
  "JOIN worksheet w ON w.group_id = r.group_id WHERE rp.sha256 = ?1 AND w.crew_id = ?2 " \
  "UNION ALL SELECT 1 FROM worksheet_action_photo ap " \
  "JOIN worksheet_action a ON a.id = ap.action_id JOIN worksheet w ON w.id = a.worksheet_id " \
  "WHERE ap.sha256 = ?1 AND w.crew_id = ?2 LIMIT 1"

gboolean
payam_blob_name_is_valid (const char *sha256)
{
  if (sha256 == NULL)
    return FALSE;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
      return FALSE;
  return sha256[64] == '\0';
}

static gboolean
step_done (PayamStore  *self,
           PayamStmt    *stmt,
           GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

static gboolean
unknown_blob (GError **error)
{
  g_set_error_literal (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_UNKNOWN,
                       _("No photo with this checksum is known; send its record first."));
  return FALSE;
}

/* The photo row's state: UNKNOWN, MISSING or COMPLETE with *@size its bytes. */
static gboolean
photo_state (PayamStore      *self,
             const char      *sha256,
             PayamBlobState  *state,
             gint64          *size,
             GError         **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "SELECT bytes IS NOT NULL, length (bytes) "
      "FROM photo WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *state = PAYAM_BLOB_UNKNOWN;
      *size = 0;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *state = sqlite3_column_int (stmt, 0) ? PAYAM_BLOB_COMPLETE : PAYAM_BLOB_MISSING;
  *size = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* The partial upload: bytes received and the announced length (0, 0 when none). */
static gboolean
partial_state (PayamStore  *self,
               const char  *sha256,
               gint64      *received,
               gint64      *total,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "SELECT coalesce (sum (length (bytes)), 0), "
      "coalesce (max (total), 0) FROM blob_chunk "
      "WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *received = sqlite3_column_int64 (stmt, 0);
  *total = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
payam_store_blob_get_state (PayamStore      *self,
                            const char      *sha256,
                            PayamBlobState  *state,
                            gint64          *offset,
                            gint64          *length,
                            GError         **error)
{
  gint64 size = 0;
  gint64 received = 0;
  gint64 total = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (payam_blob_name_is_valid (sha256), FALSE);

  if (!photo_state (self, sha256, state, &size, error))
    return FALSE;
  if (*state == PAYAM_BLOB_MISSING && !partial_state (self, sha256, &received, &total, error))
    return FALSE;
  *offset = *state == PAYAM_BLOB_COMPLETE ? size : received;
  *length = *state == PAYAM_BLOB_COMPLETE ? size : total;
  return TRUE;
}

gboolean
payam_store_blob_dup_owner (PayamStore  *self,
                            const char  *sha256,
                            char       **device_id,
                            GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  *device_id = NULL;
  stmt = _payam_store_prepare_cached (self,
      "SELECT device_id FROM blob_owner WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* @device_id owns the upload of @sha256, or takes it when nobody does. OWNER otherwise. */
static gboolean
claim_upload (PayamStore  *self,
              const char  *device_id,
              const char  *sha256,
              GError     **error)
{
  g_autofree char *owner = NULL;
  g_autoptr(PayamStmt) insert = NULL;

  if (!payam_store_blob_dup_owner (self, sha256, &owner, error))
    return FALSE;
  if (owner != NULL)
    {
      if (g_strcmp0 (owner, device_id) == 0)
        return TRUE;
      g_set_error_literal (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_OWNER,
                           _("Another device is sending this photo."));
      return FALSE;
    }
  insert = _payam_store_prepare_cached (self,
      "INSERT INTO blob_owner (sha256, device_id) VALUES (?1, ?2)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, device_id, -1, SQLITE_STATIC);
  return step_done (self, insert, error);
}

static gboolean
drop_chunks (PayamStore  *self,
             const char  *sha256,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "DELETE FROM blob_chunk WHERE sha256 = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

/* The chunks of @sha256 joined in offset order. */
static GBytes *
join_chunks (PayamStore  *self,
             const char  *sha256,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "SELECT bytes FROM blob_chunk WHERE sha256 = ?1 "
      "ORDER BY at", error);
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_byte_array_append (joined, sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&joined));
}

/* The verified bytes of a photo that arrived by sync land here (uploads on the server,
 * downloads on a device). Its record carried no perceptual hash: compute it from the
 * bytes (payam_photo_dhash_bytes()) so duplicate detection compares its photos as it does
 * those imported here; a hash already stored is kept, undecodable bytes leave it NULL. */
static gboolean
store_bytes (PayamStore  *self,
             const char  *sha256,
             GBytes      *bytes,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "UPDATE photo SET bytes = ?2, dhash = coalesce(dhash, ?3) "
      "WHERE sha256 = ?1 AND bytes IS NULL", error);
  gsize size = 0;
  const void *data = g_bytes_get_data (bytes, &size);
  guint64 dhash = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 2, data != NULL ? data : "", size, SQLITE_STATIC);
  if (payam_photo_dhash_bytes (bytes, &dhash))
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) dhash);
  else
    sqlite3_bind_null (stmt, 3);
  return step_done (self, stmt, error);
}

static gboolean
checksum_mismatch (GError **error)
{
  g_set_error_literal (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_CHECKSUM,
                       _("The photo’s bytes do not match its checksum; send it again."));
  return FALSE;
}

/* The body of payam_store_blob_append inside its transaction. *@drop is set when the
 * transaction must still commit (the partial upload was dropped) though an error is set. */
static gboolean
append_in_tx (PayamStore  *self,
              const char  *device_id,
              const char  *sha256,
              gint64       offset,
              gint64       length,
              GBytes      *chunk,
              gint64      *new_offset,
              gboolean    *complete,
              gboolean    *drop,
              GError     **error)
{
  PayamBlobState state;
  gint64 size = 0;
  gint64 received = 0;
  gint64 total = 0;
  gsize chunk_size = g_bytes_get_size (chunk);
  g_autoptr(PayamStmt) insert = NULL;
  g_autoptr(GBytes) joined = NULL;
  g_autofree char *actual = NULL;

  if (!photo_state (self, sha256, &state, &size, error))
    return FALSE;
  if (state == PAYAM_BLOB_UNKNOWN)
    return unknown_blob (error);
  if (!claim_upload (self, device_id, sha256, error))
    return FALSE;
  if (state == PAYAM_BLOB_COMPLETE)
    {
      *new_offset = size;
      g_set_error_literal (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_OFFSET,
                           _("The server already holds this photo."));
      return FALSE;
    }
  if (!partial_state (self, sha256, &received, &total, error))
    return FALSE;
  *new_offset = received;
  if (offset != received)
    {
      /* Translators: %s is a number of bytes, the offset the upload must continue from. */
      g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, received);

      g_set_error (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_OFFSET,
                   _("The upload continues from byte %s."), at);
      return FALSE;
    }
  if (total == 0)
    total = length;
  if (total <= 0 || total > PAYAM_PHOTO_MAX_BYTES || (length > 0 && length != total) ||
      received + (gint64) chunk_size > total || chunk_size == 0)
    {
      g_set_error_literal (error, PAYAM_STORE_BLOB_ERROR, PAYAM_STORE_BLOB_ERROR_LENGTH,
                           _("The photo’s length is missing, changed or exceeded."));
      return FALSE;
    }

  insert = _payam_store_prepare_cached (self,
      "INSERT INTO blob_chunk (sha256, at, total, bytes) VALUES (?1, ?2, ?3, ?4)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, offset);
  sqlite3_bind_int64 (insert, 3, total);
  sqlite3_bind_blob64 (insert, 4, g_bytes_get_data (chunk, NULL), chunk_size, SQLITE_STATIC);
  if (!step_done (self, insert, error))
    return FALSE;
  received += chunk_size;
  *new_offset = received;
  if (received < total)
    return TRUE;

  joined = join_chunks (self, sha256, error);
  if (joined == NULL || !drop_chunks (self, sha256, error))
    return FALSE;
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, joined);
  if (!g_str_equal (actual, sha256))
    {
      *new_offset = 0;
      *drop = TRUE;
      return checksum_mismatch (error);
    }
  if (!store_bytes (self, sha256, joined, error))
    return FALSE;
  *complete = TRUE;
  return TRUE;
}

gboolean
payam_store_blob_append (PayamStore  *self,
                         const char  *device_id,
                         const char  *sha256,
                         gint64       offset,
                         gint64       length,
                         GBytes      *chunk,
                         gint64      *new_offset,
                         gboolean    *complete,
                         GError     **error)
{
  gboolean drop = FALSE;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (payam_blob_name_is_valid (sha256), FALSE);
  g_return_val_if_fail (chunk != NULL && new_offset != NULL && complete != NULL, FALSE);

  *complete = FALSE;
  *new_offset = 0;
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (append_in_tx (self, device_id, sha256, offset, length, chunk, new_offset, complete, &drop,
                    &local_error))
    return _payam_store_tx_commit (self, error);
  if (drop && _payam_store_tx_commit (self, NULL))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  _payam_store_tx_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
payam_store_blob_may_read (PayamStore  *self,
                           const char  *sha256,
                           PayamRole    role,
                           const char  *crew_id,
                           gboolean    *allowed,
                           GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && allowed != NULL, FALSE);

  *allowed = FALSE;
  switch (role)
    {
    case PAYAM_ROLE_OFFICE:
      *allowed = TRUE;
      return TRUE;
    case PAYAM_ROLE_KIOSK:
      return TRUE;
    case PAYAM_ROLE_CREW:
      break;
    default:
      return TRUE;
    }
  if (crew_id == NULL)
    return TRUE;
  stmt = _payam_store_prepare_cached (self, SQL_PHOTO_OF_CREW, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, crew_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *allowed = rc == SQLITE_ROW;
  return TRUE;
}

static GStrv
list_hashes (PayamStore  *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

GStrv
payam_store_blob_list_unsent (PayamStore  *self,
                              GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  return list_hashes (self, "SELECT p.sha256 FROM photo p WHERE p.bytes IS NOT NULL AND "
                      "NOT EXISTS (SELECT 1 FROM blob_sent s WHERE s.sha256 = p.sha256) "
                      "ORDER BY p.created_at, p.sha256", error);
}

GStrv
payam_store_blob_list_missing (PayamStore  *self,
                               GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  return list_hashes (self, "SELECT sha256 FROM photo WHERE bytes IS NULL "
                      "ORDER BY created_at, sha256", error);
}

static gboolean
mark_sent (PayamStore  *self,
           const char  *sha256,
           GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
      "INSERT OR IGNORE INTO blob_sent (sha256) "
      "SELECT sha256 FROM photo WHERE sha256 = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      PayamBlobState state;
      gint64 size;

      if (!photo_state (self, sha256, &state, &size, error))
        return FALSE;
      if (state == PAYAM_BLOB_UNKNOWN)
        return unknown_blob (error);
    }
  return TRUE;
}

gboolean
payam_store_blob_mark_sent (PayamStore  *self,
                            const char  *sha256,
                            GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (payam_blob_name_is_valid (sha256), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!mark_sent (self, sha256, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

gboolean
payam_store_blob_set_bytes (PayamStore  *self,
                            const char  *sha256,
                            GBytes      *bytes,
                            GError     **error)
{
  g_autofree char *actual = NULL;
  PayamBlobState state;
  gint64 size;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (payam_blob_name_is_valid (sha256), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (!g_str_equal (actual, sha256))
    return checksum_mismatch (error);
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!photo_state (self, sha256, &state, &size, error) ||
      (state == PAYAM_BLOB_UNKNOWN && !unknown_blob (error)) ||
      !store_bytes (self, sha256, bytes, error) || !mark_sent (self, sha256, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}
