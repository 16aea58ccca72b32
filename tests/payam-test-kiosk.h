/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a store made an enrolled kiosk that seals contacts to a fresh office key. */
#pragma once

#include <string.h>

#include <sodium.h>

#include "payam-store-contact.h"
#include "payam-store-devices.h"

/* Save an enrolment (role kiosk, a new office public key, tracking-code @prefix) in
 * @kiosk, so it seals every contact it takes, and give the key pair to @server, which then
 * opens them when the kiosk's requests are pushed. Aborts on error. */
static inline void
payam_test_make_sealing_kiosk (PayamStore *kiosk,
                               guint       prefix,
                               PayamStore *server)
{
  g_autoptr(GError) error = NULL;
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  g_autofree char *public_key = NULL;
  g_autofree char *secret_key = NULL;
  PayamEnrolment enrolment = { 0, };

  g_assert (sodium_init () >= 0);
  crypto_box_keypair (pk, sk);
  public_key = g_base64_encode (pk, sizeof pk);
  secret_key = g_base64_encode (sk, sizeof sk);
  enrolment.server_url = (char *) "https://127.0.0.1:1";
  enrolment.fingerprint = (char *) "00000000000000000000000000000000"
                                   "00000000000000000000000000000000";
  enrolment.credential = (char *) "test-credential";
  enrolment.role = PAYAM_ROLE_KIOSK;
  enrolment.office_public_key = public_key;
  if (!payam_store_save_enrolment (kiosk, &enrolment, prefix, &error))
    g_error ("save enrolment: %s", error->message);
  payam_store_set_office_key (server, public_key, secret_key);
}
