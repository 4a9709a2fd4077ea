"""Fixtures for the geo tests: the shipped district index (built once) and a clean lookup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pracha.geo import lookup
from pracha.geo.index import AreaIndex


@pytest.fixture(scope="session")
def districts() -> AreaIndex:
    """The 928 districts shipped in data/geo (50 from Bangkok's own file)."""
    return lookup.shipped_index()


@pytest.fixture
def fresh_lookup() -> Iterator[None]:
    """Forget any boundary generation cached by an earlier test, before and after."""
    lookup.forget_generation()
    yield
    lookup.forget_generation()
