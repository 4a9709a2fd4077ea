"""POST /api/v1/auth/email: a six-digit code by e-mail, 202 whatever the address."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pracha.audit.models import AuditEntry
from pracha.citizens.addresses import address_key
from pracha.citizens.models import Citizen, SignInCode
from pracha.config import Rate
from tests.citizens.support import EMAIL, code_in, device, last_code
from tests.helpers import post_json

URL = "/api/v1/auth/email"


def test_a_code_is_e_mailed_and_the_answer_is_202(ask_code: Callable[..., Any]) -> None:
    response = ask_code("Somsri@Example.org ")

    assert response.status_code == 202
    assert response.json() == {
        "detail": (
            "if this address can receive e-mail, a sign-in code is on its way; "
            "confirm it with POST /api/v1/auth/email/confirm"
        ),
        "expires_in_seconds": 600,
    }
    [message] = mail.outbox
    assert message.to == [EMAIL]  # the address as kept: trimmed, lower case
    code = code_in(message.body)
    assert len(code) == 6 and code.isdigit()
    assert code in message.subject
    # Nothing else about the person is sent, nor any link that signs in by itself.
    assert "?" not in message.body and "token" not in message.body.lower()


def test_known_and_unknown_addresses_get_identical_answers_and_work(
    ask_code: Callable[..., Any], sign_in: Callable[..., str]
) -> None:
    sign_in("known@example.org")
    mail.outbox.clear()
    codes_before = SignInCode.objects.count()

    known = ask_code("known@example.org")
    unknown = ask_code("nobody@example.org")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert {k: v for k, v in known.items() if k != "Date"} == {
        k: v for k, v in unknown.items() if k != "Date"
    }
    # The same work for both: a stored code and a message each; no account made yet.
    assert SignInCode.objects.count() == codes_before + 2
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.org", "nobody@example.org"]
    assert Citizen.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["", "   ", "not-an-address", "a@b", "two@@example.org", "a b@example.org", "x" * 300]
)
def test_a_malformed_address_is_400_and_nothing_is_sent(
    ask_code: Callable[..., Any], email: str
) -> None:
    response = ask_code(email)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", "email")
    assert mail.outbox == [] and SignInCode.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"email": 12}, {"email": ["a@example.org"]}, []])
def test_a_body_of_the_wrong_shape_is_422(api: Client, body: Any) -> None:
    response = post_json(api, URL, body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_not_json_is_400(api: Client) -> None:
    response = api.post(URL, "{email", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


def test_the_code_is_stored_only_as_a_keyed_hash(ask_code: Callable[..., Any]) -> None:
    ask_code()
    code = last_code()
    row = SignInCode.objects.get()
    stored = json.dumps(list(SignInCode.objects.values()), default=str)
    assert code not in stored and EMAIL not in stored
    assert row.address_key == address_key("email", EMAIL)
    assert len(row.code_hash) == 64
    assert row.expires_at - row.created_at == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("language", "words"),
    [("th", "รหัสสำหรับเข้าสู่ระบบประชาของคุณ"), ("en", "Your code to sign in to Pracha")],
)
def test_the_e_mail_is_in_the_language_asked_for(
    ask_code: Callable[..., Any], language: str, words: str
) -> None:
    ask_code(language=language)
    [message] = mail.outbox
    assert words in message.body


def test_without_a_language_the_accept_language_header_decides(
    ask_code: Callable[..., Any],
) -> None:
    ask_code(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    ask_code("other@example.org", HTTP_ACCEPT_LANGUAGE="th-TH")
    english, thai = mail.outbox
    assert "sign-in code" in english.subject
    assert "รหัสเข้าสู่ระบบ" in thai.subject


def test_a_new_code_replaces_the_older_one(ask_code: Callable[..., Any]) -> None:
    ask_code()
    ask_code()
    older, newer = SignInCode.objects.order_by("created_at", "pk")
    assert older.replaced_at is not None and newer.replaced_at is None


def test_codes_per_address_are_limited_with_retry_after(
    ask_code: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(rate_signin_per_email=Rate(3, 3600))
    for _ in range(3):
        assert ask_code(**device()).status_code == 202  # a fresh device each time
    refused = ask_code(**device())
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and refused.json()["field"] == "email"
    assert 3500 < int(refused["Retry-After"]) <= 3601
    assert len(mail.outbox) == 3
    # Another address is not held back, and the refusal is audited, address masked.
    assert ask_code("other@example.org", **device()).status_code == 202
    entry = AuditEntry.objects.get(action="citizen.signin_code_refused")
    assert entry.detail["address"] == "s***@example.org"
    # An hour later the address may ask again.
    SignInCode.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    assert ask_code(**device()).status_code == 202


def test_the_default_limit_per_address_is_five_an_hour(ask_code: Callable[..., Any]) -> None:
    statuses = [ask_code(**device()).status_code for _ in range(6)]
    assert statuses == [202] * 5 + [429]


def test_codes_per_device_are_limited(
    ask_code: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(rate_signin_per_device=Rate(2, 3600))
    phone = device()
    assert ask_code("a@example.org", **phone).status_code == 202
    assert ask_code("b@example.org", **phone).status_code == 202
    refused = ask_code("c@example.org", **phone)
    assert refused.status_code == 429 and "from this device" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # Another phone behind the same address is not held back.
    assert ask_code("c@example.org", **device()).status_code == 202
    assert [m.to[0] for m in mail.outbox] == ["a@example.org", "b@example.org", "c@example.org"]


def test_requests_without_a_device_share_a_strict_bucket_per_address(
    ask_code: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(rate_signin_no_device=Rate(2, 3600))
    # A fresh client each time: no device cookie kept, as a script that drops it.
    statuses = [ask_code(f"p{i}@example.org", Client()).status_code for i in range(3)]
    assert statuses == [202, 202, 429]


def test_the_client_address_is_a_ceiling_and_off_switches_the_device_limits(
    ask_code: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(rate_signin_per_ip=Rate(2, 3600))
    assert [ask_code(f"q{i}@example.org", **device()).status_code for i in range(3)] == [
        202,
        202,
        429,
    ]
    pracha(rate_signin_per_ip=None, rate_signin_no_device=Rate(1, 3600))
    assert [ask_code(f"r{i}@example.org", Client()).status_code for i in range(3)] == [202] * 3


def test_every_request_is_audited_without_the_address(ask_code: Callable[..., Any]) -> None:
    ask_code()
    entry = AuditEntry.objects.get(action="citizen.signin_requested")
    assert entry.detail == {"channel": "email", "address": "s***@example.org", "language": "th"}
    assert EMAIL not in json.dumps(entry.detail) + entry.object_id + entry.object_repr


def test_a_mail_server_failure_still_answers_202(
    ask_code: Callable[..., Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.api.citizens.test_auth_email_post.BrokenBackend"
    assert ask_code().status_code == 202
    assert SignInCode.objects.count() == 1


class BrokenBackend:
    def __init__(self, **_: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("mail server down")
