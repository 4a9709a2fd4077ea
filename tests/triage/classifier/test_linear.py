"""The two learning steps: rare categories are class-balanced in the base SVMs and in the
recent adapter; the base SVMs weigh newer tickets more."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp

from pracha.triage.classifier.dataset import Example
from pracha.triage.classifier.linear import Adapter, Bridge, fit_adapter, fit_svms
from pracha.triage.classifier.training import recency_weights


def _tickets() -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """300 tickets: a common category (100 positives) and a rare one (6 positives); each
    category's positives share a word feature that also occurs, more weakly, elsewhere."""
    rng = np.random.default_rng(0)
    n = 300
    dense = rng.random((n, 40)) * (rng.random((n, 40)) < 0.1)
    labels = np.zeros((n, 2), dtype=np.int8)
    labels[:100, 0] = 1
    labels[100:106, 1] = 1
    dense[:100, 0] += 1.0
    dense[100:106, 1] += 0.6
    dense[200:230, 1] += 0.3  # the rare category's word, in tickets without it
    margins = np.zeros((n, 2))  # no help from a base model
    return sp.csr_matrix(dense), labels, margins


def _fit(balance_below: int, bridge: Bridge | None = None) -> Adapter:
    features, labels, margins = _tickets()
    return fit_adapter(
        features,
        labels,
        margins,
        C=1.0,
        margin_scale=1.0,
        folds=3,
        jobs=1,
        balance_below=balance_below,
        bridge=bridge,
    )


def test_a_rare_category_is_balanced_and_scores_its_positives_higher() -> None:
    _, labels, _ = _tickets()
    plain, balanced = _fit(0), _fit(50)
    rare = labels[:, 1] == 1

    plain_scores = plain.out_of_fold[rare, 1]
    balanced_scores = balanced.out_of_fold[rare, 1]

    # Unbalanced, 6 positives among 300 barely move the model off "no"; balanced, they count
    # as much as the negatives together and their held-out scores rise.
    assert balanced_scores.mean() > plain_scores.mean() + 0.1
    assert balanced.bias[1] > plain.bias[1]


def test_a_common_category_is_fitted_as_before() -> None:
    plain, balanced = _fit(0), _fit(50)

    # 100 positives is not rare under 50: the same fit, to the bit.
    assert np.array_equal(plain.weights[:, 0], balanced.weights[:, 0])
    assert np.array_equal(plain.out_of_fold[:, 0], balanced.out_of_fold[:, 0])


def test_a_rare_category_gets_a_class_balanced_base_svm() -> None:
    features, labels, _ = _tickets()  # the rare category: 6 positives of 300 (2%)

    plain_weights, plain_bias = fit_svms(features, labels, C=1.0, jobs=1)
    weights, bias = fit_svms(features, labels, C=1.0, jobs=1, balance_below=0.05)

    rare = labels[:, 1] == 1
    plain_margins = np.asarray(features @ plain_weights) + plain_bias
    margins = np.asarray(features @ weights) + bias
    # Balanced, the rare category's positives get margins above zero: found, not drowned.
    assert (margins[rare, 1] > 0).sum() > (plain_margins[rare, 1] > 0).sum()
    # 100 positives of 300 is not rare under 5%: fitted as before, to the bit.
    assert np.array_equal(weights[:, 0], plain_weights[:, 0])


def test_sample_weights_decide_between_conflicting_tickets() -> None:
    # The same text labelled both ways: the heavier ticket's label wins.
    features = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]))
    labels = np.array([[1], [0], [0], [0]], dtype=np.int8)

    for heavy, sign in ((0, 1.0), (1, -1.0)):
        weight = np.ones(4)
        weight[heavy] = 10.0
        weights, bias = fit_svms(features, labels, C=1.0, jobs=1, sample_weight=weight)
        assert np.sign(float(weights[0, 0]) + bias[0]) == sign


def _example(day: int) -> Example:
    return Example(f"t{day}", "ถนน", ("road",), datetime(2022, 1, 1) + timedelta(days=day), "f")


def test_recency_weights_rise_linearly_from_the_oldest_ticket() -> None:
    examples = [_example(day) for day in (0, 50, 100)]

    weights = recency_weights(examples, ramp=3.0)

    assert weights is not None
    # 1, 2, 3 scaled to mean 1: the newest counts three times the oldest.
    assert np.allclose(weights, [0.5, 1.0, 1.5])


def test_recency_weights_are_none_when_nothing_ramps() -> None:
    assert recency_weights([_example(0), _example(9)], ramp=1.0) is None
    assert recency_weights([_example(5), _example(5)], ramp=8.0) is None  # one moment
    assert recency_weights([], ramp=8.0) is None


def _bridged(weight: float) -> Adapter:
    """The adapter of _fit(50), with 300 older tickets beside it whose category-0 positives
    use another word (feature 5) than the recent ones (feature 0)."""
    features, labels, margins = _tickets()
    older = features.toarray()
    older[:, [0, 5]] = older[:, [5, 0]]
    return _fit(50, Bridge(sp.csr_matrix(older), labels.copy(), np.zeros_like(margins), weight))


def test_a_bridge_teaches_the_adapter_words_the_recent_tickets_lack() -> None:
    without, bridged = _fit(50), _bridged(0.3)
    # Category 0 (100 recent positives): the older tickets' word now counts for it.
    assert bridged.weights[5, 0] > without.weights[5, 0] + 0.1
    # Out-of-fold probabilities are still for the recent tickets only.
    assert bridged.out_of_fold.shape == without.out_of_fold.shape == (300, 2)


def test_a_heavier_bridge_counts_more() -> None:
    assert _bridged(1.0).weights[5, 0] > _bridged(0.3).weights[5, 0]


def test_a_rare_category_ignores_the_bridge() -> None:
    without, bridged = _fit(50), _bridged(0.3)
    # 6 recent positives (class-balanced): fitted on the recent tickets alone, to the bit.
    assert np.array_equal(bridged.weights[:, 1], without.weights[:, 1])
    assert np.array_equal(bridged.out_of_fold[:, 1], without.out_of_fold[:, 1])
