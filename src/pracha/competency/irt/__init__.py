"""Item response theory in plain numpy: the graded response model (a right-or-wrong item is
its two-category case, the 2PL; the Rasch model is the 2PL with every a = 1), item
information, and ability by EAP on a quadrature grid. Logistic metric, D = 1, as `mirt` fits.

Small on purpose: the live test recomputes the ability from the stored responses at every
answer, and the simulation (bench/cat_simulation.py) runs the same functions."""

from pracha.competency.irt.eap import GRID, Estimate, eap, eap_from_loglik, prior_log
from pracha.competency.irt.pool import Pool
from pracha.competency.irt.response import (
    category_probabilities,
    expected_score,
    information,
)

__all__ = [
    "GRID",
    "Estimate",
    "Pool",
    "category_probabilities",
    "eap",
    "eap_from_loglik",
    "expected_score",
    "information",
    "prior_log",
]
