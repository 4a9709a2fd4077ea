"""POST /api/v1/cases/{ticket_id}/close: done (with an after-photo) or irrelevant (a reason)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Case
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, image_bytes, post_json, upload


@pytest.fixture
def ticket_id(media: Path, file_case: Callable[..., dict[str, Any]]) -> str:
    ticket_id = file_case()["ticket_id"]
    set_state(ticket_id, State.IN_PROGRESS)
    return ticket_id


def close(api: Client, ticket_id: str, key: str, body: dict[str, Any]) -> Any:
    return post_json(api, case_url(ticket_id, "close"), body, **auth(key))


def test_close_done_with_an_after_photo(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    photo = upload(api, ticket_id, image_bytes("JPEG"), kind="after", **auth(key))
    assert photo.status_code == 201
    photo_id = photo.json()["id"]

    response = close(
        api, ticket_id, key, {"outcome": "done", "note": "ซ่อมเสร็จ", "photo_id": photo_id}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["status"]) == ("done", "closed")
    assert body["closed_at"] is not None
    last = body["timeline"][-1]
    assert (last["kind"], last["to_state"], last["note"]) == ("closed", "done", "ซ่อมเสร็จ")
    assert last["photo_url"] == photo.json()["url"]
    # The public sees the result with its photo.
    public = api.get(case_url(ticket_id)).json()
    assert public["timeline"][-1]["photo_url"] == photo.json()["url"]
    assert [p["kind"] for p in public["photos"]] == ["after"]


def test_close_done_without_a_photo(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    response = close(api, ticket_id, key, {})  # outcome defaults to done
    assert response.json()["state"] == "done"


def test_close_irrelevant_with_a_reason(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    response = close(api, ticket_id, key, {"outcome": "irrelevant", "note": "อยู่ในที่ดินเอกชน"})
    assert response.status_code == 200
    assert response.json()["state"] == "irrelevant"
    assert response.json()["state_name_en"] == "Not relevant"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_close_irrelevant_needs_a_reason(
    api: Client, ticket_id: str, officer: tuple[Officer, str], note: str | None
) -> None:
    _me, key = officer
    body = {"outcome": "irrelevant"} | ({} if note is None else {"note": note})
    response = close(api, ticket_id, key, body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "a reason is required to close a case as irrelevant",
        "code": "invalid_input",
        "field": "note",
    }
    assert Case.objects.get(ticket_id=ticket_id).state == State.IN_PROGRESS


def test_a_before_photo_cannot_close(
    api: Client, ticket_id: str, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    photo_id = upload(api, ticket_id, image_bytes(), **auth(key)).json()["id"]
    response = close(api, ticket_id, key, {"outcome": "done", "photo_id": photo_id})
    assert response.status_code == 400
    assert response.json()["field"] == "photo_id"
    assert "'after' photo" in response.json()["detail"]


def test_another_cases_photo_cannot_close(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    file_case: Callable[..., dict[str, Any]],
) -> None:
    _me, key = officer
    other = file_case()["ticket_id"]
    photo_id = upload(api, other, image_bytes(), kind="after", **auth(key)).json()["id"]

    for bad in (photo_id, 999_999, -1):
        response = close(api, ticket_id, key, {"outcome": "done", "photo_id": bad})
        assert response.status_code == 400
        assert response.json()["detail"] == f"case {ticket_id} has no photo {bad}"
    assert Case.objects.get(ticket_id=ticket_id).state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"outcome": "finished"}, 400, "outcome"),
        ({"outcome": "waiting", "note": "x"}, 400, "outcome"),
        ({"photo_id": "abc"}, 422, "photo_id"),
        ({"photo_id": 10**30}, 400, "photo_id"),
        ({"note": "x" * 5001}, 400, "note"),
    ],
)
def test_bad_closes(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    _me, key = officer
    response = close(api, ticket_id, key, body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert Case.objects.get(ticket_id=ticket_id).state == State.IN_PROGRESS


def test_closing_a_waiting_case_as_done_is_409(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    response = close(api, ticket_id, key, {"outcome": "done"})
    assert response.status_code == 409
    assert response.json()["detail"] == f"case {ticket_id} is waiting; it cannot move to done"
