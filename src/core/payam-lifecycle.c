/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The request lifecycle (DESIGN §4): the table of allowed moves by role, reasons, feedback. */
#define G_LOG_DOMAIN "payam-lifecycle"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"

G_DEFINE_QUARK (payam-lifecycle-error-quark, payam_lifecycle_error)

/* Who may make a move: a bit per role. */
#define CREW   (1u << PAYAM_ROLE_CREW)
#define OFFICE (1u << PAYAM_ROLE_OFFICE)
#define BOTH   (CREW | OFFICE)

/* Short names so that the table below reads as a grid. */
#define REG PAYAM_STATUS_REGISTERED
#define TRI PAYAM_STATUS_TRIAGED
#define ASG PAYAM_STATUS_ASSIGNED
#define INP PAYAM_STATUS_IN_PROGRESS
#define DON PAYAM_STATUS_DONE
#define NPO PAYAM_STATUS_NOT_POSSIBLE
#define REJ PAYAM_STATUS_REJECTED
#define NOT PAYAM_STATUS_NOTIFIED
#define CLO PAYAM_STATUS_CLOSED

/* moves[from][to]: the roles allowed to move a request from @from to @to; 0 means no such
 * move. The kiosk only creates requests (status registered) and never moves one.
 *
 * - Crew: assigned → in_progress → done, and assigned or in_progress → not_possible.
 * - Office: every forward move along registered → triaged → assigned → in_progress →
 *   done → notified → closed, skips included (registered → assigned, done → closed), with
 *   two limits: notified and closed need an outcome first (done, not_possible or
 *   rejected), since they mean "the citizen was told the outcome".
 * - not_possible (crew or office, reason) from assigned or in_progress; rejected (office,
 *   reason) from registered, triaged or assigned. Both go on to notified and closed.
 * - Reopen (office): done, not_possible, rejected, notified or closed → triaged. No other
 *   move goes backwards; reassigning a crew keeps the status assigned and is not a move.
 * - Closing also needs every citizen of the group to have a sent notice (checked apart). */
static const guint8 moves[PAYAM_N_STATUSES][PAYAM_N_STATUSES] = {
  /*          REG  TRI     ASG     INP     DON     NPO     REJ     NOT     CLO */
  [REG] = {   0,   OFFICE, OFFICE, OFFICE, OFFICE, 0,      OFFICE, 0,      0      },
  [TRI] = {   0,   0,      OFFICE, OFFICE, OFFICE, 0,      OFFICE, 0,      0      },
  [ASG] = {   0,   0,      0,      BOTH,   OFFICE, BOTH,   OFFICE, 0,      0      },
  [INP] = {   0,   0,      0,      0,      BOTH,   BOTH,   0,      0,      0      },
  [DON] = {   0,   OFFICE, 0,      0,      0,      0,      0,      OFFICE, OFFICE },
  [NPO] = {   0,   OFFICE, 0,      0,      0,      0,      0,      OFFICE, OFFICE },
  [REJ] = {   0,   OFFICE, 0,      0,      0,      0,      0,      OFFICE, OFFICE },
  [NOT] = {   0,   OFFICE, 0,      0,      0,      0,      0,      0,      OFFICE },
  [CLO] = {   0,   OFFICE, 0,      0,      0,      0,      0,      0,      0      },
};

/* TRUE when @reason has at least one character that is neither white space nor an
 * invisible format character (ZWNJ, bidi marks): the reason "trimmed, non-empty". */
static gboolean
reason_is_given (const char *reason)
{
  if (reason == NULL || !g_utf8_validate (reason, -1, NULL))
    return FALSE;

  for (const char *p = reason; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && g_unichar_type (c) != G_UNICODE_FORMAT)
        return TRUE;
    }

  return FALSE;
}

/**
 * payam_lifecycle_check:
 * @ctx: the request's current status and feedback count
 * @to: the status asked for
 * @role: who asks
 * @reason: (nullable): why; required for not_possible and rejected
 * @error: return location for a #PAYAM_LIFECYCLE_ERROR
 *
 * Checks in this order: the move exists at all (NOT_ALLOWED, also for staying in the
 * same status), @role may make it (ROLE), a reason is given when @to needs one
 * (REASON_REQUIRED), and for closed that no citizen lacks a sent notice
 * (FEEDBACK_PENDING). Returns TRUE when allowed, else FALSE with a translated message
 * that names the statuses or says what to do.
 */
