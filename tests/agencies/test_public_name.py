"""The public name an officer may choose: tidied, and refused when it is a login or contact data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from pracha.agencies.models import Agency, Officer
from pracha.agencies.public_name import check_public_name

MakeOfficer = Callable[..., tuple[Officer, str]]


def refusal(name: str, username: str = "somchai.k") -> str:
    with pytest.raises(ValidationError) as caught:
        check_public_name(name, username)
    return caught.value.code or ""


def test_a_name_is_kept_with_its_spaces_tidied() -> None:
    assert check_public_name("  คุณสมชาย   ใจดี ", "somchai.k") == "คุณสมชาย ใจดี"
    assert check_public_name("   ", "somchai.k") == ""


@pytest.mark.parametrize("name", ["somchai.k", "SomChai.K", " ｓｏｍｃｈａｉ.ｋ "])
def test_the_login_is_refused_whatever_its_case_or_width(name: str) -> None:
    assert refusal(name) == "username"


@pytest.mark.parametrize(
    "name",
    [
        "สมชาย 081-234-5678",
        "สมชาย ๐๘๑ ๒๓๔ ๕๖๗๘",
        "somchai@example.org",
        "somchai [at] example [dot] org",
    ],
)
def test_phone_numbers_and_addresses_are_refused(name: str) -> None:
    assert refusal(name) == "personal_data"


def test_more_than_sixty_characters_are_refused() -> None:
    assert refusal("ก" * 61) == "max_length"
    assert check_public_name("ก" * 60, "somchai.k") == "ก" * 60


@pytest.mark.django_db
def test_the_admin_refuses_the_login_too(bma: Agency, make_officer: MakeOfficer) -> None:
    officer, _key = make_officer(bma, "somchai.k")
    officer.public_name = "SOMCHAI.K"
    with pytest.raises(ValidationError) as caught:
        officer.full_clean()
    assert "public_name" in caught.value.message_dict
    officer.public_name = " Somchai  K. "
    officer.full_clean()
    assert officer.public_name == "Somchai K."
