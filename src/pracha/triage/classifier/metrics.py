"""Scores of predicted category sets against labelled ones, and their printed tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CategoryScore:
    code: str
    precision: float
    recall: float
    f1: float
    support: int  # tickets that have the category
    predicted: int  # tickets predicted to have it


@dataclass(frozen=True)
class Scores:
    micro_f1: float
    macro_f1: float  # mean F1 over the categories with support > 0
    samples_f1: float  # mean F1 per ticket
    categories: tuple[CategoryScore, ...]
    tickets: int

    @property
    def macro_over(self) -> int:
        return sum(1 for c in self.categories if c.support > 0)


def _f1(tp: float, predicted: float, actual: float) -> float:
    return 2 * tp / (predicted + actual) if predicted + actual else 0.0


def score(truth: np.ndarray, chosen: np.ndarray, codes: Sequence[str]) -> Scores:
    """Micro-, macro- and samples-F1 and per-category figures; truth/chosen (n, n_codes).

    Macro-F1 averages the categories that occur in `truth`: a category absent from the test
    tickets has no recall to measure, and counting it as 0 (or as 1) would say nothing about
    the model. Samples-F1 gives an empty prediction for a ticket F1 0.
    """
    actual = truth.astype(bool)
    chosen = chosen.astype(bool)
    hits = chosen & actual
    per_category = []
    for j, code in enumerate(codes):
        tp, n_pred, n_true = int(hits[:, j].sum()), int(chosen[:, j].sum()), int(actual[:, j].sum())
        per_category.append(
            CategoryScore(
                code=code,
                precision=tp / n_pred if n_pred else 0.0,
                recall=tp / n_true if n_true else 0.0,
                f1=_f1(tp, n_pred, n_true),
                support=n_true,
                predicted=n_pred,
            )
        )
    supported = [c.f1 for c in per_category if c.support > 0]
    per_ticket = [
        _f1(h, p, a)
        for h, p, a in zip(hits.sum(1), chosen.sum(1), actual.sum(1), strict=True)
        if p + a
    ]
    return Scores(
        micro_f1=_f1(hits.sum(), chosen.sum(), actual.sum()),
        macro_f1=float(np.mean(supported)) if supported else 0.0,
        samples_f1=float(np.sum(per_ticket) / len(truth)) if len(truth) else 0.0,
        categories=tuple(per_category),
        tickets=len(truth),
    )


def calibration(probs: np.ndarray, truth: np.ndarray, bins: int = 10) -> tuple[float, float]:
    """(expected calibration error over 10 equal-width bins, Brier score), every score counted."""
    p, y = probs.ravel(), truth.ravel().astype(float)
    if len(p) == 0:
        return 0.0, 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += abs(p[inside].mean() - y[inside].mean()) * inside.sum()
    return float(error / len(p)), float(np.mean((p - y) ** 2))


def summary_table(model: Scores, baseline: Scores) -> list[str]:
    lines = [f"{'':12} {'model':>8} {'baseline':>9} {'difference':>11}"]
    for label, attr in (
        ("micro-F1", "micro_f1"),
        ("macro-F1", "macro_f1"),
        ("samples-F1", "samples_f1"),
    ):
        ours, theirs = getattr(model, attr), getattr(baseline, attr)
        lines.append(f"{label:12} {ours:8.4f} {theirs:9.4f} {ours - theirs:+11.4f}")
    return lines


def category_table(model: Scores, baseline: Scores, names: dict[str, str]) -> list[str]:
    header = (
        f"{'category':15} {'name':12} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}"
        f"   {'baseline P':>10} {'R':>6} {'F1':>6}"
    )
    lines = [header]
    for ours, theirs in zip(model.categories, baseline.categories, strict=True):
        lines.append(
            f"{ours.code:15} {_pad(names.get(ours.code, ''), 12)} {ours.support:7d} "
            f"{ours.precision:9.3f} {ours.recall:7.3f} {ours.f1:6.3f}   "
            f"{theirs.precision:10.3f} {theirs.recall:6.3f} {theirs.f1:6.3f}"
        )
    return lines


def _pad(text: str, width: int) -> str:
    """Left-justify Thai text by its displayed width (combining vowel and tone marks take none)."""
    shown = sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in text
    )
    return text + " " * max(width - shown, 0)
