/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SMS delivery on the office server (issue #14): the gateway interface its drivers
 * implement (payam-sms-kavenegar.c), and the sender that drains the store's notice queue
 * through one, in batches, with retries and delivery reports. */
#pragma once

#include <gio/gio.h>

#include "payam-store-feedback.h"

G_BEGIN_DECLS

/* What the gateway said of one message. */
typedef enum {
  PAYAM_SMS_ACCEPTED,   /* on its way: wait for the delivery report (message_id set) */
  PAYAM_SMS_DELIVERED,  /* the phone has it: the citizen is told */
  PAYAM_SMS_PENDING,    /* report: not final yet, ask again later */
  PAYAM_SMS_RETRY,      /* busy, no credit, network: send again after a while */
  PAYAM_SMS_FAILED,     /* never: bad number, blocked, not delivered (reason set) */
} PayamSmsOutcome;

typedef struct {
  gint64           localid;
  PayamSmsOutcome  outcome;
  char            *message_id;  /* ACCEPTED, may be NULL otherwise */
  char            *reason;      /* RETRY and FAILED: the gateway's code and words */
} PayamSmsResult;

void payam_sms_result_free (PayamSmsResult *result);

#define PAYAM_TYPE_SMS_GATEWAY (payam_sms_gateway_get_type ())
G_DECLARE_INTERFACE (PayamSmsGateway, payam_sms_gateway, PAYAM, SMS_GATEWAY, GObject)

/* A driver sends one message (send) and asks for the reports of several sent ones
 * (report); each finish gives one PayamSmsResult per item asked, in any order. A driver
 * never fails as a whole: a network error is a RETRY result for each item. */
struct _PayamSmsGatewayInterface
{
  GTypeInterface parent_iface;

  void       (*send_async)    (PayamSmsGateway     *self,
                               const PayamSmsItem  *item,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  GPtrArray *(*send_finish)   (PayamSmsGateway     *self,
                               GAsyncResult        *result);
  void       (*report_async)  (PayamSmsGateway     *self,
                               GPtrArray           *items,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  GPtrArray *(*report_finish) (PayamSmsGateway     *self,
                               GAsyncResult        *result);
};

void       payam_sms_gateway_send_async    (PayamSmsGateway     *self,
                                            const PayamSmsItem  *item,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *payam_sms_gateway_send_finish   (PayamSmsGateway     *self,
                                            GAsyncResult        *result);
void       payam_sms_gateway_report_async  (PayamSmsGateway     *self,
                                            GPtrArray           *items,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *payam_sms_gateway_report_finish (PayamSmsGateway     *self,
                                            GAsyncResult        *result);

/* The Kavenegar driver: @base_url (https://…/), the API @key, the @sender number, and a
 * CA file for the gateway's certificate (NULL: the system's). NULL with an error for a
 * URL that is not https, an empty key or sender, or an unreadable CA file. */
PayamSmsGateway *payam_sms_kavenegar_new (const char  *base_url,
                                          const char  *key,
                                          const char  *sender,
                                          const char  *ca_file,
                                          GError     **error);

/* The API key from @path: refused when the file is readable by group or others (the key
 * is the service's alone), empty, or longer than one line. Caller owns it. */
char            *payam_sms_read_key_file (const char  *path,
                                          GError     **error);

/* ---- the sender ------------------------------------------------------------------- */

typedef struct _PayamSmsSender PayamSmsSender;

/* Drain @store's SMS queue through @gateway: up to @batch messages in flight, claimed
 * again as soon as a batch is done; every @interval_ms, when idle, look for new notices
 * and ask for the reports of sent ones. Busy and network errors are retried after
 * @retry_base seconds, doubled per attempt up to ten minutes. Logs through @log. */
PayamSmsSender  *payam_sms_sender_new    (PayamStore          *store,
                                          PayamSmsGateway     *gateway,
                                          guint                batch,
                                          guint                interval_ms,
                                          guint                retry_base,
                                          void               (*log) (const char *line,
                                                                     gpointer    data),
                                          gpointer             log_data);
void             payam_sms_sender_free   (PayamSmsSender      *sender);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSmsSender, payam_sms_sender_free)

G_END_DECLS
