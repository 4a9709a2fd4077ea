"""Plain helpers shared by the tests: requests (JSON posts, API keys, uploads, English pages),
what answers say (text, page text), images made with Pillow. Rows are made in factories.py."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image


def auth(raw_key: str) -> dict[str, str]:
    """Request headers that act with an API key (make_officer gives one)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


def english(client: Client) -> Client:
    """The client reads pages in English from now on."""
    client.cookies["django_language"] = "en"
    return client


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, body, content_type="application/json", **headers)


def text_of(response: Any) -> str:
    """The response body as text, with JSON's \\u escapes of Thai undone."""
    raw = response.content.decode()
    try:
        return raw + json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return raw


def page_text(response: Any) -> str:
    """The visible text of an HTML response, tags removed and whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def case_url(ticket_id: str, action: str = "") -> str:
    return f"/api/v1/cases/{ticket_id}" + (f"/{action}" if action else "")


def image_bytes(
    fmt: str = "PNG",
    size: tuple[int, int] = (64, 48),
    *,
    gps: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """A small real image; with `gps`, EXIF that places it in Bangkok and names a camera."""
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "SecretCam"
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (13.0, 45.0, 22.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (100.0, 30.0, 6.0)
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    options: dict[str, Any] = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def extension_of(data: bytes) -> str:
    """The usual extension of an image's bytes (png for anything unknown)."""
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data.startswith(b"GIF8"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return "heic"
    return "png"


def upload(
    client: Client,
    ticket_id: str,
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str = "image/png",
    **fields_and_headers: str,
) -> Any:
    """POST a multipart photo; keyword arguments starting HTTP_ are headers, others form fields.
    Without a `filename`, the file is named for what it is (a named extension must match)."""
    filename = filename or f"photo.{extension_of(data)}"
    headers = {k: v for k, v in fields_and_headers.items() if k.startswith("HTTP_")}
    fields = {k: v for k, v in fields_and_headers.items() if not k.startswith("HTTP_")}
    file = SimpleUploadedFile(filename, data, content_type=content_type)
    return client.post(case_url(ticket_id, "photos"), {**fields, "file": file}, **headers)


def photo(name: str = "photo.png", data: bytes | None = None, kind: str = "image/png") -> Any:
    """An uploaded image file for a form (a real PNG unless `data` says)."""
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=kind)
