"""Filing a new case: validation, idempotent creation, the first timeline event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.agencies.services import agency_by_code
from pracha.audit.log import audit_batch
from pracha.cases.actors import Actor
from pracha.cases.categories import categories_of
from pracha.cases.errors import IdempotencyKeyReused, InvalidInput
from pracha.cases.models import Case, Category, Event, ReporterContact
from pracha.cases.queries import prime_new_case
from pracha.cases.searchtext import public_search_text
from pracha.cases.services.citizen import do_note_reporters
from pracha.cases.services.text import clean_text
from pracha.cases.services.timeline import do_add_events
from pracha.cases.signals import announce, batch_case_changes
from pracha.citizens.models import Citizen
from pracha.geo.bounds import CoordinateError, check_point
from pracha.inserts import insert_new
from pracha.intake.triage import (
    check_duplicates,
    check_triage,
    do_record_triage,
    explained,
    routed_agency,
    triage_event,
)
from pracha.taxonomy.categories import category_codes
from pracha.tickets import new_ticket_id
from pracha.triage.duplicates import Candidate
from pracha.triage.pipeline import Place, TriageResult


@dataclass
class Reporter:
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class NewCase:
    description: str
    lat: float
    lon: float
    categories: list[str] = field(default_factory=list)
    address: str = ""
    reporter: Reporter | None = None
    language: str = "th"
    source: str = Case.Source.API


@dataclass(frozen=True)
class CleanCase:
    description: str
    lat: float
    lon: float
    category_codes: list[str]
    address: str
    reporter: Reporter | None
    language: str
    source: str


def check_new_case(data: NewCase) -> CleanCase:
    limits = settings.PRACHA
    description = clean_text(
        data.description,
        field="description",
        max_chars=limits.max_description_chars,
        required=True,
    )
    address = clean_text(data.address, field="address", max_chars=500)
    try:
        check_point(data.lat, data.lon)
    except CoordinateError as exc:
        raise InvalidInput(str(exc), field="lat") from exc
    names = [clean_text(name, field="categories", max_chars=100) for name in data.categories]
    codes, unknown = category_codes(names)
    if unknown:
        raise InvalidInput(
            f"unknown categories: {', '.join(unknown)} (GET /api/v1/categories lists them)",
            field="categories",
        )
    reporter = _check_reporter(data.reporter) if data.reporter else None
    language = data.language if data.language in {"th", "en"} else "th"
    return CleanCase(
        description,
        float(data.lat),
        float(data.lon),
        codes,
        address,
        reporter,
        language,
        data.source,
    )


def _check_reporter(reporter: Reporter) -> Reporter | None:
    name = clean_text(reporter.name, field="reporter.name", max_chars=200)
    phone = clean_text(reporter.phone, field="reporter.phone", max_chars=40)
    email = clean_text(reporter.email, field="reporter.email", max_chars=254)
    if phone and not all(ch.isdigit() or ch in "+-() " for ch in phone):
        raise InvalidInput(
            "reporter.phone may hold only digits, spaces and + - ( )", field="reporter.phone"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(
                f"reporter.email {email!r} is not an e-mail address", field="reporter.email"
            ) from exc
    if not (name or phone or email):
        return None
    return Reporter(name=name, phone=phone, email=email)


def default_agency() -> Agency | None:
    return agency_by_code(settings.PRACHA.default_agency_code)


def do_create_case(
    data: NewCase,
    *,
    idempotency_key: str | None = None,
    actor: Actor | None = None,
    citizen: Citizen | None = None,
    reporters: Sequence[str] = (),
) -> tuple[Case, bool]:
    """Create the case and its first event in one transaction.

    Returns (case, created). With an idempotency key seen before, the original case is
    returned and nothing is written, so a client's retry never makes a second ticket.
    A signed-in reporter's `citizen` links the case to their account ("My Pracha").
    `reporters` (pracha.limits.device idents of who filed it) are noted in the same
    transaction, so they cannot say "me too" on their own report.
    """
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()
        if not idempotency_key or len(idempotency_key) > 200 or not idempotency_key.isprintable():
            raise InvalidInput(
                "Idempotency-Key must be 1 to 200 printable characters", field="Idempotency-Key"
            )
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return check_same_request(existing, data), False
    clean = check_new_case(data)
    # Categories, district, agency and duplicates (pracha.triage); refuses points abroad.
    triage = check_triage(
        clean.description, clean.lat, clean.lon, clean.address, clean.category_codes
    )
    duplicates = check_duplicates(clean.description, clean.lat, clean.lon, triage) if triage else []
    actor = actor or Actor.citizen()
    # Everything that needs no write is settled before the transaction, which every report on
    # SQLite queues for: the agency (a district office seen for the first time is created on
    # its own, as reference data) and the case row itself, masked search text included.
    agency = default_agency()
    if triage is not None:
        agency = routed_agency(triage, agency)
        triage = explained(triage, agency)
    fingerprinted = fingerprint(data)
    for _attempt in range(5):
        case = _new_case(clean, idempotency_key, triage, agency, fingerprinted, citizen)
        try:
            # The audit entries of its events are written together, at the block's end.
            with transaction.atomic(), audit_batch():
                categories, events = _insert(case, clean, actor, triage, agency, duplicates)
                do_note_reporters(case, reporters)
        except IntegrityError:
            # Either the random ticket id collided (try again) or a concurrent retry with
            # the same idempotency key won the race (return its case).
            if idempotency_key is not None:
                existing = Case.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return check_same_request(existing, data), False
            continue
        if any(e.kind == Event.Kind.INVITED for e in events):
            return case, True  # the invitations changed the stored case: read it back to answer
        # The answer is made from what was just written, as reading it back gives.
        return prime_new_case(case, categories, events), True
    raise RuntimeError("could not allocate a unique ticket id after 5 attempts")


def fingerprint(data: NewCase) -> str:
    """What identifies a request for idempotency: everything the client sent."""
    canonical = json.dumps(asdict(data), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_same_request(existing: Case, data: NewCase) -> Case:
    """A retry gets the original case; the same key with another request is refused, so a
    stranger who guesses or reuses a key cannot obtain someone else's case and token."""
    stored = existing.idempotency_fingerprint
    if stored and stored != fingerprint(data):
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different report; use a new key "
            "for a new report, and the same key only to retry the very same request",
            field="Idempotency-Key",
        )
    return existing


