"""photo_check in the API, the supervisors' list in /office/, the note on the public page,
the agencies' share of suspect closings, and the backfill command."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, Photo
from pracha.evidence.models import PhotoCheck, PhotoHash
from tests.evidence.conftest import codes
from tests.evidence.photos import encode, photo
from tests.helpers import auth, post_json, upload

pytestmark = pytest.mark.django_db
NewCase = Callable[..., Case]
AddPhoto = Callable[..., Photo]
CloseWith = Callable[..., PhotoCheck]


@pytest.fixture
def suspect(new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith) -> PhotoCheck:
    """A case closed with its own before photo as the after-photo."""
    case = new_case()
    add_photo(case, encode(photo("china")))
    return close_with(case, encode(photo("china"), quality=50))


def signed_in(officer: Officer, language: str = "en") -> Client:
    client = Client()
    client.force_login(officer.user)
    client.cookies["django_language"] = language
    return client


def test_the_api_closes_with_a_suspect_photo_and_says_so(
    api: Client, new_case: NewCase, add_photo: AddPhoto, desk: tuple[Officer, str]
) -> None:
    case = new_case()
    add_photo(case, encode(photo("flower")))
    key = auth(desk[1])
    assert post_json(api, f"/api/v1/cases/{case.ticket_id}/accept", {}, **key).status_code == 200
    after = upload(api, case.ticket_id, encode(photo("flower")), kind="after", **key)
    closed = post_json(
        api,
        f"/api/v1/cases/{case.ticket_id}/close",
        {"outcome": "done", "photo_id": after.json()["id"]},
        **key,
    )
    assert closed.status_code == 200  # never refused
    assert closed.json()["state"] == "done"

    public = api.get(f"/api/v1/cases/{case.ticket_id}").json()
    check = public["photo_check"]
    assert check["status"] == "suspect" and check["under_review"] is True
    assert [r["code"] for r in check["reasons"]] == ["same_as_before"]
    assert check["photo_id"] == after.json()["id"] and check["review"] is None


def test_photo_check_is_none_while_open_and_without_an_after_photo(
    api: Client, new_case: NewCase, close_with: CloseWith
) -> None:
    case = new_case()
    check = api.get(f"/api/v1/cases/{case.ticket_id}").json()["photo_check"]
    assert check == {
        "status": "none",
        "reasons": [],
        "notes": [],
        "photo_id": None,
        "checked_at": None,
        "under_review": False,
        "review": None,
    }
    close_with(case, None)
    assert api.get(f"/api/v1/cases/{case.ticket_id}").json()["photo_check"]["status"] == "none"
    assert "photo_check" not in api.get("/api/v1/cases").json()["items"][0]


def test_reused_from_case_names_the_other_ticket_in_the_api(
    api: Client, new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    other = new_case()
    add_photo(other, encode(photo("street")))
    case = new_case()
    close_with(case, encode(photo("street")))
    [reason] = api.get(f"/api/v1/cases/{case.ticket_id}").json()["photo_check"]["reasons"]
    assert reason["code"] == "reused_from_case" and reason["ticket_id"] == other.ticket_id


def test_the_supervisor_lists_reviews_and_the_public_note_follows(
    suspect: PhotoCheck, supervisor: tuple[Officer, str], desk: tuple[Officer, str]
) -> None:
    ticket = suspect.case.ticket_id
    chief = signed_in(supervisor[0])
    inbox = chief.get("/office/").content.decode()
    assert "After-photos to review (1)" in inbox
    page = chief.get("/office/photo-checks/").content.decode()
    assert f'data-ticket="{ticket}"' in page
    assert 'data-reason="same_as_before"' in page
    assert "Looks like the photo from before the work" in page

    english = Client()
    english.cookies["django_language"] = "en"
    assert "This after-photo is under review" in english.get(f"/t/{ticket}/").content.decode()
    thai = Client().get(f"/t/{ticket}/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert 'data-testid="after-photo-under-review"' in thai and "อยู่ระหว่างการตรวจสอบ" in thai

    # A plain officer neither sees the list nor may review.
    officer = signed_in(desk[0])
    assert "After-photos to review" not in officer.get("/office/").content.decode()
    assert officer.get("/office/photo-checks/").status_code == 403
    assert (
        officer.post(
            f"/office/photo-checks/{suspect.pk}/review/", {"verdict": "genuine"}
        ).status_code
        == 404
    )

    done = chief.post(
        f"/office/photo-checks/{suspect.pk}/review/",
        {"verdict": "genuine", "note": "ถ่ายจากจุดเดิมหลังซ่อม"},
    )
    assert done.status_code == 302
    suspect.refresh_from_db()
    assert suspect.verdict == "genuine" and suspect.reviewed_by == supervisor[0].user
    assert AuditEntry.objects.filter(action="evidence.photo_reviewed").exists()
    assert f'data-ticket="{ticket}"' not in chief.get("/office/photo-checks/").content.decode()
    assert (
        f'data-ticket="{ticket}"'
        in chief.get("/office/photo-checks/?show=reviewed").content.decode()
    )
    assert "under review" not in english.get(f"/t/{ticket}/").content.decode()
    api_check = english.get(f"/api/v1/cases/{ticket}").json()["photo_check"]
    assert api_check["status"] == "suspect" and api_check["review"]["verdict"] == "genuine"
    assert "ถ่ายจากจุดเดิม" not in str(api_check)  # the supervisor's note stays inside


def test_a_not_genuine_verdict_is_said_on_the_public_page(
    suspect: PhotoCheck, supervisor: tuple[Officer, str]
) -> None:
    signed_in(supervisor[0]).post(
        f"/office/photo-checks/{suspect.pk}/review/", {"verdict": "not_genuine"}
    )
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(f"/t/{suspect.case.ticket_id}/").content.decode()
    assert "does not show the fix" in page


def test_another_agencys_supervisor_does_not_see_the_closing(
    suspect: PhotoCheck,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    elsewhere, _ = make_officer(make_agency("other"), role=Officer.Role.SUPERVISOR)
    client = signed_in(elsewhere)
    assert "data-ticket" not in client.get("/office/photo-checks/").content.decode()
    assert (
        client.post(
            f"/office/photo-checks/{suspect.pk}/review/", {"verdict": "genuine"}
        ).status_code
        == 404
    )


def test_the_office_case_page_lists_the_reasons(
    suspect: PhotoCheck, desk: tuple[Officer, str]
) -> None:
    page = signed_in(desk[0]).get(f"/office/case/{suspect.case.ticket_id}/").content.decode()
    assert "Looks like the photo from before the work" in page


def test_scorecards_and_dashboard_show_each_agencys_share_of_suspect_closings(
    api: Client, suspect: PhotoCheck, new_case: NewCase, close_with: CloseWith
) -> None:
    for _ in range(3):
        close_with(new_case(), encode(photo("flower").rotate(90 * _, expand=True)))
    today = timezone.localdate()
    period = f"from={today - timedelta(days=1)}&to={today}"
    rows = {r["agency"]: r for r in api.get(f"/api/v1/scorecards?{period}").json()["rows"]}
    assert rows["bma"]["photo_closings"] == 4 and rows["bma"]["suspect_closings"] == 1
    assert rows["bma"]["suspect_share"] == 0.25
    assert rows["bma"]["suspect_low"] < 0.25 < rows["bma"]["suspect_high"]
    csv = api.get(f"/dashboard/scorecards.csv?{period}").content.decode("utf-8-sig")
    assert "suspect_share" in csv.splitlines()[0] and ",0.25" in csv
    panel = api.get(f"/dashboard/panel/scorecards/?{period}", HTTP_ACCEPT_LANGUAGE="en")
    assert "Suspect after-photos" in panel.content.decode()
    assert "(1/4)" in panel.content.decode()


def test_rehash_and_recheck_fill_in_what_is_missing(
    new_case: NewCase, add_photo: AddPhoto, close_with: CloseWith
) -> None:
    case = new_case()
    before = add_photo(case, encode(photo("china")))
    check = close_with(case, encode(photo("china")))
    assert codes(check) == ["same_as_before"]
    PhotoHash.objects.all().delete()
    PhotoCheck.objects.all().delete()

    out = io.StringIO()
    call_command("evidence", "rehash", stdout=out)
    assert "2 photo(s) hashed" in out.getvalue()
    assert PhotoHash.objects.get(photo=before).source == PhotoHash.Source.STORED
    call_command("evidence", "recheck", stdout=out)
    assert "1 closing(s) checked; 1 suspect" in out.getvalue()
    call_command("evidence", "rehash", stdout=out)
    assert "0 photo(s) hashed" in out.getvalue()
