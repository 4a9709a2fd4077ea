"""Shared by the life-event tests: citizens with tokens, journeys, officers of the agencies
the shipped templates name, and a birth date a few days ago (never the wall-clock hour)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.agencies.seed import ensure_known_agencies
from pracha.citizens.models import Citizen
from pracha.citizens.services.tokens import do_issue_token
from pracha.lifeevents.loader import load_life_events
from tests.citizens.support import bearer
from tests.factories import make_officer
from tests.helpers import post_json

FACTS = {
    "parent_national_id": "1103700012345",
    "house_registration_no": "1001-000123-4",
    "household_income_per_person_year": 60000,
    "child_thai": True,
    "child_in_institution": False,
    "bank_promptpay": True,
    "parent_sso_insured": True,
    "sso_contribution_months_in_15": 12,
}


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def new_citizen(language: str = "th") -> tuple[Citizen, dict[str, str]]:
    citizen = Citizen.objects.create(language=language)
    _token, raw = do_issue_token(citizen)
    return citizen, bearer(raw)


def start(api: Client, headers: dict[str, str], **body: Any) -> Any:
    payload = {"life_event": "birth", "anchor_date": days_ago(3).isoformat(), "facts": FACTS}
    return post_json(api, "/api/v1/journeys", {**payload, **body}, **headers)


def submit(api: Client, headers: dict[str, str], journey: int, step: str, **facts: Any) -> Any:
    url = f"/api/v1/journeys/{journey}/steps/{step}/submit"
    return post_json(api, url, {"facts": facts}, **headers)


def step_of(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in body["steps"] if s["code"] == code)


@pytest.fixture
def life_events(db: None) -> None:
    # Idempotent: the migration loaded them, unless a live-server test flushed the tables.
    ensure_known_agencies()
    load_life_events()


@pytest.fixture
def registrar(life_events: None) -> str:
    """The raw API key of an officer of the district registration office."""
    _officer, key = make_officer(Agency.objects.get(code="bma-registration"))
    return key
