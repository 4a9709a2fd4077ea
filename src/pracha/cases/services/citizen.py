"""What a citizen can do to a case: reopen it, rate the result, say "me too"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from pracha.cases.actors import Actor
from pracha.cases.errors import Conflict, DomainError, IllegalTransition, InvalidInput, NotAllowed
from pracha.cases.models import Case, Event, MeToo
from pracha.cases.services.text import clean_text
from pracha.cases.services.workflow import record
from pracha.citizens.models import Citizen
from pracha.inserts import insert_new
from pracha.limits.counters import hit, peek
from pracha.limits.ratelimit import period_words
from pracha.states import CLOSED_STATES, State
from pracha.tickets import citizen_token_ok


def is_reporter(case: Case, token: str | None, citizen: Citizen | None = None) -> bool:
    """The reporter: whoever holds the case's citizen_token, or the signed-in citizen whose
    account the case is linked to (filed while signed in, or claimed)."""
    if citizen is not None and citizen.pk is not None and case.citizen_id == citizen.pk:
        return True
    return citizen_token_ok(case.ticket_id, token)


def check_reporter(case: Case, token: str | None, citizen: Citizen | None = None) -> None:
    if not is_reporter(case, token, citizen):
        raise NotAllowed(
            "only the reporter may do this: send the citizen_token given when the case was "
            "filed, or sign in to the account the case belongs to"
        )


def check_reopen(case: Case, reason: str) -> None:
    if case.state not in CLOSED_STATES:
        raise IllegalTransition(f"case {case.ticket_id} is still open ({case.state})")
    days = settings.PRACHA.reopen_days
    if case.closed_at and timezone.now() - case.closed_at > timedelta(days=days):
        raise IllegalTransition(
            f"case {case.ticket_id} was closed more than {days} days ago; file a new report"
        )
    if not reason.strip():
        raise InvalidInput("a reason is required to reopen a case", field="reason")


def do_reopen(
    case: Case, reason: str, token: str | None, *, citizen: Citizen | None = None
) -> Event:
    reason = clean_text(reason, field="reason", max_chars=2000, required=True)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        check_reporter(case, token, citizen)
        check_reopen(case, reason)
        return record(
            case,
            Actor.citizen(),
            Event.Kind.REOPENED,
            changes={
                "state": State.WAITING,
                "closed_at": None,
                "reopen_count": case.reopen_count + 1,
            },
            from_state=case.state,
            to_state=State.WAITING,
            to_agency=case.agency,
            note=reason,
        )


def check_rate(case: Case, stars: int) -> None:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput("stars must be a whole number from 1 to 5", field="stars")
    if case.state not in CLOSED_STATES:
        raise IllegalTransition(f"case {case.ticket_id} can be rated once it is closed")
    if case.rated_at and (case.closed_at is None or case.rated_at >= case.closed_at):
        raise Conflict(f"case {case.ticket_id} has already been rated")


def do_rate(
    case: Case,
    stars: int,
    token: str | None,
    comment: str = "",
    *,
    citizen: Citizen | None = None,
) -> Event:
    """One rating per closing: a reopened and re-closed case may be rated again."""
    comment = clean_text(comment, field="comment", max_chars=2000)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        check_reporter(case, token, citizen)
        check_rate(case, stars)
        now = timezone.now()
        return record(
            case,
            Actor.citizen(),
            Event.Kind.RATED,
            changes={"stars": stars, "rated_at": now},
            at=now,
            stars=stars,
            note=comment,
        )


class OwnReport(NotAllowed):
    """The reporter said "me too" on their own report."""

    code = "own_report"


OWN_REPORT = 'you filed this report yourself; "me too" is for other people with the same problem'


class TooManyMeToos(DomainError):
    """One address has said "me too" on this case as often as a day allows (any devices)."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


PER_CASE_BUCKET = "metoo:case-ip"


@dataclass(frozen=True)
class MeTooResult:
    case: Case
    already: bool  # this person had said "me too" before: nothing was counted
    event: Event | None = None


