"""Who acts on what in Bangkok's own tickets: the evidence behind the seed routing rules.

Traffy lists the organisations that acted on a ticket: `organization_action` in the 2023-11
export, and `organization` in the dumps (in the 2023-11 export the two name the same
organisations on every row, so the dumps' column is the same evidence). The city itself,
its 1555 complaint centre and the channels (เพื่อนชัชชาติ, ...) are umbrella bodies, not
actors. Files whose tickets mostly name no district office do not record who acted and are
skipped: the 2022 dump (departments only, on 1,406 of 185,152 tickets), the API export (an
`org` cell on a handful of rows) and the scrape of the waiting queue (its agency *holds* a
ticket nobody has acted on yet).

The rules are learnt from shares of tickets:
- responsible: for each category (and category x district with enough tickets), the agency
  that acted on the largest share of its tickets; the district office of the ticket's
  district unless a specialist acted on more. (The earlier seed chose specialists that
  "took part more than their share" (lift); they acted on 10-40% of those tickets while
  the district office acted on ~99%, so most cases routed to them needed a forward.)
- co-agency: a specialist acting on at least `invite_share` of a category's (or a
  category x district's) tickets is invited beside the responsible agency, so the share is
  the expected precision of the invitation.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pracha import csvsafe
from pracha.agencies.routing import AGENCY, BANGKOK, CO_AGENCY, DISTRICT_OFFICE, SEED_COLUMNS
from pracha.agencies.seed import KNOWN_AGENCIES
from pracha.agencies.services import NON_HANDLING_NAMES
from pracha.geo.address import places_in_address
from pracha.geo.bounds import CoordinateError
from pracha.geo.index import AreaIndex
from pracha.importer.holders import forwards_in
from pracha.taxonomy.categories import category_codes, taxonomy_rows
from pracha.thaitext import normalise_district
from pracha.traffy.formats import Record
from pracha.traffy.reader import BadRow, ImportFileError, TraffyFile

# Name fragments that identify an agency (or one of its units) in Traffy's lists, by the
# code of a known agency (agencies/known_agencies.csv). Police stations are left out on
# purpose: Traffy invites them beside the district office; they do not receive reports.
SPECIALISTS = {
    "bma-dds": ("สำนักการระบายน้ำ",),
    "bma-traffic": ("สำนักการจราจรและขนส่ง", "สจส"),
    "mea": ("การไฟฟ้านครหลวง",),
    "bma-works": ("สำนักการโยธา",),
    "bma-env": ("สำนักสิ่งแวดล้อม",),
    "bma-health": ("สำนักอนามัย",),
    "bma-citylaw": ("สำนักเทศกิจ",),
    "bma-fire": ("สำนักป้องกันและบรรเทาสาธารณภัย",),
    "bma-social": ("สำนักพัฒนาสังคม",),
    "mwa": ("การประปานครหลวง",),
}
DISTRICT = "district"
UMBRELLA = NON_HANDLING_NAMES | {BANGKOK, "ร้องทุกข์ กทม. 1555"}
_OFFICE = re.compile(r"^(?:สำนักงาน)?เขต\s*(?P<district>\S+)$")
_UNIT = re.compile(r"\s(?:สำนักงาน)?เขต\s*(?P<district>[^\s\d]\S*)$")

MIN_TICKETS = 5  # tickets of a category (x district) before its shares are trusted
INVITE_SHARE = 0.7  # a specialist acting on this share of the tickets is invited
# A specialist is made responsible only when its share's lower bound at this z (95%,
# two-sided) is above the district office's share.
CONFIDENCE_Z = 1.96
RULE_PRIORITY = 50
# A file records who acted when most of its tickets name a district office; decided on
# its first rows so the 185,000-row 2022 dump is not read to the end for nothing.
EVIDENCE_FILE_SHARE = 0.5
EVIDENCE_PROBE_ROWS = 2000
SOURCE = "Traffy Fondue tickets in data/traffy"


def handler_group(name: str) -> str | None:
    """`bma-dds` for "กองระบบท่อระบายน้ำ สำนักการระบายน้ำ", DISTRICT for "เขตบางพลัด"."""
    for code, fragments in SPECIALISTS.items():
        if any(fragment in name for fragment in fragments):
            return code
    if office_district(name):
        return DISTRICT
    return None


def office_district(name: str) -> str:
    """The district whose office (or office unit) `name` is: "ฝ่ายโยธา เขตประเวศ" -> ประเวศ."""
    match = _OFFICE.match(name) or _UNIT.search(name)
    return normalise_district(match["district"]) if match else ""


def acting_groups(names: Iterable[str], district: str) -> frozenset[str]:
    """Who acted, as handler groups; DISTRICT only for the office of the ticket's district."""
    groups: set[str] = set()
    for name in names:
        if name in UMBRELLA:
            continue
        group = handler_group(name)
        if group == DISTRICT:
            if district and office_district(name) == district:
                groups.add(DISTRICT)
        elif group is not None:
            groups.add(group)
    return frozenset(groups)


