"""Writing records in batches: one IN query to skip known tickets, then bulk inserts.

Each batch is one transaction holding the cases, their category and co-agency links, photos
and timeline, so an interrupted import leaves whole tickets and re-running it carries on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db import transaction

from pracha.cases.actors import Actor
from pracha.cases.models import Case, Category, Event, Photo
from pracha.importer.holders import Route, Router
from pracha.states import CLOSED_STATES, State
from pracha.taxonomy.categories import category_codes
from pracha.traffy.formats import Record

TRAFFY = "Traffy Fondue"
MAX_LABELS_CHARS = 500  # Case.source_labels
MAX_URL_CHARS = 500  # Photo.url
# SQLite allows 32,766 parameters per query; larger --batch-size values are looked up in parts.
MAX_IN_IDS = 10_000

CaseCategory = Case.categories.through
CaseCoAgency = Case.co_agencies.through


@lru_cache(maxsize=8192)
def codes_for(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Category codes for Traffy's labels; labels Pracha has no category for (อื่นๆ) drop out."""
    codes, _unknown = category_codes(list(labels))
    return tuple(codes)


@dataclass
class BatchResult:
    imported: int = 0
    present: int = 0  # already in the database, or earlier in the same batch


class Loader:
    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.router = Router()
        self.category_ids = dict(Category.objects.values_list("code", "pk"))
        self._dry_run_ids: set[str] = set()

    def write(self, records: Sequence[Record]) -> BatchResult:
        result = BatchResult()
        if self.dry_run:
            result.imported = len(self._new_only(records, result))
            return result
        try:
            with transaction.atomic():
                fresh = self._new_only(records, result)
                routes = [self.router.route(r.agency_names, r.note) for r in fresh]
                cases = [self._case(r, route) for r, route in zip(fresh, routes, strict=True)]
                Case.objects.bulk_create(cases)
                self._fill_pks(cases)
                self._links(fresh, routes, cases)
        except BaseException:
            # Agencies created in the rolled-back batch must not linger in the caches.
            self.router = Router()
            raise
        result.imported = len(cases)
        return result

    def _new_only(self, records: Sequence[Record], result: BatchResult) -> list[Record]:
        """Drop tickets already stored or seen before: one IN query for a default batch."""
        ids = [r.ticket_id for r in records]
        seen: set[str] = set()
        for start in range(0, len(ids), MAX_IN_IDS):
            chunk = ids[start : start + MAX_IN_IDS]
            stored = Case.objects.filter(ticket_id__in=chunk).values_list("ticket_id", flat=True)
            seen.update(stored)
        fresh: list[Record] = []
        for record in records:
            if record.ticket_id in seen or record.ticket_id in self._dry_run_ids:
                result.present += 1
            else:
                seen.add(record.ticket_id)
                fresh.append(record)
        if self.dry_run:  # nothing is stored, so remember what a real run would have added
            self._dry_run_ids.update(r.ticket_id for r in fresh)
        return fresh

    @staticmethod
    def _case(record: Record, route: Route) -> Case:
        rated_at = None
        if record.stars is not None:
            rated_at = max(record.updated_at, record.closed_at or record.updated_at)
        return Case(
            ticket_id=record.ticket_id,
            description=record.description,
            source_labels=",".join(record.labels)[:MAX_LABELS_CHARS],
            lat=record.lat,
            lon=record.lon,
            address=record.address,
            subdistrict=record.subdistrict,
            district=record.district,
            province=record.province,
            state=record.state,
            agency=route.agency,
            stars=record.stars,
            rated_at=rated_at,
            reopen_count=record.reopen_count,
            forward_count=len(route.forwards),
            source=Case.Source.TRAFFY,
            created_at=record.created_at,
            updated_at=record.updated_at,
            closed_at=record.closed_at,
        )

    @staticmethod
    def _fill_pks(cases: list[Case]) -> None:
        """bulk_create sets pks on SQLite 3.35+ and PostgreSQL; look them up elsewhere."""
        if all(case.pk is not None for case in cases):
            return
        pks = dict(
            Case.objects.filter(ticket_id__in=[c.ticket_id for c in cases]).values_list(
                "ticket_id", "pk"
            )
        )
        for case in cases:
            case.pk = pks[case.ticket_id]

    def _links(self, records: list[Record], routes: list[Route], cases: list[Case]) -> None:
        categories = []
        co_agencies = []
        photos: list[Photo] = []
        events: list[Event] = []
        for record, route, case in zip(records, routes, cases, strict=True):
            for code in codes_for(record.labels):
                if code in self.category_ids:
                    categories.append(
                        CaseCategory(case_id=case.pk, category_id=self.category_ids[code])
                    )
            for agency in route.co_agencies:
                co_agencies.append(CaseCoAgency(case_id=case.pk, agency_id=agency.pk))
            for kind, url in record.photos:
                if len(url) <= MAX_URL_CHARS:
                    after = record.closed_at or record.updated_at
                    at = record.created_at if kind == Photo.Kind.BEFORE else after
                    photos.append(Photo(case_id=case.pk, kind=kind, url=url, created_at=at))
            events.extend(timeline(record, route, case.pk, case.rated_at))
        CaseCategory.objects.bulk_create(categories)
        CaseCoAgency.objects.bulk_create(co_agencies)
        Photo.objects.bulk_create(photos)
        Event.objects.bulk_create(events)


def timeline(record: Record, route: Route, case_pk: int, rated_at: datetime | None) -> list[Event]:
    """The events an export implies, in order (ties on `at` are ordered by id).

    Exports give no time for a forward; the last known activity is the best bound we have.
    """
    first = route.first_holder
    events = [
        Event(
            case_id=case_pk,
            kind=Event.Kind.CREATED,
            at=record.created_at,
            actor_label=TRAFFY,
            to_state=State.WAITING,
            to_agency_id=first.pk if first else None,
        )
    ]
    state_at = record.closed_at or record.updated_at
    for from_agency, to_agency in route.forwards:
        events.append(
            Event(
                case_id=case_pk,
                kind=Event.Kind.FORWARDED,
                at=state_at,
                actor_label=from_agency.name_th,
                agency_id=from_agency.pk,
                to_state=State.FORWARDED,
                from_agency_id=from_agency.pk,
                to_agency_id=to_agency.pk,
                note=record.note,
            )
        )
    if record.state != State.WAITING:
        closed = record.state in CLOSED_STATES
        holder = route.agency
        events.append(
            Event(
                case_id=case_pk,
                kind=Event.Kind.CLOSED if closed else Event.Kind.STATE_CHANGED,
                at=state_at,
                actor_label=holder.name_th if holder else TRAFFY,
                agency_id=holder.pk if holder else None,
                to_state=record.state,
                # The note explains the state unless it already went with the forwards.
                note="" if route.forwards else record.note,
            )
        )
    if record.stars is not None:
        events.append(
            Event(
                case_id=case_pk,
                kind=Event.Kind.RATED,
                at=rated_at or state_at,
                actor_label=Actor.citizen().label,
                stars=record.stars,
            )
        )
    return events
