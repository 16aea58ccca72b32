/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the payam-sync-codec*.c files: forms, strict readers and writers. */
#pragma once

#include <json-glib/json-glib.h>

#include "payam-sync-codec.h"

G_BEGIN_DECLS

/* One object being read: each getter does nothing once an error is set, so a decoder reads
 * every member and checks once at the end. */
typedef struct {
  JsonObject  *object;
  GError     **error;
  gboolean     failed;
} PayamSyncReader;

/* Forms: a lower-case name (entity, field, role, outcome), printable ASCII without spaces
 * (ids, codes, times), valid UTF-8, a UUIDv7. */
gboolean    _payam_sync_is_name        (const char         *text);
gboolean    _payam_sync_is_token       (const char         *text);
gboolean    _payam_sync_is_text        (const char         *text);
gboolean    _payam_sync_is_uuid7       (const char         *text);

/* @data parsed into a root object (caller owns it), or NULL with MALFORMED or TOO_LARGE. */
JsonNode   *_payam_sync_parse_object   (const char         *data,
                                        gsize               length,
                                        GError            **error);

/* Record the first error (takes @message); later ones are dropped. */
void        _payam_sync_reader_fail    (PayamSyncReader    *r,
                                        int                 code,
                                        char               *message);
/* MALFORMED: member @name has the wrong type or form. */
void        _payam_sync_reader_wrong   (PayamSyncReader    *r,
                                        const char         *name);
/* Refuse any member not in the NULL-terminated @allowed. */
void        _payam_sync_reader_only    (PayamSyncReader    *r,
                                        const char *const  *allowed);
/* "version" present and this protocol's (UNSUPPORTED otherwise). */
void        _payam_sync_reader_version (PayamSyncReader    *r);
/* A string of at most @max bytes passing @check (may be NULL); NULL when absent and not
 * @required, or on error. Caller owns it. */
char       *_payam_sync_reader_string  (PayamSyncReader    *r,
                                        const char         *name,
                                        gboolean            required,
                                        gsize               max,
                                        gboolean          (*check) (const char *));
/* An integer in [@min, @max]. */
gint64      _payam_sync_reader_int     (PayamSyncReader    *r,
                                        const char         *name,
                                        gint64              min,
                                        gint64              max);
/* Like _payam_sync_reader_int, but an absent member reads as @fallback. */
gint64      _payam_sync_reader_optional_int (PayamSyncReader *r,
                                             const char      *name,
                                             gint64           min,
                                             gint64           max,
                                             gint64           fallback);
gboolean    _payam_sync_reader_bool    (PayamSyncReader    *r,
                                        const char         *name);
/* A stamp in its text form. */
PayamHlc    _payam_sync_reader_hlc     (PayamSyncReader    *r,
                                        const char         *name);
/* An array of at most @max elements (TOO_LARGE past it). Borrowed. */
JsonArray  *_payam_sync_reader_array   (PayamSyncReader    *r,
                                        const char         *name,
                                        guint               max);

/* Writers: a member (none for a NULL @value), a message's object with its "version", and
 * the message as compact JSON text (caller owns it). */
void        _payam_sync_add_string     (JsonBuilder        *b,
                                        const char         *name,
                                        const char         *value);
void        _payam_sync_add_int        (JsonBuilder        *b,
                                        const char         *name,
                                        gint64              value);
void        _payam_sync_add_hlc        (JsonBuilder        *b,
                                        const char         *name,
                                        PayamHlc            hlc);
JsonBuilder *_payam_sync_begin_message (void);
char       *_payam_sync_end_message    (JsonBuilder        *b);

G_END_DECLS
