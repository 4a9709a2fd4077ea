"""An officer corrects a case's triage: its categories and, when misrouted, its agency.

Each correction is an event on the timeline and a TriageCorrection row: the text with the
categories a person chose, for the next `pracha train`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.actors import Actor
from pracha.cases.errors import IllegalTransition, InvalidInput
from pracha.cases.models import Case, Category, Event
from pracha.cases.services.text import clean_text
from pracha.cases.services.workflow import check_can_manage, check_forwarding_loop, record
from pracha.taxonomy.categories import category_codes
from pracha.triage.models import CaseTriage, TriageCorrection
from pracha.triage.pipeline import category_names


def check_correction_categories(names: list[str]) -> list[str]:
    cleaned = [clean_text(name, field="categories", max_chars=100) for name in names]
    codes, unknown = category_codes(cleaned)
    if unknown:
        raise InvalidInput(
            f"unknown categories: {', '.join(unknown)} (GET /api/v1/categories lists them)",
            field="categories",
        )
    if not codes:
        raise InvalidInput("name at least one category", field="categories")
    return codes


def do_correct_triage(
    case: Case, officer: Officer, names: list[str], agency: Agency | None = None, note: str = ""
) -> Event:
    """Set the case's categories (and agency) as the officer says; keep the correction."""
    codes = check_correction_categories(names)
    note = clean_text(note, field="note", max_chars=2000)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        check_can_manage(officer, case, "re-route")  # a re-route moves responsibility: no helpers
        if case.is_closed:
            raise IllegalTransition(f"case {case.ticket_id} is closed; reopen it first")
        before = list(case.categories.order_by("sort_order").values_list("code", flat=True))
        changes: dict[str, object] = {}
        moved = agency is not None and agency.pk != case.agency_id
        if moved:
            assert agency is not None
            if not agency.is_active:
                raise InvalidInput(f"{agency} no longer takes cases", field="agency")
            check_forwarding_loop(case, agency)
            case.co_agencies.remove(agency)
            changes["agency"] = agency
        from_agency = case.agency
        case.categories.set(Category.objects.filter(code__in=codes))
        names_th = category_names()
        text = "categories corrected: " + ", ".join(names_th.get(c, c) for c in codes)
        if moved:
            text += f"; routed to {agency}"
        if note:
            text += f"\n{note}"
        event = record(
            case,
            Actor.for_officer(officer),
            Event.Kind.TRIAGE_CORRECTED,
            changes=changes,
            from_agency=from_agency if moved else None,
            to_agency=agency if moved else None,
            note=text,
        )
        triage = CaseTriage.objects.filter(case=case).first()
        TriageCorrection.objects.create(
            case=case,
            event=event,
            officer=officer.user,
            text=case.description,
            predicted=list(triage.suggested) if triage else [],
            before=before,
            corrected=codes,
            model_version=triage.model_version if triage else "",
            from_agency=from_agency,
            to_agency=agency if moved else from_agency,
            created_at=event.at,
        )
        if triage is not None:
            CaseTriage.objects.filter(pk=triage.pk).update(corrected_at=timezone.now())
        return event
