#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fit the duplicate pair model (src/core/data/pair-model.json).

Training only: the evaluation is evaluate-pair-model.py. The features come from the C
extractor (bench-pair-features, which runs the product's candidate index over a labelled
set), never from Python.

  FIT:        the labelled set's problems on the tuning side of a split by problem
              (numpy seed --seed), every candidate pair among their messages;
  CALIBRATE:  a generator set of its own seed (--calibration), never used for testing:
              an isotonic (monotone) map from the linear score to a probability, and the
              thresholds: automatic grouping at the lowest threshold of a grid whose
              group --auto precision on that set (replayed as the product plans it) has
              its bootstrap 95% lower bound over problems >= --precision (0.90;
              threshold_rule.py), the review band down to where --review-recall of the
              true pairs are reached.

Logistic regression by iteratively reweighted least squares with a small ridge on
standardised features, then --trees rounds of gradient boosting (Newton steps, regression
trees of --depth from scikit-learn) started from the logistic score, over the place,
category, time, number and negation features and the text score (TEXT_SCORE's
combination): the interactions a sum cannot express (the same words mean more on the same
street within the hour). The trees are written into the model as node arrays and scored
by src/core/payam-pair-model.c. The photo features are constant 0 in the generated sets (they have
no photos): their weights are priors (--photo-close, --photo-far), written as such.

Needs python3-numpy (Debian). Example (the committed model):

  ninja -C build bench/duplicates/bench-pair-features
  python3 bench/duplicates/generate-messages.py --seed 2001 --count 3000 -o /tmp/cal.jsonl
  ./build/bench/duplicates/bench-pair-features tests/data/messages-labelled.jsonl > /tmp/fit.tsv
  ./build/bench/duplicates/bench-pair-features /tmp/cal.jsonl > /tmp/cal.tsv
  # FarsTail train as text_a<TAB>text_b<TAB>label lines (tabs and newlines in texts as spaces)
  ./build/bench/duplicates/bench-pair-features --text-pairs /tmp/fs-train.tsv > /tmp/fs-train-f.tsv
  /usr/bin/python3 bench/duplicates/train-pair-model.py --fit /tmp/fit.tsv --calibration /tmp/cal.tsv \\
      --text-pairs /tmp/fs-train-f.tsv -o src/core/data/pair-model.json
"""

import argparse
import collections
import datetime
import hashlib
import json
import re
import sys

import numpy as np

import threshold_rule
from labelled_split import tuning_problems

META = ("a", "b", "problem_a", "problem_b", "same")
PHOTO = ("photos_close", "photos_far")
# Fitted on FarsTail's entailment/contradiction pairs (--text-pairs): the generated sets use
# negation in their phrasing of one problem and almost never say opposite states.
TEXT_ONLY = ("negation_differs", "polarity_conflict", "negation_conflict")
TEXT_FEATURES = ("text", "char_cosine", "word_cosine", "numbers_shared", "numbers_close",
                 "numbers_conflict") + TEXT_ONLY
# How alike two texts read, fitted on real Persian sentence pairs (exappc's tuning half,
# even ids: --text-fit) and entering the municipal fit as one combined score whose weight
# is fitted there: the generator's phrasing never decides what counts as a paraphrase.
TEXT_SCORE = ("text", "char_cosine", "word_cosine", "length_ratio")
# A pair with one of these keeps its linear score at most "conflict_cap" (the C scorer's
# payam_pair_model_linear()): numbers of one kind far apart, a negated verb the other text
# states, opposite states. None fires on a true candidate pair at the automatic threshold
# of the development seed 5001.
CONFLICTS = ("numbers_conflict", "negation_conflict", "polarity_conflict")


def read_text_pairs(path):
    """bench-pair-features --text-pairs output: FarsTail labels e (same) and c (different)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    names = header[2:]
    rows = [r for r in rows if r[0] in ("e", "c")]
    x = np.array([[float(v) for v in r[2:]] for r in rows])
    y = np.array([r[0] == "e" for r in rows], dtype=float)
    return names, x, y


