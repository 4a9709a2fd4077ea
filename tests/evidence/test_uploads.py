"""Uploads as phones send them (JPEG, PNG, HEIC with EXIF), and what is served of them: no
EXIF at all, GPS included. Bad input is a 4xx with a reason and nothing stored."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from pracha.agencies.models import Officer
from pracha.cases.models import Photo
from pracha.evidence.models import PhotoHash
from tests.evidence.photos import EXTENSION, encode, photo
from tests.helpers import auth, upload

pytestmark = pytest.mark.django_db
GPS = (13.7563, 100.5018)
TAKEN = datetime(2026, 1, 2, 9, 30)


@pytest.fixture
def ticket(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


def served(api: Client, response: Any) -> bytes:
    url = response.json()["url"]
    got = api.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    return b"".join(got.streaming_content)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "HEIF"])
def test_served_copies_carry_no_exif_but_the_check_keeps_what_it_needs(
    api: Client, ticket: str, desk: tuple[Officer, str], fmt: str
) -> None:
    data = encode(photo("china"), fmt, gps=GPS, taken_at=TAKEN, camera=("Apple", "iPhone 15"))
    assert b"Exif" in data or fmt == "PNG"
    before = upload(api, ticket, data, filename=f"IMG.{EXTENSION[fmt]}")
    after = upload(
        api, ticket, data, filename=f"IMG.{EXTENSION[fmt]}", kind="after", **auth(desk[1])
    )
    assert before.status_code == after.status_code == 201, before.content

    for response in (before, after):
        body = served(api, response)
        image = Image.open(io.BytesIO(body))
        assert image.format == "JPEG"  # HEIC too is served as JPEG
        assert not image.getexif() and "exif" not in image.info
        assert b"Exif" not in body and b"iPhone" not in body

    kept = {h.photo.kind: h for h in PhotoHash.objects.select_related("photo")}
    # The capture time and camera of both; the place only of the officer's after-photo.
    assert kept["before"].camera == kept["after"].camera == "Apple iPhone 15"
    assert kept["before"].taken_at is not None
    assert kept["before"].lat is None and kept["before"].lon is None
    assert kept["after"].lat == pytest.approx(GPS[0], abs=1e-4)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """`png` with one more chunk just after its header."""
    return png[:33] + png_chunk(kind, data) + png[33:]


def corrupt_jpeg() -> bytes:
    data = bytearray(encode(photo("china")))
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\x00" * 2000
    return bytes(data[: middle + 2500])  # damaged and cut short


def bomb() -> bytes:
    header = struct.pack(">IIBBBBB", 50_000, 50_000, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 50_000 // 8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def huge_exif() -> bytes:
    """A PNG whose eXIf chunk is a megabyte: no camera writes that."""
    return encode(photo("flower"), "PNG", padding=1_000_000)


BAD = {
    "corrupt jpeg": (corrupt_jpeg, "p.jpg", "readable"),
    "decompression bomb": (bomb, "p.png", "pixels"),
    "huge exif block": (huge_exif, "p.png", "EXIF"),
    "png named .jpg": (lambda: encode(photo("china"), "PNG"), "IMG_0001.jpg", "named .jpg"),
    "jpeg named .heic": (lambda: encode(photo("china")), "IMG_0001.HEIC", "named .heic"),
    "heic named .png": (lambda: encode(photo("china"), "HEIF"), "photo.png", "named .png"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_a_4xx_with_a_reason_and_nothing_is_stored(
    api: Client, ticket: str, media: Path, name: str
) -> None:
    make, filename, words = BAD[name]
    data = make()
    assert len(data) < 10 * 1024 * 1024
    response = upload(api, ticket, data, filename=filename)
    assert response.status_code == 415, response.content
    body = response.json()
    assert body["code"] == "unsupported_media"
    assert words in body["detail"]
    assert not Photo.objects.exists() and not PhotoHash.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_name_without_a_known_extension_is_judged_by_content(api: Client, ticket: str) -> None:
    response = upload(api, ticket, encode(photo("china"), "HEIF"), filename="blob")
    assert response.status_code == 201
    assert PhotoHash.objects.filter(photo_id=response.json()["id"]).exists()


def test_a_camera_sized_exif_block_is_accepted(api: Client, ticket: str) -> None:
    data = encode(photo("china"), padding=40_000, taken_at=TAKEN)
    assert upload(api, ticket, data, filename="p.jpg").status_code == 201
