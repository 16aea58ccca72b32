/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 api keys on the office server's store: random, shown once, kept as BLAKE2b. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "payam-lifecycle.h"
#include "payam-store-open311.h"
#include "payam-store-private.h"

/* Bytes of randomness in a key: 256 bits, so a fast hash is as good as a slow one. */
#define KEY_BYTES 32

void
payam_open311_key_free (PayamOpen311Key *key)
{
  if (key == NULL)
    return;
  g_free (key->name);
  g_free (key->created_at);
  g_free (key);
}

/* The lowercase hex BLAKE2b-256 of @key (caller owns it). */
static char *
key_hash (const char *key)
{
  guchar digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (digest, sizeof digest, (const guchar *) key, strlen (key), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

char *
payam_store_add_open311_key (PayamStore  *self,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  guchar bytes[KEY_BYTES];
  char key[sodium_base64_ENCODED_LEN (KEY_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
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
      _payam_store_invalid (error, _("Write the name of the system that gets the key (at "
                                     "most 100 characters)."));
      return NULL;
    }
  if (sodium_init () < 0)
    {
      _payam_store_invalid (error, _("The random number generator could not start."));
      return NULL;
    }
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (key, sizeof key, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  hash = key_hash (key);
  now = _payam_store_now (self);
  created = _payam_time_to_db (now);

  stmt = _payam_store_prepare_cached (self, "INSERT INTO open311_key (name, key_hash,"
                                      " created_at) VALUES (:name, :hash, :created)", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":name", clean);
  _payam_bind_text (stmt, ":hash", hash);
  _payam_bind_text (stmt, ":created", created);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      _payam_store_invalid (error, _("A key of this name already exists; revoke it first or "
                                     "choose another name."));
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_strdup (key);
}

GPtrArray *
payam_store_list_open311_keys (PayamStore  *self,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) payam_open311_key_free);
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_prepare_cached (self, "SELECT name, created_at, revoked_at IS NOT NULL"
                                      " FROM open311_key ORDER BY created_at DESC, rowid DESC",
                                      error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamOpen311Key *key = g_new0 (PayamOpen311Key, 1);

      key->name = _payam_column_dup_text (stmt, 0);
      key->created_at = _payam_column_dup_text (stmt, 1);
      key->revoked = sqlite3_column_int (stmt, 2) != 0;
      g_ptr_array_add (out, key);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
payam_store_revoke_open311_key (PayamStore  *self,
                                const char  *name,
                                GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *clean = _payam_strip_or_null (name);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *revoked = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  now = _payam_store_now (self);
  revoked = _payam_time_to_db (now);
  stmt = _payam_store_prepare_cached (self, "UPDATE open311_key SET revoked_at = :at"
                                      " WHERE name = :name AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":at", revoked);
  _payam_bind_text (stmt, ":name", clean != NULL ? clean : "");
  if (!_payam_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                   _("There is no key of this name in use."));
      return FALSE;
    }
  return TRUE;
}

char *
payam_store_check_open311_key (PayamStore  *self,
                               const char  *key,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  if (key == NULL || *key == '\0' || strlen (key) > 200)
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                   _("This api_key is not valid."));
      return NULL;
    }
  hash = key_hash (key);
  stmt = _payam_store_prepare_cached (self, "SELECT name FROM open311_key WHERE key_hash ="
                                      " :hash AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":hash", hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      char *name = _payam_column_dup_text (stmt, 0);

      sqlite3_reset (stmt);
      return name;
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
               _("This api_key is not valid."));
  return NULL;
}

/* The open-work statuses (payam_status_is_open()) as a JSON list for json_each(). */
static char *
open_statuses_json (void)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (int status = 0; status < PAYAM_N_STATUSES; status++)
    if (payam_status_is_open ((PayamStatus) status))
      g_string_append_printf (out, "%s\"%s\"", out->len > 1 ? "," : "",
                              payam_status_to_string ((PayamStatus) status));
  g_string_append_c (out, ']');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A JSON list of @codes (NULL for NULL). */
static char *
codes_json (const char *const *codes)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (codes == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; codes[i] != NULL; i++)
    json_builder_add_string_value (builder, codes[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

GStrv
payam_store_list_open311_page (PayamStore       *self,
                               PayamOpen311Page *page,
                               GError          **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) out = NULL;
  g_autofree char *open = open_statuses_json ();
  g_autofree char *codes = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (page != NULL && page->limit > 0, NULL);

  codes = codes_json (page->service_codes);
  start = page->start != NULL ? _payam_time_to_db (page->start) : NULL;
  end = page->end != NULL ? _payam_time_to_db (page->end) : NULL;
  /* created_at is UTC text of one width: compared as text, read from the index backwards. */
  stmt = _payam_store_prepare_cached (
    self,
    "SELECT tracking_code FROM request INDEXED BY request_by_created"
    " WHERE (:start IS NULL OR created_at >= :start)"
    " AND (:end IS NULL OR created_at <= :end)"
    " AND (:codes IS NULL OR category_id IN (SELECT value FROM json_each (:codes)))"
    " AND (CASE WHEN status IN (SELECT value FROM json_each (:open))"
    "      THEN :want_open ELSE :want_closed END)"
    " ORDER BY created_at DESC, rowid DESC LIMIT :limit OFFSET :offset", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":start", start);
  _payam_bind_text (stmt, ":end", end);
  _payam_bind_text (stmt, ":codes", codes);
  _payam_bind_text (stmt, ":open", open);
  _payam_bind_int (stmt, ":want_open", page->want_open != FALSE);
  _payam_bind_int (stmt, ":want_closed", page->want_closed != FALSE);
  _payam_bind_int (stmt, ":limit", page->limit);
  _payam_bind_int (stmt, ":offset", page->offset);
  sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, TRUE);
  out = g_strv_builder_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (out, (const char *) sqlite3_column_text (stmt, 0));
  page->steps = sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, TRUE);
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (out);
}
