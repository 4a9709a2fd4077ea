"""Consents: the citizen lets an agency use named data for a stated purpose, until revoked.

Nothing is shared by giving a consent here; the apps that share data with agencies (life
events next) ask `has_consent` first, and the citizen sees and revokes each consent in "My
Pracha". Giving and revoking are in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pracha.agencies.models import Agency
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.audit.log import audit
from pracha.citizens.errors import CitizenError, NoSuchConsent
from pracha.citizens.models import Citizen, Consent
from pracha.citizens.services.account import label

# What data a consent may name, with how a person reads it.
DATA_KINDS = {
    "name": _("Your name"),
    "email": _("Your e-mail address"),
    "phone": _("Your phone number"),
    "address": _("Your home address"),
    "location": _("Where you reported from"),
    "reports": _("Your reports and their photos"),
    "household": _("Who lives with you"),
    "line": _("Your LINE account"),
}
MAX_PURPOSE = 500


def check_consent(agency_ref: str, data: list[str], purpose: str) -> tuple[Agency, list[str], str]:
    try:
        agency = resolve_agency(agency_ref)
    except AgencyError as exc:
        raise CitizenError(str(exc), field="agency") from exc
    if not isinstance(data, list) or not data:
        raise CitizenError("name the data the agency may use", field="data")
    unknown = [d for d in data if d not in DATA_KINDS]
    if unknown:
        raise CitizenError(
            f"unknown data: {', '.join(map(str, unknown))} (known: {', '.join(DATA_KINDS)})",
            field="data",
        )
    purpose = " ".join(str(purpose or "").split())
    if not purpose:
        raise CitizenError("say what the agency may use the data for", field="purpose")
    if len(purpose) > MAX_PURPOSE:
        raise CitizenError(f"the purpose is at most {MAX_PURPOSE} characters", field="purpose")
    return agency, list(dict.fromkeys(data)), purpose


def do_give_consent(citizen: Citizen, agency_ref: str, data: list[str], purpose: str) -> Consent:
    agency, data, purpose = check_consent(agency_ref, data, purpose)
    with transaction.atomic():
        consent = Consent.objects.create(
            citizen=citizen, agency=agency, data=data, purpose=purpose, given_at=timezone.now()
        )
        audit(
            "citizen.consent_given",
            obj=citizen,
            actor_label=label(citizen),
            detail={"consent": consent.pk, "agency": agency.code, "data": data},
        )
    return consent


def do_revoke_consent(citizen: Citizen, consent_id: object) -> Consent:
    """Revoke one of the citizen's consents (a second revoke changes nothing)."""
    consent = None
    if isinstance(consent_id, int):
        consent = (
            Consent.objects.select_related("agency").filter(pk=consent_id, citizen=citizen).first()
        )
    if consent is None:
        raise NoSuchConsent("you have no consent with this id", field="consent")
    if consent.revoked_at is None:
        with transaction.atomic():
            consent.revoked_at = timezone.now()
            consent.save(update_fields=["revoked_at"])
            audit(
                "citizen.consent_revoked",
                obj=citizen,
                actor_label=label(citizen),
                detail={"consent": consent.pk, "agency": consent.agency.code},
            )
    return consent


def has_consent(citizen: Citizen, agency: Agency, data: str) -> bool:
    """Whether the citizen lets the agency use this data now (for the apps that share)."""
    given = Consent.objects.filter(citizen=citizen, agency=agency, revoked_at=None)
    return any(data in consent.data for consent in given)


def consent_dict(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "agency": {
            "code": consent.agency.code,
            "name_th": consent.agency.name_th,
            "name_en": consent.agency.name_en,
        },
        "data": list(consent.data),
        "purpose": consent.purpose,
        "given_at": consent.given_at,
        "revoked_at": consent.revoked_at,
        "active": consent.revoked_at is None,
    }
