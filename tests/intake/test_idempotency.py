"""Idempotency-Key: a retried POST /api/v1/cases never makes a second ticket."""

from __future__ import annotations

import pytest
from django.test import Client

from pracha.cases.models import Case, Event
from pracha.intake.services import NewCase, do_create_case
from tests.factories import BANGKOK
from tests.helpers import post_json

URL = "/api/v1/cases"
BODY = {"description": "ท่อระบายน้ำอุดตัน", **BANGKOK}


def post(api: Client, key: str | None, body: dict[str, object] = BODY) -> object:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return post_json(api, URL, body, **headers)


def test_the_same_key_twice_gives_the_same_ticket(api: Client, db: None) -> None:
    first = post(api, "a4f1c7e0-retry-me")
    second = post(api, "a4f1c7e0-retry-me")

    assert first.status_code == second.status_code == 201
    assert first.json()["ticket_id"] == second.json()["ticket_id"]
    assert first.json()["citizen_token"] == second.json()["citizen_token"]
    assert first.json() == second.json()
    assert Case.objects.count() == 1
    assert Event.objects.count() == 1


def test_the_same_key_with_another_report_is_refused(api: Client, db: None) -> None:
    """Not a retry: answering with the first case would hand its citizen_token to whoever
    reuses (or guesses) the key."""
    first = post(api, "key-1")
    second = post(api, "key-1", {**BODY, "description": "อย่างอื่น"})
    assert second.status_code == 422
    body = second.json()
    assert body["code"] == "idempotency_key_reused" and body["field"] == "Idempotency-Key"
    assert first.json()["ticket_id"] not in second.content.decode()
    assert "citizen_token" not in body
    assert Case.objects.count() == 1
    assert post(api, "key-1").json()["ticket_id"] == first.json()["ticket_id"]  # still retries


def test_different_keys_make_different_cases(api: Client, db: None) -> None:
    first = post(api, "key-1")
    second = post(api, "key-2")
    assert first.json()["ticket_id"] != second.json()["ticket_id"]
    assert Case.objects.count() == 2


def test_without_a_key_each_post_is_a_new_case(api: Client, db: None) -> None:
    post(api, None)
    post(api, None)
    assert Case.objects.count() == 2


def test_surrounding_spaces_do_not_make_a_new_key(api: Client, db: None) -> None:
    first = post(api, "key-1")
    second = post(api, "  key-1 ")
    assert first.json()["ticket_id"] == second.json()["ticket_id"]


@pytest.mark.parametrize(
    "key",
    ["", "   ", "k" * 201, "bad\x00key", "tab\tkey", "new\nline"],
    ids=["empty", "spaces", "overlong", "nul", "tab", "newline"],
)
def test_unusable_keys_are_400(api: Client, db: None, key: str) -> None:
    response = post(api, key)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "Idempotency-Key"
    assert "Idempotency-Key" in body["detail"]
    assert not Case.objects.exists()


def test_a_key_of_200_characters_is_fine(api: Client, db: None) -> None:
    assert post(api, "k" * 200).status_code == 201


def test_an_invalid_body_with_a_key_stores_nothing_and_can_be_retried(
    api: Client, db: None
) -> None:
    bad = post(api, "key-1", {**BODY, "lat": 99})
    assert bad.status_code == 400
    good = post(api, "key-1")
    assert good.status_code == 201
    assert Case.objects.count() == 1


def test_a_concurrent_retry_that_won_the_race_is_returned(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request stored the same key between our check and our insert: use its case."""
    winner, _ = do_create_case(NewCase(description="ก่อน", **BANGKOK), idempotency_key="race")
    real_filter = Case.objects.filter
    checks: list[str] = []

    def first_check_misses(*args: object, **kwargs: object) -> object:
        if kwargs.get("idempotency_key") == "race" and not checks:
            checks.append("missed")
            return Case.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Case.objects, "filter", first_check_misses)

    case, created = do_create_case(NewCase(description="ก่อน", **BANGKOK), idempotency_key="race")

    assert checks == ["missed"]  # the insert hit the unique key, then the lookup found it
    assert (case.pk, created) == (winner.pk, False)
    assert Case.objects.count() == 1
