"""SLA risk: the chance an open case misses its target, so officers know what to do first.

Training examples are (case, checkpoint) pairs: a case still open at 0, 25%, 50% or 75% of
its target time, labelled by whether it missed the target in the end. A case's outcome is
known when it closed (in time or not) or when it is still open past its target; cases still
open and younger than their target are left out (their outcome is not known yet).

Features: the share of training cases that missed, smoothed, for the case's primary category
(the one with the strictest target), district, agency, and category at this checkpoint; how
far into its target time the case is; the number of categories; hour and weekday of the
report; how often it had been forwarded by then. A logistic regression learns them from up
to 20,000 examples (trees overfit fewer), gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) from more.
Scoring an open case uses its current age; a case already past its target is "overdue".
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from pracha.agencies.services import NON_HANDLING_NAMES
from pracha.cases import sla
from pracha.cases.categories import codes_by_case
from pracha.cases.models import Case, Event
from pracha.importer.load import codes_for
from pracha.states import CLOSED_STATES
from pracha.traffy.formats import Record
from pracha.traffy.reader import TraffyFile

CHECKPOINTS = (0.0, 0.25, 0.5, 0.75)
SMOOTHING = 50.0  # pseudo-cases pulling a rare value's share towards the overall share
# Below this many training examples a logistic regression; above, gradient-boosted trees.
TREES_FROM = 20_000
MODEL_FILE = "sla_risk.pkl"


class NoModel(Exception):
    """No SLA-risk model has been trained yet."""


@dataclass
class CaseRow:
    id: int
    created: datetime
    closed: datetime | None  # when it closed, if it is closed
    categories: list[str]
    district: str
    agency: str
    forwards_at: list[datetime]
    target_hours: float
    observed_until: datetime | None = None  # a snapshot export: nothing known after this


@dataclass
class Encoder:
    """Smoothed share missed per category, district, agency and category x checkpoint, learnt
    on the training cases: (missed + m * overall) / (n + m). Unseen values get the overall
    share, so a new agency or district starts at the average and moves as evidence comes."""

    prior: float = 0.5
    tables: dict[str, dict[Any, float]] = field(default_factory=dict)

    def fit(self, keys: dict[str, list[Any]], labels: np.ndarray) -> Encoder:
        self.prior = float(labels.mean())
        for name, column in keys.items():
            sums: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
            for key, label in zip(column, labels.tolist(), strict=True):
                sums[key][0] += label
                sums[key][1] += 1
            self.tables[name] = {
                k: (m + SMOOTHING * self.prior) / (n + SMOOTHING) for k, (m, n) in sums.items()
            }
        return self

    def encode(self, name: str, column: list[Any]) -> np.ndarray:
        table = self.tables[name]
        return np.asarray([table.get(v, self.prior) for v in column], dtype=float)


def load_cases(limit: int | None = None, open_only: bool = False) -> list[CaseRow]:
    """Cases with what the model needs, newest `limit` first-reported order kept by time."""
    cases = Case.objects.order_by("-created_at")
    if open_only:
        cases = cases.exclude(state__in=CLOSED_STATES)
    rows = list(
        cases.values_list("id", "created_at", "closed_at", "state", "district", "agency_id")[:limit]
        if limit
        else cases.values_list("id", "created_at", "closed_at", "state", "district", "agency_id")
    )
    rows.reverse()
    ids = [r[0] for r in rows]
    codes: dict[int, list[str]] = defaultdict(list)
    forwards: dict[int, list[datetime]] = defaultdict(list)
    for start in range(0, len(ids), 20_000):
        chunk = ids[start : start + 20_000]
        codes.update(codes_by_case(chunk))
        for case_id, at in Event.objects.filter(
            case_id__in=chunk, kind=Event.Kind.FORWARDED
        ).values_list("case_id", "at"):
            forwards[case_id].append(at)
    out = []
    for case_id, created, closed_at, state, district, agency in rows:
        cats = sorted(codes[case_id], key=lambda c: (sla.target_hours(c), c))
        out.append(
            CaseRow(
                id=case_id,
                created=created,
                closed=closed_at if state in CLOSED_STATES else None,
                categories=cats,
                district=district or "",
                agency=str(agency or 0),
                forwards_at=sorted(forwards[case_id]),
                target_hours=sla.case_target_hours(cats),
            )
        )
    return out


def outcome(case: CaseRow, now: datetime, target_hours: float | None = None) -> bool | None:
    """True: missed its target; False: met it; None: not known yet."""
    target = target_hours or case.target_hours
    now = seen_until(case, now)
    closed = known_close(case, now)
    if closed is not None:
        return (closed - case.created).total_seconds() / 3600 > target
    if (now - case.created).total_seconds() / 3600 >= target:
        return True
    return None


def known_close(case: CaseRow, now: datetime) -> datetime | None:
    """When the case closed, as far as anyone could know at `now`."""
    return case.closed if case.closed is not None and case.closed <= now else None


def seen_until(case: CaseRow, now: datetime) -> datetime:
    return min(now, case.observed_until) if case.observed_until else now


def _keys(cases: list[CaseRow], progress: list[float]) -> dict[str, list[Any]]:
    primary = [c.categories[0] if c.categories else "-" for c in cases]
    return {
        "category": primary,
        "district": [c.district for c in cases],
        "agency": [c.agency for c in cases],
        "category_checkpoint": list(zip(primary, progress, strict=True)),
    }


def features(cases: list[CaseRow], progress: list[float], encoder: Encoder,
             target_hours: float | None = None) -> np.ndarray:  # fmt: skip
    local = [timezone.localtime(c.created) for c in cases]
    keys = _keys(cases, progress)
    forwards = [
        sum(
            1
            for at in c.forwards_at
            if (at - c.created).total_seconds() / 3600 <= p * (target_hours or c.target_hours)
        )
        for c, p in zip(cases, progress, strict=True)
    ]
    columns = [
        *(encoder.encode(name, keys[name]) for name in keys),
        np.asarray(progress, dtype=float),
        np.asarray([len(c.categories) for c in cases], dtype=float),
        np.asarray([t.hour for t in local], dtype=float),
        np.asarray([t.weekday() for t in local], dtype=float),
        np.asarray(forwards, dtype=float),
    ]
    return np.column_stack(columns)


def examples(cases: list[CaseRow], now: datetime, target_hours: float | None = None
             ) -> tuple[list[CaseRow], list[float], np.ndarray]:  # fmt: skip
    """(case, checkpoint) pairs with a known outcome, and their labels (1 = missed)."""
    chosen, progress, labels = [], [], []
    for case in cases:
        missed = outcome(case, now, target_hours)
        if missed is None:
            continue
        target = target_hours or case.target_hours
        until = seen_until(case, now)
        closed = known_close(case, until)
        closed_hours = (closed - case.created).total_seconds() / 3600 if closed else None
        age_hours = (until - case.created).total_seconds() / 3600
        for point in CHECKPOINTS:
            at_hours = point * target
            if closed_hours is not None and closed_hours <= at_hours:
                continue  # already closed at this checkpoint: nothing to predict
            if at_hours > age_hours:
                continue  # this checkpoint lies after `now`
            chosen.append(case)
            progress.append(point)
            labels.append(int(missed))
    return chosen, progress, np.asarray(labels)


def new_model(examples: int) -> Any:
    if examples < TREES_FROM:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, max_depth=5, min_samples_leaf=100,
        l2_regularization=1.0, random_state=0,
    )  # fmt: skip


# The latest share of training examples (by report time) that recalibrates the model.
RECALIBRATE_SHARE = 0.2


def _train(chosen: list[CaseRow], progress: list[float], labels: np.ndarray,
           target_hours: float | None) -> tuple[Any, Encoder]:  # fmt: skip
    encoder = Encoder().fit(_keys(chosen, progress), labels)
    model = new_model(len(labels)).fit(features(chosen, progress, encoder, target_hours), labels)
    return model, encoder


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p)).reshape(-1, 1)


def _recalibrator(chosen: list[CaseRow], progress: list[float], labels: np.ndarray,
                  target_hours: float | None) -> Any | None:  # fmt: skip
    """A logistic map from the model's log-odds to the share missed, learnt on the latest
    examples by a model that did not see them. Backlogs drift (a rainy month, a short-staffed
    office): scores fitted to last year's share are recentred on the recent one."""
    from sklearn.linear_model import LogisticRegression

    order = sorted(range(len(chosen)), key=lambda i: chosen[i].created)
    cut = int(len(order) * (1 - RECALIBRATE_SHARE))
    early, late = order[:cut], order[cut:]
    if len(set(labels[early].tolist())) < 2 or len(set(labels[late].tolist())) < 2:
        return None  # too little history on one side: leave the scores as they are
    model, encoder = _train(
        [chosen[i] for i in early], [progress[i] for i in early], labels[early], target_hours
    )
    x = features([chosen[i] for i in late], [progress[i] for i in late], encoder, target_hours)
    return LogisticRegression().fit(_logit(model.predict_proba(x)[:, 1]), labels[late])


