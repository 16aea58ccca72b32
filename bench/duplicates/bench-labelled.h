/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The labelled message sets of bench/duplicates (generate-messages.py output), read for the C benches. */
#pragma once

#include <glib.h>

#include "payam-request.h"

G_BEGIN_DECLS

/* One message of a set: the fields of `payamctl import` the benches use, its id and label. */
typedef struct {
  char    *id;          /* "m00001" */
  char    *text;
  char    *category;
  char    *neighbourhood;
  char    *street;
  char    *landmark;
  gboolean located;
  double   lat;
  double   lon;
  char    *problem_id;  /* the label: same value, same problem */
  char    *created_at;  /* ISO 8601 */
} Message;

/* The messages of the JSON Lines file @path in file order (a GArray of Message that
 * clears its elements), or NULL with @error. */
GArray *bench_read_messages           (const char    *path,
                                       GError       **error);
/* @d as a kiosk draft of @m as written (borrowed strings, no contact). */
void    bench_message_draft           (const Message     *m,
                                       PayamRequestDraft *d);
/* Orders Messages by created_at (for g_array_sort). */
int     bench_message_compare_created (gconstpointer  a,
                                       gconstpointer  b);

G_END_DECLS