@dataclass(frozen=True)
class Ticket:
    """One ticket as routing sees it: categories, place, and who acted on it."""

    categories: tuple[str, ...]
    district: str  # normalised; "" outside Bangkok or unknown
    province: str
    acted: frozenset[str]  # handler groups
    actors: int  # organisations named beside the umbrella bodies
    created_at: datetime
    # Every Bangkok district whose office acted (`acted` has DISTRICT for `district` only).
    offices: frozenset[str] = frozenset()
    # The Bangkok district the address names when it is not `district`, and how far the
    # point lies from it (None: no such district, or no point).
    named_district: str = ""
    named_distance_m: float | None = None
    # The point's own district when the file's district near it was taken instead ("" when
    # they agree): the trivial rule "the district office of the point" reads this one.
    point_district: str = ""


def ticket_of(record: Record, index: AreaIndex | None) -> Ticket:
    """The district comes from the point and the file's own district near it, as in
    `pracha triage`; the file's district without a point."""
    district, province = record.district, record.province
    point_district, located = "", False
    if index is not None and record.lat is not None and record.lon is not None:
        try:
            location = index.locate(record.lon, record.lat, record.address, record.district)
            district, province, located = location.district, location.province, True
            point_district = location.point_district
        except CoordinateError:
            pass
    district = normalise_district(district) if district and province == BANGKOK else ""
    named, named_distance = places_in_address(record.address).district, None
    if not district or named == district:
        named = ""
    elif located and named and index is not None:
        assert record.lon is not None and record.lat is not None
        named_distance = index.distance_to(named, record.lon, record.lat, BANGKOK)
    names = set(record.agency_names)
    for sender, receiver in forwards_in(record.note):
        names.update((sender, receiver))
    codes, _unknown = category_codes(list(record.labels))
    return Ticket(
        categories=tuple(codes),
        district=district,
        province=province,
        acted=acting_groups(names, district),
        actors=sum(name not in UMBRELLA for name in names),
        created_at=record.created_at,
        offices=frozenset(
            office_district(name)
            for name in names
            if name not in UMBRELLA and handler_group(name) == DISTRICT
        ),
        named_district=named if named_distance is not None else "",
        named_distance_m=named_distance,
        point_district=normalise_district(point_district) if district else "",
    )


def _records(path: Path) -> Iterator[Record]:
    with TraffyFile(path) as tickets:
        for record in tickets:
            if not isinstance(record, BadRow):
                yield record


def names_district_offices(record: Record) -> bool:
    return any(handler_group(name) == DISTRICT for name in record.agency_names)


def read_evidence_file(path: Path, index: AreaIndex | None) -> list[Ticket] | None:
    """The tickets of a file that records who acted; None for any other file."""
    try:
        probe = TraffyFile(path)
    except ImportFileError:
        return None
    with probe:
        if probe.format.name == "pending":  # a waiting queue: held, not acted on
            return None
        head = []
        for item in probe:
            if isinstance(item, Record):
                head.append(item)
            if len(head) >= EVIDENCE_PROBE_ROWS:
                break
    with_office = sum(names_district_offices(r) for r in head)
    if not head or with_office < EVIDENCE_FILE_SHARE * len(head):
        return None
    return [ticket_of(record, index) for record in _records(path)]


@dataclass
class Cell:
    """Tickets of one category (x district) and how many each handler group acted on."""

    tickets: int = 0
    acted: Counter[str] = field(default_factory=Counter)

    def share(self, group: str) -> float:
        return self.acted[group] / self.tickets if self.tickets else 0.0


@dataclass
class Evidence:
    tickets: int = 0  # tickets with a category, a Bangkok district and an actor
    district_acted: int = 0
    per_category: dict[str, Cell] = field(default_factory=lambda: defaultdict(Cell))
    per_cell: dict[tuple[str, str], Cell] = field(default_factory=lambda: defaultdict(Cell))
    sources: list[str] = field(default_factory=list)

    def add(self, ticket: Ticket) -> None:
        if not ticket.categories or not ticket.district or not ticket.actors:
            return
        self.tickets += 1
        self.district_acted += DISTRICT in ticket.acted
        for code in ticket.categories:
            for cell in (self.per_category[code], self.per_cell[(code, ticket.district)]):
                cell.tickets += 1
                cell.acted.update(ticket.acted)


def gather(tickets: Iterable[Ticket]) -> Evidence:
    evidence = Evidence()
    for ticket in tickets:
        evidence.add(ticket)
    return evidence


@dataclass(frozen=True)
class Finding:
    """One learnt rule: `agency_code` (a specialist, or DISTRICT) for a category (x district)."""

    target: str  # AGENCY or CO_AGENCY
    category: str
    district: str
    agency_code: str
    tickets: int  # the specialist acted on this many
    of: int  # tickets of the category (x district)
    share: float
    district_share: float  # the district office's share of the same tickets


