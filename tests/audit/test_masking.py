"""Masking personal data in public text: phones, national IDs (with check digit), e-mails,
plates; hard negatives (dates, prices, ticket ids, house numbers, soi numbers, coordinates)."""

from __future__ import annotations

import json
import string
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pracha.audit.masking import (
    LABELS,
    find_personal_data,
    mask_personal_data,
    thai_id_is_valid,
)
from pracha.audit.masking_evaluation import evaluate, load_examples

EXAMPLES = Path(settings.PRACHA.data_dir) / "privacy" / "masking_examples.jsonl"


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


VALID_ID = with_check_digit("110370234567")


@pytest.mark.parametrize(
    "text",
    [
        "081-234-5678",
        "0812345678",
        "081 234 5678",
        "08-1234-5678",
        "081-2345678",
        "081.234.5678",
        "+66 81 234 5678",
        "+6681-234-5678",
        "(+66) 92 765 4321",
        "66812345670",
        "(081) 234-5678",
        "02-123-4567",
        "02 123 4567",
        "021234567",
        "053-123-456",
        "+66 2 123 4567",
        "๐๘๑-๒๓๔-๕๖๗๘",
    ],
)
def test_phone_numbers_in_every_common_form(text: str) -> None:
    assert mask_personal_data(f"โทร {text} ครับ") == f"โทร {LABELS['phone']} ครับ"
    assert mask_personal_data(f"ติดต่อ{text}") == f"ติดต่อ{LABELS['phone']}"


@pytest.mark.parametrize(
    "form",
    [
        VALID_ID,
        f"{VALID_ID[0]}-{VALID_ID[1:5]}-{VALID_ID[5:10]}-{VALID_ID[10:12]}-{VALID_ID[12]}",
        f"{VALID_ID[0]} {VALID_ID[1:5]} {VALID_ID[5:10]} {VALID_ID[10:12]} {VALID_ID[12]}",
    ],
)
def test_valid_national_ids_are_masked(form: str) -> None:
    assert mask_personal_data(f"เลขบัตร {form}") == f"เลขบัตร {LABELS['national_id']}"


def test_an_id_with_a_wrong_check_digit_is_left_alone() -> None:
    wrong = VALID_ID[:-1] + str((int(VALID_ID[-1]) + 1) % 10)
    assert not thai_id_is_valid(wrong)
    assert mask_personal_data(f"เลขอ้างอิง {wrong}") == f"เลขอ้างอิง {wrong}"


def test_check_digit_rule() -> None:
    assert thai_id_is_valid("1-1037-02345-67-9")
    assert not thai_id_is_valid("0103702345679")  # no ID starts with 0
    assert not thai_id_is_valid("110370234567")  # 12 digits


@pytest.mark.parametrize(
    "email", ["somchai.j@gmail.com", "noi_2530@hotmail.com", "a.b-c@sub.domain.co.th", "X+y@Z.io"]
)
def test_emails(email: str) -> None:
    assert mask_personal_data(f"อีเมล {email} ค่ะ") == f"อีเมล {LABELS['email']} ค่ะ"


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("รถจอดขวาง ทะเบียน กข 1234", "กข 1234"),
        ("รถเก๋ง 1กข 1234 กรุงเทพมหานคร จอดทับทางม้าลาย", "1กข 1234 กรุงเทพมหานคร"),
        ("รถกระบะทะเบียนบน 7781 ชลบุรี ทิ้งขยะ", "บน 7781 ชลบุรี"),
        ("แท็กซี่ ทษ 4455 ปฏิเสธผู้โดยสาร", "ทษ 4455"),
        ("รถเก๋ง2กฮ3344 จอดในที่ห้ามจอด", "2กฮ3344"),
        ("รถบรรทุกทะเบียน 70-1234 ทำดินหล่น", "70-1234"),
        ("ทะเบียน 2กค กรุงเทพมหานคร 6595 ขับย้อนศร", "2กค กรุงเทพมหานคร 6595"),
    ],
)
def test_licence_plates(text: str, plate: str) -> None:
    assert mask_personal_data(text) == text.replace(plate, LABELS["plate"])


