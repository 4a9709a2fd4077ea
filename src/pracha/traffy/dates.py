"""Timestamps as Traffy's exports write them, turned into timezone-aware datetimes.

Four spellings occur: ISO with a `+00` offset (UTC, the dumps and the API CSV), month/day/year
and day/month/year without an offset (Bangkok local time, the 2023 exports), and Buddhist-era
Thai dates with a separate time (`6 ธ.ค. 67` + `13:13 น.`, the 2024 scrape).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# The exports' naive times are Bangkok's wall clock, whatever TIME_ZONE a deployment runs with.
BANGKOK = ZoneInfo("Asia/Bangkok")

# The Buddhist era counts from 543 BCE: BE 2567 = CE 2024.
BE_OFFSET = 543

THAI_MONTHS = {
    "มค": 1,
    "มกราคม": 1,
    "กพ": 2,
    "กุมภาพันธ์": 2,
    "มีค": 3,
    "มีนาคม": 3,
    "เมย": 4,
    "เมษายน": 4,
    "พค": 5,
    "พฤษภาคม": 5,
    "มิย": 6,
    "มิถุนายน": 6,
    "กค": 7,
    "กรกฎาคม": 7,
    "สค": 8,
    "สิงหาคม": 8,
    "กย": 9,
    "กันยายน": 9,
    "ตค": 10,
    "ตุลาคม": 10,
    "พย": 11,
    "พฤศจิกายน": 11,
    "ธค": 12,
    "ธันวาคม": 12,
}

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SLASH = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_THAI_DATE = re.compile(r"^(\d{1,2})[\s\-/]*([^\d\s\-/][^\d\-/]*?)[\s\-/]*(\d{2}|\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
# Postgres-style `2023-05-13 06:43:11.875931+00`: fromisoformat reads it since Python 3.11.
_ISO_HINT = re.compile(r"^\d{4}-\d{2}-\d{2}")


class DateError(ValueError):
    """A timestamp that cannot be read; the message quotes it."""


def parse_timestamp(text: str, *, order: str = "mdy") -> datetime:
    """ISO (offset or Bangkok local) or slash-separated (`order` "mdy" or "dmy") -> aware."""
    text = text.strip().translate(_THAI_DIGITS)
    if not text:
        raise DateError("empty timestamp")
    if _ISO_HINT.match(text):
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise DateError(f"unreadable timestamp {text!r}") from exc
        return value if value.tzinfo else value.replace(tzinfo=BANGKOK)
    match = _SLASH.match(text)
    if match is None:
        raise DateError(f"unreadable timestamp {text!r}")
    first, second, year, hour, minute, sec = match.groups()
    month, day = (first, second) if order == "mdy" else (second, first)
    return _build(int(year), int(month), int(day), hour, minute, sec, text)


def parse_thai_datetime(date_text: str, time_text: str = "") -> datetime:
    """`6 ธ.ค. 67` / `2-ธ.ค.-67` / `6 ธันวาคม 2567` plus `13:13 น.` -> Bangkok-aware datetime."""
    date_text = date_text.strip().translate(_THAI_DIGITS)
    match = _THAI_DATE.match(date_text)
    if match is None:
        raise DateError(f"unreadable Thai date {date_text!r}")
    day, month_name, year_text = match.groups()
    month = THAI_MONTHS.get(re.sub(r"[.\s]", "", month_name))
    if month is None:
        raise DateError(f"unknown Thai month in {date_text!r}")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500  # two-digit years are Buddhist-era: 67 -> 2567
    if year > 2400:  # CE years this large do not occur; anything above is Buddhist-era
        year -= BE_OFFSET
    hour = minute = sec = None
    time_text = time_text.strip().translate(_THAI_DIGITS).removesuffix("น.").strip()
    if time_text:
        time_match = _TIME.match(time_text)
        if time_match is None:
            raise DateError(f"unreadable time {time_text!r}")
        hour, minute, sec = time_match.groups()
    return _build(year, month, int(day), hour, minute, sec, f"{date_text} {time_text}")


def _build(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    sec: str | None,
    text: str,
) -> datetime:
    try:
        value = datetime(year, month, day, tzinfo=BANGKOK)
    except ValueError as exc:
        raise DateError(f"impossible date {text!r}") from exc
    hours, minutes, seconds = int(hour or 0), int(minute or 0), int(sec or 0)
    if hours > 24 or minutes > 59 or seconds > 59:
        raise DateError(f"impossible time {text!r}")
    # timedelta so that "24:00" rolls over to the next day rather than failing.
    return value + timedelta(hours=hours, minutes=minutes, seconds=seconds)


def local_year(value: datetime) -> int:
    """The calendar year in Bangkok, which Traffy's ticket ids carry."""
    return value.astimezone(BANGKOK).year
