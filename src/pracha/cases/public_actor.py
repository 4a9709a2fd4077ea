"""Who did something on a case, as the public may know it: a kind of actor, never a login.

`Event.actor_label` keeps the internal label (an officer's login or full name, for the audit
log); everything shown to the public (pages, the API, Open311, webhooks) is derived here from
the event's structured fields instead, so old events written with a login name are safe too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist, ValidationError

from pracha.agencies.models import Agency, Officer
from pracha.agencies.public_name import check_public_name
from pracha.cases.actors import Actor
from pracha.cases.models import Event

# Stored labels of citizens (Event.actor_label); the public sees the names below instead.
CITIZEN_LABEL = Actor.citizen().label
REPORTER_LABEL = "ผู้แจ้ง / reporter"
# Labels written by other apps (triage, the Traffy importer, scripts): matched, not imported,
# so that cases depends on none of them.
SYSTEM_LABELS = frozenset({"Pracha triage", "Pracha"})
IMPORT_LABELS = frozenset({"Traffy Fondue"})
# Events only the reporter can cause (filing needs no token, reopening and rating do), so a
# citizen label on them, written before reporters were told apart, means the reporter.
REPORTER_KINDS = frozenset({Event.Kind.CREATED, Event.Kind.REOPENED, Event.Kind.RATED})


def reporter_actor() -> Actor:
    """The person who filed the case: they just filed it, or showed its citizen token."""
    return Actor(label=REPORTER_LABEL)


class ActorKind(StrEnum):
    REPORTER = "reporter"
    CITIZEN = "citizen"  # someone other than the reporter (a "me too", an anonymous photo)
    OFFICER = "officer"
    AGENCY = "agency"  # an agency as a whole (imported history, or an officer since removed)
    SYSTEM = "system"  # Pracha's automatic sorting
    IMPORT = "import"  # history imported from Traffy Fondue
    UNKNOWN = "unknown"


ROLE_NAMES: dict[str, tuple[str, str]] = {
    Officer.Role.OFFICER: ("เจ้าหน้าที่", "Officer"),
    Officer.Role.SUPERVISOR: ("หัวหน้างาน", "Supervisor"),
}
FIXED_NAMES = {
    ActorKind.REPORTER: ("ผู้แจ้ง", "The reporter"),
    ActorKind.CITIZEN: ("ประชาชนทั่วไป", "A member of the public"),
    ActorKind.SYSTEM: ("ระบบคัดแยกอัตโนมัติ", "Automatic sorting"),
    ActorKind.IMPORT: ("Traffy Fondue", "Traffy Fondue"),
    ActorKind.UNKNOWN: ("ไม่ระบุ", "Not stated"),
}


@dataclass(frozen=True)
class PublicActor:
    kind: ActorKind
    agency: Agency | None = None
    role: str = ""
    # The officer's chosen public name (agencies/public_name.py refuses logins and contact data).
    display_name: str = ""

    def name(self, language: str = "th") -> str:
        thai = language.startswith("th")
        if self.kind in FIXED_NAMES:
            th, en = FIXED_NAMES[self.kind]
            return th if thai else en
        agency = _agency_name(self.agency, thai)
        if self.kind == ActorKind.AGENCY:
            return agency or (FIXED_NAMES[ActorKind.UNKNOWN][0 if thai else 1])
        role = self._role_and_agency(agency, thai)
        return f"{self.display_name}, {role}" if self.display_name else role

    def _role_and_agency(self, agency: str, thai: bool) -> str:
        th, en = ROLE_NAMES.get(self.role, ROLE_NAMES[Officer.Role.OFFICER])
        if not agency:
            return th if thai else en
        return f"{th} {agency}" if thai else f"{en}, {agency}"

    @property
    def name_th(self) -> str:
        return self.name("th")

    @property
    def name_en(self) -> str:
        return self.name("en")

    @property
    def label(self) -> str:
        """Both languages in one string, for fields that always carried one string."""
        th, en = self.name_th, self.name_en
        return th if th == en else f"{th} / {en}"


def _agency_name(agency: Agency | None, thai: bool) -> str:
    if agency is None:
        return ""
    return (agency.name_th or agency.name_en) if thai else (agency.name_en or agency.name_th)


def _officer(event: Event) -> Officer | None:
    if event.actor_id is None:
        return None
    try:
        actor = event.actor  # None only when actor_id is, which returned above
        return actor.officer if actor is not None else None
    except (ObjectDoesNotExist, AttributeError):
        return None


def _shown_name(officer: Officer) -> str:
    """The officer's public name, checked again: one written past the form (shell, import)
    must not put a login or a phone number on a public page either."""
    try:
        return check_public_name(officer.public_name, officer.user.get_username())
    except ValidationError:
        return ""


def public_actor(event: Event) -> PublicActor:
    """Who did `event`, from what was stored about them (never their login)."""
    officer = _officer(event)
    if officer is not None:
        agency = event.agency or officer.agency
        return PublicActor(ActorKind.OFFICER, agency, officer.role, _shown_name(officer))
    label = event.actor_label
    if label == REPORTER_LABEL or (label == CITIZEN_LABEL and event.kind in REPORTER_KINDS):
        return PublicActor(ActorKind.REPORTER)
    if label == CITIZEN_LABEL:
        return PublicActor(ActorKind.CITIZEN)
    if label in SYSTEM_LABELS:
        return PublicActor(ActorKind.SYSTEM)
    if label in IMPORT_LABELS:
        return PublicActor(ActorKind.IMPORT)
    if event.agency_id is not None:
        return PublicActor(ActorKind.AGENCY, event.agency)
    if event.actor_id is not None:  # staff without an agency: say so, not who
        return PublicActor(ActorKind.OFFICER)
    return PublicActor(ActorKind.UNKNOWN)


def public_actor_dict(event: Event) -> dict[str, object]:
    """The new public fields about who acted (API timelines, Open311 updates, webhooks)."""
    actor = public_actor(event)
    agency = actor.agency
    return {
        "actor_kind": actor.kind.value,
        "actor_name_th": actor.name_th,
        "actor_name_en": actor.name_en,
        "actor_role": actor.role or None,
        "actor_agency_code": agency.code if agency else None,
    }
