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

G_END_DECLS
