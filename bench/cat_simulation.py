"""The adaptive test on the shipped bank, simulated: 5,000 examinees, fixed seed, one run.

    .venv/bin/python bench/cat_simulation.py [--examinees N] [--seed S] [--language th|en]

Examinees' true abilities are drawn from N(0, 1); their answers are drawn from the bank's own
(provisional) parameters, which the simulation therefore treats as true. The adaptive test is
the shipped `adaptive` test exactly as the service runs it (pracha.competency.selection: EAP,
maximum information, content balancing, randomesque, Sympson-Hetter with live counts, the
SE and classification stops). Printed, with the issue's goals:

- mean items to reach SE <= 0.30 (an examinee who never reaches it counts the items they were
  given), beside the length a fixed form needs for the same share of examinees to reach it:
  a form drawn at random per examinee (BKN's practice) and the best single fixed form (the
  items most informative over the population);
- RMSE and conditional bias of the EAP estimate, by true ability;
- pass/fail accuracy against the true ability, at the test's passing ability;
- the largest share of examinees any item was shown to.

Needs no database. A few tens of seconds on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    work = Path(tempfile.mkdtemp(prefix="pracha-bench-cat-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'never-created.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


setup_django()

from pracha.competency.bank.importer import read  # noqa: E402
from pracha.competency.bank.seed import ASSESSMENTS, ITEMS  # noqa: E402
from pracha.competency.irt import GRID, Pool, eap_from_loglik  # noqa: E402
from pracha.competency.irt.response import category_probabilities, information  # noqa: E402
from pracha.competency.selection.adaptive import Rules, choose, stop_reason  # noqa: E402

GOALS = {"fewer": 0.40, "rmse": 0.32, "accuracy": 0.95, "exposure": 0.25}
BINS = [(-3.0, -2.0), (-2.0, -1.0), (-1.0, 0.0), (0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]


def shipped_test(language: str) -> tuple[Pool, dict[str, float], Rules]:
    """The shipped adaptive test's pool, blueprint and rules."""
    definition = next(
        d for d in json.loads(ASSESSMENTS.read_text(encoding="utf-8")) if d["mode"] == "adaptive"
    )
    weights: dict[str, float] = {}
    kinds = set()
    for part in definition["subtests"]:
        domains = [d.strip() for d in part["domains"].split(",")]
        kinds.add(part.get("kind", "dichotomous"))
        for domain in domains:
            weights[domain] = weights.get(domain, 0.0) + part["items"] / len(domains)
    total = sum(weights.values())
    rows = [
        (i, r.a, r.b, r.thresholds, r.domain)
        for i, r in enumerate(read(ITEMS))
        if r.language == language and r.domain in weights and r.kind in kinds
    ]
    rules = Rules(
        min_items=definition["min_items"],
        max_items=definition["max_items"],
        target_se=definition["target_se"],
        passing_theta=definition["passing_theta"],
        classification_stop=definition["classification_stop"],
        z=definition["classification_z"],
        randomesque=definition["randomesque"],
        max_exposure=definition["max_exposure"],
    )
    return Pool.build(rows), {d: w / total for d, w in weights.items()}, rules


@dataclass
class Adaptive:
    theta: np.ndarray
    se: np.ndarray
    items: np.ndarray
    to_target: np.ndarray  # items when SE first reached the target (or items given)
    reached: np.ndarray
    exposure: np.ndarray


def draw(probabilities: np.ndarray, rng: np.random.Generator) -> int:
    return int(np.searchsorted(np.cumsum(probabilities), rng.random()))


