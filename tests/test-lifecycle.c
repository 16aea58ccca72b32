/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the request lifecycle (every status, status and role) and of the enum names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-types.h"

#define REG PAYAM_STATUS_REGISTERED
#define TRI PAYAM_STATUS_TRIAGED
#define ASG PAYAM_STATUS_ASSIGNED
#define INP PAYAM_STATUS_IN_PROGRESS
#define DON PAYAM_STATUS_DONE
#define NPO PAYAM_STATUS_NOT_POSSIBLE
#define REJ PAYAM_STATUS_REJECTED
#define NOT PAYAM_STATUS_NOTIFIED
#define CLO PAYAM_STATUS_CLOSED

#define KIOSK  PAYAM_ROLE_KIOSK
#define CREW   PAYAM_ROLE_CREW
#define OFFICE PAYAM_ROLE_OFFICE

/* The expected table, written out by hand from DESIGN §4 and the decisions documented in
 * payam-lifecycle.c. Every (from, to, role) triple not listed here must be refused. */
static const struct {
  PayamStatus from;
  PayamStatus to;
  PayamRole   role;
} allowed_moves[] = {
  /* Office: forward, skips included. */
  { REG, TRI, OFFICE }, { REG, ASG, OFFICE }, { REG, INP, OFFICE }, { REG, DON, OFFICE },
  { TRI, ASG, OFFICE }, { TRI, INP, OFFICE }, { TRI, DON, OFFICE },
  { ASG, INP, OFFICE }, { ASG, DON, OFFICE },
  { INP, DON, OFFICE },
  { DON, NOT, OFFICE }, { DON, CLO, OFFICE },
  { NOT, CLO, OFFICE },
  /* Rejected: office, from registered, triaged, assigned; then notified, closed. */
  { REG, REJ, OFFICE }, { TRI, REJ, OFFICE }, { ASG, REJ, OFFICE },
  { REJ, NOT, OFFICE }, { REJ, CLO, OFFICE },
  /* Not possible: crew or office, from assigned or in_progress; then notified, closed. */
  { ASG, NPO, OFFICE }, { INP, NPO, OFFICE },
  { NPO, NOT, OFFICE }, { NPO, CLO, OFFICE },
  /* Reopen: office, back to triaged. */
  { DON, TRI, OFFICE }, { NPO, TRI, OFFICE }, { REJ, TRI, OFFICE }, { NOT, TRI, OFFICE },
  { CLO, TRI, OFFICE },
  /* Crew. */
  { ASG, INP, CREW }, { INP, DON, CREW }, { ASG, NPO, CREW }, { INP, NPO, CREW },
  /* Kiosk: nothing. */
};

static gboolean
expected_allowed (PayamStatus from, PayamStatus to, PayamRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowed_moves); i++)
    if (allowed_moves[i].from == from && allowed_moves[i].to == to && allowed_moves[i].role == role)
      return TRUE;
  return FALSE;
}

static gboolean
expected_exists (PayamStatus from, PayamStatus to)
{
  return expected_allowed (from, to, KIOSK) || expected_allowed (from, to, CREW)
         || expected_allowed (from, to, OFFICE);
}

static void
test_full_table (void **state)
{
  guint n_allowed = 0;
  guint n_checked = 0;

  for (int from = 0; from < PAYAM_N_STATUSES; from++)
    for (int to = 0; to < PAYAM_N_STATUSES; to++)
      for (int role = KIOSK; role <= OFFICE; role++)
        {
          PayamLifecycleContext ctx = { .from = from, .members_without_sent_notice = 0 };
          g_autoptr(GError) error = NULL;
          gboolean ok = payam_lifecycle_check (&ctx, to, role, "a reason", &error);
          gboolean expected = expected_allowed (from, to, role);

          n_checked++;
          if (ok != expected)
            fail_msg ("%s → %s by %s: got %s, expected %s",
                      payam_status_to_string (from), payam_status_to_string (to),
                      payam_role_to_string (role), ok ? "allowed" : error->message,
                      expected ? "allowed" : "refused");

          if (ok)
            {
              assert_null (error);
              n_allowed++;
            }
          else if (expected_exists (from, to))
            {
              assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                            PAYAM_LIFECYCLE_ERROR_ROLE));
            }
          else
            {
              assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                            PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED));
            }
        }

  assert_int_equal (n_checked, 9 * 9 * 3);
  assert_int_equal (n_allowed, G_N_ELEMENTS (allowed_moves));
}

