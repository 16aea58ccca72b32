/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore photos: stored once by SHA-256, attached to requests, read back as bytes. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-photo.h"
#include "payam-store-private.h"

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return text[64] == '\0';
}

static gboolean
photo_not_found (GError **error)
{
  g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                       _("The photo was not found."));
  return FALSE;
}

static gboolean
add_photo_in_tx (PayamStore        *self,
                 const PayamPhoto  *photo,
                 GError           **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_PHOTO_INSERT, error);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = _payam_time_to_db (now);
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":sha256", photo->sha256);
  _payam_bind_text (stmt, ":mime", photo->mime);
  _payam_bind_int (stmt, ":width", photo->width);
  _payam_bind_int (stmt, ":height", photo->height);
  _payam_bind_blob (stmt, ":bytes", photo->bytes);
  _payam_bind_blob (stmt, ":thumbnail", photo->thumbnail);
  _payam_bind_text (stmt, ":created_at", created_at);
  _payam_bind_int (stmt, ":dhash", (gint64) photo->dhash);
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;

  /* Already stored: the same content, nothing new to sync. */
  if (sqlite3_changes (self->db) == 0)
    return TRUE;

  /* The op carries the metadata only; the bytes travel through /v1/blobs. */
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mime");
  json_builder_add_string_value (b, photo->mime);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, photo->width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, photo->height);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, g_bytes_get_size (photo->bytes));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  return _payam_store_append_op (self, "photo", photo->sha256, NULL, value, error) &&
         _payam_store_append_audit (self, "add-photo", "photo", photo->sha256, NULL, error);
}

/**
 * payam_store_add_photo:
 *
 * Store @photo once by its SHA-256 (INSERT OR IGNORE: adding the same photo again is a
 * no-op that writes no op). INVALID when the hash is malformed or does not match the
 * bytes, or the photo lacks bytes, type or size.
 */
gboolean
payam_store_add_photo (PayamStore        *self,
                       const PayamPhoto  *photo,
                       GError           **error)
{
  g_autofree char *actual = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (photo != NULL, FALSE);

  if (!is_sha256_hex (photo->sha256) || photo->bytes == NULL || photo->mime == NULL ||
      photo->width <= 0 || photo->height <= 0)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                           _("The photo is incomplete; import it again."));
      return FALSE;
    }
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->bytes);
  if (!g_str_equal (actual, photo->sha256))
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                           _("The photo is damaged (its checksum does not match); import it "
                             "again."));
      return FALSE;
    }

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!add_photo_in_tx (self, photo, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

static gboolean
photo_exists (PayamStore  *self,
              const char  *sha256,
              gboolean    *out,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_PHOTO_EXISTS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":sha256", sha256);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
attach_in_tx (PayamStore  *self,
              const char  *request_id,
              const char  *sha256,
              GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *attached_at = _payam_time_to_db (now);
  g_autofree char *row_id = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean exists = FALSE;

  if (request == NULL)
    return FALSE;
  if (!photo_exists (self, sha256, &exists, error))
    return FALSE;
  if (!exists)
    return photo_not_found (error);

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_REQUEST_PHOTO_INSERT, error);

    if (stmt == NULL)
      return FALSE;
    _payam_bind_text (stmt, ":request_id", request_id);
    _payam_bind_text (stmt, ":sha256", sha256);
    _payam_bind_text (stmt, ":attached_at", attached_at);
    if (!_payam_store_step_done (self, stmt, error))
      return FALSE;
  }
  if (sqlite3_changes (self->db) == 0)
    return TRUE;

  /* A grow-only set keyed by (request, photo). */
  row_id = g_strconcat (request_id, "/", sha256, NULL);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha256);
  json_builder_set_member_name (b, "attached_at");
  json_builder_add_string_value (b, attached_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  return _payam_store_append_op (self, "request_photo", row_id, NULL, value, error) &&
         _payam_store_append_audit (self, "attach-photo", "request", request_id, NULL, error);
}

/* Attach a stored photo to a request (idempotent). NOT_FOUND for an unknown request or
 * photo. */
gboolean
payam_store_attach_photo (PayamStore  *self,
                          const char  *request_id,
                          const char  *sha256,
                          GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!attach_in_tx (self, request_id, sha256, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

/* The photo's bytes (or its thumbnail), caller owns them; NOT_FOUND when not stored (or
 * when the blob has not arrived yet). */
GBytes *
payam_store_dup_photo_bytes (PayamStore  *self,
                             const char  *sha256,
                             gboolean     thumbnail,
                             GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  stmt = _payam_store_stmt (self, thumbnail ? STMT_PHOTO_THUMBNAIL : STMT_PHOTO_BYTES, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":sha256", sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      const void *data = sqlite3_column_blob (stmt, 0);
      int size = sqlite3_column_bytes (stmt, 0);

      return g_bytes_new (data, size);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  else
    photo_not_found (error);
  return NULL;
}

/* SHA-256s of the photos attached to @request_id in attachment order (possibly empty). */
GStrv
payam_store_list_request_photos (PayamStore  *self,
                                 const char  *request_id,
                                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  stmt = _payam_store_stmt (self, STMT_REQUEST_PHOTO_LIST, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":request_id", request_id);
  builder = g_strv_builder_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}
