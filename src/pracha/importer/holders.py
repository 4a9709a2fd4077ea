"""Who holds an imported ticket: the responsible agency, the co-agencies and the forwards.

Traffy lists every organisation that touched a ticket (channels like เพื่อนชัชชาติ included,
in no useful order) and, in the API CSV, records forwarding in a free-text note:
"เขตสวนหลวง ส่งต่อไปยัง สำนักการโยธา กทม." (one line per forward).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from django.conf import settings

from pracha.agencies.models import Agency
from pracha.agencies.services import NON_HANDLING_NAMES, clean_name, get_or_create_agency

CITY = "กรุงเทพมหานคร"
FORWARD_WORD = re.compile(r"\s+ส่งต่อไปยัง\s+")
# Longer "names" around the forward words are sentences, not agencies.
MAX_NAME_CHARS = 120

Kind = Agency.Kind
# Lower is more specific: a district's unit, then the district office, then a department.
_RANK: dict[str, int] = {
    Kind.DISTRICT_OFFICE: 1,
    Kind.DEPARTMENT: 2,
    Kind.UNIT: 3,
    Kind.EXTERNAL: 4,
}


@dataclass(frozen=True)
class Route:
    agency: Agency | None
    co_agencies: tuple[Agency, ...]
    forwards: tuple[tuple[Agency, Agency], ...]  # (from, to), in the order they happened

    @property
    def first_holder(self) -> Agency | None:
        return self.forwards[0][0] if self.forwards else self.agency


def forwards_in(note: str) -> list[tuple[str, str]]:
    """("from", "to") name pairs for each "X ส่งต่อไปยัง Y" in a note, chains included.

    Only whole lines count: "เนื่องจาก ส่งต่อไปยังหน่วยงานที่เกี่ยวข้อง" (no space after the
    words) is an explanation, not a forward.
    """
    pairs: list[tuple[str, str]] = []
    for line in note.splitlines():
        parts = [clean_name(part) for part in FORWARD_WORD.split(line.strip())]
        if len(parts) < 2 or not all(0 < len(part) <= MAX_NAME_CHARS for part in parts):
            continue
        pairs.extend(pairwise(parts))
    return pairs


def rank(agency: Agency) -> int:
    if agency.kind == Kind.UNIT and agency.district:
        return 0
    return _RANK.get(agency.kind, 5)


class Router:
    """Turns organisation names and notes into agencies, creating missing ones; caches all."""

    def __init__(self) -> None:
        self.agencies: dict[str, Agency] = {}  # get_or_create_agency's cache
        self._lists: dict[tuple[str, ...], tuple[Agency, ...]] = {}
        self._notes: dict[str, tuple[tuple[Agency, Agency], ...]] = {}
        self._default: Agency | None = None
        self._default_loaded = False

    def agency(self, name: str) -> Agency:
        return get_or_create_agency(name, self.agencies)

    def handling(self, names: tuple[str, ...]) -> tuple[Agency, ...]:
        """The agencies that can act on the ticket, most specific first.

        Channels are dropped; so is the city itself unless nobody more specific is named,
        because every Bangkok ticket lists it.
        """
        if names not in self._lists:
            useful = [n for n in names if n not in NON_HANDLING_NAMES and len(n) <= 255]
            specific = [n for n in useful if n != CITY] or useful
            agencies = list(dict.fromkeys(self.agency(name) for name in specific))
            agencies.sort(key=rank)  # stable: equals keep the order the export gave
            self._lists[names] = tuple(agencies)
        return self._lists[names]

    def forwards(self, note: str) -> tuple[tuple[Agency, Agency], ...]:
        if not note or "ส่งต่อไปยัง" not in note:
            return ()
        if note not in self._notes:
            pairs = forwards_in(note)
            self._notes[note] = tuple((self.agency(a), self.agency(b)) for a, b in pairs)
        return self._notes[note]

    def default_agency(self) -> Agency | None:
        """Where intake puts unrouted reports; also the holder of tickets naming nobody."""
        if not self._default_loaded:
            code = settings.PRACHA.default_agency_code
            self._default = Agency.objects.filter(code=code).first()
            self._default_loaded = True
        return self._default

    def route(self, names: tuple[str, ...], note: str = "") -> Route:
        listed = self.handling(names)
        forwards = self.forwards(note)
        # The last forward's target holds the ticket now, unless that target is a channel.
        targets = [to for _, to in forwards if to.name_th not in NON_HANDLING_NAMES]
        if targets:
            agency: Agency | None = targets[-1]
        elif listed:
            agency = listed[0]
        else:
            agency = self.default_agency()
        co_agencies = tuple(a for a in listed if a != agency and a.name_th != CITY)
        return Route(agency, co_agencies, forwards)
