"""Webhook fixtures, for tests/notify and the Open311 privacy tests (their conftest.py files
import them): a real receiver, and subscriptions to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pracha.notify.models import WebhookSubscription
from pracha.notify.webhooks.subscriptions import do_add_subscription
from tests.notify.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver listening on a free port of 127.0.0.1."""
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def subscribe(db: None, receiver: Receiver) -> Callable[..., WebhookSubscription]:
    """Register a webhook (to the receiver unless a URL is given); the receiver learns the
    secret, as a partner would be told it."""

    def add(url: str | None = None, **options: Any) -> WebhookSubscription:
        subscription = do_add_subscription(url or receiver.url, **options)
        if url is None:
            receiver.secret = subscription.secret
        return subscription

    return add
