"""The officer back office: sign-in, the agency's inbox, and the case page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pracha.agencies.models import Officer
from pracha.cases.actors import CaseRole, Power, case_role, may, sees_internal
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.models import Case, Photo
from pracha.cases.queries import get_case
from pracha.evidence.results import current_check
from pracha.states import CLOSED_STATES, WORK_STATES, State, can_move
from pracha.web import names
from pracha.web.agency_picker import agency_groups
from pracha.web.inbox import (
    InboxQuery,
    hidden_matches,
    inbox_cases,
    inbox_page,
    inbox_total,
    invited_count,
    state_counts,
    ticket_elsewhere,
    ticket_in_inbox,
)
from pracha.web.officers import officer_required
from pracha.web.photos import split_after_photos
from pracha.web.views.photo_checks import reason_text
from pracha.web.views.public import filter_options, map_settings


class LoginView(auth_views.LoginView):
    template_name = "web/office/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return "/office/"


class LogoutView(auth_views.LogoutView):
    next_page = "/office/login/"


@officer_required
def inbox(request: HttpRequest, officer: Officer) -> HttpResponse:
    query = InboxQuery.from_params(request.GET)
    error = ""
    try:
        cases = inbox_cases(officer, query)
    except InvalidInput as exc:
        error = _("That filter does not match anything we know: %(reason)s") % {
            "reason": exc.message
        }
        cases = Case.objects.none()
    page = inbox_page(cases, query, request.GET)
    total, more = inbox_total(cases)
    ticket = ticket_in_inbox(officer, query.q) if query.q and not error else None
    options = filter_options()
    counts = state_counts(officer)
    context: dict[str, Any] = {
        "officer": officer,
        "query": query,
        "page": page,
        "total": total,
        "total_more": more,
        "error": error,
        "options": options,
        "counts": [
            (s.value, names.state_name(s.value), n)
            for s in State
            if (n := counts.get(s.value, 0)) or s == State.WAITING
        ],
        "invited_count": invited_count(officer),
        "ticket_match": ticket,
        "ticket_elsewhere": None if ticket or error else ticket_elsewhere(officer, query.q),
        "hidden": None if ticket or error else hidden_matches(officer, query, total),
        "agencies": agency_groups(),
        "work_states": [(s.value, names.state_name(s.value)) for s in State if s in WORK_STATES],
        "next": request.get_full_path(),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "rows":
        return render(request, "web/office/_inbox_rows.html", context)
    return render(request, "web/office/inbox.html", context, status=400 if error else 200)


def chosen_agencies(extra: dict[str, Any]) -> set[str]:
    """Agency codes a refused forward or invite form sends back, to keep them chosen."""
    values = extra.get("values") or {}
    return {str(v["agency"]) for v in values.values() if isinstance(v, dict) and v.get("agency")}


def case_context(officer: Officer, case: Case, **extra: Any) -> dict[str, Any]:
    """What the case page shows and offers: the powers come from pracha.cases.actors, the
    same rule the API and the workflow services apply, so a button is offered only when its
    POST would be allowed (helpers of an invited agency comment and report progress only)."""
    photos = list(case.photos.all())
    after_photos, earlier_after_photos = split_after_photos(case, photos)
    role = case_role(officer, case)
    helping = may(officer, case, Power.HELP)
    managing = may(officer, case, Power.MANAGE)
    state = case.state
    check = current_check(case) if after_photos else None
    context: dict[str, Any] = {
        "officer": officer,
        "case": case,
        "role": role.value,
        "timeline": getattr(case, "timeline", []),
        "before_photos": [p for p in photos if p.kind == Photo.Kind.BEFORE and p.public_url],
        "after_photos": after_photos,
        "earlier_after_photos": earlier_after_photos,
        "photo_check": check,
        "photo_check_reasons": [reason_text(r) for r in check.reasons] if check else [],
        "may_act": helping,
        "is_responsible": case.agency_id == officer.agency_id,
        "is_helper": role == CaseRole.HELPER,
        "sees_internal": sees_internal(officer, case),
        "can_read_contact": may(officer, case, Power.READ_CONTACT),
        "can_accept": managing and can_move(state, State.ACCEPTED),
        "can_forward": managing and can_move(state, State.FORWARDED),
        "can_invite": managing and state not in CLOSED_STATES,
        "can_close_done": managing and can_move(state, State.DONE),
        "can_close_irrelevant": managing and can_move(state, State.IRRELEVANT),
        "work_states": [
            (s.value, names.state_name(s.value))
            for s in State
            if s in WORK_STATES and helping and can_move(state, s)
        ],
        "agencies": agency_groups(case.agency, chosen_agencies(extra)) if managing else [],
        "pins": [
            {
                "id": case.ticket_id,
                "lat": case.lat,
                "lon": case.lon,
                "state": names.state_name(case.state),
                "style": names.state_style(case.state),
                "text": "",
                "url": f"/t/{case.ticket_id}/",
            }
        ]
        if case.lat is not None and case.lon is not None
        else [],
        "map": map_settings(),
        "errors": {},
        "values": {},
        "contact": None,
    }
    context.update(extra)
    return context


def load_case(ticket_id: str, officer: Officer | None = None) -> Case:
    """The case with the timeline `officer` may see: staff-only notes only for the case's
    staff, exactly as GET /api/v1/cases/{id} decides (pracha.cases.actors.sees_internal)."""
    agency = officer.agency if officer is not None else None
    try:
        case = get_case(ticket_id, with_timeline=True, agency=agency)
        if sees_internal(officer, case):
            case = get_case(ticket_id, with_timeline=True, staff=True, agency=agency)
    except NotFound as exc:
        raise Http404(_("There is no report with this number.")) from exc
    return case


@officer_required
def case_page(request: HttpRequest, officer: Officer, ticket_id: str) -> HttpResponse:
    case = load_case(ticket_id, officer)
    return render(request, "web/office/case.html", case_context(officer, case))
