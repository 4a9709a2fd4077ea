"""Indicators per state, category, district or agency for a period, from the rollups.

Counting rules (also in docs/insights.md#indicators-get-apiv1indicators):
- A case belongs to the period it was *reported* in (Bangkok dates, both ends included);
  `open`/`closed` say where those cases stand now. `backlog` is every case reported up to the
  end of the period that is still open, whenever it was reported.
- By category a case counts once in each of its categories (the rows then add up to more
  than the total); a case without a category counts under `uncategorised`.
- Hours to close run from the report to the (last) closing. Median and 90th percentile come
  from a log-scale histogram: within 20% of the exact value (metrics.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from pracha.cases import sla
from pracha.insights.reports.labels import (
    STATE_ORDER,
    Label,
    agency_labels,
    category_labels,
    district_label,
    state_label,
)
from pracha.insights.reports.on_target import on_target, open_past_target
from pracha.insights.store.catch_up import catch_up
from pracha.insights.store.cube import AGENCY, CATEGORY, DISTRICT, STATE
from pracha.insights.store.maintain import get_state
from pracha.insights.store.metrics import (
    COUNT_COLUMNS,
    HIST_OFFSET,
    METRIC_COLUMNS,
    METRIC_INDEX,
    quantile,
)
from pracha.insights.store.query import EARLIEST, Filters, Sums, aggregate

BY = {"state": STATE, "category": CATEGORY, "district": DISTRICT, "agency": AGENCY}
_I = METRIC_INDEX


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    first_given: date | None
    last_given: date | None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def measures(sums: Sums, backlog: tuple[int, ...], now: float) -> dict[str, Any]:
    """The indicator values of one row from its sums (and its backlog count and ages)."""
    s = {name: sums[_I[name]] for name in COUNT_COLUMNS}
    hist = sums[HIST_OFFSET:]
    closed = s["reported"] - s["open"]
    timed = sum(hist)
    ever_closed = closed + s["reopened_open"]
    forwarded = s["hop1"] + s["hop2"] + s["hop3"] + s["hop4"]
    backlog_count, backlog_epoch = backlog
    return {
        "reported": s["reported"],
        "open": s["open"],
        "closed": closed,
        "backlog": backlog_count,
        "mean_open_age_days": _round(
            (now - s["open_epoch"] / s["open"]) / 86400 if s["open"] else None
        ),
        "mean_backlog_age_days": _round(
            (now - backlog_epoch / backlog_count) / 86400 if backlog_count else None
        ),
        "median_hours_to_close": _round(quantile(hist, 0.5)),
        "p90_hours_to_close": _round(quantile(hist, 0.9)),
        "mean_hours_to_close": _round(s["close_seconds"] / timed / 3600 if timed else None),
        "closed_within_target": s["within_target"],
        "within_target_rate": _rate(s["within_target"], timed),
        "reopened": s["reopened"],
        "reopen_rate": _rate(s["reopened"], ever_closed),
        "reopen_events": s["reopen_events"],
        "mean_stars": _round(s["stars_sum"] / s["ratings"] if s["ratings"] else None, 2),
        "ratings": s["ratings"],
        "me_too": s["me_too"],
        "forwarded": forwarded,
        "forwards": s["forwards"],
    }


def _labels(by: str, keys: set[str | int]) -> dict[str | int, Label]:
    if by == CATEGORY:
        table = category_labels()
        return {k: table.get(str(k), Label(str(k), str(k), str(k))) for k in keys}
    if by == DISTRICT:
        return {k: district_label(str(k)) for k in keys}
    if by == AGENCY:
        agencies = agency_labels({int(k) for k in keys})
        return {k: agencies.get(int(k), Label(str(k), str(k), "")) for k in keys}
    return {k: state_label(str(k)) for k in keys}


def indicator_table(by: str, period: Period, filters: Filters) -> dict[str, Any]:
    catch_up()
    dim = BY[by]
    now = time.time()
    sums = aggregate(dim, filters, period.first, period.last)
    backlog_sums = aggregate(
        dim, filters, EARLIEST, period.last, ("open", "open_epoch"), open_only=True
    )
    keys = set(sums) | set(backlog_sums)
    labels = _labels(dim, keys)
    empty = [0] * len(METRIC_COLUMNS)
    rows = []
    for key in keys:
        label = labels[key]
        backlog = tuple(backlog_sums.get(key, [0, 0]))
        rows.append(
            {
                "key": label.key,
                "name_th": label.name_th,
                "name_en": label.name_en,
                **measures(sums.get(key, empty), backlog, now),
            }
        )
    if dim == STATE:
        rows.sort(key=lambda r: STATE_ORDER.get(r["key"], 99))
    else:
        rows.sort(key=lambda r: (-r["reported"], -r["backlog"], r["key"]))
    total_sums = aggregate(None, filters, period.first, period.last).get(None, empty)
    total_backlog = aggregate(
        None, filters, EARLIEST, period.last, ("open", "open_epoch"), open_only=True
    ).get(None, [0, 0])
    total = measures(total_sums, tuple(total_backlog), now)
    # The headline rate counts open cases already past their target as missed (on_target.py);
    # for the whole selection only, where the dashboard shows it.
    late_open = open_past_target(filters, period.first, period.last, now)
    total.update(
        on_target(
            total["closed_within_target"],
            sum(total_sums[HIST_OFFSET:]),
            total["open"],
            late_open,
        )
    )
    return {
        "by": by,
        "from": period.first_given.isoformat() if period.first_given else None,
        "to": period.last_given.isoformat() if period.last_given else None,
        "rows": rows,
        "total": total,
        "notes": notes(),
    }


def notes() -> list[str]:
    """Caveats a reader of the numbers should know about."""
    if trouble := sla.problem():
        return [trouble]
    stored = get_state("sla_fingerprint")
    if stored and stored != sla.fingerprint():
        return [
            "the SLA targets changed since the indicators were last rebuilt: "
            "closed_within_target counts the old targets until `pracha insights rebuild`"
        ]
    return []
