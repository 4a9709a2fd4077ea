"""pracha.background: the stop flag and pause shared by the loops beside `pracha serve`."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from pracha.background import Stopper, pause


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_asks_the_loop_to_stop(sig: signal.Signals, restore_signals: None) -> None:
    stopper = Stopper()
    stopper.install()
    assert stopper.stop is False

    os.kill(os.getpid(), sig)

    assert stopper.stop is True


def test_a_loop_whose_server_has_gone_stops() -> None:
    assert Stopper(parent_pid=os.getppid()).stop is False
    assert Stopper(parent_pid=os.getppid() + 1_000_000).stop is True


def test_a_pause_ends_at_once_when_told_to_stop() -> None:
    stopper = Stopper()
    stopper.requested = True
    pause(stopper, 3600)  # returns instead of sleeping an hour
