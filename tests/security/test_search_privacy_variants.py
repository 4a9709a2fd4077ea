"""Public search, tried as an outsider with disguised queries (security issue 22.1).

test_search_privacy.py performs the attack of the issue; here the same hidden phone, ID,
e-mail and plate are searched the ways an attacker would vary the query (full-width and Thai
digits, spaced digits, parts of the e-mail, letter case) on every place that searches: the
home page (whole page and its htmx part), the JSON API (anonymous, and with another agency's
key), the office inbox of another agency's officer (every tab), and Open311's requests.json
(which takes no text query at all). None may tell which case holds the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from tests.helpers import auth

pytestmark = pytest.mark.django_db

SECRET = (
    "ท่อแตกหน้าบ้าน ติดต่อ 081-234-5678 บัตร 1-2345-67890-12-1 "
    "อีเมล somchai.leak@example.com ทะเบียน กข 1234"
)
VARIANTS = [
    "２３４－５６７８",
    "２３４５６７８",
    "234 5678",
    "2 3 4 5 6 7 8",
    "081 234 5678",
    "๐๘๑ ๒๓๔",
    "๒๓๔ ๕๖๗๘",
    "0812345678",
    "2345678",
    "5678",
    "081",
    "67890",
    "2345-67890",
    "๖๗๘๙๐",
    "leak@exa",
    "leak@",
    "somchai",
    "chai.le",
    "SOMCHAI.LEAK",
    "ｓｏｍｃｈａｉ",
    "example.com",
    "@example",
    "กข 1234",
    "1234",
]


def listed(response: Any, ticket_id: str) -> bool:
    return response.status_code == 200 and ticket_id in response.content.decode()


@pytest.fixture
def secret(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case(description=SECRET)["ticket_id"]


@pytest.fixture
def outsider(
    make_agency: Callable[..., Agency], make_officer: Callable[..., tuple[Officer, str]]
) -> tuple[Client, str]:
    """A signed-in office session and an API key of an agency with no part in the case."""
    officer, key = make_officer(make_agency("other-office", "สำนักงานอื่น"))
    client = Client()
    client.force_login(officer.user)
    return client, key


@pytest.mark.parametrize("q", VARIANTS)
def test_no_disguised_query_finds_the_hidden_data(
    secret: str, outsider: tuple[Client, str], q: str
) -> None:
    office, key = outsider
    anonymous = Client()
    for params in ({"q": q}, {"q": q, "state": "all"}, {"q": q, "shared": "1"}):
        assert not listed(office.get("/office/", params), secret), ("office", params)
    assert not listed(anonymous.get("/", {"q": q}), secret), "home"
    results = anonymous.get("/", {"q": q, "part": "results"}, HTTP_HX_REQUEST="true")
    assert not listed(results, secret), "home results"
    assert not listed(anonymous.get("/api/v1/cases", {"q": q}), secret), "api"
    assert not listed(anonymous.get("/api/v1/cases", {"q": q}, **auth(key)), secret), "api key"


def test_open311_takes_no_text_query(secret: str) -> None:
    """requests.json has no search: q changes nothing, and the description it lists is masked."""
    client = Client()
    plain = client.get("/open311/v2/requests.json").json()
    searched = client.get("/open311/v2/requests.json", {"q": "somchai.leak"}).json()
    assert searched == plain
    [item] = [r for r in plain if r["service_request_id"] == secret]
    assert "somchai" not in item["description"] and "5678" not in item["description"]


def test_the_visible_words_are_still_found_everywhere(
    secret: str, outsider: tuple[Client, str]
) -> None:
    _office, key = outsider
    assert listed(Client().get("/", {"q": "ท่อแตก"}), secret)
    assert listed(Client().get("/api/v1/cases", {"q": "ท่อแตก"}), secret)
    assert listed(Client().get("/api/v1/cases", {"q": "ท่อแตก"}, **auth(key)), secret)


@pytest.mark.parametrize("q", ["somchai.leak", "234-5678", "67890-12", "๒๓๔๕๖๗๘"])
def test_an_invited_helper_searches_only_the_masked_text(
    secret: str, outsider: tuple[Client, str], q: str
) -> None:
    """Invited to help, an agency reads the case but is not responsible for it: its search
    (office inbox, every tab, and the API) matches only what the public can read."""
    office, key = outsider
    helper = Officer.objects.get(user_id=office.session["_auth_user_id"])
    Case.objects.get(ticket_id=secret).co_agencies.add(helper.agency)
    assert listed(office.get("/office/", {"shared": "1"}), secret), "the helper sees the case"
    for params in ({"q": q}, {"q": q, "state": "all"}, {"q": q, "shared": "1"}):
        assert not listed(office.get("/office/", params), secret), ("office", params)
    assert not listed(Client().get("/api/v1/cases", {"q": q}, **auth(key)), secret), "api key"