def _new_case(
    clean: CleanCase,
    idempotency_key: str | None,
    triage: TriageResult | None,
    agency: Agency | None,
    fingerprinted: str,
    citizen: Citizen | None,
) -> Case:
    """The case row as it will be written (not saved), with a newly drawn ticket id."""
    now = timezone.now()
    place = triage.place if triage is not None else Place()
    case = Case(
        ticket_id=new_ticket_id(now),
        description=clean.description,
        lat=clean.lat,
        lon=clean.lon,
        address=clean.address,
        district=place.district,
        subdistrict=place.subdistrict,
        province=place.province,
        agency=agency,
        source=clean.source,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprinted if idempotency_key else "",
        language=clean.language,
        citizen=citizen,
        created_at=now,
        updated_at=now,
    )
    case.search_text = public_search_text(case.description, case.address)  # as Case.save does
    # Known to hold no reporter contact: one made for it replaces this (Django sets both sides
    # of a one-to-one), so what the reporter left is known to receivers without a read.
    Case.reporter.related.set_cached_value(case, None)
    return case


def _insert(
    case: Case,
    clean: CleanCase,
    actor: Actor,
    triage: TriageResult | None,
    agency: Agency | None,
    duplicates: Sequence[Candidate] = (),
) -> tuple[list[Category], list[Event]]:
    """Write the new case and what comes with it; returns its categories and events."""
    # The reporter's categories, else the model's.
    codes = triage.categories if triage is not None else clean.category_codes
    # The case is written once with its place and categories; the receivers that follow
    # every save of a case (insights' rollups) run once, at the end of this block.
    with batch_case_changes():
        insert_new([case], announce=True)
        categories = categories_of(list(dict.fromkeys(codes)))
        # A new case has no links yet: insert them without the read that add() makes first
        # (its m2m signal would only defer to the batch's end, which counts new cases anyway).
        insert_new([Case.categories.through(case=case, category=c) for c in categories])
        if clean.reporter:
            contact = ReporterContact(
                case=case,
                name=clean.reporter.name,
                phone=clean.reporter.phone,
                email=clean.reporter.email,
            )
            insert_new([contact], announce=True)
        created = Event(
            case=case,
            kind=Event.Kind.CREATED,
            at=case.created_at,
            actor_label=actor.label,
            to_state=case.state,
            to_agency=agency,
            is_public=True,
        )
        events = do_add_events(
            [created] if triage is None else [created, triage_event(case, triage, agency)]
        )
        announce(case.pk, created.pk)
        if triage is not None:
            events += do_record_triage(case, triage, agency, duplicates, events[1])
    return categories, events
