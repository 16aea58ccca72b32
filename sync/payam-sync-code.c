/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Enrolment codes (base32 secret + certificate pin), credentials and fingerprints. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "payam-sync-code.h"
#include "payam-sync-codec.h"

#define CODE_BYTES (PAYAM_SYNC_CODE_SECRET_BYTES + PAYAM_SYNC_CODE_PIN_BYTES)
#define CODE_CHARS ((CODE_BYTES * 8 + 4) / 5)
#define SECRET_CHARS ((PAYAM_SYNC_CODE_SECRET_BYTES * 8 + 4) / 5)
#define GROUP 6

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void
payam_sync_random_bytes (guint8 *buffer,
                         gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      /* getrandom only fails on a kernel without it (before 3.17): nothing safe to do. */
      if (n < 0)
        g_error ("getrandom: %s", g_strerror (errno));
      done += (gsize) n;
    }
}

static char *
base32_encode (const guint8 *data,
               gsize         length)
{
  GString *out = g_string_sized_new ((length * 8 + 4) / 5);
  guint buffer = 0;
  int bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

/* Decode exactly @length bytes from @text (upper-case base32 of exactly the right width,
 * unused trailing bits zero). */
static gboolean
base32_decode (const char *text,
               guint8     *out,
               gsize       length)
{
  gsize chars = (length * 8 + 4) / 5;
  guint buffer = 0;
  int bits = 0;
  gsize n = 0;

  if (strlen (text) != chars)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *at = *p != '\0' ? strchr (base32_alphabet, *p) : NULL;

      if (at == NULL)
        return FALSE;
      buffer = (buffer << 5) | (guint) (at - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          out[n++] = (guint8) (buffer >> (bits - 8));
          bits -= 8;
        }
      buffer &= (1u << bits) - 1;
    }
  return n == length && buffer == 0;
}

static char *
sha256_hex (const guint8 *data,
            gsize         length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

/* @fingerprint (hex, colons allowed, any case) into 32 bytes. */
static gboolean
fingerprint_bytes (const char *fingerprint,
                   guint8      out[32])
{
  gsize n = 0;

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]) || n == 32)
        return FALSE;
      out[n++] = (guint8) (g_ascii_xdigit_value (p[0]) * 16 + g_ascii_xdigit_value (p[1]));
      p++;
    }
  return n == 32;
}

char *
payam_sync_code_make (const char  *fingerprint,
                      char       **secret_hash,
                      GError     **error)
{
  guint8 raw[CODE_BYTES];
  guint8 digest[32];
  g_autofree char *plain = NULL;
  GString *code;

  g_return_val_if_fail (fingerprint != NULL && secret_hash != NULL, NULL);

  if (!fingerprint_bytes (fingerprint, digest))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_CODE,
                           _("The server’s certificate fingerprint is not a SHA-256 digest."));
      return NULL;
    }
  payam_sync_random_bytes (raw, PAYAM_SYNC_CODE_SECRET_BYTES);
  memcpy (raw + PAYAM_SYNC_CODE_SECRET_BYTES, digest, PAYAM_SYNC_CODE_PIN_BYTES);
  plain = base32_encode (raw, CODE_BYTES);
  *secret_hash = sha256_hex (raw, PAYAM_SYNC_CODE_SECRET_BYTES);
  memset (raw, 0, sizeof raw);

  code = g_string_new (NULL);
  for (gsize i = 0; plain[i] != '\0'; i++)
    {
      if (i > 0 && i % GROUP == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, plain[i]);
    }
  memset (plain, 0, strlen (plain));
  return g_string_free (code, FALSE);
}

gboolean
payam_sync_code_parse (const char  *code,
                       char       **secret,
                       guint8       pin[PAYAM_SYNC_CODE_PIN_BYTES],
                       GError     **error)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  guint8 raw[CODE_BYTES];

  g_return_val_if_fail (code != NULL && secret != NULL, FALSE);

  for (const char *p = code; *p != '\0' && plain->len <= CODE_CHARS; p++)
    if (*p != '-' && *p != ' ')
      g_string_append_c (plain, g_ascii_toupper (*p));
  if (!base32_decode (plain->str, raw, CODE_BYTES))
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_CODE,
                           _("The enrolment code is not valid; check that it was typed in full."));
      return FALSE;
    }
  *secret = base32_encode (raw, PAYAM_SYNC_CODE_SECRET_BYTES);
  memcpy (pin, raw + PAYAM_SYNC_CODE_SECRET_BYTES, PAYAM_SYNC_CODE_PIN_BYTES);
  memset (raw, 0, sizeof raw);
  return TRUE;
}

char *
payam_sync_code_secret_hash (const char *secret)
{
  guint8 raw[PAYAM_SYNC_CODE_SECRET_BYTES];
  char *hash;

  g_return_val_if_fail (secret != NULL, NULL);
  if (strlen (secret) != SECRET_CHARS ||
      !base32_decode (secret, raw, PAYAM_SYNC_CODE_SECRET_BYTES))
    return NULL;
  hash = sha256_hex (raw, sizeof raw);
  memset (raw, 0, sizeof raw);
  return hash;
}

char *
payam_sync_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_object_get (certificate, "certificate", &der, NULL);
  g_return_val_if_fail (der != NULL, NULL);
  return sha256_hex (der->data, der->len);
}

char *
payam_sync_fingerprint_format (const char *fingerprint)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (fingerprint != NULL, NULL);
  for (gsize i = 0; fingerprint[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (fingerprint[i]));
    }
  return g_string_free (out, FALSE);
}

gboolean
payam_sync_fingerprint_matches (const char   *fingerprint,
                                const guint8  pin[PAYAM_SYNC_CODE_PIN_BYTES])
{
  guint8 digest[32];

  g_return_val_if_fail (fingerprint != NULL, FALSE);
  return fingerprint_bytes (fingerprint, digest) &&
         memcmp (digest, pin, PAYAM_SYNC_CODE_PIN_BYTES) == 0;
}

char *
payam_sync_token_new (void)
{
  guint8 raw[32];
  char *token;

  payam_sync_random_bytes (raw, sizeof raw);
  token = g_base64_encode (raw, sizeof raw);
  memset (raw, 0, sizeof raw);
  /* base64url without padding, so the token needs no quoting in a header. */
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  *strchr (token, '=') = '\0';
  return token;
}

char *
payam_sync_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return sha256_hex ((const guint8 *) token, strlen (token));
}
