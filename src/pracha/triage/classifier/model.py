"""The trained classifier: text features -> one linear score per category -> probabilities.

Everything learned lives in one picklable object written by `pracha train`. Prediction is a
sparse matrix product and a sigmoid per category, so a single report takes well under a
millisecond once its text is tokenised.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pracha.triage.classifier.features import Featuriser
from pracha.triage.classifier.prediction import Prediction
from pracha.triage.classifier.thresholds import decide

# Bumped when the pickled layout changes, so an old file is rebuilt rather than misread.
FORMAT_VERSION = 1
REVIEW_BELOW = 0.5  # best category less likely than not: a human should look
FEW = 8  # batches up to this size are scored without a sparse matrix


class ModelFileError(Exception):
    """A model file that cannot be used (damaged, or written by an incompatible version)."""


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -40.0, 40.0)))


@dataclass
class Classifier:
    """A multi-label linear model over the 24 categories with per-category thresholds.

    `scores = sigmoid(features @ weights + bias)`: logistic regressions fitted on recent
    tickets (see `linear.py`), so a score reads as the chance the category applies to a report
    of today's mix, and `thresholds` turn scores into categories.
    """

    codes: tuple[str, ...]
    featuriser: Featuriser
    weights: np.ndarray  # (n_features, n_codes) float32
    bias: np.ndarray  # (n_codes,)
    thresholds: np.ndarray  # (n_codes,)
    fallback: float | None  # see thresholds.decide
    version: str
    review_below: float = REVIEW_BELOW
    info: dict[str, Any] = field(default_factory=dict)  # what it was trained on, for people
    format_version: int = FORMAT_VERSION

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, (n_texts, n_codes), each in [0, 1]."""
        if len(texts) == 0:
            return np.zeros((0, len(self.codes)))
        if len(texts) <= FEW:
            # A few reports (one per intake request): gather their features' weight rows
            # directly; building a scipy matrix would cost more than the arithmetic.
            entries = self.featuriser.entries(texts)
            margins = np.zeros((len(texts), len(self.codes)))
            for row in range(len(texts)):
                mine = entries.rows == row
                margins[row] = entries.values[mine] @ self.weights[entries.cols[mine]]
        else:
            margins = np.asarray(self.featuriser.transform(texts) @ self.weights, dtype=np.float64)
        return sigmoid(margins + self.bias)

    def choose(self, probs: np.ndarray) -> np.ndarray:
        """Boolean (n_texts, n_codes): the categories each text is predicted to have."""
        return decide(probs, self.thresholds, self.fallback)

    def unsure(self, probs: np.ndarray) -> np.ndarray:
        """Boolean (n_texts,): no category reached its threshold (at most a fallback guess was
        made), or the best one is less likely than not."""
        if len(probs) == 0:
            return np.zeros(0, dtype=bool)
        reached = (probs >= self.thresholds).any(axis=1)
        return ~reached | (probs.max(axis=1) < self.review_below)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        texts = [text if isinstance(text, str) else "" for text in texts]
        probs = self.probabilities(texts)
        chosen = self.choose(probs)
        unsure = (self.unsure(probs) | ~chosen.any(axis=1)).tolist()
        ranked = np.argsort(-probs, axis=1, kind="stable").tolist()
        picked, scores, codes = chosen.tolist(), np.round(probs, 4).tolist(), self.codes
        return [
            Prediction(
                categories=[codes[i] for i in ranked[row] if picked[row][i]],
                scores=dict(zip(codes, scores[row], strict=True)),
                needs_review=unsure[row],
            )
            for row in range(len(texts))
        ]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def save(self, path: Path) -> None:
        """Write atomically: a server loading the model never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Classifier:
        # Only ever a file `pracha train` wrote into var/: pickle must not read foreign files.
        try:
            with path.open("rb") as fh:
                model = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise ModelFileError(
                f"{path}: cannot read the model ({exc}); run `pracha train`"
            ) from exc
        if not isinstance(model, cls) or getattr(model, "format_version", None) != FORMAT_VERSION:
            raise ModelFileError(f"{path}: written by another version; run `pracha train`")
        return model
