"""pracha.agencies.real: the one rule set for "a real agency" that the picker and the
dashboard share (the picker offers only the real ones; the dashboard hides only scraps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pracha.agencies.models import Agency
from pracha.agencies.real import (
    is_real_agency,
    known_codes,
    looks_like_sentence,
    scrap_agency_codes,
)

pytestmark = pytest.mark.django_db
SENTENCE = "เนื่องจากไม่ใช่พื้นที่รับผิดชอบ"


def test_known_codes_come_from_the_shipped_file_read_once() -> None:
    assert {"bma", "bma-works"} <= known_codes()
    assert known_codes() is known_codes()  # cached, not re-read per call


@pytest.mark.parametrize(
    ("fields", "staffed", "recent", "real"),
    [
        ({"code": "bma"}, False, False, True),  # known by name
        ({"code": "org-a"}, True, False, True),  # someone works there
        ({"code": "org-b"}, False, True, True),  # responsible for a recent case
        ({"code": "org-c", "kind": "district_office", "district": "จตุจักร"}, False, False, True),
        ({"code": "org-d", "kind": "district_office", "district": "นอกเมือง"}, False, False, False),
        ({"code": "org-e"}, False, False, False),  # none of these: not offered
    ],
)
def test_is_real_agency_needs_positive_evidence(
    make_agency: Callable[..., Agency], fields: dict[str, Any], staffed: bool, recent: bool,
    real: bool,
) -> None:  # fmt: skip
    code = fields.pop("code")
    agency = Agency.objects.filter(code=code).first() or make_agency(code, **fields)
    ids = {agency.pk} if recent else set()
    assert is_real_agency(agency, staffed=staffed, recent=ids) is real


def test_scraps_are_unknown_unstaffed_and_named_by_a_sentence(
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., object],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    make_agency("org-scrap", SENTENCE)
    make_officer(make_agency("org-staffed", "เนื่องจากเป็นชื่อจริงของหน่วยงาน"))
    make_agency("org-old", "หน่วยงานเก่าที่ไม่มีใครทำงานแล้ว")  # unstaffed, but a name
    Agency.objects.update_or_create(  # a known code is never a scrap
        code="bma-works", defaults={"name_th": "ขอให้ช่วยดูแลด้วยครับ"}
    )

    with django_assert_num_queries(1):  # agencies and officers in one query
        scraps = scrap_agency_codes()

    assert scraps == {"org-scrap"}


def test_a_sentence_is_no_agency_name() -> None:
    assert looks_like_sentence(SENTENCE) and looks_like_sentence("ไฟดับครับ")
    assert not looks_like_sentence("สำนักงานเขตจตุจักร")
