"""Citizen tokens: what a signed-in app sends as `Authorization: Bearer ct_...`, and what a
web session's sign-in is kept as.

A token is `ct_` and 43 random characters; the prefix tells it from an officer's API key
(`pk_...`) without a database lookup. Only its SHA-256 is stored: the row is found by the
first 12 characters and the hash compared in constant time. A token unused for
PRACHA_CITIZEN_TOKEN_IDLE_DAYS (30) is refused and deleted; deleting the account deletes
its tokens, so a deleted account's token is refused like any unknown one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from pracha.audit.log import audit
from pracha.citizens.models import Citizen, CitizenToken

TOKEN_PREFIX = "ct_"
PREFIX_CHARS = 12
MAX_TOKEN_CHARS = 200
# Using a token refreshes its idle clock; once a minute is enough and spares a write per call.
TOUCH_EVERY = timedelta(minutes=1)


def is_citizen_token(raw: str | None) -> bool:
    """Whether a bearer value is shaped as a citizen token (no lookup)."""
    return bool(raw) and str(raw).startswith(TOKEN_PREFIX)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(days=settings.PRACHA.citizen_token_idle_days)


def do_issue_token(citizen: Citizen, kind: str = CitizenToken.Kind.API) -> tuple[CitizenToken, str]:
    """A new token for the citizen; the raw value is returned once and never stored."""
    now = timezone.now()
    CitizenToken.objects.filter(last_used_at__lt=now - idle_limit()).delete()  # expired ones
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = CitizenToken.objects.create(
        citizen=citizen,
        kind=kind,
        prefix=raw[:PREFIX_CHARS],
        token_hash=hash_token(raw),
        created_at=now,
        last_used_at=now,
    )
    return token, raw


def authenticate_token(raw: str | None) -> CitizenToken | None:
    """The live token with this value (its citizen loaded), or None: unknown, signed out,
    idle too long, or its account deleted."""
    if not is_citizen_token(raw) or len(str(raw)) > MAX_TOKEN_CHARS:
        return None
    raw = str(raw)
    wanted = hash_token(raw)
    found = None
    for token in CitizenToken.objects.select_related("citizen").filter(prefix=raw[:PREFIX_CHARS]):
        if constant_time_compare(token.token_hash, wanted):
            found = token
    if found is None:
        return None
    return found if touch(found) else None


def token_by_id(pk: object) -> CitizenToken | None:
    """A live token by its id (a web session keeps the id of its sign-in, never the value)."""
    if not isinstance(pk, int):
        return None
    token = CitizenToken.objects.select_related("citizen").filter(pk=pk).first()
    return token if token is not None and touch(token) else None


def touch(token: CitizenToken) -> bool:
    """Count a use of the token; False (and the token deleted) when it had idled out."""
    now = timezone.now()
    if token.last_used_at < now - idle_limit():
        CitizenToken.objects.filter(pk=token.pk).delete()
        return False
    if now - token.last_used_at >= TOUCH_EVERY:
        CitizenToken.objects.filter(pk=token.pk).update(last_used_at=now)
        Citizen.objects.filter(pk=token.citizen_id).update(last_seen_at=now)
        token.last_used_at = now
    return True


def do_sign_out(token: CitizenToken, *, everywhere: bool = False) -> int:
    """Delete the token (or every token of its citizen); how many were deleted."""
    citizen = token.citizen
    tokens = CitizenToken.objects.filter(citizen=citizen)
    if not everywhere:
        tokens = tokens.filter(pk=token.pk)
    count, _ = tokens.delete()
    audit(
        "citizen.signed_out",
        obj=citizen,
        actor_label=f"citizen #{citizen.pk}",
        detail={
            "token": token.prefix,
            "kind": token.kind,
            "everywhere": everywhere,
            "count": count,
        },
    )
    return count
