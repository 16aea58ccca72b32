/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sync op (DESIGN §6): one change to one field (or one whole new row) made on one device. */
#pragma once

#include <json-glib/json-glib.h>

#include "payam-hlc.h"

G_BEGIN_DECLS

/* An op as it leaves a device's outbox, travels in a push, is ordered into the server's log
 * and comes back in a pull. Owned strings. */
typedef struct {
  gint64    device_seq;  /* contiguous per device, from 1 */
  char     *op_id;       /* UUIDv7 */
  char     *device_id;   /* the writer */
  char     *entity;      /* "request", "photo", "notice", "rating", "dup_group", "worksheet", … */
  char     *row_id;
  char     *field;       /* a column, or "*" for a new row carrying every field */
  char     *value;       /* JSON text: the new value (an object for "*"); never NULL */
  PayamHlc  hlc;         /* when it was written */
  PayamHlc  base_hlc;    /* the version of the field the writer had seen; 0 for none */
  gint64    server_seq;  /* position in the server's log; 0 until the server ordered it */
  char     *why;         /* the office's reason for this change (internal staff text, never
                          * shown to the public); NULL for none. Only the office may send it */
  char     *member;      /* who made it on that device: the id (UUIDv7) of the signed-in
                          * staff member on an office desk or crew member on a crew laptop;
                          * NULL for a kiosk, payamctl without --as and the server's own ops
                          * (and every op of an older device). The server checks it against
                          * its staff and crew_member tables (supervisor actions, roles) */
} PayamOp;

PayamOp *payam_op_copy  (const PayamOp *op);
void     payam_op_free  (PayamOp       *op);
/* The op id of the op @device_seq of @device_id stamped @hlc: a UUIDv7 with the stamp's
 * milliseconds and 74 bits of SHA-256 ("DEVICE/SEQ"). An op's identity is (device, seq), so
 * its id is derived from them rather than sent: the outbox and the wire codec both use this. */
char    *payam_op_derive_id (const char *device_id,
                             gint64      device_seq,
                             PayamHlc    hlc);
/* TRUE when every member is present and well formed (UUIDv7 ids, seq ≥ 1, value valid JSON,
 * why NULL or UTF-8, member NULL or a UUIDv7). */
gboolean payam_op_is_valid (const PayamOp *op);
/* payam_op_is_valid() that parses the value with @parser: on TRUE its root is the value. */
gboolean payam_op_is_valid_with (const PayamOp *op,
                                 JsonParser    *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamOp, payam_op_free)

G_END_DECLS
