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

/* What GET requests asks for, all in SQL (NULL or FALSE members ask for nothing). */
typedef struct {
  const char *const *service_codes;  /* categories, or NULL for all */
  gboolean    want_open;             /* requests in an open-work status */
  gboolean    want_closed;           /* requests in any other status */
  GDateTime  *start;                 /* filed at or after, or NULL */
  GDateTime  *end;                   /* filed at or before, or NULL */
  guint       offset;                /* requests skipped */
  guint       limit;                 /* at most so many (1 …) */
  /* Out: the statement's virtual-machine steps, a measure of the rows it read. */
  guint64     steps;
} PayamOpen311Page;

/* The tracking codes of one page of requests (most recently filed first; equal times by
 * filing order, newest first) read from the request_by_created index: the page's rows and
 * those skipped before it, never the whole table. NULL with a SQL error. */
GStrv      payam_store_list_open311_page   (PayamStore       *self,
                                            PayamOpen311Page *page,
                                            GError          **error);

G_END_DECLS
