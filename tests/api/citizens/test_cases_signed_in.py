"""The case endpoints with a citizen's token: filing links the case; the linked reporter rates,
reopens and adds photos without the citizen_token and may not say "me too" on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Case
from pracha.config import Rate
from pracha.states import State
from tests.citizens.support import bearer, device
from tests.factories import BANGKOK, set_state
from tests.helpers import auth, case_url, image_bytes, post_json

REPORT = {"description": "ทางเท้าพัง", **BANGKOK}


def file(api: Client, token: str, **headers: str) -> Any:
    return post_json(api, "/api/v1/cases", REPORT, **bearer(token), **headers)


def test_a_case_filed_with_a_citizen_token_is_linked(
    api: Client, sign_in: Callable[..., str], citizen_of: Callable[..., Any]
) -> None:
    token = sign_in()
    response = file(api, token)
    assert response.status_code == 201
    assert response.json()["citizen_token"]  # still given: the app may keep it
    case = Case.objects.get(ticket_id=response.json()["ticket_id"])
    assert case.citizen == citizen_of()


def test_filing_without_a_token_or_with_an_officer_key_works_as_before(
    api: Client, db: None, officer: tuple[Officer, str]
) -> None:
    assert post_json(api, "/api/v1/cases", REPORT).status_code == 201
    assert post_json(api, "/api/v1/cases", REPORT, **auth(officer[1])).status_code == 201
    assert not Case.objects.filter(citizen__isnull=False).exists()


def test_a_stale_citizen_token_is_401_not_an_anonymous_report(api: Client, db: None) -> None:
    response = file(api, "ct_no-longer-valid-token-00000000000000000000")
    assert response.status_code == 401
    assert "sign in again" in response.json()["detail"].replace("; sign in with", "; sign in again")
    assert Case.objects.count() == 0


def test_the_linked_reporter_rates_and_reopens_without_the_citizen_token(
    api: Client, sign_in: Callable[..., str]
) -> None:
    token = sign_in()
    ticket = file(api, token).json()["ticket_id"]
    set_state(ticket, State.DONE)
    rated = post_json(
        api, case_url(ticket, "rate"), {"stars": 5, "comment": "เร็วมาก"}, **bearer(token)
    )
    assert rated.status_code == 200 and rated.json()["stars"] == 5
    assert rated.json()["timeline"][-1]["actor_kind"] == "reporter"
    reopened = post_json(api, case_url(ticket, "reopen"), {"reason": "พังอีก"}, **bearer(token))
    assert reopened.status_code == 200 and reopened.json()["reopen_count"] == 1


def test_another_citizen_may_not_rate_or_reopen(api: Client, sign_in: Callable[..., str]) -> None:
    ticket = file(api, sign_in("owner@example.org")).json()["ticket_id"]
    set_state(ticket, State.DONE)
    stranger = sign_in("stranger@example.org")
    rated = post_json(api, case_url(ticket, "rate"), {"stars": 1}, **bearer(stranger))
    assert rated.status_code == 403
    assert "sign in to the account" in rated.json()["detail"]
    reopened = post_json(api, case_url(ticket, "reopen"), {"reason": "x"}, **bearer(stranger))
    assert reopened.status_code == 403


def test_the_linked_reporter_may_not_say_me_too_from_any_device(
    api: Client, sign_in: Callable[..., str]
) -> None:
    token = sign_in()
    ticket = file(api, token, **device()).json()["ticket_id"]
    own = api.post(case_url(ticket, "me-too"), **bearer(token), **device())
    assert own.status_code == 403 and own.json()["code"] == "own_report"
    neighbour = api.post(case_url(ticket, "me-too"), **bearer(sign_in("neighbour@example.org")))
    assert neighbour.status_code == 200 and neighbour.json()["me_too_count"] == 1


def test_me_too_is_counted_once_per_person_across_devices(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    token = sign_in()
    first = api.post(case_url(ticket, "me-too"), **bearer(token), **device())
    second = api.post(case_url(ticket, "me-too"), **bearer(token), **device())
    assert first.json()["already"] is False and second.json()["already"] is True
    assert second.json()["me_too_count"] == 1


def test_reports_are_limited_per_citizen_not_per_device(
    api: Client, sign_in: Callable[..., str], pracha: Callable[..., None]
) -> None:
    token = sign_in()
    pracha(rate_reports_per_ip=Rate(600, 600), rate_reports_per_citizen=Rate(2, 600))
    statuses = [file(api, token, **device()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    # Another person behind the same address files on.
    assert file(api, sign_in("other@example.org"), **device()).status_code == 201


def test_the_linked_reporter_adds_photos_after_waiting(
    api: Client, sign_in: Callable[..., str], media: Any
) -> None:
    token = sign_in()
    ticket = file(api, token).json()["ticket_id"]
    set_state(ticket, State.ACCEPTED)
    photo = SimpleUploadedFile("p.png", image_bytes(), content_type="image/png")
    response = api.post(case_url(ticket, "photos"), {"file": photo}, **bearer(token))
    assert response.status_code == 201, response.content
    stranger = sign_in("stranger@example.org")
    photo = SimpleUploadedFile("p.png", image_bytes(), content_type="image/png")
    assert (
        api.post(case_url(ticket, "photos"), {"file": photo}, **bearer(stranger)).status_code == 403
    )
