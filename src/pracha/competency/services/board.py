"""Who sees which results: the public live board (anonymous), an officer's own history, a
supervisor's agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.competency.errors import NotAllowed
from pracha.competency.models import Session
from pracha.competency.services.scoring import assessment_max_items
from pracha.competency.services.sessions import finish_overdue

BOARD_HOURS = 24
BOARD_ROWS = 100


@dataclass(frozen=True)
class BoardRow:
    """One session as the public sees it: no name, no login, no session id."""

    agency_th: str
    agency_en: str
    assessment_th: str
    assessment_en: str
    mode: str
    started_at: datetime
    running: bool
    answered: int
    of: int
    score: float | None
    passed: bool | None

    def as_dict(self) -> dict[str, object]:
        return {
            "agency": {"name_th": self.agency_th, "name_en": self.agency_en},
            "assessment": {"name_th": self.assessment_th, "name_en": self.assessment_en},
            "mode": self.mode,
            "started_at": self.started_at.isoformat(),
            "status": "running" if self.running else "finished",
            "answered": self.answered,
            "of": self.of,
            "score": self.score,
            "passed": self.passed,
        }


def live_board(now: datetime | None = None, hours: int = BOARD_HOURS) -> list[BoardRow]:
    """Sessions started in the last `hours`, running ones first, newest first."""
    now = now or timezone.now()
    finish_overdue(now=now)
    sessions = (
        Session.objects.filter(started_at__gte=now - timedelta(hours=hours))
        .select_related("agency", "assessment")
        .prefetch_related("assessment__subtests")
        .order_by("-started_at")[: BOARD_ROWS * 2]
    )
    rows = [
        BoardRow(
            agency_th=s.agency.name_th,
            agency_en=s.agency.name_en or s.agency.name_th,
            assessment_th=s.assessment.name_th,
            assessment_en=s.assessment.name_en,
            mode=s.assessment.mode,
            started_at=s.started_at,
            running=s.is_open,
            answered=s.answered,
            of=assessment_max_items(s.assessment),
            score=s.score,
            passed=s.passed,
        )
        for s in sessions
    ]
    rows.sort(key=lambda r: (not r.running, -r.started_at.timestamp()))
    return rows[:BOARD_ROWS]


def history(officer: Officer) -> QuerySet[Session]:
    """The officer's own sessions, newest first."""
    finish_overdue(Session.objects.open().filter(officer=officer))
    return Session.objects.filter(officer=officer).select_related("assessment", "agency")


def check_supervisor(officer: Officer) -> None:
    if officer.role != Officer.Role.SUPERVISOR:
        raise NotAllowed("only supervisors see their agency's results")


def agency_results(supervisor: Officer) -> QuerySet[Session]:
    """Finished sessions taken in the supervisor's agency, newest first."""
    check_supervisor(supervisor)
    return (
        Session.objects.finished()
        .filter(agency_id=supervisor.agency_id)
        .select_related("assessment", "officer__user", "agency")
        .order_by("-finished_at")
    )
