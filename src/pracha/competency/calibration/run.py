"""Calibrating a bank from its recorded answers and storing the result as new parameter
versions (responses keep the version they were scored with)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from pracha.competency.calibration.fit import (
    Fitted,
    choose_model,
    fit_dichotomous,
    fit_graded,
    library,
)
from pracha.competency.models import Calibration, Item, ItemBank, ItemParameters, Response

MIN_PERSONS = 50
GRADED_CATEGORIES = 5


@dataclass
class Group:
    language: str
    kind: str
    model: str = ""
    persons: int = 0
    converged: bool = False
    fitted: list[tuple[Item, Fitted]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, why)
    note: str = ""


@dataclass
class Report:
    groups: list[Group]
    calibration: Calibration | None = None

    @property
    def fitted(self) -> list[tuple[Item, Fitted]]:
        return [pair for g in self.groups if g.converged for pair in g.fitted]


def answers(bank: ItemBank, language: str, kind: str) -> list[tuple[Any, int, int]]:
    """(session, item, category) of every answer in finished sessions."""
    rows = Response.objects.filter(
        item__bank=bank,
        item__language=language,
        item__kind=kind,
        category__isnull=False,
        session__finished_at__isnull=False,
    ).values_list("session_id", "item_id", "category")
    return [(session, item, category) for session, item, category in rows if category is not None]


def build_matrix(
    rows: list[tuple[Any, int, int]], kind: str, min_responses: int, group: Group
) -> tuple[list[int], np.ndarray]:
    """Item ids kept and the persons x items matrix (NaN: not asked)."""
    per_item: dict[int, Counter[int]] = defaultdict(Counter)
    for _session, item, category in rows:
        per_item[item][category] += 1
    codes = dict(Item.objects.filter(pk__in=per_item).values_list("pk", "code"))
    kept = []
    for item, counts in sorted(per_item.items()):
        total = sum(counts.values())
        if total < min_responses:
            group.skipped.append((codes[item], f"{total} answers, needs {min_responses}"))
            continue
        categories = 2 if kind == Item.Kind.DICHOTOMOUS else GRADED_CATEGORIES
        unused = [c for c in range(categories) if counts[c] == 0]
        if unused:
            what = "right or wrong" if kind == Item.Kind.DICHOTOMOUS else f"score {unused[0] + 1}"
            group.skipped.append((codes[item], f"nobody answered it {what}"))
            continue
        kept.append(item)
    column = {item: j for j, item in enumerate(kept)}
    persons = sorted({s for s, item, _c in rows if item in column}, key=str)
    row = {s: i for i, s in enumerate(persons)}
    matrix = np.full((len(persons), len(kept)), np.nan)
    for session, item, category in rows:
        if item in column:
            matrix[row[session], column[item]] = category
    return kept, matrix


def fit_group(
    bank: ItemBank, language: str, kind: str, model: str, min_responses: int, min_for_2pl: int
) -> Group:
    group = Group(language, kind)
    kept, matrix = build_matrix(answers(bank, language, kind), kind, min_responses, group)
    group.persons = matrix.shape[0]
    if len(kept) < 2 or group.persons < MIN_PERSONS:
        group.note = (
            f"not fitted: {len(kept)} item(s) with enough answers from {group.persons} "
            f"session(s); needs 2 items and {MIN_PERSONS} sessions"
        )
        return group
    if kind == Item.Kind.GRADED:
        group.model = "grm"
        fitted, group.converged = fit_graded(matrix)
    else:
        group.model = choose_model(matrix, model, min_for_2pl)
        fitted, group.converged = fit_dichotomous(matrix, group.model)
    if not group.converged:
        group.note = "the fit did not converge: nothing stored for this group"
    items = Item.objects.in_bulk(kept)
    group.fitted = [(items[i], f) for i, f in zip(kept, fitted, strict=True)]
    return group


def calibrate(
    bank: ItemBank,
    model: str = "auto",
    min_responses: int = 100,
    min_for_2pl: int = 300,
    dry_run: bool = False,
    user: Any = None,
) -> Report:
    groups = [
        fit_group(bank, language, kind, model, min_responses, min_for_2pl)
        for language in (Item.Language.TH, Item.Language.EN)
        for kind in (Item.Kind.DICHOTOMOUS, Item.Kind.GRADED)
    ]
    report = Report(groups)
    if not dry_run and report.fitted:
        report.calibration = store(bank, report, user)
    return report


MODEL_NAMES = {"rasch": "1PL (common a)", "2pl": "2PL", "grm": "graded response"}


@transaction.atomic
def store(bank: ItemBank, report: Report, user: Any) -> Calibration:
    sessions = sum(g.persons for g in report.groups if g.converged)
    calibration = Calibration.objects.create(
        bank=bank,
        library=library(),
        sessions=sessions,
        responses=sum(f.n for _i, f in report.fitted),
        items_calibrated=len(report.fitted),
        items_flagged=sum(1 for _i, f in report.fitted if f.flags),
        report={
            "groups": [
                {
                    "language": g.language,
                    "kind": g.kind,
                    "model": g.model,
                    "persons": g.persons,
                    "converged": g.converged,
                    "items": len(g.fitted),
                    "skipped": [list(s) for s in g.skipped],
                    "note": g.note,
                }
                for g in report.groups
            ]
        },
        created_by=user if getattr(user, "pk", None) else None,
    )
    now = timezone.now()
    for group in report.groups:
        if not group.converged:
            continue
        for item, fitted in group.fitted:
            last = item.parameter_versions.order_by("-version").first()
            parameters = ItemParameters.objects.create(
                item=item,
                version=(last.version if last else 0) + 1,
                model=fitted.model,
                a=fitted.a,
                b=fitted.b,
                thresholds=fitted.thresholds,
                se_a=fitted.se_a,
                se_b=fitted.se_b,
                se_thresholds=fitted.se_thresholds,
                infit=fitted.infit,
                outfit=fitted.outfit,
                n_responses=fitted.n,
                provisional=False,
                source=(
                    f"calibrated: {library()}, {MODEL_NAMES[fitted.model]} by marginal maximum "
                    f"likelihood (EM), calibration {calibration.pk} of {now:%Y-%m-%d}, "
                    f"{fitted.n} answers in {group.persons} sessions ({group.language})"
                ),
                flags=fitted.flags,
                calibration=calibration,
                created_at=now,
            )
            item.parameters = parameters
            item.needs_review = bool(fitted.flags)
            item.review_note = "; ".join(fitted.flags)
            item.updated_at = now
            item.save(update_fields=["parameters", "needs_review", "review_note", "updated_at"])
    return calibration
