"""Photo uploads: checked by content, re-encoded without metadata, stored under random names.

HEIC/HEIF photos (iPhones) are decoded with pillow-heif and, like every other format, stored
and served as a fresh JPEG without EXIF (GPS, device). The decoded original, EXIF included,
is handed once to `photo_stored` receivers (pracha.evidence reads capture time and place).
"""

from __future__ import annotations

import io
import secrets
from pathlib import PurePosixPath
from typing import IO

import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from pracha.cases.actors import Actor
from pracha.cases.errors import InvalidInput, NotAnImage, PhotoTooLarge
from pracha.cases.models import Case, Event, Photo
from pracha.cases.services.workflow import record
from pracha.cases.signals import photo_stored

pillow_heif.register_heif_opener()  # iPhones' HEIC: Image.open reads it like any format

MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; larger is a decompression bomb
MAX_SIDE = 2560  # stored photos are scaled down to this; phones send far more than pages need
MAX_PHOTOS_PER_CASE = 20
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO"}
# JPEG's own EXIF segment holds at most 64 KB; a larger block (PNG, WebP and HEIC containers
# allow megabytes) is no camera's and would only cost time to parse.
MAX_EXIF_BYTES = 65_535
# What a file name's extension promises. A name without one of these (a phone's "image",
# LINE's content ids) is judged by its content alone.
EXTENSION_FORMATS = {
    **dict.fromkeys(("jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp"), frozenset({"JPEG", "MPO"})),
    "png": frozenset({"PNG"}),
    "webp": frozenset({"WEBP"}),
    "gif": frozenset({"GIF"}),
    **dict.fromkeys(("heic", "heif", "hif", "heics", "heifs"), frozenset({"HEIF"})),
}
ACCEPTED = "JPEG, PNG, WebP, GIF or HEIC"
TOO_MANY_PIXELS = "the image has too many pixels"  # a decompression bomb, or near enough


def check_extension(filename: str, image_format: str | None) -> None:
    """Refuse a file whose name promises another format than its content (a PNG sent as
    photo.jpg): it was renamed on purpose or by mistake, and either way it is not what the
    sender thinks it is."""
    extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    promised = EXTENSION_FORMATS.get(extension)
    if promised is not None and image_format not in promised:
        raise NotAnImage(
            f"the file is named .{extension} but is a {image_format} image; "
            "send it under its real name"
        )


def check_exif(image: Image.Image) -> None:
    exif = image.info.get("exif")
    if isinstance(exif, bytes | bytearray) and len(exif) > MAX_EXIF_BYTES:
        raise NotAnImage(
            f"the photo's EXIF metadata is {len(exif):,} bytes; a camera writes at most "
            f"{MAX_EXIF_BYTES:,}"
        )


def check_photo(stream: IO[bytes], size: int | None, filename: str = "") -> Image.Image:
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
            raise NotAnImage(f"{image.format} images are not accepted; send {ACCEPTED}")
        check_extension(filename, image.format)
        if image.width * image.height > MAX_PIXELS:
            raise NotAnImage(TOO_MANY_PIXELS)
        image.load()
        check_exif(image)
    except Image.DecompressionBombError as exc:
        raise NotAnImage(TOO_MANY_PIXELS) from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,  # e.g. a text chunk that inflates past Pillow's limit
    ) as exc:
        raise NotAnImage(f"the file is not a readable image ({ACCEPTED})") from exc
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
    filename: str | None = None,
) -> Photo:
    """Store a photo of `case`. `filename` is the name the sender gave it (an uploaded file's
    own name by default): a known image extension must match the content."""
    if filename is None:
        filename = str(getattr(stream, "name", "") or "")
    image = check_photo(stream, size, filename)
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
        photo_stored.send(sender=Photo, photo=photo, original=image)
        # The after-photo is announced by the close event that uses it.
        record(case, actor, Event.Kind.PHOTO_ADDED, photo=photo, is_public=True, note="")
        return photo
