"""Choosing items: fixed forms, content balancing, randomesque, Sympson-Hetter, stopping."""

from __future__ import annotations

import numpy as np
import pytest

from pracha.competency.errors import InvalidInput
from pracha.competency.irt import Estimate, Pool
from pracha.competency.selection.adaptive import (
    Rules,
    choose,
    exposure_k,
    next_domain,
    stop_reason,
)
from pracha.competency.selection.forms import Part, draw_form


def pool() -> Pool:
    rows = [(i, 1.7, (i % 5) - 2.0, None, "w" if i < 10 else "p") for i in range(20)]
    return Pool.build(rows)


def test_a_fixed_form_has_the_set_number_per_subtest_in_order() -> None:
    rng = np.random.default_rng(1)
    parts = [Part("a", 3, range(10)), Part("b", 2, range(10, 15))]
    forms = [draw_form(parts, rng) for _ in range(50)]
    for form in forms:
        assert [code for _i, code in form] == ["a", "a", "a", "b", "b"]
        assert len({i for i, _c in form}) == 5
        assert all(i < 10 for i, c in form if c == "a")
    assert len({tuple(form) for form in forms}) > 40  # drawn per officer, not one form


def test_a_form_the_bank_cannot_fill_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs 4 items but the bank has 3"):
        draw_form([Part("a", 4, [1, 2, 3])], np.random.default_rng(0))


def test_content_balancing_picks_the_domain_furthest_below_its_share() -> None:
    rng = np.random.default_rng(0)
    shares = {"w": 0.5, "p": 0.5}
    assert next_domain(["w", "w", "p"], shares, {"w", "p"}, rng) == "p"
    assert next_domain(["w", "w", "p"], shares, {"w"}, rng) == "w"  # p has nothing left
    assert {next_domain([], shares, {"w", "p"}, rng) for _ in range(30)} == {"w", "p"}


def test_maximum_information_within_the_domain_and_randomesque_among_the_best() -> None:
    p = pool()
    used = np.zeros(20, bool)
    shares = {"w": 0.5, "p": 0.5}
    rng = np.random.default_rng(3)
    best = choose(p, Estimate(1.0, 0.5), used, ["p"], shares, Rules(randomesque=1), rng)
    assert best is not None and p.domains[best.position] == "w"
    assert p.t[best.position, 0] == 1.0  # b closest to theta
    picks = {
        choose(p, Estimate(1.0, 0.5), used, ["p"], shares, Rules(randomesque=3), rng).position
        for _ in range(60)
    }
    info = p.information_at(1.0)
    top3 = set(sorted(range(10), key=lambda i: -info[i])[:3])
    assert picks <= top3 and len(picks) > 1


def test_sympson_hetter_holds_back_items_chosen_too_often() -> None:
    rules = Rules(max_exposure=0.25, exposure_warmup=20)
    counts = np.array([50.0, 10.0, 0.0])
    assert list(exposure_k(counts, 10, rules)) == [1.0, 1.0, 1.0]  # warming up
    assert list(exposure_k(counts, 100, rules)) == [0.5, 1.0, 1.0]
    p = pool()
    used = np.zeros(20, bool)
    selected = np.zeros(20)
    selected[:10] = 1000.0  # every workflow item chosen in every test so far
    choice = choose(
        p,
        Estimate(0.0, 1.0),
        used,
        [],
        {"w": 1.0},
        rules,
        np.random.default_rng(5),
        selected,
        tests=1000,
    )
    assert choice is not None and len(choice.tried) > 1
    assert choice.held_back == choice.tried[:-1]


def test_the_pool_spent_gives_no_choice() -> None:
    p = pool()
    assert (
        choose(p, Estimate(0, 1), np.ones(20, bool), [], {"w": 1}, Rules(), np.random.default_rng())
        is None
    )


@pytest.mark.parametrize(
    ("answered", "theta", "se", "classify", "left", "reason"),
    [
        (5, 0.0, 0.2, True, 10, None),  # fewer than the minimum
        (30, 0.0, 0.9, True, 10, "max_items"),
        (12, 0.0, 0.29, False, 10, "se_reached"),
        (12, 0.0, 0.31, False, 10, None),
        (12, 1.0, 0.29, True, 10, "se_reached"),  # 1.0 - 2.58 * 0.29 > -1.0: clear
        (12, -0.8, 0.29, True, 10, None),  # near the passing ability: go on
        (12, -0.8, 0.29, True, 0, "pool_empty"),
    ],
)
def test_stop_rules(
    answered: int, theta: float, se: float, classify: bool, left: int, reason: str | None
) -> None:
    rules = Rules(
        min_items=10, max_items=30, target_se=0.30, passing_theta=-1.0, classification_stop=classify
    )
    assert stop_reason(answered, Estimate(theta, se), rules, left) == reason