static void
test_role_messages (void **state)
{
  PayamLifecycleContext assigned = { .from = ASG };
  PayamLifecycleContext registered = { .from = REG };
  g_autoptr(GError) kiosk = NULL;
  g_autoptr(GError) crew = NULL;
  g_autoptr(GError) nowhere = NULL;
  g_autoptr(GError) same = NULL;

  assert_false (payam_lifecycle_check (&assigned, INP, KIOSK, NULL, &kiosk));
  assert_non_null (strstr (kiosk->message, "kiosk"));

  assert_false (payam_lifecycle_check (&assigned, REJ, CREW, "no", &crew));
  assert_true (g_error_matches (crew, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE));
  assert_non_null (strstr (crew->message, "Only the office"));
  assert_non_null (strstr (crew->message, payam_status_label (ASG)));
  assert_non_null (strstr (crew->message, payam_status_label (REJ)));

  assert_false (payam_lifecycle_check (&registered, NOT, OFFICE, NULL, &nowhere));
  assert_non_null (strstr (nowhere->message, payam_status_label (REG)));
  assert_non_null (strstr (nowhere->message, payam_status_label (NOT)));

  assert_false (payam_lifecycle_check (&assigned, ASG, OFFICE, NULL, &same));
  assert_true (g_error_matches (same, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED));
  assert_non_null (strstr (same->message, "already"));
}

static void
test_reasons (void **state)
{
  static const struct {
    const char *reason;
    gboolean    given;
  } reasons[] = {
    { NULL, FALSE },
    { "", FALSE },
    { " ", FALSE },
    { "\t\n  \r", FALSE },
    { "\u00a0\u2003", FALSE },           /* no-break space, em space */
    { "\u200c \u200f\u200e", FALSE },    /* ZWNJ and bidi marks only */
    { "\u2068 \u2069", FALSE },          /* empty isolate */
    { "\xff\xfe", FALSE },               /* not UTF-8 */
    { "x", TRUE },
    { "  street is private  ", TRUE },
    { "کوچه بن‌بست است", TRUE },
    { "\u200c۱", TRUE },
  };
  static const struct {
    PayamStatus from;
    PayamStatus to;
    PayamRole   role;
  } moves[] = {
    { ASG, NPO, CREW }, { INP, NPO, CREW }, { ASG, NPO, OFFICE }, { INP, NPO, OFFICE },
    { REG, REJ, OFFICE }, { TRI, REJ, OFFICE }, { ASG, REJ, OFFICE },
  };

  for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
    for (guint r = 0; r < G_N_ELEMENTS (reasons); r++)
      {
        PayamLifecycleContext ctx = { .from = moves[m].from };
        g_autoptr(GError) error = NULL;
        gboolean ok = payam_lifecycle_check (&ctx, moves[m].to, moves[m].role,
                                             reasons[r].reason, &error);

        if (ok != reasons[r].given)
          fail_msg ("reason %u for %s → %s", r, payam_status_to_string (moves[m].from),
                    payam_status_to_string (moves[m].to));
        if (!ok)
          assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                        PAYAM_LIFECYCLE_ERROR_REASON_REQUIRED));
      }
}

