"""Public search matches only what the public can read: the masked text (security issue 22).

The attack: the report below is shown masked everywhere, yet searching the raw text let
anyone grow a query one character at a time and rebuild the phone number, e-mail and ID
from which cases matched.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from tests.helpers import auth

pytestmark = pytest.mark.django_db

LEAK = "contact me 081-234-5678, id 1-2345-67890-12-1, mail somchai.leak@example.com"
THAI_DIGITS = "ท่อแตก โทร ๐๘๙-๗๖๕-๔๓๒๑ ซอย ๕"
ATTACKS = [
    "somchai.leak",
    "somchai.leak@example.com",
    "leak@example",
    "234-5678",
    "081-234-5678",
    "0812345678",
    "67890-12",
    "1-2345-67890-12-1",
    "๒๓๔๕๖๗๘",
    "๐๘๑-๒๓๔",
]


@pytest.fixture
def leak(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case(description=LEAK)["ticket_id"]


def api_finds(client: Client, q: str, **headers: str) -> list[str]:
    response = client.get("/api/v1/cases", {"q": q}, **headers)
    if response.status_code == 400:  # refused as a personal-data query: nothing found
        assert response.json()["field"] == "q"
        return []
    assert response.status_code == 200, response.content
    return [item["ticket_id"] for item in response.json()["items"]]


def page_finds(raw_query: str, ticket_id: str) -> bool:
    """Whether the public home page, searched with an already URL-encoded query, lists it."""
    response = Client().get(f"/?q={raw_query}")
    assert response.status_code == 200
    return ticket_id in response.content.decode()


@pytest.mark.parametrize("q", ATTACKS)
def test_the_api_never_matches_masked_personal_data(api: Client, leak: str, q: str) -> None:
    assert leak not in api_finds(api, q)


@pytest.mark.parametrize(
    "raw_query",
    [
        "081-234-5678",
        "234-5678",
        "67890-12",
        "somchai.leak",
        "somchai.leak%40example.com",
        "%E0%B9%92%E0%B9%93%E0%B9%94%E0%B9%95%E0%B9%96%E0%B9%97%E0%B9%98",  # ๒๓๔๕๖๗๘
    ],
)
def test_the_home_page_never_matches_masked_personal_data(leak: str, raw_query: str) -> None:
    assert not page_finds(raw_query, leak)


def test_growing_a_query_one_character_at_a_time_finds_nothing(
    api: Client, file_case: Callable[..., dict[str, Any]]
) -> None:
    # Visible text without Latin letters or digits, so any match could only be a leak.
    secrets = ("081-234-5678", "somchai.leak@example.com", "1-2345-67890-12-1")
    leak = file_case(description="ติดต่อ " + " ".join(secrets))["ticket_id"]
    for secret in secrets:
        for end in range(1, len(secret) + 1):
            assert leak not in api_finds(api, secret[:end]), secret[:end]
            assert leak not in api_finds(api, secret[-end:]), secret[-end:]


def test_thai_digit_phone_numbers_are_not_searchable(
    api: Client, file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case(description=THAI_DIGITS)["ticket_id"]
    for q in ("๐๘๙", "765-4321", "๗๖๕-๔๓๒๑", "0897654321"):
        assert ticket not in api_finds(api, q), q
    # Visible digits still match, written either way.
    assert api_finds(api, "ซอย 5") == [ticket]
    assert api_finds(api, "ซอย ๕") == [ticket]


def test_the_visible_words_still_match(api: Client, leak: str) -> None:
    assert api_finds(api, "contact me") == [leak]
    assert api_finds(api, "MAIL") == [leak]
    assert page_finds("contact", leak)


def test_imported_cases_are_searched_masked(api: Client, db: None) -> None:
    """The importer inserts in bulk, without save(): the masked copy is made there too."""
    Case.objects.bulk_create(
        [Case(ticket_id="2023-LEAK01", description=LEAK, address="บ้านเลขที่ 5 โทร 02-123-4567")]
    )
    assert api_finds(api, "234-5678") == []
    assert api_finds(api, "123-4567") == []
    assert api_finds(api, "บ้านเลขที่") == ["2023-LEAK01"]


def test_bulk_updates_and_erasure_keep_the_search_text_masked(
    api: Client, leak: str, file_case: Callable[..., dict[str, Any]]
) -> None:
    Case.objects.filter(ticket_id=leak).update(description="ไฟดับ โทร 089-999-1111")
    assert api_finds(api, "999-1111") == []
    assert api_finds(api, "ไฟดับ") == [leak]
    Case.objects.filter(ticket_id=leak).update(description="ใหม่", address="โทร 089-888-2222")
    assert api_finds(api, "888-2222") == []
    assert api_finds(api, "ใหม่") == [leak]
    other = file_case(
        description="ร้องเรียน somchai.leak@example.com",
        reporter={"name": "สมชาย", "email": "somchai.leak@example.com"},
    )["ticket_id"]
    call_command("privacy", "erase", "--email", "somchai.leak@example.com", "--yes")
    assert api_finds(api, "ร้องเรียน") == [other]
    assert api_finds(api, "leak") == []


def test_reindex_re_applies_the_masking_to_stale_rows(api: Client, leak: str) -> None:
    """`pracha reindex-search` is how an improved masker reaches rows already stored."""
    Case.objects.filter(ticket_id=leak).update(search_text=LEAK)  # as an older masker left it
    assert api_finds(api, "somchai.leak") == [leak]
    call_command("reindex_search")
    assert api_finds(api, "somchai.leak") == []
    assert api_finds(api, "contact") == [leak]


def test_the_migration_fills_existing_rows(api: Client, leak: str) -> None:
    Case.objects.filter(ticket_id=leak).update(search_text="")
    migration = importlib.import_module("pracha.cases.migrations.0006_case_search_text_backfill")
    migration.fill_search_text(apps, connection.schema_editor())
    assert Case.objects.get(ticket_id=leak).search_text.startswith("contact me [")
    assert api_finds(api, "contact") == [leak]


def test_only_the_responsible_agency_searches_the_raw_text(
    api: Client,
    leak: str,
    officer: tuple[Officer, str],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _own, own_key = officer
    assert Case.objects.get(ticket_id=leak).agency_id == _own.agency_id
    assert api_finds(api, "somchai.leak", **auth(own_key)) == [leak]
    assert api_finds(api, "234-5678", **auth(own_key)) == [leak]
    _other, other_key = make_officer(make_agency("other-office", "สำนักงานอื่น"))
    assert api_finds(api, "somchai.leak", **auth(other_key)) == []
    # Invited to help, the other agency still searches only the masked text (issue 22.1:
    # every reader who is not the responsible agency).
    Case.objects.get(ticket_id=leak).co_agencies.add(_other.agency)
    assert api_finds(api, "somchai.leak", **auth(other_key)) == []
    assert api_finds(api, "234-5678", **auth(other_key)) == []
