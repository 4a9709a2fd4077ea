"""The LINE tests: a local fake LINE API, and Pracha pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from pracha.line.services import inbox
from tests.line.chat import SECRET, TOKEN, Chat
from tests.line.fake_line import FakeLine, running
from tests.triage.support import model, triage_on_intake

__all__ = ["model", "triage_on_intake"]


@pytest.fixture
def fake_line() -> Iterator[FakeLine]:
    yield from running()


@pytest.fixture
def chat(
    db: None, fake_line: FakeLine, pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> Chat:
    pracha(
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_url=fake_line.url,
        line_data_api_url=fake_line.url,
        line_timeout_seconds=5,
    )
    monkeypatch.setattr(inbox, "FETCH_PAUSES", (0.0, 0.0))  # retries without the waits
    return Chat(Client(), fake_line)


def texts(calls: list[Any]) -> str:
    return "\n".join(c.text for c in calls)
