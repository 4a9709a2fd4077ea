"""The check of a closing's after-photo. Each finding is a reason with a stable code:

- `same_as_before`: the same scene as one of the case's before photos: a copy, re-encoded,
  resized, brightened, cropped up to about 10%, slightly turned or mirrored (hash windows and
  turns, pracha.evidence.hashing), or the very same shot (EXIF capture time and camera);
- `same_as_earlier_after`: the same as the after-photo of an earlier closing of this case,
  which the reporter reopened: that photo did not show a fix then;
- `reused_from_case`: the same as a photo of another case (`ticket_id`), stored before this
  one, found among every stored photo through the hash index; cases merged into one another
  or found by triage to report the same problem are not counted (one fix, one photo);
- `taken_before_report`: EXIF says the photo was taken before the case was reported;
- `taken_far_away`: EXIF GPS puts the photo more than PRACHA_PHOTO_FAR_METRES from the pin.

Any reason makes the closing `suspect`: it goes on the agency supervisors' list and the public
page says the after-photo is under review. The closing itself stands: an officer may have
good reasons (a genuine re-take from the same spot can be a few bits from the before photo).
A featureless after-photo (asphalt, a wall) is not compared by hash at all, and the check
says so in its notes (`low_detail`) instead of flagging or clearing it on noise.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from pracha.cases.models import Case, Event, Photo
from pracha.evidence.hashing import same_scene, unpack
from pracha.evidence.index import near
from pracha.evidence.models import PhotoCheck, PhotoHash
from pracha.triage.models import DuplicateLink, MergedCase

SAME_AS_BEFORE = "same_as_before"
SAME_AS_EARLIER_AFTER = "same_as_earlier_after"
REUSED_FROM_CASE = "reused_from_case"
TAKEN_BEFORE_REPORT = "taken_before_report"
TAKEN_FAR_AWAY = "taken_far_away"
REASON_CODES = (
    SAME_AS_BEFORE,
    SAME_AS_EARLIER_AFTER,
    REUSED_FROM_CASE,
    TAKEN_BEFORE_REPORT,
    TAKEN_FAR_AWAY,
)
# Notes: why a check says less than it might.
LOW_DETAIL = "low_detail"  # featureless photo: hashes not compared
NO_EXIF = "no_exif"  # no capture time or place to check
NOT_ANALYSED = "not_analysed"  # the photo has no hashes (an imported link, a failed read)
MAX_OTHER_CASES = 3
EARTH_RADIUS_M = 6_371_000


def check_closing(event: Event) -> PhotoCheck:
    """Check the closing `event` (and its after-photo, if any) and store the result."""
    case = Case.objects.get(pk=event.case_id)
    reasons: list[dict[str, Any]] = []
    notes: list[str] = []
    status = PhotoCheck.Status.NONE
    photo = event.photo
    if photo is not None:
        found = PhotoHash.objects.filter(photo=photo).first()
        if found is None:
            notes.append(NOT_ANALYSED)
        else:
            reasons, notes = findings(case, found, photo)
            status = PhotoCheck.Status.SUSPECT if reasons else PhotoCheck.Status.OK
    check, _ = PhotoCheck.objects.update_or_create(
        event=event,
        defaults={
            "case": case,
            "photo": photo,
            "agency_id": case.agency_id,
            "closed_at": event.at,
            "status": status,
            "reasons": reasons,
            "notes": notes,
            "checked_at": timezone.now(),
        },
    )
    return check


def findings(case: Case, after: PhotoHash, photo: Photo) -> tuple[list[dict[str, Any]], list[str]]:
    notes: list[str] = []
    if after.low_detail:
        notes.append(LOW_DETAIL)
    if after.taken_at is None and after.lat is None:
        notes.append(NO_EXIF)
    reasons = [
        *same_as_own(case, after, photo),
        *reused_from_case(case, after, photo),
        *taken_before_report(case, after),
        *taken_far_away(case, after),
    ]
    return reasons, notes


def _same_shot(a: PhotoHash, b: PhotoHash) -> bool:
    return bool(a.camera and a.taken_at and a.camera == b.camera and a.taken_at == b.taken_at)


def same_as_own(case: Case, after: PhotoHash, photo: Photo) -> list[dict[str, Any]]:
    """The after-photo against the case's before photos and its earlier after-photos."""
    limit = settings.PRACHA.photo_match_bits
    turns = unpack(after.turns)
    best: dict[str, dict[str, Any]] = {}
    # After-photos of an earlier closing: those stored before the case was last reopened
    # (other after-photos may belong to this same closing).
    reopened = case.events.filter(kind=Event.Kind.REOPENED).aggregate(at=Max("at"))["at"]
    earlier = Q(photo__created_at__lt=reopened) if reopened else Q(pk__in=[])
    others = (
        PhotoHash.objects.filter(case=case)
        .exclude(photo=photo)
        .filter(Q(photo__kind=Photo.Kind.BEFORE) | earlier)
        .select_related("photo")
    )
    for other in others:
        code = SAME_AS_BEFORE if other.photo.kind == Photo.Kind.BEFORE else SAME_AS_EARLIER_AFTER
        same_shot = _same_shot(after, other)
        if after.low_detail or other.low_detail:
            if not same_shot:
                continue
            bits, mirrored = 0, False
        else:
            same, bits, mirrored = same_scene(
                after.phash, after.phash_mirror, turns, other.phash, unpack(other.windows), limit
            )
            if not (same or same_shot):
                continue
        reason = {
            "code": code,
            "photo_id": other.photo_id,
            "bits": bits,
            "mirrored": mirrored,
            "same_shot": same_shot,
        }
        if code not in best or (bits, not same_shot) < (best[code]["bits"], True):
            best[code] = reason
    return list(best.values())


