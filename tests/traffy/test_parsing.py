"""Cell-level readers of Traffy exports: timestamps, Thai dates, labels, coordinates, ids, and
each format recognised from its columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pracha.traffy import fields
from pracha.traffy.dates import BANGKOK, DateError, parse_thai_datetime, parse_timestamp
from pracha.traffy.formats import FORMATS, detect_format


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-13 06:43:11.875931+00", datetime(2023, 5, 13, 6, 43, 11, 875931, tzinfo=UTC)),
        ("2022-05-29 10:09:47.9+00", datetime(2022, 5, 29, 10, 9, 47, 900000, tzinfo=UTC)),
        ("2022-05-29 10:09:47+00", datetime(2022, 5, 29, 10, 9, 47, tzinfo=UTC)),
        ("2023-05-13 13:43:11", datetime(2023, 5, 13, 13, 43, 11, tzinfo=BANGKOK)),
        ("6/11/2023 20:01", datetime(2023, 6, 11, 20, 1, tzinfo=BANGKOK)),
        ("6/11/2023 9:28", datetime(2023, 6, 11, 9, 28, tzinfo=BANGKOK)),
    ],
)
def test_timestamps(text: str, expected: datetime) -> None:
    value = parse_timestamp(text, order="mdy")
    assert value == expected and value.tzinfo is not None


def test_day_first_timestamps() -> None:
    value = parse_timestamp("27/11/2023 08:19", order="dmy")
    assert value == datetime(2023, 11, 27, 8, 19, tzinfo=BANGKOK)
    assert value.astimezone(UTC) == datetime(2023, 11, 27, 1, 19, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["", "not-a-date", "27/11/2023 08:19", "2023-13-01 00:00:00+00", "1/2/2023 25:00"]
)
def test_unreadable_timestamps(text: str) -> None:
    with pytest.raises(DateError):
        parse_timestamp(text, order="mdy")  # 27/11 is no month/day


@pytest.mark.parametrize(
    ("date", "time", "expected"),
    [
        ("6 ธ.ค. 67", "13:13 น.", datetime(2024, 12, 6, 13, 13, tzinfo=BANGKOK)),
        ("2-ธ.ค.-67", "09:00 น.", datetime(2024, 12, 2, 9, 0, tzinfo=BANGKOK)),
        ("23 มิ.ย. 67", "20:37 น.", datetime(2024, 6, 23, 20, 37, tzinfo=BANGKOK)),
        ("15 พ.ค. 66", "", datetime(2023, 5, 15, tzinfo=BANGKOK)),
        ("1 มกราคม 2567", "08.30 น.", datetime(2024, 1, 1, 8, 30, tzinfo=BANGKOK)),
        ("๖ ธ.ค. ๖๗", "๑๓:๑๓ น.", datetime(2024, 12, 6, 13, 13, tzinfo=BANGKOK)),
        ("6 ธ.ค. 2024", "", datetime(2024, 12, 6, tzinfo=BANGKOK)),
    ],
)
def test_buddhist_era_thai_dates(date: str, time: str, expected: datetime) -> None:
    assert parse_thai_datetime(date, time) == expected


@pytest.mark.parametrize("date", ["6 ธันวา 67", "31 ก.พ. 67", "ธ.ค. 67", "yesterday"])
def test_unreadable_thai_dates(date: str) -> None:
    with pytest.raises(DateError):
        parse_thai_datetime(date, "10:00 น.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{ถนน,น้ำท่วม}", ("ถนน", "น้ำท่วม")),
        ("{}", ()),
        ("ทางเท้า,สายไฟ", ("ทางเท้า", "สายไฟ")),
        ("['ทางเท้า', 'สายไฟ']", ("ทางเท้า", "สายไฟ")),
        ("['']", ()),
        ("อื่นๆ,อื่นๆ", ("อื่นๆ",)),
    ],
)
def test_labels(text: str, expected: tuple[str, ...]) -> None:
    assert fields.labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100.56471,13.74036", (13.74036, 100.56471)),
        ("['100.55650', '13.74179']", (13.74179, 100.5565)),
        ("8.65468,50.58907", (50.58907, 8.65468)),  # abroad: kept
        ("", (None, None)),
        ("nan,nan", (None, None)),
        ("100.5", (None, None)),
        ("13.7,200.1", (None, None)),
    ],
)
def test_coordinates(text: str, expected: tuple[float | None, float | None]) -> None:
    assert fields.point_from_pair(text) == expected


def test_ticket_ids() -> None:
    assert fields.ticket_id("2023-9GNPH2", 2024) == "2023-9GNPH2"
    assert fields.ticket_id(" 2A7YNR ", 2023) == "2023-2A7YNR"
    with pytest.raises(fields.FieldError):
        fields.ticket_id("not an id!", 2023)


def test_stars_and_counts() -> None:
    assert [fields.stars(s) for s in ["", "5", "4.0", "0", "6", "x"]] == [
        None,
        5,
        4,
        None,
        None,
        None,
    ]
    assert [fields.count(s) for s in ["", "3", "-1", "x"]] == [0, 3, 0, 0]


def test_places_from_address() -> None:
    address = "BTS Saphan Tak Sin Khet Sathon 10120 แขวง ยานนาวา เขต สาทร กรุงเทพมหานคร 10120"
    assert fields.places_from_address(address) == ("ยานนาวา", "สาทร", "กรุงเทพมหานคร")
    assert fields.places_from_address("เขต ราษฏร์บูรณะ") == ("", "ราษฎร์บูรณะ", "กรุงเทพมหานคร")
    assert fields.places_from_address("ตำบลบางกรวย อำเภอบางกรวย จังหวัดนนทบุรี") == (
        "บางกรวย",
        "บางกรวย",
        "นนทบุรี",
    )


def test_every_format_recognised_from_its_own_columns() -> None:
    for fmt in FORMATS:
        assert detect_format(sorted(fmt.columns)) is fmt
    assert detect_format(["id", "text"]) is None
