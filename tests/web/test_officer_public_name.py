"""An officer chooses the name shown on public timelines on the office settings page (23.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.web.models import OfficerNotification
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
LOGIN = "ux-somchai"


@pytest.fixture
def me(bma: Agency, make_officer: Callable[..., tuple[Officer, str]]) -> Officer:
    officer, _key = make_officer(bma, LOGIN)
    return officer


def save_name(officer: Officer, name: str, **extra: Any) -> Any:
    client = Client()
    client.force_login(officer.user)
    body = {"section": "public_name", "public_name": name, **extra}
    return client.post("/office/settings/", body)


def test_the_settings_page_explains_the_public_name(me: Officer) -> None:
    client = Client()
    client.force_login(me.user)
    text = page_text(client.get("/office/settings/"))
    assert "ชื่อของคุณในลำดับเหตุการณ์สาธารณะ" in text
    assert "ไม่ใช่ชื่อผู้ใช้สำหรับเข้าระบบ" in text


def test_a_name_is_saved_and_shown_again(me: Officer) -> None:
    response = save_name(me, "  คุณสมชาย  ฝ่ายโยธา ")
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.public_name == "คุณสมชาย ฝ่ายโยธา"
    client = Client()
    client.force_login(me.user)
    assert 'value="คุณสมชาย ฝ่ายโยธา"' in client.get("/office/settings/").content.decode()


def test_saving_the_name_leaves_the_email_choice_alone(me: Officer) -> None:
    OfficerNotification.objects.create(officer=me, mode=OfficerNotification.Mode.DAILY)
    me.user.email = "o@example.org"
    me.user.save()
    # E-mail fields sent along (a stale page) are not read by the name form.
    assert save_name(me, "Somchai", mode="off", email="").status_code == 302
    me.user.refresh_from_db()
    assert me.user.email == "o@example.org"
    assert OfficerNotification.objects.get(officer=me).mode == OfficerNotification.Mode.DAILY


def test_an_empty_name_clears_it(me: Officer) -> None:
    Officer.objects.filter(pk=me.pk).update(public_name="Somchai")
    assert save_name(me, "").status_code == 302
    me.refresh_from_db()
    assert me.public_name == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (LOGIN.upper(), "ไม่ใช่ชื่อผู้ใช้สำหรับเข้าระบบ"),
        ("สมชาย โทร 081 234 5678", "ต้องไม่มีเบอร์โทรศัพท์"),
        ("somchai@example.org", "ต้องไม่มีเบอร์โทรศัพท์"),
        ("ก" * 61, "60"),
    ],
)
def test_a_refused_name_is_not_saved(me: Officer, name: str, message: str) -> None:
    Officer.objects.filter(pk=me.pk).update(public_name="Somchai")
    response = save_name(me, name)
    assert response.status_code == 400
    assert message in page_text(response)
    me.refresh_from_db()
    assert me.public_name == "Somchai"


def test_the_email_form_still_saves_without_touching_the_name(me: Officer) -> None:
    Officer.objects.filter(pk=me.pk).update(public_name="Somchai")
    client = Client()
    client.force_login(me.user)
    body = {"mode": "daily", "language": "en", "email": "o@example.org"}
    assert client.post("/office/settings/", body).status_code == 302
    me.refresh_from_db()
    assert me.public_name == "Somchai"
    assert OfficerNotification.objects.get(officer=me).mode == OfficerNotification.Mode.DAILY
