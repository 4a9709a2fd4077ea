"""What a citizen's browser remembers: the reports they filed (their tokens) and their me-toos."""

from __future__ import annotations

from django.http import HttpRequest

from pracha.tickets import citizen_token, citizen_token_ok

TOKENS_KEY = "pracha_citizen_tokens"
ME_TOO_KEY = "pracha_me_too"
# A browser keeps at most this many tickets, newest last, so the session stays small.
MAX_REMEMBERED = 50


def _remember(request: HttpRequest, key: str, ticket_id: str, value: object) -> None:
    stored = dict(request.session.get(key) or {})
    stored.pop(ticket_id, None)
    stored[ticket_id] = value
    while len(stored) > MAX_REMEMBERED:
        stored.pop(next(iter(stored)))
    request.session[key] = stored


def remember_reporter(request: HttpRequest, ticket_id: str) -> None:
    _remember(request, TOKENS_KEY, ticket_id, citizen_token(ticket_id))


def remember_token(request: HttpRequest, ticket_id: str, token: str) -> bool:
    """Keep a token that came in a link (the reporter on another device); False if wrong."""
    if not citizen_token_ok(ticket_id, token):
        return False
    _remember(request, TOKENS_KEY, ticket_id, token)
    return True


def reporter_token(request: HttpRequest, ticket_id: str) -> str | None:
    token = (request.session.get(TOKENS_KEY) or {}).get(ticket_id)
    return token if citizen_token_ok(ticket_id, token) else None


def said_me_too(request: HttpRequest, ticket_id: str) -> bool:
    return ticket_id in (request.session.get(ME_TOO_KEY) or {})


def remember_me_too(request: HttpRequest, ticket_id: str) -> None:
    _remember(request, ME_TOO_KEY, ticket_id, True)


def my_tickets(request: HttpRequest) -> list[str]:
    """Tickets this browser filed, newest first."""
    return list(reversed(list((request.session.get(TOKENS_KEY) or {}).keys())))


FILED_KEY = "pracha_just_filed"


def remember_filed(request: HttpRequest, ticket_id: str, emailed_to: str) -> None:
    """For the page after sending: which ticket was just filed and the (masked) address the
    private link is e-mailed to ("" for none). Shown once."""
    request.session[FILED_KEY] = {"ticket": ticket_id, "emailed_to": emailed_to}


def take_filed(request: HttpRequest, ticket_id: str) -> dict[str, str] | None:
    """What `remember_filed` kept, if it is about this ticket; forgotten once read."""
    filed = request.session.get(FILED_KEY)
    if not isinstance(filed, dict) or filed.get("ticket") != ticket_id:
        return None
    del request.session[FILED_KEY]
    return {"emailed_to": str(filed.get("emailed_to") or "")}


def private_path(ticket_id: str) -> str:
    """The reporter's private address of their case: it carries their citizen token, so it
    lets them rate or reopen from any device (e-mails and the page after sending show it)."""
    return f"/t/{ticket_id}/?k={citizen_token(ticket_id)}"
