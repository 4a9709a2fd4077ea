"""Decision thresholds per category, tuned on out-of-fold probabilities of recent tickets."""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.02, 0.951, 0.01), 2)
FALLBACK_CHOICES: tuple[float | None, ...] = (None, 0.3, 0.5, 0.7)


def f1_by_threshold(probs: np.ndarray, truth: np.ndarray, grid: np.ndarray = GRID) -> np.ndarray:
    """F1 of "probs >= t" for each t in grid; probs and truth of the same shape, any rank."""
    predicted = probs.reshape(-1, 1) >= grid.reshape(1, -1)
    actual = truth.reshape(-1, 1).astype(bool)
    true_positives = (predicted & actual).sum(axis=0)
    denominator = predicted.sum(axis=0) + actual.sum()
    return np.where(denominator > 0, 2 * true_positives / np.maximum(denominator, 1), 0.0)


def best_threshold(probs: np.ndarray, truth: np.ndarray, grid: np.ndarray = GRID) -> float:
    """The threshold with the best F1; of equals the lowest, which keeps the most recall."""
    return float(grid[int(np.argmax(f1_by_threshold(probs, truth, grid)))])


def tune_thresholds(probs: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per-category thresholds (n_categories,) maximising each category's F1.

    A category without a single positive in the tuning tickets cannot be tuned; it gets the
    one threshold that is best for all categories pooled.
    """
    shared = best_threshold(probs, truth)
    thresholds = np.full(probs.shape[1], shared)
    for column in range(probs.shape[1]):
        if truth[:, column].any():
            thresholds[column] = best_threshold(probs[:, column], truth[:, column])
    return thresholds


def decide(probs: np.ndarray, thresholds: np.ndarray, fallback: float | None) -> np.ndarray:
    """Boolean (n, n_categories): every category at or above its threshold.

    With `fallback`, a ticket with none gets its category closest to its threshold when that
    score reaches `fallback` x the threshold: real tickets nearly always have a category.
    """
    chosen = probs >= thresholds
    if fallback is None or len(probs) == 0:
        return chosen
    ratio = probs / thresholds
    best = np.argmax(ratio, axis=1)
    rows = np.arange(len(probs))
    use = ~chosen.any(axis=1) & (ratio[rows, best] >= fallback)
    chosen[rows[use], best[use]] = True
    return chosen


def micro_f1(chosen: np.ndarray, truth: np.ndarray) -> float:
    actual = truth.astype(bool)
    true_positives = (chosen & actual).sum()
    denominator = chosen.sum() + actual.sum()
    return float(2 * true_positives / denominator) if denominator else 0.0


def tune_fallback(probs: np.ndarray, truth: np.ndarray, thresholds: np.ndarray) -> float | None:
    """The fallback rule (or none) with the best micro-F1; the first of equals wins."""
    scores = [micro_f1(decide(probs, thresholds, f), truth) for f in FALLBACK_CHOICES]
    return FALLBACK_CHOICES[int(np.argmax(scores))]
