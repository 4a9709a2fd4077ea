"""Fixtures of the citizen-account tests (tests/citizens/support.py)."""

from tests.citizens.support import ask_code, citizen_of, confirm, sign_in

__all__ = ["ask_code", "citizen_of", "confirm", "sign_in"]