def read_exappc_tuning(path):
    """bench-pair-features --text-pairs output of exappc (label id:paraphrase): the tuning
    half (even ids) only; the odd ids are evaluate-pair-model.py's held-out half."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    names = header[2:]
    rows = [r for r in rows if int(r[0].split(":")[0]) % 2 == 0]
    x = np.array([[float(v) for v in r[2:]] for r in rows])
    y = np.array([r[0].endswith(":paraphrase") for r in rows], dtype=float)
    return names, x, y


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if tuple(header[:5]) != META:
            sys.exit(f"{path}: not a bench-pair-features file")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    names = header[5:]
    meta = [r[:5] for r in rows]
    x = np.array([[float(v) for v in r[5:]] for r in rows], dtype=float)
    y = np.array([int(r[4]) for r in rows], dtype=float)
    return names, meta, x, y


def fit_logistic(x, y, ridge, offset=None):
    n, d = x.shape
    offset = np.zeros(n) if offset is None else offset
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, ridge)
    penalty[-1] = 0.0
    for _ in range(50):
        z = xb @ w + offset
        p = 1.0 / (1.0 + np.exp(-z))
        s = np.clip(p * (1 - p), 1e-9, None)
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * s[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], w[-1]


def isotonic(z, y):
    """Pool-adjacent-violators on labels y ordered by z: knots (mean z, mean y) per block."""
    order = np.argsort(z, kind="mergesort")
    zs, ys = z[order], y[order]
    blocks = []  # [sum_y, count, sum_z]
    for zi, yi in zip(zs, ys):
        blocks.append([yi, 1.0, zi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            sy, c, sz = blocks.pop()
            blocks[-1][0] += sy
            blocks[-1][1] += c
            blocks[-1][2] += sz
    kx = [b[2] / b[1] for b in blocks]
    ky = [b[0] / b[1] for b in blocks]
    # Strictly increasing x for interpolation (equal means can only come from ties).
    out_x, out_y = [], []
    for a, b in zip(kx, ky):
        if out_x and a <= out_x[-1]:
            out_y[-1] = max(out_y[-1], b)
            continue
        out_x.append(a)
        out_y.append(b)
    return out_x, out_y


def boost(x, y, z, cols, rounds, depth, rate, min_leaf):
    """Gradient boosting of the logistic loss from the score z: @rounds regression trees
    over the columns @cols of x (indexes into x; len(x[0]) means the text score, the last
    column appended by the caller). Returns the nodes and roots in the model's format."""
    from sklearn.tree import DecisionTreeRegressor

    nodes, roots = [], []
    z = z.copy()
    for t in range(rounds):
        p = 1.0 / (1.0 + np.exp(-z))
        h = np.clip(p * (1 - p), 1e-6, None)
        tree = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=min_leaf, random_state=t)
        tree.fit(x[:, cols], (y - p) / h, sample_weight=h)
        tr = tree.tree_
        base = len(nodes)
        roots.append(base)
        for k in range(tr.node_count):
            if tr.children_left[k] == -1:
                nodes.append([-1, 0.0, 0, 0, round(float(rate * tr.value[k][0][0]), 6)])
            else:
                nodes.append([int(cols[tr.feature[k]]), round(float(tr.threshold[k]), 6),
                              base + int(tr.children_left[k]), base + int(tr.children_right[k]), 0.0])
        z += trees_score(nodes, [base], x)
    return nodes, roots


def trees_score(nodes, roots, x):
    """What the C scorer adds for the trees (float64, input <= threshold goes left)."""
    out = np.zeros(len(x))
    for r in roots:
        at = np.full(len(x), r)
        while True:
            feat = np.array([nodes[a][0] for a in at])
            inner = feat >= 0
            if not inner.any():
                break
            thr = np.array([nodes[a][1] for a in at])
            left = np.array([nodes[a][2] for a in at])
            right = np.array([nodes[a][3] for a in at])
            v = x[np.arange(len(x)), np.where(inner, feat, 0)]
            at = np.where(inner, np.where(v <= thr, left, right), at)
        out += np.array([nodes[a][4] for a in at])
    return out


def calibrate(knots_x, knots_y, z):
    return np.interp(z, knots_x, knots_y)


