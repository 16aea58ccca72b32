/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Open311 route files share (issue #15). Private to the office server. */
#pragma once

#include <libsoup/soup.h>

#include "payam-dup-index.h"
#include "payam-open311-write.h"
#include "payam-open311.h"
#include "payam-store.h"
#include "payam-sync-ratelimit.h"

G_BEGIN_DECLS

/* Requests a minute one api key may file, after a first burst. */
#define PAYAM_OPEN311_KEY_PER_MINUTE 30
#define PAYAM_OPEN311_KEY_BURST      10
/* The most duplicate suggestions a filing's answer names. */
#define PAYAM_OPEN311_MAX_DUPLICATES 3

/* libsoup 3.2 names no 429. */
#define PAYAM_OPEN311_TOO_MANY_REQUESTS 429

struct _PayamOpen311 {
  PayamStore *store;
  PayamSyncRateLimit *key_limit;  /* filings per api key's name (owned) */
  PayamSyncRateLimit *read_limit; /* GET answers per client address (owned), or NULL */
  PayamDupIndex *dup_index;       /* built in a worker thread (owned), NULL until then */
  GCancellable *dup_index_cancel; /* cancels that build when the routes go (owned) */
  gint64 dup_index_started;       /* when the build began, monotonic */
  GQueue *media_cache;            /* photos encoded again, newest first (owned), or NULL */
  char *jurisdiction_id;
  PayamOpen311ClientKeyFunc client_key;
  gpointer key_data;
};
typedef struct _PayamOpen311 PayamOpen311Context;

void  payam_open311_context_free (PayamOpen311Context *context);

/* Answer 429 in the specification's error shape with Retry-After @retry_after seconds. */
void  payam_open311_respond_too_many (SoupServerMessage  *msg,
                                      PayamOpen311Format  format,
                                      guint               retry_after,
                                      const char         *description);

/* @when in W3C/ISO 8601 with the district's offset ("2026-12-07T20:18:11+03:30"); NULL for
 * NULL. Caller owns it. */
char *payam_open311_time         (GDateTime           *when);

/* GET requests: service_request_id (comma list; then nothing else counts), service_code
 * (comma list), status, start_date and end_date (the last 90 days when neither is given),
 * page (from 1) and page_size (PAYAM_OPEN311_DEFAULT_PAGE_SIZE, at most
 * PAYAM_OPEN311_MAX_PAGE_SIZE); most recent first. 400 for a bad parameter. */
void        payam_open311_get_requests (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        PayamOpen311Format   format,
                                        GHashTable          *query);
/* GET requests/{id}: the request with tracking code @code; 404 when there is none. */
void        payam_open311_get_request  (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        PayamOpen311Format   format,
                                        const char          *code);
/* GET servicerequestupdates (FixMyStreet's extension): every public status move between
 * start_date and end_date (the last 90 days when neither is given). */
void        payam_open311_get_updates  (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        PayamOpen311Format   format,
                                        GHashTable          *query);

/* The form-encoded fields of a POST (parsed once, kept on @msg), or NULL when the body is
 * not application/x-www-form-urlencoded UTF-8. Borrowed. */
GHashTable *payam_open311_form         (SoupServerMessage   *msg);
/* POST requests: check the api_key and its rate limit, the fields, the place; file the
 * request through the kiosk's intake; answer its tracking code and token (201). */
void        payam_open311_post_request (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        PayamOpen311Format   format);
/* GET tokens/{token}: the tracking code of the request filed with @token. */
void        payam_open311_get_token    (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        PayamOpen311Format   format,
                                        const char          *token);

/* GET media/{code}/{sha256}.jpg (@rest is what follows media/): a photo of the work on the
 * request @code (its public view's photos), encoded again without metadata; 404 for any
 * other photo. Cacheable (ETag, max-age). */
void        payam_open311_get_media    (PayamOpen311Context *context,
                                        SoupServerMessage   *msg,
                                        const char          *rest);
/* The absolute media URL of photo @sha256 of request @code on the host @msg reached (caller
 * owns it); NULL when either is NULL. */
char       *payam_open311_media_url    (SoupServerMessage   *msg,
                                        const char          *code,
                                        const char          *sha256);
void        payam_open311_media_cache_free (GQueue          *cache);

G_END_DECLS
