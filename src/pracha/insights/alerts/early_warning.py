"""Early warning: days with unusually many reports of one category, in one district or in the
whole city (flooding after heavy rain, stray animals or standing water as dengue risk, smoke).

Method, per series (category x district, and category x city) and day t:
1. Baseline: the counts of the 28 days before t (mean m, variance v). A series needs 28 days
   of history before it is tested.
2. Expected count: max(m, 0.5). If the days vary more than chance would (v > m) the count is
   modelled as negative binomial with that mean and variance; otherwise as Poisson.
3. Alert when P(count >= observed) < alpha (default 0.001) AND the count is at least
   `min_count` (default 5) AND at least twice the expected count. The last two keep tiny
   series (one report where there usually are none) from alerting.
The false-alarm rate on the real 2022 data is measured by `pracha early-warning --evaluate`
(early_warning_eval.py): days shuffled within each series keep its level and spread but
break any real outbreak, so every alert on them is false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import numpy as np
from django.db import connection, transaction

from pracha.insights.models import Alert
from pracha.insights.signals import alert_raised
from pracha.insights.store.cube import ALL_CATEGORIES, UNCATEGORISED

BASELINE_DAYS = 28
CITY = "*"


@dataclass(frozen=True)
class Settings:
    alpha: float = 0.001
    min_count: int = 5
    min_ratio: float = 2.0
    baseline_days: int = BASELINE_DAYS


def p_values(counts: np.ndarray, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """For every series (row) and day (column) with a full baseline: (p-value, expected).

    Days without a full baseline get p = 1.
    """
    series, days = counts.shape
    b = settings.baseline_days
    p = np.ones((series, days))
    expected = np.zeros((series, days))
    if days <= b:
        return p, expected
    x = counts.astype(float)
    csum = np.concatenate([np.zeros((series, 1)), np.cumsum(x, axis=1)], axis=1)
    csq = np.concatenate([np.zeros((series, 1)), np.cumsum(x * x, axis=1)], axis=1)
    total = csum[:, b:days] - csum[:, 0 : days - b]
    squares = csq[:, b:days] - csq[:, 0 : days - b]
    mean = total / b
    var = np.maximum(0.0, (squares - b * mean * mean) / (b - 1))
    # scipy.stats takes 0.7 s to import; every process (server, each command, `pracha help`)
    # loads this module through the alert receivers, and few of them ever score a day.
    from scipy import stats

    lam = np.maximum(mean, 0.5)
    observed = x[:, b:]
    over = var > lam
    sf = np.empty_like(lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = lam * lam / np.where(over, var - lam, 1.0)
        prob = size / (size + lam)
        sf[over] = stats.nbinom.sf(observed[over] - 1, size[over], prob[over])
    sf[~over] = stats.poisson.sf(observed[~over] - 1, lam[~over])
    p[:, b:] = sf
    expected[:, b:] = lam
    return p, expected


def alerts_in(counts: np.ndarray, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boolean alerts per series and day, with the p-values and expected counts."""
    p, expected = p_values(counts, settings)
    flagged = (
        (p < settings.alpha)
        & (counts >= settings.min_count)
        & (counts >= settings.min_ratio * np.maximum(expected, 1e-9))
        & (expected > 0)
    )
    return flagged, p, expected


def daily_counts(first: date, last: date) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Reports per (category, district) and (category, city) per day, from the facts."""
    days = (last - first).days + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category, district, day, COUNT(*) FROM insights_casefact "
            "WHERE category NOT IN (%s, %s) AND day BETWEEN %s AND %s "
            "GROUP BY category, district, day",
            [ALL_CATEGORIES, UNCATEGORISED, first.toordinal(), last.toordinal()],
        )
        rows = cursor.fetchall()
    return counts_matrix(((c, d, day, n) for c, d, day, n in rows), first.toordinal(), days)


def counts_matrix(rows: Any, first_day: int, days: int) -> tuple[list[tuple[str, str]], np.ndarray]:
    """(category, district, day number, count) rows -> series keys and a count matrix; every
    category also gets a city-wide series."""
    index: dict[tuple[str, str], int] = {}
    cells: list[tuple[int, int, int]] = []
    for category, district, day, n in rows:
        column = day - first_day
        if not 0 <= column < days:
            continue
        for key in ((category, district or ""), (category, CITY)):
            row = index.setdefault(key, len(index))
            cells.append((row, column, n))
    matrix = np.zeros((len(index), days), dtype=np.int64)
    for row, column, n in cells:
        matrix[row, column] += n
    keys = sorted(index, key=index.__getitem__)
    return keys, matrix


def detect(day: date, settings: Settings | None = None) -> list[Alert]:
    """Unusual counts on `day`; new alerts are stored and announced (webhooks) on commit."""
    settings = settings or Settings()
    first = day - timedelta(days=settings.baseline_days)
    keys, counts = daily_counts(first, day)
    if not keys:
        return []
    flagged, p, expected = alerts_in(counts, settings)
    found = []
    with transaction.atomic():
        for row in np.flatnonzero(flagged[:, -1]):
            category, district = keys[row]
            alert, created = Alert.objects.get_or_create(
                day=day,
                category=category,
                district=district,
                defaults={
                    "observed": int(counts[row, -1]),
                    "expected": round(float(expected[row, -1]), 2),
                    "p_value": float(p[row, -1]),
                },
            )
            found.append(alert)
            if created:
                transaction.on_commit(partial(announce, alert))
    return found


def alert_payload(alert: Alert) -> dict[str, Any]:
    return {
        "type": "pracha.insights.alert",
        "day": alert.day.isoformat(),
        "category": alert.category,
        "district": None if alert.district == CITY else alert.district,
        "observed": alert.observed,
        "expected": alert.expected,
        "p_value": alert.p_value,
    }


def announce(alert: Alert) -> None:
    alert_raised.send(sender=Alert, alert=alert, payload=alert_payload(alert))
