/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GeoReport v2 under /open311/v2/ on the office server's listener (issue #15). */
#pragma once

#include <libsoup/soup.h>

#include "payam-store.h"

G_BEGIN_DECLS

/* The jurisdiction_id of the district: given in discovery, checked when a client sends one. */
#define PAYAM_OPEN311_JURISDICTION_ID "payam"
/* The most a POST requests form may carry. */
#define PAYAM_OPEN311_MAX_BODY (64 * 1024)

/* Serve GeoReport v2 from @store on @soup under /open311/v2/: discovery, services,
 * services/{code}, requests, requests/{id}, tokens/{token}, servicerequestupdates, each
 * in .json or .xml; POST requests files a request with an office-issued api_key. Every
 * answer about a request is built from its public view (payam-store-public.h). */
void payam_open311_add_routes (SoupServer *soup,
                               PayamStore *store);

G_END_DECLS
