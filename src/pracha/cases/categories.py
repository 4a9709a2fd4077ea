"""Keeping the Category table in step with the shipped taxonomy (pracha.taxonomy)."""

from __future__ import annotations

from typing import Any

from pracha.cases.models import Category
from pracha.taxonomy.categories import taxonomy_rows


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