def voter_key(person: str) -> str:
    """A keyed hash of a person (`device:...`, `citizen:...`, `address:...`) as stored."""
    return salted_hmac("pracha.cases.me_too", person, algorithm="sha256").hexdigest()


def me_too_standing(case: Case, person: str) -> Literal["reporter", "said"] | None:
    """Whether `person` filed the case ("reporter"), has said "me too" ("said"), or neither.

    An address stands for everyone behind it, so it has no standing of its own."""
    if person.startswith("address:"):
        return None
    row = MeToo.objects.filter(case=case, voter=voter_key(person)).only("by_reporter").first()
    if row is None:
        return None
    return "reporter" if row.by_reporter else "said"


def do_note_reporter(case: Case, person: str) -> None:
    """Remember who filed the case, so they cannot say "me too" on it later."""
    if person.startswith("address:"):
        return  # an address is shared by many people behind a carrier's NAT: never block it
    MeToo.objects.get_or_create(case=case, voter=voter_key(person), defaults={"by_reporter": True})


def do_note_reporters(case: Case, persons: Sequence[str]) -> None:
    """do_note_reporter for several people at once (a new report: its device and its
    citizen), in one INSERT that leaves rows already there alone."""
    notes = [
        MeToo(case=case, voter=voter_key(person), by_reporter=True)
        for person in dict.fromkeys(persons)
        if not person.startswith("address:")  # never block a shared address (as above)
    ]
    insert_new(notes, ignore_conflicts=True)


def do_me_too(
    case: Case,
    person: str | None = None,
    *,
    reporter_token: str | None = None,
    address: str | None = None,
) -> MeTooResult:
    """Another citizen has the same problem: count it once per person and note it.

    `person` is who is asking (pracha.limits.device.person_ident); a repeat answers
    `already=True` without counting. Only internal callers (demo data) pass None.
    `address` (pracha.limits.ratelimit.case_limit_address) caps how many people behind one
    address count on this case a day, as device ids are cheap: TooManyMeToos beyond it."""
    if reporter_token and citizen_token_ok(case.ticket_id, reporter_token):
        raise OwnReport(OWN_REPORT)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state in CLOSED_STATES:
            raise IllegalTransition(
                f"case {case.ticket_id} is closed; reopen it or file a new report"
            )
        if person is not None and not _first_me_too(case, person, address):
            return MeTooResult(case, already=True)
        Case.objects.filter(pk=case.pk).update(me_too_count=F("me_too_count") + 1)
        case.refresh_from_db(fields=["me_too_count"])
        return MeTooResult(
            case, already=False, event=record(case, Actor.citizen(), Event.Kind.ME_TOO)
        )


def _first_me_too(case: Case, person: str, address: str | None) -> bool:
    """Store this person's "me too"; False if they had said it (the constraint decides).

    The caller holds the case's row lock, so the per-address count cannot be raced past."""
    key = voter_key(person)
    said = MeToo.objects.filter(case=case, voter=key).only("by_reporter").first()
    if said is not None:
        if said.by_reporter:
            raise OwnReport(OWN_REPORT)
        return False
    _check_address_share(case, address)
    try:
        with transaction.atomic():
            MeToo.objects.create(case=case, voter=key)
    except IntegrityError:
        if MeToo.objects.filter(case=case, voter=key, by_reporter=True).exists():
            raise OwnReport(OWN_REPORT) from None
        return False
    rate = settings.PRACHA.rate_metoo_per_case_per_ip
    if address is not None and rate is not None:
        hit(PER_CASE_BUCKET, f"{case.pk}|{address}", rate)
    return True


def _check_address_share(case: Case, address: str | None) -> None:
    rate = settings.PRACHA.rate_metoo_per_case_per_ip
    if address is None or rate is None:
        return
    verdict = peek(PER_CASE_BUCKET, f"{case.pk}|{address}", rate)
    if not verdict.allowed:
        raise TooManyMeToos(
            f'too many "me too" from your address on case {case.ticket_id}: at most '
            f"{verdict.limit} per {period_words(rate)}; try again in {verdict.retry_after} s",
            verdict.retry_after,
        )
