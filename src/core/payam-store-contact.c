/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's contact on the store (DESIGN §6, privacy): sealed on a kiosk, purged once the
 * server holds it, opened with the office key on the server. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-phone.h"
#include "payam-seal.h"
#include "payam-store-contact-private.h"
#include "payam-store-private.h"

/* As MAX_NAME_CHARS of payam-store-requests.c: a name the kiosk itself would accept. */
#define MAX_NAME_CHARS 100

/* The office key pair on the server's store, as object data: the store's struct is shared
 * by every store file, and only the server ever holds this. */
typedef struct {
  char *public_key;
  char *secret_key;
} OfficeKey;

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      /* volatile: a memset before free may otherwise be dropped by the compiler. */
      volatile char *p = text;

      while (*p != '\0')
        *p++ = '\0';
    }
  g_free (text);
}

static void
office_key_free (gpointer data)
{
  OfficeKey *key = data;

  g_free (key->public_key);
  wipe_string (key->secret_key);
  g_free (key);
}

static GQuark office_key_quark (void);
G_DEFINE_QUARK (payam-store-office-key, office_key)

/**
 * payam_store_set_office_key:
 *
 * See payam-store-contact.h.
 */
void
payam_store_set_office_key (PayamStore  *self,
                            const char  *public_key,
                            const char  *secret_key)
{
  OfficeKey *key = NULL;

  g_return_if_fail (PAYAM_IS_STORE (self));
  g_return_if_fail ((public_key == NULL) == (secret_key == NULL));

  if (public_key != NULL)
    {
      key = g_new0 (OfficeKey, 1);
      key->public_key = g_strdup (public_key);
      key->secret_key = g_strdup (secret_key);
    }
  g_object_set_qdata_full (G_OBJECT (self), office_key_quark (), key, office_key_free);
}

/* ---- the kiosk ------------------------------------------------------------------------ */

/* The office key this device seals to (*@key, caller owns it): set on a device enrolled as a
 * kiosk, NULL elsewhere; *@kiosk: the device is a kiosk, enrolled or declared so before its
 * enrolment (payam_store_set_device_role()). Read on every call rather than cached: an
 * enrolment saved through another connection (payamctl enrol while the kiosk runs) counts
 * from the next write on. */
static gboolean
sealing_key (PayamStore  *self,
             char       **key,
             gboolean    *kiosk,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT (SELECT value FROM meta WHERE key = 'sync_role'), "
    "(SELECT value FROM meta WHERE key = 'office_public_key'), "
    "(SELECT value FROM meta WHERE key = 'device_role')", error);
  const char *role, *value, *declared;
  int rc;

  *key = NULL;
  *kiosk = FALSE;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  role = (const char *) sqlite3_column_text (stmt, 0);
  value = (const char *) sqlite3_column_text (stmt, 1);
  declared = (const char *) sqlite3_column_text (stmt, 2);
  *kiosk = g_strcmp0 (role, "kiosk") == 0 || (role == NULL && g_strcmp0 (declared, "kiosk") == 0);
  if (g_strcmp0 (role, "kiosk") == 0 && value != NULL && *value != '\0')
    *key = g_strdup (value);
  return TRUE;
}

static GQuark secure_delete_quark (void);
G_DEFINE_QUARK (payam-store-secure-delete, secure_delete)

/* On a kiosk, SQLite overwrites what it deletes (a purged sealed contact) and zeroes the free
 * space of the pages it makes, rather than leaving old bytes there: freed memory that held
 * a contact the citizen typed, or the contact sealed until the purge. Once per connection;
 * a connection flag, so it may be set inside the transaction. */
static gboolean
secure_delete (PayamStore  *self,
               GError     **error)
{
  if (g_object_get_qdata (G_OBJECT (self), secure_delete_quark ()) != NULL)
    return TRUE;
  if (!_payam_store_exec_sql (self, "PRAGMA secure_delete = ON", error))
    return FALSE;
  g_object_set_qdata (G_OBJECT (self), secure_delete_quark (), GINT_TO_POINTER (1));
  return TRUE;
}

