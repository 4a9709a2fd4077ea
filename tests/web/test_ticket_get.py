"""GET /t/<ticket_id>/: the public ticket page; reporter contact never appears."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_comment
from pracha.tickets import citizen_token
from pracha.web.session import TOKENS_KEY
from tests.helpers import english, page_text

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_case_state_agency_and_timeline(make_case: Callable[..., Case]) -> None:
    case = make_case("ทางเท้าแตกเป็นหลุม คนเดินสะดุดล้ม")
    response = Client().get(f"/t/{case.ticket_id}/")
    assert response.status_code == 200
    text = page_text(response)
    assert case.ticket_id in text
    assert "ทางเท้าแตกเป็นหลุม คนเดินสะดุดล้ม" in text
    assert "รอรับเรื่อง" in text  # the state, in Thai
    assert case.agency.name_th in text
    assert "แจ้งเรื่อง" in text  # the first timeline event
    assert 'data-map="pins"' in response.content.decode()


def test_reporter_contact_never_appears(make_case: Callable[..., Case]) -> None:
    case = make_case(email="somsri@example.org", name="สมศรี ใจดี", phone="081-234-5678")
    html = Client().get(f"/t/{case.ticket_id}/").content.decode()
    for private in ("somsri@example.org", "สมศรี ใจดี", "081-234-5678"):
        assert private not in html


def test_staff_only_comments_stay_off_the_public_page(
    make_case: Callable[..., Case], make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    case = make_case()
    officer, _ = make_officer(case.agency)
    do_comment(case, officer, "โทรหาผู้แจ้งแล้ว ไม่รับสาย", public=False)
    do_comment(case, officer, "จะส่งทีมไปตรวจสอบพรุ่งนี้", public=True)
    text = page_text(Client().get(f"/t/{case.ticket_id}/"))
    assert "จะส่งทีมไปตรวจสอบพรุ่งนี้" in text
    assert "โทรหาผู้แจ้งแล้ว" not in text


def test_phone_numbers_written_in_the_description_are_masked(
    make_case: Callable[..., Case],
) -> None:
    case = make_case("ไฟดับ ติดต่อ 0812345678 ได้ตลอด")
    text = page_text(Client().get(f"/t/{case.ticket_id}/"))
    assert "0812345678" not in text


def test_an_unknown_ticket_is_a_friendly_404() -> None:
    response = Client().get("/t/2025-NOPE99/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่คุณต้องการ" in page_text(response)


def test_a_lower_case_ticket_id_redirects_to_the_real_one(make_case: Callable[..., Case]) -> None:
    case = make_case()
    response = Client().get(f"/t/{case.ticket_id.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{case.ticket_id}/"


def test_the_private_link_from_the_e_mail_remembers_the_reporter(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    client = Client()
    response = client.get(f"/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{case.ticket_id}/"  # the key leaves the address bar
    assert case.ticket_id in client.session[TOKENS_KEY]
    wrong = Client()
    assert wrong.get(f"/t/{case.ticket_id}/?k=guess").status_code == 200
    assert TOKENS_KEY not in wrong.session


def test_dates_are_buddhist_era_in_thai_and_common_era_in_english(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    year = case.created_at.year  # created now; Bangkok's year can differ only at New Year
    thai = page_text(Client().get(f"/t/{case.ticket_id}/"))
    assert str(year + 543) in thai or str(year + 544) in thai
    en = page_text(english(Client()).get(f"/t/{case.ticket_id}/"))
    assert "Waiting" in en
    assert str(year + 543) not in en and str(year + 544) not in en


def test_agency_names_follow_the_language(make_case: Callable[..., Case]) -> None:
    case = make_case()
    Agency.objects.filter(pk=case.agency_id).update(name_en="Test Agency In English")
    assert "Test Agency In English" in page_text(english(Client()).get(f"/t/{case.ticket_id}/"))
