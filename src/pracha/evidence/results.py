"""Reading checks: the current one of a case (API, pages), the supervisors' list, and each
agency's share of suspect closings (scorecards, dashboard)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.evidence.models import PhotoCheck

BANGKOK = ZoneInfo("Asia/Bangkok")


def current_check(case: Case) -> PhotoCheck | None:
    """The check of the closing that closed the case now; none while it is open."""
    if not case.is_closed:
        return None
    return PhotoCheck.objects.filter(case=case).order_by("-closed_at", "-id").first()


def photo_check_dict(check: PhotoCheck | None) -> dict[str, Any]:
    """`photo_check` of GET /api/v1/cases/{id}: status ok, suspect or none, and the reasons
    (each with a stable `code`); a supervisor's verdict once given (never their note)."""
    if check is None:
        return {
            "status": PhotoCheck.Status.NONE.value,
            "reasons": [],
            "notes": [],
            "photo_id": None,
            "checked_at": None,
            "under_review": False,
            "review": None,
        }
    return {
        "status": check.status,
        "reasons": list(check.reasons),
        "notes": list(check.notes),
        "photo_id": check.photo_id,
        "checked_at": check.checked_at,
        "under_review": check.under_review,
        "review": {"verdict": check.verdict, "at": check.reviewed_at} if check.verdict else None,
    }


def suspect_closings(agency: Agency | None, *, reviewed: bool = False) -> QuerySet[PhotoCheck]:
    """Suspect closings of cases `agency` was responsible for (every agency's for None),
    waiting for a supervisor (or, with `reviewed`, already looked at), newest first. Only
    the case's current closing counts: a reopened case is back in the inbox anyway."""
    checks = PhotoCheck.objects.filter(
        status=PhotoCheck.Status.SUSPECT, case__closed_at__isnull=False
    ).select_related("case", "photo", "agency", "reviewed_by")
    if agency is not None:
        checks = checks.filter(agency=agency)
    checks = checks.exclude(verdict="") if reviewed else checks.filter(verdict="")
    return checks.order_by("-closed_at", "-id")


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last + 1 day 00:00) in Bangkok time."""
    start = datetime.combine(first, time.min, tzinfo=BANGKOK)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=BANGKOK)
    return start, end


def suspect_shares(
    first: date, last: date, *, category: str | None = None, district: str | None = None
) -> dict[int, tuple[int, int]]:
    """Per agency id (0: none): (suspect closings, closings with an after-photo checked)
    closed between `first` and `last` (Bangkok days), for the case's category and district
    if given ("-" as category: cases without one)."""
    start, end = day_bounds(first, last)
    checks = PhotoCheck.objects.filter(
        closed_at__gte=start, closed_at__lt=end, status__in=[PhotoCheck.Status.OK, "suspect"]
    )
    if category == "-":
        checks = checks.filter(case__categories__isnull=True)
    elif category is not None:
        checks = checks.filter(case__categories__code=category)
    if district is not None:
        checks = checks.filter(case__district=district)
    rows = checks.values("agency_id").annotate(
        suspect=Count("id", filter=Q(status=PhotoCheck.Status.SUSPECT), distinct=True),
        checked=Count("id", distinct=True),
    )
    shares: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for row in rows:
        shares[row["agency_id"] or 0] = (row["suspect"], row["checked"])
    return dict(shares)
