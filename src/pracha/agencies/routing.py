"""Routing: which agency receives a new case, and why.

Rules are plain values (`Rule`), read from the database (RoutingRule, edited by
administrators) or, without a database, from the seed file routing_rules.csv that also
fills a new database. `choose()` works on either list, so the batch `pracha triage`
command and intake decide the same way.

Two kinds of rule: the responsible agency (a named agency, or the district office of the
case's district) and co-agencies (CO_AGENCY rules): specialists invited beside it because
they act on most such cases (see pracha.triage.routing_evidence for how both are learnt).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pracha.agencies.models import RoutingRule
from pracha.thaitext import normalise_district, normalise_province

SEED_FILE = Path(__file__).with_name("routing_rules.csv")
SEED_COLUMNS = (
    "category",
    "district",
    "province",
    "target",
    "agency_code",
    "agency_name",
    "priority",
    "reason",
)
AGENCY, DISTRICT_OFFICE, CO_AGENCY = "agency", "district_office", "co_agency"
TARGETS = (AGENCY, DISTRICT_OFFICE, CO_AGENCY)
BANGKOK = "กรุงเทพมหานคร"


class RuleFileError(ValueError):
    """A routing rule file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Rule:
    category: str  # code; "" = any
    district: str  # normalised Thai name; "" = any
    province: str  # "" = any
    target: str  # AGENCY, DISTRICT_OFFICE or CO_AGENCY
    agency_code: str  # for AGENCY and CO_AGENCY
    agency_name: str  # for AGENCY (Thai), shown without a database
    priority: int
    reason: str
    rule_id: int | None = None  # RoutingRule.pk when read from the database

    @property
    def specificity(self) -> int:
        return bool(self.category) + bool(self.district) + bool(self.province)

    def matches_area(self, district: str, province: str) -> bool:
        if self.district and self.district != district:
            return False
        if self.province and self.province != province:
            return False
        # A district office exists only for a known Bangkok district (khet).
        return self.target != DISTRICT_OFFICE or (bool(district) and province == BANGKOK)


@dataclass(frozen=True)
class Decision:
    """The agency chosen for a case and the rule that chose it (None: no rule matched)."""

    rule: Rule | None
    category: str  # the case category the rule matched on ("" for a catch-all)
    agency_code: str  # "" for a district office (known by name only)
    agency_name: str
    # CO_AGENCY rules whose specialists are invited beside the responsible agency.
    invites: tuple[Rule, ...] = ()

    @property
    def co_agency_names(self) -> list[str]:
        return [rule.agency_name or rule.agency_code for rule in self.invites]

    @property
    def by_district_office(self) -> bool:
        return self.rule is not None and self.rule.target == DISTRICT_OFFICE


def district_office_name(district: str) -> str:
    """The Thai name Traffy uses for a district office: `เขตบางพลัด`."""
    return f"เขต{district}"


def choose(
    rules: Sequence[Rule], categories: Sequence[str], district: str, province: str
) -> Decision:
    """The winning rule for a case's categories (best first) and place.

    Highest priority first; then the more specific rule; then the rule for the case's
    earlier (more likely) category; then the rule listed first.
    """
    district = normalise_district(district) if district else ""
    province = normalise_province(province) if province else ""
    order = {code: i for i, code in enumerate(categories)}
    best: tuple[tuple[int, int, int, int], Rule, str] | None = None
    for position, rule in enumerate(rules):
        if rule.target == CO_AGENCY:
            continue
        if rule.category and rule.category not in order:
            continue
        if not rule.matches_area(district, province):
            continue
        category_rank = order.get(rule.category, len(order))
        key = (-rule.priority, -rule.specificity, category_rank, position)
        if best is None or key < best[0]:
            best = (key, rule, rule.category)
    if best is None:
        return Decision(None, "", "", "", invite_rules(rules, categories, district, province))
    rule = best[1]
    if rule.target == DISTRICT_OFFICE:
        invites = invite_rules(rules, categories, district, province)
        return Decision(rule, best[2], "", district_office_name(district), invites)
    invites = invite_rules(rules, categories, district, province, responsible=rule.agency_code)
    return Decision(rule, best[2], rule.agency_code, rule.agency_name, invites)


def invite_rules(
    rules: Sequence[Rule],
    categories: Sequence[str],
    district: str,
    province: str,
    *,
    responsible: str = "",
) -> tuple[Rule, ...]:
    """The CO_AGENCY rules matching a case (normalised place), one per agency.

    Highest priority, then the most specific rule speaks for an agency; the responsible
    agency is never invited to its own case.
    """
    wanted = set(categories)
    best: dict[str, tuple[tuple[int, int, int], Rule]] = {}
    for position, rule in enumerate(rules):
        if rule.target != CO_AGENCY or rule.agency_code == responsible:
            continue
        if (rule.category and rule.category not in wanted) or not rule.matches_area(
            district, province
        ):
            continue
        key = (-rule.priority, -rule.specificity, position)
        if rule.agency_code not in best or key < best[rule.agency_code][0]:
            best[rule.agency_code] = (key, rule)
    return tuple(rule for _, rule in sorted(best.values(), key=lambda item: item[0]))


def read_rule_file(path: Path = SEED_FILE) -> list[Rule]:
    """Rules from a CSV with SEED_COLUMNS (the seed file by default)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return parse_rules(fh, path)
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def parse_rules(lines: Iterable[str], path: Path | str = "rules") -> list[Rule]:
    """Rules from CSV text with SEED_COLUMNS; `path` names it in error messages."""
    reader = csv.DictReader(lines)
    missing = set(SEED_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise RuleFileError(f"{path}: missing columns {', '.join(sorted(missing))}")
    return [_rule_from_row(row, path, line) for line, row in enumerate(reader, 2)]


def _rule_from_row(row: dict[str, str], path: Path | str, line: int) -> Rule:
    target = row["target"].strip()
    if target not in TARGETS:
        raise RuleFileError(f"{path}:{line}: target must be one of {', '.join(TARGETS)}")
    if target != DISTRICT_OFFICE and not row["agency_code"].strip():
        raise RuleFileError(f"{path}:{line}: an {target} rule needs agency_code")
    try:
        priority = int(row["priority"] or 0)
    except ValueError as exc:
        raise RuleFileError(f"{path}:{line}: priority must be a whole number") from exc
    return Rule(
        category=row["category"].strip(),
        district=normalise_district(row["district"]) if row["district"].strip() else "",
        province=normalise_province(row["province"]) if row["province"].strip() else "",
        target=target,
        agency_code=row["agency_code"].strip(),
        agency_name=row["agency_name"].strip(),
        priority=priority,
        reason=row["reason"].strip(),
    )


def rules_from_database() -> list[Rule]:
    """The active rules administrators maintain (Django admin: Routing rules)."""
    return [
        Rule(
            category=r.category,
            district=normalise_district(r.district) if r.district else "",
            province=normalise_province(r.province) if r.province else "",
            target=r.target,
            agency_code=r.agency.code if r.agency else "",
            agency_name=r.agency.name_th if r.agency else "",
            priority=r.priority,
            reason=r.reason,
            rule_id=r.pk,
        )
        for r in RoutingRule.objects.filter(is_active=True)
        # A closed agency takes no cases and is invited to none.
        .exclude(target__in=(AGENCY, CO_AGENCY), agency__is_active=False)
        .select_related("agency")
    ]
