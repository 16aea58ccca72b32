#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The automatic threshold's rule (bench/duplicates/threshold_rule.py, issue #11): the
lowest threshold whose group --auto precision has its bootstrap 95% lower bound >= 0.90,
not the lowest whose point estimate does; and the replayed plan does not chain. Skips
(77) without numpy."""

import os
import sys

try:
    import numpy  # noqa: F401
except ImportError:
    print("1..0 # SKIP python3-numpy missing")
    sys.exit(0)

sys.path.insert(0, os.path.join(sys.argv[1], "bench", "duplicates"))
import threshold_rule  # noqa: E402

checks = []


def check(ok, what):
    checks.append((bool(ok), what))


# Three messages, one problem: A-B sure, B-C sure, A-C unknown. Average linkage at 0.7
# must not chain C in through B (mean link (0.95 + 0) / 2 < 0.7); at 0.45 it may.
pairs = {(0, 1): 0.95, (1, 2): 0.95}
clusters = threshold_rule.plan(3, pairs, 0.7)
check(sorted(map(sorted, clusters)) == [[0, 1]] or sorted(map(sorted, clusters)) == [[1, 2]],
      "no chaining at 0.7")
check(sorted(map(sorted, threshold_rule.plan(3, pairs, 0.45))) == [[0, 1, 2]], "joins as a whole at 0.45")
# The size limit: ten messages of one problem, every pair sure, never a cluster over 8.
full = {(i, j): 0.99 for i in range(10) for j in range(i + 1, 10)}
check(max(len(c) for c in threshold_rule.plan(10, full, 0.5)) <= threshold_rule.GROUP_LIMIT, "size limit")

# 100 problems of two messages (their pair 0.85) and 20 single messages of their own
# problems paired off by mistake at 0.65 (10 wrong pairs): at 0.65 the point precision is
# 100 / 110 = 0.909 >= 0.90, but its lower bound over problems is below 0.90; at 0.7 and
# 0.8 only the true pairs.
problem_of = []
pairs = {}
for p in range(100):
    a = len(problem_of)
    problem_of += [f"p{p}", f"p{p}"]
    pairs[(a, a + 1)] = 0.85
for s in range(10):
    a = len(problem_of)
    problem_of += [f"s{2 * s}", f"s{2 * s + 1}"]
    pairs[(a, a + 1)] = 0.65
grid = [0.6, 0.65, 0.7, 0.8, 0.9]
chosen, table = threshold_rule.choose(len(problem_of), pairs, problem_of, grid, 0.90, true_pairs=100)
row = {r[0]: r for r in table}
check(row[0.65][1] >= 0.90, f"point precision at 0.65 >= 0.90 ({row[0.65][1]:.3f})")
check(row[0.65][2] < 0.90, f"its lower bound < 0.90 ({row[0.65][2]:.3f})")
check(row[0.7][1] == 1.0 and row[0.7][2] == 1.0, "0.7: only true pairs")
check(row[0.9][4] == 0.0, "0.9: nothing proposed")
check(chosen == 0.7, f"the rule chooses 0.7 (the lowest whose lower bound passes), not {chosen}")
check(threshold_rule.choose(len(problem_of), pairs, problem_of, [0.6, 0.65], 0.90)[0] is None,
      "no threshold when none passes")

print(f"1..{len(checks)}")
for k, (ok, what) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {k} - {what}")
sys.exit(0 if all(ok for ok, _ in checks) else 1)
