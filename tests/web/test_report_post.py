"""POST /report/: a report from the web form becomes a ticket; mistakes are explained."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.cases.models import Case, Photo
from pracha.tickets import citizen_token
from pracha.web.session import TOKENS_KEY
from tests.factories import BANGKOK
from tests.helpers import english, page_text, photo

pytestmark = pytest.mark.django_db


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "description": "หลุมบ่อใหญ่หน้าปากซอย รถล้มบ่อย",
        "lat": str(BANGKOK["lat"]),
        "lon": str(BANGKOK["lon"]),
        "category": "",
        "address": "",
        "name": "",
        "phone": "",
        "email": "",
        "form_token": "tok-1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_in_thai_with_a_map_and_photo_input() -> None:
    response = Client().get("/report/")
    assert response.status_code == 200
    text = page_text(response)
    assert "แจ้งปัญหา" in text
    html = response.content.decode()
    assert 'data-map="picker"' in html
    assert 'type="file"' in html and 'accept="image/*"' in html
    assert 'name="form_token"' in html


def test_a_report_with_a_photo_lands_on_its_ticket_page() -> None:
    client = Client()
    response = client.post("/report/", {**form(email="me@example.org"), "photos": photo()})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{case.ticket_id}/"
    assert case.source == Case.Source.WEB
    assert case.lat == pytest.approx(BANGKOK["lat"])
    assert case.photos.filter(kind=Photo.Kind.BEFORE).count() == 1
    assert case.reporter.email == "me@example.org"
    # The browser is remembered as the reporter (to rate and reopen later).
    assert client.session[TOKENS_KEY][case.ticket_id] == citizen_token(case.ticket_id)
    page = client.get(response["Location"])
    assert case.ticket_id in page_text(page)
    assert "me@example.org" not in page.content.decode()


def test_an_english_reader_files_an_english_case() -> None:
    client = english(Client())
    client.post("/report/", form(category="road"))
    case = Case.objects.get()
    assert case.language == "en"
    assert list(case.categories.values_list("code", flat=True)) == ["road"]


def test_sending_the_same_form_twice_makes_one_ticket() -> None:
    client = Client()
    first = client.post("/report/", form())
    second = client.post("/report/", form())
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]
    # Back, change the text, send again: that is another report.
    client.post("/report/", form(description="อีกเรื่อง ไฟดับ"))
    assert Case.objects.count() == 2


def test_empty_description_and_no_pin_are_explained_and_the_text_kept() -> None:
    response = Client().post(
        "/report/", form(description="   ", lat="", lon="", address="ตลาดนัดจตุจักร")
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "กรุณาบอกว่าปัญหาคืออะไร" in text
    assert "กรุณาปักหมุดบนแผนที่" in text
    assert 'value="ตลาดนัดจตุจักร"' in response.content.decode()
    assert Case.objects.count() == 0


def test_a_pin_outside_thailand_is_refused() -> None:
    response = english(Client()).post("/report/", form(lat="48.85", lon="2.35"))
    assert response.status_code == 400
    assert "outside Thailand" in page_text(response)
    assert Case.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused_with_the_text_kept() -> None:
    bad = photo("notes.pdf", b"%PDF-1.4 not an image", "application/pdf")
    response = english(Client()).post("/report/", {**form(), "photos": bad})
    assert response.status_code == 400
    text = page_text(response)
    assert "notes.pdf is not a photo" in text
    assert "choose the photos again" in text
    assert "หลุมบ่อใหญ่หน้าปากซอย รถล้มบ่อย" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_photo_that_is_too_large_is_refused(pracha: Callable[..., None]) -> None:
    pracha(max_photo_bytes=50)
    response = english(Client()).post("/report/", {**form(), "photos": photo()})
    assert response.status_code == 400
    assert "is too large" in page_text(response)
    assert Case.objects.count() == 0


def test_more_than_three_photos_are_refused() -> None:
    photos = [photo(f"p{i}.png") for i in range(4)]
    response = english(Client()).post("/report/", {**form(), "photos": photos})
    assert response.status_code == 400
    assert "at most 3 photos" in page_text(response)


def test_a_wrong_email_address_is_explained() -> None:
    response = english(Client()).post("/report/", form(email="not-an-address"))
    assert response.status_code == 400
    assert "This is not an e-mail address" in page_text(response)


def test_an_expired_form_is_shown_again_filled_in() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/report/", form(description="ทางเท้าพังหน้าบ้านเลขที่ 5"))
    assert response.status_code == 403
    text = page_text(response)
    assert "หน้านี้เปิดไว้นานเกินไป" in text
    assert "ทางเท้าพังหน้าบ้านเลขที่ 5" in response.content.decode()
    assert Case.objects.count() == 0
    # The page carries a fresh token: sending it again works.
    token = client.cookies["csrftoken"].value
    again = client.post("/report/", {**form(), "csrfmiddlewaretoken": token})
    assert again.status_code == 302


def test_other_forms_that_expire_explain_and_lead_back(make_case: Callable[..., Case]) -> None:
    case = make_case()
    client = english(Client(enforce_csrf_checks=True))
    response = client.post(f"/t/{case.ticket_id}/me-too/", HTTP_REFERER="http://testserver/x/")
    assert response.status_code == 403
    assert "This page was open too long" in page_text(response)
    assert 'href="http://testserver/x/"' in response.content.decode()


def test_photos_over_the_request_limit_get_a_page_not_json(
    pracha: Callable[..., None],
) -> None:
    pracha(max_photo_bytes=10)
    body = b"x" * (300 * 1024)
    response = english(Client()).generic(
        "POST",
        "/report/",
        body,
        content_type="multipart/form-data; boundary=x",
        HTTP_ACCEPT="text/html,application/xhtml+xml",
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "The photos are too large" in page_text(response)


def test_too_many_reports_from_one_address_keep_the_text(pracha: Callable[..., None]) -> None:
    from django.core.cache import cache

    from pracha.config import Rate

    cache.clear()
    pracha(rate_reports_per_ip=Rate(1, 600))
    client = english(Client())
    assert client.post("/report/", form(form_token="a")).status_code == 302
    refused = client.post("/report/", form(form_token="b", description="ไฟดับอีกซอย"))
    assert refused.status_code == 429
    assert "Too many reports" in page_text(refused)
    assert "ไฟดับอีกซอย" in refused.content.decode()
    assert Case.objects.count() == 1


def test_suggestions_point_to_a_similar_report_nearby(make_case: Callable[..., Case]) -> None:
    earlier = make_case("ไฟถนนดับทั้งซอย มืดมาก อันตราย")
    response = Client().post(
        "/report/suggest/",
        {
            "description": "ไฟถนนดับทั้งซอย มืดมาก",
            "lat": str(BANGKOK["lat"]),
            "lon": str(BANGKOK["lon"]),
        },
    )
    assert response.status_code == 200
    assert f'href="/t/{earlier.ticket_id}/"' in response.content.decode()
    assert "ฉันก็เจอ" in page_text(response)


def test_suggestions_without_a_pin_are_empty(db: None) -> None:
    response = Client().post("/report/suggest/", {"description": "ถนนพัง", "lat": "x"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert Client().get("/report/suggest/").status_code == 405


def private_link_of(html: str) -> str:
    found = re.search(r'id="private-link"[^>]*value="([^"]+)"', html)
    assert found, "no private link on the page"
    return found.group(1).replace("&amp;", "&")


def test_after_sending_the_page_shows_the_number_and_the_private_link() -> None:
    client = Client()
    response = client.post("/report/", form(email="somsri@example.org"), follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert 'data-testid="submitted"' in html
    assert f'value="{case.ticket_id}"' in html  # the number, selectable and copyable
    link = private_link_of(html)
    assert link == f"http://testserver/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}"
    assert "เก็บลิงก์นี้ไว้เป็นความลับ" in page_text(response)
    # Where the link was e-mailed, masked: enough to recognise, not to harvest.
    assert "s***@example.org" in page_text(response)
    assert "somsri@example.org" not in html
    assert 'data-copy="private-link"' in html and "web/copy.js" in html
    # Shown once; the private link stays in the reporter's own box afterwards.
    again = client.get(f"/t/{case.ticket_id}/").content.decode()
    assert 'data-testid="submitted"' not in again
    assert 'data-testid="private-link-box"' in again and private_link_of(again) == link


def test_without_an_address_the_page_says_the_link_is_shown_only_here() -> None:
    client = english(Client())
    response = client.post("/report/", form(phone="0812345678"), follow=True)
    text = page_text(response)
    assert "You left no e-mail address" in text
    assert "e-mailing" not in text


def test_an_address_that_opted_out_is_not_promised_an_e_mail() -> None:
    from pracha.web.models import EmailOptOut
    from pracha.web.notify import address_hash

    EmailOptOut.objects.create(address_hash=address_hash("somsri@example.org"))
    response = Client().post("/report/", form(email="somsri@example.org"), follow=True)
    assert 'data-testid="not-emailed"' in response.content.decode()


def test_the_private_link_works_in_a_fresh_browser_and_others_see_no_link() -> None:
    Client().post("/report/", form(email="somsri@example.org"))
    case = Case.objects.get()
    stranger = Client().get(f"/t/{case.ticket_id}/").content.decode()
    assert 'id="private-link"' not in stranger and "?k=" not in stranger
    fresh = Client()
    response = fresh.get(f"/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}")
    assert response.status_code == 302 and response["Location"] == f"/t/{case.ticket_id}/"
    assert fresh.session[TOKENS_KEY][case.ticket_id] == citizen_token(case.ticket_id)
