"""Normalisation of Thai place names, so an address, a boundary file and a query agree."""

from __future__ import annotations

import re
import unicodedata

# Spellings seen in Bangkok data for the same place; the right side is the official form.
_VARIANTS = {
    "ราษฏร์": "ราษฎร์",  # ฏ (to patak) typed for ฎ (do chada) in ราษฎร์บูรณะ
    "ป้อมปราบ ศัตรูพ่าย": "ป้อมปราบศัตรูพ่าย",
    "ป้อมปราบ": "ป้อมปราบศัตรูพ่าย",
}
_PREFIXES = ("เขต", "แขวง", "อำเภอ", "ตำบล", "จังหวัด", "khet ", "amphoe ")


def normalise_thai(text: str) -> str:
    """NFC, zero-width characters removed, whitespace folded."""
    text = unicodedata.normalize("NFC", text or "")
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_district(name: str) -> str:
    """`เขต ราษฏร์บูรณะ` -> `ราษฎร์บูรณะ`: drop the prefix and fix known misspellings."""
    text = normalise_thai(name)
    lowered = text.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    for wrong, right in _VARIANTS.items():
        if text.startswith(wrong) and not text.startswith(right):
            text = right + text[len(wrong) :]
    return text.replace(" ", "")


def normalise_province(name: str) -> str:
    text = normalise_thai(name)
    text = text.removeprefix("จังหวัด").strip()
    return "กรุงเทพมหานคร" if text in {"กรุงเทพฯ", "กทม", "กทม.", "Bangkok"} else text
