"""Generate a synthetic city of N cases (and their events) into a separate benchmark database.

    .venv/bin/python bench/insights_generate.py --cases 1000000 \
        --database sqlite:////tmp/pracha-bench/bench.sqlite3
    .venv/bin/python bench/insights_generate.py --cases 1000000 \
        --database postgres://postgres@127.0.0.1:5432/pracha_bench

The database is dropped and created again (it must not be the one you work in: its name must
contain "bench"). Distributions come from the shipped real data (bench/insights_city.py).
Rows go in with COPY on PostgreSQL and executemany on SQLite; then the derived tables are
built with `pracha insights rebuild`, and the time each step took is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

CHUNK = 50_000


def setup(url: str) -> None:
    """Point Django at a fresh benchmark database and migrate it."""
    if "bench" not in url:
        sys.exit("refusing: the benchmark database's name must contain 'bench'")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PRACHA_VAR_DIR", "/tmp/pracha-bench/var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


class Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, model: Any, given: Sequence[str]) -> None:
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if f.column != "id" or "id" in given]
        self.columns = [f.column for f in fields]
        self.given = list(given)
        defaults = {}
        for f in fields:
            if f.column not in given:
                value = f.get_default()
                defaults[f.column] = value
        self.defaults = defaults
        self.order = [(c, c in given) for c in self.columns]
        self.datetime_columns = {
            f.column for f in fields if f.get_internal_type() == "DateTimeField"
        }

    def rows(self, values: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        out = []
        sqlite = self.connection.vendor == "sqlite"
        adapt = self.connection.ops.adapt_datetimefield_value
        for value in values:
            row = []
            for column, given in self.order:
                item = value[column] if given else self.defaults[column]
                if sqlite and column in self.datetime_columns and item is not None:
                    item = adapt(item)
                elif sqlite and isinstance(item, bool):
                    item = int(item)
                row.append(item)
            out.append(tuple(row))
        return out

    def write(self, values: list[dict[str, Any]]) -> None:
        rows = self.rows(values)
        names = ", ".join(f'"{c}"' for c in self.columns)
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            raw.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', rows)


def agencies_for(city: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Create the agencies; name -> id, and the Bangkok city agency's id under 'bma'."""
    from pracha.agencies.models import Agency
    from pracha.agencies.services import get_or_create_agency

    cache: dict[str, Any] = {}
    names = {name for pairs in city.local_agencies.values() for name, _ in pairs}
    names |= {name for name, _ in city.citywide_agencies} | set(city.forward_targets)
    ids = {}
    for name in sorted(names):
        try:
            ids[name] = get_or_create_agency(name, cache).pk
        except Exception:
            continue
    bma = Agency.objects.filter(code="bma").values_list("pk", flat=True).first()
    return ids, {"bma": bma or next(iter(ids.values()))}


