"""Training: which tickets teach the base model and which the recent adapter, and the fit.

The tickets are ordered by time. The newest ones (those within `recent_days` of the newest
ticket, between `min_recent` and `max_recent` of them) are "recent": the adapter learns from
them and the thresholds are tuned on its out-of-fold probabilities for them. Everything older
trains the base model. With the shipped data that is the 2022 dump (base) against the May and
June 2023 tickets (recent): the validation split is later in time than the training split,
and the model still learns from the newest reports it has.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from pracha.triage.classifier.dataset import (
    DataError,
    Example,
    Source,
    all_codes,
    deduplicated,
    default_sources,
    read_traffy,
    time_ordered,
)
from pracha.triage.classifier.features import Featuriser
from pracha.triage.classifier.linear import Bridge, fit_adapter, fit_svms
from pracha.triage.classifier.model import Classifier
from pracha.triage.classifier.thresholds import decide, micro_f1, tune_fallback, tune_thresholds

Say = Callable[[str], None]
MIN_EXAMPLES = 20


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class Params:
    base_C: float = 0.5  # SVM regularisation for the base model
    # Weight of the newest base ticket against the oldest, rising linearly with time (1: all
    # equal): the city's wording and labelling drift, and the newest reports read most alike.
    recency_ramp: float = 8.0
    # Categories on fewer than this share of the base tickets get class-balanced base SVMs
    base_balance_share: float = 0.01
    adapter_C: float = 10.0  # logistic regression regularisation for the recent adapter
    margin_scale: float = 1.0  # the base margin's scale among the adapter's inputs
    # The newest base tickets the adapter also learns from (at bridge_weight beside the
    # recent tickets' 1), with the margins of a second base fitted without them: the recent
    # tickets alone are too few to place most categories' boundaries. Used when the base
    # has at least twice as many tickets.
    bridge_tickets: int = 20_000
    bridge_weight: float = 0.3
    # Categories with fewer recent positives get class-balanced adapter weights (see linear.py)
    balance_below: int = 50
    folds: int = 5  # cross-fitting folds over the recent tickets
    min_df: int = 2  # a feature must occur in this many training texts
    max_features: int = 300_000  # per block (words, characters)
    char_sizes: tuple[int, ...] = (1, 2, 3, 4, 5)
    recent_days: int = 120
    min_recent: int = 500
    max_recent: int = 5000
    jobs: int = 2  # threads for the per-category fits; results do not depend on it


@dataclass
class Split:
    base: list[Example]
    recent: list[Example]


def label_matrix(examples: Sequence[Example], codes: Sequence[str]) -> np.ndarray:
    column = {code: i for i, code in enumerate(codes)}
    matrix = np.zeros((len(examples), len(codes)), dtype=np.int8)
    for row, example in enumerate(examples):
        for code in example.codes:
            matrix[row, column[code]] = 1
    return matrix


def recency_weights(examples: Sequence[Example], ramp: float) -> np.ndarray | None:
    """Per-ticket loss weights rising linearly from 1 (oldest) to `ramp` (newest), scaled to
    mean 1 so the SVM's C keeps its meaning; None (all equal) when there is nothing to ramp."""
    stamps = [e.created_at.timestamp() for e in examples if e.created_at is not None]
    if ramp == 1.0 or len(stamps) != len(examples) or not stamps:
        return None
    times = np.array(stamps)
    span = times.max() - times.min()
    if span <= 0:
        return None
    weights = 1.0 + (ramp - 1.0) * (times - times.min()) / span
    return weights / weights.mean()


def split_by_time(examples: Sequence[Example], params: Params) -> Split:
    """Oldest tickets -> base, newest -> recent (see the module's docstring)."""
    ordered = time_ordered(e for e in examples if e.created_at is not None)
    if len(ordered) < MIN_EXAMPLES:
        raise DataError(
            f"only {len(ordered)} labelled tickets with a date; training needs {MIN_EXAMPLES}"
        )
    newest = ordered[-1].created_at
    assert newest is not None
    cutoff = newest - timedelta(days=params.recent_days)
    in_window = sum(1 for e in ordered if e.created_at and e.created_at > cutoff)
    half = len(ordered) // 2
    count = max(min(in_window, params.max_recent, half), min(params.min_recent, half))
    return Split(base=ordered[:-count], recent=ordered[-count:])


