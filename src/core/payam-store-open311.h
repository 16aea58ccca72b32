/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office server's Open311 api keys (issue #15): issued to outside systems by name,
 * kept only as a BLAKE2b hash, revocable. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

typedef struct {
  char     *name;        /* who holds it ("fixmystreet") */
  char     *created_at;  /* UTC, as stored */
  gboolean  revoked;
} PayamOpen311Key;

void       payam_open311_key_free          (PayamOpen311Key *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamOpen311Key, payam_open311_key_free)

/* Issue a new api key for @name (trimmed, 1 … 100 characters, unique among keys not
 * revoked). Returns the key (caller owns it): shown once, only its hash is stored. NULL
 * with INVALID (bad or taken name) or a SQL error. */
char      *payam_store_add_open311_key     (PayamStore  *self,
                                            const char  *name,
                                            GError     **error);
/* Every key, newest first (PayamOpen311Key, owned). */
GPtrArray *payam_store_list_open311_keys   (PayamStore  *self,
                                            GError     **error);
/* Revoke the live key of @name; NOT_FOUND when there is none. */
gboolean   payam_store_revoke_open311_key  (PayamStore  *self,
                                            const char  *name,
                                            GError     **error);
/* The name of the live key @key, or NULL: NOT_FOUND for an unknown or revoked key. */
char      *payam_store_check_open311_key   (PayamStore  *self,
                                            const char  *key,
                                            GError     **error);

G_END_DECLS
