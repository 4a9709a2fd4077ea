"""Triage inside intake: run before the case is written, recorded in the same transaction.

`check_triage` validates and decides (refusing points outside Thailand) without writing, and
`routed_agency` names (or, for a district office seen for the first time, creates) the
agency, both before do_create_case's transaction; `triage_event` and `do_record_triage` are
written inside it, so a case and its triage are stored together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.routing import Rule, rules_from_database
from pracha.agencies.services import agency_by_code, get_or_create_agency
from pracha.cases.actors import Actor
from pracha.cases.errors import InvalidInput
from pracha.cases.models import Case, Event
from pracha.cases.queries import prime_related
from pracha.cases.services.workflow import do_system_invite
from pracha.cases.signals import announce
from pracha.geo.bounds import CoordinateError
from pracha.geo.lookup import locate, shipped_index
from pracha.inserts import insert_new
from pracha.reference import Reference
from pracha.triage.classifier import Classifier, ModelFileError, get_classifier
from pracha.triage.duplicates import Candidate, find_duplicates
from pracha.triage.models import CaseTriage, DuplicateLink
from pracha.triage.pipeline import (
    Place,
    TriageResult,
    explain,
    explain_invite,
    summary,
    triage,
)

logger = logging.getLogger(__name__)
TRIAGE_ACTOR = "Pracha triage"


def triage_enabled() -> bool:
    return bool(getattr(settings.PRACHA, "triage_on_intake", True))


def _classifier() -> Classifier | None:
    try:
        return get_classifier()
    except ModelFileError:
        # A damaged model must not stop people reporting; triage says it needs review.
        logger.exception("the classifier model cannot be loaded; triage continues without it")
        return None


def preload() -> Classifier | None:
    """Load what triage on intake reads for every report (the classifier, the shipped district
    boundaries) now rather than on a worker's first report. `pracha serve` has gunicorn call
    this in its master (pracha.wsgi), so the forked workers share these pages."""
    shipped_index()
    return _classifier() if triage_enabled() else None


def check_triage(
    description: str, lat: float, lon: float, address: str, given: Sequence[str]
) -> TriageResult | None:
    """Decide categories, place and agency for a report about to be filed (no writes).

    A point in no Thai district is refused either way; None when triage on intake is
    switched off (PRACHA_TRIAGE_ON_INTAKE=0).
    """
    try:
        location = locate(lon, lat, address)
    except CoordinateError as exc:
        raise InvalidInput(str(exc), field="lat") from exc
    if not triage_enabled():
        return None
    classifier = _classifier()
    prediction = classifier.predict_one(description) if classifier else None
    return triage(
        given=given,
        prediction=prediction,
        model_version=classifier.version if classifier else "",
        place=Place.of(location),
        rules=current_rules(),
        default_agency=settings.PRACHA.default_agency_code,
    )


def suggest_categories(description: str) -> list[str]:
    """The classifier's category codes for a text alone (the report form asks before there
    is a pin); empty when triage on intake is off or no model has been built."""
    if not triage_enabled():
        return []
    classifier = _classifier()
    return list(classifier.predict_one(description).categories) if classifier else []


# The routing rules as intake reads them for every report (pracha.reference: a few seconds).
_rules: Reference[str, list[Rule]] = Reference(
    lambda _: rules_from_database(), models=("agencies.RoutingRule", "agencies.Agency")
)
_rule_rows: Reference[int, RoutingRule | None] = Reference(
    lambda pk: RoutingRule.objects.filter(pk=pk).first(), models=("agencies.RoutingRule",)
)


def current_rules() -> list[Rule]:
    try:
        return _rules.get("active")
    except DatabaseError:  # pragma: no cover - intake has a database; be safe regardless
        return []


def routed_agency(result: TriageResult, default: Agency | None) -> Agency | None:
    """The Agency row the decision names; created for a district office not seen before."""
    decision = result.decision
    if decision.rule is None:
        return default
    if decision.by_district_office:
        return get_or_create_agency(decision.agency_name)
    agency = agency_by_code(decision.agency_code)
    return agency if agency is not None and agency.is_active else default


def check_duplicates(
    description: str, lat: float, lon: float, result: TriageResult
) -> list[Candidate]:
    """Earlier open cases nearby that read alike, searched before the new case is written
    (a read: kept out of the write transaction, which on SQLite every report queues for)."""
    return find_duplicates(
        lat=lat, lon=lon, text=description, categories=result.categories, at=timezone.now()
    )


def explained(result: TriageResult, agency: Agency | None) -> TriageResult:
    """The result with `routed_by` saying why `agency` (the fallback's wording when no rule
    chose it)."""
    if result.decision.rule is not None:
        return result
    routed_by = explain(
        result.decision, result.place, default_agency=agency.name_th if agency else "no agency"
    )
    return replace(result, routed_by=routed_by)


def triage_event(case: Case, result: TriageResult, agency: Agency | None) -> Event:
    """The TRIAGED timeline event of a just-created case, not yet saved (intake saves it with
    the case's first event, in one statement)."""
    return Event(
        case=case,
        kind=Event.Kind.TRIAGED,
        at=case.created_at,
        actor_label=TRIAGE_ACTOR,
        to_agency=agency,
        note=summary(result, agency.name_th if agency else "no agency"),
        is_public=True,
    )


def do_record_triage(
    case: Case,
    result: TriageResult,
    agency: Agency | None,
    duplicates: Sequence[Candidate],
    event: Event,
) -> list[Event]:
    """Store the triage of a just-created case beside its saved TRIAGED `event` (triage_event):
    the record, the duplicates, the invitations; returns the invitations' events. The case was
    created with the place and categories the triage decided (do_create_case)."""
    place = result.place
    rule_id = result.decision.rule.rule_id if result.decision.rule else None
    record = CaseTriage(
        case=case,
        event=event,
        categories=result.categories,
        category_source=result.category_source,
        suggested=result.suggested,
        scores={code: round(score, 4) for code, score in result.scores.items()},
        needs_review=result.needs_review,
        model_version=result.model_version[:100],
        district=place.district,
        subdistrict=place.subdistrict,
        province=place.province,
        near_boundary=place.near_boundary,
        location_method=place.method,
        agency=agency,
        rule=_rule_rows.get(rule_id) if rule_id else None,
        routed_by=result.routed_by,
        created_at=case.created_at,
    )
    insert_new([record], announce=True)
    _link_duplicates(case, duplicates)
    announce(case.pk, event.pk)
    return do_invite_co_agencies(case, result)


def do_invite_co_agencies(case: Case, result: TriageResult) -> list[Event]:
    """Invite the specialists the co-agency rules name, through the officers' invite service
    (an INVITED event on the timeline, audited like every event), as the triage actor."""
    events = []
    for rule in result.decision.invites:
        agency = agency_by_code(rule.agency_code)
        if agency is None or not agency.is_active or agency.pk == case.agency_id:
            continue  # closed since the rule was written, or already responsible
        actor = Actor.system(TRIAGE_ACTOR)
        events.append(do_system_invite(case, actor, agency, explain_invite(rule)))
    return events


def _link_duplicates(case: Case, candidates: Sequence[Candidate]) -> None:
    links = [
        DuplicateLink(
            case=case,
            # What the answer shows of the earlier case, as the search read it.
            candidate=Case(pk=c.case_id, ticket_id=c.ticket_id, state=c.state),
            distance_m=round(c.distance_m, 1),
            similarity=round(c.similarity, 3),
            same_category=c.same_category,
            found_at=case.created_at,
        )
        for c in candidates
    ]
    insert_new(links)
    # As DuplicateLink is ordered (ids follow this list's order), for the answer to the report.
    prime_related(
        case, "duplicate_links", sorted(links, key=lambda d: (-d.similarity, d.distance_m))
    )
