/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stable text names (the enum nicks) of the shared core enums, as stored and sent on the wire. */
#define G_LOG_DOMAIN "payam-types"
#include "config.h"

#include <string.h>

#include "payam-types.h"

/* Indexed by the enum value; each entry is the nick in payam-types.h. These names are
 * stored in SQLite and sent in sync ops, so they must never change. */
static const char * const status_names[PAYAM_N_STATUSES] = {
  [PAYAM_STATUS_REGISTERED] = "registered",
  [PAYAM_STATUS_TRIAGED] = "triaged",
  [PAYAM_STATUS_ASSIGNED] = "assigned",
  [PAYAM_STATUS_IN_PROGRESS] = "in_progress",
  [PAYAM_STATUS_DONE] = "done",
  [PAYAM_STATUS_NOT_POSSIBLE] = "not_possible",
  [PAYAM_STATUS_REJECTED] = "rejected",
  [PAYAM_STATUS_NOTIFIED] = "notified",
  [PAYAM_STATUS_CLOSED] = "closed",
};

static const char * const channel_names[] = {
  [PAYAM_CHANNEL_KIOSK] = "kiosk",
  [PAYAM_CHANNEL_CREW] = "crew",
  [PAYAM_CHANNEL_OFFICE] = "office",
  [PAYAM_CHANNEL_PHONE] = "phone",
  [PAYAM_CHANNEL_OPEN311] = "open311",
};

static const char * const role_names[] = {
  [PAYAM_ROLE_KIOSK] = "kiosk",
  [PAYAM_ROLE_CREW] = "crew",
  [PAYAM_ROLE_OFFICE] = "office",
};

G_STATIC_ASSERT (G_N_ELEMENTS (channel_names) == PAYAM_CHANNEL_OPEN311 + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == PAYAM_ROLE_OFFICE + 1);

/* Index of @text in @names, or -1. Exact, case-sensitive match: the nicks are a wire
 * format, not user input. */
static int
lookup (const char * const *names,
        guint               n_names,
        const char         *text)
{
  if (text == NULL)
    return -1;

  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], text) == 0)
      return (int) i;

  return -1;
}

/**
 * payam_status_to_string:
 * @status: a #PayamStatus
 *
 * Returns: (transfer none): the nick of @status ("in_progress"), or NULL (with a
 * critical warning) for a value outside the enum.
 */
const char *
payam_status_to_string (PayamStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

/**
 * payam_status_from_string:
 * @text: (nullable): a status nick
 * @out: (out): where the status goes
 *
 * Returns: TRUE and sets @out when @text is exactly one of the status nicks;
 * FALSE (leaving @out untouched) otherwise, NULL included.
 */
gboolean
payam_status_from_string (const char  *text,
                          PayamStatus *out)
{
  int i = lookup (status_names, G_N_ELEMENTS (status_names), text);

  g_return_val_if_fail (out != NULL, FALSE);

  if (i < 0)
    return FALSE;

  *out = (PayamStatus) i;
  return TRUE;
}

/**
 * payam_channel_to_string:
 * @channel: a #PayamChannel
 *
 * Returns: (transfer none): the nick of @channel ("kiosk"), or NULL for a value
 * outside the enum.
 */
const char *
payam_channel_to_string (PayamChannel channel)
{
  g_return_val_if_fail ((guint) channel < G_N_ELEMENTS (channel_names), NULL);

  return channel_names[channel];
}

/**
 * payam_channel_from_string:
 * @text: (nullable): a channel nick
 * @out: (out): where the channel goes
 *
 * Returns: TRUE and sets @out for an exact nick; FALSE otherwise.
 */
gboolean
payam_channel_from_string (const char   *text,
                           PayamChannel *out)
{
  int i = lookup (channel_names, G_N_ELEMENTS (channel_names), text);

  g_return_val_if_fail (out != NULL, FALSE);

  if (i < 0)
    return FALSE;

  *out = (PayamChannel) i;
  return TRUE;
}

/**
 * payam_role_to_string:
 * @role: a #PayamRole
 *
 * Returns: (transfer none): the nick of @role ("office"), or NULL for a value outside
 * the enum.
 */
const char *
payam_role_to_string (PayamRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

/**
 * payam_role_from_string:
 * @text: (nullable): a role nick
 * @out: (out): where the role goes
 *
 * Returns: TRUE and sets @out for an exact nick; FALSE otherwise.
 */
gboolean
payam_role_from_string (const char *text,
                        PayamRole  *out)
{
  int i = lookup (role_names, G_N_ELEMENTS (role_names), text);

  g_return_val_if_fail (out != NULL, FALSE);

  if (i < 0)
    return FALSE;

  *out = (PayamRole) i;
  return TRUE;
}
