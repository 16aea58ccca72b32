# SPDX-License-Identifier: GPL-3.0-or-later
"""The automatic threshold's rule, shared by train-pair-model.py and its test.

The automatic threshold is the LOWEST threshold of a grid whose `group --auto` precision on
the calibration set has its bootstrap 95% LOWER bound (1,000 draws of problems, never of
pairs; percentile 2.5) at or above the target (0.90). `group --auto` is replayed here as
payam_dup_grouping_plan() does it on a fresh store (no existing groups, so every size
limit is PAYAM_DUP_GROUP_MIN_LIMIT): average linkage over the candidate pairs whose
probability reaches the review threshold (each pair once, the higher probability of its
two directions; a pair not known counts 0), clusters merging while the mean probability of
their cross pairs reaches the threshold and the merged size stays within the limit. Every
pair of messages inside one cluster is a proposed pair, as evaluate-pair-model.py counts
them through `payamctl groups`; a proposed pair of two problems counts half against each.
"""

import heapq

import numpy as np

GROUP_LIMIT = 8  # PAYAM_DUP_GROUP_MIN_LIMIT (src/core/payam-dup-grouping.h)


def plan(n_items, pairs, auto, limit=GROUP_LIMIT):
    """Clusters (lists of item indexes, two or more) of average linkage over @pairs, a dict
    {(a, b): probability} with a < b, merging while the mean link reaches @auto."""
    members = {i: [i] for i in range(n_items)}
    links = {i: {} for i in range(n_items)}
    version = [0] * n_items
    for (a, b), p in pairs.items():
        links[a][b] = links[a].get(b, 0.0) + p
        links[b][a] = links[b].get(a, 0.0) + p
    heap = []
    for a in links:
        for b, s in links[a].items():
            if b > a:
                heap.append((-s, a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < auto:
            break
        if version[a] != va or version[b] != vb:
            continue
        if len(members[a]) + len(members[b]) > limit:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        members[a].extend(members[b])
        members[b] = []
        links[a].pop(b, None)
        for o, s in links[b].items():
            if o == a:
                continue
            links[a][o] = links[a].get(o, 0.0) + s
            links[o][a] = links[o].get(a, 0.0) + s
            links[o].pop(b, None)
        links[b] = {}
        version[a] += 1
        version[b] += 1
        for o, s in links[a].items():
            # The heap's entry for (a, o) must carry both versions as they are now.
            x, y = (a, o) if a < o else (o, a)
            heapq.heappush(heap, (-s / (len(members[a]) * len(members[o])), x, y, version[x], version[y]))
    return [m for m in members.values() if len(m) >= 2]


def proposed_counts(clusters, problem_of, problems):
    """Per problem: true proposed pairs and proposed pairs (a pair of two problems counts
    half for each), as evaluate-pair-model.py counts them."""
    index = {p: k for k, p in enumerate(problems)}
    tp = np.zeros(len(problems))
    proposed = np.zeros(len(problems))
    for c in clusters:
        for i in range(len(c)):
            for j in range(i + 1, len(c)):
                pa, pb = index[problem_of[c[i]]], index[problem_of[c[j]]]
                if pa == pb:
                    tp[pa] += 1
                    proposed[pa] += 1
                else:
                    proposed[pa] += 0.5
                    proposed[pb] += 0.5
    return tp, proposed


def precision_bound(tp, proposed, draws):
    """Point precision and its bootstrap 95% interval over problems; @draws is a matrix of
    resampled problem indexes (one row a draw)."""
    point = tp.sum() / proposed.sum() if proposed.sum() else float("nan")
    num = tp[draws].sum(axis=1)
    den = proposed[draws].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        samples = num / den
    lo, hi = np.nanpercentile(samples, [2.5, 97.5]) if np.isfinite(samples).any() else (np.nan, np.nan)
    return float(point), float(lo), float(hi)


def choose(n_items, pairs, problem_of, grid, target=0.90, n_draws=1000, seed=1, true_pairs=None):
    """The lowest threshold of @grid whose group --auto precision has its bootstrap lower
    bound >= @target, and the table of every threshold tried: (threshold, precision, lower,
    upper, proposed pairs, recall or None). Returns (None, table) when none passes."""
    problems = sorted(set(problem_of))
    draws = np.random.RandomState(seed).randint(0, len(problems), (n_draws, len(problems)))
    table = []
    chosen = None
    for t in sorted(grid, reverse=True):
        clusters = plan(n_items, {k: p for k, p in pairs.items() if p > 0}, t)
        tp, proposed = proposed_counts(clusters, problem_of, problems)
        point, lo, hi = precision_bound(tp, proposed, draws)
        recall = float(tp.sum() / true_pairs) if true_pairs else None
        table.append((t, point, lo, hi, float(proposed.sum()), recall))
        if proposed.sum() and lo >= target:
            chosen = t
    return chosen, sorted(table)
