"""Workflow actions from the back office: each calls one cases.services.workflow function."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pracha.agencies.models import Agency, Officer
from pracha.audit.log import audit
from pracha.cases.actors import Actor
from pracha.cases.contact import check_may_read_contact, read_reporter_contact
from pracha.cases.errors import (
    Conflict,
    DomainError,
    ForwardingLoop,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from pracha.cases.lookup import AmbiguousTicketId, canonical_ticket_id
from pracha.cases.models import Case, Photo
from pracha.cases.services.photos import do_add_photo
from pracha.cases.services.workflow import (
    check_can_manage,
    check_transition,
    do_accept,
    do_change_state,
    do_close,
    do_comment,
    do_forward,
    do_invite,
)
from pracha.states import State
from pracha.web.officers import officer_required
from pracha.web.views.office import case_context, load_case

# At most this many cases in one bulk action: enough for a cluster of duplicates, and
# each one is its own transaction, so a page of them stays quick.
BULK_LIMIT = 100


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip()).first() if code.strip() else None
    if agency is None:
        raise InvalidInput(_("Choose the agency."), field="agency")
    return agency


def _accept(request: HttpRequest, officer: Officer, case: Case) -> str:
    do_accept(case, officer, request.POST.get("note", ""))
    if case.agency_id == officer.agency_id:
        return _("Accepted. The case is now your agency's to work on.")
    # A supervisor from elsewhere accepted: the case stays with its agency (issue 23.1).
    return _("Accepted for %(agency)s, which stays responsible for the case.") % {
        "agency": case.agency.name_th if case.agency else "–"
    }


def _comment(request: HttpRequest, officer: Officer, case: Case) -> str:
    public = request.POST.get("visibility", "public") == "public"
    do_comment(case, officer, request.POST.get("note", ""), public=public)
    return _("Comment added (public).") if public else _("Comment added (staff only).")


def _state(request: HttpRequest, officer: Officer, case: Case) -> str:
    do_change_state(case, officer, request.POST.get("state", ""), request.POST.get("note", ""))
    return _("State changed.")


def _forward(request: HttpRequest, officer: Officer, case: Case) -> str:
    agency = _agency(request.POST.get("agency", ""))
    do_forward(case, officer, agency, request.POST.get("reason", ""))
    return _("Forwarded to %(agency)s.") % {"agency": agency.name_th}


def _invite(request: HttpRequest, officer: Officer, case: Case) -> str:
    agency = _agency(request.POST.get("agency", ""))
    do_invite(case, officer, agency, request.POST.get("reason", ""))
    return _("%(agency)s was asked to help.") % {"agency": agency.name_th}


def _close(request: HttpRequest, officer: Officer, case: Case) -> str:
    outcome = request.POST.get("outcome", "")
    upload = request.FILES.get("photo")
    close_with_photo(officer, case, outcome, request.POST.get("note", ""), upload)
    return _("Closed.")


def close_with_photo(
    officer: Officer, case: Case, outcome: str, note: str, upload: UploadedFile | None
) -> None:
    """The after-photo and the closing in one transaction: a refused close stores no photo."""
    if outcome not in {State.DONE, State.IRRELEVANT}:
        raise InvalidInput(_("Choose how the case ends."), field="outcome")
    if outcome == State.IRRELEVANT and not note.strip():
        raise InvalidInput(_("A reason is needed to close a case as not relevant."), field="note")
    check_can_manage(officer, case, "close")
    check_transition(case, outcome)
    with transaction.atomic():
        photo = None
        if upload is not None:
            photo = do_add_photo(
                case, upload, upload.size, kind=Photo.Kind.AFTER, actor=Actor.for_officer(officer)
            )
        do_close(case, officer, outcome, note, photo)


ACTIONS: dict[str, Callable[[HttpRequest, Officer, Case], str]] = {
    "accept": _accept,
    "comment": _comment,
    "state": _state,
    "forward": _forward,
    "invite": _invite,
    "close": _close,
}


def status_of(exc: DomainError) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, IllegalTransition | Conflict | ForwardingLoop):
        return 409
    if exc.code == "too_large":
        return 413
    if exc.code == "unsupported_media":
        return 415
    return 400


@require_POST
@officer_required
def case_action(
    request: HttpRequest, officer: Officer, ticket_id: str, action: str
) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(f"no action {action!r}; the actions are {', '.join(ACTIONS)}")
    case = load_case(ticket_id, officer)
    try:
        done = handler(request, officer, case)
    except DomainError as exc:
        context = case_context(
            officer,
            load_case(ticket_id, officer),
            errors={action: exc.message},
            values={action: request.POST.dict()},
        )
        return render(request, "web/office/case.html", context, status=status_of(exc))
    messages.success(request, done)
    return HttpResponseRedirect(f"/office/case/{case.ticket_id}/")


BULK_ACTIONS = {"accept", "forward", "state", "close_done", "close_irrelevant", "comment"}


@require_POST
@officer_required
def bulk(request: HttpRequest, officer: Officer) -> HttpResponse:
    back = request.POST.get("next", "/office/")
    if not back.startswith("/office/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = "/office/"
    tickets = list(dict.fromkeys(t.strip().upper() for t in request.POST.getlist("tickets")))
    action = request.POST.get("action", "")
    if not tickets:
        messages.error(request, _("Tick the cases to act on first."))
        return HttpResponseRedirect(back)
    if action not in BULK_ACTIONS:
        messages.error(request, _("Choose what to do with the ticked cases."))
        return HttpResponseRedirect(back)
    if len(tickets) > BULK_LIMIT:
        messages.error(request, _("At most %(n)d cases at a time, please.") % {"n": BULK_LIMIT})
        return HttpResponseRedirect(back)
    note = request.POST.get("note", "")
    try:
        agency = _agency(request.POST.get("agency", "")) if action == "forward" else None
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(back)
    found, failed = resolve_tickets(tickets)
    done: list[str] = []
    for case in Case.objects.filter(ticket_id__in=found).order_by("created_at"):
        try:
            bulk_one(officer, case, action, note, agency, request.POST.get("state", ""))
            done.append(case.ticket_id)
        except DomainError as exc:
            failed.append(f"{case.ticket_id}: {exc.message}")
    missing = set(found) - set(done) - {f.split(":", 1)[0] for f in failed}
    failed += [f"{t}: " + _("no such case") for t in sorted(missing)]
    if done:
        messages.success(
            request,
            _("Done for %(n)d cases: %(tickets)s") % {"n": len(done), "tickets": ", ".join(done)},
        )
    if failed:
        messages.error(
            request,
            _("Not done for %(n)d cases: %(reasons)s")
            % {"n": len(failed), "reasons": "; ".join(failed)},
        )
    return HttpResponseRedirect(back)


def resolve_tickets(tickets: list[str]) -> tuple[list[str], list[str]]:
    """The stored ids the ticked or typed ids name (short ones too), and why others are not."""
    found, failed = [], []
    for given in tickets:
        try:
            found.append(canonical_ticket_id(given))
        except AmbiguousTicketId:
            failed.append(f"{given}: " + _("several cases have this number; use the full id"))
        except NotFound:
            failed.append(f"{given}: " + _("no such case"))
    return list(dict.fromkeys(found)), failed


def bulk_one(
    officer: Officer, case: Case, action: str, note: str, agency: Agency | None, state: str
) -> None:
    if action == "accept":
        do_accept(case, officer, note)
    elif action == "forward" and agency is not None:
        do_forward(case, officer, agency, note)
    elif action == "state":
        do_change_state(case, officer, state, note)
    elif action == "close_done":
        do_close(case, officer, State.DONE, note)
    elif action == "close_irrelevant":
        do_close(case, officer, State.IRRELEVANT, note)
    elif action == "comment":
        do_comment(case, officer, note, public=True)


@require_POST
@officer_required
def read_contact(request: HttpRequest, officer: Officer, ticket_id: str) -> HttpResponse:
    """The reporter's contact on the case page: the responsible agency's officers and
    supervisors only, with a purpose; every reading and every refused attempt is in the audit
    log, exactly as through GET /api/v1/cases/{id}/reporter (the same reader and rule)."""
    case = load_case(ticket_id, officer)
    try:
        check_may_read_contact(officer, case)
        contact = read_reporter_contact(case, officer, request.POST.get("purpose", ""))
    except DomainError as exc:
        if isinstance(exc, NotAllowed):
            audit("contact.read_refused", obj=case, actor=officer)  # who tried is worth knowing
        context = case_context(
            officer, case, errors={"contact": exc.message}, values={"contact": request.POST.dict()}
        )
        response = render(request, "web/office/case.html", context, status=status_of(exc))
    else:
        context = case_context(officer, case, contact=contact, contact_read=True)
        response = render(request, "web/office/case.html", context)
    add_never_cache_headers(response)  # personal data: no copy in any cache
    return response
