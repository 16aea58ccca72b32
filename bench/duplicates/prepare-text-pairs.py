#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the real Persian pair sets as bench-pair-features --text-pairs reads them.

From the shared data directory (never copied into the repository): FarsTail's train and
validation splits as fs-train.tsv and fs-val.tsv (premise, hypothesis, label e/n/c) and
exappc as ex.tsv (sentence1, sentence2, "id:paraphrase" or "id:nonparaphrase"), one pair
a line, tab-separated, with tabs and line breaks inside texts turned into spaces.

  /usr/bin/python3 bench/duplicates/prepare-text-pairs.py ../shared/data/text-pairs /tmp
"""

import csv
import os
import sys


def clean(text):
    return " ".join(text.split())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    for split in ("train", "val"):
        with open(os.path.join(source, f"farstail-{split}.tsv"), encoding="utf-8") as f, \
             open(os.path.join(out, f"fs-{split}.tsv"), "w", encoding="utf-8") as o:
            for row in csv.DictReader(f, delimiter="\t"):
                o.write(f"{clean(row['premise'])}\t{clean(row['hypothesis'])}\t{row['label']}\n")
    with open(os.path.join(source, "exappc-2000.csv"), encoding="utf-8") as f, \
         open(os.path.join(out, "ex.tsv"), "w", encoding="utf-8") as o:
        for row in csv.DictReader(f):
            o.write(f"{clean(row['sentence1'])}\t{clean(row['sentence2'])}\t{row['id']}:{row['label']}\n")


if __name__ == "__main__":
    main()
