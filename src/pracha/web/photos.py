"""Which after-photos show the fix: a reopened case's old after-photo is not the fix."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max

from pracha.cases.models import Case, Event, Photo


def split_after_photos(case: Case, photos: Sequence[Photo]) -> tuple[list[Photo], list[Photo]]:
    """(after-photos of the current closing, earlier after-photos).

    When the reporter reopened the case, the after-photos taken before that reopening showed a
    fix the reporter did not accept: the page shows them apart, as earlier, and only the ones
    taken since (at a new closing) as the result.
    """
    after = [p for p in photos if p.kind == Photo.Kind.AFTER and p.public_url]
    if not after or not case.reopen_count:
        return after, []
    reopened = Event.objects.filter(case=case, kind=Event.Kind.REOPENED).aggregate(at=Max("at"))
    last = reopened["at"]
    if last is None:  # imported with a reopen count but no reopening on the timeline
        return after, []
    return [p for p in after if p.created_at > last], [p for p in after if p.created_at <= last]
