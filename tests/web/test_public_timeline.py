"""The public timeline says who acted by kind and agency (never an officer's login) and whose
a photo is (issues 23.5, 22.7); tests/triage/test_public_explanation.py: how sorting decided."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Event
from pracha.open311.webhook_body import change_dict
from tests.helpers import auth, case_url, english, image_bytes, page_text, post_json, upload

pytestmark = pytest.mark.django_db
MakeOfficer = Callable[..., tuple[Officer, str]]
LOGINS = ("ux-citylogin", "ux-chatuchak", "ux-boss-chatuchak")


def public_answers(ticket_id: str) -> dict[str, str]:
    """Every public answer about a case, by where it is read."""
    client = Client()
    answers = {
        "api": client.get(case_url(ticket_id)).content.decode(),
        "page th": client.get(f"/t/{ticket_id}/").content.decode(),
        "page en": english(Client()).get(f"/t/{ticket_id}/").content.decode(),
        **{
            f"open311 {fmt}": client.get(
                f"/open311/v2/requests/{ticket_id}.{fmt}", {"extensions": "true"}
            ).content.decode()
            for fmt in ("json", "xml")
        },
    }
    for event in Event.objects.filter(case__ticket_id=ticket_id, is_public=True):
        answers[f"webhook {event.kind} {event.pk}"] = str(change_dict(event))
    return answers


@pytest.fixture
def chatuchak(make_agency: Callable[..., Agency]) -> Agency:
    return make_agency("khet-chatuchak", "เขตจตุจักร", name_en="Chatuchak District Office")


@pytest.fixture
def worked(
    api: Client,
    media: Path,
    bma: Agency,
    chatuchak: Agency,
    make_officer: MakeOfficer,
    file_case: Callable[..., dict[str, Any]],
) -> str:
    """A case accepted by the city, forwarded, worked and closed by a district's officers."""
    _city, city_key = make_officer(bma, LOGINS[0])
    _khet, khet_key = make_officer(chatuchak, LOGINS[1])
    _boss, boss_key = make_officer(chatuchak, LOGINS[2], role="supervisor")
    ticket_id = file_case()["ticket_id"]
    steps = [
        ("accept", {}, city_key),
        ("forward", {"agency": chatuchak.code, "reason": "ถนนในซอยเป็นของเขต"}, city_key),
        ("accept", {}, khet_key),
        ("comment", {"note": "ส่งทีมไปตรวจแล้ว"}, khet_key),
        ("close", {"outcome": "irrelevant", "note": "ซ่อมโดยเอกชนแล้ว"}, boss_key),
    ]
    for action, body, key in steps:
        response = post_json(api, case_url(ticket_id, action), body, **auth(key))
        assert response.status_code == 200, (action, response.content)
    return ticket_id


def test_no_officer_login_appears_in_any_public_answer(worked: str) -> None:
    for where, text in public_answers(worked).items():
        for login in LOGINS:
            assert login not in text, f"{login} in {where}"


def test_officers_are_named_by_role_and_agency(worked: str, api: Client) -> None:
    timeline = api.get(case_url(worked)).json()["timeline"]
    by_kind = {(e["kind"], e["actor_agency_code"]): e for e in timeline}
    accepted = by_kind[("accepted", "bma")]
    assert accepted["actor_kind"] == "officer" and accepted["actor_role"] == "officer"
    assert accepted["actor_name_th"] == "เจ้าหน้าที่ กรุงเทพมหานคร"
    closed = by_kind[("closed", "khet-chatuchak")]
    assert (closed["actor_name_th"], closed["actor_name_en"]) == (
        "หัวหน้างาน เขตจตุจักร",
        "Supervisor, Chatuchak District Office",
    )
    assert closed["actor"] == "หัวหน้างาน เขตจตุจักร / Supervisor, Chatuchak District Office"
    created = timeline[0]
    assert (created["kind"], created["actor_kind"], created["actor_name_en"]) == (
        "created",
        "reporter",
        "The reporter",
    )


def test_the_page_names_actors_in_the_readers_language(worked: str) -> None:
    thai = page_text(Client().get(f"/t/{worked}/"))
    assert "หัวหน้างาน เขตจตุจักร" in thai and "ผู้แจ้ง" in thai
    assert "ประชาชน / citizen" not in thai
    text = page_text(english(Client()).get(f"/t/{worked}/"))
    assert "Supervisor, Chatuchak District Office" in text and "The reporter" in text


def test_open311_names_actors_in_the_answers_language(worked: str) -> None:
    url = f"/open311/v2/requests/{worked}.json"
    body = Client().get(url, {"extensions": "true"}).json()[0]
    closed = [u for u in body["extended_attributes"]["updates"] if u["kind"] == "closed"]
    assert closed and closed[0]["actor"] == "หัวหน้างาน เขตจตุจักร"
    assert closed[0]["actor_kind"] == "officer"


def test_a_removed_officers_events_show_their_agency(worked: str, api: Client) -> None:
    Officer.objects.get(user__username=LOGINS[1]).user.delete()
    timeline = api.get(case_url(worked)).json()["timeline"]
    comment = next(e for e in timeline if e["kind"] == "commented")
    assert (comment["actor_kind"], comment["actor_name_th"]) == ("agency", "เขตจตุจักร")
    assert LOGINS[1] not in str(timeline)


