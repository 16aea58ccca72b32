#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Look inside a pair model file on bench-pair-features output, scored in Python as
src/core/payam-pair-model.c scores (logistic part, trees, conflict cap, calibration).
Development only (never the figures of evaluate-pair-model.py, which go through the
product); every share with a bootstrap 95% interval.

  --text-pairs F   bench-pair-features --text-pairs output (FarsTail: labels e, c, n):
                   share of each label with word cosine >= 0.5 called the same at the
                   automatic threshold, and the same contradictions in other settings
                   (place unknown; three days apart; another street)
  --replay T J     a generator set's features T and messages J: group --auto replayed
                   (threshold_rule.py) at the model's threshold, precision and recall
                   (problems resampled), and where its true candidate pairs fall

  /usr/bin/python3 bench/duplicates/inspect-pair-model.py --model src/core/data/pair-model.json \\
      --text-pairs /tmp/dc/fs-val-f.tsv --replay /tmp/dc/gen-5001.tsv /tmp/dc/gen-5001.jsonl
"""

import argparse
import collections
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import threshold_rule  # noqa: E402

_spec = importlib.util.spec_from_file_location("train", os.path.join(HERE, "train-pair-model.py"))
train = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train)


def score(model, names, x):
    x = x[:, [names.index(n) for n in model["features"]]]
    z = x @ np.array(model["weights"]) + model["intercept"]
    if "trees" in model:
        t = model["trees"]
        z += train.trees_score(t["nodes"], t["roots"], np.hstack([x, (x @ np.array(t["text_score"]))[:, None]]))
    if "conflict_cap" in model:
        f = model["features"]
        hit = np.any(x[:, [f.index(n) for n in train.CONFLICTS]] > 0, axis=1)
        z = np.where(hit, np.minimum(z, model["conflict_cap"]), z)
    return np.interp(z, model["calibration"]["linear"], model["calibration"]["probability"])


def share(v, rng, draws=1000):
    v = np.asarray(v, dtype=float)
    if not len(v):
        return "-"
    lo, hi = np.percentile([v[rng.randint(0, len(v), len(v))].mean() for _ in range(draws)], [2.5, 97.5])
    return f"{v.mean():.3f} ({lo:.3f} … {hi:.3f}) of {len(v)}"


def text_pairs(model, path, rng):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    names = header[2:]
    x = np.array([[float(v) for v in r[2:]] for r in rows])
    label = np.array([r[0] for r in rows])
    auto = model["auto_threshold"]
    high = x[:, names.index("word_cosine")] >= 0.5
    p = score(model, names, x)
    print(f"{os.path.basename(path)}, word cosine >= 0.5, called the same at {auto:.3f}:")
    for lab in ("c", "e", "n"):
        print(f"  {lab}: {share(p[(label == lab) & high] >= auto, rng)}")
    hard = x[(label == "c") & high]

    def setting(**values):
        y = hard.copy()
        for k, v in values.items():
            y[:, names.index(k)] = v
        return share(score(model, names, y) >= auto, rng)
    print("  contradictions as evaluated (one street, one category, an hour):", setting())
    print("  place unknown (only the neighbourhood):", setting(same_street=0, place_unknown=1, text_near=0))
    print("  three days apart:", setting(log_days=float(np.log1p(3.0))))
    print("  another street:", setting(same_street=0, other_street=1, text_near=0))


def replay(model, tsv, jsonl, rng):
    names, meta, x, y = train.read_tsv(tsv)
    p = score(model, names, x)
    auto, review = model["auto_threshold"], model["review_threshold"]
    ids = sorted({m[0] for m in meta} | {m[1] for m in meta})
    index = {m: k for k, m in enumerate(ids)}
    with open(jsonl, encoding="utf-8") as f:
        messages = [json.loads(line) for line in f if line.strip()]
    problem_of_id = {m["id"]: m["problem_id"] for m in messages}
    problem_of = [problem_of_id[i] for i in ids]
    pairs = {}
    for m, pp in zip(meta, p):
        if pp >= review:
            key = tuple(sorted((index[m[0]], index[m[1]])))
            pairs[key] = max(pairs.get(key, 0.0), float(pp))
    sizes = collections.Counter(m["problem_id"] for m in messages)
    problems = sorted(sizes)
    true = np.array([sizes[q] * (sizes[q] - 1) / 2 for q in problems])
    clusters = threshold_rule.plan(len(ids), pairs, auto)
    tp, proposed = threshold_rule.proposed_counts(clusters, problem_of, problems)
    draws = rng.randint(0, len(problems), (1000, len(problems)))
    prec = threshold_rule.precision_bound(tp, proposed, draws)
    rec = tp[draws].sum(axis=1) / true[draws].sum(axis=1)
    lo, hi = np.percentile(rec, [2.5, 97.5])
    print(f"{os.path.basename(tsv)}: group --auto replayed at {auto:.3f}: precision {prec[0]:.3f} "
          f"({prec[1]:.3f} … {prec[2]:.3f}), recall {tp.sum() / true.sum():.3f} ({lo:.3f} … {hi:.3f}), "
          f"{proposed.sum():.0f} pairs; true pairs among the candidates "
          f"{len({tuple(sorted(m[:2])) for m, v in zip(meta, y) if v == 1})} of {true.sum():.0f}")
    col = {n: x[:, names.index(n)] for n in names}
    place = np.select([col["both_located"] == 1, col["same_street"] == 1, col["same_landmark"] == 1,
                       col["place_unknown"] == 1], ["both points", "same street", "same landmark",
                                                    "one side only the neighbourhood"], "other")
    category = np.where(col["same_category"] == 1, "same", "related or other")
    print("| place | category | true: auto | band | below | others: auto | band |")
    print("|---|---|---|---|---|---|---|")
    for pl in ("both points", "same street", "same landmark", "one side only the neighbourhood"):
        for cat in ("same", "related or other"):
            s = (place == pl) & (category == cat)
            t, o = s & (y == 1), s & (y == 0)
            print(f"| {pl} | {cat} | {int((t & (p >= auto)).sum())} | "
                  f"{int((t & (p < auto) & (p >= review)).sum())} | {int((t & (p < review)).sum())} | "
                  f"{int((o & (p >= auto)).sum())} | {int((o & (p < auto) & (p >= review)).sum())} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                    "src/core/data/pair-model.json"))
    ap.add_argument("--text-pairs", action="append", default=[])
    ap.add_argument("--replay", nargs=2, action="append", default=[], metavar=("TSV", "JSONL"))
    args = ap.parse_args()
    with open(args.model, encoding="utf-8") as f:
        model = json.load(f)
    rng = np.random.RandomState(1)
    for path in args.text_pairs:
        text_pairs(model, path, rng)
    for tsv, jsonl in args.replay:
        replay(model, tsv, jsonl, rng)


if __name__ == "__main__":
    main()
