"""Login throttling for the admin and the officers' back office; CSRF on the login form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, RequestFactory

from pracha.audit.models import AuditEntry

PASSWORD = "correct horse battery staple"


@pytest.fixture
def root(db: None) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


def login(client: Client, password: str, username: str = "root", **extra: Any) -> Any:
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_five_failures_lock_the_username_from_that_address(root: Any) -> None:
    client = Client()
    for _ in range(5):
        assert login(client, "wrong").status_code == 200  # the form, with an error

    locked = login(client, PASSWORD)  # even the right password

    assert locked.status_code == 429
    assert 1 <= int(locked["Retry-After"]) <= 900
    assert "Too many failed logins" in locked.content.decode()
    # From another address the same user can still log in.
    assert login(Client(), PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_authenticate_itself_refuses_during_a_lockout(root: Any) -> None:
    request = RequestFactory().post("/back-office/login")
    for _ in range(5):
        assert authenticate(request, username="root", password="wrong") is None
    assert authenticate(request, username="root", password=PASSWORD) is None
    other = RequestFactory().post("/back-office/login", REMOTE_ADDR="198.51.100.1")
    assert authenticate(other, username="root", password=PASSWORD) == root


def test_a_success_clears_the_count(root: Any) -> None:
    client = Client()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "wrong").status_code == 200
    assert login(client, PASSWORD).status_code == 302


def test_an_address_trying_many_usernames_is_stopped(root: Any, pracha: Any) -> None:
    from pracha.config import Rate

    pracha(login_failures_per_ip=Rate(10, 900))
    client = Client()
    for i in range(10):
        login(client, "wrong", username=f"guess{i}")
    assert login(client, PASSWORD).status_code == 429
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 10


def test_throttling_can_be_switched_off(root: Any, pracha: Any) -> None:
    pracha(login_failures_per_user=None, login_failures_per_ip=None)
    client = Client()
    for _ in range(8):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302


def test_the_admin_login_needs_its_csrf_token(root: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert login(client, PASSWORD).status_code == 403  # no token: refused

    page = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_officers_login_page_is_throttled_too(root: Any, settings: Any) -> None:
    """The back office's login (settings.LOGIN_URL) answers a locked-out user with 429."""
    client = Client()
    url = settings.LOGIN_URL
    for _ in range(5):
        response = client.post(url, {"username": "root", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post(url, {"username": "root", "password": PASSWORD})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in locked.content.decode()