def lower_bound(acted: int, tickets: int, z: float = CONFIDENCE_Z) -> float:
    """The Wilson score lower bound of the share acted/tickets (0 without tickets)."""
    if not tickets:
        return 0.0
    p = acted / tickets
    centre = p + z * z / (2 * tickets)
    spread = z * math.sqrt(p * (1 - p) / tickets + z * z / (4 * tickets * tickets))
    return (centre - spread) / (1 + z * z / tickets)


def _responsible(cell: Cell) -> str:
    """The specialist that surely acted on more tickets than the district office, else it.

    Surely: the lower bound of the specialist's share is above the office's share, so five
    of six tickets against the office's four of six is not enough (on such small cells the
    learnt specialist received tickets the district office then acted on, time-ordered).
    """
    best, best_share = DISTRICT, cell.share(DISTRICT)
    for group in SPECIALISTS:
        if cell.acted[group] < MIN_TICKETS:
            continue
        if lower_bound(cell.acted[group], cell.tickets) > best_share:
            best, best_share = group, cell.share(group)
    return best


def _finding(target: str, code: str, district: str, group: str, cell: Cell) -> Finding:
    return Finding(
        target,
        code,
        district,
        group,
        cell.acted[group],
        cell.tickets,
        cell.share(group),
        cell.share(DISTRICT),
    )


def findings(evidence: Evidence, invite_share: float = INVITE_SHARE) -> list[Finding]:
    """The learnt rules beside the district office: specialists responsible or invited."""
    out: list[Finding] = []
    for row in taxonomy_rows():
        code = row["code"]
        cell = evidence.per_category.get(code)
        if cell is None or cell.tickets < MIN_TICKETS:
            continue
        responsible = _responsible(cell)
        if responsible != DISTRICT:
            out.append(_finding(AGENCY, code, "", responsible, cell))
        invited = _invited(cell, responsible, invite_share)
        out.extend(_finding(CO_AGENCY, code, "", group, cell) for group in invited)
        for (cell_code, district), local in sorted(evidence.per_cell.items()):
            if cell_code != code or local.tickets < MIN_TICKETS:
                continue
            here = _responsible(local)
            if here not in {responsible, DISTRICT}:
                out.append(_finding(AGENCY, code, district, here, local))
            for group in _invited(local, here, invite_share):
                if group not in invited:
                    out.append(_finding(CO_AGENCY, code, district, group, local))
    return out


def _invited(cell: Cell, responsible: str, invite_share: float) -> list[str]:
    return [
        group
        for group in SPECIALISTS
        if group != responsible
        and cell.acted[group] >= MIN_TICKETS
        and cell.share(group) >= invite_share
    ]


def _reason(f: Finding, agencies: dict[str, str], names: dict[str, str], source: str) -> str:
    where = f" in เขต{f.district}" if f.district else ""
    acted = (
        f"{agencies[f.agency_code]} acted on {f.tickets} of {f.of} {names[f.category]} "
        f"tickets{where} ({f.share:.0%}; the district office {f.district_share:.0%}) "
        f"({source})"
    )
    if f.target == CO_AGENCY:
        return acted + ": invited beside the responsible agency"
    return acted + ": more than any other agency"


def seed_csv(evidence: Evidence, source: str = SOURCE, invite_share: float = INVITE_SHARE) -> str:
    """The seed routing file: learnt specialist rules, then the district office for the rest."""
    names = {row["code"]: row["name_th"] for row in taxonomy_rows()}
    with KNOWN_AGENCIES.open(encoding="utf-8", newline="") as fh:
        agencies = {row["code"]: row["name_th"] for row in csv.DictReader(fh)}
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")  # reviewed in spreadsheets too
    writer.writerow(SEED_COLUMNS)
    for f in findings(evidence, invite_share):
        writer.writerow(
            [
                f.category,
                f.district,
                BANGKOK,
                f.target,
                f.agency_code,
                agencies[f.agency_code],
                RULE_PRIORITY,
                _reason(f, agencies, names, source),
            ]
        )
    share = evidence.district_acted / evidence.tickets if evidence.tickets else 0.0
    reason = (
        f"the district office of the ticket's district acted on {share:.1%} of "
        f"{evidence.tickets:,} tickets ({source}), more than any other agency in every "
        "category: a report goes to the office of its district"
    )
    writer.writerow(["", "", BANGKOK, DISTRICT_OFFICE, "", "", 0, reason])
    return out.getvalue()


def table(evidence: Evidence) -> list[str]:
    """A readable summary: per category, the district office's share and the top specialists."""
    lines = [f"{evidence.tickets:,} tickets with a category, a Bangkok district and an actor"]
    for row in taxonomy_rows():
        cell = evidence.per_category.get(row["code"])
        if cell is None or not cell.tickets:
            continue
        others = sorted(
            ((g, n) for g, n in cell.acted.items() if g != DISTRICT), key=lambda item: -item[1]
        )[:3]
        parts = [f"{g} {n / cell.tickets:.0%}" for g, n in others]
        lines.append(
            f"{row['name_th']:<14} {cell.tickets:>5}  district office "
            f"{cell.share(DISTRICT):.0%}  " + ", ".join(parts)
        )
    return lines
