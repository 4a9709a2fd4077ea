"""Scorecards, hotspots, recurring problems, forwarding, alerts and SLA risk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from pracha.api.insights.schemas import (
    ERRORS,
    AlertsOut,
    ForwardingOut,
    RecurringOut,
    RiskOut,
    ScorecardsOut,
)
from pracha.cases.errors import InvalidInput
from pracha.insights.alerts.stored import recent_alerts
from pracha.insights.reports.dashboard import ALERT_DAYS, report_days
from pracha.insights.reports.forwarding import forwarding_report
from pracha.insights.reports.hotspots import Box, hotspots
from pracha.insights.reports.params import parse_day, parse_filters, parse_period
from pracha.insights.reports.recurring import recurring
from pracha.insights.reports.scorecards import scorecards
from pracha.insights.risk.listing import risk_list
from pracha.insights.store.catch_up import catch_up

router = Router(tags=["insights"])


@router.get("/scorecards", response={200: ScorecardsOut, **ERRORS}, summary="Agency scorecards")
def get_scorecards(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    category: str | None = None,
    district: str | None = None,
    min_cases: int | None = Query(None, ge=1, le=100_000),
) -> dict[str, Any]:
    """Agencies ranked fairly: only with enough closed cases, with 95% intervals, and judged
    against the city's on-time rate for the same mix of categories."""
    catch_up()
    period = parse_period(from_, to, timezone.localdate())
    return scorecards(period, parse_filters(category, district), min_cases)


@router.get("/hotspots", summary="Reports per H3 hexagon (GeoJSON)", response={200: Any, **ERRORS})
def get_hotspots(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    category: str | None = None,
    district: str | None = None,
    agency: str | None = None,
    zoom: int = Query(11, ge=0, le=22, description="map zoom; picks the hexagon size"),
    res: int | None = Query(None, ge=6, le=9, description="H3 resolution instead of zoom"),
    bbox: str | None = Query(None, description="west,south,east,north"),
) -> dict[str, Any]:
    """Resolutions 6-8 count whole calendar months (`from`/`to` in the answer say which),
    except with `district` or `agency`: then the exact days; resolution 9 (zoom 14+) needs a
    `bbox`."""
    catch_up()
    period = parse_period(from_, to, timezone.localdate())
    filters = parse_filters(category, district, agency)
    return hotspots(period, filters, zoom, Box.parse(bbox), res)


@router.get(
    "/hotspots/recurring",
    response={200: RecurringOut, **ERRORS},
    summary="The same kind of problem at the same place, again and again",
)
def get_recurring(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from", description="still reported on or after"),
    to: str | None = None,
    category: str | None = None,
    district: str | None = None,
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    catch_up()
    period = parse_period(from_, to, timezone.localdate())
    filters = parse_filters(category, district)
    rows = recurring(
        category=filters.category,
        district=filters.district,
        active_from=period.first_given,
        active_to=period.last_given,
        limit=limit,
    )
    return {"rows": rows}


@router.get(
    "/forwarding",
    response={200: ForwardingOut, **ERRORS},
    summary="Hops per case, time lost per hop, agency pairs that bounce cases",
)
def get_forwarding(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    agency: str | None = None,
) -> dict[str, Any]:
    catch_up()
    period = parse_period(from_, to, timezone.localdate())
    return forwarding_report(period, parse_filters(agency=agency))


@router.get("/alerts", response={200: AlertsOut, **ERRORS}, summary="Early-warning alerts")
def get_alerts(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    category: str | None = None,
    district: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    # Without dates: the 30 days up to the newest report, as the dashboard's panel shows them
    # (not up to today, which for an archive of older reports would always be empty).
    days = report_days()
    last = parse_day(to, "to") or (days[1] if days else timezone.localdate())
    first = parse_day(from_, "from") or last - timedelta(days=ALERT_DAYS)
    if first > last:
        raise InvalidInput("from must not be after to", field="from")
    filters = parse_filters(category, district)
    return {"rows": recent_alerts(first, last, filters.category, filters.district, limit)}


@router.get(
    "/sla-risk",
    response={200: RiskOut, **ERRORS},
    summary="Open cases most likely to miss their target, first",
)
def get_sla_risk(
    request: HttpRequest,
    agency: str | None = None,
    district: str | None = None,
    category: str | None = None,
    overdue: bool = Query(False, description="the cases already past their target instead"),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    filters = parse_filters(category, district, agency)
    return risk_list(filters, overdue=overdue, limit=limit)
