"""The two learning steps: a base SVM per category, then a recent-period adapter.

1. `fit_svms`: one linear SVM per category on the older tickets (the 2022 dump: 130,000),
   newer ones weighing more and the rarest categories class-balanced (see training.Params).
2. `fit_adapter`: per category, a logistic regression on the recent tickets whose inputs are
   the base SVM's margin for that category and the same text features. It learns what changed
   (PM2.5 and ร้องเรียน grow in 2023, new phrasings) and turns margins into probabilities
   of the recent category mix. The newest older tickets (the "bridge") join its training at
   a lower weight, for categories with enough recent tickets, with margins from a base that
   did not learn from them. Fitted K times on K-1 folds, it also gives out-of-fold
   probabilities for every recent ticket, on which thresholds are tuned without the
   optimism of scoring tickets the adapter has seen.

Both steps are linear, so they fold into one weight matrix: prediction is one sparse product.

The per-category fits run in worker processes, not threads: liblinear draws its coordinate
order from one process-wide random generator, so fits in parallel threads would interleave
its draws and the same data could give a different model on each run.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

SEED = 0
# A category the recent tickets (nearly) never show cannot be adapted: its margin is read
# through a fixed sigmoid (margin 0 -> 0.5, +1 -> 0.88), the usual scale of an SVM margin.
DEFAULT_SLOPE = 2.0
MIN_POSITIVES = 2
BALANCED_ITERATIONS = 300  # passes of a class-balanced base SVM (see _fit_svm)

Fitted = tuple[float, np.ndarray, float]  # slope on the base margin, text weights, bias


def _parallel(jobs: int, work: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
    if jobs <= 1 or len(calls) <= 1:
        return [work(*args) for args in calls]
    # loky workers receive the big matrices as memory maps, not copies.
    return list(Parallel(n_jobs=jobs, backend="loky")(delayed(work)(*args) for args in calls))


def _float64(matrix: sp.csr_matrix) -> sp.csr_matrix:
    # liblinear works in float64; converting once here spares a copy of the matrix per fit.
    return sp.csr_matrix(matrix, dtype=np.float64)


def _fit_svm(
    matrix: sp.csr_matrix,
    y: np.ndarray,
    C: float,
    weight: np.ndarray | None = None,
    balanced: bool = False,
) -> tuple[np.ndarray, float]:
    if len(y) == 0 or y.min() == y.max():  # nothing to separate: a constant answer
        sign = 1.0 if len(y) and y[0] else -1.0
        return np.zeros(matrix.shape[1], dtype=np.float32), sign * 2.0
    svm = LinearSVC(
        C=C,
        dual=True,
        random_state=SEED,
        max_iter=BALANCED_ITERATIONS if balanced else 2000,
        class_weight="balanced" if balanced else None,
    )
    with warnings.catch_warnings():
        # Balanced, a rare category's positives weigh hundreds of times more and the dual
        # solver creeps: 2,000 passes made the base fit several times slower and moved no
        # figure of `pracha evaluate` at the 4th decimal against 300. Stopping early is meant.
        if balanced:
            warnings.simplefilter("ignore", ConvergenceWarning)
        svm.fit(matrix, y, sample_weight=weight)
    return svm.coef_.ravel().astype(np.float32), float(svm.intercept_[0])


def fit_svms(
    features: sp.csr_matrix,
    labels: np.ndarray,
    *,
    C: float,
    jobs: int,
    sample_weight: np.ndarray | None = None,
    balance_below: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest linear SVMs: weights (n_features, n_categories) float32, biases.

    `sample_weight` (one per row, mean about 1) scales each ticket's hinge loss. A category
    positive on fewer than `balance_below` (a share) of the rows is fitted class-balanced:
    with toilets on 77 of 129,000 tickets, the plain hinge loss barely leaves "no"."""
    matrix = _float64(features)
    rare = labels.sum(axis=0) < balance_below * labels.shape[0]
    calls = [
        (matrix, labels[:, column], C, sample_weight, bool(rare[column]))
        for column in range(labels.shape[1])
    ]
    fitted = _parallel(jobs, _fit_svm, calls)
    weights = np.stack([w for w, _ in fitted], axis=1) if fitted else np.zeros((matrix.shape[1], 0))
    return weights.astype(np.float32), np.array([b for _, b in fitted])


@dataclass
class Adapter:
    margin_weight: np.ndarray  # (n_categories,) coefficient on the base margin
    weights: np.ndarray  # (n_features, n_categories) float32, on the text features
    bias: np.ndarray
    out_of_fold: np.ndarray  # (n_recent, n_categories) probabilities from held-out folds


