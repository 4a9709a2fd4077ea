"""The daily digest: one message per officer listing the cases new in their agency's inbox.

Pulled once a day by `pracha send-digests` rather than queued: each officer's digest covers
the cases that arrived since their previous one (OfficerNotification.last_digest_at)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.utils import timezone

from pracha.cases.models import Case, Event
from pracha.notify import content
from pracha.notify.email import INBOX_EVENTS
from pracha.notify.models import OfficerNotification

# A digest lists this many cases and links to the inbox for the rest.
LISTED = 30


@dataclass
class DigestResult:
    officer: str
    email: str
    cases: int
    sent: bool


def new_case_ids(agency_id: int, since: datetime, until: datetime) -> list[int]:
    """Cases that arrived in the agency's inbox in the window, oldest arrival first."""
    rows = (
        Event.objects.filter(
            kind__in=INBOX_EVENTS, to_agency_id=agency_id, at__gt=since, at__lte=until
        )
        .order_by("at", "pk")
        .values_list("case_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def send_digests(*, dry_run: bool = False, now: datetime | None = None) -> list[DigestResult]:
    now = now or timezone.now()
    results: list[DigestResult] = []
    preferences = OfficerNotification.objects.filter(
        mode=OfficerNotification.Mode.DAILY, officer__user__is_active=True
    ).select_related("officer__user", "officer__agency")
    connection = None if dry_run else get_connection()
    for pref in preferences:
        officer = pref.officer
        since = pref.last_digest_at or now - timedelta(days=1)
        ids = new_case_ids(officer.agency_id, since, now)
        email = officer.user.email
        sent = False
        if ids and email and not dry_run:
            by_id = Case.objects.in_bulk(ids[:LISTED])
            cases = [by_id[i] for i in ids[:LISTED] if i in by_id]
            message = content.officer_mail(
                officer, pref.language, cases, immediate=False, more=len(ids) - len(cases)
            )
            message.connection = connection
            message.send()
            sent = True
        if not dry_run:
            pref.last_digest_at = now
            pref.save(update_fields=["last_digest_at"])
        results.append(DigestResult(officer.user.get_username(), email, len(ids), sent))
    return results
