"""`pracha apikey create|list|revoke` and `pracha createofficer`."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from pracha.agencies.models import Agency, ApiKey, Officer
from pracha.agencies.services import authenticate_api_key
from pracha.cases.models import Event
from tests.helpers import auth, case_url, post_json


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


# --- apikey ---------------------------------------------------------------------------------


def test_apikey_create_prints_a_working_key_on_its_last_line(db: None) -> None:
    lines = run("apikey", "create", "partner dashboard")

    key = lines[-1]
    assert key.startswith("pk_") and " " not in key
    assert "partner dashboard" in lines[0]
    found = authenticate_api_key(key)
    assert found is not None and found.name == "partner dashboard" and found.user is None
    assert key not in "".join(ApiKey.objects.values_list("key_hash", flat=True))


def test_apikey_create_for_an_officer_acts_as_them(
    api: Client,
    officer: tuple[Officer, str],
    file_case: Callable[..., dict[str, Any]],
) -> None:
    me, _ = officer
    key = run("apikey", "create", "laptop", "--officer", me.user.username)[-1]

    ticket_id = file_case()["ticket_id"]
    response = post_json(api, case_url(ticket_id, "accept"), {}, **auth(key))

    assert response.status_code == 200
    # The key acts as its officer (the API names them by role and agency, not login).
    assert Event.objects.filter(kind="accepted").get().actor == me.user
    assert response.json()["timeline"][-1]["actor_kind"] == "officer"


def test_apikey_create_for_an_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("apikey", "create", "k", "--officer", "ghost")
    assert not ApiKey.objects.exists()


def test_apikey_create_needs_a_name(db: None) -> None:
    with pytest.raises(CommandError, match="needs a name"):
        run("apikey", "create", "   ")


def test_apikey_list_never_shows_secrets(db: None, officer: tuple[Officer, str]) -> None:
    me, officer_key = officer
    partner_key = run("apikey", "create", "partner")[-1]
    run("apikey", "revoke", partner_key[:12])

    lines = run("apikey", "list")

    text = "\n".join(lines)
    assert officer_key not in text and partner_key not in text
    assert len(lines) == 2
    officer_line = next(line for line in lines if line.startswith(officer_key[:12]))
    assert f"officer={me.user.username}" in officer_line
    assert officer_line.endswith("active")
    partner_line = next(line for line in lines if line.startswith(partner_key[:12]))
    assert "officer=-" in partner_line and "revoked" in partner_line


def test_apikey_revoke_by_prefix_stops_the_key(
    api: Client, officer: tuple[Officer, str], file_case: Callable[..., dict[str, Any]]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]

    assert run("apikey", "revoke", key[:12]) == ["Revoked 1 key(s)."]

    assert authenticate_api_key(key) is None
    response = post_json(api, case_url(ticket_id, "accept"), {}, **auth(key))
    assert response.status_code == 401


def test_apikey_revoke_by_name_revokes_every_key_of_that_name(db: None) -> None:
    first = run("apikey", "create", "kiosk")[-1]
    second = run("apikey", "create", "kiosk")[-1]
    other = run("apikey", "create", "other")[-1]

    assert run("apikey", "revoke", "kiosk") == ["Revoked 2 key(s)."]

    assert authenticate_api_key(first) is None and authenticate_api_key(second) is None
    assert authenticate_api_key(other) is not None


def test_apikey_revoke_of_nothing_is_an_error(db: None) -> None:
    key = run("apikey", "create", "once")[-1]
    run("apikey", "revoke", key[:12])
    with pytest.raises(CommandError, match="no active key matches"):
        run("apikey", "revoke", key[:12])
    with pytest.raises(CommandError, match="no active key matches 'nothing'"):
        run("apikey", "revoke", "nothing")


def test_apikey_needs_an_action(db: None) -> None:
    with pytest.raises(CommandError):
        run("apikey")


# --- createofficer --------------------------------------------------------------------------


def test_createofficer_with_token(
    api: Client, bma: Agency, file_case: Callable[..., dict[str, Any]]
) -> None:
    lines = run(
        "createofficer", "somchai", "--agency", "bma", "--name", "Somchai Jaidee",
        "--email", "somchai@example.org", "--no-input", "--token",
    )  # fmt: skip

    assert lines[0] == "Created officer somchai (officer) at กรุงเทพมหานคร"
    officer = Officer.objects.select_related("user").get(user__username="somchai")
    assert officer.agency == bma
    assert (officer.user.first_name, officer.user.last_name) == ("Somchai", "Jaidee")
    assert officer.user.email == "somchai@example.org"
    assert not officer.user.has_usable_password()  # --no-input without --password
    ticket_id = file_case()["ticket_id"]
    response = post_json(api, case_url(ticket_id, "accept"), {}, **auth(lines[-1]))
    assert response.status_code == 200
    assert Event.objects.filter(kind="accepted").get().actor == officer.user
    assert response.json()["timeline"][-1]["actor_agency_code"] == bma.code


def test_createofficer_by_thai_agency_name_with_a_password(
    make_agency: Callable[..., Agency],
) -> None:
    district = make_agency("district-bangrak", "สำนักงานเขตบางรัก")
    lines = run(
        "createofficer", "malee", "--agency", "สำนักงานเขตบางรัก", "--role", "supervisor",
        "--password", "a long passphrase for malee", "--no-input",
    )  # fmt: skip

    assert lines == ["Created officer malee (supervisor) at สำนักงานเขตบางรัก"]
    officer = Officer.objects.get(user__username="malee")
    assert (officer.agency, officer.role) == (district, "supervisor")
    assert officer.user.check_password("a long passphrase for malee")
    assert not ApiKey.objects.exists()  # no --token, no key


def test_createofficer_again_moves_the_officer(
    bma: Agency, make_agency: Callable[..., Agency]
) -> None:
    make_agency("district-x")
    run("createofficer", "nok", "--agency", "bma", "--no-input")
    lines = run("createofficer", "nok", "--agency", "district-x", "--no-input")

    assert lines[0].startswith("Updated officer nok")
    assert Officer.objects.get(user__username="nok").agency.code == "district-x"
    assert get_user_model().objects.filter(username="nok").count() == 1


@pytest.mark.parametrize("agency", ["no-such-agency", "หน่วยงานที่ไม่มีอยู่", "99999", ""])
def test_createofficer_for_an_unknown_agency(db: None, agency: str) -> None:
    with pytest.raises(CommandError, match="no agency matches"):
        run("createofficer", "ghost", "--agency", agency, "--no-input", "--token")
    assert not get_user_model().objects.filter(username="ghost").exists()
    assert not ApiKey.objects.exists()


def test_createofficer_refuses_a_weak_password(bma: Agency) -> None:
    with pytest.raises(CommandError, match=r"too short|too common"):
        run("createofficer", "weak", "--agency", "bma", "--password", "1234", "--no-input")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_createofficer_needs_an_agency(db: None) -> None:
    with pytest.raises(CommandError, match="--agency"):
        run("createofficer", "nobody")
