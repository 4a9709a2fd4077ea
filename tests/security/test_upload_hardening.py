"""Photo uploads against hostile files: decompression bombs, polyglots, scripts in metadata,
hostile file names. What is stored is always a fresh JPEG under a random name."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image, PngImagePlugin

from pracha.cases.models import Photo
from tests.helpers import extension_of, image_bytes, upload

PAYLOAD = b"<script>alert(document.cookie)</script><?php system($_GET['c']); ?>"


@pytest.fixture
def ticket(media: Path, file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, rows: int = 1) -> bytes:
    """A PNG whose header claims width x height but which carries only a few rows."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    raw = b"".join(b"\x00" + b"\x00" * ((width + 7) // 8) for _ in range(rows))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def stored_bytes(response: Any) -> bytes:
    photo = Photo.objects.get(pk=response.json()["id"])
    return Path(photo.image.path).read_bytes()


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (65_535, 65_535), (1, 2**31 - 1), (60_000, 1_000)],
    ids=["900-megapixels", "4-gigapixels", "one-pixel-wide-2G-tall", "60-megapixel-strip"],
)
def test_decompression_bombs_are_refused_before_decoding(
    api: Client, ticket: str, width: int, height: int
) -> None:
    bomb = png_claiming(width, height)
    assert len(bomb) < 10_000

    response = upload(api, ticket, bomb)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media"
    assert not Photo.objects.exists()


def test_a_bomb_inside_metadata_is_harmless(api: Client, ticket: str) -> None:
    """A zTXt chunk that inflates to 100 MB: Pillow refuses it, and so do we (not a 500)."""
    base = image_bytes("PNG")
    bomb_text = b"Comment\x00\x00" + zlib.compress(b"A" * 100_000_000, 9)
    crafted = base[:33] + png_chunk(b"zTXt", bomb_text) + base[33:]
    assert len(crafted) < 200_000

    response = upload(api, ticket, crafted)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media"


def polyglots() -> dict[str, bytes]:
    png = image_bytes("PNG")
    info = PngImagePlugin.PngInfo()
    info.add_text("Description", PAYLOAD.decode())
    with_text = io.BytesIO()
    Image.open(io.BytesIO(png)).save(with_text, format="PNG", pnginfo=info)
    jpeg_comment = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(jpeg_comment, format="JPEG", comment=PAYLOAD)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("shell.php", PAYLOAD)
    return {
        "png+html+php appended": png + PAYLOAD,
        "png with script in a text chunk": with_text.getvalue(),
        "jpeg with script in its comment": jpeg_comment.getvalue(),
        "gif+zip (GIFAR)": image_bytes("GIF") + archive.getvalue(),
    }


@pytest.mark.parametrize("name", list(polyglots()))
def test_polyglots_are_reencoded_without_their_payload(api: Client, ticket: str, name: str) -> None:
    data = polyglots()[name]
    response = upload(api, ticket, data, filename=f"shell.php.{extension_of(data)}")

    assert response.status_code == 201, response.content
    data = stored_bytes(response)
    assert data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\x00").endswith(b"\xff\xd9")
    assert b"<script" not in data and b"<?php" not in data and b"PK\x03\x04" not in data
    assert b"Exif" not in data  # no metadata at all survives re-encoding


@pytest.mark.parametrize(
    ("content", "filename", "content_type"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "a.svg",
            "image/svg+xml",
        ),
        (b"<html><body>" + PAYLOAD + b"</body></html>", "photo.png", "image/png"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "photo.jpg", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "truncated.png", "image/png"),
        (b"GIF89a" + PAYLOAD, "fake.gif", "image/gif"),
    ],
    ids=["svg-with-script", "html-named-png", "pdf-named-jpg", "truncated-png", "fake-gif"],
)
def test_files_that_only_claim_to_be_images_are_415(
    api: Client, ticket: str, content: bytes, filename: str, content_type: str
) -> None:
    response = upload(api, ticket, content, filename=filename, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["detail"]
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    "filename", ["../../../../etc/passwd.png", "a\x00.png", "ภาพ ถ่าย.png", "x" * 300 + ".png"]
)
def test_stored_names_are_random_whatever_the_upload_was_called(
    api: Client, ticket: str, media: Path, filename: str
) -> None:
    first = upload(api, ticket, image_bytes(), filename=filename)
    second = upload(api, ticket, image_bytes(), filename=filename)

    assert first.status_code == second.status_code == 201
    names = [Path(Photo.objects.get(pk=r.json()["id"]).image.name) for r in (first, second)]
    assert names[0] != names[1]
    for name in names:
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", name.name)
        assert name.parts[0] == "photos"
    assert all(p.resolve().is_relative_to(media) for p in media.rglob("*"))


def test_media_paths_cannot_escape_the_media_directory(api: Client, ticket: str) -> None:
    for path in ["/media/../settings.py", "/media/%2e%2e/%2e%2e/pyproject.toml", "/media/photos/"]:
        assert api.get(path).status_code == 404, path


def test_the_upload_size_limit_holds_for_the_whole_request(
    api: Client, ticket: str, pracha: Callable[..., None]
) -> None:
    pracha(max_photo_bytes=50_000)
    big = upload(api, ticket, b"\xff\xd8\xff" + b"\x00" * 60_000, filename="big.jpg")
    assert big.status_code == 413
    assert "limit" in big.json()["detail"]
    assert not Photo.objects.exists()
