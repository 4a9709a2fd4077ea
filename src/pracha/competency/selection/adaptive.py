"""The adaptive test's choices: the next item and when to stop.

- Content balancing (Kingsbury & Zara): the next item comes from the domain furthest below
  its share of the blueprint so far.
- Maximum information at the current EAP estimate, made less predictable by randomesque:
  one of the `randomesque` most informative items, at random.
- Sympson-Hetter exposure control with its probabilities from the live counts: a chosen item
  is shown with probability K = min(1, r_max / P(chosen)), else the next one is tried, so no
  item reaches more than r_max of the tests (the counts are the test's own, in the database,
  so no separate simulation is needed to set K). An item that loses its lottery is held back
  for the rest of that test (`Choice.held_back`), as Sympson and Hetter do.
- Stop when the standard error reaches the target (after the minimum number of items); with
  the classification stop, an officer whose interval (theta +- z SE, z = 2.58: 99%) still
  holds the passing ability goes on until it is clear of it, or the longest test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pracha.competency.irt import Estimate, Pool


@dataclass(frozen=True)
class Rules:
    min_items: int = 10
    max_items: int = 30
    target_se: float = 0.30
    passing_theta: float | None = None
    classification_stop: bool = True
    z: float = 2.58
    randomesque: int = 5
    max_exposure: float | None = 0.25
    # Sympson-Hetter applies once this many tests have been started (before, K = 1).
    exposure_warmup: int = 20


@dataclass(frozen=True)
class Choice:
    position: int  # in the pool
    tried: list[int]  # pool positions that went through the exposure lottery, in order

    @property
    def held_back(self) -> list[int]:
        """Tried and not shown: not to be tried again in this test."""
        return [p for p in self.tried if p != self.position]


def next_domain(
    asked: Sequence[str],
    shares: Mapping[str, float],
    open_domains: set[str],
    rng: np.random.Generator,
) -> str | None:
    """The domain furthest below its blueprint share after one more item; ties at random."""
    counts = Counter(asked)
    total = len(asked) + 1
    candidates = [d for d in shares if d in open_domains]
    if not candidates:
        return None
    deficits = np.array([shares[d] * total - counts[d] for d in candidates])
    best = np.flatnonzero(deficits >= deficits.max() - 1e-9)
    return candidates[int(rng.choice(best))]


def exposure_k(selected: NDArray[np.float64], tests: int, rules: Rules) -> NDArray[np.float64]:
    """Sympson-Hetter's probability of showing each item once chosen, from how often it has
    been chosen per test so far."""
    if rules.max_exposure is None or tests < rules.exposure_warmup:
        return np.ones_like(selected, dtype=float)
    rate = selected / max(tests, 1)
    with np.errstate(divide="ignore"):
        return np.where(rate > 0, np.minimum(1.0, rules.max_exposure / rate), 1.0)


def choose(
    pool: Pool,
    estimate: Estimate,
    used: NDArray[np.bool_],
    asked_domains: Sequence[str],
    shares: Mapping[str, float],
    rules: Rules,
    rng: np.random.Generator,
    selected: NDArray[np.float64] | None = None,
    tests: int = 0,
) -> Choice | None:
    """The next item's pool position (None when the pool is spent). `used` marks positions
    already asked; `selected` counts how often each was chosen in earlier tests."""
    available = ~used
    if not available.any():
        return None
    domains = np.array(pool.domains)
    open_domains = {str(d) for d in domains[available]}
    domain = next_domain(asked_domains, shares, open_domains, rng)
    candidates = available & (domains == domain) if domain is not None else available
    if not candidates.any():
        candidates = available
    info = pool.information_at(estimate.theta)
    positions = np.flatnonzero(candidates)
    ranked = positions[np.argsort(-info[positions], kind="stable")]
    head = ranked[: max(rules.randomesque, 1)].copy()
    rng.shuffle(head)
    order = np.concatenate([head, ranked[len(head) :]])
    k = exposure_k(selected if selected is not None else np.zeros(len(pool)), tests, rules)
    tried: list[int] = []
    for position in order:
        tried.append(int(position))
        if rng.random() < k[position]:
            return Choice(int(position), tried)
    return Choice(int(order[-1]), tried)  # every lottery lost: the last one is shown


def classified(estimate: Estimate, rules: Rules) -> bool:
    """The interval theta +- z SE is clear of the passing ability."""
    if rules.passing_theta is None:
        return True
    return abs(estimate.theta - rules.passing_theta) >= rules.z * estimate.se


def stop_reason(answered: int, estimate: Estimate, rules: Rules, left: int) -> str | None:
    """Why the test ends after `answered` items (None: ask another)."""
    if answered >= rules.max_items:
        return "max_items"
    if left == 0:
        return "pool_empty"
    if answered < rules.min_items or estimate.se > rules.target_se:
        return None
    if rules.classification_stop and not classified(estimate, rules):
        return None  # near the passing grade: go on until the decision is clear
    return "se_reached"
