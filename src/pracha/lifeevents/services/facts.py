"""Facts told once: checked, stored per journey, and shared with an agency only as far as
its step uses them and the citizen's consent for that fact and agency still stands."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.errors import InvalidInput
from pracha.lifeevents.models import FactConsent, Journey, JourneyFact

FACT_KEY = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
MAX_FACTS = 100
MAX_TEXT = 500
Scalar = str | int | float | bool | None


def check_facts(raw: Any, field: str = "facts") -> dict[str, Scalar]:
    """Facts as sent: an object of short names to numbers, text, true/false or null."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidInput("facts must be an object of name: value", field=field)
    if len(raw) > MAX_FACTS:
        raise InvalidInput(f"at most {MAX_FACTS} facts at a time", field=field)
    facts: dict[str, Scalar] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not FACT_KEY.match(key):
            raise InvalidInput(
                f"fact name {key!r}: lower-case letters, digits and '_', starting with a letter",
                field=f"{field}.{key}",
            )
        if isinstance(value, str):
            value = value.strip()
            if len(value) > MAX_TEXT or "\x00" in value:
                raise InvalidInput(f"{key}: at most {MAX_TEXT} characters", field=f"{field}.{key}")
        elif isinstance(value, float) and value != value:  # NaN compares false with anything
            raise InvalidInput(f"{key}: not a number", field=f"{field}.{key}")
        elif value is not None and not isinstance(value, int | float | bool):
            raise InvalidInput(
                f"{key}: a fact is a number, text, true/false or null", field=f"{field}.{key}"
            )
        facts[key] = value
    return facts


def facts_of(journey: Journey) -> dict[str, Any]:
    return dict(JourneyFact.objects.filter(journey=journey).values_list("key", "value"))


def do_record_facts(
    journey: Journey, facts: Mapping[str, Any], source: str, agency: Agency | None = None
) -> list[str]:
    """Store facts (a later value replaces an earlier one); returns the keys that changed."""
    known = facts_of(journey)
    changed = []
    for key, value in facts.items():
        if key in known and known[key] == value:
            continue
        JourneyFact.objects.update_or_create(
            journey=journey,
            key=key,
            defaults={"value": value, "source": source, "agency": agency,
                      "recorded_at": timezone.now()},
        )  # fmt: skip
        changed.append(key)
    return changed


def consented(journey: Journey, agency: Agency) -> set[str]:
    """Facts the citizen lets `agency` see now."""
    rows = FactConsent.objects.filter(journey=journey, agency=agency, revoked_at__isnull=True)
    return set(rows.values_list("fact", flat=True))


def shared_facts(journey: Journey, uses: list[str], agency: Agency) -> dict[str, Any]:
    """What `agency` sees for a step: the facts it uses, known, and consented to."""
    allowed = consented(journey, agency) & set(uses)
    known = facts_of(journey)
    return {key: known[key] for key in uses if key in allowed and key in known}


def do_give_consent(journey: Journey, agency: Agency, facts: list[str], step: str) -> None:
    have = consented(journey, agency)
    FactConsent.objects.bulk_create(
        FactConsent(journey=journey, agency=agency, fact=key, step=step)
        for key in facts
        if key not in have
    )
