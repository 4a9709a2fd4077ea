"""Shared by the citizen-account tests (tests/citizens/, tests/api/citizens/): codes read from
the e-mails sent, and signed-in API clients. The conftests of both folders import the fixtures."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pracha.citizens.models import Citizen
from pracha.limits.device import HEADER, new_device_token
from tests.helpers import post_json

CODE = re.compile(r"^\s+(\d{6})\s*$", re.M)
EMAIL = "somsri@example.org"


def code_in(body: str) -> str:
    found = CODE.search(body)
    assert found, body
    return found.group(1)


def last_code(address: str = EMAIL) -> str:
    """The code in the newest e-mail sent to `address`."""
    for message in reversed(mail.outbox):
        if message.to == [address]:
            return code_in(message.body)
    raise AssertionError(f"no e-mail to {address}: {[m.to for m in mail.outbox]}")


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def device(age: int = 3600) -> dict[str, str]:
    """A device id issued `age` seconds ago, as an app sends it."""
    return {f"HTTP_{HEADER.upper().replace('-', '_')}": new_device_token(time.time() - age)}


def wrong(code: str) -> str:
    """A well-formed code that is not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def ask_code(api: Client, db: None, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST /api/v1/auth/email (the e-mail is sent on commit, so it lands in mail.outbox)."""

    def ask(email: str = EMAIL, client: Client | None = None, **extra: Any) -> Any:
        headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
        body = {"email": email, **{k: v for k, v in extra.items() if not k.startswith("HTTP_")}}
        with django_capture_on_commit_callbacks(execute=True):
            return post_json(client or api, "/api/v1/auth/email", body, **headers)

    return ask


@pytest.fixture
def confirm(api: Client, db: None) -> Callable[..., Any]:
    """POST /api/v1/auth/email/confirm."""

    def send(email: str, code: str, client: Client | None = None, **body: Any) -> Any:
        return post_json(
            client or api, "/api/v1/auth/email/confirm", {"email": email, "code": code, **body}
        )

    return send


@pytest.fixture
def sign_in(ask_code: Callable[..., Any], confirm: Callable[..., Any]) -> Callable[..., str]:
    """A citizen token for `email` (the account is made at its first sign-in)."""

    def sign(email: str = EMAIL) -> str:
        assert ask_code(email).status_code == 202
        response = confirm(email, last_code(email))
        assert response.status_code == 200, response.content
        return str(response.json()["token"])

    return sign


@pytest.fixture
def citizen_of(db: None) -> Callable[[str], Citizen]:
    def find(email: str = EMAIL) -> Citizen:
        return Citizen.objects.get(channels__kind="email", channels__address=email)

    return find
