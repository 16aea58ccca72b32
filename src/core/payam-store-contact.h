/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's contact on the store: sealed on a kiosk, opened on the office server. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* Give the office server's @store the office key pair (base64 crypto_box keys, as
 * payam-server keeps them in its state folder), so that it opens the contacts kiosks seal
 * to @public_key when their requests are pushed. @secret_key is copied into memory that is
 * wiped when the store is finalized or the key replaced; NULL for both forgets the key.
 * Without a key, pushed sealed contacts are rejected ("contact-unreadable"). */
void payam_store_set_office_key (PayamStore  *self,
                                 const char  *public_key,
                                 const char  *secret_key);

/* On the office server (a store given the office key): keep @email, given with the request
 * @request_id, sealed to the office key (payam_seal_email()), never in clear, in no sync op
 * and no public answer. INVALID (translated) for an address that is not one (1 … 254
 * characters, one @ with text on both sides, no space or control character) or without the
 * office key. */
gboolean  payam_store_keep_email  (PayamStore  *self,
                                   const char  *request_id,
                                   const char  *email,
                                   GError     **error);
/* The email kept for @request_id, opened with the office key (caller owns it); NULL with
 * NOT_FOUND when none was kept, INVALID without the key, or a seal error. */
char     *payam_store_open_email  (PayamStore  *self,
                                   const char  *request_id,
                                   GError     **error);
/* Whether @email looks like an address payam_store_keep_email() keeps. */
gboolean  payam_email_valid       (const char  *email);

G_END_DECLS
