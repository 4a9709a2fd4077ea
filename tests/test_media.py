"""Uploaded photos go through Django's storage API: with a store that is not the local file
system (here Django's in-memory storage, as an S3 bucket would be), a photo is written there
and served from there, and nothing lands in MEDIA_ROOT."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage, storages
from django.test import Client

from pracha.cases.models import Photo
from tests.helpers import image_bytes, upload


@pytest.fixture
def memory_store(settings: Any, media: Path) -> Iterator[None]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages._storages.pop("default", None)
    default_storage._wrapped = storages["default"]
    yield
    storages._storages.pop("default", None)
    default_storage._setup()


def test_photos_are_written_and_served_through_the_storage(
    memory_store: None, media: Path, api: Client, file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    response = upload(api, ticket, image_bytes())
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(pk=response.json()["id"])
    assert default_storage.exists(photo.image.name)
    assert list(media.rglob("*")) == []  # nothing on the local disk

    served = api.get(f"/media/{photo.image.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == default_storage.open(photo.image.name).read()


def test_unknown_and_escaping_names_are_404(memory_store: None, api: Client, db: None) -> None:
    for path in ["/media/photos/missing.jpg", "/media/../settings.py", "/media/a/%2e%2e/b"]:
        assert api.get(path).status_code == 404, path