# --- whose photo (issue 22.7) -----------------------------------------------------------------


@pytest.fixture
def waiting(media: Path, file_case: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return file_case()


def photo_event(api: Client, ticket_id: str) -> dict[str, Any]:
    timeline = api.get(case_url(ticket_id)).json()["timeline"]
    return [e for e in timeline if e["kind"] == "photo_added"][-1]


def test_an_anonymous_photo_is_labelled_as_someone_elses(
    api: Client, waiting: dict[str, Any]
) -> None:
    assert upload(api, waiting["ticket_id"], image_bytes("PNG")).status_code == 201
    event = photo_event(api, waiting["ticket_id"])
    assert (event["actor_kind"], event["actor_name_en"]) == ("citizen", "A member of the public")
    assert "ประชาชนทั่วไป" in page_text(Client().get(f"/t/{waiting['ticket_id']}/"))


@pytest.mark.parametrize("where", ["form", "header"])
def test_a_photo_sent_with_the_citizen_token_is_the_reporters(
    api: Client, waiting: dict[str, Any], where: str
) -> None:
    token = waiting["citizen_token"]
    sent = {"citizen_token": token} if where == "form" else {"HTTP_X_CITIZEN_TOKEN": token}
    assert upload(api, waiting["ticket_id"], image_bytes("PNG"), **sent).status_code == 201
    assert photo_event(api, waiting["ticket_id"])["actor_kind"] == "reporter"


def test_a_wrong_token_is_not_the_reporter(api: Client, waiting: dict[str, Any]) -> None:
    sent = {"citizen_token": "not-the-token"}
    assert upload(api, waiting["ticket_id"], image_bytes("PNG"), **sent).status_code == 201
    assert photo_event(api, waiting["ticket_id"])["actor_kind"] == "citizen"


def test_an_officers_photo_names_their_agency(
    api: Client, waiting: dict[str, Any], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    assert upload(api, waiting["ticket_id"], image_bytes("PNG"), **auth(key)).status_code == 201
    event = photo_event(api, waiting["ticket_id"])
    assert (event["actor_kind"], event["actor_agency_code"]) == ("officer", "bma")


# --- an officer's chosen public name (issue 23.5) ---------------------------------------------


def name_officer(login: str, name: str) -> None:
    Officer.objects.filter(user__username=login).update(public_name=name)


def test_a_chosen_name_comes_before_role_and_agency(worked: str, api: Client) -> None:
    name_officer(LOGINS[2], "คุณสมศรี")
    timeline = api.get(case_url(worked)).json()["timeline"]
    closed = next(e for e in timeline if e["kind"] == "closed")
    assert (closed["actor_name_th"], closed["actor_name_en"]) == (
        "คุณสมศรี, หัวหน้างาน เขตจตุจักร",
        "คุณสมศรี, Supervisor, Chatuchak District Office",
    )
    assert closed["actor"] == f"{closed['actor_name_th']} / {closed['actor_name_en']}"
    # Officers without a name keep being named by role and agency alone.
    accepted = next(e for e in timeline if e["kind"] == "accepted")
    assert accepted["actor_name_th"] == "เจ้าหน้าที่ กรุงเทพมหานคร"


def test_the_page_and_open311_show_the_chosen_name(worked: str) -> None:
    name_officer(LOGINS[2], "Somsri K.")
    assert "Somsri K., หัวหน้างาน เขตจตุจักร" in page_text(Client().get(f"/t/{worked}/"))
    text = page_text(english(Client()).get(f"/t/{worked}/"))
    assert "Somsri K., Supervisor, Chatuchak District Office" in text
    answers = public_answers(worked)
    assert all("Somsri K." in answers[where] for where in ("api", "open311 json", "open311 xml"))
    assert any("Somsri K." in text for where, text in answers.items() if "webhook" in where)


def test_a_stored_name_that_is_a_login_or_a_phone_is_never_shown(worked: str) -> None:
    # Written past the settings form (shell, an import): checked again when shown.
    name_officer(LOGINS[1], LOGINS[1].upper())
    name_officer(LOGINS[2], "โทร 081-234-5678")
    for where, text in public_answers(worked).items():
        assert LOGINS[1] not in text.lower(), where
        assert "081-234-5678" not in text, where
    comment = next(
        e for e in Client().get(case_url(worked)).json()["timeline"] if e["kind"] == "commented"
    )
    assert comment["actor_name_th"] == "เจ้าหน้าที่ เขตจตุจักร"


def test_the_english_page_names_agencies_in_english(worked: str) -> None:
    """Issue 23.8: the English timeline said "Sent to เขตจตุจักร"."""
    text = page_text(english(Client()).get(f"/t/{worked}/"))
    assert "Sent to Bangkok Metropolitan Administration" in text
    assert "From Bangkok Metropolitan Administration to Chatuchak District Office" in text
    assert "เขตจตุจักร" not in text and "กรุงเทพมหานคร" not in text
