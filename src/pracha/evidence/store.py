"""Recording a photo's hashes and capture facts (PhotoHash)."""

from __future__ import annotations

from django.utils import timezone
from PIL import Image

from pracha.cases.models import Photo
from pracha.evidence.exif import ExifFacts, read_exif
from pracha.evidence.hashing import hash_image, pack, to_signed
from pracha.evidence.index import bands
from pracha.evidence.models import PhotoHash


def record_photo(
    photo: Photo, image: Image.Image, *, source: str = PhotoHash.Source.UPLOAD
) -> PhotoHash:
    """Hash `image` (the photo as uploaded, or its stored copy) and keep what the checks need
    of its EXIF: capture time and camera always, the place only for an after-photo."""
    hashes = hash_image(image)
    if source == PhotoHash.Source.UPLOAD:
        facts = read_exif(image)
    else:  # hashed again from the stored copy: what the upload's EXIF said still holds
        old = PhotoHash.objects.filter(photo=photo, source=PhotoHash.Source.UPLOAD).first()
        facts = ExifFacts(old.taken_at, old.lat, old.lon, old.camera) if old else ExifFacts()
        source = old.source if old else source
    keep_place = photo.kind == Photo.Kind.AFTER
    b0, b1, b2, b3 = bands(hashes.phash)
    record, _ = PhotoHash.objects.update_or_create(
        photo=photo,
        defaults={
            "case_id": photo.case_id,
            "phash": to_signed(hashes.phash),
            "dhash": to_signed(hashes.dhash),
            "phash_mirror": to_signed(hashes.phash_mirror),
            "dhash_mirror": to_signed(hashes.dhash_mirror),
            "band0": b0,
            "band1": b1,
            "band2": b2,
            "band3": b3,
            "windows": pack(hashes.windows),
            "turns": pack(hashes.turns),
            "detail": round(hashes.detail, 2),
            "low_detail": hashes.low_detail,
            "trimmed": hashes.trimmed,
            "taken_at": facts.taken_at,
            "lat": facts.lat if keep_place else None,
            "lon": facts.lon if keep_place else None,
            "camera": facts.camera,
            "source": source,
            "hashed_at": timezone.now(),
        },
    )
    return record


def record_stored_copy(photo: Photo) -> PhotoHash | None:
    """Hash the served copy of a photo that has no PhotoHash yet (photos stored before this
    app, or by a path that did not announce the upload). The copy has no EXIF left."""
    if not photo.image:
        return None
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        image.load()
        return record_photo(photo, image, source=PhotoHash.Source.STORED)
