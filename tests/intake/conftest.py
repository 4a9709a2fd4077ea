"""Fixtures for the intake tests: tests/triage's (test_triage.py switches triage on)."""

from tests.triage.support import model, no_model, triage_on_intake  # noqa: F401