def run_adaptive(
    pool: Pool, shares: dict[str, float], rules: Rules, truth: np.ndarray, seed: int
) -> Adaptive:
    rng = np.random.default_rng(seed)
    n = len(truth)
    probability = category_probabilities(truth, pool.a, pool.t)  # (examinees, items, K)
    selected = np.zeros(len(pool))
    shown = np.zeros(len(pool))
    out = Adaptive(*(np.zeros(n) for _ in range(4)), np.zeros(n, bool), shown)
    for person in range(n):
        used = np.zeros(len(pool), bool)
        positions: list[int] = []
        categories: list[int] = []
        domains: list[str] = []
        loglik = np.zeros_like(GRID)
        estimate = eap_from_loglik(loglik)
        first_reach = 0
        while True:
            choice = choose(
                pool, estimate, used, domains, shares, rules, rng, selected, tests=person
            )
            if choice is None:
                break
            selected[choice.tried] += 1
            used[choice.held_back] = True
            item = choice.position
            shown[item] += 1
            used[item] = True
            answer = draw(probability[person, item], rng)
            positions.append(item)
            categories.append(answer)
            domains.append(pool.domains[item])
            loglik = loglik + pool.log_probability[item, :, answer]
            estimate = eap_from_loglik(loglik)
            if not first_reach and estimate.se <= rules.target_se:
                first_reach = len(positions)
            if stop_reason(len(positions), estimate, rules, int((~used).sum())):
                break
        out.theta[person], out.se[person] = estimate.theta, estimate.se
        out.items[person] = len(positions)
        out.reached[person] = estimate.se <= rules.target_se
        out.to_target[person] = first_reach or len(positions)
    out.exposure = shown / n
    return out


def fixed_coverage(
    pool: Pool, truth: np.ndarray, target: float, seed: int, best: bool, chunk: int = 250
) -> np.ndarray:
    """Share of examinees whose EAP SE is <= target after a fixed form of each length
    1..len(pool): a random form per examinee, or the one best form."""
    rng = np.random.default_rng(seed)
    n, m = len(truth), len(pool)
    if best:
        weights = np.exp(-0.5 * GRID**2)
        weights /= weights.sum()
        order = np.argsort(-(information(GRID, pool.a, pool.t) * weights[:, None]).sum(axis=0))
    reached = np.zeros(m)
    for start in range(0, n, chunk):
        thetas = truth[start : start + chunk]
        probability = category_probabilities(thetas, pool.a, pool.t)
        cumulative = np.cumsum(probability, axis=2)
        answers = (rng.random((len(thetas), m, 1)) > cumulative).sum(axis=2)
        orders = np.array([order if best else rng.permutation(m) for _ in thetas])
        picked = pool.log_probability[orders, :, np.take_along_axis(answers, orders, axis=1)]
        loglik = np.cumsum(picked, axis=1) - 0.5 * GRID**2  # (people, length, grid)
        posterior = np.exp(loglik - loglik.max(axis=2, keepdims=True))
        posterior /= posterior.sum(axis=2, keepdims=True)
        mean = (posterior * GRID).sum(axis=2, keepdims=True)
        se = np.sqrt((posterior * (GRID - mean) ** 2).sum(axis=2))
        reached += (se <= target).sum(axis=0)
    return reached / n


