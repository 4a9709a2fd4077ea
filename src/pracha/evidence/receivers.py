"""Signal receivers: hashes for each stored photo, a check for each closing.

Both run inside the transaction of the change, each in a savepoint of its own: a failure is
logged and rolled back alone, so it never refuses an upload or a closing (`pracha evidence
rehash` and `pracha evidence recheck` fill any gap later).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from PIL import Image

from pracha.cases.models import Event, Photo
from pracha.evidence.checks import check_closing
from pracha.evidence.models import PhotoHash
from pracha.evidence.store import record_photo, record_stored_copy

log = logging.getLogger(__name__)


def on_photo_stored(sender: Any, photo: Photo, original: Image.Image, **kwargs: Any) -> None:
    """An upload: its hashes and EXIF facts, read from the original before it is gone."""
    try:
        with transaction.atomic():
            record_photo(photo, original)
    except Exception:
        log.exception("could not hash photo %s of case %s", photo.pk, photo.case_id)


def on_photo_saved(sender: Any, instance: Photo, created: bool, **kwargs: Any) -> None:
    """A photo file stored by another path than an upload: hashed from its copy on commit."""
    if not created or kwargs.get("raw") or not instance.image:
        return
    photo_id = instance.pk
    transaction.on_commit(lambda: _hash_if_missing(photo_id), robust=True)


def _hash_if_missing(photo_id: int) -> None:
    if PhotoHash.objects.filter(photo_id=photo_id).exists():
        return
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None:
        record_stored_copy(photo)


def on_event_saved(sender: Any, instance: Event, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.kind != Event.Kind.CLOSED:
        return
    if instance.case.is_private:
        return  # a service request has no after-photo and stays out of the public scorecards
    try:
        with transaction.atomic():
            check_closing(instance)
    except Exception:
        log.exception("could not check the closing of case %s", instance.case_id)
