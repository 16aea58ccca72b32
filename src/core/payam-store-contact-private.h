/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of payam-store-contact.c used by the request, sync and server files. */
#pragma once

#include <json-glib/json-glib.h>

#include "payam-op.h"
#include "payam-store-contact.h"
#include "payam-types.h"

G_BEGIN_DECLS

/* On a device enrolled as a kiosk (role kiosk and an office key saved at enrolment), seal
 * *@phone and *@name (validated; either may be NULL) to the office key: *@sealed gets the
 * sealed value (caller owns it) and both are wiped, freed and set to NULL. On a kiosk not
 * yet enrolled a contact is refused (INVALID, translated): it would wait there in clear.
 * Elsewhere, or with no contact, nothing changes and *@sealed is NULL. FALSE with a store or seal error
 * (a damaged office key); must run inside the transaction that writes the request. */
gboolean  _payam_store_contact_seal        (PayamStore     *self,
                                            char          **phone,
                                            char          **name,
                                            char          **sealed,
                                            GError        **error);
/* Whether @field of @entity may be edited here: on a sealing kiosk a request's phone and
 * name never are (INVALID, translated), as they would be kept in clear. */
gboolean  _payam_store_contact_may_edit    (PayamStore     *self,
                                            const char     *entity,
                                            const char     *field,
                                            GError        **error);
/* At a kiosk's enrolment: seal every contact the store still holds in clear (typed before
 * it could seal) in its row and in its request's new-row op waiting in the outbox. Inside
 * the enrolment's transaction. Nothing to do elsewhere. */
gboolean  _payam_store_contact_seal_waiting (PayamStore    *self,
                                             GError       **error);
/* Keep @sealed on the request @request_id just written. */
gboolean  _payam_store_contact_keep_sealed (PayamStore     *self,
                                            const char     *request_id,
                                            const char     *sealed,
                                            GError        **error);
/* The server has acknowledged the outbox through @through_seq: clear the sealed contact of
 * every request whose new-row op is among them. Inside the transaction that deletes those
 * outbox rows, before it does. */
gboolean  _payam_store_contact_purge_acked (PayamStore     *self,
                                            gint64          through_seq,
                                            GError        **error);
/* The server's check of a contact in a pushed op. For a new request carrying
 * "contact_sealed": the sealed value is opened with the office key and *@opened is a copy
 * of @op whose value has "phone" and "name" in clear instead (*@opened_value its parsed
 * value; caller owns both), which the server then applies and logs. For other ops both are
 * NULL. FALSE with *@reason (static) when the op must be rejected: "contact-not-sealed"
 * for a plain phone or name from a kiosk, "contact-unreadable" for a sealed value that does
 * not open, "invalid-value" for a malformed one or an opened contact the store refuses. */
gboolean  _payam_store_contact_open_op     (PayamStore     *self,
                                            PayamRole       role,
                                            const PayamOp  *op,
                                            JsonNode       *value,
                                            PayamOp       **opened,
                                            JsonNode      **opened_value,
                                            const char    **reason);

G_END_DECLS
