"""Keyset pagination: each page is found by an index seek from the last row shown.

Offsets make the database walk past every earlier row, and a total count walks all of them;
with millions of cases both grow without bound. A cursor (the sort value and id of the
boundary row) costs the same on page 1 and page 1,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

DEFAULT_PAGE_SIZE = 20
# Counts shown to people stop here ("1,000+"): a number that large is all anyone needs.
COUNT_CAP = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    value: datetime
    pk: int

    def encode(self) -> str:
        micros = (self.value - EPOCH) // MICROSECOND  # exact: no float rounding
        return f"{micros}.{self.pk}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """None for anything that is not a cursor this module made (a hand-edited URL)."""
        if not raw or len(raw) > 40:
            return None
        micros, _, pk = raw.partition(".")
        try:
            value = EPOCH + int(micros) * MICROSECOND
            return cls(value, int(pk))
        except (ValueError, OverflowError, OSError):
            return None


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    prev_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.prev_cursor)


def _after(field: str, descending: bool, cursor: Cursor) -> Q:
    """Rows that come after `cursor` in the order (field, pk), descending or not."""
    op = "lt" if descending else "gt"
    return Q(**{f"{field}__{op}": cursor.value}) | Q(
        **{field: cursor.value, f"pk__{op}": cursor.pk}
    )


def keyset_page(
    queryset: QuerySet[Any],
    *,
    field: str,
    descending: bool,
    after: str | None = None,
    before: str | None = None,
    size: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """One page ordered by (field, pk); `after` continues forwards, `before` goes back."""
    order = (f"-{field}", "-pk") if descending else (field, "pk")
    back = Cursor.decode(before)
    if back is not None:
        reverse = ("-" + order[0]).replace("--", ""), ("-" + order[1]).replace("--", "")
        rows = list(
            queryset.filter(_after(field, not descending, back)).order_by(*reverse)[: size + 1]
        )
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        return Page(
            rows,
            next_cursor=_cursor(rows[-1], field) if rows else None,
            prev_cursor=_cursor(rows[0], field) if rows and more_before else None,
        )
    start = Cursor.decode(after)
    if start is not None:
        queryset = queryset.filter(_after(field, descending, start))
    rows = list(queryset.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        next_cursor=_cursor(rows[-1], field) if rows and more else None,
        prev_cursor=_cursor(rows[0], field) if rows and start is not None else None,
    )


def _cursor(row: Any, field: str) -> str:
    return Cursor(getattr(row, field), row.pk).encode()


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counting at most `cap` + 1 of them; (count, True) means "more than cap"."""
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap
