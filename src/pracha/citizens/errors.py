"""What citizen sign-in and account services refuse. Each error carries a message a person can
act on and a stable `code`; the API maps the classes to HTTP statuses (pracha.api.site)."""

from __future__ import annotations


class CitizenError(Exception):
    """A request the citizen services refuse (400 unless a subclass says otherwise)."""

    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidAddress(CitizenError):
    """Not an e-mail address (or another channel's address) Pracha can send to."""


class CodeRefused(CitizenError):
    """The code given does not sign in: wrong, expired, used, or replaced by a newer one."""

    code = "wrong_code"


class CodeExpired(CodeRefused):
    code = "code_expired"


class CodeUsed(CodeRefused):
    code = "code_used"


class CodeReplaced(CodeRefused):
    code = "code_replaced"


class TooMany(CitizenError):
    """Over a limit: too many codes asked for one address, or too many wrong codes."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after))


class ChannelTaken(CitizenError):
    """The channel already leads into another account."""

    code = "channel_taken"


class NoSuchConsent(CitizenError):
    code = "not_found"


class NotSignedIn(CitizenError):
    """No token, or a token that was signed out, expired from disuse, or whose account is gone."""

    code = "unauthenticated"
