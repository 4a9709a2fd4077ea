"""Response probabilities and information under the graded response model.

Items are rows of a threshold matrix `t` (n items x K-1, NaN where an item has fewer
categories): a right-or-wrong item has one threshold, its difficulty b, so
P(right | theta) = 1 / (1 + exp(-a (theta - b))), the 2PL. A graded item with scores 1-5 has
four ascending thresholds; P(score >= k+1) = 1 / (1 + exp(-a (theta - t_k))) (Samejima).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def _cumulative(theta: Array, a: Array, t: Array) -> Array:
    """P*(category >= k+1) for k = 0..K-2: theta (m,), a (n,), t (n, K-1) -> (m, n, K-1);
    0 where an item has no such threshold."""
    z = a[None, :, None] * (theta[:, None, None] - t[None, :, :])
    with np.errstate(over="ignore", invalid="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
    return np.where(np.isnan(t)[None, :, :], 0.0, p)


def category_probabilities(theta: Array, a: Array, t: Array) -> Array:
    """P(category k | theta) for every theta, item and category: (m, n, K); categories an
    item does not have get 0. Dichotomous items: column 0 is wrong, column 1 right."""
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    star = _cumulative(theta, a, t)
    ones = np.ones((*star.shape[:2], 1))
    zeros = np.zeros((*star.shape[:2], 1))
    upper = np.concatenate([ones, star], axis=2)
    lower = np.concatenate([star, zeros], axis=2)
    return np.clip(upper - lower, 0.0, 1.0)


def information(theta: Array, a: Array, t: Array) -> Array:
    """Fisher information of each item at each theta: (m, n). For the 2PL it is
    a^2 P (1 - P); for the GRM, sum over categories of (dP_k/dtheta)^2 / P_k."""
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    star = _cumulative(theta, a, t)
    slope = a[None, :, None] * star * (1.0 - star)
    zeros = np.zeros((*star.shape[:2], 1))
    d_upper = np.concatenate([zeros, slope], axis=2)
    d_lower = np.concatenate([slope, zeros], axis=2)
    derivative = d_upper - d_lower
    probability = category_probabilities(theta, a, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probability > 1e-12, derivative**2 / probability, 0.0)
    return terms.sum(axis=2)


def expected_score(theta: Array, a: Array, t: Array) -> Array:
    """Expected category (0/1 right-or-wrong, 0-4 graded) of each item: (m, n)."""
    probability = category_probabilities(theta, a, t)
    return (probability * np.arange(probability.shape[2])[None, None, :]).sum(axis=2)
