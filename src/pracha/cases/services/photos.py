"""Photo uploads: checked by content, re-encoded without metadata, stored under random names."""

from __future__ import annotations

import io
import secrets
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from pracha.cases.actors import Actor
from pracha.cases.errors import InvalidInput, NotAnImage, PhotoTooLarge
from pracha.cases.models import Case, Event, Photo
from pracha.cases.services.workflow import record

MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; larger is a decompression bomb
MAX_SIDE = 2560  # stored photos are scaled down to this; phones send far more than pages need
MAX_PHOTOS_PER_CASE = 20
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO"}


def check_photo(stream: IO[bytes], size: int | None) -> Image.Image:
    limit = settings.PRACHA.max_photo_bytes
    if size is not None and size > limit:
        raise PhotoTooLarge(f"the photo is {size:,} bytes; the limit is {limit:,}")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoTooLarge(f"the photo is over the limit of {limit:,} bytes")
    if not data:
        raise NotAnImage("the uploaded file is empty")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise NotAnImage(f"{image.format} images are not accepted; send JPEG, PNG or WebP")
        if image.width * image.height > MAX_PIXELS:
            raise NotAnImage("the image has too many pixels")
        image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,  # e.g. a text chunk that inflates past Pillow's limit
    ) as exc:
        raise NotAnImage("the file is not a readable image (JPEG, PNG or WebP)") from exc
    return image


def reencode(image: Image.Image) -> tuple[bytes, int, int]:
    """Rotate upright, drop EXIF (GPS included) and other metadata, scale down, save as JPEG."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in {"RGB", "L"}:
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Pillow writes a JPEG comment and ICC profile kept in `info` back out: drop them all.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


def do_add_photo(
    case: Case,
    stream: IO[bytes],
    size: int | None,
    *,
    kind: str = Photo.Kind.BEFORE,
    actor: Actor | None = None,
) -> Photo:
    image = check_photo(stream, size)
    if kind not in Photo.Kind.values:
        raise InvalidInput("kind must be 'before' or 'after'", field="kind")
    data, width, height = reencode(image)
    actor = actor or Actor.citizen()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.photos.count() >= MAX_PHOTOS_PER_CASE:
            raise InvalidInput(f"a case holds at most {MAX_PHOTOS_PER_CASE} photos", field="file")
        photo = Photo(case=case, kind=kind, width=width, height=height)
        photo.image.save(f"{secrets.token_hex(16)}.jpg", ContentFile(data), save=False)
        photo.save()
        # The after-photo is announced by the close event that uses it.
        record(case, actor, Event.Kind.PHOTO_ADDED, photo=photo, is_public=True, note="")
        return photo
