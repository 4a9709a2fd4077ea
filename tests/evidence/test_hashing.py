"""The hashes the checks compare, on real photos and the edits a fake fix makes of them."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageOps

from pracha.evidence.exif import BANGKOK, read_exif
from pracha.evidence.hashing import closest, distance, hash_image, to_signed, to_unsigned
from tests.evidence.photos import (
    bordered,
    brighter,
    crop,
    encode,
    featureless,
    photo,
    timestamp_strip,
)

LIMIT = 10  # PRACHA_PHOTO_MATCH_BITS


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def apart(after: Image.Image, before: Image.Image) -> int:
    """Bits between an after-photo and a before photo, as same_as_before measures them."""
    a, b = hash_image(after), hash_image(before)
    return closest(a.turns, b.windows)[0]


@pytest.mark.parametrize("name", ["china", "flower", "street"])
def test_copies_are_a_few_bits_apart(name: str) -> None:
    original = photo(name)
    copies = {
        "jpeg q25": decoded(encode(original, quality=25)),
        "png": decoded(encode(original, "PNG")),
        "heic": decoded(encode(original, "HEIF", quality=60)),
        "half size": original.resize((original.width // 2, original.height // 2)),
        "brighter": brighter(original, 1.3),
        "darker": brighter(original, 0.7),
        "crop 10%": crop(original, 0.10),
        "turned 3 degrees": original.rotate(3, resample=Image.Resampling.BICUBIC).crop(
            (25, 25, original.width - 25, original.height - 25)
        ),
    }
    for label, copy in copies.items():
        assert apart(copy, original) <= LIMIT, label


def test_different_photos_are_far_apart() -> None:
    names = ["china", "flower", "street"]
    for a in names:
        for b in names:
            if a != b:
                assert apart(photo(a), photo(b)) > 2 * LIMIT, (a, b)


def test_the_mirror_trap_the_mirror_image_matches_only_through_its_own_hash() -> None:
    original = hash_image(photo("china"))
    mirrored = hash_image(ImageOps.mirror(photo("china")))
    assert distance(mirrored.phash, original.phash) > 2 * LIMIT  # plain pHash misses it
    assert distance(mirrored.phash_mirror, original.phash) <= 2
    bits, was_mirrored = closest(mirrored.turns, original.windows)
    assert bits <= 2 and was_mirrored


def test_exif_orientation_is_applied_before_hashing() -> None:
    upright = photo("flower")
    # A phone stores a portrait photo sideways with "turn 90 degrees" in EXIF.
    sideways = decoded(encode(upright.rotate(90, expand=True), orientation=6))
    assert sideways.size == (upright.height, upright.width)
    assert distance(hash_image(sideways).phash, hash_image(upright).phash) <= 4
    # Ignoring the tag, the hash would be of another picture altogether.
    bare = decoded(encode(upright.rotate(90, expand=True)))
    assert distance(hash_image(bare).phash, hash_image(upright).phash) > 2 * LIMIT


@pytest.mark.parametrize("edit", [bordered, timestamp_strip], ids=["border", "timestamp"])
def test_a_border_or_a_timestamp_strip_is_trimmed_before_hashing(edit: object) -> None:
    original = photo("china")
    framed = edit(original)  # type: ignore[operator]
    hashed = hash_image(framed)
    assert hashed.trimmed
    assert distance(hashed.phash, hash_image(original).phash) <= 4
    assert not hash_image(original).trimmed


def test_a_featureless_scene_is_marked_low_detail() -> None:
    assert hash_image(featureless()).low_detail
    assert hash_image(Image.new("RGB", (640, 480), (200, 30, 30))).low_detail
    assert not hash_image(photo("china")).low_detail
    assert not hash_image(photo("street")).low_detail


def test_hashes_fit_a_signed_bigint_and_come_back() -> None:
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1):
        signed = to_signed(value)
        assert -(2**63) <= signed < 2**63
        assert to_unsigned(signed) == value


def test_exif_capture_time_place_and_camera() -> None:
    taken = datetime(2024, 5, 1, 10, 42, 7)
    data = encode(
        photo("china"), taken_at=taken, gps=(13.7563, 100.5018), camera=("Apple", "iPhone 15")
    )
    facts = read_exif(decoded(data))
    assert facts.taken_at == taken.replace(tzinfo=BANGKOK)  # no offset written: Bangkok time
    assert facts.lat == pytest.approx(13.7563, abs=1e-4)
    assert facts.lon == pytest.approx(100.5018, abs=1e-4)
    assert facts.camera == "Apple iPhone 15"

    with_offset = read_exif(decoded(encode(photo("china"), taken_at=taken, offset="+02:00")))
    assert with_offset.taken_at == taken.replace(tzinfo=timezone(timedelta(hours=2)))


def test_exif_from_heic_and_png_is_read_too() -> None:
    taken = datetime(2024, 5, 1, 10, 42, 7)
    for fmt in ("HEIF", "PNG"):
        facts = read_exif(decoded(encode(photo("flower"), fmt, taken_at=taken, gps=(13.7, 100.5))))
        assert facts.taken_at == taken.replace(tzinfo=BANGKOK), fmt
        assert facts.lat == pytest.approx(13.7, abs=1e-4), fmt


def test_no_exif_null_island_and_damage_are_no_evidence() -> None:
    assert read_exif(decoded(encode(photo("china")))).taken_at is None
    assert read_exif(decoded(encode(photo("china"), gps=(0.0, 0.0)))).lat is None
    image = decoded(encode(photo("china")))
    image.info["exif"] = b"Exif\x00\x00MM\x00*garbage"
    assert read_exif(image).taken_at is None
