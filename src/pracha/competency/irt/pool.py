"""A pool of items as arrays, with the log-probability of every category at every grid point
precomputed: one examinee's log-likelihood is then a sum of rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pracha.competency.irt.eap import GRID, Estimate, eap_from_loglik
from pracha.competency.irt.response import category_probabilities, information

MAX_CATEGORIES = 5


def threshold_row(b: float | None, thresholds: Sequence[float] | None) -> list[float]:
    """An item's row of the threshold matrix: [b, nan, nan, nan] or its graded thresholds."""
    values = list(thresholds) if thresholds else [b if b is not None else np.nan]
    return values + [np.nan] * (MAX_CATEGORIES - 1 - len(values))


@dataclass
class Pool:
    """`ids[i]` has discrimination `a[i]`, thresholds `t[i]` and domain `domains[i]`."""

    ids: list[int]
    a: NDArray[np.float64]
    t: NDArray[np.float64]
    domains: list[str]
    grid: NDArray[np.float64] = field(default_factory=lambda: GRID)

    def __post_init__(self) -> None:
        self.index = {item: i for i, item in enumerate(self.ids)}
        probability = category_probabilities(self.grid, self.a, self.t)  # (G, n, K)
        self.log_probability = np.log(np.clip(probability, 1e-300, None)).transpose(1, 0, 2)

    @classmethod
    def build(
        cls,
        rows: Sequence[tuple[int, float, float | None, Sequence[float] | None, str]],
        grid: NDArray[np.float64] = GRID,
    ) -> Pool:
        """From (id, a, b, thresholds, domain) rows."""
        return cls(
            ids=[r[0] for r in rows],
            a=np.array([r[1] for r in rows], dtype=float),
            t=np.array([threshold_row(r[2], r[3]) for r in rows], dtype=float).reshape(
                len(rows), MAX_CATEGORIES - 1
            ),
            domains=[r[4] for r in rows],
            grid=grid,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def loglik(self, positions: Sequence[int], categories: Sequence[int]) -> NDArray[np.float64]:
        """Log-likelihood on the grid of answering pool items `positions` in `categories`."""
        if not len(positions):
            return np.zeros_like(self.grid)
        rows = self.log_probability[np.asarray(positions), :, np.asarray(categories)]
        return rows.sum(axis=0)

    def estimate(self, positions: Sequence[int], categories: Sequence[int]) -> Estimate:
        return eap_from_loglik(self.loglik(positions, categories), self.grid)

    def information_at(self, theta: float) -> NDArray[np.float64]:
        return information(np.array([theta]), self.a, self.t)[0]
