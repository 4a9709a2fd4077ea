"""Number formatting for the dashboard: thousands, percentages, durations, bilingual names.

Every unit and placeholder goes through gettext, so a Thai page reads "12.9 ชม." and
"ไม่มีข้อมูล", never "12.9 h" or a bare dash.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pracha.insights.reports.dashboard import name as localised

register = template.Library()

HOURS_PER_DAY = 24
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def _missing(value: Any) -> bool:
    return value is None or value == ""


def no_data() -> str:
    return gettext("no data")


@register.filter
def thousands(value: Any) -> str:
    if _missing(value):
        return no_data()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    if _missing(value):
        return no_data()
    return f"{float(value) * 100:.{int(digits)}f}%"


def _years_months(days: float) -> str:
    years, months = divmod(round(days / DAYS_PER_MONTH), 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return " ".join(parts)


def duration_text(hours_: float) -> str:
    """Minutes below an hour, hours below two days, days below two months, then years and
    months: the unit a person would say, in the page's language."""
    if hours_ < 1:
        minutes = round(hours_ * 60)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if hours_ < 2 * HOURS_PER_DAY:
        return gettext("%(n)s h") % {"n": f"{hours_:.1f}"}
    days = hours_ / HOURS_PER_DAY
    if days < 2 * DAYS_PER_MONTH:
        return gettext("%(n)s days") % {"n": f"{days:.1f}"}
    return _years_months(days)


@register.filter
def hours(value: Any) -> str:
    """Hours to close, as a duration in words ("12.9 ชม.", "3 ปี 6 เดือน")."""
    if _missing(value):
        return no_data()
    return duration_text(float(value))


@register.filter
def days(value: Any) -> str:
    """An age in days, as a duration in words."""
    if _missing(value):
        return no_data()
    return duration_text(float(value) * HOURS_PER_DAY)


@register.filter
def stars(value: Any) -> str:
    if _missing(value):
        return no_data()
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + "★"


@register.filter
def moment(value: Any) -> str:
    """An ISO date-time as people write it: `2024-03-05 09:00`."""
    if _missing(value):
        return no_data()
    return str(value)[:16].replace("T", " ")


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
