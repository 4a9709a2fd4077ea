"""The LINE user id is personal data: in the account's export, gone with the account
(audited), and never on a public page or in the public API."""

from __future__ import annotations

from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.citizens.models import Channel, ChannelKind, Citizen
from pracha.line.models import Conversation, InboxEvent, Outgoing
from pracha.privacy.accounts import delete_citizen, export_citizen_data
from tests.line.chat import Chat

ANNA = "Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"


def filed(chat: Chat) -> Case:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA), chat.postback(ANNA, "action=no_photo"))
    chat.send(chat.postback(ANNA, "action=confirm"))
    return Case.objects.get()


def test_the_export_holds_the_line_id_and_what_the_chat_keeps(chat: Chat) -> None:
    case = filed(chat)
    chat.send(chat.text(ANNA, "ถนนพัง"))  # a new draft, half-way
    citizen = Citizen.objects.get(channels__address=ANNA)
    export = export_citizen_data(citizen)
    assert {"kind": "line", "address": ANNA}.items() <= export["channels"][0].items()
    line = export["held_elsewhere"]["pracha.line.services.privacy"]
    assert line["line_user_ids"] == [ANNA]
    assert line["conversations"][0]["draft_description"] == "ถนนพัง"
    assert [c["ticket_id"] for c in export["cases"]] == [case.ticket_id]


def test_deleting_the_account_erases_the_line_id_and_the_chat(chat: Chat) -> None:
    case = filed(chat)
    citizen = Citizen.objects.get(channels__address=ANNA)
    delete_citizen(citizen)
    assert not Channel.objects.filter(kind=ChannelKind.LINE, address=ANNA).exists()
    assert not Conversation.objects.exists()
    assert not InboxEvent.objects.filter(user_id=ANNA).exists()
    assert not Outgoing.objects.filter(user_id=ANNA).exists()
    assert AuditEntry.objects.filter(action="line.data_erased").exists()
    case.refresh_from_db()
    assert case.citizen_id is None  # kept, anonymous


def test_linking_is_audited_without_the_id(chat: Chat) -> None:
    filed(chat)
    entry = AuditEntry.objects.get(action="citizen.channel_added")
    assert ANNA not in str(entry.detail)


def test_the_line_id_is_not_public(chat: Chat) -> None:
    case = filed(chat)
    client = Client()
    for path in (f"/t/{case.ticket_id}/", f"/api/v1/cases/{case.ticket_id}", "/api/v1/cases"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert ANNA not in response.content.decode()