@dataclass(frozen=True)
class Bridge:
    """Older tickets the adapter also learns from, at a lower weight, for the categories
    with enough recent tickets of their own. Their margins must come from a base model that
    did not learn from them, as the recent tickets' do: in-sample margins would teach the
    adapter to trust the base far more than it deserves on new text."""

    features: sp.csr_matrix
    labels: np.ndarray  # (n, n_categories)
    margins: np.ndarray  # (n, n_categories), held out
    weight: float


# One category's part of a Bridge: features, margins, labels, weight.
BridgeColumn = tuple[sp.csr_matrix, np.ndarray, np.ndarray, float]


def _fit_logistic(
    matrix: sp.csr_matrix,
    margin: np.ndarray,
    y: np.ndarray,
    C: float,
    scale: float,
    balanced: bool = False,
    bridge: BridgeColumn | None = None,
) -> Fitted | None:
    if y.sum() < MIN_POSITIVES or y.sum() == len(y):
        return None
    sample_weight = None
    if bridge is not None:
        bridge_matrix, bridge_margin, bridge_y, weight = bridge
        matrix = sp.vstack([matrix, bridge_matrix], format="csr")
        margin = np.concatenate([margin, bridge_margin])
        sample_weight = np.concatenate([np.ones(len(y)), np.full(len(bridge_y), weight)])
        y = np.concatenate([y, bridge_y])
    inputs = sp.hstack([sp.csr_matrix(margin.reshape(-1, 1) * scale), matrix], format="csr")
    model = LogisticRegression(
        C=C,
        solver="liblinear",
        dual=True,
        random_state=SEED,
        class_weight="balanced" if balanced else None,
    )
    model.fit(inputs, y, sample_weight=sample_weight)
    coef = model.coef_.ravel()
    return float(coef[0]) * scale, coef[1:].astype(np.float32), float(model.intercept_[0])


def _probabilities(fitted: Fitted | None, margin: np.ndarray, matrix: sp.csr_matrix) -> np.ndarray:
    if fitted is None:
        return _sigmoid(DEFAULT_SLOPE * margin)
    slope, weights, bias = fitted
    return _sigmoid(slope * margin + matrix @ weights.astype(np.float64) + bias)


def _adapt_category(
    matrix: sp.csr_matrix,
    margin: np.ndarray,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    C: float,
    scale: float,
    balance_below: int,
    bridge: BridgeColumn | None = None,
) -> tuple[Fitted | None, np.ndarray]:
    """The adapter for one category on all recent tickets, and its out-of-fold probabilities.

    Whether the category is rare (class-balanced) is decided once on all recent tickets, so
    every fold is fitted the same way as the final model. A rare category learns from the
    recent tickets alone: the bridge's older usage would outweigh its few recent ones. The
    bridge joins every fold's training, never its held-out part."""
    balanced = int(y.sum()) < balance_below
    if balanced:
        bridge = None
    held_out = np.zeros(len(y))
    for train, test in splits:
        fitted = _fit_logistic(matrix[train], margin[train], y[train], C, scale, balanced, bridge)
        held_out[test] = _probabilities(fitted, margin[test], matrix[test])
    return _fit_logistic(matrix, margin, y, C, scale, balanced, bridge), held_out


def fit_adapter(
    features: sp.csr_matrix,
    labels: np.ndarray,
    margins: np.ndarray,
    *,
    C: float,
    margin_scale: float,
    folds: int,
    jobs: int,
    balance_below: int = 0,
    bridge: Bridge | None = None,
) -> Adapter:
    matrix = _float64(features)
    n_rows, n_categories = labels.shape
    splits = list(KFold(folds, shuffle=True, random_state=SEED).split(np.arange(n_rows)))
    bridged: list[BridgeColumn | None] = [None] * n_categories
    if bridge is not None:
        bridge_matrix = _float64(bridge.features)
        bridged = [
            (bridge_matrix, bridge.margins[:, column], bridge.labels[:, column], bridge.weight)
            for column in range(n_categories)
        ]
    calls = [
        (
            matrix,
            margins[:, column],
            labels[:, column],
            splits,
            C,
            margin_scale,
            balance_below,
            bridged[column],
        )
        for column in range(n_categories)
    ]
    fitted = _parallel(jobs, _adapt_category, calls)
    margin_weight = np.full(n_categories, DEFAULT_SLOPE)
    weights = np.zeros((matrix.shape[1], n_categories), dtype=np.float32)
    bias = np.zeros(n_categories)
    for column, (params, _) in enumerate(fitted):
        if params is not None:
            margin_weight[column], weights[:, column], bias[column] = params
    out_of_fold = np.stack([held for _, held in fitted], axis=1)
    return Adapter(margin_weight, weights, bias, out_of_fold)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -40.0, 40.0)))
