# SPDX-License-Identifier: GPL-3.0-or-later
"""The split by problem shared by train-pair-model.py and evaluate-pair-model.py."""

import numpy as np


def tuning_problems(problems, seed):
    """The half of @problems (ids) on the tuning side for numpy seed @seed; the rest is held out."""
    ordered = sorted(problems)
    perm = np.random.RandomState(seed).permutation(len(ordered))
    return set(ordered[i] for i in perm[: len(ordered) // 2])
