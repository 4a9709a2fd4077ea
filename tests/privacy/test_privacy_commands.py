"""`pracha privacy export|erase|purge-expired`: a reporter's data on request, erasure that
keeps the anonymous case, and retention of contact data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.audit.models import AuditEntry
from pracha.cases.contact import read_reporter_contact
from pracha.cases.models import Case, Event, MeToo, Photo, ReporterContact
from pracha.limits.device import COOKIE, new_device_token
from pracha.privacy.services import phone_digits
from tests.factories import REPORTER, case_of, set_state
from tests.helpers import auth, case_url, image_bytes, post_json, upload


def run(*args: str) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_cases(reported: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    first = reported(
        description="ผมสมชาย ใจดี โทร 0812345678 ไฟดับหน้าบ้าน รถทะเบียน กข 1234 จอดขวาง",
        address="99/1 ซอยสุขุมวิท 71",
    )
    other_format = {**REPORTER, "phone": "+66 81 234 5678"}
    second = reported(reporter=other_format, description="ทางเท้าพัง")
    reported(reporter={"name": "คนอื่น", "phone": "0899999999", "email": "x@example.org"})
    return [first, second]


def test_phone_numbers_match_in_any_format() -> None:
    assert phone_digits("+66 81 234 5678") == phone_digits("081-234-5678") == "0812345678"
    assert phone_digits("๐๘๑ ๒๓๔ ๕๖๗๘") == "0812345678"


@pytest.mark.parametrize(
    "who",
    [
        ["--email", "SOMCHAI.J@example.com"],
        ["--phone", "081 234 5678"],
        ["--phone", "+66812345678"],
    ],
)
def test_export_finds_every_case_of_the_reporter(
    two_cases: list[dict[str, Any]], who: list[str]
) -> None:
    data = json.loads(run("export", *who))
    assert [c["ticket_id"] for c in data["cases"]] == [c["ticket_id"] for c in two_cases]
    first = data["cases"][0]
    assert first["reporter"]["email"] == REPORTER["email"]
    assert first["description"].startswith("ผมสมชาย")  # as written: it is their own data
    assert first["timeline"][0]["kind"] == "created"
    assert AuditEntry.objects.filter(action="privacy.export").count() == 2


def test_export_by_ticket_lists_who_read_the_contact(
    two_cases: list[dict[str, Any]], officer: tuple[Officer, str], tmp_path: Path
) -> None:
    ticket = two_cases[0]["ticket_id"]
    read_reporter_contact(Case.objects.get(ticket_id=ticket), officer[0], "call back")
    target = tmp_path / "export.json"
    assert "Wrote 1 case(s)" in run("export", "--ticket", ticket.lower(), "--output", str(target))
    data = json.loads(target.read_text())
    assert data["cases"][0]["contact_reads"][0]["purpose"] == "call back"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_export_of_nobody_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="nothing is held"):
        run("export", "--email", "nobody@example.org")
    with pytest.raises(CommandError, match="at least 9 digits"):
        run("export", "--phone", "12")


def test_erase_without_yes_changes_nothing(two_cases: list[dict[str, Any]]) -> None:
    with pytest.raises(CommandError, match="add --yes") as info:
        run("erase", "--email", REPORTER["email"])
    assert two_cases[0]["ticket_id"] in str(info.value)
    assert ReporterContact.objects.count() == 3
    assert not AuditEntry.objects.filter(action="privacy.erase").exists()


def test_erase_removes_contact_masks_text_and_keeps_the_case(
    api: Client, two_cases: list[dict[str, Any]], media: Path
) -> None:
    first = two_cases[0]
    ticket, token = first["ticket_id"], first["citizen_token"]
    assert upload(api, ticket, image_bytes()).status_code == 201
    set_state(ticket, "done")
    post_json(
        api,
        case_url(ticket, "reopen"),
        {"reason": "โทรกลับ 081-234-5678 ด้วย", "citizen_token": token},
    )
    before = case_of(first)
    events_before = list(before.events.values_list("kind", flat=True))

    out = run("erase", "--phone", "0812345678", "--yes", "--photos")

    assert "contact removed" in out and "1 photo(s) removed" in out
    assert ReporterContact.objects.count() == 1  # only the other reporter's
    case = case_of(first)
    assert "0812345678" not in case.description and "สมชาย" not in case.description
    assert "ใจดี" not in case.description and "กข 1234" not in case.description
    assert "ไฟดับหน้าบ้าน" in case.description  # the problem itself is kept
    assert case.address == "99/1 ซอยสุขุมวิท 71"  # no personal data in it
    reason = case.events.get(kind=Event.Kind.REOPENED).note
    assert "081-234-5678" not in reason and "โทรกลับ" in reason
    # The anonymous history stays for statistics.
    assert list(case.events.values_list("kind", flat=True)) == events_before
    assert (case.state, case.district, case.lat, case.created_at) == (
        before.state,
        before.district,
        before.lat,
        before.created_at,
    )
    assert not Photo.objects.filter(case=case, kind="before").exists()
    erased = AuditEntry.objects.filter(action="privacy.erase")
    assert sorted(erased.values_list("object_id", flat=True)) == sorted(
        c["ticket_id"] for c in two_cases
    )
    assert "081" not in str(list(erased.values_list("detail", flat=True)))


def test_erase_removes_the_reporters_device_record_and_keeps_other_me_toos(
    api: Client, two_cases: list[dict[str, Any]]
) -> None:
    ticket = two_cases[0]["ticket_id"]
    neighbour = Client()
    neighbour.cookies[COOKIE] = new_device_token()
    assert neighbour.post(case_url(ticket, "me-too")).status_code == 200
    case = Case.objects.get(ticket_id=ticket)
    exported = json.loads(run("export", "--ticket", ticket))["cases"][0]
    assert exported["reporter_device_records"] == 1  # a count, never the hash itself
    assert MeToo.objects.filter(case=case, by_reporter=True).count() == 1

    run("erase", "--ticket", ticket, "--yes")

    assert not MeToo.objects.filter(case=case, by_reporter=True).exists()
    assert MeToo.objects.filter(case=case, by_reporter=False).count() == 1
    assert Case.objects.get(pk=case.pk).me_too_count == 1  # the neighbour still counts
    erased = AuditEntry.objects.get(action="privacy.erase", object_id=ticket)
    assert erased.detail["device_records_removed"] == 1
    # Other cases of other reporters keep theirs.
    assert MeToo.objects.filter(by_reporter=True).exclude(case=case).exists()
    assert json.loads(run("export", "--ticket", ticket))["cases"][0]["reporter_device_records"] == 0


def test_erased_contact_cannot_be_read_any_more(
    api: Client, two_cases: list[dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    ticket = two_cases[0]["ticket_id"]
    run("erase", "--ticket", ticket, "--yes")
    response = api.get(case_url(ticket, "reporter"), {"purpose": "x"}, **auth(officer[1]))
    assert response.status_code == 404
    # The case is still public and anonymous.
    assert api.get(case_url(ticket)).status_code == 200


def test_purge_expired_removes_contact_of_long_closed_cases(
    two_cases: list[dict[str, Any]], pracha: Callable[..., None]
) -> None:
    pracha(contact_retention_days=30)
    old, recent = two_cases
    set_state(old["ticket_id"], "done", closed_at=timezone.now() - timedelta(days=31))
    set_state(recent["ticket_id"], "done", closed_at=timezone.now() - timedelta(days=29))

    assert "would remove the contact data of 1 case(s)" in run("purge-expired", "--dry-run")
    assert ReporterContact.objects.count() == 3
    assert "removed the contact data of 1 case(s)" in run("purge-expired")

    held = set(ReporterContact.objects.values_list("case__ticket_id", flat=True))
    assert old["ticket_id"] not in held and recent["ticket_id"] in held
    entry = AuditEntry.objects.get(action="privacy.purge_expired")
    assert entry.detail["deleted"] == 1 and entry.detail["days"] == 30
    assert "removed the contact data of 0 case(s)" in run("purge-expired")


def test_open_cases_keep_their_contact_however_old(
    two_cases: list[dict[str, Any]], pracha: Callable[..., None]
) -> None:
    pracha(contact_retention_days=1)
    Case.objects.update(created_at=timezone.now() - timedelta(days=400))
    run("purge-expired")
    assert ReporterContact.objects.count() == 3


def test_other_apps_take_part_through_signals(two_cases: list[dict[str, Any]]) -> None:
    from pracha.audit.signals import collect_reporter_data, reporter_erased

    erased: list[str] = []

    def held(sender: Any, case: Case, **_: Any) -> dict[str, str]:
        return {"device_id": f"device-of-{case.ticket_id}"}

    def erase(sender: Any, case: Case, scrub: Callable[[str], str], **_: Any) -> None:
        erased.append(case.ticket_id)
        # What the app keeps is scrubbed as the case's own text is.
        erased.append(scrub("สมชาย ใจดี โทร 081-234-5678 หรือ somchai.j@example.com"))

    collect_reporter_data.connect(held)
    reporter_erased.connect(erase)
    try:
        ticket = two_cases[0]["ticket_id"]
        data = json.loads(run("export", "--ticket", ticket))
        assert data["cases"][0]["held_elsewhere"] == {
            __name__: {"device_id": f"device-of-{ticket}"}
        }
        run("erase", "--ticket", ticket, "--yes")
        assert erased == [ticket, "[ชื่อผู้แจ้ง] โทร [เบอร์โทร] หรือ [อีเมล]"]
    finally:
        collect_reporter_data.disconnect(held)
        reporter_erased.disconnect(erase)


def test_erase_scrubs_the_text_kept_for_triage_training(
    two_cases: list[dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    from pracha.triage.corrections import do_correct_triage
    from pracha.triage.models import TriageCorrection

    first, second = two_cases
    for body in two_cases:
        do_correct_triage(case_of(body), officer[0], ["lighting"])
    kept = TriageCorrection.objects.get(case__ticket_id=first["ticket_id"])
    assert "0812345678" in kept.text and "สมชาย" in kept.text  # the description, unmasked
    run("erase", "--ticket", first["ticket_id"], "--yes")
    kept.refresh_from_db()
    for gone in ("0812345678", "สมชาย", "ใจดี", "กข 1234"):
        assert gone not in kept.text
    assert "ไฟดับหน้าบ้าน" in kept.text  # still a training example of the problem
    assert kept.text == case_of(first).description  # scrubbed exactly as the case was
    assert kept.corrected == ["lighting"]
    # Another reporter's correction is not touched.
    other = TriageCorrection.objects.get(case__ticket_id=second["ticket_id"])
    assert other.text == case_of(second).description


def test_export_timeline_names_the_agency_not_the_officers_login(
    two_cases: list[dict[str, Any]], officer: tuple[Officer, str], api: Client
) -> None:
    ticket = two_cases[0]["ticket_id"]
    response = post_json(api, case_url(ticket, "accept"), {}, **auth(officer[1]))
    assert response.status_code == 200, response.content
    data = json.loads(run("export", "--ticket", ticket))
    labels = [step["by"] for step in data["cases"][0]["timeline"]]
    assert labels and not any(officer[0].user.username in label for label in labels)
    assert any(officer[0].agency.name_th in label for label in labels)
