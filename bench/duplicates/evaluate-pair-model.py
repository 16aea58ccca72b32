#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Evaluate duplicate detection through the product's own paths (no model code here).

For each set: the labelled set's held-out half (problems not on the tuning side of
train-pair-model.py's split, same --seed) and fresh generator sets of seeds never used in
fitting or calibration:

  group --auto: the set imported into a new store with `payamctl import`, then
                `payamctl group --auto --json` applied and `payamctl groups --json` read:
                every pair of requests in one group is a proposed pair. Precision: the
                share of proposed pairs of one problem; recall: the share of all pairs of
                one problem (in the set) that were proposed.
  intake:       `bench-pair-features --intake`: the kiosk's three suggestions
                (payam_dup_index_suggest_for_draft()) for each message before it is
                registered; top-1 / top-3 over messages whose problem was reported before.

Each figure with a bootstrap 95% interval, resampling problems (never pairs). Needs
python3-numpy.

  /usr/bin/python3 bench/duplicates/evaluate-pair-model.py --build build \\
      --fresh /tmp/gen-3001.jsonl --fresh /tmp/gen-3002.jsonl
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from labelled_split import tuning_problems

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def read_set(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def group_auto(payamctl, messages, workdir):
    db = os.path.join(workdir, "payam.db")
    jsonl = os.path.join(workdir, "set.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for m in messages:
            row = {k: v for k, v in m.items() if k not in ("id", "problem_id")}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    env = dict(os.environ, LC_ALL="C.UTF-8")
    run([payamctl, "--db", db, "init"], env=env)
    run([payamctl, "--db", db, "import", jsonl], env=env)
    run([payamctl, "--db", db, "group", "--auto", "--json"], env=env)
    groups = json.loads(run([payamctl, "--db", db, "groups", "--json"], env=env))["groups"]
    exported = [json.loads(line) for line in run([payamctl, "--db", db, "export", "--format", "jsonl"],
                                                 env=env).splitlines() if line.strip()]
    problem_of_key = {(m["created_at"], m["text"]): m["problem_id"] for m in messages}
    problem_of = {}
    for e in exported:
        problem_of[e["tracking_code"]] = problem_of_key[(e["created_at"], e["text"])]
    pairs = []
    sizes = []
    for g in groups:
        codes = [m["tracking_code"] for m in g["members"]]
        sizes.append(len(codes))
        for i in range(len(codes)):
            for j in range(i + 1, len(codes)):
                pairs.append((problem_of[codes[i]], problem_of[codes[j]]))
    return pairs, sizes


def bootstrap(problems, stat, draws, rng):
    """stat(list of problems) on the set and on @draws resamples of problems."""
    value = stat(problems)
    samples = []
    for _ in range(draws):
        pick = [problems[i] for i in rng.randint(0, len(problems), len(problems))]
        samples.append(stat(pick))
    lo, hi = np.nanpercentile(samples, [2.5, 97.5])
    return value, lo, hi


def fmt(v):
    return f"{v[0]:.3f} ({v[1]:.3f} … {v[2]:.3f})"


def evaluate(name, messages, build, draws, rng):
    sizes_of = collections.Counter(m["problem_id"] for m in messages)
    problems = sorted(sizes_of)
    with tempfile.TemporaryDirectory() as tmp:
        pairs, group_sizes = group_auto(os.path.join(build, "src/tools/payamctl"), messages, tmp)
        subset = os.path.join(tmp, "subset.jsonl")
        with open(subset, "w", encoding="utf-8") as f:
            for m in messages:
                f.write(json.dumps(m, ensure_ascii=False) + "\n")
        rows = run([os.path.join(build, "bench/duplicates/bench-pair-features"), "--intake", subset],
                   env=dict(os.environ, LC_ALL="C.UTF-8")).splitlines()[1:]

    tp = collections.Counter()
    fp = collections.Counter()
    for a, b in pairs:
        if a == b:
            tp[a] += 1
        else:
            fp[a] += 0.5
            fp[b] += 0.5
    true = {p: n * (n - 1) / 2 for p, n in sizes_of.items()}
    asked = collections.Counter()
    top1 = collections.Counter()
    top3 = collections.Counter()
    for line in rows:
        _, problem, before, first = line.split("\t")
        if before == "1":
            asked[problem] += 1
            top1[problem] += first == "1"
            top3[problem] += first != "0"

    def ratio(num, den):
        return lambda ps: (sum(num[p] for p in ps) / d) if (d := sum(den[p] for p in ps)) else float("nan")

    proposed = {p: tp[p] + fp[p] for p in problems}
    precision = bootstrap(problems, ratio(tp, proposed), draws, rng)
    recall = bootstrap(problems, ratio(tp, true), draws, rng)
    t1 = bootstrap(problems, ratio(top1, asked), draws, rng)
    t3 = bootstrap(problems, ratio(top3, asked), draws, rng)
    print(f"{name}: {len(messages)} messages, {len(problems)} problems, "
          f"{int(sum(true.values()))} true pairs; {len(group_sizes)} groups "
          f"(largest {max(group_sizes, default=0)}), {len(pairs)} proposed pairs")
    print(f"  group --auto precision {fmt(precision)}  recall {fmt(recall)}")
    print(f"  intake ({sum(asked.values())} messages reported before) top-1 {fmt(t1)}  top-3 {fmt(t3)}")


def auc(score, label):
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    # Average ranks for ties.
    s = np.asarray(score)[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    pos = label == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def read_text_scores(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return header, rows


def text_corpora(exappc, farstail_val, auto_threshold, draws, rng):
    """exappc's held-out half (odd ids): AUC of the pair model's probability for two
    messages that differ only in their words, of the text score, and of a character-trigram
    TF-IDF cosine (scikit-learn, IDF from the tuning half's texts), with the interval of
    the gain; FarsTail validation contradictions whose words overlap (word cosine ≥ 0.5):
    the share called the same at the automatic threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    header, rows = read_text_scores(exappc)
    text_col = header.index("text")
    ids = [int(r[0].split(":")[0]) for r in rows]
    label = np.array([r[0].endswith(":paraphrase") for r in rows], dtype=int)
    prob = np.array([float(r[1]) for r in rows])
    text = np.array([float(r[text_col]) for r in rows])
    pairs = [line.rstrip("\n").split("\t") for line in open(exappc.replace("-f.tsv", ".tsv"), encoding="utf-8")]
    tuning = [i for i, k in enumerate(ids) if k % 2 == 0]
    held = np.array([i for i, k in enumerate(ids) if k % 2 == 1])
    vec = TfidfVectorizer(analyzer="char", ngram_range=(3, 3), lowercase=False)
    vec.fit([pairs[i][0] for i in tuning] + [pairs[i][1] for i in tuning])
    a = vec.transform([p[0] for p in pairs])
    b = vec.transform([p[1] for p in pairs])
    base = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    figures = {"pair model (text only)": prob, "text score": text, "baseline TF-IDF": base}
    print(f"exappc held-out half: {len(held)} pairs ({int(label[held].sum())} paraphrases)")
    for name, score in figures.items():
        v = auc(score[held], label[held])
        samples = []
        gains = []
        for _ in range(draws):
            pick = held[rng.randint(0, len(held), len(held))]
            samples.append(auc(score[pick], label[pick]))
            gains.append(samples[-1] - auc(base[pick], label[pick]))
        lo, hi = np.percentile(samples, [2.5, 97.5])
        glo, ghi = np.percentile(gains, [2.5, 97.5])
        print(f"  {name:24s} AUC {v:.3f} ({lo:.3f} … {hi:.3f})  gain over baseline "
              f"{v - auc(base[held], label[held]):+.3f} ({glo:+.3f} … {ghi:+.3f})")

    header, rows = read_text_scores(farstail_val)
    wc = header.index("word_cosine")
    hard = [r for r in rows if r[0] == "c" and float(r[wc]) >= 0.5]
    same = np.array([float(r[1]) >= auto_threshold for r in hard], dtype=float)
    if len(hard):
        boot = [same[rng.randint(0, len(same), len(same))].mean() for _ in range(draws)]
        lo, hi = np.percentile(boot, [2.5, 97.5])
        print(f"FarsTail validation: {len(hard)} contradictions with word cosine >= 0.5; called the "
              f"same at the automatic threshold {auto_threshold:.3f}: {same.mean():.3f} ({lo:.3f} … {hi:.3f})")
        # Whether the contradiction cues fire at all: on those contradictions and on the
        # entailments of the same overlap.
        alike = [r for r in rows if r[0] == "e" and float(r[wc]) >= 0.5]
        entailed = np.array([float(r[1]) >= auto_threshold for r in alike], dtype=float)
        print(f"  entailments with word cosine >= 0.5: {len(alike)}, called the same {entailed.mean():.3f}")
        for cue in ("negation_differs", "negation_conflict", "polarity_conflict", "numbers_conflict"):
            k = header.index(cue)
            print(f"  {cue:18s} fires on {np.mean([float(r[k]) > 0 for r in hard]):.3f} of those "
                  f"contradictions, {np.mean([float(r[k]) > 0 for r in alike]):.3f} of those entailments")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(SOURCE, "build"))
    ap.add_argument("--labelled", default=os.path.join(SOURCE, "tests/data/messages-labelled.jsonl"))
    ap.add_argument("--seed", type=int, default=11, help="the trainer's split seed")
    ap.add_argument("--fresh", action="append", default=[], help="a generator set of an unseen seed")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--no-labelled", action="store_true", help="only the --fresh sets")
    ap.add_argument("--exappc", help="bench-pair-features --text-pairs output of exappc "
                    "(label id:paraphrase), beside its input named without -f")
    ap.add_argument("--farstail-val", help="bench-pair-features --text-pairs output of FarsTail validation")
    ap.add_argument("--model", default=os.path.join(SOURCE, "src/core/data/pair-model.json"))
    args = ap.parse_args()
    rng = np.random.RandomState(1)

    if args.exappc and args.farstail_val:
        with open(args.model, encoding="utf-8") as f:
            threshold = json.load(f)["auto_threshold"]
        text_corpora(args.exappc, args.farstail_val, threshold, args.bootstrap, rng)
    labelled = read_set(args.labelled)
    tuning = tuning_problems({m["problem_id"] for m in labelled}, args.seed)
    held_out = [m for m in labelled if m["problem_id"] not in tuning]
    if not args.no_labelled:
        evaluate("labelled set, held-out problems", held_out, args.build, args.bootstrap, rng)
    for path in args.fresh:
        evaluate(os.path.basename(path), read_set(path), args.build, args.bootstrap, rng)


if __name__ == "__main__":
    sys.exit(main())
