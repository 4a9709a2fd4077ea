"""Passwordless sign-in: a six-digit code e-mailed to an address, then confirmed.

Asking for a code does the same work for every well-formed address (the code is stored and
e-mailed whether or not an account holds the address: confirming it creates the account), so
neither the answer nor its timing says whether someone has an account.

Guessing is bounded three ways. A code lives PRACHA_SIGNIN_CODE_MINUTES (10), is single use,
is replaced by the next code sent to the address, and dies after MAX_WRONG_TRIES wrong tries.
Wrong codes for one address are counted (PRACHA_SIGNIN_FAILURES, 5 per 15 minutes, and
PRACHA_SIGNIN_FAILURES_PER_DAY, 20): past either, every try is refused until the window has
passed, the right code included. Codes e-mailed to one address are limited too
(PRACHA_RATE_SIGNIN_PER_EMAIL, 5 an hour); devices and client addresses are limited by the
callers (pracha.limits.ratelimit, scope "signin"). So a guesser has at most 20 tries a day
at one in a million each, and the owner of the address sees the codes arrive.

The services run their own transactions (attempts on one address are serialised by a lock on
its codes, so parallel guesses cannot slip past the count); call them outside any atomic
block, or a refusal would roll back the failure it records.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from pracha.audit.log import audit
from pracha.citizens.addresses import address_key, mask, normalise_email
from pracha.citizens.errors import (
    CitizenError,
    CodeExpired,
    CodeRefused,
    CodeReplaced,
    CodeUsed,
    TooMany,
)
from pracha.citizens.mail import send_code
from pracha.citizens.models import (
    Channel,
    ChannelKind,
    Citizen,
    Language,
    SignInCode,
    SignInFailure,
)
from pracha.config import Rate

log = logging.getLogger(__name__)

CODE_DIGITS = 6
MAX_WRONG_TRIES = 5  # wrong tries one code survives; the address's own limit usually comes first
KEEP_AT_LEAST = timedelta(days=2)  # codes and failures are kept this long for the counts


@dataclass(frozen=True)
class SignIn:
    citizen: Citizen
    channel: Channel
    created: bool  # a new account was made for the address


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(key: str, code: str) -> str:
    """A keyed hash of a code for one address: a stolen table cannot be reversed offline."""
    return salted_hmac("pracha.citizens.code", f"{key}:{code}", algorithm="sha256").hexdigest()


def clean_language(language: str | None) -> str:
    code = (language or "").lower()[:2]
    return code if code in Language.values else Language.THAI


def _retry_after(oldest: datetime, rate: Rate, now: datetime) -> int:
    return max(1, int((oldest + timedelta(seconds=rate.seconds) - now).total_seconds()) + 1)


# --- Asking for a code --------------------------------------------------------------------


def check_code_quota(key: str, now: datetime) -> None:
    """At most PRACHA_RATE_SIGNIN_PER_EMAIL codes sent to one address in its period."""
    rate = settings.PRACHA.rate_signin_per_email
    if rate is None:
        return
    since = now - timedelta(seconds=rate.seconds)
    recent = list(
        SignInCode.objects.filter(address_key=key, created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: rate.count]
    )
    if len(recent) >= rate.count:
        wait = _retry_after(recent[-1], rate, now)
        raise TooMany(
            f"a code was sent to this address {rate.count} times recently; use the latest "
            f"code or try again in {wait} s",
            wait,
            field="email",
        )


def do_request_code(raw_email: object, language: str | None = None) -> str:
    """Store a new code for the address and e-mail it once committed; the normalised address.

    Raises InvalidAddress for a malformed address and TooMany over the address's quota."""
    address = normalise_email(raw_email)
    key = address_key(ChannelKind.EMAIL, address)
    now = timezone.now()
    language = clean_language(language)
    try:
        check_code_quota(key, now)
    except TooMany as exc:
        audit(
            "citizen.signin_code_refused",
            object_type="signin",
            object_id=key[:16],
            detail={"channel": "email", "address": mask("email", address), "why": "quota"},
        )
        raise exc from None
    code = new_code()
    minutes = settings.PRACHA.signin_code_minutes
    with transaction.atomic():
        _purge(now)
        SignInCode.objects.filter(address_key=key, used_at=None, replaced_at=None).update(
            replaced_at=now
        )
        SignInCode.objects.create(
            kind=ChannelKind.EMAIL,
            address_key=key,
            code_hash=code_hash(key, code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            language=language,
        )
        audit(
            "citizen.signin_requested",
            object_type="signin",
            object_id=key[:16],
            detail={"channel": "email", "address": mask("email", address), "language": language},
        )
        transaction.on_commit(partial(send_code, address, code, language, minutes))
    return address


def _purge(now: datetime) -> None:
    """Forget codes and failures no count needs any more (every request does a little)."""
    config = settings.PRACHA
    periods = [r.seconds for r in (config.rate_signin_per_email, config.signin_failures) if r]
    periods += [r.seconds for r in (config.signin_failures_per_day,) if r]
    keep = max([KEEP_AT_LEAST, *(timedelta(seconds=s) for s in periods)])
    SignInCode.objects.filter(expires_at__lt=now - keep).delete()
    SignInFailure.objects.filter(at__lt=now - keep).delete()


# --- Confirming a code --------------------------------------------------------------------


def lockout(key: str, now: datetime) -> int | None:
    """Seconds until this address may try a code again, or None when it may now."""
    config = settings.PRACHA
    waits = []
    for rate in (config.signin_failures, config.signin_failures_per_day):
        if rate is None:
            continue
        since = now - timedelta(seconds=rate.seconds)
        times = list(
            SignInFailure.objects.filter(address_key=key, at__gt=since)
            .order_by("-at")
            .values_list("at", flat=True)[: rate.count]
        )
        if len(times) >= rate.count:
            # Refused until the oldest of the last `count` failures leaves the window.
            waits.append(_retry_after(times[-1], rate, now))
    return max(waits) if waits else None


def check_code_format(code: object) -> str:
    text = "".join(code.split()) if isinstance(code, str) else ""
    if len(text) != CODE_DIGITS or not text.isascii() or not text.isdigit():
        raise CitizenError(f"the code is the {CODE_DIGITS} digits from the e-mail", field="code")
    return text


def do_confirm_code(raw_email: object, code: object, language: str | None = None) -> SignIn:
    """Sign in with the code sent to the address: the account, made now if it is new (in
    `language`, else in the language the code was e-mailed in).

    Raises InvalidAddress or CitizenError for malformed input (not counted), TooMany while the
    address is locked out (the right code too), and a CodeRefused (counted) otherwise."""
    address = normalise_email(raw_email)
    code = check_code_format(code)
    key = address_key(ChannelKind.EMAIL, address)
    masked = mask(ChannelKind.EMAIL, address)
    with transaction.atomic():
        outcome = _attempt(key, address, code, language, timezone.now())
        if isinstance(outcome, SignIn):
            audit(
                "citizen.signed_in",
                obj=outcome.citizen,
                actor_label=f"citizen #{outcome.citizen.pk}",
                detail={"channel": "email", "address": masked, "new_account": outcome.created},
            )
            return outcome
        detail: dict[str, object]
        if isinstance(outcome, TooMany):
            action, detail = "citizen.signin_locked", {"retry_after": outcome.retry_after}
        else:
            action, detail = "citizen.signin_failed", {"reason": outcome.code}
        audit(
            action,
            object_type="signin",
            object_id=key[:16],
            detail={"channel": "email", "address": masked, **detail},
        )
    raise outcome  # after the commit: the failure and its audit entry are kept


def _attempt(
    key: str, address: str, code: str, language: str | None, now: datetime
) -> SignIn | CitizenError:
    # The lock serialises attempts on one address, so the count below cannot be raced past.
    codes = list(
        SignInCode.objects.select_for_update()
        .filter(address_key=key, expires_at__gt=now - KEEP_AT_LEAST)
        .order_by("-created_at", "-pk")
    )
    wait = lockout(key, now)
    if wait is not None:
        return TooMany(
            f"too many wrong codes for this address; try again in {wait} s "
            "(a new code will not help before then)",
            wait,
            field="code",
        )
    wanted = code_hash(key, code)
    # Compare with every stored code, each in constant time, and remember the match.
    matched = None
    for row in codes:
        if constant_time_compare(row.code_hash, wanted) and matched is None:
            matched = row
    current = next((c for c in codes if c.used_at is None and c.replaced_at is None), None)
    if matched is not None and matched is current:
        if matched.expires_at <= now or matched.wrong_tries >= MAX_WRONG_TRIES:
            refusal: CitizenError = CodeExpired(
                "this code has expired; ask for a new one", field="code"
            )
        else:
            SignInCode.objects.filter(pk=matched.pk).update(used_at=now)
            SignInFailure.objects.filter(address_key=key).delete()
            chosen = clean_language(language or matched.language)
            return _account_for(address, chosen, now)
    elif matched is not None and matched.used_at is not None:
        refusal = CodeUsed("this code has been used already; ask for a new one", field="code")
    elif matched is not None:
        refusal = CodeReplaced(
            "a newer code was sent to this address; use the code in the latest e-mail",
            field="code",
        )
    else:
        refusal = CodeRefused("this is not the code we sent; check the latest e-mail", field="code")
    SignInFailure.objects.create(address_key=key, at=now)
    if current is not None:
        SignInCode.objects.filter(pk=current.pk).update(wrong_tries=current.wrong_tries + 1)
    return refusal


def _account_for(address: str, language: str, now: datetime) -> SignIn:
    channel = (
        Channel.objects.select_related("citizen")
        .filter(kind=ChannelKind.EMAIL, address=address)
        .first()
    )
    created = False
    if channel is None:
        try:
            with transaction.atomic():
                citizen = Citizen.objects.create(language=language, created_at=now)
                channel = Channel.objects.create(
                    citizen=citizen, kind=ChannelKind.EMAIL, address=address, verified_at=now
                )
                created = True
        except IntegrityError:  # the same address verified at the same moment elsewhere
            channel = Channel.objects.select_related("citizen").get(
                kind=ChannelKind.EMAIL, address=address
            )
    citizen = channel.citizen
    Citizen.objects.filter(pk=citizen.pk).update(last_seen_at=now)
    citizen.last_seen_at = now
    return SignIn(citizen, channel, created)
