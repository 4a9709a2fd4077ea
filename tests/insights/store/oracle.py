"""Indicators computed directly from Case objects in plain Python: the yardstick for tests."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pracha.cases import sla
from pracha.cases.models import Case
from pracha.states import CLOSED_STATES

BANGKOK = ZoneInfo("Asia/Bangkok")


def exact_quantile(values: list[float], q: float) -> float | None:
    """The value at rank q*n (the same definition the histogram estimates)."""
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[index]


def keys_of(case: Case, by: str, codes: list[str]) -> list[Any]:
    if by == "category":
        return codes or ["uncategorised"]
    if by == "district":
        return [case.district]
    if by == "agency":
        return [case.agency.code if case.agency else "unassigned"]
    return [case.state]


def oracle(
    by: str,
    first: date | None = None,
    last: date | None = None,
    *,
    category: str | None = None,
    district: str | None = None,
    agency: str | None = None,
) -> dict[Any, dict[str, Any]]:
    now = time.time()
    groups: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"cases": [], "backlog": [], "hours": []}
    )
    for case in Case.objects.select_related("agency").prefetch_related("categories"):
        codes = sorted(c.code for c in case.categories.all())
        if category is not None and category not in (codes or ["uncategorised"]):
            continue
        if district is not None and case.district != district:
            continue
        if agency is not None and (case.agency.code if case.agency else "unassigned") != agency:
            continue
        day = case.created_at.astimezone(BANGKOK).date()
        in_period = (first is None or day >= first) and (last is None or day <= last)
        before_end = last is None or day <= last
        keys = keys_of(case, by, codes)
        if by == "category" and category is not None:
            keys = [category]
        for key in keys:
            group = groups[key]
            # The target a row holds the case to: the category's own, or the case's strictest.
            if by == "category":
                target = sla.default_hours() if key == "uncategorised" else sla.target_hours(key)
            elif category == "uncategorised":
                target = sla.default_hours()
            elif category is not None:
                target = sla.target_hours(category)
            else:
                target = sla.case_target_hours(codes)
            if in_period:
                group["cases"].append((case, target))
            if before_end and case.state not in CLOSED_STATES:
                group["backlog"].append(case)
    out = {}
    for key, group in groups.items():
        cases = group["cases"]
        open_cases = [c for c, _ in cases if c.state not in CLOSED_STATES]
        closed = [(c, t) for c, t in cases if c.state in CLOSED_STATES]
        hours = [
            max(0.0, (c.closed_at - c.created_at).total_seconds() / 3600)
            for c, _ in closed
            if c.closed_at
        ]
        within = sum(
            1
            for c, t in closed
            if c.closed_at and max(0, int((c.closed_at - c.created_at).total_seconds())) <= t * 3600
        )
        rated = [c.stars for c, _ in cases if c.stars is not None]
        reopened = [c for c, _ in cases if c.reopen_count > 0]
        ever_closed = len(closed) + sum(1 for c in reopened if c.state not in CLOSED_STATES)
        backlog = group["backlog"]
        out[key] = {
            "reported": len(cases),
            "open": len(open_cases),
            "closed": len(closed),
            "backlog": len(backlog),
            "median": exact_quantile(hours, 0.5),
            "p90": exact_quantile(hours, 0.9),
            "mean_hours": sum(hours) / len(hours) if hours else None,
            "closed_within_target": within,
            "within_target_rate": within / len(hours) if hours else None,
            "reopened": len(reopened),
            "reopen_events": sum(c.reopen_count for c, _ in cases),
            "reopen_rate": len(reopened) / ever_closed if ever_closed else None,
            "mean_stars": sum(rated) / len(rated) if rated else None,
            "ratings": len(rated),
            "me_too": sum(c.me_too_count for c, _ in cases),
            "forwards": sum(c.forward_count for c, _ in cases),
            "forwarded": sum(1 for c, _ in cases if c.forward_count > 0),
            "mean_open_age_days": (
                sum(now - c.created_at.timestamp() for c in open_cases) / len(open_cases) / 86400
                if open_cases
                else None
            ),
            "mean_backlog_age_days": (
                sum(now - c.created_at.timestamp() for c in backlog) / len(backlog) / 86400
                if backlog
                else None
            ),
        }
    return {k: v for k, v in out.items() if v["reported"] or v["backlog"]}
