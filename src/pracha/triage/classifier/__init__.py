"""The Thai/English complaint classifier: 24 Traffy categories from free text.

The model is built by `pracha train` from the labelled tickets in `data/` and kept under
`var/models/` (never committed, never downloaded). `get_classifier()` loads it once per process
and returns None while no model has been built, so intake keeps working without one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from pracha.triage.classifier.model import Classifier, ModelFileError
from pracha.triage.classifier.prediction import Prediction

__all__ = [
    "Classifier",
    "ModelFileError",
    "Prediction",
    "clear_cache",
    "ensure_model",
    "get_classifier",
    "model_path",
]

MODEL_FILE_NAME = "triage-classifier.pkl"
logger = logging.getLogger(__name__)

_lock = threading.Lock()
_cached: tuple[tuple[str, int, int], Classifier] | None = None


def model_path() -> Path:
    """Where the model lives: PRACHA_MODEL_PATH, else `<var_dir>/models/triage-classifier.pkl`."""
    from django.conf import settings

    config = settings.PRACHA
    configured: Path | None = getattr(config, "model_path", None)
    return configured or config.var_dir / "models" / MODEL_FILE_NAME


def get_classifier() -> Classifier | None:
    """The model at model_path(), loaded once (reloaded when the file changes); None if absent."""
    global _cached
    path = model_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if _cached is None or _cached[0] != key:
            started = time.perf_counter()
            _cached = (key, Classifier.load(path))
            # Once per server with `pracha serve` (gunicorn's master, before the workers fork).
            logger.info(
                "triage classifier %s loaded by process %d in %.1f s",
                _cached[1].version,
                os.getpid(),
                time.perf_counter() - started,
            )
        return _cached[1]


def clear_cache() -> None:
    """Forget the loaded model (tests, or after `pracha train` wrote a new one in-process)."""
    global _cached
    with _lock:
        _cached = None


def ensure_model() -> Path:
    """Build the model from the default training data when there is none yet; its path."""
    path = model_path()
    if not path.exists():
        # Training (scikit-learn's fitting code, the data readers) imports this package and
        # is needed only once per installation, so it is imported when a model is missing.
        from pracha.triage.classifier.training import train_default

        train_default(path)
        clear_cache()
    return path
