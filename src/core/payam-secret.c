/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PIN and password hashes with libsodium's crypto_pwhash_str (see payam-secret.h). */
#define G_LOG_DOMAIN "payam-secret"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "payam-format.h"
#include "payam-secret.h"
#include "payam-text.h"

#define PIN_MIN 4
#define PIN_MAX 8
#define PASSWORD_MIN 8

G_DEFINE_QUARK (payam-secret-error-quark, payam_secret_error)

char *
payam_secret_normalize_pin (const char  *typed,
                            GError     **error)
{
  g_autofree char *ascii = NULL;
  g_autoptr(GString) pin = g_string_new (NULL);

  g_return_val_if_fail (typed != NULL, NULL);

  ascii = payam_text_digits_to_ascii (typed);
  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (pin, *p);
      else if (!g_ascii_isspace (*p))
        {
          pin->len = 0;
          break;
        }
    }

  if (pin->len < PIN_MIN || pin->len > PIN_MAX)
    {
      g_autofree char *least = payam_format_integer (PIN_MIN);
      g_autofree char *most = payam_format_integer (PIN_MAX);

      /* Translators: the fewest and the most digits of a PIN (Persian digits). */
      g_set_error (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_PIN,
                   _("A PIN is %s to %s digits."), least, most);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&pin), FALSE);
}

gboolean
payam_secret_check_password (const char  *password,
                             GError     **error)
{
  g_return_val_if_fail (password != NULL, FALSE);

  if (g_utf8_strlen (password, -1) < PASSWORD_MIN)
    {
      g_autofree char *least = payam_format_integer (PASSWORD_MIN);

      /* Translators: the fewest characters of a password (Persian digits). */
      g_set_error (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_WEAK,
                   _("A password is at least %s characters."), least);
      return FALSE;
    }
  return TRUE;
}

char *
payam_secret_hash (const char  *secret,
                   GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (secret != NULL, NULL);

  if (sodium_init () < 0
      || crypto_pwhash_str (hash, secret, strlen (secret),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, PAYAM_SECRET_ERROR, PAYAM_SECRET_ERROR_CRYPTO,
                           _("The cryptography library could not start."));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
payam_secret_verify (const char *hash,
                     const char *secret)
{
  g_return_val_if_fail (secret != NULL, FALSE);

  if (hash == NULL || strlen (hash) >= crypto_pwhash_STRBYTES || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, secret, strlen (secret)) == 0;
}
