"""A citizen's own data requests: everything held about their account, and deleting it.

The export is the account (channels, sign-ins, settings, consents), each of its cases as
`pracha privacy export` gives it (contact, texts, timeline, who read the contact), the cases
it said "me too" on, and what other apps hold (citizens.signals.collect_citizen_data).

Deleting erases each linked case's reporter data as `pracha privacy erase` does (contact
removed, the reporter's identifiers masked in their texts, the case unlinked) and keeps the
case, anonymous, for statistics; then the account goes with its channels, tokens, settings,
consents, and the codes and failed tries kept for its addresses. "Me too" rows it left stay
as keyed hashes of an id that no longer exists: they still count, and lead to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pracha.audit.log import audit
from pracha.cases.models import Case, MeToo
from pracha.cases.services.citizen import voter_key
from pracha.cases.services.claims import citizen_person
from pracha.citizens.models import Citizen
from pracha.citizens.services.account import channels, do_delete_account, notification_settings
from pracha.citizens.services.consents import consent_dict
from pracha.citizens.signals import collect_citizen_data
from pracha.privacy.services import Query, case_export, erase_reporter_data


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_citizen_data(citizen: Citizen) -> dict[str, Any]:
    """Everything held about the citizen, JSON-ready; the export is in the audit log."""
    cases = list(Case.objects.filter(citizen=citizen).order_by("created_at", "pk"))
    said = MeToo.objects.filter(voter=voter_key(citizen_person(citizen)), by_reporter=False)
    held_elsewhere = {}
    for receiver, data in collect_citizen_data.send(sender=Citizen, citizen=citizen):
        if data:
            held_elsewhere[getattr(receiver, "__module__", "other")] = data
    with transaction.atomic():
        out = {
            "generated_at": timezone.now().isoformat(),
            "account": {
                "id": citizen.pk,
                "language": citizen.language,
                "created_at": _iso(citizen.created_at),
                "last_seen_at": _iso(citizen.last_seen_at),
            },
            "channels": [{**c, "verified_at": _iso(c["verified_at"])} for c in channels(citizen)],
            "sign_ins": [
                {
                    "kind": t.kind,
                    "prefix": t.prefix,
                    "created_at": _iso(t.created_at),
                    "last_used_at": _iso(t.last_used_at),
                }
                for t in citizen.tokens.order_by("created_at")
            ],
            "notifications": notification_settings(citizen),
            "consents": [
                {**d, "given_at": _iso(d["given_at"]), "revoked_at": _iso(d["revoked_at"])}
                for d in map(consent_dict, citizen.consents.select_related("agency"))
            ],
            "cases": [case_export(case) for case in cases],
            "me_too": sorted(said.values_list("case__ticket_id", flat=True)),
            "held_elsewhere": held_elsewhere,
        }
        audit(
            "citizen.export",
            obj=citizen,
            actor_label=f"citizen #{citizen.pk}",
            detail={"cases": len(cases)},
        )
    return out


@dataclass(frozen=True)
class AccountDeletion:
    citizen_id: int
    cases_kept: int  # the account's cases, kept anonymous for statistics
    contacts_removed: int


def delete_citizen(citizen: Citizen) -> AccountDeletion:
    """Delete the account and erase the reporter data of its cases. Irreversible."""
    pk = citizen.pk
    with transaction.atomic():
        tickets = list(Case.objects.filter(citizen=citizen).values_list("ticket_id", flat=True))
        removed = 0
        for ticket in tickets:
            for erasure in erase_reporter_data(Query(ticket=ticket)):
                removed += int(erasure.contact_removed)
        do_delete_account(citizen)
        audit(
            "citizen.deleted",
            object_type="citizen",
            object_id=str(pk),
            object_repr=f"citizen #{pk}",
            actor_label=f"citizen #{pk}",
            detail={"cases_kept_anonymous": len(tickets), "contacts_removed": removed},
        )
    return AccountDeletion(pk, len(tickets), removed)
