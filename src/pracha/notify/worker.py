"""One loop drains the outbox for every channel: each pass gives every channel's sender its
due rows, pauses a little unless one was busy, and repeats; it stops cleanly when told to.

SIGTERM and SIGINT end the loop after the message in hand (which is recorded), so nothing is
left half-done; a row interrupted by a hard kill is taken again after its lease. The task
queue (pracha.notify.tasks, run by `pracha worker` and the worker `pracha serve` starts)
drains the outbox with `one_pass`; `pracha notify` still runs this loop on its own.

The channels do not hold each other up: a sender that fails is logged and the others still
get their pass; a receiver or mail server that is down costs one timeout, after which its
rows wait for their retry (pracha.notify.outbox) instead of being tried on every pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from django.db import DatabaseError

from pracha.background import Stopper, run_loop
from pracha.notify import email, line_push
from pracha.notify.models import Channel
from pracha.notify.outbox import Sender, prune
from pracha.notify.webhooks import delivery

log = logging.getLogger(__name__)

# Every channel's sender; a new channel adds its own here.
SENDERS: dict[str, Sender] = {
    Channel.WEBHOOK: delivery.SENDER,
    Channel.EMAIL: email.SENDER,
    Channel.LINE: line_push.SENDER,
}
ALL = tuple(SENDERS)
PRUNE_EVERY_SECONDS = 3600
INTERVAL_SECONDS = 1.0


def what(channels: Sequence[str]) -> str:
    """The loop's name in logs: "webhook delivery", "reporter e-mail", or both."""
    return " and ".join(SENDERS[c].what for c in channels)


def one_pass(channels: Sequence[str], report: Callable[[str], None] | None = None) -> bool:
    """Every channel's due rows once; True if one of them may have more due at once."""
    busy = False
    for channel in channels:
        sender = SENDERS[channel]
        try:
            result = sender.send_due()
        except DatabaseError:
            raise  # the database is away: the loop pauses and says so (pracha.background)
        except Exception:  # a bug in one channel must not stop the others
            log.exception("%s failed; the other channels go on", sender.what)
            continue
        line = sender.report(result)
        if line and report:
            report(line)
        busy = busy or result.attempted >= sender.batch
    return busy


def prune_sent(channels: Sequence[str]) -> int:
    """Forget rows sent longer ago than their channel keeps them."""
    return sum(prune(c, SENDERS[c].keep()) for c in channels)


def run(
    stopper: Stopper,
    *,
    channels: Sequence[str] = ALL,
    interval: float = INTERVAL_SECONDS,
    report: Callable[[str], None] | None = None,
) -> None:
    last_prune = -1e9

    def loop_pass() -> bool:
        nonlocal last_prune
        busy = one_pass(channels, report)
        if time.monotonic() - last_prune > PRUNE_EVERY_SECONDS:
            prune_sent(channels)
            last_prune = time.monotonic()
        return busy

    run_loop(stopper, loop_pass, interval=interval, what=what(channels), log=log)
