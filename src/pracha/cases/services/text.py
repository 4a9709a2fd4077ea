"""Checks shared by every way text enters the system."""

from __future__ import annotations

from pracha.cases.errors import InvalidInput
from pracha.thaitext import normalise_thai


def clean_text(value: str | None, *, field: str, max_chars: int, required: bool = False) -> str:
    """Normalise free text; refuse NUL bytes, lone surrogates and text over the limit."""
    text = value or ""
    if "\x00" in text:
        raise InvalidInput(f"{field} contains a NUL byte", field=field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{field} is not valid Unicode text", field=field) from exc
    # Keep line breaks (descriptions are multi-line) but fold other whitespace runs.
    lines = [normalise_thai(line) for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    if required and not text:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(text) > max_chars:
        raise InvalidInput(
            f"{field} is {len(text)} characters long; the limit is {max_chars}", field=field
        )
    return text
