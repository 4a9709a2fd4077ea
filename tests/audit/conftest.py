"""Fixtures for reliability, security and privacy tests: limits switched on, reporters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.cases.models import Case
from pracha.config import Rate
from tests.conftest import BANGKOK

REPORTER = {"name": "สมชาย ใจดี", "phone": "081-234-5678", "email": "somchai.j@example.com"}


@pytest.fixture
def limits(settings: Any) -> Callable[..., None]:
    """Switch rate limits on: `limits(reports=(3, 60))` is 3 reports a minute per address."""

    def change(**rates: tuple[int, int] | None) -> None:
        fields = {}
        for name, value in rates.items():
            fields[f"rate_{name}"] = Rate(*value) if value else None
        settings.PRACHA = dataclasses.replace(settings.PRACHA, **fields)

    return change


@pytest.fixture
def reported(api: Client, db: None) -> Callable[..., dict[str, Any]]:
    """File a case with reporter contact; returns the 201 body."""

    def file(reporter: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
        body = {
            "description": "ถนนเป็นหลุมลึกหน้าซอย",
            **BANGKOK,
            "reporter": REPORTER if reporter is None else reporter,
            **overrides,
        }
        response = api.post("/api/v1/cases", body, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    return file


def case_of(body: dict[str, Any]) -> Case:
    return Case.objects.get(ticket_id=body["ticket_id"])
