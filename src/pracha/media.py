"""Serve uploaded photos through Django's storage API (STORAGES["default"]), so every node
serves the same files from a shared store: a shared directory (NFS) with the default file
system storage, or an S3-compatible bucket (PRACHA_MEDIA_STORAGE, see README "Several
machines"). Whitenoise only serves files known at start-up, hence this view."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    parts = PurePosixPath(path).parts
    if "\x00" in path or ".." in parts or path.startswith("/"):
        raise Http404("no such file")
    try:
        handle = default_storage.open(path, "rb")
    except (SuspiciousFileOperation, OSError, ValueError):  # escapes the store, missing, a
        raise Http404("no such file") from None  # directory, a name too long for the system
    content_type, _ = mimetypes.guess_type(path)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    # Names are random and files never change, so browsers may keep them.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
