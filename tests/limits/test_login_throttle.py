"""Login throttling for the admin and the officers' back office; CSRF on the login form.

Nobody can lock an officer out: a username is slowed down (a doubling wait), an address is
stopped only after many failures, and a device the officer signed in from before skips both.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.core.cache import cache
from django.test import Client, RequestFactory

from pracha.audit.models import AuditEntry
from pracha.config import Rate
from pracha.limits.login_throttle import DEVICE_COOKIE, _user_keys, wait_after
from tests.factories import PASSWORD

OFFICE = "203.0.113.7"  # the officer's carrier address, shared with thousands of phones


@pytest.fixture
def root(db: None) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


def login(client: Client, password: str, username: str = "root", **extra: Any) -> Any:
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def known_device(address: str = OFFICE) -> Client:
    """A browser the officer has signed in from before (it keeps the device cookie)."""
    client = Client(REMOTE_ADDR=address)
    assert login(client, PASSWORD).status_code == 302
    cookie = client.cookies[DEVICE_COOKIE].value
    client.logout()  # signs out and forgets every cookie, as a test client does...
    client.cookies[DEVICE_COOKIE] = cookie  # ...but a browser keeps this one
    return client


def test_five_failures_slow_the_username_down(root: Any) -> None:
    client = Client()
    for _ in range(5):
        assert login(client, "wrong").status_code == 200  # the form, with an error

    refused = login(client, PASSWORD)  # even the right password waits

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 30
    assert "Too many failed logins. Try again in 30 seconds." in refused.content.decode()
    assert "โปรดลองใหม่ในอีก 30 วินาที" in refused.content.decode()
    # Per username, not per address: guessing from many addresses is slowed down too.
    assert login(Client(REMOTE_ADDR="198.51.100.1"), PASSWORD).status_code == 429
    entry = AuditEntry.objects.filter(action="auth.login_throttled").first()
    assert entry is not None and entry.object_id == "root"
    assert entry.detail == {"limit": "username", "retry_after": 30}


def test_an_attacker_at_the_officers_address_cannot_keep_the_officer_out(root: Any) -> None:
    device = known_device()
    attacker = Client(REMOTE_ADDR=OFFICE)
    answers = [login(attacker, f"guess{i}").status_code for i in range(40)]

    assert answers[:5] == [200] * 5  # five guesses, then the attacker waits
    assert set(answers[5:]) == {429}
    assert 1 <= int(login(attacker, "guess")["Retry-After"]) <= 30
    # Refused attempts try no password, so they neither lengthen the wait nor count.
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
    assert AuditEntry.objects.filter(action="auth.login_throttled").count() == 36
    # The officer, at the same address, on the phone they signed in from before, gets in.
    assert login(device, PASSWORD).status_code == 302


def test_the_wait_doubles_up_to_the_period(root: Any) -> None:
    rate = Rate(5, 900)
    assert [wait_after(n, rate) for n in range(1, 12)] == [
        0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900,
    ]  # fmt: skip
    client = Client()
    for _ in range(5):
        login(client, "wrong")
    assert login(client, "wrong")["Retry-After"] == "30"
    cache.delete(_user_keys("root")[1])  # as if the 30 seconds had passed
    assert login(client, "wrong").status_code == 200  # one more try...
    assert login(client, "wrong")["Retry-After"] == "60"  # ...then a longer wait


class Clock:
    """time.time() under the test's control, for the login code and the in-memory cache."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: Any, settings: Any) -> Clock:
    # The in-memory cache expires keys by time.time(); the database cache by the database.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}
    }
    cache.clear()  # in-memory caches of one LOCATION are shared by every test in the process
    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def guess_at_every_opening(client: Client, clock: Clock, hours: float) -> list[int]:
    """A patient guesser: one wrong password each time the wait ends, for `hours`."""
    answers, end = [], clock.now + hours * 3600
    while clock.now < end:
        answer = login(client, "wrong")
        answers.append(answer.status_code)
        clock.now += int(answer["Retry-After"]) if answer.status_code == 429 else 1
    return answers