gboolean
payam_lifecycle_check (const PayamLifecycleContext *ctx,
                       PayamStatus                  to,
                       PayamRole                    role,
                       const char                  *reason,
                       GError                     **error)
{
  guint allowed;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail ((guint) ctx->from < PAYAM_N_STATUSES, FALSE);
  g_return_val_if_fail ((guint) to < PAYAM_N_STATUSES, FALSE);
  g_return_val_if_fail ((guint) role <= PAYAM_ROLE_OFFICE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ctx->from == to)
    {
      g_set_error (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED,
                   /* Translators: %s is a request status, such as "Done". */
                   _("The request is already “%s”."),
                   payam_status_label (to));
      return FALSE;
    }

  allowed = moves[ctx->from][to];

  if (allowed == 0)
    {
      g_set_error (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED,
                   /* Translators: both %s are request statuses ("Registered", "Closed"). */
                   _("A request cannot go from “%s” to “%s”."),
                   payam_status_label (ctx->from), payam_status_label (to));
      return FALSE;
    }

  if ((allowed & (1u << role)) == 0)
    {
      /* The office may make every move of the table, so only the kiosk and the crew
       * get here. */
      if (role == PAYAM_ROLE_KIOSK)
        g_set_error_literal (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE,
                             _("A kiosk can only register messages; it cannot change "
                               "their status."));
      else
        g_set_error (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE,
                     /* Translators: both %s are request statuses. */
                     _("Only the office can move a request from “%s” to “%s”."),
                     payam_status_label (ctx->from), payam_status_label (to));
      return FALSE;
    }

  if ((to == PAYAM_STATUS_NOT_POSSIBLE || to == PAYAM_STATUS_REJECTED)
      && !reason_is_given (reason))
    {
      g_set_error_literal (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_REASON_REQUIRED,
                           to == PAYAM_STATUS_NOT_POSSIBLE
                           ? _("Write why the work is not possible; the citizen will "
                               "be told this reason.")
                           : _("Write why the request is rejected; the citizen will "
                               "be told this reason."));
      return FALSE;
    }

  if (to == PAYAM_STATUS_CLOSED && ctx->members_without_sent_notice > 0)
    {
      guint n = ctx->members_without_sent_notice;
      g_autofree char *count = payam_format_integer (n);

      /* Passed straight on so that the compiler checks the format (g_dngettext is
       * G_GNUC_FORMAT). */
      g_set_error (error, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING,
                   g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: %s is a number of citizens, already formatted. */
                                "%s citizen has not been sent feedback yet. "
                                "Send it before closing the request.",
                                "%s citizens have not been sent feedback yet. "
                                "Send it to every one of them before closing the request.",
                                n),
                   count);
      return FALSE;
    }

  return TRUE;
}

/**
 * payam_lifecycle_is_reopen:
 * @from: the current status
 * @to: the status asked for
 *
 * Returns: TRUE when @from is done, not_possible, rejected, notified or closed and @to
 * is triaged: the office's reopen, the one move that raises the status epoch.
 */
gboolean
payam_lifecycle_is_reopen (PayamStatus from,
                           PayamStatus to)
{
  if (to != PAYAM_STATUS_TRIAGED)
    return FALSE;

  switch (from)
    {
    case PAYAM_STATUS_DONE:
    case PAYAM_STATUS_NOT_POSSIBLE:
    case PAYAM_STATUS_REJECTED:
    case PAYAM_STATUS_NOTIFIED:
    case PAYAM_STATUS_CLOSED:
      return TRUE;
    case PAYAM_STATUS_REGISTERED:
    case PAYAM_STATUS_TRIAGED:
    case PAYAM_STATUS_ASSIGNED:
    case PAYAM_STATUS_IN_PROGRESS:
    default:
      return FALSE;
    }
}

/* TRUE for registered, triaged, assigned and in_progress: work still to do. */
gboolean
payam_status_is_open (PayamStatus status)
{
  switch (status)
    {
    case PAYAM_STATUS_REGISTERED:
    case PAYAM_STATUS_TRIAGED:
    case PAYAM_STATUS_ASSIGNED:
    case PAYAM_STATUS_IN_PROGRESS:
      return TRUE;
    case PAYAM_STATUS_DONE:
    case PAYAM_STATUS_NOT_POSSIBLE:
    case PAYAM_STATUS_REJECTED:
    case PAYAM_STATUS_NOTIFIED:
    case PAYAM_STATUS_CLOSED:
    default:
      return FALSE;
    }
}

/**
 * payam_status_label:
 * @status: a #PayamStatus
 *
 * Returns: (transfer none): the translated name of @status for people (Persian in the fa
 * locale), from msgids in the "request status" context. NULL (with a critical warning)
 * for a value outside the enum.
 */
const char *
payam_status_label (PayamStatus status)
{
  switch (status)
    {
    case PAYAM_STATUS_REGISTERED:
      return C_("request status", "Registered");
    case PAYAM_STATUS_TRIAGED:
      return C_("request status", "Triaged");
    case PAYAM_STATUS_ASSIGNED:
      return C_("request status", "Assigned");
    case PAYAM_STATUS_IN_PROGRESS:
      return C_("request status", "In progress");
    case PAYAM_STATUS_DONE:
      return C_("request status", "Done");
    case PAYAM_STATUS_NOT_POSSIBLE:
      return C_("request status", "Not possible");
    case PAYAM_STATUS_REJECTED:
      return C_("request status", "Rejected");
    case PAYAM_STATUS_NOTIFIED:
      return C_("request status", "Notified");
    case PAYAM_STATUS_CLOSED:
      return C_("request status", "Closed");
    default:
      g_return_val_if_reached (NULL);
    }
}
