"""A fixed form: the set number of items per subtest drawn at random from the bank (BKN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pracha.competency.errors import InvalidInput


@dataclass(frozen=True)
class Part:
    """A subtest to fill: `count` items from `candidates` (item ids)."""

    code: str
    count: int
    candidates: Sequence[int]


def draw_form(parts: Sequence[Part], rng: np.random.Generator) -> list[tuple[int, str]]:
    """[(item id, subtest code)] in the order asked: subtests in turn, items within each in
    random order. Each officer gets their own draw; no item appears twice."""
    form: list[tuple[int, str]] = []
    used: set[int] = set()
    for part in parts:
        candidates = [c for c in dict.fromkeys(part.candidates) if c not in used]
        if len(candidates) < part.count:
            raise InvalidInput(
                f"subtest {part.code!r} needs {part.count} items but the bank has "
                f"{len(candidates)} in its domains and language"
            )
        chosen = rng.choice(np.array(candidates), size=part.count, replace=False)
        form.extend((int(item), part.code) for item in chosen)
        used.update(int(item) for item in chosen)
    return form
