"""Readers for single cell values of Traffy's exports: labels, coordinates, numbers, places."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from pracha.thaitext import normalise_district, normalise_province, normalise_thai

_ID_WITH_YEAR = re.compile(r"^\d{4}-[A-Za-z0-9]{3,20}$")
_ID_WITHOUT_YEAR = re.compile(r"^[A-Za-z0-9]{3,20}$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

# Addresses written by Google/OSM reverse geocoding: "... แขวง ตลาดพลู เขตธนบุรี กรุงเทพมหานคร".
_DISTRICT_IN_ADDRESS = re.compile(r"(?:^|\s)(?:เขต|อำเภอ|อ\.)\s*([^\s\d,]+)")
_SUBDISTRICT_IN_ADDRESS = re.compile(r"(?:^|\s)(?:แขวง|ตำบล|ต\.)\s*([^\s\d,]+)")
_DISTRICT_OFFICE = re.compile(r"^(?:สำนักงาน)?เขต\s*(\S+)$")
_PROVINCE_IN_ADDRESS = re.compile(r"(?:^|\s)(?:จังหวัด|จ\.)\s*([^\s\d,]+)")

MAX_PLACE_CHARS = 100  # Case.subdistrict / district / province


class FieldError(ValueError):
    """A cell whose value makes the row unusable; the message names the column."""


def ticket_id(raw: str, year: int) -> str:
    """Traffy's id as given, or `YEAR-ID` for the short ids some exports carry ("2A7YNR").

    The 2023 and 2024 exports drop the year prefix from some ids; Traffy's ids are
    `YEAR-XXXXXX` with the year the ticket was filed, so the timestamp's year restores it and a
    later export that spells the id in full finds the same case.
    """
    text = raw.strip()
    if _ID_WITH_YEAR.match(text):
        return text
    if _ID_WITHOUT_YEAR.match(text):
        return f"{year}-{text}"
    raise FieldError(f"ticket_id {raw!r} is not a Traffy ticket id")


@lru_cache(maxsize=4096)
def labels(text: str) -> tuple[str, ...]:
    """`{ถนน,น้ำท่วม}`, `ถนน,น้ำท่วม` or `['ถนน', 'น้ำท่วม']` -> ("ถนน", "น้ำท่วม")."""
    text = text.strip().strip("{}[]")
    parts = (part.strip().strip("'\"").strip() for part in text.split(","))
    return tuple(dict.fromkeys(part for part in parts if part))


@lru_cache(maxsize=4096)
def names(text: str) -> tuple[str, ...]:
    """An organisation list (`เขตบางพลัด,พนักงานกวาด เขตบางพลัด`) -> names, in order, once each."""
    parts = (normalise_thai(part) for part in text.split(","))
    return tuple(dict.fromkeys(part for part in parts if part))


def point(lon_text: str, lat_text: str) -> tuple[float | None, float | None]:
    """(lat, lon) from two cells; (None, None) unless both are finite, in-range numbers.

    Points outside Thailand are kept: they are what the reporter sent.
    """
    try:
        lon, lat = float(lon_text), float(lat_text)
    except ValueError:
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return lat, lon


def point_from_pair(text: str) -> tuple[float | None, float | None]:
    """`100.56471,13.74036` or `['100.55650', '13.74179']` (longitude first) -> (lat, lon)."""
    numbers = _NUMBER.findall(text)
    if len(numbers) != 2:
        return None, None
    return point(numbers[0], numbers[1])


def stars(text: str) -> int | None:
    """A rating of 1 to 5; anything else (empty, 0, "n/a") means not rated."""
    try:
        value = int(float(text))
    except ValueError:
        return None
    return value if 1 <= value <= 5 else None


def count(text: str) -> int:
    try:
        return max(0, int(float(text)))
    except ValueError:
        return 0


@lru_cache(maxsize=4096)
def district(text: str) -> str:
    return normalise_district(text)[:MAX_PLACE_CHARS]


@lru_cache(maxsize=1024)
def province(text: str) -> str:
    return normalise_province(text)[:MAX_PLACE_CHARS]


def district_of_offices(agency_names: tuple[str, ...]) -> str:
    """The district of the first district office named ("เขตประเวศ" -> "ประเวศ"), or ""."""
    for name in agency_names:
        if match := _DISTRICT_OFFICE.match(name):
            return district(match[1])
    return ""


def places_from_address(address: str) -> tuple[str, str, str]:
    """(subdistrict, district, province) named in a free-text address, for exports without
    those columns. The last mention wins: geocoded addresses end with the finest place first
    and the province last ("... แขวง ยานนาวา เขต สาทร กรุงเทพมหานคร 10120 ประเทศไทย").
    """
    subdistricts = _SUBDISTRICT_IN_ADDRESS.findall(address)
    districts = _DISTRICT_IN_ADDRESS.findall(address)
    provinces = _PROVINCE_IN_ADDRESS.findall(address)
    sub = normalise_thai(subdistricts[-1])[:MAX_PLACE_CHARS] if subdistricts else ""
    dist = district(districts[-1]) if districts else ""
    if provinces:
        prov = province(provinces[-1])
    elif "กรุงเทพ" in address or (dist and "เขต" in address):
        prov = "กรุงเทพมหานคร"  # Bangkok's districts are khet; the provinces' are amphoe
    else:
        prov = ""
    return sub, dist, prov
