"""Dates in the reader's calendar and names in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from pracha.agencies.models import Agency
from pracha.agencies.seed import name_district_offices
from pracha.agencies.services import get_or_create_agency
from pracha.geo.english import district_office_name_en
from pracha.insights.reports import labels
from pracha.web import names


def test_thai_dates_use_the_buddhist_era_and_bangkok_time() -> None:
    # 20:30 UTC on 31 December 2024 is already 1 January 2025 in Bangkok (UTC+7).
    moment = datetime(2024, 12, 31, 20, 30, tzinfo=UTC)
    assert names.format_when(moment, "th") == "1 ม.ค. 2568 03:30 น."
    assert names.format_day(moment, "th") == "1 ม.ค. 2568"


def test_english_dates_use_the_common_era() -> None:
    moment = datetime(2024, 12, 31, 20, 30, tzinfo=UTC)
    assert names.format_when(moment, "en") == "1 Jan 2025, 03:30"
    assert names.format_day(date(2023, 5, 14), "en") == "14 May 2023"


def test_the_active_language_decides() -> None:
    moment = datetime(2023, 5, 14, 1, 0, tzinfo=UTC)
    with translation.override("en"):
        assert names.format_day(moment) == "14 May 2023"
    with translation.override("th"):
        assert names.format_day(moment) == "14 พ.ค. 2566"
    assert names.format_when(None) == ""


def test_state_names_in_both_languages() -> None:
    assert names.state_name("in_progress", "th") == "กำลังดำเนินการ"
    assert names.state_name("in_progress", "en") == "In progress"
    assert names.state_name("nonsense", "en") == "nonsense"
    assert names.state_style("done") == "done"
    assert names.state_style("budget_request") == "open"


def test_district_names_in_english_come_from_the_boundary_file() -> None:
    assert names.district_name("บางพลัด", "en") == "Bang Phlat"
    assert names.district_name("บางพลัด", "th") == "บางพลัด"
    assert names.district_name("ไม่มีเขตนี้", "en") == "ไม่มีเขตนี้"
    assert len(names.district_names()) == 50


def test_one_english_spelling_per_district_everywhere() -> None:
    # The boundary file's romanisation, each word capitalised ("Thon buri" in the file).
    assert names.district_name("ธนบุรี", "en") == "Thon Buri"
    assert names.district_name("จตุจักร", "en") == "Chatu Chak"
    assert labels.district_label("จตุจักร").name_en == "Chatu Chak"  # dashboard, open data
    assert district_office_name_en("เขตจตุจักร") == "Chatu Chak District Office"
    assert district_office_name_en("เมืองเชียงใหม่") == ""  # not a Bangkok district


@pytest.mark.django_db
def test_district_offices_get_their_english_name() -> None:
    created = get_or_create_agency("สำนักงานเขตบางรัก")
    assert created.name_en == "Bang Rak District Office"
    # One imported before English names existed is named at the next migrate (post_migrate),
    # and a name an administrator wrote is kept.
    Agency.objects.filter(pk=created.pk).update(name_en="")
    kept = Agency.objects.create(
        code="khet-dusit",
        name_th="เขตดุสิต",
        kind="district_office",
        district="ดุสิต",
        name_en="Dusit District Office (BMA)",
    )
    name_district_offices()
    assert Agency.objects.get(pk=created.pk).name_en == "Bang Rak District Office"
    assert Agency.objects.get(pk=kept.pk).name_en == "Dusit District Office (BMA)"
    with translation.override("en"):
        assert names.localised(Agency.objects.get(pk=created.pk)) == "Bang Rak District Office"
