/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Enrolment codes, credentials and certificate fingerprints: the secrets of device enrolment. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A code is base32 of 10 random bytes (the secret, 80 bits) followed by the first 16 bytes
 * of the server certificate's SHA-256 (the pin): 42 characters, shown in groups of 6
 * joined by '-'. Only the secret goes to the server, which keeps its SHA-256. */
#define PAYAM_SYNC_CODE_SECRET_BYTES 10
#define PAYAM_SYNC_CODE_PIN_BYTES    16

/* A new code for the server whose certificate has SHA-256 @fingerprint (64 hex digits,
 * colons allowed). Returns the code to show (caller owns it) and the hash to store in
 * @secret_hash; NULL with PAYAM_SYNC_ERROR_CODE when @fingerprint is not a SHA-256. */
char     *payam_sync_code_make          (const char       *fingerprint,
                                         char            **secret_hash,
                                         GError          **error);
/* Split a typed code (any case, with or without '-' and spaces) into its secret (base32,
 * for the enrol request; caller owns it) and its pin. PAYAM_SYNC_ERROR_CODE otherwise. */
gboolean  payam_sync_code_parse         (const char       *code,
                                         char            **secret,
                                         guint8            pin[PAYAM_SYNC_CODE_PIN_BYTES],
                                         GError          **error);
/* The stored hash of the secret part @secret (lower-case hex SHA-256 of its bytes), or NULL
 * when @secret is not base32 of PAYAM_SYNC_CODE_SECRET_BYTES bytes. */
char     *payam_sync_code_secret_hash   (const char       *secret);

/* SHA-256 of @certificate's DER form, 64 lower-case hex digits. Caller owns it. */
char     *payam_sync_fingerprint        (GTlsCertificate  *certificate);
/* @fingerprint as "AB:CD:…" for people to compare. Caller owns it. */
char     *payam_sync_fingerprint_format (const char       *fingerprint);
/* Whether the fingerprint (hex) starts with @pin. */
gboolean  payam_sync_fingerprint_matches (const char      *fingerprint,
                                          const guint8     pin[PAYAM_SYNC_CODE_PIN_BYTES]);

/* A new credential: 32 random bytes as unpadded base64url (43 characters). */
char     *payam_sync_token_new          (void);
/* The stored form of a credential: lower-case hex SHA-256 of its text (a high-entropy
 * token needs no slow hash). */
char     *payam_sync_token_hash         (const char       *token);

/* Fill @buffer from the kernel's random source (getrandom). */
void      payam_sync_random_bytes       (guint8           *buffer,
                                         gsize             length);

G_END_DECLS
