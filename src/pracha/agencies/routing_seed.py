"""Filling the RoutingRule table from the seed file (routing_rules.csv).

A new database gets the seed rules after `migrate` when it has none; `pracha seed-routing
--commit` adds any seed rule an existing database lacks. Rules administrators changed or
switched off are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.routing import DISTRICT_OFFICE, Rule, read_rule_file
from pracha.agencies.services import get_or_create_agency


@dataclass
class SeedReport:
    added: list[Rule]
    present: int


def _agency_for(rule: Rule) -> Any:
    agency = Agency.objects.filter(code=rule.agency_code).first()
    if agency is None:
        agency = get_or_create_agency(rule.agency_name or rule.agency_code)
        if agency.code.startswith("org-"):  # known only by name so far: give it the code
            agency.code = rule.agency_code
            agency.save(update_fields=["code"])
    return agency


def seed_rules(rules: Sequence[Rule], *, commit: bool) -> SeedReport:
    """Add the rules that have no counterpart (same category, place and target) yet."""
    existing = {
        (r.category, r.district, r.province, r.target, r.agency.code if r.agency else "")
        for r in RoutingRule.objects.select_related("agency")
    }
    missing = [
        rule
        for rule in rules
        if (
            rule.category,
            rule.district,
            rule.province,
            rule.target,
            rule.agency_code if rule.target != DISTRICT_OFFICE else "",
        )
        not in existing
    ]
    if commit and missing:
        with transaction.atomic():
            for rule in missing:
                RoutingRule.objects.create(
                    category=rule.category,
                    district=rule.district,
                    province=rule.province,
                    target=rule.target,
                    agency=_agency_for(rule) if rule.target != DISTRICT_OFFICE else None,
                    priority=rule.priority,
                    reason=rule.reason,
                )
    return SeedReport(added=missing, present=len(rules) - len(missing))


def seed_routing_if_empty(**_: Any) -> None:
    """post_migrate: a database without any routing rule starts with the seed rules."""
    if not RoutingRule.objects.exists():
        seed_rules(read_rule_file(), commit=True)
