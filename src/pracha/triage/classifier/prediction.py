"""What the classifier answers for one text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    """Categories for one report, best first, with a calibrated score for every category."""

    categories: list[str]  # category codes (pracha/taxonomy/taxonomy.csv), best first; may be empty
    scores: dict[str, float]  # calibrated probability in [0, 1] for each of the 24 codes
    needs_review: bool  # the model is unsure: nothing predicted, or the top score is low