gboolean
_payam_store_contact_seal (PayamStore  *self,
                           char       **phone,
                           char       **name,
                           char       **sealed,
                           GError     **error)
{
  g_autofree char *key = NULL;
  gboolean kiosk;

  *sealed = NULL;
  if (*phone == NULL && *name == NULL)
    return TRUE;
  if (!sealing_key (self, &key, &kiosk, error))
    return FALSE;
  /* No clear contact ever waits on a kiosk (issue #9 case 9). */
  if (key == NULL && kiosk)
    return _payam_store_invalid (error, _("This device is not yet enrolled with the office, "
                                          "so it cannot keep a phone number or a name safely. "
                                          "Register the message without them; the office can "
                                          "enrol the device."));
  if (key == NULL)
    return TRUE;
  if (!secure_delete (self, error))
    return FALSE;

  *sealed = payam_seal_contact (key, *phone, *name, error);
  if (*sealed == NULL)
    return FALSE;
  g_clear_pointer (phone, wipe_string);
  g_clear_pointer (name, wipe_string);
  return TRUE;
}

gboolean
_payam_store_contact_may_edit (PayamStore  *self,
                               const char  *entity,
                               const char  *field,
                               GError     **error)
{
  g_autofree char *key = NULL;
  gboolean kiosk;

  if (strcmp (entity, "request") != 0 ||
      (strcmp (field, "phone") != 0 && strcmp (field, "name") != 0))
    return TRUE;
  if (!sealing_key (self, &key, &kiosk, error))
    return FALSE;
  if (kiosk)
    return _payam_store_invalid (error, _("On a kiosk, contact details are given only with a "
                                          "new message."));
  return TRUE;
}

gboolean
_payam_store_contact_keep_sealed (PayamStore  *self,
                                  const char  *request_id,
                                  const char  *sealed,
                                  GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "UPDATE request SET contact_sealed = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sealed, -1, SQLITE_STATIC);
  return _payam_store_step_done (self, stmt, error);
}

