"""Who held a case: the forwarding notes of a Traffy export read as (from, to) agency pairs."""

from __future__ import annotations

from pracha.importer.holders import forwards_in


def test_forwards_in_notes() -> None:
    assert forwards_in("เขตสวนหลวง ส่งต่อไปยัง สำนักการโยธา กทม.") == [
        ("เขตสวนหลวง", "สำนักการโยธา กทม.")
    ]
    note = "เขตสัมพันธวงศ์ ส่งต่อไปยัง สน.จักรวรรดิ\nเนื่องจาก ส่งต่อไปยังหน่วยงานที่เกี่ยวข้อง"
    assert forwards_in(note) == [("เขตสัมพันธวงศ์", "สน.จักรวรรดิ")]
    assert forwards_in("ก ส่งต่อไปยัง ข ส่งต่อไปยัง ค") == [("ก", "ข"), ("ข", "ค")]
    assert forwards_in("ทางแขวงฯส่งต่อผิดเรื่องค่ะ") == []
