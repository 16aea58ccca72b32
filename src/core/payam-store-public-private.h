/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of payam-store-public.c: what a kiosk's pull carries of an op. */
#pragma once

#include <json-glib/json-glib.h>

#include "payam-op.h"

G_BEGIN_DECLS

/* Whether a kiosk receives @op (@root its value parsed, NULL when it is not JSON), and the
 * value it receives instead of the op's in *@value (owned; NULL: unchanged). Only public
 * facts: a new request's code, channel, category, neighbourhood, priority, status and
 * dates, never its words, street or contact; a status without its reason; the office's
 * public text. Nothing of other entities. */
gboolean _payam_public_kiosk_op (const PayamOp  *op,
                                 JsonNode       *root,
                                 char          **value);

G_END_DECLS
