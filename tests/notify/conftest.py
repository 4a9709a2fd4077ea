"""Fixtures for the notification tests: a real webhook receiver and subscriptions to it, and
the shared `make_case` fixture comes from tests/conftest.py."""

from tests.notify.fixtures import receiver, subscribe

__all__ = ["receiver", "subscribe"]
