"""Measuring the SLA-risk model on a time-ordered hold-out, and scoring open cases.

The cases are split by report time: the model learns from the earlier part and is judged on
the later part only, as it would be used. Printed: AUC, Brier score and a calibration table
(predicted against observed share missed, by tenths of predicted risk), beside two baselines
that need no model: the share missed in training per category and checkpoint, and overall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction

from pracha.cases.models import Case
from pracha.insights.models import CaseRisk
from pracha.insights.risk.model import (
    CaseRow,
    chances,
    examples,
    features,
    fit,
    load_cases,
    predict,
)


@dataclass
class Quality:
    train_cases: int
    test_cases: int
    train_examples: int
    test_examples: int
    split_at: datetime
    missed_share: float
    model: str
    auc: float
    brier: float
    base_auc: float
    base_brier: float
    flat_brier: float
    calibration: list[tuple[float, float, float, int]]  # low, mean predicted, observed, n


def evaluate(
    cases: list[CaseRow], now: datetime, test_share: float = 0.2, target_hours: float | None = None
) -> Quality:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    cases = sorted(cases, key=lambda c: c.created)
    cut = int(len(cases) * (1 - test_share))
    train, test = cases[:cut], cases[cut:]
    # Labels of training cases may only use what was known at the split.
    split_at = test[0].created if test else now
    bundle = fit(train, split_at, target_hours)
    chosen, progress, labels = examples(test, now, target_hours)
    if len(set(labels.tolist())) < 2:
        raise ValueError("the hold-out needs cases that met and cases that missed the target")
    predicted = chances(bundle, features(chosen, progress, bundle["encoder"], target_hours))
    # Baselines: the training share missed per (category, checkpoint), and overall.
    t_chosen, t_progress, t_labels = examples(train, split_at, target_hours)
    rates: dict[tuple[str, float], list[int]] = defaultdict(lambda: [0, 0])
    for case, point, label in zip(t_chosen, t_progress, t_labels, strict=True):
        key = (case.categories[0] if case.categories else "-", point)
        rates[key][0] += int(label)
        rates[key][1] += 1
    overall = float(t_labels.mean())
    base = np.asarray(
        [
            (lambda r: r[0] / r[1] if r[1] else overall)(
                rates.get((c.categories[0] if c.categories else "-", p), [0, 0])
            )
            for c, p in zip(chosen, progress, strict=True)
        ]
    )
    calibration = []
    for low in np.arange(0, 1, 0.1):
        inside = (predicted >= low) & (predicted < low + 0.1 + (1e-9 if low >= 0.9 else 0))
        if inside.any():
            calibration.append(
                (float(low), float(predicted[inside].mean()), float(labels[inside].mean()),
                 int(inside.sum()))
            )  # fmt: skip
    return Quality(
        train_cases=len(train),
        test_cases=len(test),
        train_examples=bundle["examples"],
        test_examples=len(labels),
        split_at=split_at,
        missed_share=float(labels.mean()),
        model=type(
            bundle["model"][-1] if hasattr(bundle["model"], "steps") else bundle["model"]
        ).__name__,
        auc=float(roc_auc_score(labels, predicted)),
        brier=float(brier_score_loss(labels, predicted)),
        base_auc=float(roc_auc_score(labels, base)),
        base_brier=float(brier_score_loss(labels, base)),
        flat_brier=float(brier_score_loss(labels, np.full(len(labels), overall))),
        calibration=calibration,
    )


def score_open_cases(bundle: dict[str, Any], now: datetime) -> tuple[int, int]:
    """Replace the stored risks with fresh ones for every open case; (scored, overdue)."""
    cases = load_cases(open_only=True)
    target = bundle.get("target_hours")
    overdue: list[CaseRow] = []
    pending: list[CaseRow] = []
    for case in cases:
        age = (now - case.created).total_seconds() / 3600
        (overdue if age >= (target or case.target_hours) else pending).append(case)
    chances = predict(bundle, pending, now)
    agencies = dict(
        Case.objects.filter(pk__in=[c.id for c in cases]).values_list("pk", "agency_id")
    )
    rows = []
    for case, chance in [
        *((c, 1.0) for c in overdue),
        *zip(pending, chances.tolist(), strict=True),
    ]:
        due = case.created + timedelta(hours=target or case.target_hours)
        rows.append(
            CaseRisk(
                case_id=case.id,
                probability=round(float(chance), 4),
                overdue=due <= now,
                due_at=due,
                agency_key=agencies.get(case.id) or 0,
                district=case.district,
                category=case.categories[0] if case.categories else "",
                scored_at=now,
            )
        )
    with transaction.atomic():
        CaseRisk.objects.all().delete()
        CaseRisk.objects.bulk_create(rows, batch_size=5000)
    return len(rows), len(overdue)