def chances(bundle: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """The model's probability of missing, recalibrated when the bundle has a calibrator."""
    raw = bundle["model"].predict_proba(x)[:, 1]
    calibrator = bundle.get("calibrator")
    return raw if calibrator is None else calibrator.predict_proba(_logit(raw))[:, 1]


def fit(cases: list[CaseRow], now: datetime, target_hours: float | None = None) -> dict[str, Any]:
    chosen, progress, labels = examples(cases, now, target_hours)
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs cases that met and cases that missed their target")
    model, encoder = _train(chosen, progress, labels, target_hours)
    return {
        "model": model,
        "encoder": encoder,
        "calibrator": _recalibrator(chosen, progress, labels, target_hours),
        "target_hours": target_hours,
        "examples": len(labels),
        "trained_at": now.isoformat(),
    }


def model_path() -> Path:
    return settings.PRACHA.var_dir / "models" / MODEL_FILE


def save(bundle: dict[str, Any]) -> Path:
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(bundle))
    temporary.replace(path)
    return path


def load() -> dict[str, Any]:
    try:
        # Our own file, written by `pracha sla-risk train` into var/.
        return pickle.loads(model_path().read_bytes())
    except FileNotFoundError as exc:
        raise NoModel("no SLA-risk model yet: run `pracha sla-risk train`") from exc


