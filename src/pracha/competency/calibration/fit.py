"""Fitting one group of items (one language, one kind) from a persons x items matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import version

import mirt
import numpy as np
from mirt.diagnostics import compute_outfit_infit
from numpy.typing import NDArray

# Items whose estimates say they measure badly; each flag keeps the item out of tests until
# an administrator has looked at it (Item.needs_review).
MIN_A = 0.4
MAX_ABS_B = 3.5
MAX_SE = 0.5
MAX_MEAN_SQUARE = 1.3


def library() -> str:
    return f"mirt {version('mirt')}"


@dataclass
class Fitted:
    """One item's estimates (logistic metric, D = 1)."""

    model: str
    a: float
    b: float | None = None
    thresholds: list[float] | None = None
    se_a: float | None = None
    se_b: float | None = None
    se_thresholds: list[float] | None = None
    infit: float | None = None
    outfit: float | None = None
    n: int = 0
    p_value: float | None = None  # share right (right-or-wrong items)
    flags: list[str] = field(default_factory=list)


def _float(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def choose_model(matrix: NDArray[np.float64], requested: str, min_for_2pl: int) -> str:
    """`auto`: the 2PL when every item has `min_for_2pl` answers, else the 1PL."""
    if requested != "auto":
        return requested
    counts = (~np.isnan(matrix)).sum(axis=0)
    return "2pl" if counts.size and counts.min() >= min_for_2pl else "rasch"


def fit_dichotomous(matrix: NDArray[np.float64], model: str) -> tuple[list[Fitted], bool]:
    """1PL ("rasch": one common discrimination) or 2PL; NaN marks an item not asked."""
    constraints = [{"parameter": "discrimination"}] if model == "rasch" else None
    result = mirt.fit_mirt(matrix, model="2PL", constraints=constraints)
    return _collect(result, matrix, model), bool(result.converged)


def fit_graded(matrix: NDArray[np.float64]) -> tuple[list[Fitted], bool]:
    """Samejima's graded response model on categories 0-4 (scores 1-5)."""
    result = mirt.fit_mirt(matrix, model="GRM", n_categories=5)
    return _collect(result, matrix, "grm"), bool(result.converged)


def _collect(result: object, matrix: NDArray[np.float64], model: str) -> list[Fitted]:
    params = result.model.parameters  # type: ignore[attr-defined]
    errors = result.standard_errors or {}  # type: ignore[attr-defined]
    fit = compute_outfit_infit(result, matrix)
    counts = (~np.isnan(matrix)).sum(axis=0)
    fitted = []
    for i in range(matrix.shape[1]):
        a = float(np.ravel(params["discrimination"])[i])
        se_a_all = errors.get("discrimination")
        item = Fitted(
            model=model,
            a=a,
            se_a=_float(np.ravel(se_a_all)[i]) if se_a_all is not None else None,
            infit=_float(fit["item_infit"][i]),
            outfit=_float(fit["item_outfit"][i]),
            n=int(counts[i]),
        )
        if model == "grm":
            item.thresholds = [float(x) for x in params["thresholds"][i]]
            se = errors.get("thresholds")
            if se is not None:
                item.se_thresholds = [_float(x) for x in se[i]]  # type: ignore[misc]
        else:
            item.b = float(params["difficulty"][i])
            se = errors.get("difficulty")
            item.se_b = _float(se[i]) if se is not None else None
            column = matrix[:, i]
            item.p_value = float(np.nanmean(column)) if counts[i] else None
        item.flags = flags(item)
        fitted.append(item)
    return fitted


def flags(item: Fitted) -> list[str]:
    """Why an item's estimates make it doubtful (empty: it measures well)."""
    found = []
    if item.a < MIN_A:
        found.append(f"low discrimination (a = {item.a:.2f} < {MIN_A})")
    locations = [item.b] if item.b is not None else list(item.thresholds or [])
    if any(x is not None and abs(x) > MAX_ABS_B for x in locations):
        found.append(f"difficulty outside +-{MAX_ABS_B}")
    errors: list[float | None] = (
        [item.se_b] if item.b is not None else list(item.se_thresholds or [])
    )
    errors.append(item.se_a)
    if any(e is None for e in errors):
        found.append("no standard error (the information matrix was singular)")
    elif any(e > MAX_SE for e in errors if e is not None):
        found.append(f"imprecise (a standard error above {MAX_SE})")
    for name, value in (("infit", item.infit), ("outfit", item.outfit)):
        if value is not None and value > MAX_MEAN_SQUARE:
            found.append(f"misfit ({name} {value:.2f} > {MAX_MEAN_SQUARE})")
    if item.p_value is not None and not 0.05 <= item.p_value <= 0.95:
        found.append(f"almost everyone answers alike ({item.p_value:.0%} right)")
    return found
