"""The recent adapter: rare categories are fitted with class-balanced weights."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from pracha.triage.classifier.linear import Adapter, fit_adapter


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


def _fit(balance_below: int) -> Adapter:
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
