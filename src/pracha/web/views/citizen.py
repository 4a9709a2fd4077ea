"""What a citizen does on a ticket page: rate, reopen, say "me too"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pracha.cases.errors import Conflict, DomainError, IllegalTransition, NotAllowed, NotFound
from pracha.cases.models import Case
from pracha.cases.queries import get_case
from pracha.cases.services.citizen import OwnReport, TooManyMeToos, do_me_too, do_rate, do_reopen
from pracha.limits.device import person_ident
from pracha.limits.ratelimit import case_limit_address, over_limit
from pracha.web import session
from pracha.web.forms import RateForm, ReopenForm
from pracha.web.views.public import render_ticket, ticket_context


def _case(ticket_id: str) -> Case:
    try:
        return get_case(ticket_id)
    except NotFound as exc:
        raise Http404(_("There is no report with this number.")) from exc


def _back(case: Case, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(f"/t/{case.ticket_id}/{anchor}")


def _refused(exc: DomainError) -> str:
    """A reason a citizen can act on, in their language."""
    if isinstance(exc, NotAllowed):
        return _(
            "Only the person who filed this report can do this, from the browser they used, "
            "from the link in their e-mail, or signed in to their account."
        )
    if isinstance(exc, Conflict):
        return _("You have already rated this report.")
    if isinstance(exc, IllegalTransition):
        return _("This is not possible in the report's current state.") + f" ({exc.message})"
    return exc.message


def _again(
    request: HttpRequest, case: Case, error: str, status: int = 400, **forms: object
) -> HttpResponse:
    """The ticket page again with the error beside the form and what was typed kept."""
    fresh = get_case(case.ticket_id, with_timeline=True)
    context = ticket_context(request, fresh, action_error=error, **forms)
    return render_ticket(request, context, status=status)


@require_POST
def me_too(request: HttpRequest, ticket_id: str) -> HttpResponse:
    case = _case(ticket_id)
    token = session.reporter_token(request, case.ticket_id)
    citizen = getattr(request, "citizen", None)
    if token is not None or (citizen is not None and case.citizen_id == citizen.pk):
        return _again(request, case, _own_report(), status=403)
    refusal = over_limit(request, "metoo")
    if refusal is not None:
        response = _again(request, case, _("Too many requests. Please wait a few minutes."), 429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    try:
        result = do_me_too(
            case,
            person_ident(request),
            reporter_token=token,
            address=case_limit_address(request, "metoo"),
        )
    except TooManyMeToos as exc:
        response = _again(request, case, _("Too many requests. Please wait a few minutes."), 429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except OwnReport:
        return _again(request, case, _own_report(), status=403)
    except DomainError as exc:
        return _again(request, case, _refused(exc), status=409)
    session.remember_me_too(request, case.ticket_id)
    if result.already:
        messages.info(request, _("You have already said this affects you too."))
    else:
        messages.success(request, _("Thank you. The agency can see that this affects you too."))
    return _back(case)


def _own_report() -> str:
    return _(
        "You filed this report yourself, so it is already counted. “Me too” is for other "
        "people with the same problem."
    )


@require_POST
def rate(request: HttpRequest, ticket_id: str) -> HttpResponse:
    case = _case(ticket_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _again(request, case, _("Choose from 1 to 5 stars."), rate_form=form)
    try:
        do_rate(
            case,
            form.cleaned_data["stars"],
            session.reporter_token(request, case.ticket_id),
            form.cleaned_data["comment"],
            citizen=getattr(request, "citizen", None),
        )
    except DomainError as exc:
        return _again(request, case, _refused(exc), status=_status(exc), rate_form=form)
    messages.success(request, _("Thank you for rating the result."))
    return _back(case)


@require_POST
def reopen(request: HttpRequest, ticket_id: str) -> HttpResponse:
    case = _case(ticket_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _again(request, case, _("Please say why you reopen the report."), reopen_form=form)
    try:
        do_reopen(
            case,
            form.cleaned_data["reason"],
            session.reporter_token(request, case.ticket_id),
            citizen=getattr(request, "citizen", None),
        )
    except DomainError as exc:
        return _again(request, case, _refused(exc), status=_status(exc), reopen_form=form)
    messages.success(request, _("The report is open again. The agency will look at it."))
    return _back(case)


def _status(exc: DomainError) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, Conflict | IllegalTransition):
        return 409
    return 400
