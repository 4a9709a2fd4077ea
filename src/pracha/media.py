"""Serve uploaded photos from MEDIA_ROOT (whitenoise only serves files known at start-up)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
        found = target.is_relative_to(root) and target.is_file()
    except (ValueError, OSError):  # a NUL byte in the path, a name too long for the system
        found = False
    if not found:
        raise Http404("no such file")
    content_type, _ = mimetypes.guess_type(target.name)
    response = FileResponse(
        target.open("rb"), content_type=content_type or "application/octet-stream"
    )
    # Names are random and files never change, so browsers may keep them.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
