"""Real photos and the edits a fake fix makes of them, encoded as phones send them.

The two photos are the sample photos that ship inside scikit-learn (a dependency of Pracha):
china.jpg and flower.jpg, by danielbuechele and vultilion on Flickr, CC BY 2.0 (see
sklearn/datasets/images/README.txt). `street` is a drawn scene, for a third, unrelated view.
"""

from __future__ import annotations

import io
import random
from datetime import datetime
from typing import Any

import numpy as np
import pillow_heif
from PIL import ExifTags, Image, ImageDraw, ImageEnhance, ImageOps
from sklearn.datasets import load_sample_image

pillow_heif.register_heif_opener()


def photo(name: str) -> Image.Image:
    """china or flower (real photos, 640 x 427), or street (drawn)."""
    if name == "street":
        return street()
    return Image.fromarray(load_sample_image(f"{name}.jpg"))


def street(seed: int = 7) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 427), (120, 160, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 640, 427), fill=(70, 70, 75))
    for _ in range(40):
        x, y = rng.randint(0, 600), rng.randint(0, 380)
        w, h = rng.randint(20, 120), rng.randint(20, 120)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    return image


def featureless(seed: int = 3) -> Image.Image:
    """Asphalt: grey noise, nothing a hash can hold on to."""
    rng = np.random.default_rng(seed)
    grey = rng.normal(90, 20, (480, 640)).clip(0, 255).astype("uint8")
    return Image.fromarray(grey).convert("RGB")


def crop(image: Image.Image, share: float, seed: int = 1) -> Image.Image:
    """Up to `share` of the width and of the height cut off, split at random between sides."""
    rng = random.Random(seed)
    w, h = image.size
    dx, dy = int(w * share), int(h * share)
    left, top = rng.randint(0, dx), rng.randint(0, dy)
    return image.crop((left, top, w - (dx - left), h - (dy - top)))


def brighter(image: Image.Image, factor: float = 1.3) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(factor)


def bordered(image: Image.Image, width: int = 40, colour: str = "white") -> Image.Image:
    """A screenshot-like frame around the photo."""
    return ImageOps.expand(image, border=width, fill=colour)


def timestamp_strip(image: Image.Image, height: int = 36) -> Image.Image:
    """A black band under the photo with a date printed on it, as photo-stamp apps add."""
    out = Image.new("RGB", (image.width, image.height + height), "black")
    out.paste(image, (0, 0))
    ImageDraw.Draw(out).text((10, image.height + 10), "2024-05-01 10:42", fill="white")
    return out


def exif_bytes(
    *,
    taken_at: datetime | None = None,
    offset: str | None = None,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    camera: tuple[str, str] | None = None,
    padding: int = 0,
) -> bytes:
    exif = Image.Exif()
    if camera:
        exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = camera
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken_at:
        details[ExifTags.Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            details[ExifTags.Base.OffsetTimeOriginal] = offset
    if padding:
        details[ExifTags.Base.UserComment] = b"ASCII\x00\x00\x00" + b"x" * padding
    if gps:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat, lon = gps
        info[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        info[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        info[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        info[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    return exif.tobytes()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def encode(image: Image.Image, fmt: str = "JPEG", quality: int = 85, **exif: Any) -> bytes:
    """`image` as a JPEG, PNG or HEIC file, with the EXIF asked for."""
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if exif:
        options["exif"] = exif_bytes(**exif)
    if fmt in {"JPEG", "HEIF"}:
        options["quality"] = quality
    image.convert("RGB").save(out, format=fmt, **options)
    return out.getvalue()


EXTENSION = {"JPEG": "jpg", "PNG": "png", "HEIF": "heic"}
