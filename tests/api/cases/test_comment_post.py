"""POST /api/v1/cases/{ticket_id}/comment: public and staff-only notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Event
from tests.helpers import auth, case_url, post_json, text_of


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


def test_a_public_comment_is_on_the_public_timeline(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    response = post_json(
        api, case_url(ticket_id, "comment"), {"note": "ทีมช่างลงพื้นที่แล้ว"}, **auth(key)
    )

    assert response.status_code == 200
    assert response.json()["state"] == "waiting"
    public = api.get(case_url(ticket_id)).json()["timeline"]
    assert (public[-1]["kind"], public[-1]["note"], public[-1]["public"]) == (
        "commented",
        "ทีมช่างลงพื้นที่แล้ว",
        True,
    )


def test_a_staff_only_comment_stays_among_staff(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    note = {"note": "ระวัง ผู้ร้องรายนี้ร้องซ้ำบ่อย", "public": False}
    response = post_json(api, case_url(ticket_id, "comment"), note, **auth(key))

    assert response.status_code == 200
    assert response.json()["timeline"][-1]["public"] is False
    assert "ผู้ร้องรายนี้" not in text_of(api.get(case_url(ticket_id)))
    assert "ผู้ร้องรายนี้" not in text_of(api.get("/api/v1/cases"))
    staff = api.get(case_url(ticket_id), **auth(key)).json()["timeline"]
    assert staff[-1]["note"] == "ระวัง ผู้ร้องรายนี้ร้องซ้ำบ่อย"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "note"),
        ({"note": ""}, 400, "note"),
        ({"note": "   "}, 400, "note"),
        ({"note": "x" * 5001}, 400, "note"),
        ({"note": "ok", "public": "maybe"}, 422, "public"),
        ({"note": 5}, 422, "note"),
    ],
)
def test_bad_comments(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    _me, key = officer
    response = post_json(api, case_url(ticket_id, "comment"), body, **auth(key))
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not Event.objects.filter(kind=Event.Kind.COMMENTED).exists()
