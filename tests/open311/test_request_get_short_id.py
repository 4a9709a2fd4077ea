"""GET /open311/v2/requests/{id}.{json,xml} by the full or the short id (`GHA47R`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.cases.models import Case
from tests.open311.conftest import V2, assert_errors, json_of

File = Callable[..., str]


def _renamed(file_request: File, ticket_id: str) -> str:
    Case.objects.filter(ticket_id=file_request()).update(ticket_id=ticket_id)
    return ticket_id


@pytest.mark.parametrize("given", ["GHA47R", "gha47r", "2023-GHA47R", "2023-gha47r"])
def test_either_form_finds_the_request(api: Client, file_request: File, given: str) -> None:
    _renamed(file_request, "2023-GHA47R")
    [item] = json_of(api.get(f"{V2}/requests/{given}.json"))
    assert item["service_request_id"] == "2023-GHA47R"


def test_an_unknown_short_id_is_404(api: Client, file_request: File) -> None:
    _renamed(file_request, "2023-GHA47R")
    response = api.get(f"{V2}/requests/ZZZ999.json")
    assert_errors(response, 404)


def test_an_ambiguous_short_id_is_404_naming_the_candidates(
    api: Client, file_request: File
) -> None:
    _renamed(file_request, "2022-ABC123")
    _renamed(file_request, "2023-ABC123")
    response = api.get(f"{V2}/requests/ABC123.json")
    [reason] = assert_errors(response, 404)
    assert "2022-ABC123" in reason and "2023-ABC123" in reason


def test_the_id_list_of_requests_json_takes_short_ids_too(api: Client, file_request: File) -> None:
    """requests.json?service_request_id=GHA47R,... finds the request as requests/GHA47R does;
    a short id several years share lists each of them (a list has room for all)."""
    full = _renamed(file_request, "2023-GHA47R")
    older, newer = _renamed(file_request, "2022-ABC123"), _renamed(file_request, "2023-ABC123")
    other = file_request()
    params = {"service_request_id": f"gha47r, ABC123,{other}"}
    found = [r["service_request_id"] for r in json_of(api.get(f"{V2}/requests.json", params))]
    assert sorted(found) == sorted([full, older, newer, other])
    nothing = {"service_request_id": "ZZZ999"}
    assert json_of(api.get(f"{V2}/requests.json", nothing)) == []
