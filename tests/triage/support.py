"""Helpers for the triage tests and tests/intake: places, a stand-in classifier that keeps the
tests independent of a trained model, and fixtures (their conftest.py files import them).

`triage_on_intake` switches triage on, which tests/settings.py switches off for the rest of the
suite: every test in tests/triage uses it, tests/intake/test_triage.py too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from pracha.geo import lookup
from pracha.intake import triage as intake
from pracha.taxonomy.categories import taxonomy_rows
from pracha.triage.classifier import Prediction

CODES = tuple(row["code"] for row in taxonomy_rows())
BANG_RAK = {"lat": 13.7291, "lon": 100.5340}  # inside เขตบางรัก, far from its borders
NONTHABURI = {"lat": 13.8621, "lon": 100.5144}  # outside Bangkok
VIENTIANE = {"lat": 17.9757, "lon": 102.6331}  # Laos, inside Thailand's bounding box


@dataclass
class KeywordClassifier:
    """Predicts a category when one of its keywords is in the text (score 0.9, else 0.02)."""

    keywords: dict[str, str] = field(
        default_factory=lambda: {
            "ท่อ": "drains",
            "หลุม": "road",
            "ไฟ": "lighting",
            "ขยะ": "cleanliness",
        }
    )
    version: str = "keywords-test-1"
    calls: int = 0

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        self.calls += 1
        return [self._one(text) for text in texts]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def _one(self, text: str) -> Prediction:
        found = list(dict.fromkeys(code for word, code in self.keywords.items() if word in text))
        scores = {code: (0.9 if code in found else 0.02) for code in CODES}
        return Prediction(categories=found, scores=scores, needs_review=not found)


@pytest.fixture
def triage_on_intake(settings: Any) -> Iterator[None]:
    """Unlike in the rest of the suite (tests/settings.py): here every new case is triaged."""
    import dataclasses

    settings.PRACHA = dataclasses.replace(settings.PRACHA, triage_on_intake=True)
    lookup.forget_generation()
    yield
    lookup.forget_generation()


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> KeywordClassifier:
    """Intake classifies with a keyword stand-in for the trained model."""
    classifier = KeywordClassifier()
    monkeypatch.setattr(intake, "get_classifier", lambda: classifier)
    return classifier


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Intake runs as on a fresh installation where `pracha train` has not been run."""
    monkeypatch.setattr(intake, "get_classifier", lambda: None)


def codes_of(case_body: dict[str, Any]) -> list[str]:
    return [c["code"] for c in case_body["categories"]]


Factory = Callable[..., dict[str, Any]]
