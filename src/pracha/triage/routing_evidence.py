"""Who handled what in Bangkok's own tickets: the evidence behind the seed routing rules.

Traffy lists every organisation that took part in a ticket (`organization`,
`organization_action`) and, in the API export, each forward ("เขตสวนหลวง ส่งต่อไปยัง ...").
District offices take part in nearly every ticket, because Traffy sends reports to the
district first. A department or utility earns a rule for a category when it takes part in
a good share of that category's tickets *and* far more often than in tickets at large
(its lift): the drainage department in flooding, the environment department in PM2.5.

The 2022 dump names only "กรุงเทพมหานคร" and so adds no evidence; the 2023-24 files do.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pracha import csvsafe
from pracha.agencies.routing import AGENCY, BANGKOK, DISTRICT_OFFICE, SEED_COLUMNS
from pracha.agencies.seed import KNOWN_AGENCIES
from pracha.cases.taxonomy import category_codes, taxonomy_rows
from pracha.importer.reader import BadRow, ImportFileError, TraffyFile
from pracha.importer.routing import forwards_in

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
_DISTRICT_NAME = re.compile(r"^(?:สำนักงาน)?เขต\s*\S+$|\s(?:สำนักงาน)?เขต\s*[^\s\d]\S*$")

MIN_SHARE = 0.08  # of the category's tickets
MIN_LIFT = 3.0  # times the agency's share of all tickets
MIN_TICKETS = 5
RULE_PRIORITY = 50


def handler_group(name: str) -> str | None:
    """`bma-dds` for "กองระบบท่อระบายน้ำ สำนักการระบายน้ำ", DISTRICT for "เขตบางพลัด"."""
    for code, fragments in SPECIALISTS.items():
        if any(fragment in name for fragment in fragments):
            return code
    if _DISTRICT_NAME.search(name):
        return DISTRICT
    return None


@dataclass
class Evidence:
    tickets: int  # tickets with a category and at least one recognised handler
    overall: Counter[str]  # handler group -> tickets it took part in
    per_category: dict[str, Counter[str]]  # category -> handler group -> tickets
    category_tickets: Counter[str]


def gather(paths: Iterable[Path]) -> Evidence:
    evidence = Evidence(0, Counter(), defaultdict(Counter), Counter())
    for path in paths:
        try:
            tickets = TraffyFile(path)
        except ImportFileError:
            continue
        with tickets:
            for record in tickets:
                if isinstance(record, BadRow):
                    continue
                codes, _unknown = category_codes(list(record.labels))
                names = set(record.agency_names)
                for sender, receiver in forwards_in(record.note):
                    names.update((sender, receiver))
                groups = {group for name in names if (group := handler_group(name))}
                if not codes or not groups:
                    continue
                evidence.tickets += 1
                evidence.overall.update(groups)
                for code in codes:
                    evidence.category_tickets[code] += 1
                    evidence.per_category[code].update(groups)
    return evidence


@dataclass(frozen=True)
class Finding:
    category: str
    agency_code: str
    tickets: int
    of: int
    share: float
    lift: float


def findings(evidence: Evidence) -> list[Finding]:
    """The specialist for each category that has one, in taxonomy order."""
    out: list[Finding] = []
    for row in taxonomy_rows():
        code = row["code"]
        total = evidence.category_tickets[code]
        best: Finding | None = None
        for group, count in evidence.per_category.get(code, {}).items():
            if group == DISTRICT or total == 0:
                continue
            share = count / total
            lift = share / (evidence.overall[group] / evidence.tickets)
            if count >= MIN_TICKETS and share >= MIN_SHARE and lift >= MIN_LIFT:
                finding = Finding(code, group, count, total, share, lift)
                if best is None or finding.share > best.share:
                    best = finding
        if best is not None:
            out.append(best)
    return out


def seed_csv(evidence: Evidence, source: str) -> str:
    """The seed routing file: one rule per specialist, then the district office for the rest."""
    names = {row["code"]: row["name_th"] for row in taxonomy_rows()}
    with KNOWN_AGENCIES.open(encoding="utf-8", newline="") as fh:
        agencies = {row["code"]: row["name_th"] for row in csv.DictReader(fh)}
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")  # reviewed in spreadsheets too
    writer.writerow(SEED_COLUMNS)
    for f in findings(evidence):
        reason = (
            f"{agencies[f.agency_code]} took part in {f.tickets} of {f.of} {names[f.category]} "
            f"tickets ({f.share:.0%}), {f.lift:.1f} times its share of all tickets ({source})"
        )
        agency = agencies[f.agency_code]
        writer.writerow(
            [f.category, "", BANGKOK, AGENCY, f.agency_code, agency, RULE_PRIORITY, reason]
        )
    district_share = evidence.overall[DISTRICT] / evidence.tickets if evidence.tickets else 0
    reason = (
        f"district offices took part in {district_share:.0%} of {evidence.tickets:,} tickets "
        f"of every category ({source}): a report goes to the office of its district"
    )
    writer.writerow(["", "", BANGKOK, DISTRICT_OFFICE, "", "", 0, reason])
    return out.getvalue()


def table(evidence: Evidence) -> list[str]:
    """A readable summary: per category, the district share and the top specialists."""
    lines = [f"{evidence.tickets:,} tickets with a category and a recognised handler"]
    for row in taxonomy_rows():
        code = row["code"]
        total = evidence.category_tickets[code]
        if not total:
            continue
        groups = evidence.per_category.get(code, Counter())
        district = groups[DISTRICT] / total
        others = sorted(
            ((g, n) for g, n in groups.items() if g != DISTRICT), key=lambda item: -item[1]
        )[:3]
        parts = [
            f"{g} {n / total:.0%} (lift {n / total / (evidence.overall[g] / evidence.tickets):.1f})"
            for g, n in others
        ]
        lines.append(
            f"{row['name_th']:<14} {total:>5}  district {district:.0%}  " + ", ".join(parts)
        )
    return lines
