/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office server's certificate (GnuTLS, self-signed on first start) and office key pair
 * (libsodium crypto_box), kept as private files in the state folder. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>

#include "payam-store-contact.h"
#include "payam-sync-code.h"
#include "payam-sync-codec.h"
#include "payam-sync-identity.h"

#define VALID_SECONDS (10 * 365 * 24 * 3600LL)

gboolean
payam_sync_identity_check_tls (GError **error)
{
  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;
  g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                       _("TLS is not available: install glib-networking (GIO’s TLS module). "
                         "The server speaks HTTPS only."));
  return FALSE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  /* Translators: the first %s is a file name, the second the system's reason. */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Write @data to @path with @mode: a temporary file in the same folder, synced, then
 * renamed over @path, so a crash leaves the old file or the new one. */
static gboolean
write_file (const char    *path,
            const guint8  *data,
            gsize          length,
            mode_t         mode,
            GError       **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  gsize done = 0;
  int fd;

  g_unlink (tmp);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0)
    return set_errno_error (error, errno, tmp);
  /* The umask must not widen or narrow what we asked for. */
  if (fchmod (fd, mode) != 0)
    goto fail;
  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto fail;
      done += (gsize) n;
    }
  if (fsync (fd) != 0)
    goto fail;
  if (close (fd) != 0)
    {
      fd = -1;
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp, path) != 0)
    goto fail;
  return TRUE;

fail:
  {
    int saved = errno;

    if (fd >= 0)
      close (fd);
    g_unlink (tmp);
    return set_errno_error (error, saved, path);
  }
}

static gboolean
gnutls_failed (int       rc,
               GError  **error)
{
  if (rc >= 0)
    return FALSE;
  /* Translators: %s is GnuTLS's reason. */
  g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
               _("Could not make the server certificate: %s"), gnutls_strerror (rc));
  return TRUE;
}

gboolean
payam_sync_identity_make_certificate (const char  *cert_path,
                                      const char  *key_path,
                                      const char  *hostname,
                                      GError     **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t crt_pem = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok = FALSE;

  g_return_val_if_fail (cert_path != NULL && key_path != NULL && hostname != NULL, FALSE);

  payam_sync_random_bytes (serial, sizeof serial);
  serial[0] &= 0x7f;  /* a positive serial */

  if (gnutls_failed (gnutls_x509_privkey_init (&key), error) ||
      gnutls_failed (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                                    GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                    0, NULL, 0), error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 3600), error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + VALID_SECONDS), error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    hostname, strlen (hostname)), error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, hostname,
                                                           strlen (hostname),
                                                           GNUTLS_FSAN_APPEND), error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                           strlen ("localhost"),
                                                           GNUTLS_FSAN_APPEND), error) ||
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                     error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), error) ||
      gnutls_failed (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &key_pem), error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), error))
    goto out;

  /* The key first: a certificate without its key would be useless at the next start. */
  ok = write_file (key_path, key_pem.data, key_pem.size, 0600, error) &&
       write_file (cert_path, crt_pem.data, crt_pem.size, 0644, error);

out:
  if (key_pem.data != NULL)
    {
      memset (key_pem.data, 0, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (crt_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

/* Refuse a secret file that group or others can read (or that is not a regular file). */
static gboolean
check_private (const char  *path,
               GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      /* Translators: the first %s is a file name, the second the system's reason. */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not read “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || (st.st_mode & 077) != 0)
    {
      /* Translators: %s is a file name; keep chmod 600 as it is. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The secret key “%s” may be read by others: run chmod 600 on it."), path);
      return FALSE;
    }
  return TRUE;
}

GTlsCertificate *
payam_sync_identity_load_certificate (const char  *cert_file,
                                      const char  *key_file,
                                      const char  *state_dir,
                                      gboolean    *created,
                                      GError     **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;

  *created = FALSE;
  if (cert_file != NULL && key_file != NULL)
    {
      cert_path = g_strdup (cert_file);
      key_path = g_strdup (key_file);
    }
  else
    {
      g_return_val_if_fail (state_dir != NULL, NULL);
      if (g_mkdir_with_parents (state_dir, 0700) != 0)
        {
          set_errno_error (error, errno, state_dir);
          return NULL;
        }
      cert_path = g_build_filename (state_dir, "cert.pem", NULL);
      key_path = g_build_filename (state_dir, "key.pem", NULL);
      if (!g_file_test (cert_path, G_FILE_TEST_EXISTS) ||
          !g_file_test (key_path, G_FILE_TEST_EXISTS))
        {
          if (!payam_sync_identity_make_certificate (cert_path, key_path, g_get_host_name (),
                                                     error))
            return NULL;
          *created = TRUE;
        }
    }
  if (!check_private (key_path, error))
    return NULL;
  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

/* The office's public key (base64), and in *@secret_text (when not NULL) the secret key as
 * the file holds it (base64; the caller wipes and frees it). */
static char *
load_office_key_pair (const char  *state_dir,
                      char       **secret_text,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (state_dir, "office.key", NULL);
  g_autofree char *text = NULL;
  g_autofree guint8 *secret = NULL;
  guint8 public_key[crypto_box_PUBLICKEYBYTES];
  gsize length = 0;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_TLS,
                           _("The cryptography library could not start."));
      return NULL;
    }
  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      set_errno_error (error, errno, state_dir);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      guint8 new_secret[crypto_box_SECRETKEYBYTES];
      g_autofree char *encoded = NULL;
      gboolean ok;

      crypto_box_keypair (public_key, new_secret);
      encoded = g_base64_encode (new_secret, sizeof new_secret);
      sodium_memzero (new_secret, sizeof new_secret);
      ok = write_file (path, (const guint8 *) encoded, strlen (encoded), 0600, error);
      sodium_memzero (encoded, strlen (encoded));
      if (!ok)
        return NULL;
    }
  if (!check_private (path, error) || !g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_strstrip (text);
  secret = g_base64_decode (text, &length);
  if (secret_text != NULL && length == crypto_box_SECRETKEYBYTES)
    *secret_text = g_strdup (text);
  sodium_memzero (text, strlen (text));
  if (length != crypto_box_SECRETKEYBYTES)
    {
      /* Translators: %s is a file name. */
      g_set_error (error, PAYAM_SYNC_ERROR, PAYAM_SYNC_ERROR_MALFORMED,
                   _("The office key “%s” is damaged."), path);
      return NULL;
    }
  crypto_scalarmult_base (public_key, secret);
  sodium_memzero (secret, length);
  return g_base64_encode (public_key, sizeof public_key);
}

char *
payam_sync_identity_load_office_key (const char  *state_dir,
                                     GError     **error)
{
  return load_office_key_pair (state_dir, NULL, error);
}

char *
payam_sync_identity_load_office_key_for (const char  *state_dir,
                                         PayamStore  *store,
                                         GError     **error)
{
  g_autofree char *secret = NULL;
  char *public_key = load_office_key_pair (state_dir, &secret, error);

  if (public_key == NULL)
    return NULL;
  payam_store_set_office_key (store, public_key, secret);
  sodium_memzero (secret, strlen (secret));
  return public_key;
}
