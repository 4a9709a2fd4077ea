"""Why a test request is refused. They extend the project's domain errors, so the API answers
them in its one error format (`{"detail", "code", "field"}`) with the status of their base."""

from __future__ import annotations

from pracha.cases.errors import Conflict, InvalidInput, NotAllowed, NotFound

__all__ = [
    "InvalidInput",
    "ItemNotAsked",
    "NotAllowed",
    "NotFound",
    "SessionFinished",
    "SessionOpen",
    "TimeUp",
]


class SessionOpen(Conflict):
    """The officer already has a test running (one at a time)."""

    code = "session_open"


class SessionFinished(Conflict):
    """The session has ended: no more answers."""

    code = "session_finished"


class TimeUp(Conflict):
    """The time limit passed before this answer arrived; the session is finished."""

    code = "time_up"


class ItemNotAsked(Conflict):
    """An answer to an item that is not the one waiting for an answer."""

    code = "item_not_asked"
