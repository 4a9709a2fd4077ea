"""Properties of the text every report passes through: clean_text and Thai normalisation."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pracha.cases.errors import InvalidInput
from pracha.cases.services.text import clean_text
from pracha.thaitext import normalise_district, normalise_thai

THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
TEXT = st.text(
    alphabet=st.sampled_from(THAI + string.ascii_letters + string.digits + " \t\n\r.,/-")
    | st.sampled_from(ZERO_WIDTH)
    | st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=200,
)
LIMIT = 150


def clean(text: str) -> str:
    return clean_text(text, field="description", max_chars=LIMIT)


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_clean_text_gives_normal_text_or_a_readable_refusal(text: str) -> None:
    try:
        out = clean(text)
    except InvalidInput as exc:
        assert exc.field == "description"
        assert f"limit is {LIMIT}" in exc.message
        return
    assert len(out) <= LIMIT
    assert unicodedata.is_normalized("NFC", out)
    assert not any(ch in out for ch in ZERO_WIDTH + "\x00\r")
    assert out == out.strip()
    for line in out.split("\n"):
        assert "  " not in line and "\t" not in line
    assert clean(out) == out  # idempotent: storing and re-checking changes nothing


@hypothesis_settings(max_examples=100, deadline=None)
@given(before=TEXT, after=TEXT)
def test_a_nul_byte_anywhere_is_refused(before: str, after: str) -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        clean_text(before + "\x00" + after, field="note", max_chars=10_000)


@hypothesis_settings(max_examples=100, deadline=None)
@given(before=TEXT, surrogate=st.integers(0xD800, 0xDFFF))
def test_lone_surrogates_are_refused(before: str, surrogate: int) -> None:
    with pytest.raises(InvalidInput, match="not valid Unicode"):
        clean_text(before + chr(surrogate), field="note", max_chars=10_000)


@hypothesis_settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=" \t\n\r\u00a0\u3000" + ZERO_WIDTH, min_size=1, max_size=40))
def test_required_text_that_is_only_blank_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="must not be empty"):
        clean_text(text, field="description", max_chars=100, required=True)


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_normalise_thai_is_idempotent_and_clean(text: str) -> None:
    out = normalise_thai(text)
    assert normalise_thai(out) == out
    assert unicodedata.is_normalized("NFC", out)
    assert not any(ch in out for ch in ZERO_WIDTH)
    assert "  " not in out and out == out.strip()


def test_decomposed_and_composed_thai_agree() -> None:
    # SARA AM written as NIKHAHIT + SARA AA is a compatibility form; NFC keeps both forms
    # stable, and equal input always gives equal output.
    composed = "น้ำท่วม"
    assert normalise_thai(unicodedata.normalize("NFD", composed)) == normalise_thai(composed)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    name=st.text(alphabet=THAI.replace(" ", ""), min_size=1, max_size=20),
    prefix=st.sampled_from(["", "เขต", "เขต ", "เขต  "]),
    spaces=st.sampled_from(["", " ", "\u200b", " \t"]),
)
def test_district_names_ignore_prefix_spacing_and_zero_width(
    name: str, prefix: str, spaces: str
) -> None:
    assume(not name.startswith(("เขต", "แขวง", "อำเภอ", "ตำบล", "จังหวัด", "อ.", "ต.", "จ.")))
    plain = normalise_district(name)
    assert normalise_district(f"{spaces}{prefix}{name}{spaces}") == plain
    assert " " not in plain
    assert not any(ch in plain for ch in ZERO_WIDTH)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet=THAI.replace("๐๑๒๓๔๕๖๗๘๙", ""), max_size=30),
    digits=st.text("0123456789", min_size=8, max_size=8),
    between=st.sampled_from(["", " ", "  ", "\u00a0", "\u3000", " \t", *ZERO_WIDTH]),
    thai_digits=st.booleans(),
)
def test_a_phone_is_masked_as_well_before_as_after_clean_text(
    before: str, digits: str, between: str, thai_digits: bool
) -> None:
    """Intake cleans text before storing it, imports may not: the masking must hide a phone
    number whichever way it was stored (spaces collapsed, zero-width marks dropped or not)."""
    from pracha.masking.personal_data import LABELS, mask_personal_data

    number = between.join("08" + digits)
    if thai_digits:
        number = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    text = f"{before} โทร {number} ครับ"
    for stored in (text, clean(text)):
        masked = mask_personal_data(stored)
        assert LABELS["phone"] in masked
        assert not any(ch.isdecimal() for ch in masked)
