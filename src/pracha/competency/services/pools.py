"""The items a test may ask, as a `Pool` of their current parameters."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from pracha.competency.irt import Pool
from pracha.competency.models import Assessment, Item, ItemExposure, ItemParameters, Session


def usable_items(assessment: Assessment, language: str) -> QuerySet[Item]:
    """Active items of the test's bank in `language` that no calibration sent for review and
    that have parameters."""
    return Item.objects.filter(
        bank_id=assessment.bank_id,
        language=language,
        is_active=True,
        needs_review=False,
        parameters__isnull=False,
    ).select_related("parameters")


def parts_of(assessment: Assessment) -> list[tuple[str, list[str], str]]:
    """(subtest code, its domains, its item kind) in order."""
    return [(s.code, s.domain_list, s.kind) for s in assessment.subtests.all()]


def subtest_of(assessment: Assessment) -> dict[tuple[str, str], str]:
    """(domain, kind) -> the subtest that draws it."""
    found: dict[tuple[str, str], str] = {}
    for code, domains, kind in parts_of(assessment):
        for domain in domains:
            found.setdefault((domain, kind), code)
    return found


def parameter_row(
    item_id: int, parameters: ItemParameters, domain: str
) -> tuple[int, float, float | None, list[float] | None, str]:
    return (item_id, parameters.a, parameters.b, parameters.thresholds, domain)


def adaptive_pool(assessment: Assessment, language: str) -> tuple[Pool, dict[str, str]]:
    """The adaptive test's pool and, per domain, the subtest (blueprint part) it counts in."""
    where = subtest_of(assessment)
    rows = []
    part_of_domain: dict[str, str] = {}
    for item in usable_items(assessment, language).order_by("id"):
        part = where.get((item.domain, item.kind))
        if part is None or item.parameters is None:
            continue
        rows.append(parameter_row(item.id, item.parameters, item.domain))
        part_of_domain[item.domain] = part
    return Pool.build(rows), part_of_domain


def blueprint_shares(assessment: Assessment) -> dict[str, float]:
    """Each domain's share of an adaptive test: its subtest's weight split among the
    subtest's domains."""
    weights: dict[str, float] = defaultdict(float)
    for subtest in assessment.subtests.all():
        domains = subtest.domain_list
        for domain in domains:
            weights[domain] += subtest.items / len(domains)
    total = sum(weights.values()) or 1.0
    return {domain: weight / total for domain, weight in weights.items()}


def exposure_counts(assessment: Assessment, pool: Pool, language: str) -> tuple[list[int], int]:
    """How often each pool item was chosen by this test, and how many tests were started in
    the language (Sympson-Hetter's P(chosen) = chosen / tests)."""
    chosen = dict(
        ItemExposure.objects.filter(assessment=assessment, item_id__in=pool.ids).values_list(
            "item_id", "selected"
        )
    )
    tests = Session.objects.filter(assessment=assessment, language=language).count()
    return [chosen.get(item, 0) for item in pool.ids], tests
