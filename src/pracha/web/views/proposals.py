"""Citizens' proposals on the web: the list (filters, sorting, a bar towards the threshold), a
new proposal, one proposal (supports, answer, results with linked cases, timeline), and the
citizen's actions on it. The officers' pages are in views/proposals_office.py.

Every action is the service the API calls; a refused one comes back with its reason and a
4xx status.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pracha.cases.errors import DomainError, NotFound
from pracha.cases.models import Case
from pracha.citizens.models import Citizen
from pracha.proposals.indicators import proposal_indicators
from pracha.proposals.models import Follow, Proposal, State, Support
from pracha.proposals.queries import Filters, check_filters, find_proposals
from pracha.proposals.representation import proposal_detail
from pracha.proposals.services.filing import NewProposal, PhotoUpload, do_file_proposal
from pracha.proposals.services.moderation import do_report_abuse, do_withdraw
from pracha.proposals.services.supports import do_follow, do_support, do_unfollow, get_proposal
from pracha.taxonomy.categories import taxonomy_rows
from pracha.web.views.account import citizen_of, citizen_required
from pracha.web.views.public import map_settings

PAGE = 50
STATUS_OF = {
    "not_found": 404,
    "forbidden": 403,
    "illegal_transition": 409,
    "conflict": 409,
    "too_large": 413,
    "unsupported_media": 415,
}


def status_of(error: DomainError) -> int:
    return STATUS_OF.get(error.code, 400)


def categories() -> list[dict[str, str]]:
    return [
        {"code": r["code"], "name_th": r["name_th"], "name_en": r["name_en"]}
        for r in taxonomy_rows()
    ]


@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    given = Filters(
        request.GET.get("state", ""),
        request.GET.get("district", ""),
        request.GET.get("category", ""),
        request.GET.get("sort", "") or "supports",
    )
    error = ""
    status = 200
    try:
        rows = find_proposals(check_filters(given))
    except DomainError as exc:
        error, status = exc.message, 400
        rows = find_proposals(Filters())
    context = {
        "proposals": list(rows[:PAGE]),
        "count": rows.count(),
        "given": given,
        "error": error,
        "states": State.values,
        "categories": categories(),
        "sorts": ["supports", "new", "closing"],
    }
    return render(request, "web/proposals/list.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_required
def proposal_new(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    context: dict[str, Any] = {
        "categories": categories(),
        "form": request.POST,
        "error": "",
        "map": map_settings(),
    }
    if request.method != "POST":
        return render(request, "web/proposals/new.html", context)
    try:
        new = NewProposal(
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            category=request.POST.get("category", ""),
            district=request.POST.get("district", ""),
            lat=_number(request.POST.get("lat")),
            lon=_number(request.POST.get("lon")),
        )
        upload = request.FILES.get("photo")
        photo = PhotoUpload(upload, upload.size, upload.name or "") if upload else None
        proposal = do_file_proposal(citizen, new, photo)
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "web/proposals/new.html", context, status=status_of(exc))
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "web/proposals/new.html", context, status=400)
    return HttpResponseRedirect(f"/proposals/{proposal.ref}/")


def _number(raw: str | None) -> float | None:
    if raw is None or not raw.strip():
        return None
    return float(raw)  # ValueError: refused with the form


def detail_context(request: HttpRequest, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    citizen = citizen_of(request)
    detail = proposal_detail(proposal)
    tickets = [c["ticket_id"] for r in detail["results"] for c in r["cases"]]
    live = dict(Case.objects.filter(ticket_id__in=tickets).values_list("ticket_id", "state"))
    return {
        "proposal": proposal,
        "p": detail,
        "live_states": live,
        "citizen": citizen,
        "supported": citizen is not None
        and Support.objects.filter(proposal=proposal, citizen=citizen).exists(),
        "following": citizen is not None
        and Follow.objects.filter(proposal=proposal, citizen=citizen).exists(),
        "is_author": citizen is not None and proposal.author_id == citizen.pk,
        "open": proposal.state in (State.PUBLISHED, State.THRESHOLD_REACHED),
        "error": "",
        **extra,
    }


@require_safe
def proposal_page(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        proposal = get_proposal(ref)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if proposal.ref != ref:
        return HttpResponseRedirect(f"/proposals/{proposal.ref}/")
    return render(request, "web/proposals/detail.html", detail_context(request, proposal))


ACTIONS = {"support", "follow", "unfollow", "withdraw", "report"}


@require_POST
@citizen_required
def proposal_action(request: HttpRequest, citizen: Citizen, ref: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("no such action")
    try:
        proposal = get_proposal(ref)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        if action == "support":
            do_support(citizen, proposal, follow=request.POST.get("follow", "1") == "1")
        elif action == "follow":
            do_follow(citizen, proposal)
        elif action == "unfollow":
            do_unfollow(citizen, proposal)
        elif action == "withdraw":
            do_withdraw(citizen, proposal)
        else:
            do_report_abuse(citizen, proposal, request.POST.get("reason", ""))
    except DomainError as exc:
        proposal.refresh_from_db()
        context = detail_context(request, proposal, error=exc.message)
        return render(request, "web/proposals/detail.html", context, status=status_of(exc))
    return HttpResponseRedirect(f"/proposals/{proposal.ref}/")


@require_safe
def proposal_indicators_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/proposals/indicators.html", {"indicators": proposal_indicators()})
