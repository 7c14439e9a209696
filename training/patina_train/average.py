"""Weight soups: the mean of several checkpoints of one run.

Late snapshots of one annealing run sit in one basin, where their mean fills
at least as well as the best of them (the model card lists the soups shipped).
"""
from __future__ import annotations


def mean_weights(weights: list[dict]) -> dict:
    """Element-wise mean of float tensors; other tensors (counters) come from the last dict."""
    if not weights:
        raise ValueError("nothing to average")
    keys = weights[-1].keys()
    if any(w.keys() != keys for w in weights):
        raise ValueError("the checkpoints hold different networks")
    return {k: (sum(w[k].float() for w in weights) / len(weights)) if weights[-1][k].dtype.is_floating_point
            else weights[-1][k] for k in keys}
