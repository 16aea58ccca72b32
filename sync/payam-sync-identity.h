/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office server's identity: its TLS certificate (made self-signed on first start) and
 * the office's key pair for sealing personal data. */
#pragma once

#include <gio/gio.h>

#include "payam-store.h"

G_BEGIN_DECLS

/* FALSE with PAYAM_SYNC_ERROR_TLS (a translated message naming glib-networking) when GIO
 * has no TLS backend. */
gboolean         payam_sync_identity_check_tls        (GError      **error);

/* Write a new self-signed certificate (ECDSA P-256, SHA-256, valid 10 years, for
 * @hostname and localhost) to @cert_path and its PKCS#8 key to @key_path (mode 0600).
 * Each file is written to a temporary name, synced and renamed. */
gboolean         payam_sync_identity_make_certificate (const char   *cert_path,
                                                       const char   *key_path,
                                                       const char   *hostname,
                                                       GError      **error);

/* The server's certificate: from @cert_file and @key_file when both are given, else
 * cert.pem and key.pem in @state_dir, made there first when missing (*@created then
 * TRUE). Refuses a key file that others may read. Caller owns the result. */
GTlsCertificate *payam_sync_identity_load_certificate (const char   *cert_file,
                                                       const char   *key_file,
                                                       const char   *state_dir,
                                                       gboolean     *created,
                                                       GError      **error);

/* The office's crypto_box public key (base64, caller owns it), from office.key in
 * @state_dir (mode 0600, made on first use). */
char            *payam_sync_identity_load_office_key  (const char   *state_dir,
                                                       GError      **error);
/* As payam_sync_identity_load_office_key(), and the key pair handed to @store
 * (payam_store_set_office_key) so that it opens the contacts kiosks seal to it. */
char            *payam_sync_identity_load_office_key_for (const char *state_dir,
                                                          PayamStore *store,
                                                          GError    **error);

G_END_DECLS
