/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Enrolled devices: one-time enrolment codes, credentials and revocation (server side), and
 * the enrolment a device keeps (device side). */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_DEVICE_ERROR (payam_device_error_quark ())

/* Why an enrolment or a credential was refused. Messages are translated. */
typedef enum {
  PAYAM_DEVICE_ERROR_CODE_UNKNOWN,       /* no such enrolment code */
  PAYAM_DEVICE_ERROR_CODE_USED,          /* the code has enrolled a device already */
  PAYAM_DEVICE_ERROR_CODE_EXPIRED,       /* the code's time is over */
  PAYAM_DEVICE_ERROR_ALREADY_ENROLLED,   /* this device id is enrolled (or is the server's) */
  PAYAM_DEVICE_ERROR_NO_PREFIX,          /* all 9,999 tracking-code prefixes are taken */
  PAYAM_DEVICE_ERROR_UNKNOWN_CREDENTIAL, /* no device has this credential */
  PAYAM_DEVICE_ERROR_REVOKED,            /* the device's credential was revoked */
} PayamDeviceError;

GQuark payam_device_error_quark (void);

/* A device enrolled at the server. Times are UTC ISO 8601 text as stored. */
typedef struct {
  char      *id;
  guint      prefix;
  PayamRole  role;
  char      *crew_id;      /* crew devices only, else NULL */
  char      *enrolled_at;
  char      *last_seen;    /* NULL before the first authenticated request */
  char      *revoked_at;   /* NULL while the device may sync */
} PayamDevice;

void         payam_device_free                   (PayamDevice       *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDevice, payam_device_free)

/* Server side. */

/* Remember a one-time enrolment code by the hash of its secret (the code itself is never
 * stored), for @role (a crew device needs the existing @crew_id; other roles none),
 * valid for @ttl_hours (1 … 720) from now. INVALID (translated) for a bad role/crew/ttl. */
gboolean     payam_store_add_enrol_code          (PayamStore        *self,
                                                  const char        *code_hash,
                                                  PayamRole          role,
                                                  const char        *crew_id,
                                                  guint              ttl_hours,
                                                  GError           **error);
/* Enrol the device @device_id with the code whose secret hashes to @code_hash: in one
 * transaction the code is marked used, the lowest free tracking-code prefix is taken and
 * the device row is written with @credential_hash. Returns the device (caller owns it) or
 * NULL with a PAYAM_DEVICE_ERROR (CODE_UNKNOWN, CODE_USED, CODE_EXPIRED, ALREADY_ENROLLED,
 * NO_PREFIX) or a store error; nothing changes on error. */
PayamDevice *payam_store_enrol_device            (PayamStore        *self,
                                                  const char        *code_hash,
                                                  const char        *device_id,
                                                  const char        *credential_hash,
                                                  GError           **error);
/* The device whose credential hashes to @credential_hash (caller owns it), its last_seen
 * moved to now (at most once a minute). UNKNOWN_CREDENTIAL or REVOKED otherwise. */
PayamDevice *payam_store_authenticate_device     (PayamStore        *self,
                                                  const char        *credential_hash,
                                                  GError           **error);
/* Every enrolled device by prefix; owns its elements. */
GPtrArray   *payam_store_list_devices            (PayamStore        *self,
                                                  GError           **error);
/* End @device_id's credential from now on (revoking twice keeps the first time).
 * PAYAM_STORE_ERROR_NOT_FOUND for an unknown device. */
gboolean     payam_store_revoke_device           (PayamStore        *self,
                                                  const char        *device_id,
                                                  GError           **error);
/* The SHA-256 (hex) of the server's TLS certificate, written by payam-server at start so
 * payamctl enrol-code can put its pin into codes. NULL with NOT_FOUND before the first
 * start. */
gboolean     payam_store_set_server_fingerprint  (PayamStore        *self,
                                                  const char        *fingerprint,
                                                  GError           **error);
char        *payam_store_dup_server_fingerprint  (PayamStore        *self,
                                                  GError           **error);

/* Device side. */

/* What a device received at enrolment. */
typedef struct {
  char      *server_url;         /* "https://host:port" */
  char      *fingerprint;        /* SHA-256 (hex) of the server certificate it pinned */
  char      *credential;         /* the bearer token */
  PayamRole  role;
  char      *crew_id;            /* or NULL */
  char      *office_public_key;  /* base64 of the office's crypto_box public key */
} PayamEnrolment;

void            payam_enrolment_free             (PayamEnrolment    *enrolment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamEnrolment, payam_enrolment_free)

/* What this device is for before it is enrolled (the app's mode): a kiosk not enrolled yet
 * refuses a citizen's phone or name, which it could not seal (issue #9 case 9). The
 * enrolment's role counts once there is one. */
gboolean        payam_store_set_device_role      (PayamStore            *self,
                                                  PayamRole              role,
                                                  GError               **error);
/* Keep @enrolment and take @prefix as the device's tracking-code prefix, in one
 * transaction (a later enrolment replaces an earlier one). On a kiosk, contacts still held
 * in clear (typed before it was a kiosk that seals) are sealed in the same transaction. */
gboolean        payam_store_save_enrolment       (PayamStore            *self,
                                                  const PayamEnrolment  *enrolment,
                                                  guint                  prefix,
                                                  GError               **error);
/* The saved enrolment (caller owns it), or NULL with NOT_FOUND when not enrolled. */
PayamEnrolment *payam_store_get_enrolment        (PayamStore            *self,
                                                  GError               **error);

G_END_DECLS
