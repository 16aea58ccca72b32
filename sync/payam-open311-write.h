/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 answers (issue #15): one JSON tree written as JSON (json-glib) or as the
 * specification's XML (libxml2's xmlTextWriter). Private to the office server. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  PAYAM_OPEN311_JSON,
  PAYAM_OPEN311_XML,
} PayamOpen311Format;

/* Answer @msg with @status and @tree (consumed) in @format. In XML, the tree's root
 * element is @root; an array's items are elements named @item at the top and, below, by
 * the specification's singular of their member ("attributes" → "attribute", "values" →
 * "value", "endpoints" → "endpoint", "formats" → "format"); a null member is an empty
 * element. */
void payam_open311_respond       (SoupServerMessage  *msg,
                                  guint               status,
                                  PayamOpen311Format  format,
                                  const char         *root,
                                  const char         *item,
                                  JsonNode           *tree);
/* Answer @msg with the specification's error list: [{"code":@status,"description":…}] or
 * <errors><error><code/><description/></error></errors>, with HTTP status @status. */
void payam_open311_respond_error (SoupServerMessage  *msg,
                                  guint               status,
                                  PayamOpen311Format  format,
                                  const char         *description);

/* Add member @name to the object @builder is in: the string @value, or null for NULL. */
void payam_open311_add_string    (JsonBuilder        *builder,
                                  const char         *name,
                                  const char         *value);

/* Add member @name to the object @builder is in: the coordinate @value as a number with
 * PAYAM_OPEN311_COORDINATE_DECIMALS decimals (json-glib would write 17 digits), in JSON and
 * in XML alike. */
#define PAYAM_OPEN311_COORDINATE_DECIMALS 6
void payam_open311_add_coordinate (JsonBuilder        *builder,
                                   const char         *name,
                                   double              value);

G_END_DECLS
