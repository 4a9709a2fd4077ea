"""Names shown to people, in their language: states, categories, agencies, districts, dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pracha.cases.models import Event
from pracha.geo.english import bangkok_districts_en
from pracha.states import CLOSED_STATES, STATE_NAMES_EN, State

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543
THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def is_thai(language: str | None = None) -> bool:
    return (language or translation.get_language() or "th").startswith("th")


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, BANGKOK)
        return value.astimezone(BANGKOK)
    return value


def format_day(value: datetime | date | None, language: str | None = None) -> str:
    """`25 พ.ย. 2568` in Thai (Buddhist era), `25 Nov 2025` in English; Bangkok time."""
    if value is None:
        return ""
    value = _local(value)
    if is_thai(language):
        month = THAI_MONTHS[value.month - 1]
        return f"{value.day} {month} {value.year + BUDDHIST_ERA_OFFSET}"
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def format_when(value: datetime | None, language: str | None = None) -> str:
    """`25 พ.ย. 2568 14:05 น.` in Thai, `25 Nov 2025, 14:05` in English; Bangkok time."""
    if value is None:
        return ""
    local = _local(value)
    day = format_day(local, language)
    if not isinstance(local, datetime):
        return day
    if is_thai(language):
        return f"{day} {local:%H:%M} น."
    return f"{day}, {local:%H:%M}"


def state_name(state: str, language: str | None = None) -> str:
    try:
        value = State(state)
    except ValueError:
        return state
    return value.label if is_thai(language) else STATE_NAMES_EN[value]


def state_style(state: str) -> str:
    """CSS modifier for a state badge: waiting, forwarded, done, irrelevant, or open."""
    if state in {State.WAITING, State.FORWARDED, State.DONE, State.IRRELEVANT}:
        return str(state)
    return "irrelevant" if state in CLOSED_STATES else "open"


def localised(obj: object, language: str | None = None) -> str:
    """`name_th` or `name_en` of a category or agency, whichever the reader reads."""
    if obj is None:
        return ""
    thai = str(getattr(obj, "name_th", "") or "")
    english = str(getattr(obj, "name_en", "") or "")
    if is_thai(language):
        return thai or english
    return english or thai


def district_names() -> dict[str, str]:
    """Bangkok's 50 districts: normalised Thai name -> English name (pracha.geo.english: the
    boundary file's names in the BMA's official spelling, as agencies and open data use)."""
    return bangkok_districts_en()


def district_name(district: str, language: str | None = None) -> str:
    if not district or is_thai(language):
        return district
    return district_names().get(district) or district


EVENT_LABELS = {
    Event.Kind.CREATED: _("Reported"),
    Event.Kind.ACCEPTED: _("Accepted by the agency"),
    Event.Kind.STATE_CHANGED: _("State changed"),
    Event.Kind.FORWARDED: _("Forwarded to another agency"),
    Event.Kind.INVITED: _("Another agency asked to help"),
    Event.Kind.COMMENTED: _("Comment"),
    Event.Kind.CLOSED: _("Closed"),
    Event.Kind.REOPENED: _("Reopened by the reporter"),
    Event.Kind.RATED: _("Rated by the reporter"),
    Event.Kind.ME_TOO: _("Someone else has this problem too"),
    Event.Kind.PHOTO_ADDED: _("Photo added"),
    # Kinds written by pracha.triage, named by value so this module does not depend on it.
    "triaged": _("Sorted automatically (category, place, agency)"),
    "triage_corrected": _("Category or agency corrected by an officer"),
    "merged": _("A duplicate report was merged into this one"),
}
# Events whose note is a technical explanation: shown folded away.
TECHNICAL_EVENTS = frozenset({"triaged", "triage_corrected"})


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind) or _("Update"))
