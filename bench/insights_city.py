"""A synthetic Bangkok for the insights benchmark, drawn from the real shipped data.

What comes from which file (data/traffy/):
- category label sets, district, place (lon/lat) and text: whole real 2022 tickets, resampled
  jointly (so places keep their kinds of problems), places jittered by ~30 m;
- hour of day and day of week of reports, stars given, reopen counts, the mix of open states,
  the share closed as irrelevant: the 2022 dump;
- time to close: a survival curve. The first 48 hours from the 2023 scrapes (Kaplan-Meier:
  closed tickets give a time, open ones are censored at the scrape); from 2 days to 200 days
  from the 2022 dump (the share still open by age at the scrape). Beyond 200 days: assumed
  exponential with a one-year mean (the 2024 waiting queue holds tickets years old);
- who holds a case: district offices and units (named after the ticket's district) or
  city-wide agencies, weighted as in data/agencies/ (the December 2024 waiting queue);
- forwarding: the share forwarded and the agencies forwarded to, from the 2023 API CSV.
Assumptions (no data): 20% of forwarded cases are forwarded again and 7% a third time, a
later hop goes back to an earlier holder 30% of the time; "me too" ~ Poisson(0.05).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TRAFFY = ROOT / "data" / "traffy"
DUMP_2022 = TRAFFY / "bangkok_traffy_2022-05-29_2022-12-18.csv.gz"
SCRAPES_2023 = [
    *sorted(TRAFFY.glob("teamchadchart_2023-*.csv")),
    TRAFFY / "fondue_2023-05-14_2023-05-16.csv",
]
API_2023 = TRAFFY / "fondue_2023-05-14_2023-05-16.csv"
AGENCY_COUNTS = ROOT / "data" / "agencies" / "agencies_pending_counts_2024-12-09.csv"
CHANNELS = {"เพื่อนชัชชาติ", "กรุงเทพโปร่งใส", "Traffy Fondue", "ร้องทุกข์ กทม. 1555"}
LATE_DAYS = 200
TAIL_MEAN_DAYS = 365.0
BANGKOK = ZoneInfo("Asia/Bangkok")


@dataclass
class City:
    labels: list[tuple[str, ...]] = field(default_factory=list)  # category codes
    districts: list[str] = field(default_factory=list)
    lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lon: np.ndarray = field(default_factory=lambda: np.zeros(0))
    texts: list[str] = field(default_factory=list)
    hour_p: np.ndarray = field(default_factory=lambda: np.ones(24) / 24)
    weekday_p: np.ndarray = field(default_factory=lambda: np.ones(7) / 7)
    stars_p: np.ndarray = field(default_factory=lambda: np.ones(5) / 5)
    rated_share: float = 0.5
    reopen_values: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=int))
    reopen_p: np.ndarray = field(default_factory=lambda: np.ones(1))
    open_states: list[str] = field(default_factory=list)
    open_state_p: np.ndarray = field(default_factory=lambda: np.ones(1))
    irrelevant_share: float = 0.01
    survival_hours: np.ndarray = field(default_factory=lambda: np.zeros(0))
    survival: np.ndarray = field(default_factory=lambda: np.zeros(0))
    forwarded_share: float = 0.25
    forward_targets: list[str] = field(default_factory=list)
    forward_target_p: np.ndarray = field(default_factory=lambda: np.ones(1))
    local_agencies: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    citywide_agencies: list[tuple[str, int]] = field(default_factory=list)
    local_share: float = 0.7
    per_day: float = 900.0


def _codes(labels: tuple[str, ...]) -> tuple[str, ...]:
    from pracha.importer.load import codes_for

    return codes_for(labels)


def _records(path: Path):
    from pracha.traffy.formats import Record
    from pracha.traffy.reader import TraffyFile

    with TraffyFile(path) as source:
        for item in source:
            if isinstance(item, Record):
                yield item


def kaplan_meier(durations: list[float], observed: list[bool], grid: np.ndarray) -> np.ndarray:
    order = np.argsort(durations)
    times = np.asarray(durations)[order]
    events = np.asarray(observed)[order]
    at_risk = len(times)
    s, curve_t, curve_s = 1.0, [0.0], [1.0]
    for t, event in zip(times, events, strict=True):
        if event:
            s *= 1 - 1 / at_risk
            curve_t.append(t)
            curve_s.append(s)
        at_risk -= 1
    index = np.searchsorted(curve_t, grid, side="right") - 1
    return np.asarray(curve_s)[index]


def learn(limit_2022: int | None = None) -> City:
    """Read the shipped files and return the distributions (takes ~30 s for the 2022 dump)."""
    from pracha.states import CLOSED_STATES

    city = City()
    hours, weekdays, stars, reopens, open_states = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
    )
    closed = irrelevant = 0
    lat, lon, ages, still_open = [], [], [], []
    latest = None
    for n, record in enumerate(_records(DUMP_2022)):
        if limit_2022 is not None and n >= limit_2022:
            break
        if record.lat is None or record.lon is None:
            continue
        city.labels.append(_codes(record.labels))
        city.districts.append(record.district)
        lat.append(record.lat)
        lon.append(record.lon)
        city.texts.append(record.description[:400])
        local = record.created_at.astimezone(BANGKOK)
        hours[local.hour] += 1
        weekdays[local.weekday()] += 1
        reopens[record.reopen_count] += 1
        if record.state in CLOSED_STATES:
            closed += 1
            irrelevant += record.state == "irrelevant"
            if record.stars:
                stars[record.stars] += 1
        else:
            open_states[record.state] += 1
        latest = record.created_at if latest is None else max(latest, record.created_at)
        ages.append(record.created_at)
        still_open.append(record.state not in CLOSED_STATES)
    city.lat, city.lon = np.asarray(lat), np.asarray(lon)
    city.hour_p = _p([hours[h] for h in range(24)])
    city.weekday_p = _p([weekdays[d] for d in range(7)])
    city.stars_p = _p([stars[s] for s in range(1, 6)])
    city.rated_share = sum(stars.values()) / max(1, closed)
    city.reopen_values = np.asarray(sorted(reopens))
    city.reopen_p = _p([reopens[v] for v in city.reopen_values])
    city.open_states = sorted(open_states)
    city.open_state_p = _p([open_states[s] for s in city.open_states])
    city.irrelevant_share = irrelevant / max(1, closed)
    days = (max(ages) - min(ages)).days + 1
    city.per_day = len(ages) / days
    assert latest is not None
    city.survival_hours, city.survival = _survival(ages, still_open, latest)
    _forwarding(city)
    _agencies(city)
    return city


def _p(counts: list[int]) -> np.ndarray:
    values = np.asarray(counts, dtype=float) + 1e-9
    return values / values.sum()


def _survival(
    created: list[datetime], still_open: list[bool], scrape: datetime
) -> tuple[np.ndarray, np.ndarray]:
    """S(t) on an hourly grid to 200 days: 2023 Kaplan-Meier to 48 h, 2022 open share after."""
    from pracha.states import CLOSED_STATES

    durations, observed = [], []
    for path in SCRAPES_2023:
        records = list(_records(path))
        end = max(r.updated_at for r in records)
        for r in records:
            if r.state in CLOSED_STATES and r.closed_at:
                durations.append(max(0.0, (r.closed_at - r.created_at).total_seconds() / 3600))
                observed.append(True)
            else:
                durations.append(max(0.0, (end - r.created_at).total_seconds() / 3600))
                observed.append(False)
    grid = np.arange(0, LATE_DAYS * 24 + 1, dtype=float)
    early = kaplan_meier(durations, observed, grid[grid <= 48])
    # 2022: share still open among tickets of each age (days) at the scrape.
    age_days = np.asarray([(scrape - c).total_seconds() / 86400 for c in created])
    flags = np.asarray(still_open, dtype=float)
    late = np.ones(LATE_DAYS + 1)
    for day in range(2, LATE_DAYS + 1):
        window = (age_days >= day - 3) & (age_days < day + 4)
        if window.sum() >= 50:
            late[day] = flags[window].mean()
        else:
            late[day] = late[day - 1]
    late = np.minimum.accumulate(late)  # a survival curve never rises
    scale = early[-1] / late[2] if late[2] > 0 else 1.0
    late_hourly = np.interp(grid[grid > 48] / 24, np.arange(LATE_DAYS + 1), late) * min(1.0, scale)
    curve = np.minimum.accumulate(np.concatenate([early, late_hourly]))
    return grid, curve


def _forwarding(city: City) -> None:
    from pracha.importer.holders import forwards_in

    records = list(_records(API_2023))
    targets: Counter[str] = Counter()
    forwarded = 0
    for record in records:
        pairs = forwards_in(record.note)
        forwarded += bool(pairs)
        for _source, target in pairs:
            targets[target] += 1
    city.forwarded_share = forwarded / max(1, len(records))
    city.forward_targets = [name for name, _ in targets.most_common()]
    city.forward_target_p = _p([targets[name] for name in city.forward_targets])


def _agencies(city: City) -> None:
    from pracha.thaitext import normalise_district

    districts = {normalise_district(d) for d in city.districts if d}
    local: dict[str, list[tuple[str, int]]] = {d: [(f"เขต{d}", 1)] for d in districts}
    citywide: list[tuple[str, int]] = []
    local_total = city_total = 0
    with AGENCY_COUNTS.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name, count = row["Agency"].strip(), int(row["count"])
            if not name or name in CHANNELS:
                continue
            home = next((d for d in districts if f"เขต{d}" in name.replace(" ", "")), None)
            if home:
                local[home].append((name, count))
                local_total += count
            else:
                citywide.append((name, count))
                city_total += count
    city.local_agencies = local
    city.citywide_agencies = citywide
    city.local_share = local_total / max(1, local_total + city_total)


def time_to_close_hours(city: City, rng: np.random.Generator, n: int) -> np.ndarray:
    """Draws from the survival curve: T with P(T > t) = S(t); beyond the curve, exponential."""
    u = rng.random(n)
    s = city.survival
    # S is non-increasing: the first grid point where S(t) <= u.
    index = np.searchsorted(-s, -u, side="left")
    inside = index < len(s)
    hours = np.empty(n)
    hours[inside] = city.survival_hours[np.minimum(index[inside], len(s) - 1)]
    hours[inside] += rng.random(inside.sum())  # spread within the hour
    tail = ~inside
    hours[tail] = city.survival_hours[-1] + rng.exponential(TAIL_MEAN_DAYS * 24, tail.sum())
    return hours


def days_back(n_cases: int, per_day: float) -> int:
    return max(30, round(n_cases / per_day))


def hop_counts(city: City, rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.random(n) < city.forwarded_share
    second = first & (rng.random(n) < 0.20)
    third = second & (rng.random(n) < 0.35)  # 7% of forwarded overall
    return first.astype(int) + second + third
