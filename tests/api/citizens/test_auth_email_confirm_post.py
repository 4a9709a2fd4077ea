"""POST /api/v1/auth/email/confirm: the code becomes a token; wrong, expired, used and replaced
codes are 400 with their reason; after 5 wrong codes for one address every try is 429."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pracha.audit.models import AuditEntry
from pracha.citizens.models import Channel, Citizen, CitizenToken, SignInCode, SignInFailure
from pracha.config import Rate
from tests.citizens.support import EMAIL, bearer, last_code, wrong


def test_the_right_code_signs_in_and_makes_the_account(
    api: Any, ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code(language="en")

    response = confirm(" SOMSRI@example.org", last_code())

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token"].startswith("ct_") and len(body["token"]) > 40
    assert (body["token_type"], body["idle_days"], body["new_account"]) == ("Bearer", 30, True)
    citizen = body["citizen"]
    assert (citizen["email"], citizen["language"]) == (EMAIL, "en")
    assert [c["kind"] for c in citizen["channels"]] == ["email"]
    assert api.get("/api/v1/me", **bearer(body["token"])).status_code == 200
    audit = AuditEntry.objects.get(action="citizen.signed_in")
    assert audit.detail == {"channel": "email", "address": "s***@example.org", "new_account": True}
    assert (audit.object_type, audit.object_id) == ("citizen", str(citizen["id"]))


def test_signing_in_again_reaches_the_same_account(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    first = confirm(EMAIL, last_code()).json()
    ask_code()
    second = confirm(EMAIL, last_code()).json()
    assert second["new_account"] is False
    assert second["citizen"]["id"] == first["citizen"]["id"]
    assert second["token"] != first["token"]
    assert Citizen.objects.count() == 1 and Channel.objects.count() == 1
    assert CitizenToken.objects.count() == 2  # two devices signed in


def test_the_token_is_stored_only_as_a_hash(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    token = confirm(EMAIL, last_code()).json()["token"]
    row = CitizenToken.objects.get()
    assert row.token_hash != token and len(row.token_hash) == 64
    assert row.prefix == token[:12] and token not in str(list(CitizenToken.objects.values()))


def test_a_wrong_code_is_400_with_a_reason_and_audited(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    response = confirm(EMAIL, wrong(last_code()))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "this is not the code we sent; check the latest e-mail",
        "code": "wrong_code",
        "field": "code",
    }
    assert Citizen.objects.count() == 0
    entry = AuditEntry.objects.get(action="citizen.signin_failed")
    assert entry.detail == {
        "channel": "email",
        "address": "s***@example.org",
        "reason": "wrong_code",
    }


def test_a_code_for_an_address_that_asked_for_none_is_just_wrong(
    confirm: Callable[..., Any],
) -> None:
    response = confirm("nobody@example.org", "123456")
    assert response.status_code == 400 and response.json()["code"] == "wrong_code"


def test_after_five_wrong_codes_even_the_right_one_is_429_until_the_window_passes(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    code = last_code()
    statuses = [confirm(EMAIL, wrong(code)).status_code for _ in range(5)]
    assert statuses == [400] * 5

    locked = confirm(EMAIL, code)

    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"
    wait = int(locked["Retry-After"])
    assert 800 < wait <= 901  # 15 minutes from the first failure
    assert CitizenToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="citizen.signin_locked").count() == 1
    assert SignInFailure.objects.count() == 5  # a refused try tried nothing: not counted
    # Another address is not locked.
    ask_code("other@example.org")
    assert confirm("other@example.org", last_code("other@example.org")).status_code == 200
    # Once the window has passed, a new code signs in.
    SignInFailure.objects.update(at=timezone.now() - timedelta(minutes=15, seconds=1))
    ask_code()
    assert confirm(EMAIL, last_code()).status_code == 200
    assert SignInFailure.objects.count() == 0  # a success clears the count


def test_the_daily_ceiling_on_wrong_codes(
    ask_code: Callable[..., Any], confirm: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(signin_failures=None, signin_failures_per_day=Rate(3, 86400))
    ask_code()
    code = last_code()
    assert [confirm(EMAIL, wrong(code)).status_code for _ in range(3)] == [400] * 3
    locked = confirm(EMAIL, code)
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 86000


def test_an_expired_code_is_400(ask_code: Callable[..., Any], confirm: Callable[..., Any]) -> None:
    ask_code()
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = confirm(EMAIL, last_code())
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"
    assert "ask for a new one" in response.json()["detail"]


def test_a_code_works_once(ask_code: Callable[..., Any], confirm: Callable[..., Any]) -> None:
    ask_code()
    code = last_code()
    assert confirm(EMAIL, code).status_code == 200
    again = confirm(EMAIL, code)
    assert again.status_code == 400 and again.json()["code"] == "code_used"
    assert CitizenToken.objects.count() == 1


def test_an_older_code_is_replaced_by_the_newer(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    older = last_code()
    ask_code()
    newer = last_code()
    if older == newer:  # one in a million: the same digits twice
        pytest.skip("the two codes happen to be equal")
    refused = confirm(EMAIL, older)
    assert refused.status_code == 400 and refused.json()["code"] == "code_replaced"
    assert confirm(EMAIL, newer).status_code == 200


def test_a_code_dies_after_five_wrong_tries_even_without_the_address_limit(
    ask_code: Callable[..., Any], confirm: Callable[..., Any], pracha: Callable[..., None]
) -> None:
    pracha(signin_failures=None, signin_failures_per_day=None)
    ask_code()
    code = last_code()
    for _ in range(5):
        confirm(EMAIL, wrong(code))
    response = confirm(EMAIL, code)
    assert response.status_code == 400 and response.json()["code"] == "code_expired"


def test_a_code_is_for_its_own_address_only(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    response = confirm("other@example.org", last_code())
    assert response.status_code == 400 and response.json()["code"] == "wrong_code"


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5", "๑๒๓๔๕๖"])
def test_a_malformed_code_is_400_and_not_counted(
    ask_code: Callable[..., Any], confirm: Callable[..., Any], code: str
) -> None:
    ask_code()
    response = confirm(EMAIL, code)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "code")
    assert SignInFailure.objects.count() == 0


def test_spaces_inside_the_code_are_forgiven(
    ask_code: Callable[..., Any], confirm: Callable[..., Any]
) -> None:
    ask_code()
    code = last_code()
    assert confirm(EMAIL, f" {code[:3]} {code[3:]} ").status_code == 200


def test_a_malformed_address_is_400(confirm: Callable[..., Any]) -> None:
    response = confirm("not-an-address", "123456")
    assert response.status_code == 400 and response.json()["field"] == "email"


def test_the_answers_for_wrong_codes_do_not_depend_on_an_account(
    ask_code: Callable[..., Any], confirm: Callable[..., Any], sign_in: Callable[..., str]
) -> None:
    sign_in("known@example.org")
    ask_code("known@example.org")
    ask_code("nobody@example.org")
    known = confirm("known@example.org", wrong(last_code("known@example.org")))
    unknown = confirm("nobody@example.org", wrong(last_code("nobody@example.org")))
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
