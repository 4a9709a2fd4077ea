"""The multi-index lookup finds exactly what a full scan finds, on either database."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from pracha.cases.models import Case, Photo
from pracha.evidence.hashing import to_signed
from pracha.evidence.index import MAX_RADIUS, band_variants, bands, near, scan
from pracha.evidence.models import PhotoHash

pytestmark = pytest.mark.django_db


def store(case: Case, values: list[int], *, low_detail: bool = False) -> list[int]:
    photos = Photo.objects.bulk_create(
        [Photo(case=case, url=f"https://example.org/{i}.jpg") for i in range(len(values))]
    )
    PhotoHash.objects.bulk_create(
        [
            PhotoHash(
                photo=p,
                case=case,
                phash=to_signed(v),
                dhash=0,
                phash_mirror=0,
                dhash_mirror=0,
                band0=bands(v)[0],
                band1=bands(v)[1],
                band2=bands(v)[2],
                band3=bands(v)[3],
                windows=b"",
                turns=b"",
                detail=50.0,
                low_detail=low_detail,
            )
            for p, v in zip(photos, values, strict=True)
        ]
    )
    return [p.pk for p in photos]


def flip(value: int, bits: int, rng: random.Random) -> int:
    for position in rng.sample(range(64), bits):
        value ^= 1 << position
    return value


def test_band_variants_cover_every_value_within_the_bits() -> None:
    assert len(band_variants(0x1234, 0)) == 1
    assert len(band_variants(0x1234, 1)) == 17
    assert len(set(band_variants(0x1234, 2))) == 137
    assert bands(0xFFFF_0000_1234_ABCD) == (0xFFFF, 0, 0x1234, 0xABCD)


@pytest.mark.parametrize(
    ("radius", "exact"), [(3, False), (7, False), (7, True), (10, True), (MAX_RADIUS, True)]
)
def test_near_finds_what_a_full_scan_finds(
    file_case: Callable[..., dict[str, object]], radius: int, exact: bool
) -> None:
    rng = random.Random(radius)
    query = rng.getrandbits(64)
    values = [flip(query, rng.randint(0, 16), rng) for _ in range(300)]
    values += [rng.getrandbits(64) for _ in range(200)]
    case = Case.objects.get(ticket_id=file_case()["ticket_id"])
    store(case, values)

    found = [(n.photo_id, n.bits) for n in near([query], radius, exact=exact)]
    assert found == scan([query], radius)
    assert any(bits == radius for _, bits in found)  # the edge of the radius is inside


def test_the_quick_probe_finds_all_within_7_bits_and_most_beyond(
    file_case: Callable[..., dict[str, object]],
) -> None:
    rng = random.Random(11)
    query = rng.getrandbits(64)
    values = [flip(query, rng.randint(0, 10), rng) for _ in range(400)]
    case = Case.objects.get(ticket_id=file_case()["ticket_id"])
    store(case, values)
    quick = {(n.photo_id, n.bits) for n in near([query], 10)}
    full = set(scan([query], 10))
    assert quick <= full
    assert {f for f in full if f[1] <= 7} <= quick
    assert len(quick) >= 0.9 * len(full)


def test_near_skips_the_case_itself_and_featureless_photos(
    file_case: Callable[..., dict[str, object]],
) -> None:
    mine = Case.objects.get(ticket_id=file_case()["ticket_id"])
    other = Case.objects.get(ticket_id=file_case()["ticket_id"])
    store(mine, [42])
    [flat] = store(other, [43], low_detail=True)
    [kept] = store(other, [40])
    assert [n.photo_id for n in near([42], 5, exclude_case=mine.pk)] == [kept]
    assert flat in [n.photo_id for n in near([42], 5, detailed_only=False)]


def test_the_mirror_query_is_reported_as_mirrored(
    file_case: Callable[..., dict[str, object]],
) -> None:
    case = Case.objects.get(ticket_id=file_case()["ticket_id"])
    [pk] = store(case, [2**64 - 5])  # a hash that is negative as a signed BIGINT
    [match] = near([12345, 2**64 - 5], 4)
    assert match.photo_id == pk and match.bits == 0 and match.mirrored
