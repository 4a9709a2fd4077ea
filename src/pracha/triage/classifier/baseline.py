"""The yardstick the classifier is measured against, trained on the same tickets in the same run.

Character 1-3-gram TF-IDF (scikit-learn's vectoriser, defaults) and one linear SVM per category
(LinearSVC, C=1) with the SVM's own threshold: a category is predicted when its margin is
positive. No tokeniser, no recent-period adaptation, no tuned thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from pracha.triage.classifier.linear import fit_svms


@dataclass
class Baseline:
    vectoriser: TfidfVectorizer
    weights: np.ndarray
    bias: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], labels: np.ndarray, *, jobs: int = 2) -> Baseline:
        vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), dtype=np.float32)
        features = vectoriser.fit_transform(texts)
        weights, bias = fit_svms(features, labels, C=1.0, jobs=jobs)
        return cls(vectoriser, weights, bias)

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        features = self.vectoriser.transform(texts)
        return np.asarray(features @ self.weights, dtype=np.float64) + self.bias

    def choose(self, texts: Sequence[str]) -> np.ndarray:
        return self.margins(texts) > 0