def length_for(coverage: np.ndarray, share: float) -> int | None:
    """The shortest fixed length whose coverage reaches `share` (None: no length does)."""
    hits = np.flatnonzero(coverage >= share - 1e-12)
    return int(hits[0]) + 1 if hits.size else None


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examinees", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--language", choices=["th", "en"], default="th")
    args = parser.parse_args()
    began = time.perf_counter()
    pool, shares, rules = shipped_test(args.language)
    truth = np.random.default_rng(args.seed).normal(size=args.examinees)
    print(
        f"shipped bank, {args.language}: {len(pool)} right-or-wrong items in "
        f"{len(shares)} domains (provisional parameters taken as true); "
        f"{args.examinees:,} examinees, theta ~ N(0, 1), seed {args.seed}"
    )
    print(
        f"adaptive test: EAP, max information, content balancing, randomesque "
        f"{rules.randomesque}, Sympson-Hetter r_max {rules.max_exposure}; stop at "
        f"SE <= {rules.target_se} after {rules.min_items} or at {rules.max_items} items; "
        f"classification stop (theta +- {rules.z} SE clear of {rules.passing_theta}): "
        f"{rules.classification_stop}"
    )
    result = run_adaptive(pool, shares, rules, truth, args.seed + 1)
    share = float(result.reached.mean())
    random_cov = fixed_coverage(pool, truth, rules.target_se, args.seed + 2, best=False)
    best_cov = fixed_coverage(pool, truth, rules.target_se, args.seed + 3, best=True)
    random_len, best_len = length_for(random_cov, share), length_for(best_cov, share)
    error = result.theta - truth
    rmse = float(np.sqrt((error**2).mean()))
    cut = rules.passing_theta if rules.passing_theta is not None else 0.0
    accuracy = float(((result.theta >= cut) == (truth >= cut)).mean())
    exposure = float(result.exposure.max())
    mean_to_target = float(result.to_target.mean())

    print()
    print(f"reached SE <= {rules.target_se}: {share:.1%} of examinees")
    print(
        f"items to reach it, adaptive: mean {mean_to_target:.1f} "
        f"(median {np.median(result.to_target):.0f}); items given in all: mean "
        f"{result.items.mean():.1f} (the classification stop goes on near the cut)"
    )
    for name, length, coverage in (
        ("random fixed form (BKN)", random_len, random_cov),
        ("best fixed form", best_len, best_cov),
    ):
        if length is None:
            print(
                f"{name}: no length up to the whole pool ({len(pool)}) reaches {share:.1%} "
                f"(at {len(pool)} items: {coverage[-1]:.1%})"
            )
        else:
            print(f"{name}: {length} items for {coverage[length - 1]:.1%}")
    fixed = min(x for x in (random_len, best_len, len(pool)) if x is not None)
    fewer = 1 - mean_to_target / fixed
    print()
    print(f"RMSE of theta: {rmse:.3f}; mean bias {error.mean():+.3f}")
    print("conditional bias and RMSE by true theta:")
    for low, high in BINS:
        inside = (truth >= low) & (truth < high)
        if inside.sum():
            e = error[inside]
            print(
                f"  [{low:+.0f}, {high:+.0f}): n {inside.sum():>5}  bias {e.mean():+.3f}  "
                f"RMSE {np.sqrt((e**2).mean()):.3f}  items {result.items[inside].mean():4.1f}"
            )
    print(
        f"pass/fail accuracy at theta {cut:+.2f}: {accuracy:.1%} "
        f"(true pass rate {(truth >= cut).mean():.1%})"
    )
    others = ", ".join(
        f"{c:+.1f}: {((result.theta >= c) == (truth >= c)).mean():.1%}"
        for c in (-1.5, -0.5, 0.0)
        if c != cut
    )
    print(
        f"  at other cuts, from the same run (its classification stop aims at {cut:+.1f}): {others}"
    )
    print(
        f"largest item exposure: {exposure:.1%}; items never shown: "
        f"{int((result.exposure == 0).sum())} of {len(pool)}"
    )
    print()
    print("goals:")
    print(
        f"  >= {GOALS['fewer']:.0%} fewer items than the shortest fixed form at equal "
        f"precision: {fewer:.0%} fewer ({mean_to_target:.1f} vs {fixed}) "
        f"{verdict(fewer >= GOALS['fewer'])}"
    )
    print(f"  RMSE <= {GOALS['rmse']}: {rmse:.3f} {verdict(rmse <= GOALS['rmse'])}")
    print(
        f"  pass/fail accuracy >= {GOALS['accuracy']:.0%}: {accuracy:.1%} "
        f"{verdict(accuracy >= GOALS['accuracy'])}"
    )
    print(
        f"  no item shown to more than {GOALS['exposure']:.0%}: {exposure:.1%} "
        f"{verdict(exposure <= GOALS['exposure'])}"
    )
    print(f"({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
