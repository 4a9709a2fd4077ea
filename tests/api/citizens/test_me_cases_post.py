"""POST /api/v1/me/cases: claim a report filed without an account, with its citizen_token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.states import State
from tests.citizens.support import bearer
from tests.factories import set_state
from tests.helpers import case_url, post_json

URL = "/api/v1/me/cases"


def claim(api: Client, token: str, ticket_id: str, citizen_token: str) -> Any:
    return post_json(
        api, URL, {"ticket_id": ticket_id, "citizen_token": citizen_token}, **bearer(token)
    )


def test_a_report_filed_anonymously_joins_the_account(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    token = sign_in()

    response = claim(api, token, filed["ticket_id"], filed["citizen_token"])

    assert response.status_code == 200
    assert response.json()["ticket_id"] == filed["ticket_id"]
    assert response.json()["already"] is False
    assert [c["ticket_id"] for c in api.get("/api/v1/me", **bearer(token)).json()["cases"]] == [
        filed["ticket_id"]
    ]
    again = claim(api, token, filed["ticket_id"], filed["citizen_token"])
    assert again.status_code == 200 and again.json()["already"] is True
    assert AuditEntry.objects.filter(action="citizen.case_claimed").count() == 1


def test_the_short_ticket_id_works_too(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    short = filed["ticket_id"].split("-")[1].lower()
    assert claim(api, sign_in(), short, filed["citizen_token"]).status_code == 200


def test_a_wrong_citizen_token_is_403(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    response = claim(api, sign_in(), filed["ticket_id"], "0" * 32)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "citizen_token" in response.json()["detail"]
    assert Case.objects.get().citizen_id is None


def test_a_report_of_another_account_is_409(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    first = sign_in("first@example.org")
    claim(api, first, filed["ticket_id"], filed["citizen_token"])

    response = claim(api, sign_in("second@example.org"), filed["ticket_id"], filed["citizen_token"])

    assert response.status_code == 409
    assert response.json()["code"] == "already_claimed"
    assert len(api.get("/api/v1/me", **bearer(first)).json()["cases"]) == 1


def test_an_unknown_ticket_is_404(api: Client, sign_in: Callable[..., str]) -> None:
    assert claim(api, sign_in(), "2026-ZZZZZZ", "0" * 32).status_code == 404


def test_a_claimed_report_is_rated_and_reopened_signed_in_without_its_token(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    token = sign_in()
    claim(api, token, filed["ticket_id"], filed["citizen_token"])
    set_state(filed["ticket_id"], State.DONE)

    rated = post_json(api, case_url(filed["ticket_id"], "rate"), {"stars": 4}, **bearer(token))
    assert rated.status_code == 200, rated.content
    assert rated.json()["stars"] == 4
    reopened = post_json(
        api, case_url(filed["ticket_id"], "reopen"), {"reason": "ยังไม่ซ่อม"}, **bearer(token)
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "waiting"


def test_claiming_needs_a_signed_in_citizen(
    api: Client, db: None, file_case: Callable[..., dict[str, Any]]
) -> None:
    filed = file_case()
    response = post_json(
        api, URL, {"ticket_id": filed["ticket_id"], "citizen_token": filed["citizen_token"]}
    )
    assert response.status_code == 401