static void
test_reason_not_needed_elsewhere (void **state)
{
  /* Every other allowed move works without a reason. */
  for (guint i = 0; i < G_N_ELEMENTS (allowed_moves); i++)
    {
      PayamLifecycleContext ctx = { .from = allowed_moves[i].from };
      gboolean ok;

      if (allowed_moves[i].to == NPO || allowed_moves[i].to == REJ)
        continue;
      ok = payam_lifecycle_check (&ctx, allowed_moves[i].to, allowed_moves[i].role, NULL, NULL);
      assert_true (ok);
    }
}

static void
test_error_order (void **state)
{
  PayamLifecycleContext assigned = { .from = ASG };
  PayamLifecycleContext registered = { .from = REG, .members_without_sent_notice = 5 };
  g_autoptr(GError) role_first = NULL;
  g_autoptr(GError) move_first = NULL;

  /* A crew rejecting without reason: the role is the problem, not the reason. */
  assert_false (payam_lifecycle_check (&assigned, REJ, CREW, NULL, &role_first));
  assert_true (g_error_matches (role_first, PAYAM_LIFECYCLE_ERROR, PAYAM_LIFECYCLE_ERROR_ROLE));

  /* Closing a registered request: no such move, whatever the feedback. */
  assert_false (payam_lifecycle_check (&registered, CLO, OFFICE, NULL, &move_first));
  assert_true (g_error_matches (move_first, PAYAM_LIFECYCLE_ERROR,
                                PAYAM_LIFECYCLE_ERROR_NOT_ALLOWED));
}

static void
test_close_needs_feedback (void **state)
{
  static const PayamStatus closable[] = { DON, NPO, REJ, NOT };
  static const guint pending[] = { 1, 2, 3, 17, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (closable); i++)
    {
      PayamLifecycleContext ctx = { .from = closable[i], .members_without_sent_notice = 0 };

      assert_true (payam_lifecycle_check (&ctx, CLO, OFFICE, NULL, NULL));

      for (guint j = 0; j < G_N_ELEMENTS (pending); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *count = payam_format_integer (pending[j]);

          ctx.members_without_sent_notice = pending[j];
          assert_false (payam_lifecycle_check (&ctx, CLO, OFFICE, NULL, &error));
          assert_true (g_error_matches (error, PAYAM_LIFECYCLE_ERROR,
                                        PAYAM_LIFECYCLE_ERROR_FEEDBACK_PENDING));
          /* The message says how many, in the digits people read. */
          assert_non_null (strstr (error->message, count));
          assert_non_null (strstr (error->message,
                                   pending[j] == 1 ? "citizen has" : "citizens have"));
        }

      /* Pending feedback blocks only closing. */
      ctx.members_without_sent_notice = 4;
      assert_true (payam_lifecycle_check (&ctx, TRI, OFFICE, NULL, NULL));
    }

  {
    PayamLifecycleContext done = { .from = DON, .members_without_sent_notice = 2 };

    assert_true (payam_lifecycle_check (&done, NOT, OFFICE, NULL, NULL));
  }
}

static void
test_is_reopen (void **state)
{
  for (int from = 0; from < PAYAM_N_STATUSES; from++)
    for (int to = 0; to < PAYAM_N_STATUSES; to++)
      {
        gboolean expected = to == TRI
                            && (from == DON || from == NPO || from == REJ
                                || from == NOT || from == CLO);

        assert_int_equal (payam_lifecycle_is_reopen (from, to), expected);
        /* Every reopen is an office-only move of the table. */
        if (expected)
          {
            assert_true (expected_allowed (from, to, OFFICE));
            assert_false (expected_allowed (from, to, CREW));
          }
      }
}

static void
test_is_open (void **state)
{
  static const gboolean expected[PAYAM_N_STATUSES] = {
    [REG] = TRUE, [TRI] = TRUE, [ASG] = TRUE, [INP] = TRUE,
    [DON] = FALSE, [NPO] = FALSE, [REJ] = FALSE, [NOT] = FALSE, [CLO] = FALSE,
  };

  for (int s = 0; s < PAYAM_N_STATUSES; s++)
    assert_int_equal (payam_status_is_open (s), expected[s]);
}

