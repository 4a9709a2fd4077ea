"""Place-name normalisation: every spelling of a district compares equal after it."""

from __future__ import annotations

import pytest

from pracha.thaitext import (
    normalise_district,
    normalise_province,
    normalise_subdistrict,
    normalise_thai,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("เขตราษฏร์บูรณะ", "ราษฎร์บูรณะ"),  # ฏ typed for ฎ (the Bangkok file's spelling)
        ("ราษฎร์บูรณะ", "ราษฎร์บูรณะ"),
        ("เขต ราษฏร์บูรณะ", "ราษฎร์บูรณะ"),
        ("เขตป้อมปราบ", "ป้อมปราบศัตรูพ่าย"),
        ("ป้อมปราบ ศัตรูพ่าย", "ป้อมปราบศัตรูพ่าย"),
        ("ป้อมปราบศัตรูพ่า", "ป้อมปราบศัตรูพ่าย"),  # truncated in the national file
        ("สัมพัธวงศ์", "สัมพันธวงศ์"),
        ("อำเภอเมือง สมุทรปราการ", "เมืองสมุทรปราการ"),
        ("อ.บางบัวทอง", "บางบัวทอง"),
        ("  เขตบางพลัด\u200b ", "บางพลัด"),
        ("Khet Bang Rak", "BangRak"),
        ("", ""),
    ],
)
def test_normalise_district(raw: str, expected: str) -> None:
    assert normalise_district(raw) == expected


def test_the_fix_applies_inside_a_name_too() -> None:
    assert normalise_province("จังหวัดสุราษฏร์ธานี") == "สุราษฎร์ธานี"


@pytest.mark.parametrize("raw", ["กรุงเทพฯ", "กทม.", "Bangkok", "จังหวัดกรุงเทพมหานคร", "กรุงเทพ"])
def test_bangkok_has_one_name(raw: str) -> None:
    assert normalise_province(raw) == "กรุงเทพมหานคร"


def test_subdistricts_lose_their_prefix_but_keep_their_name() -> None:
    assert normalise_subdistrict("แขวง คลองเตยเหนือ") == "คลองเตยเหนือ"
    assert normalise_subdistrict("ต.บางพูด") == "บางพูด"
    assert normalise_subdistrict("ป้อมปราบ") == "ป้อมปราบ"  # a sub-district, not the district


def test_normalise_thai_folds_space_and_zero_width() -> None:
    assert normalise_thai(" ไฟ\u200bดับ \n ทั้งซอย ") == "ไฟดับ ทั้งซอย"
