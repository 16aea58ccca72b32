/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the merge rules: each decision, and convergence over every order of a few ops. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "payam-merge.h"
#include "payam-merge-groups.h"

#define P(ms, c) ((((guint64) (ms)) << 16) | (c))

#define DEV_A "018c0000-0000-7000-8000-00000000000a"
#define DEV_B "018c0000-0000-7000-8000-00000000000b"
#define DEV_C "018c0000-0000-7000-8000-00000000000c"

static void
test_rules (void **state)
{
  static const struct {
    const char     *entity;
    const char     *field;
    PayamMergeRule  rule;
  } cases[] = {
    { "request", "*", PAYAM_MERGE_RULE_CREATE },
    { "request", "text", PAYAM_MERGE_RULE_LWW },
    { "request", "category", PAYAM_MERGE_RULE_LWW },
    { "request", "neighbourhood", PAYAM_MERGE_RULE_LWW },
    { "request", "phone", PAYAM_MERGE_RULE_LWW },
    { "request", "status", PAYAM_MERGE_RULE_STATUS },
    { "request", "deleted", PAYAM_MERGE_RULE_TOMBSTONE },
    { "worksheet", "status", PAYAM_MERGE_RULE_STATE },
    { "dup_group", "state", PAYAM_MERGE_RULE_STATE },
    { "worksheet_action", "worksheet_id", PAYAM_MERGE_RULE_LWW },
    { "crew", "*", PAYAM_MERGE_RULE_CREATE },
    { "worksheet_action", "*", PAYAM_MERGE_RULE_CREATE },
    { "worksheet_action", "note", PAYAM_MERGE_RULE_NONE },
    { "rating", "*", PAYAM_MERGE_RULE_CREATE },
    { "rating", "score", PAYAM_MERGE_RULE_NONE },
    { "notice", "state", PAYAM_MERGE_RULE_LWW },
    { "photo", "*", PAYAM_MERGE_RULE_CREATE },
    { "request", "tracking_code", PAYAM_MERGE_RULE_NONE },
    { "staff", "*", PAYAM_MERGE_RULE_CREATE },
    { "staff", "pin_hash", PAYAM_MERGE_RULE_NONE },
    { "audit", "*", PAYAM_MERGE_RULE_NONE },
    { "request", "", PAYAM_MERGE_RULE_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_int_equal (payam_merge_rule_for (cases[i].entity, cases[i].field), cases[i].rule);
  assert_int_equal (payam_merge_rule_for (NULL, "*"), PAYAM_MERGE_RULE_NONE);
  assert_string_equal (payam_conflict_kind_to_string (PAYAM_CONFLICT_CONCURRENT_EDIT),
                       "concurrent-edit");
  assert_string_equal (payam_conflict_kind_to_string (PAYAM_CONFLICT_VALIDATION), "rejected");
  assert_null (payam_conflict_kind_to_string (PAYAM_CONFLICT_NONE));
}

static void
test_field (void **state)
{
  static const struct {
    const char        *what;
    PayamHlc           stored_hlc;
    const char        *stored_dev;
    PayamHlc           in_hlc;
    const char        *in_dev;
    PayamHlc           base;
    gboolean           closed;
    PayamMergeAction   action;
    PayamConflictKind  conflict;
  } cases[] = {
    { "no version yet", 0, NULL, P (10, 0), DEV_A, 0, FALSE,
      PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE },
    { "a sequential edit", P (10, 0), DEV_A, P (20, 0), DEV_B, P (10, 0), FALSE,
      PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE },
    { "a replay", P (20, 0), DEV_B, P (20, 0), DEV_B, P (10, 0), FALSE,
      PAYAM_MERGE_SAME, PAYAM_CONFLICT_NONE },
    { "an older edit, concurrent", P (20, 0), DEV_B, P (15, 0), DEV_A, P (10, 0), FALSE,
      PAYAM_MERGE_SUPERSEDED, PAYAM_CONFLICT_CONCURRENT_EDIT },
    { "a newer edit, concurrent", P (15, 0), DEV_A, P (20, 0), DEV_B, P (10, 0), FALSE,
      PAYAM_MERGE_APPLY, PAYAM_CONFLICT_CONCURRENT_EDIT },
    { "equal stamps: the greater device wins", P (20, 3), DEV_A, P (20, 3), DEV_B, P (10, 0),
      FALSE, PAYAM_MERGE_APPLY, PAYAM_CONFLICT_CONCURRENT_EDIT },
    { "equal stamps: the smaller device loses", P (20, 3), DEV_B, P (20, 3), DEV_A, P (10, 0),
      FALSE, PAYAM_MERGE_SUPERSEDED, PAYAM_CONFLICT_CONCURRENT_EDIT },
    { "the counter orders within a millisecond", P (20, 4), DEV_A, P (20, 5), DEV_A,
      P (20, 4), FALSE, PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE },
    /* A device whose clock runs an hour ahead wins against a later edit made on a right
     * clock: LWW orders stamps, not real time; the server's 10-minute limit bounds it. */
    { "skewed clock ahead wins", P (3600000 + 10, 0), DEV_C, P (20, 0), DEV_A,
      P (5, 0), FALSE, PAYAM_MERGE_SUPERSEDED, PAYAM_CONFLICT_CONCURRENT_EDIT },
    { "skewed clock behind loses even when later", P (1000, 0), DEV_A, P (900, 0), DEV_B,
      P (1000, 0), FALSE, PAYAM_MERGE_SUPERSEDED, PAYAM_CONFLICT_NONE },
    { "an edit of a closed row", P (10, 0), DEV_A, P (20, 0), DEV_B, P (10, 0), TRUE,
      PAYAM_MERGE_APPLY, PAYAM_CONFLICT_EDIT_AFTER_CLOSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamMergeStamp stored = { cases[i].stored_hlc, cases[i].stored_dev };
      PayamMergeStamp in = { cases[i].in_hlc, cases[i].in_dev };
      PayamMergeDecision d = payam_merge_decide_field (&stored, &in, cases[i].base,
                                                       cases[i].closed);

      if (d.action != cases[i].action || d.conflict != cases[i].conflict)
        fail_msg ("%s: action %d conflict %d", cases[i].what, d.action, d.conflict);
    }
}

#define REG PAYAM_STATUS_REGISTERED
#define TRI PAYAM_STATUS_TRIAGED
#define ASG PAYAM_STATUS_ASSIGNED
#define INP PAYAM_STATUS_IN_PROGRESS
#define DON PAYAM_STATUS_DONE
#define CLO PAYAM_STATUS_CLOSED

static void
test_status (void **state)
{
  static const struct {
    const char        *what;
    PayamMergeStatus   stored;
    PayamMergeStatus   in;
    PayamHlc           base;
    PayamMergeAction   action;
    PayamConflictKind  conflict;
  } cases[] = {
    { "a forward move", { 0, ASG, P (10, 0), NULL }, { 0, INP, P (20, 0), NULL }, P (10, 0),
      PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE },
    /* The crew marked in_progress offline (stamped later than the office's done). */
    { "stale in_progress cannot undo done", { 0, DON, P (10, 0), NULL },
      { 0, INP, P (50, 0), NULL }, P (5, 0), PAYAM_MERGE_SUPERSEDED,
      PAYAM_CONFLICT_STALE_STATUS },
    { "done over a concurrent in_progress", { 0, INP, P (50, 0), NULL },
      { 0, DON, P (10, 0), NULL }, P (5, 0), PAYAM_MERGE_APPLY, PAYAM_CONFLICT_STALE_STATUS },
    { "reopen raises the epoch over closed", { 0, CLO, P (10, 0), NULL },
      { 1, TRI, P (20, 0), NULL }, P (10, 0), PAYAM_MERGE_APPLY, PAYAM_CONFLICT_NONE },
    { "done of the old epoch loses to the reopen", { 1, TRI, P (20, 0), NULL },
      { 0, DON, P (30, 0), NULL }, P (10, 0), PAYAM_MERGE_SUPERSEDED,
      PAYAM_CONFLICT_STALE_STATUS },
    { "the same status: the later version wins (its reason)", { 0, DON, P (10, 0), NULL },
      { 0, DON, P (11, 0), NULL }, P (5, 0), PAYAM_MERGE_APPLY, PAYAM_CONFLICT_STALE_STATUS },
    { "a replay", { 0, DON, P (10, 0), DEV_B }, { 0, DON, P (10, 0), DEV_B }, P (5, 0),
      PAYAM_MERGE_SAME, PAYAM_CONFLICT_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamMergeStatus stored = cases[i].stored;
      PayamMergeStatus in = cases[i].in;
      PayamMergeDecision d;

      /* Unless the case names them, the stored version is A's and the op B's. */
      if (stored.device == NULL)
        stored.device = DEV_A;
      if (in.device == NULL)
        in.device = DEV_B;
      d = payam_merge_decide_status (&stored, &in, cases[i].base);
      if (d.action != cases[i].action || d.conflict != cases[i].conflict)
        fail_msg ("%s: action %d conflict %d", cases[i].what, d.action, d.conflict);
    }

  /* Equal stamps on both sides: the device id breaks the tie, the same either way round. */
  {
    PayamMergeStatus a = { 0, DON, P (10, 1), DEV_A };
    PayamMergeStatus b = { 0, DON, P (10, 1), DEV_B };

    assert_true (payam_merge_status_compare (&a, &b) < 0);
    assert_true (payam_merge_status_compare (&b, &a) > 0);
    assert_int_equal (payam_merge_decide_status (&a, &b, 0).action, PAYAM_MERGE_APPLY);
    assert_int_equal (payam_merge_decide_status (&b, &a, 0).action, PAYAM_MERGE_SUPERSEDED);
  }
}

static void
test_tombstone_and_create (void **state)
{
  PayamMergeStamp none = { 0, NULL };
  PayamMergeStamp early = { P (10, 0), DEV_B };
  PayamMergeStamp late = { P (20, 0), DEV_A };

  assert_int_equal (payam_merge_decide_tombstone (&none, &late).action, PAYAM_MERGE_APPLY);
  assert_int_equal (payam_merge_decide_tombstone (&late, &early).action, PAYAM_MERGE_APPLY);
  assert_int_equal (payam_merge_decide_tombstone (&early, &late).action,
                    PAYAM_MERGE_SUPERSEDED);
  assert_int_equal (payam_merge_decide_tombstone (&early, &early).action, PAYAM_MERGE_SAME);
  assert_int_equal (payam_merge_decide_create (FALSE).action, PAYAM_MERGE_APPLY);
  assert_int_equal (payam_merge_decide_create (TRUE).action, PAYAM_MERGE_SAME);
}

/* ---- convergence: every order of a few ops, each applied twice ---------------------- */

typedef struct {
  PayamMergeRule rule;
  PayamMergeStatus s;  /* the op (status fields used by STATUS; hlc/device by all) */
  int value;           /* the value written (LWW), or the element added (CREATE) */
} Op;

typedef struct {
  PayamMergeStatus s;
  int value;
  guint set;  /* CREATE: the elements present, as bits */
} Replica;

static const char *const worksheet_states[] = {
  "open", "assigned", "in_progress", "not_possible", "done", "merged",
};

static void
apply (Replica  *r,
       const Op *op)
{
  PayamMergeStamp stored = { r->s.hlc, r->s.device };
  PayamMergeStamp in = { op->s.hlc, op->s.device };
  PayamMergeDecision d = { PAYAM_MERGE_SAME, PAYAM_CONFLICT_NONE };

  switch (op->rule)
    {
    case PAYAM_MERGE_RULE_LWW:
      d = payam_merge_decide_field (&stored, &in, 0, FALSE);
      break;
    case PAYAM_MERGE_RULE_STATUS:
      d = payam_merge_decide_status (&r->s, &op->s, 0);
      break;
    case PAYAM_MERGE_RULE_TOMBSTONE:
      d = payam_merge_decide_tombstone (&stored, &in);
      break;
    case PAYAM_MERGE_RULE_STATE:
      {
        const char *have = r->value >= 0 ? worksheet_states[r->value] : NULL;
        const char *want = worksheet_states[op->value];

        d = payam_merge_decide_state (have, &stored, want, &in,
                                      payam_merge_worksheet_status (have, want), 0);
      }
      break;
    case PAYAM_MERGE_RULE_CREATE:
      d = payam_merge_decide_create ((r->set & (1u << op->value)) != 0);
      if (d.action == PAYAM_MERGE_APPLY)
        r->set |= 1u << op->value;
      return;
    case PAYAM_MERGE_RULE_NONE:
    default:
      fail ();
    }
  if (d.action == PAYAM_MERGE_APPLY)
    {
      r->s = op->s;
      r->value = op->value;
    }
}

static gboolean
next_permutation (guint *p,
                  guint  n)
{
  guint i = n - 1, j = n - 1;

  while (i > 0 && p[i - 1] >= p[i])
    i--;
  if (i == 0)
    return FALSE;
  while (p[j] <= p[i - 1])
    j--;
  { guint t = p[i - 1]; p[i - 1] = p[j]; p[j] = t; }
  for (j = n - 1; i < j; i++, j--)
    { guint t = p[i]; p[i] = p[j]; p[j] = t; }
  return TRUE;
}

static void
check_converges (const Op *ops,
                 guint     n,
                 int       expected_value,
                 guint     expected_set)
{
  guint p[8];
  guint orders = 0;

  g_assert (n <= G_N_ELEMENTS (p));
  for (guint i = 0; i < n; i++)
    p[i] = i;
  do
    {
      Replica r = { { 0, REG, 0, NULL }, -1, 0 };
      Replica twice;

      for (guint i = 0; i < n; i++)
        apply (&r, &ops[p[i]]);
      twice = r;
      /* Idempotent: everything again (in the reverse order) changes nothing. */
      for (guint i = n; i > 0; i--)
        apply (&twice, &ops[p[i - 1]]);
      assert_int_equal (r.value, expected_value);
      assert_int_equal (r.set, expected_set);
      assert_int_equal (twice.value, r.value);
      assert_int_equal (twice.set, r.set);
      assert_int_equal (twice.s.hlc, r.s.hlc);
      orders++;
    }
  while (next_permutation (p, n));
  assert_int_equal (orders, n == 3 ? 6 : n == 4 ? 24 : orders);
}

static void
test_converge (void **state)
{
  /* LWW: the greatest (HLC, device): equal stamps, skew, a duplicate. */
  const Op lww[] = {
    { PAYAM_MERGE_RULE_LWW, { 0, REG, P (30, 1), DEV_A }, 1 },
    { PAYAM_MERGE_RULE_LWW, { 0, REG, P (30, 1), DEV_C }, 2 },
    { PAYAM_MERGE_RULE_LWW, { 0, REG, P (3600000, 0), DEV_B }, 3 },
    { PAYAM_MERGE_RULE_LWW, { 0, REG, P (30, 1), DEV_C }, 2 },
  };
  /* Status: a stale in_progress, done, a reopen and the old epoch's closed. */
  const Op status[] = {
    { PAYAM_MERGE_RULE_STATUS, { 0, INP, P (90, 0), DEV_C }, 1 },
    { PAYAM_MERGE_RULE_STATUS, { 0, DON, P (40, 0), DEV_A }, 2 },
    { PAYAM_MERGE_RULE_STATUS, { 1, TRI, P (60, 0), DEV_B }, 3 },
    { PAYAM_MERGE_RULE_STATUS, { 0, CLO, P (50, 0), DEV_B }, 4 },
  };
  const Op tomb[] = {
    { PAYAM_MERGE_RULE_TOMBSTONE, { 0, REG, P (50, 0), DEV_A }, 1 },
    { PAYAM_MERGE_RULE_TOMBSTONE, { 0, REG, P (20, 0), DEV_B }, 2 },
    { PAYAM_MERGE_RULE_TOMBSTONE, { 0, REG, P (20, 0), DEV_A }, 3 },
  };
  /* Worksheet states: done beats a later in_progress and not_possible; of two dones the
   * later version is kept. */
  const Op states[] = {
    { PAYAM_MERGE_RULE_STATE, { 0, REG, P (10, 0), DEV_A }, 4 },
    { PAYAM_MERGE_RULE_STATE, { 0, REG, P (50, 0), DEV_B }, 2 },
    { PAYAM_MERGE_RULE_STATE, { 0, REG, P (20, 0), DEV_C }, 3 },
    { PAYAM_MERGE_RULE_STATE, { 0, REG, P (30, 0), DEV_C }, 4 },
  };
  const Op set[] = {
    { PAYAM_MERGE_RULE_CREATE, { 0, REG, P (1, 0), DEV_A }, 1 },
    { PAYAM_MERGE_RULE_CREATE, { 0, REG, P (2, 0), DEV_B }, 4 },
    { PAYAM_MERGE_RULE_CREATE, { 0, REG, P (3, 0), DEV_C }, 1 },
    { PAYAM_MERGE_RULE_CREATE, { 0, REG, P (4, 0), DEV_A }, 2 },
  };

  check_converges (lww, 4, 3, 0);
  check_converges (lww, 3, 3, 0);
  check_converges (lww, 2, 2, 0);
  check_converges (status, 4, 3, 0);
  check_converges (status, 2, 2, 0);
  check_converges (status + 1, 3, 3, 0);
  check_converges (tomb, 3, 3, 0);
  check_converges (states, 4, 4, 0);
  check_converges (states + 1, 3, 4, 0);
  check_converges (states + 1, 2, 3, 0);
  check_converges (set, 4, -1, (1u << 1) | (1u << 2) | (1u << 4));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_rules),
    cmocka_unit_test (test_field),
    cmocka_unit_test (test_status),
    cmocka_unit_test (test_tombstone_and_create),
    cmocka_unit_test (test_converge),
  };

  return cmocka_run_group_tests_name ("merge", tests, NULL, NULL);
}
