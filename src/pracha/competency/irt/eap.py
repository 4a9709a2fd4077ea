"""Ability by EAP (expected a posteriori): the mean and standard deviation of the posterior on
a fixed grid, with a standard normal prior. Unlike maximum likelihood it exists for every
answer pattern, all right or all wrong included."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pracha.competency.irt.response import category_probabilities

# 81 points from -4 to 4 (step 0.1): far finer than the precision any test reaches.
GRID = np.linspace(-4.0, 4.0, 81)


def prior_log(grid: NDArray[np.float64] = GRID) -> NDArray[np.float64]:
    """Log density of the standard normal prior on the grid (up to a constant)."""
    return -0.5 * grid**2


@dataclass(frozen=True)
class Estimate:
    theta: float
    se: float


def eap_from_loglik(loglik: NDArray[np.float64], grid: NDArray[np.float64] = GRID) -> Estimate:
    """Posterior mean and SD from the log-likelihood on the grid (prior added here)."""
    log_post = loglik + prior_log(grid)
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    theta = float((grid * weights).sum())
    se = float(np.sqrt(((grid - theta) ** 2 * weights).sum()))
    return Estimate(theta, se)


def eap(
    a: NDArray[np.float64],
    t: NDArray[np.float64],
    categories: NDArray[np.int_] | list[int],
    grid: NDArray[np.float64] = GRID,
) -> Estimate:
    """EAP of one examinee who answered items (a, t) in `categories` (0/1, or 0-4)."""
    categories = np.asarray(categories, dtype=int)
    if categories.size == 0:
        return eap_from_loglik(np.zeros_like(grid), grid)
    probability = category_probabilities(grid, a, t)  # (grid, items, K)
    chosen = probability[:, np.arange(categories.size), categories]
    loglik = np.log(np.clip(chosen, 1e-300, None)).sum(axis=1)
    return eap_from_loglik(loglik, grid)
