/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by payamctl-groups.c and payamctl-worksheet.c. */
#pragma once

#include <json-glib/json-glib.h>

#include "payamctl-private.h"

G_BEGIN_DECLS

/* The request named by @arg: a request id (UUID) or a tracking code in any digit form.
 * Prints the error and returns NULL when there is none. Caller owns the result. */
PayamRequest *ctl_find_request  (PayamStore  *store,
                                 const char  *arg);
/* Print @error's message prefixed by @what; returns CTL_EXIT_FAILURE. */
int           ctl_fail          (const char  *what,
                                 GError      *error);
/* Print the root of @builder as one line of JSON on standard output. */
void          ctl_print_json    (JsonBuilder *builder);
/* Add member @name with @value (NULL: null) to the object being built. */
void          ctl_json_string   (JsonBuilder *b,
                                 const char  *name,
                                 const char  *value);

G_END_DECLS
