/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's contact sealed to the office's public key with libsodium's crypto_box_seal:
 * the one place in core that uses libsodium (see README, dependencies). */
#define G_LOG_DOMAIN "payam-seal"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "payam-seal.h"

/* A contact is a phone (at most 16 characters) and a name (at most 100): the JSON of the
 * largest, every character escaped, stays far below this. */
#define MAX_PLAIN 4096

G_DEFINE_QUARK (payam-seal-error-quark, payam_seal_error)

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_CRYPTO,
                           _("The cryptography library could not start."));
      return FALSE;
    }
  return TRUE;
}

/* Decode base64 @text into @out, which must come out exactly @size bytes long. */
static gboolean
decode_key (const char  *text,
            guint8      *out,
            gsize        size,
            GError     **error)
{
  size_t length = 0;

  if (text == NULL ||
      sodium_base642bin (out, size, text, strlen (text), NULL, &length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != size)
    {
      sodium_memzero (out, size);
      g_set_error_literal (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_KEY,
                           _("The office key of this device is damaged: enrol it again."));
      return FALSE;
    }
  return TRUE;
}

/* The contact as compact JSON, in memory that the caller wipes. */
static char *
contact_to_json (const char *phone,
                 const char *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (phone != NULL)
    {
      json_builder_set_member_name (builder, "phone");
      json_builder_add_string_value (builder, phone);
    }
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * payam_seal_contact:
 *
 * See payam-seal.h. The plain JSON lives only in memory wiped before returning.
 */
/* Seal @plain (wiped here) to @public_key: base64 of the box, caller owns it. */
static char *
seal_plain (const char  *public_key,
            char        *plain,
            GError     **error)
{
  guint8 key[crypto_box_PUBLICKEYBYTES];
  g_autofree guint8 *box = NULL;
  gsize plain_length = strlen (plain), box_length;
  char *encoded;

  if (!ensure_sodium (error) || !decode_key (public_key, key, sizeof key, error))
    {
      sodium_memzero (plain, plain_length);
      return NULL;
    }
  box_length = plain_length + crypto_box_SEALBYTES;
  box = g_malloc (box_length);
  if (crypto_box_seal (box, (const guint8 *) plain, plain_length, key) != 0)
    {
      sodium_memzero (plain, plain_length);
      g_set_error_literal (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_KEY,
                           _("The office key of this device is damaged: enrol it again."));
      return NULL;
    }
  sodium_memzero (plain, plain_length);
  encoded = g_malloc (sodium_base64_ENCODED_LEN (box_length, sodium_base64_VARIANT_ORIGINAL));
  sodium_bin2base64 (encoded, sodium_base64_ENCODED_LEN (box_length,
                                                         sodium_base64_VARIANT_ORIGINAL),
                     box, box_length, sodium_base64_VARIANT_ORIGINAL);
  return encoded;
}

char *
payam_seal_contact (const char  *public_key,
                    const char  *phone,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *plain = NULL;

  g_return_val_if_fail (phone != NULL || name != NULL, NULL);

  plain = contact_to_json (phone, name);
  return seal_plain (public_key, plain, error);
}

char *
payam_seal_email (const char  *public_key,
                  const char  *email,
                  GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *plain = NULL;

  g_return_val_if_fail (email != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  plain = json_to_string (root, FALSE);
  return seal_plain (public_key, plain, error);
}

static gboolean
open_failed (GError **error)
{
  g_set_error_literal (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_OPEN,
                       _("The sealed contact details cannot be opened with the office key."));
  return FALSE;
}

/* The string member @name of @object: TRUE with *@out NULL when absent, FALSE when it is
 * there but not a non-empty string. */
static gboolean
string_member (JsonObject  *object,
               const char  *name,
               char       **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return FALSE;
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * payam_seal_open:
 *
 * See payam-seal.h. The opened JSON is wiped before returning. A contact must be an object
 * with a "phone" and/or a "name" string member and nothing else.
 */
/* The JSON object sealed in @sealed, opened with the key pair (caller owns the parser);
 * NULL with KEY or OPEN. */
static JsonParser *
open_object (const char  *public_key,
             const char  *secret_key,
             const char  *sealed,
             GError     **error)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES];
  guint8 sk[crypto_box_SECRETKEYBYTES];
  g_autofree guint8 *box = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonParser) parser = NULL;
  size_t box_length = 0;
  size_t max_box;
  gboolean ok;

  if (!ensure_sodium (error))
    return NULL;
  if (!decode_key (public_key, pk, sizeof pk, error))
    return NULL;
  if (!decode_key (secret_key, sk, sizeof sk, error))
    return NULL;

  max_box = MAX_PLAIN + crypto_box_SEALBYTES;
  box = g_malloc (max_box);
  if (sealed == NULL ||
      sodium_base642bin (box, max_box, sealed, strlen (sealed), NULL, &box_length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      box_length <= crypto_box_SEALBYTES)
    {
      sodium_memzero (sk, sizeof sk);
      open_failed (error);
      return NULL;
    }
  plain = g_malloc0 (box_length - crypto_box_SEALBYTES + 1);
  ok = crypto_box_seal_open ((guint8 *) plain, box, box_length, pk, sk) == 0;
  sodium_memzero (sk, sizeof sk);
  if (!ok)
    {
      open_failed (error);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  ok = g_utf8_validate (plain, -1, NULL) && json_parser_load_from_data (parser, plain, -1, NULL) &&
       JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
  sodium_memzero (plain, box_length - crypto_box_SEALBYTES);
  if (!ok)
    {
      open_failed (error);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/**
 * payam_seal_open:
 *
 * See payam-seal.h. The opened JSON is wiped before returning. A contact must be an object
 * with a "phone" and/or a "name" string member and nothing else.
 */
gboolean
payam_seal_open (const char  *public_key,
                 const char  *secret_key,
                 const char  *sealed,
                 char       **phone,
                 char       **name,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *out_phone = NULL;
  g_autofree char *out_name = NULL;
  JsonObject *object;

  g_return_val_if_fail (phone != NULL && name != NULL, FALSE);

  parser = open_object (public_key, secret_key, sealed, error);
  if (parser == NULL)
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!string_member (object, "phone", &out_phone) ||
      !string_member (object, "name", &out_name) ||
      (out_phone == NULL && out_name == NULL) ||
      json_object_get_size (object) != (out_phone != NULL) + (guint) (out_name != NULL))
    return open_failed (error);

  *phone = g_steal_pointer (&out_phone);
  *name = g_steal_pointer (&out_name);
  return TRUE;
}

char *
payam_seal_open_email (const char  *public_key,
                       const char  *secret_key,
                       const char  *sealed,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = open_object (public_key, secret_key, sealed, error);
  g_autofree char *email = NULL;
  JsonObject *object;

  if (parser == NULL)
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!string_member (object, "email", &email) || email == NULL ||
      json_object_get_size (object) != 1)
    {
      open_failed (error);
      return NULL;
    }
  return g_steal_pointer (&email);
}
