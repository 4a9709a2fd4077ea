"""The other way to fast indicators: DuckDB over an export (used by insights_speed.py --duckdb).

Exports every case with `pracha export --format parquet` (the open-data writer), loads it
into an in-memory DuckDB table, and asks the indicator questions there (exact quantiles).
Prints the export and load times (what keeping it fresh would cost) and p50/p95 per query.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

KEY = {
    "state": "state",
    "category": "category",
    "district": "district",
    "agency": "COALESCE(agency, 'unassigned')",
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def compare(params: list[dict[str, str]], today: date, repeat: int = 3) -> None:
    import duckdb

    from pracha.insights.opendata.export import as_parquet, selection
    from pracha.insights.store.query import Filters

    work = Path(tempfile.mkdtemp(prefix="pracha-duckdb-"))
    target = work / "cases.parquet"
    started = time.perf_counter()
    with target.open("wb") as fh:
        for chunk in as_parquet(selection(Filters())):
            fh.write(chunk)
    export_s = time.perf_counter() - started
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        f"""CREATE TABLE cases AS SELECT ticket_id, CAST(reported_at AS TIMESTAMPTZ) AS reported,
        state, status, district, agency, stars, reopen_count, me_too_count, forward_count,
        hours_to_close, categories FROM read_parquet('{target}')"""
    )
    con.execute(
        """CREATE TABLE case_categories AS SELECT ticket_id,
        UNNEST(CASE WHEN categories = '' THEN ['uncategorised']
                    ELSE string_split(categories, '|') END) AS category FROM cases"""
    )
    load_s = time.perf_counter() - started
    rows = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    print(f"\nDuckDB {__import__('duckdb').__version__} over an export: {rows:,} cases; "
          f"export to Parquet {export_s:.1f} s ({target.stat().st_size / 1e6:.0f} MB), "
          f"load {load_s:.1f} s")  # fmt: skip
    print(f"{'query':<34} {'duckdb p50':>11} {'duckdb p95':>11}")
    for by in ("state", "category", "district", "agency"):
        times = []
        for _ in range(repeat):
            for p in params:
                started = time.perf_counter()
                _query(con, by, p, today)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{'indicators by=' + by:<34} {statistics.median(times):>9.1f}ms "
              f"{_percentile(times, 0.95):>9.1f}ms")  # fmt: skip
    con.close()
    target.unlink()


def _query(con: Any, by: str, p: dict[str, str], today: date) -> list[tuple[Any, ...]]:
    first = date.fromisoformat(p["from"]) if p.get("from") else date(1970, 1, 1)
    last = date.fromisoformat(p["to"]) if p.get("to") else today
    per_category = by == "category" or "category" in p
    source = "cases c JOIN case_categories k USING (ticket_id)" if per_category else "cases c"
    where = ["c.reported >= ?::TIMESTAMPTZ", "c.reported < ?::TIMESTAMPTZ"]
    args: list[Any] = [f"{first}T00:00:00+07:00", f"{last + timedelta(days=1)}T00:00:00+07:00"]
    for name in ("district", "agency"):
        if name in p:
            where.append(f"c.{name} = ?")
            args.append(p[name])
    if "category" in p:
        where.append("k.category = ?")
        args.append(p["category"])
    key = "k.category" if by == "category" else f"c.{KEY[by]}" if by != "agency" else KEY[by]
    sql = f"""SELECT {key} AS key, COUNT(*), SUM(CASE WHEN c.status = 'open' THEN 1 ELSE 0 END),
        quantile_cont(c.hours_to_close, 0.5), quantile_cont(c.hours_to_close, 0.9),
        AVG(c.stars), SUM(c.me_too_count), SUM(c.forward_count),
        SUM(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END)
        FROM {source} WHERE {" AND ".join(where)} GROUP BY 1"""
    return con.execute(sql, args).fetchall()
