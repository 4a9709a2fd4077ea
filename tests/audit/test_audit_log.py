"""Every change and every read of reporter contact lands in the audit log: who, when, what."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from pracha.agencies.models import Agency, ApiKey, Officer
from pracha.agencies.services import create_api_key, revoke_api_key
from pracha.audit.context import acting_as
from pracha.audit.log import audit, entries_for
from pracha.audit.models import AuditEntry
from pracha.cases.contact import read_reporter_contact
from pracha.cases.errors import InvalidInput
from pracha.cases.services import workflow
from tests.audit.forms import submit_admin_form
from tests.factories import case_of
from tests.helpers import auth, case_url, post_json

Officers = Callable[..., tuple[Officer, str]]


def test_a_new_case_is_audited_with_the_client_address(
    api: Client, reported: Callable[..., dict[str, Any]]
) -> None:
    body = reported()
    entry = AuditEntry.objects.get(action="case.created", object_id=body["ticket_id"])
    assert entry.object_type == "case"
    assert entry.ip == "127.0.0.1"
    assert entry.actor is None and entry.actor_label == "ประชาชน / citizen"
    assert entry.detail["to_state"] == "waiting"


def test_officer_actions_record_who_what_and_where(
    api: Client, reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    me, key = officer
    ticket = reported()["ticket_id"]

    post_json(api, case_url(ticket, "accept"), {}, REMOTE_ADDR="203.0.113.9", **auth(key))
    post_json(api, case_url(ticket, "comment"), {"note": "x", "public": False}, **auth(key))

    accepted = AuditEntry.objects.get(action="case.accepted", object_id=ticket)
    assert accepted.actor == me.user
    assert accepted.actor_label.startswith(me.user.username)
    assert accepted.ip == "203.0.113.9"
    assert accepted.api_key_prefix == key[:12]
    assert (accepted.detail["from_state"], accepted.detail["to_state"]) == ("waiting", "accepted")
    comment = AuditEntry.objects.get(action="case.commented", object_id=ticket)
    assert comment.detail["public"] is False
    assert [e.action for e in entries_for(case_of({"ticket_id": ticket}))][:2] == [
        "case.commented",
        "case.accepted",
    ]


def test_a_refused_action_is_audited_as_refused_and_nothing_else(
    api: Client, reported: Callable[..., dict[str, Any]], make_agency: Any, make_officer: Officers
) -> None:
    ticket = reported()["ticket_id"]
    stranger, key = make_officer(make_agency("other"))
    before = set(AuditEntry.objects.values_list("pk", flat=True))

    response = post_json(api, case_url(ticket, "accept"), {}, **auth(key))

    assert response.status_code == 403
    new = AuditEntry.objects.exclude(pk__in=before)
    assert [(e.action, e.actor) for e in new] == [("case.action_refused", stranger.user)]


def test_service_calls_outside_a_request_are_audited_too(
    reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    me, _key = officer
    case = case_of(reported())
    workflow.do_accept(case, me, "from a script")
    entry = AuditEntry.objects.get(action="case.accepted", object_id=case.ticket_id)
    assert entry.actor == me.user and entry.ip is None


def test_api_keys_created_and_revoked_are_audited(officer: tuple[Officer, str]) -> None:
    me, _ = officer
    with acting_as("ops script"):
        key, raw = create_api_key("partner", me.user)
        assert revoke_api_key(key.prefix) == 1
    created = AuditEntry.objects.get(action="apikey.created", object_id=str(key.pk))
    revoked = AuditEntry.objects.get(action="apikey.revoked", object_id=str(key.pk))
    assert created.actor_label == revoked.actor_label == "ops script"
    assert revoked.detail == {"changed": ["revoked_at"]}
    # The secret and its hash never reach the log.
    for entry in (created, revoked):
        assert raw not in str(entry.detail) and key.key_hash not in str(entry.detail)


def test_the_apikey_command_is_audited(db: None) -> None:
    call_command("apikey", "create", "cli key", stdout=StringIO())
    key = ApiKey.objects.get(name="cli key")
    call_command("apikey", "revoke", key.prefix, stdout=StringIO())
    actions = set(
        AuditEntry.objects.filter(object_type="apikey", object_id=str(key.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"apikey.created", "apikey.revoked"}
    assert AuditEntry.objects.get(action="apikey.revoked").actor_label.startswith("command line")


@pytest.fixture
def admin_client(db: None) -> tuple[Client, Any]:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client, user


def test_admin_changes_to_agencies_are_audited_with_old_and_new_values(
    admin_client: tuple[Client, Any], make_agency: Callable[..., Agency]
) -> None:
    client, root = admin_client
    agency = make_agency("drains", "สำนักการระบายน้ำ")
    response = submit_admin_form(
        client,
        f"/admin/agencies/agency/{agency.pk}/change/",
        {"name_en": "Drainage", "is_active": None},  # None: untick
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="agency.changed", object_id=str(agency.pk))
    assert entry.actor == root and entry.ip == "198.51.100.7"
    assert entry.detail["changed"]["name_en"] == ["", "Drainage"]
    assert entry.detail["changed"]["is_active"] == [True, False]


def test_admin_revoke_action_is_audited(
    admin_client: tuple[Client, Any], officer: tuple[Officer, str]
) -> None:
    client, root = admin_client
    _me, raw = officer
    key = ApiKey.objects.get(prefix=raw[:12])
    response = client.post(
        "/admin/agencies/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="apikey.revoked", object_id=str(key.pk))
    assert entry.actor == root


def test_admin_bulk_deletion_is_audited_per_object(
    admin_client: tuple[Client, Any], make_agency: Callable[..., Agency]
) -> None:
    client, root = admin_client
    agencies = [make_agency(f"tmp-{i}") for i in range(3)]
    response = client.post(
        "/admin/agencies/agency/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in agencies], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditEntry.objects.filter(action="agency.deleted", actor=root)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(a.pk) for a in agencies
    )


def test_admin_changes_to_cases_are_audited(
    admin_client: tuple[Client, Any], reported: Callable[..., dict[str, Any]]
) -> None:
    client, root = admin_client
    case = case_of(reported())
    response = submit_admin_form(
        client, f"/admin/cases/case/{case.pk}/change/", {"description": "แก้ไขโดยผู้ดูแล"}
    )
    assert response.status_code == 302, response.content[:3000]
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(case.pk))
    assert entry.actor == root and entry.object_type == "case"


def test_logins_and_failed_logins_are_audited(db: None) -> None:
    get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456789")
    client = Client()
    client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": "pw-123456789"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.object_id == "root" and failed.ip == "127.0.0.1"
    assert "wrong" not in str(failed.detail)
    assert AuditEntry.objects.filter(action="auth.login", actor__username="root").exists()
    # Stamping last_login is not reported as a change to the user.
    assert not AuditEntry.objects.filter(action="user.changed").exists()


def test_reading_contact_is_audited_with_the_purpose(
    reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    me, _ = officer
    case = case_of(reported())
    contact = read_reporter_contact(case, me, "call back about the exact location")
    assert contact is not None and contact.phone == "081-234-5678"
    entry = AuditEntry.objects.get(action="contact.read")
    assert entry.actor == me.user and entry.object_id == case.ticket_id
    assert entry.detail == {
        "purpose": "call back about the exact location",
        "found": True,
        "fields": ["name", "phone", "email"],
    }
    # The log says that contact was read, never what it is.
    assert "081" not in str(entry.detail) and "somchai" not in str(entry.detail)


def test_reading_contact_needs_a_purpose(
    reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    with pytest.raises(InvalidInput, match="purpose"):
        read_reporter_contact(case_of(reported()), officer[0], "  ")
    assert not AuditEntry.objects.filter(action="contact.read").exists()


def test_entries_cannot_be_changed_or_deleted(db: None) -> None:
    entry = audit("test.thing", object_type="x", object_id="1")
    entry.action = "test.other"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_only_superusers_read_the_log_in_the_admin(
    admin_client: tuple[Client, Any], officer: tuple[Officer, str]
) -> None:
    client, _root = admin_client
    audit("test.thing", object_type="x", object_id="1")
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    staff = get_user_model().objects.create_user("clerk", password="pw-123456789", is_staff=True)
    other = Client()
    other.force_login(staff)
    assert other.get("/admin/audit/auditentry/").status_code == 403
