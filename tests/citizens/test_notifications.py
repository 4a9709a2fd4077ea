"""A signed-in reporter hears about their report at the account's e-mail, in the account's
language, unless they switched e-mail off in "My Pracha"."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client

from pracha.agencies.models import Officer
from tests.citizens.support import EMAIL, bearer
from tests.factories import BANGKOK
from tests.helpers import auth, case_url, post_json


def file(api: Client, token: str, committed: Any, **extra: Any) -> str:
    with committed(execute=True):
        response = post_json(
            api, "/api/v1/cases", {"description": "ไฟดับ", **BANGKOK, **extra}, **bearer(token)
        )
    assert response.status_code == 201
    return str(response.json()["ticket_id"])


def accept(api: Client, ticket: str, key: str, committed: Any) -> None:
    with committed(execute=True):
        assert post_json(api, case_url(ticket, "accept"), {}, **auth(key)).status_code == 200


def test_the_account_e_mail_hears_of_each_change_in_its_language(
    api: Client,
    sign_in: Callable[..., str],
    officer: tuple[Officer, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = sign_in()
    api.patch(
        "/api/v1/me",
        json.dumps({"language": "en"}),
        content_type="application/json",
        **bearer(token),
    )
    mail.outbox.clear()
    ticket = file(api, token, django_capture_on_commit_callbacks)
    accept(api, ticket, officer[1], django_capture_on_commit_callbacks)
    to_account = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(to_account) == 2
    assert ticket in to_account[0].subject and "unsubscribe" in to_account[0].body.lower()
    assert "Accepted" in to_account[1].body or "accepted" in to_account[1].body


def test_a_contact_with_the_same_address_gets_one_message(
    api: Client, sign_in: Callable[..., str], django_capture_on_commit_callbacks: Any
) -> None:
    token = sign_in()
    mail.outbox.clear()
    file(api, token, django_capture_on_commit_callbacks, reporter={"name": "สมศรี", "email": EMAIL})
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_switching_e_mail_off_stops_every_message_to_the_address(
    api: Client,
    sign_in: Callable[..., str],
    officer: tuple[Officer, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = sign_in()
    api.patch(
        "/api/v1/me",
        json.dumps({"notifications": {"email": False}}),
        content_type="application/json",
        **bearer(token),
    )
    mail.outbox.clear()
    ticket = file(
        api, token, django_capture_on_commit_callbacks, reporter={"email": "SOMSRI@example.org"}
    )
    accept(api, ticket, officer[1], django_capture_on_commit_callbacks)
    assert mail.outbox == []
    # Another address given on the form still hears.
    file(api, token, django_capture_on_commit_callbacks, reporter={"email": "home@example.org"})
    assert [m.to for m in mail.outbox] == [["home@example.org"]]


def test_a_claimed_report_is_followed_too(
    api: Client,
    sign_in: Callable[..., str],
    file_case: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_case()  # its receipt went to nobody: no contact, no account yet
    token = sign_in()
    post_json(
        api,
        "/api/v1/me/cases",
        {"ticket_id": filed["ticket_id"], "citizen_token": filed["citizen_token"]},
        **bearer(token),
    )
    mail.outbox.clear()
    accept(api, filed["ticket_id"], officer[1], django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[EMAIL]]
