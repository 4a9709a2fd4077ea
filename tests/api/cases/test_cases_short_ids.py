"""/api/v1/cases/{ticket_id}...: every route finds a case by its full or its short id
(`2023-GHA47R` or `GHA47R`, any letter case, stray spaces), and refuses an ambiguous one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pracha.agencies.models import Officer
from pracha.cases.errors import NotFound
from pracha.cases.lookup import canonical_ticket_id
from pracha.cases.models import Case, Event
from pracha.tickets import citizen_token
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_ticket(file_case: Callable[..., dict[str, Any]]) -> Callable[[str], str]:
    """A case filed through the API, then given the stored id an import would give it."""

    def make(ticket_id: str) -> str:
        filed = file_case()
        Case.objects.filter(ticket_id=filed["ticket_id"]).update(ticket_id=ticket_id)
        return ticket_id

    return make


@pytest.mark.parametrize("given", ["GHA47R", "gha47r", " GHA47R ", "2023-GHA47R", "2023-gha47r"])
def test_get_finds_the_case_by_either_form(
    api: Client, make_ticket: Callable[[str], str], given: str
) -> None:
    make_ticket("2023-GHA47R")
    response = api.get(case_url(quote(given)))
    assert response.status_code == 200, response.content
    assert response.json()["ticket_id"] == "2023-GHA47R"


def test_an_unknown_short_id_is_404(api: Client, make_ticket: Callable[[str], str]) -> None:
    make_ticket("2023-GHA47R")
    response = api.get(case_url("ZZZ999"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_years_full_id_is_not_a_match(
    api: Client, make_ticket: Callable[[str], str]
) -> None:
    make_ticket("2023-GHA47R")
    assert api.get(case_url("2022-GHA47R")).status_code == 404


def test_an_ambiguous_short_id_is_404_listing_the_candidates(
    api: Client, make_ticket: Callable[[str], str]
) -> None:
    make_ticket("2022-ABC123")
    make_ticket("2023-ABC123")
    response = api.get(case_url("abc123"))
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "ambiguous_ticket_id"
    assert body["field"] == "ticket_id"
    assert "2022-ABC123" in body["detail"] and "2023-ABC123" in body["detail"]
    # Each full id still answers.
    assert api.get(case_url("2022-ABC123")).json()["ticket_id"] == "2022-ABC123"


def test_action_routes_take_the_short_id(
    api: Client, make_ticket: Callable[[str], str], officer: tuple[Officer, str]
) -> None:
    make_ticket("2023-GHA47R")
    _me, key = officer
    accepted = post_json(api, case_url("gha47r", "accept"), {}, **auth(key))
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["ticket_id"] == "2023-GHA47R"
    assert accepted.json()["state"] == "accepted"
    commented = post_json(
        api, case_url("GHA47R", "comment"), {"note": "ส่งทีมไปแล้ว", "public": True}, **auth(key)
    )
    assert commented.status_code == 200
    assert Event.objects.filter(case__ticket_id="2023-GHA47R", note="ส่งทีมไปแล้ว").exists()
    # Another citizen (the filer's own device may not say "me too" to its report).
    assert Client().post(case_url("GHA47R", "me-too")).status_code == 200
    assert api.get(case_url("GHA47R", "duplicates")).status_code == 200


def test_the_reporter_rates_by_short_id_with_the_full_ids_token(
    api: Client, make_ticket: Callable[[str], str]
) -> None:
    make_ticket("2023-GHA47R")
    set_state("2023-GHA47R", "done")
    token = citizen_token("2023-GHA47R")
    response = post_json(api, case_url("GHA47R", "rate"), {"stars": 5, "citizen_token": token})
    assert response.status_code == 200, response.content
    assert Case.objects.get(ticket_id="2023-GHA47R").stars == 5


def test_action_routes_refuse_an_ambiguous_short_id(
    api: Client, make_ticket: Callable[[str], str], officer: tuple[Officer, str]
) -> None:
    make_ticket("2022-ABC123")
    make_ticket("2023-ABC123")
    _me, key = officer
    response = post_json(api, case_url("ABC123", "accept"), {}, **auth(key))
    assert response.status_code == 404
    assert response.json()["code"] == "ambiguous_ticket_id"
    assert not Case.objects.filter(state="accepted").exists()


@pytest.mark.parametrize("given", ["", "   ", "A" * 40, "GHA\x0047R"])
def test_ids_no_case_could_have_are_404(given: str) -> None:
    with pytest.raises(NotFound):
        canonical_ticket_id(given)


def test_the_short_lookup_is_one_index_query(make_ticket: Callable[[str], str]) -> None:
    """One `IN` of the full ids of every year: no scan of the table, whatever the collation."""
    make_ticket("2021-QQQ111")
    make_ticket("2023-GHA47R")
    with CaptureQueriesContext(connection) as queries:
        assert canonical_ticket_id("gha47r") == "2023-GHA47R"
    assert len(queries) == 1
    lookup = queries[-1]["sql"]
    assert "IN" in lookup and "LIKE" not in lookup.upper()
    assert "1990-GHA47R" in lookup and "2021-GHA47R" in lookup
