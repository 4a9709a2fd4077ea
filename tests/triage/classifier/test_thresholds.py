"""Threshold tuning and the decision rule, on small synthetic examples."""

from __future__ import annotations

import numpy as np
import pytest

from pracha.triage.classifier.evaluation import precision_of
from pracha.triage.classifier.thresholds import (
    best_threshold,
    decide,
    f1_by_threshold,
    micro_f1,
    tune_fallback,
    tune_thresholds,
)


def test_f1_by_threshold_counts_hits_at_each_cut() -> None:
    probs = np.array([0.9, 0.6, 0.4, 0.2])
    truth = np.array([1, 0, 1, 0])

    scores = f1_by_threshold(probs, truth, np.array([0.1, 0.3, 0.5, 0.95]))

    # >=0.1: 4 predicted, 2 right -> 2*2/(4+2); >=0.3: 3 predicted, 2 right -> 4/5;
    # >=0.5: 2 predicted, 1 right -> 2/4; >=0.95: none predicted -> 0
    assert scores == pytest.approx([4 / 6, 4 / 5, 2 / 4, 0.0])


def test_best_threshold_separates_the_classes() -> None:
    probs = np.array([0.92, 0.81, 0.77, 0.35, 0.30, 0.12])
    truth = np.array([1, 1, 1, 0, 0, 0])

    threshold = best_threshold(probs, truth)

    assert 0.35 < threshold <= 0.77
    assert threshold == pytest.approx(0.36)  # the lowest of the equally good cuts


def test_a_rare_noisy_category_gets_a_low_threshold() -> None:
    # Positives score low (the model under-predicts this category): a cut at 0.5 would miss
    # them all; the tuned cut sits just under them.
    probs = np.array([0.25, 0.22, 0.05, 0.04, 0.03, 0.02])
    truth = np.array([1, 1, 0, 0, 0, 0])

    assert best_threshold(probs, truth) == pytest.approx(0.06)


def test_each_category_gets_its_own_threshold() -> None:
    probs = np.array(
        [
            [0.9, 0.30, 0.6],
            [0.8, 0.25, 0.1],
            [0.3, 0.05, 0.7],
            [0.1, 0.02, 0.2],
        ]
    )
    truth = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 0], [0, 0, 0]])

    thresholds = tune_thresholds(probs, truth)

    assert 0.3 < thresholds[0] <= 0.8
    assert 0.05 < thresholds[1] <= 0.25
    # No positive for the third: it shares the threshold that is best for all pooled.
    assert thresholds[2] == pytest.approx(best_threshold(probs, truth))
    assert (decide(probs, thresholds, None) == truth.astype(bool))[:, :2].all()


def test_decide_without_fallback_can_leave_a_ticket_empty() -> None:
    probs = np.array([[0.2, 0.1], [0.7, 0.6]])
    chosen = decide(probs, np.array([0.5, 0.5]), None)

    assert chosen.tolist() == [[False, False], [True, True]]


def test_fallback_takes_the_category_nearest_its_threshold() -> None:
    probs = np.array([[0.20, 0.30], [0.05, 0.04], [0.9, 0.1]])
    thresholds = np.array([0.25, 0.6])

    chosen = decide(probs, thresholds, 0.5)

    # row 0: 0.20/0.25 = 0.8 beats 0.30/0.6 = 0.5 -> first; row 1: best ratio 0.2 < 0.5 -> none
    assert chosen.tolist() == [[True, False], [False, False], [True, False]]


def test_tune_fallback_keeps_the_rule_that_scores_best() -> None:
    probs = np.array([[0.4, 0.1], [0.45, 0.05], [0.9, 0.2]])
    truth = np.array([[1, 0], [1, 0], [1, 0]])
    thresholds = np.array([0.5, 0.5])

    rule = tune_fallback(probs, truth, thresholds)

    assert rule is not None
    assert micro_f1(decide(probs, thresholds, rule), truth) == 1.0


def test_tune_fallback_leaves_it_off_when_it_only_adds_mistakes() -> None:
    probs = np.array([[0.4, 0.1], [0.9, 0.2]])
    truth = np.array([[0, 0], [1, 0]])

    assert tune_fallback(probs, truth, np.array([0.5, 0.5])) is None


def test_empty_input() -> None:
    empty = np.zeros((0, 3))

    assert decide(empty, np.full(3, 0.5), 0.5).shape == (0, 3)
    assert micro_f1(empty.astype(bool), empty) == 0.0


def test_precision_of_what_is_not_sent_to_review() -> None:
    chosen = np.array([[1, 1, 0], [0, 1, 0]], dtype=bool)
    truth = np.array([[1, 0, 0], [0, 1, 1]], dtype=np.int8)
    assert precision_of(chosen, truth) == 2 / 3  # 2 of the 3 categories given are right
    assert precision_of(chosen[:0], truth[:0]) is None
