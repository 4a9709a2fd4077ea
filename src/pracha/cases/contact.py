"""The one sanctioned way to read a reporter's private contact details: audited, with a purpose.

Nothing else in Pracha may read `ReporterContact` for display or use; a test scans the source
for other readers. Writers (intake) and the privacy commands (export, erase) are the exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from pracha.agencies.models import Officer
from pracha.audit.log import audit
from pracha.cases.actors import Power, check_may
from pracha.cases.errors import InvalidInput
from pracha.cases.models import Case, ReporterContact
from pracha.cases.services.text import clean_text

PURPOSE_LIMIT = 200


@dataclass(frozen=True)
class Contact:
    ticket_id: str
    name: str
    phone: str
    email: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_may_read_contact(officer: Officer | None, case: Case) -> None:
    """The responsible agency's officers and supervisors; invited agencies do not (the rule
    is pracha.cases.actors', shared with the API and the office pages)."""
    check_may(officer, case, Power.READ_CONTACT)


def read_reporter_contact(case: Case, actor: Any, purpose: str) -> Contact | None:
    """The reporter's contact, or None if none is held; the read is in the audit log first.

    `actor` is an Officer, a user, or None for the system (then set `acting_as`); `purpose`
    says why (e.g. "call back about the location"), and is required.
    """
    purpose = clean_text(purpose, field="purpose", max_chars=PURPOSE_LIMIT)
    if not purpose:
        raise InvalidInput("say why the contact is needed (purpose)", field="purpose")
    with transaction.atomic():
        contact = ReporterContact.objects.filter(case=case).first()
        held = [f for f in ("name", "phone", "email") if contact and getattr(contact, f)]
        audit(
            "contact.read",
            obj=case,
            actor=actor,
            detail={"purpose": purpose, "found": contact is not None, "fields": held},
        )
    if contact is None:
        return None
    return Contact(case.ticket_id, contact.name, contact.phone, contact.email)


def holds_reporter_email(case: Case) -> bool:
    """Whether an e-mail address is held for the case's reporter. Nothing is read out, so
    nothing is audited; intake's new case answers from memory (it knows what it wrote)."""
    try:
        return bool(case.reporter.email)
    except ReporterContact.DoesNotExist:
        return False


def read_reporter_contacts(cases: Iterable[Case], actor: Any, purpose: str) -> list[Contact]:
    """The contacts held for several cases (e.g. everyone following a merged case), each read
    audited on its case. Cases without contact are left out."""
    found = []
    for case in cases:
        contact = read_reporter_contact(case, actor, purpose)
        if contact is not None:
            found.append(contact)
    return found
