"""Target times to close a case, per category (the service levels indicators are held to).

The shipped targets are in `sla_targets.csv` (category code, hours, why); a city sets its own
with `PRACHA_SLA_FILE` (same columns) and `PRACHA_SLA_DEFAULT_HOURS` for categories the file
does not name and for cases without a category. A case with several categories is held to
the strictest (shortest) of their targets when counted as a whole case.

Whether a closed case met its target is decided when it is counted, so after changing the
targets run `pracha insights rebuild`; `pracha insights check` says when that is needed.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from functools import cache
from pathlib import Path

from django.conf import settings

SHIPPED_FILE = Path(__file__).with_name("sla_targets.csv")
log = logging.getLogger(__name__)


class SlaFileError(ValueError):
    """The targets file cannot be used; the message names the file, line and problem."""


@cache
def _read(path: Path) -> dict[str, float]:
    targets: dict[str, float] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"category", "target_hours"} <= set(reader.fieldnames):
                raise SlaFileError(f"{path}: needs the columns category,target_hours")
            for line, row in enumerate(reader, start=2):
                code = (row.get("category") or "").strip()
                try:
                    hours = float(row.get("target_hours") or "")
                except ValueError as exc:
                    raise SlaFileError(f"{path} line {line}: target_hours is not a number") from exc
                if not code or hours <= 0:
                    raise SlaFileError(f"{path} line {line}: needs a category and hours > 0")
                targets[code] = hours
    except OSError as exc:
        raise SlaFileError(f"{path}: {exc.strerror or exc}") from exc
    return targets


def targets() -> dict[str, float]:
    """Category code -> target hours, from the configured file.

    A configured file that cannot be read must not stop officers from working on cases:
    the shipped targets stand in, the error is logged, and `problem()` says so (the
    indicators' notes, `pracha check` and `pracha insights check` show it).
    """
    try:
        return _read(settings.PRACHA.sla_file or SHIPPED_FILE)
    except SlaFileError as exc:
        _warn(str(exc))
        return _read(SHIPPED_FILE)


def problem() -> str | None:
    """Why the configured targets file cannot be used, if it cannot."""
    try:
        _read(settings.PRACHA.sla_file or SHIPPED_FILE)
    except SlaFileError as exc:
        return f"PRACHA_SLA_FILE cannot be used ({exc}); the shipped targets apply"
    return None


@cache
def _warn(message: str) -> None:
    log.error("SLA targets: %s; using the shipped targets", message)


def default_hours() -> float:
    return float(settings.PRACHA.sla_default_hours)


def target_hours(category: str) -> float:
    return targets().get(category, default_hours())


def case_target_hours(categories: list[str] | tuple[str, ...]) -> float:
    """The strictest target among a case's categories (the default without any)."""
    table = targets()
    hours = [table.get(code, default_hours()) for code in categories]
    return min(hours) if hours else default_hours()


def fingerprint() -> str:
    """Changes whenever any target does: stored with the rollups to notice stale counts."""
    table = sorted(targets().items())
    text = repr((table, default_hours()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
