/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Refusals written on a connection taken from libsoup. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Write on @stream (taken) "HTTP/1.1 @status" with the JSON error {@code, @message},
 * Connection: close and Retry-After: @retry_after when not 0; then read and drop what the
 * client still sends, up to 4 MiB (closing with unread bytes resets the connection, and a
 * client still sending would lose the answer), and close. The caller bounds the time. */
void payam_sync_write_refusal (GIOStream  *stream,
                               guint       status,
                               const char *code,
                               const char *message,
                               guint       retry_after);

G_END_DECLS
