"""Number formatting for the dashboard: thousands, percentages, hours, bilingual names."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from pracha.insights.dashboard import name as localised

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def hours(value: Any) -> str:
    """Hours as hours below two days, as days above."""
    if value is None or value == "":
        return "–"
    h = float(value)
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} d"


@register.filter
def label(row: dict[str, Any], prefix: str = "") -> str:
    """The Thai or English name of a row, by the page's language."""
    if prefix:
        return localised(row, f"{prefix}_th", f"{prefix}_en")
    return localised(row)


VERDICTS = {
    "better than expected": _("better than expected"),
    "worse than expected": _("worse than expected"),
    "as expected": _("as expected"),
    "too few cases": _("too few cases"),
}


@register.filter
def verdict(value: str) -> str:
    return str(VERDICTS.get(value, value))
