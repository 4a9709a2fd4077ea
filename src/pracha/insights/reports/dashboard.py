"""What the dashboard shows, for the page and for the CSV download of each of its tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pracha.agencies.models import Agency
from pracha.agencies.real import scrap_agency_codes
from pracha.cases.errors import InvalidInput
from pracha.cases.models import Case, Category
from pracha.insights.alerts.stored import recent_alerts
from pracha.insights.reports.forwarding import forwarding_report
from pracha.insights.reports.indicators import BY, Period, indicator_table
from pracha.insights.reports.labels import agency_labels, district_label
from pracha.insights.reports.params import parse_day, parse_filters, parse_period
from pracha.insights.reports.recurring import recurring
from pracha.insights.reports.scorecards import scorecards
from pracha.insights.reports.trend import trend
from pracha.insights.risk.listing import risk_list
from pracha.insights.store.cube import DISTRICT, YEAR, cuboid_for
from pracha.insights.store.query import Filters
from pracha.replica import read_connection

DEFAULT_DAYS = 90
ALERT_DAYS = 30  # the early warnings shown: those of the period's last month
TOP = 20
BY_LABELS = {
    "category": _("Category"),
    "district": _("District"),
    "agency": _("Agency"),
    "state": _("State"),
}
# Panels whose data cannot apply some filters, and what the page says when those are set.
PANEL_NOTES = {
    "alerts": (
        ("agency",),
        _("Early warnings are found per category and district: the agency filter does not "
          "apply to them."),
    ),
    "recurring": (
        ("agency",),
        _("Recurring places are kept per category and district: the agency filter does not "
          "apply to them."),
    ),
    "scorecards": (
        ("agency",),
        _("Only the chosen agency is shown; its rank is among all agencies."),
    ),
    "forwarding": (
        ("category", "district"),
        _("Forwards between agencies are counted over every category and district: those "
          "filters narrow only the cases by number of forwards."),
    ),
}  # fmt: skip


@dataclass
class Request:
    period: Period
    filters: Filters
    by: str
    raw: dict[str, str]
    # Said on the page when the period was not chosen but taken from the data.
    period_note: str = ""


def report_days() -> tuple[date, date] | None:
    """The days (Bangkok) of the oldest and the newest report; None without any. Two probes
    of the created_at index, however many cases there are."""
    cases = Case.objects.order_by("created_at").values_list("created_at", flat=True)
    oldest, newest = cases.first(), cases.reverse().first()
    if oldest is None or newest is None:
        return None
    return timezone.localdate(oldest), timezone.localdate(newest)


def default_period(today: date) -> tuple[date, date, str]:
    """The DEFAULT_DAYS days ending at the newest report (all of them when they span less),
    and the sentence that says so on the page.

    Not "the last 90 days": an installation of older data (the demo's 2023 reports, an
    archive) would show zeros everywhere. A live city reports daily, so it ends today anyway.
    """
    days = report_days()
    if days is None:
        return today - timedelta(days=DEFAULT_DAYS - 1), today, ""
    oldest, newest = days
    start = newest - timedelta(days=DEFAULT_DAYS - 1)
    if oldest >= start:
        return oldest, newest, str(_("No period chosen: every report is shown."))
    text = _("No period chosen: the %(days)s days up to the newest report (%(day)s) are shown.")
    return start, newest, str(text) % {"days": DEFAULT_DAYS, "day": newest.isoformat()}


def read(query: QueryDict) -> Request:
    """The dashboard's filters from the query string (raises InvalidInput on bad values)."""
    today = timezone.localdate()
    raw = {k: (query.get(k) or "").strip() for k in ("from", "to", "district", "category",
                                                       "agency", "by")}  # fmt: skip
    note = ""
    if raw["from"] or raw["to"]:
        end = parse_day(raw["to"], "to") or today
        first = raw["from"] or str(end - timedelta(days=DEFAULT_DAYS - 1))
        last = raw["to"] or str(today)
    else:
        start, end, note = default_period(today)
        first, last = str(start), str(end)
    period = parse_period(first, last, today)
    raw["from"], raw["to"] = period.first.isoformat(), period.last.isoformat()
    filters = parse_filters(raw["category"], raw["district"], raw["agency"])
    if filters.district is not None:
        raw["district"] = filters.district  # as the district list writes it
    by = raw["by"] or "category"
    if by not in BY:
        raise InvalidInput(f"by must be one of {', '.join(BY)}, got {by[:40]!r}", field="by")
    raw["by"] = by
    return Request(period, filters, by, raw, note)


