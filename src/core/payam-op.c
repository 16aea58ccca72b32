/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copying, freeing and checking sync ops. */
#define G_LOG_DOMAIN "payam-op"

#include "config.h"

#include <json-glib/json-glib.h>

#include "payam-op.h"
#include "payam-uuid.h"

PayamOp *
payam_op_copy (const PayamOp *op)
{
  PayamOp *copy;

  g_return_val_if_fail (op != NULL, NULL);

  copy = g_new0 (PayamOp, 1);
  *copy = *op;
  copy->op_id = g_strdup (op->op_id);
  copy->device_id = g_strdup (op->device_id);
  copy->entity = g_strdup (op->entity);
  copy->row_id = g_strdup (op->row_id);
  copy->field = g_strdup (op->field);
  copy->value = g_strdup (op->value);
  copy->why = g_strdup (op->why);
  copy->member = g_strdup (op->member);
  return copy;
}

void
payam_op_free (PayamOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->device_id);
  g_free (op->entity);
  g_free (op->row_id);
  g_free (op->field);
  g_free (op->value);
  g_free (op->why);
  g_free (op->member);
  g_free (op);
}

char *
payam_op_derive_id (const char *device_id,
                    gint64      device_seq,
                    PayamHlc    hlc)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *key = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (device_id != NULL, NULL);

  key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, device_id, device_seq);
  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_get_digest (checksum, digest, &length);
  return payam_uuid7_from_parts (payam_hlc_wall_ms (hlc), digest);
}

/* Structural check only: whether the op may be applied at all is the merge rules' and the
 * server's role checks' business. */
gboolean
payam_op_is_valid (const PayamOp *op)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  return payam_op_is_valid_with (op, parser);
}

gboolean
payam_op_is_valid_with (const PayamOp *op,
                        JsonParser    *parser)
{
  if (op == NULL || op->device_seq < 1 || op->hlc == 0)
    return FALSE;
  if (!payam_uuid7_is_valid (op->op_id) || !payam_uuid7_is_valid (op->device_id))
    return FALSE;
  if (op->entity == NULL || *op->entity == '\0' || op->row_id == NULL || *op->row_id == '\0')
    return FALSE;
  if (op->field == NULL || *op->field == '\0' || op->value == NULL)
    return FALSE;
  if (op->why != NULL && !g_utf8_validate (op->why, -1, NULL))
    return FALSE;
  if (op->member != NULL && !payam_uuid7_is_valid (op->member))
    return FALSE;

  return json_parser_load_from_data (parser, op->value, -1, NULL);
}
