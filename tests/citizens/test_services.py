"""pracha.citizens' services on their own: one person, several verified ways in; codes,
lockouts and tokens; addresses normalised, hashed and masked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pracha.citizens.addresses import address_key, mask, normalise_email
from pracha.citizens.errors import ChannelTaken, CodeRefused, InvalidAddress, TooMany
from pracha.citizens.models import Channel, ChannelKind, Citizen, CitizenToken, SignInCode
from pracha.citizens.services.account import (
    citizen_by_channel,
    do_link_channel,
    do_set_notifications,
    email_muted,
    email_recipient,
)
from pracha.citizens.services.signin import (
    code_hash,
    do_confirm_code,
    do_request_code,
    lockout,
    new_code,
)
from pracha.citizens.services.tokens import (
    TOKEN_PREFIX,
    authenticate_token,
    do_issue_token,
    is_citizen_token,
    token_by_id,
)
from tests.citizens.support import EMAIL, last_code, wrong


@pytest.fixture
def requested(db: None, django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    def request(email: str = EMAIL) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            do_request_code(email, "th")
        return last_code(email)

    return request


def test_addresses_are_normalised_and_checked() -> None:
    assert normalise_email("  SomSri@Example.ORG ") == EMAIL
    for bad in ["", None, 42, "no-at-sign", "a@b", "a\nb@example.org", "ก@" + "x" * 260]:
        with pytest.raises(InvalidAddress):
            normalise_email(bad)


def test_address_keys_are_keyed_hashes_and_masks_hide_the_address(settings: Any) -> None:
    key = address_key("email", EMAIL)
    assert len(key) == 64 and EMAIL not in key
    assert key != address_key("line", EMAIL)
    settings.SECRET_KEY = "another-secret-key-for-another-installation-0123456789"
    assert address_key("email", EMAIL) != key
    assert mask("email", EMAIL) == "s***@example.org"
    assert mask("line", "U1234567890abcdef") == "U123***"


def test_codes_are_six_digits_and_hashed_per_address() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150
    key = address_key("email", EMAIL)
    assert code_hash(key, "123456") != code_hash(address_key("email", "b@x.org"), "123456")


def test_one_person_one_account_with_several_ways_in(
    requested: Callable[..., str],
) -> None:
    signed = do_confirm_code(EMAIL, requested())
    citizen = signed.citizen
    line = do_link_channel(citizen, ChannelKind.LINE, "U4af4980629")
    assert citizen_by_channel(ChannelKind.LINE, "U4af4980629") == citizen
    assert citizen_by_channel(ChannelKind.EMAIL, EMAIL) == citizen
    assert do_link_channel(citizen, ChannelKind.LINE, "U4af4980629") == line  # already there
    # A second e-mail address leads into the same account.
    do_link_channel(citizen, ChannelKind.EMAIL, "Work@Example.org")
    assert do_confirm_code("work@example.org", requested("work@example.org")).citizen == citizen
    # A way in that belongs to someone else cannot be added to another account.
    other = do_confirm_code("other@example.org", requested("other@example.org")).citizen
    with pytest.raises(ChannelTaken):
        do_link_channel(other, ChannelKind.LINE, "U4af4980629")
    assert Citizen.objects.count() == 2
    assert sorted(Channel.objects.filter(citizen=citizen).values_list("kind", flat=True)) == [
        "email",
        "email",
        "line",
    ]


def test_the_lockout_counts_failures_in_a_window(requested: Callable[..., str]) -> None:
    code = requested()
    key = address_key("email", EMAIL)
    for _ in range(5):
        with pytest.raises(CodeRefused):
            do_confirm_code(EMAIL, wrong(code))
    wait = lockout(key, timezone.now())
    assert wait is not None and 890 <= wait <= 901
    with pytest.raises(TooMany) as refused:
        do_confirm_code(EMAIL, code)
    assert refused.value.retry_after == pytest.approx(wait, abs=2)
    assert lockout(key, timezone.now() + timedelta(minutes=15, seconds=2)) is None


def test_old_codes_and_failures_are_purged(requested: Callable[..., str]) -> None:
    requested()
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(days=3))
    requested("other@example.org")
    assert SignInCode.objects.count() == 1


def test_tokens_are_told_apart_by_prefix_and_expire_when_idle(
    requested: Callable[..., str], pracha: Callable[..., None]
) -> None:
    citizen = do_confirm_code(EMAIL, requested()).citizen
    token, raw = do_issue_token(citizen)
    assert raw.startswith(TOKEN_PREFIX) and is_citizen_token(raw)
    assert not is_citizen_token("pk_officerkey") and not is_citizen_token("")
    assert authenticate_token(raw) == token
    assert authenticate_token(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert authenticate_token("pk_" + raw[3:]) is None
    assert token_by_id(token.pk) == token and token_by_id(str(token.pk)) is None
    CitizenToken.objects.update(last_used_at=timezone.now() - timedelta(days=31))
    assert authenticate_token(raw) is None
    assert not CitizenToken.objects.filter(pk=token.pk).exists()
    # Issuing a token also clears tokens that idled out.
    _fresh, _ = do_issue_token(citizen)
    stale, _ = do_issue_token(citizen)
    CitizenToken.objects.filter(pk=stale.pk).update(
        last_used_at=timezone.now() - timedelta(days=31)
    )
    do_issue_token(citizen)
    assert not CitizenToken.objects.filter(pk=stale.pk).exists()


def test_email_settings_decide_who_is_e_mailed(requested: Callable[..., str]) -> None:
    citizen = do_confirm_code(EMAIL, requested()).citizen
    assert email_recipient(citizen) == EMAIL and not email_muted(EMAIL.upper())
    do_set_notifications(citizen, {"email": False})
    assert email_recipient(citizen) == "" and email_muted(EMAIL.upper())
    assert not email_muted("stranger@example.org") and not email_muted("not an address")
