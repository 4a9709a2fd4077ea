"""Public pages: the home page (recent reports, map, filters) and the ticket page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.lookup import AmbiguousTicketId
from pracha.cases.models import Case, Category, Photo
from pracha.cases.queries import CaseFilter, filter_cases, get_case
from pracha.cases.services.citizen import me_too_standing
from pracha.evidence.results import current_check
from pracha.limits.device import person_ident
from pracha.states import CLOSED_STATES, State
from pracha.web import names, session
from pracha.web.forms import RateForm, ReopenForm
from pracha.web.listing import keyset_page
from pracha.web.photos import split_after_photos
from pracha.web.privacy import public_text
from pracha.web.stats import headline

PAGE_SIZE = 20
# Pins on the home map: the newest matching reports, enough to see where problems cluster.
MAP_PINS = 300
FILTERS = ("state", "category", "district", "q")


def map_settings() -> dict[str, str]:
    return {"tiles": settings.PRACHA.map_tiles}


def state_choices() -> list[tuple[str, str]]:
    return [
        ("open", _("Not finished yet")),
        ("closed", _("Finished")),
        *((s.value, names.state_name(s.value)) for s in State),
    ]


def filter_options() -> dict[str, Any]:
    return {
        "states": state_choices(),
        "categories": [(c.code, names.localised(c)) for c in Category.objects.all()],
        "districts": [(d, names.district_name(d)) for d in names.district_names()],
    }


def _pin(case: dict[str, Any]) -> dict[str, Any]:
    text = public_text(case["description"] or "")
    return {
        "id": case["ticket_id"],
        "lat": case["lat"],
        "lon": case["lon"],
        "state": names.state_name(case["state"]),
        "style": names.state_style(case["state"]),
        "text": text[:90] + ("…" if len(text) > 90 else ""),
        "url": f"/t/{case['ticket_id']}/",
    }


def map_pins(cases: Any, limit: int = MAP_PINS) -> list[dict[str, Any]]:
    rows = (
        cases.filter(lat__isnull=False, lon__isnull=False)
        .order_by("-created_at", "-pk")
        .values("ticket_id", "lat", "lon", "state", "description")[:limit]
    )
    return [_pin(row) for row in rows]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    chosen = {key: request.GET.get(key, "").strip() for key in FILTERS}
    error = ""
    try:
        cases = filter_cases(CaseFilter(**chosen))
    except InvalidInput as exc:
        error = _("That filter does not match anything we know: %(reason)s") % {
            "reason": exc.message
        }
        cases = Case.objects.none()
    page = keyset_page(
        cases.select_related("agency").prefetch_related("categories", "photos"),
        field="created_at",
        descending=True,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "page": page,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "error": error,
        "pins": map_pins(cases),
        "map": map_settings(),
    }
    status = 400 if error else 200
    if request.headers.get("HX-Request") and request.GET.get("part") == "results":
        return render(request, "web/_results.html", context, status=status)
    context.update(
        headline=headline(), options=filter_options(), my_tickets=session.my_tickets(request)
    )
    return render(request, "web/home.html", context, status=status)


@require_safe
def ticket(request: HttpRequest, ticket_id: str) -> HttpResponse:
    try:
        case = get_case(ticket_id, with_timeline=True)
    except AmbiguousTicketId as exc:
        # "GHA47R" filed in two years: let the person pick rather than guess for them.
        context = {"given": exc.given, "candidates": exc.candidates}
        return render(request, "web/ticket_choices.html", context, status=404)
    except NotFound as exc:
        raise Http404(_("There is no report with this number.")) from exc
    key = request.GET.get("k")
    # A link from the reporter's e-mail: remember them in this browser, then drop the key
    # from the address bar so it is not shared by copying the URL.
    if key is not None and session.remember_token(request, case.ticket_id, key):
        return keep_private(HttpResponseRedirect(f"/t/{case.ticket_id}/"))
    if case.ticket_id != ticket_id:  # a short, lower-case or padded id: the one true address
        return HttpResponseRedirect(f"/t/{case.ticket_id}/")
    response = render_ticket(request, ticket_context(request, case))
    return keep_private(response) if key is not None else response


def render_ticket(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The ticket page; the reporter's copy (their private link and controls) kept private."""
    response = render(request, "web/ticket.html", context, status=status)
    return keep_private(response) if context["is_reporter"] else response


def keep_private(response: HttpResponse) -> HttpResponse:
    """No copy in any cache: the page shows, or its address held, the reporter's private link.
    The site-wide `Referrer-Policy: same-origin` already keeps that address from other sites;
    `no-referrer` here would make browsers send `Origin: null` with the page's own forms
    (rate, reopen, language), which the CSRF check rightly refuses."""
    add_never_cache_headers(response)
    return response


def ticket_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    photos = list(case.photos.all())
    after_photos, earlier_after_photos = split_after_photos(case, photos)
    has_token = session.reporter_token(request, case.ticket_id) is not None
    citizen = getattr(request, "citizen", None)
    is_reporter = has_token or (citizen is not None and case.citizen_id == citizen.pk)
    standing = me_too_standing(case, person_ident(request))
    can_rate = (
        is_reporter
        and case.state in CLOSED_STATES
        and not (case.rated_at and (case.closed_at is None or case.rated_at >= case.closed_at))
    )
    reopen_open = case.state in CLOSED_STATES and _within_reopen_window(case)
    context = {
        "case": case,
        "timeline": getattr(case, "timeline", []),
        "before_photos": [p for p in photos if p.kind == Photo.Kind.BEFORE and p.public_url],
        "after_photos": after_photos,
        "earlier_after_photos": earlier_after_photos,
        # A suspect after-photo is said to be under review (pracha.evidence).
        "photo_check": current_check(case) if after_photos else None,
        "is_reporter": is_reporter,
        "can_rate": can_rate,
        "can_reopen": is_reporter and reopen_open,
        # The reporter (this browser filed it, or this device) is not offered "me too".
        "can_me_too": (
            case.state not in CLOSED_STATES and not is_reporter and standing != "reporter"
        ),
        "said_me_too": session.said_me_too(request, case.ticket_id) or standing == "said",
        "rate_form": extra.pop("rate_form", None) or RateForm(),
        "reopen_form": extra.pop("reopen_form", None) or ReopenForm(),
        "pins": [_pin(_as_row(case))] if case.lat is not None and case.lon is not None else [],
        "map": map_settings(),
        "reopen_days": settings.PRACHA.reopen_days,
        # The reporter's way back from any device: the private link, and once, right after
        # sending, where it was e-mailed (issue 23.4).
        "private_url": (
            request.build_absolute_uri(session.private_path(case.ticket_id)) if is_reporter else ""
        ),
        "just_filed": session.take_filed(request, case.ticket_id) if is_reporter else None,
        # Signed in and holding the token of a report no account holds: "Add to My Pracha".
        "can_claim": has_token and citizen is not None and case.citizen_id is None,
        # The timeline in plain words: who by kind and agency, and why without rule numbers.
        "public_view": True,
    }
    context.update(extra)
    return context


def _as_row(case: Case) -> dict[str, Any]:
    return {
        "ticket_id": case.ticket_id,
        "lat": case.lat,
        "lon": case.lon,
        "state": case.state,
        "description": case.description,
    }


def _within_reopen_window(case: Case) -> bool:
    if case.closed_at is None:
        return True
    return timezone.now() - case.closed_at <= timedelta(days=settings.PRACHA.reopen_days)
