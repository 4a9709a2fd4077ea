"""The citizen's account as the API shows it to the citizen themself."""

from __future__ import annotations

from typing import Any

from pracha.api.cases.representations import case_dict
from pracha.cases.services.claims import cases_of
from pracha.citizens.models import Citizen
from pracha.citizens.services.account import channels, items, notification_settings
from pracha.citizens.services.consents import consent_dict

ME_CASES = 100


def citizen_dict(citizen: Citizen) -> dict[str, Any]:
    return {
        "id": citizen.pk,
        "email": citizen.email,
        "language": citizen.language,
        "created_at": citizen.created_at,
        "channels": channels(citizen),
    }


def me_dict(citizen: Citizen) -> dict[str, Any]:
    cases = cases_of(citizen)
    return {
        **citizen_dict(citizen),
        "cases": [case_dict(c) for c in cases[:ME_CASES]],
        "cases_count": cases.count(),
        "notifications": notification_settings(citizen),
        "consents": [consent_dict(c) for c in citizen.consents.select_related("agency")],
        "items": items(citizen),
    }