def test_a_patient_guesser_stays_at_the_longest_wait(root: Any, clock: Clock) -> None:
    """The count outlives the longest wait: it does not hand the free attempts back."""
    guesses = guess_at_every_opening(Client(), clock, hours=6).count(200)

    # 5 free, then 30 s ... 480 s, then one per 15 minutes: about 32 in 6 hours, not 120.
    assert 30 <= guesses <= 34
    assert login(Client(), "wrong").status_code == 200  # the wait has just ended...
    assert login(Client(), "wrong")["Retry-After"] == "900"  # ...and the next is still at the cap


def test_the_count_is_forgotten_a_day_after_the_last_attempt(root: Any, clock: Clock) -> None:
    client = Client()
    assert [login(client, "wrong").status_code for _ in range(6)] == [200] * 5 + [429]
    clock.now += 3600  # an hour later the count still holds: one try, then a longer wait
    assert login(client, "wrong").status_code == 200
    assert login(client, "wrong")["Retry-After"] == "60"

    clock.now += 86400 + 1
    assert [login(client, "wrong").status_code for _ in range(6)] == [200] * 5 + [429]


def test_a_success_resets_a_count_at_the_cap(root: Any, clock: Clock) -> None:
    guess_at_every_opening(Client(), clock, hours=2)
    clock.now += 900
    officer = Client()
    assert login(officer, PASSWORD).status_code == 302
    officer.logout()
    assert [login(officer, "wrong").status_code for _ in range(5)] == [200] * 5


def test_authenticate_itself_refuses_during_a_wait(root: Any) -> None:
    device = known_device()
    request = RequestFactory().post("/back-office/login", REMOTE_ADDR=OFFICE)
    for _ in range(5):
        assert authenticate(request, username="root", password="wrong") is None
    assert authenticate(request, username="root", password=PASSWORD) is None

    trusted = RequestFactory().post("/back-office/login", REMOTE_ADDR=OFFICE)
    trusted.COOKIES[DEVICE_COOKIE] = device.cookies[DEVICE_COOKIE].value
    assert authenticate(trusted, username="root", password=PASSWORD) == root


def test_a_device_is_known_only_for_whoever_signed_in_on_it(root: Any) -> None:
    get_user_model().objects.create_user("somchai", password=PASSWORD)
    device = known_device()  # root signed in here, somchai never did
    for _ in range(5):
        login(Client(), "wrong", username="somchai")
    assert login(device, PASSWORD, username="somchai").status_code == 429


def test_a_forged_device_cookie_counts_as_none(root: Any) -> None:
    for _ in range(5):
        login(Client(), "wrong")
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = signing.dumps({"d": "x", "u": ["root"]}, salt="guess")
    assert login(forged, PASSWORD).status_code == 429


def test_a_stolen_device_cookie_buys_only_a_few_more_guesses(root: Any) -> None:
    thief = known_device()
    answers = [login(thief, "wrong").status_code for _ in range(12)]
    # Five as the known device, then five like any other device, then the wait.
    assert answers == [200] * 10 + [429] * 2


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
    pracha(login_failures_per_ip=Rate(10, 900))
    device = known_device()
    client = Client(REMOTE_ADDR=OFFICE)
    for i in range(10):
        assert login(client, "wrong", username=f"guess{i}").status_code == 200
    refused = login(client, PASSWORD)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 900
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 10
    assert AuditEntry.objects.get(action="auth.login_throttled").detail["limit"] == "address"
    # Another address is not affected, nor the officer's known device at this one.
    assert login(Client(REMOTE_ADDR="198.51.100.1"), "wrong", username="guess0").status_code == 200
    assert login(device, PASSWORD).status_code == 302


def test_the_default_address_limit_needs_many_failures(root: Any) -> None:
    client = Client(REMOTE_ADDR=OFFICE)
    for i in range(30):  # PRACHA_LOGIN_FAILURES_PER_IP=30/15m: 30 usernames, one try each
        assert login(client, "wrong", username=f"guess{i}").status_code == 200
    assert login(client, "wrong", username="guess30").status_code == 429


def test_the_settings_keep_their_names(monkeypatch: Any) -> None:
    from pracha.config import Config

    monkeypatch.setenv("PRACHA_LOGIN_FAILURES", "3/1m")
    monkeypatch.setenv("PRACHA_LOGIN_FAILURES_PER_IP", "off")
    config = Config.from_env()
    assert config.login_failures_per_user == Rate(3, 60)
    assert config.login_failures_per_ip is None


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
    refused = client.post(url, {"username": "root", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in refused.content.decode()
