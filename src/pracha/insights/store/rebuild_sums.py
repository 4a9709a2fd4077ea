"""The rollup and hotspot sums of a full rebuild, computed with numpy from the fact columns.

Each cuboid and grain is one pass: the kept dimensions and the period are packed into one
integer key, `np.unique` groups the facts, `np.bincount` sums every metric per group (exact:
every sum stays far below 2**53), and the histogram is a bincount of group*64+bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import h3.api.basic_int as h3
import numpy as np

from pracha.insights.store.cube import AGENCY, ALL_CATEGORIES, CATEGORY, CUBOIDS, DISTRICT, STATE
from pracha.insights.store.deltas import HOTSPOT_GRAINS, HOTSPOT_RESOLUTIONS
from pracha.insights.store.metrics import BUCKETS, COUNT_COLUMNS

GRAIN_FIELD = {1: "day", 2: "block", 3: "month", 4: "year", 5: "quarter"}
INT_FIELDS = (
    "category", "district", "agency", "state", "is_open", "day", "block", "month", "year",
    "created_epoch", "close_seconds", "bucket", "within_target", "reopened", "reopen_events",
    "stars", "me_too", "forwards", "cell9", "quarter",
)  # fmt: skip


@dataclass
class FactColumns:
    """Fact columns as integer arrays; strings are numbered through the lookup lists."""

    categories: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    agencies: list[int] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    parts: dict[str, list[np.ndarray]] = field(default_factory=lambda: {f: [] for f in INT_FIELDS})
    columns: dict[str, np.ndarray] = field(default_factory=dict)

    def _number(self, values: list[object], table: list[Any]) -> np.ndarray:
        index = {v: i for i, v in enumerate(table)}
        out = np.empty(len(values), dtype=np.int64)
        for i, value in enumerate(values):
            number = index.get(value)
            if number is None:
                number = index[value] = len(table)
                table.append(value)
            out[i] = number
        return out

    def add(self, rows: list[tuple[object, ...]]) -> None:
        """Rows in facts.FACT_COLUMNS order."""
        if not rows:
            return
        cols = list(zip(*rows, strict=True))
        self.parts["category"].append(self._number(list(cols[1]), self.categories))
        self.parts["district"].append(self._number(list(cols[2]), self.districts))
        self.parts["agency"].append(self._number(list(cols[3]), self.agencies))
        self.parts["state"].append(self._number(list(cols[4]), self.states))
        plain = {
            "is_open": 5, "day": 6, "block": 7, "month": 8, "year": 9, "created_epoch": 10,
            "within_target": 13, "reopened": 14, "reopen_events": 15, "me_too": 17,
            "forwards": 18, "quarter": 21,
        }  # fmt: skip
        for name, index in plain.items():
            self.parts[name].append(np.asarray(cols[index], dtype=np.int64))
        for name, index, missing in (
            ("close_seconds", 11, 0),
            ("bucket", 12, -1),
            ("stars", 16, 0),
            ("cell9", 19, 0),
        ):
            values = [missing if v is None else v for v in cols[index]]
            self.parts[name].append(np.asarray(values, dtype=np.int64))

    def finish(self) -> None:
        for name, parts in self.parts.items():
            self.columns[name] = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        self.parts = {}


def group_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of non-negative integer columns and each row's group number.

    The columns are packed into one int64 key when they fit in 63 bits (np.unique on one
    integer column is many times faster than on rows); otherwise rows are compared as such.
    """
    lows = [int(c.min()) if len(c) else 0 for c in columns]
    widths = [max(1, int(int(c.max()) - low).bit_length()) if len(c) else 1
              for c, low in zip(columns, lows, strict=True)]  # fmt: skip
    if sum(widths) > 63:
        unique, groups = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        return unique, groups.reshape(-1)
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, low, width in zip(columns, lows, widths, strict=True):
        key = (key << width) | (column - low)
    codes, groups = np.unique(key, return_inverse=True)
    unique = np.empty((len(codes), len(columns)), dtype=np.int64)
    for index in range(len(columns) - 1, -1, -1):
        width = widths[index]
        unique[:, index] = (codes & ((1 << width) - 1)) + lows[index]
        codes = codes >> width
    return unique, groups.reshape(-1)