def read_sources(paths: Sequence[Path], say: Say = _quiet) -> list[Source]:
    """Read each export; files labelled with the newer taxonomy are reported and left out."""
    kept: list[Source] = []
    for path in paths:
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        source = read_traffy(path)
        line = (
            f"  {source.name}: {source.rows:,} rows, {len(source.examples):,} with categories "
            f"among the 24, {source.unlabelled:,} without, {source.unreadable:,} unreadable"
        )
        if source.current_taxonomy:
            kept.append(source)
            say(line)
        else:
            say(f"{line}; left out: labelled with the newer taxonomy, not the 24 categories")
    if not kept:
        raise DataError("none of the files has tickets labelled with the 24 categories")
    return kept


def training_examples(
    sources: Sequence[Source],
    exclude_texts: set[str] | None = None,
    corrections: Sequence[Example] = (),
) -> list[Example]:
    """All examples, oldest first, without repeated tickets or texts held out for testing.

    An officer's correction replaces the exported labels of the same ticket, and counts as
    recent (it is dated when it was made), so the adapter learns the city's current use.
    """
    corrected = {example.ticket_id for example in corrections}
    every = [e for source in sources for e in source.examples if e.ticket_id not in corrected]
    return deduplicated(time_ordered([*every, *corrections]), exclude_texts or set())


@dataclass
class Trained:
    classifier: Classifier
    featuriser_seconds: float = 0.0
    base_seconds: float = 0.0
    adapter_seconds: float = 0.0


def train(split: Split, params: Params = Params(), say: Say = _quiet) -> Trained:
    codes = all_codes()
    examples = split.base + split.recent
    labels = label_matrix(examples, codes)
    n_base = len(split.base)
    started = time.monotonic()
    featuriser, features = Featuriser.fit_transform(
        [e.text for e in examples],
        char_sizes=params.char_sizes,
        min_df=params.min_df,
        max_features=params.max_features,
    )
    featurised = time.monotonic()
    say(f"  features: {featuriser.size:,} ({featurised - started:.0f} s)")
    base_sample_weight = recency_weights(split.base, params.recency_ramp)
    base_weights, base_bias = _fit_base(
        features[:n_base], labels[:n_base], base_sample_weight, params
    )
    based = time.monotonic()
    say(f"  base model: {n_base:,} tickets ({based - featurised:.0f} s)")
    bridge = _bridge(features, labels, n_base, base_sample_weight, params)
    bridged = time.monotonic()
    if bridge is not None:
        say(
            f"  bridge: the newest {len(bridge.labels):,} base tickets, margins from a base "
            f"without them ({bridged - based:.0f} s)"
        )
    recent_features, recent_labels = features[n_base:], labels[n_base:]
    margins = np.asarray(recent_features @ base_weights, dtype=np.float64) + base_bias
    adapter = fit_adapter(
        recent_features,
        recent_labels,
        margins,
        C=params.adapter_C,
        margin_scale=params.margin_scale,
        folds=params.folds,
        jobs=params.jobs,
        balance_below=params.balance_below,
        bridge=bridge,
    )
    adapted = time.monotonic()
    say(f"  recent adapter: {len(split.recent):,} tickets ({adapted - bridged:.0f} s)")
    thresholds = tune_thresholds(adapter.out_of_fold, recent_labels)
    fallback = tune_fallback(adapter.out_of_fold, recent_labels, thresholds)
    weights = (base_weights * adapter.margin_weight + adapter.weights).astype(np.float32)
    bias = base_bias * adapter.margin_weight + adapter.bias
    chosen = decide(adapter.out_of_fold, thresholds, fallback)
    info = {
        "base": _describe(split.base),
        "recent": _describe(split.recent),
        "params": asdict(params),
        "out_of_fold_micro_f1": round(micro_f1(chosen, recent_labels), 4),
        "bridge_tickets": 0 if bridge is None else len(bridge.labels),
        "features": featuriser.size,
    }
    classifier = Classifier(
        codes=codes,
        featuriser=featuriser,
        weights=weights,
        bias=bias,
        thresholds=thresholds,
        fallback=fallback,
        version=_version(split, weights, bias, thresholds),
        info=info,
    )
    return Trained(
        classifier,
        featuriser_seconds=featurised - started,
        base_seconds=bridged - featurised,  # with the bridge's base
        adapter_seconds=adapted - bridged,
    )