static void
test_labels (void **state)
{
  /* LC_ALL=C: the English msgids; the Persian ones come from po/fa.po. */
  static const char * const expected[PAYAM_N_STATUSES] = {
    [REG] = "Registered", [TRI] = "Triaged", [ASG] = "Assigned", [INP] = "In progress",
    [DON] = "Done", [NPO] = "Not possible", [REJ] = "Rejected", [NOT] = "Notified",
    [CLO] = "Closed",
  };

  for (int s = 0; s < PAYAM_N_STATUSES; s++)
    assert_string_equal (payam_status_label (s), expected[s]);
}

static void
test_status_names (void **state)
{
  static const struct {
    PayamStatus status;
    const char *name;
  } cases[] = {
    { REG, "registered" }, { TRI, "triaged" }, { ASG, "assigned" }, { INP, "in_progress" },
    { DON, "done" }, { NPO, "not_possible" }, { REJ, "rejected" }, { NOT, "notified" },
    { CLO, "closed" },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == PAYAM_N_STATUSES);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamStatus back = CLO + 1;

      assert_string_equal (payam_status_to_string (cases[i].status), cases[i].name);
      assert_true (payam_status_from_string (cases[i].name, &back));
      assert_int_equal (back, cases[i].status);
    }
}

static void
test_channel_and_role_names (void **state)
{
  static const struct {
    PayamChannel channel;
    const char  *name;
  } channels[] = {
    { PAYAM_CHANNEL_KIOSK, "kiosk" }, { PAYAM_CHANNEL_CREW, "crew" },
    { PAYAM_CHANNEL_OFFICE, "office" }, { PAYAM_CHANNEL_PHONE, "phone" },
  };
  static const struct {
    PayamRole   role;
    const char *name;
  } roles[] = {
    { KIOSK, "kiosk" }, { CREW, "crew" }, { OFFICE, "office" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      PayamChannel back = 99;

      assert_string_equal (payam_channel_to_string (channels[i].channel), channels[i].name);
      assert_true (payam_channel_from_string (channels[i].name, &back));
      assert_int_equal (back, channels[i].channel);
    }

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      PayamRole back = 99;

      assert_string_equal (payam_role_to_string (roles[i].role), roles[i].name);
      assert_true (payam_role_from_string (roles[i].name, &back));
      assert_int_equal (back, roles[i].role);
    }
}

static void
test_unknown_names (void **state)
{
  static const char * const bad[] = {
    "", "Done", "DONE", "done ", " done", "in-progress", "inprogress", "In_progress",
    "notpossible", "close", "register", "admin", "Kiosk", "telephone", "کیوسک",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PayamStatus status = DON;
      PayamChannel channel = PAYAM_CHANNEL_PHONE;
      PayamRole role = CREW;

      assert_false (payam_status_from_string (bad[i], &status));
      assert_false (payam_channel_from_string (bad[i], &channel));
      assert_false (payam_role_from_string (bad[i], &role));
      /* Left untouched on failure. */
      assert_int_equal (status, DON);
      assert_int_equal (channel, PAYAM_CHANNEL_PHONE);
      assert_int_equal (role, CREW);
    }

  {
    PayamStatus status = TRI;

    assert_false (payam_status_from_string (NULL, &status));
    assert_int_equal (status, TRI);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_table),
    cmocka_unit_test (test_role_messages),
    cmocka_unit_test (test_reasons),
    cmocka_unit_test (test_reason_not_needed_elsewhere),
    cmocka_unit_test (test_error_order),
    cmocka_unit_test (test_close_needs_feedback),
    cmocka_unit_test (test_is_reopen),
    cmocka_unit_test (test_is_open),
    cmocka_unit_test (test_labels),
    cmocka_unit_test (test_status_names),
    cmocka_unit_test (test_channel_and_role_names),
    cmocka_unit_test (test_unknown_names),
  };

  return cmocka_run_group_tests_name ("lifecycle", tests, NULL, NULL);
}
