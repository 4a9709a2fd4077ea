"""The triage of one report, with no database: categories, place, agency and the reasons.

Used by intake (one report, inside the request) and by `pracha triage` (a file, without a
database). The caller supplies the classifier's prediction (None without a model), the area
index and the routing rules, so each is loaded once and shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from pracha.agencies.routing import BANGKOK, Decision, Rule, choose
from pracha.geo.index import Location
from pracha.taxonomy.categories import taxonomy_rows
from pracha.triage.classifier import Prediction

REPORTER, MODEL, NONE = "reporter", "model", "none"


@cache
def category_names() -> dict[str, str]:
    """Category code -> Thai name (ถนน, ท่อระบายน้ำ, ...)."""
    return {row["code"]: row["name_th"] for row in taxonomy_rows()}


@dataclass(frozen=True)
class Place:
    """The district decided for a report, from its point or (without one) its address."""

    district: str = ""
    subdistrict: str = ""
    province: str = ""
    near_boundary: bool = False
    method: str = ""  # Location.method, or "address" without a point, "" when unknown

    @classmethod
    def of(cls, location: Location) -> Place:
        return cls(
            location.district,
            location.subdistrict,
            location.province,
            location.near_boundary,
            location.method,
        )


@dataclass(frozen=True)
class TriageResult:
    categories: list[str]  # codes the case gets: the reporter's, else the model's
    category_source: str  # REPORTER | MODEL | NONE
    suggested: list[str]  # the model's codes (also when the reporter chose)
    scores: dict[str, float]
    needs_review: bool
    model_version: str
    place: Place
    decision: Decision
    routed_by: str
    notes: list[str] = field(default_factory=list)  # why a human should look, if they should


def triage(
    *,
    given: Sequence[str],
    prediction: Prediction | None,
    model_version: str,
    place: Place,
    rules: Sequence[Rule],
    default_agency: str = "",
) -> TriageResult:
    """Decide categories and agency for a report whose place is already known."""
    suggested = list(prediction.categories) if prediction else []
    if given:
        categories, source = list(given), REPORTER
    elif suggested:
        categories, source = suggested, MODEL
    else:
        categories, source = [], NONE
    notes: list[str] = []
    if prediction is None:
        notes.append("no classifier model has been built yet (pracha train)")
    elif prediction.needs_review and source != REPORTER:
        notes.append("the classifier is unsure of the categories")
    decision = choose(rules, categories, place.district, place.province)
    if decision.rule is None:
        notes.append("no routing rule matches its place and categories")
    return TriageResult(
        categories=categories,
        category_source=source,
        suggested=suggested,
        scores=dict(prediction.scores) if prediction else {},
        needs_review=bool(notes),
        model_version=model_version,
        place=place,
        decision=decision,
        routed_by=explain(decision, place, default_agency=default_agency),
        notes=notes,
    )


def place_name(place: Place) -> str:
    """`เขตบางรัก` in Bangkok, `อำเภอเมืองนนทบุรี จังหวัดนนทบุรี` elsewhere, "" if unknown."""
    if not place.district:
        return ""
    if place.province == BANGKOK:
        return f"เขต{place.district}"
    return f"อำเภอ{place.district} จังหวัด{place.province}".strip()


def explain(decision: Decision, place: Place, *, default_agency: str) -> str:
    """Why the case went where it went, in a sentence an officer or citizen can check."""
    rule = decision.rule
    if rule is None:
        to = f" to {default_agency}" if default_agency else ""
        text = (
            f"no routing rule matches ({place_name(place) or 'place unknown'}); sent{to} "
            "for an officer to route by hand"
        )
        return " ".join([text, *map(explain_invite, decision.invites)])
    label = f"rule #{rule.rule_id}" if rule.rule_id else "seed rule"
    what = category_names().get(decision.category, "") if decision.category else "any category"
    area = rule.district or rule.province or "anywhere"
    to = decision.agency_name
    if decision.by_district_office:
        to = f"the office of the case's district, {decision.agency_name}"
        if place.method == "source":
            to += " (the district the report's source system gave it, near the point)"
    text = f"{label}: {what} in {area} -> {to}. Why: {rule.reason}".strip()
    return " ".join([text, *map(explain_invite, decision.invites)])


def explain_invite(rule: Rule) -> str:
    """Why a co-agency is invited beside the responsible agency."""
    label = f"rule #{rule.rule_id}" if rule.rule_id else "seed rule"
    what = category_names().get(rule.category, "") if rule.category else "any category"
    area = rule.district or rule.province or "anywhere"
    return f"Also invited, {label}: {what} in {area} -> {rule.agency_name}. Why: {rule.reason}"


def summary(result: TriageResult, agency_name: str) -> str:
    """The note on the timeline's triage event."""
    names = category_names()
    scores = sorted(result.scores.items(), key=lambda item: -item[1])[:3]
    parts = []
    if result.categories:
        label = {REPORTER: "reporter's", MODEL: "suggested"}.get(result.category_source, "")
        parts.append(
            f"categories ({label}): " + ", ".join(names.get(c, c) for c in result.categories)
        )
    if scores:
        parts.append("classifier: " + ", ".join(f"{names.get(c, c)} {s:.2f}" for c, s in scores))
    place = result.place
    if place.district:
        sub = f", แขวง/ตำบล {place.subdistrict}" if place.subdistrict else ""
        edge = " (near a district border)" if place.near_boundary else ""
        parts.append(f"place: {place.district}{sub}, {place.province}{edge}")
    parts.append(f"agency: {agency_name}; {result.routed_by}")
    if result.notes:
        parts.append("needs review: " + "; ".join(result.notes))
    return "\n".join(parts)
