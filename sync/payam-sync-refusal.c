/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Refusals written on a connection taken from libsoup: a whole HTTP/1.1 answer with a JSON
 * error, what the client still sends read and dropped (a bounded amount), then the close. */
#define G_LOG_DOMAIN "payam-server"
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "payam-sync-codec.h"
#include "payam-sync-refusal.h"

#define DRAIN_MAX (4 * 1024 * 1024)  /* bytes read and dropped after a refusal */
#define DRAIN_BLOCK (64 * 1024)

typedef struct {
  GIOStream *stream;
  GBytes    *bytes;
  guint8    *sink;
  gsize      drained;
} Refusal;

static void
refusal_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Refusal *refusal = user_data;

  g_io_stream_close_finish (refusal->stream, result, NULL);
  g_object_unref (refusal->stream);
  g_bytes_unref (refusal->bytes);
  g_free (refusal->sink);
  g_free (refusal);
}

static void drain (Refusal *refusal);

static void
drained_some (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && refusal->drained + (gsize) n <= DRAIN_MAX)
    {
      refusal->drained += (gsize) n;
      drain (refusal);
      return;
    }
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed, refusal);
}

/* Read and forget what the client still sends, a bounded amount, before closing: closing
 * with unread bytes resets the connection, and a client still sending would lose the
 * answer. The connection's deadline bounds the time. */
static void
drain (Refusal *refusal)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->sink,
                             DRAIN_BLOCK, G_PRIORITY_DEFAULT, NULL, drained_some, refusal);
}

static void
refusal_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed,
                               refusal);
      return;
    }
  refusal->sink = g_malloc (DRAIN_BLOCK);
  drain (refusal);
}

void
payam_sync_write_refusal (GIOStream  *stream,
                          guint       status,
                          const char *code,
                          const char *message,
                          guint       retry_after)
{
  Refusal *refusal = g_new0 (Refusal, 1);
  g_autofree char *body = payam_sync_encode_error (code, message);
  GString *text = g_string_new (NULL);
  gsize length;

  /* libsoup 3.2 has no phrase for 429. */
  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status,
                          status == 429 ? "Too Many Requests" : soup_status_get_phrase (status));
  g_string_append (text, "Server: payam-server\r\n"
                         "Content-Type: application/json\r\n"
                         "Cache-Control: no-store\r\n"
                         "X-Content-Type-Options: nosniff\r\n"
                         "Connection: close\r\n");
  if (retry_after > 0)
    g_string_append_printf (text, "Retry-After: %u\r\n", retry_after);
  g_string_append_printf (text, "Content-Length: %zu\r\n\r\n%s", strlen (body), body);
  length = text->len;
  refusal->stream = stream;
  refusal->bytes = g_bytes_new_take (g_string_free (text, FALSE), length);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (refusal->bytes, NULL), length,
                                   G_PRIORITY_DEFAULT, NULL, refusal_written, refusal);
}
