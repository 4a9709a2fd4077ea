"""Each rule of the after-photo check, on real encoded photos closed through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import ImageOps

from pracha.agencies.models import Officer
from pracha.cases.models import Case, Photo
from pracha.cases.services.citizen import do_reopen
from pracha.evidence.checks import LOW_DETAIL, NO_EXIF, check_closing
from pracha.evidence.models import PhotoCheck, PhotoHash
from pracha.tickets import citizen_token
from pracha.triage.models import MergedCase
from tests.evidence.conftest import closing_event, codes
from tests.evidence.photos import brighter, crop, encode, featureless, photo

pytestmark = pytest.mark.django_db
NewCase = Callable[..., Case]
AddPhoto = Callable[..., Photo]
CloseWith = Callable[..., PhotoCheck]


def test_a_different_photo_of_the_fix_is_ok(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    add_photo(case, encode(photo("china")))
    now = timezone.localtime()
    check = close_with(case, encode(photo("flower"), taken_at=now, gps=(13.7565, 100.5020)))
    assert check.status == PhotoCheck.Status.OK
    assert check.reasons == [] and check.notes == []


def test_the_before_photo_again_re_encoded_brightened_and_cropped_is_same_as_before(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    before = add_photo(case, encode(photo("china")))
    copy = crop(brighter(photo("china"), 1.2), 0.08)
    check = close_with(case, encode(copy, "PNG"), "PNG")
    assert check.status == PhotoCheck.Status.SUSPECT
    assert codes(check) == ["same_as_before"]
    [reason] = check.reasons
    assert reason["photo_id"] == before.pk and reason["bits"] <= 10 and not reason["mirrored"]


def test_the_mirror_trap_a_mirrored_before_photo_is_caught(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    add_photo(case, encode(photo("flower")))
    check = close_with(case, encode(ImageOps.mirror(photo("flower"))))
    assert codes(check) == ["same_as_before"]
    assert check.reasons[0]["mirrored"] is True


def test_the_same_shot_by_exif_is_same_as_before_even_when_featureless(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    shot = {"taken_at": timezone.localtime(), "camera": ("Samsung", "SM-A546")}
    add_photo(case, encode(featureless(), **shot))
    check = close_with(case, encode(featureless(), quality=60, **shot))
    assert codes(check) == ["same_as_before"]
    assert check.reasons[0]["same_shot"] is True


def test_a_photo_of_another_case_is_reused_from_case_with_its_ticket_id(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    elsewhere = new_case("ไฟดับหน้าตลาด", lat=13.80, lon=100.55)
    add_photo(elsewhere, encode(photo("flower")))
    case = new_case()
    add_photo(case, encode(photo("china")))
    check = close_with(case, encode(photo("flower").resize((480, 320)), quality=40))
    assert codes(check) == ["reused_from_case"]
    [reason] = check.reasons
    assert reason["ticket_id"] == elsewhere.ticket_id and reason["bits"] <= 10


def test_a_mirrored_photo_of_another_case_is_found_through_the_index(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    elsewhere = new_case()
    add_photo(elsewhere, encode(photo("street")))
    case = new_case()
    check = close_with(case, encode(ImageOps.mirror(photo("street"))))
    assert codes(check) == ["reused_from_case"]
    assert check.reasons[0]["mirrored"] is True


def test_a_photo_shared_with_a_merged_duplicate_is_not_reuse(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith, desk: tuple[Officer, str]
) -> None:
    original, duplicate = new_case(), new_case()
    add_photo(duplicate, encode(photo("street")))
    MergedCase.objects.create(duplicate=duplicate, original=original, agency=desk[0].agency)
    check = close_with(original, encode(photo("street")))
    assert check.status == PhotoCheck.Status.OK


def test_a_photo_taken_before_the_report_is_flagged(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    two_days_ago = timezone.localtime() - timedelta(days=2)
    check = close_with(case, encode(photo("china"), taken_at=two_days_ago))
    assert codes(check) == ["taken_before_report"]
    assert check.reasons[0]["taken_at"].startswith(two_days_ago.strftime("%Y-%m-%dT%H:%M"))


def test_a_camera_clock_a_little_behind_is_tolerated(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    check = close_with(
        case, encode(photo("china"), taken_at=timezone.localtime() - timedelta(minutes=20))
    )
    assert check.status == PhotoCheck.Status.OK


def test_a_photo_taken_far_away_is_flagged_with_the_distance(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()  # at 13.7563, 100.5018
    check = close_with(case, encode(photo("china"), gps=(13.80, 100.55)))
    assert codes(check) == ["taken_far_away"]
    assert 6_000 < check.reasons[0]["distance_m"] < 8_000


def test_a_heic_after_photo_from_an_iphone_is_read_and_checked(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    check = close_with(case, encode(photo("flower"), "HEIF", gps=(13.80, 100.55)), "HEIF")
    assert codes(check) == ["taken_far_away"]
    assert check.photo.image.name.endswith(".jpg")


def test_a_featureless_after_photo_is_not_flagged_but_marked_unreliable(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    elsewhere = new_case()
    add_photo(elsewhere, encode(featureless(seed=1)))
    case = new_case()
    add_photo(case, encode(featureless(seed=2)))
    check = close_with(case, encode(featureless(seed=2)))
    assert check.status == PhotoCheck.Status.OK
    assert check.notes == [LOW_DETAIL, NO_EXIF]
    assert PhotoHash.objects.get(photo=check.photo).low_detail


def test_a_closing_without_a_photo_is_none_and_a_reopened_case_has_no_current_check(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    check = close_with(case, None)
    assert check.status == PhotoCheck.Status.NONE and check.reasons == []


def test_the_same_after_photo_again_after_a_reopening_is_flagged(
    new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    first = close_with(case, encode(photo("street")))
    assert first.status == PhotoCheck.Status.OK
    do_reopen(Case.objects.get(pk=case.pk), "ยังไม่ได้ซ่อม", citizen_token(case.ticket_id))
    second = close_with(case, encode(photo("street"), quality=50))
    assert codes(second) == ["same_as_earlier_after"]


def test_several_reasons_at_once_and_the_closing_stands(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    add_photo(case, encode(photo("china")))
    old = timezone.localtime() - timedelta(days=30)
    check = close_with(case, encode(photo("china"), taken_at=old, gps=(14.0, 100.6)))
    assert codes(check) == ["same_as_before", "taken_before_report", "taken_far_away"]
    assert Case.objects.get(pk=case.pk).state == "done"  # flagged, never refused


def test_a_failing_check_never_blocks_the_closing(
    new_case: NewCase, close_with: CloseWith, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("pracha.evidence.receivers.check_closing", broken)
    case = new_case()
    with pytest.raises(PhotoCheck.DoesNotExist):
        close_with(case, encode(photo("china")))
    assert Case.objects.get(pk=case.pk).state == "done"
    # `pracha evidence recheck` fills the gap later.
    assert check_closing(closing_event(case)).status == PhotoCheck.Status.OK
