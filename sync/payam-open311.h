/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GeoReport v2 under /open311/v2/ on the office server's listener (issue #15). */
#pragma once

#include <libsoup/soup.h>

#include "payam-store.h"

G_BEGIN_DECLS

/* The jurisdiction_id of the district until one is set: given in discovery, checked when a
 * client sends one. */
#define PAYAM_OPEN311_JURISDICTION_ID "payam"
/* The most a POST requests form may carry. */
#define PAYAM_OPEN311_MAX_BODY (64 * 1024)
/* GET answers (and photos) a minute from one client address, after a first burst, until
 * set otherwise. */
#define PAYAM_OPEN311_READ_PER_MINUTE 120
#define PAYAM_OPEN311_READ_BURST      60

typedef struct _PayamOpen311 PayamOpen311;

/* The address a request counts against for the per-address limit (caller owns it). */
typedef char *(*PayamOpen311ClientKeyFunc) (SoupServerMessage *msg,
                                            gpointer           user_data);

/* Serve GeoReport v2 from @store on @soup under /open311/v2/: discovery, services,
 * services/{code}, requests, requests/{id}, tokens/{token}, servicerequestupdates, each
 * in .json or .xml, and media/{code}/{sha256} (a request's public photos); POST requests
 * files a request with an office-issued api_key. Every answer about a request is built
 * from its public view (payam-store-public.h). GET answers count against @client_key's
 * address (called with @key_data). Returns the routes' state, owned by @soup's handler:
 * valid while @soup is. */
PayamOpen311 *payam_open311_add_routes        (SoupServer                *soup,
                                               PayamStore                *store,
                                               PayamOpen311ClientKeyFunc  client_key,
                                               gpointer                   key_data);
/* Whether @id may be a jurisdiction_id: 1 … 64 of A-Z a-z 0-9 . _ - */
gboolean      payam_open311_jurisdiction_valid (const char              *id);
/* The district's jurisdiction_id (payam_open311_jurisdiction_valid()). */
void          payam_open311_set_jurisdiction  (PayamOpen311              *self,
                                               const char                *id);
/* At most @per_minute GET answers a minute from one address after a first @burst (429 in
 * the specification's error shape beyond); 0 per minute: no limit. */
void          payam_open311_set_read_rate     (PayamOpen311              *self,
                                               guint                      per_minute,
                                               guint                      burst);

G_END_DECLS