def query_string(req: Request, keys: tuple[str, ...] | None = None) -> str:
    """The request's filters for a link (all of them, or those named), URL-encoded."""
    return urlencode({k: v for k, v in req.raw.items() if v and (keys is None or k in keys)})


def panel_notes(req: Request) -> dict[str, str]:
    """What each panel says about the filters in use that it cannot apply."""
    return {
        panel: str(text)
        for panel, (names, text) in PANEL_NOTES.items()
        if any(req.raw.get(name) for name in names)
    }


def english() -> bool:
    return (get_language() or "th").startswith("en")


def name(row: dict[str, Any], th: str = "name_th", en: str = "name_en") -> str:
    return (row.get(en) or row.get(th) or "") if english() else (row.get(th) or row.get(en) or "")


def options(hidden: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    cuboid = cuboid_for({DISTRICT})
    assert cuboid is not None
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT district FROM insights_rollup WHERE cuboid = %s AND grain = %s",
            [cuboid.code, YEAR],
        )
        districts = sorted(d for (d,) in cursor.fetchall() if d)
    en = english()
    return {
        "categories": [(c.code, (c.name_en if en else c.name_th)) for c in Category.objects.all()],
        "districts": [(d, (district_label(d).name_en or d) if en else d) for d in districts],
        "agencies": [
            (a.code, (a.name_en or a.name_th) if en else a.name_th)
            for a in Agency.objects.filter(is_active=True).order_by("name_th")
            if a.code not in hidden
        ],
        "by": [(key, str(label)) for key, label in BY_LABELS.items()],
    }


def panels(req: Request, hidden: frozenset[str]) -> dict[str, Any]:
    """The tables and series the page itself shows (scorecards and forwarding load after)."""
    f, p = req.filters, req.period
    alerts_from = max(p.first, p.last - timedelta(days=ALERT_DAYS))
    return {
        "indicators": page_indicators(req, indicator_table(req.by, p, f), hidden),
        "trend": trend(p, f),
        "alerts": recent_alerts(alerts_from, p.last, f.category, f.district, TOP),
        # More than shown: rows that repeat another row's reports are folded into it.
        "recurring": distinct_recurring(
            recurring(category=f.category, district=f.district, active_from=p.first, limit=3 * TOP)
        ),
        "risk": page_risk(risk_list(f, limit=TOP)),
    }


def scorecard_panel(req: Request) -> dict[str, Any]:
    """Agencies ranked over the category and district chosen; with an agency chosen, its row
    alone (ranked among all agencies)."""
    f = req.filters
    cards = scorecards(req.period, Filters(category=f.category, district=f.district))
    if f.agency is not None:
        key = agency_labels({f.agency})[f.agency].key
        cards["rows"] = [row for row in cards["rows"] if row["agency"] == key]
    return cards


def forwarding_panel(req: Request) -> dict[str, Any]:
    """Hops per case for every filter; forwards between agencies for the agency alone."""
    return forwarding_report(req.period, req.filters)


# --- tables for CSV: (columns, rows) -------------------------------------------------------

INDICATOR_COLUMNS = (
    "key", "name_th", "name_en", "reported", "open", "closed", "backlog", "mean_open_age_days",
    "median_hours_to_close", "p90_hours_to_close", "mean_hours_to_close", "closed_within_target",
    "within_target_rate", "reopened", "reopen_rate", "mean_stars", "ratings", "me_too",
    "forwarded", "forwards",
)  # fmt: skip
SCORECARD_COLUMNS = (
    "rank", "agency", "name_th", "name_en", "closed", "on_time_rate", "on_time_low",
    "on_time_high", "expected_on_time_rate", "observed_to_expected",
    "standardised_on_time_rate", "verdict", "median_hours_to_close", "median_low",
    "median_high", "reopen_rate", "mean_stars", "ratings", "photo_closings",
    "suspect_closings", "suspect_share",
)  # fmt: skip
TABLES: dict[str, tuple[str, ...]] = {
    "indicators": INDICATOR_COLUMNS,
    "trend": ("period", "reported", "open"),
    "scorecards": SCORECARD_COLUMNS,
    "forwarding-pairs": (
        "agency_a",
        "agency_a_name",
        "agency_b",
        "agency_b_name",
        "forwards_a_to_b",
        "forwards_b_to_a",
        "bounces",
        "back_and_forth",
        "mean_hours_held",
    ),
    "forwarding-agencies": (
        "agency",
        "name_th",
        "name_en",
        "forwarded_out",
        "received",
        "bounces",
        "mean_hours_held",
        "median_hours_held",
    ),
    "hops": ("hops", "cases"),
    "alerts": (
        "day",
        "category",
        "category_th",
        "district",
        "observed",
        "expected",
        "ratio",
        "p_value",
    ),
    "recurring": (
        "cell",
        "lat",
        "lon",
        "category",
        "category_th",
        "district",
        "reported",
        "open",
        "reopened",
        "reopen_events",
        "me_too",
        "first_reported",
        "last_reported",
        "score",
    ),
    "sla-risk": (
        "ticket_id",
        "probability",
        "due_at",
        "state",
        "category",
        "district",
        "agency",
        "agency_name",
        "reported_at",
    ),
}


