"""Helpers for the web tests: the text of a page, photos to upload."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import image_bytes


def page_text(response: Any) -> str:
    """The visible text of an HTML response, tags removed and whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def photo(name: str = "photo.png", data: bytes | None = None, kind: str = "image/png") -> Any:
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=kind)
