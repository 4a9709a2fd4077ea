"""The forward/invite agency picker: each real agency once, grouped, filterable (issue 23.9c)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import get_or_create_agency
from pracha.cases.models import Case
from pracha.web.agency_picker import agency_groups, picker_agencies
from tests.helpers import english

pytestmark = pytest.mark.django_db
SignIn = Callable[..., tuple[Client, Officer]]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the "recently responsible" set is cached


def codes(agencies: list[Agency]) -> set[str]:
    return {a.code for a in agencies}


def test_district_office_spellings_collapse_to_one_per_district(
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    short = get_or_create_agency("เขตจตุจักร")
    long = get_or_create_agency("สำนักงานเขตจตุจักร")
    assert short.district == long.district == "จตุจักร"
    assert short.code in codes(picker_agencies()) and long.code not in codes(picker_agencies())
    make_officer(long)  # someone works at the longer-named one: that one is the office
    shown = codes(picker_agencies())
    assert long.code in shown and short.code not in shown


def test_only_real_agencies_are_offered(
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    make_case: Callable[..., Case],
) -> None:
    stale = get_or_create_agency("ฝ่ายเทศกิจ เขตดินแดง")  # a unit from an old import
    busy = get_or_create_agency("ฝ่ายโยธา เขตดินแดง")
    staffed = make_agency("staffed-unit", "หน่วยที่มีเจ้าหน้าที่")
    make_officer(staffed)
    closed_down = make_agency("closed-down", "หน่วยที่ยุบแล้ว", is_active=False)
    make_officer(closed_down)
    recent, old = make_case("ถนนพัง"), make_case("ไฟดับ")
    Case.objects.filter(pk=recent.pk).update(agency=busy)
    Case.objects.filter(pk=old.pk).update(
        agency=stale, created_at=timezone.now() - timedelta(days=400)
    )
    shown = codes(picker_agencies())
    assert {"bma", "bma-works", "mea", busy.code, staffed.code} <= shown
    assert stale.code not in shown and closed_down.code not in shown
    # The case's own agency is not offered, and a chosen agency is kept.
    assert "bma" not in codes(picker_agencies(exclude=Agency.objects.get(code="bma")))
    assert stale.code in codes(picker_agencies(keep={stale.code}))


def test_groups_in_the_readers_language() -> None:
    get_or_create_agency("เขตบางรัก")
    with translation.override("en"):
        groups = {g.key: g for g in agency_groups()}
    assert list(groups) == ["district", "city", "other"]
    district = groups["district"].choices
    assert [(c.label, c.other) for c in district] == [("Bang Rak District Office", "เขตบางรัก")]
    assert "Public Works Department (BMA)" in [c.label for c in groups["city"].choices]
    assert "Metropolitan Electricity Authority" in [c.label for c in groups["other"].choices]


def test_the_case_page_offers_a_grouped_filterable_picker(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    get_or_create_agency("เขตจตุจักร")
    case = make_case()
    client, _ = officer_client(case.agency)
    html = english(client).get(f"/office/case/{case.ticket_id}/").content.decode()
    assert '<select id="forward-agency" name="agency" data-agency-picker' in html
    assert '<select id="invite-agency" name="agency" data-agency-picker' in html
    assert 'data-filter-label="Find an agency (Thai or English name)"' in html
    assert '<optgroup label="District offices">' in html
    assert html.count('data-other="เขตจตุจักร">Chatu Chak District Office</option>') == 2
    assert "/static/web/agency-picker.js" in html
    inbox = client.get("/office/").content.decode()
    assert '<select id="bulk-agency" name="agency" data-agency-picker' in inbox
