"""Template filters of the proposals pages: `{% load pracha_proposals %}` then
`{{ p.state|proposal_state }}`, `{{ answer.reason|reason_name }}`, `{{ event.kind|step_name }}`,
`{{ p.agency|agency_name }}` (a dict or an Agency, in the reader's language),
`{{ p.created_at|iso_day }}` (an ISO time as a date)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from pracha.web import names, proposal_names

register = template.Library()


@register.filter
def proposal_state(state: str) -> str:
    return proposal_names.state_name(state)


@register.filter
def reason_name(reason: str | None) -> str:
    return proposal_names.reason_name(reason or "")


@register.filter
def step_name(kind: str) -> str:
    return str(proposal_names.EVENT_NAMES.get(kind, kind))


@register.filter
def agency_name(agency: Any) -> str:
    if isinstance(agency, dict):
        thai, english = agency.get("name_th") or "", agency.get("name_en") or ""
        return str(thai or english) if names.is_thai() else str(english or thai)
    return names.localised(agency)


@register.filter
def iso_day(value: str | None) -> str:
    if not value:
        return ""
    return datetime.fromisoformat(value).date().isoformat()
