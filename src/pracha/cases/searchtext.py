"""The text public search runs over: what the public can read, never the raw report.

Descriptions and addresses are shown with personal data masked (pracha.masking.personal_data), but
the database keeps the raw text. Searching the raw text let anyone rebuild a hidden phone
number one character at a time from which cases matched, so every case also stores
`search_text`: its masked description and address. It is refreshed on every save, bulk
insert and queryset update of those fields (cases.models), and `pracha reindex-search`
recomputes it after the masking rules change.

Digits are folded to ASCII on both sides (Thai ๐-๙ and full-width ０-９), so "ซอย ๕" finds
"ซอย 5"; this only ever touches text that is already visible.
"""

from __future__ import annotations

from pracha.masking.personal_data import mask_personal_data

_FOLD = str.maketrans("๐๑๒๓๔๕๖๗๘๙" + "".join(chr(0xFF10 + i) for i in range(10)), "0123456789" * 2)


def fold(text: str) -> str:
    """The form both the stored search text and a query are compared in."""
    return text.translate(_FOLD)


def public_search_text(description: str | None, address: str | None) -> str:
    """The masked description and address, as one searchable text."""
    parts = (mask_personal_data(description or ""), mask_personal_data(address or ""))
    return fold("\n".join(parts))