def generate(city: Any, n: int, seed: int, agency_ids: dict[str, int]) -> Iterator[tuple]:
    """Chunks of (cases, category links, events), as dicts of column -> value."""
    from insights_city import BANGKOK, days_back, hop_counts, time_to_close_hours
    from pracha.cases.models import Category
    from pracha.states import State

    rng = np.random.default_rng(seed)
    category_ids = dict(Category.objects.values_list("code", "pk"))
    now = datetime.now(tz=BANGKOK).replace(microsecond=0)
    span = days_back(n, city.per_day)
    start = (now - timedelta(days=span)).replace(hour=0, minute=0, second=0)
    local = {
        d: (
            [agency_ids[a] for a, _ in pairs if a in agency_ids],
            [c for a, c in pairs if a in agency_ids],
        )
        for d, pairs in city.local_agencies.items()
    }
    wide = [(agency_ids[a], c) for a, c in city.citywide_agencies if a in agency_ids]
    wide_ids = np.asarray([a for a, _ in wide])
    wide_p = np.asarray([c for _, c in wide], dtype=float)
    wide_p /= wide_p.sum()
    targets = [agency_ids[a] for a in city.forward_targets if a in agency_ids]
    target_p = np.asarray(
        [
            p
            for a, p in zip(city.forward_targets, city.forward_target_p, strict=True)
            if a in agency_ids
        ]
    )
    target_p /= target_p.sum()
    from pracha.thaitext import normalise_district

    district_of = {d: normalise_district(d or "") for d in set(city.districts)}
    # Report days follow the real weekday pattern, in time order like real ticket ids.
    weekday = np.asarray([(start + timedelta(days=d)).weekday() for d in range(span)])
    day_p = city.weekday_p[weekday]
    all_days = np.sort(rng.choice(span, n, p=day_p / day_p.sum()))
    case_id = event_id = link_id = 0
    for offset in range(0, n, CHUNK):
        size = min(CHUNK, n - offset)
        pick = rng.integers(0, len(city.labels), size)
        days = all_days[offset : offset + size]
        hours = rng.choice(24, size, p=city.hour_p) + rng.random(size)
        ttc = time_to_close_hours(city, rng, size)
        irrelevant = rng.random(size) < city.irrelevant_share
        open_state = rng.choice(len(city.open_states), size, p=city.open_state_p)
        rated = rng.random(size) < city.rated_share
        stars = rng.choice(5, size, p=city.stars_p) + 1
        reopen = city.reopen_values[rng.choice(len(city.reopen_values), size, p=city.reopen_p)]
        me_too = rng.poisson(0.05, size)
        hops = hop_counts(city, rng, size)
        local_pick = rng.random(size) < city.local_share
        wide_pick = rng.choice(len(wide_ids), size, p=wide_p)
        jitter = rng.normal(0, 0.0003, (size, 2))
        cases, links, events = [], [], []
        for i in range(size):
            case_id += 1
            row = pick[i]
            created = start + timedelta(days=int(days[i]), hours=float(hours[i]))
            if created > now:
                created = now - timedelta(minutes=1 + i % 600)
            age_hours = (now - created).total_seconds() / 3600
            closed = ttc[i] <= age_hours
            closed_at = created + timedelta(hours=float(ttc[i])) if closed else None
            if closed:
                state = State.IRRELEVANT if irrelevant[i] else State.DONE
            else:
                state = city.open_states[open_state[i]]
            district = district_of[city.districts[row]]
            holders = local.get(district)
            if local_pick[i] and holders and holders[0]:
                weights = np.asarray(holders[1], dtype=float)
                first = holders[0][int(rng.choice(len(holders[0]), p=weights / weights.sum()))]
            else:
                first = int(wide_ids[wide_pick[i]])
            chain = [first]
            for _hop in range(int(hops[i])):
                if len(chain) >= 2 and rng.random() < 0.3:
                    chain.append(chain[-2])  # bounced back
                else:
                    nxt = int(targets[int(rng.choice(len(targets), p=target_p))])
                    chain.append(nxt if nxt != chain[-1] else first)
            if not closed and hops[i] and rng.random() < 0.5:
                state = State.FORWARDED
            agency = chain[-1]
            star = int(stars[i]) if closed and rated[i] else None
            end = closed_at or now
            span_h = (end - created).total_seconds() / 3600
            cases.append(
                {
                    "id": case_id,
                    "ticket_id": f"B{case_id:08d}",
                    "description": city.texts[row],
                    "lat": float(city.lat[row] + jitter[i, 0]),
                    "lon": float(city.lon[row] + jitter[i, 1]),
                    "district": district,
                    "province": "กรุงเทพมหานคร",
                    "state": state,
                    "agency_id": agency,
                    "stars": star,
                    "rated_at": end + timedelta(hours=1) if star else None,
                    "reopen_count": int(reopen[i]),
                    "me_too_count": int(me_too[i]),
                    "forward_count": len(chain) - 1,
                    "source": "traffy",
                    "created_at": created,
                    "updated_at": end,
                    "closed_at": closed_at,
                }
            )
            for code in city.labels[row]:
                if code in category_ids:
                    link_id += 1
                    links.append(
                        {"id": link_id, "case_id": case_id, "category_id": category_ids[code]}
                    )

            def event(kind: str, at: datetime, **fields: Any) -> None:
                nonlocal event_id
                event_id += 1
                events.append(event_row(event_id, case_id, kind, at, fields))  # noqa: B023

            event("created", created, to_state=State.WAITING, to_agency_id=first)
            for j in range(1, len(chain)):
                at = created + timedelta(hours=span_h * j / (len(chain) + 1) * 0.5)
                event(
                    "forwarded",
                    at,
                    agency_id=chain[j - 1],
                    to_state=State.FORWARDED,
                    from_agency_id=chain[j - 1],
                    to_agency_id=chain[j],
                    note="ส่งต่อ",
                )
            if state not in (State.WAITING, State.FORWARDED):
                event(
                    "accepted",
                    created + timedelta(hours=span_h * 0.6),
                    agency_id=agency,
                    from_state=State.WAITING,
                    to_state=State.ACCEPTED,
                )
                work = State.IN_PROGRESS if closed else state
                if work != State.ACCEPTED:
                    event(
                        "state_changed",
                        created + timedelta(hours=span_h * 0.7),
                        agency_id=agency,
                        from_state=State.ACCEPTED,
                        to_state=work,
                    )
            if closed:
                event(
                    "closed",
                    closed_at,
                    agency_id=agency,
                    from_state=State.IN_PROGRESS,
                    to_state=state,
                )
            if star:
                event("rated", end + timedelta(hours=1), stars=star)
        yield cases, links, events


