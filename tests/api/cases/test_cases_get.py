"""GET /api/v1/cases/{ticket_id}: the public case and its timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import revoke_api_key
from tests.helpers import auth, case_url, post_json, text_of

REPORTER = {"name": "สมหญิง ใจดี", "phone": "0812345678", "email": "somying@example.org"}


@pytest.fixture
def filed(file_case: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return file_case(reporter=REPORTER, address="ปากซอยรามคำแหง 24")


@pytest.fixture
def with_notes(api: Client, filed: dict[str, Any], officer: tuple[Officer, str]) -> str:
    """A case an officer has commented on publicly and among staff."""
    ticket_id = filed["ticket_id"]
    _me, key = officer
    for note, public in (("จะไปตรวจพรุ่งนี้", True), ("ผู้ร้องเป็นญาติ ผอ.", False)):
        response = post_json(
            api, case_url(ticket_id, "comment"), {"note": note, "public": public}, **auth(key)
        )
        assert response.status_code == 200
    return ticket_id


def test_the_public_case(api: Client, filed: dict[str, Any]) -> None:
    response = api.get(case_url(filed["ticket_id"]))

    assert response.status_code == 200
    body = response.json()
    assert body["ticket_id"] == filed["ticket_id"]
    assert body["address"] == "ปากซอยรามคำแหง 24"
    assert body["agency"]["name_en"] == "Bangkok Metropolitan Administration"
    assert [e["kind"] for e in body["timeline"]] == ["created"]
    assert "citizen_token" not in body


def test_ticket_ids_are_case_insensitive(api: Client, filed: dict[str, Any]) -> None:
    response = api.get(case_url(filed["ticket_id"].lower()))
    assert response.json()["ticket_id"] == filed["ticket_id"]


def test_reporter_contact_never_appears(
    api: Client, with_notes: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    for headers in ({}, auth(key)):
        response = api.get(case_url(with_notes), **headers)
        raw, text = response.content, text_of(response)
        for value in REPORTER.values():
            assert value.encode() not in raw
            assert value.encode("unicode_escape") not in raw
            assert value not in text
        # No contact object (the timeline may say an event was the reporter's: actor_kind).
        assert '"reporter":' not in text and '"contact"' not in text
        assert "citizen_token" not in text


def test_staff_only_notes_are_hidden_from_the_public(api: Client, with_notes: str) -> None:
    body = api.get(case_url(with_notes)).json()
    notes = [e["note"] for e in body["timeline"] if e["kind"] == "commented"]
    assert notes == ["จะไปตรวจพรุ่งนี้"]
    assert "ผู้ร้องเป็นญาติ" not in text_of(api.get(case_url(with_notes)))


@pytest.mark.parametrize("header", ["bearer", "x-api-key"])
def test_staff_only_notes_are_shown_to_the_agencys_officers(
    api: Client, with_notes: str, officer: tuple[Officer, str], header: str
) -> None:
    _me, key = officer
    headers = auth(key) if header == "bearer" else {"HTTP_X_API_KEY": key}
    body = api.get(case_url(with_notes), **headers).json()
    comments = [(e["note"], e["public"]) for e in body["timeline"] if e["kind"] == "commented"]
    assert comments == [("จะไปตรวจพรุ่งนี้", True), ("ผู้ร้องเป็นญาติ ผอ.", False)]


def test_staff_only_notes_are_hidden_from_other_agencies(
    api: Client,
    with_notes: str,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _stranger, key = make_officer(make_agency("elsewhere"))
    body = api.get(case_url(with_notes), **auth(key)).json()
    assert [e["note"] for e in body["timeline"] if e["kind"] == "commented"] == ["จะไปตรวจพรุ่งนี้"]


def test_staff_only_notes_are_hidden_from_a_revoked_or_deactivated_officer(
    api: Client, with_notes: str, officer: tuple[Officer, str]
) -> None:
    me, key = officer
    assert "ผู้ร้องเป็นญาติ" in text_of(api.get(case_url(with_notes), **auth(key)))
    me.user.is_active = False
    me.user.save()
    assert "ผู้ร้องเป็นญาติ" not in text_of(api.get(case_url(with_notes), **auth(key)))
    me.user.is_active = True
    me.user.save()
    revoke_api_key(key[:12])
    assert "ผู้ร้องเป็นญาติ" not in text_of(api.get(case_url(with_notes), **auth(key)))


def test_an_unknown_ticket(api: Client, db: None) -> None:
    response = api.get(case_url("2026-ZZZZZZ"))
    assert response.status_code == 404
    assert response.json() == {"detail": "no case '2026-ZZZZZZ'", "code": "not_found"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/" + quote("../../etc/passwd", safe=""),
        "/api/v1/cases/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/cases/%2e%2e%2f%2e%2e%2fsettings.py",
        "/api/v1/cases/..",
        "/api/v1/cases/" + "A" * 5000,
        "/api/v1/cases/" + quote("๒๕๖๙-กขคงจฉ"),
        "/api/v1/cases/" + quote("2026-ABC123' OR '1'='1"),
        "/api/v1/cases/%00",
        "/api/v1/cases/2026-ABC%0A123",
        "/api/v1/cases/" + quote("\U0001f4a9" * 40),
        "/api/v1/no-such-endpoint",
        "/api/v1/cases/2026-ABC123/photos/1/../../..",
    ],
)
def test_hostile_ticket_ids_are_json_404s(api: Client, db: None, path: str) -> None:
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found"
    assert body["detail"]
    assert len(body["detail"]) < 200
    assert b"root:" not in response.content


def test_the_timeline_costs_the_same_queries_however_long(
    api: Client,
    filed: dict[str, Any],
    officer: tuple[Officer, str],
    make_agency: Callable[..., Agency],
) -> None:
    """No query per event: agencies and photos on the timeline are fetched in bulk."""
    _me, key = officer
    ticket_id = filed["ticket_id"]
    make_agency("district-x")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(case_url(ticket_id)).status_code == 200
        return len(captured)

    post_json(api, case_url(ticket_id, "comment"), {"note": "หนึ่ง"}, **auth(key))
    few = queries()
    for n in range(5):
        post_json(api, case_url(ticket_id, "comment"), {"note": f"ข้อ {n}"}, **auth(key))
    body = {"agency": "district-x", "reason": "ของเขต"}
    post_json(api, case_url(ticket_id, "invite"), body, **auth(key))
    assert queries() == few
