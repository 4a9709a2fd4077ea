"""GET /api/v1/me/export: everything held about the citizen."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.citizens.signals import collect_citizen_data
from tests.citizens.support import EMAIL, bearer
from tests.factories import BANGKOK
from tests.helpers import post_json


def test_the_export_holds_the_account_its_cases_and_consents(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    token = sign_in()
    mine = post_json(
        api,
        "/api/v1/cases",
        {"description": "ต้นไม้ล้ม", **BANGKOK, "reporter": {"name": "สมศรี", "phone": "0812345678"}},
        **bearer(token),
    ).json()
    neighbours = file_case(description="ถนนพัง")
    assert (
        api.post(f"/api/v1/cases/{neighbours['ticket_id']}/me-too", **bearer(token)).status_code
        == 200
    )
    post_json(
        api,
        "/api/v1/me/consents",
        {"agency": "bma", "data": ["address", "phone"], "purpose": "ส่งเจ้าหน้าที่ไปตรวจ"},
        **bearer(token),
    )

    response = api.get("/api/v1/me/export", **bearer(token))

    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {
        "generated_at",
        "account",
        "channels",
        "sign_ins",
        "notifications",
        "consents",
        "cases",
        "me_too",
        "held_elsewhere",
    }
    assert data["account"]["language"] == "th"
    assert data["channels"][0]["address"] == EMAIL
    # Sign-ins are listed by prefix and dates; the token itself is never in the export.
    assert [s["prefix"] for s in data["sign_ins"]] == [token[:12]]
    assert token not in json.dumps(data)
    assert data["notifications"] == {"email": True, "line": True}
    [consent] = data["consents"]
    assert (consent["agency"]["code"], consent["data"], consent["active"]) == (
        "bma",
        ["address", "phone"],
        True,
    )
    [case] = data["cases"]
    assert case["ticket_id"] == mine["ticket_id"]
    assert case["reporter"]["name"] == "สมศรี" and case["reporter"]["phone"] == "0812345678"
    assert case["linked_to_account"] is True
    assert [e["kind"] for e in case["timeline"]][:1] == ["created"]
    assert data["me_too"] == [neighbours["ticket_id"]]
    assert AuditEntry.objects.get(action="citizen.export").detail == {"cases": 1}


def test_other_modules_add_what_they_hold(api: Client, sign_in: Callable[..., str]) -> None:
    def journeys(sender: Any, citizen: Any, **_: Any) -> dict[str, Any]:
        return {"journeys": ["birth registration"]}

    collect_citizen_data.connect(journeys)
    try:
        data = api.get("/api/v1/me/export", **bearer(sign_in())).json()
    finally:
        collect_citizen_data.disconnect(journeys)
    assert data["held_elsewhere"] == {__name__: {"journeys": ["birth registration"]}}


def test_without_a_token_it_is_401(api: Client, db: None) -> None:
    assert api.get("/api/v1/me/export").status_code == 401
