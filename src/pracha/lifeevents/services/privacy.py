"""The citizen's journeys in "My Pracha", the privacy export and the account's erasure
(through citizens' signals, so citizens need not know this app)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from pracha.cases.models import Case
from pracha.citizens.errors import NoSuchConsent
from pracha.citizens.models import Citizen
from pracha.lifeevents.models import FactConsent, Journey, JourneyStep
from pracha.lifeevents.services.journeys import definition_of, service_request_text


def journey_summary(journey: Journey) -> dict[str, Any]:
    steps = list(journey.steps.all())
    return {
        "id": journey.pk,
        "life_event": journey.life_event.code,
        "anchor_date": journey.anchor_date.isoformat(),
        "steps_done": sum(1 for s in steps if s.state == "done"),
        "steps": len(steps),
        "completed_at": journey.completed_at.isoformat() if journey.completed_at else None,
    }


def consent_dict(consent: FactConsent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "journey": consent.journey_id,
        "fact": consent.fact,
        "step": consent.step,
        "agency": {"code": consent.agency.code, "name_th": consent.agency.name_th,
                   "name_en": consent.agency.name_en},
        "given_at": consent.given_at.isoformat(),
        "revoked_at": consent.revoked_at.isoformat() if consent.revoked_at else None,
    }  # fmt: skip


def consents_of(citizen: Citizen) -> list[FactConsent]:
    return list(
        FactConsent.objects.filter(journey__citizen=citizen)
        .select_related("agency")
        .order_by("journey_id", "agency__code", "fact")
    )


def my_items(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    """For "My Pracha": each journey, and each fact shared with an agency (revocable on the
    journey's page), with a title and a link the /me/ page shows."""
    journeys = list(Journey.objects.filter(citizen=citizen).select_related("life_event"))
    if not journeys:
        return None
    return {
        "journeys": [
            {
                **journey_summary(j),
                "url": f"/me/journeys/{j.pk}/",
                "title": f"{j.life_event.name_th} / {j.life_event.name_en} ({j.anchor_date})",
            }
            for j in journeys
        ],
        "shared": [
            {
                **consent_dict(c),
                "url": f"/me/journeys/{c.journey_id}/",
                "title": f"{c.fact} → {c.agency.name_th}" + (" (revoked)" if c.revoked_at else ""),
            }
            for c in consents_of(citizen)
        ],
    }


def export(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    journeys = list(Journey.objects.filter(citizen=citizen).select_related("life_event"))
    if not journeys:
        return None
    return {
        "journeys": [
            {
                **journey_summary(j),
                "version": j.life_event.version,
                "facts": [
                    {
                        "key": f.key,
                        "value": f.value,
                        "source": f.source,
                        "recorded_at": f.recorded_at.isoformat(),
                    }
                    for f in j.facts.all()
                ],
                "steps": [
                    {
                        "code": s.code,
                        "state": s.state,
                        "due_at": s.due_at.isoformat() if s.due_at else None,
                        "agency": s.agency.code,
                        "ticket_id": s.case.ticket_id if s.case else None,
                    }
                    for s in j.steps.select_related("agency", "case")
                ],
            }
            for j in journeys
        ],
        "fact_consents": [consent_dict(c) for c in consents_of(citizen)],
    }


def erase(sender: Any, citizen: Citizen, **_: Any) -> None:
    """The journeys, their facts and consents go; each service request keeps its place in
    the agency's records (what was done, when) but no longer the citizen's facts."""
    cases = Case.all_kinds.filter(journey_step__journey__citizen=citizen)
    cases.update(description="(erased at the citizen's request)", search_text="")
    Journey.objects.filter(citizen=citizen).delete()


def do_revoke_fact_consent(citizen: Citizen, consent_id: int) -> FactConsent:
    """Revoke one fact's sharing with one agency: from now on it is not shown to it, and the
    open service requests of that agency no longer carry it."""
    with transaction.atomic():
        consent = (
            FactConsent.objects.select_for_update()
            .select_related("agency", "journey__life_event")
            .filter(pk=consent_id, journey__citizen=citizen)
            .first()
        )
        if consent is None:
            raise NoSuchConsent(f"no consent {consent_id} of yours")
        if consent.revoked_at is None:
            consent.revoked_at = timezone.now()
            consent.save(update_fields=["revoked_at"])
            _redraw_open_requests(consent)
        return consent


def _redraw_open_requests(consent: FactConsent) -> None:
    steps = JourneyStep.objects.filter(
        journey=consent.journey, agency=consent.agency, case__isnull=False, done_at__isnull=True
    ).select_related("case", "agency", "journey__life_event", "journey__citizen")
    for step in steps:
        assert step.case is not None
        text = service_request_text(step.journey, step, definition_of(step))
        Case.all_kinds.filter(pk=step.case.pk).update(description=text)
