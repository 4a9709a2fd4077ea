"""Small reference tables (agencies, routing rules, categories) read once per process for a
few seconds, instead of on every report.

Intake looks up the same few rows for each report; reading them cost more than the report's
own writes. A `Reference` keeps what its loader returned for a key (found rows only) for
PRACHA_REFERENCE_SECONDS (default 5): a save or delete of one of its models in this process
drops everything it holds at once, and every other process (server workers, nodes) sees the
change within those seconds, as it sees writes that bypass model signals (`QuerySet.update`).

A reference keyed by many values (agencies by name: one per district office) can be given
`load_many`: then the first key found expired reads every key held again, in one query,
rather than each key on its own every few seconds (which cost intake a query per few reports).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models.signals import post_delete, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_all: list[Reference[Any, Any]] = []
REFRESH_CHUNK = 500  # keys per query when a reference reads all it holds again


def seconds() -> float:
    return float(getattr(settings.PRACHA, "reference_seconds", 5))


class Reference(Generic[K, V]):
    """`load(key)`, kept for a few seconds unless None, and dropped when `models` change.

    `load_many(keys)`, if given, returns what `load` would for each of `keys` (a key whose
    value is None may be left out); it refreshes all the held keys at once.
    """

    def __init__(
        self,
        load: Callable[[K], V],
        *,
        models: tuple[str, ...],
        load_many: Callable[[Sequence[K]], Mapping[K, V]] | None = None,
    ) -> None:
        self._load = load
        self._load_many = load_many
        self._values: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _all.append(self)
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(self._changed, sender=model, weak=False)

    def get(self, key: K) -> V:
        held = self._values.get(key)
        now = time.monotonic()
        if held is not None and now - held[0] < seconds():
            return held[1]
        if held is not None and self._load_many is not None:
            return self._refresh_all(key, now)
        value = self._load(key)
        if value is not None:
            with self._lock:
                self._values[key] = (now, value)  # when it was read
        return value

    def _refresh_all(self, key: K, now: float) -> V:
        """Read every held key again (this expired one among them), in chunks of a size any
        database takes in one `IN (...)`; keys now missing are dropped, as misses are."""
        assert self._load_many is not None
        keys = list(self._values)
        found: dict[K, V] = {}
        for start in range(0, len(keys), REFRESH_CHUNK):
            found.update(self._load_many(keys[start : start + REFRESH_CHUNK]))
        with self._lock:
            self._values = {k: (now, v) for k, v in found.items() if v is not None}
        return found.get(key)  # type: ignore[return-value]  # None: it is gone

    def clear(self) -> None:
        with self._lock:
            self._values = {}

    def _changed(self, **_: Any) -> None:
        self.clear()


def clear_all() -> None:
    """Forget every reference now (after a bulk change, and between tests)."""
    for reference in _all:
        reference.clear()
