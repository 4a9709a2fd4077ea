"""DELETE /api/v1/me: the account goes, its reports stay anonymous for statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, MeToo, ReporterContact
from pracha.citizens.models import (
    Channel,
    Citizen,
    CitizenToken,
    Consent,
    NotificationSetting,
    SignInCode,
)
from pracha.citizens.signals import citizen_deleting
from tests.citizens.support import EMAIL, bearer, last_code
from tests.factories import BANGKOK
from tests.helpers import post_json

REPORT = {
    "description": "ไฟถนนดับ ติดต่อสมศรี 081-234-5678",
    **BANGKOK,
    "reporter": {"name": "สมศรี ใจดี", "phone": "081-234-5678", "email": EMAIL},
}


def test_the_account_is_deleted_and_its_cases_stay_anonymous(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    token = sign_in()
    filed = post_json(api, "/api/v1/cases", REPORT, **bearer(token)).json()
    post_json(
        api,
        "/api/v1/me/consents",
        {"agency": "bma", "data": ["address"], "purpose": "x"},
        **bearer(token),
    )
    api.patch(
        "/api/v1/me",
        '{"notifications": {"email": false}}',
        content_type="application/json",
        **bearer(token),
    )
    someone_else = file_case(reporter={"name": "ก", "email": "k@example.org"})
    cases_before = Case.objects.count()

    response = api.delete("/api/v1/me", **bearer(token))

    assert response.status_code == 200
    assert response.json() == {"deleted": True, "cases_kept_anonymous": 1}
    assert Citizen.objects.count() == 0
    for model in (Channel, CitizenToken, Consent, NotificationSetting, SignInCode):
        assert model.objects.count() == 0, model
    # The case is still counted, without the reporter's contact, link or identifiers.
    assert Case.objects.count() == cases_before
    case = Case.objects.get(ticket_id=filed["ticket_id"])
    assert case.citizen_id is None and case.state == "waiting"
    assert not ReporterContact.objects.filter(case=case).exists()
    assert "081-234-5678" not in case.description
    assert not MeToo.objects.filter(case=case, by_reporter=True).exists()
    # Another reporter's case is untouched.
    assert ReporterContact.objects.filter(case__ticket_id=someone_else["ticket_id"]).exists()
    entry = AuditEntry.objects.get(action="citizen.deleted")
    assert entry.detail == {"cases_kept_anonymous": 1, "contacts_removed": 1}
    assert EMAIL not in str(entry.detail)


def test_the_token_of_a_deleted_account_is_401(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    assert api.delete("/api/v1/me", **bearer(token)).status_code == 200
    for call in (api.get, api.delete):
        response = call("/api/v1/me", **bearer(token))
        assert response.status_code == 401
    assert (
        post_json(
            api, "/api/v1/cases", {"description": "x", **BANGKOK}, **bearer(token)
        ).status_code
        == 401
    )


def test_signing_in_again_makes_a_new_empty_account(
    api: Client,
    sign_in: Callable[..., str],
    ask_code: Callable[..., Any],
    confirm: Callable[..., Any],
) -> None:
    token = sign_in()
    post_json(api, "/api/v1/cases", {"description": "ไฟดับ", **BANGKOK}, **bearer(token))
    old_id = api.get("/api/v1/me", **bearer(token)).json()["id"]
    api.delete("/api/v1/me", **bearer(token))
    mail.outbox.clear()
    ask_code()
    again = confirm(EMAIL, last_code()).json()
    assert again["new_account"] is True and again["citizen"]["id"] != old_id
    assert api.get("/api/v1/me", **bearer(again["token"])).json()["cases"] == []


def test_other_modules_delete_what_they_keep(api: Client, sign_in: Callable[..., str]) -> None:
    seen: list[int] = []

    def forget(sender: Any, citizen: Citizen, **_: Any) -> None:
        seen.append(citizen.pk)

    citizen_deleting.connect(forget)
    try:
        token = sign_in()
        pk = api.get("/api/v1/me", **bearer(token)).json()["id"]
        api.delete("/api/v1/me", **bearer(token))
    finally:
        citizen_deleting.disconnect(forget)
    assert seen == [pk]


def test_a_refusing_module_aborts_the_deletion(api: Client, sign_in: Callable[..., str]) -> None:
    def refuse(sender: Any, citizen: Citizen, **_: Any) -> None:
        raise RuntimeError("cannot delete yet")

    token = sign_in()
    post_json(api, "/api/v1/cases", REPORT, **bearer(token))
    citizen_deleting.connect(refuse)
    try:
        api.raise_request_exception = False
        response = api.delete("/api/v1/me", **bearer(token))
    finally:
        citizen_deleting.disconnect(refuse)
    assert response.status_code == 500
    assert Citizen.objects.count() == 1
    assert ReporterContact.objects.count() == 1  # the erasure was rolled back with it
    assert Case.objects.get().citizen_id is not None
