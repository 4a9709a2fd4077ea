"""Domain errors. Each carries a message a person can act on; the API maps them to HTTP codes."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. `code` is a stable machine-readable reason."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class NotAllowed(DomainError):
    """The actor may not do this to this case (wrong agency, not the reporter...)."""

    code = "forbidden"


class IllegalTransition(DomainError):
    """The case's current state does not allow the move."""

    code = "illegal_transition"


class ForwardingLoop(DomainError):
    code = "forwarding_loop"


class Conflict(DomainError):
    """The move is legal in general but already done (rated twice, me-too twice...)."""

    code = "conflict"


class IdempotencyKeyReused(InvalidInput):
    """An Idempotency-Key sent again with a different request: not a retry, a mistake."""

    code = "idempotency_key_reused"


class PhotoTooLarge(DomainError):
    code = "too_large"


class NotAnImage(DomainError):
    code = "unsupported_media"
