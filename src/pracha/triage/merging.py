"""Merging a duplicate into the original case, and who follows a case afterwards.

The duplicate is closed (as not needing its own work) with a note that points to the
original; the original gets a "merged" event and one more "me too". The duplicate's reporter
follows the original from then on: `reporters_following(original)` includes them, for
whatever tells reporters about their case.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.cases.actors import Actor
from pracha.cases.contact import Contact, read_reporter_contacts
from pracha.cases.errors import IllegalTransition, InvalidInput
from pracha.cases.models import Case, Event
from pracha.cases.services.text import clean_text
from pracha.cases.services.workflow import check_can_manage, check_transition, record
from pracha.states import State
from pracha.triage.explanations import case_url
from pracha.triage.models import DuplicateLink, MergedCase


def check_merge(duplicate: Case, original: Case) -> None:
    if duplicate.pk == original.pk:
        raise InvalidInput("a case cannot be merged into itself", field="into")
    if duplicate.is_closed:
        raise IllegalTransition(f"case {duplicate.ticket_id} is closed; it cannot be merged")
    if original.is_closed:
        merged = MergedCase.objects.filter(duplicate=original).select_related("original").first()
        where = f"; it was merged into {merged.original.ticket_id}" if merged else ""
        raise IllegalTransition(
            f"case {original.ticket_id} is closed{where}: merge into an open case"
        )
    check_transition(duplicate, State.IRRELEVANT)


def do_merge(duplicate: Case, officer: Officer, original: Case, note: str = "") -> Event:
    """Close `duplicate` into `original`; returns the duplicate's closing event."""
    note = clean_text(note, field="note", max_chars=2000)
    with transaction.atomic():
        # Lock both rows in id order, so two opposite merges cannot deadlock.
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, original.pk])
            .order_by("pk")
        }
        duplicate, original = locked[duplicate.pk], locked[original.pk]
        check_can_manage(officer, duplicate, "merge")  # merging closes it: not for invited helpers
        check_merge(duplicate, original)
        actor = Actor.for_officer(officer)
        now = timezone.now()
        text = (
            f"ซ้ำกับเรื่อง {original.ticket_id}: ติดตามได้ที่เรื่องนั้น / merged into "
            f"{original.ticket_id}, follow it there: {case_url(original.ticket_id)}"
        )
        closing = record(
            duplicate,
            actor,
            Event.Kind.CLOSED,
            changes={"state": State.IRRELEVANT, "closed_at": now},
            at=now,
            from_state=duplicate.state,
            to_state=State.IRRELEVANT,
            note=f"{text}\n{note}".strip(),
        )
        Case.objects.filter(pk=original.pk).update(me_too_count=F("me_too_count") + 1)
        original.refresh_from_db(fields=["me_too_count"])
        record(
            original,
            actor,
            Event.Kind.MERGED,
            at=now,
            note=(
                f"เรื่อง {duplicate.ticket_id} เป็นเรื่องเดียวกัน รวมเข้ากับเรื่องนี้แล้ว / "
                f"case {duplicate.ticket_id} reported the same problem and was merged into this one"
            ),
        )
        MergedCase.objects.create(
            duplicate=duplicate,
            original=original,
            merged_by=officer.user,
            agency=officer.agency,
            note=note,
            merged_at=now,
        )
        DuplicateLink.objects.filter(case=duplicate, candidate=original).update(
            status=DuplicateLink.Status.MERGED
        )
        DuplicateLink.objects.filter(case=original, candidate=duplicate).update(
            status=DuplicateLink.Status.MERGED
        )
        return closing


def merged_case_ids(case: Case) -> list[int]:
    """Ids of every case merged into this one, directly or through another merged case."""
    found: list[int] = []
    frontier = [case.pk]
    while frontier:
        children = list(
            MergedCase.objects.filter(original_id__in=frontier)
            .exclude(duplicate_id__in=found)
            .values_list("duplicate_id", flat=True)
        )
        found.extend(children)
        frontier = children
    return found


def reporters_following(case: Case, actor: object, purpose: str) -> list[Contact]:
    """Whom to tell about this case: its reporter and those of the cases merged into it.

    Each contact read is audited on its own case, with `purpose`, like any other read.
    """
    ids = [case.pk, *merged_case_ids(case)]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    return read_reporter_contacts([cases[i] for i in sorted(cases)], actor, purpose)
