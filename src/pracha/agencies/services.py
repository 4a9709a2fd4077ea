"""Agency lookup and creation from the names agencies go by, and API key handling."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.agencies.models import Agency, ApiKey, Officer, hash_key
from pracha.geo.english import district_office_name_en
from pracha.reference import Reference
from pracha.thaitext import normalise_district

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Channels and umbrella names that appear in Traffy's organisation lists but handle nothing.
NON_HANDLING_NAMES = frozenset({"เพื่อนชัชชาติ", "กรุงเทพโปร่งใส", "Traffy Fondue"})

_DISTRICT_OFFICE = re.compile(r"^(?:สำนักงาน)?เขต\s*(?P<district>\S.*)$")
# A district name, not a number: "... เขต 31" is a parliamentary constituency.
_UNIT_OF_DISTRICT = re.compile(r"^(?P<unit>.+?)\s+(?:สำนักงาน)?เขต\s*(?P<district>[^\s\d]\S*)$")
_EXTERNAL_MARKERS = (
    "การไฟฟ้า",
    "การประปา",
    "สน.",
    "สถานีตำรวจ",
    "กรม",
    "การทาง",
    "บริษัท",
    "สำนักงานคณะกรรมการ",
    "กองบังคับการ",
    "กองบัญชาการ",
    "การรถไฟ",
    "ขสมก",
    "องค์การ",
    "มหาวิทยาลัย",
    "การเคหะ",
    "กระทรวง",
    "จังหวัด",
    "เทศบาล",
)


class AgencyError(ValueError):
    """An agency reference that names no agency."""


def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def agency_code(name: str) -> str:
    """A stable ASCII code for an agency known only by its Thai name."""
    return "org-" + hashlib.sha1(name.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class AgencyShape:
    kind: str
    district: str
    parent_name: str | None


def infer_shape(name: str) -> AgencyShape:
    """Guess kind, district and parent from a Thai agency name ("ฝ่ายโยธา เขตบางกอกใหญ่")."""
    if name == "กรุงเทพมหานคร":
        return AgencyShape(Agency.Kind.CITY, "", None)
    if match := _DISTRICT_OFFICE.match(name):
        return AgencyShape(
            Agency.Kind.DISTRICT_OFFICE, normalise_district(match["district"]), "กรุงเทพมหานคร"
        )
    if any(marker in name for marker in _EXTERNAL_MARKERS):
        return AgencyShape(Agency.Kind.EXTERNAL, "", None)
    if match := _UNIT_OF_DISTRICT.match(name):
        district = normalise_district(match["district"])
        return AgencyShape(Agency.Kind.UNIT, district, f"เขต{district}")
    if name.startswith("สำนัก"):
        return AgencyShape(Agency.Kind.DEPARTMENT, "", "กรุงเทพมหานคร")
    return AgencyShape(Agency.Kind.UNIT, "", None)


def english_name(shape: AgencyShape) -> str:
    """What an agency known only in Thai is called in English, where that is certain: a
    Bangkok district office (`Chatu Chak District Office`); otherwise empty."""
    if shape.kind == Agency.Kind.DISTRICT_OFFICE:
        return district_office_name_en(shape.district)
    return ""


def _agencies_by(field: str, values: Sequence[str]) -> dict[str, Agency]:
    """The agencies whose `field` (a unique one: code, name_th) is one of `values`."""
    return {getattr(a, field): a for a in Agency.objects.filter(**{f"{field}__in": values})}


_by_code: Reference[str, Agency | None] = Reference(
    lambda code: Agency.objects.filter(code=code).first(),
    load_many=partial(_agencies_by, "code"),
    models=("agencies.Agency",),
)
_by_name: Reference[str, Agency | None] = Reference(
    lambda name: Agency.objects.filter(name_th=name).first(),
    load_many=partial(_agencies_by, "name_th"),
    models=("agencies.Agency",),
)


def agency_by_code(code: str) -> Agency | None:
    """The agency with this code (read through the per-process cache, pracha.reference)."""
    return _by_code.get(code)


def get_or_create_agency(name: str, cache: dict[str, Agency] | None = None) -> Agency:
    """The agency with this Thai name, created (with its parent district office) if new."""
    name = clean_name(name)
    if not name:
        raise AgencyError("agency name is empty")
    if cache is not None and name in cache:
        return cache[name]
    agency = _by_name.get(name)
    if agency is None:
        shape = infer_shape(name)
        parent = None
        if shape.parent_name and shape.parent_name != name:
            parent = get_or_create_agency(shape.parent_name, cache)
        try:
            with transaction.atomic():
                agency = Agency.objects.create(
                    code=agency_code(name),
                    name_th=name,
                    name_en=english_name(shape),
                    kind=shape.kind,
                    district=shape.district,
                    parent=parent,
                )
        except IntegrityError:  # created concurrently
            agency = Agency.objects.get(name_th=name)
    if cache is not None:
        cache[name] = agency
    return agency


def resolve_agency(ref: str | int) -> Agency:
    """Find an agency by id, code or Thai/English name; raise AgencyError if none matches."""
    text = str(ref).strip()
    if not text or "\x00" in text or len(text) > 255:
        # Nothing could match, and PostgreSQL refuses NUL characters outright.
        raise AgencyError(f"no agency matches {text[:60]!r}")
    query = Agency.objects.filter(code=text) | Agency.objects.filter(name_th=clean_name(text))
    query = query | Agency.objects.filter(name_en__iexact=text)
    if text.isdecimal() and len(text) <= 18:  # ids fit a 64-bit integer; "²" is no id
        query = query | Agency.objects.filter(pk=int(text))
    agency = query.first()
    if agency is None:
        raise AgencyError(f"no agency matches {text!r}")
    return agency


def officer_of(user: User | AnonymousUser | None) -> Officer | None:
    if user is None or not user.is_authenticated:
        return None
    return Officer.objects.select_related("agency").filter(user=user).first()


KEY_PREFIX = "pk_"


def create_api_key(name: str, user: User | None = None) -> tuple[ApiKey, str]:
    """Make a new key; the raw secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValueError("an API key needs a name")
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, prefix=raw[:12], key_hash=hash_key(raw), user=user)
    return key, raw


def authenticate_api_key(raw: str) -> ApiKey | None:
    if not raw:
        return None
    key = ApiKey.objects.active().select_related("user").filter(key_hash=hash_key(raw)).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def revoke_api_key(prefix_or_name: str) -> int:
    """Revoke active keys whose prefix or name matches; returns how many were revoked."""
    keys = ApiKey.objects.active().filter(prefix=prefix_or_name) | ApiKey.objects.active().filter(
        name=prefix_or_name
    )
    # One save per key (not a bulk update) so the audit log records each revocation.
    now = timezone.now()
    revoked = 0
    for key in ApiKey.objects.filter(pk__in=keys.values("pk")):
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
        revoked += 1
    return revoked