def compact_numbers(text):
    """json.dumps(indent=1) text with every list of numbers on one line (a tree node a
    line): a readable file and diff."""
    def one_line(m):
        return "[" + ", ".join(part.strip() for part in m.group(1).split(",")) + "]"
    return re.sub(r"\[\s*(-?[0-9][-+0-9.eE,\s]*?)\s*\]", one_line, text)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fit", required=True, help="bench-pair-features output of the labelled set")
    ap.add_argument("--calibration", required=True, help="bench-pair-features output of a set of its own seed")
    ap.add_argument("--text-pairs", required=True,
                    help="bench-pair-features --text-pairs output of FarsTail's train split")
    ap.add_argument("--text-fit", required=True,
                    help="bench-pair-features --text-pairs output of exappc (label id:paraphrase); "
                    "only its even ids (the tuning half) are read")
    ap.add_argument("--fit-extra", action="append", default=[],
                    help="bench-pair-features output of a generator set of its own seed, fitted whole "
                    "(never a seed used for calibration or testing); may be given more than once")
    ap.add_argument("--contrast", help="bench-pair-features --text-pairs output of FarsTail's TRAIN split, "
                    "fitted with the municipal pairs: entailment = same, contradiction and neutral = "
                    "different (never the validation split)")
    ap.add_argument("--contrast-weight", type=int, default=1, help="copies of the --contrast rows")
    ap.add_argument("--no-conflict-cap", action="store_true",
                    help="no cap on the linear score of pairs whose texts contradict each other")
    ap.add_argument("--seed", type=int, default=11, help="seed of the split by problem")
    ap.add_argument("--ridge", type=float, default=1.0)
    ap.add_argument("--precision", type=float, default=0.90,
                    help="the automatic threshold is the lowest of the grid whose group --auto "
                    "precision on the calibration set has its bootstrap 95%% lower bound (problems "
                    "resampled) at or above this (threshold_rule.py)")
    ap.add_argument("--grid-step", type=float, default=0.005, help="step of the threshold grid")
    ap.add_argument("--grid-low", type=float, default=0.30, help="lowest threshold of the grid")
    ap.add_argument("--review-recall", type=float, default=0.95)
    ap.add_argument("--trees", type=int, default=100, help="boosting rounds (0: logistic only)")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--learning-rate", type=float, default=0.1)
    ap.add_argument("--min-leaf", type=int, default=50)
    ap.add_argument("--photo-close", type=float, default=2.0)
    ap.add_argument("--photo-far", type=float, default=-1.0)
    ap.add_argument("--note", default="", help="free text kept in the model's provenance")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    names, meta, x, y = read_tsv(args.fit)
    problems = {m[2] for m in meta} | {m[3] for m in meta}
    tuning = tuning_problems(problems, args.seed)
    keep = np.array([m[2] in tuning and m[3] in tuning for m in meta])
    xf, yf = x[keep], y[keep]
    extra = []
    for path in args.fit_extra:
        enames_, _, xe, ye = read_tsv(path)
        if enames_ != names:
            sys.exit(f"{path}: other features than {args.fit}")
        xf, yf = np.vstack([xf, xe]), np.concatenate([yf, ye])
        extra.append({"file": path.split("/")[-1], "sha256": sha256(path), "pairs": int(len(ye)),
                      "true_pairs": int(ye.sum())})

    contrast = None
    if args.contrast:
        # FarsTail train in the evaluated setting (one street, one category, an hour apart):
        # entailments as the same, contradictions and neutral pairs as different, so that
        # look-alike texts that say something else stop counting as one report there.
        with open(args.contrast, encoding="utf-8") as f:
            cheader = f.readline().rstrip("\n").split("\t")
            crows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        if cheader[2:] != names:
            sys.exit(f"{args.contrast}: other features than {args.fit}")
        crows = [r for r in crows if r[0] in ("e", "c", "n")]
        xc_ = np.array([[float(v) for v in r[2:]] for r in crows])
        yc_ = np.array([r[0] == "e" for r in crows], dtype=float)
        reps = max(1, int(args.contrast_weight))
        for _ in range(reps):
            xf, yf = np.vstack([xf, xc_]), np.concatenate([yf, yc_])
        contrast = {"file": args.contrast.split("/")[-1], "sha256": sha256(args.contrast),
                    "pairs": int(len(yc_)), "same": int(yc_.sum()), "copies": reps}

    # The negation and opposite-state weights from FarsTail, held fixed below.
    tnames, tx, ty = read_text_pairs(args.text_pairs)
    cols = [tnames.index(n) for n in TEXT_FEATURES]
    tmean, tstd = tx[:, cols].mean(axis=0), tx[:, cols].std(axis=0)
    tstd[tstd == 0] = 1.0
    tw, _ = fit_logistic((tx[:, cols] - tmean) / tstd, ty, args.ridge)
    fixed = {n: float(tw[i] / tstd[i]) for i, n in enumerate(TEXT_FEATURES) if n in TEXT_ONLY}
    offset = sum(fixed[n] * xf[:, names.index(n)] for n in TEXT_ONLY)

    # The text score: logistic on exappc's tuning half, its direction kept, its scale and
    # the rest fitted on the municipal pairs.
    enames, ex, ey = read_exappc_tuning(args.text_fit)
    ecols = [enames.index(n) for n in TEXT_SCORE]
    emean, estd = ex[:, ecols].mean(axis=0), ex[:, ecols].std(axis=0)
    ew, _ = fit_logistic((ex[:, ecols] - emean) / estd, ey, args.ridge)
    text_dir = ew / estd
    score_col = xf[:, [names.index(n) for n in TEXT_SCORE]] @ text_dir

    fitted = [i for i, n in enumerate(names)
              if n not in PHOTO and n not in TEXT_ONLY and n not in TEXT_SCORE and np.std(xf[:, i]) > 0]
    design = np.hstack([xf[:, fitted], score_col[:, None]])
    mean = design.mean(axis=0)
    std = design.std(axis=0)
    ws, b = fit_logistic((design - mean) / std, yf, args.ridge, offset)
    ws = ws / std
    weights = np.zeros(len(names))
    for n in TEXT_ONLY:
        weights[names.index(n)] = fixed[n]
    weights[fitted] = ws[:-1]
    for k, n in enumerate(TEXT_SCORE):
        weights[names.index(n)] = ws[-1] * text_dir[k]
    intercept = b - float(np.sum(ws * mean))
    weights[names.index("photos_close")] = args.photo_close
    weights[names.index("photos_far")] = args.photo_far

    # The trees, from the logistic score, over everything but the raw text features (they
    # enter as the text score) and the photos (constant here).
    text_input = np.zeros(len(names))
    for k, n in enumerate(TEXT_SCORE):
        text_input[names.index(n)] = ws[-1] * text_dir[k]
    tree_cols = [i for i, n in enumerate(names)
                 if n not in PHOTO and n not in TEXT_SCORE and n != "text_near" and np.std(xf[:, i]) > 0]
    tree_cols.append(len(names))
    def with_text(x):
        return np.hstack([x, (x @ text_input)[:, None]])
    nodes, roots = [], []
    if args.trees > 0:
        nodes, roots = boost(with_text(xf), yf, xf @ weights + intercept, tree_cols, args.trees,
                             args.depth, args.learning_rate, args.min_leaf)

    cnames, cmeta, xc, yc = read_tsv(args.calibration)
    if cnames != names:
        sys.exit("the two files have different features")
    zc = xc @ weights + intercept
    if roots:
        zc += trees_score(nodes, roots, with_text(xc))
    kx, ky = isotonic(zc, yc)
    pc = calibrate(kx, ky, zc)

    # Review threshold: the highest that still reaches the recall over the candidate pairs.
    order = np.argsort(-pc, kind="mergesort")
    tp = np.cumsum(yc[order])
    total = yc.sum()
    review = None
    for i in range(len(order)):
        if tp[i] >= args.review_recall * total:
            review = float(pc[order[i]])
            break
    review = max(review, 0.05)
    # Automatic threshold (threshold_rule.py): the lowest of the grid whose group --auto
    # precision on the calibration set, replayed as payam_dup_grouping_plan() does, has its
    # bootstrap 95% lower bound over problems at or above --precision.
    ids = sorted({m[0] for m in cmeta} | {m[1] for m in cmeta})
    index = {m: k for k, m in enumerate(ids)}
    problem_of = [None] * len(ids)
    for m in cmeta:
        problem_of[index[m[0]]], problem_of[index[m[1]]] = m[2], m[3]
    sizes = collections.Counter(problem_of)
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    grid = [round(t, 6) for t in np.arange(args.grid_low, 0.95 + 1e-9, args.grid_step)]

    def rule(prob):
        pairs = {}
        for m, p in zip(cmeta, prob):
            if p < review:
                continue
            key = tuple(sorted((index[m[0]], index[m[1]])))
            pairs[key] = max(pairs.get(key, 0.0), float(p))
        return threshold_rule.choose(len(ids), pairs, problem_of, grid, args.precision,
                                     true_pairs=true_pairs)

    auto, table = rule(pc)
    if auto is None:
        sys.exit("no threshold of the grid reaches the precision's lower bound")
    # The conflict cap (payam_pair_model_linear()): a pair whose texts contradict each other
    # (CONFLICTS) keeps a linear score at most the highest knot whose probability is below
    # the automatic threshold; the threshold is chosen again with the capped pairs until
    # both agree.
    cap = None
    if not args.no_conflict_cap:
        conflicting = np.any(xc[:, [names.index(n) for n in CONFLICTS]] > 0, axis=1)
        for _ in range(5):
            cap = max(x_ for x_, y_ in zip(kx, ky) if y_ < auto)
            pc = calibrate(kx, ky, np.where(conflicting, np.minimum(zc, cap), zc))
            again, table = rule(pc)
            if again is None:
                sys.exit("no threshold of the grid reaches the precision's lower bound")
            if again == auto:
                break
            auto = again
        else:
            sys.exit("the conflict cap and the automatic threshold do not settle")
    chosen = next(r for r in table if r[0] == auto)
    below = [r for r in table if r[0] < auto]
    review = min(review, auto)

    model = {
        "features": names,
        "weights": [round(float(w), 6) for w in weights],
        "intercept": round(intercept, 6),
        **({"trees": {"text_score": [round(float(v), 6) for v in text_input], "roots": roots,
                      "nodes": nodes}} if roots else {}),
        "calibration": {"linear": [round(v, 6) for v in kx], "probability": [round(v, 6) for v in ky]},
        **({"conflict_cap": round(float(cap), 6)} if cap is not None else {}),
        "auto_threshold": round(auto, 6),
        "review_threshold": round(review, 6),
        "trained": {
            "by": "bench/duplicates/train-pair-model.py",
            "date": datetime.date.today().isoformat(),
            "fit": {"file": args.fit.split("/")[-1], "sha256": sha256(args.fit),
                    "split_seed": args.seed, "problems": len(tuning), "pairs": int(keep.sum()),
                    "true_pairs": int(y[keep].sum())},
            **({"fit_extra": extra} if extra else {}),
            **({"contrast": contrast} if contrast else {}),
            "calibration": {"file": args.calibration.split("/")[-1], "sha256": sha256(args.calibration),
                            "pairs": int(len(yc)), "true_pairs": int(total)},
            "text_pairs": {"file": args.text_pairs.split("/")[-1], "sha256": sha256(args.text_pairs),
                           "pairs": int(len(ty)), "fitted": list(TEXT_ONLY)},
            "text_score": {"file": args.text_fit.split("/")[-1], "sha256": sha256(args.text_fit),
                           "pairs": int(len(ey)), "half": "even ids", "features": list(TEXT_SCORE),
                           "direction": [round(float(v), 6) for v in text_dir],
                           "scale_fitted_on_municipal": round(float(ws[-1]), 6)},
            "ridge": args.ridge,
            "trees": {"rounds": args.trees, "depth": args.depth, "learning_rate": args.learning_rate,
                      "min_leaf": args.min_leaf},
            "precision_target": args.precision,
            "auto_rule": {
                "rule": "lowest threshold of the grid whose group --auto precision on the calibration "
                        "set has its bootstrap 95% lower bound (1,000 draws of problems) >= precision_target",
                "grid": [args.grid_low, 0.95, args.grid_step],
                "chosen": {"threshold": auto, "precision": round(chosen[1], 4),
                           "lower": round(chosen[2], 4), "upper": round(chosen[3], 4),
                           "recall": round(chosen[5], 4)},
                "next_lower": ({"threshold": below[-1][0], "precision": round(below[-1][1], 4),
                                "lower": round(below[-1][2], 4)} if below else None),
            },
            "review_recall": args.review_recall,
            "not_fitted": {"photos_close": args.photo_close, "photos_far": args.photo_far,
                           "why": "the generated sets have no photos; prior log-odds"},
            "note": args.note,
        },
    }
    text = compact_numbers(json.dumps(model, ensure_ascii=False, indent=1))
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    at = pc >= auto
    for t, point, lo, hi, n, rec in table:
        if abs(t - auto) < 0.05 + 1e-9:
            print(f"  group --auto at {t:.3f}: precision {point:.3f} ({lo:.3f} … {hi:.3f}), "
                  f"recall {rec:.3f}, {n:.0f} pairs{'  <- automatic' if t == auto else ''}")
    print(f"fit: {int(keep.sum())} pairs ({int(y[keep].sum())} true) of {len(tuning)} problems, "
          f"{len(yf) - int(keep.sum())} more from {len(extra)} generator sets; "
          f"calibration: {len(yc)} pairs ({int(total)} true), {len(kx)} knots")
    print(f"auto threshold {auto:.3f}: calibration precision {yc[at].mean():.3f}, "
          f"recall {yc[at].sum() / total:.3f}; review threshold {review:.3f}")
    for n, w in zip(names, weights):
        print(f"  {n:20s} {w:+.3f}")
    print(f"  {'intercept':20s} {intercept:+.3f}")


if __name__ == "__main__":
    main()
