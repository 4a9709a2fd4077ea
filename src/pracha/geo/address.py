"""Places named in a free-text Thai address ("... แขวง ยานนาวา เขต สาทร กรุงเทพมหานคร 10120").

Addresses from reverse geocoding end with the finest place first and the province last, and
some repeat the places the reporter typed before the geocoder's own ("แขวงดินแดง เขตดินแดง
... แขวง ดินแดง เขตห้วยขวาง"); the last mention is the geocoder's and wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pracha.thaitext import normalise_district, normalise_province, normalise_subdistrict

_DISTRICT = re.compile(r"(?:^|[\s,])(?:เขต|อำเภอ|อ\.)\s*([^\s\d,()]+)")
_SUBDISTRICT = re.compile(r"(?:^|[\s,])(?:แขวง|ตำบล|ต\.)\s*([^\s\d,()]+)")
_PROVINCE = re.compile(r"(?:^|[\s,])(?:จังหวัด|จ\.)\s*([^\s\d,()]+)")
MAX_ADDRESS_CHARS = 2000


@dataclass(frozen=True)
class AddressPlaces:
    subdistrict: str = ""
    district: str = ""
    province: str = ""


def places_in_address(address: str | None) -> AddressPlaces:
    """The sub-district, district and province an address names (normalised; "" if none)."""
    text = (address or "")[-MAX_ADDRESS_CHARS:]
    if not text.strip():
        return AddressPlaces()
    subdistricts = _SUBDISTRICT.findall(text)
    districts = _DISTRICT.findall(text)
    provinces = _PROVINCE.findall(text)
    subdistrict = normalise_subdistrict(subdistricts[-1]) if subdistricts else ""
    district = normalise_district(districts[-1]) if districts else ""
    if provinces:
        province = normalise_province(provinces[-1])
    elif "กรุงเทพ" in text or (district and "เขต" in text):
        province = "กรุงเทพมหานคร"  # Bangkok's districts are khet; the provinces' are amphoe
    else:
        province = ""
    return AddressPlaces(subdistrict[:100], district[:100], province[:100])
