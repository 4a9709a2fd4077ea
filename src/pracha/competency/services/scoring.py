"""Scores: points per subtest against its passing grade (fixed forms, BKN's rule that every
subtest must pass), ability by EAP with the parameter version each response was scored with,
and the adaptive test's 0-100 score (the share of its pool expected right at that ability)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pracha.competency.irt import Estimate, Pool, eap, expected_score
from pracha.competency.irt.pool import threshold_row
from pracha.competency.models import Assessment, Item, Response, Session


def estimate(responses: Sequence[Response]) -> Estimate | None:
    """EAP from answered responses, each with the parameters it was scored with."""
    answered = [
        (r.parameters, r.category)
        for r in responses
        if r.category is not None and r.parameters is not None
    ]
    if not answered:
        return None
    a = np.array([p.a for p, _ in answered], dtype=float)
    t = np.array([threshold_row(p.b, p.thresholds) for p, _ in answered], dtype=float)
    return eap(a, t, [int(category) for _, category in answered])


def scale_score(pool: Pool, theta: float) -> float:
    """0-100: the expected share of the pool's points at `theta` (right-or-wrong items 0/1,
    graded 0-4 of 4), so an officer reads it like a percentage of the bank."""
    if not len(pool):
        return 0.0
    top = np.array([float((~np.isnan(row)).sum()) for row in pool.t])
    expected = expected_score(np.array([theta]), pool.a, pool.t)[0]
    return round(float(100.0 * (expected / top).mean()), 1)


def calibrated(responses: Sequence[Response]) -> str:
    """Whether the parameters behind a result were calibrated: calibrated, provisional, mixed."""
    states = {r.parameters.provisional for r in responses if r.parameters is not None}
    if states == {False}:
        return "calibrated"
    if states == {True}:
        return "provisional"
    return "mixed" if states else "none"


def domain_table(responses: Sequence[Response], points_correct: int) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for r in responses:
        row = table.setdefault(
            r.item.domain, {"items": 0, "answered": 0, "correct": 0, "points": 0, "max": 0}
        )
        row["items"] += 1
        row["max"] += r.item.max_points(points_correct)
        if r.choice is not None:
            row["answered"] += 1
            row["points"] += r.points or 0
            if r.item.kind == Item.Kind.DICHOTOMOUS and r.category == 1:
                row["correct"] += 1
    return table


def fixed_result(session: Session, responses: Sequence[Response]) -> dict[str, Any]:
    """Points per subtest (unanswered items score 0), each against its passing grade; theta
    and SE only when every right-or-wrong item of the form has calibrated parameters."""
    assessment = session.assessment
    per_item = {r.item_id: r for r in responses}
    items = {r.item_id: r.item for r in responses}
    subtests: list[dict[str, Any]] = []
    for subtest in assessment.subtests.all():
        ids = [item for item, code in session.form if code == subtest.code]
        points = sum((per_item[i].points or 0) for i in ids if i in per_item)
        most = sum(items[i].max_points(assessment.points_correct) if i in items else 5 for i in ids)
        subtests.append(
            {
                "code": subtest.code,
                "name_th": subtest.name_th,
                "name_en": subtest.name_en,
                "items": len(ids),
                "answered": sum(1 for i in ids if i in per_item and per_item[i].choice is not None),
                "score": points,
                "max": most,
                "passing": subtest.passing,
                "passed": subtest.passing is None or points >= subtest.passing,
            }
        )
    knowledge = [r for r in responses if r.item.kind == Item.Kind.DICHOTOMOUS]
    ability = None
    if knowledge and calibrated(knowledge) == "calibrated":
        ability = estimate(knowledge)
    return {
        "score": float(sum(s["score"] for s in subtests)),
        "max_score": float(sum(s["max"] for s in subtests)),
        "passing_score": None,
        "passed": all(s["passed"] for s in subtests),
        "theta": ability.theta if ability else None,
        "se": ability.se if ability else None,
        "subtests": subtests,
    }


def adaptive_result(
    session: Session, responses: Sequence[Response], pool: Pool, ability: Estimate | None
) -> dict[str, Any]:
    assessment = session.assessment
    ability = ability or Estimate(0.0, 1.0)
    cut = assessment.passing_theta if assessment.passing_theta is not None else 0.0
    by_part: dict[str, dict[str, Any]] = {}
    for subtest in assessment.subtests.all():
        by_part[subtest.code] = {
            "code": subtest.code,
            "name_th": subtest.name_th,
            "name_en": subtest.name_en,
            "items": 0,
            "answered": 0,
            "correct": 0,
            "passing": None,
            "passed": None,
        }
    for r in responses:
        part = by_part.get(r.subtest)
        if part is None:
            continue
        part["items"] += 1
        if r.choice is not None:
            part["answered"] += 1
            part["correct"] += int(r.category == 1 and r.item.kind == Item.Kind.DICHOTOMOUS)
    return {
        "score": scale_score(pool, ability.theta),
        "max_score": 100.0,
        "passing_score": scale_score(pool, cut),
        "passed": ability.theta >= cut,
        "theta": round(ability.theta, 3),
        "se": round(ability.se, 3),
        "passing_theta": cut,
        "subtests": list(by_part.values()),
    }


def result_dict(session: Session) -> dict[str, Any]:
    """What the API and the pages show of a finished session."""
    stored = session.result or {}
    return {
        "finished": True,
        "session": str(session.id),
        "assessment": session.assessment.code,
        "mode": session.assessment.mode,
        "language": session.language,
        "end_reason": session.end_reason,
        "theta": session.theta,
        "se": session.se,
        "score": session.score,
        "max_score": stored.get("max_score"),
        "passing_score": stored.get("passing_score"),
        "passing_theta": stored.get("passing_theta"),
        "passed": session.passed,
        "items_used": session.answered,
        "domains": stored.get("domains", {}),
        "subtests": stored.get("subtests", []),
        "parameters": stored.get("parameters", "none"),
        "started_at": session.started_at.isoformat(),
        "finished_at": session.finished_at.isoformat() if session.finished_at else None,
    }


def assessment_max_items(assessment: Assessment) -> int:
    if assessment.adaptive:
        return assessment.max_items
    return sum(s.items for s in assessment.subtests.all())
