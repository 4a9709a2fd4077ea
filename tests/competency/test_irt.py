"""The IRT functions: probabilities, information, and EAP against a case worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from pracha.competency.irt import GRID, Pool, category_probabilities, eap, information
from pracha.competency.irt.eap import eap_from_loglik

NAN = np.nan
A = np.array([1.7, 1.0])
T = np.array([[0.5, NAN, NAN, NAN], [-2.0, -1.0, 0.0, 1.0]])  # a 2PL item, a graded one


def test_category_probabilities_sum_to_one_and_follow_the_2pl() -> None:
    theta = np.linspace(-3, 3, 13)
    p = category_probabilities(theta, A, T)
    assert p.shape == (13, 2, 5)
    assert np.allclose(p.sum(axis=2), 1.0)
    assert np.allclose(p[:, 0, 1], 1 / (1 + np.exp(-1.7 * (theta - 0.5))))
    assert np.all(p[:, 0, 2:] == 0)  # a right-or-wrong item has two categories
    expected = (p[:, 1, :] * np.arange(5)).sum(axis=1)
    assert np.all(np.diff(expected) > 0)  # higher ability, higher expected score


def test_information_is_a2pq_for_the_2pl_and_the_grm_formula_for_graded() -> None:
    theta = np.linspace(-3, 3, 7)
    info = information(theta, A, T)
    p = 1 / (1 + np.exp(-1.7 * (theta - 0.5)))
    assert np.allclose(info[:, 0], 1.7**2 * p * (1 - p))
    # Graded: sum over categories of (dP_k/dtheta)^2 / P_k, the derivative taken numerically.
    h = 1e-5
    up = category_probabilities(theta + h, A, T)[:, 1, :]
    down = category_probabilities(theta - h, A, T)[:, 1, :]
    mid = category_probabilities(theta, A, T)[:, 1, :]
    numeric = (((up - down) / (2 * h)) ** 2 / mid).sum(axis=1)
    assert np.allclose(info[:, 1], numeric, rtol=1e-4)


def test_eap_on_a_three_point_grid_worked_by_hand() -> None:
    """One 2PL item (a = 1, b = 0) answered right, grid -1, 0, 1, prior N(0, 1):
    prior weights e^-0.5, 1, e^-0.5 = 0.60653, 1, 0.60653; likelihoods 0.26894, 0.5, 0.73106;
    posterior 0.16312, 0.5, 0.44341 (sum 1.10653): mean (0.44341 - 0.16312) / 1.10653 =
    0.25331; E[theta^2] = 0.60653 / 1.10653 = 0.54814, SD sqrt(0.54814 - 0.25331^2) = 0.69569."""
    grid = np.array([-1.0, 0.0, 1.0])
    estimate = eap(np.array([1.0]), np.array([[0.0, NAN, NAN, NAN]]), [1], grid=grid)
    assert estimate.theta == pytest.approx(0.25331, abs=1e-4)
    assert estimate.se == pytest.approx(0.69569, abs=1e-4)


def test_eap_on_the_grid_matches_the_integral() -> None:
    """Right, wrong, right on three items: the 81-point grid against scipy's quadrature."""
    a = np.array([1.2, 1.7, 0.8])
    b = np.array([-0.5, 0.3, 1.0])
    answers = np.array([1, 0, 1])

    def likelihood(theta: float) -> float:
        p = 1 / (1 + np.exp(-a * (theta - b)))
        return float(np.prod(np.where(answers == 1, p, 1 - p)) * np.exp(-0.5 * theta**2))

    norm = integrate.quad(likelihood, -10, 10)[0]
    mean = integrate.quad(lambda t: t * likelihood(t), -10, 10)[0] / norm
    var = integrate.quad(lambda t: (t - mean) ** 2 * likelihood(t), -10, 10)[0] / norm
    t = np.column_stack([b, np.full((3, 3), NAN)])
    estimate = eap(a, t, answers)
    assert estimate.theta == pytest.approx(mean, abs=2e-3)
    assert estimate.se == pytest.approx(np.sqrt(var), abs=2e-3)


def test_all_right_or_all_wrong_still_has_an_estimate() -> None:
    """Maximum likelihood has none for these patterns; EAP does."""
    t = np.column_stack([np.linspace(-1, 1, 10), np.full((10, 3), NAN)])
    a = np.full(10, 1.7)
    high, low = eap(a, t, [1] * 10), eap(a, t, [0] * 10)
    assert 1.0 < high.theta < 4.0 and -4.0 < low.theta < -1.0
    assert high.se < 1.0 and low.se < 1.0
    assert eap(a, t, []).theta == pytest.approx(0.0, abs=1e-9)  # the prior alone


def test_a_pool_sums_the_same_likelihood() -> None:
    pool = Pool.build([(10, 1.7, 0.5, None, "w"), (11, 1.0, None, [-2, -1, 0, 1], "c")])
    direct = eap(A, T, [1, 3])
    assert pool.estimate([0, 1], [1, 3]) == direct
    assert pool.index == {10: 0, 11: 1}
    assert eap_from_loglik(pool.loglik([], [])).se == pytest.approx(
        float(np.sqrt((GRID**2 * np.exp(-0.5 * GRID**2)).sum() / np.exp(-0.5 * GRID**2).sum()))
    )