gboolean
_payam_store_contact_purge_acked (PayamStore  *self,
                                  gint64       through_seq,
                                  GError     **error)
{
  /* The outbox rows about to go name the requests; the request table is not scanned. */
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *key = NULL;
  gboolean kiosk;

  if (!sealing_key (self, &key, &kiosk, error) ||
      (key != NULL && !secure_delete (self, error)))
    return FALSE;
  stmt = _payam_store_prepare_cached (self,
    "UPDATE request SET contact_sealed = NULL WHERE contact_sealed IS NOT NULL AND id IN ("
    "SELECT row_id FROM outbox WHERE device_seq <= ?1 AND entity = 'request' "
    "AND field IS NULL)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, through_seq);
  return _payam_store_step_done (self, stmt, error);
}

/* Seal the contact of the new-row op of @request_id waiting in the outbox: "phone" and
 * "name" go, "contact_sealed" comes. */
static gboolean
seal_waiting_op (PayamStore  *self,
                 const char  *request_id,
                 const char  *sealed,
                 GError     **error)
{
  g_autoptr(PayamStmt) get = _payam_store_prepare_cached (self,
    "SELECT device_seq, value FROM outbox WHERE entity = 'request' AND row_id = ?1 "
    "AND field IS NULL", error);
  g_autoptr(PayamStmt) set = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gint64 seq;
  int rc;

  if (get == NULL)
    return FALSE;
  sqlite3_bind_text (get, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (get);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  seq = sqlite3_column_int64 (get, 0);
  node = json_from_string ((const char *) sqlite3_column_text (get, 1), NULL);
  sqlite3_reset (get);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  json_object_remove_member (json_node_get_object (node), "phone");
  json_object_remove_member (json_node_get_object (node), "name");
  json_object_set_string_member (json_node_get_object (node), "contact_sealed", sealed);
  text = json_to_string (node, FALSE);
  set = _payam_store_prepare_cached (self, "UPDATE outbox SET value = ?2 WHERE device_seq = ?1",
                                     error);
  if (set == NULL)
    return FALSE;
  sqlite3_bind_int64 (set, 1, seq);
  sqlite3_bind_text (set, 2, text, -1, SQLITE_STATIC);
  return _payam_store_step_done (self, set, error);
}

gboolean
_payam_store_contact_seal_waiting (PayamStore  *self,
                                   GError     **error)
{
  g_autoptr(PayamStmt) list = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  gboolean kiosk;
  int rc;

  if (!sealing_key (self, &key, &kiosk, error))
    return FALSE;
  if (key == NULL)
    return TRUE;
  if (!secure_delete (self, error))
    return FALSE;
  list = _payam_store_prepare_cached (self, "SELECT id FROM request WHERE phone IS NOT NULL "
                                      "OR name IS NOT NULL", error);
  if (list == NULL)
    return FALSE;
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (list, 0)));
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PayamStmt) get = _payam_store_prepare_cached (self, "SELECT phone, name FROM "
                                                              "request WHERE id = ?1", error);
      g_autoptr(PayamStmt) set = NULL;
      g_autofree char *sealed = NULL;
      char *phone, *name;

      if (get == NULL)
        return FALSE;
      sqlite3_bind_text (get, 1, ids->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (get) != SQLITE_ROW)
        return _payam_store_set_sql_error (self, sqlite3_errcode (self->db), error);
      phone = g_strdup ((const char *) sqlite3_column_text (get, 0));
      name = g_strdup ((const char *) sqlite3_column_text (get, 1));
      sqlite3_reset (get);
      sealed = payam_seal_contact (key, phone, name, error);
      wipe_string (phone);
      wipe_string (name);
      if (sealed == NULL)
        return FALSE;
      set = _payam_store_prepare_cached (self, "UPDATE request SET phone = NULL, name = NULL, "
                                         "contact_sealed = ?2 WHERE id = ?1", error);
      if (set == NULL)
        return FALSE;
      sqlite3_bind_text (set, 1, ids->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (set, 2, sealed, -1, SQLITE_STATIC);
      if (!_payam_store_step_done (self, set, error) ||
          !seal_waiting_op (self, ids->pdata[i], sealed, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the server ------------------------------------------------------------------------ */

/* Whether @object has @member with a value other than null. */
static gboolean
has_value (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

gboolean
_payam_store_contact_open_op (PayamStore     *self,
                              PayamRole       role,
                              const PayamOp  *op,
                              JsonNode       *value,
                              PayamOp       **opened,
                              JsonNode      **opened_value,
                              const char    **reason)
{
  OfficeKey *key;
  JsonObject *in, *out;
  JsonNode *sealed;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(JsonNode) node = NULL;
  PayamOp *copy;

  *opened = NULL;
  *opened_value = NULL;
  *reason = NULL;
  if (strcmp (op->entity, "request") != 0 || strcmp (op->field, "*") != 0 ||
      value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return TRUE;
  in = json_node_get_object (value);
  sealed = json_object_get_member (in, "contact_sealed");
  if (sealed == NULL || JSON_NODE_HOLDS_NULL (sealed))
    {
      /* A kiosk must seal: a contact in clear never enters the office this way. */
      if (role == PAYAM_ROLE_KIOSK && (has_value (in, "phone") || has_value (in, "name")))
        {
          *reason = "contact-not-sealed";
          return FALSE;
        }
      return TRUE;
    }
  if (has_value (in, "phone") || has_value (in, "name") || !JSON_NODE_HOLDS_VALUE (sealed) ||
      json_node_get_value_type (sealed) != G_TYPE_STRING)
    {
      *reason = "invalid-value";
      return FALSE;
    }

  key = g_object_get_qdata (G_OBJECT (self), office_key_quark ());
  if (key == NULL || !payam_seal_open (key->public_key, key->secret_key,
                                       json_node_get_string (sealed), &phone, &name, NULL))
    {
      *reason = "contact-unreadable";
      return FALSE;
    }
  /* The kiosk checked them, but the client is never trusted. */
  if ((phone != NULL && (normalized = payam_phone_normalize (phone, NULL)) == NULL) ||
      (name != NULL && g_utf8_strlen (name, -1) > MAX_NAME_CHARS))
    {
      *reason = "invalid-value";
      return FALSE;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  out = json_object_new ();
  json_node_take_object (node, out);
  {
    JsonObjectIter iter;
    const char *member;
    JsonNode *member_value;

    json_object_iter_init (&iter, in);
    while (json_object_iter_next (&iter, &member, &member_value))
      if (strcmp (member, "contact_sealed") != 0 && strcmp (member, "phone") != 0 &&
          strcmp (member, "name") != 0)
        json_object_set_member (out, member, json_node_copy (member_value));
  }
  if (normalized != NULL)
    json_object_set_string_member (out, "phone", normalized);
  if (name != NULL)
    json_object_set_string_member (out, "name", name);

  copy = payam_op_copy (op);
  g_free (copy->value);
  copy->value = _payam_json_to_string (node);
  *opened = copy;
  *opened_value = g_steal_pointer (&node);
  return TRUE;
}

/* ---- an Open311 filing's email (issue #15) -------------------------------------------- */

gboolean
payam_email_valid (const char *email)
{
  const char *at;

  if (email == NULL || !g_utf8_validate (email, -1, NULL) ||
      strlen (email) > PAYAM_SEAL_MAX_EMAIL)
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *c = email; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (g_unichar_isspace (ch) || g_unichar_iscntrl (ch))
        return FALSE;
    }
  return TRUE;
}

gboolean
payam_store_keep_email (PayamStore  *self,
                        const char  *request_id,
                        const char  *email,
                        GError     **error)
{
  OfficeKey *key;
  g_autofree char *sealed = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  if (!payam_email_valid (email))
    {
      _payam_store_invalid (error, _("The email is not an address: write it as name@domain, "
                                     "without spaces, at most 254 characters."));
      return FALSE;
    }
  key = g_object_get_qdata (G_OBJECT (self), office_key_quark ());
  if (key == NULL)
    {
      _payam_store_invalid (error, _("Only the office server keeps an email: it seals it "
                                     "with the office key."));
      return FALSE;
    }
  sealed = payam_seal_email (key->public_key, email, error);
  if (sealed == NULL)
    return FALSE;
  now = _payam_store_now (self);
  created = _payam_time_to_db (now);
  stmt = _payam_store_prepare_cached (self, "INSERT OR REPLACE INTO request_email (request_id,"
                                      " sealed, created_at) VALUES (:id, :sealed, :created)",
                                      error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":id", request_id);
  _payam_bind_text (stmt, ":sealed", sealed);
  _payam_bind_text (stmt, ":created", created);
  return _payam_store_step_done (self, stmt, error);
}

char *
payam_store_open_email (PayamStore  *self,
                        const char  *request_id,
                        GError     **error)
{
  OfficeKey *key;
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *sealed = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  key = g_object_get_qdata (G_OBJECT (self), office_key_quark ());
  if (key == NULL)
    {
      _payam_store_invalid (error, _("Only the office server keeps an email: it seals it "
                                     "with the office key."));
      return NULL;
    }
  stmt = _payam_store_prepare_cached (self, "SELECT sealed FROM request_email"
                                      " WHERE request_id = :id", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":id", request_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    sealed = _payam_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  if (sealed == NULL)
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                   _("No email was given with this request."));
      return NULL;
    }
  return payam_seal_open_email (key->public_key, key->secret_key, sealed, error);
}
