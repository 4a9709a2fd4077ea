"""Fixtures for the insights tests: cases placed exactly where a test needs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import shapely

from pracha.cases.models import Case, Category
from pracha.geo.models import Area, Generation
from pracha.intake.services import NewCase, do_create_case

BANGKOK = ZoneInfo("Asia/Bangkok")


def bkk(text: str) -> datetime:
    """'2024-03-01 10:00' in Bangkok time."""
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    """File a case through the intake service, then set what the test needs on it."""

    def make(
        categories: list[str] | None = None,
        *,
        created: str = "2024-03-01 10:00",
        lat: float = 13.80,
        lon: float = 100.55,
        **fields: Any,
    ) -> Case:
        case, _ = do_create_case(NewCase(description="ทดสอบ", lat=lat, lon=lon))
        if categories:
            case.categories.set(Category.objects.filter(code__in=categories))
        case.created_at = bkk(created)
        if isinstance(fields.get("closed_at"), str):
            fields["closed_at"] = bkk(fields["closed_at"])
        for name, value in fields.items():
            setattr(case, name, value)
        case.save()
        return case

    return make


@pytest.fixture
def areas(db: None) -> None:
    """Two Bangkok districts loaded as a boundary set (not switched on: lookups stay as
    they were), so district names are checked against them."""
    generation = Generation.objects.create(description="test districts")
    for code, name_th, name_en, west in (
        ("1030", "จตุจักร", "Chatu Chak", 100.50),
        ("1004", "บางรัก", "Bang Rak", 100.52),
    ):
        outline = shapely.box(west, 13.70, west + 0.01, 13.71)
        west_, south, east, north = outline.bounds
        Area.objects.create(
            generation=generation, code=code, name_th=name_th, name_en=name_en,
            province="กรุงเทพมหานคร", province_code="10", geometry=shapely.to_wkb(outline),
            min_lon=west_, min_lat=south, max_lon=east, max_lat=north,
        )  # fmt: skip
