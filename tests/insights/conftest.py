"""Fixtures for the insights tests: cases placed exactly where a test needs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pracha.cases.models import Case, Category
from pracha.cases.services.intake import NewCase, do_create_case

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
