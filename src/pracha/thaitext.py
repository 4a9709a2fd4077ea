"""Normalisation of Thai place names, so an address, a boundary file and a query agree."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Misspellings seen in Bangkok data, fixed wherever they occur in a name; right = official.
_TYPOS = {
    "ราษฏร์": "ราษฎร์",  # ฏ (to patak) typed for ฎ (do chada): ราษฎร์บูรณะ, สุราษฎร์ธานี
    "สัมพัธวงศ์": "สัมพันธวงศ์",
}
# Short or truncated forms of a whole district name: any name starting with the key is it.
# ("ป้อมปราบ" in addresses; "ป้อมปราบศัตรูพ่า" in the national district file.)
_WHOLE_NAMES = {"ป้อมปราบ": "ป้อมปราบศัตรูพ่าย"}
_PREFIXES = ("เขต", "แขวง", "อำเภอ", "ตำบล", "จังหวัด", "อ.", "ต.", "จ.", "khet ", "amphoe ")
_BANGKOK_NAMES = {"กรุงเทพฯ", "กรุงเทพ", "กทม", "กทม.", "bangkok", "กรุงเทพมหานคร"}


def normalise_thai(text: str) -> str:
    """NFC, zero-width characters removed, whitespace folded."""
    text = unicodedata.normalize("NFC", text or "")
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_prefix(text: str) -> str:
    lowered = text.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


@lru_cache(maxsize=8192)  # the same few thousand names, over and over
def normalise_district(name: str) -> str:
    """`เขต ราษฏร์บูรณะ` -> `ราษฎร์บูรณะ`: drop the prefix and fix known misspellings.

    Spaces are removed ("เมือง สมุทรปราการ" -> "เมืองสมุทรปราการ", as the district files
    write it), so compare names only after passing both through here.
    """
    text = _strip_prefix(normalise_thai(name)).replace(" ", "")
    for wrong, right in _TYPOS.items():
        text = text.replace(wrong, right)
    for start, whole in _WHOLE_NAMES.items():
        if text.startswith(start):
            return whole
    return text


@lru_cache(maxsize=8192)  # the same few thousand names, over and over
def normalise_subdistrict(name: str) -> str:
    """`แขวง คลองเตยเหนือ` -> `คลองเตยเหนือ` (same rules as districts, no whole-name forms)."""
    text = _strip_prefix(normalise_thai(name)).replace(" ", "")
    for wrong, right in _TYPOS.items():
        text = text.replace(wrong, right)
    return text


@lru_cache(maxsize=8192)  # the same few thousand names, over and over
def normalise_province(name: str) -> str:
    text = normalise_thai(name)
    text = text.removeprefix("จังหวัด").removeprefix("จ.").strip()
    for wrong, right in _TYPOS.items():
        text = text.replace(wrong, right)
    return "กรุงเทพมหานคร" if text.lower() in _BANGKOK_NAMES else text