@pytest.mark.parametrize(
    "text",
    [
        "เกิดเหตุวันที่ 12/05/2566 เวลา 08.30 น.",
        "น้ำท่วมตั้งแต่ 12-05-2566",
        "แจ้งครั้งแรก 2023-05-12",
        "ช่วงเวลา 09.00-16.00 น.",
        "ค่าปรับ 1,500 บาท และ 1,234,567 บาท",
        "อ้างอิงเรื่องเดิม 2023-7HKLPQ",
        "บ้านเลขที่ 123/45 ซอย 12 ถนนสุขุมวิท",
        "99/123 หมู่ 4",
        "ถนนพระราม 9 ซอยสุขุมวิท 101/1",
        "พิกัด 13.7563, 100.5018",
        "lat 13.0891234567 lon 100.6123456789",
        "รหัสไปรษณีย์ 10110",
        "โทรสายด่วน 1555",
        "รถ 2 คัน คน 5 คน หลุมลึก 30 ซม.",
        "วันที่ 5 มค 2566",
        "ผมถ่ายไว้เมื่อ 6พย2562",
        "รถเมล์สาย ปอ48",
    ],
)
def test_hard_negatives_are_left_alone(text: str) -> None:
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


def test_empty_and_none() -> None:
    assert mask_personal_data("") == ""
    assert mask_personal_data(None) == ""


def test_the_template_filter() -> None:
    rendered = Template("{% load privacy %}{{ text|mask_pii }}").render(
        Context({"text": "<b>โทร 081-234-5678</b>"})
    )
    assert rendered == f"&lt;b&gt;โทร {LABELS['phone']}&lt;/b&gt;"


def test_the_labelled_examples_reach_their_targets() -> None:
    """The shipped test set: few false alarms on hard negatives, most personal data found."""
    examples = load_examples(EXAMPLES)
    score = evaluate(examples)
    negatives = sum(1 for e in examples if not e.spans)
    assert len(examples) >= 200 and negatives >= 100
    assert score.precision() >= 0.97, score.mistakes
    assert score.recall() >= 0.93, score.mistakes
    for kind in LABELS:
        assert score.expected[kind] >= 10, kind


def test_evaluate_masking_command_prints_precision_and_recall() -> None:
    out = StringIO()
    call_command("privacy", "evaluate-masking", stdout=out)
    text = out.getvalue()
    assert "precision" in text and "recall" in text
    total = next(line for line in text.splitlines() if line.startswith("all"))
    precision, recall = (float(x) for x in total.split()[-2:])
    assert precision >= 0.97 and recall >= 0.93


def test_evaluate_masking_refuses_a_bad_file(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "x", "pii": [{"kind": "shoe", "text": "x"}]}) + "\n")
    with pytest.raises(CommandError, match="unknown kind"):
        call_command("privacy", "evaluate-masking", "--file", str(bad))
    with pytest.raises(CommandError, match="no examples file"):
        call_command("privacy", "evaluate-masking", "--file", str(tmp_path / "missing"))


# --- properties ---------------------------------------------------------------------------

THAI_LETTERS = "".join(chr(c) for c in range(0x0E01, 0x0E3B)) + "เแโใไ่้๊๋็์ "
PROSE = st.text(alphabet=THAI_LETTERS + string.ascii_letters + " ,.()", max_size=60)
ANY_TEXT = st.text(max_size=120)


def mobile_numbers() -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        digits = draw(st.sampled_from("689")) + draw(st.text("0123456789", min_size=8, max_size=8))
        sep = draw(st.sampled_from(["-", " ", "", "."]))
        return f"0{digits[:2]}{sep}{digits[2:5]}{sep}{digits[5:]}"

    return build()


