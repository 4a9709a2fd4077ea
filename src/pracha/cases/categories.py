"""The Category table: kept in step with the shipped taxonomy (pracha.taxonomy), and read
through a short per-process cache by intake, which needs it for every report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pracha.cases.models import Case, Category
from pracha.reference import Reference
from pracha.taxonomy.categories import taxonomy_rows

_by_code: Reference[str, dict[str, Category]] = Reference(
    lambda _: {c.code: c for c in Category.objects.all()}, models=("cases.Category",)
)


def categories_of(codes: list[str]) -> list[Category]:
    """The Category rows of these codes (unknown codes left out), in the codes' order."""
    known = _by_code.get("all")
    return [known[code] for code in codes if code in known]


def codes_by_case(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each case's category codes, sorted, in one query; cases without categories (or ids
    of no case) are absent. Callers pass a chunk of ids: the list goes into the SQL."""
    codes: dict[int, list[str]] = {}
    links = Case.categories.through.objects.filter(case_id__in=list(case_ids))
    for case_id, code in links.values_list("case_id", "category__code"):
        codes.setdefault(case_id, []).append(code)
    for found in codes.values():
        found.sort()
    return codes


def sync_categories(**_: Any) -> None:
    """Create or update the categories from taxonomy.csv (runs after every migrate)."""
    for order, row in enumerate(taxonomy_rows()):
        Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "group": row["group"],
                "aliases": row["aliases"],
                "keywords": row["keywords"],
                "sort_order": order,
            },
        )
