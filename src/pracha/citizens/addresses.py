"""Addresses of channels: normalising, validating, keyed hashes and masked forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac

from pracha.citizens.errors import InvalidAddress
from pracha.citizens.models import ChannelKind

MAX_EMAIL = 254


def normalise_email(raw: object) -> str:
    """The address as Pracha keeps it (trimmed, lower case); InvalidAddress if it is none.

    Lower case for the whole address: providers treat local parts alike in practice, and
    two spellings of one mailbox must not become two accounts."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidAddress("give an e-mail address", field="email")
    if len(text) > MAX_EMAIL or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise InvalidAddress("this is not an e-mail address", field="email")
    try:
        validate_email(text)
    except ValidationError as exc:
        raise InvalidAddress("this is not an e-mail address", field="email") from exc
    return text.casefold()


def address_key(kind: str, address: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a normalised address: counts and codes are kept
    per address without the table becoming a list of addresses."""
    return salted_hmac(
        "pracha.citizens.address", f"{kind}:{address}", algorithm="sha256"
    ).hexdigest()


def mask(kind: str, address: str) -> str:
    """`somsri@example.org` -> `s***@example.org`, for audit entries and pages."""
    if kind != ChannelKind.EMAIL:
        return f"{address[:4]}***" if address else "***"
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"
