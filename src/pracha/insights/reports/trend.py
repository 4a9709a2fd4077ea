"""Reports per day or month (and how many of them are still open), for a trend chart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pracha.cases.errors import InvalidInput
from pracha.insights.models import CaseFact
from pracha.insights.reports.indicators import Period
from pracha.insights.store.cube import BLOCK, DAY, MONTH
from pracha.insights.store.query import Filters, series

DAILY_UP_TO_DAYS = 92
MAX_DAILY_DAYS = 730


def trend(period: Period, filters: Filters, grain: str = "auto") -> dict[str, Any]:
    first, last = period.first, period.last
    if period.first_given is None:  # from the first report on record, not from 1970
        earliest = CaseFact.objects.order_by("day").values_list("day", flat=True).first()
        first = max(first, date.fromordinal(earliest)) if earliest else last
    if grain == "auto":
        grain = "day" if (last - first).days < DAILY_UP_TO_DAYS else "month"
    if grain == "day" and (last - first).days > MAX_DAILY_DAYS:
        raise InvalidInput(
            f"a daily trend covers at most {MAX_DAILY_DAYS + 1} days; use grain=month",
            field="grain",
        )
    grains = (DAY,) if grain == "day" else (DAY, BLOCK, MONTH)
    sums = series(filters, first, last, grains)
    points: dict[date, list[int]] = {}
    for start, (reported, still_open) in sums.items():
        key = start if grain == "day" else start.replace(day=1)
        point = points.setdefault(key, [0, 0])
        point[0] += reported
        point[1] += still_open
    out = []
    step = _periods(first, last, grain)
    for start in step:
        reported, still_open = points.get(start, [0, 0])
        out.append({"period": start.isoformat(), "reported": reported, "open": still_open})
    return {"grain": grain, "points": out}


def _periods(first: date, last: date, grain: str) -> list[date]:
    if grain == "day":
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months