def national_ids() -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        first = draw(st.sampled_from("12345678")) + draw(
            st.text("0123456789", min_size=11, max_size=11)
        )
        number = with_check_digit(first)
        sep = draw(st.sampled_from(["", "-", " "]))
        return sep.join([number[0], number[1:5], number[5:10], number[10:12], number[12]])

    return build()


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_masking_is_idempotent_and_total(text: str) -> None:
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
    assert isinstance(once, str)


@hypothesis_settings(max_examples=200, deadline=None)
@given(before=PROSE, number=mobile_numbers(), after=PROSE)
def test_any_mobile_number_in_prose_is_masked(before: str, number: str, after: str) -> None:
    masked = mask_personal_data(f"{before} {number} {after}")
    digits = number.replace("-", "").replace(" ", "").replace(".", "")
    assert digits not in masked.replace("-", "").replace(" ", "").replace(".", "")
    assert LABELS["phone"] in masked


@hypothesis_settings(max_examples=200, deadline=None)
@given(before=PROSE, number=national_ids(), after=PROSE)
def test_any_valid_id_in_prose_is_masked(before: str, number: str, after: str) -> None:
    masked = mask_personal_data(f"{before} {number} {after}")
    assert LABELS["national_id"] in masked
    assert number not in masked


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=PROSE)
def test_prose_without_digits_or_at_signs_is_unchanged(text: str) -> None:
    assert mask_personal_data(text) == text


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.integers(2500, 2600) | st.integers(1990, 2040),
    sep=st.sampled_from(["/", "-", "."]),
    house=st.integers(1, 999),
    sub=st.integers(1, 99),
    price=st.integers(0, 9_999_999),
)
def test_dates_house_numbers_and_prices_are_left_alone(
    day: int, month: int, year: int, sep: str, house: int, sub: int, price: int
) -> None:
    text = f"วันที่ {day:02d}{sep}{month:02d}{sep}{year} บ้านเลขที่ {house}/{sub} ราคา {price:,} บาท"
    assert mask_personal_data(text) == text


HOSTILE_PLATES = "กข 1234 "  # every repeat is a plate candidate (three, with the lookahead)


def lines_run_in_masking(text: str) -> int:
    """How many lines of pracha.audit.masking finding the data in `text` executes: a measure
    of work that does not depend on the machine or its load."""
    import sys

    from pracha.audit import masking

    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == masking.__file__ else None

    previous = sys.gettrace()  # a coverage tracer, if any, gets its place back
    sys.settrace(calls)
    try:
        find_personal_data(text)
    finally:
        sys.settrace(previous)
    return count


def test_masking_work_grows_linearly_with_hostile_text() -> None:
    """Ten times the text is ten times the work, not a hundred (each candidate used to be
    compared with every finding before it)."""
    small = lines_run_in_masking(HOSTILE_PLATES * 250)  # 2,000 characters
    large = lines_run_in_masking(HOSTILE_PLATES * 2_500)  # 20,000 characters
    assert small > 0
    assert large <= 12 * small, (small, large)


def test_a_bus_line_is_seen_however_many_spaces_come_before_the_plate() -> None:
    assert mask_personal_data("รถเมล์สาย ปอ 48 มาช้า") == "รถเมล์สาย ปอ 48 มาช้า"
    spaced = "รถเมล์สาย" + " \t" * 500 + "กข 1234"
    assert mask_personal_data(spaced) == spaced
    assert mask_personal_data("x" * 5000 + " กข 1234") == "x" * 5000 + " " + LABELS["plate"]


@pytest.mark.slow
def test_100000_characters_of_hostile_text_are_masked_like_their_pieces() -> None:
    text = HOSTILE_PLATES * 12_500  # 100,000 characters
    masked = mask_personal_data(text)
    assert masked == (LABELS["plate"] + " ") * 12_500
    piece = HOSTILE_PLATES * 500
    assert masked == "".join(mask_personal_data(piece) for _ in range(25))
