"""Officers' tests in the back office (/office/tests/) and the public live board
(/tests/live/): the same services as the API, one item per page, the result at once."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pracha.agencies.models import Officer
from pracha.competency.errors import (
    InvalidInput,
    ItemNotAsked,
    NotAllowed,
    NotFound,
    SessionFinished,
    SessionOpen,
    TimeUp,
)
from pracha.competency.models import Assessment, Session
from pracha.competency.services import board, scoring
from pracha.competency.services import sessions as tests
from pracha.web.officers import officer_required

HOME = "/office/tests/"


def _language() -> str:
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def _session_of(officer: Officer, session_id: str) -> Session:
    try:
        session = tests.get_session(session_id)
        tests.check_owner(session, officer)
    except (NotFound, NotAllowed) as exc:
        raise Http404(_("There is no such test of yours.")) from exc
    return session


@officer_required
def home(request: HttpRequest, officer: Officer) -> HttpResponse:
    assessments = Assessment.objects.filter(is_active=True).prefetch_related("subtests")
    context: dict[str, Any] = {
        "officer": officer,
        "assessments": [(a, scoring.assessment_max_items(a)) for a in assessments],
        "running": tests.open_session(officer),
        "history": list(board.history(officer).filter(finished_at__isnull=False)[:50]),
        "supervisor": officer.role == Officer.Role.SUPERVISOR,
    }
    return render(request, "web/tests/home.html", context)


@officer_required
@require_POST
def start(request: HttpRequest, officer: Officer, code: str) -> HttpResponse:
    try:
        assessment = tests.get_assessment(code)
        session, _first = tests.do_start(officer, assessment, _language())
    except NotFound as exc:
        raise Http404(_("There is no such test.")) from exc
    except SessionOpen:
        messages.warning(request, _("You already have a test running: finish it first."))
        return redirect(HOME)
    except InvalidInput:
        messages.error(request, _("This test has no questions in your language yet."))
        return redirect(HOME)
    return redirect(f"{HOME}session/{session.pk}/")


@officer_required
def session_page(request: HttpRequest, officer: Officer, session_id: str) -> HttpResponse:
    session = _session_of(officer, session_id)
    here = f"{HOME}session/{session.pk}/"
    if request.method == "POST":
        try:
            item = int(request.POST.get("item", ""))
            choice = int(request.POST.get("choice", ""))
        except ValueError:
            messages.error(request, _("Choose one of the answers, then press Next."))
            return redirect(here)
        try:
            tests.do_answer(session, officer, item, choice)
        except TimeUp:
            messages.warning(
                request, _("Time is up: your test was scored with the answers given in time.")
            )
        except (ItemNotAsked, SessionFinished):
            messages.warning(request, _("That question had already been answered."))
        except InvalidInput:
            messages.error(request, _("Choose one of the answers, then press Next."))
        return redirect(here)
    tests.finish_overdue([session])
    session = tests.get_session(session.pk)
    if not session.is_open:
        return render(
            request,
            "web/tests/result.html",
            {"officer": officer, "session": session, "result": scoring.result_dict(session)},
        )
    pending = tests.pending_response(session)
    state = tests.state_dict(session)
    return render(
        request,
        "web/tests/session.html",
        {
            "officer": officer,
            "session": session,
            "state": state,
            "item": state["item"],
            "pending": pending,
            "seconds_left": max(0, int((session.deadline - timezone.now()).total_seconds())),
        },
    )


@officer_required
@require_POST
def finish(request: HttpRequest, officer: Officer, session_id: str) -> HttpResponse:
    session = _session_of(officer, session_id)
    with contextlib.suppress(SessionFinished):  # a second press: it ended already
        tests.do_finish(session, officer)
    return redirect(f"{HOME}session/{session.pk}/")


@officer_required
def agency(request: HttpRequest, officer: Officer) -> HttpResponse:
    try:
        sessions = list(board.agency_results(officer)[:200])
    except NotAllowed:
        return render(request, "web/tests/supervisors_only.html", {"officer": officer}, status=403)
    return render(request, "web/tests/agency.html", {"officer": officer, "sessions": sessions})


def live(request: HttpRequest) -> HttpResponse:
    """The public board: who is being tested where and how they do, without names."""
    context = {"rows": board.live_board(), "hours": board.BOARD_HOURS}
    if request.headers.get("HX-Request") and request.GET.get("part") == "rows":
        return render(request, "web/tests/_live_rows.html", context)
    return render(request, "web/tests/live.html", context)
