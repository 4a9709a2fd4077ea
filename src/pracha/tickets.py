"""Ticket ids in Traffy's form (`2026-ABC123`) and the secret that lets a reporter act on one."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O or 1/I: ids are read aloud over the phone and typed from paper.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TICKET_RE = re.compile(r"^\d{4}-[A-Z0-9]{4,12}$")


def new_ticket_id(when: datetime | None = None) -> str:
    year = timezone.localtime(when or timezone.now()).year
    return f"{year}-{''.join(secrets.choice(ALPHABET) for _ in range(6))}"


def derived_ticket_id(year: int, *parts: str) -> str:
    """A stable id for an imported row that has none: the same content gives the same id.

    Nine characters after the year, so it can never equal a real six-character Traffy id.
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(9):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return f"{year}-{''.join(chars)}"


def citizen_token(ticket_id: str) -> str:
    """The reporter's secret for rating and reopening; derived, so a retried POST gets it again."""
    return salted_hmac("pracha.citizen-token", ticket_id).hexdigest()[:32]


def citizen_token_ok(ticket_id: str, token: str | None) -> bool:
    return bool(token) and constant_time_compare(citizen_token(ticket_id), token or "")
