"""Fixtures for the notification tests: a real webhook receiver and subscriptions to it, and
cases filed as the web form files them (pracha.web's fixture)."""

from tests.notify.fixtures import receiver, subscribe
from tests.web.conftest import make_case

__all__ = ["make_case", "receiver", "subscribe"]
