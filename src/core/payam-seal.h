/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealing a citizen's contact (phone and name) to the office's public key (libsodium). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAYAM_SEAL_ERROR (payam_seal_error_quark ())

typedef enum {
  PAYAM_SEAL_ERROR_KEY,     /* a key that is not base64 of a crypto_box key */
  PAYAM_SEAL_ERROR_OPEN,    /* the sealed value does not open with this key (wrong key, cut,
                             * changed) or holds no contact */
  PAYAM_SEAL_ERROR_CRYPTO,  /* libsodium could not start */
} PayamSealError;

GQuark payam_seal_error_quark (void);

/* Seal the contact {"phone": @phone, "name": @name} (either may be NULL, not both) to
 * @public_key (base64 of a crypto_box public key) with crypto_box_seal. Returns base64 of
 * the sealed box (caller owns it); only the holder of the matching secret key can open it.
 * NULL with KEY or CRYPTO. */
char     *payam_seal_contact (const char   *public_key,
                              const char   *phone,
                              const char   *name,
                              GError      **error);

/* Open @sealed (from payam_seal_contact) with the key pair @public_key and @secret_key
 * (base64). *@phone and *@name (caller owns them) are set, NULL where the contact had none.
 * FALSE with KEY for a bad key, OPEN for anything that does not open or holds no valid
 * contact; nothing is set on error. */
gboolean  payam_seal_open    (const char   *public_key,
                              const char   *secret_key,
                              const char   *sealed,
                              char        **phone,
                              char        **name,
                              GError      **error);

/* The longest email address kept (RFC 5321's path limit). */
#define PAYAM_SEAL_MAX_EMAIL 254

/* Seal {"email": @email} to @public_key the same way (caller owns the base64). NULL with KEY
 * or CRYPTO. */
char     *payam_seal_email      (const char   *public_key,
                                 const char   *email,
                                 GError      **error);
/* Open an email sealed by payam_seal_email() (caller owns it); NULL with KEY or OPEN (a
 * sealed contact is not an email). */
char     *payam_seal_open_email (const char   *public_key,
                                 const char   *secret_key,
                                 const char   *sealed,
                                 GError      **error);

G_END_DECLS
