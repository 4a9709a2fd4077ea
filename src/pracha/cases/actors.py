"""Who is acting on a case: an officer of an agency, a citizen, or an importer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pracha.agencies.models import Agency, Officer
from pracha.audit.log import audit_refusal
from pracha.cases.errors import NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from pracha.cases.models import Case


@dataclass(frozen=True)
class Actor:
    label: str
    user: User | None = None
    officer: Officer | None = None

    @property
    def agency(self) -> Agency | None:
        return self.officer.agency if self.officer else None

    @classmethod
    def for_officer(cls, officer: Officer) -> Actor:
        user = officer.user
        name = user.get_full_name() or user.get_username()
        return cls(label=f"{name} ({officer.agency.name_th})", user=user, officer=officer)

    @classmethod
    def citizen(cls) -> Actor:
        return cls(label="ประชาชน / citizen")

    @classmethod
    def system(cls, label: str = "Pracha") -> Actor:
        return cls(label=label)


# --- who may do what on a case ------------------------------------------------------------
#
# The one rule for officers on a case; the API, the office pages, triage correction, merging
# and the contact reader all ask here, so they cannot drift apart.
#
# - responsible: an officer of the agency the case is with.
# - supervisor: an officer whose Officer.role is "supervisor" in the responsible agency, or a
#   superuser who is also an officer (a city-wide administrator). A supervisor of an *invited*
#   agency is only a helper: being invited must never hand over responsibility. Django's
#   is_staff alone grants nothing here (it only opens /admin/, and the demo gives it to every
#   supervisor).
# - helper: an officer of an agency the responsible one invited. Helpers work on the case
#   (comments, progress states, photos) and see staff-only notes and the unmasked text, but
#   they do not move responsibility (accept, forward, re-route, merge, invite, close) and do
#   not read the reporter's contact.
# - outsider: any other officer; reads the case as the public does.


class CaseRole(StrEnum):
    RESPONSIBLE = "responsible"
    SUPERVISOR = "supervisor"
    HELPER = "helper"
    OUTSIDER = "outsider"


class Power(StrEnum):
    SEE_INTERNAL = "see_internal"  # staff-only notes, and citizens' text unmasked
    HELP = "help"  # comment, move between working states, add photos
    MANAGE = "manage"  # accept, forward, invite, close, correct triage / re-route, merge
    READ_CONTACT = "read_contact"  # the reporter's private contact (audited)


_HELPING = frozenset({Power.SEE_INTERNAL, Power.HELP})
POWERS: dict[CaseRole, frozenset[Power]] = {
    CaseRole.RESPONSIBLE: frozenset(Power),
    CaseRole.SUPERVISOR: frozenset(Power),
    CaseRole.HELPER: _HELPING,
    CaseRole.OUTSIDER: frozenset(),
}

_REFUSALS = {
    Power.SEE_INTERNAL: "see the staff-only notes of",
    Power.HELP: "act on",
    Power.MANAGE: "accept, forward, re-route, merge, invite or close",
    Power.READ_CONTACT: "read the reporter's contact details of",
}


def case_role(officer: Officer | None, case: Case) -> CaseRole:
    """How `officer` stands to `case` (uses the case's prefetched co-agencies when loaded)."""
    if officer is None:
        return CaseRole.OUTSIDER
    if case.agency_id is not None and case.agency_id == officer.agency_id:
        if officer.role == Officer.Role.SUPERVISOR:
            return CaseRole.SUPERVISOR
        return CaseRole.RESPONSIBLE
    if officer.user.is_superuser and officer.user.is_active:
        return CaseRole.SUPERVISOR
    if any(a.pk == officer.agency_id for a in case.co_agencies.all()):
        return CaseRole.HELPER
    return CaseRole.OUTSIDER


def may(officer: Officer | None, case: Case, power: Power) -> bool:
    return power in POWERS[case_role(officer, case)]


def check_may(officer: Officer | None, case: Case, power: Power, action: str = "") -> None:
    """Raise NotAllowed, with a reason a person can act on, unless `officer` has `power`.

    A refused attempt to manage a case (a helper trying to take it over, another agency) is
    audited here, so the API, the office pages, triage and merging cannot forget it."""
    role = case_role(officer, case)
    if power in POWERS[role]:
        return
    if power == Power.MANAGE:
        detail = {"action": action or power.value, "role": role.value}
        audit_refusal("case.action_refused", obj=case, actor=officer, detail=detail)
    what = _REFUSALS[power]
    owner = case.agency or "no agency"
    if officer is None:
        raise NotAllowed(f"only an officer of the responsible agency may {what} this case")
    if role == CaseRole.HELPER:
        raise NotAllowed(
            f"{officer.agency} was invited to help on case {case.ticket_id}; only {owner} "
            f"(the responsible agency) or a supervisor may {what} it"
        )
    raise NotAllowed(
        f"case {case.ticket_id} belongs to {owner}; "
        f"{officer.agency} may act only on its own or shared cases"
    )


def sees_internal(officer: Officer | None, case: Case) -> bool:
    """Whether a reader sees a case's staff-only notes and its text unmasked (API and pages)."""
    return may(officer, case, Power.SEE_INTERNAL)