def _sums(f: dict[str, np.ndarray], groups: np.ndarray, n: int) -> list[np.ndarray]:
    """COUNT_COLUMNS then the histogram, per group: arrays of length n (int64)."""
    open_ = f["is_open"]
    rated = (f["stars"] > 0).astype(np.int64)
    forwards = f["forwards"]
    weights = {
        "reported": None,
        "open": open_,
        "open_epoch": open_ * f["created_epoch"],
        "close_seconds": f["close_seconds"],
        "within_target": f["within_target"],
        "reopened": f["reopened"],
        "reopened_open": f["reopened"] * open_,
        "reopen_events": f["reopen_events"],
        "stars_sum": f["stars"],
        "stars_sq": f["stars"] * f["stars"],
        "ratings": rated,
        "me_too": f["me_too"],
        "forwards": forwards,
        "hop1": (forwards == 1).astype(np.int64),
        "hop2": (forwards == 2).astype(np.int64),
        "hop3": (forwards == 3).astype(np.int64),
        "hop4": (forwards >= 4).astype(np.int64),
    }
    out = []
    for name in COUNT_COLUMNS:
        w = weights[name]
        if w is None:
            out.append(np.bincount(groups, minlength=n).astype(np.int64))
        else:
            out.append(np.rint(np.bincount(groups, weights=w, minlength=n)).astype(np.int64))
    timed = f["bucket"] >= 0
    hist = np.bincount(groups[timed] * BUCKETS + f["bucket"][timed], minlength=n * BUCKETS).reshape(
        n, BUCKETS
    )
    out.extend(hist[:, i] for i in range(BUCKETS))
    return out


def rollup_rows(facts: FactColumns, batch: int = 20_000) -> Iterator[list[tuple[object, ...]]]:
    """Batches of insights_rollup rows: key columns, then metrics.METRIC_COLUMNS."""
    c = facts.columns
    if not len(c.get("day", ())):
        return
    whole = c["category"] == facts.categories.index(ALL_CATEGORIES)
    for cuboid in CUBOIDS:
        mask = ~whole if cuboid.per_category else whole
        sub = {name: values[mask] for name, values in c.items()}
        if not len(sub["day"]):
            continue
        dims = cuboid.dims
        zero = np.zeros_like(sub["day"])
        parts = [
            sub["category"] if CATEGORY in dims else zero,
            sub["district"] if DISTRICT in dims else zero,
            sub["agency"] if AGENCY in dims else zero,
            sub["state"] if STATE in dims else zero,
        ]
        for grain in cuboid.grains:
            unique, groups = group_rows([sub[GRAIN_FIELD[grain]], *parts])
            matrix = np.column_stack(_sums(sub, groups, len(unique)))
            for start in range(0, len(unique), batch):
                rows = []
                sums = matrix[start : start + batch].tolist()
                for key, values in zip(unique[start : start + batch].tolist(), sums, strict=True):
                    period, cat, dist, agency, state = key
                    rows.append(
                        (
                            cuboid.code,
                            grain,
                            period,
                            facts.categories[cat] if CATEGORY in dims else "",
                            facts.districts[dist] if DISTRICT in dims else "",
                            facts.agencies[agency] if AGENCY in dims else 0,
                            facts.states[state] if STATE in dims else "",
                            *values,
                        )
                    )
                yield rows


def hotspot_rows(facts: FactColumns) -> Iterator[tuple[object, ...]]:
    """Rows for insights_hotspotrollup: res, category, grain, period, cell, counts."""
    c = facts.columns
    placed = c["cell9"] != 0
    sub = {name: values[placed] for name, values in c.items()}
    if not len(sub["cell9"]):
        return
    cells, cell_index = np.unique(sub["cell9"], return_inverse=True)
    cell_index = cell_index.reshape(-1)
    for res in HOTSPOT_RESOLUTIONS:
        parents = np.asarray([h3.cell_to_parent(int(cell), res) for cell in cells], np.int64)
        parent = parents[cell_index]
        for grain in HOTSPOT_GRAINS:
            unique, groups = group_rows([sub["category"], sub[GRAIN_FIELD[grain]], parent])
            n = len(unique)
            reported = np.bincount(groups, minlength=n)
            still_open = np.bincount(groups, weights=sub["is_open"], minlength=n)
            reopened = np.bincount(groups, weights=sub["reopened"], minlength=n)
            for i, (cat, period, cell) in enumerate(unique.tolist()):
                yield (
                    res,
                    facts.categories[cat],
                    grain,
                    period,
                    cell,
                    int(reported[i]),
                    round(still_open[i]),
                    round(reopened[i]),
                )
