"""Template filters for Pracha's pages: dates in the reader's calendar, localised names.

`{% load pracha_web %}` then `{{ case.created_at|when }}`, `{{ case.created_at|day }}`,
`{{ case.state|state_name }}`, `{{ case.state|state_style }}`, `{{ agency|loc }}`,
`{{ case.district|district }}`, `{{ case.description|public_text }}`.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from pracha.cases.models import Event
from pracha.cases.public_actor import public_actor
from pracha.insights.templatetags.insights_format import duration_text
from pracha.triage.explanations import event_explanation
from pracha.web import names
from pracha.web.privacy import public_text as _public_text

register = template.Library()


@register.filter
def day(value: datetime | date | None) -> str:
    """The date only; Thai readers get the Buddhist-era year (พ.ศ.)."""
    return names.format_day(value)


@register.filter
def when(value: datetime | None) -> str:
    """Date and time in Bangkok; Thai readers get the Buddhist-era year (พ.ศ.)."""
    return names.format_when(value)


@register.filter
def age(value: datetime | None) -> str:
    """How long ago, in the page's language ("3 ปี 6 เดือน"); Django's own `timesince`
    has no Thai words for its units."""
    if value is None:
        return ""
    seconds = max((timezone.now() - value).total_seconds(), 0.0)
    return duration_text(seconds / 3600)


@register.filter
def state_name(state: str) -> str:
    return names.state_name(state)


@register.filter
def state_style(state: str) -> str:
    return names.state_style(state)


@register.filter
def loc(obj: object) -> str:
    """A category's or agency's name in the reader's language."""
    return names.localised(obj)


@register.filter
def district(name: str) -> str:
    return names.district_name(name)


@register.filter
def public_text(text: str) -> str:
    """Text written by citizens, with phone numbers, ID numbers and e-mail addresses masked."""
    return _public_text(text)


@register.filter
def actor_name(event: Event) -> str:
    """Who acted, as the public may know it (kind and agency, never a login), translated."""
    return public_actor(event).name("th" if names.is_thai() else "en")


@register.filter
def actor_kind(event: Event) -> str:
    return public_actor(event).kind.value


@register.filter
def explanation(event: Event) -> str:
    """How Pracha sorted the case, in plain words in the reader's language ("" if nothing)."""
    said = event_explanation(event, district_en=lambda d: names.district_name(d, "en"))
    if said is None:
        return ""
    return said[0] if names.is_thai() else said[1]


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters changed (None or "" removes one)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return ""
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def number(value: int | None) -> str:
    """1234567 -> 1,234,567 (Thai and English group digits the same way)."""
    if value is None:
        return "–"
    return f"{value:,}"


@register.filter
def event_label(kind: str) -> str:
    return names.event_label(kind)


@register.filter
def technical(kind: str) -> bool:
    return kind in names.TECHNICAL_EVENTS


@register.filter
def stars(count: int | None) -> str:
    """3 -> ★★★☆☆"""
    if not count:
        return ""
    return "★" * count + "☆" * (5 - count)
