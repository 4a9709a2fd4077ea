"""What a photo's EXIF says about when and where it was taken, read from the original upload
(the stored copy has no EXIF at all).

Capture time: DateTimeOriginal, else DateTimeDigitized (never DateTime, which editors rewrite),
in the offset the camera wrote (OffsetTimeOriginal), else in Bangkok time. Place: the GPS IFD's
latitude and longitude; (0, 0) and out-of-range values count as none. Camera: make and model.
EXIF is optional evidence: many apps strip it, and iOS Safari may send photos without it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

BANGKOK = ZoneInfo("Asia/Bangkok")
OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class ExifFacts:
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    camera: str = ""


def read_exif(image: Image.Image) -> ExifFacts:
    """The capture facts of `image`; nothing for a photo without (readable) EXIF."""
    try:
        with warnings.catch_warnings():  # Pillow warns of corrupt EXIF, then reads what it can
            warnings.simplefilter("ignore")
            exif = image.getexif()
            if not exif:
                return ExifFacts()
            details = exif.get_ifd(ExifTags.IFD.Exif)
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a damaged EXIF block is no evidence, not an error
        return ExifFacts()
    lat, lon = _position(gps)
    return ExifFacts(taken_at=_taken_at(details), lat=lat, lon=lon, camera=_camera(exif))


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 ").strip() if value is not None else ""


def _camera(exif: Image.Exif) -> str:
    make = _text(exif.get(ExifTags.Base.Make))
    model = _text(exif.get(ExifTags.Base.Model))
    return " ".join(part for part in (make, model) if part)[:100]


def _taken_at(details: dict[int, object]) -> datetime | None:
    for stamp_tag, offset_tag in (
        (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal),
        (ExifTags.Base.DateTimeDigitized, ExifTags.Base.OffsetTimeDigitized),
    ):
        stamp = _text(details.get(stamp_tag))
        try:
            naive = datetime.strptime(stamp[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        match = OFFSET.match(_text(details.get(offset_tag)))
        if match:
            sign = -1 if match.group(1) == "-" else 1
            delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
            return naive.replace(tzinfo=timezone(sign * delta))
        return naive.replace(tzinfo=BANGKOK)
    return None


def _degrees(value: object) -> float | None:
    try:
        d, m, s = (float(part) for part in value)  # type: ignore[attr-defined]  # EXIF rationals
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return d + m / 60 + s / 3600


def _position(gps: dict[int, object]) -> tuple[float | None, float | None]:
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude))
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude))
    if lat is None or lon is None:
        return None, None
    if _text(gps.get(ExifTags.GPS.GPSLatitudeRef)).upper() == "S":
        lat = -lat
    if _text(gps.get(ExifTags.GPS.GPSLongitudeRef)).upper() == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (abs(lat) < 1e-6 and abs(lon) < 1e-6):
        return None, None
    return lat, lon