def related_cases(case: Case) -> set[int]:
    """This case and those it shares one problem with: merged either way, or duplicates."""
    ids = {case.pk}
    ids |= set(MergedCase.objects.filter(original=case).values_list("duplicate_id", flat=True))
    ids |= set(MergedCase.objects.filter(duplicate=case).values_list("original_id", flat=True))
    ids |= set(DuplicateLink.objects.filter(case=case).values_list("candidate_id", flat=True))
    ids |= set(DuplicateLink.objects.filter(candidate=case).values_list("case_id", flat=True))
    return ids


def reused_from_case(case: Case, after: PhotoHash, photo: Photo) -> list[dict[str, Any]]:
    """Photos of other cases, stored before this one, within the match radius."""
    if after.low_detail:
        return []
    matches = near(
        [after.phash, after.phash_mirror], settings.PRACHA.photo_match_bits, exclude_case=case.pk
    )
    if not matches:
        return []
    related = related_cases(case)
    matches = [m for m in matches if m.case_id not in related]
    earlier = dict(
        Photo.objects.filter(
            pk__in=[m.photo_id for m in matches], created_at__lt=photo.created_at
        ).values_list("pk", "case__ticket_id")
    )
    reasons: list[dict[str, Any]] = []
    seen: set[int] = set()
    for match in matches:
        if match.photo_id not in earlier or match.case_id in seen:
            continue
        seen.add(match.case_id)
        reasons.append(
            {
                "code": REUSED_FROM_CASE,
                "ticket_id": earlier[match.photo_id],
                "photo_id": match.photo_id,
                "bits": match.bits,
                "mirrored": match.mirrored,
            }
        )
        if len(reasons) == MAX_OTHER_CASES:
            break
    return reasons


def taken_before_report(case: Case, after: PhotoHash) -> list[dict[str, Any]]:
    if after.taken_at is None:
        return []
    slack = timedelta(minutes=settings.PRACHA.photo_clock_minutes)
    if after.taken_at >= case.created_at - slack:
        return []
    return [
        {
            "code": TAKEN_BEFORE_REPORT,
            "taken_at": timezone.localtime(after.taken_at).isoformat(),
            "reported_at": timezone.localtime(case.created_at).isoformat(),
        }
    ]


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def taken_far_away(case: Case, after: PhotoHash) -> list[dict[str, Any]]:
    if None in (after.lat, after.lon, case.lat, case.lon):
        return []
    metres = metres_between(after.lat, after.lon, case.lat, case.lon)  # type: ignore[arg-type]
    if metres <= settings.PRACHA.photo_far_metres:
        return []
    return [{"code": TAKEN_FAR_AWAY, "distance_m": round(metres)}]
