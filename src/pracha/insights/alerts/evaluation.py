"""How often early warning cries wolf, measured on real data (`pracha early-warning --evaluate`).

- Alert rate on the real series: alerts per series-day tested (real spikes included).
- False-alarm rate: the same detector on a quiet version of each real series: its days
  capped at the series' 98th percentile (removing the outbreak days themselves) and then
  shuffled (level, spread and zeros kept; any run of high days broken up), averaged over
  several shuffles. Every alert there is false by construction. The alert rate on the real
  series is an upper bound for the false-alarm rate (it includes the real events).
- Detection rate: spikes added to random days of real series (2x, 3x and 5x the day's
  expected count, at least min_count) and whether they are caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from pracha.importer.load import codes_for
from pracha.insights.alerts.early_warning import Settings, alerts_in, counts_matrix
from pracha.insights.store.cube import ALL_CATEGORIES, UNCATEGORISED
from pracha.insights.store.facts import local_day
from pracha.traffy.formats import Record
from pracha.traffy.reader import TraffyFile


@dataclass
class Evaluation:
    series: int
    days: int
    tested: int
    real_alerts: int
    null_alerts: float
    null_tested: int
    detection: dict[float, float]
    top: list[tuple[str, str, date, int, float, float]]

    @property
    def alert_rate(self) -> float:
        return self.real_alerts / self.tested if self.tested else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.null_alerts / self.null_tested if self.null_tested else 0.0


def rows_from_file(path: Path) -> Iterator[tuple[str, str, int, int]]:
    """(category, district, local day number, 1) per category of each ticket in a Traffy file."""
    with TraffyFile(path) as source:
        for item in source:
            if isinstance(item, Record):
                day = local_day(item.created_at)
                for code in codes_for(item.labels):
                    yield code, item.district, day, 1


def rows_from_db() -> Iterator[tuple[str, str, int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category, district, day, COUNT(*) FROM insights_casefact "
            "WHERE category NOT IN (%s, %s) GROUP BY category, district, day",
            [ALL_CATEGORIES, UNCATEGORISED],
        )
        yield from cursor.fetchall()


def evaluate(
    rows: list[tuple[str, str, int, int]], settings: Settings, shuffles: int = 5, seed: int = 1
) -> Evaluation:
    first = min(r[2] for r in rows)
    last = max(r[2] for r in rows)
    keys, counts = counts_matrix(rows, first, last - first + 1)
    flagged, p, expected = alerts_in(counts, settings)
    tested = counts.shape[0] * max(0, counts.shape[1] - settings.baseline_days)
    rng = np.random.default_rng(seed)
    null_alerts = 0
    cap = np.percentile(counts, 98, axis=1, method="higher")[:, np.newaxis]
    quiet = np.minimum(counts, cap)
    for _ in range(shuffles):
        shuffled = rng.permuted(quiet, axis=1)
        null_alerts += int(alerts_in(shuffled, settings)[0].sum())
    detection: dict[float, float] = {}
    b = settings.baseline_days
    live = np.argwhere(expected[:, b:] >= 1.0)
    picks: np.ndarray | list[np.ndarray] = (
        live[rng.choice(len(live), size=min(2000, len(live)), replace=False)] if len(live) else []
    )
    for factor in (2.0, 3.0, 5.0):
        caught = 0
        for series, column in picks:
            column = column + b
            spiked = counts[series].copy()
            extra = max(settings.min_count, int(np.ceil(factor * expected[series, column])))
            spiked[column] = extra
            hit, _, _ = alerts_in(spiked[np.newaxis, :], settings)
            caught += bool(hit[0, column])
        detection[factor] = caught / len(picks) if len(picks) else 0.0
    top = []
    for series, column in sorted(np.argwhere(flagged), key=lambda sc: p[sc[0], sc[1]])[:15]:
        category, district = keys[series]
        top.append(
            (
                category,
                district,
                date.fromordinal(first + int(column)),
                int(counts[series, column]),
                float(expected[series, column]),
                float(p[series, column]),
            )
        )
    return Evaluation(
        series=len(keys),
        days=counts.shape[1],
        tested=tested,
        real_alerts=int(flagged.sum()),
        null_alerts=null_alerts / shuffles,
        null_tested=tested,
        detection=detection,
        top=top,
    )
