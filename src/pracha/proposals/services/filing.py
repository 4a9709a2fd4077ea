"""Filing a proposal: checked input, personal data masked, a public ref, the window opened."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pracha.cases.errors import InvalidInput
from pracha.cases.services.photos import check_photo, reencode
from pracha.citizens.models import Citizen
from pracha.geo.bounds import CoordinateError, check_point
from pracha.geo.lookup import locate
from pracha.masking.personal_data import mask_personal_data
from pracha.proposals.models import Follow, Proposal, ProposalEvent
from pracha.proposals.services.events import do_record
from pracha.taxonomy.categories import category_code
from pracha.thaitext import normalise_district

MAX_TITLE = 200
MIN_TITLE = 5
MIN_BODY = 10


@dataclass(frozen=True)
class NewProposal:
    title: str
    body: str
    category: str = ""
    district: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class CheckedProposal:
    title: str
    body: str
    category: str
    district: str
    lat: float | None
    lon: float | None


def check_proposal(new: NewProposal) -> CheckedProposal:
    """The proposal as it will be stored, or InvalidInput naming the field and the reason."""
    title = " ".join((new.title or "").split())
    body = (new.body or "").strip()
    if len(title) < MIN_TITLE:
        raise InvalidInput(f"the title needs at least {MIN_TITLE} characters", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"the title may have at most {MAX_TITLE} characters", field="title")
    if len(body) < MIN_BODY:
        raise InvalidInput(f"the text needs at least {MIN_BODY} characters", field="body")
    limit = settings.PRACHA.max_description_chars
    if len(body) > limit:
        raise InvalidInput(f"the text may have at most {limit} characters", field="body")
    category = ""
    if new.category and new.category.strip():
        code = category_code(new.category)
        if code is None:
            raise InvalidInput(f"unknown category {new.category[:60]!r}", field="category")
        category = code
    district = normalise_district(new.district) if new.district and new.district.strip() else ""
    if (new.lat is None) != (new.lon is None):
        raise InvalidInput("a map pin needs both lat and lon", field="lat")
    if new.lat is not None and new.lon is not None:
        try:
            check_point(new.lat, new.lon)
            place = locate(new.lon, new.lat)
        except CoordinateError as exc:
            raise InvalidInput(str(exc), field="lat") from exc
        district = district or place.district
    return CheckedProposal(
        title=mask_personal_data(title),
        body=mask_personal_data(body),
        category=category,
        district=district,
        lat=new.lat,
        lon=new.lon,
    )


@dataclass(frozen=True)
class PhotoUpload:
    """One photo as sent: its bytes, the size the sender declared, and its file name."""

    stream: IO[bytes]
    size: int | None
    filename: str = ""


def check_proposal_photo(photo: PhotoUpload) -> bytes:
    """The photo as stored: checked exactly like a case's photo (type by content, size, pixels)
    and re-encoded as a JPEG without EXIF (GPS, device). NotAnImage or PhotoTooLarge if not."""
    image = check_photo(photo.stream, photo.size, photo.filename)
    data, _width, _height = reencode(image)
    return data


def ref_for(proposal: Proposal) -> str:
    """`P-2026-000042`: the year filed and the row number, short enough to read aloud."""
    return f"P-{proposal.created_at.year}-{proposal.pk:06d}"


def do_file_proposal(
    citizen: Citizen, new: NewProposal, photo: PhotoUpload | None = None
) -> Proposal:
    """Publish a proposal at once, with at most one photo; its author follows it."""
    checked = check_proposal(new)
    photo_data = check_proposal_photo(photo) if photo is not None else None
    now = timezone.now()
    config = settings.PRACHA
    with transaction.atomic():
        proposal = Proposal.objects.create(
            title=checked.title,
            body=checked.body,
            category=checked.category,
            district=checked.district,
            lat=checked.lat,
            lon=checked.lon,
            author=citizen,
            threshold=config.proposal_threshold,
            created_at=now,
            closes_at=now + timedelta(days=config.proposal_window_days),
        )
        proposal.ref = ref_for(proposal)
        fields = ["ref"]
        if photo_data is not None:
            # A random name: the stored file says nothing of who sent it or when.
            name = f"{secrets.token_hex(16)}.jpg"
            proposal.photo.save(name, ContentFile(photo_data), save=False)
            fields.append("photo")
        proposal.save(update_fields=fields)
        Follow.objects.create(proposal=proposal, citizen=citizen)
        do_record(proposal, ProposalEvent.Kind.PUBLISHED)
    return proposal
