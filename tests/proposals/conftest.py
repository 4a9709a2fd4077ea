"""Proposals' tests run with a threshold of 3 supports, so reaching it is cheap."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture(autouse=True)
def _small_threshold(pracha: Callable[..., None], db: None) -> None:
    pracha(proposal_threshold=3, proposal_window_days=90, proposal_answer_days=30)
