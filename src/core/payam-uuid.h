/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UUIDv7 identifiers (RFC 9562): time-ordered, made offline. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A UUIDv7 for the Unix time @unix_ms with the 74 random bits taken from @random (any 10
 * bytes). Pure: the same inputs give the same id. Lower-case 36-character form. */
char     *payam_uuid7_from_parts (gint64        unix_ms,
                                  const guint8  random[10]);

/* A fresh UUIDv7 from the real-time clock and GLib's random source. */
char     *payam_uuid7_new        (void);

/* TRUE when @text is a canonical UUID string of version 7. */
gboolean  payam_uuid7_is_valid   (const char   *text);

/* The Unix milliseconds stored in a UUIDv7, or -1 when @text is not one. */
gint64    payam_uuid7_unix_ms    (const char   *text);

G_END_DECLS
