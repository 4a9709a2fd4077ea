"""POST Service Request: check the Open311 fields, then file the case through Pracha's intake.

The case is made by `do_create_case` (so validation, triage, routing and the first timeline
event are the same as for any report), with the Open311 submission record and the photo at
`media_url` in the same transaction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from pracha.agencies.models import ApiKey
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.models import Case, Category, Photo
from pracha.geo.address import places_in_address
from pracha.geo.lookup import current_index
from pracha.intake.services import NewCase, Reporter, do_create_case
from pracha.open311.definitions import check_answers, summary
from pracha.open311.models import Submission

# "Free form text limited to 4,000 characters" (GeoReport v2, description).
MAX_DESCRIPTION = 4000
LIMITS = {
    "address_string": 500,
    "address_id": 100,
    "email": 254,
    "device_id": 200,
    "account_id": 200,
    "first_name": 100,
    "last_name": 100,
    "phone": 40,
    "media_url": 500,
    "service_code": 40,
    "jurisdiction_id": 100,
}


@dataclass
class ServiceRequestIn:
    """The form fields of a POST, as sent (strings; empty when not sent)."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""
    jurisdiction_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


def check_lengths(data: ServiceRequestIn) -> None:
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if "\x00" in value:
            raise InvalidInput(f"{name} contains a NUL character", field=name)
        if len(value) > limit:
            raise InvalidInput(f"{name} is longer than {limit} characters", field=name)
    if len(data.description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description is limited to {MAX_DESCRIPTION:,} characters; "
            f"got {len(data.description):,}",
            field="description",
        )


def check_service(code: str) -> Category:
    if not code.strip():
        raise InvalidInput(
            "service_code is required (services.json lists them)", field="service_code"
        )
    category = Category.objects.filter(code=code.strip()).first()
    if category is None:
        raise NotFound(f"service_code {code.strip()[:40]!r} was not found", field="service_code")
    return category


def _coordinate(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(
            f"{name} must be a number in WGS84 degrees; got {raw[:40]!r}", field=name
        )
    return value


def check_location(data: ServiceRequestIn) -> tuple[float, float, str]:
    """(lat, lon, how): from lat/long, or the district named in address_string."""
    lat, lon = data.lat.strip(), data.long.strip()
    if lat or lon:
        if not (lat and lon):
            raise InvalidInput("lat and long must both be sent", field="lat" if lon else "long")
        return _coordinate("lat", lat), _coordinate("long", lon), "point"
    if data.address_string.strip():
        point = place_address(data.address_string)
        if point is None:
            raise InvalidInput(
                "address_string names no district Pracha can place (e.g. 'แขวงลุมพินี "
                "เขตปทุมวัน กรุงเทพมหานคร'); send lat and long",
                field="address_string",
            )
        return point[0], point[1], "address"
    if data.address_id.strip():
        raise InvalidInput(
            f"address_id alone cannot be placed: {settings.PRACHA.open311_jurisdiction} has no "
            "address register behind this API; send lat and long or address_string",
            field="address_id",
        )
    raise InvalidInput("a location is required: lat and long, or address_string", field="lat")


def place_address(address: str) -> tuple[float, float] | None:
    """A point inside the district an address names (Thai names, or Bangkok's English ones)."""
    index = current_index()
    places = places_in_address(address)
    area = index.find(places.district, places.province) if places.district else None
    if area is None:
        words = re.sub(r"[^a-z ]", " ", address.lower())
        padded = f" {' '.join(words.split())} "
        area = next(
            (
                a
                for a in index.areas
                if a.province_code == "10" and a.name_en and f" {a.name_en.lower()} " in padded
            ),
            None,
        )
    if area is None:
        return None
    point = area.geometry.representative_point()
    return round(point.y, 6), round(point.x, 6)


def check_media_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port ("a:99999999" raises)
    except ValueError:  # "http://[::1": an unclosed IPv6 bracket; a port out of range
        parts = None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or any(c.isspace() for c in url)
    ):
        raise InvalidInput("media_url must be an http:// or https:// URL", field="media_url")
    return url


def check_jurisdiction(jurisdiction_id: str) -> None:
    """One jurisdiction is served; another one named is "not found" (404 in the spec)."""
    given = jurisdiction_id.strip().lower().removeprefix("www.")
    served = settings.PRACHA.open311_jurisdiction.lower()
    if given and given != served:
        raise NotFound(
            f"jurisdiction_id {jurisdiction_id.strip()[:60]!r} was not found; "
            f"this endpoint serves {served}",
            field="jurisdiction_id",
        )


def do_submit_request(
    data: ServiceRequestIn,
    api_key: ApiKey,
    *,
    idempotency_key: str | None = None,
    language: str = "th",
) -> tuple[Case, Submission, bool]:
    """File the request; returns (case, submission, created). A repeated idempotency key
    returns the first request's case and submission and writes nothing."""
    check_jurisdiction(data.jurisdiction_id)
    check_lengths(data)
    category = check_service(data.service_code)
    answers = check_answers(category.code, data.attributes)
    lat, lon, located_by = check_location(data)
    media_url = check_media_url(data.media_url)
    description = data.description.strip()
    extra = summary(category.code, answers)
    if extra:
        description = f"{description}\n\n{extra}" if description else extra
    if not description:
        # Optional in Open311, required in Pracha: the service itself says what is wrong.
        description = f"{category.name_th} ({category.name_en})"
    name = " ".join(p for p in (data.first_name.strip(), data.last_name.strip()) if p)
    reporter = Reporter(name=name, phone=data.phone.strip(), email=data.email.strip())
    new_case = NewCase(
        description=description,
        lat=lat,
        lon=lon,
        categories=[category.code],
        address=data.address_string.strip(),
        reporter=reporter,
        language=language,
        source=Case.Source.OPEN311,
    )
    key = f"open311:{api_key.pk}:{idempotency_key.strip()}" if idempotency_key else None
    if key is not None and (len(idempotency_key or "") > 150 or not key.isprintable()):
        raise InvalidInput(
            "Idempotency-Key must be 1 to 150 printable characters", field="Idempotency-Key"
        )
    with transaction.atomic():
        case, created = do_create_case(new_case, idempotency_key=key)
        if not created:
            submission = Submission.objects.filter(case=case).first()
            if submission is None:
                raise InvalidInput("this Idempotency-Key was used by another kind of request")
            return case, submission, False
        if media_url:
            Photo.objects.create(case=case, kind=Photo.Kind.BEFORE, url=media_url)
        submission = Submission.objects.create(
            case=case,
            api_key=api_key,
            service_code=category.code,
            jurisdiction_id=data.jurisdiction_id.strip(),
            attributes=answers,
            address_id=data.address_id.strip(),
            located_by=located_by,
            device_id=data.device_id.strip(),
            account_id=data.account_id.strip(),
        )
    return case, submission, True
