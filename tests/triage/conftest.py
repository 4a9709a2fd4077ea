"""Fixtures for the triage tests. Routing, duplicate, batch and intake fixtures live in
support.py (shared by name here); the classifier's fixtures may be added below."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pracha.triage.classifier import Classifier
from tests.triage.support import model, no_model, triage_on_intake  # noqa: F401

# --- the classifier's fixtures ---------------------------------------------------------------

TINY_SOURCES = (  # (export in data/traffy/, labelled rows taken from its start)
    ("bangkok_traffy_2022-05-29_2022-12-18.csv.gz", 400),
    ("teamchadchart_2023-05-11_2023-05-13.csv", 300),
)


def train_tiny(path: Path) -> None:
    """A real model from a few hundred real tickets, old and recent: seconds, not minutes."""
    from django.conf import settings

    from pracha.triage.classifier.dataset import read_traffy
    from pracha.triage.classifier.training import Params, split_by_time, train, training_examples

    folder = settings.PRACHA.data_dir / "traffy"
    examples = training_examples([read_traffy(folder / name, limit=n) for name, n in TINY_SOURCES])
    params = Params(folds=3, jobs=1)
    train(split_by_time(examples, params), params).classifier.save(path)


@pytest.fixture(scope="session")
def tiny_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real model trained on ~700 real tickets (seconds), once per test session."""
    path = tmp_path_factory.mktemp("classifier") / "tiny-classifier.pkl"
    train_tiny(path)
    return path


@pytest.fixture
def tiny_classifier(tiny_model_file: Path, pracha: Callable[..., None]) -> Iterator[Classifier]:
    """get_classifier() returns the tiny model for this test (PRACHA_MODEL_PATH points to it)."""
    from pracha.triage.classifier import clear_cache, get_classifier

    pracha(model_path=tiny_model_file)
    clear_cache()
    classifier = get_classifier()
    assert classifier is not None
    yield classifier
    clear_cache()