def predict(bundle: dict[str, Any], cases: list[CaseRow], now: datetime) -> np.ndarray:
    target = bundle.get("target_hours")
    progress = [
        min(0.999, max(0.0, (now - c.created).total_seconds() / 3600 / (target or c.target_hours)))
        for c in cases
    ]
    if not cases:
        return np.zeros(0)
    return chances(bundle, features(cases, progress, bundle["encoder"], target))


def cases_from_files(paths: list[Path]) -> list[CaseRow]:
    """Cases straight from Traffy exports, each file a snapshot taken at its last activity."""
    out: list[CaseRow] = []
    for path in paths:
        with TraffyFile(path) as source:
            records = [r for r in source if isinstance(r, Record)]
        if not records:
            continue
        until = max(r.updated_at for r in records)
        for r in records:
            cats = sorted(codes_for(r.labels), key=lambda c: (sla.target_hours(c), c))
            handlers = [n for n in r.agency_names if n not in NON_HANDLING_NAMES]
            out.append(
                CaseRow(
                    id=len(out) + 1,
                    created=r.created_at,
                    closed=r.closed_at if r.state in CLOSED_STATES else None,
                    categories=cats,
                    district=r.district,
                    agency=handlers[-1] if handlers else "",
                    forwards_at=[],
                    target_hours=sla.case_target_hours(cats),
                    observed_until=until,
                )
            )
    return sorted(out, key=lambda c: c.created)
