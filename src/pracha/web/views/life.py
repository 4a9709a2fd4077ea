"""Life-event pages: the public guides (/life/, /life/<code>/: what to do, where, with which
documents, by when) and a citizen's journey (/me/journeys/<id>/: progress, what is next,
which facts were shared with which agency, revocable). The same services as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pracha.agencies.models import Agency
from pracha.cases.errors import DomainError, NotFound
from pracha.citizens.errors import NoSuchConsent
from pracha.citizens.models import Citizen
from pracha.lifeevents.models import FactConsent, Journey, JourneyStep, LifeEvent
from pracha.lifeevents.services.facts import facts_of
from pracha.lifeevents.services.indicators import journey_indicators
from pracha.lifeevents.services.journeys import (
    current_life_events,
    do_start_journey,
    do_submit_step,
    do_tell_facts,
    facts_asked,
    get_journey,
    get_life_event,
    is_overdue,
    steps_of,
)
from pracha.lifeevents.services.privacy import do_revoke_fact_consent
from pracha.web.views.account import _private, citizen_of, citizen_required


def _english() -> bool:
    return (get_language() or "th")[:2] == "en"


def _pick(item: dict[str, Any], name: str) -> Any:
    return item.get(f"{name}_en" if _english() else f"{name}_th") or item.get(f"{name}_th", "")


def _agency_name(agency: Agency | None, code: str) -> str:
    if agency is None:
        return code
    return (agency.name_en or agency.name_th) if _english() else agency.name_th


def guide_steps(event: LifeEvent) -> list[dict[str, Any]]:
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={s["agency"] for s in event.steps})
    }
    names = {s["code"]: _pick(s, "name") for s in event.steps}
    sources = {s["id"]: s for s in event.definition["sources"]}
    return [
        {
            "code": s["code"],
            "name": names[s["code"]],
            "agency": _agency_name(agencies.get(s["agency"]), s["agency"]),
            "gives": _pick(s, "gives"),
            "notes": _pick(s, "notes"),
            "due_days": s["due_days"],
            "due_months": s["due_months"],
            "mandatory": s["mandatory"],
            "record": s["kind"] == "record",
            "after": [names[c] for c in s["prerequisites"]],
            "documents": [d["en" if _english() else "th"] for d in s["documents"]],
            "sources": [sources[i] for i in s["sources"] if i in sources],
            "unverified": s["unverified"],
        }
        for s in event.steps
    ]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    events = [
        {"code": e.code, "name": _pick({"name_th": e.name_th, "name_en": e.name_en}, "name"),
         "summary": _pick(e.definition, "summary"), "steps": len(e.steps)}
        for e in current_life_events()
    ]  # fmt: skip
    return render(request, "web/life/index.html", {"events": events})


@require_safe
def indicators(request: HttpRequest) -> HttpResponse:
    figures = journey_indicators()
    names = {
        e.code: _pick({"name_th": e.name_th, "name_en": e.name_en}, "name")
        for e in current_life_events()
    }
    agencies = {
        a.code: a
        for a in Agency.objects.filter(code__in={r["agency"] for r in figures["agency_steps"]})
    }
    for row in figures["life_events"]:
        row["name"] = names.get(row["code"], row["code"])
    for row in figures["agency_steps"]:
        row["agency_name"] = _agency_name(agencies.get(row["agency"]), row["agency"])
    return render(request, "web/life/indicators.html", figures)


@require_safe
def guide(request: HttpRequest, code: str) -> HttpResponse:
    try:
        event = get_life_event(code)
    except NotFound as exc:
        raise Http404(_("There is no such life event.")) from exc
    context = {
        "event": event,
        "name": _pick({"name_th": event.name_th, "name_en": event.name_en}, "name"),
        "summary": _pick(event.definition, "summary"),
        "anchor": _pick(event.definition, "anchor"),
        "steps": guide_steps(event),
        "signed_in": citizen_of(request) is not None,
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "web/life/guide.html", context)


@require_POST
@citizen_required
def start(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    try:
        journey = do_start_journey(citizen, code, request.POST.get("anchor_date", ""))
    except NotFound as exc:
        raise Http404(_("There is no such life event.")) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(f"/life/{code}/")
    return HttpResponseRedirect(f"/me/journeys/{journey.pk}/")


def _own_journey(citizen: Citizen, journey_id: int) -> Journey:
    try:
        return get_journey(citizen, journey_id)
    except NotFound as exc:
        raise Http404(_("There is no such journey.")) from exc


def journey_steps(journey: Journey) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for step in steps_of(journey):
        definition = journey.life_event.step(step.code) or {}
        rows.append(
            {
                "step": step,
                "name": _pick(definition, "name"),
                "agency": _agency_name(step.agency, step.agency.code),
                "overdue": is_overdue(step, today),
                "record": definition.get("kind") == "record",
                "mandatory": definition.get("mandatory", False),
            }
        )
    return rows


def _next_step(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    open_rows = [r for r in rows if r["step"].state == "available"]
    dated = sorted((r for r in open_rows if r["step"].due_at), key=lambda r: r["step"].due_at)
    chosen = dated or open_rows
    return chosen[0] if chosen else None


@require_safe
@citizen_required
def journey(request: HttpRequest, citizen: Citizen, journey_id: int) -> HttpResponse:
    found = _own_journey(citizen, journey_id)
    rows = journey_steps(found)
    done = sum(1 for r in rows if r["step"].state == "done")
    shared = FactConsent.objects.filter(journey=found).select_related("agency")
    context = {
        "journey": found,
        "name": _pick(
            {"name_th": found.life_event.name_th, "name_en": found.life_event.name_en}, "name"
        ),
        "rows": rows,
        "done": done,
        "total": len(rows),
        "percent": round(100 * done / len(rows)) if rows else 0,
        "next": _next_step(rows),
        "facts": sorted(facts_of(found).items()),
        "asked": facts_asked(found.life_event),
        "shared": [{"consent": c, "agency": _agency_name(c.agency, c.agency.code)} for c in shared],
    }
    return _private(render(request, "web/life/journey.html", context))


@require_POST
@citizen_required
def submit(request: HttpRequest, citizen: Citizen, journey_id: int, code: str) -> HttpResponse:
    found = _own_journey(citizen, journey_id)
    try:
        step: JourneyStep = do_submit_step(found, code)
    except NotFound as exc:
        raise Http404(_("There is no such step.")) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if step.case is not None:
            messages.success(
                request,
                _("Sent to %(agency)s as request %(ticket)s.")
                % {
                    "agency": _agency_name(step.agency, step.agency.code),
                    "ticket": step.case.ticket_id,
                },
            )
        else:
            messages.success(request, _("Recorded as done."))
    return HttpResponseRedirect(f"/me/journeys/{found.pk}/")


def typed_value(text: str) -> Any:
    """A value typed in a form: a whole or decimal number, yes/no, or text."""
    text = text.strip()
    if text.lower() in {"true", "yes", "ใช่"}:
        return True
    if text.lower() in {"false", "no", "ไม่ใช่"}:
        return False
    for kind in (int, float):
        try:
            return kind(text.replace(",", ""))
        except ValueError:
            pass
    return text


@require_POST
@citizen_required
def tell(request: HttpRequest, citizen: Citizen, journey_id: int) -> HttpResponse:
    found = _own_journey(citizen, journey_id)
    key = request.POST.get("key", "")
    try:
        opened = do_tell_facts(found, {key: typed_value(request.POST.get("value", ""))})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Noted once, for every step."))
        for step in opened:
            name = _pick(found.life_event.step(step.code) or {}, "name")
            messages.info(request, _("Now open to you: %(step)s") % {"step": name})
    return HttpResponseRedirect(f"/me/journeys/{found.pk}/")


@require_POST
@citizen_required
def revoke(
    request: HttpRequest, citizen: Citizen, journey_id: int, consent_id: int
) -> HttpResponse:
    found = _own_journey(citizen, journey_id)
    try:
        do_revoke_fact_consent(citizen, consent_id)
    except NoSuchConsent as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("The agency no longer sees this fact."))
    return HttpResponseRedirect(f"/me/journeys/{found.pk}/")
