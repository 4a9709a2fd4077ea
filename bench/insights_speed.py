"""Indicator and dashboard latency on a benchmark city: Pracha's rollups against the same
questions asked naively (GROUP BY over the live cases table), in the same run.

    .venv/bin/python bench/insights_speed.py --database sqlite:////tmp/pracha-bench/bench.sqlite3
    .venv/bin/python bench/insights_speed.py --database postgres://postgres@127.0.0.1:5432/pracha_bench

Make the city first with bench/insights_generate.py. Every Pracha figure is a full HTTP
request through Django (routing, query, JSON); the naive figures are the SQL alone, which
flatters them. Each endpoint runs over a spread of periods and filters (all time, last 30
days, last calendar year, random ranges, one district, one category, one agency, two
filters), --repeat times each; p50 and p95 are over all those requests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

BUDGET_MS = 300.0


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PRACHA_VAR_DIR", "/tmp/pracha-bench/var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Scenario:
    def __init__(
        self,
        name: str,
        pracha: Callable[[dict[str, str]], Any],
        naive: Callable[[dict[str, str]], Any] | None,
        params: list[dict[str, str]],
    ):
        self.name, self.pracha, self.naive, self.params = name, pracha, naive, params


def measure(
    call: Callable[[dict[str, str]], Any], params: list[dict[str, str]], repeat: int
) -> list[float]:
    call(params[0])  # warm: imports, first connection, name caches
    times = []
    for _ in range(repeat):
        for p in params:
            started = time.perf_counter()
            call(p)
            times.append((time.perf_counter() - started) * 1000)
    return times


def param_sets(
    today: date, first_day: date, district: str, category: str, agency: str, seed: int = 1
) -> list[dict[str, str]]:
    rng = random.Random(seed)
    last_year = today.year - 1
    sets: list[dict[str, str]] = [
        {},
        {"from": str(today - timedelta(days=29)), "to": str(today)},
        {"from": f"{last_year}-01-01", "to": f"{last_year}-12-31"},
    ]
    span = (today - first_day).days
    for _ in range(3):
        a = first_day + timedelta(days=rng.randrange(span))
        b = a + timedelta(days=rng.randrange(max(1, (today - a).days)))
        sets.append({"from": str(a), "to": str(b)})
    sets += [
        {"district": district, "from": str(today - timedelta(days=364)), "to": str(today)},
        {"category": category},
        {"agency": agency, "from": str(today - timedelta(days=89)), "to": str(today)},
        {
            "district": district,
            "category": category,
            "from": str(first_day + timedelta(days=40)),
            "to": str(today - timedelta(days=11)),
        },
    ]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the parameter sets")
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--duckdb", action="store_true", help="also time DuckDB over Parquet")
    args = parser.parse_args()
    setup(args.database)

    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from pracha.agencies.models import Agency
    from pracha.cases.models import Case
    from pracha.insights.reports.naive import naive_indicators
    from pracha.insights.reports.params import parse_filters, parse_period
    from pracha.insights.store.catch_up import catch_up

    catch_up()
    client = Client()
    cases = Case.objects.count()
    today = date.today()
    first_day = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    assert first_day is not None, "the benchmark database has no cases"
    first = first_day.date()
    top = Case.objects.values("district").order_by().annotate(n=Count("id"))
    district = max(top, key=lambda r: r["n"])["district"]
    agency_id = Case.objects.values("agency_id").order_by().annotate(n=Count("id"))
    agency = Agency.objects.get(pk=max(agency_id, key=lambda r: r["n"])["agency_id"]).code
    params = param_sets(today, first, district, "road", agency)

    def api(path: str) -> Callable[[dict[str, str]], Any]:
        def call(p: dict[str, str]) -> Any:
            response = client.get(path, p)
            assert response.status_code == 200, (path, p, response.content[:300])
            return response

        return call

    def naive(by: str) -> Callable[[dict[str, str]], Any]:
        def call(p: dict[str, str]) -> Any:
            period = parse_period(p.get("from"), p.get("to"), today)
            filters = parse_filters(p.get("category"), p.get("district"), p.get("agency"))
            return naive_indicators(by, filters, period.first, period.last)

        return call

    scenarios = [
        Scenario(f"indicators by={by}", api(f"/api/v1/indicators?by={by}"), naive(by), params)
        for by in ("state", "category", "district", "agency")
    ]
    scenarios.append(Scenario("indicators/trend", api("/api/v1/indicators/trend"), None, params))
    scenarios += extra_scenarios(api, params, today)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}  cases: {cases:,}")
    print(
        f"{len(params)} parameter sets x {args.repeat} passes per endpoint (naive: "
        f"x {args.naive_repeat}); budget p95 < {BUDGET_MS:.0f} ms"
    )
    header = (
        f"{'endpoint':<34} {'naive p50':>10} {'naive p95':>10} {'pracha p50':>11} "
        f"{'pracha p95':>11}  {'speed-up':>8}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for s in scenarios:
        mine = measure(s.pracha, s.params, args.repeat)
        p50, p95 = statistics.median(mine), percentile(mine, 0.95)
        worst = max(worst, p95)
        if s.naive and not args.skip_naive:
            theirs = measure(s.naive, s.params, args.naive_repeat)
            n50, n95 = statistics.median(theirs), percentile(theirs, 0.95)
            print(
                f"{s.name:<34} {n50:>8.0f}ms {n95:>8.0f}ms {p50:>9.1f}ms {p95:>9.1f}ms  "
                f"{n50 / p50:>7.0f}x"
            )
        else:
            print(f"{s.name:<34} {'-':>10} {'-':>10} {p50:>9.1f}ms {p95:>9.1f}ms")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst Pracha p95: {worst:.1f} ms ({verdict} the {BUDGET_MS:.0f} ms budget)")
    if args.duckdb:
        from insights_duckdb import compare

        compare(params, today)


def extra_scenarios(
    api: Callable[[str], Callable[[dict[str, str]], Any]], params: list[dict[str, str]], today: date
) -> list[Scenario]:
    """The other insights endpoints and the dashboard page, with naive versions where a
    plain query over the live tables answers the same question."""
    from django.db import connection

    from pracha.insights.reports.naive import _bounds, naive_indicators
    from pracha.insights.reports.params import parse_filters, parse_period

    no_agency = [{k: v for k, v in p.items() if k != "agency"} for p in params]
    by_period = [{k: v for k, v in p.items() if k in ("from", "to", "category")} for p in params]
    views = [  # zoom, bbox around central Bangkok
        {"zoom": "11"}, {"zoom": "13", "bbox": "100.45,13.65,100.65,13.85"},
        {"zoom": "15", "bbox": "100.53,13.73,100.56,13.76"},
    ]  # fmt: skip
    hot = [{**v, **p} for v in views for p in by_period[:5]]

    def naive_scorecards(p: dict[str, str]) -> Any:
        period = parse_period(p.get("from"), p.get("to"), today)
        filters = parse_filters(p.get("category"), p.get("district"))
        naive_indicators("agency", filters, period.first, period.last)
        return naive_indicators("category", filters, period.first, period.last)

    def naive_hotspots(p: dict[str, str]) -> Any:
        import h3.api.basic_int as h3

        from pracha.insights.reports.hotspots import resolution_for

        period = parse_period(p.get("from"), p.get("to"), today)
        res = resolution_for(int(p["zoom"]))
        west, south, east, north = (float(x) for x in p["bbox"].split(",")) if "bbox" in p else (
            -180, -90, 180, 90)  # fmt: skip
        counts: dict[int, int] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT lat, lon FROM cases_case WHERE created_at >= %s AND created_at < %s "
                "AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s",
                [*_bounds(period.first, period.last), south, north, west, east],
            )
            for lat, lon in cursor.fetchall():
                cell = h3.latlng_to_cell(lat, lon, res)
                counts[cell] = counts.get(cell, 0) + 1
        return counts

    def naive_forwarding(p: dict[str, str]) -> Any:
        period = parse_period(p.get("from"), p.get("to"), today)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT from_agency_id, to_agency_id, COUNT(*) FROM cases_event "
                "WHERE kind = 'forwarded' AND at >= %s AND at < %s GROUP BY 1, 2",
                list(_bounds(period.first, period.last)),
            )
            return cursor.fetchall()

    return [
        Scenario("scorecards", api("/api/v1/scorecards"), naive_scorecards, no_agency),
        Scenario("hotspots (zoom 11/13/15)", api("/api/v1/hotspots"), naive_hotspots, hot),
        Scenario("hotspots/recurring", api("/api/v1/hotspots/recurring"), None, no_agency),
        Scenario("forwarding", api("/api/v1/forwarding"), naive_forwarding, by_period),
        Scenario("alerts", api("/api/v1/alerts"), None, by_period),
        Scenario("sla-risk", api("/api/v1/sla-risk"), None, [{}, {"overdue": "true"}]),
        Scenario("dashboard page", api("/dashboard/"), None, params),
        Scenario("dashboard panel: scorecards", api("/dashboard/panel/scorecards/"), None, params),
        Scenario("dashboard panel: forwarding", api("/dashboard/panel/forwarding/"), None, params),
    ]


if __name__ == "__main__":
    main()
