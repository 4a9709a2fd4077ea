"""Calls to the LINE Messaging API, through the official SDK (linebot.v3).

Every call goes to PRACHA_LINE_API_URL or PRACHA_LINE_DATA_API_URL (Configuration(host=...)
overrides each operation's own host, so tests point both at a local fake) and has a timeout:
the SDK sets none by default, and a LINE that hangs must not hold a worker forever.

It lives in pracha.notify because status pushes go out through notify's outbox; pracha.line
(above) uses the same calls for its chat replies.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
)
from linebot.v3.messaging.exceptions import ApiException

CONNECT_TIMEOUT = 3.0
MAX_WAIT_SECONDS = 3600  # a Retry-After beyond this is not believed


@dataclass
class LineCallFailed(Exception):
    """LINE answered with an error, or did not answer (`status` None)."""

    status: int | None
    detail: str
    retry_after: int | None = None  # seconds, from a 429's Retry-After

    def __str__(self) -> str:
        return f"LINE API {self.status or 'unreachable'}: {self.detail[:300]}"

    @property
    def rate_limited(self) -> bool:
        return self.status == 429


def configured() -> bool:
    return bool(settings.PRACHA.line_channel_access_token)


def _configuration(host: str) -> Configuration:
    return Configuration(host=host, access_token=settings.PRACHA.line_channel_access_token)


def timeout() -> tuple[float, float]:
    return (CONNECT_TIMEOUT, float(settings.PRACHA.line_timeout_seconds))


def _retry_after(exc: ApiException) -> int | None:
    headers = exc.headers or {}
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return min(MAX_WAIT_SECONDS, max(1, int(str(raw)))) if raw is not None else None
    except ValueError:
        return None


def _failed(exc: Exception) -> LineCallFailed:
    if isinstance(exc, ApiException):
        body = exc.body.decode(errors="replace") if isinstance(exc.body, bytes) else str(exc.body)
        status = int(exc.status) if exc.status else None
        return LineCallFailed(status, body or str(exc.reason), _retry_after(exc))
    return LineCallFailed(None, f"{type(exc).__name__}: {exc}")


def reply(reply_token: str, messages: Sequence[Any]) -> None:
    """Answer an event with its reply token (free, but single-use and short-lived)."""
    try:
        with ApiClient(_configuration(settings.PRACHA.line_api_url)) as client:
            MessagingApi(client).reply_message(
                ReplyMessageRequest(reply_token=reply_token, messages=list(messages)),
                _request_timeout=timeout(),
            )
    except Exception as exc:
        raise _failed(exc) from exc


def push(to: str, messages: Sequence[Any], retry_key: uuid.UUID) -> None:
    """Push to a user. `retry_key` (X-Line-Retry-Key) is the same on every retry of one
    message, so LINE shows it once; a 409 means LINE had already accepted it."""
    try:
        with ApiClient(_configuration(settings.PRACHA.line_api_url)) as client:
            MessagingApi(client).push_message(
                PushMessageRequest(to=to, messages=list(messages)),
                x_line_retry_key=str(retry_key),
                _request_timeout=timeout(),
            )
    except Exception as exc:
        failed = _failed(exc)
        if failed.status == 409:  # accepted by an earlier try of the same retry key
            return
        raise failed from exc


def message_content(message_id: str) -> tuple[bytes, str]:
    """A photo the user sent (bytes and Content-Type), from the data API."""
    try:
        with ApiClient(_configuration(settings.PRACHA.line_data_api_url)) as client:
            answer = MessagingApiBlob(client).get_message_content_with_http_info(
                message_id, _request_timeout=timeout()
            )
    except Exception as exc:
        raise _failed(exc) from exc
    headers = answer.headers or {}
    return bytes(answer.data or b""), str(headers.get("Content-Type", ""))


def profile_language(user_id: str) -> str:
    """The language of the user's LINE app ("" when LINE does not say)."""
    try:
        with ApiClient(_configuration(settings.PRACHA.line_api_url)) as client:
            profile = MessagingApi(client).get_profile(user_id, _request_timeout=timeout())
    except Exception as exc:
        raise _failed(exc) from exc
    return str(getattr(profile, "language", "") or "")


def api_client(data: bool = False) -> ApiClient:
    """A client for other calls (rich menus), on the configured host."""
    host = settings.PRACHA.line_data_api_url if data else settings.PRACHA.line_api_url
    return ApiClient(_configuration(host))