def event_row(
    event_id: int, case_id: int, kind: str, at: datetime, fields: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": event_id,
        "case_id": case_id,
        "kind": kind,
        "at": at,
        "actor_label": "Traffy Fondue",
        "agency_id": fields.get("agency_id"),
        "from_state": fields.get("from_state", ""),
        "to_state": fields.get("to_state", ""),
        "from_agency_id": fields.get("from_agency_id"),
        "to_agency_id": fields.get("to_agency_id"),
        "note": fields.get("note", ""),
        "is_public": True,
        "stars": fields.get("stars"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", required=True, help="sqlite:////path or postgres://...")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--learn-limit", type=int, default=None, help="read fewer 2022 rows")
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    setup(args.database)
    from django.db import connection, transaction

    from insights_city import learn
    from pracha.cases.models import Case, Event
    from pracha.insights.store.rebuild import rebuild

    t = time.perf_counter()
    city = learn(args.learn_limit)
    print(
        f"learned distributions from data/traffy ({len(city.labels):,} real tickets): "
        f"{time.perf_counter() - t:.1f} s"
    )
    print(
        f"  {city.per_day:.0f} reports/day, {city.forwarded_share:.0%} forwarded, "
        f"{city.rated_share:.0%} of closed rated, S(24h)={city.survival[24]:.2f}, "
        f"S(30d)={city.survival[24 * 30]:.2f}, S(200d)={city.survival[-1]:.2f}"
    )
    agency_ids, _ = agencies_for(city)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    writers = {
        "cases": Writer(
            Case,
            [
                "id",
                "ticket_id",
                "description",
                "lat",
                "lon",
                "district",
                "province",
                "state",
                "agency_id",
                "stars",
                "rated_at",
                "reopen_count",
                "me_too_count",
                "forward_count",
                "source",
                "created_at",
                "updated_at",
                "closed_at",
            ],
        ),
        "links": Writer(Case.categories.through, ["id", "case_id", "category_id"]),
        "events": Writer(
            Event,
            [
                "id",
                "case_id",
                "kind",
                "at",
                "actor_label",
                "agency_id",
                "from_state",
                "to_state",
                "from_agency_id",
                "to_agency_id",
                "note",
                "is_public",
                "stars",
            ],
        ),
    }
    t = time.perf_counter()
    totals = {"cases": 0, "links": 0, "events": 0}
    for cases, links, events in generate(city, args.cases, args.seed, agency_ids):
        with transaction.atomic():
            writers["cases"].write(cases)
            writers["links"].write(links)
            writers["events"].write(events)
        totals["cases"] += len(cases)
        totals["links"] += len(links)
        totals["events"] += len(events)
        print(f"  {totals['cases']:,} cases written", flush=True)
    seconds = time.perf_counter() - t
    print(
        f"wrote {totals['cases']:,} cases, {totals['links']:,} category links, "
        f"{totals['events']:,} events in {seconds:.1f} s ({totals['cases'] / seconds:,.0f} cases/s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("cases_case", "cases_case_categories", "cases_event"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
                cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not args.no_rebuild:
        t = time.perf_counter()
        steps = rebuild(progress=lambda m: print(f"  rebuild {m}", flush=True))
        print(
            f"rebuilt the derived tables in {time.perf_counter() - t:.1f} s: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
        )
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
