"""Data-subject requests (PDPA): find what is held about a reporter, export it, erase it,
and drop contact details once the retention period after closing has passed.

Erasure removes the contact row and the case's `by_reporter` "me too" row (a keyed hash of the
reporter's device, kept so they cannot say "me too" on their own report), and masks the
reporter's text (description, address, their own reopen reasons and rating comments):
personal data the masking recognises, and the reporter's own name, phone and e-mail wherever
they wrote them. Copies of that text other apps keep (Open311 answers and stored webhook
bodies, triage corrections) are scrubbed the same way by their `reporter_erased` receivers.
The case itself (category, place, dates, states, agencies) stays, so statistics do not change;
its link to the reporter's account (pracha.citizens) goes, as it says who filed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pracha.audit.log import audit
from pracha.audit.models import AuditEntry
from pracha.audit.signals import collect_reporter_data, reporter_erased
from pracha.cases.models import Case, Event, MeToo, Photo, ReporterContact
from pracha.cases.public_actor import public_actor
from pracha.masking.personal_data import LABELS, mask_personal_data
from pracha.states import CLOSED_STATES

ERASED_NAME = "[ชื่อผู้แจ้ง]"
CITIZEN_TEXT_EVENTS = (Event.Kind.REOPENED, Event.Kind.RATED, Event.Kind.COMMENTED)


class NoSuchReporter(LookupError):
    """Nothing is held for the ticket, e-mail or phone number asked about."""


@dataclass(frozen=True)
class Query:
    ticket: str = ""
    email: str = ""
    phone: str = ""

    def describe(self) -> str:
        return "ticket" if self.ticket else "email" if self.email else "phone"


def phone_digits(phone: str) -> str:
    """`+66 81-234-5678` and `081 234 5678` -> `0812345678`."""
    digits = re.sub(r"\D", "", phone.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


def find_cases(query: Query) -> list[Case]:
    """The cases whose reporter the query identifies (a ticket id, or the contact itself)."""
    if query.ticket:
        cases = list(Case.objects.filter(ticket_id=query.ticket.strip().upper()))
    elif query.email:
        ids = ReporterContact.objects.filter(email__iexact=query.email.strip()).values("case_id")
        cases = list(Case.objects.filter(pk__in=ids))
    elif query.phone:
        wanted = phone_digits(query.phone)
        if len(wanted) < 9:
            raise NoSuchReporter("a phone number has at least 9 digits")
        phone_ids = [
            case_id
            for case_id, phone in ReporterContact.objects.exclude(phone="").values_list(
                "case_id", "phone"
            )
            if phone_digits(phone) == wanted
        ]
        cases = list(Case.objects.filter(pk__in=phone_ids))
    else:
        raise NoSuchReporter("give a ticket id, an e-mail address or a phone number")
    if not cases:
        raise NoSuchReporter("no case matches; nothing is held for that reporter")
    return sorted(cases, key=lambda c: c.created_at)


def export_reporter_data(query: Query) -> dict[str, Any]:
    """Everything held about the reporter, as JSON-ready data; the export is audited."""
    cases = find_cases(query)
    out: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "query": query.describe(),
        "cases": [],
    }
    with transaction.atomic():
        for case in cases:
            out["cases"].append(case_export(case))
            audit("privacy.export", obj=case, detail={"query": query.describe()})
    return out


def case_export(case: Case) -> dict[str, Any]:
    contact = ReporterContact.objects.filter(case=case).first()
    reads = AuditEntry.objects.filter(
        object_type="case", object_id=case.ticket_id, action="contact.read"
    ).order_by("at")
    held_elsewhere = {}
    for receiver, data in collect_reporter_data.send(sender=Case, case=case):
        if data:
            held_elsewhere[getattr(receiver, "__module__", "other")] = data
    return {
        "ticket_id": case.ticket_id,
        # Filed while signed in, or claimed: the account's own export lists its details.
        "linked_to_account": case.citizen_id is not None,
        "held_elsewhere": held_elsewhere,
        "reporter": None
        if contact is None
        else {
            "name": contact.name,
            "phone": contact.phone,
            "email": contact.email,
            "given_at": contact.created_at.isoformat(),
        },
        "description": case.description,
        "address": case.address,
        "lat": case.lat,
        "lon": case.lon,
        "district": case.district,
        "subdistrict": case.subdistrict,
        "categories": list(case.categories.values_list("code", flat=True)),
        "state": case.state,
        "agency": case.agency.code if case.agency else None,
        "created_at": case.created_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "stars": case.stars,
        # Only a count: the rows hold keyed hashes of the reporter's device, meaningless to them.
        "reporter_device_records": _reporter_me_toos(case).count(),
        "photos": [
            {"kind": p.kind, "url": p.public_url, "added_at": p.created_at.isoformat()}
            for p in case.photos.all()
        ],
        "timeline": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                # The reporter learns the agency and role, as on the public page, not a login.
                "by": public_actor(e).label,
                "note": e.note,
                "public": e.is_public,
            }
            for e in case.events.all()
        ],
        "contact_reads": [
            {"at": r.at.isoformat(), "by": r.actor_label, "purpose": r.detail.get("purpose", "")}
            for r in reads
        ],
    }


@dataclass
class Erasure:
    ticket_id: str
    contact_removed: bool
    texts_changed: int
    photos_removed: int
    device_records_removed: int = 0


def erase_reporter_data(query: Query, *, photos: bool = False) -> list[Erasure]:
    """Remove contact data and mask the reporter's text in every matching case. Irreversible."""
    results = []
    for case in find_cases(query):
        with transaction.atomic():
            results.append(
                _erase_case(Case.objects.select_for_update().get(pk=case.pk), query, photos)
            )
    return results


