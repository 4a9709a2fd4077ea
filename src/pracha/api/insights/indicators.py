"""GET /indicators and /indicators/trend."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from pracha.api.insights.schemas import ERRORS, IndicatorsOut, TrendOut
from pracha.insights.reports.indicators import indicator_table
from pracha.insights.reports.params import parse_filters, parse_period
from pracha.insights.reports.trend import trend
from pracha.insights.store.catch_up import catch_up

router = Router(tags=["indicators"])


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **ERRORS},
    summary="Indicators per state, category, district or agency for a period",
    by_alias=True,
)
def indicators(
    request: HttpRequest,
    by: Literal["state", "category", "district", "agency"] = "category",
    from_: str | None = Query(None, alias="from", description="first day, YYYY-MM-DD"),
    to: str | None = Query(None, description="last day, YYYY-MM-DD (included)"),
    category: str | None = None,
    district: str | None = None,
    agency: str | None = None,
) -> dict[str, Any]:
    """Cases *reported* in the period, grouped by `by`; `open`/`closed` are where they stand
    now; `backlog` counts every case reported up to `to` that is still open. By category a
    case counts once in each of its categories. Every field is described in
    docs/insights.md#indicators-get-apiv1indicators."""
    period = parse_period(from_, to, timezone.localdate())
    filters = parse_filters(category, district, agency)
    return indicator_table(by, period, filters)


@router.get(
    "/indicators/trend",
    response={200: TrendOut, **ERRORS},
    summary="Reports per day or month, and how many of them are still open",
)
def indicators_trend(
    request: HttpRequest,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    grain: Literal["day", "month", "auto"] = "auto",
    category: str | None = None,
    district: str | None = None,
    agency: str | None = None,
) -> dict[str, Any]:
    period = parse_period(from_, to, timezone.localdate())
    filters = parse_filters(category, district, agency)
    catch_up()
    return trend(period, filters, grain)
