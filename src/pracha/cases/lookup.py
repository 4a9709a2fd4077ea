"""Finding a case by the ticket id a person has, in whichever form they have it.

Traffy's ids are `YEAR-XXXXXX`, but some exports (and so spreadsheets and chat messages) drop
the year: `GHA47R`. The importer stores the full form; this module maps either form, in any
letter case and with stray spaces, to the one stored id.

Speed with millions of tickets: a short id becomes the list of its possible full forms, one per
year from 1990 to next year (`2021-GHA47R`, `2022-GHA47R`, ...), looked up with
`ticket_id IN (...)`. That is a few dozen probes of the unique index `ticket_id` already has, on
SQLite and PostgreSQL alike. A stored `short_id` column would need a rewrite of every existing
row and a second value every bulk importer must keep in step; a suffix expression index would
need the query to repeat the index expression exactly. The year list needs neither.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils import timezone

from pracha.cases.errors import NotFound
from pracha.cases.models import Case

MAX_TICKET_CHARS = 32
FULL_ID = re.compile(r"^\d{4}-[A-Z0-9]{3,27}$")
SHORT_ID = re.compile(r"^[A-Z0-9]{3,27}$")
# Before any real ticket.
EARLIEST_YEAR = 1990
# Ids probed per query by stored_ticket_ids.
_PROBE_SLICE = 2000


class AmbiguousTicketId(NotFound):
    """A short id that several years' tickets share; the reason names each of them."""

    code = "ambiguous_ticket_id"

    def __init__(self, given: str, candidates: list[str]) -> None:
        super().__init__(
            f"ticket id {given!r} matches {len(candidates)} cases: {', '.join(candidates)}; "
            "use the full id",
            field="ticket_id",
        )
        self.given = given
        self.candidates = candidates


def normalise_ticket_id(raw: str | None) -> str:
    """The id as stored ids are written (upper case, no surrounding spaces); NotFound if it
    could not be anyone's id (empty, far too long, control characters PostgreSQL refuses)."""
    text = (raw or "").strip().upper()
    if not text or len(text) > MAX_TICKET_CHARS or not text.isprintable():
        raise NotFound(f"no case {text[:40]!r}")
    return text


def _year_range() -> range:
    """Every year a stored id can start with. A fixed span: a few dozen probes of a unique index
    cost next to nothing, and narrowing it by a range over `ticket_id` would depend on the
    database's collation (en_US orders '-', ':' and digits unlike C), by the oldest report on
    ids and report dates agreeing."""
    return range(EARLIEST_YEAR, timezone.localdate().year + 2)


def stored_ticket_ids(given: list[str], cases: QuerySet[Case] | None = None) -> list[str]:
    """The stored ids a list of ids names, full or short (every year's case for a short id
    several years share: a list has room for all); ids naming nothing are left out.

    The possible full forms are probed in slices, so a long list stays within the database's
    limit on query parameters (SQLite's is 32,766)."""
    base = Case.objects.all() if cases is None else cases
    forms: list[str] = []
    for raw in given:
        try:
            text = normalise_ticket_id(raw)
        except NotFound:
            continue
        forms.append(text)
        if SHORT_ID.match(text):
            forms += [f"{year}-{text}" for year in _year_range()]
    found: set[str] = set()
    for start in range(0, len(forms), _PROBE_SLICE):
        probe = forms[start : start + _PROBE_SLICE]
        found.update(base.filter(ticket_id__in=probe).values_list("ticket_id", flat=True))
    return sorted(found)


def canonical_ticket_id(raw: str | None, cases: QuerySet[Case] | None = None) -> str:
    """The stored id that `raw` names among `cases` (all cases by default).

    A full id is returned as normalised (the caller's query decides whether it exists). A short
    id must match exactly one case: none is NotFound, several is AmbiguousTicketId.
    """
    text = normalise_ticket_id(raw)
    if FULL_ID.match(text) or not SHORT_ID.match(text):
        return text
    base = Case.objects.all() if cases is None else cases
    forms = [f"{year}-{text}" for year in _year_range()]
    found = sorted(base.filter(ticket_id__in=forms).values_list("ticket_id", flat=True)[:20])
    if not found:
        raise NotFound(f"no case {text!r}")
    if len(found) > 1:
        raise AmbiguousTicketId(text, found)
    return found[0]