def table(name_: str, req: Request) -> list[dict[str, Any]]:
    f, p = req.filters, req.period
    if name_ == "indicators":
        return indicator_table(req.by, p, f)["rows"]
    if name_ == "trend":
        return trend(p, f)["points"]
    if name_ == "scorecards":
        return list(scorecard_panel(req)["rows"])
    if name_.startswith("forwarding") or name_ == "hops":
        report = forwarding_panel(req)
        key = {"forwarding-pairs": "pairs", "forwarding-agencies": "agencies", "hops": "hops"}
        return report[key[name_]]
    if name_ == "alerts":
        return recent_alerts(p.first, p.last, f.category, f.district, 1000)
    if name_ == "recurring":
        return recurring(category=f.category, district=f.district, active_from=p.first, limit=500)
    return risk_list(f, limit=500)["rows"]


# --- what the page shows of those tables --------------------------------------------------


def hidden_agencies() -> frozenset[str]:
    """Agencies the page does not name (import artefacts, pracha.agencies.real: the lenient
    rule, as every other agency's cases count); they stay in the data and the CSVs. One
    query: a view computes it once and passes it to the functions below."""
    return scrap_agency_codes()


def agency_names(codes: set[str]) -> dict[str, str]:
    """Agency code -> its name in the page's language (English where it has one)."""
    en = english()
    return {
        code: (name_en or name_th) if en else name_th
        for code, name_th, name_en in Agency.objects.filter(code__in=codes).values_list(
            "code", "name_th", "name_en"
        )
    }


def page_indicators(req: Request, table_: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """The indicator table without artefact agencies (grouped by agency)."""
    if req.by != "agency":
        return table_
    return {**table_, "rows": [r for r in table_["rows"] if r["key"] not in hidden]}


def page_scorecards(cards: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """Scorecards as an executive reads them: the agencies doing worse than expected first,
    the ranked ones, and apart (behind a disclosure) those with too few cases to judge."""
    rows = [r for r in cards["rows"] if r["agency"] not in hidden]
    return {
        **cards,
        "attention": [r for r in rows if r["verdict"] == "worse than expected"],
        "rows": [r for r in rows if r["eligible"]],
        "few": [r for r in rows if not r["eligible"]],
    }


def page_forwarding(report: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """Forwarding pairs named in the page's language, artefact agencies left out."""
    pairs = [
        p for p in report["pairs"] if p["agency_a"] not in hidden and p["agency_b"] not in hidden
    ]
    names = agency_names({p[k] for p in pairs for k in ("agency_a", "agency_b")})
    for p in pairs:
        p["agency_a_label"] = names.get(p["agency_a"]) or p["agency_a_name"]
        p["agency_b_label"] = names.get(p["agency_b"]) or p["agency_b_name"]
    return {**report, "pairs": pairs}


def page_risk(risk: dict[str, Any]) -> dict[str, Any]:
    rows = risk["rows"]
    names = agency_names({r["agency"] for r in rows if r["agency"]})
    for r in rows:
        r["agency_label"] = names.get(r["agency"]) or r["agency_name"]
    return risk


def distinct_recurring(rows: list[dict[str, Any]], limit: int = TOP) -> list[dict[str, Any]]:
    """One row per report: a case with two categories at one place is one recurring problem
    under both names, not two problems that share their reports."""
    out: list[dict[str, Any]] = []
    owner: dict[str, dict[str, Any]] = {}  # ticket -> the row that shows it
    for row in rows:
        fresh = [t for t in row["tickets"] if t not in owner]
        if row["tickets"] and not fresh:
            first = owner[row["tickets"][0]]
            first["also"].append(row)
            continue
        shown = {**row, "tickets": fresh, "also": []}
        owner.update(dict.fromkeys(row["tickets"], shown))
        out.append(shown)
    return out[:limit]


def today() -> date:
    return timezone.localdate()
