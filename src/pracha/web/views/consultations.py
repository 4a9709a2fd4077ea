"""Consultations on the web: the list (/consultations/), one consultation (the draft, the
form for signed-in citizens with their answer prefilled, results as charts after the close,
what the agency changed or that it is still due). The same services as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pracha.cases.errors import DomainError, NotFound
from pracha.consultations.models import Consultation, Phase, State
from pracha.consultations.services.closing import changes_due, close_if_due
from pracha.consultations.services.manage import consultation_by_ref
from pracha.consultations.services.respond import InvalidAnswers, current_answers, do_respond
from pracha.consultations.services.results import changes_overdue, results
from pracha.web import consultation_pages as pages
from pracha.web.officers import officer_of


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    found = Consultation.objects.exclude(state=State.DRAFT).select_related("agency")
    groups: dict[str, list[dict[str, Any]]] = {Phase.OPEN: [], Phase.UPCOMING: [], Phase.CLOSED: []}
    for c in found:
        groups[c.phase(now)].append(
            {"c": c, "texts": pages.texts(c), "overdue": changes_overdue(c, now)}
        )
    context = {
        "open": groups[Phase.OPEN],
        "upcoming": groups[Phase.UPCOMING],
        "closed": groups[Phase.CLOSED],
    }
    return render(request, "web/consultations/list.html", context)


def _visible(request: HttpRequest, ref: str) -> Consultation:
    try:
        consultation = close_if_due(consultation_by_ref(ref))
    except NotFound as exc:
        raise Http404(_("There is no such consultation.")) from exc
    if consultation.state == State.DRAFT:
        officer = officer_of(request)
        if officer is None or officer.agency_id != consultation.agency_id:
            raise Http404(_("There is no such consultation."))
    return consultation


@require_http_methods(["GET", "HEAD", "POST"])
def consultation_page(request: HttpRequest, ref: str) -> HttpResponse:
    consultation = _visible(request, ref)
    citizen = getattr(request, "citizen", None)
    questions = list(consultation.questions.all())
    mine = current_answers(citizen, consultation)
    posted: dict[int, Any] | None = None
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if citizen is None:
            return HttpResponseRedirect(f"/signin/?next=/consultations/{ref}/")
        answers, posted = pages.read_form(request.POST, questions)
        try:
            _response, created = do_respond(
                citizen, consultation, answers, notify=request.POST.get("notify") == "on"
            )
        except InvalidAnswers as exc:
            problems = [r["reason"] for r in exc.reasons]
            status = 400
        except DomainError as exc:  # closed (or not open yet) meanwhile
            messages.error(request, exc.message)
            return HttpResponseRedirect(f"/consultations/{ref}/")
        else:
            messages.success(
                request,
                _("Thank you: your answer is recorded.")
                if created
                else _("Your answer is changed."),
            )
            return HttpResponseRedirect(f"/consultations/{ref}/")
    phase = consultation.phase()
    data = results(consultation) if phase == Phase.CLOSED else None
    context = {
        "c": consultation,
        "texts": pages.texts(consultation),
        "phase": phase,
        "citizen": citizen,
        "questions": pages.form_questions(questions, mine["answers"] if mine else {}, posted),
        "mine": mine,
        "notify_checked": (request.POST.get("notify") == "on")
        if posted is not None
        else bool(mine and mine["notify"]),
        "problems": problems,
        "results": data,
        "charts": pages.chart_results(data) if data else None,
        "changes_due_at": changes_due(consultation),
        "overdue": changes_overdue(consultation),
    }
    return render(request, "web/consultations/detail.html", context, status=status)