def _fit_base(
    features: Any, labels: np.ndarray, sample_weight: np.ndarray | None, params: Params
) -> tuple[np.ndarray, np.ndarray]:
    return fit_svms(
        features,
        labels,
        C=params.base_C,
        jobs=params.jobs,
        sample_weight=sample_weight,
        balance_below=params.base_balance_share,
    )


def _bridge(
    features: Any,
    labels: np.ndarray,
    n_base: int,
    base_sample_weight: np.ndarray | None,
    params: Params,
) -> Bridge | None:
    """The newest base tickets with held-out margins: a second base, fitted on the older
    tickets alone (their recency weights as in the full base, rescaled), scores them."""
    count = params.bridge_tickets
    if count <= 0 or n_base < 2 * count:
        return None
    cut = n_base - count
    weight = None
    if base_sample_weight is not None:
        weight = base_sample_weight[:cut] / base_sample_weight[:cut].mean()
    older_weights, older_bias = _fit_base(features[:cut], labels[:cut], weight, params)
    bridge_features = features[cut:n_base]
    margins = np.asarray(bridge_features @ older_weights, dtype=np.float64) + older_bias
    return Bridge(bridge_features, labels[cut:n_base], margins, params.bridge_weight)


def describe_period(examples: Sequence[Example]) -> str:
    """What a stage learnt from, for people: how many tickets, first and last day, files."""
    dates = [e.created_at for e in examples if e.created_at is not None]
    files = ", ".join(sorted({e.source for e in examples}))
    if not dates:
        return f"{len(examples):,} tickets ({files})"
    return f"{len(examples):,} tickets, {min(dates):%Y-%m-%d} to {max(dates):%Y-%m-%d} ({files})"


def _describe(examples: Sequence[Example]) -> dict[str, Any]:
    dates = [e.created_at for e in examples if e.created_at is not None]
    return {
        "tickets": len(examples),
        "from": min(dates).isoformat() if dates else None,
        "to": max(dates).isoformat() if dates else None,
        "files": sorted({e.source for e in examples}),
    }


def _version(split: Split, *arrays: np.ndarray) -> str:
    """`<newest training date>-<digest of the learned numbers>`: equal models, equal versions."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    newest = split.recent[-1].created_at if split.recent else None
    day = newest.date().isoformat() if newest else "undated"
    return f"{day}-{digest.hexdigest()[:10]}"


def train_default(
    output: Path,
    *,
    data_dir: Path | None = None,
    paths: Sequence[Path] | None = None,
    params: Params = Params(),
    say: Say = _quiet,
    corrections: Sequence[Example] = (),
) -> Trained:
    """Train on the shipped exports (or `paths`), and officers' `corrections`, and write
    the model to `output`."""
    if paths is None:
        from django.conf import settings

        paths = default_sources(data_dir or settings.PRACHA.data_dir)
    sources = read_sources(paths, say)
    split = split_by_time(training_examples(sources, corrections=corrections), params)
    say(
        f"training on {len(split.base):,} older and {len(split.recent):,} recent tickets "
        f"(recent from {split.recent[0].created_at:%Y-%m-%d})"
    )
    say(f"  base model learns from:       {describe_period(split.base)}")
    say(f"  adapter and thresholds from:  {describe_period(split.recent)}")
    trained = train(split, params, say)
    trained.classifier.save(output)
    return trained