def _erase_case(case: Case, query: Query, photos: bool) -> Erasure:
    contact = ReporterContact.objects.filter(case=case).first()
    known = _known_identifiers(contact)
    changed = 0
    new_description, new_address = _scrub(case.description, known), _scrub(case.address, known)
    if (new_description, new_address) != (case.description, case.address):
        changed += 1
    # The link to the reporter's account goes too: it says who filed the case.
    Case.objects.filter(pk=case.pk).update(
        description=new_description, address=new_address, idempotency_key=None, citizen=None
    )
    citizen_events = case.events.filter(kind__in=CITIZEN_TEXT_EVENTS, actor__isnull=True)
    for event in citizen_events.exclude(note=""):
        note = _scrub(event.note, known)
        if note != event.note:
            Event.objects.filter(pk=event.pk).update(note=note)
            changed += 1
    removed_photos = _remove_citizen_photos(case) if photos else 0
    device_records, _ = _reporter_me_toos(case).delete()
    # Copies of the reporter's text elsewhere (Open311 answers, webhook bodies, triage
    # training rows) are scrubbed by their apps the same way as the text above.
    reporter_erased.send(sender=Case, case=case, scrub=lambda text: _scrub(text, known))
    if contact is not None:
        contact.delete()
    audit(
        "privacy.erase",
        obj=case,
        detail={
            "query": query.describe(),
            "contact_removed": contact is not None,
            "texts_changed": changed,
            "photos_removed": removed_photos,
            "device_records_removed": device_records,
        },
    )
    return Erasure(case.ticket_id, contact is not None, changed, removed_photos, device_records)


def _reporter_me_toos(case: Case) -> QuerySet[MeToo]:
    """The reporter's own rows of the case (not the citizens who said "me too")."""
    return MeToo.objects.filter(case=case, by_reporter=True)


# Titles are not part of what identifies someone: "นางสาวสมศรี" is masked as "สมศรี".
TITLES = (
    "นางสาว",
    "นาง",
    "นาย",
    "น.ส.",
    "ด.ช.",
    "ด.ญ.",
    "คุณ",
    "Mrs.",
    "Mrs",
    "Mr.",
    "Mr",
    "Ms.",
    "Ms",
)


def _known_identifiers(contact: ReporterContact | None) -> list[tuple[re.Pattern[str], str]]:
    """Patterns for the reporter's own name, phone and e-mail, however they typed them."""
    if contact is None:
        return []
    found: list[tuple[re.Pattern[str], str]] = []
    if contact.email.strip():
        found.append((re.compile(re.escape(contact.email.strip()), re.IGNORECASE), LABELS["email"]))
    digits = phone_digits(contact.phone)
    if len(digits) >= 9:
        body = r"[\s\-.]*".join(re.escape(d) for d in digits[1:])
        found.append((re.compile(rf"(?:\+?\s*66|0)[\s\-.]*{body}"), LABELS["phone"]))
    name = contact.name.strip()
    if name:
        parts = [p for p in name.split() if p not in TITLES]
        parts = [_untitled(p) for p in parts]
        whole = r"\s*".join(re.escape(p) for p in parts if p)
        if whole:
            found.append((re.compile(whole, re.IGNORECASE), ERASED_NAME))
        for part in parts:
            if len(part) >= 3:  # shorter parts are too often ordinary words
                found.append((re.compile(re.escape(part), re.IGNORECASE), ERASED_NAME))
    return found


def _untitled(word: str) -> str:
    for title in TITLES:
        if word.startswith(title) and len(word) > len(title) + 1:
            return word[len(title) :]
    return word


def _scrub(text: str, known: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, label in known:
        text = pattern.sub(label, text)
    return mask_personal_data(text)


def _remove_citizen_photos(case: Case) -> int:
    """Photos the citizen added (before-photos added without an officer), files included."""
    photo_ids = case.events.filter(
        kind=Event.Kind.PHOTO_ADDED, actor__isnull=True, photo__isnull=False
    ).values_list("photo_id", flat=True)
    count = 0
    for photo in Photo.objects.filter(pk__in=list(photo_ids), kind=Photo.Kind.BEFORE):
        if photo.image:
            photo.image.delete(save=False)
        photo.delete()
        count += 1
    return count


def purge_expired_contacts(*, dry_run: bool = False) -> tuple[int, str]:
    """Delete contact data of cases closed longer ago than PRACHA_CONTACT_RETENTION_DAYS."""
    days = settings.PRACHA.contact_retention_days
    cutoff = timezone.now() - timedelta(days=days)
    expired = ReporterContact.objects.filter(
        case__state__in=CLOSED_STATES, case__closed_at__lt=cutoff
    )
    count = expired.count()
    if not dry_run and count:
        with transaction.atomic():
            count, _ = expired.delete()
            audit(
                "privacy.purge_expired",
                object_type="reportercontact",
                detail={"deleted": count, "closed_before": cutoff.isoformat(), "days": days},
            )
    return count, cutoff.isoformat()
