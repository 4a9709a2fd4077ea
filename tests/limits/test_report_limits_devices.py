"""Report limits behind carrier-grade NAT: per device or citizen, a strict bucket for requests
without a device id, a high ceiling per address, per API key, and `off` for operators."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from pracha.agencies.services import create_api_key
from pracha.cases.models import Case
from pracha.config import Config
from pracha.limits.device import COOKIE, HEADER, device_id, new_device_token
from pracha.limits.ratelimit import rate_limited
from tests.factories import BANGKOK
from tests.helpers import auth, page_text

URL = "/api/v1/cases"
BODY = {"description": "น้ำท่วมซอย", **BANGKOK}
# Every test client comes from the same address, as phones behind one carrier NAT do.
NAT = "203.0.113.77"


AGED = 3600  # seconds: an id issued an hour ago is a device of its own


def device_client(age: int = AGED) -> Client:
    client = Client(REMOTE_ADDR=NAT)
    client.cookies[COOKIE] = new_device_token(issued_at=time.time() - age)
    return client


def young_ids_count_as_devices(settings: Any) -> None:
    """For tests of issuing itself: a fresh id is a device of its own at once."""
    settings.PRACHA = dataclasses.replace(settings.PRACHA, device_min_age_seconds=0)


def post(client: Client, **extra: Any) -> Any:
    return client.post(URL, BODY, content_type="application/json", **extra)


def test_a_hundred_devices_behind_one_address_all_get_through(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), reports_per_device=(3, 600), reports_no_device=(5, 600))
    phones = [device_client() for _ in range(100)]

    statuses = {post(phone).status_code for phone in phones for _ in range(3)}

    assert statuses == {201}
    assert Case.objects.count() == 300


def test_one_device_hammering_is_stopped_with_retry_after(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), reports_per_device=(3, 600))
    spammer = device_client()
    assert [post(spammer).status_code for _ in range(3)] == [201, 201, 201]

    refused = post(spammer)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert refused.json()["code"] == "rate_limited"
    assert "from this device: at most 3 reports per 10 minutes" in refused.json()["detail"]
    # The neighbour behind the same address is not affected, and the refusals did not
    # use up the address's ceiling.
    assert post(device_client()).status_code == 201


def test_dropping_the_cookie_lands_in_the_strict_shared_bucket(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), reports_per_device=(3, 600), reports_no_device=(4, 600))
    # A fresh client each time: the device id issued on each answer is thrown away.
    statuses = [post(Client(REMOTE_ADDR=NAT)).status_code for _ in range(6)]

    assert statuses == [201, 201, 201, 201, 429, 429]
    refused = post(Client(REMOTE_ADDR=NAT))
    assert "without a device id" in refused.json()["detail"]
    assert refused["Retry-After"]
    assert Case.objects.count() == 4


def test_minting_a_new_device_for_every_report_hits_the_address_ceiling(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(5, 600), reports_per_device=(3, 600))
    statuses = [post(device_client()).status_code for _ in range(7)]

    assert statuses == [201] * 5 + [429, 429]
    assert "from your address" in post(device_client()).json()["detail"]


def test_a_forged_or_altered_device_id_counts_as_none(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), reports_per_device=(50, 600), reports_no_device=(2, 600))
    genuine = new_device_token()
    forgeries = [
        "made-up-device",
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),  # altered signature
        signing.Signer(key="not-our-secret-key-" + "x" * 40, salt="pracha.limits.device").sign(
            "someone"
        ),
        "evil:" + genuine.split(":", 1)[1],  # another id with a copied signature
    ]
    statuses = []
    for forged in forgeries:
        client = Client(REMOTE_ADDR=NAT)
        client.cookies[COOKIE] = forged
        statuses.append(post(client).status_code)

    assert statuses == [201, 201, 429, 429]
    # Forged in the header too.
    refused = post(Client(REMOTE_ADDR=NAT), HTTP_X_DEVICE_TOKEN="forged-device-id")
    assert refused.status_code == 429 and "without a device id" in refused.json()["detail"]


def test_a_device_without_an_id_gets_one_issued(
    db: None, limits: Callable[..., None], settings: Any
) -> None:
    young_ids_count_as_devices(settings)
    limits(reports_per_ip=(600, 600), reports_per_device=(2, 600), reports_no_device=(1, 600))
    app = Client(REMOTE_ADDR=NAT)
    first = post(app)
    token = first[HEADER]
    assert first.status_code == 201 and token and first.cookies[COOKIE].value == token
    # An app client that keeps only the header is counted as that device from now on.
    headless = Client(REMOTE_ADDR=NAT)
    assert [post(headless, HTTP_X_DEVICE_TOKEN=token).status_code for _ in range(3)] == [
        201,
        201,
        429,
    ]
    # A device that has an id is not issued another; plain API reads get none (cacheable).
    assert HEADER not in post(headless, HTTP_X_DEVICE_TOKEN=token)
    assert COOKIE not in Client().get(URL).cookies


def test_the_report_page_issues_a_device_cookie_and_the_form_is_limited_per_device(
    db: None, limits: Callable[..., None], settings: Any
) -> None:
    from tests.web.test_report_post import form

    young_ids_count_as_devices(settings)
    limits(reports_per_ip=(600, 600), reports_per_device=(2, 600), reports_no_device=(1, 600))
    browser = Client(REMOTE_ADDR=NAT, HTTP_ACCEPT_LANGUAGE="en")
    page = browser.get("/report/")
    assert read(page.cookies[COOKIE].value)  # a genuine, signed id
    sent = [browser.post("/report/", form(form_token=f"t{i}")).status_code for i in range(3)]

    assert sent == [302, 302, 429]
    # The next browser behind the same address files normally.
    neighbour = Client(REMOTE_ADDR=NAT)
    neighbour.get("/report/")
    assert neighbour.post("/report/", form(form_token="n1")).status_code == 302


def read(token: str) -> str | None:
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = token
    return device_id(request)


def test_a_partner_api_key_has_its_own_budget(db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=(1, 600), reports_no_device=(1, 600), reports_per_key=(4, 600))
    _key, partner = create_api_key("LINE bot")
    bot = Client(REMOTE_ADDR=NAT)  # no device id: a server, not a phone

    assert [post(bot, **auth(partner)).status_code for _ in range(5)] == [201] * 4 + [429]
    refused = post(bot, **auth(partner))
    assert "from this API key: at most 4 reports" in refused.json()["detail"]
    assert refused["Retry-After"]


def test_a_signed_in_citizen_is_counted_across_devices(
    db: None, limits: Callable[..., None]
) -> None:
    """The seam for citizen accounts: whatever sets request.citizen is counted as one person."""
    limits(reports_per_ip=(600, 600), reports_per_device=(50, 600), reports_per_citizen=(2, 600))

    @rate_limited("reports")
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", status=201)

    def from_new_phone(citizen_id: int) -> HttpRequest:
        request = RequestFactory().post(URL, REMOTE_ADDR=NAT)
        request.COOKIES[COOKIE] = new_device_token()
        request.citizen = SimpleNamespace(pk=citizen_id)  # type: ignore[attr-defined]
        return request

    assert [view(from_new_phone(7)).status_code for _ in range(3)] == [201, 201, 429]
    assert view(from_new_phone(8)).status_code == 201


def test_off_switches_every_limit_off(db: None, limits: Callable[..., None]) -> None:
    limits(
        reports_per_ip=None,
        reports_per_key=None,
        reports_per_device=(1, 600),
        reports_no_device=(1, 600),
        reports_per_citizen=(1, 600),
    )
    phone = device_client()
    _key, partner = create_api_key("LINE bot")
    assert {post(phone).status_code for _ in range(4)} == {201}
    assert {post(Client(REMOTE_ADDR=NAT)).status_code for _ in range(4)} == {201}
    assert {post(phone, **auth(partner)).status_code for _ in range(4)} == {201}


def test_off_from_the_environment_keeps_its_name_and_meaning(tmp_path: Path) -> None:
    config = Config.from_env(
        {
            "PRACHA_HOME": str(tmp_path),
            "PRACHA_RATE_REPORTS_PER_IP": "off",
            "PRACHA_RATE_REPORTS_PER_DEVICE": "5/m",
            "PRACHA_RATE_REPORTS_NO_DEVICE": "off",
        }
    )
    assert config.rate_reports_per_ip is None
    assert (config.rate_reports_per_device.count, config.rate_reports_per_device.seconds) == (
        5,
        60,
    )
    assert config.rate_reports_no_device is None


def test_the_429_page_keeps_its_message(db: None, limits: Callable[..., None]) -> None:
    from tests.web.test_report_post import form

    limits(reports_per_ip=(600, 600), reports_no_device=(1, 600))
    browser = Client(REMOTE_ADDR=NAT, HTTP_ACCEPT_LANGUAGE="en")
    assert browser.post("/report/", form(form_token="a")).status_code == 302
    dropped = Client(REMOTE_ADDR=NAT, HTTP_ACCEPT_LANGUAGE="en")
    refused = dropped.post("/report/", form(form_token="b"))
    assert refused.status_code == 429 and "Too many reports" in page_text(refused)


def test_minting_a_fresh_id_for_each_report_lands_in_the_shared_bucket(
    db: None, limits: Callable[..., None]
) -> None:
    """The attack: alternate a token-less request with a report on the new id."""
    limits(reports_per_ip=(600, 600), reports_per_device=(20, 600), reports_no_device=(30, 600))
    statuses = []
    for _ in range(40):
        token = Client(REMOTE_ADDR=NAT).get("/report/").cookies[COOKIE].value
        statuses.append(post(Client(REMOTE_ADDR=NAT), HTTP_X_DEVICE_TOKEN=token).status_code)

    assert statuses == [201] * 30 + [429] * 10
    assert Case.objects.count() == 30
    refused = post(Client(REMOTE_ADDR=NAT), HTTP_X_DEVICE_TOKEN=new_device_token())
    assert "without a device id, or with one issued minutes ago" in refused.json()["detail"]


def test_an_id_counts_as_its_own_device_once_it_has_aged(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), reports_per_device=(3, 600), reports_no_device=(1, 600))
    assert post(device_client(age=60)).status_code == 201  # in the shared bucket
    assert post(device_client(age=60)).status_code == 429
    assert [post(device_client(age=121)).status_code for _ in range(5)] == [201] * 5


def test_one_address_is_issued_only_so_many_new_ids(db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=(600, 600), new_devices_per_ip=(3, 3600))
    issued = [COOKIE in Client(REMOTE_ADDR=NAT).get("/report/").cookies for _ in range(5)]

    assert issued == [True, True, True, False, False]
    posted = post(Client(REMOTE_ADDR=NAT))
    assert posted.status_code == 201 and HEADER not in posted  # filed, without an id
    # Another address gets its own; a client that has an id keeps it.
    assert COOKIE in Client(REMOTE_ADDR="198.51.100.9").get("/report/").cookies
    assert post(device_client()).status_code == 201


def test_a_crowd_of_aged_devices_behind_one_address_still_passes(
    db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(600, 600), new_devices_per_ip=(3, 3600), reports_no_device=(1, 600))
    crowd = [device_client() for _ in range(60)]
    assert {post(phone).status_code for phone in crowd} == {201}


def test_off_switches_the_minting_limits_off(db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=None, reports_per_key=None, new_devices_per_ip=(1, 3600))
    issued = [COOKIE in Client(REMOTE_ADDR=NAT).get("/report/").cookies for _ in range(3)]
    assert issued == [True, True, True]
    young = [post(device_client(age=0)).status_code for _ in range(5)]
    assert set(young) == {201}
