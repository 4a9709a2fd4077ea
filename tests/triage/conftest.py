"""Fixtures for the triage tests: every new case is triaged, by a keyword stand-in for the model
(`model`) or by none (`no_model`). The tiny trained model is tests/conftest.py's
`tiny_classifier`."""

import pytest

from tests.triage.support import model, no_model, triage_on_intake  # noqa: F401


@pytest.fixture(autouse=True)
def _triaged(request: pytest.FixtureRequest) -> None:
    """Every test here files cases with triage on (tests/settings.py has it off)."""
    request.getfixturevalue("triage_on_intake")
