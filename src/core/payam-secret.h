/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crew members' PINs and office staff's passwords, stored only as libsodium crypto_pwhash
 * strings (Argon2id with its salt and limits inside). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAYAM_SECRET_ERROR (payam_secret_error_quark ())

typedef enum {
  PAYAM_SECRET_ERROR_PIN,     /* a PIN that is not 4 to 8 digits */
  PAYAM_SECRET_ERROR_WEAK,    /* a password shorter than 8 characters */
  PAYAM_SECRET_ERROR_CRYPTO,  /* libsodium could not start or ran out of memory */
} PayamSecretError;

GQuark    payam_secret_error_quark  (void);

/* Normalise a PIN typed in any digit form (Persian, Arabic-Indic or Latin; spaces ignored)
 * to Latin digits. NULL with PIN when what is left is not 4 to 8 digits. */
char     *payam_secret_normalize_pin (const char  *typed,
                                      GError     **error);

/* TRUE when @password can be a staff password (8 characters or more); otherwise FALSE with
 * WEAK, a message saying what to fix. */
gboolean  payam_secret_check_password (const char  *password,
                                       GError     **error);

/* Hash @secret (a normalised PIN or a password, UTF-8) with crypto_pwhash_str at the
 * interactive limits. Returns the hash string (caller owns it), NULL with CRYPTO. */
char     *payam_secret_hash          (const char  *secret,
                                      GError     **error);

/* TRUE when @secret matches @hash (from payam_secret_hash). A malformed hash never matches. */
gboolean  payam_secret_verify        (const char  *hash,
                                      const char  *secret);

G_END_DECLS
